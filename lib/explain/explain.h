/* SPDX-License-Identifier: MIT */
/* Internals of `explain`: the pattern table and what is pulled from a text. */
#ifndef SRIOV_EXPLAIN_EXPLAIN_H
#define SRIOV_EXPLAIN_EXPLAIN_H

#include <stddef.h>

#include "sriov.h"

/*
 * A message pattern of a failure: POSIX extended regex, case-insensitive,
 * matched line by line. When @context is set it must match somewhere in the
 * text too (a bare errno string means something only next to the file or
 * command that got it).
 */
struct explain_rule {
	const char *failure;         /* sriov_failure id */
	const char *re;
	const char *context;         /* NULL: none needed */
};

/* The rules, in table order; *n is set to their count. */
const struct explain_rule *explain_rules(size_t *n);

/* A VF named as "PF vf N" (ip link) or "PF/vfN" (sriovctl). */
struct explain_vfref {
	char *netdev;
	unsigned index;
};

/* What a text names, each once, in order of appearance. */
struct explain_refs {
	struct sriov_strv addrs;     /* canonical: "0000:0b:10.5", or short "0b:10.5" */
	int *groups;
	size_t n_groups;
	struct sriov_strv netdevs;   /* names in netdev positions of known syntax */
	struct explain_vfref *vfs;
	size_t n_vfs;
};

/*
 * Pull PCI addresses (full, short, libvirt's pci_DDDD_BB_SS_F), IOMMU group
 * numbers, netdev names and VF indexes out of @text. Returns 0, -ENOMEM or
 * -EINVAL (a pattern did not compile). Free with explain_refs_free().
 */
int explain_extract(const char *text, struct explain_refs *out);
void explain_refs_free(struct explain_refs *r);

#endif
