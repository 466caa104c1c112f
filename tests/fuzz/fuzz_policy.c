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
 * A policy without errors is also written (sriov_policy_write) and read
 * back: no errors, the same entries (`pfs:` and selectors each in order)
 * with the same settings.
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

static bool same_vfs(const struct sriov_policy_vfs *a, const struct sriov_policy_vfs *b)
{
	unsigned s = a->set;

	if (a->first != b->first || a->last != b->last || s != b->set ||
	    a->optional != b->optional || !a->pool != !b->pool ||
	    (a->pool && strcmp(a->pool, b->pool) != 0))
		return false;
	return (!(s & 1u << SRIOV_VF_ATTR_DRIVER) || strcmp(a->driver, b->driver) == 0) &&
	       (!(s & 1u << SRIOV_VF_ATTR_MAC) || (a->mac_auto == b->mac_auto &&
						  (a->mac_auto || !memcmp(a->mac, b->mac, 6)))) &&
	       (!(s & 1u << SRIOV_VF_ATTR_VLAN) || a->vlan == b->vlan) &&
	       (!(s & 1u << SRIOV_VF_ATTR_QOS) || a->qos == b->qos) &&
	       (!(s & 1u << SRIOV_VF_ATTR_VLAN_PROTO) || a->vlan_proto == b->vlan_proto) &&
	       (!(s & 1u << SRIOV_VF_ATTR_SPOOFCHK) || a->spoofchk == b->spoofchk) &&
	       (!(s & 1u << SRIOV_VF_ATTR_TRUST) || a->trust == b->trust) &&
	       (!(s & 1u << SRIOV_VF_ATTR_QUERY_RSS) || a->query_rss == b->query_rss) &&
	       (!(s & 1u << SRIOV_VF_ATTR_MIN_RATE) || a->min_tx_rate == b->min_tx_rate) &&
	       (!(s & 1u << SRIOV_VF_ATTR_MAX_RATE) || a->max_tx_rate == b->max_tx_rate) &&
	       (!(s & 1u << SRIOV_VF_ATTR_LINK_STATE) || a->link_state == b->link_state) &&
	       (!(s & 1u << SRIOV_VF_ATTR_MTU) || a->mtu == b->mtu);
}

static bool same_pf(const struct sriov_policy_pf *a, const struct sriov_policy_pf *b)
{
	unsigned s = a->set;

	if (a->match != b->match || s != b->set || a->n_vfs != b->n_vfs ||
	    !a->value != !b->value || (a->value && strcmp(a->value, b->value) != 0) ||
	    (a->match == SRIOV_POLICY_MATCH_ID &&
	     (a->vendor_id != b->vendor_id || a->device_id != b->device_id)))
		return false;
	if (((s & 1u << SRIOV_PPF_NUM_VFS) && a->num_vfs != b->num_vfs) ||
	    ((s & 1u << SRIOV_PPF_MTU) && a->mtu != b->mtu) ||
	    ((s & 1u << SRIOV_PPF_AUTOPROBE) && a->drivers_autoprobe != b->drivers_autoprobe) ||
	    ((s & 1u << SRIOV_PPF_LINK_STATE) && a->link_up != b->link_up))
		return false;
	for (size_t i = 0; i < a->n_vfs; i++)
		if (!same_vfs(&a->vfs[i], &b->vfs[i]))
			return false;
	return true;
}

/* The entries of kind @sel (selector or not) of @a and @b, in order, agree. */
static bool same_entries(const struct sriov_policy *a, const struct sriov_policy *b, bool sel)
{
	size_t j = 0;

	for (size_t i = 0; i < a->n_pfs; i++) {
		if (a->pfs[i].from_selector != sel)
			continue;
		while (j < b->n_pfs && b->pfs[j].from_selector != sel)
			j++;
		if (j == b->n_pfs || !same_pf(&a->pfs[i], &b->pfs[j++]))
			return false;
	}
	while (j < b->n_pfs && b->pfs[j].from_selector != sel)
		j++;
	return j == b->n_pfs;
}

static void check_write(const struct sriov_policy *p)
{
	struct sriov_policy *back;
	char *text;
	size_t len;
	int r = sriov_policy_write(p, "fuzz\nheader", &text, &len);

	if (r == -ENOMEM)
		return;
	if (r < 0 || sriov_policy_new(&back) < 0)
		abort();
	if (sriov_policy_add(back, "back.yaml", text, len) < 0 ||
	    sriov_policy_validate(back) < 0)
		abort();
	if (back->n_errors || back->n_pfs != p->n_pfs ||
	    !same_entries(p, back, false) || !same_entries(p, back, true))
		abort();
	sriov_policy_free(back);
	free(text);
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
		check_write(p);
	if (p->n_errors == 0)
		check_plan(p);
	sriov_policy_free(p);
	return 0;
}
