/* SPDX-License-Identifier: MIT */
/*
 * The devices and IOMMU groups an explained text names, looked up in the
 * inventory and, for groups, on the host.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "explain/builder.h"
#include "host/pcidev.h"
#include "util/strv.h"

static int device_group(struct sriov_ctx *ctx, const char *addr)
{
	struct pcidev d;
	int g = -1;

	if (ctx && pcidev_open(ctx->rfs, addr, &d) == 0)
		g = pcidev_iommu_group(&d);
	if (ctx)
		pcidev_close(&d);
	return g;
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

int explain_lookup_refs(struct builder *b, const char *text,
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

int explain_add_group(struct builder *b, int g)
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
