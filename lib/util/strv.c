/* SPDX-License-Identifier: MIT */
#include "util/strv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int strv_take(struct sriov_strv *sv, char *s)
{
	char **v;

	if (!s)
		return -ENOMEM;
	/* Grow in powers of two: lists hold a few entries or thousands of VFs. */
	if (sv->n == 0 || (sv->n >= 4 && (sv->n & (sv->n - 1)) == 0)) {
		size_t cap = sv->n ? sv->n * 2 : 4;

		v = realloc(sv->v, cap * sizeof(*v));
		if (!v) {
			free(s);
			return -ENOMEM;
		}
		sv->v = v;
	}
	sv->v[sv->n++] = s;
	return 0;
}

int strv_push(struct sriov_strv *sv, const char *s)
{
	return strv_take(sv, strdup(s));
}

int strv_vpushf(struct sriov_strv *sv, const char *fmt, va_list ap)
{
	char *s;

	if (vasprintf(&s, fmt, ap) < 0)
		return -ENOMEM;
	return strv_take(sv, s);
}

int strv_pushf(struct sriov_strv *sv, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = strv_vpushf(sv, fmt, ap);
	va_end(ap);
	return r;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void strv_sort(struct sriov_strv *sv)
{
	if (sv->n > 1)
		qsort(sv->v, sv->n, sizeof(*sv->v), cmp_str);
}

int strv_find(const struct sriov_strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return (int)i;
	return -1;
}

bool str_same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

char *xstrdup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

void sriov_strv_clear(struct sriov_strv *sv)
{
	if (!sv)
		return;
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}
