/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/itemlist.h"

/* Room kept for " ... and 18446744073709551615 more". */
#define TAIL 40

void itemlist_add(struct itemlist *l, const char *sep, const char *fmt, ...)
{
	char item[ITEMLIST_MAX];
	size_t seplen = l->len ? strlen(sep) : 0;
	va_list ap;
	int n;

	l->n++;
	va_start(ap, fmt);
	n = vsnprintf(item, sizeof(item), fmt, ap);
	va_end(ap);
	/* once one item is left out, so are the later ones: the list stays in order */
	if (n < 0 || l->dropped ||
	    l->len + seplen + (size_t)n >= sizeof(l->buf) - TAIL) {
		l->dropped++;
		return;
	}
	memcpy(l->buf + l->len, sep, seplen);
	memcpy(l->buf + l->len + seplen, item, (size_t)n + 1);
	l->len += seplen + (size_t)n;
}

const char *itemlist_str(struct itemlist *l)
{
	if (l->dropped)
		snprintf(l->buf + l->len, sizeof(l->buf) - l->len, " ... and %zu more",
			 l->dropped);
	return l->buf;
}
