/* SPDX-License-Identifier: MIT */
/*
 * Names users give devices: netdev, full or short PCI address, libvirt's
 * node device name (pci_0000_3b_00_0), PF/vfN; and "did you mean"
 * suggestions for names that match nothing.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "io/parse.h"
#include "pci/addr.h"
#include "util/strv.h"

static bool addr_match(const char *addr, const struct pci_addr *want,
		       bool has_domain)
{
	struct pci_addr a;

	if (pci_addr_parse(addr, &a, NULL) < 0)
		return false;
	if (!has_domain)
		a.domain = want->domain;
	return pci_addr_cmp(&a, want) == 0;
}

/* A PCI address in either spelling: "0000:3b:00.0", "3b:00.0", "pci_0000_3b_00_0". */
static int name_addr(const char *name, struct pci_addr *a, bool *has_domain)
{
	if (pci_addr_parse(name, a, has_domain) == 0)
		return 0;
	*has_domain = true;
	return pci_addr_parse_nodedev(name, a);
}

static int resolve_addr(const struct sriov_host *host, const char *name,
			const struct sriov_pf **pf, const struct sriov_vf **vf)
{
	struct pci_addr want;
	bool has_domain;
	int found = 0;

	if (name_addr(name, &want, &has_domain) < 0)
		return -EINVAL;
	for (size_t i = 0; i < host->n_pfs; i++) {
		const struct sriov_pf *p = &host->pfs[i];

		if (addr_match(p->address, &want, has_domain)) {
			*pf = p;
			*vf = NULL;
			found++;
		}
		for (size_t j = 0; j < p->n_vfs; j++)
			if (addr_match(p->vfs[j].address, &want, has_domain)) {
				*pf = p;
				*vf = &p->vfs[j];
				found++;
			}
	}
	if (found > 1)
		return -ENOTUNIQ;
	return found ? 0 : -ENOENT;
}

static int resolve_netdev(const struct sriov_host *host, const char *name,
			  const struct sriov_pf **pf,
			  const struct sriov_vf **vf)
{
	for (size_t i = 0; i < host->n_pfs; i++) {
		const struct sriov_pf *p = &host->pfs[i];

		/* devices of other buses go by their device name */
		if (p->bus && strcmp(p->bus, "pci") != 0 &&
		    strcmp(p->address, name) == 0) {
			*pf = p;
			*vf = NULL;
			return 0;
		}
		for (size_t k = 0; k < p->n_netdevs; k++)
			if (strcmp(p->netdevs[k].name, name) == 0) {
				*pf = p;
				*vf = NULL;
				return 0;
			}
		for (size_t j = 0; j < p->n_vfs; j++)
			if (strv_find(&p->vfs[j].netdevs, name) >= 0) {
				*pf = p;
				*vf = &p->vfs[j];
				return 0;
			}
	}
	return -ENOENT;
}

int sriov_host_resolve(const struct sriov_host *host, const char *name,
		       const struct sriov_pf **pf, const struct sriov_vf **vf)
{
	const struct sriov_pf *p = NULL;
	const struct sriov_vf *v = NULL;
	const char *slash;
	int r;

	if (!name || !*name)
		return -EINVAL;
	slash = strchr(name, '/');
	if (slash) {
		char pfname[256];
		unsigned idx;
		size_t plen = (size_t)(slash - name);

		if (plen == 0 || plen >= sizeof(pfname) ||
		    strncmp(slash + 1, "vf", 2) != 0 ||
		    parse_uint(slash + 3, strlen(slash + 3), 0xffff, &idx) < 0)
			return -EINVAL;
		memcpy(pfname, name, plen);
		pfname[plen] = '\0';
		r = sriov_host_resolve(host, pfname, &p, &v);
		if (r < 0)
			return r;
		if (v)
			return -EINVAL; /* "VF/vfN" makes no sense */
		for (size_t j = 0; j < p->n_vfs; j++)
			if (p->vfs[j].index == idx) {
				*pf = p;
				*vf = &p->vfs[j];
				return 0;
			}
		return -ERANGE;
	}
	r = resolve_addr(host, name, &p, &v);
	if (r == -EINVAL) {
		r = resolve_netdev(host, name, &p, &v);
		/* a misspelt node device name, not a missing netdev */
		if (r == -ENOENT && strncmp(name, "pci_", 4) == 0)
			r = -EINVAL;
	}
	if (r < 0)
		return r;
	*pf = p;
	*vf = v;
	return 0;
}

/* Levenshtein distance, case-insensitive, bounded to short names. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[65];

	if (la > 64 || lb > 64)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t prev = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t cost = tolower((unsigned char)a[i - 1]) !=
				      tolower((unsigned char)b[j - 1]);
			size_t best = prev + cost;

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

struct cand {
	size_t dist;
	char *name;
};

struct cands {
	struct cand *v;
	size_t n, cap;
	const char *want;
	size_t limit;
};

static int consider(struct cands *c, const char *name)
{
	size_t d;
	bool prefix;

	if (!name || !*name)
		return 0;
	prefix = strncasecmp(name, c->want, strlen(c->want)) == 0;
	d = prefix ? 0 : distance(c->want, name);
	if (d > c->limit)
		return 0;
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->v[i].name, name) == 0)
			return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		struct cand *v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n].name = strdup(name);
	if (!c->v[c->n].name)
		return -ENOMEM;
	c->v[c->n++].dist = d;
	return 0;
}

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->dist != y->dist)
		return x->dist < y->dist ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int consider_nodedev(struct cands *c, const char *address)
{
	struct pci_addr a;
	char buf[32];

	if (pci_addr_parse(address, &a, NULL) < 0)
		return 0;
	return consider(c, pci_addr_format_nodedev(&a, buf, sizeof(buf)));
}

int sriov_host_suggest(const struct sriov_host *host, const char *name,
		       size_t max, struct sriov_strv *out)
{
	struct cands c = { .want = name };
	size_t len = strlen(name);
	bool nodedev = strncmp(name, "pci_", 4) == 0;
	int r = 0;

	/* A third of the name may be wrong, and always a typo or two. */
	c.limit = len / 3 > 2 ? len / 3 : 2;
	for (size_t i = 0; i < host->n_pfs && r == 0; i++) {
		const struct sriov_pf *p = &host->pfs[i];

		r = consider(&c, p->address);
		if (r == 0 && strlen(p->address) > 5)
			r = consider(&c, p->address + 5); /* short form */
		if (r == 0 && nodedev)
			r = consider_nodedev(&c, p->address);
		for (size_t k = 0; k < p->n_netdevs && r == 0; k++)
			r = consider(&c, p->netdevs[k].name);
		for (size_t j = 0; j < p->n_vfs && r == 0; j++) {
			const struct sriov_vf *v = &p->vfs[j];

			r = consider(&c, v->address);
			if (r == 0 && nodedev)
				r = consider_nodedev(&c, v->address);
			if (r == 0 && v->netdev)
				r = consider(&c, v->netdev);
			if (r == 0 && p->n_netdevs && strchr(name, '/')) {
				char buf[300];

				snprintf(buf, sizeof(buf), "%s/vf%u",
					 p->netdevs[0].name, v->index);
				r = consider(&c, buf);
			}
		}
	}
	if (r == 0) {
		if (c.n)
			qsort(c.v, c.n, sizeof(*c.v), cmp_cand);
		out->v = NULL;
		out->n = 0;
		for (size_t i = 0; i < c.n && i < max && r == 0; i++)
			r = strv_push(out, c.v[i].name);
		if (r < 0)
			sriov_strv_clear(out);
	}
	for (size_t i = 0; i < c.n; i++)
		free(c.v[i].name);
	free(c.v);
	return r;
}

/*
 * The PCI device an interface belongs to: the nearest PCI-addressed
 * directory above it in its canonical sysfs path (virtio netdevs sit one
 * level below their PCI device: .../0000:00:03.0/virtio2/net/eth0).
 */
static bool netdev_pci_address(struct sriov_ctx *ctx, const char *ifname,
			       char *out, size_t outsz)
{
	char rel[512], target[4096], path[4096];
	struct pci_addr a;
	char *slash;

	snprintf(rel, sizeof(rel), "sys/class/net/%s", ifname);
	if (rootfs_readlink(ctx->rfs, ROOTFS_TOP, rel, target,
			    sizeof(target)) < 0 ||
	    rootfs_join("sys/class/net", target, path, sizeof(path)) < 0)
		return false;
	while ((slash = strrchr(path, '/'))) {
		if (pci_addr_parse(slash + 1, &a, NULL) == 0 &&
		    strchr(slash + 1, ':') != strrchr(slash + 1, ':')) {
			pci_addr_format(&a, out, outsz);
			return true;
		}
		*slash = '\0';
	}
	return false;
}

int sriov_lookup_non_sriov(struct sriov_ctx *ctx, const char *name,
			   char **address, char **driver)
{
	char path[512], canon[SRIOV_ADDR_MAX];
	struct pci_addr a;
	int r;

	*address = NULL;
	*driver = NULL;
	if (!*name || strchr(name, '/') || strlen(name) > 255)
		return -ENOENT;
	if (pci_addr_parse(name, &a, NULL) == 0 ||
	    pci_addr_parse_nodedev(name, &a) == 0) {
		pci_addr_format(&a, canon, sizeof(canon));
	} else {
		char target[4096];

		/* the link itself: its target may be outside a captured tree */
		snprintf(path, sizeof(path), "sys/class/net/%s", name);
		if (rootfs_readlink(ctx->rfs, ROOTFS_TOP, path, target,
				    sizeof(target)) < 0)
			return -ENOENT;
		if (!netdev_pci_address(ctx, name, canon, sizeof(canon)))
			return 0; /* a virtual interface */
	}
	r = sriov_pci_device_driver(ctx, canon, driver);
	if (r < 0)
		return r;
	*address = strdup(canon);
	if (!*address) {
		free(*driver);
		*driver = NULL;
		return -ENOMEM;
	}
	return 0;
}

static int refs_push(struct sriov_vf_refs *r, const struct sriov_pf *pf,
		     const struct sriov_vf *vf)
{
	struct sriov_vf_ref *v;

	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].vf == vf)
			return 0; /* "vf1,1-2" names vf1 once */
	v = realloc(r->v, (r->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	r->v = v;
	r->v[r->n].pf = pf;
	r->v[r->n++].vf = vf;
	return 0;
}

const struct sriov_pf *sriov_host_pf(const struct sriov_host *host,
				    const char *address)
{
	for (size_t i = 0; i < host->n_pfs; i++)
		if (strcmp(host->pfs[i].address, address) == 0)
			return &host->pfs[i];
	return NULL;
}

const struct sriov_vf *sriov_pf_vf(const struct sriov_pf *pf, unsigned idx)
{
	for (size_t j = 0; j < pf->n_vfs; j++)
		if (pf->vfs[j].index == idx)
			return &pf->vfs[j];
	return NULL;
}

/* "0-3", "0,2,5-7" after "vf": every index must exist on @pf. */
static int parse_vf_list(const struct sriov_pf *pf, const char *spec,
			 struct sriov_vf_refs *out)
{
	const char *p = spec;

	if (!*p)
		return -EINVAL;
	while (*p) {
		size_t len = strcspn(p, ","), dash;
		unsigned lo, hi;
		int r;

		if (len == 0)
			return -EINVAL;
		dash = strcspn(p, "-,");
		if (parse_uint(p, dash, 0xffff, &lo) < 0)
			return -EINVAL;
		hi = lo;
		if (dash < len && (parse_uint(p + dash + 1, len - dash - 1,
					      0xffff, &hi) < 0 || hi < lo))
			return -EINVAL;
		for (unsigned i = lo; i <= hi; i++) {
			const struct sriov_vf *vf = sriov_pf_vf(pf, i);

			if (!vf)
				return -ERANGE;
			r = refs_push(out, pf, vf);
			if (r < 0)
				return r;
		}
		p += len;
		if (*p == ',' && !*++p)
			return -EINVAL;
	}
	return 0;
}

int sriov_host_resolve_vfs(const struct sriov_host *host, const char *name,
			   struct sriov_vf_refs *out)
{
	const struct sriov_pf *pf = NULL;
	const struct sriov_vf *vf = NULL;
	const char *slash;
	int r;

	out->v = NULL;
	out->n = 0;
	if (!name || !*name)
		return -EINVAL;
	slash = strchr(name, '/');
	if (slash && strncmp(slash + 1, "vf", 2) == 0 &&
	    slash[3 + strcspn(slash + 3, ",-")]) {
		char pfname[256];
		size_t plen = (size_t)(slash - name);

		if (plen == 0 || plen >= sizeof(pfname))
			return -EINVAL;
		memcpy(pfname, name, plen);
		pfname[plen] = '\0';
		r = sriov_host_resolve(host, pfname, &pf, &vf);
		if (r == 0 && vf)
			r = -EINVAL; /* "VF/vf0-3" */
		if (r == 0)
			r = parse_vf_list(pf, slash + 3, out);
	} else {
		r = sriov_host_resolve(host, name, &pf, &vf);
		if (r == 0 && vf)
			r = refs_push(out, pf, vf);
		else if (r == 0 && pf->n_vfs == 0)
			r = -ENODATA;
		for (size_t j = 0; r == 0 && !vf && j < pf->n_vfs; j++)
			r = refs_push(out, pf, &pf->vfs[j]);
	}
	if (r < 0)
		sriov_vf_refs_clear(out);
	return r;
}

void sriov_vf_refs_clear(struct sriov_vf_refs *r)
{
	if (!r)
		return;
	free(r->v);
	r->v = NULL;
	r->n = 0;
}
