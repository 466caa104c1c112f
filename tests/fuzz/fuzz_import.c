// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for `policy import sriov-operator` (lib/policy/
 * operator.c, write.c): the input is the operator's YAML.
 *
 * Checked: the result is 0 (or -ENOMEM); every error has a place and a
 * message; an import without errors validates, is written, and the text
 * reads back as a policy without errors with the same entries and ranges
 * (what the CLI prints is what it parsed).
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

static void check_errors(const struct sriov_policy *p)
{
	for (size_t i = 0; i < p->n_errors; i++)
		if (!p->errors[i].loc.file || !p->errors[i].loc.line ||
		    !p->errors[i].loc.column || !p->errors[i].message[0])
			abort();
}

static bool same_range(const struct sriov_policy_vfs *a, const struct sriov_policy_vfs *b)
{
	if (a->first != b->first || a->last != b->last || a->set != b->set ||
	    !a->pool != !b->pool || (a->pool && strcmp(a->pool, b->pool) != 0))
		return false;
	if ((a->set & 1u << SRIOV_VF_ATTR_DRIVER) && strcmp(a->driver, b->driver) != 0)
		return false;
	return !(a->set & 1u << SRIOV_VF_ATTR_MTU) || a->mtu == b->mtu;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sriov_strv notes = { 0 };
	struct sriov_policy *p, *back;
	char *text;
	size_t len;
	int r;

	if (sriov_policy_new(&p) < 0)
		return 0;
	r = sriov_policy_import_operator(p, "op.yaml", (const char *)data, size,
					 "worker-0", &notes);
	if (r < 0 && r != -ENOMEM)
		abort();
	if (r == 0 && !p->n_errors && sriov_policy_validate(p) < 0)
		abort();
	check_errors(p);
	for (size_t i = 0; i < notes.n; i++)
		if (!notes.v[i][0])
			abort();
	if (r == 0 && !p->n_errors) {
		if (sriov_policy_write(p, "header", &text, &len) < 0)
			abort();
		if (sriov_policy_new(&back) < 0)
			abort();
		if (sriov_policy_add(back, "back.yaml", text, len) < 0 ||
		    sriov_policy_validate(back) < 0)
			abort();
		if (back->n_errors || back->n_pfs != p->n_pfs)
			abort();
		for (size_t i = 0; i < p->n_pfs; i++) {
			const struct sriov_policy_pf *a = &p->pfs[i], *b = &back->pfs[i];

			if (a->match != b->match || a->set != b->set || a->num_vfs != b->num_vfs ||
			    a->n_vfs != b->n_vfs || !a->value != !b->value ||
			    (a->value && strcmp(a->value, b->value) != 0) ||
			    a->vendor_id != b->vendor_id || a->device_id != b->device_id)
				abort();
			for (size_t j = 0; j < a->n_vfs; j++)
				if (!same_range(&a->vfs[j], &b->vfs[j]))
					abort();
		}
		sriov_policy_free(back);
		free(text);
	}
	sriov_strv_clear(&notes);
	sriov_policy_free(p);
	return 0;
}
