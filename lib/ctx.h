/* SPDX-License-Identifier: MIT */
/* The library context: the rooted filesystem and the PCI name database. */
#ifndef SRIOV_CTX_H
#define SRIOV_CTX_H

#include "io/root.h"
#include "pci/ids.h"
#include "sriov.h"

struct sriov_ctx {
	struct rootfs *rfs;
	char *ids_path;       /* NULL: the system's pci.ids */
	struct pci_ids *ids;  /* loaded on first lookup */
	bool ids_failed;
	bool netlink;         /* ask the running kernel over rtnetlink */
};

/* The name database, opened on first use; NULL if it cannot be. */
struct pci_ids *ctx_ids(struct sriov_ctx *ctx);

#endif
