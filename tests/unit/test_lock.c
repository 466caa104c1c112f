/* SPDX-License-Identifier: MIT */
/*
 * The host lock on a tree: only a regular file of its own is taken and
 * written; a link, a FIFO, a directory or a second name planted where it
 * goes is refused and left as it was; a caught signal ends the wait.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "sriov.h"
#include "testlib.h"

static char tmp[200], root[256], lock[320], victim[256];

static void put(const char *path, const char *content)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static char *get(const char *path)
{
	static char buf[64];
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static int setup(void **state)
{
	char run[300];

	tl_mkdtemp(tmp, sizeof(tmp), "sriov-lock");
	snprintf(root, sizeof(root), "%s/root", tmp);
	snprintf(run, sizeof(run), "%s/run", root);
	snprintf(lock, sizeof(lock), "%s/sriovctl.lock", run);
	snprintf(victim, sizeof(victim), "%s/victim", tmp);
	if (mkdir(root, 0755) < 0 || mkdir(run, 0755) < 0)
		return -1;
	put(victim, "precious\n");
	return 0;
}

static int teardown(void **state)
{
	tl_rm_rf(tmp);
	return 0;
}

/* What an earlier test planted, gone. */
static void clear(void)
{
	if (unlink(lock) < 0 && errno == EISDIR)
		rmdir(lock);
}

static int take(void)
{
	struct sriov_ctx *ctx;
	int fd, holder;

	assert_int_equal(sriov_ctx_new(root, &ctx), 0);
	fd = sriov_lock_host(ctx, 0, &holder);
	sriov_ctx_free(ctx);
	return fd;
}

static void test_planted(void **state)
{
	char rel[300];
	struct stat st;

	clear();
	/* a link to a file outside the root, and a relative one to it */
	assert_int_equal(symlink(victim, lock), 0);
	assert_int_equal(take(), -ELOOP);
	assert_int_equal(unlink(lock), 0);
	snprintf(rel, sizeof(rel), "../../victim");
	assert_int_equal(symlink(rel, lock), 0);
	assert_int_equal(take(), -ELOOP);
	assert_int_equal(unlink(lock), 0);
	/* a link to nowhere: nothing is created at its target */
	assert_int_equal(symlink("../made", lock), 0);
	assert_int_equal(take(), -ELOOP);
	snprintf(rel, sizeof(rel), "%s/made", root);
	assert_int_equal(lstat(rel, &st), -1);
	assert_int_equal(unlink(lock), 0);
	/* a second name of the victim */
	assert_int_equal(link(victim, lock), 0);
	assert_int_equal(take(), -EMLINK);
	assert_int_equal(unlink(lock), 0);
	assert_string_equal(get(victim), "precious\n");
	/* a FIFO (no hang), a directory */
	assert_int_equal(mkfifo(lock, 0600), 0);
	assert_int_equal(take(), -EBADFD);
	assert_int_equal(unlink(lock), 0);
	assert_int_equal(mkdir(lock, 0755), 0);
	assert_int_equal(take(), -EISDIR);
	assert_int_equal(rmdir(lock), 0);
}

static void test_own(void **state)
{
	int fd;

	clear();
	fd = take();

	assert_true(fd >= 0);
	assert_int_equal(atoi(get(lock)), (int)getpid());
	close(fd);
	/* the old pid is replaced, not appended to */
	put(lock, "123456789\n");
	fd = take();
	assert_true(fd >= 0);
	assert_int_equal(atoi(get(lock)), (int)getpid());
	close(fd);
}

static volatile sig_atomic_t alarmed;

static void on_alarm(int sig)
{
	alarmed = sig;
}

static void test_signal_ends_the_wait(void **state)
{
	struct itimerval it = { .it_value = { .tv_usec = 200000 } };
	struct sigaction sa = { .sa_handler = on_alarm,
				/* as cli_apply's: restart reads and writes */
				.sa_flags = SA_RESTART };
	struct timespec t0, t1;
	struct sriov_ctx *ctx;
	int fd, fd2, holder;

	clear();
	assert_int_equal(sriov_ctx_new(root, &ctx), 0);
	fd = sriov_lock_host(ctx, 0, &holder);
	assert_true(fd >= 0);
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGALRM, &sa, NULL), 0);
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	fd2 = sriov_lock_host(ctx, 10000, &holder);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(fd2, -EINTR);
	assert_int_equal(alarmed, SIGALRM);
	assert_true(t1.tv_sec - t0.tv_sec < 3);
	signal(SIGALRM, SIG_DFL);
	close(fd);
	sriov_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_planted),
		cmocka_unit_test(test_own),
		cmocka_unit_test(test_signal_ends_the_wait),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
