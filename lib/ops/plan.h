/* SPDX-License-Identifier: MIT */
/*
 * The lines of a plan step, field by field: `plan` prints them, the plan's
 * JSON and the change records carry them, so the three never disagree.
 */
#ifndef SRIOV_OPS_PLAN_H
#define SRIOV_OPS_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "sriov.h"

struct step_line {
	char device[SRIOV_ADDR_MAX + 16];  /* "ens1f0", "ens1f0/vf1" */
	char attribute[24];                /* "num_vfs", "vlan", "driver", "mtu" */
	char old_value[64];                /* as printed: "?" when unknown */
	bool old_known;                    /* false: "?", "(re-created)", "(new)" */
	char new_value[64];
	const char *note;                  /* "through 0", or NULL */
};

/*
 * Line @i of @step (a VF_ATTRS step has one per setting, a NUM_VFS or
 * LINK step up to two). Returns 0, -ENOENT past the last, -EINVAL for an
 * unknown kind.
 */
int step_line(const struct sriov_step *step, size_t i, struct step_line *out);

/*
 * A new zeroed step of @kind for @pf at the end of @plan (@cap: its
 * allocated length), named by the PF's netdev or address; up and old_up
 * -1. NULL on -ENOMEM.
 */
struct sriov_step *plan_add_step(struct sriov_plan *plan, size_t *cap,
				 int kind, const struct sriov_pf *pf);

/* "num_vfs", "vf_attrs", "driver", "link"; "?" for an unknown kind. */
const char *step_kind_name(int kind);

#endif
