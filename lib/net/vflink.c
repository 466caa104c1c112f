/* SPDX-License-Identifier: MIT */
#include "net/vflink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

struct attrs {
	const struct nlattr **tb;
	int max;
};

static int collect(const struct nlattr *a, void *data)
{
	struct attrs *at = data;
	int type = mnl_attr_get_type(a);

	/*
	 * Keep the first of a type, as iproute2 does: after a VF list whose
	 * 16-bit length wrapped, the rest of the message is VF entries read
	 * as top-level attributes.
	 */
	if (type <= at->max && !at->tb[type])
		at->tb[type] = a;
	return MNL_CB_OK;
}

/* The payload of @a if it holds at least @size bytes, else NULL. */
static const void *payload(const struct nlattr *a, size_t size)
{
	if (!a || mnl_attr_get_payload_len(a) < size)
		return NULL;
	return mnl_attr_get_payload(a);
}

/* Drivers leave settings they do not support at (u32)-1. */
static int setting(const struct nlattr *a)
{
	const struct ifla_vf_spoofchk *s = payload(a, sizeof(*s));

	if (!s || s->setting == (__u32)-1)
		return -1;
	return s->setting ? 1 : 0;
}

/* IFLA_VF_STATS: u64 counters; absent or short ones stay 0. */
static int parse_stats(const struct nlattr *nest, struct sriov_vf_stats *st)
{
	const struct nlattr *tb[IFLA_VF_STATS_MAX + 1] = { 0 };
	struct attrs at = { tb, IFLA_VF_STATS_MAX };
	static const struct {
		int type;
		size_t off;
	} map[] = {
		{ IFLA_VF_STATS_RX_PACKETS, offsetof(struct sriov_vf_stats, rx_packets) },
		{ IFLA_VF_STATS_TX_PACKETS, offsetof(struct sriov_vf_stats, tx_packets) },
		{ IFLA_VF_STATS_RX_BYTES, offsetof(struct sriov_vf_stats, rx_bytes) },
		{ IFLA_VF_STATS_TX_BYTES, offsetof(struct sriov_vf_stats, tx_bytes) },
		{ IFLA_VF_STATS_BROADCAST, offsetof(struct sriov_vf_stats, broadcast) },
		{ IFLA_VF_STATS_MULTICAST, offsetof(struct sriov_vf_stats, multicast) },
		{ IFLA_VF_STATS_RX_DROPPED, offsetof(struct sriov_vf_stats, rx_dropped) },
		{ IFLA_VF_STATS_TX_DROPPED, offsetof(struct sriov_vf_stats, tx_dropped) },
	};

	if (mnl_attr_parse_nested(nest, collect, &at) < 0)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		const struct nlattr *a = tb[map[i].type];
		uint64_t v;

		/* u64 attributes may sit 4-aligned: copy, do not cast */
		if (!a || mnl_attr_get_payload_len(a) < sizeof(v))
			continue;
		memcpy(&v, mnl_attr_get_payload(a), sizeof(v));
		memcpy((char *)st + map[i].off, &v, sizeof(v));
	}
	st->present = true;
	return 0;
}

static int parse_vf(const struct nlattr *info, struct vflink_vf *vf)
{
	const struct nlattr *tb[IFLA_VF_MAX + 1] = { 0 };
	struct attrs at = { tb, IFLA_VF_MAX };
	const struct ifla_vf_mac *mac;
	const struct ifla_vf_vlan *vlan;
	const struct ifla_vf_rate *rate;
	const struct ifla_vf_tx_rate *tx;
	const struct ifla_vf_link_state *ls;
	struct sriov_vf_link *l = &vf->link;

	if (mnl_attr_parse_nested(info, collect, &at) < 0)
		return -EINVAL;
	mac = payload(tb[IFLA_VF_MAC], sizeof(*mac));
	if (!mac)
		return -EINVAL; /* every VF entry carries its MAC and index */
	vf->index = mac->vf;
	l->present = true;
	l->source = SRIOV_VF_LINK_SRC_NETLINK;
	snprintf(l->mac, sizeof(l->mac), "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac->mac[0], mac->mac[1], mac->mac[2], mac->mac[3],
		 mac->mac[4], mac->mac[5]);
	l->vlan_proto = ETH_P_8021Q;
	vlan = payload(tb[IFLA_VF_VLAN], sizeof(*vlan));
	if (vlan) {
		l->vlan = vlan->vlan;
		l->qos = vlan->qos;
	}
	/* The list form carries the protocol (802.1ad); prefer it. */
	if (tb[IFLA_VF_VLAN_LIST]) {
		const struct nlattr *v;

		mnl_attr_for_each_nested(v, tb[IFLA_VF_VLAN_LIST]) {
			const struct ifla_vf_vlan_info *vi;

			if (mnl_attr_get_type(v) != IFLA_VF_VLAN_INFO)
				continue;
			vi = payload(v, sizeof(*vi));
			if (!vi)
				return -EINVAL;
			l->vlan = vi->vlan;
			l->qos = vi->qos;
			l->vlan_proto = ntohs(vi->vlan_proto);
			break; /* the kernel reports one entry */
		}
	}
	rate = payload(tb[IFLA_VF_RATE], sizeof(*rate));
	tx = payload(tb[IFLA_VF_TX_RATE], sizeof(*tx));
	if (rate) {
		l->min_tx_rate = rate->min_tx_rate;
		l->max_tx_rate = rate->max_tx_rate;
	} else if (tx) {
		l->max_tx_rate = tx->rate;
	}
	l->spoofchk = setting(tb[IFLA_VF_SPOOFCHK]);
	l->trust = setting(tb[IFLA_VF_TRUST]);
	l->query_rss = setting(tb[IFLA_VF_RSS_QUERY_EN]);
	ls = payload(tb[IFLA_VF_LINK_STATE], sizeof(*ls));
	l->link_state = ls && ls->link_state <= IFLA_VF_LINK_STATE_DISABLE
				? (int)ls->link_state
				: -1;
	if (tb[IFLA_VF_STATS] && parse_stats(tb[IFLA_VF_STATS], &vf->stats) < 0)
		return -EINVAL;
	return 0;
}

void vflink_dev_free(struct vflink_dev *dev)
{
	free(dev->vfs);
	dev->vfs = NULL;
	dev->n_vfs = 0;
}

int vflink_parse(const struct nlmsghdr *nlh, struct vflink_dev *out)
{
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };
	struct attrs at = { tb, IFLA_MAX };
	const struct ifinfomsg *ifi;
	const struct nlattr *a;
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	/*
	 * libmnl walks attributes up to the aligned end of the message: an
	 * unaligned length (the kernel pads every attribute, so never its
	 * own) would let the last attribute reach past the bytes received.
	 */
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)) ||
	    nlh->nlmsg_len % MNL_ALIGNTO)
		return -EINVAL;
	ifi = mnl_nlmsg_get_payload(nlh);
	if (mnl_attr_parse(nlh, sizeof(*ifi), collect, &at) < 0)
		return -EINVAL;
	out->ifindex = ifi->ifi_index;
	if (tb[IFLA_IFNAME])
		snprintf(out->ifname, sizeof(out->ifname), "%.*s",
			 (int)strnlen(mnl_attr_get_str(tb[IFLA_IFNAME]),
				      mnl_attr_get_payload_len(tb[IFLA_IFNAME])),
			 mnl_attr_get_str(tb[IFLA_IFNAME]));
	if (tb[IFLA_NUM_VF] && mnl_attr_get_payload_len(tb[IFLA_NUM_VF]) >= 4)
		out->num_vf = mnl_attr_get_u32(tb[IFLA_NUM_VF]);
	if (!tb[IFLA_VFINFO_LIST])
		return out->num_vf ? 1 : 0;
	mnl_attr_for_each_nested(a, tb[IFLA_VFINFO_LIST])
		n++;
	out->vfs = calloc(n ? n : 1, sizeof(*out->vfs));
	if (!out->vfs)
		return -ENOMEM;
	mnl_attr_for_each_nested(a, tb[IFLA_VFINFO_LIST]) {
		if (mnl_attr_get_type(a) != IFLA_VF_INFO)
			continue;
		if (parse_vf(a, &out->vfs[out->n_vfs]) < 0) {
			vflink_dev_free(out);
			return -EINVAL;
		}
		out->n_vfs++;
	}
	return 1;
}
