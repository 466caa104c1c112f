/* SPDX-License-Identifier: MIT */
#include "host/iommu.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "io/parse.h"
#include "pci/addr.h"

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
	char path[128], target[4096];
	const char *base;
	struct pci_addr a;
	size_t blen;
	ssize_t n;

	if (pci_addr_parse(address, &a, NULL) < 0)
		return -EINVAL;
	snprintf(path, sizeof(path), "sys/bus/pci/devices/%s", address);
	if (!rootfs_exists(ctx->rfs, ROOTFS_TOP, path))
		return -ENOENT;
	snprintf(path, sizeof(path), "sys/bus/pci/devices/%s/driver", address);
	n = rootfs_readlink(ctx->rfs, ROOTFS_TOP, path, target, sizeof(target));
	if (n == -ENOENT) {
		*out = NULL;
		return 0;
	}
	if (n < 0)
		return (int)n;
	if (parse_link_basename(target, (size_t)n, &base, &blen) < 0)
		return -EINVAL;
	*out = strndup(base, blen);
	return *out ? 0 : -ENOMEM;
}
