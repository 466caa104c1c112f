/* SPDX-License-Identifier: MIT */
/* What a plan step claims, read back from the host after it. */
#ifndef SRIOV_OPS_READBACK_H
#define SRIOV_OPS_READBACK_H

#include <stddef.h>

#include "sriov.h"

/*
 * Whether @host, read again after @s was carried out (@o: how), has what
 * the step set: the PF's VF count, its virtfn links and autoprobe; the
 * VF's driver (and override, when pinned); each attribute the driver
 * accepted, as rtnetlink now reports the VF; the netdev's MTU and admin
 * state. Returns 0, or -EIO with @msg naming the device, the attribute,
 * the value read and the one written (*bad: the index in o->attrs of a VF
 * attribute that does not read back; left alone otherwise).
 */
int step_read_back(const struct sriov_host *host, const struct sriov_step *s,
		   const struct sriov_step_outcome *o, size_t *bad,
		   char *msg, size_t len);

#endif
