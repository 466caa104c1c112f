/* SPDX-License-Identifier: MIT */
/*
 * Decoding the VF list of one RTM_NEWLINK message (IFLA_NUM_VF and
 * IFLA_VFINFO_LIST) into struct sriov_vf_link entries. Pure parsing: the
 * socket side is net/rtnl.c.
 */
#ifndef SRIOV_NET_VFLINK_H
#define SRIOV_NET_VFLINK_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#include <linux/netlink.h>

#include "sriov.h"

struct vflink_vf {
	unsigned index;              /* the "vf" field of the attributes */
	struct sriov_vf_link link;
	struct sriov_vf_stats stats; /* present when IFLA_VF_STATS came */
};

/* One link (netdev) that reported VFs. */
struct vflink_dev {
	int ifindex;
	char ifname[IF_NAMESIZE];
	unsigned num_vf;             /* IFLA_NUM_VF */
	struct vflink_vf *vfs;       /* entries received, in message order */
	size_t n_vfs;
};

/*
 * Decode @nlh (an RTM_NEWLINK). Returns 1 when the link reports VFs
 * (IFLA_NUM_VF present and non-zero, or a VF list), 0 when it does not,
 * -EINVAL for a malformed message, -ENOMEM. Free @out with vflink_dev_free.
 */
int vflink_parse(const struct nlmsghdr *nlh, struct vflink_dev *out);
void vflink_dev_free(struct vflink_dev *dev);

/* The kernel cut the list short (its 16-bit attribute length overflowed). */
static inline bool vflink_truncated(const struct vflink_dev *dev)
{
	return dev->n_vfs < dev->num_vf;
}

#endif
