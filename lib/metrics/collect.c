/* SPDX-License-Identifier: MIT */
/*
 * The host as metric families (docs/metrics.md): each family is one pass
 * over the inventory, since the format wants a family's samples together.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics/expo.h"
#include "sriov.h"

#define L(n, v) { (n), (v) }

/* Mb/s as the base unit, bytes per second (node_network_speed_bytes does). */
#define MBPS_BYTES 125000ull

/* A VF's labels that identify it in every per-VF family. */
struct vf_id {
	char index[12];
};

static void vf_index(const struct sriov_vf *vf, struct vf_id *id)
{
	snprintf(id->index, sizeof(id->index), "%u", vf->index);
}

static void num(char *buf, size_t len, int v)
{
	if (v < 0)
		buf[0] = 0;
	else
		snprintf(buf, len, "%d", v);
}

static const char *link_bool(int v)
{
	return v < 0 ? "" : v ? "on" : "off";
}

static void vf_info(struct expo *e, const struct sriov_pf *pf,
		    const struct sriov_vf *vf)
{
	const struct sriov_vf_link *lk = &vf->link;
	bool have = lk->source != SRIOV_VF_LINK_SRC_NONE;
	bool full = lk->source == SRIOV_VF_LINK_SRC_NETLINK;
	char vlan[12] = "", qos[12] = "", numa[12];
	const char *proto = NULL, *state = NULL;
	struct vf_id id;

	vf_index(vf, &id);
	num(numa, sizeof(numa), vf->numa_node);
	if (full) {
		snprintf(vlan, sizeof(vlan), "%u", lk->vlan);
		snprintf(qos, sizeof(qos), "%u", lk->qos);
		proto = sriov_vf_vlan_proto_name(lk->vlan_proto);
		state = sriov_vf_link_state_name(lk->link_state);
	}
	const struct expo_label l[] = {
		L("pf", pf->address), L("vf", id.index),
		L("pci_address", vf->address), L("netdev", vf->netdev),
		L("driver", vf->driver),
		/* the administrative MAC the PF reports; else the netdev's */
		L("mac", have && lk->mac[0] ? lk->mac : vf->mac),
		L("vlan", vlan), L("qos", qos), L("vlan_proto", proto),
		L("spoof_check", full ? link_bool(lk->spoofchk) : ""),
		L("trust", full ? link_bool(lk->trust) : ""),
		L("link_state", state), L("numa_node", numa),
	};
	expo_u64(e, l, sizeof(l) / sizeof(l[0]), 1);
}

/* The per-VF counters of IFLA_VF_STATS, and where each is in the struct. */
static const struct {
	const char *name;
	const char *help;
	size_t off;
} vf_counters[] = {
	{ "sriov_vf_receive_bytes_total", "Bytes the VF received, as its PF's driver counts them (IFLA_VF_STATS_RX_BYTES).",
	  offsetof(struct sriov_vf_stats, rx_bytes) },
	{ "sriov_vf_transmit_bytes_total", "Bytes the VF sent (IFLA_VF_STATS_TX_BYTES).",
	  offsetof(struct sriov_vf_stats, tx_bytes) },
	{ "sriov_vf_receive_packets_total", "Packets the VF received (IFLA_VF_STATS_RX_PACKETS).",
	  offsetof(struct sriov_vf_stats, rx_packets) },
	{ "sriov_vf_transmit_packets_total", "Packets the VF sent (IFLA_VF_STATS_TX_PACKETS).",
	  offsetof(struct sriov_vf_stats, tx_packets) },
	{ "sriov_vf_receive_broadcast_packets_total", "Broadcast packets the VF received (IFLA_VF_STATS_BROADCAST).",
	  offsetof(struct sriov_vf_stats, broadcast) },
	{ "sriov_vf_receive_multicast_packets_total", "Multicast packets the VF received (IFLA_VF_STATS_MULTICAST).",
	  offsetof(struct sriov_vf_stats, multicast) },
	{ "sriov_vf_receive_dropped_total", "Received packets of the VF that were dropped (IFLA_VF_STATS_RX_DROPPED; 0 where the driver does not count them).",
	  offsetof(struct sriov_vf_stats, rx_dropped) },
	{ "sriov_vf_transmit_dropped_total", "Packets the VF sent that were dropped (IFLA_VF_STATS_TX_DROPPED; 0 where the driver does not count them).",
	  offsetof(struct sriov_vf_stats, tx_dropped) },
};

static bool any_vf(const struct sriov_host *h, bool (*has)(const struct sriov_vf *))
{
	for (size_t i = 0; i < h->n_pfs; i++)
		for (size_t j = 0; j < h->pfs[i].n_vfs; j++)
			if (has(&h->pfs[i].vfs[j]))
				return true;
	return false;
}

static bool has_stats(const struct sriov_vf *vf)
{
	return vf->stats.present;
}

static bool has_link(const struct sriov_vf *vf)
{
	return vf->link.source == SRIOV_VF_LINK_SRC_NETLINK;
}

static void vf_families(struct expo *e, const struct sriov_host *h)
{
	struct vf_id id;

	expo_family(e, "sriov_vf_info", "gauge",
		    "A VF of a PF, its driver and the settings its PF reports (rtnetlink); always 1.");
	for (size_t i = 0; i < h->n_pfs; i++)
		for (size_t j = 0; j < h->pfs[i].n_vfs; j++)
			vf_info(e, &h->pfs[i], &h->pfs[i].vfs[j]);

	if (any_vf(h, has_stats))
		for (size_t c = 0; c < sizeof(vf_counters) / sizeof(vf_counters[0]); c++) {
			expo_family(e, vf_counters[c].name, "counter", vf_counters[c].help);
			for (size_t i = 0; i < h->n_pfs; i++)
				for (size_t j = 0; j < h->pfs[i].n_vfs; j++) {
					const struct sriov_vf *vf = &h->pfs[i].vfs[j];
					uint64_t v;

					if (!vf->stats.present)
						continue;
					memcpy(&v, (const char *)&vf->stats + vf_counters[c].off,
					       sizeof(v));
					vf_index(vf, &id);
					expo_u64(e, (struct expo_label[]){ L("pf", h->pfs[i].address),
									  L("vf", id.index) },
						 2, v);
				}
		}

	if (!any_vf(h, has_link))
		return;
	for (int max = 0; max < 2; max++) {
		expo_family(e, max ? "sriov_vf_max_tx_rate_bytes_per_second" :
				     "sriov_vf_min_tx_rate_bytes_per_second", "gauge",
			    max ? "The VF's maximum transmit rate its PF enforces (IFLA_VF_RATE, Mb/s as bytes/s); 0: no limit." :
				  "The VF's guaranteed minimum transmit rate (IFLA_VF_RATE, Mb/s as bytes/s); 0: none.");
		for (size_t i = 0; i < h->n_pfs; i++)
			for (size_t j = 0; j < h->pfs[i].n_vfs; j++) {
				const struct sriov_vf *vf = &h->pfs[i].vfs[j];

				if (!has_link(vf))
					continue;
				vf_index(vf, &id);
				expo_u64(e, (struct expo_label[]){ L("pf", h->pfs[i].address),
								  L("vf", id.index) },
					 2, (uint64_t)(max ? vf->link.max_tx_rate :
							     vf->link.min_tx_rate) * MBPS_BYTES);
			}
	}
}

static void pf_info(struct expo *e, const struct sriov_pf *pf)
{
	char vendor[8], device[8], vfdev[8], numa[12];

	snprintf(vendor, sizeof(vendor), "%04x", pf->vendor_id);
	snprintf(device, sizeof(device), "%04x", pf->device_id);
	if (pf->vf_device_id)
		snprintf(vfdev, sizeof(vfdev), "%04x", pf->vf_device_id);
	else
		vfdev[0] = 0;
	num(numa, sizeof(numa), pf->numa_node);
	const struct expo_label l[] = {
		L("pf", pf->address),
		L("netdev", pf->n_netdevs ? pf->netdevs[0].name : NULL),
		L("driver", pf->driver), L("vendor_id", vendor), L("device_id", device),
		L("vf_device_id", vfdev), L("numa_node", numa),
	};
	expo_u64(e, l, sizeof(l) / sizeof(l[0]), 1);
}

enum pf_value { PF_NUM_VFS, PF_TOTAL_VFS, PF_TRUNCATED };

static void pf_family(struct expo *e, const struct sriov_host *h, const char *name,
		      const char *help, enum pf_value what)
{
	expo_family(e, name, "gauge", help);
	for (size_t i = 0; i < h->n_pfs; i++) {
		const struct sriov_pf *pf = &h->pfs[i];
		uint64_t v = what == PF_NUM_VFS ? pf->num_vfs :
			     what == PF_TOTAL_VFS ? pf->total_vfs :
			     pf->vf_links == SRIOV_VF_LINKS_TRUNCATED;

		expo_u64(e, (struct expo_label[]){ L("pf", pf->address) }, 1, v);
	}
}

enum nd_value { ND_UP, ND_SPEED, ND_MTU };

static void netdev_family(struct expo *e, const struct sriov_host *h,
			  const char *name, const char *help, enum nd_value what)
{
	bool started = false;

	for (size_t i = 0; i < h->n_pfs; i++)
		for (size_t k = 0; k < h->pfs[i].n_netdevs; k++) {
			const struct sriov_netdev *nd = &h->pfs[i].netdevs[k];
			int64_t v = what == ND_UP ? (nd->operstate ?
						     strcmp(nd->operstate, "up") == 0 : -1) :
				    what == ND_SPEED ? nd->speed_mbps : nd->mtu;

			if (v < 0)
				continue;
			if (!started)
				expo_family(e, name, "gauge", help);
			started = true;
			expo_u64(e, (struct expo_label[]){ L("pf", h->pfs[i].address),
							  L("netdev", nd->name) },
				 2, what == ND_SPEED ? (uint64_t)v * MBPS_BYTES : (uint64_t)v);
		}
}

static void pf_families(struct expo *e, const struct sriov_host *h)
{
	expo_family(e, "sriov_pf_info", "gauge",
		    "An SR-IOV physical function: its driver, PCI ids (hex) and NUMA node; always 1.");
	for (size_t i = 0; i < h->n_pfs; i++)
		pf_info(e, &h->pfs[i]);
	pf_family(e, h, "sriov_pf_num_vfs", "VFs enabled on the PF (sysfs sriov_numvfs).",
		  PF_NUM_VFS);
	pf_family(e, h, "sriov_pf_total_vfs", "VFs the PF can have (sysfs sriov_totalvfs).",
		  PF_TOTAL_VFS);
	pf_family(e, h, "sriov_pf_vf_list_truncated",
		  "1 when the kernel cut the PF's rtnetlink VF list short (too many VFs for one message): the VFs past the cut have no settings or counters.",
		  PF_TRUNCATED);
	netdev_family(e, h, "sriov_pf_netdev_up", "1 when the PF's network interface is operationally up (operstate).",
		      ND_UP);
	netdev_family(e, h, "sriov_pf_netdev_speed_bytes", "Link speed of the PF's network interface in bytes per second (sysfs speed).",
		      ND_SPEED);
	netdev_family(e, h, "sriov_pf_netdev_mtu_bytes", "MTU of the PF's network interface.",
		      ND_MTU);
}

/* Findings alike in check, severity and device sort together. */
static int cmp_finding(const void *a, const void *b)
{
	const struct sriov_finding *x = *(const struct sriov_finding *const *)a;
	const struct sriov_finding *y = *(const struct sriov_finding *const *)b;
	int r = strcmp(x->check->id, y->check->id);

	if (r == 0)
		r = (int)x->severity - (int)y->severity;
	if (r == 0)
		r = strcmp(x->subject ? x->subject : "", y->subject ? y->subject : "");
	return r;
}

static int check_families(struct expo *e, const struct sriov_metrics_input *in)
{
	const struct sriov_check_report *rep = in->checks;
	const struct sriov_finding **v = malloc((rep->n ? rep->n : 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < rep->n; i++)
		v[i] = &rep->v[i];
	qsort(v, rep->n, sizeof(*v), cmp_finding);
	expo_family(e, "sriov_check_findings", "gauge",
		    "Findings of sriovctl check by check id, severity (ok, skip, warn, fail) and device (empty: the host).");
	for (size_t i = 0; i < rep->n;) {
		size_t j = i + 1;

		while (j < rep->n && cmp_finding(&v[i], &v[j]) == 0)
			j++;
		expo_u64(e, (struct expo_label[]){ L("id", v[i]->check->id),
						  L("severity", sriov_severity_name(v[i]->severity)),
						  L("device", v[i]->subject) },
			 3, j - i);
		i = j;
	}
	free(v);
	expo_family(e, "sriov_check_last_run_timestamp_seconds", "gauge",
		    "When the checks behind sriov_check_findings ran (Unix time).");
	expo_double(e, NULL, 0, in->checks_timestamp);
	return 0;
}

static void policy_families(struct expo *e, const struct sriov_metrics_policy *p)
{
	expo_family(e, "sriov_policy_errors", "gauge",
		    "Errors in the host policy (syntax or meaning); while there are any, the drift is unknown.");
	expo_u64(e, NULL, 0, p->errors);
	if (p->errors)
		return;
	expo_family(e, "sriov_policy_drift_changes", "gauge",
		    "Changes that would bring the host to its policy (the lines of sriovctl plan); 0: in line.");
	expo_u64(e, NULL, 0, p->changes);
}

static void self_families(struct expo *e, const struct sriov_metrics_self *s)
{
	expo_family(e, "sriov_exporter_build_info", "gauge",
		    "The version of sriovctl-exporter; always 1.");
	expo_u64(e, (struct expo_label[]){ L("version", s->version) }, 1, 1);
	expo_family(e, "sriov_exporter_scrape_duration_seconds", "gauge",
		    "Time this scrape took to collect the metrics.");
	expo_double(e, NULL, 0, s->scrape_duration_seconds);
	expo_family(e, "sriov_exporter_scrapes_total", "counter",
		    "Scrapes served since the exporter started.");
	expo_u64(e, NULL, 0, s->scrapes);
	expo_family(e, "sriov_exporter_scrape_errors_total", "counter",
		    "Scrapes whose rtnetlink dump failed (their VF settings and counters are missing).");
	expo_u64(e, NULL, 0, s->scrape_errors);
	expo_family(e, "sriov_exporter_inventory_reloads_total", "counter",
		    "Full reads of the inventory (sysfs) since the exporter started.");
	expo_u64(e, NULL, 0, s->inventory_reloads);
	expo_family(e, "sriov_exporter_inventory_age_seconds", "gauge",
		    "Age of the inventory (PFs, VFs, drivers, PF links) in use.");
	expo_double(e, NULL, 0, s->inventory_age_seconds);
}

int sriov_metrics_write_label_value(const char *v, FILE *out)
{
	return expo_label_value(out, v);
}

int sriov_metrics_write(const struct sriov_metrics_input *in, FILE *out)
{
	struct expo e = { .f = out };
	int r = 0;

	if (!in || !in->host)
		return -EINVAL;
	pf_families(&e, in->host);
	vf_families(&e, in->host);
	if (in->checks)
		r = check_families(&e, in);
	if (in->policy && in->policy->present)
		policy_families(&e, in->policy);
	if (in->self)
		self_families(&e, in->self);
	if (r == 0 && fflush(out) == EOF)
		r = -EIO;
	return r < 0 ? r : e.err;
}
