/* SPDX-License-Identifier: MIT */
/*
 * rtnetlink through libmnl: the socket (extended acks on), a request and
 * its ack, and RTM_GETLINK of every link (a dump) or of named links with
 * their VF lists (RTEXT_FILTER_VF) for the inventory. The requests themselves are built
 * in net/vfset.c (VF attributes) and net/linkset.c (MTU, link state).
 */
#ifndef SRIOV_NET_RTNL_H
#define SRIOV_NET_RTNL_H

#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

#include "net/vflink.h"

struct mnl_socket;

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

/*
 * The same entries for links @ifnames[0..n) only, one request each (what
 * `ip link show dev X` asks): for one PF, without serializing every link.
 * A name that is no link gives no entry. 0 or -errno; free as above.
 */
int rtnl_get_vf_links(bool stats, const char *const *ifnames, size_t n,
		      struct rtnl_vf_links *out);

/* The entry for @ifname, or NULL. */
const struct vflink_dev *rtnl_vf_links_find(const struct rtnl_vf_links *l,
					    const char *ifname);

/*
 * Find the ack of @seq in @len bytes of @buf. Returns 1 when found, with
 * *error the kernel's answer (0 or negative errno) and the extended ack
 * message (NLMSGERR_ATTR_MSG) copied to @msg ("" when none); 0 when the
 * buffer holds no ack for @seq; -EBADMSG for a malformed message.
 */
int rtnl_parse_ack(const void *buf, size_t len, uint32_t seq, int *error,
		   char *msg, size_t msglen);

/* A bound NETLINK_ROUTE socket with NETLINK_EXT_ACK on. Returns 0/-errno. */
int rtnl_open(struct mnl_socket **out);

/*
 * Start an RTM_SETLINK request with NLM_F_ACK in @buf (of
 * MNL_SOCKET_BUFFER_SIZE) for link @ifindex (0: the kernel finds it by
 * IFLA_IFNAME, which the caller adds); its ifinfomsg is the payload.
 */
struct nlmsghdr *rtnl_setlink_start(void *buf, uint32_t seq, int ifindex);

/*
 * Send @nlh (NLM_F_ACK set) and wait for the ack of its sequence number.
 * Returns 0, the kernel's negative errno (with @msg its extended ack
 * message, or ""), or a local socket error; -EINVAL for a NULL @nlh (a
 * request its builder refused).
 */
int rtnl_transact(struct mnl_socket *nl, const struct nlmsghdr *nlh,
		  char *msg, size_t msglen);

#endif
