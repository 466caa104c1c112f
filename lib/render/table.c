/* SPDX-License-Identifier: MIT */
#include "render/table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/escape.h"

struct table {
	size_t ncols, nrows, cap;
	char **cells; /* (nrows + 1) * ncols, headers first; escaped */
	size_t *width; /* in columns, not bytes */
};

struct table *table_new(size_t ncols, const char *const *headers)
{
	struct table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->ncols = ncols;
	t->width = calloc(ncols, sizeof(*t->width));
	if (!t->width || table_add(t, headers) < 0) {
		table_free(t);
		return NULL;
	}
	return t;
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->width);
	free(t);
}

int table_add(struct table *t, const char *const *cells)
{
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		char **c = realloc(t->cells, cap * t->ncols * sizeof(*c));

		if (!c)
			return -ENOMEM;
		t->cells = c;
		t->cap = cap;
	}
	for (size_t i = 0; i < t->ncols; i++) {
		/* cells hold names from sysfs and input: escaped once, here */
		char *s = esc_strdup(cells[i] ? cells[i] : "-");
		size_t len;

		if (!s) {
			for (size_t j = 0; j < i; j++)
				free(t->cells[t->nrows * t->ncols + j]);
			return -ENOMEM;
		}
		t->cells[t->nrows * t->ncols + i] = s;
		len = esc_columns(s);
		if (len > t->width[i])
			t->width[i] = len;
	}
	t->nrows++;
	return 0;
}

int table_print(const struct table *t, FILE *out)
{
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			const char *s = t->cells[r * t->ncols + c];

			fputs(s, out);
			if (c + 1 == t->ncols) {
				fputc('\n', out);
				continue;
			}
			fprintf(out, "%*s",
				(int)(t->width[c] + 2 - esc_columns(s)), "");
		}
	}
	return ferror(out) ? -EIO : 0;
}
