/* SPDX-License-Identifier: MIT */
/*
 * Setting one VF attribute through the PF's netdev: an RTM_SETLINK with
 * IFLA_VFINFO_LIST > IFLA_VF_INFO > one attribute, acknowledged with the
 * kernel's extended ack. Building is a pure function; the socket and the
 * ack are net/rtnl.h's (rtnl_open, rtnl_transact).
 */
#ifndef SRIOV_NET_VFSET_H
#define SRIOV_NET_VFSET_H

#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

struct mnl_socket;

/* One attribute to set, already validated and merged. */
struct vfset_req {
	int type;              /* IFLA_VF_MAC, _VLAN, _VLAN_LIST, _SPOOFCHK,
				* _TRUST, _RATE, _LINK_STATE, _RSS_QUERY_EN */
	uint8_t mac[6];
	unsigned vlan;
	unsigned qos;
	uint16_t vlan_proto;   /* host order; for IFLA_VF_VLAN_LIST */
	unsigned min_rate;     /* IFLA_VF_RATE carries both */
	unsigned max_rate;
	unsigned value;        /* on/off, link state */
};

/*
 * Build the request in @buf (at least MNL_SOCKET_BUFFER_SIZE bytes).
 * Returns the message, or NULL for an unknown @req->type.
 */
struct nlmsghdr *vfset_build(void *buf, uint32_t seq, int ifindex,
			     unsigned vf, const struct vfset_req *req);

/*
 * Send @req and wait for its ack. Returns 0 when the kernel applied it,
 * the kernel's negative errno (with @msg its extended ack message, or ""),
 * or a local socket error.
 */
int vfset_send(struct mnl_socket *nl, uint32_t seq, int ifindex, unsigned vf,
	       const struct vfset_req *req, char *msg, size_t msglen);

#endif
