/* SPDX-License-Identifier: MIT */
/*
 * The settings that turn one VF link into another: what a policy plan
 * and a restore send, one setting per attribute that differs.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <linux/if_ether.h>

#include "io/parse.h"
#include "sriov.h"
#include "vf/settings.h"

static struct sriov_vf_setting *add_setting(struct sriov_vf_settings *s,
					    enum sriov_vf_attr attr)
{
	struct sriov_vf_setting *st = &s->v[s->n++];

	memset(st, 0, sizeof(*st));
	st->attr = attr;
	return st;
}

static void add_flag(struct sriov_vf_settings *s, int attr, int want, int cur)
{
	if (want < 0 || want == cur)
		return;
	add_setting(s, attr)->value = (unsigned)want;
	vf_setting_text(&s->v[s->n - 1]);
}

int sriov_vf_settings_diff_only(const struct sriov_vf_link *want,
				const struct sriov_vf_link *cur, unsigned mask,
				struct sriov_vf_settings *out)
{
#define IN(a) (mask & (1u << (a)))
	static const struct sriov_vf_link unknown = {
		.spoofchk = -2, .trust = -2, .query_rss = -2, .link_state = -2,
	};
	struct sriov_vf_setting *st;
	uint8_t mac[6];

	out->n = 0;
	out->v = calloc(8, sizeof(*out->v));
	if (!out->v)
		return -ENOMEM;
	if (!want->present)
		return 0;
	if (!cur || !cur->present)
		cur = &unknown;
	/* Unknown current state: new VFs start with no MAC, VLAN or rate. */
	bool fresh = cur == &unknown;
	bool ad = want->vlan_proto == ETH_P_8021AD;

	if (IN(SRIOV_VF_ATTR_MAC) && want->mac[0] && strcasecmp(want->mac, cur->mac) != 0 &&
	    parse_mac(want->mac, strlen(want->mac), mac) == 0 &&
	    !(fresh && strcmp(want->mac, "00:00:00:00:00:00") == 0)) {
		st = add_setting(out, SRIOV_VF_ATTR_MAC);
		memcpy(st->mac, mac, 6);
		vf_setting_text(st);
	}
	/* An unreported protocol (0) is 802.1Q. */
	bool vlan_differs = !(mask & SRIOV_VF_ATTRS_VLAN) ? false
		: fresh ? want->vlan || want->qos
		: want->vlan != cur->vlan || want->qos != cur->qos ||
		  ad != (cur->vlan_proto == ETH_P_8021AD);
	/* A rate the mask leaves out keeps its current value. */
	unsigned min = IN(SRIOV_VF_ATTR_MIN_RATE) ? want->min_tx_rate
		: fresh ? 0 : cur->min_tx_rate;
	unsigned max = IN(SRIOV_VF_ATTR_MAX_RATE) ? want->max_tx_rate
		: fresh ? 0 : cur->max_tx_rate;
	bool rates_differ = fresh ? min || max
		: min != cur->min_tx_rate || max != cur->max_tx_rate;

	if (vlan_differs) {
		st = add_setting(out, SRIOV_VF_ATTR_VLAN);
		st->vlan = want->vlan;
		st->qos = want->qos;
		st->vlan_proto = ad ? ETH_P_8021AD : ETH_P_8021Q;
		vf_setting_text(st);
	}
	if (IN(SRIOV_VF_ATTR_SPOOFCHK))
		add_flag(out, SRIOV_VF_ATTR_SPOOFCHK, want->spoofchk, cur->spoofchk);
	if (IN(SRIOV_VF_ATTR_TRUST))
		add_flag(out, SRIOV_VF_ATTR_TRUST, want->trust, cur->trust);
	if (IN(SRIOV_VF_ATTR_QUERY_RSS))
		add_flag(out, SRIOV_VF_ATTR_QUERY_RSS, want->query_rss, cur->query_rss);
	/* Both rates travel together: send the pair when either differs. */
	if (rates_differ) {
		st = add_setting(out, SRIOV_VF_ATTR_MIN_RATE);
		st->value = min;
		vf_setting_text(st);
		st = add_setting(out, SRIOV_VF_ATTR_MAX_RATE);
		st->value = max;
		vf_setting_text(st);
	}
	if (IN(SRIOV_VF_ATTR_LINK_STATE) &&
	    sriov_vf_link_state_name(want->link_state) &&
	    want->link_state != cur->link_state) {
		st = add_setting(out, SRIOV_VF_ATTR_LINK_STATE);
		st->value = (unsigned)want->link_state;
		vf_setting_text(st);
	}
	return 0;
#undef IN
}

int sriov_vf_settings_diff(const struct sriov_vf_link *want,
			   const struct sriov_vf_link *cur,
			   struct sriov_vf_settings *out)
{
	return sriov_vf_settings_diff_only(want, cur, SRIOV_VF_ATTRS_ALL, out);
}
