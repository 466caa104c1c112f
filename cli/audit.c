/* SPDX-License-Identifier: MIT */
/*
 * sriovctl audit [DEVICE...] [--baseline FILE] [--junit FILE]: the VFs
 * handed to guests and pods against a security baseline (docs/audit.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cli.h"

/* --list-rules --json: sriovctl.audit-rules/v1. */
static int list_rules_json(bool pretty)
{
	json_object *o = json_object_new_object(), *arr = json_object_new_array();
	const struct sriov_audit_rule_info *ri;
	const char *s;
	int r = EXIT_OK;

	json_object_object_add(o, "schema", json_object_new_string("sriovctl.audit-rules/v1"));
	for (size_t i = 0; (ri = sriov_audit_rule_at(i)); i++) {
		json_object *j = json_object_new_object();

		json_object_object_add(j, "id", json_object_new_string(ri->id));
		json_object_object_add(j, "title", json_object_new_string(ri->title));
		json_object_object_add(j, "reads", json_object_new_string(ri->reads));
		json_object_object_add(j, "default", json_object_new_string(ri->default_text));
		json_object_object_add(j, "default_on", json_object_new_boolean(ri->default_on));
		json_object_array_add(arr, j);
	}
	json_object_object_add(o, "rules", arr);
	s = json_object_to_json_string_ext(o, (pretty ? JSON_C_TO_STRING_PRETTY |
					       JSON_C_TO_STRING_SPACED : JSON_C_TO_STRING_PLAIN) |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s)
		printf("%s\n", s);
	else
		r = EXIT_FAILED;
	json_object_put(o);
	return r;
}

/* --list-rules: the rule table (rules.c), as text or JSON. */
static int list_rules(const struct cli *c)
{
	const struct sriov_audit_rule_info *ri;

	if (c->json)
		return list_rules_json(c->pretty);
	for (size_t i = 0; (ri = sriov_audit_rule_at(i)); i++)
		printf("%-15s %-28s %s\n", ri->id, ri->default_text, ri->title);
	return EXIT_OK;
}

/* The baseline's errors as FILE:LINE:COLUMN lines; bad input: EXIT_USAGE. */
static int baseline_errors(const struct sriov_baseline *b)
{
	char line[4352];

	for (size_t i = 0; i < b->n_errors; i++) {
		sriov_policy_error_format(&b->errors[i], line, sizeof(line));
		sriov_escape_printf(stderr, "%s\n", line);
	}
	cli_error("audit: the baseline has %zu error%s; fix %s and run 'sriovctl audit' again",
		  b->n_errors, b->n_errors == 1 ? "" : "s", b->n_errors == 1 ? "it" : "them");
	return EXIT_USAGE;
}

/* The host policy for vf.policy-pf; none is not an error. */
static int load_policy(struct cli *c, struct sriov_policy **out)
{
	char err[4352];
	int r = sriov_policy_load(c->ctx, NULL, out, err, sizeof(err));

	if (r == -ENOENT) {
		*out = NULL;
		return -1;
	}
	if (r < 0) {
		cli_error("audit: %s", err[0] ? err : strerror(-r));
		return EXIT_FAILED;
	}
	return -1;
}

static int write_junit(const struct sriov_audit_report *rep, const char *path)
{
	char *xml = NULL;
	size_t len = 0;
	int r = sriov_audit_junit(rep, &xml, &len);

	if (r == 0)
		r = sriov_write_file_atomic(path, xml, len);
	free(xml);
	if (r < 0) {
		cli_error("audit: cannot write %s: %s; nothing was written there", path,
			  r == -ELOOP ? "it is a symbolic link" :
			  r == -EBADFD ? "not a regular file" : strerror(-r));
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

/* "--opt VALUE" or "--opt=VALUE" at argv[*i]; NULL when not @opt. */
static const char *opt_value(int argc, char **argv, int *i, const char *opt, bool *missing)
{
	size_t n = strlen(opt);

	if (strncmp(argv[*i], opt, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n])
		return NULL;
	if (*i + 1 >= argc) {
		*missing = true;
		return NULL;
	}
	return argv[++*i];
}

int cmd_audit(struct cli *c, int argc, char **argv)
{
	const char *baseline = NULL, *junit = NULL, *v;
	struct sriov_audit_report *rep = NULL;
	struct sriov_policy *policy = NULL;
	struct sriov_baseline *b = NULL;
	struct sriov_host *host = NULL;
	bool all = false, list = false, missing = false;
	char **args, err[4352];
	int nargs, j = 0, r;

	for (int i = 0; i < argc; i++) {
		if (i > 0 && (v = opt_value(argc, argv, &i, "--baseline", &missing)))
			baseline = v;
		else if (i > 0 && (v = opt_value(argc, argv, &i, "--junit", &missing)))
			junit = v;
		else if (missing)
			break;
		else if (strcmp(argv[i], "--all") == 0)
			all = true;
		else if (strcmp(argv[i], "--list-rules") == 0)
			list = true;
		else
			argv[j++] = argv[i];
	}
	if (missing || (baseline && !*baseline) || (junit && !*junit)) {
		cli_error("audit: --baseline and --junit take a file name");
		cli_short_usage("audit", stderr);
		return EXIT_USAGE;
	}
	argv[j] = NULL;
	argc = j;
	r = cli_args(c, argc, argv, 0, list ? 0 : 4096, &args, &nargs);
	if (r >= 0)
		return r;
	if (list) {
		if (baseline || junit || all) {
			cli_error("audit: --list-rules takes no other audit option");
			return EXIT_USAGE;
		}
		return list_rules(c);
	}
	r = sriov_baseline_load(baseline, &b, err, sizeof(err));
	if (r < 0) {
		cli_error("audit: %s", err[0] ? err : strerror(-r));
		return r == -ENOMEM ? EXIT_FAILED : EXIT_USAGE;
	}
	if (b->n_errors) {
		r = baseline_errors(b);
		goto out;
	}
	r = cli_load(c, SRIOV_LOAD_NO_NAMES, &host);
	if (r != EXIT_OK)
		goto out;
	/* the policy only matters to vf.policy-pf */
	if (b->enabled & 1u << SRIOV_AUDIT_POLICY_PF) {
		r = load_policy(c, &policy);
		if (r >= 0)
			goto out;
	}
	r = sriov_audit_run(c->ctx, host, b, policy, (const char *const *)args,
			    (size_t)nargs, &rep, err, sizeof(err));
	if (r < 0) {
		if (err[0])
			cli_error("audit: %s", err);
		else
			cli_error("audit: cannot audit under %s: %s", c->root, strerror(-r));
		/* a name this host lacks fails here; one no host could have is usage */
		r = r == -EINVAL ? EXIT_USAGE : EXIT_FAILED;
		goto out;
	}
	if (junit && write_junit(rep, junit) != EXIT_OK) {
		r = EXIT_FAILED;
		goto out;
	}
	r = c->json ? sriov_audit_render_json(rep, c->pretty, stdout)
		    : sriov_audit_render_text(rep, all, stdout);
	if (r < 0) {
		r = cli_output_error(r, "the audit");
		goto out;
	}
	r = rep->n_by_status[SRIOV_AUDIT_FAIL] ? EXIT_FAILED : EXIT_OK;
out:
	sriov_audit_report_free(rep);
	sriov_policy_free(policy);
	sriov_host_free(host);
	sriov_baseline_free(b);
	return r;
}
