/* SPDX-License-Identifier: MIT */
/*
 * libsriov — driver binding: `sriovctl vf VFS bind|unbind`, planned, checked
 * against IOMMU groups and carried out all or nothing.
 */
#ifndef SRIOV_BIND_H
#define SRIOV_BIND_H

#include <stdbool.h>
#include <stddef.h>

#include "sriov/common.h"
#include "sriov/context.h"
#include "sriov/model.h"
#include "sriov/resolve.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What `sriovctl vf VFS bind|unbind` asks for. */
enum sriov_bind_mode {
	SRIOV_BIND_DRIVER,  /* driver_override = the driver, reprobe */
	SRIOV_BIND_KERNEL,  /* clear driver_override, reprobe: the default driver */
	SRIOV_BIND_UNBIND,  /* driver_override "none", unbind: stays driverless */
};

/* Flags of sriov_bind_plan_new(). */
#define SRIOV_BIND_GROUP 0x1u  /* vfio-pci: bind each VF's whole IOMMU group */
#define SRIOV_BIND_FORCE 0x2u  /* unbind VFs in use (netdev up, enslaved) */

/* The drivers vfio accepts beside it in an IOMMU group (and "no driver"). */
bool sriov_vfio_group_driver_ok(const char *driver);

/* One device of a plan: what it is, what will be written, what happened. */
struct sriov_bind_step {
	char address[SRIOV_ADDR_MAX];
	char *name;             /* "ens1f0/vf3"; a group member's address */
	bool group_member;      /* brought in by SRIOV_BIND_GROUP */
	char *old_driver;       /* NULL: none */
	char *old_override;     /* NULL: unset ("(null)") */
	char *new_override;     /* NULL: unset */
	bool write_override;    /* new_override differs from old_override */
	bool unbind;            /* unbind from old_driver first */
	bool probe;             /* then write the address to drivers_probe */
	const char *want;       /* driver expected after (NULL: none, or any
				   for SRIOV_BIND_KERNEL) */
	/* filled by sriov_bind_apply() */
	char *new_driver;       /* read back after the step; NULL: none */
	char *released;         /* a driver that took it and let it go again
				   (its asynchronous start failed) */
	bool changed;           /* something was written and stays written */
	bool rolled_back;       /* written, then put back */
};

struct sriov_bind_plan {
	enum sriov_bind_mode mode;
	char *driver;           /* SRIOV_BIND_DRIVER: the driver */
	bool load_module;       /* the driver is not loaded: load its module */
	bool module_loaded;     /* sriov_bind_apply() loaded it */
	bool pf_autoprobe_off;  /* SRIOV_BIND_KERNEL: a PF has autoprobe 0 */
	struct sriov_bind_step *v;
	size_t n;
	size_t n_work;          /* steps that write anything */
	size_t failed;          /* index of the failing step, when apply failed */
};

/*
 * Plan binding the VFs @vfs (sriov_host_resolve_vfs) in @mode to @driver
 * (SRIOV_BIND_DRIVER only), from the drivers and overrides of @host and the
 * IOMMU groups read through @ctx. Nothing is written. A VF already in the
 * wanted state gets a step that writes nothing. For vfio-pci the IOMMU
 * group of every VF must be viable: every other member without a driver,
 * bound to a driver vfio accepts (sriov_vfio_group_driver_ok), or in @vfs;
 * with SRIOV_BIND_GROUP the other non-bridge members become steps too,
 * except a PF with VFs enabled (its driver's removal disables them).
 * The driver must be loaded or a module of the root's kernel
 * (/lib/modules/<release>) and, unless generic (vfio-pci, pci-stub),
 * claim each VF's modalias there; a VF to unbind must not be in use
 * (sriov_vf_holders, as for set-vfs) unless SRIOV_BIND_FORCE.
 * @err names the device and what to do. Returns 0; -EINVAL (bad driver
 * name), -ENOENT (no such driver or module: the closest name is offered),
 * -ENODEV (the driver does not claim a VF; vfio-pci without an IOMMU or a
 * VF without a group), -EBUSY (group not viable: the members in the way
 * are named; a VF in use; or a VF to unbind from vfio-pci is held open by
 * a process, which SRIOV_BIND_FORCE does not override), -EXDEV (the
 * group holds a PF that hosts VFs), -ENOMEM, or -errno reading sysfs.
 * Free with sriov_bind_plan_free().
 */
int sriov_bind_plan_new(struct sriov_ctx *ctx, const struct sriov_host *host,
			const struct sriov_vf_refs *vfs, enum sriov_bind_mode mode,
			const char *driver, unsigned flags,
			struct sriov_bind_plan **out, char *err, size_t errlen);
void sriov_bind_plan_free(struct sriov_bind_plan *plan);

/*
 * Carry @plan out: load the driver's module when needed (libkmod), then per
 * device write driver_override, unbind the current driver, write the
 * address to /sys/bus/pci/drivers_probe, and check that the device ended up
 * with the wanted driver; a device that a driver other than vfio-pci or
 * pci-stub took is watched for up to 5 s until it is ready (a netdev, an
 * NVMe controller "live") or let go (nvme takes a device and lets it go
 * when its asynchronous start fails). All or nothing: when a step fails, every device
 * already changed (that one included) gets its driver_override and driver
 * back. Each step's new_driver/changed/rolled_back tell what happened.
 * Returns 0, or -errno with @err naming the device and the cause (-ENOENT:
 * no module; -ENXIO: the driver did not take the device; plan->failed is
 * the step's index).
 */
int sriov_bind_apply(struct sriov_ctx *ctx, struct sriov_bind_plan *plan,
		     char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
