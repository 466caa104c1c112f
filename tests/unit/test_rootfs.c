/* SPDX-License-Identifier: MIT */
/*
 * The rooted filesystem layer: confinement, reads, links, listings, the
 * files it refuses. Every test runs twice: with openat2 (where the kernel
 * has it) and with the component walk of kernels and sandboxes without it.
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
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/openat2.h>

#include <cmocka.h>

#include "io/root.h"
#include "testlib.h"

static char tmp[PATH_MAX];
/* a directory beside the root, that no link may reach */
static char outside[PATH_MAX];

static const unsigned kernel = 0, walk = ROOTFS_WALK;

static struct rootfs *new_rfs(void **state)
{
	struct rootfs *rfs;

	assert_int_equal(rootfs_new_opts(tmp, **(const unsigned **)state,
					 &rfs), 0);
	return rfs;
}

static void put(const char *rel, const char *content)
{
	tl_put(tmp, rel, content);
}

static void dir(const char *rel)
{
	char p[PATH_MAX * 2];

	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	assert_int_equal(mkdir(p, 0755), 0);
}

static void lnk(const char *target, const char *rel)
{
	tl_link(tmp, rel, target);
}

static void fifo(const char *rel)
{
	char p[PATH_MAX * 2];

	snprintf(p, sizeof(p), "%s/%s", tmp, rel);
	assert_int_equal(mkfifo(p, 0600), 0);
}

static char *get(const char *path)
{
	static char buf[64];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static int setup(void **state)
{
	char p[PATH_MAX * 2];
	FILE *f;

	tl_mkdtemp(tmp, sizeof(tmp), "sriov-rootfs");
	tl_mkdtemp(outside, sizeof(outside), "sriov-outside");
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
	/* what those find inside the root */
	dir("etc");
	put("etc/hostname", "inside\n");
	lnk("hostname", "etc/hostlink");
	/* the directory outside, by an absolute and a relative link */
	snprintf(p, sizeof(p), "%s/secret", outside);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("outside\n", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/link", outside);
	assert_int_equal(symlink("secret", p), 0);
	lnk(outside, "sys/out_dir");
	snprintf(p, sizeof(p), "%s/secret", outside);
	lnk(p, "sys/devices/dev0/out_abs");
	snprintf(p, sizeof(p), "../../../../../../..%s/secret", outside);
	lnk(p, "sys/devices/dev0/out_rel");
	/* links that loop, dangle, or chain */
	lnk("loop_b", "sys/loop_a");
	lnk("loop_a", "sys/loop_b");
	lnk("self", "sys/self");
	lnk("nowhere", "sys/dangling");
	for (int i = 1; i <= 41; i++) {
		char name[32], target[32];

		snprintf(name, sizeof(name), "sys/chain%d", i);
		if (i == 41)
			snprintf(target, sizeof(target), "devices/dev0/numvfs");
		else
			snprintf(target, sizeof(target), "chain%d", i + 1);
		lnk(target, name);
	}
	/* below dev0: links that stay beneath it and ones that leave it */
	dir("sys/devices/dev0/sub");
	put("sys/devices/dev0/sub/attr", "sub\n");
	lnk("sub/attr", "sys/devices/dev0/down");
	lnk("../dev0/numvfs", "sys/devices/dev0/up");
	lnk("/sys/devices/dev0/numvfs", "sys/devices/dev0/abs");
	fifo("sys/devices/dev0/fifo");
	lnk("fifo", "sys/devices/dev0/to_fifo");
	return 0;
}

static int teardown(void **state)
{
	tl_rm_rf(tmp);
	tl_rm_rf(outside);
	return 0;
}

static void test_read(void **state)
{
	struct rootfs *rfs = new_rfs(state);
	char buf[64];

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
	/* "." and ".." in the path, a trailing "/" only on a directory */
	assert_int_equal(rootfs_read(rfs, ROOTFS_TOP,
				     "sys/./bus/../devices//dev0/numvfs", buf,
				     sizeof(buf)), 2);
	assert_int_equal(rootfs_read(rfs, ROOTFS_TOP,
				     "sys/devices/dev0/numvfs/", buf,
				     sizeof(buf)), -ENOTDIR);
	assert_int_equal(rootfs_read(rfs, ROOTFS_TOP,
				     "sys/devices/dev0/numvfs/x", buf,
				     sizeof(buf)), -ENOTDIR);
	rootfs_free(rfs);
}

/* @path from the top reads the root's etc/hostname, not the host's */
static void reads_inside(struct rootfs *rfs, const char *path)
{
	char buf[64];

	assert_int_equal(rootfs_read(rfs, ROOTFS_TOP, path, buf, sizeof(buf)),
			 7);
	assert_memory_equal(buf, "inside\n", 7);
}

static void test_confined(void **state)
{
	struct rootfs *rfs = new_rfs(state);
	char buf[64];
	int fd;

	/* ".." and absolute links stay inside the root */
	reads_inside(rfs, "sys/escape/hostname");
	reads_inside(rfs, "sys/absolute/hostname");
	reads_inside(rfs, "../../../etc/hostname");
	reads_inside(rfs, "sys/absolute/../../../etc/hostlink");
	/* the directory beside the root: never reached */
	assert_int_equal(rootfs_read(rfs, ROOTFS_TOP, "sys/devices/dev0/out_abs",
				     buf, sizeof(buf)), -ENOENT);
	assert_int_equal(rootfs_read(rfs, ROOTFS_TOP, "sys/devices/dev0/out_rel",
				     buf, sizeof(buf)), -ENOENT);
	assert_int_equal(rootfs_read(rfs, ROOTFS_TOP, "sys/out_dir/secret",
				     buf, sizeof(buf)), -ENOENT);
	assert_false(rootfs_exists(rfs, ROOTFS_TOP, "sys/out_dir"));
	assert_false(rootfs_exists(rfs, ROOTFS_TOP, "sys/devices/dev0/out_abs"));
	assert_int_equal(rootfs_readlink(rfs, ROOTFS_TOP, "sys/out_dir/link",
					 buf, sizeof(buf)), -ENOENT);
	assert_int_equal(rootfs_readlink(rfs, ROOTFS_TOP, "sys/absolute/hostlink",
					 buf, sizeof(buf)), 8);
	assert_string_equal(buf, "hostname");
	/* the root's own link to the outside reads as text, unfollowed */
	assert_true(rootfs_readlink(rfs, ROOTFS_TOP, "sys/out_dir", buf,
				    sizeof(buf)) > 0);
	assert_string_equal(buf, outside);

	/* below a directory fd nothing leads above it */
	fd = rootfs_open_dir(rfs, ROOTFS_TOP, "sys/devices/dev0");
	assert_true(fd >= 0);
	assert_int_equal(rootfs_read(rfs, fd, "down", buf, sizeof(buf)), 4);
	assert_memory_equal(buf, "sub\n", 4);
	assert_int_equal(rootfs_read(rfs, fd, "sub/../numvfs", buf,
				     sizeof(buf)), 2);
	assert_int_equal(rootfs_read(rfs, fd, "up", buf, sizeof(buf)), -EXDEV);
	assert_int_equal(rootfs_read(rfs, fd, "abs", buf, sizeof(buf)), -EXDEV);
	assert_int_equal(rootfs_read(rfs, fd, "../dev0/numvfs", buf,
				     sizeof(buf)), -EXDEV);
	assert_int_equal(rootfs_read(rfs, fd, "out_abs", buf, sizeof(buf)),
			 -EXDEV);
	assert_int_equal(rootfs_read(rfs, fd, "out_rel", buf, sizeof(buf)),
			 -EXDEV);
	assert_false(rootfs_exists(rfs, fd, "up"));
	close(fd);
	rootfs_free(rfs);
}

static void test_loops(void **state)
{
	struct rootfs *rfs = new_rfs(state);
	char buf[64];

	assert_int_equal(rootfs_read(rfs, ROOTFS_TOP, "sys/loop_a", buf,
				     sizeof(buf)), -ELOOP);
	assert_int_equal(rootfs_read(rfs, ROOTFS_TOP, "sys/self/x", buf,
				     sizeof(buf)), -ELOOP);
	assert_int_equal(rootfs_read(rfs, ROOTFS_TOP, "sys/dangling", buf,
				     sizeof(buf)), -ENOENT);
	assert_false(rootfs_exists(rfs, ROOTFS_TOP, "sys/dangling"));
	assert_int_equal(rootfs_readlink(rfs, ROOTFS_TOP, "sys/dangling", buf,
					 sizeof(buf)), 7);
	/* 40 links in one lookup, as the kernel's MAXSYMLINKS; not 41 */
	assert_int_equal(rootfs_read(rfs, ROOTFS_TOP, "sys/chain2", buf,
				     sizeof(buf)), 2);
	assert_int_equal(rootfs_read(rfs, ROOTFS_TOP, "sys/chain1", buf,
				     sizeof(buf)), -ELOOP);
	rootfs_free(rfs);
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 +
	       (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void test_not_regular(void **state)
{
	struct rootfs *rfs = new_rfs(state);
	struct timespec t0;
	char buf[64];
	int fd;

	/* a FIFO nobody writes is refused at once, not waited on */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(rootfs_read(rfs, ROOTFS_TOP, "sys/devices/dev0/fifo",
				     buf, sizeof(buf)), -EBADFD);
	assert_int_equal(rootfs_read_prefix(rfs, ROOTFS_TOP,
					    "sys/devices/dev0/to_fifo", buf,
					    sizeof(buf)), -EBADFD);
	assert_true(rootfs_write(rfs, ROOTFS_TOP, "sys/devices/dev0/fifo", "1",
				 1) < 0);
	assert_in_range(ms_since(&t0), 0, 1000);
	assert_string_equal(rootfs_strerror(-EBADFD), "not a regular file");
	assert_string_equal(rootfs_strerror(-EXDEV),
			    "leads out of the directory it is read from");
	assert_string_equal(rootfs_strerror(-ENOENT), strerror(ENOENT));
	assert_int_equal(rootfs_read(rfs, ROOTFS_TOP, "sys/devices", buf,
				     sizeof(buf)), -EISDIR);
	/* but a directory opens as one, and any file with O_PATH */
	fd = rootfs_open(rfs, ROOTFS_TOP, "sys/devices/dev0/fifo", O_PATH);
	assert_true(fd >= 0);
	close(fd);
	rootfs_free(rfs);
}

static void test_write(void **state)
{
	struct rootfs *rfs = new_rfs(state);
	char p[PATH_MAX * 2];
	struct stat st;

	assert_int_equal(rootfs_write(rfs, ROOTFS_TOP, "sys/bus/dev0/empty",
				      "1\n", 2), 0);
	snprintf(p, sizeof(p), "%s/sys/devices/dev0/empty", tmp);
	assert_string_equal(get(p), "1\n");
	assert_int_equal(rootfs_write(rfs, ROOTFS_TOP, "sys/devices/dev0/empty",
				      "", 0), 0);
	/* never through a link at the last component, inside or out */
	assert_int_equal(rootfs_write(rfs, ROOTFS_TOP, "sys/devices/dev0/down",
				      "x\n", 2), -ELOOP);
	snprintf(p, sizeof(p), "%s/sys/devices/dev0/sub/attr", tmp);
	assert_string_equal(get(p), "sub\n");
	assert_true(rootfs_write(rfs, ROOTFS_TOP, "sys/devices/dev0/out_abs",
				 "x\n", 2) < 0);
	assert_true(rootfs_write(rfs, ROOTFS_TOP, "sys/out_dir/secret",
				 "x\n", 2) < 0);
	snprintf(p, sizeof(p), "%s/secret", outside);
	assert_string_equal(get(p), "outside\n");
	/* nor a directory made outside */
	assert_int_equal(rootfs_mkdir(rfs, "sys/out_dir/new", 0755), -ENOENT);
	snprintf(p, sizeof(p), "%s/new", outside);
	assert_int_equal(stat(p, &st), -1);
	assert_int_equal(rootfs_mkdir(rfs, "sys/escape/new", 0755), 0);
	snprintf(p, sizeof(p), "%s/etc/new", tmp);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(rmdir(p), 0);
	assert_int_equal(rootfs_mkdir(rfs, "sys/out_dir", 0755), -EEXIST);
	rootfs_free(rfs);
}

static void test_create(void **state)
{
	struct rootfs *rfs = new_rfs(state);
	char p[PATH_MAX * 2], q[PATH_MAX * 2];
	struct stat st;
	int fd;

	dir("run");
	fd = rootfs_create(rfs, "run/own", O_RDWR, 0640);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 0007, 0); /* @mode, not 0666 */
	close(fd);
	/* an existing one of ours opens again */
	fd = rootfs_create(rfs, "run/own", O_RDWR, 0640);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(rootfs_create(rfs, "run/own", O_RDWR | O_TRUNC, 0640),
			 -EINVAL);
	/* a planted link is refused, whether to a file or nowhere */
	snprintf(p, sizeof(p), "%s/secret", outside);
	lnk(p, "run/to_out");
	lnk("own", "run/to_own");
	lnk("missing", "run/to_missing");
	assert_int_equal(rootfs_create(rfs, "run/to_out", O_RDWR, 0644), -ELOOP);
	assert_int_equal(rootfs_create(rfs, "run/to_own", O_RDWR, 0644), -ELOOP);
	assert_int_equal(rootfs_create(rfs, "run/to_missing", O_RDWR, 0644),
			 -ELOOP);
	snprintf(q, sizeof(q), "%s/run/missing", tmp);
	assert_int_equal(lstat(q, &st), -1);
	assert_string_equal(get(p), "outside\n");
	/* a FIFO, a directory, a second name for another file */
	fifo("run/fifo");
	assert_int_equal(rootfs_create(rfs, "run/fifo", O_RDWR, 0644), -EBADFD);
	dir("run/dir");
	assert_true(rootfs_create(rfs, "run/dir", O_RDWR, 0644) < 0);
	snprintf(q, sizeof(q), "%s/run/hard", tmp);
	snprintf(p, sizeof(p), "%s/etc/hostname", tmp);
	assert_int_equal(link(p, q), 0);
	assert_int_equal(rootfs_create(rfs, "run/hard", O_RDWR, 0644), -EMLINK);
	assert_string_equal(get(p), "inside\n");
	/* the directories on the way still resolve inside the root */
	fd = rootfs_create(rfs, "sys/absolute/../run/own", O_RDWR, 0644);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(rootfs_create(rfs, "sys/out_dir/new", O_RDWR, 0644),
			 -ENOENT);
	snprintf(q, sizeof(q), "%s/new", outside);
	assert_int_equal(lstat(q, &st), -1);
	snprintf(q, sizeof(q), "rm -rf '%s/run'", tmp);
	assert_int_equal(system(q), 0);
	rootfs_free(rfs);
}

static void test_links_and_lists(void **state)
{
	struct sriov_strv sv = { 0 };
	struct rootfs *rfs = new_rfs(state);
	char buf[128];
	int fd;

	assert_int_equal(rootfs_readlink(rfs, ROOTFS_TOP, "sys/bus/dev0", buf,
					 sizeof(buf)), 15);
	assert_string_equal(buf, "../devices/dev0");
	assert_int_equal(rootfs_readlink(rfs, ROOTFS_TOP, "sys/bus/dev0", buf,
					 8), -ERANGE);
	assert_int_equal(rootfs_readlink(rfs, ROOTFS_TOP,
					 "sys/devices/dev0/numvfs", buf,
					 sizeof(buf)), -EINVAL);
	assert_int_equal(rootfs_list(rfs, ROOTFS_TOP, "sys/bus/dev0/sub", &sv),
			 0);
	assert_int_equal(sv.n, 1);
	assert_string_equal(sv.v[0], "attr");
	sriov_strv_clear(&sv);
	assert_int_equal(rootfs_list(rfs, ROOTFS_TOP, "sys/absolute", &sv), 0);
	assert_int_equal(sv.n, 2);
	assert_string_equal(sv.v[0], "hostlink"); /* sorted */
	assert_string_equal(sv.v[1], "hostname");
	sriov_strv_clear(&sv);
	assert_int_equal(rootfs_list(rfs, ROOTFS_TOP, "sys/none", &sv),
			 -ENOENT);
	assert_int_equal(rootfs_list(rfs, ROOTFS_TOP, "sys/out_dir", &sv),
			 -ENOENT);
	fd = rootfs_open_dir(rfs, ROOTFS_TOP, "sys/bus/dev0");
	assert_true(fd >= 0);
	assert_int_equal(rootfs_read(rfs, fd, "numvfs", buf, sizeof(buf)), 2);
	assert_true(rootfs_exists(rfs, fd, "numvfs"));
	assert_false(rootfs_exists(rfs, fd, "physfn"));
	assert_int_equal(rootfs_list(rfs, fd, "sub", &sv), 0);
	assert_int_equal(sv.n, 1);
	sriov_strv_clear(&sv);
	assert_int_equal(rootfs_list(rfs, fd, "..", &sv), -EXDEV);
	close(fd);
	rootfs_free(rfs);
	assert_int_equal(rootfs_new("/nonexistent-root", &rfs), -ENOENT);
}

/* The kernel resolves wherever openat2 answers; the walk only when asked. */
static void test_resolver(void **state)
{
	struct open_how how = { .flags = O_PATH, .resolve = RESOLVE_IN_ROOT };
	int fd = (int)syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof(how));
	struct rootfs *rfs;

	if (fd >= 0)
		close(fd);
	assert_int_equal(rootfs_new(tmp, &rfs), 0);
	assert_int_equal(rootfs_uses_openat2(rfs), fd >= 0);
	rootfs_free(rfs);
	assert_int_equal(rootfs_new_opts(tmp, ROOTFS_WALK, &rfs), 0);
	assert_false(rootfs_uses_openat2(rfs));
	rootfs_free(rfs);
	assert_int_equal(rootfs_new_opts(tmp, 0x100, &rfs), -EINVAL);
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

/* A pipe: no size to trust, read until end of file, the cap exact. */
static void read_all(size_t n, size_t max, int want)
{
	char *buf = malloc(n + 1), *out = (char *)1;
	size_t len = 7;
	int p[2];

	assert_non_null(buf);
	memset(buf, 'x', n);
	assert_int_equal(pipe(p), 0);
	if (fork() == 0) {
		close(p[0]);
		_exit(write(p[1], buf, n) == (ssize_t)n ? 0 : 1);
	}
	close(p[1]);
	assert_int_equal(rootfs_read_all(p[0], max, &out, &len), want);
	close(p[0]);
	if (want == 0) {
		assert_int_equal(len, n);
		assert_int_equal(out[n], '\0');
		assert_memory_equal(out, buf, n);
		free(out);
	} else {
		assert_null(out);
	}
	free(buf);
	while (wait(NULL) > 0)
		;
}

static void test_read_all(void **state)
{
	(void)state;
	read_all(0, 10, 0);
	read_all(10, 10, 0);
	read_all(11, 10, -EFBIG);
	read_all(4095, 1 << 20, 0);
	read_all(4096, 1 << 20, 0);
	read_all(100000, 1 << 20, 0);
	read_all(100000, 65536, -EFBIG);
}

int main(void)
{
#define BOTH(t) cmocka_unit_test_prestate(t, (void *)&kernel), \
		cmocka_unit_test_prestate(t, (void *)&walk)
	const struct CMUnitTest tests[] = {
		BOTH(test_read),
		BOTH(test_confined),
		BOTH(test_loops),
		BOTH(test_not_regular),
		BOTH(test_write),
		BOTH(test_create),
		BOTH(test_links_and_lists),
		cmocka_unit_test(test_resolver),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_read_all),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
