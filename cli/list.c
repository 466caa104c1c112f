/* SPDX-License-Identifier: MIT */
/* sriovctl list: every SR-IOV PF of the host, one line each. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

void cli_host_warnings(const struct cli *c, const struct sriov_host *host)
{
	if (c->json)
		return;
	for (size_t i = 0; i < host->warnings.n; i++)
		cli_error("warning: %s", host->warnings.v[i]);
}

int cmd_list(struct cli *c, int argc, char **argv)
{
	struct sriov_host *host = NULL;
	char **args;
	int nargs, r;

	r = cli_args(c, argc, argv, 0, 0, &args, &nargs);
	if (r >= 0)
		return r;
	/* the table shows each VF's driver only (in the PF's driver mix) */
	r = cli_load(c, SRIOV_LOAD_NO_VF_MTU |
			(c->json ? 0 : SRIOV_LOAD_VF_DRIVER_ONLY), &host);
	if (r != EXIT_OK)
		return r;
	cli_host_warnings(c, host);
	if (c->json)
		r = sriov_render_json(host, NULL, false, c->pretty, stdout);
	else if (host->n_pfs == 0)
		cli_print("no SR-IOV devices under %s (IOMMU %s)\n", host->root,
			  host->iommu_enabled ? "on" : "off");
	else
		r = sriov_render_list_text(host, stdout);
	sriov_host_free(host);
	return r < 0 ? cli_output_error(r, "the output") : EXIT_OK;
}
