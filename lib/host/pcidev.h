/* SPDX-License-Identifier: MIT */
/*
 * One PCI device of /sys/bus/pci/devices, by address: the address
 * validated once, the directory resolved once through the rooted layer (an
 * O_PATH fd), its attributes and links read relative to it with the
 * validation of host/device.c. The one place outside the inventory that
 * reads a device's sysfs attributes.
 */
#ifndef SRIOV_HOST_PCIDEV_H
#define SRIOV_HOST_PCIDEV_H

#include <stdint.h>

#include "host/device.h"
#include "sriov.h"

struct pcidev {
	char address[SRIOV_ADDR_MAX];
	struct dev_reader r;          /* r.fd: the device directory */
	struct sriov_strv warnings;   /* what was unreadable or malformed */
};

/*
 * Open device @address ("0000:3b:00.0"). 0, -EINVAL (not a PCI address),
 * -ENOENT (no such device) or -errno. Close with pcidev_close() whatever
 * the result.
 */
int pcidev_open(struct rootfs *rfs, const char *address, struct pcidev *d);
void pcidev_close(struct pcidev *d);

/* The bound driver's name; *out NULL when none. 0 or -errno. */
int pcidev_driver(struct pcidev *d, char **out);
/* driver_override; *out NULL when unset or absent. 0 or -errno. */
int pcidev_override(struct pcidev *d, char **out);
/* The class code (0x020000); -ENOENT when absent. */
int pcidev_class(struct pcidev *d, uint32_t *out);
/* sriov_numvfs; 0 when the device has none (not a PF). */
unsigned pcidev_numvfs(struct pcidev *d);
/* Whether it is a PCI-to-PCI bridge (class 0604xx). */
bool pcidev_is_bridge(struct pcidev *d);
/* The modalias ("pci:v…d…sv…sd…bc…sc…i…"), malloc'd. 0 or -errno. */
int pcidev_modalias(struct pcidev *d, char **out);
/* The IOMMU group number, -1 when none. */
int pcidev_iommu_group(struct pcidev *d);

#endif
