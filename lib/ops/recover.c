/* SPDX-License-Identifier: MIT */
/*
 * Finishing an apply whose process died: what it had begun goes into the
 * change log as interrupted, and the PFs it touched go back to the state
 * its journal recorded before its first step.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/apply.h"
#include "ops/journal.h"
#include "sriov.h"

static const char *why(const struct sriov_txn *txn)
{
	if (txn->other_boot)
		return "the apply ended during this change, and the host has booted since: the kernel dropped the change";
	return "the apply ended during this change (killed, or it crashed): it may or may not have been made";
}

/* The changes of the steps begun without a result, as their apply's. */
static int record_interrupted(const struct sriov_txn *txn,
			      const struct sriov_apply_opts *opts)
{
	struct sriov_change_origin who = { .uid = txn->uid,
					   .command = txn->command };
	int r = 0;

	for (size_t i = 0; i < txn->n_steps; i++) {
		const struct sriov_txn_step *s = &txn->steps[i];

		if (s->result != SRIOV_TXN_NO_RESULT)
			continue;
		who.time_us = s->time_us;
		for (size_t k = 0; k < s->n_changes; k++) {
			const struct sriov_txn_change *x = &s->changes[k];
			struct sriov_change c = {
				.device = x->device, .pf = x->pf,
				.attribute = x->attribute,
				.old_value = x->old_value,
				.new_value = x->new_value,
				.message = why(txn),
				.interrupted = true,
			};
			int e = apply_record(opts, &who, &c);

			if (e < 0 && r == 0)
				r = e;
		}
	}
	return r;
}

int sriov_txn_recover(struct sriov_ctx *ctx, const struct sriov_txn *txn,
		      const struct sriov_apply_opts *opts,
		      struct sriov_apply_report *out)
{
	struct sriov_host *host = NULL;
	struct journal *j = NULL;
	char err[512];
	int r;

	memset(out, 0, sizeof(*out));
	r = journal_reopen(ctx, &j);
	if (r < 0)
		return r;
	/* A recovery that died has recorded these already. */
	if (!txn->recovering) {
		out->log_err = record_interrupted(txn, opts);
		r = journal_note(j, "recovery");
	}
	if (r == 0 && txn->rollback && !txn->other_boot && txn->before) {
		r = sriov_host_load(ctx, SRIOV_LOAD_NO_NAMES | SRIOV_LOAD_NO_CONFIG,
				    &host);
		if (r == 0)
			r = sriov_restore_plan(host, txn->before,
					       &out->rollback_plan, err,
					       sizeof(err));
		else
			snprintf(err, sizeof(err), "cannot read the host: %s",
				 strerror(-r));
		sriov_host_free(host);
		out->rollback = calloc(1, sizeof(*out->rollback));
		if (r == 0 && !out->rollback)
			r = -ENOMEM;
		if (r == 0)
			r = apply_undo(ctx, &out->rollback_plan, opts,
				       out->rollback);
		if (out->rollback && out->rollback->log_err && !out->log_err)
			out->log_err = out->rollback->log_err;
		if (r < 0)
			out->rollback_msg = strdup(out->rollback &&
						   out->rollback->n ?
				"a step of the rollback failed" : err);
		out->rollback_err = r;
		out->rolled_back = r == 0;
	}
	if (r == 0)
		r = journal_end(j);
	journal_free(j);
	return r;
}
