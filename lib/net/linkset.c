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
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_SETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	/* ifi_index 0: the kernel finds the device by IFLA_IFNAME. */
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
	struct nlmsghdr *nlh = linkset_build(buf, seq, ifname, mtu, up);

	if (msglen)
		msg[0] = '\0';
	if (!nlh)
		return -EINVAL;
	return rtnl_transact(nl, nlh, msg, msglen);
}
