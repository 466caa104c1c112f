/* SPDX-License-Identifier: MIT */
/* Sysfs value parsers: the kernel's formats, and garbage. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "io/parse.h"

#define S(x) x, sizeof(x) - 1

static void test_uint(void **state)
{
	unsigned v = 77;

	assert_int_equal(parse_uint(S("128\n"), 0xffff, &v), 0);
	assert_int_equal(v, 128);
	assert_int_equal(parse_uint(S("0"), 0xffff, &v), 0);
	assert_int_equal(v, 0);
	v = 77;
	assert_int_equal(parse_uint(S(""), 0xffff, &v), -EINVAL);
	assert_int_equal(parse_uint(S("\n"), 0xffff, &v), -EINVAL);
	assert_int_equal(parse_uint(S("abc\n"), 0xffff, &v), -EINVAL);
	assert_int_equal(parse_uint(S("-1\n"), 0xffff, &v), -EINVAL);
	assert_int_equal(parse_uint(S(" 1\n"), 0xffff, &v), -EINVAL);
	assert_int_equal(parse_uint(S("1\n\n"), 0xffff, &v), -EINVAL);
	assert_int_equal(parse_uint(S("12x"), 0xffff, &v), -EINVAL);
	assert_int_equal(parse_uint(S("65536\n"), 0xffff, &v), -ERANGE);
	assert_int_equal(parse_uint(S("99999999999999999999999\n"), 0xffff, &v),
			 -ERANGE);
	assert_int_equal(v, 77); /* untouched on error */
	assert_int_equal(parse_uint(NULL, 0, 10, &v), -EINVAL);
}

static void test_int(void **state)
{
	int v = 5;

	assert_int_equal(parse_int(S("-1\n"), -1, 0xffff, &v), 0);
	assert_int_equal(v, -1);
	assert_int_equal(parse_int(S("3\n"), -1, 0xffff, &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(parse_int(S("-2\n"), -1, 0xffff, &v), -ERANGE);
	assert_int_equal(parse_int(S("-\n"), -1, 0xffff, &v), -EINVAL);
	assert_int_equal(parse_int(S("--1"), -1, 0xffff, &v), -EINVAL);
	assert_int_equal(parse_int(S("2147483648"), -1, 0x7fffffff, &v),
			 -ERANGE);
	assert_int_equal(parse_int(S("-2147483648"), -0x7fffffff - 1, 0, &v),
			 0);
	assert_int_equal(v, -0x7fffffff - 1);
}

static void test_hex(void **state)
{
	uint32_t v = 1;

	assert_int_equal(parse_hex_prefixed(S("0x8086\n"), 0xffff, &v), 0);
	assert_int_equal(v, 0x8086);
	assert_int_equal(parse_hex_prefixed(S("0x020000\n"), 0xffffff, &v), 0);
	assert_int_equal(v, 0x020000);
	assert_int_equal(parse_hex_prefixed(S("0X10DE"), 0xffff, &v), 0);
	assert_int_equal(v, 0x10de);
	assert_int_equal(parse_hex_prefixed(S("8086\n"), 0xffff, &v), -EINVAL);
	assert_int_equal(parse_hex_prefixed(S("0x\n"), 0xffff, &v), -EINVAL);
	assert_int_equal(parse_hex_prefixed(S("0x18086"), 0xffff, &v), -ERANGE);
	assert_int_equal(parse_hex_prefixed(S("0xg"), 0xffff, &v), -EINVAL);
	/* sriov_vf_device is printed "%x\n", without 0x */
	assert_int_equal(parse_hex(S("1889\n"), 0xffff, &v), 0);
	assert_int_equal(v, 0x1889);
	assert_int_equal(parse_hex(S("a\n"), 0xffff, &v), 0);
	assert_int_equal(v, 0xa);
	assert_int_equal(parse_hex(S("0x10ca\n"), 0xffff, &v), 0);
	assert_int_equal(v, 0x10ca);
	assert_int_equal(parse_hex(S("zz"), 0xffff, &v), -EINVAL);
}

static void test_bool(void **state)
{
	bool b = false;

	assert_int_equal(parse_bool01(S("1\n"), &b), 0);
	assert_true(b);
	assert_int_equal(parse_bool01(S("0\n"), &b), 0);
	assert_false(b);
	assert_int_equal(parse_bool01(S("2\n"), &b), -EINVAL);
	assert_int_equal(parse_bool01(S("yes"), &b), -EINVAL);
	assert_int_equal(parse_bool01(S(""), &b), -EINVAL);
}

static void test_token(void **state)
{
	char out[16];

	assert_int_equal(parse_token(S("vfio-pci\n"), out, sizeof(out)), 0);
	assert_string_equal(out, "vfio-pci");
	/* the kernel prints an unset driver_override as "(null)" */
	assert_int_equal(parse_token(S("(null)\n"), out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(parse_token(S("two words\n"), out, sizeof(out)),
			 -EINVAL);
	assert_int_equal(parse_token(S("\n"), out, sizeof(out)), -EINVAL);
	assert_int_equal(parse_token(S("a\x01"), out, sizeof(out)), -EINVAL);
	assert_int_equal(parse_token(S("0123456789abcdef\n"), out, sizeof(out)),
			 -ERANGE);
}

static void test_mac(void **state)
{
	uint8_t m[6] = { 0 };
	static const uint8_t want[6] = { 0x3c, 0xfd, 0xfe, 0xa0, 0x0b, 0xff };

	assert_int_equal(parse_mac(S("3c:fd:fe:a0:0b:FF\n"), m), 0);
	assert_memory_equal(m, want, 6);
	assert_int_equal(parse_mac(S("3c:fd:fe:a0:0b\n"), m), -EINVAL);
	assert_int_equal(parse_mac(S("3c-fd-fe-a0-0b-ff"), m), -EINVAL);
	assert_int_equal(parse_mac(S("3c:fd:fe:a0:0b:fg"), m), -EINVAL);
}

static void test_link_basename(void **state)
{
	const char *b;
	size_t n;

	assert_int_equal(parse_link_basename(S("../../../bus/pci/drivers/ice"),
					     &b, &n), 0);
	assert_int_equal(n, 3);
	assert_memory_equal(b, "ice", 3);
	assert_int_equal(parse_link_basename(S("../0000:3b:01.0/"), &b, &n), 0);
	assert_int_equal(n, 12);
	assert_int_equal(parse_link_basename(S("12"), &b, &n), 0);
	assert_int_equal(parse_link_basename(S("../.."), &b, &n), -EINVAL);
	assert_int_equal(parse_link_basename(S(""), &b, &n), -EINVAL);
	assert_int_equal(parse_link_basename(S("///"), &b, &n), -EINVAL);
}

static void test_ifname(void **state)
{
	(void)state;
	assert_true(parse_ifname_ok("ens1f0np0", 9));
	assert_true(parse_ifname_ok("ens1f0#0-3", 6));        /* the name part */
	assert_true(parse_ifname_ok("123456789012345", 15));
	assert_false(parse_ifname_ok("1234567890123456", 16)); /* IFNAMSIZ */
	assert_false(parse_ifname_ok("", 0));
	assert_false(parse_ifname_ok(".", 1));
	assert_false(parse_ifname_ok("..", 2));
	assert_true(parse_ifname_ok("...", 3));
	assert_false(parse_ifname_ok("\ns1f0", 5));
	assert_false(parse_ifname_ok("a b", 3));
	assert_false(parse_ifname_ok("a\tb", 3));
	assert_false(parse_ifname_ok("a/b", 3));
	assert_false(parse_ifname_ok("a:1", 3));
	assert_false(parse_ifname_ok("a\0b", 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uint),
		cmocka_unit_test(test_int),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_bool),
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_ifname),
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_link_basename),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
