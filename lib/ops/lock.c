/* SPDX-License-Identifier: MIT */
/*
 * The host lock: every command that writes holds an flock on one file, so
 * two sriovctl runs never interleave their changes. The holder's pid is in
 * the file for the message of the one that waits.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ctx.h"
#include "sriov.h"

static unsigned long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000 + (unsigned long long)ts.tv_nsec / 1000000;
}

/*
 * 0, or -EINTR when a caught signal ends the sleep (and so the wait).
 * Signals are blocked outside the sleep and unblocked atomically by
 * ppoll: one that arrives between two tries is not lost but ends the
 * next sleep.
 */
static int sleep_ms(unsigned ms, const sigset_t *during)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (long)(ms % 1000) * 1000000 };

	return ppoll(NULL, 0, &ts, during) < 0 ? -errno : 0;
}

static int read_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	long pid;
	char *end;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	pid = strtol(buf, &end, 10);
	return end != buf && pid > 0 && pid < (1L << 22) ? (int)pid : 0;
}

/*
 * Wait for the flock on @fd (closed on failure), then write our pid into
 * it. Bounded: poll rather than block in flock(), and a caught signal
 * ends the wait. A child left blocked in a sriov_numvfs write inherits
 * the fd and keeps the lock until the kernel lets it go: the host is
 * still being changed until then.
 */
static int lock_fd(int fd, unsigned timeout_ms, int *holder)
{
	unsigned long long deadline = now_ms() + timeout_ms;
	sigset_t all, old;
	char pid[32];
	int r, n;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		r = -errno;
		if (r == -EWOULDBLOCK && now_ms() < deadline)
			r = sleep_ms(50, &old);
		if (r < 0) {
			pthread_sigmask(SIG_SETMASK, &old, NULL);
			if (r == -EWOULDBLOCK && holder)
				*holder = read_pid(fd);
			close(fd);
			return r;
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (ftruncate(fd, 0) < 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		r = -errno;
		close(fd);
		return r ? r : -EIO;
	}
	return fd;
}

int sriov_lock_host(struct sriov_ctx *ctx, unsigned timeout_ms, int *holder)
{
	int fd, r;

	if (holder)
		*holder = 0;
	/* A generated tree may have no run/; a real host always has /run. */
	if (strcmp(rootfs_path(ctx->rfs), "/") != 0) {
		r = rootfs_mkdir(ctx->rfs, "run", 0755);
		if (r < 0 && r != -EEXIST)
			return r;
	}
	/*
	 * Never through a link, only a regular file with one name and our
	 * owner: the truncation below is then of the lock and nothing else.
	 */
	fd = rootfs_create(ctx->rfs, SRIOV_LOCK_PATH, O_RDWR, 0644);
	if (fd < 0)
		return fd;
	return lock_fd(fd, timeout_ms, holder);
}

int sriov_lock_file(const char *path, unsigned timeout_ms, int *holder)
{
	struct stat st;
	int fd, r = 0;

	if (holder)
		*holder = 0;
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
		  0644);
	if (fd < 0)
		return -errno;
	/* The same rules as the host lock's file. */
	if (fstat(fd, &st) < 0)
		r = -errno;
	else if (S_ISDIR(st.st_mode))
		r = -EISDIR;
	else if (!S_ISREG(st.st_mode))
		r = -EBADFD;
	else if (st.st_nlink != 1)
		r = -EMLINK;
	else if (st.st_uid != geteuid())
		r = -EPERM;
	if (r < 0) {
		close(fd);
		return r;
	}
	return lock_fd(fd, timeout_ms, holder);
}

void sriov_process_comm(struct sriov_ctx *ctx, int pid, char *buf,
			size_t len)
{
	char path[64];
	ssize_t n = -1;

	if (len == 0)
		return;
	if (pid > 0) {
		snprintf(path, sizeof(path), "proc/%d/comm", pid);
		n = rootfs_read_prefix(ctx->rfs, ROOTFS_TOP, path, buf,
				       len - 1);
	}
	if (n <= 0) {
		snprintf(buf, len, "?");
		return;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}
