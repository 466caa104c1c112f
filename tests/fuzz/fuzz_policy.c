// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the policy parser and the cross-entry checks
 * (lib/policy/). The input is one policy file, split at the first "\n#--\n"
 * into two files so that the checks across files run too.
 *
 * Checked: the result is 0 (or -ENOMEM); every error has a file, a line
 * and column >= 1 and a message; every accepted value is within its range.
 *
 * Replayed as an ordinary test by replay.c (tests/fuzz/meson.build).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sriov.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct sriov_policy *p)
{
	for (size_t i = 0; i < p->n_errors; i++)
		if (!p->errors[i].loc.file || !p->errors[i].loc.line ||
		    !p->errors[i].loc.column || !p->errors[i].message[0])
			abort();
	for (size_t i = 0; i < p->n_pfs; i++) {
		const struct sriov_policy_pf *pf = &p->pfs[i];

		if (pf->n_vfs && !pf->vfs)
			abort();
		for (size_t j = 0; j < pf->n_vfs; j++) {
			const struct sriov_policy_vfs *r = &pf->vfs[j];

			if (r->first > r->last || r->last > 65535)
				abort();
			if ((r->set & 1u << SRIOV_PVF_VLAN) && r->vlan > 4094)
				abort();
			if ((r->set & 1u << SRIOV_PVF_QOS) && r->qos > 7)
				abort();
			if ((r->set & 1u << SRIOV_PVF_DRIVER) && !r->driver)
				abort();
			if ((r->set & 1u << SRIOV_PVF_MAC) && !r->mac_auto && (r->mac[0] & 1))
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char sep[] = "\n#--\n";
	const char *text = (const char *)data, *cut = NULL;
	struct sriov_policy *p;
	size_t first = size;

	for (size_t i = 0; i + sizeof(sep) - 1 <= size; i++)
		if (memcmp(text + i, sep, sizeof(sep) - 1) == 0) {
			cut = text + i + sizeof(sep) - 1;
			first = i;
			break;
		}
	if (sriov_policy_new(&p) < 0)
		return 0;
	if (sriov_policy_add(p, "a.yaml", text, first) < 0)
		abort();
	if (cut && sriov_policy_add(p, "b.yaml", cut, size - (size_t)(cut - text)) < 0)
		abort();
	if (sriov_policy_validate(p) < 0)
		abort();
	check(p);
	sriov_policy_free(p);
	return 0;
}
