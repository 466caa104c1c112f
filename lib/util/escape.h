/* SPDX-License-Identifier: MIT */
/*
 * The one escaping of text output (sriov_escape_printf() in sriov.h is its
 * printf, esc_printf() the renderers'): control bytes, DEL and backslash as C escapes (\x1b, \n, \t,
 * \\), bytes that are not UTF-8 as \xNN, C1 controls (U+0080..U+009F) as
 * their two bytes \xc2\x9b, the invisible marks that reorder or hide text
 * (bidi overrides and isolates, zero-width spaces, line separators) as
 * \u202e; printable UTF-8 as it is.
 */
#ifndef SRIOV_UTIL_ESCAPE_H
#define SRIOV_UTIL_ESCAPE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The room esc_encode() needs for @n bytes: 4 a byte at most, and a NUL. */
#define ESC_MAX(n) (4 * (size_t)(n) + 1)

/*
 * @s[0..@n) escaped into @out, which has ESC_MAX(@n) bytes, NUL-terminated.
 * Returns the length written.
 */
size_t esc_encode(const char *s, size_t n, char *out);

/*
 * The length of the valid UTF-8 sequence at @s (of @n > 0 bytes), its code
 * point in *cp; 0 when @s does not start one (overlong, surrogate, cut).
 */
size_t esc_utf8_seq(const unsigned char *s, size_t n, uint32_t *cp);

/* A malloc'd escaped copy of @s; NULL without memory. */
char *esc_strdup(const char *s);

/* @s[0..@n) escaped onto @out. Returns 0 or -EIO. */
int esc_write(const char *s, size_t n, FILE *out);

/* The library's renderers call the public sriov_escape_printf() by this name. */
#define esc_printf sriov_escape_printf

/* The terminal columns of an escaped string: one per code point. */
size_t esc_columns(const char *s);

#endif
