/* SPDX-License-Identifier: MIT */
/* A VF setting as the rtnetlink request that carries it. */
#ifndef SRIOV_OPS_VF_REQUEST_H
#define SRIOV_OPS_VF_REQUEST_H

#include "net/vfset.h"
#include "sriov.h"

/*
 * The netlink request for setting @i of @s, the VF's current attributes
 * being @cur. The kernel replaces min and max rate together, so a single
 * rate takes the other from the user when given, else from @cur. Returns
 * 0, or 1 when setting @i travels in an earlier setting's request (the
 * second of a min/max pair; *covered_by is that setting's index).
 */
int vf_attrs_request(const struct sriov_vf_link *cur,
		     const struct sriov_vf_settings *s, size_t i,
		     struct vfset_req *req, size_t *covered_by);

#endif
