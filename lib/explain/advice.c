/* SPDX-License-Identifier: MIT */
/* The advice of each matched failure, from what was found on this host. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "explain/builder.h"
#include "util/strv.h"

static const char *pfname(const struct sriov_explain_device *d)
{
	return d->pf_netdev ? d->pf_netdev : d->pf;
}

static const char *drv(const char *s)
{
	return s && *s ? s : "no driver";
}

/* The device passed through is not in its own way. */
static bool named(const struct sriov_explanation *e, const char *address)
{
	for (size_t i = 0; i < e->n_devices; i++)
		if (strcmp(e->devices[i].address, address) == 0)
			return true;
	return false;
}

static int advise_group(const struct builder *b, struct sriov_strv *a)
{
	const struct sriov_explanation *e = b->e;
	int r = 0;

	for (size_t i = 0; i < e->n_groups && r >= 0; i++) {
		const struct sriov_explain_group *g = &e->groups[i];
		char line[1024];
		size_t len = 0;
		bool pf_with_vfs = false;

		if (!g->exists) {
			r = strv_pushf(a, "IOMMU group %d does not exist on this host (%s): the message comes from another host, or the devices were re-created since",
				       g->group, b->host && !b->host->iommu_enabled ?
				       "the IOMMU is off" : "/sys/kernel/iommu_groups");
			continue;
		}
		len = (size_t)snprintf(line, sizeof(line), "IOMMU group %d holds", g->group);
		for (size_t j = 0; j < g->members.n && len < sizeof(line); j++)
			len += (size_t)snprintf(line + len, sizeof(line) - len, "%s %s (%s)",
						j ? "," : "", g->members.v[j],
						drv(g->drivers.v[j]));
		r = strv_push(a, line);
		for (size_t j = 0; j < g->members.n && r >= 0; j++) {
			const struct sriov_pf *pf;
			const struct sriov_vf *vf;

			if (b->host && sriov_host_resolve(b->host, g->members.v[j], &pf, &vf) == 0 &&
			    !vf && pf->num_vfs > 0)
				pf_with_vfs = true;
			if (!sriov_vfio_group_driver_ok(g->drivers.v[j][0] ? g->drivers.v[j] : NULL) &&
			    !named(e, g->members.v[j]))
				r = strv_pushf(a, "%s is bound to %s, which vfio does not accept beside a device it passes through",
					       g->members.v[j], g->drivers.v[j]);
		}
		if (r < 0)
			break;
		if (pf_with_vfs)
			r = strv_pushf(a, "group %d holds a PF together with its own VFs: no ACS isolates them, so a VF cannot be passed through alone; move the card to a slot whose root port has ACS (see acs.path)",
				       g->group);
		else if (!g->viable)
			r = strv_pushf(a, "to pass the whole group on: sriovctl vf %s bind vfio-pci --group",
				       g->members.v[g->members.n - 1]);
		else
			r = strv_pushf(a, "group %d is viable now: every member is driverless or bound to a driver vfio accepts",
				       g->group);
	}
	return r;
}

static int advise_numvfs(const struct builder *b, const char *id,
			 struct sriov_strv *a)
{
	const struct sriov_explanation *e = b->e;
	int r = 0;

	for (size_t i = 0; i < e->n_devices && r >= 0; i++) {
		const struct sriov_explain_device *d = &e->devices[i];

		switch (d->kind) {
		case SRIOV_EXPLAIN_ABSENT:
			r = strv_pushf(a, "there is no PCI device %s on this host", d->address);
			continue;
		case SRIOV_EXPLAIN_OTHER:
			r = strv_pushf(a, "%s (%s) has no SR-IOV capability enabled: it has no sriov_totalvfs", d->address, drv(d->driver));
			continue;
		case SRIOV_EXPLAIN_VF:
			r = strv_pushf(a, "%s is VF %d of PF %s: VFs have no sriov_numvfs, write the PF's",
				       d->address, d->vf_index, pfname(d));
			if (r < 0)
				continue;
			break;
		case SRIOV_EXPLAIN_PF:
			break;
		}
		if (d->pf_netdev)
			r = strv_pushf(a, "PF %s (%s, %s): %u of %u VFs enabled", d->pf_netdev,
				       d->pf, drv(d->pf_driver), d->num_vfs, d->total_vfs);
		else
			r = strv_pushf(a, "PF %s (%s): %u of %u VFs enabled", d->pf,
				       drv(d->pf_driver), d->num_vfs, d->total_vfs);
		if (r < 0)
			continue;
		if (strcmp(id, "numvfs.busy") == 0)
			r = strv_pushf(a, "to change the count: sriovctl pf %s set-vfs N (writes 0 first, refuses VFs in use)", pfname(d));
		else if (strcmp(id, "numvfs.range") == 0)
			r = strv_pushf(a, "%s takes at most %u VFs (sriov_totalvfs)", pfname(d), d->total_vfs);
		else if (strcmp(id, "numvfs.no-driver") == 0 && !d->pf_driver)
			r = strv_pushf(a, "PF %s has no driver: bind it to its driver before writing sriov_numvfs", d->pf);
		else if (strcmp(id, "numvfs.invalid") == 0)
			r = strv_pushf(a, "valid counts for %s: 0 to %u", pfname(d), d->total_vfs);
	}
	return r;
}

static int advise_iommu(const struct builder *b, struct sriov_explain_match *m)
{
	const struct sriov_host *h = b->host;
	struct sriov_strv *a = &m->advice;
	size_t named = 0;
	int r = 0;

	if (!h->iommu_enabled) {
		r = strv_push(a, "this host has no IOMMU groups (/sys/kernel/iommu_groups is empty): the IOMMU is off");
		if (r >= 0 && h->cmdline && !strstr(h->cmdline, "intel_iommu=on") &&
		    !strstr(h->cmdline, "amd_iommu=on") && !strstr(h->cmdline, "iommu.passthrough"))
			r = strv_push(a, "/proc/cmdline has no intel_iommu=on or amd_iommu=on");
		for (size_t i = 0; i < b->e->n_devices && r >= 0; i++) {
			const struct sriov_explain_device *d = &b->e->devices[i];

			if (d->kind != SRIOV_EXPLAIN_ABSENT && d->iommu_group < 0)
				r = strv_pushf(a, "%s has no iommu_group", d->address);
		}
		return r;
	}
	/* the IOMMU is on: enabling it is not what this host needs */
	m->fix_not_here = true;
	r = strv_pushf(a, "this host has %d IOMMU groups: the IOMMU is on", h->iommu_groups);
	for (size_t i = 0; i < b->e->n_devices && r >= 0; i++) {
		const struct sriov_explain_device *d = &b->e->devices[i];

		if (d->kind == SRIOV_EXPLAIN_ABSENT)
			continue;
		named++;
		if (d->iommu_group >= 0)
			r = strv_pushf(a, "%s is in IOMMU group %d: vfio-pci can take it now; the message is from before the IOMMU was on, or from another host",
				       d->address, d->iommu_group);
		else
			r = strv_pushf(a, "%s has no iommu_group although the IOMMU is on: no IOMMU unit covers it (look for DMAR or AMD-Vi lines about it in dmesg; the firmware's device scope may leave it out)",
				       d->address);
	}
	if (r >= 0 && named == 0 && !b->foreign)
		r = strv_push(a, "the message is from before the IOMMU was on, or from another host: the fix below is for a host whose IOMMU is off");
	return r;
}

static int advise_vf_link(const struct builder *b, const char *id,
			  struct sriov_strv *a)
{
	int r = 0;

	for (size_t i = 0; i < b->e->n_devices && r >= 0; i++) {
		const struct sriov_explain_device *d = &b->e->devices[i];
		const struct found *f = &b->found[i];

		if (!f->pf)
			continue;
		if (strcmp(id, "netlink.truncated-vf-list") == 0) {
			if (!f->vf)
				r = strv_pushf(a, "%s has %u VFs; sriovctl show %s lists them all",
					       pfname(d), d->num_vfs, pfname(d));
			continue;
		}
		if (strncmp(id, "vf.", 3) == 0) {
			r = strv_pushf(a, "PF %s is driven by %s and has %u VFs (indexes 0-%d)",
				       pfname(d), drv(d->pf_driver), d->num_vfs, (int)d->num_vfs - 1);
			if (r >= 0 && d->pf_driver && strcmp(d->pf_driver, "igb") == 0)
				r = strv_push(a, "igb has no VF link-state operation (EOPNOTSUPP) and no min_tx_rate (EINVAL); its max_tx_rate needs the PF link up");
			continue;
		}
		if (f->vf && f->vf->link.present) {
			const struct sriov_vf_link *l = &f->vf->link;

			r = strv_pushf(a, "%s vf %u: mac %s, vlan %u, spoofchk %s, trust %s",
				       pfname(d), f->vf->index, l->mac[0] ? l->mac : "?",
				       l->vlan, l->spoofchk == 1 ? "on" : l->spoofchk == 0 ? "off" : "?",
				       l->trust == 1 ? "on" : l->trust == 0 ? "off" : "?");
		} else if (f->vf) {
			r = strv_pushf(a, "%s is VF %u of %s (%s); compare its vlan and mac in `ip link show %s` with the port's",
				       d->address, f->vf->index, pfname(d), drv(d->driver), pfname(d));
		}
	}
	return r;
}

static int advise_devices(const struct builder *b, struct sriov_strv *a)
{
	int r = 0;

	for (size_t i = 0; i < b->e->n_devices && r >= 0; i++) {
		const struct sriov_explain_device *d = &b->e->devices[i];

		if (d->kind == SRIOV_EXPLAIN_VF)
			r = strv_pushf(a, "%s is VF %d of %s, bound to %s", d->address,
				       d->vf_index, pfname(d), drv(d->driver));
		else if (d->kind == SRIOV_EXPLAIN_ABSENT)
			r = strv_pushf(a, "there is no PCI device %s on this host", d->address);
	}
	return r;
}

struct line_ref {
	const char *s;
	size_t i;
};

static int cmp_line(const void *a, const void *b)
{
	const struct line_ref *x = a, *y = b;
	int c = strcmp(x->s, y->s);

	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

/* Several names for one PF give the same lines: keep the first of each. */
static int dedupe(struct sriov_strv *a)
{
	struct line_ref *v;
	size_t n = 0, keep = 0;

	if (a->n < 2)
		return 0;
	v = malloc(a->n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < a->n; i++)
		v[i] = (struct line_ref){ a->v[i], i };
	qsort(v, a->n, sizeof(*v), cmp_line);
	for (size_t i = 1; i < a->n; i++) {
		if (strcmp(v[i].s, v[keep].s) != 0) {
			keep = i;
			continue;
		}
		free(a->v[v[i].i]);
		a->v[v[i].i] = NULL;
	}
	free(v);
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i])
			a->v[n++] = a->v[i];
	a->n = n;
	return 0;
}

static int advise_one(struct builder *b, struct sriov_explain_match *m)
{
	const char *id = m->failure->id;

	if (strcmp(id, "vfio.group-not-viable") == 0)
		return advise_group(b, &m->advice);
	if (strcmp(id, "vfio.no-iommu") == 0)
		return advise_iommu(b, m);
	if (strncmp(id, "numvfs.", 7) == 0)
		return advise_numvfs(b, id, &m->advice);
	if (strncmp(id, "nova.", 5) == 0)
		return advise_devices(b, &m->advice);
	return advise_vf_link(b, id, &m->advice);
}

/* The text's device is not here: say so, and that the fix is the general one. */
static int advise_foreign(const struct builder *b, struct sriov_explain_match *m)
{
	const struct explain_refs *refs = b->refs;
	char groups[160] = "";
	size_t len = 0;
	int r = 0;

	for (size_t i = 0; i < b->e->n_devices && r >= 0; i++)
		if (b->e->devices[i].kind == SRIOV_EXPLAIN_ABSENT)
			r = strv_pushf(&m->advice, "there is no PCI device %s on this host",
				       b->e->devices[i].address);
	if (refs->n_groups)
		len = (size_t)snprintf(groups, sizeof(groups), "; IOMMU group%s",
				       refs->n_groups > 1 ? "s" : "");
	for (size_t i = 0; i < refs->n_groups && len < sizeof(groups); i++)
		len += (size_t)snprintf(groups + len, sizeof(groups) - len, "%s %d",
					i ? "," : "", refs->groups[i]);
	if (refs->n_groups && len < sizeof(groups))
		snprintf(groups + len, sizeof(groups) - len,
			 " of the text %s that host's, not this one's",
			 refs->n_groups > 1 ? "are" : "is");
	if (r >= 0)
		r = strv_pushf(&m->advice, "the text comes from another host, or the device was renamed or re-created since%s",
			       groups);
	if (r >= 0 && !b->present)
		r = strv_push(&m->advice, "nothing the text names is on this host: the fix below is the general one");
	if (!b->present)
		m->fix_not_here = true;
	return r;
}

int explain_advise(struct builder *b, struct sriov_explain_match *m)
{
	int r;

	if (!b->host)
		return 0;
	r = advise_one(b, m);
	if (r >= 0 && b->foreign)
		r = advise_foreign(b, m);
	return r < 0 ? r : dedupe(&m->advice);
}
