/* SPDX-License-Identifier: MIT */
/* Internals shared by the policy parser, validator and loader. */
#ifndef SRIOV_POLICY_POLICY_H
#define SRIOV_POLICY_POLICY_H

#include "sriov.h"

/* Append an error at @loc. Returns 0 or -ENOMEM. */
int policy_error(struct sriov_policy *p, const struct sriov_policy_loc *loc,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A new zeroed PF entry at the end of @p; NULL on -ENOMEM. */
struct sriov_policy_pf *policy_pf_add(struct sriov_policy *p);

/* A new zeroed VF range at the end of @pf; NULL on -ENOMEM. */
struct sriov_policy_vfs *policy_vfs_add(struct sriov_policy_pf *pf);

/* The key of PF field @f ("num_vfs"); VF fields: sriov_vf_attr_key(). */
const char *policy_pf_field_name(int f);

/*
 * Give range @r value @v of attribute @a (DRIVER copied). The inverse of
 * sriov_policy_vfs_value(). 0, -ENOMEM, -EINVAL.
 */
int policy_vfs_set(struct sriov_policy_vfs *r, enum sriov_vf_attr a,
		   const struct sriov_vf_attr_value *v);

/* Whether ranges @a and @b give VF field @f the same value. */
bool policy_vfs_same(const struct sriov_policy_vfs *a,
		     const struct sriov_policy_vfs *b, int f);

#endif
