/* SPDX-License-Identifier: MIT */
#include "vf/json.h"

#include "util/jsonout.h"

static json_object *flag(int v)
{
	return v < 0 ? NULL : json_object_new_boolean(v);
}

void vf_link_json_add(json_object *o, const struct sriov_vf_link *l)
{
	for (int a = 0; a <= SRIOV_VF_ATTR_LINK_STATE; a++) {
		json_object *v = NULL;

		switch (a) {
		case SRIOV_VF_ATTR_MAC:
			v = jout_str(l->mac[0] ? l->mac : NULL);
			break;
		case SRIOV_VF_ATTR_VLAN:
			v = json_object_new_int64(l->vlan);
			break;
		case SRIOV_VF_ATTR_QOS:
			v = json_object_new_int64(l->qos);
			break;
		case SRIOV_VF_ATTR_VLAN_PROTO:
			v = jout_str(sriov_vf_vlan_proto_name(l->vlan_proto));
			break;
		case SRIOV_VF_ATTR_MIN_RATE:
			v = json_object_new_int64(l->min_tx_rate);
			break;
		case SRIOV_VF_ATTR_MAX_RATE:
			v = json_object_new_int64(l->max_tx_rate);
			break;
		case SRIOV_VF_ATTR_SPOOFCHK:
			v = flag(l->spoofchk);
			break;
		case SRIOV_VF_ATTR_TRUST:
			v = flag(l->trust);
			break;
		case SRIOV_VF_ATTR_QUERY_RSS:
			v = flag(l->query_rss);
			break;
		case SRIOV_VF_ATTR_LINK_STATE:
			v = jout_str(sriov_vf_link_state_name(l->link_state));
			break;
		}
		json_object_object_add(o, sriov_vf_attr_info(a)->json, v);
	}
}
