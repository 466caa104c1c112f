/* SPDX-License-Identifier: MIT */
/*
 * The check report as text, as JSON (schema sriovctl.check/v1, documented
 * in docs/check-schema.md), and the table of checks as the troubleshooting
 * page (docs/troubleshooting.md), so the page never drifts from the code.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "sriov.h"
#include "util/escape.h"
#include "util/itemlist.h"
#include "util/jsonout.h"

static const char *const area_titles[] = {
	"Host", "Firmware/BIOS", "Kernel", "Physical functions", "Virtual functions",
};

/* Skips @i and @j say the same: one line tells both. */
static bool same_skip(const struct sriov_finding *a, const struct sriov_finding *b)
{
	return a->severity == SRIOV_SEV_SKIP && b->severity == SRIOV_SEV_SKIP &&
	       a->check->area == b->check->area && a->evidence && b->evidence &&
	       strcmp(a->evidence, b->evidence) == 0;
}

static bool in_list(const struct sriov_finding *v, size_t i, size_t upto,
		    bool by_id)
{
	for (size_t k = 0; k < upto; k++)
		if (same_skip(&v[k], &v[i]) &&
		    (by_id ? v[k].check == v[i].check :
			     v[k].subject && v[i].subject &&
			     strcmp(v[k].subject, v[i].subject) == 0))
			return true;
	return false;
}

/*
 * The skips of one reason, once: "3 skipped on ens1f0, ens2f0np0: REASON"
 * (a tree repeats "not the live host" for every check of every PF).
 */
static void put_skips(const struct sriov_check_report *rep, size_t i, FILE *out)
{
	struct itemlist ids = { .len = 0 }, subjects = { .len = 0 };
	size_t n = 0;

	for (size_t k = i; k < rep->n; k++) {
		if (!same_skip(&rep->v[i], &rep->v[k]))
			continue;
		n++;
		if (!in_list(rep->v, k, k, true))
			itemlist_add(&ids, ", ", "%s", rep->v[k].check->id);
		if (rep->v[k].subject && !in_list(rep->v, k, k, false))
			itemlist_add(&subjects, ", ", "%s", rep->v[k].subject);
	}
	esc_printf(out, ids.n == 1 ? "  skip  %-17s %zu skipped%s%s: %s\n" :
				     "  skip  %s: %zu skipped%s%s: %s\n",
		   itemlist_str(&ids), n, subjects.n ? " on " : "",
		   itemlist_str(&subjects), rep->v[i].evidence);
}

int sriov_render_check_text(const struct sriov_check_report *rep, FILE *out)
{
	for (size_t i = 0; i < rep->n; i++) {
		const struct sriov_finding *f = &rep->v[i];
		enum sriov_check_area area = f->check->area;
		bool group = false;

		if (i == 0 || rep->v[i - 1].check->area != area)
			fprintf(out, "%s%s\n", i ? "\n" : "", area_titles[area]);
		for (size_t k = 0; f->severity == SRIOV_SEV_SKIP && k < rep->n && !group; k++)
			group = k != i && same_skip(f, &rep->v[k]);
		if (group) {
			bool first = true;

			/* printed once, with the first of its reason */
			for (size_t k = 0; k < i && first; k++)
				first = !same_skip(f, &rep->v[k]);
			if (first)
				put_skips(rep, i, out);
			continue;
		}
		/* subject, evidence and remedy quote names read from the host */
		esc_printf(out, "  %-4s  %-17s %s%s%s\n", sriov_severity_name(f->severity),
			   f->check->id, f->subject ? f->subject : "",
			   f->subject ? ": " : "", f->evidence);
		if (f->remedy)
			esc_printf(out, "        fix: %s\n", f->remedy);
	}
	fprintf(out, "%s%zu ok, %zu warn, %zu fail, %zu skip\n", rep->n ? "\n" : "",
		rep->n_by_severity[SRIOV_SEV_OK], rep->n_by_severity[SRIOV_SEV_WARN],
		rep->n_by_severity[SRIOV_SEV_FAIL], rep->n_by_severity[SRIOV_SEV_SKIP]);
	return ferror(out) ? -EIO : 0;
}

int sriov_render_check_json(const struct sriov_check_report *rep, bool pretty,
			    FILE *out)
{
	json_object *o = json_object_new_object();
	json_object *sum = json_object_new_object();
	json_object *arr = json_object_new_array_ext((int)rep->n);
	if (!o || !sum || !arr) {
		json_object_put(o);
		json_object_put(sum);
		json_object_put(arr);
		return -ENOMEM;
	}
	json_object_object_add(o, "schema", json_object_new_string(SRIOV_CHECK_SCHEMA));
	for (int sev = SRIOV_SEV_OK; sev <= SRIOV_SEV_FAIL; sev++)
		json_object_object_add(sum, sriov_severity_name(sev),
				       json_object_new_int64((int64_t)rep->n_by_severity[sev]));
	json_object_object_add(o, "summary", sum);
	for (size_t i = 0; i < rep->n; i++) {
		const struct sriov_finding *f = &rep->v[i];
		json_object *j = json_object_new_object();

		if (!j) {
			json_object_put(o);
			json_object_put(arr);
			return -ENOMEM;
		}
		json_object_object_add(j, "id", json_object_new_string(f->check->id));
		json_object_object_add(j, "area", json_object_new_string(
					       sriov_check_area_name(f->check->area)));
		json_object_object_add(j, "severity", json_object_new_string(
					       sriov_severity_name(f->severity)));
		json_object_object_add(j, "title", json_object_new_string(f->check->title));
		json_object_object_add(j, "subject", jout_str(f->subject));
		json_object_object_add(j, "evidence", jout_str(f->evidence));
		json_object_object_add(j, "remedy", jout_str(f->remedy));
		json_object_array_add(arr, j);
	}
	json_object_object_add(o, "findings", arr);
	return jout_emit(o, pretty, out);
}

int sriov_render_check_markdown(FILE *out)
{
	const struct sriov_check_info *c, *prev = NULL;

	fputs("# Troubleshooting SR-IOV with `sriovctl check`\n\n"
	      "<!-- Generated by `sriovctl check --list-checks --markdown` from the\n"
	      "     table of checks (lib/checks/registry.c). Do not edit by hand. -->\n\n"
	      "`sriovctl check [DEVICE...]` runs the checks below and reports each\n"
	      "finding as `ok`, `warn`, `fail` or `skip`, with the evidence read and the\n"
	      "exact remedy for the host; `--json` gives the same\n"
	      "(see [check-schema.md](check-schema.md)). Check ids are stable.\n",
	      out);
	for (size_t i = 0; (c = sriov_check_info_at(i)); prev = c, i++) {
		if (!prev || prev->area != c->area)
			fprintf(out, "\n## %s\n", area_titles[c->area]);
		fprintf(out, "\n### `%s`: %s\n\n%s\n\n**Fix:** %s\n", c->id, c->title,
			c->description, c->remedy);
	}
	return ferror(out) ? -EIO : 0;
}
