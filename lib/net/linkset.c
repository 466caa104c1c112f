/* SPDX-License-Identifier: MIT */
/* RTM_SETLINK for a netdev's MTU and IFF_UP, through libmnl. */
#include <errno.h>
#include <string.h>

#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <net/if.h>
#include <linux/rtnetlink.h>

#include "net/linkset.h"
#include "net/rtnl.h"

struct nlmsghdr *linkset_build(void *buf, uint32_t seq, const char *ifname,
			       int mtu, int up)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	if (!ifname[0] || strlen(ifname) >= IFNAMSIZ)
		return NULL;
	/* ifi_index 0: the kernel finds the device by IFLA_IFNAME. */
	nlh = rtnl_setlink_start(buf, seq, 0);
	ifi = mnl_nlmsg_get_payload(nlh);
	if (up >= 0) {
		ifi->ifi_change = IFF_UP;
		ifi->ifi_flags = up ? IFF_UP : 0;
	}
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	if (mtu > 0)
		mnl_attr_put_u32(nlh, IFLA_MTU, (uint32_t)mtu);
	return nlh;
}

int linkset_send(struct mnl_socket *nl, uint32_t seq, const char *ifname,
		 int mtu, int up, char *msg, size_t msglen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return rtnl_transact(nl, linkset_build(buf, seq, ifname, mtu, up), msg,
			     msglen);
}
