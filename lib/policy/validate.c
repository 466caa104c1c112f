/* SPDX-License-Identifier: MIT */
/*
 * The syntax checks that need the whole policy (every file merged): a PF
 * matched twice, overlapping VF ranges that disagree, one MAC for two VFs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "policy/policy.h"

/* Whether two entries name the same PF by the same selector. */
static bool same_pf(const struct sriov_policy_pf *a, const struct sriov_policy_pf *b)
{
	if (a->match != b->match || a->match == SRIOV_POLICY_MATCH_NONE)
		return false;
	if (a->match == SRIOV_POLICY_MATCH_ID)
		return a->vendor_id == b->vendor_id && a->device_id == b->device_id;
	return a->value && b->value && strcasecmp(a->value, b->value) == 0;
}

bool policy_vfs_same(const struct sriov_policy_vfs *a,
		     const struct sriov_policy_vfs *b, int f)
{
	switch (f) {
	case SRIOV_PVF_DRIVER:
		return strcmp(a->driver, b->driver) == 0;
	case SRIOV_PVF_MAC:
		return a->mac_auto == b->mac_auto &&
		       (a->mac_auto || memcmp(a->mac, b->mac, 6) == 0);
	case SRIOV_PVF_VLAN:         return a->vlan == b->vlan;
	case SRIOV_PVF_QOS:          return a->qos == b->qos;
	case SRIOV_PVF_VLAN_PROTO:   return a->vlan_proto == b->vlan_proto;
	case SRIOV_PVF_SPOOFCHK:     return a->spoofchk == b->spoofchk;
	case SRIOV_PVF_TRUST:        return a->trust == b->trust;
	case SRIOV_PVF_MIN_TX_RATE:  return a->min_tx_rate == b->min_tx_rate;
	case SRIOV_PVF_MAX_TX_RATE:  return a->max_tx_rate == b->max_tx_rate;
	case SRIOV_PVF_LINK_STATE:   return a->link_state == b->link_state;
	case SRIOV_PVF_QUERY_RSS:    return a->query_rss == b->query_rss;
	case SRIOV_PVF_MTU:          return a->mtu == b->mtu;
	}
	return true;
}

static const char *pf_label(const struct sriov_policy_pf *pf, char *buf, size_t len)
{
	if (pf->match == SRIOV_POLICY_MATCH_ID)
		snprintf(buf, len, "vendor %04x device %04x", pf->vendor_id, pf->device_id);
	else
		snprintf(buf, len, "%s", pf->value ? pf->value : "?");
	return buf;
}

/* Ranges @a (earlier) and @b of the same PF: report @b's disagreeing values. */
static int check_overlap(struct sriov_policy *p, const struct sriov_policy_pf *pf,
			 const struct sriov_policy_vfs *a, const struct sriov_policy_vfs *b)
{
	unsigned lo = a->first > b->first ? a->first : b->first;
	unsigned hi = a->last < b->last ? a->last : b->last;
	char name[64], vfs[32];
	int r;

	if (lo > hi)
		return 0;
	if (lo == hi)
		snprintf(vfs, sizeof(vfs), "VF %u", lo);
	else
		snprintf(vfs, sizeof(vfs), "VFs %u-%u", lo, hi);
	for (int f = 0; f < SRIOV_PVF__COUNT; f++) {
		if (!(a->set & b->set & 1u << f) || policy_vfs_same(a, b, f))
			continue;
		r = policy_error(p, &b->at[f], "%s of %s %s disagrees with the value "
				 "at %s:%u:%u for the same VF%s",
				 policy_vf_field_name(f), pf_label(pf, name, sizeof(name)),
				 vfs, a->at[f].file, a->at[f].line, a->at[f].column,
				 lo == hi ? "" : "s");
		if (r < 0)
			return r;
	}
	return 0;
}

int sriov_policy_validate(struct sriov_policy *p)
{
	char name[64];
	int r;

	for (size_t i = 0; i < p->n_pfs; i++) {
		const struct sriov_policy_pf *pf = &p->pfs[i];
		bool dup = false;

		for (size_t j = 0; j < i && !dup; j++) {
			const struct sriov_policy_pf *q = &p->pfs[j];

			/* selector entries add ranges to a PF entry, they do not redefine it */
			if (!same_pf(pf, q))
				continue;
			if (!pf->from_selector && !q->from_selector) {
				dup = true;
				r = policy_error(p, &pf->match_loc, "PF %s is already matched at %s:%u:%u; "
						 "merge the two entries",
						 pf_label(pf, name, sizeof(name)), q->match_loc.file,
						 q->match_loc.line, q->match_loc.column);
				if (r < 0)
					return r;
			}
		}
		/* ranges of this entry against its own and every earlier same-PF entry's */
		for (size_t j = 0; j <= i; j++) {
			const struct sriov_policy_pf *q = &p->pfs[j];

			if (j != i && !same_pf(pf, q))
				continue;
			for (size_t b = 0; b < pf->n_vfs; b++)
				for (size_t a = 0; a < (j == i ? b : q->n_vfs); a++) {
					r = check_overlap(p, pf, &q->vfs[a], &pf->vfs[b]);
					if (r < 0)
						return r;
				}
		}
	}

	/* one explicit MAC for two VFs; an overlap that agrees is one VF */
	for (size_t i = 0; i < p->n_pfs; i++)
		for (size_t b = 0; b < p->pfs[i].n_vfs; b++) {
			const struct sriov_policy_vfs *vb = &p->pfs[i].vfs[b];

			if (!(vb->set & 1u << SRIOV_PVF_MAC) || vb->mac_auto)
				continue;
			for (size_t j = 0; j <= i; j++)
				for (size_t a = 0; a < (j == i ? b : p->pfs[j].n_vfs); a++) {
					const struct sriov_policy_vfs *va = &p->pfs[j].vfs[a];

					if (!(va->set & 1u << SRIOV_PVF_MAC) || va->mac_auto ||
					    memcmp(va->mac, vb->mac, 6) != 0)
						continue;
					if (same_pf(&p->pfs[i], &p->pfs[j]) &&
					    va->first <= vb->last && vb->first <= va->last)
						continue;
					r = policy_error(p, &vb->at[SRIOV_PVF_MAC],
							 "mac: %02x:%02x:%02x:%02x:%02x:%02x is already "
							 "given to another VF at %s:%u:%u",
							 vb->mac[0], vb->mac[1], vb->mac[2], vb->mac[3],
							 vb->mac[4], vb->mac[5], va->at[SRIOV_PVF_MAC].file,
							 va->at[SRIOV_PVF_MAC].line,
							 va->at[SRIOV_PVF_MAC].column);
					if (r < 0)
						return r;
					goto next;   /* once per VF entry */
				}
next:;
		}
	return 0;
}
