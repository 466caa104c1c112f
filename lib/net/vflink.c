/* SPDX-License-Identifier: MIT */
#include "net/vflink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
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

	if (type <= at->max)
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
	snprintf(l->mac, sizeof(l->mac), "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac->mac[0], mac->mac[1], mac->mac[2], mac->mac[3],
		 mac->mac[4], mac->mac[5]);
	l->vlan_proto = 0x8100;
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
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)))
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
