/* SPDX-License-Identifier: MIT */
/*
 * A file the user names for output (export -o FILE): replaced whole or
 * not at all — a new file next to it, renamed over it — so a reader never
 * sees half of it, and never written through a link at its name.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sriov.h"

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A new file ".sriovctl-XXXXXXXX.tmp" in @dfd: its name in @name. */
static int make_temp(int dfd, mode_t mode, char *name, size_t len)
{
	for (int tries = 0; tries < 100; tries++) {
		unsigned rnd;
		int fd;

		if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
			return -EIO;
		snprintf(name, len, ".sriovctl-%08x.tmp", rnd);
		fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
				       O_CLOEXEC, mode);
		if (fd >= 0 || errno != EEXIST)
			return fd >= 0 ? fd : -errno;
	}
	return -EEXIST;
}

int sriov_write_file_atomic(const char *path, const void *buf, size_t len)
{
	char dir[PATH_MAX], tmp[64];
	const char *slash, *base;
	struct stat st;
	bool existed;
	mode_t mode = 0644;
	int dfd, fd, r;

	if (!path || !*path)
		return -EINVAL;
	slash = strrchr(path, '/');
	base = slash ? slash + 1 : path;
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return -EISDIR;
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else if ((size_t)(slash - path) >= sizeof(dir))
		return -ENAMETOOLONG;
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	existed = fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0;
	if (!existed && errno != ENOENT) {
		r = -errno;
		goto out;
	}
	if (existed) {
		r = S_ISLNK(st.st_mode) ? -ELOOP : S_ISDIR(st.st_mode) ? -EISDIR
		    : !S_ISREG(st.st_mode) ? -EBADFD : 0;
		if (r < 0)
			goto out;
		mode = st.st_mode & 07777;
	}
	fd = make_temp(dfd, mode, tmp, sizeof(tmp));
	if (fd < 0) {
		r = fd;
		goto out;
	}
	r = write_all(fd, buf, len);
	/* the umask narrowed a new file; an old one keeps what it had */
	if (r == 0 && existed && fchmod(fd, mode) < 0)
		r = -errno;
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && renameat(dfd, tmp, dfd, base) < 0)
		r = -errno;
	if (r < 0)
		unlinkat(dfd, tmp, 0);
	else
		fsync(dfd); /* the rename itself, durable */
out:
	close(dfd);
	return r;
}
