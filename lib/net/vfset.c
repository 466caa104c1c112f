/* SPDX-License-Identifier: MIT */
#include "net/vfset.h"

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
	struct ifinfomsg *ifi;
	struct nlattr *list, *info;

	switch (req->type) {
	case IFLA_VF_MAC: case IFLA_VF_VLAN: case IFLA_VF_VLAN_LIST:
	case IFLA_VF_SPOOFCHK: case IFLA_VF_TRUST: case IFLA_VF_RATE:
	case IFLA_VF_LINK_STATE: case IFLA_VF_RSS_QUERY_EN:
		break;
	default:
		return NULL;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_SETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
	info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
	put_vf_attr(nlh, vf, req);
	mnl_attr_nest_end(nlh, info);
	mnl_attr_nest_end(nlh, list);
	return nlh;
}

struct extack {
	const char *msg;
};

static int on_tlv(const struct nlattr *a, void *data)
{
	struct extack *x = data;

	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		x->msg = mnl_attr_get_str(a);
	return MNL_CB_OK;
}

static int parse_err(const struct nlmsghdr *nlh, int *error, char *msg,
		     size_t msglen)
{
	const struct nlmsgerr *e;
	struct extack x = { 0 };
	size_t off;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e))
		return -EBADMSG;
	e = mnl_nlmsg_get_payload(nlh);
	*error = e->error > 0 ? -e->error : e->error;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		/* Without NLM_F_CAPPED the request follows, then the TLVs. */
		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (e->msg.nlmsg_len < sizeof(struct nlmsghdr))
				return -EBADMSG;
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		}
		if (MNL_ALIGN(off) > mnl_nlmsg_get_payload_len(nlh))
			return -EBADMSG;
		if (mnl_attr_parse(nlh, (unsigned)off, on_tlv, &x) < 0)
			return -EBADMSG;
	}
	if (msglen)
		snprintf(msg, msglen, "%s", x.msg ? x.msg : "");
	return 1;
}

int vfset_parse_ack(const void *buf, size_t len, uint32_t seq, int *error,
		    char *msg, size_t msglen)
{
	const struct nlmsghdr *nlh = buf;
	int n = (int)len;

	if (msglen)
		msg[0] = '\0';
	for (; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
		if (nlh->nlmsg_seq != seq || nlh->nlmsg_type != NLMSG_ERROR)
			continue;
		return parse_err(nlh, error, msg, msglen);
	}
	return n == 0 ? 0 : -EBADMSG;
}

int vfset_open(struct mnl_socket **out)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	int one = 1, r;

	if (!nl)
		return -errno;
	/* Drivers explain refusals in the extended ack; CAP_ACK keeps it short. */
	if (mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one)) < 0 ||
	    mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one)) < 0 ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		mnl_socket_close(nl);
		return r;
	}
	*out = nl;
	return 0;
}

int vfset_transact(struct mnl_socket *nl, const struct nlmsghdr *nlh,
		   char *msg, size_t msglen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	uint32_t seq = nlh->nlmsg_seq;
	int error = 0;

	if (msglen)
		msg[0] = '\0';
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		int r;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		r = vfset_parse_ack(buf, (size_t)n, seq, &error, msg, msglen);
		if (r < 0)
			return r;
		if (r == 1)
			return error;
	}
}

int vfset_send(struct mnl_socket *nl, uint32_t seq, int ifindex, unsigned vf,
	       const struct vfset_req *req, char *msg, size_t msglen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = vfset_build(buf, seq, ifindex, vf, req);

	if (msglen)
		msg[0] = '\0';
	if (!nlh)
		return -EINVAL;
	return vfset_transact(nl, nlh, msg, msglen);
}
