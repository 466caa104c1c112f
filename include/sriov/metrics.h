/* SPDX-License-Identifier: MIT */
/*
 * libsriov — the host as Prometheus metrics: the text exposition format
 * (version 0.0.4) of the inventory, the VFs' settings and counters, the
 * checks' findings and the policy's drift, what sriovctl-exporter serves
 * and `sriovctl metrics` writes. docs/metrics.md lists every family.
 */
#ifndef SRIOV_METRICS_H
#define SRIOV_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sriov/check.h"
#include "sriov/context.h"
#include "sriov/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The Content-Type of what sriov_metrics_write() writes. */
#define SRIOV_METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* The exporter's own figures (sriov_exporter_*); absent in textfile mode. */
struct sriov_metrics_self {
	const char *version;
	double scrape_duration_seconds;  /* of this scrape, up to the writing */
	uint64_t scrapes;                /* served, this one included */
	uint64_t scrape_errors;          /* scrapes whose rtnetlink dump failed */
	uint64_t inventory_reloads;      /* full re-reads of the inventory */
	double inventory_age_seconds;    /* since the inventory in use was read */
};

/* The policy against the host (sriov_metrics_policy_drift()). */
struct sriov_metrics_policy {
	bool present;        /* a policy was read */
	size_t errors;       /* its errors (syntax or meaning): drift unknown */
	size_t changes;      /* what `sriovctl plan` would print: one a line */
};

struct sriov_metrics_input {
	const struct sriov_host *host;            /* required */
	const struct sriov_check_report *checks;  /* NULL: no sriov_check_* */
	double checks_timestamp;                  /* Unix time of that run */
	const struct sriov_metrics_policy *policy; /* NULL: no sriov_policy_* */
	const struct sriov_metrics_self *self;    /* NULL: no sriov_exporter_* */
};

/*
 * Write the exposition of @in to @out: every family once, with HELP and
 * TYPE, label values escaped (backslash, double quote, newline) and made
 * valid UTF-8 (a byte that is not becomes U+FFFD). No two samples share a
 * name and labels: findings alike in check, severity and device are one
 * series whose value counts them. Returns 0, or -EIO when @out failed.
 */
int sriov_metrics_write(const struct sriov_metrics_input *in, FILE *out);

/*
 * @v as a label value into @out: backslash, double quote and newline
 * escaped, invalid UTF-8 bytes as U+FFFD. Returns 0 or -EIO.
 */
int sriov_metrics_write_label_value(const char *v, FILE *out);

/*
 * The policy against @host: load it (@path, or the default files under
 * @ctx's root), plan it, count the changes (one per line `sriovctl plan`
 * prints). No policy at all: 0 with out->present false. A policy with
 * errors: out->errors counts them. Returns 0 or -errno (a file that
 * cannot be read, -ENOMEM).
 */
int sriov_metrics_policy_drift(struct sriov_ctx *ctx, const struct sriov_host *host,
			       const char *path, struct sriov_metrics_policy *out);

#ifdef __cplusplus
}
#endif

#endif
