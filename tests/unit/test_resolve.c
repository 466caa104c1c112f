/* SPDX-License-Identifier: MIT */
/* Naming devices and suggestions, on a host model built in memory. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sriov.h"

static char *pf0_vf_nd[] = { "ens1f0v0" };
static struct sriov_vf pf0_vfs[] = {
	{ .index = 0, .address = "0000:3b:01.0", .netdev = "ens1f0v0",
	  .netdevs = { pf0_vf_nd, 1 } },
	{ .index = 1, .address = "0000:3b:01.1" },
	{ .index = 3, .address = "0000:3b:01.3" },
};
static struct sriov_netdev pf0_nd[] = { { .name = "ens1f0" } };
static struct sriov_netdev pf1_nd[] = { { .name = "ens1f1" } };
static struct sriov_pf pfs[] = {
	{ .address = "0000:3b:00.0", .bus = "pci", .netdevs = pf0_nd, .n_netdevs = 1,
	  .vfs = pf0_vfs, .n_vfs = 3 },
	{ .address = "0000:3b:00.1", .bus = "pci", .netdevs = pf1_nd, .n_netdevs = 1 },
	/* the same bus:dev.fn in another PCI domain */
	{ .address = "0001:5e:00.0", .bus = "pci" },
	{ .address = "0002:5e:00.0", .bus = "pci" },
};
static const struct sriov_host host = { .root = "/", .pfs = pfs, .n_pfs = 4 };

static void resolves(const char *name, const struct sriov_pf *want_pf,
		     const struct sriov_vf *want_vf)
{
	const struct sriov_pf *pf = NULL;
	const struct sriov_vf *vf = NULL;

	assert_int_equal(sriov_host_resolve(&host, name, &pf, &vf), 0);
	assert_ptr_equal(pf, want_pf);
	assert_ptr_equal(vf, want_vf);
}

static void fails(const char *name, int err)
{
	const struct sriov_pf *pf = NULL;
	const struct sriov_vf *vf = NULL;

	assert_int_equal(sriov_host_resolve(&host, name, &pf, &vf), err);
}

static void test_forms(void **state)
{
	resolves("ens1f0", &pfs[0], NULL);
	resolves("ens1f1", &pfs[1], NULL);
	resolves("0000:3b:00.0", &pfs[0], NULL);
	resolves("3b:00.1", &pfs[1], NULL);
	resolves("0000:3B:00.0", &pfs[0], NULL);
	resolves("ens1f0/vf1", &pfs[0], &pf0_vfs[1]);
	resolves("0000:3b:00.0/vf3", &pfs[0], &pf0_vfs[2]);
	resolves("3b:00.0/vf0", &pfs[0], &pf0_vfs[0]);
	resolves("ens1f0v0", &pfs[0], &pf0_vfs[0]);
	resolves("0000:3b:01.1", &pfs[0], &pf0_vfs[1]);
	resolves("3b:01.3", &pfs[0], &pf0_vfs[2]);
	resolves("0001:5e:00.0", &pfs[2], NULL);
}

/* libvirt's node device names (virsh nodedev-list) name the same devices. */
static void test_nodedev(void **state)
{
	resolves("pci_0000_3b_00_0", &pfs[0], NULL);
	resolves("pci_0000_3b_01_1", &pfs[0], &pf0_vfs[1]);
	resolves("pci_0000_3b_00_0/vf3", &pfs[0], &pf0_vfs[2]);
	resolves("pci_0002_5e_00_0", &pfs[3], NULL); /* the domain is part of it */
	fails("pci_0000_3c_00_0", -ENOENT);
	fails("pci_0000_3b_00_8", -EINVAL);  /* function 0..7 */
	fails("pci_0000_3b_20_0", -EINVAL);  /* slot 0..1f */
	fails("pci_0000_3b_00", -EINVAL);
	fails("pci_000_3b_00_0", -EINVAL);
	fails("pci_0000_3b_00_0_", -EINVAL);
	fails("pci_0000_3b_0_00", -EINVAL);
	fails("pci_0000_3g_00_0", -EINVAL);
	fails("pci_0000:3b:00.0", -EINVAL);
	fails("pci_0000_3b_00_0/vf2", -ERANGE);
}

static void test_errors(void **state)
{
	fails("ens1f9", -ENOENT);
	fails("0000:3c:00.0", -ENOENT);
	fails("5e:00.0", -ENOTUNIQ); /* two domains have it */
	fails("ens1f0/vf2", -ERANGE); /* indexes need not be dense */
	fails("ens1f0/vf99", -ERANGE);
	fails("ens1f0/vfx", -EINVAL);
	fails("ens1f0/", -EINVAL);
	fails("/vf1", -EINVAL);
	fails("ens1f0v0/vf0", -EINVAL); /* a VF has no VFs */
	fails("nope/vf0", -ENOENT);
	fails("", -EINVAL);
}

static void test_suggest(void **state)
{
	struct sriov_strv s = { 0 };

	assert_int_equal(sriov_host_suggest(&host, "ens1f2", 3, &s), 0);
	assert_true(s.n >= 2);
	assert_string_equal(s.v[0], "ens1f0");
	assert_string_equal(s.v[1], "ens1f1");
	sriov_strv_clear(&s);
	assert_int_equal(sriov_host_suggest(&host, "3b:00.2", 5, &s), 0);
	assert_true(s.n >= 1);
	assert_string_equal(s.v[0], "3b:00.0");
	sriov_strv_clear(&s);
	assert_int_equal(sriov_host_suggest(&host, "pci_0000_3b_00_2", 5, &s), 0);
	assert_true(s.n >= 1);
	assert_string_equal(s.v[0], "pci_0000_3b_00_0");
	sriov_strv_clear(&s);
	assert_int_equal(sriov_host_suggest(&host, "zzzzzzzzzzzz", 5, &s), 0);
	assert_int_equal(s.n, 0);
	sriov_strv_clear(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_nodedev),
		cmocka_unit_test(test_suggest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
