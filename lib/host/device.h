/* SPDX-License-Identifier: MIT */
/*
 * Reading the sysfs attributes of one device directory. Each reader returns
 * 0 on success, -ENOENT when the attribute does not exist (the caller
 * decides whether that matters), or another -errno after recording a
 * precise warning ("sriov_numvfs: not a number (\"abc\")") in the device's
 * warning list, so that a partly readable device is still reported.
 */
#ifndef SRIOV_HOST_DEVICE_H
#define SRIOV_HOST_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "host/netmap.h"
#include "io/root.h"
#include "sriov.h"

struct dev_reader {
	struct rootfs *rfs;
	int fd;                      /* O_PATH fd of the device directory */
	struct sriov_strv *warnings;
};

int dev_read_uint(struct dev_reader *d, const char *attr, unsigned max,
		  unsigned *out);
int dev_read_int(struct dev_reader *d, const char *attr, int min, int max,
		 int *out);
/* "0x8086" style (prefixed) or "%x" style (sriov_vf_device). */
int dev_read_hex(struct dev_reader *d, const char *attr, bool prefixed,
		 uint32_t max, uint32_t *out);
int dev_read_bool(struct dev_reader *d, const char *attr, bool *out);
/* A one-token value; *out is NULL for "(null)". Free with free(). */
int dev_read_token(struct dev_reader *d, const char *attr, char **out);
/* One line of free text (local_cpulist); newline stripped. */
int dev_read_line(struct dev_reader *d, const char *attr, char **out);
/* The last component of symlink @attr ("driver" -> "ice"). */
int dev_read_link_name(struct dev_reader *d, const char *attr, char **out);
/* The raw target of symlink @attr into @buf. */
int dev_read_link(struct dev_reader *d, const char *attr, char *buf,
		  size_t size);
/* The IOMMU group number from the iommu_group link; -ENOENT when none. */
int dev_read_iommu_group(struct dev_reader *d, int *out);
/*
 * The netdevs of the device at @devpath (under the root, no leading '/'),
 * from @nm when it is valid, else from the device's net/ directory, with
 * their address, operstate, mtu, speed and ifindex. *out is NULL and *n 0
 * when the device has none.
 */
int dev_read_netdevs(struct dev_reader *d, const struct netmap *nm,
		     const char *devpath, struct sriov_netdev **out, size_t *n);
/* Only the netdev names and the first one's MAC (the cheap VF path). */
/* The MTU of @ifname, -1 if unreadable. */
int dev_net_mtu(struct dev_reader *d, const char *ifname);

/* Whether @ifname is administratively up (IFF_UP): 1, 0, -1 unreadable. */
int dev_net_up(struct dev_reader *d, const char *ifname);

int dev_read_netdev_names(struct dev_reader *d, const struct netmap *nm,
			  const char *devpath, struct sriov_strv *names,
			  char **first_mac);

void netdevs_free(struct sriov_netdev *nd, size_t n);

/*
 * Start a PF of @bus named @name: "unknown" values (-1, autoprobe on), and
 * pf->sysfs_path set to the device's canonical directory, resolved from the
 * bus's devices/ link ("/sys/devices/pci0000:00/…"). 0 or -ENOMEM.
 */
int pf_init(struct rootfs *rfs, struct sriov_pf *pf, const char *bus,
	    const char *bus_devices, const char *name);

#endif
