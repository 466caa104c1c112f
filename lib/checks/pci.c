/* SPDX-License-Identifier: MIT */
/*
 * PCI checks: SR-IOV enabled in firmware (sriov.capability), ACS on the
 * path to the root port (acs.path), IOMMU group viability (group.viable).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "host/iommu.h"
#include "host/pcidev.h"
#include "pci/config.h"
#include "util/itemlist.h"

#define ACS_NEEDED (SRIOV_ACS_SV | SRIOV_ACS_RR | SRIOV_ACS_CR | SRIOV_ACS_UF)

/* Config space of device @d; returns the bytes read or -errno. */
static ssize_t read_config(struct pcidev *d, struct sriov_config *cfg)
{
	uint8_t buf[PCI_CFG_EXT_LEN];
	ssize_t n = pcidev_config(d, buf, sizeof(buf));

	if (n >= 0)
		pci_config_decode(buf, (size_t)n, cfg);
	return n;
}

static void disabled_finding(struct check_run *r, const char *addr,
			     const struct sriov_config *cfg, bool named)
{
	char remedy[512];
	struct pcidev d;
	uint32_t vendor = 0;
	bool has_total;

	pcidev_open(r->ctx->rfs, addr, &d);
	has_total = pcidev_has(&d, "sriov_totalvfs");
	if (cfg->sriov.present)
		pcidev_vendor(&d, &vendor);
	pcidev_close(&d);
	if (cfg->sriov.present) {
		if (vendor == 0x15b3)
			snprintf(remedy, sizeof(remedy),
				 "mlxconfig -d %s set SRIOV_EN=1 NUM_OF_VFS=8 (8: the VF count you need), then power-cycle the host",
				 addr);
		else
			snprintf(remedy, sizeof(remedy),
				 "enable SR-IOV in the BIOS/UEFI setup (globally and for the slot of %s) and in the adapter's firmware settings, then power-cycle the host",
				 addr);
		check_add(r, "sriov.capability", SRIOV_SEV_FAIL, addr, remedy,
			  "/sys/bus/pci/devices/%s/config has the SR-IOV capability (TotalVFs %u) but sriov_totalvfs is %s: SR-IOV is disabled in the BIOS or the adapter's firmware",
			  addr, cfg->sriov.total_vfs, has_total ? "0" : "missing");
	} else if (named) {
		check_add(r, "sriov.capability", SRIOV_SEV_FAIL, addr,
			  "use an SR-IOV capable adapter (or a firmware that exposes SR-IOV on this one)",
			  "/sys/bus/pci/devices/%s/config has no SR-IOV capability: the device cannot do SR-IOV",
			  addr);
	}
}

static int scan_device(const char *name, void *data)
{
	struct check_run *r = data;
	struct sriov_config cfg = { 0 };
	struct pcidev d;
	ssize_t n = -ENOENT;

	for (size_t i = 0; i < r->host->n_pfs; i++)
		if (strcmp(r->host->pfs[i].address, name) == 0)
			return 0;
	pcidev_open(r->ctx->rfs, name, &d);
	/* a VF is no device of its own to enable SR-IOV on */
	if (!pcidev_has(&d, "physfn"))
		n = read_config(&d, &cfg);
	pcidev_close(&d);
	/* unprivileged readers see 64 bytes: no extended capabilities */
	if (n > PCI_CFG_STD_LEN && cfg.sriov.present)
		disabled_finding(r, name, &cfg, false);
	return 0;
}

static void check_capability(struct check_run *r)
{
	for (size_t i = 0; i < r->host->n_pfs; i++) {
		const struct sriov_pf *pf = &r->host->pfs[i];

		if (!check_sel_pf(r, pf) || strcmp(pf->bus, "pci") != 0)
			continue;
		if (pf->total_vfs > 0)
			check_add(r, "sriov.capability", SRIOV_SEV_OK, pf->address, NULL,
				  "%s/sriov_totalvfs is %u", pf->sysfs_path, pf->total_vfs);
		else
			disabled_finding(r, pf->address, &pf->config, true);
	}
	if (r->n_sel == 0) {
		rootfs_foreach(r->ctx->rfs, ROOTFS_TOP, "sys/bus/pci/devices",
			       scan_device, r);
		return;
	}
	for (size_t i = 0; i < r->n_sel; i++) {
		struct sriov_config cfg = { 0 };
		struct pcidev d;
		ssize_t n;

		if (r->sel[i].pf)
			continue;
		pcidev_open(r->ctx->rfs, r->sel[i].address, &d);
		n = read_config(&d, &cfg);
		pcidev_close(&d);
		/* 256 bytes of a conventional PCI device are all there is */
		if (n <= PCI_CFG_STD_LEN && !cfg.sriov.present &&
		    !(n == PCI_CFG_STD_LEN && cfg.pcie_type == SRIOV_PCIE_NONE))
			check_add(r, "sriov.capability", SRIOV_SEV_SKIP, r->sel[i].address, NULL,
				  "/sys/bus/pci/devices/%s/config: only %zd bytes readable (run as root to see extended capabilities)",
				  r->sel[i].address, n < 0 ? (ssize_t)0 : n);
		else
			disabled_finding(r, r->sel[i].address, &cfg, true);
	}
}

static void check_acs(struct check_run *r, const struct sriov_pf *pf)
{
	struct itemlist missing = { .len = 0 };
	size_t n_bad = 0;

	if (strcmp(pf->bus, "pci") != 0)
		return;
	for (size_t i = 0; i < pf->n_upstream; i++) {
		const struct sriov_bridge *b = &pf->upstream[i];
		const struct sriov_cap_acs *acs = &b->config.acs;

		if (!b->config_readable || b->config.len <= PCI_CFG_STD_LEN) {
			check_add(r, "acs.path", SRIOV_SEV_SKIP, pf->address, NULL,
				  "/sys/bus/pci/devices/%s/config: extended capabilities not readable (run as root)",
				  b->address);
			return;
		}
		if (acs->present && (acs->ctrl & ACS_NEEDED) == ACS_NEEDED)
			continue;
		/* the kernel turns ACS on only with the IOMMU (pci_enable_acs) */
		if (!r->iommu_active && acs->present &&
		    (acs->caps & ACS_NEEDED) == ACS_NEEDED)
			continue;
		n_bad++;
		if (!acs->present)
			itemlist_add(&missing, "; ", "%s has no ACS capability",
				     b->address);
		else
			itemlist_add(&missing, "; ", "%s ACS control 0x%04x lacks%s%s%s%s",
				     b->address, acs->ctrl,
				     acs->ctrl & SRIOV_ACS_SV ? "" : " SV",
				     acs->ctrl & SRIOV_ACS_RR ? "" : " RR",
				     acs->ctrl & SRIOV_ACS_CR ? "" : " CR",
				     acs->ctrl & SRIOV_ACS_UF ? "" : " UF");
	}
	if (n_bad == 0) {
		check_add(r, "acs.path", SRIOV_SEV_OK, pf->address, NULL,
			  "%zu bridge%s between %s and the root complex, all with ACS SV RR CR UF %s",
			  pf->n_upstream, pf->n_upstream == 1 ? "" : "s", pf->address,
			  r->iommu_active ? "enabled" : "capable (the kernel enables them with the IOMMU)");
		return;
	}
	{
		struct sriov_strv members = { 0 };
		char remedy[512];

		if (pf->iommu_group >= 0)
			sriov_iommu_group_devices(r->ctx, pf->iommu_group, &members);
		snprintf(remedy, sizeof(remedy),
			 "move the card to a slot whose root port has ACS (usually one wired to the CPU), or update the BIOS; the ACS override patch (pcie_acs_override=) is a last resort that gives up isolation between the devices of the group");
		if (pf->iommu_group >= 0)
			check_add(r, "acs.path", SRIOV_SEV_WARN, pf->address, remedy,
				  "config space: %s; so IOMMU group %d holds %zu devices",
				  itemlist_str(&missing), pf->iommu_group, members.n);
		else
			check_add(r, "acs.path", SRIOV_SEV_WARN, pf->address, remedy,
				  "config space: %s; with the IOMMU on, the devices below share one IOMMU group",
				  itemlist_str(&missing));
		sriov_strv_clear(&members);
	}
}

static bool meant_for_vfio(const struct sriov_vf *vf)
{
	return (vf->driver && strcmp(vf->driver, "vfio-pci") == 0) ||
	       (vf->driver_override && strcmp(vf->driver_override, "vfio-pci") == 0);
}

/* Whether @vf is named on its own on the command line (not through its PF). */
static bool named_vf(const struct check_run *r, const struct sriov_vf *vf)
{
	for (size_t i = 0; i < r->n_sel; i++)
		if (r->sel[i].vf == vf)
			return true;
	return false;
}

/*
 * A VF meant for vfio fails when vfio would refuse its group; one named on
 * the command line but on another driver is checked too (explain sends
 * people here after "group N is not viable", and libvirt's managed mode
 * binds vfio-pci only when the guest starts): then it is a warning.
 */
static void check_group(struct check_run *r, const struct sriov_pf *pf,
			const struct sriov_vf *vf)
{
	struct sriov_iommu_group *g;
	char name[64], remedy[1536];
	struct itemlist blockers = { .len = 0 };
	size_t n_bad = 0;
	bool own_pf = false, vfio = meant_for_vfio(vf);
	int sev = vfio ? SRIOV_SEV_FAIL : SRIOV_SEV_WARN;
	int e;

	snprintf(name, sizeof(name), "%s/vf%u", check_pf_name(pf), vf->index);
	if (vf->iommu_group < 0) {
		check_add(r, "group.viable", sev, name,
			  "turn the IOMMU on first (see iommu.active)",
			  "/sys/bus/pci/devices/%s has no iommu_group: vfio-pci cannot use the VF",
			  vf->address);
		return;
	}
	e = iommu_group_read(r->ctx->rfs, vf->iommu_group, &g);
	if (e < 0) {
		check_add(r, "group.viable", SRIOV_SEV_SKIP, name, NULL,
			  "/sys/kernel/iommu_groups/%d/devices: %s", vf->iommu_group,
			  strerror(-e));
		return;
	}
	for (size_t i = 0; i < g->n_members; i++) {
		const struct sriov_group_member *m = &g->members[i];

		/* an unreadable driver link counts as none, as vfio sees it */
		if (strcmp(m->address, vf->address) == 0 ||
		    sriov_vfio_group_driver_ok(m->driver))
			continue;
		if (strcmp(m->address, pf->address) == 0)
			own_pf = true;
		n_bad++;
		itemlist_add(&blockers, ", ", "%s (%s)", m->address, m->driver);
	}
	if (n_bad == 0) {
		check_add(r, "group.viable", SRIOV_SEV_OK, name, NULL,
			  "/sys/kernel/iommu_groups/%d/devices: %zu device%s, none bound to a driver other than vfio-pci, pci-stub or pcieport",
			  vf->iommu_group, g->n_members, g->n_members == 1 ? "" : "s");
	} else {
		char first[256];

		if (own_pf)
			snprintf(first, sizeof(first), "binding the whole group (sriovctl vf %s bind vfio-pci --group) cannot work here: the group holds the VF's own PF, whose unbinding removes its VFs", name);
		else
			snprintf(first, sizeof(first), "bind the whole group: sriovctl vf %s bind vfio-pci --group", name);
		snprintf(remedy, sizeof(remedy),
			 "%s; or move the card to a slot whose root port has ACS so that each VF gets a group of its own; or, as a last resort, the ACS override patch (pcie_acs_override=downstream,multifunction, not in mainline kernels), which lets the devices of the group reach each other's memory",
			 first);
		check_add(r, "group.viable", sev, name, remedy,
			  "/sys/kernel/iommu_groups/%d/devices also holds %s: vfio refuses the group (\"group %d is not viable\")%s",
			  vf->iommu_group, itemlist_str(&blockers), vf->iommu_group,
			  vfio ? "" : " when the VF, now on its host driver, is given to vfio-pci");
	}
	iommu_group_free(g);
}

void checks_pci(struct check_run *r)
{
	check_capability(r);
	for (size_t i = 0; i < r->host->n_pfs; i++) {
		const struct sriov_pf *pf = &r->host->pfs[i];

		if (!check_sel_pf(r, pf))
			continue;
		check_acs(r, pf);
		if (strcmp(pf->bus, "pci") != 0)
			continue;
		for (size_t k = 0; k < pf->n_vfs; k++)
			if (check_sel_vf(r, pf, &pf->vfs[k]) &&
			    (meant_for_vfio(&pf->vfs[k]) || named_vf(r, &pf->vfs[k])))
				check_group(r, pf, &pf->vfs[k]);
	}
}
