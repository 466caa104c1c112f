/* SPDX-License-Identifier: MIT */
/* Internals of `explain`: the pattern table and what is pulled from a text. */
#ifndef SRIOV_EXPLAIN_EXPLAIN_H
#define SRIOV_EXPLAIN_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "sriov.h"

/*
 * A message pattern of a failure: POSIX extended regex, case-insensitive,
 * matched line by line. When @context is set it must match some line of the
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

/*
 * Lines longer than this are matched in windows of this size that overlap
 * by half: a message is shorter than half of it.
 */
#define EXPLAIN_LINE_MAX 4096

/* Where a rule first matched: the line (or window) of the text. */
struct explain_hit {
	bool matched;
	size_t off, len;
};

/* What explain_match_rules() did: the work is linear in the text's windows. */
struct explain_match_stats {
	size_t windows;       /* windows tried against the union of open rules */
	size_t rule_tries;    /* single rules tried on a window the union matched */
	size_t unions;        /* unions compiled: one, and one per decided window */
	size_t context_windows;  /* windows a context pattern was tried on */
};

/*
 * Match every rule of explain_rules() against @text (@len bytes), in time
 * linear in @len. @hits has one entry per rule; @stats may be NULL.
 * Returns 0, -ENOMEM or -EINVAL (a pattern did not compile).
 */
int explain_match_rules(const char *text, size_t len, struct explain_hit *hits,
			struct explain_match_stats *stats);

/* Each kind of reference a text gives is looked up for its first ones only. */
#define EXPLAIN_MAX_REFS 64

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
 * numbers, netdev names and VF indexes out of @text, the first
 * EXPLAIN_MAX_REFS of each, in one linear pass per kind. Returns 0 or
 * -ENOMEM. Free with explain_refs_free().
 */
int explain_extract(const char *text, struct explain_refs *out);
void explain_refs_free(struct explain_refs *r);

#endif
