/* SPDX-License-Identifier: MIT */
/*
 * sriovctl plan / apply: from the host policy to the changes that bring
 * the host to it, printed (plan) or carried out under the host lock with
 * rollback (apply).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* plan --detailed-exitcode: there are changes to make. */
#define EXIT_CHANGES 3

/* apply --boot: how long to wait for the policy's PFs. */
#define BOOT_TIMEOUT_S 60u
#define MAX_BOOT_TIMEOUT_S 3600u

struct plan_args {
	const char *file;     /* -f FILE */
	const char *pf;       /* --pf PF */
	bool detailed;        /* plan --detailed-exitcode */
	bool boot;            /* apply --boot */
	bool recover;         /* apply --recover */
	int boot_timeout_s;   /* --boot-timeout S; -1: BOOT_TIMEOUT_S */
};

/* Whole seconds 0..MAX_BOOT_TIMEOUT_S, nothing else. */
static int parse_seconds(const char *s, int *out)
{
	unsigned long v;

	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9)
		return -EINVAL;
	v = strtoul(s, NULL, 10);
	if (v > MAX_BOOT_TIMEOUT_S)
		return -ERANGE;
	*out = (int)v;
	return 0;
}

/* Take this verb's options out of argv; the rest go to cli_args(). */
static int parse_args(struct cli *c, int argc, char **argv, bool apply,
		      struct plan_args *a)
{
	char **args;
	int j = 0, nargs;

	for (int i = 0; i < argc; i++) {
		const char *o = argv[i];

		if (strcmp(o, "-f") == 0 || strcmp(o, "--file") == 0 ||
		    strcmp(o, "--pf") == 0) {
			if (i + 1 >= argc) {
				cli_error("%s needs a value; try 'sriovctl --help'", o);
				return EXIT_USAGE;
			}
			if (strcmp(o, "--pf") == 0)
				a->pf = argv[++i];
			else
				a->file = argv[++i];
		} else if (strncmp(o, "--file=", 7) == 0) {
			a->file = o + 7;
		} else if (strncmp(o, "--pf=", 5) == 0) {
			a->pf = o + 5;
		} else if (!apply && strcmp(o, "--detailed-exitcode") == 0) {
			a->detailed = true;
		} else if (apply && strcmp(o, "--boot") == 0) {
			a->boot = true;
		} else if (apply && strcmp(o, "--recover") == 0) {
			a->recover = true;
		} else if (apply && (strcmp(o, "--boot-timeout") == 0 ||
				     strncmp(o, "--boot-timeout=", 15) == 0)) {
			const char *v = o[14] == '=' ? o + 15 :
					i + 1 < argc ? argv[++i] : NULL;

			if (!v) {
				cli_error("%s needs a value; try 'sriovctl --help'", o);
				return EXIT_USAGE;
			}
			if (parse_seconds(v, &a->boot_timeout_s) < 0) {
				cli_error("--boot-timeout takes whole seconds from 0 to %u, not '%s'",
					  MAX_BOOT_TIMEOUT_S, v);
				return EXIT_USAGE;
			}
		} else {
			argv[j++] = argv[i];
		}
	}
	argv[j] = NULL;
	if (a->boot_timeout_s >= 0 && !a->boot) {
		cli_error("--boot-timeout goes with --boot");
		return EXIT_USAGE;
	}
	if (a->recover && (a->boot || a->file || a->pf)) {
		cli_error("--recover goes alone (or with --dry-run): it finishes an apply that did not, and applies no policy");
		return EXIT_USAGE;
	}
	return cli_args(c, j, argv, 0, 0, &args, &nargs);
}

static bool needs_upstream(const struct sriov_policy *p)
{
	for (size_t i = 0; i < p->n_pfs; i++)
		if (p->pfs[i].match == SRIOV_POLICY_MATCH_ROOT_DEVICE)
			return true;
	return false;
}

/*
 * Load the host (under the lock for apply) and plan @p for it, printing
 * the policy's errors of meaning. Returns -1 to go on, else an exit code.
 */
static int make_plan(struct cli *c, const struct plan_args *a,
		     struct sriov_policy *p, const char *verb,
		     struct sriov_host **host, struct sriov_plan *plan)
{
	struct sriov_policy_plan_opts po = { 0 };
	struct sriov_quirks *quirks = NULL;
	const struct sriov_pf *pf = NULL;
	const struct sriov_vf *vf = NULL;
	char id[40];
	int r, rc;

	/* root_device matches need the bridges above each PF. */
	rc = cli_load(c, SRIOV_LOAD_NO_NAMES |
			      (needs_upstream(p) ? 0 : SRIOV_LOAD_NO_CONFIG),
		      host);
	if (rc != EXIT_OK)
		return rc;
	/* Without a machine-id the plan reports each `mac: auto` instead. */
	if (sriov_policy_machine_id(c->ctx, id, sizeof(id)) == 0)
		po.host_id = id;
	if (a->pf) {
		r = sriov_host_resolve(*host, a->pf, &pf, &vf);
		if (r < 0 || vf) {
			cli_error("--pf %s: %s; 'sriovctl list' shows the PFs",
				  a->pf,
				  r == -ENOTUNIQ ? "the short address matches PFs in several PCI domains" :
				  r < 0 ? "no such SR-IOV PF on this host" : "a VF, not a PF");
			return r == -EINVAL ? EXIT_USAGE : EXIT_FAILED;
		}
		po.only_pf = pf->address;
	}
	rc = cli_quirks(c, &quirks);
	if (rc != EXIT_OK)
		return rc;
	po.quirks = quirks;
	r = sriov_policy_plan(*host, p, &po, plan);
	sriov_quirks_free(quirks);
	if (r < 0) {
		cli_error("cannot plan the policy: %s", strerror(-r));
		return EXIT_FAILED;
	}
	if (p->n_errors)
		return cli_policy_errors(p, verb);
	return -1;
}

/*
 * apply --boot: the policy's PFs may still be probing, or their netdevs
 * not yet named by udev. Wait for them, bounded; then go on with the host
 * as it is (the plan names what is still missing). Returns -1 to go on,
 * else an exit code.
 */
static int boot_wait(struct cli *c, const struct plan_args *a,
		     const struct sriov_policy *p)
{
	unsigned s = a->boot_timeout_s >= 0 ? (unsigned)a->boot_timeout_s :
					       BOOT_TIMEOUT_S;
	struct sriov_host *host;
	int r;

	r = sriov_policy_wait(c->ctx, p, s * 1000u, SRIOV_LOAD_NO_NAMES |
			      (needs_upstream(p) ? 0 : SRIOV_LOAD_NO_CONFIG), &host);
	sriov_host_free(host);
	switch (r) {
	case 0:
		return -1;
	case -ETIMEDOUT:
		cli_error("apply --boot: after %u s, not every PF of the policy has its driver and, where the policy needs it, its network interface; applying to the host as it is (--boot-timeout to wait longer)",
			  s);
		return -1;
	case -EINTR:
		cli_error("apply --boot: interrupted while waiting for the policy's PFs; nothing was changed");
		return EXIT_FAILED;
	case -ENOENT:
	case -ENOTDIR:
		cli_error("%s has no sys/bus/pci/devices: is it a host root (with /sys mounted)?",
			  c->root);
		return EXIT_FAILED;
	default:
		cli_error("cannot read the PCI devices under %s: %s", c->root,
			  strerror(-r));
		return EXIT_FAILED;
	}
}

int cmd_plan(struct cli *c, int argc, char **argv)
{
	struct plan_args a = { .boot_timeout_s = -1 };
	struct sriov_policy *p = NULL;
	struct sriov_host *host = NULL;
	struct sriov_plan plan = { 0 };
	size_t n;
	int rc;

	rc = parse_args(c, argc, argv, false, &a);
	if (rc >= 0)
		return rc;
	rc = cli_policy_load(c, a.file, "plan", &p);
	if (rc >= 0)
		return rc;
	rc = make_plan(c, &a, p, "plan", &host, &plan);
	if (rc >= 0)
		goto out;
	n = cli_plan_lines(&plan);
	if (c->json) {
		int r = sriov_plan_write_json(&plan, c->pretty, stdout);

		if (r < 0) {
			rc = cli_output_error(r, "the plan");
			goto out;
		}
	} else if (n == 0) {
		printf("nothing to do: the host matches the policy\n");
	} else {
		cli_print_plan(&plan, stdout);
		printf("%zu change%s\n", n, n == 1 ? "" : "s");
	}
	rc = a.detailed && n ? EXIT_CHANGES : EXIT_OK;
out:
	sriov_plan_clear(&plan);
	sriov_host_free(host);
	sriov_policy_free(p);
	return rc;
}

int cmd_apply(struct cli *c, int argc, char **argv)
{
	struct plan_args a = { .boot_timeout_s = -1 };
	struct sriov_policy *p = NULL;
	struct sriov_host *host = NULL;
	struct sriov_plan plan = { 0 };
	size_t n;
	bool tree;
	int rc;

	rc = parse_args(c, argc, argv, true, &a);
	if (rc >= 0)
		return rc;
	if (!c->dry_run && (rc = cli_no_json(c, "apply", "what a run changes is printed as text and kept in the change log; --dry-run --json prints the plan (sriovctl.plan/v1)")) >= 0)
		return rc;
	if (a.recover) {
		rc = cli_no_json(c, "apply --recover", "the rollback's changes are printed as text (and kept in the change log)");
		if (rc >= 0)
			return rc;
		if (!c->dry_run && (rc = cli_lock(c, CLI_LOCK_WAIT_MS)) >= 0)
			return rc;
		return cli_recover(c, true);
	}
	rc = cli_policy_load(c, a.file, "apply", &p);
	if (rc >= 0)
		return rc;
	tree = strcmp(sriov_ctx_root(c->ctx), "/") != 0;
	/* Not under the lock: the wait writes nothing. */
	if (a.boot) {
		rc = boot_wait(c, &a, p);
		if (rc >= 0)
			goto out;
	}
	if (!c->dry_run && !tree) {
		rc = cli_lock(c, a.boot ? CLI_LOCK_WAIT_BOOT_MS : CLI_LOCK_WAIT_MS);
		if (rc >= 0)
			goto out;
	}
	/* An apply that died first; then the plan, from the host as it is. */
	rc = cli_recover(c, false);
	if (rc >= 0)
		goto out;
	/* Read under the lock: the plan is made from the host as it stays. */
	rc = make_plan(c, &a, p, "apply", &host, &plan);
	if (rc >= 0)
		goto out;
	n = cli_plan_lines(&plan);
	/* A tree takes no writes: refused before its lock makes run/ in it. */
	if (n && (rc = cli_live_only(c, NULL, "apply", true)) >= 0)
		goto out;
	if (!c->dry_run && tree) {
		rc = cli_lock(c, a.boot ? CLI_LOCK_WAIT_BOOT_MS : CLI_LOCK_WAIT_MS);
		if (rc >= 0)
			goto out;
	}
	rc = EXIT_OK;
	if (c->dry_run && c->json) {
		int r = sriov_plan_write_json(&plan, c->pretty, stdout);

		if (r < 0)
			rc = cli_output_error(r, "the plan");
	} else if (n == 0) {
		printf("nothing to do: the host matches the policy\n");
	} else if (c->dry_run) {
		cli_print_plan(&plan, stdout);
		cli_dry_run_footer(n);
	} else {
		rc = cli_apply(c, host, &plan);
	}
	if (fflush(stdout) != 0)
		rc = EXIT_FAILED;
out:
	sriov_plan_clear(&plan);
	sriov_host_free(host);
	sriov_policy_free(p);
	return rc;
}
