/* SPDX-License-Identifier: MIT */
/*
 * `ATTR VALUE [ATTR VALUE...]`, the grammar of `sriovctl vf VF set`: each
 * attribute by any of its spellings (sriov/vf_attr.h), `vlan ID [qos Q]
 * [proto P]` as iproute2 writes it, and the canonical text of a setting
 * that every "old -> new" line prints.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/if_ether.h>

#include "sriov.h"
#include "util/errbuf.h"
#include "vf/settings.h"

/* "100", "100 qos 3", "100 qos 3 proto 802.1ad": the kernel's defaults left out. */
static void vlan_text(unsigned vlan, unsigned qos, unsigned proto, char *buf,
		      size_t len)
{
	int n = snprintf(buf, len, "%u", vlan);

	if (qos && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " qos %u", qos);
	if (proto == ETH_P_8021AD && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " proto 802.1ad");
}

void vf_setting_text(struct sriov_vf_setting *st)
{
	struct sriov_vf_attr_value v = { .u = st->value };
	const char *name = sriov_vf_attr_info(st->attr)->name;
	char val[48] = "?";

	if (st->attr == SRIOV_VF_ATTR_VLAN) {
		vlan_text(st->vlan, st->qos, st->vlan_proto, val, sizeof(val));
	} else {
		memcpy(v.mac, st->mac, 6);
		sriov_vf_attr_format(st->attr, &v, val, sizeof(val));
	}
	snprintf(st->text, sizeof(st->text), "%s %s", name, val);
}

const struct sriov_vf_setting *vf_settings_find(const struct sriov_vf_settings *s,
						enum sriov_vf_attr attr, size_t *idx)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].attr == attr) {
			if (idx)
				*idx = i;
			return &s->v[i];
		}
	return NULL;
}

/* The attributes `vf set` takes on their own: the VF link ones but qos and proto. */
#define SET_ATTRS (SRIOV_VF_ATTRS_LINK & ~((1u << SRIOV_VF_ATTR_QOS) | \
				       (1u << SRIOV_VF_ATTR_VLAN_PROTO)))

/* vlan ID [qos Q] [proto P]; *i is at ID, left at the last token used. */
static int parse_vlan(int argc, char *const *argv, int *i,
		      struct sriov_vf_setting *st, char *err, size_t errlen)
{
	struct sriov_vf_attr_value v;
	unsigned given = 0;
	char msg[256];

	if (sriov_vf_attr_parse(SRIOV_VF_ATTR_VLAN, argv[*i], &v, msg, sizeof(msg)) < 0)
		return errset(err, errlen, -EDOM, "%s: %s", argv[*i - 1], msg);
	st->vlan = v.u;
	st->vlan_proto = ETH_P_8021Q;
	while (*i + 1 < argc) {
		const char *kw = argv[*i + 1];
		const struct sriov_vf_attr_info *t = sriov_vf_attr_lookup(kw);

		if (!t || t->part_of != SRIOV_VF_ATTR_VLAN || t->attr == SRIOV_VF_ATTR_VLAN)
			break;
		if (given & (1u << t->attr))
			return errset(err, errlen, -EINVAL, "vlan: '%s' is given twice", kw);
		given |= 1u << t->attr;
		if (*i + 2 >= argc)
			return errset(err, errlen, -EDOM, "vlan: '%s' needs a value (%s)",
				      kw, t->values);
		if (sriov_vf_attr_parse(t->attr, argv[*i + 2], &v, msg, sizeof(msg)) < 0)
			return errset(err, errlen, -EDOM, "vlan %s: %s", kw, msg);
		if (t->attr == SRIOV_VF_ATTR_QOS)
			st->qos = v.u;
		else
			st->vlan_proto = (uint16_t)v.u;
		*i += 2;
	}
	return 0;
}

static int parse_one(int argc, char *const *argv, int *i, unsigned *seen,
		     struct sriov_vf_setting *st, char *err, size_t errlen)
{
	const char *name = argv[*i];
	const struct sriov_vf_attr_info *t = sriov_vf_attr_lookup(name);
	struct sriov_vf_attr_value v;
	char msg[256];

	if (!t) {
		sriov_vf_attr_list(SET_ATTRS, false, msg, sizeof(msg));
		return errset(err, errlen, -EINVAL,
			      "unknown attribute '%s': use %s (docs/vf-attributes.md lists every spelling)",
			      name, msg);
	}
	if (t->part_of != t->attr)
		return errset(err, errlen, -EINVAL,
			      "'%s' belongs to a VLAN: write vlan ID %s VALUE",
			      name, t->name);
	if (t->attr == SRIOV_VF_ATTR_DRIVER)
		return errset(err, errlen, -EINVAL,
			      "a VF's driver is not a link attribute: use 'sriovctl vf VF bind DRIVER'");
	if (!t->nla_type)
		return errset(err, errlen, -EINVAL,
			      "%s is the VF netdev's own, not set through the PF: give it in a policy (mtu:) or use 'ip link set dev VF-NETDEV %s N'",
			      name, t->ip);
	if (*seen & (1u << t->attr))
		return errset(err, errlen, -EINVAL,
			      "%s is given twice: give each attribute once", name);
	*seen |= 1u << t->attr;
	if (*i + 1 >= argc)
		return errset(err, errlen, -EINVAL, "%s needs a value: %s", name,
			      t->attr == SRIOV_VF_ATTR_VLAN ?
			      "a VLAN id 0..4094, then optionally qos 0..7 and proto 802.1Q|802.1ad" :
			      t->values);
	st->attr = (int)t->attr;
	(*i)++;
	if (t->attr == SRIOV_VF_ATTR_VLAN) {
		int r = parse_vlan(argc, argv, i, st, err, errlen);

		return r == -EINVAL ? -EINVAL : r < 0 ? -EDOM : 0;
	}
	if (sriov_vf_attr_parse(t->attr, argv[*i], &v, msg, sizeof(msg)) < 0)
		return errset(err, errlen, -EDOM, "%s: %s", name, msg);
	memcpy(st->mac, v.mac, 6);
	st->value = v.u;
	return 0;
}

int sriov_vf_settings_parse(int argc, char *const *argv,
			    struct sriov_vf_settings *out,
			    char *err, size_t errlen)
{
	const struct sriov_vf_setting *mn, *mx;
	unsigned seen = 0;
	int r = 0;

	out->v = NULL;
	out->n = 0;
	if (errlen)
		err[0] = '\0';
	if (argc <= 0) {
		char known[256];

		sriov_vf_attr_list(SET_ATTRS, false, known, sizeof(known));
		return errset(err, errlen, -EINVAL,
			      "nothing to set: give ATTR VALUE pairs (%s)", known);
	}
	out->v = calloc((size_t)argc, sizeof(*out->v));
	if (!out->v)
		return -ENOMEM;
	for (int i = 0; i < argc && r == 0; i++) {
		struct sriov_vf_setting *st = &out->v[out->n];

		r = parse_one(argc, argv, &i, &seen, st, err, errlen);
		if (r == 0) {
			vf_setting_text(st);
			out->n++;
		}
	}
	if (r == 0) {
		mn = vf_settings_find(out, SRIOV_VF_ATTR_MIN_RATE, NULL);
		mx = vf_settings_find(out, SRIOV_VF_ATTR_MAX_RATE, NULL);
		if (mn && mx && mx->value && mn->value > mx->value)
			r = errset(err, errlen, -EDOM,
				   "min-rate %u is above max-rate %u: the guaranteed rate cannot exceed the limit (max-rate 0 means no limit)",
				   mn->value, mx->value);
	}
	if (r < 0)
		sriov_vf_settings_clear(out);
	return r;
}

void sriov_vf_settings_clear(struct sriov_vf_settings *s)
{
	if (!s)
		return;
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static const char *flag(int v)
{
	return v < 0 ? "?" : v ? "on" : "off";
}

int sriov_vf_link_value(const struct sriov_vf_link *l, enum sriov_vf_attr attr,
			char *buf, size_t len)
{
	const char *s;

	if ((unsigned)attr > SRIOV_VF_ATTR_LINK_STATE)
		return -EINVAL;
	if (!l->present) {
		snprintf(buf, len, "?");
		return 0;
	}
	switch (attr) {
	case SRIOV_VF_ATTR_MAC:
		snprintf(buf, len, "%s", l->mac[0] ? l->mac : "?");
		break;
	case SRIOV_VF_ATTR_VLAN:
		vlan_text(l->vlan, l->qos, l->vlan_proto, buf, len);
		break;
	case SRIOV_VF_ATTR_QOS:
		snprintf(buf, len, "%u", l->qos);
		break;
	case SRIOV_VF_ATTR_VLAN_PROTO:
		s = sriov_vf_vlan_proto_name(l->vlan_proto ? l->vlan_proto : ETH_P_8021Q);
		snprintf(buf, len, "%s", s ? s : "?");
		break;
	case SRIOV_VF_ATTR_SPOOFCHK:
		snprintf(buf, len, "%s", flag(l->spoofchk));
		break;
	case SRIOV_VF_ATTR_TRUST:
		snprintf(buf, len, "%s", flag(l->trust));
		break;
	case SRIOV_VF_ATTR_QUERY_RSS:
		snprintf(buf, len, "%s", flag(l->query_rss));
		break;
	case SRIOV_VF_ATTR_MIN_RATE:
		snprintf(buf, len, "%u", l->min_tx_rate);
		break;
	case SRIOV_VF_ATTR_MAX_RATE:
		snprintf(buf, len, "%u", l->max_tx_rate);
		break;
	case SRIOV_VF_ATTR_LINK_STATE:
		s = sriov_vf_link_state_name(l->link_state);
		snprintf(buf, len, "%s", s ? s : "?");
		break;
	case SRIOV_VF_ATTR_MTU:     /* not in the link: refused above */
	case SRIOV_VF_ATTR_DRIVER:
	case SRIOV_VF_ATTR__COUNT:
		return -EINVAL;
	}
	return 0;
}
