/* SPDX-License-Identifier: MIT */
/*
 * libsriov — the checks of `sriovctl check`: their table, the run, the report.
 */
#ifndef SRIOV_CHECK_H
#define SRIOV_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sriov/context.h"
#include "sriov/model.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SRIOV_CHECK_SCHEMA "sriovctl.check/v1"

/* How a finding turned out, from best to worst. */
enum sriov_severity {
	SRIOV_SEV_OK,
	SRIOV_SEV_SKIP,    /* could not be checked here; evidence says why */
	SRIOV_SEV_WARN,
	SRIOV_SEV_FAIL,
};

/* Where a check belongs in the report, in the order the report shows. */
enum sriov_check_area {
	SRIOV_AREA_HOST,
	SRIOV_AREA_FIRMWARE,   /* firmware/BIOS */
	SRIOV_AREA_KERNEL,
	SRIOV_AREA_PF,
	SRIOV_AREA_VF,
};

/* One entry of the table of checks (static data, never freed). */
struct sriov_check_info {
	const char *id;          /* stable: "iommu.cmdline" */
	enum sriov_check_area area;
	const char *title;       /* one line */
	const char *description; /* what is checked and why it matters */
	const char *remedy;      /* the fix in general; findings carry the exact one */
};

/* The checks, in report order: @i from 0 while non-NULL. */
const struct sriov_check_info *sriov_check_info_at(size_t i);
/* The check @id, or NULL. */
const struct sriov_check_info *sriov_check_info_find(const char *id);

/* "ok", "skip", "warn", "fail"; "host", "firmware", "kernel", "pf", "vf". */
const char *sriov_severity_name(enum sriov_severity severity);
const char *sriov_check_area_name(enum sriov_check_area area);

/* One result of one check, on the host or on one device. */
struct sriov_finding {
	const struct sriov_check_info *check;
	enum sriov_severity severity;
	char *subject;           /* "0000:3b:00.0", "ens1f0/vf3"; NULL: the host */
	char *evidence;          /* the file read and what it held */
	char *remedy;            /* exact for this host; NULL when nothing to do */
};

/* Free with sriov_check_report_free(). */
struct sriov_check_report {
	struct sriov_finding *v; /* grouped by area, in the order run */
	size_t n;
	size_t n_by_severity[4]; /* indexed by enum sriov_severity */
};

/*
 * Run every check that applies to @host (read through @ctx): the whole host
 * when @n_devices is 0, else the named devices (names as sriov_host_resolve
 * takes them, or any PCI device, which gets the sriov.capability check) and
 * the host-wide checks they depend on. Returns 0, -ENOENT with @err naming
 * an unknown device, -EINVAL with @err for a malformed name, or -ENOMEM. A check that cannot read what it needs is
 * a finding with SRIOV_SEV_SKIP, not an error.
 * Free @out with sriov_check_report_free().
 */
int sriov_check_run(struct sriov_ctx *ctx, const struct sriov_host *host,
		    const char *const *devices, size_t n_devices,
		    struct sriov_check_report **out, char *err, size_t errlen);
void sriov_check_report_free(struct sriov_check_report *rep);
/*
 * Keep only the findings of @min_severity or worse (ok < skip < warn <
 * fail), as `check --severity` shows them; n_by_severity still counts the
 * whole run.
 */
void sriov_check_report_filter(struct sriov_check_report *rep,
			       enum sriov_severity min_severity);

/* The report as `sriovctl check` prints it, grouped by area. */
int sriov_render_check_text(const struct sriov_check_report *rep, FILE *out);

/* The report as JSON (docs/check-schema.md). Returns 0 or -errno. */
int sriov_render_check_json(const struct sriov_check_report *rep,
			    bool pretty, FILE *out);

/* docs/troubleshooting.md, from the table of checks. */
int sriov_render_check_markdown(FILE *out);

#ifdef __cplusplus
}
#endif

#endif
