/* SPDX-License-Identifier: MIT */
/*
 * Whether VF settings can be applied to a VF as the inventory knows it:
 * what `vf set` and its dry run check before anything is sent.
 */
#include <errno.h>
#include <string.h>

#include "sriov.h"
#include "util/errbuf.h"
#include "vf/settings.h"

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
	if (pf->n_netdevs == 0 || pf->netdevs[0].ifindex <= 0)
		return errset(err, errlen, -ENODEV,
			      "PF %s (driver %s) has no netdev: a PF without a netdev (unbound, vfio-pci, or an NVMe) cannot configure VFs over rtnetlink; bind it to its network driver",
			      pf->address, pf->driver ? pf->driver : "none");
	if (vf->index >= pf->num_vfs)
		return errset(err, errlen, -ERANGE,
			      "%s has %u VFs, so vf%u does not exist; 'sriovctl show %s' lists them",
			      pf_name(pf), pf->num_vfs, vf->index, pf_name(pf));
	mn = vf_settings_find(s, SRIOV_VF_ATTR_MIN_RATE, NULL);
	mx = vf_settings_find(s, SRIOV_VF_ATTR_MAX_RATE, NULL);
	if ((mn == NULL) != (mx == NULL) && !cur->present)
		return errset(err, errlen, -ENODATA,
			      "%s/vf%u: the kernel did not report the VF's current rates, and setting %s alone would reset %s; give both min-rate and max-rate",
			      pf_name(pf), vf->index, mn ? "min-rate" : "max-rate",
			      mn ? "max-rate" : "min-rate");
	if (mn && !mx && cur->max_tx_rate && mn->value > cur->max_tx_rate)
		return errset(err, errlen, -EINVAL,
			      "%s/vf%u min-rate %u is above the VF's max-rate %u: raise max-rate in the same command (max-rate 0 means no limit)",
			      pf_name(pf), vf->index, mn->value, cur->max_tx_rate);
	if (mx && !mn && mx->value && cur->min_tx_rate > mx->value)
		return errset(err, errlen, -EINVAL,
			      "%s/vf%u max-rate %u is below the VF's min-rate %u: lower min-rate in the same command",
			      pf_name(pf), vf->index, mx->value, cur->min_tx_rate);
	return 0;
}

/* What the quirk table says @pf's driver refuses (docs/quirks.md). */
const struct sriov_quirk *sriov_quirks_setting_refused(const struct sriov_quirks *q,
						       const struct sriov_pf *pf,
						       const struct sriov_vf_setting *st)
{
	/* a zero minimum asks for no guarantee: igb, ixgbe and i40e take it */
	if (st->attr == SRIOV_VF_ATTR_MIN_RATE && st->value == 0)
		return NULL;
	return sriov_quirks_refusing(q, pf, st->attr);
}
