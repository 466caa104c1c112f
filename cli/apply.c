/* SPDX-License-Identifier: MIT */
/*
 * Carrying out a plan (restore, apply) or finishing one whose process died
 * (the journal's recovery), and saying what changed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* The signal that interrupted the apply, 0 while none has. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	static const char msg[] =
		"sriovctl: interrupted: stopping after the current change\n";

	if (!interrupted) {
		ssize_t n = write(STDERR_FILENO, msg, sizeof(msg) - 1);

		(void)n;
	}
	interrupted = sig;
}

/* A VF's attributes as sent, "old -> new", with the driver's answers. */
static void print_attrs(const struct sriov_step *step,
			const struct sriov_step_outcome *o, FILE *out)
{
	struct sriov_step sent = *step;
	char line[512];

	/* What was sent, against the link of that moment. */
	sent.settings = o->sent;
	sent.old_link = o->old_link;
	for (size_t j = 0; j < o->attrs.n &&
	     sriov_step_describe(&sent, j, line, sizeof(line)) == 0; j++) {
		const struct sriov_vf_result *x = &o->attrs.v[j];

		sriov_escape_printf(out, "%s", line);
		if (x->err < 0)
			sriov_escape_printf(out, ": refused by the driver (%s)%s%s%s",
				strerror(-x->err), x->msg ? ": " : "",
				x->msg ? x->msg : "",
				step->optional_mask & (1u << x->setting->attr) ?
					" (optional in the policy: not a failure)" : "");
		fputc('\n', out);
	}
}

/* Each line of @step as "old -> new", marked when it failed. */
static void print_step(const struct sriov_step *step,
		       const struct sriov_step_outcome *o, FILE *out)
{
	char line[512];

	/* Already so once the earlier steps were done, or never begun. */
	if (o->err == 1 || o->err == -ECANCELED)
		return;
	if (step->kind == SRIOV_STEP_VF_ATTRS && o->attrs.n) {
		print_attrs(step, o, out);
		return;
	}
	for (size_t j = 0; sriov_step_describe(step, j, line, sizeof(line)) == 0;
	     j++)
		sriov_escape_printf(out, "%s%s\n", line, o->err < 0 ? ": failed" : "");
}

/* What @rep did of @plan; with no report, the plan's lines. */
static void print_report(const struct sriov_plan *plan,
			 const struct sriov_apply_report *rep, FILE *out)
{
	static const struct sriov_step_outcome planned;

	for (size_t i = 0; i < plan->n && (!rep || i < rep->n); i++)
		print_step(&plan->v[i], rep ? &rep->v[i] : &planned, out);
	if (!rep)
		return;
	if (rep->rollback && rep->rollback->n) {
		fputs("rolling back:\n", out);
		print_report(&rep->rollback_plan, rep->rollback, out);
	}
}

/* SIGINT and SIGTERM end the apply between two steps, not in one. */
static void catch_signals(bool on, struct sigaction old[2])
{
	static const int sigs[2] = { SIGINT, SIGTERM };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	/* Restart reads and writes: the flag is looked at between steps. */
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 2; i++) {
		if (on)
			sigaction(sigs[i], &sa, &old[i]);
		else
			sigaction(sigs[i], &old[i], NULL);
	}
}

/*
 * Tests only (tests/lab/guest/journal.sh, apply.sh): SRIOVCTL_TEST_RAISE=
 * SIG:STEP[+] raises SIGKILL, SIGSTOP or SIGTERM in sriovctl itself once
 * step STEP (from 0) is journaled, or with "+" once it is carried out and
 * before its result is recorded, to stop an apply exactly there.
 */
static int test_sig = 0;
static long test_step = -1;
static bool test_done;

static void test_hook_init(void)
{
	const char *v = getenv("SRIOVCTL_TEST_RAISE");
	static const struct { const char *name; int sig; } sigs[] = {
		{ "KILL", SIGKILL }, { "STOP", SIGSTOP }, { "TERM", SIGTERM },
	};
	char *end;

	test_sig = 0;
	if (!v)
		return;
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		size_t n = strlen(sigs[i].name);

		if (strncmp(v, sigs[i].name, n) == 0 && v[n] == ':') {
			test_step = strtol(v + n + 1, &end, 10);
			test_done = *end == '+';
			test_sig = sigs[i].sig;
		}
	}
}

static void on_step(void *data, size_t i, bool done)
{
	(void)data;
	if (test_sig && (long)i == test_step && done == test_done)
		raise(test_sig);
}

int cli_apply(struct cli *c, const struct sriov_host *host,
	      const struct sriov_plan *plan)
{
	struct cli_changelog log;
	struct sriov_change_origin who = { .uid = (unsigned)getuid(),
					   .command = c->command };
	struct sriov_apply_opts opts = { .timeout_ms = 30000,
					 .no_rollback = c->no_rollback,
					 .cancel = &interrupted,
					 .on_change = cli_changelog_record,
					 .data = &log,
					 .journal = true,
					 .who = &who,
					 .on_step = on_step };
	struct sriov_apply_report rep = { 0 };
	struct sigaction old[2];
	int r, rc;

	(void)host;
	rc = cli_changelog_open(&log, c);
	if (rc >= 0)
		return rc;
	opts.log = log.log;
	test_hook_init();
	interrupted = 0;
	catch_signals(true, old);
	r = sriov_plan_apply(c->ctx, plan, &opts, &rep);
	catch_signals(false, old);
	print_report(plan, &rep, stdout);
	if (r < 0) {
		const struct sriov_step_outcome *o =
			rep.n ? &rep.v[rep.failed] : NULL;

		if (rep.msg)
			cli_error("%s", rep.msg);
		else if (r == -ECANCELED)
			cli_error("interrupted by %s before %s change",
				  interrupted == SIGTERM ? "SIGTERM" : "SIGINT",
				  rep.failed ? "the next" : "the first");
		else
			cli_error("%s", o && o->msg ? o->msg : strerror(-r));
		if (rep.rolled_back)
			cli_error("rolled back: every PF the plan touched is as it was before (see 'sriovctl show')");
		else if (rep.rollback_err)
			cli_error("rolling back failed too (%s): the host is partly changed; 'sriovctl show' shows it, 'sriovctl plan' (or restore --dry-run) what differs",
				  rep.rollback_msg ? rep.rollback_msg :
						     strerror(-rep.rollback_err));
		else if (o && o->timed_out)
			cli_error("not rolled back: the kernel still holds the write; it completes when the VFs' users let go");
		else if (c->no_rollback && rep.n)
			cli_error("not rolled back (--no-rollback): the steps above the failed one stay done");
	}
	/* A failed apply says so above; this is for what the undo lost. */
	if (rep.log_err && (r == 0 || rep.rollback))
		cli_changelog_warn(&log, rep.log_err);
	cli_changelog_close(&log);
	sriov_apply_report_clear(&rep);
	if (fflush(stdout) != 0)
		return EXIT_FAILED;
	return r < 0 ? EXIT_FAILED : EXIT_OK;
}

/* "'sriovctl apply' (pid 12, begun 2026-11-23T13:56:41Z) stopped ..." */
static void describe(const struct sriov_txn *t, char *buf, size_t len)
{
	time_t sec = (time_t)(t->time_us / 1000000);
	const struct sriov_txn_step *last = t->n_steps ?
		&t->steps[t->n_steps - 1] : NULL;
	char stamp[32] = "?";
	struct tm tm;
	int n;

	if (gmtime_r(&sec, &tm))
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	n = snprintf(buf, len, "'%s' (pid %d, begun %s) did not finish: ",
		     t->command ? t->command : "sriovctl", t->pid, stamp);
	if (n < 0 || (size_t)n >= len)
		return;
	if (!last)
		snprintf(buf + n, len - (size_t)n, "it stopped before its first step");
	else if (last->result == SRIOV_TXN_NO_RESULT && last->n_changes)
		snprintf(buf + n, len - (size_t)n, "it stopped during step %zu of %zu (%s %s: %s -> %s)%s",
			 last->index + 1, t->n_planned, last->changes[0].device,
			 last->changes[0].attribute,
			 last->changes[0].old_value ? last->changes[0].old_value : "?",
			 last->changes[0].new_value,
			 t->rolling_back ? ", rolling back a failure" : "");
	else
		snprintf(buf + n, len - (size_t)n, "it stopped after step %zu of %zu%s",
			 last->index + 1, t->n_planned,
			 t->rolling_back ? ", rolling back a failure" : "");
}

int cli_recover(struct cli *c, bool only)
{
	struct sriov_apply_report rep = { 0 };
	struct sriov_plan plan = { 0 };
	struct sriov_txn *txn = NULL;
	struct sriov_host *host = NULL;
	struct cli_changelog log;
	const char *root = sriov_ctx_root(c->ctx);
	bool undo;
	char err[512], what[1024];
	int r, rc = -1;

	r = sriov_txn_load(c->ctx, &txn, err, sizeof(err));
	if (r < 0) {
		if (r == -EINVAL && err[0])
			cli_error("%s; it is left alone: remove it to go on without a recovery", err);
		else
			cli_error("cannot read the journal %s%s: %s",
				  strcmp(root, "/") ? root : "", SRIOV_JOURNAL_PATH,
				  r == -ELOOP ? "it is a symbolic link" :
				  r == -EBADFD ? "it is not a regular file" :
				  strerror(-r));
		return EXIT_FAILED;
	}
	if (!txn) {
		if (only)
			printf("nothing to recover: no apply left a transaction unfinished\n");
		return only ? EXIT_OK : -1;
	}
	describe(txn, what, sizeof(what));
	undo = txn->rollback && !txn->other_boot && txn->before;
	if (c->dry_run) {
		cli_error("an earlier apply %s; %s", what,
			  undo ? "'sriovctl apply' rolls it back first:" :
			  "'sriovctl apply' closes its journal first");
		if (undo && cli_load(c, SRIOV_LOAD_NO_NAMES | SRIOV_LOAD_NO_CONFIG,
				     &host) == EXIT_OK &&
		    sriov_restore_plan(host, txn->before, &plan, err,
				       sizeof(err)) == 0) {
			fputs("rolling back:\n", stdout);
			print_report(&plan, NULL, stdout);
		}
		rc = only ? EXIT_OK : -1;
		goto out;
	}
	if (strcmp(root, "/") != 0) {
		cli_error("an earlier apply %s; finishing it changes the running kernel and cannot be done on --root %s",
			  what, c->root);
		rc = EXIT_USAGE;
		goto out;
	}
	rc = cli_changelog_open(&log, c);
	if (rc >= 0)
		goto out;
	if (txn->other_boot)
		cli_error("an earlier apply %s; the host has booted since and the kernel dropped its changes: nothing to roll back", what);
	else if (!txn->rollback)
		cli_error("an earlier apply %s; it ran with --no-rollback: what it did stays", what);
	else
		cli_error("an earlier apply %s; rolling back every PF it touched to the state it recorded before its first step", what);
	{
		struct sriov_apply_opts opts = { .timeout_ms = 30000,
						 .on_change = cli_changelog_record,
						 .data = &log, .log = log.log };

		r = sriov_txn_recover(c->ctx, txn, &opts, &rep);
	}
	if (rep.rollback && rep.rollback->n) {
		fputs("rolling back:\n", stdout);
		print_report(&rep.rollback_plan, rep.rollback, stdout);
	}
	if (r < 0) {
		cli_error("finishing it failed (%s): the journal stays; fix the cause and run 'sriovctl apply --recover' again, or remove %s to give up the rollback",
			  rep.rollback_msg ? rep.rollback_msg : strerror(-r),
			  SRIOV_JOURNAL_PATH);
		rc = EXIT_FAILED;
	} else {
		if (rep.rolled_back)
			cli_error("rolled back: every PF it touched is as it was before it");
		rc = only ? EXIT_OK : -1;
	}
	cli_changelog_warn(&log, rep.log_err);
	cli_changelog_close(&log);
out:
	sriov_apply_report_clear(&rep);
	sriov_plan_clear(&plan);
	sriov_host_free(host);
	sriov_txn_free(txn);
	if (fflush(stdout) != 0)
		rc = EXIT_FAILED;
	return rc;
}
