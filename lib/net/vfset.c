/* SPDX-License-Identifier: MIT */
#include "net/vfset.h"

#include "net/rtnl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>


static void put_vf_attr(struct nlmsghdr *nlh, unsigned vf,
			const struct vfset_req *req)
{
	switch (req->type) {
	case IFLA_VF_MAC: {
		struct ifla_vf_mac m = { .vf = vf };

		memcpy(m.mac, req->mac, sizeof(req->mac));
		mnl_attr_put(nlh, IFLA_VF_MAC, sizeof(m), &m);
		break;
	}
	case IFLA_VF_VLAN: {
		struct ifla_vf_vlan v = { .vf = vf, .vlan = req->vlan,
					  .qos = req->qos };

		mnl_attr_put(nlh, IFLA_VF_VLAN, sizeof(v), &v);
		break;
	}
	case IFLA_VF_VLAN_LIST: {
		struct ifla_vf_vlan_info vi = {
			.vf = vf, .vlan = req->vlan, .qos = req->qos,
			.vlan_proto = htons(req->vlan_proto),
		};
		struct nlattr *list = mnl_attr_nest_start(nlh, IFLA_VF_VLAN_LIST);

		mnl_attr_put(nlh, IFLA_VF_VLAN_INFO, sizeof(vi), &vi);
		mnl_attr_nest_end(nlh, list);
		break;
	}
	case IFLA_VF_RATE: {
		struct ifla_vf_rate r = { .vf = vf,
					  .min_tx_rate = req->min_rate,
					  .max_tx_rate = req->max_rate };

		mnl_attr_put(nlh, IFLA_VF_RATE, sizeof(r), &r);
		break;
	}
	case IFLA_VF_LINK_STATE: {
		struct ifla_vf_link_state l = { .vf = vf,
						.link_state = req->value };

		mnl_attr_put(nlh, IFLA_VF_LINK_STATE, sizeof(l), &l);
		break;
	}
	default: {
		/* spoofchk, trust and rss_query_en share one layout. */
		struct ifla_vf_spoofchk s = { .vf = vf, .setting = req->value };

		mnl_attr_put(nlh, (uint16_t)req->type, sizeof(s), &s);
		break;
	}
	}
}

struct nlmsghdr *vfset_build(void *buf, uint32_t seq, int ifindex,
			     unsigned vf, const struct vfset_req *req)
{
	struct nlmsghdr *nlh;
	struct nlattr *list, *info;

	switch (req->type) {
	case IFLA_VF_MAC: case IFLA_VF_VLAN: case IFLA_VF_VLAN_LIST:
	case IFLA_VF_SPOOFCHK: case IFLA_VF_TRUST: case IFLA_VF_RATE:
	case IFLA_VF_LINK_STATE: case IFLA_VF_RSS_QUERY_EN:
		break;
	default:
		return NULL;
	}
	nlh = rtnl_setlink_start(buf, seq, ifindex);
	list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
	info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
	put_vf_attr(nlh, vf, req);
	mnl_attr_nest_end(nlh, info);
	mnl_attr_nest_end(nlh, list);
	return nlh;
}

int vfset_send(struct mnl_socket *nl, uint32_t seq, int ifindex, unsigned vf,
	       const struct vfset_req *req, char *msg, size_t msglen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return rtnl_transact(nl, vfset_build(buf, seq, ifindex, vf, req), msg,
			     msglen);
}
