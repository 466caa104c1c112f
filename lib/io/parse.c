/* SPDX-License-Identifier: MIT */
#include "io/parse.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

/* Strip the single trailing newline the kernel's sysfs_emit adds. */
static size_t chomp(const char *buf, size_t len)
{
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	return len;
}

int parse_hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool parse_token_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max || !isalnum((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isascii((unsigned char)s[i]) ||
		    !(isalnum((unsigned char)s[i]) || strchr("_.-", s[i])))
			return false;
	return true;
}

bool parse_ifname_ok(const char *s, size_t len)
{
	if (len == 0 || len >= 16 || (len == 1 && s[0] == '.') ||
	    (len == 2 && s[0] == '.' && s[1] == '.'))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!s[i] || s[i] == '/' || s[i] == ':' || isspace((unsigned char)s[i]))
			return false;
	return true;
}

/* Digits only, no sign, no white space; overflow checked against @max. */
static int parse_digits(const char *s, size_t len, unsigned base,
			uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		int d = parse_hexdigit(s[i]);

		if (d < 0 || (unsigned)d >= base)
			return -EINVAL;
		v = v * base + (unsigned)d;
		if (v > max)
			return -ERANGE;
	}
	*out = v;
	return 0;
}

int parse_uint(const char *buf, size_t len, unsigned max, unsigned *out)
{
	uint64_t v;
	int r;

	if (!buf)
		return -EINVAL;
	r = parse_digits(buf, chomp(buf, len), 10, max, &v);
	if (r == 0)
		*out = (unsigned)v;
	return r;
}

int parse_int(const char *buf, size_t len, int min, int max, int *out)
{
	bool neg = false;
	int64_t sv;
	uint64_t v;
	int r;

	if (!buf || min > max)
		return -EINVAL;
	len = chomp(buf, len);
	if (len > 0 && buf[0] == '-') {
		neg = true;
		buf++;
		len--;
	}
	/* 2^31 bounds the magnitude of any int; the range check follows. */
	r = parse_digits(buf, len, 10, (uint64_t)1 << 31, &v);
	if (r < 0)
		return r;
	sv = neg ? -(int64_t)v : (int64_t)v;
	if (sv < min || sv > max)
		return -ERANGE;
	*out = (int)sv;
	return 0;
}

static int parse_hex_common(const char *buf, size_t len, uint32_t max,
			    uint32_t *out, bool need_prefix)
{
	uint64_t v;
	int r;

	if (!buf)
		return -EINVAL;
	len = chomp(buf, len);
	if (len >= 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X')) {
		buf += 2;
		len -= 2;
	} else if (need_prefix) {
		return -EINVAL;
	}
	r = parse_digits(buf, len, 16, max, &v);
	if (r == 0)
		*out = (uint32_t)v;
	return r;
}

int parse_hex_prefixed(const char *buf, size_t len, uint32_t max,
		       uint32_t *out)
{
	return parse_hex_common(buf, len, max, out, true);
}

int parse_hex(const char *buf, size_t len, uint32_t max, uint32_t *out)
{
	return parse_hex_common(buf, len, max, out, false);
}

int parse_bool01(const char *buf, size_t len, bool *out)
{
	if (!buf)
		return -EINVAL;
	len = chomp(buf, len);
	if (len != 1 || (buf[0] != '0' && buf[0] != '1'))
		return -EINVAL;
	*out = buf[0] == '1';
	return 0;
}

int parse_token(const char *buf, size_t len, char *out, size_t outsz)
{
	if (!buf || outsz == 0)
		return -EINVAL;
	len = chomp(buf, len);
	if (len == 0)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c <= ' ' || c >= 0x7f)
			return -EINVAL;
	}
	if (len == 6 && memcmp(buf, "(null)", 6) == 0)
		len = 0;
	if (len >= outsz)
		return -ERANGE;
	memcpy(out, buf, len);
	out[len] = '\0';
	return 0;
}

int parse_mac(const char *buf, size_t len, uint8_t mac[6])
{
	uint8_t m[6];
	size_t i = 0;

	if (!buf)
		return -EINVAL;
	len = chomp(buf, len);
	for (int k = 0; k < 6; k++) {
		int hi = i < len ? parse_hexdigit(buf[i]) : -1, lo;

		if (hi < 0)
			return -EINVAL;
		i++;
		lo = i < len ? parse_hexdigit(buf[i]) : -1;
		if (lo >= 0)
			i++;
		m[k] = (uint8_t)(lo >= 0 ? hi << 4 | lo : hi);
		if (k < 5 && (i >= len || buf[i++] != ':'))
			return -EINVAL;
	}
	if (i != len)
		return -EINVAL;
	memcpy(mac, m, 6);
	return 0;
}

bool driver_name_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 63 || !isalnum((unsigned char)s[0]))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-' &&
		    s[i] != '.')
			return false;
	return true;
}

int parse_link_basename(const char *target, size_t len, const char **base,
			size_t *baselen)
{
	size_t end = len, start;

	if (!target)
		return -EINVAL;
	while (end > 0 && target[end - 1] == '/')
		end--;
	start = end;
	while (start > 0 && target[start - 1] != '/')
		start--;
	if (start == end)
		return -EINVAL;
	if ((end - start == 1 && target[start] == '.') ||
	    (end - start == 2 && target[start] == '.' && target[start + 1] == '.'))
		return -EINVAL;
	*base = target + start;
	*baselen = end - start;
	return 0;
}
