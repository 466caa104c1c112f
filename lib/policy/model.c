/* SPDX-License-Identifier: MIT */
/* The policy model: ownership, growth, and collected errors. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"

static const char *const pf_fields[SRIOV_PPF__COUNT] = {
	[SRIOV_PPF_NUM_VFS] = "num_vfs", [SRIOV_PPF_MTU] = "mtu",
	[SRIOV_PPF_AUTOPROBE] = "drivers_autoprobe",
	[SRIOV_PPF_LINK_STATE] = "link_state",
};

const char *policy_pf_field_name(int f)
{
	return f >= 0 && f < SRIOV_PPF__COUNT ? pf_fields[f] : NULL;
}

int sriov_policy_vfs_value(const struct sriov_policy_vfs *r,
			   enum sriov_vf_attr a, struct sriov_vf_attr_value *v)
{
	memset(v, 0, sizeof(*v));
	switch (a) {
	case SRIOV_VF_ATTR_MAC:
		if (r->mac_auto)
			return -ENODATA;
		memcpy(v->mac, r->mac, 6);
		return 0;
	case SRIOV_VF_ATTR_VLAN:       v->u = r->vlan; return 0;
	case SRIOV_VF_ATTR_QOS:        v->u = r->qos; return 0;
	case SRIOV_VF_ATTR_VLAN_PROTO: v->u = r->vlan_proto; return 0;
	case SRIOV_VF_ATTR_MIN_RATE:   v->u = r->min_tx_rate; return 0;
	case SRIOV_VF_ATTR_MAX_RATE:   v->u = r->max_tx_rate; return 0;
	case SRIOV_VF_ATTR_SPOOFCHK:   v->u = r->spoofchk; return 0;
	case SRIOV_VF_ATTR_TRUST:      v->u = r->trust; return 0;
	case SRIOV_VF_ATTR_QUERY_RSS:  v->u = r->query_rss; return 0;
	case SRIOV_VF_ATTR_LINK_STATE: v->u = (unsigned)r->link_state; return 0;
	case SRIOV_VF_ATTR_MTU:        v->u = r->mtu; return 0;
	case SRIOV_VF_ATTR_DRIVER:     v->str = r->driver; return 0;
	case SRIOV_VF_ATTR__COUNT:     break;
	}
	return -EINVAL;
}

int policy_vfs_set(struct sriov_policy_vfs *r, enum sriov_vf_attr a,
		   const struct sriov_vf_attr_value *v)
{
	char *d;

	switch (a) {
	case SRIOV_VF_ATTR_MAC:        memcpy(r->mac, v->mac, 6); return 0;
	case SRIOV_VF_ATTR_VLAN:       r->vlan = v->u; return 0;
	case SRIOV_VF_ATTR_QOS:        r->qos = v->u; return 0;
	case SRIOV_VF_ATTR_VLAN_PROTO: r->vlan_proto = (uint16_t)v->u; return 0;
	case SRIOV_VF_ATTR_MIN_RATE:   r->min_tx_rate = v->u; return 0;
	case SRIOV_VF_ATTR_MAX_RATE:   r->max_tx_rate = v->u; return 0;
	case SRIOV_VF_ATTR_SPOOFCHK:   r->spoofchk = v->u; return 0;
	case SRIOV_VF_ATTR_TRUST:      r->trust = v->u; return 0;
	case SRIOV_VF_ATTR_QUERY_RSS:  r->query_rss = v->u; return 0;
	case SRIOV_VF_ATTR_LINK_STATE: r->link_state = (int)v->u; return 0;
	case SRIOV_VF_ATTR_MTU:        r->mtu = v->u; return 0;
	case SRIOV_VF_ATTR_DRIVER:
		if (!(d = strdup(v->str)))
			return -ENOMEM;
		free(r->driver);
		r->driver = d;
		return 0;
	case SRIOV_VF_ATTR__COUNT:
		break;
	}
	return -EINVAL;
}

int sriov_policy_new(struct sriov_policy **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void sriov_policy_free(struct sriov_policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_pfs; i++) {
		struct sriov_policy_pf *pf = &p->pfs[i];

		free(pf->value);
		for (size_t j = 0; j < pf->n_vfs; j++)
		{
			free(pf->vfs[j].driver);
			free(pf->vfs[j].pool);
		}
		free(pf->vfs);
	}
	free(p->pfs);
	for (size_t i = 0; i < p->n_errors; i++)
		free(p->errors[i].message);
	free(p->errors);
	sriov_strv_clear(&p->files);
	free(p);
}

/*
 * Room for one more of @n entries of @size at *@v: the arrays grow in
 * powers of two (their capacity is implied by n), so appending is linear.
 */
static int grow(void **v, size_t n, size_t size)
{
	void *nv;

	if (n != 0 && (n < 4 || (n & (n - 1)) != 0))
		return 0;
	nv = realloc(*v, (n ? n * 2 : 4) * size);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	return 0;
}

int policy_error(struct sriov_policy *p, const struct sriov_policy_loc *loc,
		 const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -ENOMEM;
	if (grow((void **)&p->errors, p->n_errors, sizeof(*p->errors)) < 0) {
		free(msg);
		return -ENOMEM;
	}
	p->errors[p->n_errors++] = (struct sriov_policy_error){ *loc, msg };
	return 0;
}

struct sriov_policy_pf *policy_pf_add(struct sriov_policy *p)
{
	if (grow((void **)&p->pfs, p->n_pfs, sizeof(*p->pfs)) < 0)
		return NULL;
	memset(&p->pfs[p->n_pfs], 0, sizeof(*p->pfs));
	return &p->pfs[p->n_pfs++];
}

struct sriov_policy_vfs *policy_vfs_add(struct sriov_policy_pf *pf)
{
	if (grow((void **)&pf->vfs, pf->n_vfs, sizeof(*pf->vfs)) < 0)
		return NULL;
	memset(&pf->vfs[pf->n_vfs], 0, sizeof(*pf->vfs));
	return &pf->vfs[pf->n_vfs++];
}

int sriov_policy_error_format(const struct sriov_policy_error *e,
			      char *buf, size_t len)
{
	return snprintf(buf, len, "%s:%u:%u: %s", e->loc.file ? e->loc.file : "-",
			e->loc.line, e->loc.column, e->message);
}
