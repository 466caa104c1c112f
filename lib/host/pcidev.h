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
#include <sys/types.h>

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
/* The vendor id (0x8086); -ENOENT when absent. */
int pcidev_vendor(struct pcidev *d, uint32_t *out);
/* Whether attribute or link @name exists (sriov_totalvfs, physfn), not
 * following it. */
bool pcidev_has(struct pcidev *d, const char *name);
/* Up to @size bytes of config space: the bytes read or -errno. */
ssize_t pcidev_config(struct pcidev *d, uint8_t *buf, size_t size);
/* The first netdev under net/, malloc'd; *out NULL when none. 0 or -errno. */
int pcidev_netdev(struct pcidev *d, char **out);
/*
 * The address of the PF's VF @index (the virtfnN link) into @buf. 0,
 * -ENOENT (no such VF) or -errno.
 */
int pcidev_virtfn(struct pcidev *d, unsigned index, char *buf, size_t size);

/*
 * The modalias of VF @vf_address of @pf into @buf; when there is no such
 * VF (NULL, "") or it cannot be read, what it will be: VFs share the PF's
 * class and subsystem, with the PF's VF device id. 0 or -ENOMEM.
 */
int pcidev_vf_modalias(struct rootfs *rfs, const struct sriov_pf *pf,
		       const char *vf_address, char *buf, size_t len);

/*
 * Entries of its subdirectory @dir ("nvme"), sorted; -ENOENT when it has
 * none. Free with sriov_strv_clear().
 */
int pcidev_list(struct pcidev *d, const char *dir, struct sriov_strv *out);
/* The one-token value of attribute @rel below it ("nvme/nvme0/state"). */
int pcidev_token(struct pcidev *d, const char *rel, char **out);

/*
 * Driver binding, the kernel's interface of writes (never through a link;
 * the caller reads back the driver link): its driver_override (@value
 * NULL clears it); its address to its driver's unbind, the driver as its
 * driver link names it (-ENOENT when it has none); to driver @driver's
 * bind; to the PCI core's drivers_probe. 0 or -errno; -EINVAL for a
 * driver name that could not be one.
 */
int pcidev_set_override(struct pcidev *d, const char *value);
int pcidev_unbind(struct pcidev *d);
int pcidev_bind(struct pcidev *d, const char *driver);
int pcidev_probe(struct pcidev *d);

/* Whether PCI driver @driver is registered (sys/bus/pci/drivers/NAME). */
bool pci_driver_loaded(struct rootfs *rfs, const char *driver);

#endif
