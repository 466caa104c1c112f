/* SPDX-License-Identifier: MIT */
/*
 * What the formats of `sriovctl match` get (match.c): the spec parsed as
 * JSON, the host's PFs and VFs as devices; each format's file fills one
 * check per spec and device (or excludes a device), in its consumer's
 * own terms.
 */
#ifndef SRIOV_LIB_MATCH_H
#define SRIOV_LIB_MATCH_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "sriov.h"

struct match_job {
	struct sriov_ctx *ctx;
	const struct sriov_host *host;
	struct json_object *root;          /* the spec, parsed */
	struct sriov_match_result *res;    /* devices filled, no specs yet */
};

/*
 * A format: fills @job->res (match_specs_alloc, then a check for every
 * device and spec, or match_exclude). Returns 0, -ENOMEM, or -EINVAL /
 * -E2BIG / -EOPNOTSUPP with @err saying which field and why.
 */
typedef int (*match_fn)(struct match_job *job, char *err, size_t errlen);

int match_nova(struct match_job *job, char *err, size_t errlen);
int match_k8s(struct match_job *job, char *err, size_t errlen);
int match_operator(struct match_job *job, char *err, size_t errlen);

/* @n specs: their names (set each with match_spec_name) and checks. */
int match_specs_alloc(struct sriov_match_result *res, size_t n);
int match_spec_name(struct sriov_match_result *res, size_t i, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The verdict of spec @i on @d: taken, or @field failed; @fmt says why. */
int match_check(struct sriov_match_device *d, size_t i, bool taken,
		const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* The consumer never considers @d: no spec is tried on it. */
int match_exclude(struct sriov_match_device *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "a string", "a number", ... for errors about a JSON value. */
const char *match_json_kind(struct json_object *o);

/*
 * Python's re pattern @pat (the subset device_spec writers use) as a
 * POSIX extended regex anchored as re.match anchors it (at the start
 * only), compiled into @re (free with regfree). -EINVAL with @err for a
 * pattern Python refuses, -EOPNOTSUPP for one sriovctl cannot translate.
 */
#include <regex.h>
int match_pyre_compile(const char *pat, regex_t *re, char *err, size_t errlen);

#endif
