/* SPDX-License-Identifier: MIT */
#include "util/escape.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sriov.h"

/* The room one escaped sequence takes: "\xc2\x9b" is the longest. */
#define ESC_SEQ_MAX 8

size_t esc_utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c, min;
	size_t len;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2, c = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3, c = s[0] & 0x0f, min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4, c = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, UTF-16 surrogates and beyond U+10FFFF are no UTF-8 */
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Printable, but moves or hides the text around it (Trojan Source). */
static bool invisible(uint32_t c)
{
	return c == 0x061c || (c >= 0x200b && c <= 0x200f) ||
	       (c >= 0x2028 && c <= 0x202e) || (c >= 0x2060 && c <= 0x2069) ||
	       c == 0xfeff;
}

static size_t hex_byte(unsigned char b, char *out)
{
	static const char hex[] = "0123456789abcdef";

	out[0] = '\\';
	out[1] = 'x';
	out[2] = hex[b >> 4];
	out[3] = hex[b & 15];
	return 4;
}

/*
 * One character of @s (at most @n bytes) escaped into @out (ESC_SEQ_MAX
 * bytes). Returns the bytes of @s used; *len the bytes written.
 */
static size_t esc_one(const unsigned char *s, size_t n, char *out, size_t *len)
{
	static const char cesc[] = "abtnvfr"; /* \a (7) .. \r (13) */
	uint32_t c;
	size_t k = esc_utf8_seq(s, n, &c);

	if (k == 0) {
		*len = hex_byte(s[0], out);
		return 1;
	}
	if (c == '\\' || (c >= 7 && c <= 13)) {
		out[0] = '\\';
		out[1] = c == '\\' ? '\\' : cesc[c - 7];
		*len = 2;
	} else if (c < 0x20 || c == 0x7f) {
		*len = hex_byte((unsigned char)c, out);
	} else if (c >= 0x80 && c <= 0x9f) {
		*len = hex_byte(s[0], out);
		*len += hex_byte(s[1], out + 4);
	} else if (invisible(c)) {
		*len = (size_t)snprintf(out, ESC_SEQ_MAX, "\\u%04x", (unsigned)c);
	} else {
		memcpy(out, s, k);
		*len = k;
	}
	return k;
}

size_t esc_encode(const char *s, size_t n, char *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, len;

	for (size_t i = 0; i < n; o += len)
		i += esc_one(p + i, n - i, out + o, &len);
	out[o] = '\0';
	return o;
}

char *esc_strdup(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(ESC_MAX(n)), *small;

	if (!out)
		return NULL;
	n = esc_encode(s, n, out);
	small = realloc(out, n + 1);
	return small ? small : out;
}

int esc_write(const char *s, size_t n, FILE *out)
{
	const unsigned char *p = (const unsigned char *)s;
	char buf[1024];
	size_t o = 0, len;

	for (size_t i = 0; i < n; o += len) {
		if (o > sizeof(buf) - ESC_SEQ_MAX) {
			if (fwrite(buf, 1, o, out) != o)
				return -EIO;
			o = 0;
		}
		i += esc_one(p + i, n - i, buf + o, &len);
	}
	return fwrite(buf, 1, o, out) == o ? 0 : -EIO;
}

size_t esc_columns(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

int sriov_escape_vprintf(FILE *out, const char *fmt, va_list ap)
{
	size_t flen = strlen(fmt);
	bool nl = flen && fmt[flen - 1] == '\n';
	char stack[512], *buf = stack;
	va_list again;
	int n, r;

	va_copy(again, ap);
	n = vsnprintf(stack, sizeof(stack), fmt, ap);
	if (n >= 0 && (size_t)n >= sizeof(stack)) {
		buf = malloc((size_t)n + 1);
		if (buf)
			vsnprintf(buf, (size_t)n + 1, fmt, again);
	}
	va_end(again);
	if (n < 0)
		return -EINVAL;
	if (!buf)
		return -ENOMEM;
	/* the format's own final newline ends the line; any other is data */
	r = esc_write(buf, (size_t)n - nl, out);
	if (r == 0 && nl && fputc('\n', out) == EOF)
		r = -EIO;
	if (buf != stack)
		free(buf);
	return r;
}

int sriov_escape_printf(FILE *out, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = sriov_escape_vprintf(out, fmt, ap);
	va_end(ap);
	return r;
}
