/* SPDX-License-Identifier: MIT */
/* IOMMU state and group membership, from /sys/kernel/iommu_groups. */
#ifndef SRIOV_HOST_IOMMU_H
#define SRIOV_HOST_IOMMU_H

#include <stdbool.h>

#include "io/root.h"
#include "sriov.h"

/* Number of IOMMU groups; 0 when the IOMMU is off (or no such directory). */
int iommu_count_groups(struct rootfs *rfs);

/*
 * IOMMU group @id: its devices, sorted, each with its driver (NULL when
 * none or unreadable). *out malloc'd, freed with iommu_group_free().
 * Returns 0 or -errno (-ENOENT: no such group).
 */
int iommu_group_read(struct rootfs *rfs, int id,
		     struct sriov_iommu_group **out);
void iommu_group_free(struct sriov_iommu_group *g);

/* vfio-pci or one of its variant drivers (mlx5_vfio_pci, ice_vfio_pci…). */
bool iommu_driver_is_vfio(const char *driver);

#endif
