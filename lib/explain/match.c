/* SPDX-License-Identifier: MIT */
/*
 * sriov_explain(): match an error text against the known failures, then
 * name what it concerns on this host, with advice built from the inventory.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "explain/explain.h"
#include "io/root.h"
#include "util/strv.h"

/* The devices a text names are placed up to this many (a log names more). */
#define EXPLAIN_MAX_DEVICES 64

/* A looked-up device and the inventory entries behind it. */
struct found {
	const struct sriov_pf *pf;
	const struct sriov_vf *vf;
};

struct builder {
	struct sriov_ctx *ctx;
	const struct sriov_host *host;
	struct sriov_explanation *e;
	struct found *found;         /* parallel to e->devices */
	/*
	 * The text names a PCI device this host does not have: it comes from
	 * another host (or the device was renamed), so its group numbers are
	 * that host's and this host's groups of the same numbers are not
	 * looked at.
	 */
	bool foreign;
	bool present;                /* ...and names some device that is here */
	const struct explain_refs *refs;
};

static void device_free(struct sriov_explain_device *d)
{
	free(d->written);
	free(d->driver);
	free(d->netdev);
	free(d->pf_netdev);
	free(d->pf_driver);
}

void sriov_explanation_free(struct sriov_explanation *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n_matches; i++) {
		free(e->matches[i].excerpt);
		sriov_strv_free(&e->matches[i].advice);
	}
	free(e->matches);
	for (size_t i = 0; i < e->n_devices; i++)
		device_free(&e->devices[i]);
	free(e->devices);
	for (size_t i = 0; i < e->n_groups; i++) {
		sriov_strv_free(&e->groups[i].members);
		sriov_strv_free(&e->groups[i].drivers);
	}
	free(e->groups);
	free(e);
}

/* A line (or window) of the text, without surrounding blanks. */
static char *excerpt(const char *s, size_t len)
{
	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	return strndup(s, len);
}

static const struct sriov_failure *failure_by_id(const char *id)
{
	size_t n;
	const struct sriov_failure *f = sriov_failures(&n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(f[i].id, id) == 0)
			return &f[i];
	return NULL;
}

/* Each failure once, at the first of its rules (in table order) that matched. */
static int match_rules(const char *text, size_t len, struct sriov_explanation *e)
{
	size_t n;
	const struct explain_rule *rules = explain_rules(&n);
	struct explain_hit *hits = calloc(n ? n : 1, sizeof(*hits));
	int r;

	if (!hits)
		return -ENOMEM;
	r = explain_match_rules(text, len, hits, NULL);
	for (size_t i = 0; i < n && r >= 0; i++) {
		const struct sriov_failure *f = failure_by_id(rules[i].failure);
		struct sriov_explain_match *v;
		bool seen = false;

		if (!f) {
			r = -EINVAL;
			break;
		}
		for (size_t j = 0; j < e->n_matches; j++)
			seen |= e->matches[j].failure == f;
		if (seen || !hits[i].matched)
			continue;
		v = realloc(e->matches, (e->n_matches + 1) * sizeof(*v));
		if (!v) {
			r = -ENOMEM;
			break;
		}
		e->matches = v;
		v = &e->matches[e->n_matches];
		memset(v, 0, sizeof(*v));
		v->failure = f;
		v->excerpt = excerpt(text + hits[i].off, hits[i].len);
		if (!v->excerpt) {
			r = -ENOMEM;
			break;
		}
		e->n_matches++;
	}
	free(hits);
	return r;
}

/* ------------------------------------------------------------ devices */

static int device_group(struct sriov_ctx *ctx, const char *addr)
{
	char path[128], target[512];
	const char *base;

	if (!ctx)
		return -1;
	snprintf(path, sizeof(path), "sys/bus/pci/devices/%s/iommu_group", addr);
	if (rootfs_readlink(ctx->rfs, ROOTFS_TOP, path, target, sizeof(target)) < 0)
		return -1;
	base = strrchr(target, '/');
	return atoi(base ? base + 1 : target);
}

static bool same_device(const struct builder *b, const struct found *f,
			const char *address)
{
	for (size_t i = 0; i < b->e->n_devices; i++) {
		if (f->pf && b->found[i].pf == f->pf && b->found[i].vf == f->vf)
			return true;
		if (!f->pf && address[0] &&
		    strcmp(b->e->devices[i].address, address) == 0)
			return true;
	}
	return false;
}

static int add_device(struct builder *b, const char *written,
		      const struct sriov_pf *pf, const struct sriov_vf *vf,
		      int kind, const char *address, const char *driver)
{
	struct sriov_explanation *e = b->e;
	struct found f = { pf, vf }, *nf;
	struct sriov_explain_device *d;

	if (e->n_devices >= EXPLAIN_MAX_DEVICES ||
	    same_device(b, &f, address ? address : ""))
		return 0;
	d = realloc(e->devices, (e->n_devices + 1) * sizeof(*d));
	if (!d)
		return -ENOMEM;
	e->devices = d;
	nf = realloc(b->found, (e->n_devices + 1) * sizeof(*nf));
	if (!nf)
		return -ENOMEM;
	b->found = nf;
	b->found[e->n_devices] = f;
	d = &e->devices[e->n_devices++];
	memset(d, 0, sizeof(*d));
	d->kind = kind;
	d->iommu_group = -1;
	d->vf_index = -1;
	d->written = strdup(written);
	if (!d->written)
		return -ENOMEM;
	if (vf) {
		snprintf(d->address, sizeof(d->address), "%s", vf->address);
		d->driver = xstrdup_or_null(vf->driver);
		d->netdev = xstrdup_or_null(vf->netdev);
		d->iommu_group = vf->iommu_group;
		d->vf_index = (int)vf->index;
	} else if (pf) {
		snprintf(d->address, sizeof(d->address), "%s", pf->address);
		d->driver = xstrdup_or_null(pf->driver);
		d->netdev = xstrdup_or_null(pf->n_netdevs ? pf->netdevs[0].name : NULL);
		d->iommu_group = pf->iommu_group;
	} else {
		snprintf(d->address, sizeof(d->address), "%s", address ? address : "");
		d->driver = xstrdup_or_null(driver);
		if (kind == SRIOV_EXPLAIN_OTHER)
			d->iommu_group = device_group(b->ctx, d->address);
	}
	if (pf) {
		snprintf(d->pf, sizeof(d->pf), "%s", pf->address);
		d->pf_netdev = xstrdup_or_null(pf->n_netdevs ? pf->netdevs[0].name : NULL);
		d->pf_driver = xstrdup_or_null(pf->driver);
		d->num_vfs = pf->num_vfs;
		d->total_vfs = pf->total_vfs;
	}
	return 0;
}

/* A name the text gives, looked up: PF, VF, other PCI device, or absent. */
static int lookup(struct builder *b, const char *written, const char *name,
		  bool pci)
{
	const struct sriov_pf *pf = NULL;
	const struct sriov_vf *vf = NULL;
	char *addr = NULL, *drv = NULL;
	int r;

	if (!b->host)
		return 0; /* nothing to look them up in */
	if (sriov_host_resolve(b->host, name, &pf, &vf) == 0)
		return add_device(b, written, pf, vf,
				  vf ? SRIOV_EXPLAIN_VF : SRIOV_EXPLAIN_PF,
				  NULL, NULL);
	if (!pci)
		return 0; /* a word that is no netdev here: not a device */
	if (b->ctx && sriov_lookup_non_sriov(b->ctx, name, &addr, &drv) == 0 && addr) {
		r = add_device(b, written, NULL, NULL, SRIOV_EXPLAIN_OTHER, addr, drv);
	} else {
		char canon[SRIOV_ADDR_MAX];

		/* as written, with the domain a short address leaves out */
		snprintf(canon, sizeof(canon), "%s%s",
			 strlen(name) <= 7 ? "0000:" : "", name);
		r = add_device(b, written, NULL, NULL, SRIOV_EXPLAIN_ABSENT, canon, NULL);
	}
	free(addr);
	free(drv);
	return r;
}

/* A netdev name of the host, for lookup_words(). */
struct word_dev {
	const char *name;
	const struct sriov_pf *pf;
	const struct sriov_vf *vf;
	size_t order;                /* host order: the first of equal names wins */
	bool added;
};

static int cmp_name_only(const void *a, const void *b)
{
	return strcmp(((const struct word_dev *)a)->name,
		      ((const struct word_dev *)b)->name);
}

static int cmp_word_dev(const void *a, const void *b)
{
	const struct word_dev *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : x->order < y->order ? -1 : x->order > y->order;
}

static void add_word(struct word_dev *v, size_t *k, const char *name,
		     const struct sriov_pf *pf, const struct sriov_vf *vf)
{
	v[*k] = (struct word_dev){ .name = name, .pf = pf, .vf = vf, .order = *k };
	(*k)++;
}

/*
 * The names a word may be, as sriov_host_resolve() finds them: PF netdevs,
 * the device name of a PF of another bus, a VF's netdev.
 */
static int word_index(const struct sriov_host *h, struct word_dev **out, size_t *n)
{
	struct word_dev *v;
	size_t k = 0, cap = 0;

	for (size_t i = 0; i < h->n_pfs; i++)
		cap += h->pfs[i].n_netdevs + h->pfs[i].n_vfs + 1;
	v = calloc(cap ? cap : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < h->n_pfs; i++) {
		const struct sriov_pf *p = &h->pfs[i];

		/* a PF without a netdev is no word of the text */
		if (p->n_netdevs && p->bus && strcmp(p->bus, "pci") != 0)
			add_word(v, &k, p->address, p, NULL);
		for (size_t j = 0; j < p->n_netdevs; j++)
			add_word(v, &k, p->netdevs[j].name, p, NULL);
		for (size_t j = 0; j < p->n_vfs; j++)
			if (p->vfs[j].netdev)
				add_word(v, &k, p->vfs[j].netdev, p, &p->vfs[j]);
	}
	qsort(v, k, sizeof(*v), cmp_word_dev);
	*out = v;
	*n = k;
	return 0;
}

/* Every word of the text that is a netdev of an SR-IOV PF or VF here. */
static int lookup_words(struct builder *b, const char *text)
{
	const char *p = text;
	struct word_dev *idx = NULL;
	size_t n_idx = 0;
	int r = word_index(b->host, &idx, &n_idx);

	while (r >= 0 && *p) {
		char word[64];
		size_t n = 0;

		while (*p && !(isalnum((unsigned char)*p) || *p == '_'))
			p++;
		while (p[n] && (isalnum((unsigned char)p[n]) || strchr("_.-@", p[n])))
			n++;
		/* trailing punctuation is the sentence's, not the name's */
		while (n > 0 && strchr(".-@", p[n - 1]))
			n--;
		if (n > 0 && n < sizeof(word) && !isdigit((unsigned char)p[0])) {
			struct word_dev key = { .name = word }, *d;

			memcpy(word, p, n);
			word[n] = '\0';
			d = bsearch(&key, idx, n_idx, sizeof(*idx), cmp_name_only);
			/* the first of equal names, as a lookup by name finds it */
			while (d && d > idx && strcmp(d[-1].name, word) == 0)
				d--;
			if (d && !d->added) {
				d->added = true;
				r = add_device(b, word, d->pf, d->vf,
					       d->vf ? SRIOV_EXPLAIN_VF : SRIOV_EXPLAIN_PF,
					       NULL, NULL);
			}
		}
		p += n ? n : (*p ? 1 : 0);
	}
	free(idx);
	return r;
}

static int lookup_refs(struct builder *b, const char *text,
		       const struct explain_refs *refs)
{
	int r = 0;

	for (size_t i = 0; i < refs->n_vfs && r >= 0; i++) {
		char name[300], written[300];

		snprintf(name, sizeof(name), "%s/vf%u", refs->vfs[i].netdev,
			 refs->vfs[i].index);
		snprintf(written, sizeof(written), "%s vf %u", refs->vfs[i].netdev,
			 refs->vfs[i].index);
		r = lookup(b, written, name, false);
	}
	for (size_t i = 0; i < refs->addrs.n && r >= 0; i++)
		r = lookup(b, refs->addrs.v[i], refs->addrs.v[i], true);
	for (size_t i = 0; i < refs->netdevs.n && r >= 0; i++)
		r = lookup(b, refs->netdevs.v[i], refs->netdevs.v[i], false);
	if (r >= 0 && b->host)
		r = lookup_words(b, text);
	return r;
}

/* ------------------------------------------------------------ groups */

static int add_group(struct builder *b, int g)
{
	struct sriov_explanation *e = b->e;
	struct sriov_explain_group *v;
	int r;

	if (g < 0 || !b->ctx)
		return 0;
	for (size_t i = 0; i < e->n_groups; i++)
		if (e->groups[i].group == g)
			return 0;
	v = realloc(e->groups, (e->n_groups + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	e->groups = v;
	v = &e->groups[e->n_groups++];
	memset(v, 0, sizeof(*v));
	v->group = g;
	v->viable = true;
	r = sriov_iommu_group_devices(b->ctx, g, &v->members);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	v->exists = true;
	for (size_t i = 0; i < v->members.n; i++) {
		char *drv = NULL;

		sriov_pci_device_driver(b->ctx, v->members.v[i], &drv);
		r = strv_push(&v->drivers, drv ? drv : "");
		if (!sriov_vfio_group_driver_ok(drv))
			v->viable = false;
		free(drv);
		if (r < 0)
			return r;
	}
	return 0;
}

/* ------------------------------------------------------------ advice */

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

static int advise(struct builder *b, struct sriov_explain_match *m)
{
	int r;

	if (!b->host)
		return 0;
	r = advise_one(b, m);
	if (r >= 0 && b->foreign)
		r = advise_foreign(b, m);
	return r < 0 ? r : dedupe(&m->advice);
}

static bool matched(const struct sriov_explanation *e, const char *id)
{
	for (size_t i = 0; i < e->n_matches; i++)
		if (strcmp(e->matches[i].failure->id, id) == 0)
			return true;
	return false;
}

int sriov_explain(struct sriov_ctx *ctx, const struct sriov_host *host,
		  const char *text, struct sriov_explanation **out)
{
	struct builder b = { .ctx = ctx, .host = host };
	struct explain_refs refs;
	size_t len = strnlen(text, SRIOV_EXPLAIN_TEXT_MAX + 1);
	int r;

	*out = NULL;
	if (len > SRIOV_EXPLAIN_TEXT_MAX)
		return -E2BIG;
	b.e = calloc(1, sizeof(*b.e));
	if (!b.e)
		return -ENOMEM;
	b.e->looked_up = host != NULL;
	r = match_rules(text, len, b.e);
	if (r >= 0)
		r = explain_extract(text, &refs);
	if (r < 0)
		goto fail;
	r = lookup_refs(&b, text, &refs);
	b.refs = &refs;
	for (size_t i = 0; i < b.e->n_devices; i++) {
		b.foreign |= b.e->devices[i].kind == SRIOV_EXPLAIN_ABSENT;
		b.present |= b.e->devices[i].kind != SRIOV_EXPLAIN_ABSENT;
	}
	/* this host's group N is a namesake of a foreign text's */
	for (size_t i = 0; i < refs.n_groups && r >= 0 && !b.foreign; i++)
		r = add_group(&b, refs.groups[i]);
	/* the groups of the devices named, when groups are the question */
	for (size_t i = 0; i < b.e->n_devices && r >= 0; i++)
		if (matched(b.e, "vfio.group-not-viable"))
			r = add_group(&b, b.e->devices[i].iommu_group);
	for (size_t i = 0; i < b.e->n_matches && r >= 0; i++)
		r = advise(&b, &b.e->matches[i]);
	explain_refs_free(&refs);
	if (r < 0)
		goto fail;
	free(b.found);
	*out = b.e;
	return 0;
fail:
	free(b.found);
	sriov_explanation_free(b.e);
	return r;
}
