/* SPDX-License-Identifier: MIT */
/*
 * Who holds a VF: processes with its vfio group or device open, found in
 * /proc/PID/fd, and VF netdevs that are up, enslaved or in another network
 * namespace. Removing such a VF pulls a device from under a guest or a
 * network; with vfio the kernel even blocks the removal until the process
 * lets go. Public entry points are in sriov.h (sriov_vf_holders).
 */
#ifndef SRIOV_HOST_HOLDERS_H
#define SRIOV_HOST_HOLDERS_H

#include <stdbool.h>

#include "sriov.h"

/*
 * Whether a VF of PCI class @class_code bound to @driver should have a
 * netdev: a network-class VF bound to anything but a pass-through stub.
 */
bool holders_net_driver(unsigned class_code, const char *driver);

#endif
