/* SPDX-License-Identifier: MIT */
/* PCI addresses and drivers/pci/iov.c's VF routing-id arithmetic. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "pci/addr.h"

static const char *fmt(const struct pci_addr *a)
{
	static char buf[32];

	return pci_addr_format(a, buf, sizeof(buf));
}

static void test_parse(void **state)
{
	struct pci_addr a;
	bool full;

	assert_int_equal(pci_addr_parse("0000:3b:00.1", &a, &full), 0);
	assert_true(full);
	assert_int_equal(a.bus, 0x3b);
	assert_int_equal(a.fn, 1);
	assert_int_equal(pci_addr_parse("3B:1f.7", &a, &full), 0);
	assert_false(full);
	assert_string_equal(fmt(&a), "0000:3b:1f.7");
	assert_int_equal(pci_addr_parse("10000:01:00.0", &a, &full), 0);
	assert_string_equal(fmt(&a), "10000:01:00.0");
	assert_int_equal(pci_addr_parse("0000:3b:20.0", &a, &full), -EINVAL);
	assert_int_equal(pci_addr_parse("0000:3b:00.8", &a, &full), -EINVAL);
	assert_int_equal(pci_addr_parse("0000:3b:00", &a, &full), -EINVAL);
	assert_int_equal(pci_addr_parse("0000:3b:00.0x", &a, &full), -EINVAL);
	assert_int_equal(pci_addr_parse("ens1f0", &a, &full), -EINVAL);
	assert_int_equal(pci_addr_parse("", &a, &full), -EINVAL);
	assert_int_equal(pci_addr_parse("0000:100:00.0", &a, &full), -EINVAL);
}

static void test_nodedev(void **state)
{
	struct pci_addr a;
	char buf[32];

	assert_int_equal(pci_addr_parse_nodedev("pci_0000_af_00_3", &a), 0);
	assert_string_equal(fmt(&a), "0000:af:00.3");
	assert_string_equal(pci_addr_format_nodedev(&a, buf, sizeof(buf)),
			    "pci_0000_af_00_3");
	assert_int_equal(pci_addr_parse_nodedev("pci_10000_01_1f_7", &a), 0);
	assert_string_equal(fmt(&a), "10000:01:1f.7");
	assert_int_equal(pci_addr_parse_nodedev("pci_0000_af_00_8", &a), -EINVAL);
	assert_int_equal(pci_addr_parse_nodedev("pci_0000_af_20_0", &a), -EINVAL);
	assert_int_equal(pci_addr_parse_nodedev("pci_0000_af_00", &a), -EINVAL);
	assert_int_equal(pci_addr_parse_nodedev("pci_0000_af_00_", &a), -EINVAL);
	assert_int_equal(pci_addr_parse_nodedev("pci_0000_af_00_33", &a), -EINVAL);
	assert_int_equal(pci_addr_parse_nodedev("pci_000_af_00_3", &a), -EINVAL);
	assert_int_equal(pci_addr_parse_nodedev("pci_100000_af_00_3", &a), -EINVAL);
	assert_int_equal(pci_addr_parse_nodedev("pci_0000_a_000_3", &a), -EINVAL);
	assert_int_equal(pci_addr_parse_nodedev("pci_0000_ag_00_3", &a), -EINVAL);
	assert_int_equal(pci_addr_parse_nodedev("net_ens1f0", &a), -EINVAL);
	assert_int_equal(pci_addr_parse_nodedev("0000:af:00.3", &a), -EINVAL);
	assert_int_equal(pci_addr_parse_nodedev("", &a), -EINVAL);
}

static void vf(const char *pf, unsigned off, unsigned stride, unsigned i,
	       const char *want)
{
	struct pci_addr p, v;

	assert_int_equal(pci_addr_parse(pf, &p, NULL), 0);
	assert_int_equal(pci_vf_addr(&p, off, stride, i, &v), 0);
	assert_string_equal(fmt(&v), want);
}

static void test_vf_arith(void **state)
{
	/* 82599: offset 128, stride 2 — the two PFs' VFs interleave */
	vf("0000:04:00.0", 128, 2, 0, "0000:04:10.0");
	vf("0000:04:00.0", 128, 2, 1, "0000:04:10.2");
	vf("0000:04:00.1", 128, 2, 0, "0000:04:10.1");
	vf("0000:04:00.1", 128, 2, 3, "0000:04:10.7");
	/* I350 as in the seed (ARI): offset 128, stride 4 — on the PF's bus */
	vf("0000:31:00.1", 128, 4, 0, "0000:31:10.1");
	vf("0000:31:00.1", 128, 4, 2, "0000:31:11.1");
	vf("0000:31:00.1", 128, 4, 6, "0000:31:13.1");
	/* I350 without ARI: offset 384, stride 4 — VFs on the next bus */
	vf("0000:05:00.1", 384, 4, 1, "0000:06:10.5");
	/* QEMU igb measured in the lab: 02:10.0 and 02:10.2 */
	vf("0000:02:00.0", 128, 2, 1, "0000:02:10.2");
	/* ARI: 256 VFs spill over the bus */
	vf("0000:3b:00.0", 8, 1, 255, "0000:3c:00.7");
}

static void test_vf_overflow(void **state)
{
	struct pci_addr p, v;

	assert_int_equal(pci_addr_parse("0000:ff:00.0", &p, NULL), 0);
	assert_int_equal(pci_vf_addr(&p, 256, 1, 0, &v), -ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_nodedev),
		cmocka_unit_test(test_vf_arith),
		cmocka_unit_test(test_vf_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
