/* SPDX-License-Identifier: MIT */
/*
 * From a policy to a plan: phase 2 of validation (the policy's meaning on
 * this host), then the changes in the kernel's order, PF by PF: the VF
 * count through 0 with autoprobe, the PF netdev, the VFs' link attributes
 * (through the PF, before a VF driver reads its MAC), their drivers, and
 * last their netdevs' MTU (the driver makes the netdev). Only what the
 * policy names is compared, so a second plan after an apply is empty.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/if_ether.h>

#include "policy/policy.h"
#include "ops/plan.h"
#include "sriov.h"
#include "util/strv.h"

/* What the policy wants of one VF, merged over every range naming it. */
struct want_vf {
	unsigned set;                                /* 1u << enum sriov_vf_attr */
	const struct sriov_policy_vfs *from[SRIOV_VF_ATTR__COUNT];
	struct sriov_vf_link link;
	unsigned mask;                               /* 1u << SRIOV_VF_ATTR_* */
	const char *driver;                          /* "none": no driver */
	unsigned mtu;
	unsigned optional;                           /* 1u << SRIOV_VF_ATTR_* */
	unsigned optional_mask;                      /* 1u << SRIOV_VF_ATTR_* */
};

/* What the policy wants of one PF of the host. */
struct want_pf {
	const struct sriov_pf *pf;
	const struct sriov_policy_pf *entry;         /* the pfs: entry, or NULL */
	const struct sriov_policy_pf **sel;          /* `vfs: select` entries */
	size_t n_sel;
	unsigned num_vfs;
	bool autoprobe;
	struct want_vf *vfs;                         /* num_vfs of them */
};

struct mac_use {
	uint8_t mac[6];
	const struct sriov_policy_loc *loc;
	const struct sriov_pf *pf;
	unsigned vf;
};

static const char *pf_label(const struct sriov_pf *pf, char *buf, size_t len)
{
	if (pf->n_netdevs)
		snprintf(buf, len, "%s (%s)", pf->address, pf->netdevs[0].name);
	else
		snprintf(buf, len, "%s", pf->address);
	return buf;
}

static const char *entry_label(const struct sriov_policy_pf *e, char *buf,
			       size_t len)
{
	static const char *const kinds[] = { "?", "netdev", "pci", "", "root_device" };

	if (e->match == SRIOV_POLICY_MATCH_ID)
		snprintf(buf, len, "vendor %04x device %04x", e->vendor_id,
			 e->device_id);
	else
		snprintf(buf, len, "%s %s", kinds[e->match],
			 e->value ? e->value : "?");
	return buf;
}

/* Attach entry @e to the PFs it matches; errors for none and for twice. */
static int match_entry(struct sriov_policy *p, const struct sriov_host *host,
		       const struct sriov_policy_pf *e, const char *only_pf,
		       struct want_pf *w, const struct sriov_pf **buf)
{
	size_t n = sriov_policy_match(host, e, buf, host->n_pfs);
	char a[96], b[96], c[96];

	for (size_t i = 0; i < n; i++) {
		const struct sriov_pf *pf = buf[i];
		struct want_pf *x = &w[pf - host->pfs];

		if (only_pf && strcmp(pf->address, only_pf) != 0)
			continue;
		if (e->from_selector) {
			const struct sriov_policy_pf **v =
				realloc(x->sel, (x->n_sel + 1) * sizeof(*v));

			if (!v)
				return -ENOMEM;
			x->sel = v;
			x->sel[x->n_sel++] = e;
			continue;
		}
		if (x->entry) {
			if (policy_error(p, &e->match_loc,
					 "PF %s is matched by this entry (%s) and by the one at %s:%u:%u (%s): one entry per PF",
					 pf_label(pf, a, sizeof(a)),
					 entry_label(e, b, sizeof(b)),
					 x->entry->match_loc.file,
					 x->entry->match_loc.line,
					 x->entry->match_loc.column,
					 entry_label(x->entry, c, sizeof(c))) < 0)
				return -ENOMEM;
			continue;
		}
		x->entry = e;
	}
	if (n == 0 && !only_pf &&
	    policy_error(p, &e->match_loc,
			 "no SR-IOV PF on this host matches %s ('sriovctl list' shows the PFs)",
			 entry_label(e, a, sizeof(a))) < 0)
		return -ENOMEM;
	return 0;
}

/* The settings that go through the PF's netdev over rtnetlink. */
#define LINK_FIELDS SRIOV_VF_ATTRS_LINK

/* Range @r's settings onto the VFs it names; errors for what cannot be. */
static int merge_range(struct sriov_policy *p, struct want_pf *w,
		       const struct sriov_policy_vfs *r, bool count_from_policy)
{
	const struct sriov_pf *pf = w->pf;
	char a[96];

	if (r->last >= w->num_vfs) {
		if (w->num_vfs == 0)
			return policy_error(p, &r->loc,
					    "VF %u: PF %s has no VFs%s; set num_vfs",
					    r->last, pf_label(pf, a, sizeof(a)),
					    count_from_policy ? " in the policy" : " now");
		return policy_error(p, &r->loc,
				    "VF %u: PF %s has %u VF%s (%s), indexes 0-%u",
				    r->last, pf_label(pf, a, sizeof(a)), w->num_vfs,
				    w->num_vfs == 1 ? "" : "s",
				    count_from_policy ? "num_vfs in the policy"
						      : "now; the policy sets no num_vfs",
				    w->num_vfs - 1);
	}
	if ((r->set & LINK_FIELDS) && !pf->n_netdevs) {
		for (int f = 0; f < SRIOV_VF_ATTR__COUNT; f++)
			if ((r->set & LINK_FIELDS) & (1u << f))
				return policy_error(p, &r->at[f],
						    "%s: VF link settings go through the PF's network interface, and PF %s (driver %s) has none",
						    sriov_vf_attr_key(f),
						    pf_label(pf, a, sizeof(a)),
						    pf->driver ? pf->driver : "none");
	}
	if ((r->set & (1u << SRIOV_VF_ATTR_DRIVER)) && strcmp(pf->bus, "pci") != 0)
		return policy_error(p, &r->at[SRIOV_VF_ATTR_DRIVER],
				    "driver: the VFs of %s PF %s are not PCI devices and have no driver",
				    pf->bus, pf->address);
	if ((r->set & (1u << SRIOV_VF_ATTR_MTU)) &&
	    (r->set & (1u << SRIOV_VF_ATTR_DRIVER)) &&
	    (strcmp(r->driver, "none") == 0 || strcmp(r->driver, "vfio-pci") == 0 ||
	     strcmp(r->driver, "pci-stub") == 0))
		return policy_error(p, &r->at[SRIOV_VF_ATTR_MTU],
				    "mtu: a VF on %s has no network interface to set it on",
				    r->driver);
	for (unsigned i = r->first; i <= r->last; i++) {
		struct want_vf *v = &w->vfs[i];

		v->optional |= r->optional;
		for (int f = 0; f < SRIOV_VF_ATTR__COUNT; f++) {
			if (!(r->set & (1u << f)))
				continue;
			if ((v->set & (1u << f)) && !policy_vfs_same(v->from[f], r, f))
				return policy_error(p, &r->at[f],
						    "%s of %s/vf%u disagrees with the value at %s:%u:%u",
						    sriov_vf_attr_key(f),
						    pf->n_netdevs ? pf->netdevs[0].name : pf->address,
						    i, v->from[f]->at[f].file,
						    v->from[f]->at[f].line,
						    v->from[f]->at[f].column);
			v->set |= 1u << f;
			v->from[f] = r;
		}
	}
	return 0;
}

#define RATES ((1u << SRIOV_VF_ATTR_MIN_RATE) | (1u << SRIOV_VF_ATTR_MAX_RATE))

/* The link a VF's merged settings ask for, and which attributes. */
static int want_link(struct sriov_policy *p, const struct sriov_pf *pf,
		     unsigned idx, struct want_vf *v, const char *host_id)
{
	struct sriov_vf_link *l = &v->link;
	const struct sriov_policy_vfs *r;
	uint8_t mac[6];

	memset(l, 0, sizeof(*l));
	l->present = true;
	l->spoofchk = l->trust = l->query_rss = l->link_state = -1;
	if ((r = v->from[SRIOV_VF_ATTR_MAC])) {
		/* Once per range, not once per VF. */
		if (r->mac_auto && !host_id && idx != r->first)
			return 0;
		if (r->mac_auto && !host_id)
			return policy_error(p, &r->at[SRIOV_VF_ATTR_MAC],
					    "mac: auto needs the host id in /etc/machine-id, which is missing or not 32 hex digits (systemd-machine-id-setup writes one)");
		if (r->mac_auto)
			sriov_policy_mac_auto(host_id, strlen(host_id),
					      pf->address, idx, mac);
		else
			memcpy(mac, r->mac, 6);
		snprintf(l->mac, sizeof(l->mac),
			 "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
			 mac[2], mac[3], mac[4], mac[5]);
		v->mask |= 1u << SRIOV_VF_ATTR_MAC;
	}
	if (v->set & SRIOV_VF_ATTRS_VLAN) {
		if ((r = v->from[SRIOV_VF_ATTR_VLAN]))
			l->vlan = r->vlan;
		if ((r = v->from[SRIOV_VF_ATTR_QOS]))
			l->qos = r->qos;
		l->vlan_proto = (r = v->from[SRIOV_VF_ATTR_VLAN_PROTO]) ?
					r->vlan_proto : ETH_P_8021Q;
	}
	if ((r = v->from[SRIOV_VF_ATTR_SPOOFCHK]))
		l->spoofchk = r->spoofchk;
	if ((r = v->from[SRIOV_VF_ATTR_TRUST]))
		l->trust = r->trust;
	if ((r = v->from[SRIOV_VF_ATTR_QUERY_RSS]))
		l->query_rss = r->query_rss;
	if ((r = v->from[SRIOV_VF_ATTR_MIN_RATE]))
		l->min_tx_rate = r->min_tx_rate;
	if ((r = v->from[SRIOV_VF_ATTR_MAX_RATE]))
		l->max_tx_rate = r->max_tx_rate;
	if ((r = v->from[SRIOV_VF_ATTR_LINK_STATE]))
		l->link_state = r->link_state;
	/* One enum: what the policy names is what is set; the VLAN's parts
	 * are one request, the MAC is in once derived (above). */
	v->mask |= v->set & SRIOV_VF_ATTRS_LINK &
		   ~(SRIOV_VF_ATTRS_VLAN | 1u << SRIOV_VF_ATTR_MAC);
	if (v->set & SRIOV_VF_ATTRS_VLAN)
		v->mask |= 1u << SRIOV_VF_ATTR_VLAN;
	if (v->from[SRIOV_VF_ATTR_MIN_RATE] && v->from[SRIOV_VF_ATTR_MAX_RATE] &&
	    l->max_tx_rate && l->min_tx_rate > l->max_tx_rate)
		return policy_error(p, &v->from[SRIOV_VF_ATTR_MIN_RATE]->at[SRIOV_VF_ATTR_MIN_RATE],
				    "min_tx_rate %u of VF %u is above its max_tx_rate %u (set at %s:%u:%u)",
				    l->min_tx_rate, idx, l->max_tx_rate,
				    v->from[SRIOV_VF_ATTR_MAX_RATE]->at[SRIOV_VF_ATTR_MAX_RATE].file,
				    v->from[SRIOV_VF_ATTR_MAX_RATE]->at[SRIOV_VF_ATTR_MAX_RATE].line,
				    v->from[SRIOV_VF_ATTR_MAX_RATE]->at[SRIOV_VF_ATTR_MAX_RATE].column);
	/* One request for the VLAN's parts, one for both rates: either
	 * part optional makes the request optional. */
	v->optional_mask = v->optional & SRIOV_VF_ATTRS_LINK;
	if (v->optional & SRIOV_VF_ATTRS_VLAN)
		v->optional_mask |= SRIOV_VF_ATTRS_VLAN;
	if (v->optional & RATES)
		v->optional_mask |= RATES;
	if ((r = v->from[SRIOV_VF_ATTR_DRIVER]))
		v->driver = r->driver;
	if ((r = v->from[SRIOV_VF_ATTR_MTU]))
		v->mtu = r->mtu;
	return 0;
}

/*
 * What the quirk table says the PF's driver refuses: a link setting of VF
 * @idx the policy does not mark optional, once per range (at its first VF).
 */
static int check_refused(struct sriov_policy *p, const struct sriov_pf *pf,
			 unsigned idx, const struct want_vf *v,
			 const struct sriov_quirks *q)
{
	char a[96];
	int r;

	for (int f = 0; f < SRIOV_VF_ATTR__COUNT; f++) {
		const struct sriov_policy_vfs *from = v->from[f];
		const struct sriov_quirk *k;

		if (!from || !(v->set & SRIOV_VF_ATTRS_LINK & (1u << f)) ||
		    (v->optional_mask & (1u << f)) || idx != from->first)
			continue;
		/* a zero minimum asks for no guarantee: taken by every driver */
		if (f == SRIOV_VF_ATTR_MIN_RATE && v->link.min_tx_rate == 0)
			continue;
		k = sriov_quirks_refusing(q, pf, (enum sriov_vf_attr)f);
		if (!k)
			continue;
		r = policy_error(p, &from->at[f],
				 "%s: PF %s's driver %s refuses it (%s): quirk %s, %s (source: %s); leave it out, or list it in this range's optional: to let the apply go on without it",
				 sriov_vf_attr_key((enum sriov_vf_attr)f), pf_label(pf, a, sizeof(a)),
				 pf->driver, sriov_quirk_errno_name(k->refuse_errno[f]), k->id,
				 k->summary, k->source);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Phase 2 for one PF: its count, netdev settings, and every VF range. */
static int resolve_pf(struct sriov_policy *p, struct want_pf *w,
		      const char *host_id, const struct sriov_quirks *q)
{
	const struct sriov_pf *pf = w->pf;
	const struct sriov_policy_pf *e = w->entry;
	bool from_policy = e && (e->set & (1u << SRIOV_PPF_NUM_VFS));
	size_t errors = p->n_errors;
	char a[96];
	int r;

	w->num_vfs = from_policy ? e->num_vfs : pf->num_vfs;
	w->autoprobe = e && (e->set & (1u << SRIOV_PPF_AUTOPROBE)) ?
			       e->drivers_autoprobe : pf->drivers_autoprobe;
	if (from_policy && e->num_vfs > pf->total_vfs)
		return policy_error(p, &e->at[SRIOV_PPF_NUM_VFS],
				    "num_vfs %u is above the %u VFs PF %s allows (sriov_totalvfs)",
				    e->num_vfs, pf->total_vfs,
				    pf_label(pf, a, sizeof(a)));
	if (from_policy && q) {
		unsigned max;
		const struct sriov_quirk *k = sriov_quirks_max_vfs(q, pf, &max);

		if (k && e->num_vfs > max)
			return policy_error(p, &e->at[SRIOV_PPF_NUM_VFS],
					    "num_vfs %u is above the %u VFs driver %s of PF %s enables: quirk %s, %s (source: %s)",
					    e->num_vfs, max, pf->driver, pf_label(pf, a, sizeof(a)),
					    k->id, k->summary, k->source);
	}
	for (int f = SRIOV_PPF_MTU; e && f <= SRIOV_PPF_LINK_STATE; f++)
		if (f != SRIOV_PPF_AUTOPROBE && (e->set & (1u << f)) &&
		    !pf->n_netdevs &&
		    (r = policy_error(p, &e->at[f],
				      "%s: PF %s (driver %s) has no network interface",
				      policy_pf_field_name(f),
				      pf_label(pf, a, sizeof(a)),
				      pf->driver ? pf->driver : "none")) < 0)
			return r;
	w->vfs = calloc(w->num_vfs ? w->num_vfs : 1, sizeof(*w->vfs));
	if (!w->vfs)
		return -ENOMEM;
	for (size_t k = 0; k <= w->n_sel; k++) {
		const struct sriov_policy_pf *x = k == 0 ? e : w->sel[k - 1];

		for (size_t i = 0; x && i < x->n_vfs; i++)
			if ((r = merge_range(p, w, &x->vfs[i], from_policy)) < 0)
				return r;
	}
	if (p->n_errors != errors)
		return 0;
	for (unsigned i = 0; i < w->num_vfs; i++)
		if (w->vfs[i].set &&
		    ((r = want_link(p, pf, i, &w->vfs[i], host_id)) < 0 ||
		     (q && (r = check_refused(p, pf, i, &w->vfs[i], q)) < 0)))
			return r;
	return 0;
}

static int cmp_mac(const void *a, const void *b)
{
	const struct mac_use *x = a, *y = b;
	int c = memcmp(x->mac, y->mac, 6);

	if (c)
		return c;
	if (x->loc->line != y->loc->line)
		return x->loc->line < y->loc->line ? -1 : 1;
	return x->vf < y->vf ? -1 : x->vf > y->vf;
}

/* One MAC for two VFs, once `auto` is derived: an error at the second. */
static int check_macs(struct sriov_policy *p, const struct want_pf *w,
		      size_t n)
{
	struct mac_use *u;
	size_t k = 0, total = 0;
	int r = 0;

	for (size_t i = 0; i < n; i++)
		for (unsigned j = 0; w[i].pf && j < w[i].num_vfs; j++)
			total += (w[i].vfs[j].mask >> SRIOV_VF_ATTR_MAC) & 1;
	if (total < 2)
		return 0;
	u = calloc(total, sizeof(*u));
	if (!u)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		for (unsigned j = 0; w[i].pf && j < w[i].num_vfs; j++) {
			const struct want_vf *v = &w[i].vfs[j];

			if (!(v->mask & (1u << SRIOV_VF_ATTR_MAC)))
				continue;
			sscanf(v->link.mac, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx",
			       &u[k].mac[0], &u[k].mac[1], &u[k].mac[2],
			       &u[k].mac[3], &u[k].mac[4], &u[k].mac[5]);
			u[k].loc = &v->from[SRIOV_VF_ATTR_MAC]->at[SRIOV_VF_ATTR_MAC];
			u[k].pf = w[i].pf;
			u[k].vf = j;
			k++;
		}
	qsort(u, k, sizeof(*u), cmp_mac);
	for (size_t i = 1; i < k && r == 0; i++)
		if (memcmp(u[i].mac, u[i - 1].mac, 6) == 0)
			r = policy_error(p, u[i].loc,
					 "mac: %02x:%02x:%02x:%02x:%02x:%02x of %s VF %u is also given to %s VF %u",
					 u[i].mac[0], u[i].mac[1], u[i].mac[2],
					 u[i].mac[3], u[i].mac[4], u[i].mac[5],
					 u[i].pf->address, u[i].vf,
					 u[i - 1].pf->address, u[i - 1].vf);
	free(u);
	return r;
}

static int plan_pf(const struct want_pf *w, struct sriov_plan *plan,
		   size_t *cap)
{
	const struct sriov_pf *pf = w->pf;
	const struct sriov_policy_pf *e = w->entry;
	const struct sriov_netdev *nd = pf->n_netdevs ? &pf->netdevs[0] : NULL;
	bool recreate = w->num_vfs != pf->num_vfs;
	struct sriov_step *s;
	int r;

	if (recreate || w->autoprobe != pf->drivers_autoprobe) {
		if (!(s = plan_add_step(plan, cap, SRIOV_STEP_NUM_VFS, pf)))
			return -ENOMEM;
		s->old_num_vfs = pf->num_vfs;
		s->num_vfs = w->num_vfs;
		s->old_autoprobe = pf->drivers_autoprobe;
		s->autoprobe = w->autoprobe;
	}
	if (e && nd) {
		int mtu = (e->set & (1u << SRIOV_PPF_MTU)) &&
			  (int)e->mtu != nd->mtu ? (int)e->mtu : 0;
		int up = (e->set & (1u << SRIOV_PPF_LINK_STATE)) &&
			 (int)e->link_up != nd->up ? e->link_up : -1;

		if (mtu || up >= 0) {
			if (!(s = plan_add_step(plan, cap, SRIOV_STEP_LINK, pf)))
				return -ENOMEM;
			s->old_mtu = nd->mtu;
			s->mtu = mtu;
			s->old_up = nd->up;
			s->up = up;
		}
	}
	for (unsigned i = 0; i < w->num_vfs; i++) {
		const struct want_vf *v = &w->vfs[i];
		const struct sriov_vf *cur = recreate ? NULL : sriov_pf_vf(pf, i);
		struct sriov_vf_settings set;

		if (!v->mask)
			continue;
		r = sriov_vf_settings_diff_only(&v->link,
						cur ? &cur->link : NULL,
						v->mask, &set);
		if (r < 0)
			return r;
		if (set.n == 0) {
			sriov_vf_settings_clear(&set);
			continue;
		}
		if (!(s = plan_add_step(plan, cap, SRIOV_STEP_VF_ATTRS, pf))) {
			sriov_vf_settings_clear(&set);
			return -ENOMEM;
		}
		s->vf = i;
		s->want_link = v->link;
		s->want_mask = v->mask;
		s->optional_mask = v->optional_mask;
		s->settings = set;
		if (cur)
			s->old_link = cur->link;
	}
	for (unsigned i = 0; i < w->num_vfs; i++) {
		const struct want_vf *v = &w->vfs[i];
		const struct sriov_vf *cur = recreate ? NULL : sriov_pf_vf(pf, i);
		const char *want;

		if (!v->driver)
			continue;
		want = strcmp(v->driver, "none") == 0 ? NULL : v->driver;
		if (!recreate && cur && str_same(cur->driver, want))
			continue;
		/* Re-created VFs without autoprobe come without a driver. */
		if (recreate && !want && !w->autoprobe)
			continue;
		if (!(s = plan_add_step(plan, cap, SRIOV_STEP_DRIVER, pf)))
			return -ENOMEM;
		s->vf = i;
		s->after_recreate = recreate;
		if ((cur && cur->driver && !(s->old_driver = strdup(cur->driver))) ||
		    (want && !(s->driver = strdup(want))))
			return -ENOMEM;
	}
	for (unsigned i = 0; i < w->num_vfs; i++) {
		const struct want_vf *v = &w->vfs[i];
		const struct sriov_vf *cur = recreate ? NULL : sriov_pf_vf(pf, i);

		if (!v->mtu || (cur && cur->mtu == (int)v->mtu))
			continue;
		if (!(s = plan_add_step(plan, cap, SRIOV_STEP_LINK, pf)))
			return -ENOMEM;
		s->on_vf = true;
		s->vf = i;
		s->old_mtu = cur ? cur->mtu : -1;
		s->mtu = (int)v->mtu;
	}
	return 0;
}

static size_t file_index(const struct sriov_policy *p, const char *file)
{
	for (size_t i = 0; i < p->files.n; i++)
		if (file && strcmp(p->files.v[i], file) == 0)
			return i;
	return p->files.n;
}

/* Errors in file order, as phase 1 gives them (stable: insertion). */
static void sort_errors(struct sriov_policy *p, size_t from)
{
	for (size_t i = from + 1; i < p->n_errors; i++) {
		struct sriov_policy_error e = p->errors[i];
		size_t fe = file_index(p, e.loc.file), j = i;

		while (j > from) {
			const struct sriov_policy_loc *l = &p->errors[j - 1].loc;
			size_t fl = file_index(p, l->file);

			if (fl < fe || (fl == fe && (l->line < e.loc.line ||
			    (l->line == e.loc.line && l->column <= e.loc.column))))
				break;
			p->errors[j] = p->errors[j - 1];
			j--;
		}
		p->errors[j] = e;
	}
}

int sriov_policy_plan(const struct sriov_host *host, struct sriov_policy *p,
		      const struct sriov_policy_plan_opts *opts,
		      struct sriov_plan *out)
{
	const char *host_id = opts ? opts->host_id : NULL;
	const char *only_pf = opts ? opts->only_pf : NULL;
	size_t errors = p->n_errors, cap = 0;
	const struct sriov_pf **buf;
	struct want_pf *w;
	int r = 0;

	out->v = NULL;
	out->n = 0;
	w = calloc(host->n_pfs + 1, sizeof(*w));
	buf = calloc(host->n_pfs + 1, sizeof(*buf));
	if (!w || !buf) {
		free(w);
		free(buf);
		return -ENOMEM;
	}
	for (size_t i = 0; i < p->n_pfs && r == 0; i++)
		r = match_entry(p, host, &p->pfs[i], only_pf, w, buf);
	for (size_t i = 0; i < host->n_pfs && r == 0; i++) {
		if (!w[i].entry && !w[i].n_sel)
			continue;
		w[i].pf = &host->pfs[i];
		r = resolve_pf(p, &w[i], host_id, opts ? opts->quirks : NULL);
	}
	if (r == 0 && p->n_errors == errors)
		r = check_macs(p, w, host->n_pfs);
	for (size_t i = 0; i < host->n_pfs && r == 0 && p->n_errors == errors; i++)
		if (w[i].pf)
			r = plan_pf(&w[i], out, &cap);
	for (size_t i = 0; i < host->n_pfs; i++) {
		free(w[i].sel);
		free(w[i].vfs);
	}
	free(w);
	free(buf);
	sort_errors(p, errors);
	if (r < 0 || p->n_errors != errors)
		sriov_plan_clear(out);
	return r < 0 ? r : 0;
}
