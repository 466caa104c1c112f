/* SPDX-License-Identifier: MIT */
#include "render/names.h"

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
