/* SPDX-License-Identifier: MIT */
/*
 * SR-IOV PFs on the netdevsim bus: the kernel's software NIC exposes
 * sriov_numvfs on its bus device and configures the VFs through its PF
 * netdev, though the VFs are not devices of their own. The lab uses it to
 * prove the VF netlink paths on the real kernel.
 */
#ifndef SRIOV_HOST_NETDEVSIM_H
#define SRIOV_HOST_NETDEVSIM_H

#include "host/netmap.h"
#include "io/root.h"
#include "sriov.h"

/*
 * Append a PF for every /sys/bus/netdevsim/devices/X with sriov_numvfs to
 * *pfs (*n entries, reallocated), or only for X = @only when not NULL.
 * 0 or -ENOMEM; no netdevsim bus is 0.
 */
int netdevsim_load_pfs(struct rootfs *rfs, const struct netmap *nm,
		       const char *only, struct sriov_pf **pfs, size_t *n);

#endif
