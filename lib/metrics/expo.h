/* SPDX-License-Identifier: MIT */
/*
 * The Prometheus text exposition format (0.0.4): a family's HELP and TYPE
 * lines, then its samples, label values escaped. Errors are sticky: check
 * expo.err once at the end.
 */
#ifndef SRIOV_METRICS_EXPO_H
#define SRIOV_METRICS_EXPO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct expo {
	FILE *f;
	int err;              /* 0, or -EIO after a failed write */
	const char *family;   /* the family being written */
	size_t samples;       /* of that family */
};

struct expo_label {
	const char *name;     /* [a-zA-Z_][a-zA-Z0-9_]*, a constant */
	const char *value;    /* any bytes; NULL is "" */
};

/*
 * Start family @name of @type ("gauge", "counter") with @help (a constant
 * sentence; backslashes and newlines are escaped as the format wants).
 */
void expo_family(struct expo *e, const char *name, const char *type,
		 const char *help);

/*
 * One sample of the current family: its @n labels (in the order given)
 * and the value. Counters' family names end in _total already.
 */
void expo_u64(struct expo *e, const struct expo_label *l, size_t n, uint64_t v);
void expo_double(struct expo *e, const struct expo_label *l, size_t n, double v);

/* @v escaped as a label value (quotes, backslashes, newlines; U+FFFD for
   bytes that are not UTF-8) onto @f. Returns 0 or -EIO. */
int expo_label_value(FILE *f, const char *v);

#endif
