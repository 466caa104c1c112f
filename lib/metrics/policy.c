/* SPDX-License-Identifier: MIT */
/* The policy's drift: the plan against the host, counted as `plan` prints it. */
#include <errno.h>
#include <string.h>

#include "sriov.h"

int sriov_metrics_policy_drift(struct sriov_ctx *ctx, const struct sriov_host *host,
			       const char *path, struct sriov_metrics_policy *out)
{
	struct sriov_policy_plan_opts po = { 0 };
	struct sriov_plan plan = { 0 };
	struct sriov_policy *p = NULL;
	char id[40], err[256], line[512];
	int r;

	memset(out, 0, sizeof(*out));
	r = sriov_policy_load(ctx, path, &p, err, sizeof(err));
	if (r == -ENOENT && !path)
		return 0;
	if (r < 0)
		return r;
	out->present = true;
	if (sriov_policy_machine_id(ctx, id, sizeof(id)) == 0)
		po.host_id = id;
	if (!p->n_errors)
		r = sriov_policy_plan(host, p, &po, &plan);
	out->errors = p->n_errors;
	for (size_t i = 0; r == 0 && !out->errors && i < plan.n; i++)
		for (size_t j = 0; sriov_step_describe(&plan.v[i], j, line,
						       sizeof(line)) == 0; j++)
			out->changes++;
	sriov_plan_clear(&plan);
	sriov_policy_free(p);
	return r;
}
