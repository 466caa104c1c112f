// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the sysfs value parsers (lib/io/parse.h).
 *
 * Input: byte 0 picks the parser (low 3 bits) and its bound (high 5 bits,
 * an index into the tables below); the rest is the buffer, passed without
 * a terminating NUL so that ASan sees any read past it.
 *
 * Checked against the contract in parse.h:
 *  - the result is 0, -EINVAL or -ERANGE;
 *  - on error the outputs are untouched;
 *  - on success the outputs are within the bounds asked for, and the input
 *    is what the kernel prints (digits, one optional trailing newline...)
 *    and means the value returned;
 *  - conversely, a canonical kernel rendering within bounds is accepted,
 *    and a well-formed number beyond the bounds gives -ERANGE.
 *
 * Replayed as an ordinary test by replay.c (tests/fuzz/meson.build).
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/parse.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const unsigned umax_tab[32] = {
	0, 1, 2, 7, 8, 9, 10, 15, 16, 99, 100, 127, 255, 256, 999, 1000,
	2047, 4095, 4096, 65535, 65536, 99999, 1000000, 0x7ffffffe,
	INT_MAX, 0x80000000u, 999999999, 1000000000, 4000000000u,
	UINT_MAX - 1, UINT_MAX, 42,
};

static const int imin_tab[8] = { INT_MIN, INT_MIN + 1, -1000000, -1, 0, 1,
				 -10, INT_MAX };
static const int imax_tab[4] = { INT_MAX, 0, 65535, -1 };

static const size_t outsz_tab[32] = {
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 16, 17, 31, 32, 33,
	63, 64, 65, 100, 127, 128, 255, 256, 257, 511, 512, 1024, 4096,
	4097, 8192, 65536,
};

/* The input without its one optional trailing newline. */
static size_t body_len(const char *s, size_t len)
{
	return len && s[len - 1] == '\n' ? len - 1 : len;
}

static int digit(char c, unsigned base)
{
	int v = -1;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	return v >= 0 && (unsigned)v < base ? v : -1;
}

/*
 * Reference reading of a run of digits: 1 when all of @s are digits, with
 * the value saturated just above @limit; 0 otherwise.
 */
static int ref_digits(const char *s, size_t len, unsigned base,
		      uint64_t limit, uint64_t *v)
{
	size_t i;

	*v = 0;
	if (!len)
		return 0;
	for (i = 0; i < len; i++) {
		int d = digit(s[i], base);

		if (d < 0)
			return 0;
		if (*v <= limit)
			*v = *v * base + (unsigned)d;
	}
	return 1;
}

static void check_rc(int rc)
{
	CHECK(rc == 0 || rc == -EINVAL || rc == -ERANGE);
}

static void fuzz_uint(const char *s, size_t len, unsigned sel)
{
	unsigned max = umax_tab[sel], out = 0xdeadbeef;
	size_t bl = body_len(s, len);
	uint64_t v = 0;
	int rc = parse_uint(s, len, max, &out);
	int ok = ref_digits(s, bl, 10, UINT_MAX, &v);

	check_rc(rc);
	if (rc) {
		CHECK(out == 0xdeadbeef);
	} else {
		CHECK(ok && v == out && out <= max);
	}
	if (ok)
		CHECK(rc == (v <= max ? 0 : -ERANGE));
}

static void fuzz_int(const char *s, size_t len, unsigned sel)
{
	int min = imin_tab[sel & 7], max = imax_tab[sel >> 3], out = 0x5eed;
	size_t bl = body_len(s, len);
	bool neg = bl && s[0] == '-';
	uint64_t v = 0;
	int64_t sv;
	int rc = parse_int(s, len, min, max, &out);
	int ok = ref_digits(s + neg, bl - neg, 10, (uint64_t)1 << 32, &v);

	check_rc(rc);
	if (rc) {
		CHECK(out == 0x5eed);
		return;
	}
	/* An empty range (min > max) has no value to succeed with. */
	CHECK(ok && min <= max);
	sv = neg ? -(int64_t)v : (int64_t)v;
	CHECK(sv == out && out >= min && out <= max);
}

/* A well-formed decimal is accepted, or refused with -ERANGE. */
static void fuzz_int_converse(const char *s, size_t len, unsigned sel)
{
	int min = imin_tab[sel & 7], max = imax_tab[sel >> 3], out;
	size_t bl = body_len(s, len);
	bool neg = bl && s[0] == '-';
	uint64_t v = 0;
	int64_t sv;

	if (min > max ||
	    !ref_digits(s + neg, bl - neg, 10, (uint64_t)1 << 32, &v))
		return;
	sv = neg ? -(int64_t)v : (int64_t)v;
	CHECK(parse_int(s, len, min, max, &out) ==
	      (sv >= min && sv <= max ? 0 : -ERANGE));
}

static void fuzz_hex(const char *s, size_t len, unsigned sel, bool prefixed)
{
	uint32_t max = umax_tab[sel], out = 0xdeadbeef;
	size_t bl = body_len(s, len);
	bool has_x = bl >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	/* The kernel prints a lower-case "0x"; "0X" is tolerated, not owed. */
	bool canonical = !has_x || s[1] == 'x';
	uint64_t v = 0;
	int rc, ok;

	rc = prefixed ? parse_hex_prefixed(s, len, max, &out) :
			parse_hex(s, len, max, &out);
	ok = (has_x || !prefixed) &&
	     ref_digits(s + 2 * has_x, bl - 2 * has_x, 16, UINT32_MAX, &v);

	check_rc(rc);
	if (rc) {
		CHECK(out == 0xdeadbeef);
	} else {
		CHECK(ok && v == out && out <= max);
	}
	if (ok && canonical)
		CHECK(rc == (v <= max ? 0 : -ERANGE));
}

static void fuzz_bool(const char *s, size_t len)
{
	size_t bl = body_len(s, len);
	bool ok = bl == 1 && (s[0] == '0' || s[0] == '1');
	union {
		bool b;
		unsigned char raw;
	} out = { .raw = 0x77 };
	int rc = parse_bool01(s, len, &out.b);

	check_rc(rc);
	if (rc) {
		CHECK(out.raw == 0x77);
		CHECK(!ok);
	} else {
		CHECK(ok && out.raw == (s[0] == '1'));
	}
}

static void fuzz_token(const char *s, size_t len, unsigned sel)
{
	size_t outsz = outsz_tab[sel], bl = body_len(s, len), i, n;
	/* Exactly @outsz bytes: a write past them is an ASan report. */
	char *out = malloc(outsz), *ref = malloc(outsz);
	bool ok = bl > 0;
	int rc;

	CHECK(out && ref);
	memset(out, 0x7e, outsz);
	memcpy(ref, out, outsz);
	for (i = 0; i < bl; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			ok = false;
	rc = parse_token(s, len, out, outsz);
	check_rc(rc);
	if (rc) {
		CHECK(memcmp(out, ref, outsz) == 0);
	} else {
		CHECK(ok);
		n = strnlen(out, outsz);
		CHECK(n < outsz);
		if (bl == 6 && memcmp(s, "(null)", 6) == 0)
			CHECK(n == 0);
		else
			CHECK(n == bl && memcmp(out, s, bl) == 0);
	}
	if (ok) {
		n = bl == 6 && memcmp(s, "(null)", 6) == 0 ? 0 : bl;
		CHECK(rc == (n < outsz ? 0 : -ERANGE));
	}
	free(out);
	free(ref);
}

static void fuzz_mac(const char *s, size_t len)
{
	static const uint8_t sentinel[6] = { 1, 2, 3, 4, 5, 6 };
	size_t bl = body_len(s, len);
	uint8_t mac[6], want[6] = { 0 };
	bool ok = true;
	size_t at = 0;
	int rc, i;

	/* the model: six ':'-separated fields of one or two hex digits */
	memcpy(mac, sentinel, 6);
	for (i = 0; ok && i < 6; i++) {
		size_t f = at;

		while (at < bl && s[at] != ':')
			at++;
		if (at - f < 1 || at - f > 2 || (i < 5) != (at < bl)) {
			ok = false;
			break;
		}
		for (size_t j = f; j < at; j++) {
			int d = digit(s[j], 16);

			if (d < 0)
				ok = false;
			want[i] = (uint8_t)(want[i] << 4 | (d < 0 ? 0 : d));
		}
		at++;
	}
	rc = parse_mac(s, len, mac);
	check_rc(rc);
	if (rc) {
		CHECK(memcmp(mac, sentinel, 6) == 0);
		CHECK(!ok);
	} else {
		CHECK(ok && memcmp(mac, want, 6) == 0);
	}
}

static void fuzz_link(const char *s, size_t len)
{
	const char *base = (const char *)&len;
	size_t baselen = 0x1234, i;
	int rc = parse_link_basename(s, len, &base, &baselen);

	check_rc(rc);
	if (rc) {
		CHECK(base == (const char *)&len && baselen == 0x1234);
		/* A target that ends in a plain name has a basename. */
		if (len && s[len - 1] != '/') {
			for (i = len; i > 0 && s[i - 1] != '/'; i--)
				;
			CHECK((len - i == 1 && s[i] == '.') ||
			      (len - i == 2 && s[i] == '.' && s[i + 1] == '.'));
		}
		return;
	}
	CHECK(baselen > 0 && baselen <= len);
	CHECK(base >= s && base + baselen <= s + len);
	CHECK(base == s || base[-1] == '/');
	CHECK(memchr(base, '/', baselen) == NULL);
	/* Nothing but slashes may follow it. */
	for (i = (size_t)(base - s) + baselen; i < len; i++)
		CHECK(s[i] == '/');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s;
	size_t len;
	unsigned sel;

	if (size < 1)
		return 0;
	sel = data[0] >> 3;
	s = (const char *)data + 1;
	len = size - 1;

	switch (data[0] & 7) {
	case 0:
		fuzz_uint(s, len, sel);
		break;
	case 1:
		fuzz_int(s, len, sel);
		fuzz_int_converse(s, len, sel);
		break;
	case 2:
		fuzz_hex(s, len, sel, true);
		break;
	case 3:
		fuzz_hex(s, len, sel, false);
		break;
	case 4:
		fuzz_bool(s, len);
		break;
	case 5:
		fuzz_token(s, len, sel);
		break;
	case 6:
		fuzz_mac(s, len);
		break;
	case 7:
		fuzz_link(s, len);
		break;
	}
	return 0;
}
