/* SPDX-License-Identifier: MIT */
/* Carrying out a plan (restore, later apply) and saying what changed. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* A VF's attributes as sent, "old -> new", with the driver's answers. */
static void print_attrs(const struct sriov_step *step,
			const struct sriov_step_outcome *o, FILE *out)
{
	for (size_t j = 0; j < o->attrs.n; j++) {
		const struct sriov_vf_result *x = &o->attrs.v[j];
		const char *text = x->setting->text;
		size_t w = strcspn(text, " ");
		char old[64];

		sriov_vf_link_value(&o->old_link, x->setting->attr, old,
				    sizeof(old));
		fprintf(out, "%s/vf%u %.*s: %s -> %s", step->pf_name, step->vf,
			(int)w, text, old, text[w] ? text + w + 1 : "");
		if (x->err < 0)
			fprintf(out, ": refused by the driver (%s)%s%s%s",
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

	if (o->err == 1)
		return;  /* already so, once the earlier steps were done */
	if (step->kind == SRIOV_STEP_VF_ATTRS && o->attrs.n) {
		print_attrs(step, o, out);
		return;
	}
	for (size_t j = 0; sriov_step_describe(step, j, line, sizeof(line)) == 0;
	     j++)
		fprintf(out, "%s%s\n", line, o->err < 0 ? ": failed" : "");
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

int cli_apply(struct cli *c, const struct sriov_host *host,
	      const struct sriov_plan *plan)
{
	struct sriov_apply_opts opts = { .timeout_ms = 30000,
					 .no_rollback = c->no_rollback };
	struct sriov_apply_report rep = { 0 };
	int r;

	(void)host;
	r = sriov_plan_apply(c->ctx, plan, &opts, &rep);
	print_report(plan, &rep, stdout);
	if (r < 0) {
		const struct sriov_step_outcome *o =
			rep.n ? &rep.v[rep.failed] : NULL;

		cli_error("%s", o && o->msg ? o->msg : strerror(-r));
		if (rep.rolled_back)
			cli_error("rolled back: every PF the plan touched is as it was before (see 'sriovctl show')");
		else if (rep.rollback_err)
			cli_error("rolling back failed too (%s): the host is partly changed; compare 'sriovctl save' with the state file",
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
