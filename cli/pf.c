/* SPDX-License-Identifier: MIT */
/* sriovctl pf PF ACTION...: operations on a physical function. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define DEFAULT_TIMEOUT_S 30u
#define MAX_TIMEOUT_S 3600u

struct pf_opts {
	const char *count;  /* set-vfs -1: a count getopt would take for options */
	int autoprobe;      /* -1 keep */
	unsigned timeout_s;
	bool timeout_given;
	bool force;
};

/* Number 0..max, nothing else. */
static int parse_count(const char *s, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v;

	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9)
		return -EINVAL;
	v = strtoul(s, &end, 10);
	if (v > max)
		return -ERANGE;
	*out = (unsigned)v;
	return 0;
}

/*
 * Take this verb's options out of argv (the rest goes to the common
 * parser). Returns -1 to go on, or an exit code.
 */
static int take_opts(int *argc, char **argv, struct pf_opts *o)
{
	int j = 0;

	for (int i = 0; i < *argc; i++) {
		const char *a = argv[i], *val = NULL;
		bool ap = strncmp(a, "--autoprobe", 11) == 0 &&
			  (a[11] == '\0' || a[11] == '=');
		bool to = strncmp(a, "--timeout", 9) == 0 &&
			  (a[9] == '\0' || a[9] == '=');

		if (strcmp(a, "--") == 0) {
			while (i < *argc)
				argv[j++] = argv[i++];
			break;
		}
		/* the argument of set-vfs is a count, whatever it starts with */
		if (i > 0 && strcmp(argv[i - 1], "set-vfs") == 0 && a[0] == '-' &&
		    a[1] >= '0' && a[1] <= '9') {
			o->count = a;
			continue;
		}
		if (strcmp(a, "--force") == 0) {
			o->force = true;
			continue;
		}
		if (!ap && !to) {
			argv[j++] = argv[i];
			continue;
		}
		val = strchr(a, '=');
		if (val)
			val++;
		else if (i + 1 < *argc)
			val = argv[++i];
		if (!val) {
			cli_error("%s needs a value; try 'sriovctl --help'", a);
			return EXIT_USAGE;
		}
		if (ap) {
			if (strcmp(val, "on") != 0 && strcmp(val, "off") != 0) {
				cli_error("--autoprobe takes on or off, not '%s'", val);
				return EXIT_USAGE;
			}
			o->autoprobe = strcmp(val, "on") == 0;
		} else if (parse_count(val, MAX_TIMEOUT_S, &o->timeout_s) < 0 ||
			   o->timeout_s == 0) {
			cli_error("--timeout takes whole seconds from 1 to %u, not '%s'",
				  MAX_TIMEOUT_S, val);
			return EXIT_USAGE;
		} else {
			o->timeout_given = true;
		}
	}
	argv[j] = NULL;
	*argc = j;
	return -1;
}

static int resolve_pf(struct cli *c, const struct sriov_host *host,
		      const char *name, const struct sriov_pf **pf)
{
	const struct sriov_vf *vf;
	int r = sriov_host_resolve(host, name, pf, &vf);

	(void)c;
	if (r == 0 && !vf)
		return EXIT_OK;
	if (r == 0) {
		cli_error("%s is VF %u of PF %s: set-vfs takes the PF ('sriovctl pf %s set-vfs N')",
			  name, vf->index, (*pf)->address, (*pf)->address);
		return EXIT_FAILED;
	}
	if (r == -EINVAL) {
		cli_error("'%s' is not a PF name: use its netdev (ens1f0), PCI address (0000:3b:00.0, 3b:00.0) or netdevsim device",
			  name);
		return EXIT_USAGE;
	}
	if (r == -ENOTUNIQ)
		cli_error("'%s' matches devices in several PCI domains: give the full address (DDDD:BB:DD.F)",
			  name);
	else if (r == -ERANGE || strchr(name, '/'))
		cli_error("'%s' is not a PF: name the PF (netdev, PCI address, or netdevsim device)",
			  name);
	else
		cli_error("no SR-IOV PF named '%s' under %s; 'sriovctl list' shows them",
			  name, host->root);
	return EXIT_FAILED;
}

static const char *onoff(int v)
{
	return v ? "on" : "off";
}

static void print_plan(const char *pfname, const struct sriov_numvfs_plan *p)
{
	for (size_t i = 0; i < p->n_steps; i++) {
		const struct sriov_numvfs_step *s = &p->steps[i];

		if (s->attr == SRIOV_NUMVFS_WRITE)
			cli_print("%s: would write sriov_numvfs: %u -> %u\n",
				  pfname, s->from, s->to);
		else
			cli_print("%s: would write sriov_drivers_autoprobe: %s -> %s\n",
				  pfname, onoff((int)s->from), onoff((int)s->to));
	}
}

static int dry_run_json(const struct cli *c, const struct sriov_pf *pf,
			const char *pfname,
			const struct sriov_numvfs_plan *p)
{
	struct json_object *changes = cli_plan_json_new();
	char from[16], to[16];

	for (size_t i = 0; i < p->n_steps; i++) {
		const struct sriov_numvfs_step *s = &p->steps[i];
		bool n = s->attr == SRIOV_NUMVFS_WRITE;

		snprintf(from, sizeof(from), "%u", s->from);
		snprintf(to, sizeof(to), "%u", s->to);
		cli_plan_json_add(changes, pfname, pf->address, "num_vfs",
				  n ? "num_vfs" : "drivers_autoprobe",
				  n ? from : onoff((int)s->from),
				  n ? to : onoff((int)s->to));
	}
	return cli_plan_json_emit(c, changes);
}

static void print_holders(const struct sriov_numvfs_plan *p, FILE *f,
			  const char *prefix)
{
	char h[256];

	for (size_t i = 0; i < p->holders.n; i++) {
		sriov_holder_describe(&p->holders.v[i], h, sizeof(h));
		sriov_escape_printf(f, "%s%s\n", prefix, h);
	}
}

static int report(const char *pfname, const struct sriov_numvfs_plan *p,
		  const struct sriov_numvfs_result *res, unsigned timeout_s)
{
	int rc = EXIT_OK;

	for (size_t i = 0; i < res->n_vfs; i++) {
		const struct sriov_numvfs_vf *v = &res->vfs[i];

		if (!p->pci) {
			cli_print("%s/vf%u\n", pfname, v->index);
			continue;
		}
		cli_print("%s/vf%u: %s, %s%s%s\n", pfname, v->index,
			  v->address[0] ? v->address : "no virtfn link yet",
			  v->driver ? v->driver : "no driver",
			  v->netdev ? ", netdev " : "", v->netdev ? v->netdev : "");
	}
	if (!res->vfs_settled && !res->failed_err) {
		cli_error("%s: after %u s not every VF has appeared (a virtfn link, or the netdev of a VF on a network driver, is missing); see 'sriovctl show %s' and dmesg",
			  pfname, timeout_s, pfname);
		rc = EXIT_FAILED;
	}
	if (res->carrier == 1)
		cli_print("%s carrier: up again after %u.%u s\n", pfname,
			  res->carrier_ms / 1000, res->carrier_ms % 1000 / 100);
	else if (res->carrier == 0)
		cli_error("%s: the PF's link was up before and has no carrier yet; it may still come back (igb resets the link when VFs are enabled)",
			  pfname);
	if (res->final_vfs != p->old_vfs)
		cli_print("%s num_vfs: %u -> %u\n", pfname, p->old_vfs,
			  res->final_vfs);
	if (!res->rolled_back && p->new_autoprobe != p->old_autoprobe &&
	    res->steps_done == p->n_steps)
		cli_print("%s drivers_autoprobe: %s -> %s\n", pfname,
			  onoff(p->old_autoprobe), onoff(p->new_autoprobe));
	return rc;
}

/*
 * What the quirk table is certain the driver refuses for @n VFs: a count
 * above its limit, or VFs it takes only from a module parameter. EXIT_OK:
 * none (or --force).
 */
static int set_vfs_quirks(const struct sriov_pf *pf, const struct sriov_quirks *q,
			  const char *pfname, unsigned n)
{
	const struct sriov_quirk *k;
	unsigned max;

	k = sriov_quirks_next(q, pf, SRIOV_QUIRK_MODULE_PARAM, 0, NULL);
	if (k && n > 0) {
		cli_error("%s: %s takes its VF count from the module parameter %s=, not sriov_numvfs (quirk %s: %s; source: %s); set it (modprobe %s %s=N, or in /etc/modprobe.d), or --force to try anyway",
			  pfname, pf->driver, k->module_param, k->id, k->summary, k->source,
			  pf->driver, k->module_param);
		return EXIT_FAILED;
	}
	k = sriov_quirks_max_vfs(q, pf, &max);
	if (k && n > max) {
		cli_error("%s: %u VFs is more than %s enables (quirk %s: %s; source: %s); ask for at most %u, or --force to try anyway",
			  pfname, n, pf->driver, k->id, k->summary, k->source, max);
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

/*
 * The wait for the driver: its known pace per VF (the quirk table) times
 * the VFs created, doubled for a loaded host, when above the default and
 * no --timeout was given.
 */
static unsigned paced_timeout(const struct sriov_pf *pf, const struct sriov_quirks *q,
			      unsigned n, unsigned timeout_s)
{
	const struct sriov_quirk *k = sriov_quirks_next(q, pf, SRIOV_QUIRK_NUMVFS_PACE, 0, NULL);
	unsigned long long want;

	if (!k)
		return timeout_s;
	want = ((unsigned long long)k->pace_ms * n * 2 + 999) / 1000;
	if (want > MAX_TIMEOUT_S)
		want = MAX_TIMEOUT_S;
	return want > timeout_s ? (unsigned)want : timeout_s;
}

static int set_vfs(struct cli *c, const char *name, const char *count,
		   const struct pf_opts *o)
{
	struct sriov_quirks *quirks = NULL;
	unsigned timeout_s = o->timeout_s;
	struct sriov_numvfs_req req = { .autoprobe = o->autoprobe,
					.force = o->force };
	struct sriov_numvfs_plan plan = { 0 };
	struct sriov_numvfs_result res = { 0 };
	struct sriov_host *host = NULL;
	const struct sriov_pf *pf;
	char err[2048], pfname[300];
	int r, rc;

	if (parse_count(count, 0xffff, &req.num_vfs) < 0) {
		cli_error("%s: '%s' is not a VF count (0..sriov_totalvfs); 'sriovctl show %s' shows the total",
			  name, count, name);
		return EXIT_USAGE;
	}
	rc = cli_live_only(c, name, "pf set-vfs", true);
	if (rc < 0 && !c->dry_run)
		rc = cli_no_json(c, "pf set-vfs", "what a run changes is printed as text and kept in the change log; --dry-run --json prints the plan (sriovctl.plan/v1)");
	if (rc >= 0)
		return rc;
	if (!c->dry_run) {
		rc = cli_lock_unjournaled(c, CLI_LOCK_WAIT_MS);
		if (rc >= 0)
			return rc;
	}
	sriov_ctx_set_netlink(c->ctx, false);
	rc = cli_load(c, SRIOV_LOAD_NO_NAMES | SRIOV_LOAD_NO_CONFIG, &host);
	if (rc != EXIT_OK)
		return rc;
	rc = resolve_pf(c, host, name, &pf);
	if (rc != EXIT_OK)
		goto out;
	snprintf(pfname, sizeof(pfname), "%s",
		 pf->n_netdevs ? pf->netdevs[0].name : pf->address);
	rc = cli_quirks(c, &quirks);
	if (rc == EXIT_OK && !o->force)
		rc = set_vfs_quirks(pf, quirks, pfname, req.num_vfs);
	if (rc != EXIT_OK)
		goto out;
	if (!o->timeout_given)
		timeout_s = paced_timeout(pf, quirks, req.num_vfs, timeout_s);
	r = sriov_numvfs_plan(c->ctx, pf, &req, &plan, err, sizeof(err));
	if (r == -ENOMEM) {
		cli_error("out of memory");
		rc = EXIT_FAILED;
		goto out;
	}
	if (r < 0) {
		cli_error("%s", err);
		print_holders(&plan, stderr, "sriovctl:   ");
		rc = EXIT_FAILED;
		goto out;
	}
	if (c->dry_run && c->json) {
		rc = dry_run_json(c, pf, pfname, &plan);
		goto out;
	}
	if (plan.n_steps == 0) {
		cli_print("%s: already %u VFs (autoprobe %s); nothing written\n",
			  pfname, plan.old_vfs, onoff(plan.old_autoprobe));
		goto out;
	}
	if (plan.holders.n > 0) {
		cli_error("%s: --force: removing VFs in use:", pfname);
		print_holders(&plan, stderr, "sriovctl:   ");
	}
	if (c->dry_run) {
		print_plan(pfname, &plan);
		cli_dry_run_footer(plan.n_steps);
		goto out;
	}
	r = sriov_numvfs_apply(c->ctx, &plan, timeout_s * 1000u, &res, err,
			       sizeof(err));
	/* ENOMEM from the kernel (MMIO space) is not ours */
	if (r == -ENOMEM && !res.failed_err) {
		cli_error("out of memory");
		rc = EXIT_FAILED;
		goto out;
	}
	if (r < 0) {
		cli_error("%s", err);
		rc = EXIT_FAILED;
		if (res.timed_out)
			goto out; /* reading sysfs now could block as well */
	}
	if (report(pfname, &plan, &res, timeout_s) != EXIT_OK)
		rc = EXIT_FAILED;
	if (fflush(stdout) != 0)
		rc = EXIT_FAILED;
out:
	sriov_quirks_free(quirks);
	sriov_numvfs_result_clear(&res);
	sriov_numvfs_plan_clear(&plan);
	sriov_host_free(host);
	return rc;
}

int cmd_pf(struct cli *c, int argc, char **argv)
{
	struct pf_opts o = { .autoprobe = -1, .timeout_s = DEFAULT_TIMEOUT_S };
	char **args;
	int nargs, r;

	r = take_opts(&argc, argv, &o);
	if (r >= 0)
		return r;
	r = cli_args(c, argc, argv, 2, o.count ? 2 : 3, &args, &nargs);
	if (r >= 0)
		return r;
	if (o.count) {
		args[nargs++] = (char *)o.count;
		args[nargs] = NULL;
	}
	if (strcmp(args[1], "set-vfs") != 0) {
		cli_error("pf: unknown action '%s': use 'sriovctl pf PF set-vfs N'",
			  args[1]);
		return EXIT_USAGE;
	}
	if (nargs != 3) {
		cli_error("pf %s set-vfs needs the VF count: 'sriovctl pf %s set-vfs N'",
			  args[0], args[0]);
		return EXIT_USAGE;
	}
	return set_vfs(c, args[0], args[2], &o);
}
