/* SPDX-License-Identifier: MIT */
/* Internal to carrying out plans: what the recovery shares with apply. */
#ifndef SRIOV_OPS_APPLY_H
#define SRIOV_OPS_APPLY_H

#include "sriov.h"

/*
 * Carry out @plan as the undo of an earlier transaction: its records are
 * "rolled back", it keeps no journal and rolls nothing back itself.
 */
int apply_undo(struct sriov_ctx *ctx, const struct sriov_plan *plan,
	       const struct sriov_apply_opts *opts,
	       struct sriov_apply_report *rep);

/*
 * Record @c: appended to @opts->log (by @who; NULL: the log's origin, now),
 * then handed to @opts->on_change. Returns the append's -errno, or 0.
 */
int apply_record(const struct sriov_apply_opts *opts,
		 const struct sriov_change_origin *who,
		 const struct sriov_change *c);

#endif
