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
