/* SPDX-License-Identifier: MIT */
#include "render/table.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct table {
	size_t ncols, nrows, cap;
	char **cells; /* (nrows + 1) * ncols, headers first */
	size_t *width;
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
		char *s = strdup(cells[i] ? cells[i] : "-");
		size_t len;

		if (!s) {
			for (size_t j = 0; j < i; j++)
				free(t->cells[t->nrows * t->ncols + j]);
			return -ENOMEM;
		}
		t->cells[t->nrows * t->ncols + i] = s;
		len = strlen(s);
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

			if (c + 1 == t->ncols)
				fprintf(out, "%s\n", s);
			else
				fprintf(out, "%-*s  ", (int)t->width[c], s);
		}
	}
	return ferror(out) ? -EIO : 0;
}
