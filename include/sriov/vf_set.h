/* SPDX-License-Identifier: MIT */
/*
 * libsriov — VF settings: what `sriovctl vf VF set` parses, checks and
 * sends to the PF's driver, and each setting's outcome.
 */
#ifndef SRIOV_VF_SET_H
#define SRIOV_VF_SET_H

#include <stddef.h>
#include <stdint.h>

#include "sriov/model.h"
#include "sriov/vf_attr.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What `sriovctl vf VF set` changes: enum sriov_vf_attr, sriov/vf_attr.h. */

/* One requested setting. */
struct sriov_vf_setting {
	enum sriov_vf_attr attr; /* MAC, VLAN (with qos and proto), SPOOFCHK
				    .. QUERY_RSS */
	char text[64];         /* canonical: "vlan 100 qos 3", "max-rate 5" */
	uint8_t mac[6];
	unsigned vlan;
	unsigned qos;
	uint16_t vlan_proto;   /* ETH_P_8021Q or ETH_P_8021AD */
	unsigned value;        /* 1/0 for on/off, Mb/s, SRIOV_VF_LINK_* */
};

struct sriov_vf_settings {
	struct sriov_vf_setting *v;
	size_t n;
};

/*
 * Parse @argc tokens of `ATTR VALUE [ATTR VALUE...]` and validate them on
 * their own (MAC unicast and not zero unless written 00:00:00:00:00:00,
 * VLAN 0..4094, qos 0..7, proto, rates, min <= max when both are given).
 * @err holds one message naming the attribute and the fix. Returns 0,
 * -EINVAL for bad syntax (unknown attribute, missing value, given twice),
 * -EDOM for a value out of its domain, -ENOMEM. Free @out with sriov_vf_settings_clear().
 */
int sriov_vf_settings_parse(int argc, char *const *argv,
			    struct sriov_vf_settings *out,
			    char *err, size_t errlen);
void sriov_vf_settings_clear(struct sriov_vf_settings *s);

/*
 * The settings that turn @cur into @want (both as the kernel reports VF
 * links; @cur NULL or not present: unknown, so every attribute @want has
 * is set). Attributes @want does not report (-1, "" MAC) are left alone;
 * the two rates come as a min/max pair when either differs. Returns 0 or
 * -ENOMEM. Free @out with sriov_vf_settings_clear().
 */
int sriov_vf_settings_diff(const struct sriov_vf_link *want,
			   const struct sriov_vf_link *cur,
			   struct sriov_vf_settings *out);

/* Every link attribute, for sriov_vf_settings_diff_only(). */
#define SRIOV_VF_ATTRS_ALL SRIOV_VF_ATTRS_LINK

/*
 * sriov_vf_settings_diff() limited to the attributes in @mask
 * (1u << enum sriov_vf_attr): a policy sets only what it names. A single
 * rate in the mask is sent with the other one's current value (0 when
 * unknown).
 */
int sriov_vf_settings_diff_only(const struct sriov_vf_link *want,
				const struct sriov_vf_link *cur, unsigned mask,
				struct sriov_vf_settings *out);

/*
 * The current value of @attr in @l, spelled as a setting's value ("100
 * qos 3", "on", "02:00:00:00:00:01"); "?" when the kernel did not report it. For "old -> new" logs. Returns 0 or -EINVAL.
 */
int sriov_vf_link_value(const struct sriov_vf_link *l, enum sriov_vf_attr attr,
			char *buf, size_t len);

/*
 * Whether @s can be applied to @vf of @pf as the inventory knows them:
 * -ENODEV when the PF has no netdev, -ERANGE when the VF index is beyond
 * the PF's VFs, -EINVAL when a single rate conflicts with the other's
 * current value, -ENODATA when a single rate is given and the current
 * rates are unknown. @err says which and what to do. Returns 0 or those.
 */
int sriov_vf_settings_check(const struct sriov_pf *pf,
			    const struct sriov_vf *vf,
			    const struct sriov_vf_settings *s,
			    char *err, size_t errlen);

/* The outcome of one setting (or of a min/max rate pair sent together). */
struct sriov_vf_result {
	const struct sriov_vf_setting *setting;
	int err;               /* 0 applied, else the negative errno */
	char *msg;             /* the kernel's extended ack message, or NULL */
};

struct sriov_vf_results {
	struct sriov_vf_result *v;  /* one per setting, in order */
	size_t n;
};

/*
 * Check @s (sriov_vf_settings_check) and send one RTM_SETLINK per setting
 * to the PF's netdev, so that a refused setting does not block the others;
 * min-rate and max-rate given together travel as one IFLA_VF_RATE. Returns
 * 0 when every setting got an answer (look at each result's err), the
 * check's error (nothing sent), or -errno when netlink is unusable.
 * Free @out with sriov_vf_results_clear().
 */
int sriov_vf_settings_apply(const struct sriov_pf *pf,
			    const struct sriov_vf *vf,
			    const struct sriov_vf_settings *s,
			    struct sriov_vf_results *out,
			    char *err, size_t errlen);
void sriov_vf_results_clear(struct sriov_vf_results *r);

#ifdef __cplusplus
}
#endif

#endif
