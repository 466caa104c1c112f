/* SPDX-License-Identifier: MIT */
/*
 * sriovctl export: resolve the VFs, decide what the output says about each
 * (the guest's MAC, the VLAN), and refuse what the consumer would refuse
 * later — a group vfio cannot take, a host without IOMMU (the check
 * registry's own checks), a MAC address twice on the host.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_ether.h>

#include "export/export.h"
#include "util/errbuf.h"
#include "util/strv.h"

/* "ens1f0/vf3" (or the PF's address when it has no netdev), as the checks name VFs. */
static void vf_label(const struct sriov_pf *pf, const struct sriov_vf *vf,
		     char *buf, size_t len)
{
	snprintf(buf, len, "%s/vf%u",
		 pf->n_netdevs ? pf->netdevs[0].name : pf->address, vf->index);
}

const char *export_host_mac(const struct sriov_vf *vf)
{
	const char *m = vf->link.present && vf->link.mac[0] ? vf->link.mac
							      : vf->mac;

	return m && strcmp(m, "00:00:00:00:00:00") != 0 ? m : NULL;
}

const char *export_vf_name(const struct export_vf *v)
{
	for (const char *c = v->label; *c; c++)
		if ((unsigned char)*c < 0x21 || (unsigned char)*c > 0x7e)
			return v->vf->address;
	return v->label;
}

/* "no SR-IOV PF or VF named ..." with the close names, as `show` gives them. */
static int not_found(const struct sriov_host *host, const char *name,
		     char *err, size_t errlen)
{
	struct sriov_strv hints = { 0 };
	size_t len;

	errset(err, errlen, -ENOENT, "no SR-IOV PF or VF named '%s' under %s", name,
	     host->root);
	if (sriov_host_suggest(host, name, 3, &hints) == 0 && hints.n) {
		for (size_t i = 0; i < hints.n; i++) {
			len = strlen(err);
			snprintf(err + len, errlen - len, "%s%s",
				 i ? ", " : "; did you mean: ", hints.v[i]);
		}
		len = strlen(err);
		snprintf(err + len, errlen - len, "?");
	} else {
		len = strlen(err);
		snprintf(err + len, errlen - len, "; 'sriovctl list' shows them");
	}
	sriov_strv_clear(&hints);
	return -ENOENT;
}

static int resolve_error(struct sriov_ctx *ctx, const struct sriov_host *host,
			 const char *name, int r, char *err, size_t errlen)
{
	char *addr = NULL, *drv = NULL;
	int n;

	switch (r) {
	case -EINVAL:
		if (strncmp(name, "pci_", 4) == 0)
			return errset(err, errlen, r, "'%s' is not a libvirt node device name: pci_DDDD_BB_SS_F in hex (pci_0000_3b_00_0)",
				    name);
		return errset(err, errlen, r, "'%s' is not a device name: use a VF (ens1f0/vf3, its PCI address or netdev), VFs of one PF (ens1f0/vf0-3) or a PF (all its VFs)",
			    name);
	case -ERANGE:
		n = (int)strcspn(name, "/");
		return errset(err, errlen, r, "%s: the PF has no VF with that index (see 'sriovctl show %.*s')",
			    name, n, name);
	case -ENODATA:
		return errset(err, errlen, r, "%s is a PF without VFs: create them first (sriovctl pf %s set-vfs N)",
			    name, name);
	case -ENOTUNIQ:
		return errset(err, errlen, r, "'%s' matches devices in several PCI domains: give the full address (DDDD:BB:DD.F)",
			    name);
	case -ENOENT:
		break;
	default:
		return errset(err, errlen, r, "%s: %s", name, strerror(-r));
	}
	if (sriov_lookup_non_sriov(ctx, name, &addr, &drv) == 0 && addr) {
		errset(err, errlen, r, "%s is PCI device %s (driver %s) without SR-IOV: export takes VFs and SR-IOV PFs; 'sriovctl list' shows them",
		     name, addr, drv ? drv : "none");
		free(addr);
		free(drv);
		return r;
	}
	free(addr);
	free(drv);
	return not_found(host, name, err, errlen);
}

/* --mac: unicast, not zero, through `vf set mac`'s parser; into "aa:bb:..". */
static int mac_option(const char *s, char out[18], char *err, size_t errlen)
{
	char *argv[] = { "mac", (char *)s };
	struct sriov_vf_settings set = { 0 };
	char why[256] = "";
	const uint8_t *m;
	int r;

	r = sriov_vf_settings_parse(2, argv, &set, why, sizeof(why));
	if (r == -ENOMEM)
		return r;
	if (r < 0 || set.n != 1)
		return errset(err, errlen, -EINVAL, "--mac %s: %s", s, why);
	m = set.v[0].mac;
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	sriov_vf_settings_clear(&set);
	if (strcmp(out, "00:00:00:00:00:00") == 0)
		return errset(err, errlen, -EINVAL, "--mac %s: the guest's interface needs a real address (unicast, not zero)",
			    s);
	return 0;
}

/* The options a format does not take are refused, not ignored (--mac:
 * set_macs). */
static int check_takes(const struct export_format *f,
		       const struct sriov_export_opts *o, char *err, size_t errlen)
{
	const struct {
		unsigned flag;
		const char *option;
		bool given;
	} opts[] = {
		{ SRIOV_EXPORT_TAKES_NAME, "--name", o->name != NULL },
		{ SRIOV_EXPORT_TAKES_PHYSNET, "--physnet", o->physnet != NULL },
		{ SRIOV_EXPORT_TAKES_RELEASE, "--release", o->release != NULL },
		{ SRIOV_EXPORT_TAKES_NAMESPACE, "--namespace", o->k8s_namespace != NULL },
	};

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (opts[i].given && !(f->info.takes & opts[i].flag))
			return errset(err, errlen, -EINVAL, "%s is not an option of %s",
				      opts[i].option, f->info.name);
	return 0;
}

/* libvirt's network names: no '/'; kept to what a shell and a file name take. */
static int check_name(const struct export_format *f,
		      const struct sriov_export_opts *o, char *err, size_t errlen)
{
	size_t n;

	if (!(f->info.takes & SRIOV_EXPORT_TAKES_NAME))
		return 0;
	if (!o->name && (f->checks & EXPORT_NAME_OPTIONAL))
		return 0;
	if (!o->name)
		return errset(err, errlen, -EINVAL, "%s needs --name NAME, the network's name",
			      f->info.name);
	if (f->checks & EXPORT_K8S_NAME)
		return 0;
	n = strlen(o->name);
	if (n == 0 || n > SRIOV_EXPORT_NAME_MAX || o->name[0] == '-' ||
	    o->name[0] == '.')
		goto bad;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)o->name[i];

		if (!isascii(c) || !(isalnum(c) || strchr("-_.+:@", c)))
			goto bad;
	}
	return 0;
bad:
	return errset(err, errlen, -EINVAL, "--name '%s': a network name is 1..%d of A-Z a-z 0-9 - _ . + : @, not starting with - or .",
		    o->name, SRIOV_EXPORT_NAME_MAX);
}

struct build {
	struct sriov_ctx *ctx;
	const struct sriov_host *host;
	const struct sriov_export_opts *opts;
	const struct export_format *fmt;
	char host_id[64];      /* the machine id for the policy's `mac: auto`; "": none */
	struct sriov_export *ex;
	struct export_vf *vfs;
	const char *pf_dev;
	char *err;
	size_t errlen;
};

/*
 * The policy's range holding @v's VF (the first; ranges of one VF agree,
 * the policy's validation sees to it) and the pool any range gives it.
 * Where the host has no MAC for the VF yet, the policy's is the guest's.
 */
static void policy_of(struct build *b, struct export_vf *v)
{
	const struct sriov_policy *p = b->opts->policy;

	for (size_t i = 0; p && i < p->n_pfs; i++) {
		const struct sriov_policy_pf *e = &p->pfs[i];
		const struct sriov_pf *m[64];
		size_t n = sriov_policy_match(b->host, e, m, 64);
		bool mine = false;

		for (size_t k = 0; k < n && k < 64; k++)
			mine |= m[k] == v->pf;
		for (size_t j = 0; mine && j < e->n_vfs; j++) {
			const struct sriov_policy_vfs *r = &e->vfs[j];

			if (v->vf->index < r->first || v->vf->index > r->last)
				continue;
			if (!v->policy)
				v->policy = r;
			if (!v->pool && r->pool)
				v->pool = r->pool;
		}
	}
	if (v->mac[0] || !v->policy || !(v->policy->set & (1u << SRIOV_VF_ATTR_MAC)))
		return;
	if (!v->policy->mac_auto) {
		const uint8_t *m = v->policy->mac;

		snprintf(v->mac, sizeof(v->mac), "%02x:%02x:%02x:%02x:%02x:%02x",
			 m[0], m[1], m[2], m[3], m[4], m[5]);
	} else if (b->host_id[0]) {
		uint8_t m[6];

		sriov_policy_mac_auto(b->host_id, strlen(b->host_id), v->pf->address,
				      v->vf->index, m);
		snprintf(v->mac, sizeof(v->mac), "%02x:%02x:%02x:%02x:%02x:%02x",
			 m[0], m[1], m[2], m[3], m[4], m[5]);
	}
}

static int add_vf(struct build *b, const char *name, const struct sriov_vf_ref *ref)
{
	struct sriov_export *ex = b->ex;
	struct export_vf *v;
	const struct sriov_vf *vf = ref->vf;
	const char *label;
	void *p;

	for (size_t i = 0; i < ex->n_vfs; i++)
		if (ex->vfs[i].vf == vf)
			return errset(b->err, b->errlen, -EINVAL, "%s: VF %s (%s) is named twice",
				    name, b->vfs[i].label, vf->address);
	p = realloc(ex->vfs, (ex->n_vfs + 1) * sizeof(*ex->vfs));
	if (!p)
		return -ENOMEM;
	ex->vfs = p;
	p = realloc(b->vfs, (ex->n_vfs + 1) * sizeof(*b->vfs));
	if (!p)
		return -ENOMEM;
	b->vfs = p;
	v = &b->vfs[ex->n_vfs];
	memset(v, 0, sizeof(*v));
	v->pf = ref->pf;
	v->vf = vf;
	vf_label(ref->pf, vf, v->label, sizeof(v->label));
	label = v->label;
	if ((ref->pf->bus && strcmp(ref->pf->bus, "pci") != 0) ||
	    pci_addr_parse(vf->address, &v->addr, NULL) < 0) {
		if (b->fmt->checks & EXPORT_NEED_PCI)
			return errset(b->err, b->errlen, -ENODEV, "%s: VF %s has no PCI address: %s assigns PCI devices",
				    name, label, b->fmt->info.consumer);
		memset(&v->addr, 0, sizeof(v->addr));
	} else if (v->addr.domain > 0xffff && (b->fmt->checks & EXPORT_NEED_PCI))
		return errset(b->err, b->errlen, -ENODEV, "%s: VF %s is in PCI domain %x: %s takes 16-bit domains only (a VMD domain cannot be assigned)",
			    name, label, v->addr.domain, b->fmt->info.consumer);
	if (vf->link.present && vf->link.vlan) {
		if (vf->link.vlan_proto == ETH_P_8021AD)
			return errset(b->err, b->errlen, -EDOM, "%s: VF %s has an 802.1ad VLAN (%u): %s sets 802.1Q tags only; 'sriovctl vf %s set vlan %u proto 802.1Q' first",
				    name, label, vf->link.vlan, b->fmt->info.consumer, label, vf->link.vlan);
		if (vf->link.vlan > 4094)
			return errset(b->err, b->errlen, -EDOM, "%s: VF %s has VLAN %u, which no guest can use (1..4094)",
				    name, label, vf->link.vlan);
		v->vlan = vf->link.vlan;
	}
	if (export_host_mac(vf))
		snprintf(v->mac, sizeof(v->mac), "%s", export_host_mac(vf));
	policy_of(b, v);
	ex->vfs[ex->n_vfs++] = *ref;
	return 0;
}

/*
 * A netdev name XML can carry: the kernel allows control bytes in one,
 * which XML 1.0 cannot hold even escaped. Such a PF's VFs go by address.
 */
static bool xml_name(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x21 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

static int resolve_all(struct build *b, const char *const *devices, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct sriov_vf_refs refs = { 0 };
		const struct sriov_pf *pf;
		const struct sriov_vf *vf;
		int r = sriov_host_resolve_vfs(b->host, devices[i], &refs);

		if (r < 0)
			return resolve_error(b->ctx, b->host, devices[i], r,
					     b->err, b->errlen);
		/* a whole PF alone makes a network of <pf dev>: its VFs then */
		if (n == 1 && b->opts->format == SRIOV_EXPORT_LIBVIRT_NETWORK &&
		    sriov_host_resolve(b->host, devices[i], &pf, &vf) == 0 &&
		    !vf && pf->n_netdevs && xml_name(pf->netdevs[0].name))
			b->pf_dev = pf->netdevs[0].name;
		for (size_t j = 0; j < refs.n && r == 0; j++)
			r = add_vf(b, devices[i], &refs.v[j]);
		sriov_vf_refs_clear(&refs);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The pool names of the policy, once each, for an error naming them. */
static void pool_names(const struct sriov_policy *p, char *buf, size_t len)
{
	struct sriov_strv names = { 0 };
	size_t w = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < p->n_pfs; i++)
		for (size_t j = 0; j < p->pfs[i].n_vfs; j++) {
			const char *name = p->pfs[i].vfs[j].pool;

			if (name && strv_find(&names, name) < 0 &&
			    strv_push(&names, name) == 0 && w < len)
				w += (size_t)snprintf(buf + w, len - w, "%s%s",
						      w ? ", " : "", name);
		}
	sriov_strv_clear(&names);
}

/*
 * --pool NAME: every VF of every range with `pool: NAME`, on every PF its
 * entry matches, in policy order. A VF the range names that the host
 * does not have yet is an error: the policy is not applied.
 */
static int resolve_pool(struct build *b)
{
	const struct sriov_policy *p = b->opts->policy;
	const char *pool = b->opts->pool;
	bool found = false;
	char names[256];
	int r = 0;

	if (!p)
		return errset(b->err, b->errlen, -EINVAL, "--pool %s: pools are the policy's: give it with -f FILE (or write /%s)",
			    pool, SRIOV_POLICY_PATH);
	for (size_t i = 0; i < p->n_pfs && r == 0; i++) {
		const struct sriov_policy_pf *e = &p->pfs[i];
		const struct sriov_pf *m[64];
		size_t n = 0;

		for (size_t j = 0; j < e->n_vfs && r == 0; j++) {
			const struct sriov_policy_vfs *rg = &e->vfs[j];

			if (!rg->pool || strcmp(rg->pool, pool) != 0)
				continue;
			if (!found || !n)
				n = sriov_policy_match(b->host, e, m, 64);
			found = true;
			if (n == 0)
				return errset(b->err, b->errlen, -ENOENT, "--pool %s: the policy's entry at %s:%u matches no SR-IOV PF of this host",
					    pool, e->loc.file, e->loc.line);
			for (size_t k = 0; k < n && k < 64 && r == 0; k++)
				for (unsigned x = rg->first; x <= rg->last && r == 0; x++) {
					struct sriov_vf_ref ref = { .pf = m[k] };
					bool dup = false;

					for (size_t y = 0; y < m[k]->n_vfs; y++)
						if (m[k]->vfs[y].index == x)
							ref.vf = &m[k]->vfs[y];
					if (!ref.vf)
						return errset(b->err, b->errlen, -ENODATA, "--pool %s: %s has no VF %u (the policy's range at %s:%u): 'sriovctl apply' creates it",
							    pool, m[k]->n_netdevs ? m[k]->netdevs[0].name : m[k]->address,
							    x, rg->loc.file, rg->loc.line);
					for (size_t y = 0; y < b->ex->n_vfs; y++)
						dup |= b->ex->vfs[y].vf == ref.vf;
					/* named as a device too, or by two ranges: once */
					if (!dup)
						r = add_vf(b, pool, &ref);
				}
		}
	}
	if (r == 0 && !found) {
		pool_names(p, names, sizeof(names));
		return errset(b->err, b->errlen, -ENOENT, "--pool %s: the policy has no such pool (%s%s)",
			    pool, names[0] ? "its pools: " : "it names none; give VF ranges a 'pool:'",
			    names);
	}
	return r;
}

static int add_problem(struct sriov_export *ex, const char *check,
		       const char *subject, const char *evidence,
		       const char *remedy)
{
	struct sriov_export_problem *p;

	p = realloc(ex->problems, (ex->n_problems + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	ex->problems = p;
	p = &ex->problems[ex->n_problems++];
	p->check = check;
	p->subject = subject ? strdup(subject) : NULL;
	p->evidence = strdup(evidence);
	p->remedy = remedy ? strdup(remedy) : NULL;
	if ((subject && !p->subject) || !p->evidence || (remedy && !p->remedy))
		return -ENOMEM;
	return 0;
}

/*
 * The registry's checks of what vfio and libvirt need: iommu.active for
 * the host, group.viable for each VF (a warning there is a VF not yet on
 * vfio-pci, which libvirt's managed mode binds at the guest's start: the
 * same failure, later).
 */
static int run_checks(struct build *b)
{
	/* group.viable's warning is a VF not meant for vfio-pci: for DPDK
	 * check_dpdk says that in its words, as nothing binds it later */
	enum sriov_severity min_group = b->fmt->checks & EXPORT_CHECK_DPDK
						? SRIOV_SEV_FAIL : SRIOV_SEV_WARN;
	struct sriov_check_report *rep = NULL;
	const char **names;
	char why[512] = "";
	int r;

	names = calloc(b->ex->n_vfs, sizeof(*names));
	if (!names)
		return -ENOMEM;
	for (size_t i = 0; i < b->ex->n_vfs; i++)
		names[i] = b->ex->vfs[i].vf->address;
	r = sriov_check_run(b->ctx, b->host, names, b->ex->n_vfs, &rep, why,
			    sizeof(why));
	free(names);
	if (r < 0)
		return errset(b->err, b->errlen, r, "cannot run the checks: %s",
			    why[0] ? why : strerror(-r));
	for (size_t i = 0; i < rep->n && r == 0; i++) {
		const struct sriov_finding *f = &rep->v[i];
		const char *id = f->check->id;

		if ((strcmp(id, "iommu.active") == 0 && f->severity == SRIOV_SEV_FAIL) ||
		    (strcmp(id, "group.viable") == 0 && f->severity >= min_group))
			r = add_problem(b->ex, id, f->subject, f->evidence,
					f->remedy);
	}
	sriov_check_report_free(rep);
	return r;
}

/*
 * vf.mac.duplicate for the output: the MAC each guest gets must be
 * nobody else's on the host — not another exported VF's, not another
 * VF's that the host keeps.
 */
static int check_macs(struct build *b)
{
	const char *id = sriov_check_info_find("vf.mac.duplicate")->id;
	size_t n = b->ex->n_vfs;
	char label[300], other[300], ev[1024], fix[1024];
	int r = 0;

	for (size_t i = 0; i < n && r == 0; i++) {
		const struct export_vf *v = &b->vfs[i];

		if (!v->mac[0])
			continue;
		vf_label(v->pf, v->vf, label, sizeof(label));
		snprintf(fix, sizeof(fix), "give %s a MAC of its own: --mac XX:XX:XX:XX:XX:XX, or sriovctl vf %s set mac XX:XX:XX:XX:XX:XX",
			 label, label);
		for (size_t j = i + 1; j < n && r == 0; j++) {
			if (strcasecmp(b->vfs[j].mac, v->mac) != 0)
				continue;
			vf_label(b->vfs[j].pf, b->vfs[j].vf, other, sizeof(other));
			snprintf(ev, sizeof(ev), "the output gives MAC %s to %s and to %s",
				 v->mac, label, other);
			r = add_problem(b->ex, id, label, ev, fix);
		}
		for (size_t p = 0; p < b->host->n_pfs && r == 0; p++) {
			const struct sriov_pf *pf = &b->host->pfs[p];

			for (size_t k = 0; k < pf->n_vfs && r == 0; k++) {
				const struct sriov_vf *o = &pf->vfs[k];
				bool exported = false;

				for (size_t j = 0; j < n; j++)
					exported |= b->vfs[j].vf == o;
				if (exported || !export_host_mac(o) ||
				    strcasecmp(export_host_mac(o), v->mac) != 0)
					continue;
				vf_label(pf, o, other, sizeof(other));
				snprintf(ev, sizeof(ev), "the output gives MAC %s to %s, and %s (not exported) has it",
					 v->mac, label, other);
				r = add_problem(b->ex, id, label, ev, fix);
			}
		}
	}
	return r;
}

/*
 * DPDK takes a VF from vfio-pci (or, bifurcated, from mlx5_core: its
 * mlx5 driver works beside the kernel's); the EAL binds nothing itself.
 * And on a host of several NUMA nodes, a VF's unknown node leaves the
 * cores and memory to guess.
 */
static int check_dpdk(struct build *b)
{
	char ev[512], fix[512];
	uint64_t online = 0;
	int r = 0;

	/* unreadable: the generator says so */
	if (export_numa_online(b->ctx, &online, NULL, 0) < 0)
		online = 0;
	for (size_t i = 0; i < b->ex->n_vfs && r == 0; i++) {
		const struct export_vf *v = &b->vfs[i];
		const char *drv = v->vf->driver;

		if (!drv || (strcmp(drv, "vfio-pci") != 0 && strcmp(drv, "mlx5_core") != 0)) {
			snprintf(ev, sizeof(ev), "%s (%s) is %s%s: DPDK's EAL takes a VF from vfio-pci and binds none itself",
				 v->label, v->vf->address, drv ? "on " : "unbound",
				 drv ? drv : "");
			snprintf(fix, sizeof(fix), "sriovctl vf %s bind vfio-pci", v->label);
			r = add_problem(b->ex, sriov_check_info_find("driver.vfio")->id,
					v->label, ev, fix);
		}
		/* one node has numa_node -1 (no _PXM): node 0, nothing to guess */
		if (r == 0 && v->vf->numa_node < 0 && (online & (online - 1))) {
			snprintf(ev, sizeof(ev), "%s (%s) has no NUMA node (numa_node -1) on a host of several: the lcores and --socket-mem span every node",
				 v->label, v->vf->address);
			r = add_problem(b->ex, sriov_check_info_find("numa.node")->id,
					v->label, ev, "Enable NUMA/SRAT reporting in the BIOS; or --force for lcores and memory of every node");
		}
	}
	return r;
}

static int set_macs(struct build *b)
{
	const struct sriov_export_opts *o = b->opts;
	int r;

	if (!o->n_macs)
		return 0;
	if (!(b->fmt->info.takes & SRIOV_EXPORT_TAKES_MAC))
		return errset(b->err, b->errlen, -EINVAL, "--mac is not an option of %s (a hostdev or a network's VF gets its MAC from the guest or the <interface> using it)",
			      b->fmt->info.name);
	if (o->n_macs > b->ex->n_vfs)
		return errset(b->err, b->errlen, -EINVAL, "%zu --mac for %zu VF%s: one MAC per VF, in the order the VFs are named",
			    o->n_macs, b->ex->n_vfs, b->ex->n_vfs == 1 ? "" : "s");
	for (size_t i = 0; i < o->n_macs; i++) {
		r = mac_option(o->macs[i], b->vfs[i].mac, b->err, b->errlen);
		if (r < 0)
			return r;
	}
	return 0;
}

/* A network sets one VLAN on every VF it hands out. */
static int check_network_vlan(struct build *b)
{
	char a[300], c[300];

	if (b->opts->format != SRIOV_EXPORT_LIBVIRT_NETWORK)
		return 0;
	for (size_t i = 1; i < b->ex->n_vfs; i++)
		if (b->vfs[i].vlan != b->vfs[0].vlan) {
			vf_label(b->vfs[0].pf, b->vfs[0].vf, a, sizeof(a));
			vf_label(b->vfs[i].pf, b->vfs[i].vf, c, sizeof(c));
			return errset(b->err, b->errlen, -EDOM, "%s has VLAN %u and %s VLAN %u: a libvirt network gives all its VFs one VLAN; export them as two networks",
				    a, b->vfs[0].vlan, c, b->vfs[i].vlan);
		}
	return 0;
}

int sriov_export_build(struct sriov_ctx *ctx, const struct sriov_host *host,
		       const char *const *devices, size_t n_devices,
		       const struct sriov_export_opts *opts,
		       struct sriov_export **out, char *err, size_t errlen)
{
	struct build b = { .ctx = ctx, .host = host, .opts = opts,
			   .err = err, .errlen = errlen };
	struct export_job job;
	int r;

	*out = NULL;
	if (errlen)
		err[0] = '\0';
	b.fmt = export_format(opts->format);
	if (!b.fmt)
		return errset(err, errlen, -EINVAL, "unknown export format %d", opts->format);
	if (n_devices == 0 && !opts->pool)
		return errset(err, errlen, -EINVAL, "name the VFs to export (a VF, PF/vf0-3, or a PF for all its VFs) or a pool of the policy (--pool NAME)");
	if (b.fmt->info.arg && !opts->arg)
		return errset(err, errlen, -EINVAL, "%s needs its %s: sriovctl export %s %s ...",
			      b.fmt->info.name, b.fmt->info.arg, b.fmt->info.name, b.fmt->info.arg);
	if (b.fmt->check_arg && opts->arg) {
		r = b.fmt->check_arg(opts->arg, err, errlen);
		if (r < 0)
			return r;
	}
	if (opts->policy && sriov_policy_machine_id(ctx, b.host_id, sizeof(b.host_id)) < 0)
		b.host_id[0] = '\0';
	r = check_takes(b.fmt, opts, err, errlen);
	if (r == 0)
		r = check_name(b.fmt, opts, err, errlen);
	if (r < 0)
		return r;
	b.ex = calloc(1, sizeof(*b.ex));
	if (!b.ex)
		return -ENOMEM;
	r = resolve_all(&b, devices, n_devices);
	if (r == 0 && opts->pool)
		r = resolve_pool(&b);
	if (r == 0 && b.ex->n_vfs == 0)
		r = errset(err, errlen, -ENODATA, "nothing to export: no VF named");
	if (r == 0)
		r = set_macs(&b);
	if (r == 0)
		r = check_network_vlan(&b);
	if (r == 0 && (b.fmt->checks & EXPORT_CHECK_VFIO))
		r = run_checks(&b);
	if (r == 0 && (b.fmt->checks & EXPORT_CHECK_MAC))
		r = check_macs(&b);
	if (r == 0 && (b.fmt->checks & EXPORT_CHECK_DPDK))
		r = check_dpdk(&b);
	if (r == 0 && b.ex->n_problems && !opts->force)
		r = -EPERM;
	if (r == 0) {
		job = (struct export_job){ .ctx = ctx, .host = host,
					   .opts = opts,
					   .pf_dev = b.pf_dev,
					   .vfs = b.vfs,
					   .n_vfs = b.ex->n_vfs };
		r = b.fmt->generate(&job, &b.ex->text, &b.ex->len, err, errlen);
		if (r < 0 && (!errlen || !err[0]))
			errset(err, errlen, r, "cannot generate %s: %s", b.fmt->info.name,
			       strerror(-r));
	}
	free(b.vfs);
	if (r < 0 && r != -EPERM) {
		sriov_export_free(b.ex);
		return r;
	}
	*out = b.ex;
	return r;
}

void sriov_export_free(struct sriov_export *ex)
{
	if (!ex)
		return;
	for (size_t i = 0; i < ex->n_problems; i++) {
		free(ex->problems[i].subject);
		free(ex->problems[i].evidence);
		free(ex->problems[i].remedy);
	}
	free(ex->problems);
	free(ex->vfs);
	free(ex->text);
	free(ex);
}
