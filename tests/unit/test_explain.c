/* SPDX-License-Identifier: MIT */
/* explain: the failure table, the matcher and what is pulled from a text. */
#include <errno.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "explain/explain.h"
#include "sriov.h"

/* The ids of the failures @text matches, space-separated. */
static const char *ids(const char *text)
{
	static char buf[512];
	struct sriov_explanation *e;

	assert_int_equal(sriov_explain(NULL, NULL, text, &e), 0);
	buf[0] = '\0';
	for (size_t i = 0; i < e->n_matches; i++) {
		if (i)
			strcat(buf, " ");
		strcat(buf, e->matches[i].failure->id);
	}
	assert_false(e->looked_up);
	sriov_explanation_free(e);
	return buf;
}

static void test_table(void **state)
{
	size_t n, nr;
	const struct sriov_failure *f = sriov_failures(&n);
	const struct explain_rule *r = explain_rules(&nr);

	(void)state;
	assert_true(n >= 14);
	for (size_t i = 0; i < n; i++) {
		assert_non_null(f[i].meaning);
		assert_non_null(f[i].fix);
		assert_non_null(f[i].checks);
		for (size_t j = i + 1; j < n; j++)
			assert_string_not_equal(f[i].id, f[j].id);
	}
	/* every rule compiles and names a failure of the table */
	for (size_t i = 0; i < nr; i++) {
		regex_t rx;
		bool known = false;

		assert_int_equal(regcomp(&rx, r[i].re, REG_EXTENDED | REG_ICASE), 0);
		regfree(&rx);
		if (r[i].context) {
			assert_int_equal(regcomp(&rx, r[i].context, REG_EXTENDED | REG_ICASE), 0);
			regfree(&rx);
		}
		for (size_t j = 0; j < n; j++)
			known |= strcmp(f[j].id, r[i].failure) == 0;
		assert_true(known);
	}
}

static void test_match(void **state)
{
	(void)state;
	assert_string_equal(ids("qemu-system-x86_64: -device vfio-pci,host=0000:0b:10.5: vfio 0000:0b:10.5: group 3 is not viable"),
			    "vfio.group-not-viable");
	assert_string_equal(ids("[  12.345678] pci 0000:3b:00.0: not enough MMIO resources for SR-IOV"),
			    "numvfs.mmio");
	assert_string_equal(ids("Nov 23 10:00:01 host kernel: ice 0000:3b:00.0: 4 VFs already enabled. Disable before enabling 8 VFs"),
			    "numvfs.busy");
	/* an errno string alone is no SR-IOV failure, next to sriov_numvfs it is */
	assert_string_equal(ids("cat: x: No such file or directory"), "");
	assert_string_equal(ids("bash: /sys/class/net/ens1f0/device/sriov_numvfs: No such file or directory"),
			    "numvfs.no-driver");
	assert_string_equal(ids("echo 9 > /sys/bus/pci/devices/0000:02:00.0/sriov_numvfs\nbash: echo: write error: Numerical result out of range"),
			    "numvfs.range");
	assert_string_equal(ids("Truncated VF list: ens1f0"), "netlink.truncated-vf-list");
	assert_string_equal(ids("[    3.141592] vfio-pci: probe of 0000:01:00.1 failed with error -22"),
			    "vfio.no-iommu");
	/* a shell's failed redirect, as bash and busybox ash word it */
	assert_string_equal(ids("bash: echo: write error: Device or resource busy"), "numvfs.busy");
	assert_string_equal(ids("sh: write error: Device or resource busy"), "numvfs.busy");
	assert_string_equal(ids("cp: error writing 'x': Device or resource busy"), "");
	assert_string_equal(ids("hello world"), "");
}

static void test_extract(void **state)
{
	struct explain_refs r;

	(void)state;
	/* a time of day ("06:11:06.627255") is no PCI address */
	assert_int_equal(explain_extract(
		"2015-08-11T06:11:06.627255Z qemu-kvm: -device vfio-pci,host=0E:00.0,id=hostdev0: vfio: failed to get group 19\n"
		"vfio 0000:0b:10.5: group 3 is not viable; /dev/vfio/7; cgroup 2\n"
		"virsh nodedev-detach pci_0000_82_10_1\n"
		"ip link set dev ens1f0 vf 3 trust on\n"
		"sriovctl vf enp59s0f1/vf12 set vlan 5\n"
		"Truncated VF list: ens2f0\n", &r), 0);
	assert_int_equal(r.addrs.n, 3);
	assert_string_equal(r.addrs.v[0], "0000:0b:10.5");
	assert_string_equal(r.addrs.v[1], "0e:00.0");
	assert_string_equal(r.addrs.v[2], "0000:82:10.1");
	assert_int_equal(r.n_groups, 3);
	assert_int_equal(r.groups[0], 19);
	assert_int_equal(r.groups[1], 3);
	assert_int_equal(r.groups[2], 7);
	assert_int_equal(r.n_vfs, 2);
	assert_string_equal(r.vfs[0].netdev, "ens1f0");
	assert_int_equal(r.vfs[0].index, 3);
	assert_string_equal(r.vfs[1].netdev, "enp59s0f1");
	assert_int_equal(r.vfs[1].index, 12);
	assert_true(r.netdevs.n >= 3);
	explain_refs_free(&r);
}

static void test_no_host(void **state)
{
	struct sriov_explanation *e;

	(void)state;
	/* without a host, the devices are named as written and not looked up */
	assert_int_equal(sriov_explain(NULL, NULL, "vfio 0000:0b:10.5: group 3 is not viable", &e), 0);
	assert_int_equal(e->n_matches, 1);
	assert_string_equal(e->matches[0].excerpt, "vfio 0000:0b:10.5: group 3 is not viable");
	assert_int_equal(e->n_devices, 0);
	assert_int_equal(e->n_groups, 0);
	sriov_explanation_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_extract),
		cmocka_unit_test(test_no_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
