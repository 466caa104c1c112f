/* SPDX-License-Identifier: MIT */
/* The one escaping of text output: what reaches a terminal, byte by byte. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "render/table.h"
#include "sriov.h"
#include "util/escape.h"

static char out[4096];

static const char *esc(const char *s, size_t n)
{
	assert_true(ESC_MAX(n) <= sizeof(out));
	esc_encode(s, n, out);
	return out;
}

#define E(lit) esc(lit, sizeof(lit) - 1)

static void test_controls(void **state)
{
	assert_string_equal(E("ens1f0"), "ens1f0");
	assert_string_equal(E(""), "");
	assert_string_equal(E("evil\x1b[2J\x1b]0;x\a"), "evil\\x1b[2J\\x1b]0;x\\a");
	assert_string_equal(E("a\nb\tc\rd\be\vf\fg"), "a\\nb\\tc\\rd\\be\\vf\\fg");
	assert_string_equal(E("back\\slash"), "back\\\\slash");
	assert_string_equal(E("\x01\x1f\x7f"), "\\x01\\x1f\\x7f");
	assert_string_equal(esc("a\0b", 3), "a\\x00b");
	/* printable ASCII is all kept */
	for (int c = 0x20; c < 0x7f; c++) {
		char s[2] = { (char)c, 0 };

		assert_string_equal(esc(s, 1), c == '\\' ? "\\\\" : s);
	}
}

static void test_utf8(void **state)
{
	/* printable UTF-8 stays: é, 日本, an emoji */
	assert_string_equal(E("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80"),
			    "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80");
	/* bytes that are not UTF-8, one escape each */
	assert_string_equal(E("\xff\xfe"), "\\xff\\xfe");
	assert_string_equal(E("\xc3"), "\\xc3");                 /* cut short */
	assert_string_equal(E("\xc3(x"), "\\xc3(x");             /* bad continuation */
	assert_string_equal(E("\xc0\x80"), "\\xc0\\x80");        /* overlong NUL */
	assert_string_equal(E("\xe0\x80\xaf"), "\\xe0\\x80\\xaf"); /* overlong '/' */
	assert_string_equal(E("\xed\xa0\x80"), "\\xed\\xa0\\x80"); /* surrogate */
	assert_string_equal(E("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80"); /* > U+10FFFF */
	assert_string_equal(E("\x80z"), "\\x80z");               /* lone continuation */
	/* C1 controls: U+009B is CSI to some terminals */
	assert_string_equal(E("\xc2\x9b" "2J"), "\\xc2\\x9b2J");
	assert_string_equal(E("\xc2\xa0"), "\xc2\xa0");          /* U+00A0 is printable */
	/* marks that turn or hide text */
	assert_string_equal(E("ab\xe2\x80\xae" "cd"), "ab\\u202ecd");
	assert_string_equal(E("\xe2\x81\xa6x\xe2\x81\xa9"), "\\u2066x\\u2069");
	assert_string_equal(E("a\xe2\x80\x8b" "b"), "a\\u200bb");
	assert_string_equal(E("\xef\xbb\xbfx"), "\\ufeffx");
	assert_string_equal(E("\xe2\x80\xa8"), "\\u2028");
}

/* Every 1- and 2-byte input: no control byte out, valid UTF-8, within ESC_MAX. */
static void test_all_pairs(void **state)
{
	for (unsigned a = 0; a < 256; a++)
		for (unsigned b = 0; b < 256; b++) {
			char s[2] = { (char)a, (char)b };
			size_t len = esc_encode(s, 2, out), k;

			assert_true(len + 1 <= ESC_MAX(2));
			assert_int_equal(strlen(out), len);
			for (size_t i = 0; i < len; i++) {
				unsigned char c = (unsigned char)out[i];

				assert_false(c < 0x20 || c == 0x7f);
			}
			/* escaping what came out changes nothing but backslashes */
			for (k = 0; k < len && out[k] != '\\'; k++)
				;
			if (k == len) {
				char again[ESC_MAX(8)];

				esc_encode(out, len, again);
				assert_string_equal(again, out);
			}
		}
	/* the worst case fills ESC_MAX exactly */
	memset(out + 2048, 0xff, 512);
	assert_int_equal(esc_encode(out + 2048, 512, out), 4 * 512);
}

static void test_strdup_columns(void **state)
{
	char *s = esc_strdup("\xc3\xa9t\xc3\xa9\x1b");

	assert_non_null(s);
	assert_string_equal(s, "\xc3\xa9t\xc3\xa9\\x1b");
	assert_int_equal(esc_columns(s), 7);
	free(s);
}

static void test_printf(void **state)
{
	char *buf, big[3000];
	size_t len;
	FILE *f;

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(sriov_escape_printf(f, "netdev %s, mtu %d\n", "a\nb\x1b", 1500), 0);
	/* only the format's final newline is one */
	assert_int_equal(sriov_escape_printf(f, "%s\n", "x\n"), 0);
	assert_int_equal(sriov_escape_printf(f, "no newline %s", "\t"), 0);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf, "netdev a\\nb\\x1b, mtu 1500\nx\\n\nno newline \\t");
	free(buf);

	/* longer than the stack buffer */
	memset(big, '\x1b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(sriov_escape_printf(f, "[%s]\n", big), 0);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(len, 1 + 4 * (sizeof(big) - 1) + 2);
	assert_memory_equal(buf, "[\\x1b\\x1b", 9);
	assert_string_equal(buf + len - 6, "\\x1b]\n");
	free(buf);

	/* a stream that cannot take it */
	f = fopen("/dev/full", "w");
	assert_non_null(f);
	setvbuf(f, NULL, _IONBF, 0);
	assert_int_equal(sriov_escape_printf(f, "%s\n", "x"), -EIO);
	fclose(f);
}

/* Table cells are escaped once, and aligned by columns, not bytes. */
static void test_table(void **state)
{
	static const char *const hdr[] = { "NAME", "DRIVER" };
	const char *r1[] = { "ev\x1b[2Jil", "ice" };
	const char *r2[] = { "caf\xc3\xa9", NULL };
	struct table *t = table_new(2, hdr);
	char *buf;
	size_t len;
	FILE *f;

	assert_non_null(t);
	assert_int_equal(table_add(t, r1), 0);
	assert_int_equal(table_add(t, r2), 0);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(table_print(t, f), 0);
	assert_int_equal(fclose(f), 0);
	assert_string_equal(buf,
			    "NAME         DRIVER\n"
			    "ev\\x1b[2Jil  ice\n"
			    "caf\xc3\xa9         -\n");
	free(buf);
	table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_all_pairs),
		cmocka_unit_test(test_strdup_columns),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
