/* SPDX-License-Identifier: MIT */
/*
 * The table of audit rules: ids are stable (baselines, exceptions, CI
 * dashboards refer to them), so entries are added, never renamed. The
 * help, docs/audit.md and the JSON take their text from here.
 */
#include <string.h>

#include "sriov.h"

static const struct sriov_audit_rule_info rules[SRIOV_AUDIT__COUNT] = {
	[SRIOV_AUDIT_SPOOFCHK] = { "vf.spoofchk",
		"MAC spoof checking on for every VF handed to a guest or pod",
		"the PF's VF list over rtnetlink (IFLA_VF_SPOOFCHK)",
		"on", true },
	[SRIOV_AUDIT_TRUST] = { "vf.trust",
		"trust off for every VF handed to a guest or pod",
		"the PF's VF list over rtnetlink (IFLA_VF_TRUST)",
		"on", true },
	[SRIOV_AUDIT_VLAN] = { "vf.vlan",
		"a port VLAN set on every VF handed to a guest or pod",
		"the PF's VF list over rtnetlink (IFLA_VF_VLAN_LIST)",
		"on", true },
	[SRIOV_AUDIT_MAC] = { "vf.mac",
		"an administrative (non-zero) MAC on every VF handed to a guest",
		"the PF's VF list over rtnetlink (IFLA_VF_MAC)",
		"on", true },
	[SRIOV_AUDIT_RATE] = { "vf.rate",
		"TX rate limits of handed-out VFs within the baseline's caps",
		"the PF's VF list over rtnetlink (IFLA_VF_RATE)",
		"off: no caps", false },
	[SRIOV_AUDIT_GROUP] = { "vf.iommu-group",
		"no VF on vfio-pci shares its IOMMU group with a host-driven device",
		"/sys/kernel/iommu_groups/N/devices and each member's driver link",
		"on", true },
	[SRIOV_AUDIT_POLICY_PF] = { "vf.policy-pf",
		"VFs handed out only from PFs the host policy names",
		"the host policy (/etc/sriovctl/sriovctl.yaml, conf.d/*.yaml)",
		"on; skipped without a policy", true },
	[SRIOV_AUDIT_IOMMU] = { "host.iommu",
		"the IOMMU is on",
		"/sys/kernel/iommu_groups",
		"on", true },
};

const struct sriov_audit_rule_info *sriov_audit_rule_at(size_t i)
{
	return i < SRIOV_AUDIT__COUNT ? &rules[i] : NULL;
}

int sriov_audit_rule_find(const char *id)
{
	for (int i = 0; i < SRIOV_AUDIT__COUNT; i++)
		if (strcmp(rules[i].id, id) == 0)
			return i;
	return -1;
}

const char *sriov_audit_status_name(enum sriov_audit_status s)
{
	static const char *const names[] = { "pass", "skip", "excepted", "fail" };

	return (unsigned)s <= SRIOV_AUDIT_FAIL ? names[s] : "?";
}

const char *sriov_audit_consumer_name(enum sriov_audit_consumer c)
{
	static const char *const names[] = { "host", "guest", "pod" };

	return (unsigned)c <= SRIOV_AUDIT_POD ? names[c] : "?";
}
