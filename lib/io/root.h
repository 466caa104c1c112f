/* SPDX-License-Identifier: MIT */
/*
 * Rooted filesystem access: the only code that opens sysfs or procfs paths.
 * Every path is relative to the root given at creation ("/" on a real host,
 * a generated tree in tests). Where the kernel has openat2(2), paths opened
 * from the top are resolved with RESOLVE_IN_ROOT, so ".." and absolute
 * symlinks cannot leave the root; below a directory fd, RESOLVE_BENEATH.
 */
#ifndef SRIOV_IO_ROOT_H
#define SRIOV_IO_ROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "sriov.h"

struct rootfs;

/* Pass as @dirfd to resolve @path from the root. */
#define ROOTFS_TOP (-1)

/* Open @root (NULL or "" = "/"). 0 or -errno. Free with rootfs_free(). */
int rootfs_new(const char *root, struct rootfs **out);
void rootfs_free(struct rootfs *rfs);

/* The root path as given (never NULL). */
const char *rootfs_path(const struct rootfs *rfs);

/* open(2) @path below @dirfd (or ROOTFS_TOP). Returns an fd or -errno. */
int rootfs_open(struct rootfs *rfs, int dirfd, const char *path, int flags);

/*
 * Open @path from the root with O_CREAT and @mode (for files sriovctl owns,
 * like its lock under run/). Returns an fd or -errno.
 */
int rootfs_create(struct rootfs *rfs, const char *path, int flags,
		  mode_t mode);

/* mkdir(2) @path (from the root) with @mode. 0 or -errno (-EEXIST). */
int rootfs_mkdir(struct rootfs *rfs, const char *path, mode_t mode);

/* A directory fd (O_PATH) for @path, for later relative access. */
int rootfs_open_dir(struct rootfs *rfs, int dirfd, const char *path);

/*
 * Read a sysfs attribute into @buf (@size bytes, not NUL-terminated) with a
 * single read(2), as sysfs serves attributes whole. Returns the byte count
 * or -errno; -EFBIG when it fills @size (larger than expected).
 */
ssize_t rootfs_read(struct rootfs *rfs, int dirfd, const char *path,
		    void *buf, size_t size);

/*
 * Read up to @size bytes, looping until end of file: for config space and
 * procfs files, whose prefix is all we want.
 */
ssize_t rootfs_read_prefix(struct rootfs *rfs, int dirfd, const char *path,
			   void *buf, size_t size);

/*
 * Write @len bytes of @buf to attribute @path with one write(2), as sysfs
 * takes a store whole and answers it with the kernel's errno (EBUSY,
 * EINVAL…). Returns 0 or -errno; a short write is -EIO.
 */
int rootfs_write(struct rootfs *rfs, int dirfd, const char *path,
		 const void *buf, size_t len);

/* readlink(2) into @buf, NUL-terminated. Returns the length or -errno. */
ssize_t rootfs_readlink(struct rootfs *rfs, int dirfd, const char *path,
			char *buf, size_t size);

/*
 * Call @fn for each entry of directory @path except "." and "..", in
 * directory order, without copying names; a non-zero return from @fn stops
 * the walk and is returned. 0 or -errno.
 */
int rootfs_foreach(struct rootfs *rfs, int dirfd, const char *path,
		   int (*fn)(const char *name, void *data), void *data);

/* Entries of directory @path except "." and "..", sorted. 0 or -errno. */
int rootfs_list(struct rootfs *rfs, int dirfd, const char *path,
		struct sriov_strv *out);

/* Whether @path exists (symlinks followed). */
bool rootfs_exists(struct rootfs *rfs, int dirfd, const char *path);

/*
 * Lexically join directory @base (relative to the root, no leading "/")
 * and a relative symlink target @rel ("../0000:3b:01.0"), folding "." and
 * ".." as the kernel's relative sysfs links intend. An absolute @rel
 * replaces @base. Result in @out (@outsz). 0, -ERANGE, or -EINVAL when ".."
 * would climb above the root.
 */
int rootfs_join(const char *base, const char *rel, char *out, size_t outsz);

#endif
