/* SPDX-License-Identifier: MIT */
/*
 * The VF count operation: the plan (through 0, autoprobe first, checks),
 * the kernel error explanations, the holder scan on a tree with a fake
 * /proc, the bounded write (a write held in the child like one to a held
 * sriov_numvfs) and rollback when a later step fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "host/holders.h"
#include "ops/numvfs.h"
#include "sriov.h"
#include "testlib.h"

static char tmp[PATH_MAX];

static void put(const char *rel, const char *content)
{
	tl_put(tmp, rel, content);
}

static void mkdirs(const char *rel)
{
	tl_mkdir(tmp, rel);
}

static void link_(const char *target, const char *rel)
{
	tl_link(tmp, rel, target);
}

static char *get(const char *rel)
{
	static char buf[64];
	char p[PATH_MAX * 2];
	FILE *f;
	size_t n;

	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	f = fopen(p, "r");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static int setup(void **state)
{
	tl_mkdtemp(tmp, sizeof(tmp), "sriov-numvfs");
	return 0;
}

static int teardown(void **state)
{
	tl_rm_rf(tmp);
	return 0;
}

#define STEP(a, f, t) ((struct sriov_numvfs_step){ a, f, t })
#define N SRIOV_NUMVFS_WRITE
#define A SRIOV_AUTOPROBE_WRITE

static void steps_are(unsigned old, unsigned new, int old_ap, int new_ap,
		      size_t n, const struct sriov_numvfs_step *want)
{
	struct sriov_numvfs_plan p = { 0 };

	numvfs_steps(&p, old, new, old_ap, new_ap);
	assert_int_equal(p.n_steps, n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(p.steps[i].attr, want[i].attr);
		assert_int_equal(p.steps[i].from, want[i].from);
		assert_int_equal(p.steps[i].to, want[i].to);
	}
}

static void test_steps(void **state)
{
	steps_are(0, 2, 1, -1, 1, (struct sriov_numvfs_step[]){ STEP(N, 0, 2) });
	/* the kernel answers EBUSY to a different non-zero count */
	steps_are(2, 4, 1, -1, 2,
		  (struct sriov_numvfs_step[]){ STEP(N, 2, 0), STEP(N, 0, 4) });
	steps_are(4, 2, 1, -1, 2,
		  (struct sriov_numvfs_step[]){ STEP(N, 4, 0), STEP(N, 0, 2) });
	steps_are(2, 0, 1, -1, 1, (struct sriov_numvfs_step[]){ STEP(N, 2, 0) });
	steps_are(2, 2, 1, -1, 0, NULL);
	steps_are(2, 2, 1, 1, 0, NULL);
	/* autoprobe only when it differs, and before VFs are created */
	steps_are(0, 2, 1, 0, 2,
		  (struct sriov_numvfs_step[]){ STEP(A, 1, 0), STEP(N, 0, 2) });
	steps_are(2, 4, 0, 1, 3,
		  (struct sriov_numvfs_step[]){ STEP(N, 2, 0), STEP(A, 0, 1),
						STEP(N, 0, 4) });
	steps_are(2, 0, 1, 0, 2,
		  (struct sriov_numvfs_step[]){ STEP(N, 2, 0), STEP(A, 1, 0) });
	steps_are(3, 3, 0, 1, 1, (struct sriov_numvfs_step[]){ STEP(A, 0, 1) });
}

static struct sriov_ctx *ctx_(void)
{
	struct sriov_ctx *ctx;

	assert_int_equal(sriov_ctx_new(tmp, &ctx), 0);
	return ctx;
}

static void test_plan_checks(void **state)
{
	struct sriov_pf pf = { .address = "0000:3b:00.0", .bus = "pci",
			       .sysfs_path = "/sys/devices/pf", .driver = "ice",
			       .total_vfs = 8, .num_vfs = 0,
			       .drivers_autoprobe = true };
	struct sriov_numvfs_req req = { .num_vfs = 9, .autoprobe = -1 };
	struct sriov_numvfs_plan plan;
	struct sriov_ctx *ctx = ctx_();
	char err[1024];

	assert_int_equal(sriov_numvfs_plan(ctx, &pf, &req, &plan, err, sizeof(err)), -ERANGE);
	assert_non_null(strstr(err, "0000:3b:00.0: 9 VFs asked, but the PF offers at most 8"));
	assert_non_null(strstr(err, "nothing was changed"));
	sriov_numvfs_plan_clear(&plan);

	pf.total_vfs = 0;
	req.num_vfs = 1;
	assert_int_equal(sriov_numvfs_plan(ctx, &pf, &req, &plan, err, sizeof(err)), -ERANGE);
	assert_non_null(strstr(err, "sriov_totalvfs is 0"));
	sriov_numvfs_plan_clear(&plan);

	pf.total_vfs = 8;
	pf.driver = NULL;
	assert_int_equal(sriov_numvfs_plan(ctx, &pf, &req, &plan, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "0000:3b:00.0 has no driver"));
	assert_non_null(strstr(err, "ENOENT"));
	sriov_numvfs_plan_clear(&plan);

	pf.driver = "ice";
	req.num_vfs = 8;
	assert_int_equal(sriov_numvfs_plan(ctx, &pf, &req, &plan, err, sizeof(err)), 0);
	assert_int_equal(plan.n_steps, 1);
	assert_true(plan.pci);
	assert_string_equal(plan.pf_dir, "/sys/devices/pf");
	sriov_numvfs_plan_clear(&plan);

	/* the same count and autoprobe: nothing to write */
	pf.num_vfs = 8;
	req.autoprobe = 1;
	assert_int_equal(sriov_numvfs_plan(ctx, &pf, &req, &plan, err, sizeof(err)), 0);
	assert_int_equal(plan.n_steps, 0);
	sriov_numvfs_plan_clear(&plan);
	/* autoprobe alone needs no driver: it is the PCI core's */
	pf.driver = NULL;
	req.autoprobe = 0;
	assert_int_equal(sriov_numvfs_plan(ctx, &pf, &req, &plan, err, sizeof(err)), 0);
	assert_int_equal(plan.n_steps, 1);
	assert_int_equal(plan.steps[0].attr, SRIOV_AUTOPROBE_WRITE);
	sriov_numvfs_plan_clear(&plan);

	/* netdevsim without debugfs: max_vfs unknown, the kernel decides */
	pf = (struct sriov_pf){ .address = "netdevsim1", .bus = "netdevsim",
				.sysfs_path = "/sys/devices/netdevsim1" };
	req = (struct sriov_numvfs_req){ .num_vfs = 5, .autoprobe = -1 };
	assert_int_equal(sriov_numvfs_plan(ctx, &pf, &req, &plan, err, sizeof(err)), 0);
	assert_false(plan.pci);
	assert_int_equal(plan.n_steps, 1);
	sriov_numvfs_plan_clear(&plan);
	pf.total_vfs = 4;
	assert_int_equal(sriov_numvfs_plan(ctx, &pf, &req, &plan, err, sizeof(err)), -ERANGE);
	sriov_numvfs_plan_clear(&plan);
	sriov_ctx_free(ctx);
}

static void explains(bool pci, int e, const char *needle)
{
	struct sriov_numvfs_plan p = { .pf_address = "0000:3b:00.0", .pci = pci };
	char buf[512];

	sriov_numvfs_explain(&p, e, 5, buf, sizeof(buf));
	if (!strstr(buf, needle))
		fail_msg("errno %d: \"%s\" lacks \"%s\"", -e, buf, needle);
	assert_non_null(strstr(buf, "0000:3b:00.0"));
}

static void test_explain(void **state)
{
	explains(true, -ERANGE, "(ERANGE)");
	explains(true, -ENOMEM, "pci=realloc");
	explains(true, -ENOMEM, "BIOS");
	explains(true, -ENOMEM, "MMIO");
	explains(false, -ENOMEM, "max_vfs");
	explains(true, -ENOENT, "no driver");
	explains(true, -EBUSY, "already enabled");
	explains(true, -EINVAL, "(EINVAL)");
	explains(true, -EPERM, "run as root");
	explains(true, -EACCES, "run as root");
	explains(true, -EIO, "Input/output error");
}

/* A PF with two VFs: vf0 on vfio-pci (group 7), vf1 on iavf. */
static void make_host(void)
{
	mkdirs("sys/devices/pf");
	mkdirs("sys/bus/pci/devices/0000:3b:01.0");
	mkdirs("sys/bus/pci/devices/0000:3b:01.1");
	put("sys/bus/pci/devices/0000:3b:01.0/class", "0x020000\n");
	put("sys/bus/pci/devices/0000:3b:01.1/class", "0x020000\n");
	mkdirs("sys/class/net/ens1f0v1");
	put("sys/class/net/ens1f0v1/flags", "0x1003\n");
	link_("../bond0", "sys/class/net/ens1f0v1/master");
	mkdirs("proc/123/fd");
	put("proc/123/comm", "qemu-system-x86\n");
	link_("/dev/vfio/vfio", "proc/123/fd/3");
	link_("/dev/vfio/7", "proc/123/fd/4");
	link_("/dev/vfio/7", "proc/123/fd/5");
	mkdirs("proc/456/fd");
	put("proc/456/comm", "bash\n");
	link_("/dev/pts/0", "proc/456/fd/0");
	mkdirs("proc/self");
	/* vf1's vfio cdev (iommufd), open by another process */
	mkdirs("sys/bus/pci/devices/0000:3b:01.1/vfio-dev/vfio3");
	mkdirs("proc/555/fd");
	put("proc/555/comm", "cloud-hyperviso\n");
	link_("/dev/vfio/devices/vfio3", "proc/555/fd/12");
}

static char *vf1_nd[] = { "ens1f0v1" };

static void test_holders(void **state)
{
	struct sriov_vf vfs[] = {
		{ .index = 0, .address = "0000:3b:01.0", .driver = "vfio-pci",
		  .iommu_group = 7 },
		{ .index = 1, .address = "0000:3b:01.1", .driver = "iavf",
		  .iommu_group = 8, .netdev = "ens1f0v1",
		  .netdevs = { vf1_nd, 1 } },
	};
	struct sriov_pf pf = { .address = "0000:3b:00.0", .bus = "pci",
			       .sysfs_path = "/sys/devices/pf", .driver = "ice",
			       .total_vfs = 8, .num_vfs = 2, .vfs = vfs,
			       .n_vfs = 2, .drivers_autoprobe = true };
	struct sriov_numvfs_req req = { .num_vfs = 1, .autoprobe = -1 };
	struct sriov_numvfs_plan plan;
	struct sriov_holders h;
	struct sriov_ctx *ctx;
	char err[1024], d[256];

	make_host();
	ctx = ctx_();
	assert_int_equal(sriov_vf_holders(ctx, &pf, 0, &h), 0);
	assert_int_equal(h.n, 4);
	/* by VF, then by kind: vfio, up, enslaved */
	assert_int_equal(h.v[0].kind, SRIOV_HOLDER_VFIO);
	assert_int_equal(h.v[0].pid, 123); /* once, though two fds */
	sriov_holder_describe(&h.v[0], d, sizeof(d));
	assert_string_equal(d, "0000:3b:01.0 (vf0): /dev/vfio/7 open by pid 123 (qemu-system-x86)");
	sriov_holder_describe(&h.v[1], d, sizeof(d));
	assert_string_equal(d, "0000:3b:01.1 (vf1): /dev/vfio/devices/vfio3 open by pid 555 (cloud-hyperviso)");
	assert_int_equal(h.v[2].kind, SRIOV_HOLDER_NETDEV_UP);
	assert_int_equal(h.v[2].vf_index, 1);
	assert_int_equal(h.v[3].kind, SRIOV_HOLDER_ENSLAVED);
	sriov_holder_describe(&h.v[3], d, sizeof(d));
	assert_string_equal(d, "0000:3b:01.1 (vf1): netdev ens1f0v1 master bond0 (enslaved)");
	sriov_holders_clear(&h);

	/* only VFs from index 1 up */
	assert_int_equal(sriov_vf_holders(ctx, &pf, 1, &h), 0);
	assert_int_equal(h.n, 3);
	sriov_holders_clear(&h);

	/* a lower count goes through 0: every VF counts, refused */
	assert_int_equal(sriov_numvfs_plan(ctx, &pf, &req, &plan, err, sizeof(err)), -EBUSY);
	assert_int_equal(plan.holders.n, 4);
	assert_non_null(strstr(err, "2 VFs are in use"));
	assert_non_null(strstr(err, "--force"));
	sriov_numvfs_plan_clear(&plan);
	req.force = true;
	assert_int_equal(sriov_numvfs_plan(ctx, &pf, &req, &plan, err, sizeof(err)), 0);
	assert_int_equal(plan.holders.n, 4);
	assert_int_equal(plan.n_steps, 2);
	sriov_numvfs_plan_clear(&plan);
	/* more VFs: none removed... but through 0 all are */
	req = (struct sriov_numvfs_req){ .num_vfs = 4, .autoprobe = -1 };
	assert_int_equal(sriov_numvfs_plan(ctx, &pf, &req, &plan, err, sizeof(err)), -EBUSY);
	sriov_numvfs_plan_clear(&plan);

	/* a net VF without a netdev here: moved to another namespace */
	vfs[1].netdevs.n = 0;
	vfs[1].netdev = NULL;
	vfs[0].iommu_group = -1;
	assert_int_equal(sriov_vf_holders(ctx, &pf, 0, &h), 0);
	assert_int_equal(h.n, 2);
	assert_int_equal(h.v[0].kind, SRIOV_HOLDER_VFIO);
	assert_int_equal(h.v[1].kind, SRIOV_HOLDER_NETNS);
	sriov_holder_describe(&h.v[1], d, sizeof(d));
	assert_string_equal(d, "0000:3b:01.1 (vf1): bound to iavf but its netdev is not in this network namespace");
	sriov_holders_clear(&h);
	sriov_ctx_free(ctx);
}

static void test_net_driver(void **state)
{
	assert_true(holders_net_driver(0x020000, "iavf"));
	assert_true(holders_net_driver(0x020000, "igbvf"));
	assert_false(holders_net_driver(0x020000, NULL));
	assert_false(holders_net_driver(0x020000, "vfio-pci"));
	assert_false(holders_net_driver(0x020000, "mlx5_vfio_pci"));
	assert_false(holders_net_driver(0x020000, "pci-stub"));
	assert_false(holders_net_driver(0x010802, "nvme"));
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * The sysfs write that blocks in the kernel, played by write(2) itself
 * (linked with --wrap=write): a write to the file @held (dev, inode)
 * waits until @release's write end is closed, as the kernel finishes a
 * sriov_numvfs write once its holders let go.
 */
ssize_t __real_write(int fd, const void *buf, size_t len);
ssize_t __wrap_write(int fd, const void *buf, size_t len);
static struct stat held;
static int release[2] = { -1, -1 };

ssize_t __wrap_write(int fd, const void *buf, size_t len)
{
	struct stat st;
	char c;

	/* only the child writes it: its copy of the write end goes first */
	if (held.st_ino && fstat(fd, &st) == 0 && st.st_ino == held.st_ino &&
	    st.st_dev == held.st_dev) {
		close(release[1]);
		while (read(release[0], &c, 1) < 0 && errno == EINTR)
			;
	}
	return __real_write(fd, buf, len);
}

static void test_bounded_write(void **state)
{
	struct rootfs *rfs;
	struct timespec t0;
	char p[PATH_MAX * 2];

	mkdirs("bw");
	put("bw/file", "");
	assert_int_equal(rootfs_new(tmp, &rfs), 0);
	assert_int_equal(numvfs_bounded_write(rfs, "bw/file", "4\n", 2000), 0);
	assert_string_equal(get("bw/file"), "4\n");
	assert_int_equal(numvfs_bounded_write(rfs, "bw/missing/x", "4\n", 2000), -ENOENT);

	/* a write that blocks is given up on */
	put("bw/held", "");
	snprintf(p, sizeof(p), "%s/bw/held", tmp);
	assert_int_equal(pipe(release), 0);
	assert_int_equal(stat(p, &held), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(numvfs_bounded_write(rfs, "bw/held", "0\n", 300), -ETIMEDOUT);
	assert_in_range(ms_since(&t0), 300, 2000);
	held.st_ino = 0;
	/* let the child finish, as the kernel does once holders let go */
	close(release[1]);
	while (waitpid(-1, NULL, 0) > 0)
		;
	close(release[0]);
	assert_string_equal(get("bw/held"), "0\n");

	/* a FIFO is refused at once, not waited on */
	snprintf(p, sizeof(p), "%s/bw/fifo", tmp);
	assert_int_equal(mkfifo(p, 0600), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_true(numvfs_bounded_write(rfs, "bw/fifo", "0\n", 2000) < 0);
	assert_in_range(ms_since(&t0), 0, 1000);
	rootfs_free(rfs);
}

static void test_apply_rollback(void **state)
{
	struct sriov_numvfs_plan plan = { .pf_address = "0000:3b:00.0",
					  .pf_dir = "/sys/devices/pf2",
					  .pci = true };
	struct sriov_numvfs_result res;
	struct sriov_ctx *ctx = ctx_();
	char err[2048];

	mkdirs("sys/devices/pf2");
	put("sys/devices/pf2/sriov_numvfs", "2\n");
	/* 2 -> 4 with autoprobe off: the autoprobe file is missing, so the
	 * second step fails after 0 was written */
	numvfs_steps(&plan, 2, 4, 1, 0);
	assert_int_equal(sriov_numvfs_apply(ctx, &plan, 2000, &res, err, sizeof(err)), -ENOENT);
	assert_int_equal(res.steps_done, 1);
	assert_int_equal(res.failed_err, -ENOENT);
	assert_true(res.rolled_back);
	assert_false(res.timed_out);
	assert_string_equal(get("sys/devices/pf2/sriov_numvfs"), "2\n");
	assert_int_equal(res.final_vfs, 2);
	assert_non_null(strstr(err, "sriov_drivers_autoprobe failed"));
	assert_non_null(strstr(err, "rolled back: 2 VFs"));
	sriov_numvfs_result_clear(&res);

	/* the same without the failure: 0 then 4 written, waits for virtfns */
	put("sys/devices/pf2/sriov_drivers_autoprobe", "1\n");
	assert_int_equal(sriov_numvfs_apply(ctx, &plan, 300, &res, err, sizeof(err)), 0);
	assert_int_equal(res.steps_done, 3);
	assert_string_equal(get("sys/devices/pf2/sriov_numvfs"), "4\n");
	assert_string_equal(get("sys/devices/pf2/sriov_drivers_autoprobe"), "0\n");
	assert_int_equal(res.final_vfs, 4);
	assert_int_equal(res.n_vfs, 4);
	/* a file is not the kernel: no virtfn links ever appear */
	assert_false(res.vfs_settled);
	assert_int_equal(res.carrier, -1);
	sriov_numvfs_result_clear(&res);
	sriov_ctx_free(ctx);
}

/*
 * What the kernel brings up after a write is read back through each VF's
 * device (host/pcidev): its address from the PF's virtfnN, driver, first
 * netdev and class; settled once every network VF has its netdev.
 */
static void test_apply_reads_vfs(void **state)
{
	struct sriov_numvfs_plan plan = { .pf_address = "0000:5e:00.0",
					  .pf_dir = "/sys/devices/pci0000:5d/0000:5e:00.0",
					  .pci = true };
	struct sriov_numvfs_result res;
	struct sriov_ctx *ctx = ctx_();
	char err[2048];

	(void)state;
	mkdirs("sys/bus/pci/devices");
	link_("../../../devices/pci0000:5d/0000:5e:00.0",
	      "sys/bus/pci/devices/0000:5e:00.0");
	put("sys/devices/pci0000:5d/0000:5e:00.0/sriov_numvfs", "2\n");
	put("sys/devices/pci0000:5d/0000:5e:00.0/sriov_drivers_autoprobe", "1\n");
	for (int i = 0; i < 2; i++) {
		char vf[64], rel[160], tgt[64];

		snprintf(vf, sizeof(vf), "sys/devices/pci0000:5d/0000:5e:01.%d", i);
		snprintf(rel, sizeof(rel), "%s/class", vf);
		put(rel, "0x020000\n");
		snprintf(rel, sizeof(rel), "%s/driver", vf);
		link_("../../../bus/pci/drivers/iavf", rel);
		snprintf(rel, sizeof(rel), "sys/devices/pci0000:5d/0000:5e:00.0/virtfn%d", i);
		snprintf(tgt, sizeof(tgt), "../0000:5e:01.%d", i);
		link_(tgt, rel);
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/0000:5e:01.%d", i);
		snprintf(tgt, sizeof(tgt), "../../../devices/pci0000:5d/0000:5e:01.%d", i);
		link_(tgt, rel);
	}
	mkdirs("sys/bus/pci/drivers/iavf");
	mkdirs("sys/devices/pci0000:5d/0000:5e:01.0/net/ens5f0v0");

	/* vf1 is on a network driver but has no netdev yet: not settled */
	numvfs_steps(&plan, 2, 2, 1, 0);
	assert_int_equal(sriov_numvfs_apply(ctx, &plan, 200, &res, err, sizeof(err)), 0);
	assert_int_equal(res.n_vfs, 2);
	assert_string_equal(res.vfs[0].address, "0000:5e:01.0");
	assert_string_equal(res.vfs[0].driver, "iavf");
	assert_string_equal(res.vfs[0].netdev, "ens5f0v0");
	assert_string_equal(res.vfs[1].address, "0000:5e:01.1");
	assert_string_equal(res.vfs[1].driver, "iavf");
	assert_null(res.vfs[1].netdev);
	assert_false(res.vfs_settled);
	sriov_numvfs_result_clear(&res);

	mkdirs("sys/devices/pci0000:5d/0000:5e:01.1/net/ens5f0v1");
	assert_int_equal(sriov_numvfs_apply(ctx, &plan, 200, &res, err, sizeof(err)), 0);
	assert_string_equal(res.vfs[1].netdev, "ens5f0v1");
	assert_true(res.vfs_settled);
	sriov_numvfs_result_clear(&res);
	sriov_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steps),
		cmocka_unit_test(test_plan_checks),
		cmocka_unit_test(test_explain),
		cmocka_unit_test(test_holders),
		cmocka_unit_test(test_net_driver),
		cmocka_unit_test(test_bounded_write),
		cmocka_unit_test(test_apply_rollback),
		cmocka_unit_test(test_apply_reads_vfs),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
