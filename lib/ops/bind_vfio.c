/* SPDX-License-Identifier: MIT */
/*
 * IOMMU group viability for vfio-pci: every other member of a VF's group
 * driverless, on a driver vfio accepts, or brought into the plan.
 */
#include "ops/bind.h"
#include "util/errbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "host/pcidev.h"
#include "util/strv.h"

/*
 * The other members of @vf's IOMMU group: fine for vfio, in the plan,
 * added to it (@group), or in the way (listed in @way).
 */
static int group_check(struct sriov_ctx *ctx, struct sriov_bind_plan *p,
		       const struct sriov_vf_ref *ref, bool group,
		       char *way, size_t waylen, bool *pf_in_way,
		       char *err, size_t errlen)
{
	struct sriov_strv members = { 0 };
	const struct sriov_vf *vf = ref->vf;
	int r;

	r = sriov_iommu_group_devices(ctx, vf->iommu_group, &members);
	if (r < 0) {
		errset(err, errlen, 0, "%s: cannot read IOMMU group %d: %s",
		    vf->address, vf->iommu_group, strerror(-r));
		return r;
	}
	for (size_t i = 0; i < members.n && r == 0; i++) {
		const char *m = members.v[i];
		char *drv = NULL, *ov = NULL;
		bool own_pf = strcmp(m, ref->pf->address) == 0;
		struct pcidev d;

		if (strcmp(m, vf->address) == 0 || bind_find_step(p, m))
			continue;
		r = pcidev_open(ctx->rfs, m, &d);
		if (r == 0)
			r = pcidev_driver(&d, &drv);
		if (r < 0) {
			errset(err, errlen, 0, "%s: cannot read the driver of %s, in its IOMMU group %d: %s",
				 vf->address, m, vf->iommu_group, strerror(-r));
			pcidev_close(&d);
			break;
		}
		if (sriov_vfio_group_driver_ok(drv)) {
			free(drv);
			pcidev_close(&d);
			continue;
		}
		if (group && (own_pf || pcidev_numvfs(&d) > 0)) {
			errset(err, errlen, 0, "%s: IOMMU group %d holds %s (%s), %s; unbinding a PF's driver disables its VFs, so --group cannot take it: enable ACS on the path to the PF (or use a slot whose ports have ACS) so that the VFs get IOMMU groups of their own",
				 vf->address, vf->iommu_group, m, drv,
				 own_pf ? "the VF's own PF" : "a PF with VFs enabled");
			r = -EXDEV;
		} else if (group && !pcidev_is_bridge(&d)) {
			r = pcidev_override(&d, &ov);
			if (r == 0)
				r = bind_add_step(p, m, m, drv, ov, true);
			free(ov);
		} else {
			bind_append(way, waylen, "%s%s is bound to %s%s",
				    *way ? ", " : "", m, drv,
				    own_pf ? " (the VF's own PF)" :
				    pcidev_is_bridge(&d) ? " (a bridge)" : "");
			if (own_pf || pcidev_numvfs(&d) > 0)
				*pf_in_way = true;
		}
		free(drv);
		pcidev_close(&d);
	}
	sriov_strv_clear(&members);
	return r;
}

int bind_vfio_check(struct sriov_ctx *ctx, const struct sriov_host *host,
		    struct sriov_bind_plan *p, const struct sriov_vf_refs *vfs,
		    unsigned flags, char *err, size_t errlen)
{
	for (size_t i = 0; i < vfs->n; i++) {
		const struct sriov_vf_ref *ref = &vfs->v[i];
		char way[1024] = "";
		bool pf_in_way = false;
		int r;

		if (!bind_find_step(p, ref->vf->address)->probe)
			continue; /* already bound to it */
		if (!host->iommu_enabled) {
			errset(err, errlen, 0, "%s: vfio-pci needs an IOMMU and this host has none enabled (no IOMMU groups in /sys/kernel/iommu_groups): enable VT-d/AMD-Vi in the firmware and boot with intel_iommu=on or amd_iommu=on (vfio's noiommu mode gives a guest unchecked DMA and is unsafe)",
			    ref->vf->address);
			return -ENODEV;
		}
		if (ref->vf->iommu_group < 0) {
			errset(err, errlen, 0, "%s: the VF has no IOMMU group, so vfio-pci cannot use it: check that the IOMMU covers this PCI segment (dmesg | grep -i -e DMAR -e IOMMU)",
			    ref->vf->address);
			return -ENODEV;
		}
		r = group_check(ctx, p, ref, flags & SRIOV_BIND_GROUP, way,
				sizeof(way), &pf_in_way, err, errlen);
		if (r < 0)
			return r;
		if (!*way)
			continue;
		if (pf_in_way)
			errset(err, errlen, 0, "%s: IOMMU group %d is not viable for vfio-pci: %s; every device of a group must be bound to vfio-pci or have no driver, and a PF cannot leave its driver without losing its VFs: enable ACS on the path to the PF so that the VFs get IOMMU groups of their own",
			    ref->vf->address, ref->vf->iommu_group, way);
		else
			errset(err, errlen, 0, "%s: IOMMU group %d is not viable for vfio-pci: %s; every device of a group must be bound to vfio-pci or have no driver: add --group to bind the whole group, or unbind those first",
			    ref->vf->address, ref->vf->iommu_group, way);
		return -EBUSY;
	}
	return 0;
}

