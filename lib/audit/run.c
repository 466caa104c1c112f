/* SPDX-License-Identifier: MIT */
/*
 * The audit of a host against a baseline: which VFs are handed to a guest
 * or a pod (their driver, their holders), then each rule on them, then the
 * exceptions. Only reads.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <unistd.h>

#include "checks/checks.h"
#include "ctx.h"
#include "io/root.h"
#include "util/strv.h"

/* Rules excused for one VF, and the first exception excusing each. */
struct excuse {
	unsigned mask;
	const struct sriov_audit_exception *by[SRIOV_AUDIT__COUNT];
};

/* What is known of one PF while it is audited. */
struct pf_run {
	const struct sriov_pf *pf;
	bool *sel;                   /* per pf->vfs[i] */
	struct excuse *exc;          /* per pf->vfs[i] */
	struct sriov_holders holders;
	bool in_policy;
};

struct run {
	struct sriov_ctx *ctx;
	const struct sriov_host *host;
	const struct sriov_baseline *b;
	const struct sriov_policy *policy;
	struct sriov_audit_report *rep;
	struct pf_run *pfs;
	size_t cap;
	int err;
};

static const char *pf_name(const struct sriov_pf *pf)
{
	return pf->n_netdevs ? pf->netdevs[0].name : pf->address;
}

static char *dupf(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *dupf(struct run *r, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (!fmt)
		return NULL;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0) {
		s = NULL;
		r->err = -ENOMEM;
	}
	va_end(ap);
	return s;
}

static struct sriov_audit_finding *add(struct run *r, int rule, int status,
				       const char *device)
{
	struct sriov_audit_report *rep = r->rep;
	struct sriov_audit_finding *f;

	if (r->err)
		return NULL;
	if (rep->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;

		f = realloc(rep->v, cap * sizeof(*f));
		if (!f) {
			r->err = -ENOMEM;
			return NULL;
		}
		rep->v = f;
		r->cap = cap;
	}
	f = &rep->v[rep->n++];
	memset(f, 0, sizeof(*f));
	f->rule = rule;
	f->status = status;
	f->device = dupf(r, "%s", device);
	return f;
}

/* One VF being audited: its name, who has it, and its excuses. */
struct vf_ctx {
	const struct sriov_pf *pf;
	const struct sriov_vf *vf;
	const struct excuse *exc;
	char name[64];
	enum sriov_audit_consumer consumer;
	const struct sriov_holder *holder;   /* the first one that hands it out */
};

static struct sriov_audit_finding *vf_add(struct run *r, const struct vf_ctx *v,
					  int rule, bool ok, const char *expected)
{
	struct sriov_audit_finding *f = add(r, rule, ok ? SRIOV_AUDIT_PASS : SRIOV_AUDIT_FAIL,
					    v->name);
	const struct sriov_holder *h = v->holder;

	if (!f)
		return NULL;
	f->address = v->vf->address[0] ? dupf(r, "%s", v->vf->address) : NULL;
	f->consumer = v->consumer;
	f->expected = dupf(r, "%s", expected);
	if (h && h->kind == SRIOV_HOLDER_VFIO) {
		f->holder = dupf(r, "pid %d (%s) has %s open", h->pid, h->comm, h->what);
		f->holder_pid = h->pid;
	} else if (h && h->kind == SRIOV_HOLDER_NETNS) {
		f->holder = dupf(r, "its netdev is in another network namespace (driver %s)",
				 h->what);
	}
	if (!ok && v->exc && (v->exc->mask & 1u << rule)) {
		const struct sriov_audit_exception *e = v->exc->by[rule];

		f->status = SRIOV_AUDIT_EXCEPTED;
		f->reason = dupf(r, "%s", e->reason);
		f->exception_at = dupf(r, "%s:%u:%u", e->loc.file, e->loc.line, e->loc.column);
	}
	return f;
}

static void skip(struct run *r, const struct vf_ctx *v, int rule,
		 const char *expected, const char *why)
{
	struct sriov_audit_finding *f = vf_add(r, v, rule, true, expected);

	if (!f)
		return;
	f->status = SRIOV_AUDIT_SKIP;
	f->actual = dupf(r, "%s", why);
}

/* The PF's netlink view of @v, or why there is none. */
static const char *no_link(const struct vf_ctx *v)
{
	const struct sriov_pf *pf = v->pf;

	if (pf->vf_links != SRIOV_VF_LINKS_OK && pf->vf_links != SRIOV_VF_LINKS_TRUNCATED)
		return pf->n_netdevs ? "no netlink view of the PF's VFs (not the live host)"
				     : "no netlink view of the PF's VFs (the PF has no netdev)";
	if (!v->vf->link.present || v->vf->link.source != SRIOV_VF_LINK_SRC_NETLINK)
		return "the PF's VF list does not include this VF";
	return NULL;
}

static bool on(const struct run *r, int rule)
{
	return r->b->enabled & 1u << rule;
}

/* "max_tx_rate 1..10000 Mb/s, min_tx_rate at most 1000 Mb/s". */
static void rate_expected(const struct sriov_baseline *b, char *buf, size_t len)
{
	int n = 0;

	buf[0] = '\0';
	if (b->max_tx_rate_cap)
		n = snprintf(buf, len, "max_tx_rate 1..%u Mb/s", b->max_tx_rate_cap);
	if (b->min_tx_rate_cap && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "%smin_tx_rate at most %u Mb/s",
			 n ? ", " : "", b->min_tx_rate_cap);
}

static void rule_link(struct run *r, const struct vf_ctx *v)
{
	const struct sriov_vf_link *l = &v->vf->link;
	const char *why = no_link(v);
	struct sriov_audit_finding *f;
	int rules[] = { SRIOV_AUDIT_SPOOFCHK, SRIOV_AUDIT_TRUST, SRIOV_AUDIT_VLAN,
			SRIOV_AUDIT_MAC, SRIOV_AUDIT_RATE };
	static const char *const expect[] = { "spoofchk on", "trust off", "a VLAN (1-4094)",
					      "a non-zero MAC set through the PF", NULL };
	char rate_exp[96];

	rate_expected(r->b, rate_exp, sizeof(rate_exp));
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		int rule = rules[i];
		const char *exp = expect[i] ? expect[i] : rate_exp;

		if (!on(r, rule) || (rule == SRIOV_AUDIT_MAC && v->consumer != SRIOV_AUDIT_GUEST))
			continue;
		if (why) {
			skip(r, v, rule, exp, why);
			continue;
		}
		switch (rule) {
		case SRIOV_AUDIT_SPOOFCHK:
			if (l->spoofchk < 0) {
				skip(r, v, rule, exp, "spoofchk not reported by the PF's driver");
				break;
			}
			f = vf_add(r, v, rule, l->spoofchk == 1, exp);
			if (!f)
				break;
			f->actual = dupf(r, "spoofchk %s", l->spoofchk ? "on" : "off");
			if (f->status == SRIOV_AUDIT_FAIL)
				f->fix = dupf(r, "sriovctl vf %s set spoofchk on", v->name);
			break;
		case SRIOV_AUDIT_TRUST:
			if (l->trust < 0) {
				skip(r, v, rule, exp, "trust not reported by the PF's driver");
				break;
			}
			f = vf_add(r, v, rule, l->trust == 0, exp);
			if (!f)
				break;
			f->actual = dupf(r, "trust %s", l->trust ? "on" : "off");
			if (f->status == SRIOV_AUDIT_FAIL)
				f->fix = dupf(r, "sriovctl vf %s set trust off", v->name);
			break;
		case SRIOV_AUDIT_VLAN:
			f = vf_add(r, v, rule, l->vlan != 0, exp);
			if (!f)
				break;
			f->actual = l->vlan ? dupf(r, "vlan %u", l->vlan) : dupf(r, "no VLAN");
			if (f->status == SRIOV_AUDIT_FAIL)
				f->fix = dupf(r, "sriovctl vf %s set vlan VLAN_ID", v->name);
			break;
		case SRIOV_AUDIT_MAC: {
			bool zero = !l->mac[0] || strcmp(l->mac, "00:00:00:00:00:00") == 0;

			f = vf_add(r, v, rule, !zero, exp);
			if (!f)
				break;
			f->actual = dupf(r, "mac %s", l->mac[0] ? l->mac : "not reported");
			if (f->status == SRIOV_AUDIT_FAIL)
				f->fix = dupf(r, "sriovctl vf %s set mac XX:XX:XX:XX:XX:XX", v->name);
			break;
		}
		case SRIOV_AUDIT_RATE: {
			unsigned maxc = r->b->max_tx_rate_cap, minc = r->b->min_tx_rate_cap;
			bool max_bad = maxc && (l->max_tx_rate == 0 || l->max_tx_rate > maxc);
			bool min_bad = minc && l->min_tx_rate > minc;
			char fix[160];

			f = vf_add(r, v, rule, !max_bad && !min_bad, exp);
			if (!f)
				break;
			f->actual = dupf(r, "max_tx_rate %u%s, min_tx_rate %u Mb/s", l->max_tx_rate,
					 l->max_tx_rate ? " Mb/s" : " (no limit)", l->min_tx_rate);
			if (f->status != SRIOV_AUDIT_FAIL)
				break;
			snprintf(fix, sizeof(fix), "sriovctl vf %s set", v->name);
			if (max_bad)
				snprintf(fix + strlen(fix), sizeof(fix) - strlen(fix),
					 " max-rate %u", maxc);
			if (min_bad)
				snprintf(fix + strlen(fix), sizeof(fix) - strlen(fix),
					 " min-rate %u", minc);
			f->fix = dupf(r, "%s", fix);
			break;
		}
		}
	}
}

/* Bound to a driver the host uses the device with (not a pass-through stub). */
static bool host_driver(const char *d)
{
	return d && strcmp(d, "pci-stub") != 0 && strcmp(d, "pcieport") != 0 &&
	       strstr(d, "vfio") == NULL;
}

static void rule_group(struct run *r, const struct vf_ctx *v)
{
	const struct sriov_vf *vf = v->vf;
	const char *exp = "no host-driven device in its IOMMU group";
	struct sriov_audit_finding *f;
	char peers[512];
	size_t len = 0, bad = 0;

	if (!on(r, SRIOV_AUDIT_GROUP) || !vf->driver || !strstr(vf->driver, "vfio"))
		return;
	if (vf->iommu_group < 0 || !vf->group) {
		skip(r, v, SRIOV_AUDIT_GROUP, exp, vf->iommu_group < 0 ?
		     "the VF has no IOMMU group" : "its IOMMU group is unreadable");
		return;
	}
	peers[0] = '\0';
	for (size_t i = 0; i < vf->group->n_members; i++) {
		const struct sriov_group_member *m = &vf->group->members[i];

		if (strcmp(m->address, vf->address) == 0 || !host_driver(m->driver))
			continue;
		if (bad++ < 4 && len < sizeof(peers))
			len += (size_t)snprintf(peers + len, sizeof(peers) - len, "%s%s (%s)",
						bad > 1 ? ", " : "", m->address, m->driver);
	}
	f = vf_add(r, v, SRIOV_AUDIT_GROUP, bad == 0, exp);
	if (!f)
		return;
	if (!bad) {
		f->actual = dupf(r, "IOMMU group %d: %zu device%s, none host-driven", vf->iommu_group,
				 vf->group->n_members, vf->group->n_members == 1 ? "" : "s");
		return;
	}
	f->actual = dupf(r, "IOMMU group %d shared with %s%s", vf->iommu_group, peers,
			 bad > 4 ? ", ..." : "");
	if (f->status == SRIOV_AUDIT_FAIL)
		f->fix = dupf(r, "sriovctl vf %s bind vfio-pci --group", v->name);
}

static void rule_policy(struct run *r, const struct pf_run *p, const struct vf_ctx *v)
{
	const char *exp = "a PF the host policy names";
	struct sriov_audit_finding *f;

	if (!on(r, SRIOV_AUDIT_POLICY_PF) || !r->policy || r->policy->n_errors)
		return;
	f = vf_add(r, v, SRIOV_AUDIT_POLICY_PF, p->in_policy, exp);
	if (!f)
		return;
	f->actual = p->in_policy ? dupf(r, "%s is in the policy", pf_name(v->pf)) :
				   dupf(r, "%s is in no entry of the policy", pf_name(v->pf));
	if (f->status == SRIOV_AUDIT_FAIL)
		f->fix = dupf(r, "sriovctl vf %s bind --kernel", v->name);
}

static bool pf_in_policy(const struct sriov_host *host, const struct sriov_policy *p,
			 const struct sriov_pf *pf)
{
	const struct sriov_pf *m[64];

	for (size_t i = 0; p && i < p->n_pfs; i++) {
		size_t n = sriov_policy_match(host, &p->pfs[i], m, 64);

		for (size_t k = 0; k < n && k < 64; k++)
			if (m[k] == pf)
				return true;
	}
	return false;
}

static void audit_vf(struct run *r, struct pf_run *p, size_t i)
{
	struct vf_ctx v = { .pf = p->pf, .vf = &p->pf->vfs[i], .exc = &p->exc[i] };
	const struct sriov_vf *vf = v.vf;

	snprintf(v.name, sizeof(v.name), "%s/vf%u", pf_name(p->pf), vf->index);
	if (vf->driver && strstr(vf->driver, "vfio"))
		v.consumer = SRIOV_AUDIT_GUEST;
	for (size_t k = 0; k < p->holders.n; k++) {
		const struct sriov_holder *h = &p->holders.v[k];

		if (h->vf_index != vf->index)
			continue;
		if (h->kind == SRIOV_HOLDER_VFIO) {
			v.consumer = SRIOV_AUDIT_GUEST;
			v.holder = h;
			break;
		}
		if (h->kind == SRIOV_HOLDER_NETNS && !v.holder) {
			v.consumer = SRIOV_AUDIT_POD;
			v.holder = h;
		}
	}
	if (v.consumer == SRIOV_AUDIT_HOST)
		return;
	r->rep->vfs_handed++;
	/* spoofchk, VLANs, MACs are a NIC's: not an NVMe VF's */
	if (strcmp(p->pf->bus, "pci") != 0 || (p->pf->class_code >> 16) == 0x02)
		rule_link(r, &v);
	rule_group(r, &v);
	rule_policy(r, p, &v);
}

/* A small host file (cpuinfo, os-release) under the root; NULL when unreadable. */
static char *read_small(struct run *r, const char *path)
{
	char *buf = NULL;
	int fd = rootfs_open(r->ctx->rfs, ROOTFS_TOP, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (rootfs_read_all(fd, 1 << 20, &buf, NULL) < 0)
		buf = NULL;
	close(fd);
	return buf;
}

/* The kernel command line the CPU needs, as `sriovctl check` gives it. */
static char *iommu_fix(struct run *r)
{
	char *cpuinfo = read_small(r, "proc/cpuinfo"), *os = read_small(r, "etc/os-release");
	const char *virt;
	char fix[512];

	if (!os)
		os = read_small(r, "usr/lib/os-release");

	check_grub_remedy(check_os_family(os), check_iommu_params(check_cpu_vendor(cpuinfo, &virt)),
			  fix, sizeof(fix));
	free(cpuinfo);
	free(os);
	return dupf(r, "%s", fix);
}

static void rule_iommu(struct run *r)
{
	struct sriov_audit_finding *f;

	/* a host without SR-IOV hands nothing out that needs isolating */
	if (!on(r, SRIOV_AUDIT_IOMMU) || r->host->n_pfs == 0)
		return;
	f = add(r, SRIOV_AUDIT_IOMMU, r->host->iommu_enabled ? SRIOV_AUDIT_PASS :
			SRIOV_AUDIT_FAIL, "host");
	if (!f)
		return;
	f->expected = dupf(r, "IOMMU on (groups in /sys/kernel/iommu_groups)");
	if (r->host->iommu_enabled) {
		f->actual = dupf(r, "%d IOMMU groups", r->host->iommu_groups);
		return;
	}
	f->actual = dupf(r, "no IOMMU groups");
	f->fix = iommu_fix(r);
}

/* The PFs and VFs named, each VF's excuses. */
static int select_devices(struct run *r, const char *const *devices, size_t n,
			  char *err, size_t errlen)
{
	const struct sriov_host *h = r->host;
	struct sriov_vf_refs refs = { 0 };

	r->pfs = calloc(h->n_pfs ? h->n_pfs : 1, sizeof(*r->pfs));
	if (!r->pfs)
		return -ENOMEM;
	for (size_t i = 0; i < h->n_pfs; i++) {
		size_t nv = h->pfs[i].n_vfs ? h->pfs[i].n_vfs : 1;

		r->pfs[i].pf = &h->pfs[i];
		r->pfs[i].sel = calloc(nv, sizeof(bool));
		r->pfs[i].exc = calloc(nv, sizeof(struct excuse));
		if (!r->pfs[i].sel || !r->pfs[i].exc)
			return -ENOMEM;
		for (size_t k = 0; k < h->pfs[i].n_vfs && !n; k++)
			r->pfs[i].sel[k] = true;
	}
	for (size_t d = 0; d < n; d++) {
		int e = sriov_host_resolve_vfs(h, devices[d], &refs);

		if (e == -ENODATA)
			continue;   /* a PF without VFs: nothing handed out */
		if (e < 0) {
			snprintf(err, errlen, "%s: %s", devices[d],
				 e == -ENOENT ? "no such SR-IOV device; 'sriovctl list' shows them" :
				 e == -ERANGE ? "no such VF; 'sriovctl show PF' lists them" :
				 e == -ENOTUNIQ ? "the short address is in several PCI domains: give the domain" :
				 e == -ENOMEM ? "out of memory" : "not a device name (PF, PF/vfN, PF/vfA-B)");
			return e;
		}
		for (size_t k = 0; k < refs.n; k++) {
			size_t p = (size_t)(refs.v[k].pf - h->pfs);

			r->pfs[p].sel[refs.v[k].vf - refs.v[k].pf->vfs] = true;
		}
		sriov_vf_refs_clear(&refs);
	}
	for (size_t x = 0; x < r->b->n_exceptions; x++) {
		const struct sriov_audit_exception *ex = &r->b->exceptions[x];
		int e = sriov_host_resolve_vfs(h, ex->vfs, &refs);

		if (e == -ENOMEM)
			return e;
		if (e < 0) {
			if (strv_pushf(&r->rep->warnings,
				       "%s:%u:%u: the exception for %s names no VF on this host",
				       ex->loc.file, ex->loc.line, ex->loc.column, ex->vfs) < 0)
				return -ENOMEM;
			continue;
		}
		for (size_t k = 0; k < refs.n; k++) {
			size_t p = (size_t)(refs.v[k].pf - h->pfs);
			struct excuse *c = &r->pfs[p].exc[refs.v[k].vf - refs.v[k].pf->vfs];

			for (int rule = 0; rule < SRIOV_AUDIT__COUNT; rule++)
				if ((ex->rules & 1u << rule) && !(c->mask & 1u << rule)) {
					c->mask |= 1u << rule;
					c->by[rule] = ex;
				}
		}
		sriov_vf_refs_clear(&refs);
	}
	return 0;
}

/* Rule order, each rule's findings in the order found: a counting sort. */
static int sort_by_rule(struct sriov_audit_report *rep)
{
	struct sriov_audit_finding *v;
	size_t start[SRIOV_AUDIT__COUNT + 1] = { 0 };

	if (rep->n < 2)
		return 0;
	v = malloc(rep->n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < rep->n; i++)
		start[rep->v[i].rule + 1]++;
	for (int k = 1; k <= SRIOV_AUDIT__COUNT; k++)
		start[k] += start[k - 1];
	for (size_t i = 0; i < rep->n; i++)
		v[start[rep->v[i].rule]++] = rep->v[i];
	free(rep->v);
	rep->v = v;
	return 0;
}

void sriov_audit_report_free(struct sriov_audit_report *rep)
{
	if (!rep)
		return;
	for (size_t i = 0; i < rep->n; i++) {
		struct sriov_audit_finding *f = &rep->v[i];

		free(f->device);
		free(f->address);
		free(f->expected);
		free(f->actual);
		free(f->holder);
		free(f->fix);
		free(f->reason);
		free(f->exception_at);
	}
	free(rep->v);
	sriov_strv_clear(&rep->warnings);
	free(rep);
}

int sriov_audit_run(struct sriov_ctx *ctx, struct sriov_host *host,
		    const struct sriov_baseline *b,
		    const struct sriov_policy *policy,
		    const char *const *devices, size_t n_devices,
		    struct sriov_audit_report **out, char *err, size_t errlen)
{
	struct run r = { .ctx = ctx, .host = host, .b = b, .policy = policy };
	int e;

	err[0] = '\0';
	*out = NULL;
	r.rep = calloc(1, sizeof(*r.rep));
	if (!r.rep)
		return -ENOMEM;
	e = select_devices(&r, devices, n_devices, err, errlen);
	if (e == 0 && (b->enabled & 1u << SRIOV_AUDIT_GROUP))
		e = sriov_host_load_groups(ctx, host, NULL);
	for (size_t i = 0; e == 0 && i < host->n_pfs; i++) {
		struct pf_run *p = &r.pfs[i];
		bool any = false;

		for (size_t k = 0; k < p->pf->n_vfs; k++)
			any |= p->sel[k];
		if (!any)
			continue;
		e = sriov_vf_holders(ctx, p->pf, 0, &p->holders);
		p->in_policy = pf_in_policy(host, policy, p->pf);
		for (size_t k = 0; e == 0 && k < p->pf->n_vfs && !r.err; k++)
			if (p->sel[k])
				audit_vf(&r, p, k);
	}
	if (e == 0 && !r.err && (b->enabled & 1u << SRIOV_AUDIT_POLICY_PF) &&
	    r.rep->vfs_handed && (!policy || policy->n_errors)) {
		struct sriov_audit_finding *f = add(&r, SRIOV_AUDIT_POLICY_PF, SRIOV_AUDIT_SKIP, "host");

		if (f) {
			f->expected = dupf(&r, "a PF the host policy names");
			f->actual = !policy ? dupf(&r, "no host policy (/etc/sriovctl/sriovctl.yaml, conf.d/*.yaml)")
					    : dupf(&r, "the host policy has %zu error%s: sriovctl policy check",
						   policy->n_errors, policy->n_errors == 1 ? "" : "s");
		}
	}
	if (e == 0)
		rule_iommu(&r);
	if (e == 0)
		e = r.err;
	for (size_t i = 0; r.pfs && i < host->n_pfs; i++) {
		free(r.pfs[i].sel);
		free(r.pfs[i].exc);
		sriov_holders_clear(&r.pfs[i].holders);
	}
	free(r.pfs);
	if (e == 0)
		e = sort_by_rule(r.rep);
	if (e < 0) {
		sriov_audit_report_free(r.rep);
		return e;
	}
	for (size_t i = 0; i < r.rep->n; i++)
		r.rep->n_by_status[r.rep->v[i].status]++;
	*out = r.rep;
	return 0;
}
