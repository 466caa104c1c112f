/* SPDX-License-Identifier: MIT */
/*
 * sriovctl vf VF set ATTR VALUE...: VF attributes through the PF.
 * sriovctl vf VFS bind DRIVER | bind --kernel | unbind: VF drivers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Options of bind/unbind, taken out of argv before the common parse. */
struct bind_opts {
	bool group;
	bool force;
	bool dry_run;
	bool kernel;
	const char *seen;  /* the first of them, for "not with set" */
};

/* The sriovctl name of a VF: "ens1f0/vf3", or the PF's address. */
static void vf_name(const struct sriov_pf *pf, const struct sriov_vf *vf,
		    char *buf, size_t len)
{
	snprintf(buf, len, "%s/vf%u",
		 pf->n_netdevs ? pf->netdevs[0].name : pf->address, vf->index);
}

static int resolve_vf(struct cli *c, const struct sriov_host *host,
		      const char *name, const struct sriov_pf **pf,
		      const struct sriov_vf **vf)
{
	int r = sriov_host_resolve(host, name, pf, vf);

	(void)c;
	switch (r) {
	case 0:
		if (*vf)
			return EXIT_OK;
		cli_error("%s is a PF: name one of its VFs, e.g. %s/vf0 (or the VF's PCI address or netdev)",
			  name, name);
		return EXIT_FAILED;
	case -EINVAL:
		cli_error("'%s' is not a VF name: use PF/vfN (ens1f0/vf3), a VF's PCI address or its netdev",
			  name);
		return EXIT_USAGE;
	case -ERANGE:
		cli_error("%s: no such VF: the PF has no VF with that index (see 'sriovctl show %.*s')",
			  name, (int)strcspn(name, "/"), name);
		return EXIT_FAILED;
	case -ENOTUNIQ:
		cli_error("'%s' matches devices in several PCI domains: give the full address (DDDD:BB:DD.F)",
			  name);
		return EXIT_FAILED;
	default:
		cli_error("no SR-IOV VF named '%s' under %s; 'sriovctl list' shows the PFs and 'sriovctl show PF' their VFs",
			  name, host->root);
		return EXIT_FAILED;
	}
}

/*
 * `vf set -n`: every check of the real run (the values, the VF, the PF's
 * netdev, the rates against the current ones, what the driver is known
 * to refuse), then the lines the real run and a policy plan print.
 */
/* "quirk igb.no-min-rate: igb has ... (EINVAL; source: ...)" for @st. */
static void refusal_text(const struct sriov_quirk *k, const struct sriov_vf_setting *st,
			 char *buf, size_t len)
{
	snprintf(buf, len, "quirk %s: %s (%s; source: %s)", k->id, k->summary,
		 sriov_quirk_errno_name(k->refuse_errno[st->attr]), k->source);
}

static int vf_set_dry_run(const struct sriov_pf *pf, const struct sriov_vf *vf,
			  const struct sriov_vf_settings *set, const struct sriov_quirks *q,
			  const char *vname)
{
	int rc = EXIT_OK;

	for (size_t i = 0; i < set->n; i++) {
		const char *text = set->v[i].text;
		const struct sriov_quirk *k = sriov_quirks_setting_refused(q, pf, &set->v[i]);
		size_t w = strcspn(text, " ");
		char old[64], why[1536];

		if (k)
			refusal_text(k, &set->v[i], why, sizeof(why));
		sriov_vf_link_value(&vf->link, set->v[i].attr, old, sizeof(old));
		cli_print("%s %.*s: %s -> %s%s%s%s\n", vname, (int)w, text, old,
			  text[w] ? text + w + 1 : "", k ? " (the driver would refuse it: " : "",
			  k ? why : "", k ? ")" : "");
		if (k)
			rc = EXIT_FAILED;
	}
	if (rc != EXIT_OK)
		cli_error("%s: the driver would refuse a setting (marked above); the others would be applied", vname);
	else
		cli_dry_run_footer(set->n);
	return rc;
}

/*
 * What the quirk table says the driver refuses, refused before anything
 * is written (--force: tried anyway, the kernel answers). EXIT_OK: none.
 */
static int vf_set_refused(const struct sriov_pf *pf, const struct sriov_vf_settings *set,
			  const struct sriov_quirks *q, const char *vname)
{
	int rc = EXIT_OK;
	char why[1536];

	for (size_t i = 0; i < set->n; i++) {
		const struct sriov_quirk *k = sriov_quirks_setting_refused(q, pf, &set->v[i]);

		if (!k)
			continue;
		refusal_text(k, &set->v[i], why, sizeof(why));
		sriov_escape_printf(stderr, "sriovctl: %s %s: the driver %s refuses it: %s\n",
				    vname, set->v[i].text, pf->driver, why);
		rc = EXIT_FAILED;
	}
	if (rc != EXIT_OK)
		cli_error("%s: nothing was changed; leave the setting out, or --force to try anyway", vname);
	return rc;
}

static int vf_set(struct cli *c, const char *name, int argc, char **argv,
		  bool dry_run, bool force)
{
	struct sriov_quirks *quirks = NULL;
	struct sriov_vf_settings set = { 0 };
	struct sriov_vf_results res = { 0 };
	struct sriov_host *host = NULL;
	const struct sriov_pf *pf;
	const struct sriov_vf *vf;
	char err[512], vname[300];
	int r, rc = EXIT_OK;

	/* Syntax first: bad input never needs the host. */
	r = sriov_vf_settings_parse(argc, argv, &set, err, sizeof(err));
	if (r == -ENOMEM) {
		cli_error("out of memory");
		return EXIT_FAILED;
	}
	if (r < 0) {
		cli_error("%s: %s; nothing was changed", name, err);
		return r == -EDOM ? EXIT_FAILED : EXIT_USAGE;
	}
	c->dry_run |= dry_run;
	rc = cli_live_only(c, name, "vf set", true);
	if (rc < 0)
		rc = cli_no_json(c, "vf set", "it prints each change as text ('sriovctl show VF --json' shows the VF after)");
	if (rc >= 0)
		goto out;
	if (!dry_run) {
		rc = cli_lock_unjournaled(c, CLI_LOCK_WAIT_MS);
		if (rc >= 0)
			goto out;
	}
	rc = cli_load(c, SRIOV_LOAD_NO_NAMES | SRIOV_LOAD_NO_CONFIG, &host);
	if (rc != EXIT_OK)
		goto out;
	rc = resolve_vf(c, host, name, &pf, &vf);
	if (rc != EXIT_OK)
		goto out;
	vf_name(pf, vf, vname, sizeof(vname));
	rc = cli_quirks(c, &quirks);
	if (rc != EXIT_OK)
		goto out;
	if (dry_run) {
		r = sriov_vf_settings_check(pf, vf, &set, err, sizeof(err));
		if (r < 0) {
			cli_error("%s; nothing was changed", err);
			rc = EXIT_FAILED;
		} else {
			rc = vf_set_dry_run(pf, vf, &set, force ? NULL : quirks, vname);
		}
		goto flush;
	}
	if (!force) {
		rc = vf_set_refused(pf, &set, quirks, vname);
		if (rc != EXIT_OK)
			goto out;
	}
	r = sriov_vf_settings_apply(pf, vf, &set, &res, err, sizeof(err));
	if (r < 0) {
		if (r == -ENOMEM)
			cli_error("out of memory");
		else
			cli_error("%s; nothing was changed", err);
		rc = EXIT_FAILED;
		goto out;
	}
	/* What changed, old -> new, as the kernel reported it before. */
	for (size_t i = 0; i < res.n; i++) {
		const struct sriov_vf_result *x = &res.v[i];
		const char *text = x->setting->text;
		size_t w = strcspn(text, " ");
		char old[64];

		if (x->err == 0) {
			sriov_vf_link_value(&vf->link, x->setting->attr, old,
					    sizeof(old));
			cli_print("%s %.*s: %s -> %s\n", vname, (int)w, text, old,
				  text[w] ? text + w + 1 : "");
			continue;
		}
		rc = EXIT_FAILED;
		cli_print("%s %s: refused by the driver (%s)%s%s\n", vname,
			  x->setting->text, strerror(-x->err),
			  x->msg ? ": " : "", x->msg ? x->msg : "");
	}
flush:
	if (fflush(stdout) != 0)
		rc = EXIT_FAILED;
out:
	sriov_quirks_free(quirks);
	sriov_vf_results_clear(&res);
	sriov_vf_settings_clear(&set);
	sriov_host_free(host);
	return rc;
}

static int resolve_vfs(const struct sriov_host *host, const char *name,
		       struct sriov_vf_refs *refs)
{
	int r = sriov_host_resolve_vfs(host, name, refs);

	switch (r) {
	case 0:
		return EXIT_OK;
	case -EINVAL:
		cli_error("'%s' does not name VFs: use PF/vfN (ens1f0/vf3), a range or list PF/vf0-3, PF/vf0,2,5-7, a PF (all its VFs), a VF's PCI address or its netdev",
			  name);
		return EXIT_USAGE;
	case -ERANGE:
		cli_error("%s: the PF has no VF with that index (see 'sriovctl show %.*s'); nothing was changed",
			  name, (int)strcspn(name, "/"), name);
		return EXIT_FAILED;
	case -ENODATA:
		cli_error("%s is a PF without VFs: there is nothing to bind; create VFs first (sriov_numvfs)",
			  name);
		return EXIT_FAILED;
	case -ENOTUNIQ:
		cli_error("'%s' matches devices in several PCI domains: give the full address (DDDD:BB:DD.F)",
			  name);
		return EXIT_FAILED;
	case -ENOMEM:
		cli_error("out of memory");
		return EXIT_FAILED;
	default:
		cli_error("no SR-IOV VF or PF named '%s' under %s; 'sriovctl list' shows the PFs and 'sriovctl show PF' their VFs",
			  name, host->root);
		return EXIT_FAILED;
	}
}

static const char *orn(const char *s, const char *none)
{
	return s ? s : none;
}

/* One step, old -> new; @after: the outcome of apply, else the plan. */
static void print_step(const struct sriov_bind_plan *p,
		       const struct sriov_bind_step *s, bool after)
{
	const char *tag = s->group_member ? " (same IOMMU group)" : "";
	const char *newdrv;

	if (!s->write_override && !s->unbind && !s->probe) {
		if (p->mode == SRIOV_BIND_DRIVER)
			cli_print("%s: already bound to %s, nothing to do\n",
				  s->address, p->driver);
		else if (p->mode == SRIOV_BIND_UNBIND)
			cli_print("%s: already unbound (driver_override none), nothing to do\n",
				  s->address);
		else
			cli_print("%s: no driver_override, bound to %s by the kernel, nothing to do\n",
				  s->address, s->old_driver);
		return;
	}
	if (after)
		newdrv = orn(s->new_driver, "none");
	else if (p->mode == SRIOV_BIND_KERNEL)
		newdrv = "(the kernel's default)";
	else
		newdrv = orn(s->want, "none");
	cli_print("%s driver: %s -> %s%s\n", s->address,
		  orn(s->old_driver, "none"), newdrv, tag);
	if (s->write_override)
		cli_print("%s driver_override: %s -> %s%s\n", s->address,
			  orn(s->old_override, "(null)"),
			  orn(s->new_override, "(null)"), tag);
}

/* The dry run as sriovctl.plan/v1: each VF's driver and driver_override. */
static int dry_run_json(const struct cli *c, const struct sriov_bind_plan *p,
			int mode)
{
	struct json_object *changes = cli_plan_json_new();

	for (size_t i = 0; i < p->n; i++) {
		const struct sriov_bind_step *s = &p->v[i];

		if (!s->write_override && !s->unbind && !s->probe)
			continue;
		cli_plan_json_add(changes, s->name ? s->name : s->address, NULL,
				  "driver", "driver", s->old_driver,
				  mode == SRIOV_BIND_KERNEL ? "(the kernel's default)" :
							      orn(s->want, "none"));
		if (s->write_override)
			cli_plan_json_add(changes, s->name ? s->name : s->address, NULL,
					  "driver", "driver_override",
					  s->old_override, orn(s->new_override, "(null)"));
	}
	return cli_plan_json_emit(c, changes);
}

/*
 * bind --kernel -n: with sriov_drivers_autoprobe 0 the kernel probes no
 * driver for a VF without driver_override, drivers_probe included.
 */
static void autoprobe_note(const struct sriov_host *host,
			   const struct sriov_bind_plan *plan)
{
	for (size_t i = 0; i < plan->n; i++) {
		const struct sriov_bind_step *s = &plan->v[i];
		const struct sriov_pf *pf = NULL;

		if (!s->probe)
			continue;
		for (size_t p = 0; p < host->n_pfs && !pf; p++)
			for (size_t v = 0; v < host->pfs[p].n_vfs; v++)
				if (strcmp(host->pfs[p].vfs[v].address,
					   s->address) == 0)
					pf = &host->pfs[p];
		if (pf && !pf->drivers_autoprobe)
			cli_print("note: %s would have no driver: its PF %s has sriov_drivers_autoprobe 0, so the kernel probes no default driver for its VFs; bind a driver by name to give it one\n",
				  s->address, pf->address);
	}
}

static int vf_bind(struct cli *c, const char *name, int mode,
		   const char *driver, const struct bind_opts *o)
{
	struct sriov_bind_plan *plan = NULL;
	struct sriov_vf_refs refs = { 0 };
	struct sriov_host *host = NULL;
	char err[2048] = "";
	int r, rc;

	c->dry_run |= o->dry_run;
	rc = cli_live_only(c, name, mode == SRIOV_BIND_UNBIND ? "unbinding drivers" :
				    "binding drivers", true);
	if (rc < 0 && !o->dry_run)
		rc = cli_no_json(c, mode == SRIOV_BIND_UNBIND ? "vf unbind" : "vf bind", "what a run changes is printed as text and kept in the change log; --dry-run --json prints the plan (sriovctl.plan/v1)");
	if (rc >= 0)
		return rc;
	if (!o->dry_run) {
		rc = cli_lock_unjournaled(c, CLI_LOCK_WAIT_MS);
		if (rc >= 0)
			return rc;
	}
	rc = cli_load(c, SRIOV_LOAD_NO_NAMES | SRIOV_LOAD_NO_CONFIG, &host);
	if (rc != EXIT_OK)
		goto out;
	rc = resolve_vfs(host, name, &refs);
	if (rc != EXIT_OK)
		goto out;
	r = sriov_bind_plan_new(c->ctx, host, &refs, mode, driver,
				(o->group ? SRIOV_BIND_GROUP : 0) |
				(o->force ? SRIOV_BIND_FORCE : 0), &plan, err,
				sizeof(err));
	if (r < 0) {
		cli_error("%s; nothing was changed", err);
		rc = EXIT_FAILED;
		goto out;
	}
	if (o->dry_run && c->json) {
		rc = dry_run_json(c, plan, mode);
		goto flush;
	}
	if (o->dry_run) {
		if (plan->load_module)
			cli_print("module %s: not loaded, would be loaded\n",
				  plan->driver);
		size_t n = 0;

		for (size_t i = 0; i < plan->n; i++) {
			const struct sriov_bind_step *s = &plan->v[i];

			print_step(plan, s, false);
			if (s->write_override || s->unbind || s->probe)
				n += 1 + s->write_override;  /* its lines */
		}
		if (plan->pf_autoprobe_off)
			autoprobe_note(host, plan);
		cli_dry_run_footer(n);
		goto flush;
	}
	r = sriov_bind_apply(c->ctx, plan, err, sizeof(err));
	if (plan->module_loaded)
		cli_print("module %s: loaded\n", plan->driver);
	if (r < 0) {
		bool undone = false;

		for (size_t i = 0; i < plan->n; i++)
			undone |= plan->v[i].rolled_back;
		cli_error("%s%s", err, undone ? "" : "; nothing was changed");
		rc = EXIT_FAILED;
		goto flush;
	}
	for (size_t i = 0; i < plan->n; i++)
		print_step(plan, &plan->v[i], true);
	if (mode == SRIOV_BIND_KERNEL)
		for (size_t i = 0; i < plan->n; i++) {
			const struct sriov_bind_step *s = &plan->v[i];

			if (!s->probe || s->new_driver)
				continue;
			if (s->released)
				cli_error("note: %s has no driver now: %s took it and let it go again (its probe failed; see dmesg)",
					  s->address, s->released);
			else if (plan->pf_autoprobe_off)
				cli_error("note: %s has no driver now: its PF has sriov_drivers_autoprobe 0, so the kernel probes no default driver for its VFs",
					  s->address);
			else
				cli_error("note: %s has no driver now: no driver claimed it, or its default driver failed to probe it (see dmesg)",
					  s->address);
		}
flush:
	if (fflush(stdout) != 0)
		rc = EXIT_FAILED;
out:
	sriov_bind_plan_free(plan);
	sriov_vf_refs_clear(&refs);
	sriov_host_free(host);
	return rc;
}

/* Take bind/unbind's options out of argv (the common parser rejects them). */
static int take_bind_opts(int *argc, char **argv, struct bind_opts *o)
{
	int n = 0;

	for (int i = 0; i < *argc; i++) {
		bool *flag = NULL;

		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[n++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--group") == 0)
			flag = &o->group;
		else if (strcmp(argv[i], "--force") == 0)
			flag = &o->force;
		else if (strcmp(argv[i], "--dry-run") == 0 ||
			 strcmp(argv[i], "-n") == 0)
			flag = &o->dry_run;
		else if (strcmp(argv[i], "--kernel") == 0)
			flag = &o->kernel;
		if (!flag) {
			argv[n++] = argv[i];
			continue;
		}
		if (!o->seen)
			o->seen = argv[i];
		*flag = true;
	}
	*argc = n;
	argv[n] = NULL;
	return 0;
}

int cmd_vf(struct cli *c, int argc, char **argv)
{
	struct bind_opts o = { 0 };
	char **args;
	int nargs, r;

	take_bind_opts(&argc, argv, &o);
	r = cli_args(c, argc, argv, 2, 1000, &args, &nargs);
	if (r >= 0)
		return r;
	if (strcmp(args[1], "set") == 0) {
		if (o.group || o.kernel) {
			cli_error("vf set: unknown option '%s' (--group and --kernel are for bind/unbind)",
				  o.group ? "--group" : "--kernel");
			return EXIT_USAGE;
		}
		return vf_set(c, args[0], nargs - 2, args + 2, o.dry_run, o.force);
	}
	if (strcmp(args[1], "bind") == 0) {
		if (o.kernel && (nargs != 2 || o.group)) {
			cli_error("vf bind --kernel takes no driver and no --group: it gives the VFs back to the kernel's default driver");
			return EXIT_USAGE;
		}
		if (!o.kernel && nargs != 3) {
			cli_error("vf bind: name one driver (sriovctl vf VFS bind DRIVER [--group] [--dry-run]), or --kernel for the default one");
			return EXIT_USAGE;
		}
		if (o.group && strcmp(args[2], "vfio-pci") != 0) {
			cli_error("vf bind: --group is for vfio-pci (it binds the VFs' whole IOMMU groups)");
			return EXIT_USAGE;
		}
		return vf_bind(c, args[0],
			       o.kernel ? SRIOV_BIND_KERNEL : SRIOV_BIND_DRIVER,
			       o.kernel ? NULL : args[2], &o);
	}
	if (strcmp(args[1], "unbind") == 0) {
		if (nargs != 2 || o.group || o.kernel) {
			cli_error("vf unbind takes no driver and no option but --force and --dry-run (sriovctl vf VFS unbind)");
			return EXIT_USAGE;
		}
		return vf_bind(c, args[0], SRIOV_BIND_UNBIND, NULL, &o);
	}
	cli_error("vf: unknown action '%s': use 'sriovctl vf VF set ATTR VALUE...', 'vf VFS bind DRIVER|--kernel' or 'vf VFS unbind'",
		  args[1]);
	return EXIT_USAGE;
}
