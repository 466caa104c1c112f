/* SPDX-License-Identifier: MIT */
/* Internal to the driver binding operation, exposed for the unit tests. */
#ifndef SRIOV_OPS_BIND_H
#define SRIOV_OPS_BIND_H

#include <stdbool.h>

#include "sriov.h"

/* The driver name sysfs and driver_override take: [A-Za-z0-9_.-], 1..63. */
bool bind_driver_name_ok(const char *driver);

/* vfio-pci or one of its variant drivers (mlx5_vfio_pci, ice_vfio_pci…). */
bool bind_is_vfio(const char *driver);

#endif
