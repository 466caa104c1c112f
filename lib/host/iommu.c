/* SPDX-License-Identifier: MIT */
#include "host/iommu.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "io/parse.h"
#include "host/pcidev.h"

static int count_group(const char *name, void *data)
{
	unsigned g;

	if (parse_uint(name, strlen(name), 0x7fffffff, &g) == 0)
		(*(int *)data)++;
	return 0;
}

int iommu_count_groups(struct rootfs *rfs)
{
	int n = 0;

	if (rootfs_foreach(rfs, ROOTFS_TOP, "sys/kernel/iommu_groups",
			   count_group, &n) < 0)
		return 0;
	return n;
}

int sriov_iommu_group_devices(struct sriov_ctx *ctx, int group,
			      struct sriov_strv *out)
{
	char path[64];

	if (group < 0)
		return -EINVAL;
	snprintf(path, sizeof(path), "sys/kernel/iommu_groups/%d/devices",
		 group);
	return rootfs_list(ctx->rfs, ROOTFS_TOP, path, out);
}

int sriov_pci_device_driver(struct sriov_ctx *ctx, const char *address,
			    char **out)
{
	struct pcidev d;
	int r;

	*out = NULL;
	r = pcidev_open(ctx->rfs, address, &d);
	if (r == 0)
		r = pcidev_driver(&d, out);
	pcidev_close(&d);
	return r;
}

bool iommu_driver_is_vfio(const char *d)
{
	size_t n = d ? strlen(d) : 0;

	return n >= 8 && (strcmp(d + n - 8, "vfio-pci") == 0 ||
			  strcmp(d + n - 8, "vfio_pci") == 0);
}

/*
 * The kernel lets vfio use a group when every other member is driverless
 * or bound to a driver that manages DMA itself (driver_managed_dma:
 * vfio-pci and its variants, pci-stub, and pcieport for bridges).
 */
bool sriov_vfio_group_driver_ok(const char *driver)
{
	return !driver || iommu_driver_is_vfio(driver) ||
	       strcmp(driver, "pci-stub") == 0 ||
	       strcmp(driver, "pcieport") == 0;
}
