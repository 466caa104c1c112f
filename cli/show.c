/* SPDX-License-Identifier: MIT */
/* sriovctl show DEVICE: one PF with its VFs, or one VF. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void not_found(struct cli *c, const struct sriov_host *host,
		      const char *name, int r)
{
	struct sriov_strv hints = { 0 };
	char *addr = NULL, *drv = NULL;

	switch (r) {
	case -EINVAL:
		if (strncmp(name, "pci_", 4) == 0)
			cli_error("'%s' is not a libvirt node device name: pci_DDDD_BB_SS_F in hex (pci_0000_3b_00_0), slot 00..1f, function 0..7",
				  name);
		else
			cli_error("'%s' is not a device name: use a netdev (ens1f0), a PCI address (0000:3b:00.0, 3b:00.0, pci_0000_3b_00_0) or PF/vfN (ens1f0/vf3)",
				  name);
		return;
	case -ENOTUNIQ:
		cli_error("'%s' matches devices in several PCI domains: give the full address (DDDD:BB:DD.F)",
			  name);
		return;
	case -ERANGE:
		cli_error("%s: no such VF: the PF has no VF with that index (see 'sriovctl show %.*s')",
			  name, (int)strcspn(name, "/"), name);
		return;
	}
	if (sriov_lookup_non_sriov(c->ctx, name, &addr, &drv) == 0) {
		if (addr && strchr(name, ':') == NULL)
			cli_error("%s is PCI device %s (driver %s), which has no SR-IOV capability enabled (no sriov_totalvfs); 'sriovctl list' shows the SR-IOV devices",
				  name, addr, drv ? drv : "none");
		else if (addr)
			cli_error("%s (driver %s) has no SR-IOV capability enabled (no sriov_totalvfs); 'sriovctl list' shows the SR-IOV devices",
				  addr, drv ? drv : "none");
		else
			cli_error("%s is a network interface without a PCI device, so it has no VFs; 'sriovctl list' shows the SR-IOV devices",
				  name);
		free(addr);
		free(drv);
		return;
	}
	if (sriov_host_suggest(host, name, 5, &hints) == 0 && hints.n > 0) {
		sriov_escape_printf(stderr, "sriovctl: no SR-IOV PF or VF named '%s' under %s; did you mean: ",
				    name, host->root);
		for (size_t i = 0; i < hints.n; i++)
			sriov_escape_printf(stderr, "%s%s", i ? ", " : "", hints.v[i]);
		fputs("?\n", stderr);
	} else {
		cli_error("no SR-IOV PF or VF named '%s' under %s; 'sriovctl list' shows them",
			  name, host->root);
	}
	sriov_strv_clear(&hints);
}

int cmd_show(struct cli *c, int argc, char **argv)
{
	struct sriov_host *host = NULL;
	struct sriov_quirks *quirks = NULL;
	const struct sriov_pf *pf;
	const struct sriov_vf *vf;
	char **args;
	unsigned flags;
	int nargs, r;

	r = cli_args(c, argc, argv, 1, 1, &args, &nargs);
	if (r >= 0)
		return r;
	/*
	 * Only the PF shown, its names and groups: the rest never reaches the
	 * output. A name that does not lead to one PF is judged (and its error
	 * worded) on the whole inventory.
	 */
	flags = SRIOV_LOAD_NO_NAMES | SRIOV_LOAD_NO_VF_MTU |
		(c->stats ? SRIOV_LOAD_STATS : 0);
	r = sriov_host_load_device(c->ctx, flags, args[0], &host);
	if (r == 0 && sriov_host_resolve(host, args[0], &pf, &vf) < 0) {
		sriov_host_free(host);
		r = -ENOENT;
	}
	if (r < 0) {
		r = cli_load(c, flags, &host);
		if (r != EXIT_OK)
			return r;
		r = sriov_host_resolve(host, args[0], &pf, &vf);
	}
	if (r < 0) {
		not_found(c, host, args[0], r);
		sriov_host_free(host);
		/* a name no host could have is bad usage; one this host lacks, not */
		return r == -EINVAL ? EXIT_USAGE : EXIT_FAILED;
	}
	sriov_host_load_names(c->ctx, host, pf);
	r = sriov_host_load_groups(c->ctx, host, pf);
	if (r < 0) {
		cli_error("%s: cannot read its IOMMU groups: %s", pf->address,
			  strerror(-r));
		sriov_host_free(host);
		return EXIT_FAILED;
	}
	cli_host_warnings(c, host);
	if (!vf) {
		r = cli_quirks(c, &quirks);
		if (r != EXIT_OK) {
			sriov_host_free(host);
			return r;
		}
	}
	if (c->json && vf)
		r = sriov_render_vf_json(host, pf, vf, c->pretty, stdout);
	else if (c->json)
		r = sriov_render_json_quirks(host, pf, quirks, c->pretty, stdout);
	else if (vf) {
		char who[300];

		r = sriov_render_vf_text(pf, vf, stdout);
		/* The CNI plugin's owner record: which pod has the VF. */
		if (r == 0 && vf->address[0] &&
		    sriov_cni_vf_holder(c->ctx, vf->address, who, sizeof(who)) == 0 && who[0])
			cli_print("  %-16sattached to %s (%s)\n", "cni", who, SRIOV_CNI_STATE_DIR);
	}
	else
		r = sriov_render_pf_text_quirks(pf, quirks, stdout);
	sriov_quirks_free(quirks);
	sriov_host_free(host);
	return r < 0 ? cli_output_error(r, "the output") : EXIT_OK;
}
