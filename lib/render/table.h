/* SPDX-License-Identifier: MIT */
/* Column-aligned text tables, as `ip -br` and `systemctl list-units` print. */
#ifndef SRIOV_RENDER_TABLE_H
#define SRIOV_RENDER_TABLE_H

#include <stdio.h>

struct table;

/* A table with @ncols columns and these headers. Free with table_free(). */
struct table *table_new(size_t ncols, const char *const *headers);
void table_free(struct table *t);

/*
 * Append a row of @ncols cells, copied escaped as sriov_escape_printf()
 * does (NULL prints as "-"). 0 or -ENOMEM.
 */
int table_add(struct table *t, const char *const *cells);

/* Print with two spaces between columns; the last column is not padded. */
int table_print(const struct table *t, FILE *out);

#endif
