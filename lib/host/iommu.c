/* SPDX-License-Identifier: MIT */
#include "host/iommu.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "io/parse.h"
#include "pci/addr.h"

int iommu_count_groups(struct rootfs *rfs)
{
	struct sriov_strv groups = { 0 };
	int n = 0;
	unsigned g;

	if (rootfs_list(rfs, ROOTFS_TOP, "sys/kernel/iommu_groups", &groups) < 0)
		return 0;
	for (size_t i = 0; i < groups.n; i++)
		if (parse_uint(groups.v[i], strlen(groups.v[i]), 0x7fffffff,
			       &g) == 0)
			n++;
	sriov_strv_free(&groups);
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
