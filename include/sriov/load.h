/* SPDX-License-Identifier: MIT */
/*
 * libsriov — reading the host's inventory (sriov/model.h) and what is
 * looked up beside it: names, IOMMU groups, drivers.
 */
#ifndef SRIOV_LOAD_H
#define SRIOV_LOAD_H

#include "sriov/common.h"
#include "sriov/context.h"
#include "sriov/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Flags for sriov_host_load(). */
#define SRIOV_LOAD_NO_NAMES   0x1u  /* skip pci.ids name lookups */
#define SRIOV_LOAD_NO_CONFIG  0x2u  /* skip config space (PFs and bridges) */
#define SRIOV_LOAD_STATS      0x4u  /* also per-VF counters (IFLA_VF_STATS):
				       the dump is larger, so only on request */
#define SRIOV_LOAD_NO_VF_MTU  0x8u  /* skip the VF netdevs' MTU (vf->mtu -1):
				       list and show do not print it */
#define SRIOV_LOAD_VF_DRIVER_ONLY 0x10u /* of each VF only its address and
				       driver, what list's table shows: no
				       override, IOMMU group, physfn check,
				       netdevs or MAC (a fifth of the reads) */

/*
 * Read the host's SR-IOV inventory under the ctx's root. A device whose
 * attributes are partly unreadable is kept with warnings; only a failure to
 * read the PCI bus itself (or memory exhaustion) is an error.
 * Returns 0 or -errno. Free with sriov_host_free().
 */
int sriov_host_load(struct sriov_ctx *ctx, unsigned flags,
		    struct sriov_host **out);
void sriov_host_free(struct sriov_host *host);

/*
 * The same inventory, of one PF only: the one that @name (any name
 * sriov_host_resolve() takes) is or holds the VF of, found with a few
 * reads, with its VFs; the views of one device need no other. The host's
 * own facts (root, cmdline, IOMMU, warnings) are as sriov_host_load()
 * reads them. Returns 0, -ENOENT when those reads lead to no SR-IOV PF (a
 * misspelt or ambiguous name, a device without SR-IOV: the full inventory
 * and sriov_host_resolve() say which), or -errno. Resolve @name in the
 * result. Free with sriov_host_free().
 */
int sriov_host_load_device(struct sriov_ctx *ctx, unsigned flags,
			   const char *name, struct sriov_host **out);

/*
 * Look up the pci.ids names of @only (a PF of @host), or of every PF when
 * NULL, after a load with SRIOV_LOAD_NO_NAMES: loading the database is most
 * of the cost of showing one PF, and a netdevsim PF needs none. A name
 * database that cannot be read gives no names and one host warning.
 * Returns 0 or -ENOMEM.
 */
int sriov_host_load_names(struct sriov_ctx *ctx, struct sriov_host *host,
			  const struct sriov_pf *only);

/*
 * Read the IOMMU groups of @only (a PF of @host) and of its VFs, or of every
 * PF's when NULL: each group's devices with their drivers, once per group,
 * into pf->group and vf->group, for the views that show group peers. A
 * group that cannot be listed leaves ->group NULL. Returns 0 or -ENOMEM.
 */
int sriov_host_load_groups(struct sriov_ctx *ctx, struct sriov_host *host,
			   const struct sriov_pf *only);

/*
 * Devices (PCI addresses) in IOMMU group @group, sorted. Returns 0 or -errno
 * (-ENOENT when the group does not exist). Free with sriov_strv_clear().
 */
int sriov_iommu_group_devices(struct sriov_ctx *ctx, int group,
			      struct sriov_strv *out);

/*
 * The driver bound to PCI device @address, or NULL in *out when none.
 * Returns 0 or -errno (-ENOENT when the device does not exist). Free *out
 * with free().
 */
int sriov_pci_device_driver(struct sriov_ctx *ctx, const char *address,
			    char **out);


#ifdef __cplusplus
}
#endif

#endif
