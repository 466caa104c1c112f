/* SPDX-License-Identifier: MIT */
/*
 * libsriov — hearing that the inventory changed: the kernel's uevents
 * (NETLINK_KOBJECT_UEVENT) of PCI devices and network interfaces, for a
 * long-running reader (sriovctl-exporter) that keeps an inventory and reads
 * it again only when something came, went, or changed its driver.
 */
#ifndef SRIOV_WATCH_H
#define SRIOV_WATCH_H

#include "sriov/context.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Open a non-blocking socket on the kernel's uevents into *fd (for poll).
 * Only on the live host: a context with another root, or netlink off,
 * gives -EOPNOTSUPP. Returns 0 or -errno. Close *fd with close().
 */
int sriov_watch_open(struct sriov_ctx *ctx, int *fd);

/*
 * Read every uevent waiting on @fd. Returns 1 when one of them concerns
 * the inventory (a PCI device or network interface added, removed,
 * moved, bound or unbound, or changed), 0 when none did or none was
 * waiting, -errno when the socket failed (-ENOBUFS: events were lost;
 * read the inventory again to be sure).
 */
int sriov_watch_read(int fd);

#ifdef __cplusplus
}
#endif

#endif
