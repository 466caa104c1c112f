/* SPDX-License-Identifier: MIT */
#include "io/owned.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* fsync the directory @dir (from the root): a new entry in it is durable. */
static void sync_dir(struct rootfs *rfs, const char *dir)
{
	int fd = rootfs_open(rfs, ROOTFS_TOP, *dir ? dir : ".",
			     O_RDONLY | O_DIRECTORY);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* A directory of ours: a real directory, not a link to one elsewhere. */
static int check_own_dir(struct rootfs *rfs, const char *dir)
{
	char target[16];
	int fd = rootfs_open(rfs, ROOTFS_TOP, dir,
			     O_RDONLY | O_DIRECTORY | O_NOFOLLOW);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	/* O_DIRECTORY answers ENOTDIR for a symlink too: tell them apart. */
	if (fd == -ENOTDIR &&
	    rootfs_readlink(rfs, ROOTFS_TOP, dir, target, sizeof(target)) != -EINVAL)
		return -ELOOP;
	return fd;
}

/* Make the directories of @path (a copy we may cut), checking ours. */
static int make_dirs(struct rootfs *rfs, char *path, mode_t mode,
		     unsigned own_dirs)
{
	unsigned n_dirs = 0, k = 0;
	int r;

	for (char *s = path; *s; s++)
		n_dirs += *s == '/';
	for (char *s = strchr(path, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		k++;
		r = rootfs_mkdir(rfs, path, mode);
		if (r == 0) {
			char *up = strrchr(path, '/');

			if (up) {
				*up = '\0';
				sync_dir(rfs, path);
				*up = '/';
			} else {
				sync_dir(rfs, "");
			}
		} else if (r != -EEXIST) {
			*s = '/';
			return r;
		}
		r = k + own_dirs > n_dirs ? check_own_dir(rfs, path) : 0;
		*s = '/';
		if (r < 0)
			return r;
	}
	return 0;
}

int owned_open(struct rootfs *rfs, const char *path, int flags, mode_t mode,
	       mode_t dir_mode, unsigned own_dirs, bool *created)
{
	/* O_NONBLOCK: a FIFO without a reader fails at once (ENXIO). */
	int oflags = flags | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
	char buf[PATH_MAX];
	struct stat st;
	bool made = false;
	int fd, r;

	while (*path == '/')
		path++;
	if (!*path || strlen(path) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, path);
	r = make_dirs(rfs, buf, dir_mode, own_dirs);
	if (r < 0)
		return r;
	fd = rootfs_open(rfs, ROOTFS_TOP, path, oflags);
	if (fd == -ENOENT) {
		fd = rootfs_create(rfs, path, oflags | O_EXCL, mode);
		made = fd >= 0;
		if (fd == -EEXIST)
			fd = rootfs_open(rfs, ROOTFS_TOP, path, oflags);
	}
	/* the rooted layer's "not a regular file" (root.h) */
	if (fd == -ENXIO || fd == -EISDIR)
		return -EBADFD;
	if (fd < 0)
		return fd;
	r = fstat(fd, &st) < 0 ? -errno : S_ISREG(st.st_mode) ? 0 : -EBADFD;
	if (r < 0) {
		close(fd);
		return r;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	if (made) {
		char *up = strrchr(buf, '/');

		if (up)
			*up = '\0';
		sync_dir(rfs, up ? buf : "");
	}
	if (created)
		*created = made;
	return fd;
}

int owned_append(int fd, const void *buf, size_t len)
{
	struct stat st;
	ssize_t n, m;
	int r = 0;

	if (fstat(fd, &st) < 0)
		return -errno;
	do
		n = write(fd, buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if ((size_t)n < len) {
		/* The rest answers why, or completes the record. */
		do
			m = write(fd, (const char *)buf + n, len - (size_t)n);
		while (m < 0 && errno == EINTR);
		if (m < 0)
			r = -errno;
		else if ((size_t)m != len - (size_t)n)
			r = -EIO;
		if (r < 0) {
			/* should the cut fail, the next open ends the line */
			int t = ftruncate(fd, st.st_size);

			(void)t;
			return r;
		}
	}
	r = fdatasync(fd) < 0 ? -errno : 0;
	/* what has nothing to sync says EINVAL */
	return r == -EINVAL ? 0 : r;
}
