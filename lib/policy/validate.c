/* SPDX-License-Identifier: MIT */
/*
 * The syntax checks that need the whole policy (every file merged): a PF
 * matched twice, overlapping VF ranges that disagree, one MAC for two VFs.
 * In O(n log n): entries are grouped by the PF they name by sorting, and
 * a VF's value is the first one given for it (in file order), kept in a
 * segment tree over the group's range boundaries; each later range that
 * gives a different value is reported once per setting, at that value.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"

/* Whether an entry can name the same PF as another: it has a selector. */
static bool keyed(const struct sriov_policy_pf *a)
{
	return a->match != SRIOV_POLICY_MATCH_NONE &&
	       (a->match == SRIOV_POLICY_MATCH_ID || a->value);
}

/* Order of the PFs entries name; 0 when the same PF by the same selector. */
static int pf_cmp(const struct sriov_policy_pf *a, const struct sriov_policy_pf *b)
{
	if (a->match != b->match)
		return a->match < b->match ? -1 : 1;
	if (a->match == SRIOV_POLICY_MATCH_ID)
		return a->vendor_id != b->vendor_id ? (a->vendor_id < b->vendor_id ? -1 : 1)
		       : a->device_id != b->device_id ? (a->device_id < b->device_id ? -1 : 1)
		       : 0;
	return strcasecmp(a->value, b->value);
}

#define CMP(x, y) ((x) < (y) ? -1 : (x) > (y))

/* The fields overlapping ranges must agree on: the VF settings, then pool. */
#define FIELD_POOL SRIOV_VF_ATTR__COUNT

static bool has_field(const struct sriov_policy_vfs *v, int f)
{
	return f == FIELD_POOL ? v->pool != NULL : (v->set & 1u << f) != 0;
}

static const struct sriov_policy_loc *field_at(const struct sriov_policy_vfs *v, int f)
{
	return f == FIELD_POOL ? &v->pool_at : &v->at[f];
}

/* Order of VF field @f's values in @a and @b; 0 when equal. */
static int vfs_cmp(const struct sriov_policy_vfs *a, const struct sriov_policy_vfs *b,
		   int f)
{
	struct sriov_vf_attr_value x, y;
	int rx, ry;

	if (f == FIELD_POOL)
		return strcmp(a->pool, b->pool);
	rx = sriov_policy_vfs_value(a, (enum sriov_vf_attr)f, &x);
	ry = sriov_policy_vfs_value(b, (enum sriov_vf_attr)f, &y);
	if (rx != ry)
		return CMP(ry, rx); /* mac: auto after any address */
	if (rx < 0)
		return 0;
	switch (sriov_vf_attr_info((enum sriov_vf_attr)f)->type) {
	case SRIOV_VF_ATTR_T_MAC:
		return memcmp(x.mac, y.mac, 6);
	case SRIOV_VF_ATTR_T_DRIVER:
		return strcmp(x.str, y.str);
	default:
		return CMP(x.u, y.u);
	}
}

bool policy_vfs_same(const struct sriov_policy_vfs *a,
		     const struct sriov_policy_vfs *b, int f)
{
	return vfs_cmp(a, b, f) == 0;
}

static const char *pf_label(const struct sriov_policy_pf *pf, char *buf, size_t len)
{
	if (pf->match == SRIOV_POLICY_MATCH_ID)
		snprintf(buf, len, "vendor %04x device %04x", pf->vendor_id, pf->device_id);
	else
		snprintf(buf, len, "%s", pf->value ? pf->value : "?");
	return buf;
}

/* A VF range, where it is in the policy, and its PF group. */
struct range {
	const struct sriov_policy_vfs *v;
	const struct sriov_policy_pf *pf;
	size_t entry, index;     /* file order: entry, then range in it */
	size_t group;            /* first entry naming the same PF */
	int cls;                 /* per field: its value's class */
};

/* A disagreement found, reported in file order at the end. */
struct finding {
	const struct range *b, *a;   /* the later range and the first value's */
	int f;
};

struct work {
	struct sriov_policy *p;
	struct range *r;
	size_t n;
	struct finding *found;
	size_t n_found, cap_found;
	/* per group and field, sized for the largest group */
	unsigned *xs;
	size_t *sorted;
	size_t *tmp;
	int *mn, *mx;            /* segment tree: min/max class of painted cells */
	size_t *owner, *next;    /* per cell: the range that painted it; next unpainted */
};

static int add_finding(struct work *w, const struct range *b, const struct range *a, int f)
{
	if (w->n_found == w->cap_found) {
		size_t cap = w->cap_found ? w->cap_found * 2 : 16;
		struct finding *v = realloc(w->found, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		w->found = v;
		w->cap_found = cap;
	}
	w->found[w->n_found++] = (struct finding){ b, a, f };
	return 0;
}

/* ------------------------------------------------------------ segment tree */

static void tree_init(struct work *w, size_t node, size_t lo, size_t hi)
{
	w->mn[node] = INT_MAX;
	w->mx[node] = INT_MIN;
	if (lo == hi)
		return;
	tree_init(w, 2 * node, lo, (lo + hi) / 2);
	tree_init(w, 2 * node + 1, (lo + hi) / 2 + 1, hi);
}

static void tree_set(struct work *w, size_t node, size_t lo, size_t hi, size_t at, int cls)
{
	if (lo == hi) {
		w->mn[node] = w->mx[node] = cls;
		return;
	}
	if (at <= (lo + hi) / 2)
		tree_set(w, 2 * node, lo, (lo + hi) / 2, at, cls);
	else
		tree_set(w, 2 * node + 1, (lo + hi) / 2 + 1, hi, at, cls);
	w->mn[node] = w->mn[2 * node] < w->mn[2 * node + 1] ? w->mn[2 * node] : w->mn[2 * node + 1];
	w->mx[node] = w->mx[2 * node] > w->mx[2 * node + 1] ? w->mx[2 * node] : w->mx[2 * node + 1];
}

/* The first painted cell in [l, r] whose class is not @cls, or SIZE_MAX. */
static size_t tree_first_other(const struct work *w, size_t node, size_t lo, size_t hi,
			       size_t l, size_t r, int cls)
{
	size_t mid = (lo + hi) / 2, got;

	if (r < lo || hi < l || w->mn[node] == INT_MAX ||
	    (w->mn[node] == cls && w->mx[node] == cls))
		return SIZE_MAX;
	if (lo == hi)
		return lo;
	got = tree_first_other(w, 2 * node, lo, mid, l, r, cls);
	return got != SIZE_MAX ? got : tree_first_other(w, 2 * node + 1, mid + 1, hi, l, r, cls);
}

static size_t next_unpainted(struct work *w, size_t c)
{
	size_t root = c;

	while (w->next[root] != root)
		root = w->next[root];
	while (w->next[c] != root) {
		size_t up = w->next[c];

		w->next[c] = root;
		c = up;
	}
	return root;
}

/* ------------------------------------------------------------ overlaps */

static int cmp_uint(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return CMP(x, y);
}

/* A stable merge sort of range indexes by field @f (qsort has no context). */
static void msort(size_t *v, size_t *tmp, size_t n, const struct range *r, int f)
{
	size_t h = n / 2, i = 0, j = h, k = 0;

	if (n < 2)
		return;
	msort(v, tmp, h, r, f);
	msort(v + h, tmp, n - h, r, f);
	while (i < h && j < n) {
		int c = vfs_cmp(r[v[i]].v, r[v[j]].v, f);

		tmp[k++] = c <= 0 ? v[i++] : v[j++];
	}
	while (i < h)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

/*
 * Field @f over the ranges r[from, to) of one PF group, in file order: each
 * VF keeps the first value given; a later range giving another value for
 * some of its VFs is a finding, against the range of the first such VF.
 */
static int group_field(struct work *w, size_t from, size_t to, int f)
{
	struct range *r = w->r;
	size_t n = 0, k = 0, cells;

	for (size_t i = from; i < to; i++)
		if (has_field(r[i].v, f)) {
			w->sorted[n++] = i;
			w->xs[k++] = r[i].v->first;
			w->xs[k++] = r[i].v->last + 1;
		}
	if (n < 2)
		return 0;
	/* classes of equal values: a stable sort by value, each run its first's */
	msort(w->sorted, w->tmp, n, r, f);
	for (size_t i = 0; i < n; i++)
		r[w->sorted[i]].cls = i && vfs_cmp(r[w->sorted[i - 1]].v,
						   r[w->sorted[i]].v, f) == 0 ?
				      r[w->sorted[i - 1]].cls : (int)i;
	/* the distinct range boundaries; a cell lies between two of them */
	qsort(w->xs, k, sizeof(*w->xs), cmp_uint);
	for (size_t i = 0, m = 0; i < k; i++) {
		if (m == 0 || w->xs[i] != w->xs[m - 1])
			w->xs[m++] = w->xs[i];
		if (i + 1 == k)
			k = m;
	}
	cells = k - 1;
	tree_init(w, 1, 0, cells - 1);
	for (size_t c = 0; c <= cells; c++)
		w->next[c] = c;
	for (size_t i = from; i < to; i++) {
		const struct sriov_policy_vfs *v = r[i].v;
		unsigned *lo, *hi;
		size_t l, e, c;

		if (!has_field(v, f))
			continue;
		lo = bsearch(&v->first, w->xs, k, sizeof(*w->xs), cmp_uint);
		hi = bsearch(&(unsigned){ v->last + 1 }, w->xs, k, sizeof(*w->xs), cmp_uint);
		l = (size_t)(lo - w->xs);
		e = (size_t)(hi - w->xs) - 1;
		c = tree_first_other(w, 1, 0, cells - 1, l, e, r[i].cls);
		if (c != SIZE_MAX && add_finding(w, &r[i], &r[w->owner[c]], f) < 0)
			return -ENOMEM;
		for (c = next_unpainted(w, l); c <= e; c = next_unpainted(w, c + 1)) {
			w->owner[c] = i;
			w->next[c] = c + 1;
			tree_set(w, 1, 0, cells - 1, c, r[i].cls);
		}
	}
	return 0;
}

/* Findings in file order: of the later range, then by setting. */
static int cmp_finding(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;

	if (x->b->entry != y->b->entry)
		return CMP(x->b->entry, y->b->entry);
	if (x->b->index != y->b->index)
		return CMP(x->b->index, y->b->index);
	return CMP(x->f, y->f);
}

static int report_overlap(struct sriov_policy *p, const struct finding *fd)
{
	const struct sriov_policy_vfs *a = fd->a->v, *b = fd->b->v;
	unsigned lo = a->first > b->first ? a->first : b->first;
	unsigned hi = a->last < b->last ? a->last : b->last;
	char name[64], vfs[32];

	if (lo == hi)
		snprintf(vfs, sizeof(vfs), "VF %u", lo);
	else
		snprintf(vfs, sizeof(vfs), "VFs %u-%u", lo, hi);
	const struct sriov_policy_loc *at = field_at(a, fd->f);

	return policy_error(p, field_at(b, fd->f), "%s of %s %s disagrees with the value "
			    "at %s:%u:%u for the same VF%s",
			    fd->f == FIELD_POOL ? "pool" : sriov_vf_attr_key(fd->f),
			    pf_label(fd->b->pf, name, sizeof(name)),
			    vfs, at->file, at->line, at->column,
			    lo == hi ? "" : "s");
}

/* ------------------------------------------------------------ PF groups */

struct pf_ref {
	const struct sriov_policy_pf *pf;
	size_t i;
};

static int cmp_pf_ref(const void *a, const void *b)
{
	const struct pf_ref *x = a, *y = b;
	bool kx = keyed(x->pf), ky = keyed(y->pf);
	int c = kx != ky ? CMP(kx, ky) : kx ? pf_cmp(x->pf, y->pf) : 0;

	return c ? c : CMP(x->i, y->i);
}

/* group[i]: the first entry naming the same PF as entry i (i itself if none). */
static size_t *pf_groups(const struct sriov_policy *p)
{
	struct pf_ref *v = calloc(p->n_pfs + 1, sizeof(*v));
	size_t *group = calloc(p->n_pfs + 1, sizeof(*group));

	if (!v || !group) {
		free(v);
		free(group);
		return NULL;
	}
	for (size_t i = 0; i < p->n_pfs; i++)
		v[i] = (struct pf_ref){ &p->pfs[i], i };
	qsort(v, p->n_pfs, sizeof(*v), cmp_pf_ref);
	for (size_t i = 0; i < p->n_pfs; i++)
		group[v[i].i] = i && keyed(v[i].pf) && keyed(v[i - 1].pf) &&
				pf_cmp(v[i].pf, v[i - 1].pf) == 0 ? group[v[i - 1].i] : v[i].i;
	free(v);
	return group;
}

/* A PF entry twice (not counting selector entries, which add ranges to one). */
static int check_twice(struct sriov_policy *p, const size_t *group)
{
	size_t *first = malloc((p->n_pfs + 1) * sizeof(*first));
	char name[64];
	int r = 0;

	if (!first)
		return -ENOMEM;
	for (size_t i = 0; i < p->n_pfs; i++)
		first[i] = SIZE_MAX;
	for (size_t i = 0; i < p->n_pfs && r == 0; i++) {
		const struct sriov_policy_pf *pf = &p->pfs[i], *q;

		if (pf->from_selector)
			continue;
		if (first[group[i]] == SIZE_MAX) {
			first[group[i]] = i;
			continue;
		}
		q = &p->pfs[first[group[i]]];
		r = policy_error(p, &pf->match_loc, "PF %s is already matched at %s:%u:%u; "
				 "merge the two entries",
				 pf_label(pf, name, sizeof(name)), q->match_loc.file,
				 q->match_loc.line, q->match_loc.column);
	}
	free(first);
	return r;
}

static int cmp_range_group(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	if (x->group != y->group)
		return CMP(x->group, y->group);
	if (x->entry != y->entry)
		return CMP(x->entry, y->entry);
	return CMP(x->index, y->index);
}

static int check_overlaps(struct work *w)
{
	size_t biggest = 0;
	int r = 0;

	/* each group's ranges together, in file order */
	qsort(w->r, w->n, sizeof(*w->r), cmp_range_group);
	for (size_t a = 0, b; a < w->n; a = b) {
		for (b = a + 1; b < w->n && w->r[b].group == w->r[a].group; b++)
			;
		if (b - a > biggest)
			biggest = b - a;
	}
	w->xs = calloc(2 * biggest + 1, sizeof(*w->xs));
	w->sorted = calloc(biggest + 1, sizeof(*w->sorted));
	w->tmp = calloc(biggest + 1, sizeof(*w->tmp));
	w->mn = calloc(8 * biggest + 4, sizeof(*w->mn));
	w->mx = calloc(8 * biggest + 4, sizeof(*w->mx));
	w->owner = calloc(2 * biggest + 1, sizeof(*w->owner));
	w->next = calloc(2 * biggest + 2, sizeof(*w->next));
	if (!w->xs || !w->sorted || !w->tmp || !w->mn || !w->mx || !w->owner || !w->next)
		return -ENOMEM;
	for (size_t a = 0, b; a < w->n && r == 0; a = b) {
		for (b = a + 1; b < w->n && w->r[b].group == w->r[a].group; b++)
			;
		for (int f = 0; f <= FIELD_POOL && r == 0; f++)
			r = group_field(w, a, b, f);
	}
	if (r < 0)
		return r;
	if (w->n_found)
		qsort(w->found, w->n_found, sizeof(*w->found), cmp_finding);
	for (size_t i = 0; i < w->n_found && r == 0; i++)
		r = report_overlap(w->p, &w->found[i]);
	w->n_found = 0;
	return r;
}

/* ------------------------------------------------------------ MACs */

static int cmp_mac(const void *a, const void *b)
{
	const struct range *x = *(const struct range *const *)a;
	const struct range *y = *(const struct range *const *)b;
	int c = memcmp(x->v->mac, y->v->mac, 6);

	if (c)
		return c;
	return x->entry != y->entry ? CMP(x->entry, y->entry) : CMP(x->index, y->index);
}

/* The same VF: the same PF and overlapping ranges (an overlap that agrees). */
static bool same_vf(const struct range *a, const struct range *b)
{
	return a->group == b->group && a->v->first <= b->v->last &&
	       b->v->first <= a->v->last;
}

static int report_mac(struct sriov_policy *p, const struct finding *fd)
{
	const struct sriov_policy_vfs *a = fd->a->v, *b = fd->b->v;

	return policy_error(p, &b->at[SRIOV_VF_ATTR_MAC],
			    "mac: %02x:%02x:%02x:%02x:%02x:%02x is already "
			    "given to another VF at %s:%u:%u",
			    b->mac[0], b->mac[1], b->mac[2], b->mac[3], b->mac[4], b->mac[5],
			    a->at[SRIOV_VF_ATTR_MAC].file, a->at[SRIOV_VF_ATTR_MAC].line,
			    a->at[SRIOV_VF_ATTR_MAC].column);
}

/*
 * One explicit MAC for two VFs: each range once, against the first range
 * before it with that MAC that is another VF. Ranges of one VF are alike
 * (the same PF, the same index), so that one is the group's first, or the
 * first that is not the first's VF.
 */
static int check_macs(struct work *w)
{
	const struct range **m = calloc(w->n + 1, sizeof(*m));
	size_t n = 0;
	int r = 0;

	if (!m)
		return -ENOMEM;
	for (size_t i = 0; i < w->n; i++)
		if ((w->r[i].v->set & 1u << SRIOV_VF_ATTR_MAC) && !w->r[i].v->mac_auto)
			m[n++] = &w->r[i];
	qsort(m, n, sizeof(*m), cmp_mac);
	for (size_t a = 0, b; a < n && r == 0; a = b) {
		const struct range *e0 = m[a], *e1 = NULL;

		for (b = a + 1; b < n && r == 0 && memcmp(m[b]->v->mac, e0->v->mac, 6) == 0; b++) {
			if (!same_vf(e0, m[b]))
				r = add_finding(w, m[b], e0, SRIOV_VF_ATTR_MAC);
			else if (e1 && !same_vf(e1, m[b]))
				r = add_finding(w, m[b], e1, SRIOV_VF_ATTR_MAC);
			if (!e1 && !same_vf(e0, m[b]))
				e1 = m[b];
		}
	}
	free(m);
	if (r < 0)
		return r;
	if (w->n_found)
		qsort(w->found, w->n_found, sizeof(*w->found), cmp_finding);
	for (size_t i = 0; i < w->n_found && r == 0; i++)
		r = report_mac(w->p, &w->found[i]);
	return r;
}

int sriov_policy_validate(struct sriov_policy *p)
{
	struct work w = { .p = p };
	size_t *group = pf_groups(p);
	int r;

	if (!group)
		return -ENOMEM;
	r = check_twice(p, group);
	for (size_t i = 0; i < p->n_pfs; i++)
		w.n += p->pfs[i].n_vfs;
	w.r = calloc(w.n + 1, sizeof(*w.r));
	if (r == 0 && !w.r)
		r = -ENOMEM;
	for (size_t i = 0, k = 0; r == 0 && i < p->n_pfs; i++)
		for (size_t j = 0; j < p->pfs[i].n_vfs; j++)
			w.r[k++] = (struct range){ &p->pfs[i].vfs[j], &p->pfs[i], i, j,
						   group[i], 0 };
	if (r == 0)
		r = check_overlaps(&w);
	if (r == 0)
		r = check_macs(&w);
	free(group);
	free(w.r);
	free(w.found);
	free(w.xs);
	free(w.sorted);
	free(w.tmp);
	free(w.mn);
	free(w.mx);
	free(w.owner);
	free(w.next);
	return r;
}
