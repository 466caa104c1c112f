/* SPDX-License-Identifier: MIT */
/* Which PFs of a host a policy entry names (its `match:`). */
#include <string.h>
#include <strings.h>

#include "sriov.h"

static bool matches(const struct sriov_pf *pf, const struct sriov_policy_pf *e)
{
	switch (e->match) {
	case SRIOV_POLICY_MATCH_NETDEV:
		for (size_t i = 0; i < pf->n_netdevs; i++)
			if (strcmp(pf->netdevs[i].name, e->value) == 0)
				return true;
		return false;
	case SRIOV_POLICY_MATCH_PCI:
		return strcasecmp(pf->address, e->value) == 0;
	case SRIOV_POLICY_MATCH_ID:
		return strcmp(pf->bus, "pci") == 0 &&
		       pf->vendor_id == e->vendor_id &&
		       pf->device_id == e->device_id;
	case SRIOV_POLICY_MATCH_ROOT_DEVICE:
		return pf->n_upstream > 0 &&
		       strcasecmp(pf->upstream[0].address, e->value) == 0;
	case SRIOV_POLICY_MATCH_NONE:  /* an entry the parser refused */
		break;
	}
	return false;
}

size_t sriov_policy_match(const struct sriov_host *host,
			  const struct sriov_policy_pf *e,
			  const struct sriov_pf **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < host->n_pfs; i++) {
		if (!matches(&host->pfs[i], e))
			continue;
		if (n < max)
			out[n] = &host->pfs[i];
		n++;
	}
	return n;
}
