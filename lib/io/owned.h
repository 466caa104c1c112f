/* SPDX-License-Identifier: MIT */
/*
 * Files sriovctl owns under a root (its change log, its journal): made
 * with their directories, opened through the rooted file layer, never
 * through a symbolic link, and only when they are regular files.
 */
#ifndef SRIOV_IO_OWNED_H
#define SRIOV_IO_OWNED_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "io/root.h"

/*
 * Open @path (from @rfs's root) with @flags (O_WRONLY, O_RDWR, O_APPEND…),
 * creating it with @mode and its missing directories with @dir_mode. The
 * last @own_dirs directories of @path are sriovctl's own ("sriovctl" of
 * var/log/sriovctl/changes.log): they, and the file itself, must not be
 * symbolic links (-ELOOP); one of them that is not a directory is
 * -ENOTDIR; a file that is not a regular file (a FIFO, a device, a
 * directory) is -EBADFD (root.h). A file or directory made here is fsync'd into
 * its parent. *created (may be NULL) says whether the file was made.
 * Returns an fd (close-on-exec, blocking) or -errno.
 */
int owned_open(struct rootfs *rfs, const char *path, int flags, mode_t mode,
	       mode_t dir_mode, unsigned own_dirs, bool *created);

/*
 * Append the @len bytes of one record to @fd (opened O_APPEND) with one
 * write(2), then fdatasync. A short write (RLIMIT_FSIZE, a full disk) is
 * finished with a second write when that one goes through, else cut off
 * again, so that no partial record stays. Returns 0, or the failed
 * write's -errno (-EFBIG, -ENOSPC) or -EIO. The caller ignores SIGXFSZ.
 */
int owned_append(int fd, const void *buf, size_t len);

#endif
