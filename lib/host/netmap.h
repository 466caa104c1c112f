/* SPDX-License-Identifier: MIT */
/*
 * Which network interfaces belong to which PCI device, from one pass over
 * /sys/class/net: each entry is a link into the device's net/ directory
 * ("../../devices/pci0000:00/0000:00:02.0/0000:3b:00.0/net/ens1f0"). One
 * readlink per interface replaces a directory listing per device.
 */
#ifndef SRIOV_HOST_NETMAP_H
#define SRIOV_HOST_NETMAP_H

#include <stdbool.h>

#include "io/root.h"
#include "sriov.h"

struct netmap_entry {
	char *devpath; /* the device directory under the root, no leading '/' */
	char *ifname;
};

struct netmap {
	struct netmap_entry *v; /* sorted by devpath, then ifname */
	size_t n;
	bool valid;             /* false: /sys/class/net unreadable */
};

/* Build the map. 0 or -ENOMEM; an unreadable class/net gives !valid. */
int netmap_load(struct rootfs *rfs, struct netmap *out);
void netmap_free(struct netmap *m);

/*
 * The interfaces of the device at @devpath (relative to the root, no
 * leading '/'), appended to @names in name order. 0 or -ENOMEM.
 */
int netmap_lookup(const struct netmap *m, const char *devpath,
		  struct sriov_strv *names);

#endif
