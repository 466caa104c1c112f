/* SPDX-License-Identifier: MIT */
/*
 * sriovctl export FORMAT [ARG] [DEVICE...] [--pool NAME] [-f POLICY]
 * [--mac MAC]... [--name N] [--force] [-o FILE]: a consumer's file for the VFs (sriov_export_build), on
 * stdout or replacing FILE atomically; refused with the failing checks.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct export_args {
	const char *format;
	const char *name;     /* --name */
	const char *physnet;  /* --physnet */
	const char *release;  /* --release */
	const char *k8s_namespace; /* --namespace */
	const char *output;   /* -o FILE */
	const char *file;     /* -f FILE: the policy */
	const char *pool;     /* --pool */
	const char **macs;    /* --mac, in order */
	size_t n_macs;
	bool force;
};

/* The options with a value: where each goes; --mac alone repeats. */
static const char **opt_slot(struct export_args *a, const char *o, size_t olen)
{
	static const struct {
		const char *lng, *shrt;
		size_t off;
	} opts[] = {
		{ "--name", NULL, offsetof(struct export_args, name) },
		{ "--output", "-o", offsetof(struct export_args, output) },
		{ "--file", "-f", offsetof(struct export_args, file) },
		{ "--pool", NULL, offsetof(struct export_args, pool) },
		{ "--physnet", NULL, offsetof(struct export_args, physnet) },
		{ "--release", NULL, offsetof(struct export_args, release) },
		{ "--namespace", NULL, offsetof(struct export_args, k8s_namespace) },
	};

	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if ((strlen(opts[i].lng) == olen && strncmp(o, opts[i].lng, olen) == 0) ||
		    (opts[i].shrt && strcmp(o, opts[i].shrt) == 0))
			return (const char **)((char *)a + opts[i].off);
	return NULL;
}

static const char *value(const char *o, size_t olen, int argc, char **argv,
			 int *i)
{
	if (o[olen] == '=')
		return o + olen + 1;
	/* "--mac -o FILE" lacks the MAC; it does not take "-o" for one */
	if (o[olen] == '\0' && *i + 1 < argc && argv[*i + 1][0] != '-')
		return argv[++*i];
	return NULL;
}

/* Take this verb's options out of argv; the rest go to cli_args(). */
static int parse_args(int argc, char **argv, struct export_args *a, int *out_argc)
{
	int j = 0;

	a->macs = calloc((size_t)argc + 1, sizeof(*a->macs));
	if (!a->macs) {
		cli_error("out of memory");
		return EXIT_FAILED;
	}
	for (int i = 0; i < argc; i++) {
		const char *o = argv[i], *v;
		size_t olen = strcspn(o, "=");
		bool mac = olen == 5 && strncmp(o, "--mac", 5) == 0;
		const char **slot = mac ? NULL : opt_slot(a, o, olen);

		if (strcmp(o, "--force") == 0) {
			a->force = true;
			continue;
		}
		if (!mac && !slot) {
			argv[j++] = argv[i];
			continue;
		}
		v = value(o, olen, argc, argv, &i);
		if (!v) {
			cli_error("%.*s needs a value; try 'sriovctl help export'",
				  (int)olen, o);
			return EXIT_USAGE;
		}
		if (mac) {
			a->macs[a->n_macs++] = v;
		} else if (*slot) {
			cli_error("%.*s given twice", (int)olen, o);
			return EXIT_USAGE;
		} else {
			*slot = v;
		}
	}
	argv[j] = NULL;
	*out_argc = j;
	return -1;
}

static const char *write_error(int r)
{
	switch (r) {
	case -ELOOP:
		return "it is a symbolic link, which export does not follow; remove it or name the file it points to";
	case -EISDIR:
		return "it is a directory";
	case -EBADFD:
		return "it is not a regular file";
	default:
		return strerror(-r);
	}
}

static void print_problems(const struct sriov_export *ex, bool force)
{
	for (size_t i = 0; i < ex->n_problems; i++) {
		const struct sriov_export_problem *p = &ex->problems[i];

		sriov_escape_printf(stderr, "sriovctl: %s%s%s%s: %s\n",
				    force ? "warning (--force): " : "", p->check,
				    p->subject ? " " : "",
				    p->subject ? p->subject : "", p->evidence);
		if (p->remedy)
			sriov_escape_printf(stderr, "  fix: %s\n", p->remedy);
	}
}

static int export_run(struct cli *c, const struct export_args *a,
		      char **devices, int n_devices)
{
	struct sriov_export_opts opts = { .name = a->name, .macs = a->macs,
					  .physnet = a->physnet, .release = a->release,
					  .k8s_namespace = a->k8s_namespace,
					  .n_macs = a->n_macs, .pool = a->pool,
					  .force = a->force };
	const struct sriov_export_format_info *info;
	struct sriov_policy *policy = NULL;
	struct sriov_host *host = NULL;
	struct sriov_export *ex = NULL;
	char err[1024];
	int r, rc;

	opts.format = sriov_export_format_parse(a->format);
	info = sriov_export_format_info(opts.format);
	rc = cli_no_json(c, "export", "it prints the consumer's own format (XML, ini, JSON or YAML as the consumer reads it), not sriovctl's JSON");
	if (rc >= 0)
		return rc;
	if (info->arg) {
		if (n_devices < 1 || (n_devices < 2 && !a->pool)) {
			cli_error("export %s takes its %s, then the VFs: sriovctl export %s %s ens1f0/vf0 (or --pool NAME)",
				  info->name, info->arg, info->name, info->arg);
			return EXIT_USAGE;
		}
		opts.arg = devices[0];
		devices++;
		n_devices--;
	}
	if (a->file || a->pool || (info->takes & SRIOV_EXPORT_NEEDS_POLICY)) {
		rc = cli_policy_load(c, a->file, "export", &policy);
		if (rc >= 0)
			return rc;
		opts.policy = policy;
	}
	rc = cli_load(c, SRIOV_LOAD_NO_NAMES, &host);
	if (rc != EXIT_OK) {
		sriov_policy_free(policy);
		return rc;
	}
	r = sriov_export_build(c->ctx, host, (const char *const *)devices,
			       (size_t)n_devices, &opts, &ex, err, sizeof(err));
	if (r == -EPERM) {
		print_problems(ex, false);
		cli_error("%s not exported: %zu check%s failed%s; fix them, or --force to export anyway",
			  a->format, ex->n_problems, ex->n_problems == 1 ? "" : "s",
			  a->output ? " (nothing written)" : "");
		rc = EXIT_FAILED;
		goto out;
	}
	if (r < 0) {
		cli_error("export %s: %s", a->format, err[0] ? err : strerror(-r));
		/* what the command line got wrong is usage; the host's answers are not */
		rc = r == -EINVAL ? EXIT_USAGE : EXIT_FAILED;
		goto out;
	}
	print_problems(ex, true);
	if (a->output) {
		r = sriov_write_file_atomic(a->output, ex->text, ex->len);
		if (r < 0) {
			cli_error("cannot write %s: %s", a->output, write_error(r));
			rc = EXIT_FAILED;
		}
	} else if (fwrite(ex->text, 1, ex->len, stdout) != ex->len) {
		rc = cli_output_error(-EIO, "the output");
	}
out:
	sriov_export_free(ex);
	sriov_host_free(host);
	sriov_policy_free(policy);
	return rc;
}

int cmd_export(struct cli *c, int argc, char **argv)
{
	struct export_args a = { 0 };
	char **args;
	int nargs, r;

	r = parse_args(argc, argv, &a, &argc);
	if (r < 0)
		r = cli_args(c, argc, argv, 0, argc, &args, &nargs);
	if (r < 0 && nargs > 0 && sriov_export_format_parse(args[0]) < 0) {
		char known[512];
		size_t w = 0;

		known[0] = '\0';
		for (int i = 0; i < SRIOV_EXPORT__COUNT; i++)
			if (sriov_export_format_name(i))
				w += (size_t)snprintf(known + w, w < sizeof(known) ? sizeof(known) - w : 0,
						      "%s%s", w ? ", " : "", sriov_export_format_name(i));
		cli_error("unknown export format '%s' (formats: %s; 'sriovctl help export' says what each is)",
			  args[0], known);
		r = EXIT_USAGE;
	} else if (r < 0 && (nargs < 1 || (nargs < 2 && !a.pool))) {
		cli_error("export takes FORMAT and the VFs: sriovctl export libvirt-interface ens1f0/vf0 (a VF, PF/vf0-3, a PF for all its VFs, or --pool NAME)");
		r = EXIT_USAGE;
	} else if (r < 0) {
		a.format = args[0];
		r = export_run(c, &a, args + 1, nargs - 1);
	}
	free(a.macs);
	return r;
}
