/* SPDX-License-Identifier: MIT */
/* sriovctl check [DEVICE...]: every SR-IOV prerequisite, with evidence and fix. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli.h"

/* --list-checks --json: the registry, sriovctl.checks/v1 (docs/check-schema.md). */
static int list_checks_json(bool pretty)
{
	json_object *o = json_object_new_object(), *arr = json_object_new_array();
	const struct sriov_check_info *c;
	const char *s;
	int r = EXIT_OK;

	json_object_object_add(o, "schema", json_object_new_string("sriovctl.checks/v1"));
	for (size_t i = 0; (c = sriov_check_info_at(i)); i++) {
		json_object *j = json_object_new_object();

		json_object_object_add(j, "id", json_object_new_string(c->id));
		json_object_object_add(j, "area", json_object_new_string(
					       sriov_check_area_name(c->area)));
		json_object_object_add(j, "title", json_object_new_string(c->title));
		json_object_object_add(j, "description", json_object_new_string(c->description));
		json_object_object_add(j, "remedy", json_object_new_string(c->remedy));
		json_object_array_add(arr, j);
	}
	json_object_object_add(o, "checks", arr);
	s = json_object_to_json_string_ext(o, (pretty ? JSON_C_TO_STRING_PRETTY |
						   JSON_C_TO_STRING_SPACED :
						   JSON_C_TO_STRING_PLAIN) | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s)
		printf("%s\n", s);
	else
		r = EXIT_FAILED;
	json_object_put(o);
	return r;
}

static int list_checks(const struct cli *cli, bool markdown)
{
	const struct sriov_check_info *c;

	if (cli->json && markdown) {
		cli_error("check: --json and --markdown are two formats of --list-checks; choose one");
		return EXIT_USAGE;
	}
	if (cli->json)
		return list_checks_json(cli->pretty);
	if (markdown)
		return sriov_render_check_markdown(stdout) < 0 ? EXIT_FAILED : EXIT_OK;
	for (size_t i = 0; (c = sriov_check_info_at(i)); i++)
		printf("%-17s %-8s %s\n", c->id, sriov_check_area_name(c->area), c->title);
	return EXIT_OK;
}

/* "warn": SRIOV_SEV_WARN; -1 for anything but a severity's name. */
static int parse_severity(const char *s)
{
	for (int sev = SRIOV_SEV_OK; s && sev <= SRIOV_SEV_FAIL; sev++)
		if (strcmp(s, sriov_severity_name(sev)) == 0)
			return sev;
	return -1;
}

int cmd_check(struct cli *c, int argc, char **argv)
{
	struct sriov_check_report *rep = NULL;
	struct sriov_host *host = NULL;
	bool list = false, markdown = false;
	int min_sev = SRIOV_SEV_OK;
	char **args, err[512];
	int nargs, j = 0, r;

	/* this verb's options; the rest goes to the common parser */
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--list-checks") == 0)
			list = true;
		else if (strcmp(argv[i], "--markdown") == 0)
			markdown = true;
		else if (strcmp(argv[i], "--severity") == 0 ||
			 strncmp(argv[i], "--severity=", 11) == 0) {
			const char *v = argv[i][10] == '=' ? argv[i] + 11 :
					i + 1 < argc ? argv[++i] : NULL;

			min_sev = parse_severity(v);
			if (min_sev < 0) {
				cli_error("check: --severity takes ok, skip, warn or fail, not '%s'",
					  v ? v : "");
				cli_short_usage("check", stderr);
				return EXIT_USAGE;
			}
		}
		else
			argv[j++] = argv[i];
	}
	argv[j] = NULL;
	argc = j;
	if (list && min_sev != SRIOV_SEV_OK) {
		cli_error("check: --severity filters findings, not --list-checks");
		return EXIT_USAGE;
	}
	if (markdown && !list) {
		cli_error("--markdown goes with --list-checks; try 'sriovctl --help'");
		return EXIT_USAGE;
	}
	r = cli_args(c, argc, argv, 0, list ? 0 : 4096, &args, &nargs);
	if (r >= 0)
		return r;
	if (list)
		return list_checks(c, markdown);
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
		return r == -EINVAL ? EXIT_USAGE : EXIT_FAILED;
	}
	sriov_check_report_filter(rep, min_sev);
	r = c->json ? sriov_render_check_json(rep, c->pretty, stdout)
		    : sriov_render_check_text(rep, stdout);
	if (r < 0)
		cli_output_error(r, "the report");
	r = r < 0 || rep->n_by_severity[SRIOV_SEV_FAIL] ? EXIT_FAILED : EXIT_OK;
	sriov_check_report_free(rep);
	sriov_host_free(host);
	return r;
}
