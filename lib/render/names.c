/* SPDX-License-Identifier: MIT */
#include "render/names.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sriov.h"

const struct acs_bit acs_bits[7] = {
	{ SRIOV_ACS_SV, "SrcValid" }, { SRIOV_ACS_TB, "TransBlk" },
	{ SRIOV_ACS_RR, "ReqRedir" }, { SRIOV_ACS_CR, "CmpltRedir" },
	{ SRIOV_ACS_UF, "UpstreamFwd" }, { SRIOV_ACS_EC, "EgressCtrl" },
	{ SRIOV_ACS_DT, "DirectTrans" },
};

const char *vf_driver_label(const char *driver)
{
	return driver ? driver : "none";
}

int vf_driver_counts(const struct sriov_pf *pf, struct vf_driver_count **out,
		     size_t *n)
{
	struct vf_driver_count *c = calloc(pf->n_vfs + 1, sizeof(*c));
	size_t k = 0;

	if (!c)
		return -ENOMEM;
	for (size_t i = 0; i < pf->n_vfs && strcmp(pf->bus, "pci") == 0; i++) {
		const char *d = vf_driver_label(pf->vfs[i].driver);
		size_t j;

		for (j = 0; j < k && strcmp(c[j].driver, d) != 0; j++)
			;
		if (j == k)
			c[k++].driver = d;
		c[j].count++;
	}
	*out = c;
	*n = k;
	return 0;
}
