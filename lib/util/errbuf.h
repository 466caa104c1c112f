/* SPDX-License-Identifier: MIT */
/* The library's one way to say why: a message into the caller's buffer. */
#ifndef SRIOV_UTIL_ERRBUF_H
#define SRIOV_UTIL_ERRBUF_H

#include <stddef.h>

/* Format into @err (@errlen bytes, none when 0) and return @r. */
int errset(char *err, size_t errlen, int r, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
