/* SPDX-License-Identifier: MIT */
/*
 * `sriovctl vf VF set ATTR VALUE...`: validate every setting first, then
 * send one RTM_SETLINK per setting so that a driver refusing one (igb has
 * no min rate and no link state) does not block the others.
 */
#include "ops/vf_attrs.h"

#include "io/parse.h"
#include "net/rtnl.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>

static const struct {
	const char *name;
	int attr;
	const char *values;   /* for "needs a value" messages */
} attrs[] = {
	{ "mac", SRIOV_VF_ATTR_MAC, "a unicast MAC, e.g. 02:00:00:00:00:01" },
	{ "vlan", SRIOV_VF_ATTR_VLAN, "a VLAN id 0..4094, then optionally qos 0..7 and proto 802.1Q|802.1ad" },
	{ "spoofchk", SRIOV_VF_ATTR_SPOOFCHK, "on or off" },
	{ "trust", SRIOV_VF_ATTR_TRUST, "on or off" },
	{ "min-rate", SRIOV_VF_ATTR_MIN_RATE, "a rate in Mb/s, 0 for none" },
	{ "max-rate", SRIOV_VF_ATTR_MAX_RATE, "a rate in Mb/s, 0 for no limit" },
	{ "link-state", SRIOV_VF_ATTR_LINK_STATE, "auto, enable or disable" },
	{ "query-rss", SRIOV_VF_ATTR_QUERY_RSS, "on or off" },
};

#define N_ATTRS (sizeof(attrs) / sizeof(attrs[0]))

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* Decimal digits only: "-1", "+3", "0x10" and "" are refused. */
static int parse_num(const char *s, unsigned long max, unsigned *out)
{
	unsigned long v = 0;

	if (!*s)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return -ERANGE;
	}
	*out = (unsigned)v;
	return 0;
}

static int parse_onoff(const char *s, unsigned *out)
{
	if (strcmp(s, "on") == 0)
		*out = 1;
	else if (strcmp(s, "off") == 0)
		*out = 0;
	else
		return -EINVAL;
	return 0;
}

/* Six colon-separated octets of one or two hex digits, as ip takes them. */
static int parse_user_mac(const char *s, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		int hi = parse_hexdigit(*s), lo;

		if (hi < 0)
			return -EINVAL;
		s++;
		lo = parse_hexdigit(*s);
		if (lo >= 0) {
			mac[i] = (uint8_t)(hi << 4 | lo);
			s++;
		} else {
			mac[i] = (uint8_t)hi;
		}
		if (i < 5 && *s++ != ':')
			return -EINVAL;
	}
	return *s ? -EINVAL : 0;
}

static int find_attr(const char *name)
{
	for (size_t i = 0; i < N_ATTRS; i++)
		if (strcmp(attrs[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* iproute2's spellings, to point users at ours. */
static const char *ip_spelling(const char *name)
{
	static const char *const map[][2] = {
		{ "min_tx_rate", "min-rate" }, { "max_tx_rate", "max-rate" },
		{ "rate", "max-rate" }, { "state", "link-state" },
		{ "query_rss", "query-rss" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i][0], name) == 0)
			return map[i][1];
	return NULL;
}

static void append(char *buf, size_t len, const char *word)
{
	size_t n = strlen(buf);

	snprintf(buf + n, len - n, "%s%s", n ? " " : "", word);
}

/* vlan ID [qos Q] [proto P]; *i is at ID, left at the last token used. */
static int parse_vlan(int argc, char *const *argv, int *i,
		      struct sriov_vf_setting *st, char *err, size_t errlen)
{
	bool qos = false, proto = false;
	int r = parse_num(argv[*i], 4094, &st->vlan);

	if (r < 0)
		return fail(err, errlen,
			    "vlan '%s' is not a VLAN id: use 0..4094 (0 removes the VLAN; 4095 is reserved)",
			    argv[*i]);
	append(st->text, sizeof(st->text), argv[*i]);
	st->vlan_proto = 0x8100;
	while (*i + 1 < argc) {
		const char *kw = argv[*i + 1];

		if (strcmp(kw, "qos") != 0 && strcmp(kw, "proto") != 0)
			break;
		if ((kw[0] == 'q' && qos) || (kw[0] == 'p' && proto))
			return fail(err, errlen, "vlan: '%s' is given twice", kw);
		if (*i + 2 >= argc)
			return fail(err, errlen, "vlan: '%s' needs a value (%s)",
				    kw, kw[0] == 'q' ? "a priority 0..7" :
				    "802.1Q or 802.1ad");
		if (kw[0] == 'q') {
			qos = true;
			if (parse_num(argv[*i + 2], 7, &st->qos) < 0)
				return fail(err, errlen,
					    "vlan qos '%s' is not a priority: use 0..7",
					    argv[*i + 2]);
		} else {
			const char *p = argv[*i + 2];

			proto = true;
			if (strcasecmp(p, "802.1Q") == 0)
				st->vlan_proto = 0x8100;
			else if (strcasecmp(p, "802.1ad") == 0)
				st->vlan_proto = 0x88a8;
			else
				return fail(err, errlen,
					    "vlan proto '%s' is not a VLAN protocol: use 802.1Q or 802.1ad",
					    p);
		}
		append(st->text, sizeof(st->text), kw);
		append(st->text, sizeof(st->text), argv[*i + 2]);
		*i += 2;
	}
	return 0;
}

static int parse_value(int argc, char *const *argv, int *i,
		       struct sriov_vf_setting *st, char *err, size_t errlen)
{
	const char *name = argv[*i - 1], *v = argv[*i];

	switch (st->attr) {
	case SRIOV_VF_ATTR_MAC: {
		static const uint8_t zero[6];

		if (parse_user_mac(v, st->mac) < 0)
			return fail(err, errlen,
				    "mac '%s' is not a MAC address: give six octets, e.g. 02:00:00:00:00:01",
				    v);
		if (st->mac[0] & 1)
			return fail(err, errlen,
				    "mac %s is a multicast address (lowest bit of the first octet set): a VF needs a unicast MAC, e.g. 02:00:00:00:00:01",
				    v);
		/* A zero MAC clears the VF's address: only when meant. */
		if (memcmp(st->mac, zero, 6) == 0 &&
		    strcmp(v, "00:00:00:00:00:00") != 0)
			return fail(err, errlen,
				    "mac %s is all zeros: write 00:00:00:00:00:00 to clear the VF's MAC",
				    v);
		break;
	}
	case SRIOV_VF_ATTR_VLAN:
		return parse_vlan(argc, argv, i, st, err, errlen);
	case SRIOV_VF_ATTR_SPOOFCHK:
	case SRIOV_VF_ATTR_TRUST:
	case SRIOV_VF_ATTR_QUERY_RSS:
		if (parse_onoff(v, &st->value) < 0)
			return fail(err, errlen, "%s '%s': use on or off",
				    name, v);
		break;
	case SRIOV_VF_ATTR_MIN_RATE:
	case SRIOV_VF_ATTR_MAX_RATE:
		if (parse_num(v, UINT32_MAX, &st->value) < 0)
			return fail(err, errlen,
				    "%s '%s' is not a rate: give a whole number of Mb/s (0..%u)",
				    name, v, UINT32_MAX);
		break;
	case SRIOV_VF_ATTR_LINK_STATE:
		if (strcmp(v, "auto") == 0)
			st->value = IFLA_VF_LINK_STATE_AUTO;
		else if (strcmp(v, "enable") == 0)
			st->value = IFLA_VF_LINK_STATE_ENABLE;
		else if (strcmp(v, "disable") == 0)
			st->value = IFLA_VF_LINK_STATE_DISABLE;
		else
			return fail(err, errlen,
				    "link-state '%s': use auto, enable or disable",
				    v);
		break;
	}
	append(st->text, sizeof(st->text), v);
	return 0;
}

static const struct sriov_vf_setting *find(const struct sriov_vf_settings *s,
					   int attr, size_t *idx)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].attr == attr) {
			if (idx)
				*idx = i;
			return &s->v[i];
		}
	return NULL;
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
	if (argc <= 0)
		return fail(err, errlen,
			    "nothing to set: give ATTR VALUE pairs (mac, vlan, spoofchk, trust, min-rate, max-rate, link-state, query-rss)");
	out->v = calloc((size_t)argc, sizeof(*out->v));
	if (!out->v)
		return -ENOMEM;
	for (int i = 0; i < argc && r == 0; i++) {
		struct sriov_vf_setting *st = &out->v[out->n];
		const char *name = argv[i];
		int a = find_attr(name);

		if (a < 0) {
			if (strcmp(name, "qos") == 0 || strcmp(name, "proto") == 0)
				r = fail(err, errlen,
					 "'%s' belongs to a VLAN: write vlan ID %s VALUE",
					 name, name);
			else if (ip_spelling(name))
				r = fail(err, errlen,
					 "unknown attribute '%s': sriovctl spells it '%s'",
					 name, ip_spelling(name));
			else
				r = fail(err, errlen,
					 "unknown attribute '%s': use mac, vlan, spoofchk, trust, min-rate, max-rate, link-state or query-rss",
					 name);
			break;
		}
		if (seen & (1u << a)) {
			r = fail(err, errlen,
				 "%s is given twice: give each attribute once",
				 name);
			break;
		}
		seen |= 1u << a;
		if (i + 1 >= argc) {
			r = fail(err, errlen, "%s needs a value: %s", name,
				 attrs[a].values);
			break;
		}
		st->attr = attrs[a].attr;
		snprintf(st->text, sizeof(st->text), "%s", name);
		i++;
		r = parse_value(argc, argv, &i, st, err, errlen);
		if (r == 0)
			out->n++;
		else if (r == -EINVAL)
			r = -EDOM;
	}
	if (r == 0) {
		mn = find(out, SRIOV_VF_ATTR_MIN_RATE, NULL);
		mx = find(out, SRIOV_VF_ATTR_MAX_RATE, NULL);
		if (mn && mx && mx->value && mn->value > mx->value) {
			fail(err, errlen,
				 "min-rate %u is above max-rate %u: the guaranteed rate cannot exceed the limit (max-rate 0 means no limit)",
				 mn->value, mx->value);
			r = -EDOM;
		}
	}
	if (r < 0)
		sriov_vf_settings_free(out);
	return r;
}

static const char *onoff(int v)
{
	return v < 0 ? "?" : v ? "on" : "off";
}

int sriov_vf_link_value(const struct sriov_vf_link *l, int attr,
			char *buf, size_t len)
{
	static const char *const states[] = { "auto", "enable", "disable" };

	if (attr < SRIOV_VF_ATTR_MAC || attr > SRIOV_VF_ATTR_QUERY_RSS)
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
		if (l->vlan_proto == 0x88a8)
			snprintf(buf, len, "%u qos %u proto 802.1ad", l->vlan,
				 l->qos);
		else if (l->qos)
			snprintf(buf, len, "%u qos %u", l->vlan, l->qos);
		else
			snprintf(buf, len, "%u", l->vlan);
		break;
	case SRIOV_VF_ATTR_SPOOFCHK:
		snprintf(buf, len, "%s", onoff(l->spoofchk));
		break;
	case SRIOV_VF_ATTR_TRUST:
		snprintf(buf, len, "%s", onoff(l->trust));
		break;
	case SRIOV_VF_ATTR_QUERY_RSS:
		snprintf(buf, len, "%s", onoff(l->query_rss));
		break;
	case SRIOV_VF_ATTR_MIN_RATE:
		snprintf(buf, len, "%u", l->min_tx_rate);
		break;
	case SRIOV_VF_ATTR_MAX_RATE:
		snprintf(buf, len, "%u", l->max_tx_rate);
		break;
	case SRIOV_VF_ATTR_LINK_STATE:
		snprintf(buf, len, "%s",
			 l->link_state >= 0 && l->link_state < 3 ?
				 states[l->link_state] : "?");
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

static struct sriov_vf_setting *add_setting(struct sriov_vf_settings *s,
					    int attr, const char *name)
{
	struct sriov_vf_setting *st = &s->v[s->n++];

	memset(st, 0, sizeof(*st));
	st->attr = attr;
	snprintf(st->text, sizeof(st->text), "%s", name);
	return st;
}

static void add_flag(struct sriov_vf_settings *s, int attr, const char *name,
		     int want, int cur)
{
	if (want < 0 || want == cur)
		return;
	add_setting(s, attr, name)->value = (unsigned)want;
	append(s->v[s->n - 1].text, sizeof(s->v[0].text), want ? "on" : "off");
}

int sriov_vf_settings_diff_only(const struct sriov_vf_link *want,
				const struct sriov_vf_link *cur, unsigned mask,
				struct sriov_vf_settings *out)
{
#define IN(a) (mask & (1u << (a)))
	static const struct sriov_vf_link unknown = {
		.spoofchk = -2, .trust = -2, .query_rss = -2, .link_state = -2,
	};
	static const char *const states[] = { "auto", "enable", "disable" };
	struct sriov_vf_setting *st;
	uint8_t mac[6];
	char num[32];

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

	if (IN(SRIOV_VF_ATTR_MAC) && want->mac[0] && strcasecmp(want->mac, cur->mac) != 0 &&
	    parse_user_mac(want->mac, mac) == 0 &&
	    !(fresh && strcmp(want->mac, "00:00:00:00:00:00") == 0)) {
		st = add_setting(out, SRIOV_VF_ATTR_MAC, "mac");
		memcpy(st->mac, mac, 6);
		append(st->text, sizeof(st->text), want->mac);
	}
	/* An unreported protocol (0) is 802.1Q. */
	bool vlan_differs = !IN(SRIOV_VF_ATTR_VLAN) ? false
		: fresh ? want->vlan || want->qos
		: want->vlan != cur->vlan || want->qos != cur->qos ||
		  (want->vlan_proto == 0x88a8) != (cur->vlan_proto == 0x88a8);
	/* A rate the mask leaves out keeps its current value. */
	unsigned min = IN(SRIOV_VF_ATTR_MIN_RATE) ? want->min_tx_rate
		: fresh ? 0 : cur->min_tx_rate;
	unsigned max = IN(SRIOV_VF_ATTR_MAX_RATE) ? want->max_tx_rate
		: fresh ? 0 : cur->max_tx_rate;
	bool rates_differ = fresh ? min || max
		: min != cur->min_tx_rate || max != cur->max_tx_rate;

	if (vlan_differs) {
		st = add_setting(out, SRIOV_VF_ATTR_VLAN, "vlan");
		st->vlan = want->vlan;
		st->qos = want->qos;
		st->vlan_proto = want->vlan_proto == 0x88a8 ? 0x88a8 : 0x8100;
		snprintf(num, sizeof(num), "%u", want->vlan);
		append(st->text, sizeof(st->text), num);
		if (want->qos) {
			snprintf(num, sizeof(num), "qos %u", want->qos);
			append(st->text, sizeof(st->text), num);
		}
		if (st->vlan_proto == 0x88a8)
			append(st->text, sizeof(st->text), "proto 802.1ad");
	}
	if (IN(SRIOV_VF_ATTR_SPOOFCHK))
		add_flag(out, SRIOV_VF_ATTR_SPOOFCHK, "spoofchk",
			 want->spoofchk, cur->spoofchk);
	if (IN(SRIOV_VF_ATTR_TRUST))
		add_flag(out, SRIOV_VF_ATTR_TRUST, "trust", want->trust,
			 cur->trust);
	if (IN(SRIOV_VF_ATTR_QUERY_RSS))
		add_flag(out, SRIOV_VF_ATTR_QUERY_RSS, "query-rss",
			 want->query_rss, cur->query_rss);
	/* Both rates travel together: send the pair when either differs. */
	if (rates_differ) {
		st = add_setting(out, SRIOV_VF_ATTR_MIN_RATE, "min-rate");
		st->value = min;
		snprintf(num, sizeof(num), "%u", min);
		append(st->text, sizeof(st->text), num);
		st = add_setting(out, SRIOV_VF_ATTR_MAX_RATE, "max-rate");
		st->value = max;
		snprintf(num, sizeof(num), "%u", max);
		append(st->text, sizeof(st->text), num);
	}
	if (IN(SRIOV_VF_ATTR_LINK_STATE) &&
	    want->link_state >= 0 && want->link_state < 3 &&
	    want->link_state != cur->link_state) {
		st = add_setting(out, SRIOV_VF_ATTR_LINK_STATE, "link-state");
		st->value = (unsigned)want->link_state;
		append(st->text, sizeof(st->text), states[want->link_state]);
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

void sriov_vf_settings_free(struct sriov_vf_settings *s)
{
	if (!s)
		return;
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static const char *pf_name(const struct sriov_pf *pf)
{
	return pf->n_netdevs ? pf->netdevs[0].name : pf->address;
}

int sriov_vf_settings_check(const struct sriov_pf *pf,
			    const struct sriov_vf *vf,
			    const struct sriov_vf_settings *s,
			    char *err, size_t errlen)
{
	const struct sriov_vf_setting *mn, *mx;
	const struct sriov_vf_link *cur = &vf->link;

	if (errlen)
		err[0] = '\0';
	if (pf->n_netdevs == 0 || pf->netdevs[0].ifindex <= 0) {
		fail(err, errlen,
		     "PF %s (driver %s) has no netdev: a PF without a netdev (unbound, vfio-pci, or an NVMe) cannot configure VFs over rtnetlink; bind it to its network driver",
		     pf->address, pf->driver ? pf->driver : "none");
		return -ENODEV;
	}
	if (vf->index >= pf->num_vfs) {
		fail(err, errlen,
		     "%s has %u VFs, so vf%u does not exist; 'sriovctl show %s' lists them",
		     pf_name(pf), pf->num_vfs, vf->index, pf_name(pf));
		return -ERANGE;
	}
	mn = find(s, SRIOV_VF_ATTR_MIN_RATE, NULL);
	mx = find(s, SRIOV_VF_ATTR_MAX_RATE, NULL);
	if ((mn == NULL) != (mx == NULL) && !cur->present) {
		fail(err, errlen,
		     "%s/vf%u: the kernel did not report the VF's current rates, and setting %s alone would reset %s; give both min-rate and max-rate",
		     pf_name(pf), vf->index, mn ? "min-rate" : "max-rate",
		     mn ? "max-rate" : "min-rate");
		return -ENODATA;
	}
	if (mn && !mx && cur->max_tx_rate && mn->value > cur->max_tx_rate) {
		fail(err, errlen,
		     "%s/vf%u min-rate %u is above the VF's max-rate %u: raise max-rate in the same command (max-rate 0 means no limit)",
		     pf_name(pf), vf->index, mn->value, cur->max_tx_rate);
		return -EINVAL;
	}
	if (mx && !mn && mx->value && cur->min_tx_rate > mx->value) {
		fail(err, errlen,
		     "%s/vf%u max-rate %u is below the VF's min-rate %u: lower min-rate in the same command",
		     pf_name(pf), vf->index, mx->value, cur->min_tx_rate);
		return -EINVAL;
	}
	return 0;
}

int vf_attrs_request(const struct sriov_vf_link *cur,
		     const struct sriov_vf_settings *s, size_t i,
		     struct vfset_req *req, size_t *covered_by)
{
	const struct sriov_vf_setting *st = &s->v[i];
	const struct sriov_vf_setting *mn, *mx;
	size_t imn = 0, imx = 0;

	memset(req, 0, sizeof(*req));
	switch (st->attr) {
	case SRIOV_VF_ATTR_MAC:
		req->type = IFLA_VF_MAC;
		memcpy(req->mac, st->mac, sizeof(req->mac));
		break;
	case SRIOV_VF_ATTR_VLAN:
		/* Only the list form carries the protocol. */
		req->type = st->vlan_proto == 0x88a8 ? IFLA_VF_VLAN_LIST :
						       IFLA_VF_VLAN;
		req->vlan = st->vlan;
		req->qos = st->qos;
		req->vlan_proto = st->vlan_proto;
		break;
	case SRIOV_VF_ATTR_SPOOFCHK:
		req->type = IFLA_VF_SPOOFCHK;
		req->value = st->value;
		break;
	case SRIOV_VF_ATTR_TRUST:
		req->type = IFLA_VF_TRUST;
		req->value = st->value;
		break;
	case SRIOV_VF_ATTR_QUERY_RSS:
		req->type = IFLA_VF_RSS_QUERY_EN;
		req->value = st->value;
		break;
	case SRIOV_VF_ATTR_LINK_STATE:
		req->type = IFLA_VF_LINK_STATE;
		req->value = st->value;
		break;
	case SRIOV_VF_ATTR_MIN_RATE:
	case SRIOV_VF_ATTR_MAX_RATE:
		mn = find(s, SRIOV_VF_ATTR_MIN_RATE, &imn);
		mx = find(s, SRIOV_VF_ATTR_MAX_RATE, &imx);
		if (mn && mx && i != (imn < imx ? imn : imx)) {
			if (covered_by)
				*covered_by = imn < imx ? imn : imx;
			return 1;
		}
		req->type = IFLA_VF_RATE;
		req->min_rate = mn ? mn->value : cur->min_tx_rate;
		req->max_rate = mx ? mx->value : cur->max_tx_rate;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

int sriov_vf_settings_apply(const struct sriov_pf *pf,
			    const struct sriov_vf *vf,
			    const struct sriov_vf_settings *s,
			    struct sriov_vf_results *out,
			    char *err, size_t errlen)
{
	struct mnl_socket *nl = NULL;
	uint32_t seq = (uint32_t)time(NULL);
	char msg[256];
	int r;

	out->v = NULL;
	out->n = 0;
	r = sriov_vf_settings_check(pf, vf, s, err, errlen);
	if (r < 0)
		return r;
	out->v = calloc(s->n ? s->n : 1, sizeof(*out->v));
	if (!out->v)
		return -ENOMEM;
	r = rtnl_open(&nl);
	if (r < 0) {
		snprintf(err, errlen, "%s/vf%u: cannot open an rtnetlink socket: %s",
			 pf_name(pf), vf->index, strerror(-r));
		sriov_vf_results_free(out);
		return r;
	}
	for (size_t i = 0; i < s->n; i++) {
		struct sriov_vf_result *res = &out->v[i];
		struct vfset_req req;
		size_t by = 0;

		res->setting = &s->v[i];
		r = vf_attrs_request(&vf->link, s, i, &req, &by);
		if (r == 1) {
			/* The pair's answer was the answer to both. */
			res->err = out->v[by].err;
			if (out->v[by].msg)
				res->msg = strdup(out->v[by].msg);
		} else if (r < 0) {
			res->err = r;
		} else {
			res->err = vfset_send(nl, seq++, pf->netdevs[0].ifindex,
					      vf->index, &req, msg,
					      sizeof(msg));
			if (msg[0])
				res->msg = strdup(msg);
		}
		out->n++;
	}
	mnl_socket_close(nl);
	return 0;
}

void sriov_vf_results_free(struct sriov_vf_results *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].msg);
	free(r->v);
	r->v = NULL;
	r->n = 0;
}
