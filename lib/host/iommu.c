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

void iommu_group_free(struct sriov_iommu_group *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->n_members; i++) {
		free(g->members[i].address);
		free(g->members[i].driver);
	}
	free(g->members);
	free(g);
}

int iommu_group_read(struct rootfs *rfs, int id,
		     struct sriov_iommu_group **out)
{
	struct sriov_strv devs = { 0 };
	struct sriov_iommu_group *g;
	char path[64];
	int r;

	*out = NULL;
	if (id < 0)
		return -EINVAL;
	snprintf(path, sizeof(path), "sys/kernel/iommu_groups/%d/devices", id);
	r = rootfs_list(rfs, ROOTFS_TOP, path, &devs);
	if (r < 0)
		return r;
	g = calloc(1, sizeof(*g));
	if (g)
		g->members = calloc(devs.n ? devs.n : 1, sizeof(*g->members));
	if (!g || !g->members) {
		free(g);
		sriov_strv_clear(&devs);
		return -ENOMEM;
	}
	g->id = id;
	for (size_t i = 0; i < devs.n && r == 0; i++) {
		struct sriov_group_member *m = &g->members[g->n_members++];
		struct pcidev d;

		m->address = devs.v[i];
		devs.v[i] = NULL;
		/* a member without a readable driver link shows as driverless */
		if (pcidev_open(rfs, m->address, &d) == 0 &&
		    pcidev_driver(&d, &m->driver) == -ENOMEM)
			r = -ENOMEM;
		pcidev_close(&d);
	}
	sriov_strv_clear(&devs);
	if (r < 0) {
		iommu_group_free(g);
		return r;
	}
	*out = g;
	return 0;
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
