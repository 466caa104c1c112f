/* SPDX-License-Identifier: MIT */
/*
 * libsriov — the context: the root every path is resolved in, and the
 * settings of one caller. The library keeps no other state.
 */
#ifndef SRIOV_CONTEXT_H
#define SRIOV_CONTEXT_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

struct sriov_ctx;

/*
 * Create a context rooted at @root (NULL or "" means "/"): every sysfs and
 * procfs path the library opens is resolved inside that directory.
 * Returns 0, -ENOENT/-ENOTDIR/-EACCES when the root cannot be opened, -ENOMEM.
 * Free with sriov_ctx_free().
 */
int sriov_ctx_new(const char *root, struct sriov_ctx **out);
void sriov_ctx_free(struct sriov_ctx *ctx);

/* The root the context was created with, as given ("/" by default). */
const char *sriov_ctx_root(const struct sriov_ctx *ctx);

/*
 * Use @path instead of the system's PCI id database (pci.ids) for vendor and
 * device names. The database is read lazily, on the first name lookup.
 */
int sriov_ctx_set_pci_ids(struct sriov_ctx *ctx, const char *path);

/*
 * Whether sriov_host_load() asks the running kernel over rtnetlink for the
 * VF attributes of each PF's netdev. On by default when the root is "/",
 * off for any other root (a generated tree has no kernel behind it).
 */
void sriov_ctx_set_netlink(struct sriov_ctx *ctx, bool on);

#ifdef __cplusplus
}
#endif

#endif
