/* SPDX-License-Identifier: MIT */
/* The rooted filesystem layer: confinement, reads, links, listings. */
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
#include <unistd.h>

#include <cmocka.h>

#include "io/root.h"

static char tmp[] = "/tmp/sriov-rootfs-XXXXXX";

static void put(const char *rel, const char *content)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static void dir(const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	assert_int_equal(mkdir(p, 0755), 0);
}

static void lnk(const char *target, const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	assert_int_equal(symlink(target, p), 0);
}

static int setup(void **state)
{
	if (!mkdtemp(tmp))
		return -1;
	dir("sys");
	dir("sys/devices");
	dir("sys/devices/dev0");
	put("sys/devices/dev0/numvfs", "4\n");
	put("sys/devices/dev0/empty", "");
	dir("sys/bus");
	lnk("../devices/dev0", "sys/bus/dev0");
	/* links that try to leave the root */
	lnk("../../../../../../../../etc", "sys/escape");
	lnk("/etc", "sys/absolute");
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_read(void **state)
{
	struct rootfs *rfs;
	char buf[64];

	assert_int_equal(rootfs_new(tmp, &rfs), 0);
	assert_int_equal(rootfs_read(rfs, ROOTFS_TOP, "/sys/bus/dev0/numvfs",
				     buf, sizeof(buf)), 2);
	assert_memory_equal(buf, "4\n", 2);
	assert_int_equal(rootfs_read(rfs, ROOTFS_TOP, "sys/devices/dev0/empty",
				     buf, sizeof(buf)), 0);
	assert_int_equal(rootfs_read(rfs, ROOTFS_TOP, "sys/nope", buf,
				     sizeof(buf)), -ENOENT);
	/* an attribute larger than expected is an error, not a silent cut */
	assert_int_equal(rootfs_read(rfs, ROOTFS_TOP, "sys/devices/dev0/numvfs",
				     buf, 2), -EFBIG);
	assert_int_equal(rootfs_read_prefix(rfs, ROOTFS_TOP,
					    "sys/devices/dev0/numvfs", buf, 1),
			 1);
	rootfs_free(rfs);
}

static void test_confined(void **state)
{
	struct rootfs *rfs;
	char buf[64];
	ssize_t n;

	assert_int_equal(rootfs_new(tmp, &rfs), 0);
	/* With openat2, ".." and absolute links stay inside the root. */
	n = rootfs_read(rfs, ROOTFS_TOP, "sys/escape/hostname", buf,
			sizeof(buf));
	assert_true(n < 0);
	n = rootfs_read(rfs, ROOTFS_TOP, "sys/absolute/hostname", buf,
			sizeof(buf));
	assert_true(n < 0);
	rootfs_free(rfs);
}

static void test_links_and_lists(void **state)
{
	struct sriov_strv sv = { 0 };
	struct rootfs *rfs;
	char buf[128];
	int fd;

	assert_int_equal(rootfs_new(tmp, &rfs), 0);
	assert_int_equal(rootfs_readlink(rfs, ROOTFS_TOP, "sys/bus/dev0", buf,
					 sizeof(buf)), 15);
	assert_string_equal(buf, "../devices/dev0");
	assert_int_equal(rootfs_readlink(rfs, ROOTFS_TOP, "sys/bus/dev0", buf,
					 8), -ERANGE);
	assert_int_equal(rootfs_readlink(rfs, ROOTFS_TOP,
					 "sys/devices/dev0/numvfs", buf,
					 sizeof(buf)), -EINVAL);
	assert_int_equal(rootfs_list(rfs, ROOTFS_TOP, "sys/bus/dev0", &sv), 0);
	assert_int_equal(sv.n, 2);
	assert_string_equal(sv.v[0], "empty"); /* sorted */
	assert_string_equal(sv.v[1], "numvfs");
	sriov_strv_free(&sv);
	assert_int_equal(rootfs_list(rfs, ROOTFS_TOP, "sys/none", &sv),
			 -ENOENT);
	fd = rootfs_open_dir(rfs, ROOTFS_TOP, "sys/bus/dev0");
	assert_true(fd >= 0);
	assert_int_equal(rootfs_read(rfs, fd, "numvfs", buf, sizeof(buf)), 2);
	assert_true(rootfs_exists(rfs, fd, "numvfs"));
	assert_false(rootfs_exists(rfs, fd, "physfn"));
	close(fd);
	rootfs_free(rfs);
	assert_int_equal(rootfs_new("/nonexistent-root", &rfs), -ENOENT);
}

static void join(const char *base, const char *rel, int want_r,
		 const char *want)
{
	char out[256];

	assert_int_equal(rootfs_join(base, rel, out, sizeof(out)), want_r);
	if (want_r == 0)
		assert_string_equal(out, want);
}

static void test_join(void **state)
{
	join("sys/bus/pci/devices",
	     "../../../devices/pci0000:00/0000:00:02.0/0000:3b:00.0", 0,
	     "sys/devices/pci0000:00/0000:00:02.0/0000:3b:00.0");
	join("sys/devices/pci0000:00/0000:00:02.0/0000:3b:00.0",
	     "../0000:3b:01.0", 0, "sys/devices/pci0000:00/0000:00:02.0/0000:3b:01.0");
	join("sys/a/", "./b//c/", 0, "sys/a/b/c");
	join("sys", "../../x", -EINVAL, NULL);
	join("sys/a", "/abs/path", 0, "abs/path");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_confined),
		cmocka_unit_test(test_links_and_lists),
		cmocka_unit_test(test_join),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
