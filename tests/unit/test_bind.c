/* SPDX-License-Identifier: MIT */
/*
 * Driver binding: the vfio group viability rule, VF ranges, plans, and the
 * all-or-nothing rollback, on a host model in memory and a small sysfs
 * tree in a temporary directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "ops/bind.h"
#include "sriov.h"
#include "testlib.h"

static char *nd0[] = { "ens1f0v0" }, *nd3[] = { "ens1f0v3" },
	    *nd5[] = { "ens1f0v5" };
static struct sriov_vf vfs[] = {
	{ .index = 0, .address = "0000:02:10.0", .driver = "igbvf", .iommu_group = 5,
	  .netdevs = { nd0, 1 } },
	{ .index = 1, .address = "0000:02:10.2", .iommu_group = 5 },
	{ .index = 2, .address = "0000:02:10.4", .driver = "vfio-pci",
	  .driver_override = "vfio-pci", .iommu_group = 6 },
	{ .index = 3, .address = "0000:02:10.6", .driver = "igbvf", .iommu_group = 7,
	  .netdevs = { nd3, 1 } },
	{ .index = 5, .address = "0000:02:11.2", .driver = "igbvf", .iommu_group = 8,
	  .netdevs = { nd5, 1 } },
};
static struct sriov_netdev pf_nd[] = { { .name = "ens1f0" } };
static struct sriov_pf pfs[] = {
	{ .address = "0000:02:00.0", .bus = "pci", .netdevs = pf_nd, .n_netdevs = 1,
	  .vendor_id = 0x8086, .vf_device_id = 0x10ca, .class_code = 0x020000,
	  .vfs = vfs, .n_vfs = 5, .drivers_autoprobe = true },
	{ .address = "0000:03:00.0", .bus = "pci" },
};
static struct sriov_host host = { .root = "/", .iommu_enabled = true,
				  .iommu_groups = 9, .pfs = pfs, .n_pfs = 2 };

static char root[PATH_MAX];
static struct sriov_ctx *ctx;

static void put(const char *rel, const char *content)
{
	tl_put(root, rel, content);
}

static void link_to(const char *rel, const char *target)
{
	tl_link(root, rel, target);
}

static void rename_in_root(const char *from, const char *to_name)
{
	char a[PATH_MAX * 2], b[PATH_MAX * 2], *slash;

	snprintf(a, sizeof(a), "%s/%s", root, from);
	snprintf(b, sizeof(b), "%s", a);
	slash = strrchr(b, '/');
	snprintf(slash + 1, sizeof(b) - (size_t)(slash + 1 - b), "%s", to_name);
	assert_int_equal(rename(a, b), 0);
}

static char *get(const char *rel)
{
	static char buf[256];
	char p[PATH_MAX * 2];
	FILE *f;
	size_t n;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	f = fopen(p, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void dev(const char *addr, const char *cls, const char *driver,
		const char *override, int group)
{
	char rel[256], target[64];

	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/class", addr);
	put(rel, cls);
	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/driver_override", addr);
	put(rel, override ? override : "(null)\n");
	if (driver) {
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/driver", addr);
		snprintf(target, sizeof(target), "../../drivers/%s", driver);
		link_to(rel, target);
	}
	snprintf(rel, sizeof(rel), "sys/kernel/iommu_groups/%d/devices/%s",
		 group, addr);
	put(rel, "");
}

static int setup(void **state)
{
	static const char *drivers[] = { "igb", "igbvf", "vfio-pci",
					 "pcieport", "e1000e" };
	char rel[128];

	tl_mkdtemp(root, sizeof(root), "sriov-bind");
	for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++) {
		snprintf(rel, sizeof(rel), "sys/bus/pci/drivers/%s/unbind", drivers[i]);
		put(rel, "");
		snprintf(rel, sizeof(rel), "sys/bus/pci/drivers/%s/bind", drivers[i]);
		put(rel, "");
	}
	put("sys/bus/pci/drivers_probe", "");
	/* group 5: two VFs, a root port, another endpoint */
	dev("0000:00:02.0", "0x060400\n", "pcieport", NULL, 5);
	dev("0000:05:00.0", "0x020000\n", "e1000e", NULL, 5);
	dev("0000:02:10.0", "0x020000\n", "igbvf", NULL, 5);
	dev("0000:02:10.2", "0x020000\n", NULL, NULL, 5);
	dev("0000:02:10.4", "0x020000\n", "vfio-pci", "vfio-pci\n", 6);
	/* group 7: a VF with its own PF (ACS off) */
	dev("0000:02:10.6", "0x020000\n", "igbvf", NULL, 7);
	dev("0000:02:00.0", "0x020000\n", "igb", NULL, 7);
	put("sys/bus/pci/devices/0000:02:00.0/sriov_numvfs", "6\n");
	dev("0000:02:11.2", "0x020000\n", "igbvf", NULL, 8);
	/* the VFs' netdevs, down (IFF_UP clear): not in use */
	put("sys/class/net/ens1f0v0/flags", "0x1002\n");
	put("sys/class/net/ens1f0v3/flags", "0x1002\n");
	put("sys/class/net/ens1f0v5/flags", "0x1002\n");
	/* the kernel's modules: igbvf claims 8086:10ca, ixgbevf 8086:10ed */
	put("proc/sys/kernel/osrelease", "6.1.0-27-amd64\n");
	put("lib/modules/6.1.0-27-amd64/modules.dep",
	    "kernel/drivers/net/ethernet/intel/igbvf/igbvf.ko:\n"
	    "kernel/drivers/net/ethernet/intel/ixgbevf/ixgbevf.ko:\n"
	    "kernel/drivers/vfio/vfio.ko:\n"
	    "kernel/drivers/vfio/pci/vfio-pci.ko: kernel/drivers/vfio/vfio.ko\n");
	put("lib/modules/6.1.0-27-amd64/modules.builtin",
	    "kernel/drivers/pci/pci-stub.ko\n");
	put("lib/modules/6.1.0-27-amd64/modules.alias",
	    "alias pci:v00008086d000010CAsv*sd*bc*sc*i* igbvf\n"
	    "alias pci:v00008086d000010EDsv*sd*bc*sc*i* ixgbevf\n"
	    "alias vfio_pci:v*d*sv*sd*bc*sc*i* vfio_pci\n"
	    "alias char-major-10-196 vfio\n");
	put("sys/bus/pci/devices/0000:02:10.0/modalias",
	    "pci:v00008086d000010CAsv00008086sd00000000bc02sc00i00\n");
	assert_int_equal(sriov_ctx_new(root, &ctx), 0);
	return 0;
}

static int teardown(void **state)
{
	sriov_ctx_free(ctx);
	tl_rm_rf(root);
	return 0;
}

static void test_viability_rule(void **state)
{
	assert_true(sriov_vfio_group_driver_ok(NULL));
	assert_true(sriov_vfio_group_driver_ok("vfio-pci"));
	assert_true(sriov_vfio_group_driver_ok("mlx5_vfio_pci"));
	assert_true(sriov_vfio_group_driver_ok("pci-stub"));
	assert_true(sriov_vfio_group_driver_ok("pcieport"));
	assert_false(sriov_vfio_group_driver_ok("nvme"));
	assert_false(sriov_vfio_group_driver_ok("igbvf"));
	assert_false(sriov_vfio_group_driver_ok("vfio"));
	assert_true(bind_driver_name_ok("vfio-pci"));
	assert_true(bind_driver_name_ok("mlx5_core"));
	assert_false(bind_driver_name_ok(""));
	assert_false(bind_driver_name_ok("a b"));
	assert_false(bind_driver_name_ok("../x"));
	assert_false(bind_driver_name_ok("x\n"));
}

static void selects(const char *name, size_t n, const unsigned *idx)
{
	struct sriov_vf_refs r;

	assert_int_equal(sriov_host_resolve_vfs(&host, name, &r), 0);
	assert_int_equal(r.n, n);
	for (size_t i = 0; i < n; i++) {
		assert_ptr_equal(r.v[i].pf, &pfs[0]);
		assert_int_equal(r.v[i].vf->index, idx[i]);
	}
	sriov_vf_refs_clear(&r);
}

static void select_fails(const char *name, int err)
{
	struct sriov_vf_refs r;

	assert_int_equal(sriov_host_resolve_vfs(&host, name, &r), err);
	assert_null(r.v);
	assert_int_equal(r.n, 0);
}

static void test_ranges(void **state)
{
	selects("ens1f0/vf3", 1, (unsigned[]){ 3 });
	selects("0000:02:10.2", 1, (unsigned[]){ 1 });
	selects("ens1f0/vf0-2", 3, (unsigned[]){ 0, 1, 2 });
	selects("ens1f0/vf2,0", 2, (unsigned[]){ 2, 0 });
	selects("ens1f0/vf1,0-1,5", 3, (unsigned[]){ 1, 0, 5 });
	selects("02:00.0/vf3-3", 1, (unsigned[]){ 3 });
	selects("ens1f0", 5, (unsigned[]){ 0, 1, 2, 3, 5 });
	selects("0000:02:00.0", 5, (unsigned[]){ 0, 1, 2, 3, 5 });
	select_fails("ens1f0/vf3-5", -ERANGE); /* no vf4 */
	select_fails("ens1f0/vf0-9", -ERANGE);
	select_fails("ens1f0/vf2-1", -EINVAL);
	select_fails("ens1f0/vf1,", -EINVAL);
	select_fails("ens1f0/vf,1", -EINVAL);
	select_fails("ens1f0/vf1,,2", -EINVAL);
	select_fails("ens1f0/vf1-", -EINVAL);
	select_fails("ens1f0/vf-1", -EINVAL);
	select_fails("ens1f0/vfa-b", -EINVAL);
	select_fails("0000:02:10.0/vf0-1", -EINVAL); /* a VF has no VFs */
	select_fails("ens9/vf0-1", -ENOENT);
	select_fails("0000:03:00.0", -ENODATA); /* a PF without VFs */
	select_fails("", -EINVAL);
}

static struct sriov_bind_plan *plan(const char *name, int mode,
				    const char *driver, unsigned flags,
				    int want, const char *needle)
{
	struct sriov_bind_plan *p = NULL;
	struct sriov_vf_refs r;
	char err[2048] = "";

	assert_int_equal(sriov_host_resolve_vfs(&host, name, &r), 0);
	assert_int_equal(sriov_bind_plan_new(ctx, &host, &r, mode, driver,
					     flags, &p, err, sizeof(err)), want);
	if (needle && !strstr(err, needle))
		fail_msg("'%s' not in '%s'", needle, err);
	sriov_vf_refs_clear(&r);
	return p;
}

static void test_plan_group_refusals(void **state)
{
	/* the other VF (igbvf) and the other endpoint are in the way, the
	 * root port (pcieport) is not */
	assert_null(plan("ens1f0/vf1", SRIOV_BIND_DRIVER, "vfio-pci", 0, -EBUSY,
			 "0000:02:10.0 is bound to igbvf, 0000:05:00.0 is bound to e1000e; "));
	assert_null(plan("ens1f0/vf1", SRIOV_BIND_DRIVER, "vfio-pci", 0, -EBUSY,
			 "add --group"));
	/* a member in the same request is fine */
	assert_null(plan("ens1f0/vf0-1", SRIOV_BIND_DRIVER, "vfio-pci", 0,
			 -EBUSY, "vfio-pci: 0000:05:00.0 is bound to e1000e; "));
	/* the VF's own PF: no --group hint, ACS is */
	assert_null(plan("ens1f0/vf3", SRIOV_BIND_DRIVER, "vfio-pci", 0, -EBUSY,
			 "0000:02:00.0 is bound to igb (the VF's own PF); "));
	assert_null(plan("ens1f0/vf3", SRIOV_BIND_DRIVER, "vfio-pci", 0, -EBUSY,
			 "enable ACS"));
	assert_null(plan("ens1f0/vf3", SRIOV_BIND_DRIVER, "vfio-pci",
			 SRIOV_BIND_GROUP, -EXDEV, "the VF's own PF; unbinding"));
	/* other drivers need no viable group */
	sriov_bind_plan_free(plan("ens1f0/vf3", SRIOV_BIND_DRIVER, "pci-stub",
				  0, 0, NULL));
}

static void test_plan_group(void **state)
{
	struct sriov_bind_plan *p = plan("ens1f0/vf0-1", SRIOV_BIND_DRIVER,
					 "vfio-pci", SRIOV_BIND_GROUP, 0, NULL);

	assert_int_equal(p->n, 3);
	assert_int_equal(p->n_work, 3);
	assert_false(p->load_module);
	assert_string_equal(p->v[0].name, "ens1f0/vf0");
	assert_true(p->v[0].write_override && p->v[0].unbind && p->v[0].probe);
	assert_string_equal(p->v[0].new_override, "vfio-pci");
	assert_false(p->v[1].unbind); /* no driver */
	assert_true(p->v[1].probe);
	assert_string_equal(p->v[2].address, "0000:05:00.0");
	assert_true(p->v[2].group_member);
	assert_string_equal(p->v[2].old_driver, "e1000e");
	assert_null(p->v[2].old_override);
	assert_true(p->v[2].unbind && p->v[2].probe);
	assert_string_equal(p->v[2].want, "vfio-pci");
	sriov_bind_plan_free(p);
}

static void test_plan_modes(void **state)
{
	struct sriov_bind_plan *p;

	/* already bound: nothing written */
	p = plan("ens1f0/vf2", SRIOV_BIND_DRIVER, "vfio-pci", 0, 0, NULL);
	assert_int_equal(p->n, 1);
	assert_int_equal(p->n_work, 0);
	assert_false(p->v[0].write_override || p->v[0].unbind || p->v[0].probe);
	sriov_bind_plan_free(p);

	/* a driver that is not loaded: its module is */
	p = plan("ens1f0/vf0", SRIOV_BIND_DRIVER, "pci-stub", 0, 0, NULL);
	assert_true(p->load_module); /* in modules.builtin */
	sriov_bind_plan_free(p);
	rename_in_root("sys/bus/pci/drivers/vfio-pci", "vfio-pci.gone");
	p = plan("ens1f0/vf5", SRIOV_BIND_DRIVER, "vfio-pci", 0, 0, NULL);
	rename_in_root("sys/bus/pci/drivers/vfio-pci.gone", "vfio-pci");
	assert_true(p->load_module);
	sriov_bind_plan_free(p);

	p = plan("ens1f0/vf0-2", SRIOV_BIND_KERNEL, NULL, 0, 0, NULL);
	assert_int_equal(p->n_work, 2);
	/* vf0: no override, bound by the kernel */
	assert_false(p->v[0].write_override || p->v[0].unbind || p->v[0].probe);
	/* vf1: no override, no driver: a reprobe only */
	assert_false(p->v[1].write_override || p->v[1].unbind);
	assert_true(p->v[1].probe);
	/* vf2: clear the override, unbind, reprobe */
	assert_true(p->v[2].write_override && p->v[2].unbind && p->v[2].probe);
	assert_null(p->v[2].new_override);
	assert_false(p->pf_autoprobe_off);
	sriov_bind_plan_free(p);

	p = plan("ens1f0/vf0-1", SRIOV_BIND_UNBIND, NULL, 0, 0, NULL);
	assert_int_equal(p->n_work, 2);
	assert_true(p->v[0].write_override && p->v[0].unbind);
	assert_false(p->v[0].probe);
	assert_string_equal(p->v[0].new_override, "none");
	assert_true(p->v[1].write_override);
	assert_false(p->v[1].unbind || p->v[1].probe);
	assert_null(p->v[1].want);
	sriov_bind_plan_free(p);

	assert_null(plan("ens1f0/vf0", SRIOV_BIND_DRIVER, "none", 0, -EINVAL,
			 "use 'unbind'"));
	assert_null(plan("ens1f0/vf0", SRIOV_BIND_DRIVER, "a/b", 0, -EINVAL,
			 "not a driver name"));
}

/* What the real run would refuse, the plan (and so the dry run) refuses. */
static void test_plan_driver_checks(void **state)
{
	/* no module of that name: the closest one offered */
	assert_null(plan("ens1f0/vf0", SRIOV_BIND_DRIVER, "vifo-pci", 0,
			 -ENOENT, "has no module of that name"));
	assert_null(plan("ens1f0/vf0", SRIOV_BIND_DRIVER, "vifo-pci", 0,
			 -ENOENT, "did you mean vfio-pci?"));
	/* a module, but not one that drives PCI devices */
	assert_null(plan("ens1f0/vf0", SRIOV_BIND_DRIVER, "vfio", 0, -ENODEV,
			 "vfio does not drive this VF (8086:10ca, modalias pci:v00008086d000010CA"));
	assert_null(plan("ens1f0/vf0", SRIOV_BIND_DRIVER, "vfio", 0, -ENODEV,
			 "did you mean vfio-pci?"));
	/* a module for another device; the one modules.alias names */
	assert_null(plan("ens1f0/vf0", SRIOV_BIND_DRIVER, "ixgbevf", 0,
			 -ENODEV, "did you mean igbvf?"));
	/* no modalias yet (driverless VF): the PF's ids tell */
	assert_null(plan("ens1f0/vf1", SRIOV_BIND_DRIVER, "ixgbevf", 0,
			 -ENODEV, "does not drive this VF"));
	/* a loaded driver is checked against its module's aliases */
	sriov_bind_plan_free(plan("ens1f0/vf1", SRIOV_BIND_DRIVER, "igbvf", 0,
				  0, NULL));
	/* nothing to bind: nothing to check */
	sriov_bind_plan_free(plan("ens1f0/vf2", SRIOV_BIND_DRIVER, "vfio-pci",
				  0, 0, NULL));
}

/* The VFs set-vfs calls in use are refused here too, --force overrides. */
static void test_plan_in_use(void **state)
{
	struct sriov_bind_plan *p;

	put("sys/class/net/ens1f0v0/flags", "0x1003\n");
	assert_null(plan("ens1f0/vf0", SRIOV_BIND_DRIVER, "vfio-pci", 0,
			 -EBUSY, "1 VF in use: 0000:02:10.0 (vf0): netdev ens1f0v0 is up; "));
	assert_null(plan("ens1f0/vf0-1", SRIOV_BIND_UNBIND, NULL, 0, -EBUSY,
			 "or use --force"));
	assert_null(plan("ens1f0/vf0", SRIOV_BIND_DRIVER, "pci-stub", 0,
			 -EBUSY, "netdev ens1f0v0 is up"));
	p = plan("ens1f0/vf0", SRIOV_BIND_UNBIND, NULL, SRIOV_BIND_FORCE, 0,
		 NULL);
	assert_true(p->v[0].unbind);
	sriov_bind_plan_free(p);
	/* a VF that is not unbound is not taken from anyone */
	sriov_bind_plan_free(plan("ens1f0/vf1", SRIOV_BIND_UNBIND, NULL, 0, 0,
				  NULL));
	put("sys/class/net/ens1f0v0/flags", "0x1002\n");
	/* a net driver and no netdev here: in another namespace */
	put("sys/class/net/ens1f0v5/flags", "0x1003\n");
	assert_null(plan("ens1f0/vf5", SRIOV_BIND_UNBIND, NULL, 0, -EBUSY,
			 "netdev ens1f0v5 is up"));
	put("sys/class/net/ens1f0v5/flags", "0x1002\n");
}

static void test_plan_no_iommu(void **state)
{
	host.iommu_enabled = false;
	assert_null(plan("ens1f0/vf1", SRIOV_BIND_DRIVER, "vfio-pci", 0,
			 -ENODEV, "intel_iommu=on"));
	host.iommu_enabled = true;
}

/*
 * In a tree nothing rebinds: unbind succeeds for a driverless VF and fails
 * verification for a bound one, which must roll back both.
 */
static void test_apply_rollback(void **state)
{
	struct sriov_bind_plan *p;
	char err[2048] = "";

	p = plan("ens1f0/vf1,0", SRIOV_BIND_UNBIND, NULL, 0, 0, NULL);
	assert_int_equal(sriov_bind_apply(ctx, p, err, sizeof(err)), -ENXIO);
	assert_non_null(strstr(err, "0000:02:10.0: still bound to igbvf after the unbind"));
	assert_non_null(strstr(err, "2 devices put back as before"));
	assert_int_equal(p->failed, 1);
	assert_true(p->v[0].rolled_back && p->v[1].rolled_back);
	assert_false(p->v[0].changed || p->v[1].changed);
	/* "none" was written to both, then cleared again */
	assert_string_equal(get("sys/bus/pci/devices/0000:02:10.2/driver_override"), "\n");
	assert_string_equal(get("sys/bus/pci/devices/0000:02:10.0/driver_override"), "\n");
	assert_string_equal(get("sys/bus/pci/drivers/igbvf/unbind"), "0000:02:10.0");
	sriov_bind_plan_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_viability_rule),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_plan_group_refusals),
		cmocka_unit_test(test_plan_group),
		cmocka_unit_test(test_plan_modes),
		cmocka_unit_test(test_plan_driver_checks),
		cmocka_unit_test(test_plan_in_use),
		cmocka_unit_test(test_plan_no_iommu),
		cmocka_unit_test(test_apply_rollback),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
