/* SPDX-License-Identifier: MIT */
/*
 * driver.quirks: the entries of the quirk table (lib/quirk/) that apply to
 * each PF, named with their source; a broken override file is a warning.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"

/* Bounded: a finding's evidence is one paragraph, not the table. */
#define EVIDENCE_MAX 2048

static void check_pf_quirks(struct check_run *r, const struct sriov_quirks *q,
			    const struct sriov_pf *pf)
{
	char ev[EVIDENCE_MAX], what[1024];
	size_t n = 0, count = 0, at = 0;
	const struct sriov_quirk *k;

	ev[0] = '\0';
	while ((k = sriov_quirks_next(q, pf, SRIOV_QUIRK__COUNT, at, &at))) {
		int w;

		sriov_quirk_effects_format(k, what, sizeof(what));
		w = snprintf(ev + n, sizeof(ev) - n, "%s%s: %s (%s)", count ? "; " : "",
			     k->id, what, k->source);
		if (w < 0 || (size_t)w >= sizeof(ev) - n) {
			ev[n] = '\0';
			break;
		}
		n += (size_t)w;
		count++;
		at++;
	}
	if (!count) {
		check_add(r, "driver.quirks", SRIOV_SEV_OK, check_pf_name(pf), NULL,
			  "no entry of the quirk table applies to %04x:%04x (driver %s)",
			  pf->vendor_id, pf->device_id, pf->driver ? pf->driver : "none");
		return;
	}
	check_add(r, "driver.quirks", SRIOV_SEV_OK, check_pf_name(pf), NULL,
		  "%zu quirk%s of driver %s apply: %s", count, count == 1 ? "" : "s",
		  pf->driver ? pf->driver : "none", ev);
}

void checks_quirks(struct check_run *r)
{
	struct sriov_quirks *q = NULL;
	char err[512], first[1024];
	int rc = sriov_quirks_load(r->ctx, &q, err, sizeof(err));

	if (rc == -ENOMEM) {
		r->err = rc;
		return;
	}
	if (rc < 0 || q->n_errors) {
		if (rc >= 0)
			sriov_policy_error_format(&q->errors[0], first, sizeof(first));
		check_add(r, "driver.quirks", SRIOV_SEV_WARN, "quirk table",
			  "correct the file named (docs/quirks.md describes the format)",
			  "%s%s", rc < 0 ? err : first,
			  rc >= 0 && q->n_errors > 1 ? " (and more errors)" : "");
		if (rc < 0)
			return;
	}
	for (size_t i = 0; i < r->host->n_pfs; i++) {
		const struct sriov_pf *pf = &r->host->pfs[i];

		if (check_sel_pf(r, pf))
			check_pf_quirks(r, q, pf);
	}
	sriov_quirks_free(q);
}
