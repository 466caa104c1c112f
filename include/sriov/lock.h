/* SPDX-License-Identifier: MIT */
/*
 * libsriov — the host lock every writing command holds.
 */
#ifndef SRIOV_LOCK_H
#define SRIOV_LOCK_H

#include <stddef.h>

#include "sriov/context.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SRIOV_LOCK_PATH "run/sriovctl.lock"   /* under the ctx's root */

/*
 * Take the host-wide lock every command that writes holds (flock on
 * SRIOV_LOCK_PATH, created when missing), waiting up to @timeout_ms
 * (0: not at all). Returns the lock's fd (close it to release), -EWOULDBLOCK
 * (@holder gets the pid written in the file, 0 if unknown), -EINTR when a
 * caught signal ends the wait, or -errno. What is there must be a regular
 * file with one name and our owner, never followed if it is a link:
 * -ELOOP (a link), -EISDIR, -EBADFD (a FIFO, socket or device), -EMLINK
 * (a hard link), -EPERM (another owner); nothing is written to it then.
 */
int sriov_lock_host(struct sriov_ctx *ctx, unsigned timeout_ms, int *holder);

/*
 * The same lock on the file @path outside the root (created when
 * missing, with the same refusals): the CNI plugin's per-VF locks in its
 * state directory. Returns the fd, -EWOULDBLOCK, -EINTR or -errno.
 */
int sriov_lock_file(const char *path, unsigned timeout_ms, int *holder);

/*
 * The command name of process @pid (proc/PID/comm under the ctx's root),
 * for "held by pid N (COMM)"; "?" when it cannot be read.
 */
void sriov_process_comm(struct sriov_ctx *ctx, int pid, char *buf,
			size_t len);

#ifdef __cplusplus
}
#endif

#endif
