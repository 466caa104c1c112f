/* SPDX-License-Identifier: MIT */
/*
 * Rooted filesystem access: the only code that opens sysfs or procfs paths.
 * Every path is relative to the root given at creation ("/" on a real host,
 * a generated tree in tests), and no symlink leads out of it:
 *  - from the top (ROOTFS_TOP), ".." at the root stays there and an
 *    absolute link's target starts again at the root (openat2's
 *    RESOLVE_IN_ROOT); below a directory fd, ".." above it, an absolute
 *    path or link are -EXDEV (RESOLVE_BENEATH); more than 40 links -ELOOP;
 *  - where openat2 answers (Linux 5.6, no seccomp filter refusing it) the
 *    kernel resolves; elsewhere a walk does, one component at a time with
 *    O_NOFOLLOW, reading each link and resolving its target itself, with
 *    the same results. The walk does not guard against a tree renamed
 *    under it while it walks (openat2 does); on "/" nothing is above the
 *    root to escape to.
 * Files are opened O_NONBLOCK|O_NOCTTY|O_CLOEXEC and must be regular
 * files: a FIFO, socket or device where a file is expected is -EBADFD
 * (rootfs_strerror: "not a regular file"), a directory -EISDIR. Regular
 * files ignore O_NONBLOCK, sysfs and procfs ones included.
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

/* rootfs_new_opts() flag: resolve by the walk even where openat2 works. */
#define ROOTFS_WALK 0x1u

/* Open @root (NULL or "" = "/"). 0 or -errno. Free with rootfs_free(). */
int rootfs_new(const char *root, struct rootfs **out);
/* The same with ROOTFS_* @flags (tests run both resolvers); -EINVAL for others. */
int rootfs_new_opts(const char *root, unsigned flags, struct rootfs **out);
void rootfs_free(struct rootfs *rfs);

/* The root path as given (never NULL). */
const char *rootfs_path(const struct rootfs *rfs);

/* Whether the kernel resolves (openat2) rather than the walk. */
bool rootfs_uses_openat2(const struct rootfs *rfs);

/*
 * strerror(-@err), but in this layer's words for its own refusals: -EBADFD
 * "not a regular file", -EXDEV (a link or ".." out of a directory fd).
 */
const char *rootfs_strerror(int err);

/*
 * open(2) @path below @dirfd (or ROOTFS_TOP); O_CREAT is ignored. With
 * O_PATH or O_DIRECTORY any kind of file opens; otherwise only a regular
 * file (-EBADFD, -EISDIR), opened O_NONBLOCK. O_NOFOLLOW: a link at the
 * last component is -ELOOP (the links before it are still followed inside
 * the root). Returns an fd or -errno.
 */
int rootfs_open(struct rootfs *rfs, int dirfd, const char *path, int flags);

/*
 * A file the user names (-f FILE), outside the root: read-only, links
 * followed as in the user's shell, but only a regular file (-EBADFD,
 * -EISDIR), opened O_NONBLOCK so a FIFO cannot hang the command.
 */
int rootfs_open_outside(const char *path);

/*
 * Open or create @path from the root, for files sriovctl owns (its lock
 * under run/, its change log): O_CREAT|O_NOFOLLOW with @mode, so a link
 * at the last component is -ELOOP, never followed to a file it points at;
 * an existing file must be regular (-EBADFD, -EISDIR), have one name
 * (-EMLINK: a hard link could be any file's) and our owner (-EPERM).
 * @flags may not hold O_TRUNC (-EINVAL): truncate the fd once it is
 * verified and locked. Returns an fd (O_NONBLOCK) or -errno.
 */
int rootfs_create(struct rootfs *rfs, const char *path, int flags,
		  mode_t mode);

/*
 * mkdir(2) @path (from the root) with @mode: the parent is resolved inside
 * the root, the last component is made, never followed. 0 or -errno
 * (-EEXIST, also for a link there).
 */
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
 * EINVAL…). The attribute must be a regular file and not a link (-ELOOP).
 * Returns 0 or -errno; a short write is -EIO.
 */
int rootfs_write(struct rootfs *rfs, int dirfd, const char *path,
		 const void *buf, size_t len);

/*
 * The rest of @fd, until end of file, into a malloc'd NUL-terminated
 * buffer (*out, free() it; *len without the NUL, may be NULL): for files
 * read whole whose size fstat(2) does not tell (procfs) or may not be
 * trusted. 0, -EFBIG past @max bytes, -ENOMEM or -errno; *out is NULL on
 * error.
 */
int rootfs_read_all(int fd, size_t max, char **out, size_t *len);

/*
 * readlink(2) into @buf, NUL-terminated: the directories before the last
 * component are resolved inside the root, the link itself is read, not
 * followed. Returns the length or -errno.
 */
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

/* Whether @path exists (symlinks followed inside the root). */
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
