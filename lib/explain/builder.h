/* SPDX-License-Identifier: MIT */
/*
 * What sriov_explain() builds, shared by its parts: the matching of the
 * known failures (match.c), the lookup of what the text names on this
 * host (lookup.c) and the advice built from it (advice.c).
 */
#ifndef SRIOV_EXPLAIN_BUILDER_H
#define SRIOV_EXPLAIN_BUILDER_H

#include <stdbool.h>

#include "explain/explain.h"
#include "sriov.h"

/* The devices a text names are placed up to this many (a log names more). */
#define EXPLAIN_MAX_DEVICES 64

/* A looked-up device and the inventory entries behind it. */
struct found {
	const struct sriov_pf *pf;
	const struct sriov_vf *vf;
};

struct builder {
	struct sriov_ctx *ctx;
	const struct sriov_host *host;
	struct sriov_explanation *e;
	struct found *found;         /* parallel to e->devices */
	/*
	 * The text names a PCI device this host does not have: it comes from
	 * another host (or the device was renamed), so its group numbers are
	 * that host's and this host's groups of the same numbers are not
	 * looked at.
	 */
	bool foreign;
	bool present;                /* ...and names some device that is here */
	const struct explain_refs *refs;
};

/* Look up the devices the text names (@refs), placing them in b->e. */
int explain_lookup_refs(struct builder *b, const char *text,
			const struct explain_refs *refs);
/* Add IOMMU group @g of this host with its members and their drivers. */
int explain_add_group(struct builder *b, int g);
/* The advice of match @m, from the devices and groups found. */
int explain_advise(struct builder *b, struct sriov_explain_match *m);

#endif
