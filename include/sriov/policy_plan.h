/* SPDX-License-Identifier: MIT */
/*
 * libsriov — the policy against the host: which PFs an entry matches, the
 * plan that brings the host to the policy, and waiting for devices at boot.
 */
#ifndef SRIOV_POLICY_PLAN_H
#define SRIOV_POLICY_PLAN_H

#include <stddef.h>

#include "sriov/context.h"
#include "sriov/model.h"
#include "sriov/plan.h"
#include "sriov/policy.h"

#ifdef __cplusplus
extern "C" {
#endif

struct sriov_quirks;

struct sriov_policy_plan_opts {
	const char *host_id;     /* machine-id for `mac: auto`; NULL: none
				    (then `mac: auto` is an error) */
	const char *only_pf;     /* a PF's address: plan for it alone (the
				    udev re-apply); NULL: every PF */
	/* the quirk table (sriov/quirk.h): a VF count above the driver's
	 * limit, a link setting it refuses and the policy does not mark
	 * optional, are errors naming the quirk; NULL: not checked */
	const struct sriov_quirks *quirks;
};

/*
 * Phase 2 of validation, then the plan. Every entry of @p is matched
 * against @host; errors of meaning are appended to @p->errors at the
 * offending value: an entry that matches no PF, a PF matched by two
 * entries, num_vfs above the PF's total_vfs, a VF range reaching past the
 * VF count the policy leaves, VF link settings or an MTU on a PF without
 * a network interface, a VF MTU with a driver that has no netdev
 * (vfio-pci, none), two VFs given one MAC once `auto` is derived.
 * When there is none, @out gets the changes from the host as it is to
 * the policy, PF by PF: the VF count (through 0) and autoprobe, the PF
 * netdev's MTU and admin state, the VFs' link attributes (only those the
 * policy names), their drivers, their netdevs' MTU. An empty plan: the
 * host matches the policy. Returns 0 (look at p->n_errors; @out is then
 * empty) or -ENOMEM. Free @out with sriov_plan_clear().
 */
int sriov_policy_plan(const struct sriov_host *host, struct sriov_policy *p,
		      const struct sriov_policy_plan_opts *opts,
		      struct sriov_plan *out);

/*
 * The PFs of @host that entry @e matches, in host order, into @out (up to
 * @max; the return says how many match in all). netdev and pci name one
 * PF; vendor+device and root_device may match several.
 */
size_t sriov_policy_match(const struct sriov_host *host,
			  const struct sriov_policy_pf *e,
			  const struct sriov_pf **out, size_t max);

/*
 * `apply --boot`: wait up to @timeout_ms for every entry of @p to match a
 * PF, every PF it matches to have its driver and, when the entry needs
 * the PF's netdev (netdev match, PF mtu or link_state, VF link settings),
 * that netdev (where udev runs: handled by udev, /run/udev/data/nIFINDEX),
 * reading the host again every 250 ms. On return *host is the last read
 * (the caller frees it; NULL after a load error). Returns 0, -ETIMEDOUT
 * (the entries still unmatched are what phase 2 reports), -EINTR when a
 * caught signal interrupts the wait, or the load's -errno.
 */
int sriov_policy_wait(struct sriov_ctx *ctx, const struct sriov_policy *p,
		      unsigned timeout_ms, unsigned load_flags,
		      struct sriov_host **host);

#ifdef __cplusplus
}
#endif

#endif
