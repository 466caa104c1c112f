/* SPDX-License-Identifier: MIT */
/* Carrying out a plan (restore, apply) and saying what changed. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
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

static void print_report(const struct sriov_plan *plan,
			 const struct sriov_apply_report *rep, FILE *out)
{
	for (size_t i = 0; i < rep->n && i < plan->n; i++)
		print_step(&plan->v[i], &rep->v[i], out);
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

int cli_apply(struct cli *c, const struct sriov_host *host,
	      const struct sriov_plan *plan)
{
	struct cli_changelog log;
	struct sriov_apply_opts opts = { .timeout_ms = 30000,
					 .no_rollback = c->no_rollback,
					 .cancel = &interrupted,
					 .on_change = cli_changelog_record,
					 .data = &log };
	struct sriov_apply_report rep = { 0 };
	struct sigaction old[2];
	int r;

	(void)host;
	cli_changelog_open(&log, c);
	interrupted = 0;
	catch_signals(true, old);
	r = sriov_plan_apply(c->ctx, plan, &opts, &rep);
	catch_signals(false, old);
	cli_changelog_close(&log);
	print_report(plan, &rep, stdout);
	if (r < 0) {
		const struct sriov_step_outcome *o =
			rep.n ? &rep.v[rep.failed] : NULL;

		if (r == -ECANCELED)
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
		else if (c->no_rollback)
			cli_error("not rolled back (--no-rollback): the steps above the failed one stay done");
	}
	sriov_apply_report_free(&rep);
	if (fflush(stdout) != 0)
		return EXIT_FAILED;
	return r < 0 ? EXIT_FAILED : EXIT_OK;
}
