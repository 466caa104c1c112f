/* SPDX-License-Identifier: MIT */
/*
 * sriovctl metrics [--textfile DIR]: the exposition sriovctl-exporter
 * serves, once, on stdout or for node_exporter's textfile collector.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/* What node_exporter's textfile collector reads: the .prom files of its directory. */
#define TEXTFILE_NAME "sriovctl.prom"

struct metrics_args {
	const char *textfile;   /* --textfile DIR */
	const char *policy;     /* -f FILE */
	bool no_checks;         /* --no-checks */
	bool no_policy;         /* --no-policy */
};

static int parse_args(int argc, char **argv, struct metrics_args *a, int *argc_out)
{
	int j = 0;

	for (int i = 0; i < argc; i++) {
		const char *o = argv[i];
		const char **dst = strcmp(o, "--textfile") == 0 ? &a->textfile :
				   strcmp(o, "-f") == 0 || strcmp(o, "--file") == 0 ? &a->policy :
				   NULL;

		if (dst) {
			if (i + 1 >= argc) {
				cli_error("metrics: %s needs a value", o);
				cli_short_usage("metrics", stderr);
				return EXIT_USAGE;
			}
			*dst = argv[++i];
		} else if (strncmp(o, "--textfile=", 11) == 0) {
			a->textfile = o + 11;
		} else if (strncmp(o, "--file=", 7) == 0) {
			a->policy = o + 7;
		} else if (strcmp(o, "--no-checks") == 0) {
			a->no_checks = true;
		} else if (strcmp(o, "--no-policy") == 0) {
			a->no_policy = true;
		} else {
			argv[j++] = argv[i];
		}
	}
	argv[j] = NULL;
	if (a->policy && a->no_policy) {
		cli_error("metrics: -f and --no-policy contradict each other; choose one");
		return EXIT_USAGE;
	}
	if (a->textfile && !*a->textfile) {
		cli_error("metrics: --textfile takes a directory");
		return EXIT_USAGE;
	}
	*argc_out = j;
	return -1;
}

int cmd_metrics(struct cli *c, int argc, char **argv)
{
	struct metrics_args a = { 0 };
	struct sriov_metrics_policy pol = { 0 };
	struct sriov_check_report *rep = NULL;
	struct sriov_host *host = NULL;
	struct sriov_metrics_input in = { 0 };
	char **args, err[512], *buf = NULL, *path = NULL;
	size_t len = 0;
	FILE *mem;
	int nargs, r, rc;

	rc = parse_args(argc, argv, &a, &argc);
	if (rc >= 0)
		return rc;
	rc = cli_args(c, argc, argv, 0, 0, &args, &nargs);
	if (rc >= 0)
		return rc;
	rc = cli_no_json(c, "metrics", "it writes the Prometheus text format");
	if (rc >= 0)
		return rc;
	/* the exposition carries the counters: always read them */
	c->stats = true;
	/* the checks read config space (SR-IOV and ACS capabilities) */
	rc = cli_load(c, SRIOV_LOAD_NO_NAMES | (a.no_checks ? SRIOV_LOAD_NO_CONFIG : 0),
		      &host);
	if (rc != EXIT_OK)
		return rc;
	rc = EXIT_FAILED;
	in.host = host;
	if (!a.no_checks) {
		r = sriov_check_run(c->ctx, host, NULL, 0, &rep, err, sizeof(err));
		if (r < 0) {
			cli_error("metrics: cannot run the checks: %s", r == -ENOMEM ? strerror(-r) : err);
			goto out;
		}
		in.checks = rep;
		in.checks_timestamp = (double)time(NULL);
	}
	if (!a.no_policy) {
		r = sriov_metrics_policy_drift(c->ctx, host, a.policy, &pol);
		if (r < 0) {
			cli_error("metrics: cannot read the policy %s: %s",
				  a.policy ? a.policy : "(sriovctl.yaml)", strerror(-r));
			goto out;
		}
		in.policy = &pol;
	}
	mem = open_memstream(&buf, &len);
	r = mem ? sriov_metrics_write(&in, mem) : -ENOMEM;
	if (mem && fclose(mem) == EOF && r == 0)
		r = -ENOMEM;
	if (r < 0) {
		cli_error("metrics: cannot build the exposition: %s", strerror(-r));
		goto out;
	}
	if (!a.textfile) {
		if (fwrite(buf, 1, len, stdout) == len)
			rc = EXIT_OK;
		goto out;
	}
	if (asprintf(&path, "%s/%s", a.textfile, TEXTFILE_NAME) < 0) {
		path = NULL;
		cli_error("metrics: out of memory");
		goto out;
	}
	r = sriov_write_file_atomic(path, buf, len);
	if (r < 0) {
		cli_error("metrics: %s: cannot write: %s; --textfile names node_exporter's --collector.textfile.directory",
			  path, strerror(-r));
		goto out;
	}
	rc = EXIT_OK;
out:
	free(buf);
	free(path);
	sriov_check_report_free(rep);
	sriov_host_free(host);
	return rc;
}
