/* SPDX-License-Identifier: MIT */
/*
 * The one device accessor (host/pcidev): a PCI device by address, its
 * attributes and links read relative to its directory; a device that did
 * not open reads nothing, not even what the root holds under those names.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "host/iommu.h"
#include "host/pcidev.h"
#include "io/root.h"
#include "sriov.h"
#include "testlib.h"

static char tmp[PATH_MAX];

static int setup(void **state)
{
	(void)state;
	tl_mkdtemp(tmp, sizeof(tmp), "sriov-pcidev");
	tl_hostgen(tmp, "--card e810:pfs=1,vfs=2,vfio=1,acs=off");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tl_rm_rf(tmp);
	return 0;
}

/* Both resolvers: openat2 and the walk. */
static void device(unsigned flags)
{
	struct rootfs *rfs;
	struct pcidev d;
	char vf[SRIOV_ADDR_MAX], *s = NULL;
	uint8_t cfg[4096];
	uint32_t v;

	assert_int_equal(rootfs_new_opts(tmp, flags, &rfs), 0);
	assert_int_equal(pcidev_open(rfs, "0000:02:00.0", &d), 0);
	assert_int_equal(pcidev_driver(&d, &s), 0);
	assert_string_equal(s, "ice");
	free(s);
	assert_int_equal(pcidev_vendor(&d, &v), 0);
	assert_int_equal(v, 0x8086);
	assert_true(pcidev_has(&d, "sriov_totalvfs"));
	assert_false(pcidev_has(&d, "physfn"));
	assert_true(pcidev_config(&d, cfg, sizeof(cfg)) >= 64);
	assert_int_equal(pcidev_netdev(&d, &s), 0);
	assert_non_null(s);
	free(s);
	assert_int_equal(pcidev_virtfn(&d, 1, vf, sizeof(vf)), 0);
	assert_string_equal(vf, "0000:02:01.1");
	assert_int_equal(pcidev_virtfn(&d, 2, vf, sizeof(vf)), -ENOENT);
	pcidev_close(&d);

	/* the last VF is on vfio-pci: no netdev */
	assert_int_equal(pcidev_open(rfs, "0000:02:01.1", &d), 0);
	assert_true(pcidev_has(&d, "physfn"));
	assert_int_equal(pcidev_netdev(&d, &s), 0);
	assert_null(s);
	assert_int_equal(pcidev_driver(&d, &s), 0);
	assert_string_equal(s, "vfio-pci");
	free(s);
	pcidev_close(&d);
	rootfs_free(rfs);
}

static void test_device(void **state)
{
	(void)state;
	device(0);
	device(ROOTFS_WALK);
}

static void test_closed_reads_nothing(void **state)
{
	const char *bad[] = { "nonsense", "0000:09:00.0" };
	struct rootfs *rfs;
	uint8_t cfg[64];
	uint32_t v;

	(void)state;
	/* files at the root under the attributes' names: never to be read */
	tl_put(tmp, "config", "0123456789");
	tl_put(tmp, "vendor", "0x8086\n");
	tl_link(tmp, "driver", "sys/bus/pci/drivers/ice");
	assert_int_equal(rootfs_new(tmp, &rfs), 0);
	for (size_t i = 0; i < 2; i++) {
		struct pcidev d;
		char *s = (char *)"x", vf[SRIOV_ADDR_MAX];

		assert_true(pcidev_open(rfs, bad[i], &d) < 0);
		assert_int_equal(pcidev_driver(&d, &s), -EBADF);
		assert_null(s);
		assert_int_equal(pcidev_vendor(&d, &v), -EBADF);
		assert_int_equal(pcidev_config(&d, cfg, sizeof(cfg)), -EBADF);
		assert_false(pcidev_has(&d, "config"));
		assert_int_equal(pcidev_virtfn(&d, 0, vf, sizeof(vf)), -EBADF);
		assert_int_equal(pcidev_iommu_group(&d), -1);
		pcidev_close(&d);
	}
	rootfs_free(rfs);
}

/* A group's members with their drivers, as show and check read them. */
static void test_group(void **state)
{
	struct sriov_iommu_group *g;
	struct rootfs *rfs;
	struct pcidev d;
	int id;

	(void)state;
	assert_int_equal(rootfs_new(tmp, &rfs), 0);
	assert_int_equal(pcidev_open(rfs, "0000:02:00.0", &d), 0);
	id = pcidev_iommu_group(&d);
	pcidev_close(&d);
	assert_true(id >= 0);
	assert_int_equal(iommu_group_read(rfs, id, &g), 0);
	/* acs=off: the root port, the PF and both VFs, sorted */
	assert_int_equal(g->n_members, 4);
	assert_string_equal(g->members[0].address, "0000:00:02.0");
	assert_string_equal(g->members[0].driver, "pcieport");
	assert_string_equal(g->members[1].driver, "ice");
	assert_string_equal(g->members[2].driver, "iavf");
	assert_string_equal(g->members[3].driver, "vfio-pci");
	iommu_group_free(g);
	assert_int_equal(iommu_group_read(rfs, 999, &g), -ENOENT);
	assert_null(g);
	rootfs_free(rfs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device),
		cmocka_unit_test(test_group),
		cmocka_unit_test(test_closed_reads_nothing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
