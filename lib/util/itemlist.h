/* SPDX-License-Identifier: MIT */
/*
 * A list of items in a bounded buffer for one line of evidence: items that
 * do not fit are counted, never cut, and the list ends "... and N more".
 */
#ifndef SRIOV_UTIL_ITEMLIST_H
#define SRIOV_UTIL_ITEMLIST_H

#include <stddef.h>

#define ITEMLIST_MAX 1024

struct itemlist {
	char buf[ITEMLIST_MAX];
	size_t len;
	size_t n;        /* items added */
	size_t dropped;  /* of them, not in buf */
};

/* Add one item, after @sep when it is not the first one shown. */
void itemlist_add(struct itemlist *l, const char *sep, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The items, with " ... and N more" when some did not fit. */
const char *itemlist_str(struct itemlist *l);

#endif
