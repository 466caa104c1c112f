/* SPDX-License-Identifier: MIT */
/* sriovctl check [DEVICE...]: every SR-IOV prerequisite, with evidence and fix. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int list_checks(bool markdown)
{
	const struct sriov_check_info *c;

	if (markdown)
		return sriov_render_check_markdown(stdout) < 0 ? EXIT_FAILED : EXIT_OK;
	for (size_t i = 0; (c = sriov_check_info_at(i)); i++)
		printf("%-17s %-8s %s\n", c->id, sriov_check_area_name(c->area), c->title);
	return EXIT_OK;
}

int cmd_check(struct cli *c, int argc, char **argv)
{
	struct sriov_check_report *rep = NULL;
	struct sriov_host *host = NULL;
	bool list = false, markdown = false;
	char **args, err[512];
	int nargs, j = 0, r;

	/* this verb's options; the rest goes to the common parser */
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--list-checks") == 0)
			list = true;
		else if (strcmp(argv[i], "--markdown") == 0)
			markdown = true;
		else
			argv[j++] = argv[i];
	}
	argv[j] = NULL;
	argc = j;
	if (markdown && !list) {
		cli_error("--markdown goes with --list-checks; try 'sriovctl --help'");
		return EXIT_USAGE;
	}
	r = cli_args(c, argc, argv, 0, list ? 0 : 4096, &args, &nargs);
	if (r >= 0)
		return r;
	if (list)
		return list_checks(markdown);
	r = cli_load(c, SRIOV_LOAD_NO_NAMES, &host);
	if (r != EXIT_OK)
		return r;
	r = sriov_check_run(c->ctx, host, (const char *const *)args, (size_t)nargs,
			    &rep, err, sizeof(err));
	if (r < 0) {
		if (err[0])
			cli_error("%s", err);
		else
			cli_error("cannot run the checks under %s: %s", c->root, strerror(-r));
		sriov_host_free(host);
		return EXIT_FAILED;
	}
	r = c->json ? sriov_render_check_json(rep, c->pretty, stdout)
		    : sriov_render_check_text(rep, stdout);
	if (r < 0)
		cli_output_error(r, "the report");
	r = r < 0 || rep->n_by_severity[SRIOV_SEV_FAIL] ? EXIT_FAILED : EXIT_OK;
	sriov_check_report_free(rep);
	sriov_host_free(host);
	return r;
}
