/* SPDX-License-Identifier: MIT */
/* Growable string lists (struct sriov_strv from sriov.h) and small helpers. */
#ifndef SRIOV_UTIL_STRV_H
#define SRIOV_UTIL_STRV_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "sriov.h"

/* Append a copy of @s. Returns 0 or -ENOMEM. */
int strv_push(struct sriov_strv *sv, const char *s);

/* Append a formatted string. Returns 0 or -ENOMEM. */
int strv_vpushf(struct sriov_strv *sv, const char *fmt, va_list ap);
int strv_pushf(struct sriov_strv *sv, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Sort in strcmp order. */
void strv_sort(struct sriov_strv *sv);

/* Index of @s in @sv, or -1. */
int strv_find(const struct sriov_strv *sv, const char *s);

/* Whether @a and @b are equal strings, or both NULL ("no driver"). */
bool str_same(const char *a, const char *b);

/* strdup that accepts NULL (returns NULL). */
char *xstrdup_or_null(const char *s);

#endif
