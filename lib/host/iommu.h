/* SPDX-License-Identifier: MIT */
/* IOMMU state and group membership, from /sys/kernel/iommu_groups. */
#ifndef SRIOV_HOST_IOMMU_H
#define SRIOV_HOST_IOMMU_H

#include <stdbool.h>

#include "io/root.h"

/* Number of IOMMU groups; 0 when the IOMMU is off (or no such directory). */
int iommu_count_groups(struct rootfs *rfs);

/* vfio-pci or one of its variant drivers (mlx5_vfio_pci, ice_vfio_pci…). */
bool iommu_driver_is_vfio(const char *driver);

#endif
