/* SPDX-License-Identifier: MIT */
/*
 * libsriov — `sriovctl explain`: known failures matched in a pasted error
 * message, and the devices it names looked up on this host.
 */
#ifndef SRIOV_EXPLAIN_H
#define SRIOV_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sriov/common.h"
#include "sriov/context.h"
#include "sriov/model.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SRIOV_EXPLAIN_SCHEMA "sriovctl.explain/v1"

/* The longest text sriov_explain() takes: 16 MiB (a day of a busy log). */
#define SRIOV_EXPLAIN_TEXT_MAX (16u << 20)

/*
 * One known failure of lib/explain/table.c: what an error message means,
 * the `sriovctl check` ids that find its cause, and the fix. Static data.
 */
struct sriov_failure {
	const char *id;              /* stable: "vfio.group-not-viable" */
	const char *title;           /* one line */
	const char *source;          /* who prints the message ("QEMU hw/vfio") */
	const char *meaning;
	const char *fix;
	const char *const *checks;   /* check ids, NULL-terminated */
};

/* The table of known failures, in order; *n is set to its length. */
const struct sriov_failure *sriov_failures(size_t *n);

/* What a device named in the text is on the host (struct sriov_explain_device). */
enum sriov_explain_kind {
	SRIOV_EXPLAIN_ABSENT = 0,    /* no such device under the root */
	SRIOV_EXPLAIN_PF,
	SRIOV_EXPLAIN_VF,
	SRIOV_EXPLAIN_OTHER,         /* a PCI device without SR-IOV */
};

/* A device the text names (PCI address, netdev, "PF vf N"), looked up. */
struct sriov_explain_device {
	char *written;                /* as in the text: "0b:10.5", "ens1f0 vf 3" */
	enum sriov_explain_kind kind;
	char address[SRIOV_ADDR_MAX]; /* full PCI address; "" when none */
	char *driver;                 /* NULL: none */
	char *netdev;                 /* NULL: none */
	int iommu_group;              /* -1: none or unknown */
	int vf_index;                 /* a VF: its index, else -1 */
	/* a PF or a VF: the PF, its netdev and driver, its VF counts */
	char pf[SRIOV_ADDR_MAX];
	char *pf_netdev;
	char *pf_driver;
	unsigned num_vfs, total_vfs;
};

/* An IOMMU group the text names or a named device is in. */
struct sriov_explain_group {
	int group;
	bool exists;                  /* /sys/kernel/iommu_groups/N exists */
	struct sriov_strv members;    /* PCI addresses, sorted */
	struct sriov_strv drivers;    /* per member, "" for none */
	bool viable;                  /* every member's driver suits vfio */
};

/* One known failure the text matched. */
struct sriov_explain_match {
	const struct sriov_failure *failure;
	char *excerpt;                /* the line that matched, trimmed */
	struct sriov_strv advice;     /* for this host: facts and commands */
	/*
	 * The findings show the failure's fix is not for this host: nothing
	 * the text names is here (another host's text), or the IOMMU that
	 * vfio.no-iommu's fix turns on is on.
	 */
	bool fix_not_here;
};

/* Free with sriov_explanation_free(). */
struct sriov_explanation {
	struct sriov_explain_match *matches;
	size_t n_matches;
	struct sriov_explain_device *devices;
	size_t n_devices;
	struct sriov_explain_group *groups;
	size_t n_groups;
	bool looked_up;               /* a host inventory was given */
};

/*
 * Match @text (an error message as pasted: log prefixes, timestamps,
 * tracebacks, several lines) against the known failures with POSIX
 * regexes, pull out the PCI addresses (full and short), IOMMU group
 * numbers, netdev names and VF indexes it names, and look them up in
 * @host (NULL: no lookups) and through @ctx (group members and drivers;
 * may be NULL with @host). Advice lines name this host's devices; when the
 * text names a PCI device the host does not have, its group numbers are
 * not looked up here (they are the other host's).
 * Matching takes time linear in the text's length: lines are matched on
 * windows of 4 KiB (a longer line in windows overlapping by half), and the
 * first 64 devices, groups and VFs it names are looked up.
 * Returns 0 (no match is 0 with n_matches 0), -E2BIG when @text is longer
 * than SRIOV_EXPLAIN_TEXT_MAX, -ENOMEM, or -EINVAL when a table pattern
 * does not compile. Free with sriov_explanation_free().
 */
int sriov_explain(struct sriov_ctx *ctx, const struct sriov_host *host,
		  const char *text, struct sriov_explanation **out);
void sriov_explanation_free(struct sriov_explanation *e);

/* `sriovctl explain`: each match with meaning, devices, checks, fix. */
int sriov_render_explain_text(const struct sriov_explanation *e, FILE *out);

/* The same as JSON (docs/explain-schema.md). Returns 0 or -errno. */
int sriov_render_explain_json(const struct sriov_explanation *e, bool pretty,
			      FILE *out);

#ifdef __cplusplus
}
#endif

#endif
