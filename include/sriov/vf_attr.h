/* SPDX-License-Identifier: MIT */
/*
 * libsriov — the VF attributes: one table with every spelling of each
 * attribute (the CLI's, the policy's and state file's, iproute2's, the
 * JSON name), its value parser, range and canonical printed form. `vf
 * set`, the policy, save/restore, the plan and the renderers all go
 * through it; docs/vf-attributes.md is the same table for users.
 *
 * A spelling matches with '-' and '_' taken as the same character, so
 * "max-rate", "max_rate" and "max_tx_rate" all name SRIOV_VF_ATTR_MAX_RATE.
 */
#ifndef SRIOV_VF_ATTR_H
#define SRIOV_VF_ATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Every VF attribute sriovctl reads or sets; bit (1u << attr) in masks.
 * In the order of the JSON views (show --json, the state file).
 */
enum sriov_vf_attr {
	SRIOV_VF_ATTR_MAC,        /* IFLA_VF_MAC */
	SRIOV_VF_ATTR_VLAN,       /* IFLA_VF_VLAN, or the list form for 802.1ad */
	SRIOV_VF_ATTR_QOS,        /* part of the VLAN request */
	SRIOV_VF_ATTR_VLAN_PROTO, /* part of the VLAN request */
	SRIOV_VF_ATTR_MIN_RATE,   /* IFLA_VF_RATE, with the max merged in */
	SRIOV_VF_ATTR_MAX_RATE,
	SRIOV_VF_ATTR_SPOOFCHK,   /* IFLA_VF_SPOOFCHK */
	SRIOV_VF_ATTR_TRUST,      /* IFLA_VF_TRUST */
	SRIOV_VF_ATTR_QUERY_RSS,  /* IFLA_VF_RSS_QUERY_EN */
	SRIOV_VF_ATTR_LINK_STATE, /* IFLA_VF_LINK_STATE */
	SRIOV_VF_ATTR_MTU,        /* of the VF's own netdev, not through the PF */
	SRIOV_VF_ATTR_DRIVER,     /* the VF's PCI driver (vf bind) */
	SRIOV_VF_ATTR__COUNT
};

/* The attributes set through the PF over rtnetlink (MAC .. LINK_STATE). */
#define SRIOV_VF_ATTRS_LINK ((1u << (SRIOV_VF_ATTR_LINK_STATE + 1)) - 1)
/* The three that travel as one VLAN request. */
#define SRIOV_VF_ATTRS_VLAN ((1u << SRIOV_VF_ATTR_VLAN) | \
	(1u << SRIOV_VF_ATTR_QOS) | (1u << SRIOV_VF_ATTR_VLAN_PROTO))

/* What an attribute's value is. */
enum sriov_vf_attr_type {
	SRIOV_VF_ATTR_T_MAC,        /* six octets, unicast */
	SRIOV_VF_ATTR_T_UINT,       /* decimal, min..max */
	SRIOV_VF_ATTR_T_BOOL,       /* on/off, true/false, yes/no, 1/0 */
	SRIOV_VF_ATTR_T_LINK_STATE, /* auto, enable, disable */
	SRIOV_VF_ATTR_T_VLAN_PROTO, /* 802.1Q, 802.1ad */
	SRIOV_VF_ATTR_T_DRIVER,     /* a kernel driver name */
};

struct sriov_vf_attr_info {
	enum sriov_vf_attr attr;
	enum sriov_vf_attr_type type;
	const char *name;            /* canonical, printed: "max-rate" */
	const char *key;             /* policy and state-file key: "max_tx_rate" */
	const char *json;            /* in show --json and the state file */
	const char *ip;              /* iproute2's keyword, NULL: none */
	const char *const *aliases;  /* more spellings accepted, NULL-ended */
	uint16_t nla_type;           /* IFLA_VF_*, 0: not a VF link attribute */
	enum sriov_vf_attr part_of;  /* QOS, VLAN_PROTO: VLAN; else itself */
	unsigned long min, max;      /* UINT */
	const char *values;          /* what it takes, for messages */
};

/* A parsed value: which member holds it follows the attribute's type. */
struct sriov_vf_attr_value {
	uint8_t mac[6];              /* MAC */
	unsigned u;                  /* UINT; BOOL 0/1; SRIOV_VF_LINK_*;
					ETH_P_8021Q or ETH_P_8021AD */
	const char *str;             /* DRIVER: points into the parsed text */
};

/* The entry of @a, or NULL when @a is not an attribute. */
const struct sriov_vf_attr_info *sriov_vf_attr_info(enum sriov_vf_attr a);

/* The policy and state-file key of @a ("min_tx_rate"), or NULL. */
const char *sriov_vf_attr_key(enum sriov_vf_attr a);

/*
 * The attribute @spelling names: its canonical name, policy key, JSON
 * name, iproute2 keyword or an alias, '-' and '_' alike. NULL if none.
 */
const struct sriov_vf_attr_info *sriov_vf_attr_lookup(const char *spelling);

/*
 * Parse @s as a value of @a. Returns 0; -EINVAL when @s is not of the
 * attribute's form, -ERANGE when it is out of range or not allowed (a
 * multicast MAC, zeros not written 00:00:00:00:00:00). @err gets one
 * message without the attribute's name ("4095 is out of range 0..4094"),
 * for the caller to prefix with the spelling the user wrote.
 */
int sriov_vf_attr_parse(enum sriov_vf_attr a, const char *s, struct sriov_vf_attr_value *out,
			char *err, size_t errlen);

/*
 * The canonical form of @v as a value of @a ("on", "802.1ad", "auto",
 * "02:00:00:00:00:01"), what every view prints. Returns 0 or -EINVAL.
 */
int sriov_vf_attr_format(enum sriov_vf_attr a,
			 const struct sriov_vf_attr_value *v, char *buf, size_t len);

/*
 * The attributes in @mask, in the table's order, as "a, b, c": their
 * canonical names, or with @keys their policy keys. For messages that
 * list what is known. Returns 0, or -ENOSPC when cut short.
 */
int sriov_vf_attr_list(unsigned mask, bool keys, char *buf, size_t len);

/* "auto", "enable", "disable" for SRIOV_VF_LINK_*, else NULL. */
const char *sriov_vf_link_state_name(int state);

/* "802.1Q" for ETH_P_8021Q, "802.1ad" for ETH_P_8021AD, else NULL. */
const char *sriov_vf_vlan_proto_name(unsigned proto);

#ifdef __cplusplus
}
#endif

#endif
