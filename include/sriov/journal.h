/* SPDX-License-Identifier: MIT */
/*
 * libsriov — the transaction journal of sriov_plan_apply() and the recovery
 * of an apply that died.
 */
#ifndef SRIOV_JOURNAL_H
#define SRIOV_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "sriov/context.h"
#include "sriov/plan.h"
#include "sriov/state.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The transaction journal of sriov_plan_apply() (docs/journal.md): JSON
 * lines under the root, each synced before the step it announces: the
 * state of the PFs the plan touches before its first step, then each
 * step's intent and its result. Emptied when the apply ends, rolled back
 * or not; a journal that is not empty belongs to an apply that died.
 * Under var/lib, not run/: after a power loss it still tells what was
 * under way (its boot id says the kernel has since dropped the changes).
 */
#define SRIOV_JOURNAL_PATH "/var/lib/sriovctl/journal"  /* under the root */

/* One change of a step's intent. */
struct sriov_txn_change {
	char *device, *pf, *attribute;
	char *old_value;         /* NULL: unknown */
	char *new_value;
};

/* A step an unfinished apply began. */
#define SRIOV_TXN_NO_RESULT 2    /* sriov_txn_step.result: none recorded */

struct sriov_txn_step {
	size_t index;            /* in its plan */
	long long time_us;       /* of the intent */
	struct sriov_txn_change *changes;
	size_t n_changes;
	int result;              /* 0 done, 1 nothing to do, -errno failed,
				    SRIOV_TXN_NO_RESULT */
};

/* An apply that did not finish, as its journal has it. */
struct sriov_txn {
	int pid;
	unsigned uid;
	long long time_us;       /* when it began */
	char *command;           /* NULL: not recorded */
	bool rollback;           /* it would have rolled back a failure */
	bool rolling_back;       /* it was rolling one back */
	bool recovering;         /* a recovery began already (and died) */
	bool other_boot;         /* written in an earlier boot: the kernel
				    has dropped its changes since */
	size_t n_planned;        /* steps in its plan */
	struct sriov_txn_step *steps;  /* those it began, in order */
	size_t n_steps;
	struct sriov_state *before;    /* the PFs it touches, before */
};

/*
 * Read the journal under @ctx's root, holding the host lock (which is how
 * its writer is known to be gone). *out is NULL when there is nothing to
 * finish: no journal, an empty one, or one whose header was never
 * completely written (the apply died before its first step). Returns 0,
 * -EINVAL with @err naming the line that is not sriovctl's (it is left
 * alone), -ELOOP / -EBADFD for a journal that is a symbolic link or not a
 * regular file, -EFBIG above 64 MiB, or -errno.
 * Free with sriov_txn_free().
 */
int sriov_txn_load(struct sriov_ctx *ctx, struct sriov_txn **out,
		   char *err, size_t errlen);
void sriov_txn_free(struct sriov_txn *txn);

/*
 * Finish @txn: record in @opts->log (and @opts->on_change) each change of
 * a step it began without a result, as "interrupted" by its own origin;
 * then, unless it ran without rollback or in an earlier boot, bring every
 * PF it touched back to txn->before with a plan of its own (@out's
 * rollback_plan and rollback; its records are "rolled back"); then empty
 * the journal. Returns 0, or the undo's -errno: the journal then stays
 * for a later try. Free @out with sriov_apply_report_clear().
 */
int sriov_txn_recover(struct sriov_ctx *ctx, const struct sriov_txn *txn,
		      const struct sriov_apply_opts *opts,
		      struct sriov_apply_report *out);

#ifdef __cplusplus
}
#endif

#endif
