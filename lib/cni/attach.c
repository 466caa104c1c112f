/* SPDX-License-Identifier: MIT */
/*
 * ADD, DEL, CHECK and GC on one VF. Under the VF's lock (state dir,
 * ADDR.lock) the owner record ADDR.owner names the attachment holding
 * the VF; the attachment's record CID-IFNAME.json (state.c) what ADD
 * found and changed. Records are written atomically before the host is
 * changed, so a DEL after a crash half-way still knows what to put back.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <libmnl/libmnl.h>

#include "cni/cni.h"
#include "ctx.h"
#include "io/parse.h"
#include "io/root.h"
#include "net/nslink.h"
#include "util/strv.h"

#define LOCK_WAIT_MS 30000
#define STATE_MAX (4u << 20)

/* What one verb has open. */
struct vfjob {
	struct cni_job *j;
	struct sriov_ctx *ctx;
	struct sriov_host *host;
	const struct sriov_pf *pf;
	const struct sriov_vf *vf;
	struct sriov_changelog *log;
	int lock;
	struct mnl_socket *hnl;     /* the host's namespace */
	char vfname[300];           /* "PF/vfN" for messages and the change log */
	char addr[SRIOV_ADDR_MAX];  /* the VF asked for */
};

static void vfjob_close(struct vfjob *v)
{
	if (v->hnl)
		mnl_socket_close(v->hnl);
	sriov_changelog_free(v->log);
	sriov_host_free(v->host);
	sriov_ctx_free(v->ctx);
	if (v->lock >= 0)
		close(v->lock);
	memset(v, 0, sizeof(*v));
	v->lock = -1;
}

static void path_of(const struct cni_job *j, const char *name, const char *ext,
		    char *out, size_t len)
{
	snprintf(out, len, "%s/%s%s", j->state_dir, name, ext);
}

static void att_name(const char *cid, const char *ifname, char *out, size_t len)
{
	snprintf(out, len, "%s-%s", cid, ifname);
}

/* A record of ours: regular, not a link, read whole. -ENOENT when none. */
static int read_record(const char *path, char **out)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), r;

	*out = NULL;
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -EBADFD;
	}
	r = rootfs_read_all(fd, STATE_MAX, out, NULL);
	close(fd);
	return r;
}

static int mkdirs(const char *dir)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", dir);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0700) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int load_host(struct vfjob *v)
{
	int r;

	sriov_host_free(v->host);
	v->host = NULL;
	v->pf = NULL;
	v->vf = NULL;
	/* The VF's PF alone (a node may have thousands of VFs); the whole
	 * host only when those reads find no PF, so that find_vf() can say
	 * what the address is instead. */
	r = sriov_host_load_device(v->ctx, SRIOV_LOAD_NO_NAMES | SRIOV_LOAD_NO_CONFIG,
				   v->addr, &v->host);
	if (r == -ENOENT)
		r = sriov_host_load(v->ctx, SRIOV_LOAD_NO_NAMES | SRIOV_LOAD_NO_CONFIG,
				    &v->host);
	return r;
}

/* The VF at @addr in the loaded host, or why not. */
static int find_vf(struct vfjob *v, const char *addr, bool quiet)
{
	struct cni_job *j = v->j;

	for (size_t i = 0; i < v->host->n_pfs; i++) {
		const struct sriov_pf *pf = &v->host->pfs[i];

		if (strcmp(pf->address, addr) == 0)
			return quiet ? -1 : cni_fail(j, SRIOV_CNI_E_DEVICE,
				"%s is a PF (%s), not a VF: deviceID must name one of its VFs (the device plugin's resource pool gives VFs)",
				addr, pf->driver ? pf->driver : "no driver");
		for (size_t k = 0; k < pf->n_vfs; k++)
			if (strcmp(pf->vfs[k].address, addr) == 0) {
				v->pf = pf;
				v->vf = &pf->vfs[k];
				snprintf(v->vfname, sizeof(v->vfname), "%s/vf%u",
					 pf->n_netdevs ? pf->netdevs[0].name : pf->address,
					 v->vf->index);
				return 0;
			}
	}
	return quiet ? -1 : cni_fail(j, SRIOV_CNI_E_DEVICE,
		"%s is not a VF of an SR-IOV PF on this host ('sriovctl list' shows the PFs and 'sriovctl show PF' their VFs)",
		addr);
}

static int vfjob_open(struct vfjob *v, struct cni_job *j, const char *addr)
{
	char path[4200];
	int holder, r;

	memset(v, 0, sizeof(*v));
	v->j = j;
	v->lock = -1;
	snprintf(v->addr, sizeof(v->addr), "%s", addr);
	r = sriov_ctx_new(j->opts->root, &v->ctx);
	if (r < 0)
		return cni_fail(j, SRIOV_CNI_E_IO, "cannot open the root %s: %s",
				j->opts->root ? j->opts->root : "/", strerror(-r));
	r = mkdirs(j->state_dir);
	if (r < 0)
		return cni_fail(j, SRIOV_CNI_E_IO, "cannot create the state directory %s: %s",
				j->state_dir, strerror(-r));
	/* One lock per VF: ADDs of different VFs of one PF run side by side. */
	path_of(j, addr, ".lock", path, sizeof(path));
	v->lock = sriov_lock_file(path, j->opts->lock_timeout_ms ?
				  j->opts->lock_timeout_ms : LOCK_WAIT_MS, &holder);
	if (v->lock < 0) {
		r = v->lock;
		v->lock = -1;
		if (r == -EWOULDBLOCK)
			return cni_fail(j, SRIOV_CNI_E_AGAIN,
					"%s: another CNI call (pid %d) holds the VF's lock %s; try again",
					addr, holder, path);
		return cni_fail(j, SRIOV_CNI_E_IO, "%s: cannot take the VF's lock %s: %s",
				addr, path, strerror(-r));
	}
	r = load_host(v);
	if (r < 0)
		return cni_fail(j, SRIOV_CNI_E_IO, "cannot read the host's PCI devices: %s",
				strerror(-r));
	return 0;
}

/* The host namespace's rtnetlink socket, opened on first use. */
static struct mnl_socket *host_nl(struct vfjob *v)
{
	if (!v->hnl && nslink_open(-1, &v->hnl) < 0)
		v->hnl = NULL;
	return v->hnl;
}

static void log_change(struct vfjob *v, const char *attr, const char *old,
		       const char *new, int err, const char *msg)
{
	struct cni_job *j = v->j;
	char who[400];
	struct timespec ts;
	struct sriov_change_origin o;
	struct sriov_change c = {
		.device = v->vfname, .pf = v->pf ? v->pf->address : "",
		.attribute = attr, .old_value = old, .new_value = new,
		.err = err, .message = msg,
	};
	int r;

	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(who, sizeof(who), "sriov-cni %s %s/%s", j->env->command,
		 j->env->container_id ? j->env->container_id : "-",
		 j->env->ifname ? j->env->ifname : "-");
	o = (struct sriov_change_origin){
		.time_us = (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000,
		.uid = (unsigned)getuid(), .command = who };
	if (!v->log) {
		r = sriov_changelog_open(v->ctx, j->opts->changelog, &o, &v->log);
		if (r < 0) {
			cni_log(j, "warning", "cannot open the change log: %s", strerror(-r));
			v->log = NULL;
			return;
		}
	}
	r = sriov_changelog_append(v->log, &o, &c);
	if (r < 0)
		cni_log(j, "warning", "cannot append to the change log: %s", strerror(-r));
}

static int save_state(struct cni_job *j, const struct sriov_cni_state *s)
{
	char path[4200], name[300], *text;
	int r;

	att_name(s->container_id, s->ifname, name, sizeof(name));
	path_of(j, name, ".json", path, sizeof(path));
	r = sriov_cni_state_format(s, &text);
	if (r < 0)
		return r;
	r = sriov_write_file_atomic(path, text, strlen(text));
	free(text);
	return r;
}

static int load_state(struct cni_job *j, const char *cid, const char *ifname,
		      struct sriov_cni_state *s, char *err, size_t errlen)
{
	char path[4200], name[300], *text;
	int r;

	att_name(cid, ifname, name, sizeof(name));
	path_of(j, name, ".json", path, sizeof(path));
	r = read_record(path, &text);
	if (r < 0)
		return r;
	r = sriov_cni_state_parse(text, strlen(text), s, err, errlen);
	free(text);
	return r;
}

/*
 * The kernel's boot id (under the root; "" when unreadable): an owner
 * record from another boot is stale, as nothing survives a reboot in a
 * pod's namespace.
 */
static void boot_id(struct vfjob *v, char *out, size_t len)
{
	ssize_t n = rootfs_read(v->ctx->rfs, ROOTFS_TOP, "proc/sys/kernel/random/boot_id",
				out, len - 1);

	out[n > 0 ? n : 0] = '\0';
	out[strcspn(out, " \n")] = '\0';
}

/*
 * The attachment (CID-IFNAME) holding VF @addr, "" when none, and the
 * boot it was recorded in ("" when the record does not say).
 */
static int owner_of(struct cni_job *j, const char *addr, char *out, size_t len,
		    char *boot, size_t bootlen)
{
	char path[4200], *text;
	size_t w;
	int r;

	out[0] = '\0';
	if (boot)
		boot[0] = '\0';
	path_of(j, addr, ".owner", path, sizeof(path));
	r = read_record(path, &text);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	w = strcspn(text, " \n");
	snprintf(out, len, "%.*s", (int)w, text);
	if (boot && text[w] == ' ')
		snprintf(boot, bootlen, "%.*s", (int)strcspn(text + w + 1, " \n"), text + w + 1);
	free(text);
	return 0;
}

static int set_owner(struct vfjob *v, const char *addr, const char *att)
{
	char path[4200], line[400], boot[64];

	path_of(v->j, addr, ".owner", path, sizeof(path));
	if (!att)
		return unlink(path) < 0 && errno != ENOENT ? -errno : 0;
	boot_id(v, boot, sizeof(boot));
	snprintf(line, sizeof(line), "%s%s%s\n", att, boot[0] ? " " : "", boot);
	return sriov_write_file_atomic(path, line, strlen(line));
}

static void drop_state(struct cni_job *j, const struct sriov_cni_state *s)
{
	char path[4200], name[300];

	att_name(s->container_id, s->ifname, name, sizeof(name));
	path_of(j, name, ".json", path, sizeof(path));
	if (unlink(path) < 0 && errno != ENOENT)
		cni_log(j, "warning", "cannot remove %s: %s", path, strerror(errno));
}

static bool userspace_driver(const char *d)
{
	return d && (!strcmp(d, "vfio-pci") || !strcmp(d, "uio_pci_generic") ||
		     !strcmp(d, "igb_uio"));
}

/*
 * The host netdev's MAC and MTU as before ADD, once the PF has the VF's
 * MAC back (igb refuses a VF MAC other than the one the PF set). The
 * driver may take a MAC only on its next reset: a warning, not a failure.
 */
static void restore_netdev(struct vfjob *v, const struct sriov_cni_state *s)
{
	struct mnl_socket *nl = host_nl(v);
	const uint8_t *mac = NULL;
	struct nslink l;
	char msg[256];
	int mtu = 0, r;

	if (!s->moved || !s->host_ifname || !nl ||
	    nslink_get(nl, s->host_ifname, 0, &l) < 0)
		return;
	if (!l.has_mac || memcmp(l.mac, s->host_mac, 6))
		mac = s->host_mac;
	if (s->host_mtu > 0 && l.mtu != (unsigned)s->host_mtu)
		mtu = s->host_mtu;
	if (!mac && !mtu)
		return;
	r = nslink_set(nl, l.ifindex, NULL, mac, mtu, -1, msg, sizeof(msg));
	if (r < 0 && mac && mtu)
		r = nslink_set(nl, l.ifindex, NULL, NULL, mtu, -1, msg, sizeof(msg));
	if (r < 0)
		cni_log(v->j, "warning", "%s: restoring %s's %s: %s %s", v->vfname,
			s->host_ifname, mtu ? "MTU" : "MAC", strerror(-r), msg);
}

/*
 * Put back what ADD changed on @s's VF: the netdev home under its host
 * name with its MAC and MTU, then the VF attributes ADD set, from the PF.
 * Best effort: each failure is logged and the rest still done. Returns
 * the number of failures.
 */
static int restore(struct vfjob *v, const struct sriov_cni_state *s)
{
	struct cni_job *j = v->j;
	struct sriov_vf_settings set = { 0 };
	struct sriov_vf_results res = { 0 };
	struct mnl_socket *nl = host_nl(v);
	char msg[256], err[512];
	int fails = 0, r;
	bool fresh = false;

	if (s->moved && s->host_ifname) {
		struct mnl_socket *cnl = NULL;
		struct nslink l;
		int nsfd = s->netns ? nslink_netns_open(s->netns) : -ENOENT;
		int hostns = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		bool home = false;

		if (nsfd >= 0 && nslink_open(nsfd, &cnl) == 0 &&
		    nslink_get(cnl, s->ifname, 0, &l) == 0) {
			nslink_set(cnl, l.ifindex, NULL, NULL, 0, 0, msg, sizeof(msg));
			r = nslink_move(cnl, l.ifindex, hostns, s->host_ifname, msg, sizeof(msg));
			if (r == -EEXIST) {
				cni_log(j, "warning", "%s: the name %s is taken in the host namespace; the netdev comes back as sriov%%d",
					v->vfname, s->host_ifname);
				r = nslink_move(cnl, l.ifindex, hostns, "sriov%d", msg, sizeof(msg));
			}
			if (r < 0) {
				cni_log(j, "error", "%s: moving %s out of %s failed: %s %s",
					v->vfname, s->ifname, s->netns, strerror(-r), msg);
				fails++;
			} else {
				home = true;
			}
		} else {
			cni_log(j, "info", "%s: %s is not in %s (namespace gone?): looking for the VF's netdev in the host namespace",
				v->vfname, s->ifname, s->netns ? s->netns : "(none)");
		}
		if (cnl)
			mnl_socket_close(cnl);
		if (nsfd >= 0)
			close(nsfd);
		if (hostns >= 0)
			close(hostns);
		/* By its PCI address: the kernel may have named it anything. */
		fresh = load_host(v) == 0;
		if (fresh && find_vf(v, s->address, true) == 0 && v->vf->netdev && nl) {
			r = nslink_get(nl, v->vf->netdev, 0, &l);
			if (r == 0 && strcmp(l.name, s->host_ifname) != 0) {
				nslink_set(nl, l.ifindex, NULL, NULL, 0, 0, msg, sizeof(msg));
				r = nslink_set(nl, l.ifindex, s->host_ifname, NULL, 0, -1, msg, sizeof(msg));
				log_change(v, "name", l.name, s->host_ifname, r, r < 0 ? msg : NULL);
				if (r < 0) {
					cni_log(j, "error", "%s: renaming %s back to %s: %s %s", v->vfname,
						l.name, s->host_ifname, strerror(-r), msg);
					fails++;
				}
			}
		} else if (!home) {
			cni_log(j, "error", "%s: the VF's netdev is in neither namespace", v->vfname);
			fails++;
		}
	}
	/*
	 * The attributes: only those ADD set, to the values found before. A
	 * rename does not change what the PF reports: one read will do.
	 */
	if ((!fresh && load_host(v) < 0) || find_vf(v, s->address, true) < 0) {
		cni_log(j, "warning", "%s: the VF is gone; nothing of it to restore", s->address);
		return fails;
	}
	if (!s->mask) {
		restore_netdev(v, s);
		return fails;
	}
	/*
	 * A MAC ADD set on a netdev: the PF gives it up first (00:..:00),
	 * so that the VF's driver may take its own back (igb refuses that
	 * of a VF that is not trusted while the PF holds one); the PF's own
	 * value comes back with the others below.
	 */
	if ((s->mask & (1u << SRIOV_VF_ATTR_MAC)) && s->moved && s->host_ifname) {
		char *zero[] = { "mac", "00:00:00:00:00:00" };

		if (sriov_vf_settings_parse(2, zero, &set, err, sizeof(err)) == 0 &&
		    sriov_vf_settings_apply(v->pf, v->vf, &set, &res, err, sizeof(err)) == 0 &&
		    res.n) {
			log_change(v, "mac", v->vf->link.mac[0] ? v->vf->link.mac : "?", zero[1],
				   res.v[0].err, res.v[0].msg);
			if (res.v[0].err == 0)
				restore_netdev(v, s);
		}
		sriov_vf_results_clear(&res);
		sriov_vf_settings_clear(&set);
	}
	r = sriov_vf_settings_diff_only(&s->orig, &v->vf->link, s->mask, &set);
	if (r == 0 && set.n)
		r = sriov_vf_settings_apply(v->pf, v->vf, &set, &res, err, sizeof(err));
	if (r < 0) {
		cni_log(j, "error", "%s: restoring the VF's attributes: %s", v->vfname,
			r == -ENOMEM ? "out of memory" : err);
		fails++;
	}
	for (size_t i = 0; r == 0 && i < res.n; i++) {
		const struct sriov_vf_result *x = &res.v[i];
		const char *text = x->setting->text;
		size_t w = strcspn(text, " ");
		char old[64], key[32];

		sriov_vf_link_value(&v->vf->link, x->setting->attr, old, sizeof(old));
		snprintf(key, sizeof(key), "%.*s", (int)w, text);
		log_change(v, key, old, text[w] ? text + w + 1 : "", x->err, x->msg);
		if (x->err) {
			cni_log(j, "error", "%s: restoring %s: %s%s%s", v->vfname, text,
				strerror(-x->err), x->msg ? ": " : "", x->msg ? x->msg : "");
			fails++;
		}
	}
	sriov_vf_results_clear(&res);
	sriov_vf_settings_clear(&set);
	restore_netdev(v, s);
	return fails;
}

static bool env_ok(struct cni_job *j, bool need_netns)
{
	const struct sriov_cni_env *e = j->env;

	if (!sriov_cni_container_id_ok(e->container_id))
		return cni_fail(j, SRIOV_CNI_E_ENV,
				"CNI_CONTAINERID '%.64s' is not a container id (letters, digits, '_', '.', '-'; a letter or digit first)",
				e->container_id ? e->container_id : "") , false;
	if (!sriov_cni_ifname_ok(e->ifname))
		return cni_fail(j, SRIOV_CNI_E_ENV,
				"CNI_IFNAME '%.64s' is not an interface name this plugin takes (1..15 of letters, digits, '_', '.', '-')",
				e->ifname ? e->ifname : ""), false;
	if (need_netns && (!e->netns || !*e->netns))
		return cni_fail(j, SRIOV_CNI_E_ENV, "CNI_NETNS is not set"), false;
	return true;
}

/*
 * The netdev's MAC, once the PF has set the VF's: the VF driver asks the
 * PF over its mailbox, which may still be busy with the PF's change (igbvf
 * answers EADDRNOTAVAIL then). Tried 5 times, 200 ms apart, as sriov-cni
 * does.
 */
static int set_mac_retry(struct mnl_socket *nl, int ifindex, const uint8_t *mac,
			 char *msg, size_t msglen)
{
	struct timespec pause = { 0, 200 * 1000 * 1000 };
	struct nslink l;
	int r = 0;

	for (int i = 0; i < 5; i++) {
		if (i)
			nanosleep(&pause, NULL);
		/* Already there: the driver took it from the PF. */
		if (nslink_get(nl, NULL, ifindex, &l) == 0 && l.has_mac &&
		    !memcmp(l.mac, mac, 6))
			return 0;
		r = nslink_set(nl, ifindex, NULL, mac, 0, -1, msg, msglen);
		if (r != -EADDRNOTAVAIL && r != -EBUSY && r != -EAGAIN && r != -EIO)
			break;
	}
	return r;
}

/* The settings the quirk table says the driver refuses, before anything is sent. */
static int refused_up_front(struct vfjob *v)
{
	const struct sriov_vf_settings *set = &v->j->conf.settings;
	struct sriov_quirks *q = NULL;
	char err[512] = "";
	int r = sriov_quirks_load(v->ctx, &q, err, sizeof(err));

	if (r < 0)
		return cni_fail(v->j, SRIOV_CNI_E_IO, "cannot read the quirk table: %s",
				err[0] ? err : strerror(-r));
	for (size_t i = 0; i < set->n && r == 0; i++) {
		const struct sriov_quirk *k = sriov_quirks_setting_refused(q, v->pf, &set->v[i]);

		if (k)
			r = cni_fail(v->j, SRIOV_CNI_E_REFUSED,
				     "%s: %s: the driver %s refuses it: quirk %s: %s (%s; source: %s); remove it from the configuration (nothing was changed)",
				     v->vfname, set->v[i].text, v->pf->driver ? v->pf->driver : "(none)",
				     k->id, k->summary,
				     sriov_quirk_errno_name(k->refuse_errno[set->v[i].attr]), k->source);
	}
	sriov_quirks_free(q);
	return r;
}

/*
 * Send @set through the PF, each setting in the change log. Returns 0,
 * or -1 with the reply naming the first refused setting.
 */
static int apply_logged(struct vfjob *v, const struct sriov_vf_settings *set)
{
	struct cni_job *j = v->j;
	struct sriov_vf_results res = { 0 };
	char err[512];
	int r;

	if (!set->n)
		return 0;
	r = sriov_vf_settings_apply(v->pf, v->vf, set, &res, err, sizeof(err));
	if (r < 0)
		return cni_fail(j, SRIOV_CNI_E_REFUSED, "%s: %s", v->vfname,
				r == -ENOMEM ? "out of memory" : err);
	for (size_t i = 0; i < res.n; i++) {
		const struct sriov_vf_result *x = &res.v[i];
		const char *text = x->setting->text;
		size_t w = strcspn(text, " ");
		char old[64], key[32];

		sriov_vf_link_value(&v->vf->link, x->setting->attr, old, sizeof(old));
		snprintf(key, sizeof(key), "%.*s", (int)w, text);
		log_change(v, key, old, text[w] ? text + w + 1 : "", x->err, x->msg);
		if (x->err && !j->reply->code)
			cni_fail(j, SRIOV_CNI_E_REFUSED,
				 "%s: the PF's driver (%s) refused %s: %s%s%s; remove it from the configuration",
				 v->vfname, v->pf->driver ? v->pf->driver : "?", text,
				 strerror(-x->err), x->msg ? ": " : "", x->msg ? x->msg : "");
	}
	sriov_vf_results_clear(&res);
	return j->reply->code ? -1 : 0;
}

int cni_add(struct cni_job *j)
{
	struct sriov_cni_state s = { 0 };
	struct mnl_socket *cnl = NULL;
	struct vfjob v;
	struct nslink hl = { 0 }, cl;
	char att[300], owner[300], err[512], msg[256], *ipam = NULL;
	char oboot[64], cboot[64];
	struct sriov_vf_settings first, macset = { 0 };
	int nsfd = -1, r, rc = -1;
	bool netdev;

	v.lock = -1;
	v.ctx = NULL;
	v.host = NULL;
	v.log = NULL;
	v.hnl = NULL;
	if (!env_ok(j, true))
		return -1;
	if (!j->conf.device_id)
		return cni_fail(j, SRIOV_CNI_E_CONFIG,
				"no deviceID: give the VF's PCI address as \"deviceID\" (the SR-IOV device plugin and Multus set it)");
	if (vfjob_open(&v, j, j->conf.device_id) < 0 ||
	    find_vf(&v, j->conf.device_id, false) < 0)
		goto out;
	att_name(j->env->container_id, j->env->ifname, att, sizeof(att));
	r = owner_of(j, v.vf->address, owner, sizeof(owner), oboot, sizeof(oboot));
	if (r < 0) {
		cni_fail(j, SRIOV_CNI_E_IO, "%s: cannot read its owner record: %s",
			 v.vf->address, strerror(-r));
		goto out;
	}
	boot_id(&v, cboot, sizeof(cboot));
	if (owner[0] && oboot[0] && cboot[0] && strcmp(oboot, cboot)) {
		/* Recorded before a reboot: no pod of then still holds the VF. */
		char path[4200];

		cni_log(j, "info", "%s: the record of %s is from before a reboot: dropped",
			v.vf->address, owner);
		path_of(j, owner, ".json", path, sizeof(path));
		unlink(path);
		set_owner(&v, v.vf->address, NULL);
		owner[0] = '\0';
	}
	if (owner[0]) {
		cni_fail(j, SRIOV_CNI_E_BUSY,
			 "%s (%s) is attached to %s already%s; DEL that attachment first",
			 v.vf->address, v.vfname, owner,
			 strcmp(owner, att) ? "" : " (this same container and interface)");
		goto out;
	}
	netdev = !userspace_driver(v.vf->driver);
	if (netdev && !v.vf->netdev) {
		cni_fail(j, SRIOV_CNI_E_DEVICE,
			 "%s (%s) has no netdev in the host namespace (driver %s): bind it to its kernel driver, or to vfio-pci for a DPDK pod",
			 v.vf->address, v.vfname, v.vf->driver ? v.vf->driver : "none");
		goto out;
	}
	/* a setting the driver refuses is the configuration's fault: say so first */
	if (refused_up_front(&v) < 0)
		goto out;
	if (!v.vf->link.present) {
		cni_fail(j, SRIOV_CNI_E_DEVICE,
			 "%s: the PF's driver does not report VF %u over rtnetlink, so its attributes cannot be saved and restored",
			 v.vfname, v.vf->index);
		goto out;
	}
	if (!host_nl(&v)) {
		cni_fail(j, SRIOV_CNI_E_NETLINK, "cannot open rtnetlink: %s", strerror(errno));
		goto out;
	}
	if (netdev) {
		nsfd = nslink_netns_open(j->env->netns);
		if (nsfd < 0) {
			cni_fail(j, SRIOV_CNI_E_CONTAINER, "CNI_NETNS %.200s: %s", j->env->netns,
				 nsfd == -EINVAL ? "not a network namespace" : strerror(-nsfd));
			goto out;
		}
		r = nslink_open(nsfd, &cnl);
		if (r == 0 && nslink_get(cnl, j->env->ifname, 0, &cl) == 0) {
			cni_fail(j, SRIOV_CNI_E_CONFIG, "%s already exists in %.200s",
				 j->env->ifname, j->env->netns);
			goto out;
		}
		if (r < 0) {
			cni_fail(j, SRIOV_CNI_E_CONTAINER, "cannot enter %.200s: %s",
				 j->env->netns, strerror(-r));
			goto out;
		}
		r = nslink_get(v.hnl, v.vf->netdev, 0, &hl);
		if (r < 0) {
			cni_fail(j, SRIOV_CNI_E_NETLINK, "%s: reading %s: %s", v.vfname,
				 v.vf->netdev, strerror(-r));
			goto out;
		}
	}
	/* The record first: whatever happens next, DEL knows what to undo. */
	s.container_id = (char *)j->env->container_id;
	s.ifname = (char *)j->env->ifname;
	s.netns = (char *)j->env->netns;
	s.network = j->conf.name;
	s.cni_version = j->conf.cni_version;
	s.conf = (char *)j->conf_text;
	snprintf(s.address, sizeof(s.address), "%s", v.vf->address);
	snprintf(s.pf, sizeof(s.pf), "%s", v.pf->address);
	s.vf = v.vf->index;
	s.driver = v.vf->driver;
	s.host_ifname = netdev ? hl.name : NULL;
	memcpy(s.host_mac, hl.mac, 6);
	s.host_mtu = netdev ? (int)hl.mtu : -1;
	s.orig = v.vf->link;
	s.mask = j->conf.mask & SRIOV_VF_ATTRS_LINK;
	r = save_state(j, &s);
	if (r == 0)
		r = set_owner(&v, s.address, att);
	if (r < 0) {
		cni_fail(j, SRIOV_CNI_E_IO, "cannot write the attachment record in %s: %s",
			 j->state_dir, strerror(-r));
		goto undo;
	}
	/*
	 * The attributes, one request each, through the PF. A MAC for a
	 * netdev waits until the netdev has it: igb refuses a MAC from a VF
	 * that is not trusted once the PF set one for it.
	 */
	first = j->conf.settings;
	if (netdev && j->conf.has_mac && first.n && first.v[0].attr == SRIOV_VF_ATTR_MAC) {
		macset.v = first.v;
		macset.n = 1;
		first.v++;
		first.n--;
	}
	if (apply_logged(&v, &first) < 0)
		goto undo;
	if (netdev) {
		r = nslink_set(v.hnl, hl.ifindex, NULL, NULL, 0, 0, msg, sizeof(msg));
		if (r == 0)
			r = nslink_move(v.hnl, hl.ifindex, nsfd, j->env->ifname, msg, sizeof(msg));
		if (r < 0) {
			cni_fail(j, SRIOV_CNI_E_NETLINK, "%s: moving %s into %.200s as %s: %s%s%s",
				 v.vfname, hl.name, j->env->netns, j->env->ifname, strerror(-r),
				 msg[0] ? ": " : "", msg);
			goto undo;
		}
		s.moved = true;
		log_change(&v, "netns", hl.name, j->env->ifname, 0, j->env->netns);
		if (save_state(j, &s) < 0)
			cni_log(j, "warning", "cannot update the attachment record");
		/*
		 * Up first: a VF driver that resets on open takes the MAC the
		 * PF now has for it (igbvf does); else it is set here.
		 */
		r = nslink_get(cnl, j->env->ifname, 0, &cl);
		if (r == 0)
			r = nslink_set(cnl, cl.ifindex, NULL, NULL, 0, 1, msg, sizeof(msg));
		if (r == 0 && macset.n) {
			/* The netdev's first, then the PF's: both hold it then. */
			int rm = set_mac_retry(cnl, cl.ifindex, j->conf.mac, msg, sizeof(msg));

			if (apply_logged(&v, &macset) < 0)
				goto undo;
			if (rm < 0)
				rm = set_mac_retry(cnl, cl.ifindex, j->conf.mac, msg, sizeof(msg));
			if (rm < 0) {
				cni_fail(j, SRIOV_CNI_E_NETLINK,
					 "%s: the VF's driver refused the MAC on %s: %s%s%s; a VF that is not trusted takes no new MAC while the PF holds another for it (igb): \"trust\": \"on\", or give the PF's MAC back first",
					 v.vfname, j->env->ifname, strerror(-rm), msg[0] ? ": " : "", msg);
				goto undo;
			}
		}
		if (r == 0)
			r = nslink_get(cnl, j->env->ifname, 0, &cl);
		if (r < 0) {
			cni_fail(j, SRIOV_CNI_E_NETLINK, "%s: configuring %s in %.200s: %s%s%s",
				 v.vfname, j->env->ifname, j->env->netns, strerror(-r),
				 msg[0] ? ": " : "", msg);
			goto undo;
		}
	}
	if (netdev && j->conf.ipam_type) {
		r = cni_ipam_exec(j->env->path, j->conf.ipam_type, "ADD", j->env->container_id,
				  j->env->netns, j->env->ifname, j->conf_text, j->conf_len,
				  &ipam, err, sizeof(err));
		if (r == 0)
			r = cni_ipam_configure(cnl, cl.ifindex, ipam, err, sizeof(err));
		if (r < 0) {
			cni_fail(j, SRIOV_CNI_E_IPAM, "%s: %s", v.vfname, err);
			goto undo;
		}
	}
	j->reply->out = cni_result_json(j->conf.cni_version, j->env->ifname,
					netdev ? cl.mac : NULL, netdev ? (int)cl.mtu : 0,
					netdev ? j->env->netns : NULL, v.vf->address, ipam);
	if (!j->reply->out) {
		cni_fail(j, SRIOV_CNI_E_IO, "out of memory");
		goto undo;
	}
	s.result = j->reply->out;
	s.added = true;
	r = save_state(j, &s);
	s.result = NULL;
	if (r < 0) {
		free(j->reply->out);
		j->reply->out = NULL;
		cni_fail(j, SRIOV_CNI_E_IO, "cannot write the attachment record: %s", strerror(-r));
		goto undo;
	}
	cni_log(j, "info", "%s (%s) attached to %s as %s", v.vfname, v.vf->address, att,
		j->env->ifname);
	rc = 0;
	goto out;
undo:
	if (ipam) {
		char *o = NULL;

		cni_ipam_exec(j->env->path, j->conf.ipam_type, "DEL", j->env->container_id,
			      j->env->netns, j->env->ifname, j->conf_text, j->conf_len, &o,
			      err, sizeof(err));
		free(o);
	}
	{
		/* Put back what was done, then forget the attempt. */
		struct sriov_cni_state back = s;

		restore(&v, &back);
		drop_state(j, &s);
		set_owner(&v, s.address, NULL);
	}
out:
	free(ipam);
	if (cnl)
		mnl_socket_close(cnl);
	if (nsfd >= 0)
		close(nsfd);
	vfjob_close(&v);
	return rc;
}

/* The IPAM type of a stored configuration, for DEL and GC without one. */
static char *ipam_of(const char *conf)
{
	struct sriov_cni_conf c;
	char err[256], *t;

	if (!conf || sriov_cni_conf_parse(conf, strlen(conf), &c, err, sizeof(err)) < 0)
		return NULL;
	t = c.ipam_type;
	c.ipam_type = NULL;
	sriov_cni_conf_clear(&c);
	return t;
}

static void ipam_del(struct cni_job *j, const char *type, const char *cid,
		     const char *netns, const char *ifname, const char *conf)
{
	char err[512], *o = NULL;

	if (!type)
		return;
	if (cni_ipam_exec(j->env->path, type, "DEL", cid, netns, ifname, conf,
			  strlen(conf), &o, err, sizeof(err)) < 0)
		cni_log(j, "warning", "%s/%s: %s", cid, ifname, err);
	free(o);
}

/*
 * Give attachment @s back: restore when it still owns its VF, then drop
 * its records. Returns 0, or -1 with the failures logged and the records
 * kept for the next DEL.
 */
static int release(struct cni_job *j, const struct sriov_cni_state *s)
{
	struct vfjob v;
	char att[300], owner[300];
	int fails = 0;

	att_name(s->container_id, s->ifname, att, sizeof(att));
	if (vfjob_open(&v, j, s->address) < 0) {
		vfjob_close(&v);
		return -1;
	}
	if (find_vf(&v, s->address, true) < 0)
		snprintf(v.vfname, sizeof(v.vfname), "%s", s->address);
	if (owner_of(j, s->address, owner, sizeof(owner), NULL, 0) == 0 && strcmp(owner, att)) {
		/* Re-allocated meanwhile: the VF is someone else's now. */
		cni_log(j, "warning", "%s is held by %s, not %s: left alone", s->address,
			owner[0] ? owner : "nobody", att);
	} else {
		fails = restore(&v, s);
		if (fails == 0)
			set_owner(&v, s->address, NULL);
	}
	if (fails == 0)
		drop_state(j, s);
	vfjob_close(&v);
	return fails ? -1 : 0;
}

int cni_del(struct cni_job *j)
{
	struct sriov_cni_state s;
	char err[512];
	int r;

	if (!env_ok(j, false))
		return -1;
	r = load_state(j, j->env->container_id, j->env->ifname, &s, err, sizeof(err));
	if (r == -ENOENT) {
		/* Nothing of ours: DEL is safe to repeat. */
		cni_log(j, "info", "%s/%s: no attachment record; nothing to release",
			j->env->container_id, j->env->ifname);
		ipam_del(j, j->conf.ipam_type, j->env->container_id, j->env->netns,
			 j->env->ifname, j->conf_text);
		return 0;
	}
	if (r < 0)
		return cni_fail(j, SRIOV_CNI_E_IO, "%s/%s: the attachment record in %s is unreadable: %s",
				j->env->container_id, j->env->ifname, j->state_dir,
				r == -ENOMEM ? "out of memory" : r == -EBADMSG || r == -EINVAL ? err : strerror(-r));
	if (release(j, &s) < 0) {
		if (!j->reply->code)
			cni_fail(j, SRIOV_CNI_E_NETLINK,
				 "%s: the VF could not be given back whole (see logFile); the record is kept, DEL again to retry",
				 s.address);
		sriov_cni_state_clear(&s);
		return -1;
	}
	{
		char *t = j->conf.ipam_type ? NULL : ipam_of(s.conf);

		ipam_del(j, j->conf.ipam_type ? j->conf.ipam_type : t, s.container_id,
			 j->env->netns ? j->env->netns : s.netns, s.ifname, j->conf_text);
		free(t);
	}
	sriov_cni_state_clear(&s);
	return 0;
}

/* prevResult's interface @ifname in @sandbox: its MAC and MTU. */
static void prev_iface(const char *prev, const char *ifname, char *mac,
		       size_t maclen, int *mtu)
{
	json_object *o = prev ? json_tokener_parse(prev) : NULL, *ifs, *v;

	mac[0] = '\0';
	*mtu = -1;
	if (o && json_object_object_get_ex(o, "interfaces", &ifs) &&
	    json_object_is_type(ifs, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(ifs); i++) {
			json_object *it = json_object_array_get_idx(ifs, i);

			if (!json_object_object_get_ex(it, "name", &v) ||
			    strcmp(json_object_get_string(v), ifname))
				continue;
			if (json_object_object_get_ex(it, "mac", &v))
				snprintf(mac, maclen, "%s", json_object_get_string(v));
			if (json_object_object_get_ex(it, "mtu", &v) &&
			    json_object_is_type(v, json_type_int))
				*mtu = json_object_get_int(v);
		}
	}
	json_object_put(o);
}

int cni_check(struct cni_job *j)
{
	struct sriov_cni_state s;
	struct sriov_strv drift = { 0 };
	struct vfjob v;
	char att[300], owner[300], err[512];
	int r;

	if (!env_ok(j, true))
		return -1;
	if (!strncmp(j->conf.cni_version, "0.3.", 4))
		return cni_fail(j, SRIOV_CNI_E_VERSION,
				"CHECK needs cniVersion 0.4.0 or later; the configuration says %s",
				j->conf.cni_version);
	if (!j->conf.prev_result)
		return cni_fail(j, SRIOV_CNI_E_CONFIG, "CHECK needs prevResult");
	r = load_state(j, j->env->container_id, j->env->ifname, &s, err, sizeof(err));
	if (r < 0)
		return cni_fail(j, SRIOV_CNI_E_CONTAINER, "%s/%s: no attachment record: %s",
				j->env->container_id, j->env->ifname,
				r == -ENOENT ? "ADD was not run, or DEL was" : err);
	att_name(s.container_id, s.ifname, att, sizeof(att));
	if (vfjob_open(&v, j, s.address) < 0)
		goto out;
	if (find_vf(&v, s.address, true) < 0) {
		strv_pushf(&drift, "the VF %s is gone", s.address);
		goto report;
	}
	if (owner_of(j, s.address, owner, sizeof(owner), NULL, 0) == 0 && strcmp(owner, att))
		strv_pushf(&drift, "the VF is recorded as held by %s", owner[0] ? owner : "nobody");
	if (s.moved) {
		struct mnl_socket *cnl = NULL;
		struct nslink l;
		int nsfd = nslink_netns_open(j->env->netns);
		char pmac[32], lmac[18];
		int pmtu;

		if (nsfd < 0) {
			strv_pushf(&drift, "the netns %s is gone", j->env->netns);
		} else if (nslink_open(nsfd, &cnl) < 0 ||
			   nslink_get(cnl, j->env->ifname, 0, &l) < 0) {
			strv_pushf(&drift, "%s is not in the netns %s", j->env->ifname, j->env->netns);
		} else {
			prev_iface(j->conf.prev_result, j->env->ifname, pmac, sizeof(pmac), &pmtu);
			snprintf(lmac, sizeof(lmac), "%02x:%02x:%02x:%02x:%02x:%02x", l.mac[0],
				 l.mac[1], l.mac[2], l.mac[3], l.mac[4], l.mac[5]);
			if (pmac[0] && strcasecmp(pmac, lmac))
				strv_pushf(&drift, "%s's MAC is %s, prevResult says %s",
					   j->env->ifname, lmac, pmac);
			if (pmtu > 0 && l.mtu != (unsigned)pmtu)
				strv_pushf(&drift, "%s's MTU is %u, prevResult says %d",
					   j->env->ifname, l.mtu, pmtu);
			if (!l.up)
				strv_pushf(&drift, "%s is down", j->env->ifname);
		}
		if (v.vf->netdev)
			strv_pushf(&drift, "the VF's netdev is in the host namespace as %s",
				   v.vf->netdev);
		if (cnl)
			mnl_socket_close(cnl);
		if (nsfd >= 0)
			close(nsfd);
	}
	/* Every attribute of the configuration, as the PF reports it now. */
	if (!v.vf->link.present)
		strv_pushf(&drift, "the PF no longer reports VF %u", v.vf->index);
	for (size_t i = 0; v.vf->link.present && i < j->conf.settings.n; i++) {
		const struct sriov_vf_setting *st = &j->conf.settings.v[i];
		const char *want = st->text + strcspn(st->text, " ");
		char now[64];

		want += *want == ' ';
		sriov_vf_link_value(&v.vf->link, st->attr, now, sizeof(now));
		if (strcmp(now, want))
			strv_pushf(&drift, "%s is %s, configured %s",
				   sriov_vf_attr_info(st->attr)->key, now, want);
	}
	if (j->conf.ipam_type) {
		char *o = NULL;

		if (cni_ipam_exec(j->env->path, j->conf.ipam_type, "CHECK", j->env->container_id,
				  j->env->netns, j->env->ifname, j->conf_text, j->conf_len, &o,
				  err, sizeof(err)) < 0)
			strv_pushf(&drift, "%s", err);
		free(o);
	}
report:
	if (drift.n) {
		char msg[900];
		size_t n = 0;

		msg[0] = '\0';
		for (size_t i = 0; i < drift.n && n < sizeof(msg); i++)
			n += (size_t)snprintf(msg + n, sizeof(msg) - n, "%s%s", i ? "; " : "",
					      drift.v[i]);
		cni_fail(j, SRIOV_CNI_E_DRIFT, "%s (%s) as %s: %zu drift%s: %s", v.vfname[0] ?
			 v.vfname : s.address, s.address, j->env->ifname, drift.n,
			 drift.n == 1 ? "" : "s", msg);
	}
out:
	vfjob_close(&v);
	sriov_strv_clear(&drift);
	sriov_cni_state_clear(&s);
	return j->reply->code ? -1 : 0;
}

static int gc_one(const char *name, void *data)
{
	struct cni_job *j = data;
	struct sriov_cni_state s;
	char path[4200], err[512], key[300], *text, *t;
	size_t n = strlen(name);

	if (n < 6 || strcmp(name + n - 5, ".json"))
		return 0;
	snprintf(path, sizeof(path), "%s/%s", j->state_dir, name);
	if (read_record(path, &text) < 0)
		return 0;
	if (sriov_cni_state_parse(text, strlen(text), &s, err, sizeof(err)) < 0) {
		cni_log(j, "warning", "GC: %s is not an attachment record: %s", path, err);
		free(text);
		return 0;
	}
	free(text);
	snprintf(key, sizeof(key), "%s/%s", s.container_id, s.ifname);
	if (!str_same(s.network, j->conf.name) || strv_find(&j->conf.gc_valid, key) >= 0) {
		sriov_cni_state_clear(&s);
		return 0;
	}
	cni_log(j, "info", "GC: releasing %s (%s), not a valid attachment", key, s.address);
	if (release(j, &s) == 0) {
		t = ipam_of(s.conf);
		if (t && s.conf)
			ipam_del(j, t, s.container_id, s.netns, s.ifname, s.conf);
		free(t);
	}
	sriov_cni_state_clear(&s);
	return 0;
}

int cni_gc(struct cni_job *j)
{
	struct sriov_strv names = { 0 };
	DIR *d;
	struct dirent *e;

	if (!sriov_cni_version_11(j->conf.cni_version))
		return cni_fail(j, SRIOV_CNI_E_VERSION, "GC needs cniVersion 1.1.0; the configuration says %s",
				j->conf.cni_version);
	if (!j->conf.gc_given)
		return cni_fail(j, SRIOV_CNI_E_CONFIG, "GC needs \"cni.dev/valid-attachments\"");
	d = opendir(j->state_dir);
	if (!d)
		return errno == ENOENT ? 0 : cni_fail(j, SRIOV_CNI_E_IO, "cannot read %s: %s",
						       j->state_dir, strerror(errno));
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && strv_push(&names, e->d_name) < 0)
			break;
	closedir(d);
	for (size_t i = 0; i < names.n; i++)
		gc_one(names.v[i], j);
	sriov_strv_clear(&names);
	return j->reply->code ? -1 : 0;
}
