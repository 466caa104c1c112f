/* SPDX-License-Identifier: MIT */
#include "ops/vf_request.h"

#include <errno.h>
#include <string.h>

#include <linux/if_ether.h>
#include <linux/if_link.h>

#include "vf/settings.h"

int vf_attrs_request(const struct sriov_vf_link *cur,
		     const struct sriov_vf_settings *s, size_t i,
		     struct vfset_req *req, size_t *covered_by)
{
	const struct sriov_vf_setting *st = &s->v[i];
	const struct sriov_vf_attr_info *t = sriov_vf_attr_info(st->attr);
	const struct sriov_vf_setting *mn, *mx;
	size_t imn = 0, imx = 0;

	memset(req, 0, sizeof(*req));
	if (!t || !t->nla_type || t->part_of != t->attr)
		return -EINVAL;
	req->type = t->nla_type;
	switch (st->attr) {
	case SRIOV_VF_ATTR_MAC:
		memcpy(req->mac, st->mac, sizeof(req->mac));
		break;
	case SRIOV_VF_ATTR_VLAN:
		/* Only the list form carries the protocol. */
		if (st->vlan_proto == ETH_P_8021AD)
			req->type = IFLA_VF_VLAN_LIST;
		req->vlan = st->vlan;
		req->qos = st->qos;
		req->vlan_proto = st->vlan_proto;
		break;
	case SRIOV_VF_ATTR_MIN_RATE:
	case SRIOV_VF_ATTR_MAX_RATE:
		mn = vf_settings_find(s, SRIOV_VF_ATTR_MIN_RATE, &imn);
		mx = vf_settings_find(s, SRIOV_VF_ATTR_MAX_RATE, &imx);
		if (mn && mx && i != (imn < imx ? imn : imx)) {
			if (covered_by)
				*covered_by = imn < imx ? imn : imx;
			return 1;
		}
		req->min_rate = mn ? mn->value : cur->min_tx_rate;
		req->max_rate = mx ? mx->value : cur->max_tx_rate;
		break;
	default:
		/* spoofchk, trust, query-rss, link-state: one number */
		req->value = st->value;
		break;
	}
	return 0;
}
