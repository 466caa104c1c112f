/* SPDX-License-Identifier: MIT */
/*
 * A netdev's own MTU and administrative state (what `ip link set DEV mtu N
 * up` does): one RTM_SETLINK by name, acknowledged with the extended ack.
 */
#ifndef SRIOV_NET_LINKSET_H
#define SRIOV_NET_LINKSET_H

#include <stddef.h>
#include <stdint.h>

struct mnl_socket;

/*
 * Build the request for @ifname in @buf (MNL_SOCKET_BUFFER_SIZE bytes):
 * IFLA_MTU when @mtu > 0, IFF_UP in ifi_change when @up >= 0. NULL when
 * the name does not fit IFNAMSIZ.
 */
struct nlmsghdr *linkset_build(void *buf, uint32_t seq, const char *ifname,
			       int mtu, int up);

/*
 * Send it on @nl (rtnl_open()) and wait for the ack. Returns 0, the
 * kernel's negative errno with @msg its extended ack ("" when none), or a
 * local error.
 */
int linkset_send(struct mnl_socket *nl, uint32_t seq, const char *ifname,
		 int mtu, int up, char *msg, size_t msglen);

#endif
