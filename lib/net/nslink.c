/* SPDX-License-Identifier: MIT */
/* Netdevs across network namespaces: RTM_GETLINK/SETLINK/NEWADDR/NEWROUTE. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/magic.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "net/nslink.h"
#include "net/rtnl.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

/* Sequence numbers only have to differ between requests of one socket. */
static uint32_t next_seq(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)(ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

int nslink_netns_open(const char *path)
{
	struct statfs sfs;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstatfs(fd, &sfs) < 0 || (sfs.f_type != NSFS_MAGIC &&
				      sfs.f_type != PROC_SUPER_MAGIC)) {
		close(fd);
		return -EINVAL;
	}
	/* setns refuses a namespace of another kind: ask it now. */
	return fd;
}

int nslink_open(int nsfd, struct mnl_socket **out)
{
	int self, r, back;

	if (nsfd < 0)
		return rtnl_open(out);
	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -errno;
	if (setns(nsfd, CLONE_NEWNET) < 0) {
		r = -errno;
		close(self);
		return r;
	}
	r = rtnl_open(out);
	back = setns(self, CLONE_NEWNET);
	close(self);
	if (back < 0) {
		/* Never go on in the wrong namespace. */
		if (r == 0)
			mnl_socket_close(*out);
		return -errno;
	}
	return r;
}

static int link_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (type <= IFLA_MAX)
		tb[type] = a;
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct nslink *l = data;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	if (mnl_attr_parse(nlh, sizeof(*ifi), link_attr, tb) < 0)
		return MNL_CB_ERROR;
	memset(l, 0, sizeof(*l));
	l->ifindex = ifi->ifi_index;
	l->up = ifi->ifi_flags & IFF_UP;
	if (tb[IFLA_IFNAME]) {
		const char *n = mnl_attr_get_str(tb[IFLA_IFNAME]);

		snprintf(l->name, sizeof(l->name), "%.*s", IF_NAMESIZE - 1, n);
	}
	if (tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == 6) {
		memcpy(l->mac, mnl_attr_get_payload(tb[IFLA_ADDRESS]), 6);
		l->has_mac = true;
	}
	if (tb[IFLA_MTU] && mnl_attr_get_payload_len(tb[IFLA_MTU]) == 4)
		l->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	return MNL_CB_OK;
}

int nslink_get(struct mnl_socket *nl, const char *name, int ifindex,
	       struct nslink *out)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	uint32_t seq = next_seq(), port = mnl_socket_get_portid(nl);
	ssize_t n;
	int r;

	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	if (name) {
		if (!name[0] || strlen(name) >= IF_NAMESIZE)
			return -EINVAL;
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	} else {
		ifi->ifi_index = ifindex;
	}
	/* No VF list: the answer stays one small message. */
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	memset(out, 0, sizeof(*out));
	out->ifindex = -1;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	r = mnl_cb_run(buf, (size_t)n, seq, port, link_cb, out);
	if (r < 0)
		return errno == ENODEV ? -ENODEV : -errno;
	return out->ifindex > 0 ? 0 : -ENODEV;
}

int nslink_move(struct mnl_socket *nl, int ifindex, int nsfd,
		const char *newname, char *msg, size_t msglen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = rtnl_setlink_start(buf, next_seq(), ifindex);

	if (newname) {
		if (!newname[0] || strlen(newname) >= IF_NAMESIZE)
			return -EINVAL;
		mnl_attr_put_strz(nlh, IFLA_IFNAME, newname);
	}
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)nsfd);
	return rtnl_transact(nl, nlh, msg, msglen);
}

int nslink_set(struct mnl_socket *nl, int ifindex, const char *newname,
	       const uint8_t *mac, int mtu, int up, char *msg, size_t msglen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = rtnl_setlink_start(buf, next_seq(), ifindex);
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	if (newname) {
		if (!newname[0] || strlen(newname) >= IF_NAMESIZE)
			return -EINVAL;
		mnl_attr_put_strz(nlh, IFLA_IFNAME, newname);
	}
	if (mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
	if (mtu > 0)
		mnl_attr_put_u32(nlh, IFLA_MTU, (uint32_t)mtu);
	if (up >= 0) {
		ifi->ifi_change = IFF_UP;
		ifi->ifi_flags = up ? IFF_UP : 0;
	}
	return rtnl_transact(nl, nlh, msg, msglen);
}

static size_t addr_len(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

int nslink_addr_add(struct mnl_socket *nl, int ifindex, int family,
		    const void *addr, unsigned prefix, char *msg, size_t msglen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	size_t len = addr_len(family);

	if (!len || prefix > len * 8)
		return -EINVAL;
	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
	nlh->nlmsg_seq = next_seq();
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (unsigned char)family;
	ifa->ifa_prefixlen = (unsigned char)prefix;
	ifa->ifa_index = (unsigned)ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, len, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, len, addr);
	return rtnl_transact(nl, nlh, msg, msglen);
}

int nslink_route_add(struct mnl_socket *nl, int ifindex, int family,
		     const void *dst, unsigned prefix, const void *gw,
		     char *msg, size_t msglen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;
	size_t len = addr_len(family);

	if (!len || prefix > len * 8 || (!dst && prefix))
		return -EINVAL;
	nlh->nlmsg_type = RTM_NEWROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
	nlh->nlmsg_seq = next_seq();
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)family;
	rtm->rtm_dst_len = (unsigned char)prefix;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_scope = gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	if (dst && prefix)
		mnl_attr_put(nlh, RTA_DST, len, dst);
	if (gw)
		mnl_attr_put(nlh, RTA_GATEWAY, len, gw);
	mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)ifindex);
	return rtnl_transact(nl, nlh, msg, msglen);
}
