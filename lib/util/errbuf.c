/* SPDX-License-Identifier: MIT */
#include "util/errbuf.h"

#include <stdarg.h>
#include <stdio.h>

int errset(char *err, size_t errlen, int r, const char *fmt, ...)
{
	va_list ap;

	if (errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return r;
}
