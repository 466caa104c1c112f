/* SPDX-License-Identifier: MIT */
/*
 * Setting one VF attribute through the PF's netdev: an RTM_SETLINK with
 * IFLA_VFINFO_LIST > IFLA_VF_INFO > one attribute, acknowledged with the
 * kernel's extended ack. Building and ack parsing are pure functions; the
 * socket side is vfset_open/vfset_send.
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
 * Find the ack of @seq in @len bytes of @buf. Returns 1 when found, with
 * *error the kernel's answer (0 or negative errno) and the extended ack
 * message (NLMSGERR_ATTR_MSG) copied to @msg ("" when none); 0 when the
 * buffer holds no ack for @seq; -EBADMSG for a malformed message.
 */
int vfset_parse_ack(const void *buf, size_t len, uint32_t seq, int *error,
		    char *msg, size_t msglen);

/* A bound NETLINK_ROUTE socket with NETLINK_EXT_ACK on. Returns 0/-errno. */
int vfset_open(struct mnl_socket **out);

/*
 * Send @nlh (NLM_F_ACK set) and wait for the ack of its sequence number.
 * Returns 0, the kernel's negative errno (with @msg its extended ack
 * message, or ""), or a local socket error.
 */
int vfset_transact(struct mnl_socket *nl, const struct nlmsghdr *nlh,
		   char *msg, size_t msglen);

/*
 * Send @req and wait for its ack. Returns 0 when the kernel applied it,
 * the kernel's negative errno (with @msg its extended ack message, or ""),
 * or a local socket error.
 */
int vfset_send(struct mnl_socket *nl, uint32_t seq, int ifindex, unsigned vf,
	       const struct vfset_req *req, char *msg, size_t msglen);

#endif
