/* SPDX-License-Identifier: MIT */
/*
 * Writing the transaction journal (SRIOV_JOURNAL_PATH), for the apply and
 * the recovery; sriov_txn_load() reads it. Every record is one JSON line,
 * one write(2), synced before the caller goes on.
 */
#ifndef SRIOV_OPS_JOURNAL_H
#define SRIOV_OPS_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "sriov.h"

struct journal;

/*
 * Begin a transaction of @n_steps steps whose touched PFs are @before
 * (NULL: none recorded): the header (pid, uid, command, time, boot id,
 * whether a failure is rolled back, the state). -EBUSY when the journal
 * holds an unfinished transaction. Returns 0 or -errno; free with
 * journal_free() (which leaves the file as it is).
 */
int journal_begin(struct sriov_ctx *ctx, const struct sriov_change_origin *who,
		  bool rollback, size_t n_steps,
		  const struct sriov_state *before, struct journal **out);

/* The journal as it is, to go on writing (the recovery). */
int journal_reopen(struct sriov_ctx *ctx, struct journal **out);

/* Step @i is about to be carried out; @now is it with its "old" side. */
int journal_intent(struct journal *j, size_t i, const struct sriov_step *now);

/* Step @i's outcome (0, 1 nothing to do, -errno). */
int journal_result(struct journal *j, size_t i, int err);

/* A rollback of the failure began ("rollback"), or a recovery ("recovery"). */
int journal_note(struct journal *j, const char *what);

/* The transaction is over: the journal is emptied. */
int journal_end(struct journal *j);

void journal_free(struct journal *j);

#endif
