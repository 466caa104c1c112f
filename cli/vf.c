/* SPDX-License-Identifier: MIT */
/* sriovctl vf VF set ATTR VALUE...: VF attributes through the PF. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

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

static int vf_set(struct cli *c, const char *name, int argc, char **argv)
{
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
	/* The settings go to the running kernel, not to a tree under --root. */
	if (strcmp(sriov_ctx_root(c->ctx), "/") != 0) {
		cli_error("%s: 'vf set' configures the running kernel and cannot be used with --root %s",
			  name, c->root);
		rc = EXIT_USAGE;
		goto out;
	}
	rc = cli_load(c, SRIOV_LOAD_NO_NAMES | SRIOV_LOAD_NO_CONFIG, &host);
	if (rc != EXIT_OK)
		goto out;
	rc = resolve_vf(c, host, name, &pf, &vf);
	if (rc != EXIT_OK)
		goto out;
	vf_name(pf, vf, vname, sizeof(vname));
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
			printf("%s %.*s: %s -> %s\n", vname, (int)w, text, old,
			       text[w] ? text + w + 1 : "");
			continue;
		}
		rc = EXIT_FAILED;
		printf("%s %s: refused by the driver (%s)%s%s\n", vname,
		       x->setting->text, strerror(-x->err),
		       x->msg ? ": " : "", x->msg ? x->msg : "");
	}
	if (fflush(stdout) != 0)
		rc = EXIT_FAILED;
out:
	sriov_vf_results_free(&res);
	sriov_vf_settings_free(&set);
	sriov_host_free(host);
	return rc;
}

int cmd_vf(struct cli *c, int argc, char **argv)
{
	char **args;
	int nargs, r;

	r = cli_args(c, argc, argv, 2, 1000, &args, &nargs);
	if (r >= 0)
		return r;
	if (strcmp(args[1], "set") != 0) {
		cli_error("vf: unknown action '%s': use 'sriovctl vf VF set ATTR VALUE...'",
			  args[1]);
		return EXIT_USAGE;
	}
	return vf_set(c, args[0], nargs - 2, args + 2);
}
