/* SPDX-License-Identifier: MIT */
/*
 * The VF attribute table (include/sriov/vf_attr.h): every spelling, the
 * value parsers and the canonical forms, in one place. docs/vf-attributes.md
 * shows it to users; a test keeps the two in step.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <linux/if_ether.h>
#include <linux/if_link.h>

#include "io/parse.h"
#include "sriov.h"
#include "util/errbuf.h"

/* Beyond the table's own spellings: systemd.link's [SR-IOV] keys and
 * the names of the SR-IOV CNI plugin's configuration. */
#define ALIASES(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const struct sriov_vf_attr_info table[SRIOV_VF_ATTR__COUNT] = {
	[SRIOV_VF_ATTR_MAC] = {
		SRIOV_VF_ATTR_MAC, SRIOV_VF_ATTR_T_MAC, "mac", "mac", "mac",
		"mac", ALIASES("macaddress"), IFLA_VF_MAC, SRIOV_VF_ATTR_MAC, 0, 0,
		"a unicast MAC, e.g. 02:00:00:00:00:01",
	},
	[SRIOV_VF_ATTR_VLAN] = {
		SRIOV_VF_ATTR_VLAN, SRIOV_VF_ATTR_T_UINT, "vlan", "vlan", "vlan",
		"vlan", ALIASES("vlanid"), IFLA_VF_VLAN, SRIOV_VF_ATTR_VLAN,
		0, 4094, "a VLAN id 0..4094 (0 removes the VLAN; 4095 is reserved)",
	},
	[SRIOV_VF_ATTR_QOS] = {
		SRIOV_VF_ATTR_QOS, SRIOV_VF_ATTR_T_UINT, "qos", "qos", "qos",
		"qos", ALIASES("vlan_qos", "vlanqos", "qualityofservice"), IFLA_VF_VLAN,
		SRIOV_VF_ATTR_VLAN, 0, 7, "a priority 0..7",
	},
	[SRIOV_VF_ATTR_VLAN_PROTO] = {
		SRIOV_VF_ATTR_VLAN_PROTO, SRIOV_VF_ATTR_T_VLAN_PROTO, "proto",
		"vlan_proto", "vlan_protocol", "proto",
		ALIASES("protocol", "vlanproto", "vlanprotocol"), IFLA_VF_VLAN_LIST,
		SRIOV_VF_ATTR_VLAN, 0, 0, "802.1Q or 802.1ad",
	},
	[SRIOV_VF_ATTR_SPOOFCHK] = {
		SRIOV_VF_ATTR_SPOOFCHK, SRIOV_VF_ATTR_T_BOOL, "spoofchk",
		"spoofchk", "spoofchk", "spoofchk", ALIASES("macspoofcheck"),
		IFLA_VF_SPOOFCHK, SRIOV_VF_ATTR_SPOOFCHK, 0, 1, "on or off",
	},
	[SRIOV_VF_ATTR_TRUST] = {
		SRIOV_VF_ATTR_TRUST, SRIOV_VF_ATTR_T_BOOL, "trust", "trust",
		"trust", "trust", ALIASES("trusted"), IFLA_VF_TRUST,
		SRIOV_VF_ATTR_TRUST, 0, 1, "on or off",
	},
	[SRIOV_VF_ATTR_MIN_RATE] = {
		SRIOV_VF_ATTR_MIN_RATE, SRIOV_VF_ATTR_T_UINT, "min-rate",
		"min_tx_rate", "min_tx_rate", "min_tx_rate", ALIASES(NULL),
		IFLA_VF_RATE, SRIOV_VF_ATTR_MIN_RATE, 0, UINT32_MAX,
		"a whole number of Mb/s, 0 for none",
	},
	[SRIOV_VF_ATTR_MAX_RATE] = {
		SRIOV_VF_ATTR_MAX_RATE, SRIOV_VF_ATTR_T_UINT, "max-rate",
		"max_tx_rate", "max_tx_rate", "max_tx_rate",
		ALIASES("rate"), IFLA_VF_RATE,
		SRIOV_VF_ATTR_MAX_RATE, 0, UINT32_MAX,
		"a whole number of Mb/s, 0 for no limit",
	},
	[SRIOV_VF_ATTR_LINK_STATE] = {
		SRIOV_VF_ATTR_LINK_STATE, SRIOV_VF_ATTR_T_LINK_STATE,
		"link-state", "link_state", "link_state", "state", ALIASES("linkstate"),
		IFLA_VF_LINK_STATE, SRIOV_VF_ATTR_LINK_STATE, 0, 0,
		"auto, enable or disable",
	},
	[SRIOV_VF_ATTR_QUERY_RSS] = {
		SRIOV_VF_ATTR_QUERY_RSS, SRIOV_VF_ATTR_T_BOOL, "query-rss",
		"query_rss", "query_rss", "query_rss", ALIASES("rss_query_en", "queryreceivesidescaling"),
		IFLA_VF_RSS_QUERY_EN, SRIOV_VF_ATTR_QUERY_RSS, 0, 1, "on or off",
	},
	[SRIOV_VF_ATTR_MTU] = {
		SRIOV_VF_ATTR_MTU, SRIOV_VF_ATTR_T_UINT, "mtu", "mtu", "mtu",
		"mtu", ALIASES(NULL), 0, SRIOV_VF_ATTR_MTU, 68, 65535,
		"an MTU 68..65535",
	},
	[SRIOV_VF_ATTR_DRIVER] = {
		SRIOV_VF_ATTR_DRIVER, SRIOV_VF_ATTR_T_DRIVER, "driver", "driver",
		"driver", NULL, ALIASES(NULL), 0, SRIOV_VF_ATTR_DRIVER, 0, 0,
		"a kernel driver name (letters, digits, '_', '-' and '.')",
	},
};

static const char *const link_states[] = {
	[IFLA_VF_LINK_STATE_AUTO] = "auto",
	[IFLA_VF_LINK_STATE_ENABLE] = "enable",
	[IFLA_VF_LINK_STATE_DISABLE] = "disable",
};

/* The spellings a user writes for booleans, YAML 1.1's among them. */
static const struct {
	const char *word;
	bool value;
} bools[] = {
	{ "on", true }, { "off", false }, { "true", true }, { "false", false },
	{ "yes", true }, { "no", false }, { "1", true }, { "0", false },
};

const struct sriov_vf_attr_info *sriov_vf_attr_info(enum sriov_vf_attr a)
{
	return (unsigned)a < SRIOV_VF_ATTR__COUNT ? &table[a] : NULL;
}

const char *sriov_vf_attr_key(enum sriov_vf_attr a)
{
	return (unsigned)a < SRIOV_VF_ATTR__COUNT ? table[a].key : NULL;
}

static char fold(char c)
{
	return c == '-' ? '_' : (char)tolower((unsigned char)c);
}

/* Equal, with '-' and '_' the same and letters of either case. */
static bool same_spelling(const char *a, const char *b)
{
	if (!a || !b)
		return false;
	for (; *a && *b; a++, b++)
		if (fold(*a) != fold(*b))
			return false;
	return *a == *b;
}

const struct sriov_vf_attr_info *sriov_vf_attr_lookup(const char *s)
{
	for (int a = 0; s && a < SRIOV_VF_ATTR__COUNT; a++) {
		const struct sriov_vf_attr_info *t = &table[a];

		if (same_spelling(s, t->name) || same_spelling(s, t->key) ||
		    same_spelling(s, t->json) || same_spelling(s, t->ip))
			return t;
		for (size_t i = 0; t->aliases[i]; i++)
			if (same_spelling(s, t->aliases[i]))
				return t;
	}
	return NULL;
}

int sriov_vf_attr_list(unsigned mask, bool keys, char *buf, size_t len)
{
	size_t n = 0;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	for (int a = 0; a < SRIOV_VF_ATTR__COUNT; a++) {
		int w;

		if (!(mask & (1u << a)))
			continue;
		w = snprintf(buf + n, len - n, "%s%s", n ? ", " : "",
			     keys ? table[a].key : table[a].name);
		if (w < 0 || (size_t)w >= len - n)
			return -ENOSPC;
		n += (size_t)w;
	}
	return 0;
}

const char *sriov_vf_link_state_name(int state)
{
	return state >= 0 && state < 3 ? link_states[state] : NULL;
}

const char *sriov_vf_vlan_proto_name(unsigned proto)
{
	return proto == ETH_P_8021Q ? "802.1Q" : proto == ETH_P_8021AD ? "802.1ad" : NULL;
}

/* Decimal digits only: "-1", "+3", "0x10" and "" are not numbers. */
static int parse_number(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	bool over = false;

	if (!*s)
		return -EINVAL;
	/* max is at most UINT32_MAX: v * 10 + 9 cannot wrap before it stops */
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (!over)
			v = v * 10 + (unsigned long)(*s - '0');
		over |= v > max;
	}
	if (over)
		return -ERANGE;
	*out = v;
	return 0;
}

int sriov_vf_attr_parse(enum sriov_vf_attr a, const char *s, struct sriov_vf_attr_value *out,
			char *err, size_t errlen)
{
	const struct sriov_vf_attr_info *t = sriov_vf_attr_info(a);
	static const uint8_t zero[6];
	unsigned long n;
	int r;

	if (errlen)
		err[0] = '\0';
	if (!t || !s)
		return errset(err, errlen, -EINVAL, "no such attribute");
	memset(out, 0, sizeof(*out));
	switch (t->type) {
	case SRIOV_VF_ATTR_T_MAC:
		if (parse_mac(s, strlen(s), out->mac) < 0 || strchr(s, '\n'))
			return errset(err, errlen, -EINVAL,
				      "\"%s\" is not a MAC address: give six octets, e.g. 02:00:00:00:00:01",
				      s);
		if (out->mac[0] & 1)
			return errset(err, errlen, -ERANGE,
				      "%s is a multicast address; a VF needs a unicast one", s);
		/* A zero MAC clears the VF's address: only when meant. */
		if (memcmp(out->mac, zero, 6) == 0 && strcmp(s, "00:00:00:00:00:00") != 0)
			return errset(err, errlen, -ERANGE,
				      "%s is all zeros: write 00:00:00:00:00:00 to clear the VF's MAC", s);
		return 0;
	case SRIOV_VF_ATTR_T_UINT:
		r = parse_number(s, t->max, &n);
		if (r == -EINVAL)
			return errset(err, errlen, r, "expected %s, got \"%s\"", t->values, s);
		if (r < 0 || n < t->min)
			return errset(err, errlen, -ERANGE, "%s is out of range %lu..%lu",
				      s, t->min, t->max);
		out->u = (unsigned)n;
		return 0;
	case SRIOV_VF_ATTR_T_BOOL:
		for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++)
			if (strcasecmp(s, bools[i].word) == 0) {
				out->u = bools[i].value;
				return 0;
			}
		return errset(err, errlen, -EINVAL,
			      "expected on or off (or true/false, yes/no, 1/0), got \"%s\"", s);
	case SRIOV_VF_ATTR_T_LINK_STATE:
		for (int i = 0; i < 3; i++)
			if (strcasecmp(s, link_states[i]) == 0) {
				out->u = (unsigned)i;
				return 0;
			}
		return errset(err, errlen, -EINVAL, "expected %s, got \"%s\"", t->values, s);
	case SRIOV_VF_ATTR_T_VLAN_PROTO:
		if (strcasecmp(s, "802.1Q") == 0)
			out->u = ETH_P_8021Q;
		else if (strcasecmp(s, "802.1ad") == 0)
			out->u = ETH_P_8021AD;
		else
			return errset(err, errlen, -EINVAL, "expected %s, got \"%s\"",
				      t->values, s);
		return 0;
	case SRIOV_VF_ATTR_T_DRIVER:
		if (!driver_name_valid(s))
			return errset(err, errlen, -EINVAL,
				      "\"%s\" is not a kernel driver name (letters, digits, '_', '-' and '.', first a letter or digit)",
				      s);
		out->str = s;
		return 0;
	}
	return -EINVAL;
}

int sriov_vf_attr_format(enum sriov_vf_attr a,
			 const struct sriov_vf_attr_value *v, char *buf, size_t len)
{
	const struct sriov_vf_attr_info *t = sriov_vf_attr_info(a);
	const char *s = NULL;

	if (!t || !len)
		return -EINVAL;
	switch (t->type) {
	case SRIOV_VF_ATTR_T_MAC:
		snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", v->mac[0],
			 v->mac[1], v->mac[2], v->mac[3], v->mac[4], v->mac[5]);
		return 0;
	case SRIOV_VF_ATTR_T_UINT:
		snprintf(buf, len, "%u", v->u);
		return 0;
	case SRIOV_VF_ATTR_T_BOOL:
		s = v->u > 1 ? NULL : v->u ? "on" : "off";
		break;
	case SRIOV_VF_ATTR_T_LINK_STATE:
		s = sriov_vf_link_state_name((int)v->u);
		break;
	case SRIOV_VF_ATTR_T_VLAN_PROTO:
		s = sriov_vf_vlan_proto_name(v->u);
		break;
	case SRIOV_VF_ATTR_T_DRIVER:
		s = v->str;
		break;
	}
	if (!s)
		return -EINVAL;
	snprintf(buf, len, "%s", s);
	return 0;
}
