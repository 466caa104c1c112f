/* SPDX-License-Identifier: MIT */
/*
 * vf.persisted: whether something re-creates a PF's VF count at boot, and
 * the count it has now: a sriovctl policy that sriovctl-apply.service
 * applies, a udev rule (the host's rules run for the PF's events by
 * udevrules.c), /etc/rc.local when it is executable, a systemd unit under
 * /etc/systemd/system.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks/checks.h"
#include "checks/udevrules.h"
#include "io/root.h"
#include "util/strv.h"

#define BOOT_UNIT "sriovctl-apply.service"
#define FILE_MAX (1u << 20)   /* bytes read of one rules file, script or unit */

/* The rule sriovctl suggests: the PF by its PCI address at its PCI add
 * event with a driver bound (udev's replay at boot, when the driver bound
 * before udevd started) and at its bind (the driver binds later, or is
 * reloaded). Not the netdev's name: at its first add event a netdev still
 * has the kernel's name, udev renames it after the rules ran. Proven in
 * the lab (tests/lab/guest/udev.sh). */
#define RULE_FILE "/etc/udev/rules.d/70-sriov.rules"
#define RULE_FMT "ACTION==\"add|bind\", SUBSYSTEM==\"pci\", KERNEL==\"%s\", " \
		 "DRIVER==\"?*\", ATTR{sriov_numvfs}=\"%u\""

struct text_file {
	char path[256];   /* under the root, without the leading "/" */
	char *text;       /* NULL when absent or unreadable */
	size_t len;
	mode_t mode;
};

struct persist_set {
	struct sriov_policy *policy;   /* NULL: none, unreadable or with errors */
	bool boot_unit;                /* sriovctl-apply.service enabled */
	struct udev_rules *udev;
	bool udev_numvfs;              /* a rule assigns sriov_numvfs */
	struct text_file rc_local;
	struct text_file *units;
	size_t n_units;
};

/* A regular file of at most FILE_MAX bytes: not a FIFO that blocks, nor
 * the /dev/null that masks a udev rules file. 0 or -errno. */
static int read_text(struct check_run *r, const char *path, struct text_file *out)
{
	struct stat st;
	size_t len = 0;
	char *buf;
	int e, fd = rootfs_open(r->ctx->rfs, ROOTFS_TOP, path,
			     O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	snprintf(out->path, sizeof(out->path), "%s", path);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > FILE_MAX) {
		e = S_ISREG(st.st_mode) ? -EFBIG : -EINVAL;
		close(fd);
		return e;
	}
	e = rootfs_read_all(fd, FILE_MAX, &buf, &len);
	close(fd);
	if (e == -ENOMEM)
		r->err = e;
	if (e < 0)
		return e;
	out->text = buf;
	out->len = len;
	out->mode = st.st_mode;
	return 0;
}

/* ------------------------------------------------------ udev rules ---- */

/* udevd's directories, the first one's file winning over a file of the
 * same name in a later one. */
static const char *const rules_dirs[] = {
	"etc/udev/rules.d", "run/udev/rules.d", "usr/local/lib/udev/rules.d",
	"usr/lib/udev/rules.d", "lib/udev/rules.d",
};
#define N_RULES_DIRS (sizeof(rules_dirs) / sizeof(rules_dirs[0]))

struct rules_entry {
	const char *name;
	size_t dir;
};

static int entry_cmp(const void *a, const void *b)
{
	const struct rules_entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->dir > y->dir) - (x->dir < y->dir);
}

static bool rules_name(const char *n)
{
	size_t l = strlen(n);

	return n[0] != '.' && l > 6 && strcmp(n + l - 6, ".rules") == 0;
}

static void scan_udev(struct check_run *r, struct persist_set *set)
{
	struct sriov_strv names[N_RULES_DIRS] = { 0 };
	struct rules_entry *ent = NULL;
	size_t n = 0, cap = 0;

	if (udev_rules_new(&set->udev) < 0) {
		r->err = -ENOMEM;
		return;
	}
	for (size_t d = 0; d < N_RULES_DIRS; d++) {
		if (rootfs_list(r->ctx->rfs, ROOTFS_TOP, rules_dirs[d], &names[d]) < 0)
			continue;
		for (size_t i = 0; i < names[d].n; i++) {
			if (!rules_name(names[d].v[i]))
				continue;
			if (n == cap) {
				size_t nc = cap ? 2 * cap : 64;
				struct rules_entry *v = realloc(ent, nc * sizeof(*v));

				if (!v) {
					r->err = -ENOMEM;
					goto out;
				}
				ent = v;
				cap = nc;
			}
			ent[n++] = (struct rules_entry){ names[d].v[i], d };
		}
	}
	if (n)
		qsort(ent, n, sizeof(*ent), entry_cmp);
	for (size_t i = 0; i < n; i++) {
		struct text_file f = { 0 };
		char shown[300];

		if (i > 0 && strcmp(ent[i].name, ent[i - 1].name) == 0)
			continue;   /* overridden by the same name in an earlier dir */
		snprintf(shown, sizeof(shown), "%s/%s", rules_dirs[ent[i].dir], ent[i].name);
		if (read_text(r, shown, &f) < 0)
			continue;
		snprintf(shown, sizeof(shown), "/%s/%s", rules_dirs[ent[i].dir], ent[i].name);
		if (udev_rules_add(set->udev, shown, f.text, f.len) < 0)
			r->err = -ENOMEM;
		free(f.text);
	}
	set->udev_numvfs = udev_rules_assign_attr(set->udev, "sriov_numvfs");
out:
	free(ent);
	for (size_t d = 0; d < N_RULES_DIRS; d++)
		sriov_strv_clear(&names[d]);
}

/* The sysfs directories of an event's chain, for ATTR{} and ATTRS{}. */
struct chain {
	struct check_run *r;
	char dir[UDEV_CHAIN_MAX][300];
};

static const char *chain_attr(void *data, size_t level, const char *name,
			      char *buf, size_t len)
{
	struct chain *c = data;
	char path[600];
	ssize_t n;

	if (level >= UDEV_CHAIN_MAX || !c->dir[level][0])
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", c->dir[level], name);
	n = rootfs_read(c->r->ctx->rfs, ROOTFS_TOP, path, buf, len - 1);
	if (n < 0)
		return NULL;
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return buf;
}

/* What the writes of one boot's events leave in sriov_numvfs. */
struct outcome {
	const struct sriov_pf *pf;
	const char *event;           /* the event being run */
	bool set;                    /* a write succeeded */
	bool computed;               /* its value is known at the event only */
	unsigned cur;                /* VFs after the writes */
	char file[300], value[40], unsure[160];
	const char *at;              /* the event of the last write */
	unsigned line;
	/* the last write the kernel refused */
	char bad_file[300], bad_value[40];
	unsigned bad_line;
	const char *bad_why;
};

/* sriov_numvfs_store(): kstrtou16(buf, 0) */
static int kstrtou16(const char *s, unsigned *out)
{
	unsigned long v = 0;
	unsigned base = 10;
	const char *p = s;

	if (*p == '+')
		p++;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && p[2]) {
		base = 16;
		p += 2;
	} else if (p[0] == '0' && p[1]) {
		base = 8;
		p++;
	}
	if (!*p || *p == '\n')
		return -EINVAL;
	for (; *p && *p != '\n'; p++) {
		int d = *p >= '0' && *p <= '9' ? *p - '0' :
			*p >= 'a' && *p <= 'f' ? *p - 'a' + 10 :
			*p >= 'A' && *p <= 'F' ? *p - 'A' + 10 : 99;

		if ((unsigned)d >= base)
			return -EINVAL;
		v = v * base + (unsigned)d;
		if (v > 0xffff)
			return -ERANGE;
	}
	if (*p == '\n' && p[1])
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}

static int on_write(const struct udev_write *w, void *data)
{
	struct outcome *o = data;
	const char *why = NULL;
	unsigned v = 0;

	if (!w->computed) {
		if (kstrtou16(w->value, &v) < 0)
			why = "not a number";
		else if (v > o->pf->total_vfs)
			why = "above sriov_totalvfs";
		else if (!o->computed && v != o->cur && o->cur && v)
			why = "VFs enabled: the count goes through 0";
	}
	if (why) {
		snprintf(o->bad_file, sizeof(o->bad_file), "%s", w->file);
		snprintf(o->bad_value, sizeof(o->bad_value), "%s", w->value);
		o->bad_line = w->line;
		o->bad_why = why;
		return 0;
	}
	o->set = true;
	o->computed = w->computed;
	o->cur = v;
	o->at = o->event;
	o->line = w->line;
	snprintf(o->file, sizeof(o->file), "%s", w->file);
	snprintf(o->value, sizeof(o->value), "%s", w->value);
	snprintf(o->unsure, sizeof(o->unsure), "%s", w->unsure);
	return 0;
}

/* Names the kernel gives Ethernet devices (eth%d) before udev renames them. */
static const char *const kernel_names[] = { "eth0", "eth1", "eth10", NULL };

enum boot { BOOT_EARLY, BOOT_LATE };

/*
 * The PF's events at a boot: EARLY, its driver bound before udevd started
 * (in the initramfs): udevd gets the replayed add events of the PF and of
 * its netdev, which has its final name. LATE, the driver binds after
 * (its module loaded by udev, or reloaded): the netdev's add, with the
 * kernel's name when udev renames it, then the PF's bind. The PCI add of
 * that boot comes before any driver, where a write fails.
 */
static int run_boot(struct check_run *r, const struct persist_set *set,
		    const struct sriov_pf *pf, bool renamed, enum boot boot,
		    struct outcome *o)
{
	const char *nd = pf->n_netdevs ? pf->netdevs[0].name : NULL;
	char drv_env[96], slot_env[64], id_env[32], ifname_env[96];
	const char *pci_env[] = { boot == BOOT_EARLY ? "ACTION=add" : "ACTION=bind",
				  "SUBSYSTEM=pci", drv_env, slot_env, id_env, "DEVPATH",
				  "MODALIAS", "PCI_CLASS", "PCI_SUBSYS_ID", "SEQNUM", NULL };
	const char *net_env[] = { "ACTION=add", "SUBSYSTEM=net", ifname_env, "IFINDEX",
				  "DEVPATH", "SEQNUM", NULL };
	struct chain ch = { .r = r };
	struct udev_event pci = {
		.action = boot == BOOT_EARLY ? "add" : "bind",
		.dev = { { pf->address, "pci", pf->driver } }, .n_dev = 1,
		.env = pci_env, .attr = "sriov_numvfs", .attr_path = "sriov_numvfs",
		.attr_subsystem = "pci", .attr_kernel = pf->address,
		.sysattr = chain_attr, .data = &ch,
	};
	struct udev_event net = pci;
	char pci_event[96], net_event[96];
	int e = 0;

	snprintf(drv_env, sizeof(drv_env), "DRIVER=%s", pf->driver ? pf->driver : "");
	snprintf(slot_env, sizeof(slot_env), "PCI_SLOT_NAME=%s", pf->address);
	snprintf(id_env, sizeof(id_env), "PCI_ID=%04X:%04X", pf->vendor_id, pf->device_id);
	snprintf(ifname_env, sizeof(ifname_env), "INTERFACE=%s", nd ? nd : "");
	snprintf(pci_event, sizeof(pci_event), "the PCI %s event of %s",
		 pci.action, pf->address);
	if (nd) {
		bool kname = boot == BOOT_EARLY || !renamed;

		snprintf(net_event, sizeof(net_event), "the add event of %s", nd);
		net.action = "add";
		net.dev[0] = (struct udev_device){ kname ? nd : NULL, "net", NULL };
		net.dev[1] = pci.dev[0];
		net.n_dev = 2;
		net.kernel_like = kernel_names;
		if (!kname)
			net_env[2] = "INTERFACE";
		net.env = net_env;
		net.net_driver = pf->driver;
		net.net_name = nd;
		net.attr_path = "device/sriov_numvfs";
	}
	snprintf(ch.dir[0], sizeof(ch.dir[0]), "sys/bus/pci/devices/%s", pf->address);
	memset(o, 0, sizeof(*o));
	o->pf = pf;
	if (boot == BOOT_EARLY) {
		o->event = pci_event;
		e = udev_rules_run(set->udev, &pci, on_write, o);
	}
	if (!e && nd) {
		snprintf(ch.dir[0], sizeof(ch.dir[0]), "sys/class/net/%s", nd);
		snprintf(ch.dir[1], sizeof(ch.dir[1]), "sys/bus/pci/devices/%s", pf->address);
		o->event = net_event;
		e = udev_rules_run(set->udev, &net, on_write, o);
		ch.dir[1][0] = '\0';
	}
	if (!e && boot == BOOT_LATE) {
		snprintf(ch.dir[0], sizeof(ch.dir[0]), "sys/bus/pci/devices/%s", pf->address);
		o->event = pci_event;
		e = udev_rules_run(set->udev, &pci, on_write, o);
	}
	/* the event strings live on this stack */
	if (o->at)
		o->at = o->at == pci_event ? (boot == BOOT_EARLY ? "its PCI add event" :
					      "its PCI bind event") : "its netdev's add event";
	o->event = NULL;
	return e;
}

static bool name_renamed(struct check_run *r, const char *nd)
{
	char path[300], buf[16];
	ssize_t n;

	snprintf(path, sizeof(path), "sys/class/net/%s/name_assign_type", nd);
	n = rootfs_read(r->ctx->rfs, ROOTFS_TOP, path, buf, sizeof(buf));
	return n >= 1 && buf[0] == '4' && (n == 1 || buf[1] == '\n');  /* NET_NAME_RENAMED */
}

/* A finding of one persistence form: SRIOV_SEV_OK or _WARN, or none. */
struct verdict {
	int sev;                   /* -1: this form says nothing about the PF */
	char evidence[768];
	char remedy[512];
};

static void suggested(const struct sriov_pf *pf, char *buf, size_t len)
{
	char rule[256];

	snprintf(rule, sizeof(rule), RULE_FMT, pf->address, pf->num_vfs);
	snprintf(buf, len, "add to " RULE_FILE ": %s", rule);
}

static bool outcome_ok(const struct outcome *o, unsigned want)
{
	return o->set && (o->computed || o->cur == want);
}

static void unsure_note(const struct outcome *o, char *buf, size_t len)
{
	if (o->computed)
		snprintf(buf, len, " (\"%s\", computed at the event)", o->value);
	else if (o->unsure[0])
		snprintf(buf, len, ", if %s holds (sriovctl does not evaluate it)", o->unsure);
	else
		buf[0] = '\0';
}

static void udev_verdict(struct check_run *r, const struct persist_set *set,
			 const struct sriov_pf *pf, struct verdict *v)
{
	const char *nd = pf->n_netdevs ? pf->netdevs[0].name : NULL;
	const char *name = nd ? nd : pf->address;
	const char *drv = pf->driver ? pf->driver : "its driver";
	struct outcome early, late;
	bool renamed = nd && name_renamed(r, nd);
	char note[256];
	int e;

	v->sev = -1;
	if (!set->udev || !set->udev_numvfs)
		return;
	if ((e = run_boot(r, set, pf, renamed, BOOT_EARLY, &early)) < 0 ||
	    (e = run_boot(r, set, pf, renamed, BOOT_LATE, &late)) < 0) {
		r->err = e;
		return;
	}
	suggested(pf, v->remedy, sizeof(v->remedy));
	if (outcome_ok(&early, pf->num_vfs) && outcome_ok(&late, pf->num_vfs)) {
		v->sev = SRIOV_SEV_OK;
		v->remedy[0] = '\0';
		unsure_note(&late, note, sizeof(note));
		snprintf(v->evidence, sizeof(v->evidence),
			 "%s:%u writes sriov_numvfs for %s at %s%s", late.file, late.line,
			 name, late.at, note);
		return;
	}
	v->sev = SRIOV_SEV_WARN;
	if (early.set && late.set) {
		const struct outcome *o = outcome_ok(&late, pf->num_vfs) ? &early : &late;

		snprintf(v->evidence, sizeof(v->evidence),
			 "%s:%u sets sriov_numvfs of %s to %u, but %u VF%s enabled: after a reboot it has %u",
			 o->file, o->line, name, o->cur, pf->num_vfs,
			 pf->num_vfs == 1 ? " is" : "s are", o->cur);
		return;
	}
	if (early.set) {
		snprintf(v->evidence, sizeof(v->evidence),
			 "%s:%u writes sriov_numvfs for %s only at udev's replayed add events, when %s was bound before udevd started (initramfs); when %s binds later (its module loaded by udev, a reload) no rule sets it%s",
			 early.file, early.line, name, drv, drv,
			 renamed ? ": udev gave the netdev its name (name_assign_type 4), at its first add event it still has the kernel's" : "");
		return;
	}
	if (late.set) {
		snprintf(v->evidence, sizeof(v->evidence),
			 "%s:%u writes sriov_numvfs for %s only when %s binds after udevd started; when it was bound before (initramfs), udev replays only add events and no rule sets it",
			 late.file, late.line, name, drv);
		return;
	}
	if (late.bad_why || early.bad_why) {
		const struct outcome *o = late.bad_why ? &late : &early;

		snprintf(v->evidence, sizeof(v->evidence),
			 "%s:%u writes \"%s\" to sriov_numvfs of %s, which the kernel refuses (%s)",
			 o->bad_file, o->bad_line, o->bad_value, name, o->bad_why);
		return;
	}
	v->sev = -1;
}

/* ------------------------------------------- scripts, units, policy ---- */

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.' || c == ':';
}

/* @word in @s[0..n) with no name character either side: "enp49s0f1" is
 * not in "enp49s0f10", nor "ens1f0" in "ens1f0.100". */
static bool has_word(const char *s, size_t n, const char *word)
{
	size_t w = word ? strlen(word) : 0;

	if (!w)
		return false;
	for (size_t i = 0; i + w <= n; i++)
		if (memcmp(s + i, word, w) == 0 && (i == 0 || !name_char(s[i - 1])) &&
		    (i + w == n || !name_char(s[i + w])))
			return true;
	return false;
}

/* `echo N` on a line: N, else -1. */
static long echo_value(const char *s, size_t n)
{
	for (size_t i = 0; i + 5 <= n; i++) {
		size_t k;
		long v = 0;

		if (memcmp(s + i, "echo", 4) || (i && name_char(s[i - 1])) ||
		    (s[i + 4] != ' ' && s[i + 4] != '\t'))
			continue;
		k = i + 4;
		while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '"' || s[k] == '\''))
			k++;
		if (k >= n || s[k] < '0' || s[k] > '9')
			continue;
		while (k < n && s[k] >= '0' && s[k] <= '9' && v < 100000)
			v = v * 10 + (s[k++] - '0');
		return v;
	}
	return -1;
}

/*
 * A shell script or unit that writes sriov_numvfs (on a line that is not
 * a comment) and names the PF by its PCI address or netdev (anywhere
 * outside comments). *@line, *@value: the last line writing sriov_numvfs
 * and naming the PF, with its `echo N` (-1: not known).
 */
static bool script_writes(const struct text_file *f, const char *addr, const char *nd,
			  bool unit, const char **named, unsigned *line, long *value)
{
	bool writes = false, names = false;
	unsigned nr = 0;

	*line = 0;
	*value = -1;
	for (size_t pos = 0; pos < f->len;) {
		const char *s = f->text + pos, *eol = memchr(s, '\n', f->len - pos);
		size_t n = eol ? (size_t)(eol - s) : f->len - pos;
		size_t k = 0;
		bool w, a, d;

		pos += n + 1;
		nr++;
		while (k < n && (s[k] == ' ' || s[k] == '\t'))
			k++;
		if (k < n && (s[k] == '#' || (unit && s[k] == ';')))
			continue;
		w = n >= 12 && memmem(s, n, "sriov_numvfs", 12);
		a = has_word(s, n, addr);
		d = has_word(s, n, nd);
		writes |= w;
		if (a || d) {
			if (!names || a)
				*named = a ? addr : nd;
			names = true;
		}
		if (w && (a || d)) {
			*line = nr;
			*value = echo_value(s, n);
		}
	}
	return writes && names;
}

static void script_verdict(const struct text_file *f, const struct sriov_pf *pf,
			   bool unit, struct verdict *v)
{
	const char *nd = pf->n_netdevs ? pf->netdevs[0].name : NULL;
	const char *named = NULL;
	unsigned line;
	long value;

	v->sev = -1;
	v->remedy[0] = '\0';
	if (!f->text || !script_writes(f, pf->address, nd, unit, &named, &line, &value))
		return;
	if (value >= 0 && (unsigned long)value != pf->num_vfs) {
		v->sev = SRIOV_SEV_WARN;
		snprintf(v->remedy, sizeof(v->remedy), "write %u, not %ld, at /%s:%u",
			 pf->num_vfs, value, f->path, line);
		snprintf(v->evidence, sizeof(v->evidence),
			 "/%s:%u writes %ld to sriov_numvfs of %s, but %u VF%s enabled: after a reboot it has %ld",
			 f->path, line, value, named, pf->num_vfs,
			 pf->num_vfs == 1 ? " is" : "s are", value);
		return;
	}
	/* rc-local.service: ConditionFileIsExecutable=/etc/rc.local */
	if (!unit && !(f->mode & 0111)) {
		v->sev = SRIOV_SEV_WARN;
		snprintf(v->remedy, sizeof(v->remedy), "chmod +x /%s", f->path);
		snprintf(v->evidence, sizeof(v->evidence),
			 "/%s writes sriov_numvfs for %s, but it is not executable: rc-local.service runs it only when it is",
			 f->path, named);
		return;
	}
	v->sev = SRIOV_SEV_OK;
	snprintf(v->evidence, sizeof(v->evidence), "/%s writes sriov_numvfs for %s",
		 f->path, named);
}

static void policy_verdict(const struct check_run *r, const struct persist_set *set,
			   const struct sriov_pf *pf, struct verdict *v)
{
	const struct sriov_policy *p = set->policy;

	v->sev = -1;
	v->remedy[0] = '\0';
	for (size_t i = 0; p && i < p->n_pfs; i++) {
		const struct sriov_policy_pf *e = &p->pfs[i];
		const struct sriov_pf *m[64];
		size_t n = sriov_policy_match(r->host, e, m, 64);
		char named[64];
		bool mine = false;

		for (size_t k = 0; k < n && k < 64; k++)
			mine |= m[k] == pf;
		if (!mine || !(e->set & (1u << SRIOV_PPF_NUM_VFS)))
			continue;
		if (e->value)
			snprintf(named, sizeof(named), "%s", e->value);
		else
			snprintf(named, sizeof(named), "%04x:%04x", e->vendor_id, e->device_id);
		if (!set->boot_unit) {
			v->sev = SRIOV_SEV_WARN;
			snprintf(v->remedy, sizeof(v->remedy), "systemctl enable " BOOT_UNIT);
			snprintf(v->evidence, sizeof(v->evidence),
				 "%s is a sriovctl policy naming %s, but " BOOT_UNIT
				 " is not enabled: nothing applies it at boot", e->loc.file, named);
		} else if (e->num_vfs != pf->num_vfs) {
			v->sev = SRIOV_SEV_WARN;
			snprintf(v->remedy, sizeof(v->remedy),
				 "set num_vfs: %u at %s:%u, or apply the policy: sriovctl apply",
				 pf->num_vfs, e->at[SRIOV_PPF_NUM_VFS].file,
				 e->at[SRIOV_PPF_NUM_VFS].line);
			snprintf(v->evidence, sizeof(v->evidence),
				 "%s:%u (a sriovctl policy naming %s) sets num_vfs: %u, but %u VF%s enabled: after a reboot it has %u",
				 e->at[SRIOV_PPF_NUM_VFS].file, e->at[SRIOV_PPF_NUM_VFS].line,
				 named, e->num_vfs, pf->num_vfs, pf->num_vfs == 1 ? " is" : "s are",
				 e->num_vfs);
		} else {
			v->sev = SRIOV_SEV_OK;
			snprintf(v->evidence, sizeof(v->evidence),
				 "%s is a sriovctl policy naming %s, applied at boot by " BOOT_UNIT,
				 e->loc.file, named);
		}
		return;
	}
}

/* ---------------------------------------------------------- the set ---- */

/* `systemctl enable` puts a link to the unit in a target's .wants dir. */
static int wants_entry(const char *name, void *data)
{
	struct check_run *r = data;
	size_t n = strlen(name);
	char path[320], target[256];

	if (n < 6 || strcmp(name + n - 6, ".wants") != 0)
		return 0;
	snprintf(path, sizeof(path), "etc/systemd/system/%s/" BOOT_UNIT, name);
	return rootfs_readlink(r->ctx->rfs, ROOTFS_TOP, path, target, sizeof(target)) >= 0 ||
	       rootfs_exists(r->ctx->rfs, ROOTFS_TOP, path);
}

struct persist_set *persist_scan(struct check_run *r)
{
	struct persist_set *set = calloc(1, sizeof(*set));
	struct sriov_strv units = { 0 };
	char err[256];
	int e;

	if (!set) {
		r->err = -ENOMEM;
		return NULL;
	}
	e = sriov_policy_load(r->ctx, NULL, &set->policy, err, sizeof(err));
	if (e == -ENOMEM)
		r->err = e;
	if (e < 0 || (set->policy && set->policy->n_errors)) {
		/* apply refuses it; policy.drift says why */
		sriov_policy_free(set->policy);
		set->policy = NULL;
	}
	set->boot_unit = rootfs_foreach(r->ctx->rfs, ROOTFS_TOP, "etc/systemd/system",
					wants_entry, r) > 0;
	scan_udev(r, set);
	read_text(r, "etc/rc.local", &set->rc_local);
	if (rootfs_list(r->ctx->rfs, ROOTFS_TOP, "etc/systemd/system", &units) == 0) {
		set->units = calloc(units.n ? units.n : 1, sizeof(*set->units));
		if (!set->units)
			r->err = -ENOMEM;
		for (size_t i = 0; set->units && i < units.n; i++) {
			const char *n = units.v[i];
			size_t l = strlen(n);
			char path[300];

			if (l < 9 || strcmp(n + l - 8, ".service") != 0)
				continue;
			snprintf(path, sizeof(path), "etc/systemd/system/%s", n);
			if (read_text(r, path, &set->units[set->n_units]) == 0)
				set->n_units++;
		}
		sriov_strv_clear(&units);
	}
	return set;
}

void persist_free(struct persist_set *set)
{
	if (!set)
		return;
	sriov_policy_free(set->policy);
	udev_rules_free(set->udev);
	free(set->rc_local.text);
	for (size_t i = 0; i < set->n_units; i++)
		free(set->units[i].text);
	free(set->units);
	free(set);
}

void persist_check(struct check_run *r, const struct persist_set *set,
		   const struct sriov_pf *pf)
{
	const char *nd = pf->n_netdevs ? pf->netdevs[0].name : NULL;
	struct verdict *v, *warn = NULL;
	size_t n = 0, max = 3 + (set ? set->n_units : 0);
	char remedy[512];

	if (pf->num_vfs == 0 || !set)
		return;
	if (strcmp(pf->bus, "pci") != 0) {
		check_add(r, "vf.persisted", SRIOV_SEV_SKIP, check_pf_name(pf), NULL,
			  "%s is a %s device, created at run time with its VFs", pf->address, pf->bus);
		return;
	}
	if (!(v = calloc(max, sizeof(*v)))) {
		r->err = -ENOMEM;
		return;
	}
	policy_verdict(r, set, pf, &v[n++]);
	udev_verdict(r, set, pf, &v[n++]);
	script_verdict(&set->rc_local, pf, false, &v[n++]);
	for (size_t i = 0; i < set->n_units; i++)
		script_verdict(&set->units[i], pf, true, &v[n++]);
	for (size_t i = 0; i < n; i++) {
		if (v[i].sev == SRIOV_SEV_OK) {
			check_add(r, "vf.persisted", SRIOV_SEV_OK, check_pf_name(pf), NULL,
				  "%s", v[i].evidence);
			free(v);
			return;
		}
		if (v[i].sev == SRIOV_SEV_WARN && !warn)
			warn = &v[i];
	}
	if (warn) {
		check_add(r, "vf.persisted", SRIOV_SEV_WARN, check_pf_name(pf),
			  warn->remedy[0] ? warn->remedy : NULL, "%s", warn->evidence);
		free(v);
		return;
	}
	free(v);
	suggested(pf, remedy, sizeof(remedy));
	check_add(r, "vf.persisted", SRIOV_SEV_WARN, check_pf_name(pf), remedy,
		  "%u VF%s enabled, but no sriovctl policy, udev rule, executable /etc/rc.local or systemd unit under /etc sets sriov_numvfs for %s: they are gone after a reboot",
		  pf->num_vfs, pf->num_vfs == 1 ? "" : "s", nd ? nd : pf->address);
}
