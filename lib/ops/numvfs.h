/* SPDX-License-Identifier: MIT */
/* Internal to the VF count operation, exposed for the unit tests. */
#ifndef SRIOV_OPS_NUMVFS_H
#define SRIOV_OPS_NUMVFS_H

#include "io/root.h"
#include "sriov.h"

/*
 * The steps that take @old VFs (autoprobe @old_ap) to @new (autoprobe
 * @new_ap, -1 keeping it): through 0 when both counts are non-zero and
 * differ, autoprobe before VFs are created. Fills plan->steps.
 */
void numvfs_steps(struct sriov_numvfs_plan *plan, unsigned old, unsigned new,
		  int old_ap, int new_ap);

/*
 * write(2) @value to @path (under the root) in a child process and wait at
 * most @timeout_ms for it. 0, the write's -errno, or -ETIMEDOUT: the child
 * is then left blocked in the kernel and finishes the write on its own.
 */
int numvfs_bounded_write(struct rootfs *rfs, const char *path,
			 const char *value, unsigned timeout_ms);

#endif
