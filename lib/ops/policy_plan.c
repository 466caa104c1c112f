/* SPDX-License-Identifier: MIT */
/* Placeholder: the policy plan lands in the next commit. */
#include <errno.h>

#include "sriov.h"

int sriov_policy_plan(const struct sriov_host *host, struct sriov_policy *p,
		      const struct sriov_policy_plan_opts *opts,
		      struct sriov_plan *out)
{
	(void)host; (void)p; (void)opts;
	out->v = NULL;
	out->n = 0;
	return -ENOSYS;
}
