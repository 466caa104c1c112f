// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the policy parser and the cross-entry checks
 * (lib/policy/). The input is one policy file, split at the first "\n#--\n"
 * into two files so that the checks across files run too.
 *
 * Checked: the result is 0 (or -ENOMEM); every error has a file, a line
 * and column >= 1 and a message; every accepted value is within its range.
 * A policy without errors then goes through phase 2 and planning against
 * the tests' in-memory host (tests/lib: a NIC PF with 4 VFs, an NVMe PF):
 * errors as above and an empty plan, or a plan whose steps name a PF of
 * the host and a VF below the count the plan leaves it.
 *
 * Replayed as an ordinary test by replay.c (tests/fuzz/meson.build).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sriov.h"
#include "testlib.h"

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
			if ((r->set & 1u << SRIOV_VF_ATTR_VLAN) && r->vlan > 4094)
				abort();
			if ((r->set & 1u << SRIOV_VF_ATTR_QOS) && r->qos > 7)
				abort();
			if ((r->set & 1u << SRIOV_VF_ATTR_DRIVER) && !r->driver)
				abort();
			if ((r->set & 1u << SRIOV_VF_ATTR_MAC) && !r->mac_auto && (r->mac[0] & 1))
				abort();
		}
	}
}

static struct tl_memhost mh;

static void host_init(void)
{
	if (!mh.host.pfs)
		tl_memhost_init(&mh);
}

static void check_plan(struct sriov_policy *p)
{
	struct sriov_policy_plan_opts o = {
		.host_id = "0123456789abcdef0123456789abcdef" };
	struct sriov_plan plan;
	unsigned count[2];
	char line[512];

	host_init();
	if (sriov_policy_plan(&mh.host, p, &o, &plan) < 0)
		return;  /* -ENOMEM */
	check(p);
	if (p->n_errors && plan.n)
		abort();
	count[0] = mh.pfs[0].num_vfs;
	count[1] = mh.pfs[1].num_vfs;
	for (size_t i = 0; i < plan.n; i++) {
		const struct sriov_step *st = &plan.v[i];
		int k = strcmp(st->pf, mh.pfs[0].address) == 0 ? 0 :
			strcmp(st->pf, mh.pfs[1].address) == 0 ? 1 : -1;

		if (k < 0)
			abort();
		if (st->kind == SRIOV_STEP_NUM_VFS) {
			if (st->num_vfs > mh.pfs[k].total_vfs)
				abort();
			count[k] = st->num_vfs;
		} else if ((st->kind != SRIOV_STEP_LINK || st->on_vf) &&
			   st->vf >= count[k]) {
			abort();
		}
		if (sriov_step_describe(st, 0, line, sizeof(line)) < 0)
			abort();
	}
	sriov_plan_clear(&plan);
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
	if (p->n_errors == 0)
		check_plan(p);
	sriov_policy_free(p);
	return 0;
}
