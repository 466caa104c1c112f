/* SPDX-License-Identifier: MIT */
/*
 * rtnetlink requests through libmnl. Today: one RTM_GETLINK dump of every
 * link with its VF list (RTEXT_FILTER_VF), for the inventory.
 */
#ifndef SRIOV_NET_RTNL_H
#define SRIOV_NET_RTNL_H

#include "net/vflink.h"

struct rtnl_vf_links {
	struct vflink_dev *v; /* the links that report VFs */
	size_t n;
};

/*
 * Dump all links of the current network namespace and keep those that
 * report VFs. Receive buffers grow to the largest message (MSG_PEEK), so a
 * PF with hundreds of VFs arrives whole — or as the kernel truncated it.
 * @stats asks for the per-VF counters too (no RTEXT_FILTER_SKIP_STATS).
 * Returns 0 or -errno. Free with rtnl_vf_links_free().
 */
int rtnl_dump_vf_links(bool stats, struct rtnl_vf_links *out);
void rtnl_vf_links_free(struct rtnl_vf_links *links);

/* The entry for @ifname, or NULL. */
const struct vflink_dev *rtnl_vf_links_find(const struct rtnl_vf_links *l,
					    const char *ifname);

#endif
