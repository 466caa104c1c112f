/* SPDX-License-Identifier: MIT */
#include "io/root.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/strv.h"

#if __has_include(<linux/openat2.h>)
#include <linux/openat2.h>
#define HAVE_OPENAT2_H 1
#endif

struct rootfs {
	int fd;
	char *path;
	bool openat2; /* false once the kernel says ENOSYS/EPERM (seccomp) */
};

int rootfs_new(const char *root, struct rootfs **out)
{
	struct rootfs *rfs;

	if (!root || !*root)
		root = "/";
	rfs = calloc(1, sizeof(*rfs));
	if (!rfs)
		return -ENOMEM;
	rfs->path = strdup(root);
	if (!rfs->path) {
		free(rfs);
		return -ENOMEM;
	}
	rfs->fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rfs->fd < 0) {
		int r = -errno;

		free(rfs->path);
		free(rfs);
		return r;
	}
#ifdef HAVE_OPENAT2_H
	rfs->openat2 = true;
#endif
	*out = rfs;
	return 0;
}

void rootfs_free(struct rootfs *rfs)
{
	if (!rfs)
		return;
	close(rfs->fd);
	free(rfs->path);
	free(rfs);
}

const char *rootfs_path(const struct rootfs *rfs)
{
	return rfs->path;
}

static int open_mode(struct rootfs *rfs, int dirfd, const char *path,
		     int flags, mode_t mode)
{
	int fd;

	while (*path == '/')
		path++;
	if (!*path)
		path = ".";
	flags |= O_CLOEXEC;
#ifdef HAVE_OPENAT2_H
	if (rfs->openat2) {
		struct open_how how = {
			.flags = (uint64_t)flags,
			.mode = flags & O_CREAT ? (uint64_t)mode : 0,
			.resolve = dirfd == ROOTFS_TOP ? RESOLVE_IN_ROOT
						       : RESOLVE_BENEATH,
		};

		fd = (int)syscall(SYS_openat2,
				  dirfd == ROOTFS_TOP ? rfs->fd : dirfd, path,
				  &how, sizeof(how));
		if (fd >= 0)
			return fd;
		/* Kernels before 5.6, or a seccomp filter: plain openat. */
		if (errno != ENOSYS && errno != EPERM)
			return -errno;
		rfs->openat2 = false;
	}
#endif
	fd = openat(dirfd == ROOTFS_TOP ? rfs->fd : dirfd, path, flags, mode);
	return fd >= 0 ? fd : -errno;
}

int rootfs_open(struct rootfs *rfs, int dirfd, const char *path, int flags)
{
	return open_mode(rfs, dirfd, path, flags & ~O_CREAT, 0);
}

int rootfs_create(struct rootfs *rfs, const char *path, int flags,
		  mode_t mode)
{
	return open_mode(rfs, ROOTFS_TOP, path, flags | O_CREAT, mode);
}

int rootfs_mkdir(struct rootfs *rfs, const char *path, mode_t mode)
{
	const char *slash, *base;
	char parent[4096];
	int dfd, r = 0;

	while (*path == '/')
		path++;
	slash = strrchr(path, '/');
	base = slash ? slash + 1 : path;
	if (!*base)
		return -EINVAL;
	if (slash) {
		if ((size_t)(slash - path) >= sizeof(parent))
			return -ENAMETOOLONG;
		memcpy(parent, path, (size_t)(slash - path));
		parent[slash - path] = '\0';
	} else {
		strcpy(parent, ".");
	}
	/* The parent is resolved inside the root, then one plain component. */
	dfd = rootfs_open(rfs, ROOTFS_TOP, parent, O_DIRECTORY | O_RDONLY);
	if (dfd < 0)
		return dfd;
	if (mkdirat(dfd, base, mode) < 0)
		r = -errno;
	close(dfd);
	return r;
}

int rootfs_open_dir(struct rootfs *rfs, int dirfd, const char *path)
{
	return rootfs_open(rfs, dirfd, path, O_PATH | O_DIRECTORY);
}

/*
 * Sysfs serves an attribute whole to the first read(2), so one read is
 * enough there; a file that fills @size is reported as too big. Prefix
 * reads (config space, procfs) loop until @size or end of file.
 */
static ssize_t read_fd(int fd, void *buf, size_t size, bool whole)
{
	size_t len = 0;

	while (len < size) {
		ssize_t n = read(fd, (char *)buf + len, size - len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (whole)
			return len == size ? -EFBIG : (ssize_t)len;
	}
	return (ssize_t)len;
}

static ssize_t read_path(struct rootfs *rfs, int dirfd, const char *path,
			 void *buf, size_t size, bool whole)
{
	ssize_t r;
	int fd;

	fd = rootfs_open(rfs, dirfd, path, O_RDONLY | O_NOCTTY);
	if (fd < 0)
		return fd;
	r = read_fd(fd, buf, size, whole);
	close(fd);
	return r;
}

ssize_t rootfs_read(struct rootfs *rfs, int dirfd, const char *path,
		    void *buf, size_t size)
{
	return read_path(rfs, dirfd, path, buf, size, true);
}

ssize_t rootfs_read_prefix(struct rootfs *rfs, int dirfd, const char *path,
			   void *buf, size_t size)
{
	return read_path(rfs, dirfd, path, buf, size, false);
}

ssize_t rootfs_readlink(struct rootfs *rfs, int dirfd, const char *path,
			char *buf, size_t size)
{
	const char *slash;
	ssize_t n;
	int fd = -1;

	if (size < 2)
		return -ERANGE;
	while (*path == '/')
		path++;
	/*
	 * Resolve the parent directory inside the root, then read the link
	 * itself without following it.
	 */
	slash = strrchr(path, '/');
	if (slash) {
		char dir[4096];
		size_t dlen = (size_t)(slash - path);

		if (dlen >= sizeof(dir))
			return -ENAMETOOLONG;
		memcpy(dir, path, dlen);
		dir[dlen] = '\0';
		fd = rootfs_open_dir(rfs, dirfd, dir);
		if (fd < 0)
			return fd;
		path = slash + 1;
	} else if (dirfd == ROOTFS_TOP) {
		dirfd = rfs->fd;
	}
	n = readlinkat(fd >= 0 ? fd : dirfd, path, buf, size - 1);
	if (n < 0)
		n = -errno;
	else if ((size_t)n >= size - 1)
		n = -ERANGE;
	else
		buf[n] = '\0';
	if (fd >= 0)
		close(fd);
	return n;
}

int rootfs_foreach(struct rootfs *rfs, int dirfd, const char *path,
		   int (*fn)(const char *name, void *data), void *data)
{
	struct dirent *de;
	DIR *d;
	int fd, r = 0;

	fd = rootfs_open(rfs, dirfd, path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd;
	d = fdopendir(fd);
	if (!d) {
		r = -errno;
		close(fd);
		return r;
	}
	while ((errno = 0, de = readdir(d))) {
		if (de->d_name[0] == '.' &&
		    (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		r = fn(de->d_name, data);
		if (r)
			break;
	}
	if (!de && errno && r == 0)
		r = -errno;
	closedir(d);
	return r;
}

static int list_push(const char *name, void *data)
{
	return strv_push(data, name);
}

int rootfs_list(struct rootfs *rfs, int dirfd, const char *path,
		struct sriov_strv *out)
{
	struct sriov_strv sv = { 0 };
	int r = rootfs_foreach(rfs, dirfd, path, list_push, &sv);

	if (r < 0) {
		sriov_strv_free(&sv);
		return r;
	}
	strv_sort(&sv);
	*out = sv;
	return 0;
}

bool rootfs_exists(struct rootfs *rfs, int dirfd, const char *path)
{
	int fd = rootfs_open(rfs, dirfd, path, O_PATH);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

int rootfs_join(const char *base, const char *rel, char *out, size_t outsz)
{
	size_t len = 0;
	const char *p;

	if (outsz == 0)
		return -ERANGE;
	if (*rel == '/') {
		base = "";
	} else {
		len = strlen(base);
		while (len > 0 && base[len - 1] == '/')
			len--;
		if (len >= outsz)
			return -ERANGE;
		memcpy(out, base, len);
	}
	out[len] = '\0';
	for (p = rel; *p;) {
		const char *end = strchrnul(p, '/');
		size_t clen = (size_t)(end - p);

		if (clen == 0 || (clen == 1 && p[0] == '.')) {
			/* nothing */
		} else if (clen == 2 && p[0] == '.' && p[1] == '.') {
			char *slash;

			if (len == 0)
				return -EINVAL;
			slash = strrchr(out, '/');
			len = slash ? (size_t)(slash - out) : 0;
			out[len] = '\0';
		} else {
			size_t need = len + (len ? 1 : 0) + clen;

			if (need >= outsz)
				return -ERANGE;
			if (len)
				out[len++] = '/';
			memcpy(out + len, p, clen);
			len += clen;
			out[len] = '\0';
		}
		p = *end ? end + 1 : end;
	}
	return 0;
}

int rootfs_write(struct rootfs *rfs, int dirfd, const char *path,
		 const void *buf, size_t len)
{
	ssize_t n;
	int fd, r = 0;

	/* O_TRUNC as the shell's ">" does: sysfs ignores it, a file in a
	 * generated tree needs it */
	fd = rootfs_open(rfs, dirfd, path, O_WRONLY | O_TRUNC | O_NOCTTY);
	if (fd < 0)
		return fd;
	do
		n = write(fd, buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		r = -errno;
	else if ((size_t)n != len)
		r = -EIO;
	/* sysfs reports some errors only at close. */
	if (close(fd) < 0 && r == 0 && errno != EINTR)
		r = -errno;
	return r;
}
