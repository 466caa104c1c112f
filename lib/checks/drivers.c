/* SPDX-License-Identifier: MIT */
/*
 * Driver checks: vfio-pci available (driver.vfio), the PF bound to a driver
 * that creates VFs (driver.pf), a driver for the VFs (driver.vf).
 *
 * Modules are looked up in the text files of /lib/modules/<release> under
 * the root (host/modules.h), as bind's plan looks them up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "host/modules.h"
#include "host/pcidev.h"

static void load_modules(struct check_run *r)
{
	if (host_modules_load(r->ctx->rfs, &r->mods) == -ENOMEM)
		r->err = -ENOMEM;
}

static void check_vfio(struct check_run *r)
{
	char remedy[512];

	if (pci_driver_loaded(r->ctx->rfs, "vfio-pci")) {
		check_add(r, "driver.vfio", SRIOV_SEV_OK, NULL, NULL,
			  "/sys/bus/pci/drivers/vfio-pci exists: vfio-pci is loaded");
		return;
	}
	if (!r->mods.release[0]) {
		check_add(r, "driver.vfio", SRIOV_SEV_SKIP, NULL, NULL,
			  "vfio-pci is not loaded and /proc/sys/kernel/osrelease is not readable");
		return;
	}
	if (host_module_listed(r->mods.builtin, "vfio-pci")) {
		check_add(r, "driver.vfio", SRIOV_SEV_OK, NULL, NULL,
			  "/lib/modules/%s/modules.builtin lists vfio-pci", r->mods.release);
		return;
	}
	if (!r->mods.dep) {
		check_add(r, "driver.vfio", SRIOV_SEV_SKIP, NULL, NULL,
			  "vfio-pci is not loaded and /lib/modules/%s/modules.dep is not readable",
			  r->mods.release);
		return;
	}
	if (host_module_listed(r->mods.dep, "vfio-pci")) {
		check_add(r, "driver.vfio", SRIOV_SEV_OK, NULL, NULL,
			  "/lib/modules/%s/modules.dep lists vfio-pci (not loaded yet: sriovctl loads it when binding)",
			  r->mods.release);
		return;
	}
	snprintf(remedy, sizeof(remedy),
		 r->os == OS_RHEL ? "install the running kernel's modules: dnf install kernel-modules-%s, then modprobe vfio-pci" :
		 "install the running kernel's modules: apt install linux-image-%s (Ubuntu: linux-modules-extra-%s), then modprobe vfio-pci",
		 r->mods.release, r->mods.release);
	check_add(r, "driver.vfio", SRIOV_SEV_FAIL, NULL, remedy,
		  "vfio-pci is not loaded, and neither /lib/modules/%s/modules.builtin nor modules.dep lists it",
		  r->mods.release);
}

static void check_pf_driver(struct check_run *r, const struct sriov_pf *pf)
{
	char remedy[256];

	if (strcmp(pf->bus, "pci") != 0) {
		check_add(r, "driver.pf", SRIOV_SEV_OK, check_pf_name(pf), NULL,
			  "%s is a %s device whose driver creates VFs", pf->address, pf->bus);
		return;
	}
	if (!pf->driver) {
		snprintf(remedy, sizeof(remedy),
			 "bind the PF to its driver: echo %s > /sys/bus/pci/drivers_probe",
			 pf->address);
		check_add(r, "driver.pf", SRIOV_SEV_WARN, pf->address, remedy,
			  "%s/driver is missing: the PF has no driver, so writing sriov_numvfs fails (ENOENT)",
			  pf->sysfs_path);
		return;
	}
	check_add(r, "driver.pf", SRIOV_SEV_OK, check_pf_name(pf), NULL,
		  "%s/driver is %s, sriov_totalvfs %u%s", pf->sysfs_path, pf->driver,
		  pf->total_vfs, strcmp(pf->driver, "vfio-pci") == 0 ?
		  " (vfio-pci creates VFs only with its module parameter enable_sriov=Y)" : "");
}

static void check_vf_driver(struct check_run *r, const struct sriov_pf *pf)
{
	char modalias[128], module[128], remedy[512];

	if (strcmp(pf->bus, "pci") != 0)
		return;
	for (size_t i = 0; i < pf->n_vfs; i++) {
		const char *d = pf->vfs[i].driver;

		if (d && strcmp(d, "vfio-pci") != 0 && strcmp(d, "pci-stub") != 0) {
			check_add(r, "driver.vf", SRIOV_SEV_OK, check_pf_name(pf), NULL,
				  "VF %s is bound to %s", pf->vfs[i].address, d);
			return;
		}
	}
	if (pcidev_vf_modalias(r->ctx->rfs, pf,
			       pf->n_vfs ? pf->vfs[0].address : NULL,
			       modalias, sizeof(modalias)) == -ENOMEM)
		r->err = -ENOMEM;
	if (!r->mods.alias) {
		check_add(r, "driver.vf", SRIOV_SEV_SKIP, check_pf_name(pf), NULL,
			  "/lib/modules/%s/modules.alias is not readable",
			  r->mods.release[0] ? r->mods.release : "RELEASE");
		return;
	}
	if (host_modalias_lookup(r->mods.alias, modalias, module,
				  sizeof(module)) == 0) {
		check_add(r, "driver.vf", SRIOV_SEV_OK, check_pf_name(pf), NULL,
			  "VF modalias %s matches module %s in /lib/modules/%s/modules.alias",
			  modalias, module, r->mods.release);
		return;
	}
	snprintf(remedy, sizeof(remedy),
		 "install a kernel or driver package with a driver for %04x:%04x VFs (a module whose alias matches %s), then run depmod; a VF given to a VM through vfio-pci needs the driver in the guest instead",
		 pf->vendor_id, pf->vf_device_id, modalias);
	check_add(r, "driver.vf", SRIOV_SEV_WARN, check_pf_name(pf), remedy,
		  "no pattern of /lib/modules/%s/modules.alias matches VF modalias %s",
		  r->mods.release, modalias);
}

void checks_drivers(struct check_run *r)
{
	load_modules(r);
	check_vfio(r);
	for (size_t i = 0; i < r->host->n_pfs; i++) {
		const struct sriov_pf *pf = &r->host->pfs[i];

		if (!check_sel_pf(r, pf))
			continue;
		check_pf_driver(r, pf);
		check_vf_driver(r, pf);
	}
}
