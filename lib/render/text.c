/* SPDX-License-Identifier: MIT */
/* Human-readable views: the `list` table, and `show` of a PF or a VF. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/if_ether.h>

#include "pci/config.h"
#include "render/names.h"
#include "render/table.h"
#include "util/escape.h"
#include "util/strv.h"

char *sriov_pf_vf_driver_mix(const struct sriov_pf *pf)
{
	struct vf_driver_count *c;
	char *out = NULL;
	size_t n, len = 0;
	FILE *f;

	if (vf_driver_counts(pf, &c, &n) < 0)
		return NULL;
	f = open_memstream(&out, &len);
	if (f) {
		for (size_t i = 0; i < n; i++)
			fprintf(f, "%s%zu %s", i ? ", " : "", c[i].count,
				c[i].driver);
		if (fclose(f) != 0) {
			free(out);
			out = NULL;
		}
	}
	free(c);
	return out;
}

static void speed_str(int mbps, char *buf, size_t len)
{
	if (mbps <= 0)
		snprintf(buf, len, "?");
	else if (mbps >= 1000 && mbps % 1000 == 0)
		snprintf(buf, len, "%dGb/s", mbps / 1000);
	else
		snprintf(buf, len, "%dMb/s", mbps);
}

static void link_str(const struct sriov_pf *pf, char *buf, size_t len)
{
	const struct sriov_netdev *nd;
	char sp[32];

	if (!pf->n_netdevs) {
		snprintf(buf, len, "-");
		return;
	}
	nd = &pf->netdevs[0];
	if (nd->operstate && strcmp(nd->operstate, "up") == 0) {
		speed_str(nd->speed_mbps, sp, sizeof(sp));
		snprintf(buf, len, "up %s", sp);
	} else {
		snprintf(buf, len, "%s", nd->operstate ? nd->operstate : "?");
	}
}

static char *joined_netdevs(const struct sriov_pf *pf)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return NULL;
	for (size_t i = 0; i < pf->n_netdevs; i++)
		fprintf(f, "%s%s", i ? "," : "", pf->netdevs[i].name);
	if (fclose(f) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

static void device_name(const struct sriov_pf *pf, char *buf, size_t len)
{
	if (strcmp(pf->bus, "pci") != 0)
		snprintf(buf, len, "%s device (VFs configured through its netdev)",
			 pf->bus);
	else if (pf->vendor_name && pf->device_name)
		snprintf(buf, len, "%s %s", pf->vendor_name, pf->device_name);
	else if (pf->device_name)
		snprintf(buf, len, "%s", pf->device_name);
	else if (pf->vendor_name)
		snprintf(buf, len, "%s device %04x", pf->vendor_name,
			 pf->device_id);
	else
		snprintf(buf, len, "Device %04x:%04x", pf->vendor_id,
			 pf->device_id);
}

int sriov_render_list_text(const struct sriov_host *host, FILE *out)
{
	static const char *const hdr[] = { "PF", "NETDEV", "ID", "DRIVER",
		"NUMA", "VFS", "VF-ID", "VF-DRIVERS", "LINK", "NAME" };
	struct table *t = table_new(10, hdr);
	int r = 0;

	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < host->n_pfs && r == 0; i++) {
		const struct sriov_pf *pf = &host->pfs[i];
		char id[16], numa[16], vfs[32], vfid[16], link[48], name[512];
		char *nds = joined_netdevs(pf);
		char *mix = sriov_pf_vf_driver_mix(pf);
		char warned[600];
		const char *row[10];

		bool pci = strcmp(pf->bus, "pci") == 0;

		snprintf(id, sizeof(id), "%04x:%04x", pf->vendor_id,
			 pf->device_id);
		snprintf(numa, sizeof(numa), "%d", pf->numa_node);
		snprintf(vfs, sizeof(vfs), "%u/%u", pf->num_vfs,
			 pf->total_vfs);
		snprintf(vfid, sizeof(vfid), "%04x", pf->vf_device_id);
		link_str(pf, link, sizeof(link));
		device_name(pf, name, sizeof(name));
		row[0] = pf->address;
		row[1] = nds && *nds ? nds : NULL;
		row[2] = pci ? id : NULL;
		row[3] = pf->driver;
		row[4] = pf->numa_node < 0 ? NULL : numa;
		row[5] = vfs;
		row[6] = pci ? vfid : NULL;
		row[7] = mix && *mix ? mix : NULL;
		row[8] = link;
		row[9] = name;
		if (pf->warnings.n) {
			snprintf(warned, sizeof(warned), "%s [%zu warning%s]",
				 name, pf->warnings.n,
				 pf->warnings.n == 1 ? "" : "s");
			row[9] = warned;
		}
		r = table_add(t, row);
		free(nds);
		free(mix);
	}
	if (r == 0)
		r = table_print(t, out);
	table_free(t);
	return r;
}

static void acs_str(const struct sriov_cap_acs *acs, char *buf, size_t len)
{
	size_t n = 0;

	if (!acs->present) {
		snprintf(buf, len, "no ACS capability");
		return;
	}
	for (size_t i = 0; i < 7 && n < len; i++)
		if (acs->caps & acs_bits[i].bit)
			n += (size_t)snprintf(buf + n, len - n, "%s%s%c",
					      n ? " " : "", acs_bits[i].name,
					      acs->ctrl & acs_bits[i].bit ? '+'
									  : '-');
	if (n == 0)
		snprintf(buf, len, "ACS capability with no features");
}

static void print_upstream(const struct sriov_pf *pf, FILE *out)
{
	for (size_t i = 0; i < pf->n_upstream; i++) {
		const struct sriov_bridge *b = &pf->upstream[i];
		char acs[256];

		if (!b->config_readable) {
			esc_printf(out, "  %-14s%s (config space unreadable)\n",
				i ? "" : "upstream", b->address);
			continue;
		}
		acs_str(&b->config.acs, acs, sizeof(acs));
		esc_printf(out, "  %-14s%s %s, ACS: %s%s\n", i ? "" : "upstream",
			b->address, pci_pcie_type_name(b->config.pcie_type),
			acs,
			b->config.acs.present &&
					(b->config.acs.ctrl & ACS_ISOLATION_BITS) ==
						ACS_ISOLATION_BITS
				? " (isolating)"
				: (b->config.len < 4096 ? " (run as root to read)"
							: " (NOT isolating)"));
	}
}

static void print_capability(const struct sriov_pf *pf, FILE *out)
{
	const struct sriov_cap_sriov *c = &pf->config.sriov;

	if (!pf->config_readable) {
		fprintf(out, "  %-14s%s\n", "capability",
			"config space unreadable");
		return;
	}
	if (pf->config.len < 4096) {
		fprintf(out, "  %-14sonly %zu bytes of config space readable; run as root to decode SR-IOV\n",
			"capability", pf->config.len);
		return;
	}
	if (!c->present) {
		fprintf(out, "  %-14sno SR-IOV capability in config space\n",
			"capability");
		return;
	}
	fprintf(out, "  %-14sSR-IOV at 0x%03x: InitialVFs %u, TotalVFs %u, NumVFs %u, FDL %u, First VF Offset %u, VF Stride %u, VF Device %04x\n",
		"capability", c->pos, c->initial_vfs, c->total_vfs, c->num_vfs,
		c->func_dep_link, c->first_vf_offset, c->vf_stride,
		c->vf_device_id);
	fprintf(out, "  %-14sVF Enable%c VF MSE%c ARI Hierarchy%c, page size 0x%x (supported 0x%x)%s\n",
		"", c->ctrl & SRIOV_CTRL_VFE ? '+' : '-',
		c->ctrl & SRIOV_CTRL_MSE ? '+' : '-',
		c->ctrl & SRIOV_CTRL_ARI ? '+' : '-', c->system_page_size,
		c->supported_page_sizes, pf->config.has_ari ? ", ARI" : "");
	if (pf->total_vfs < c->total_vfs)
		fprintf(out, "  %-14sthe driver limits TotalVFs %u to %u\n", "",
			c->total_vfs, pf->total_vfs);
}

/* "13" or "13, shared with 0000:3b:00.0 (ice), 0000:00:02.0 (pcieport) +5" */
static void group_str(int group, const struct sriov_iommu_group *g,
		      const char *self, char *buf, size_t len)
{
	size_t n, shown = 0;

	if (group < 0) {
		snprintf(buf, len, "-");
		return;
	}
	n = (size_t)snprintf(buf, len, "%d", group);
	if (!g)
		return;
	for (size_t i = 0; i < g->n_members && n < len; i++) {
		const struct sriov_group_member *m = &g->members[i];

		if (strcmp(m->address, self) == 0)
			continue;
		if (shown == 2) {
			n += (size_t)snprintf(buf + n, len - n, " +%zu more",
					      g->n_members - 1 - shown);
			break;
		}
		n += (size_t)snprintf(buf + n, len - n, "%s%s (%s)",
				      shown ? ", " : ", shared with ",
				      m->address,
				      m->driver ? m->driver : "no driver");
		shown++;
	}
}

static void print_warnings(const struct sriov_strv *w, const char *indent,
			   FILE *out)
{
	for (size_t i = 0; i < w->n; i++)
		esc_printf(out, "%s%-14s%s\n", indent, i ? "" : "warning",
			w->v[i]);
}

static const char *onoff(int v)
{
	return v < 0 ? "-" : v ? "on" : "off";
}

/* The rtnetlink columns of one VF: admin MAC, VLAN, rate, checks, link. */
static void link_cells(const struct sriov_vf_link *l, char vlan[48],
		       char rate[32], const char *cells[6])
{
	if (l->source == SRIOV_VF_LINK_SRC_SYSFS) {
		/* beyond a truncated VF list: only sysfs's MAC is known */
		cells[0] = l->mac[0] ? l->mac : "?";
		for (int i = 1; i < 6; i++)
			cells[i] = "?";
		return;
	}
	if (!l->present) {
		for (int i = 0; i < 6; i++)
			cells[i] = NULL;
		return;
	}
	if (l->vlan)
		snprintf(vlan, 48, "%u%s%.0u%s", l->vlan, l->qos ? " qos " : "",
			 l->qos, l->vlan_proto == ETH_P_8021AD ? " 802.1ad" : "");
	else
		snprintf(vlan, 48, "-");
	if (l->min_tx_rate)
		snprintf(rate, 32, "%u-%u", l->min_tx_rate, l->max_tx_rate);
	else if (l->max_tx_rate)
		snprintf(rate, 32, "max %u", l->max_tx_rate);
	else
		snprintf(rate, 32, "-");
	/* igb and others leave an unset administrative MAC at zero */
	cells[0] = strcmp(l->mac, "00:00:00:00:00:00") ? l->mac : "-";
	cells[1] = vlan;
	cells[2] = rate;
	cells[3] = onoff(l->spoofchk);
	cells[4] = onoff(l->trust);
	cells[5] = sriov_vf_link_state_name(l->link_state) ?
		   sriov_vf_link_state_name(l->link_state) : "-";
}

/* `ip -s`'s VF counters, one row per VF; nothing when not queried. */
static int print_vf_stats(const struct sriov_pf *pf, FILE *out)
{
	static const char *const hdr[] = { "VF", "RX-BYTES", "RX-PACKETS",
		"MCAST", "BCAST", "RX-DROPPED", "TX-BYTES", "TX-PACKETS",
		"TX-DROPPED" };
	struct table *t;
	bool any = false;
	int r = 0;

	for (size_t i = 0; i < pf->n_vfs; i++)
		any |= pf->vfs[i].stats.present;
	if (!any)
		return 0;
	t = table_new(9, hdr);
	if (!t)
		return -ENOMEM;
	fputc('\n', out);
	for (size_t i = 0; i < pf->n_vfs && r == 0; i++) {
		const struct sriov_vf_stats *st = &pf->vfs[i].stats;
		const uint64_t v[8] = { st->rx_bytes, st->rx_packets,
			st->multicast, st->broadcast, st->rx_dropped,
			st->tx_bytes, st->tx_packets, st->tx_dropped };
		char cells[9][24];
		const char *row[9];

		snprintf(cells[0], sizeof(cells[0]), "%u", pf->vfs[i].index);
		for (int k = 0; k < 8; k++)
			snprintf(cells[k + 1], sizeof(cells[k + 1]), "%" PRIu64,
				 v[k]);
		for (int k = 0; k < 9; k++)
			row[k] = st->present || k == 0 ? cells[k] : "?";
		r = table_add(t, row);
	}
	if (r == 0)
		r = table_print(t, out);
	table_free(t);
	return r;
}

/* The VF table @t (filled up to an error @r, and freed), then the counters. */
static int print_vf_tables(struct table *t, int r, const struct sriov_pf *pf,
			   FILE *out)
{
	if (r == 0)
		r = table_print(t, out);
	table_free(t);
	if (r == 0)
		r = print_vf_stats(pf, out);
	return r;
}

/* A PF that is no PCI device (netdevsim): no ids, config space or VF devices. */
static int render_other_pf(const struct sriov_pf *pf, const char *name,
			   FILE *out)
{
	static const char *const hdr[] = { "VF", "ADMIN-MAC", "VLAN",
		"RATE-MBPS", "SPOOFCHK", "TRUST", "LINK-STATE" };
	struct table *t;
	int r = 0;

	esc_printf(out, "%s  %s\n", pf->address, name);
	esc_printf(out, "  %-14s%s\n", "driver", pf->driver ? pf->driver : "none");
	for (size_t i = 0; i < pf->n_netdevs; i++)
		esc_printf(out, "  %-14s%s %s, %s\n", i ? "" : "netdev",
			pf->netdevs[i].name,
			pf->netdevs[i].mac ? pf->netdevs[i].mac : "-",
			pf->netdevs[i].operstate ? pf->netdevs[i].operstate
						 : "?");
	esc_printf(out, "  %-14s%s\n", "sysfs", pf->sysfs_path);
	if (pf->total_vfs)
		fprintf(out, "  %-14s%u of %u VFs\n", "sr-iov", pf->num_vfs,
			pf->total_vfs);
	else
		fprintf(out, "  %-14s%u VFs (the limit is unknown)\n", "sr-iov",
			pf->num_vfs);
	print_warnings(&pf->warnings, "  ", out);
	if (pf->n_vfs == 0 || (pf->vf_links != SRIOV_VF_LINKS_OK &&
			       pf->vf_links != SRIOV_VF_LINKS_TRUNCATED))
		return ferror(out) ? -EIO : 0;
	fputc('\n', out);
	t = table_new(7, hdr);
	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < pf->n_vfs && r == 0; i++) {
		char idx[16], vlan[48], rate[32];
		const char *row[7];

		snprintf(idx, sizeof(idx), "%u", pf->vfs[i].index);
		row[0] = idx;
		link_cells(&pf->vfs[i].link, vlan, rate, row + 1);
		r = table_add(t, row);
	}
	r = print_vf_tables(t, r, pf, out);
	return r;
}

/* The quirk-table entries that apply to @pf, one a line; none: nothing. */
static void print_quirks(const struct sriov_pf *pf, const struct sriov_quirks *q,
			 FILE *out)
{
	char what[1024];
	size_t at = 0;
	bool first = true;

	for (const struct sriov_quirk *k;
	     (k = sriov_quirks_next(q, pf, SRIOV_QUIRK__COUNT, at, &at)); at++) {
		sriov_quirk_effects_format(k, what, sizeof(what));
		esc_printf(out, "  %-14s%s: %s\n", first ? "quirks" : "", k->id, what);
		esc_printf(out, "  %-14s  %s; source: %s\n", "", k->summary, k->source);
		first = false;
	}
}

static int pf_text(const struct sriov_pf *pf, const struct sriov_quirks *q, FILE *out);

int sriov_render_pf_text(const struct sriov_pf *pf, FILE *out)
{
	return pf_text(pf, NULL, out);
}

int sriov_render_pf_text_quirks(const struct sriov_pf *pf, const struct sriov_quirks *q,
				FILE *out)
{
	return pf_text(pf, q, out);
}

static int pf_text(const struct sriov_pf *pf, const struct sriov_quirks *q, FILE *out)
{
	static const char *const hdr[] = { "VF", "ADDRESS", "DRIVER",
		"OVERRIDE", "NETDEV", "MAC", "IOMMU-GROUP", "ADMIN-MAC",
		"VLAN", "RATE-MBPS", "SPOOFCHK", "TRUST", "LINK-STATE" };
	bool links = pf->vf_links == SRIOV_VF_LINKS_OK ||
		     pf->vf_links == SRIOV_VF_LINKS_TRUNCATED;
	size_t ncols = links ? 13 : 7;
	char name[512], grp[512];
	struct table *t;
	int r = 0;

	device_name(pf, name, sizeof(name));
	if (strcmp(pf->bus, "pci") != 0)
		return render_other_pf(pf, name, out);
	esc_printf(out, "%s  %s [%04x:%04x]", pf->address, name, pf->vendor_id,
		pf->device_id);
	if (pf->revision >= 0)
		fprintf(out, " (rev %02x)", pf->revision);
	fputc('\n', out);
	esc_printf(out, "  %-14s%s%s%s\n", "driver",
		pf->driver ? pf->driver : "none (unbound)",
		pf->driver_override ? ", override " : "",
		pf->driver_override ? pf->driver_override : "");
	for (size_t i = 0; i < pf->n_netdevs; i++) {
		const struct sriov_netdev *nd = &pf->netdevs[i];
		char sp[32];

		speed_str(nd->speed_mbps, sp, sizeof(sp));
		esc_printf(out, "  %-14s%s %s, %s, %s, mtu %d\n",
			i ? "" : "netdev", nd->name, nd->mac ? nd->mac : "-",
			nd->operstate ? nd->operstate : "?", sp, nd->mtu);
	}
	if (pf->numa_node >= 0)
		esc_printf(out, "  %-14s%d (cpus %s)\n", "numa node",
			pf->numa_node,
			pf->local_cpulist ? pf->local_cpulist : "?");
	else
		esc_printf(out, "  %-14sunknown (cpus %s)\n", "numa node",
			pf->local_cpulist ? pf->local_cpulist : "?");
	group_str(pf->iommu_group, pf->group, pf->address, grp, sizeof(grp));
	esc_printf(out, "  %-14s%s\n", "iommu group", grp);
	esc_printf(out, "  %-14s%s\n", "sysfs", pf->sysfs_path);
	esc_printf(out, "  %-14s%u of %u VFs, VF device %04x:%04x%s%s%s, offset %u, stride %u, autoprobe %s\n",
		"sr-iov", pf->num_vfs, pf->total_vfs, pf->vendor_id,
		pf->vf_device_id, pf->vf_device_name ? " (" : "",
		pf->vf_device_name ? pf->vf_device_name : "",
		pf->vf_device_name ? ")" : "", pf->vf_offset, pf->vf_stride,
		pf->drivers_autoprobe ? "on" : "off");
	print_capability(pf, out);
	print_upstream(pf, out);
	if (q)
		print_quirks(pf, q, out);
	print_warnings(&pf->warnings, "  ", out);
	if (pf->n_vfs == 0) {
		fputs("\nno VFs enabled\n", out);
		return ferror(out) ? -EIO : 0;
	}
	fputc('\n', out);
	t = table_new(ncols, hdr);
	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < pf->n_vfs && r == 0; i++) {
		const struct sriov_vf *vf = &pf->vfs[i];
		char idx[16], vlan[48], rate[32];
		const char *row[13];

		snprintf(idx, sizeof(idx), "%u", vf->index);
		group_str(vf->iommu_group, vf->group, vf->address, grp,
			  sizeof(grp));
		row[0] = idx;
		/* netdevsim VFs are no devices: they have no address */
		row[1] = vf->address[0] ? vf->address
			 : strcmp(pf->bus, "pci") == 0 ? "?" : NULL;
		row[2] = vf_driver_label(vf->driver);
		row[3] = vf->driver_override;
		row[4] = vf->netdev;
		row[5] = vf->mac;
		row[6] = grp;
		link_cells(&vf->link, vlan, rate, row + 7);
		r = table_add(t, row);
	}
	r = print_vf_tables(t, r, pf, out);
	for (size_t i = 0; i < pf->n_vfs; i++) {
		const struct sriov_vf *vf = &pf->vfs[i];

		for (size_t k = 0; k < vf->warnings.n; k++)
			esc_printf(out, "warning: vf%u: %s\n", vf->index,
				vf->warnings.v[k]);
	}
	return r ? r : (ferror(out) ? -EIO : 0);
}

int sriov_render_vf_text(const struct sriov_pf *pf, const struct sriov_vf *vf,
			 FILE *out)
{
	esc_printf(out, "%s  VF %u of %s%s%s%s [%04x:%04x]\n",
		vf->address[0] ? vf->address : "?", vf->index, pf->address,
		pf->n_netdevs ? " (" : "",
		pf->n_netdevs ? pf->netdevs[0].name : "",
		pf->n_netdevs ? ")" : "", pf->vendor_id, pf->vf_device_id);
	esc_printf(out, "  %-16s%s\n", "driver", vf_driver_label(vf->driver));
	esc_printf(out, "  %-16s%s\n", "driver_override",
		vf->driver_override ? vf->driver_override : "-");
	for (size_t i = 0; i < vf->netdevs.n; i++)
		esc_printf(out, "  %-16s%s%s%s\n", i ? "" : "netdev",
			vf->netdevs.v[i], i == 0 && vf->mac ? " " : "",
			i == 0 && vf->mac ? vf->mac : "");
	if (!vf->netdevs.n)
		fprintf(out, "  %-16s-\n", "netdev");
	if (vf->iommu_group < 0) {
		fprintf(out, "  %-16snone (IOMMU off)\n", "iommu group");
	} else {
		fprintf(out, "  %-16s%d:", "iommu group", vf->iommu_group);
		for (size_t i = 0; vf->group && i < vf->group->n_members; i++) {
			const struct sriov_group_member *m =
				&vf->group->members[i];

			esc_printf(out, " %s (%s)", m->address,
				m->driver ? m->driver : "no driver");
		}
		fputc('\n', out);
	}
	if (vf->link.present) {
		char vlan[48], rate[32];
		const char *c[6];

		link_cells(&vf->link, vlan, rate, c);
		esc_printf(out, "  %-16s%s, vlan %s, rate %s Mb/s, spoofchk %s, trust %s, link-state %s, query-rss %s\n",
			"via PF", c[0], c[1], c[2], c[3], c[4], c[5],
			onoff(vf->link.query_rss));
	}
	if (vf->link.source == SRIOV_VF_LINK_SRC_SYSFS)
		fprintf(out, "  %-16snot reported (the kernel truncated the PF's VF list)\n",
			"via PF");
	if (vf->stats.present) {
		const struct sriov_vf_stats *st = &vf->stats;

		fprintf(out, "  %-16sRX %" PRIu64 " bytes, %" PRIu64 " packets, %" PRIu64 " multicast, %" PRIu64 " broadcast, %" PRIu64 " dropped\n",
			"stats", st->rx_bytes, st->rx_packets, st->multicast,
			st->broadcast, st->rx_dropped);
		fprintf(out, "  %-16sTX %" PRIu64 " bytes, %" PRIu64 " packets, %" PRIu64 " dropped\n",
			"", st->tx_bytes, st->tx_packets, st->tx_dropped);
	}
	print_warnings(&vf->warnings, "  ", out);
	return ferror(out) ? -EIO : 0;
}
