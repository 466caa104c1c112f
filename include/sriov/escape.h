/* SPDX-License-Identifier: MIT */
/*
 * libsriov — text output: the one way untrusted strings reach a terminal.
 */
#ifndef SRIOV_ESCAPE_H
#define SRIOV_ESCAPE_H

#include <stdarg.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * fprintf() for text a person reads, with the whole formatted text escaped,
 * so that no string from sysfs, /proc, netlink, a file or the command line
 * reaches a terminal raw: control bytes, DEL and backslash become C
 * escapes (\x1b, \n, \t, \\), bytes that are not UTF-8 \xNN, C1 controls
 * and the marks that reorder or hide text (U+202E...) escapes too;
 * printable UTF-8 stays. A newline that ends @fmt is written as it is: a
 * newline inside the text is escaped. Every text renderer and the CLI
 * print untrusted strings only through these. Returns 0, -ENOMEM or -EIO.
 */
int sriov_escape_printf(FILE *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int sriov_escape_vprintf(FILE *out, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

#ifdef __cplusplus
}
#endif

#endif
