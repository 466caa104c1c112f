/* SPDX-License-Identifier: MIT */
/*
 * VF state checks: VF count persisted (vf.persisted, persist.c), PF link (pf.link),
 * MAC addresses (vf.mac.duplicate, vf.mac.zero), security settings
 * (vf.spoofchk, vf.trust) and MTU (vf.mtu).
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "io/parse.h"

static void check_link(struct check_run *r, const struct sriov_pf *pf)
{
	const struct sriov_netdev *nd = pf->n_netdevs ? &pf->netdevs[0] : NULL;
	char remedy[256];

	if (pf->num_vfs == 0 || !nd)
		return;
	if (!nd->operstate || strcmp(nd->operstate, "down") != 0) {
		check_add(r, "pf.link", SRIOV_SEV_OK, nd->name, NULL,
			  "/sys/class/net/%s/operstate is %s", nd->name,
			  nd->operstate ? nd->operstate : "unreadable");
		return;
	}
	snprintf(remedy, sizeof(remedy),
		 "ip link set %s up; if it stays down, check the cable, transceiver and switch port",
		 nd->name);
	check_add(r, "pf.link", SRIOV_SEV_WARN, nd->name, remedy,
		  "/sys/class/net/%s/operstate is down while %u VFs are configured: their traffic goes nowhere",
		  nd->name, pf->num_vfs);
}

static const char *vf_mac(const struct sriov_vf *vf)
{
	if (vf->link.present && vf->link.mac[0])
		return vf->link.mac;
	return vf->mac;
}

static bool zero_mac(const char *mac)
{
	return !mac || strcmp(mac, "00:00:00:00:00:00") == 0;
}

static void vf_name(const struct sriov_pf *pf, const struct sriov_vf *vf,
		    char *buf, size_t len)
{
	snprintf(buf, len, "%s/vf%u", check_pf_name(pf), vf->index);
}

static void check_duplicates(struct check_run *r, const struct sriov_pf *pf)
{
	const struct sriov_host *h = r->host;
	size_t with_mac = 0, dups = 0;
	char name[64], other[64], remedy[256];

	for (size_t i = 0; i < pf->n_vfs; i++) {
		const char *mac = vf_mac(&pf->vfs[i]);

		if (zero_mac(mac))
			continue;
		with_mac++;
		for (size_t p = 0; p < h->n_pfs; p++)
			for (size_t k = 0; k < h->pfs[p].n_vfs; k++) {
				const struct sriov_vf *o = &h->pfs[p].vfs[k];
				const char *om = vf_mac(o);

				if (o == &pf->vfs[i] || zero_mac(om) || strcasecmp(om, mac) != 0)
					continue;
				vf_name(pf, &pf->vfs[i], name, sizeof(name));
				vf_name(&h->pfs[p], o, other, sizeof(other));
				snprintf(remedy, sizeof(remedy),
					 "give %s a MAC of its own: sriovctl vf %s set mac XX:XX:XX:XX:XX:XX",
					 name, name);
				check_add(r, "vf.mac.duplicate", SRIOV_SEV_FAIL, name, remedy,
					  "%s has MAC %s, and so has %s", name, mac, other);
				dups++;
				p = h->n_pfs - 1;
				break;
			}
	}
	if (with_mac && !dups)
		check_add(r, "vf.mac.duplicate", SRIOV_SEV_OK, check_pf_name(pf), NULL,
			  "the %zu VF MAC address%s of %s %s unique on the host", with_mac,
			  with_mac == 1 ? "" : "es", check_pf_name(pf),
			  with_mac == 1 ? "is" : "are");
}

static bool for_vfio(const struct sriov_vf *vf)
{
	return (vf->driver && strcmp(vf->driver, "vfio-pci") == 0) ||
	       (vf->driver_override && strcmp(vf->driver_override, "vfio-pci") == 0);
}

/* spoofchk, trust and a guest VF's MAC: only in the PF's netlink view. */
static void check_link_attrs(struct check_run *r, const struct sriov_pf *pf)
{
	size_t spoof_ok = 0, trust_ok = 0, seen = 0;
	char name[64], remedy[256];

	if (pf->n_vfs == 0)
		return;
	if (pf->vf_links != SRIOV_VF_LINKS_OK && pf->vf_links != SRIOV_VF_LINKS_TRUNCATED) {
		static const char *const ids[] = { "vf.spoofchk", "vf.trust", "vf.mac.zero" };

		for (size_t i = 0; i < 3; i++)
			check_add(r, ids[i], SRIOV_SEV_SKIP, check_pf_name(pf), NULL,
				  "no netlink view of the PF's VFs (%s)",
				  pf->n_netdevs ? "not the live host" : "the PF has no netdev");
		return;
	}
	for (size_t i = 0; i < pf->n_vfs; i++) {
		const struct sriov_vf *vf = &pf->vfs[i];

		if (!check_sel_vf(r, pf, vf) || !vf->link.present ||
		    vf->link.source != SRIOV_VF_LINK_SRC_NETLINK)
			continue;
		seen++;
		vf_name(pf, vf, name, sizeof(name));
		if (vf->link.spoofchk == 0) {
			snprintf(remedy, sizeof(remedy), "sriovctl vf %s set spoofchk on", name);
			check_add(r, "vf.spoofchk", SRIOV_SEV_WARN, name, remedy,
				  "the VF list of %s says %s has spoof checking off: it can send with any source MAC",
				  check_pf_name(pf), name);
		} else {
			spoof_ok++;
		}
		if (vf->link.trust == 1) {
			snprintf(remedy, sizeof(remedy), "sriovctl vf %s set trust off", name);
			check_add(r, "vf.trust", SRIOV_SEV_WARN, name, remedy,
				  "the VF list of %s says %s is trusted: it may change its MAC and go promiscuous",
				  check_pf_name(pf), name);
		} else {
			trust_ok++;
		}
		if (for_vfio(vf)) {
			bool zero = zero_mac(vf->link.mac[0] ? vf->link.mac : NULL);

			snprintf(remedy, sizeof(remedy),
				 "sriovctl vf %s set mac XX:XX:XX:XX:XX:XX (a fixed, unique address)", name);
			check_add(r, "vf.mac.zero", zero ? SRIOV_SEV_WARN : SRIOV_SEV_OK, name,
				  zero ? remedy : NULL,
				  "%s is meant for vfio-pci and the VF list of %s gives it MAC %s",
				  name, check_pf_name(pf), vf->link.mac[0] ? vf->link.mac : "(none)");
		}
	}
	if (seen && spoof_ok == seen)
		check_add(r, "vf.spoofchk", SRIOV_SEV_OK, check_pf_name(pf), NULL,
			  "the VF list of %s: spoof checking on for all %zu VFs checked",
			  check_pf_name(pf), seen);
	if (seen && trust_ok == seen)
		check_add(r, "vf.trust", SRIOV_SEV_OK, check_pf_name(pf), NULL,
			  "the VF list of %s: no VF of the %zu checked is trusted",
			  check_pf_name(pf), seen);
}

static void check_mtu(struct check_run *r, const struct sriov_pf *pf)
{
	const struct sriov_netdev *pnd = pf->n_netdevs ? &pf->netdevs[0] : NULL;
	size_t seen = 0, bad = 0;
	char name[64], remedy[256];

	if (!pnd || pnd->mtu < 0)
		return;
	for (size_t i = 0; i < pf->n_vfs; i++) {
		const struct sriov_vf *vf = &pf->vfs[i];
		int mtu;

		if (!check_sel_vf(r, pf, vf) || !vf->netdev ||
		    (mtu = vf->mtu) < 0)
			continue;
		seen++;
		if (mtu <= pnd->mtu)
			continue;
		bad++;
		vf_name(pf, vf, name, sizeof(name));
		snprintf(remedy, sizeof(remedy),
			 "ip link set %s mtu %d (or lower %s's: ip link set %s mtu %d)",
			 pnd->name, mtu, vf->netdev, vf->netdev, pnd->mtu);
		check_add(r, "vf.mtu", SRIOV_SEV_WARN, name, remedy,
			  "/sys/class/net/%s/mtu is %d, above /sys/class/net/%s/mtu %d",
			  vf->netdev, mtu, pnd->name, pnd->mtu);
	}
	if (seen && !bad)
		check_add(r, "vf.mtu", SRIOV_SEV_OK, pnd->name, NULL,
			  "the MTU of each of the %zu VF netdevs is at most %s's %d",
			  seen, pnd->name, pnd->mtu);
}

void checks_vfstate(struct check_run *r)
{
	struct persist_set *set = persist_scan(r);

	for (size_t i = 0; i < r->host->n_pfs; i++) {
		const struct sriov_pf *pf = &r->host->pfs[i];

		if (!check_sel_pf(r, pf))
			continue;
		persist_check(r, set, pf);
		check_link(r, pf);
		check_duplicates(r, pf);
		check_link_attrs(r, pf);
		check_mtu(r, pf);
	}
	persist_free(set);
}
