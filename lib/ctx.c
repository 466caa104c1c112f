/* SPDX-License-Identifier: MIT */
#include "ctx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int sriov_ctx_new(const char *root, struct sriov_ctx **out)
{
	struct sriov_ctx *ctx = calloc(1, sizeof(*ctx));
	int r;

	if (!ctx)
		return -ENOMEM;
	r = rootfs_new(root, &ctx->rfs);
	if (r < 0) {
		free(ctx);
		return r;
	}
	/* Only the real root has the kernel's links behind its sysfs. */
	ctx->netlink = strcmp(rootfs_path(ctx->rfs), "/") == 0;
	*out = ctx;
	return 0;
}

void sriov_ctx_free(struct sriov_ctx *ctx)
{
	if (!ctx)
		return;
	rootfs_free(ctx->rfs);
	pci_ids_free(ctx->ids);
	free(ctx->ids_path);
	free(ctx);
}

const char *sriov_ctx_root(const struct sriov_ctx *ctx)
{
	return rootfs_path(ctx->rfs);
}

int sriov_ctx_set_pci_ids(struct sriov_ctx *ctx, const char *path)
{
	char *p = strdup(path);

	if (!p)
		return -ENOMEM;
	free(ctx->ids_path);
	ctx->ids_path = p;
	pci_ids_free(ctx->ids);
	ctx->ids = NULL;
	ctx->ids_failed = false;
	return 0;
}

struct pci_ids *ctx_ids(struct sriov_ctx *ctx)
{
	if (!ctx->ids && !ctx->ids_failed &&
	    pci_ids_new(ctx->ids_path, &ctx->ids) < 0)
		ctx->ids_failed = true;
	return ctx->ids;
}

void sriov_ctx_set_netlink(struct sriov_ctx *ctx, bool on)
{
	ctx->netlink = on;
}
