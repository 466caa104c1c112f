/* SPDX-License-Identifier: MIT */
/*
 * The inventory as JSON (schema sriovctl.inventory/v1, documented in
 * docs/inventory-schema.md). Field names and formats are a contract with
 * scripts: add fields, never rename or retype them within v1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "pci/config.h"
#include "util/jsonout.h"
#include "render/names.h"
#include "util/strv.h"
#include "vf/json.h"

static json_object *jhex(unsigned v, int width)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%0*x", width, v);
	return json_object_new_string(buf);
}

static json_object *jint_or_null(int v)
{
	return v < 0 ? NULL : json_object_new_int(v);
}

/*
 * @empty, when given, is one shared empty array: thousands of VFs have no
 * warnings, and json-c counts references, so one object serves them all.
 */
static json_object *jstrv_shared(const struct sriov_strv *sv,
				 json_object *empty)
{
	json_object *a;

	if (sv->n == 0 && empty)
		return json_object_get(empty);
	a = json_object_new_array_ext((int)sv->n);
	for (size_t i = 0; i < sv->n; i++)
		json_object_array_add(a, json_object_new_string(sv->v[i]));
	return a;
}

/* Keys are string literals, each added once: no copy, no lookup. */
#define ADD(o, k, v)                                                       \
	json_object_object_add_ex(o, k, v,                                 \
				  JSON_C_OBJECT_ADD_KEY_IS_NEW |           \
					  JSON_C_OBJECT_KEY_IS_CONSTANT)

static json_object *acs_json(const struct sriov_cap_acs *acs)
{
	json_object *o, *caps, *en;

	if (!acs->present)
		return NULL;
	o = json_object_new_object();
	caps = json_object_new_array();
	en = json_object_new_array();
	for (size_t i = 0; i < 7; i++) {
		if (acs->caps & acs_bits[i].bit)
			json_object_array_add(caps,
				json_object_new_string(acs_bits[i].name));
		if (acs->ctrl & acs_bits[i].bit)
			json_object_array_add(en,
				json_object_new_string(acs_bits[i].name));
	}
	ADD(o, "offset", json_object_new_int(acs->pos));
	ADD(o, "capabilities", caps);
	ADD(o, "enabled", en);
	ADD(o, "isolated", json_object_new_boolean(
		(acs->ctrl & ACS_ISOLATION_BITS) == ACS_ISOLATION_BITS));
	return o;
}

static json_object *sriov_cap_json(const struct sriov_cap_sriov *c)
{
	json_object *o, *bars;

	if (!c->present)
		return NULL;
	o = json_object_new_object();
	ADD(o, "offset", json_object_new_int(c->pos));
	ADD(o, "initial_vfs", json_object_new_int(c->initial_vfs));
	ADD(o, "total_vfs", json_object_new_int(c->total_vfs));
	ADD(o, "num_vfs", json_object_new_int(c->num_vfs));
	ADD(o, "function_dependency_link",
	    json_object_new_int(c->func_dep_link));
	ADD(o, "first_vf_offset", json_object_new_int(c->first_vf_offset));
	ADD(o, "vf_stride", json_object_new_int(c->vf_stride));
	ADD(o, "vf_device_id", jhex(c->vf_device_id, 4));
	ADD(o, "vf_enable", json_object_new_boolean(c->ctrl & SRIOV_CTRL_VFE));
	ADD(o, "vf_memory_space_enable",
	    json_object_new_boolean(c->ctrl & SRIOV_CTRL_MSE));
	ADD(o, "ari_capable_hierarchy",
	    json_object_new_boolean(c->ctrl & SRIOV_CTRL_ARI));
	ADD(o, "supported_page_sizes", jhex(c->supported_page_sizes, 1));
	ADD(o, "system_page_size", jhex(c->system_page_size, 1));
	bars = json_object_new_array_ext(6);
	for (int i = 0; i < 6; i++)
		json_object_array_add(bars, jhex(c->vf_bar[i], 8));
	ADD(o, "vf_bars", bars);
	return o;
}

static json_object *config_json(const struct sriov_config *cfg, bool readable)
{
	json_object *o;

	if (!readable)
		return NULL;
	o = json_object_new_object();
	ADD(o, "readable_bytes", json_object_new_int((int)cfg->len));
	ADD(o, "pcie_type", json_object_new_string(
		pci_pcie_type_name(cfg->pcie_type)));
	ADD(o, "ari", json_object_new_boolean(cfg->has_ari));
	ADD(o, "aer", json_object_new_boolean(cfg->has_aer));
	ADD(o, "acs", acs_json(&cfg->acs));
	return o;
}

/* The VF as the PF's driver reports it (rtnetlink); null when not asked. */
static json_object *vf_link_json(const struct sriov_vf_link *l)
{
	json_object *o;

	if (l->source == SRIOV_VF_LINK_SRC_SYSFS) {
		/* beyond a truncated list: the VF's own netdev MAC or nothing */
		o = json_object_new_object();
		ADD(o, "source", json_object_new_string("sysfs"));
		ADD(o, "mac", l->mac[0] ? jout_str(l->mac) : NULL);
		return o;
	}
	if (!l->present)
		return NULL;
	o = json_object_new_object();
	ADD(o, "source", json_object_new_string("rtnetlink"));
	vf_link_json_add(o, l);
	return o;
}

static json_object *ju64(uint64_t v)
{
	return json_object_new_uint64(v);
}

/* IFLA_VF_STATS; null when not asked (SRIOV_LOAD_STATS) or not reported. */
static json_object *vf_stats_json(const struct sriov_vf_stats *st)
{
	json_object *o, *rx, *tx;

	if (!st->present)
		return NULL;
	/* ip -s -j's layout: rx and tx objects */
	rx = json_object_new_object();
	ADD(rx, "bytes", ju64(st->rx_bytes));
	ADD(rx, "packets", ju64(st->rx_packets));
	ADD(rx, "multicast", ju64(st->multicast));
	ADD(rx, "broadcast", ju64(st->broadcast));
	ADD(rx, "dropped", ju64(st->rx_dropped));
	tx = json_object_new_object();
	ADD(tx, "bytes", ju64(st->tx_bytes));
	ADD(tx, "packets", ju64(st->tx_packets));
	ADD(tx, "dropped", ju64(st->tx_dropped));
	o = json_object_new_object();
	ADD(o, "rx", rx);
	ADD(o, "tx", tx);
	return o;
}

/* The addresses of a device's IOMMU group; null when none or unread. */
static json_object *group_json(const struct sriov_iommu_group *g)
{
	json_object *a;

	if (!g)
		return NULL;
	a = json_object_new_array_ext((int)g->n_members);
	for (size_t i = 0; i < g->n_members; i++)
		json_object_array_add(a, jout_str(g->members[i].address));
	return a;
}

static json_object *vf_json(const struct sriov_vf *vf, bool with_peers,
			    json_object *empty)
{
	json_object *o = json_object_new_object();

	ADD(o, "index", json_object_new_int((int)vf->index));
	ADD(o, "address", vf->address[0] ? jout_str(vf->address) : NULL);
	ADD(o, "driver", jout_str(vf->driver));
	ADD(o, "driver_override", jout_str(vf->driver_override));
	ADD(o, "netdev", jout_str(vf->netdev));
	ADD(o, "mac", jout_str(vf->mac));
	ADD(o, "iommu_group", jint_or_null(vf->iommu_group));
	ADD(o, "netdevs", jstrv_shared(&vf->netdevs, empty));
	ADD(o, "link", vf_link_json(&vf->link));
	ADD(o, "stats", vf_stats_json(&vf->stats));
	if (with_peers)
		ADD(o, "iommu_group_devices",
		    vf->iommu_group >= 0 ? group_json(vf->group) : NULL);
	ADD(o, "warnings", jstrv_shared(&vf->warnings, empty));
	return o;
}

static const char *const vf_links_names[] = { "not-queried", "ok",
					      "truncated", "none" };

static json_object *pf_json(const struct sriov_pf *pf, bool with_peers,
			    json_object *empty)
{
	json_object *o = json_object_new_object();
	json_object *names = json_object_new_array_ext((int)pf->n_netdevs);
	json_object *links = json_object_new_array_ext((int)pf->n_netdevs);
	json_object *mix = json_object_new_object();
	json_object *vfs = json_object_new_array_ext((int)pf->n_vfs);
	json_object *up = json_object_new_array();
	bool pci = strcmp(pf->bus, "pci") == 0;

	for (size_t i = 0; i < pf->n_netdevs; i++) {
		const struct sriov_netdev *nd = &pf->netdevs[i];
		json_object *l = json_object_new_object();

		json_object_array_add(names, json_object_new_string(nd->name));
		ADD(l, "netdev", json_object_new_string(nd->name));
		ADD(l, "mac", jout_str(nd->mac));
		ADD(l, "operstate", jout_str(nd->operstate));
		ADD(l, "speed_mbps", jint_or_null(nd->speed_mbps));
		ADD(l, "mtu", jint_or_null(nd->mtu));
		ADD(l, "ifindex", jint_or_null(nd->ifindex));
		json_object_array_add(links, l);
	}
	struct vf_driver_count *counts;
	size_t n_counts;

	if (vf_driver_counts(pf, &counts, &n_counts) == 0) {
		for (size_t i = 0; i < n_counts; i++)
			json_object_object_add(mix, counts[i].driver,
				json_object_new_int((int)counts[i].count));
		free(counts);
	}
	for (size_t i = 0; i < pf->n_vfs; i++)
		json_object_array_add(vfs, vf_json(&pf->vfs[i], with_peers,
						   empty));
	for (size_t i = 0; i < pf->n_upstream; i++) {
		const struct sriov_bridge *b = &pf->upstream[i];
		json_object *bo = json_object_new_object();

		ADD(bo, "address", json_object_new_string(b->address));
		ADD(bo, "config_space", config_json(&b->config,
						    b->config_readable));
		json_object_array_add(up, bo);
	}

	/* PCI identity only where there is a PCI device (not netdevsim). */
	ADD(o, "address", json_object_new_string(pf->address));
	ADD(o, "bus", json_object_new_string(pf->bus));
	ADD(o, "sysfs_path", jout_str(pf->sysfs_path));
	ADD(o, "vendor_id", pci ? jhex(pf->vendor_id, 4) : NULL);
	ADD(o, "device_id", pci ? jhex(pf->device_id, 4) : NULL);
	ADD(o, "vendor_name", jout_str(pf->vendor_name));
	ADD(o, "device_name", jout_str(pf->device_name));
	ADD(o, "subsystem_vendor_id", pci ? jhex(pf->subsystem_vendor_id, 4)
					  : NULL);
	ADD(o, "subsystem_device_id", pci ? jhex(pf->subsystem_device_id, 4)
					  : NULL);
	ADD(o, "class", pci ? jhex(pf->class_code, 6) : NULL);
	ADD(o, "revision", pf->revision < 0 ? NULL
					     : jhex((unsigned)pf->revision, 2));
	ADD(o, "driver", jout_str(pf->driver));
	ADD(o, "driver_override", jout_str(pf->driver_override));
	ADD(o, "netdevs", names);
	ADD(o, "links", links);
	ADD(o, "numa_node", json_object_new_int(pf->numa_node));
	ADD(o, "local_cpulist", jout_str(pf->local_cpulist));
	ADD(o, "iommu_group", jint_or_null(pf->iommu_group));
	ADD(o, "total_vfs", json_object_new_int((int)pf->total_vfs));
	ADD(o, "num_vfs", json_object_new_int((int)pf->num_vfs));
	ADD(o, "vf_device_id", pci ? jhex(pf->vf_device_id, 4) : NULL);
	ADD(o, "vf_device_name", jout_str(pf->vf_device_name));
	ADD(o, "vf_offset", pci ? json_object_new_int((int)pf->vf_offset)
				: NULL);
	ADD(o, "vf_stride", pci ? json_object_new_int((int)pf->vf_stride)
				: NULL);
	ADD(o, "drivers_autoprobe",
	    pci ? json_object_new_boolean(pf->drivers_autoprobe) : NULL);
	ADD(o, "vf_drivers", mix);
	ADD(o, "vf_links", json_object_new_string(
		vf_links_names[pf->vf_links < 4 ? pf->vf_links : 0]));
	ADD(o, "config_space", config_json(&pf->config, pf->config_readable));
	ADD(o, "sriov_capability", pf->config_readable
					   ? sriov_cap_json(&pf->config.sriov)
					   : NULL);
	ADD(o, "upstream", up);
	ADD(o, "warnings", jout_strv(&pf->warnings));
	ADD(o, "vfs", vfs);
	return o;
}

/* The entries of @q that apply to @pf; NULL when none does. */
static json_object *quirks_json(const struct sriov_quirks *q, const struct sriov_pf *pf)
{
	json_object *a = NULL;
	size_t at = 0;
	char what[1024];

	for (const struct sriov_quirk *k;
	     (k = sriov_quirks_next(q, pf, SRIOV_QUIRK__COUNT, at, &at)); at++) {
		json_object *o = json_object_new_object(), *fx = json_object_new_array();

		if (!a)
			a = json_object_new_array();
		sriov_quirk_effects_format(k, what, sizeof(what));
		for (int e = 0; e < SRIOV_QUIRK__COUNT; e++)
			if (k->effects & (1u << e))
				json_object_array_add(fx, json_object_new_string(
					sriov_quirk_effect_key((enum sriov_quirk_effect)e)));
		ADD(o, "id", json_object_new_string(k->id));
		ADD(o, "summary", json_object_new_string(k->summary));
		ADD(o, "effects", fx);
		ADD(o, "description", json_object_new_string(what));
		if (k->effects & (1u << SRIOV_QUIRK_MAX_VFS))
			ADD(o, "max_vfs", json_object_new_int((int)k->max_vfs));
		ADD(o, "source", json_object_new_string(k->source));
		json_object_array_add(a, o);
	}
	return a;
}

static int render_json(const struct sriov_host *host, const struct sriov_pf *only_pf,
		       const struct sriov_quirks *q, bool with_peers, bool pretty, FILE *out);

int sriov_render_json(const struct sriov_host *host,
		      const struct sriov_pf *only_pf, bool with_peers,
		      bool pretty, FILE *out)
{
	return render_json(host, only_pf, NULL, with_peers, pretty, out);
}

int sriov_render_json_quirks(const struct sriov_host *host, const struct sriov_pf *pf,
			     const struct sriov_quirks *q, bool pretty, FILE *out)
{
	return render_json(host, pf, q, true, pretty, out);
}

static int render_json(const struct sriov_host *host, const struct sriov_pf *only_pf,
		       const struct sriov_quirks *q, bool with_peers, bool pretty, FILE *out)
{
	json_object *o = json_object_new_object();
	json_object *iommu = json_object_new_object();
	json_object *pfs = json_object_new_array_ext((int)host->n_pfs);
	json_object *empty = json_object_new_array();
	int r;

	if (!o || !iommu || !pfs || !empty) {
		json_object_put(o);
		json_object_put(iommu);
		json_object_put(pfs);
		json_object_put(empty);
		return -ENOMEM;
	}
	ADD(o, "schema", json_object_new_string(SRIOV_INVENTORY_SCHEMA));
	ADD(o, "root", json_object_new_string(host->root));
	ADD(iommu, "enabled", json_object_new_boolean(host->iommu_enabled));
	ADD(iommu, "groups", json_object_new_int(host->iommu_groups));
	ADD(o, "iommu", iommu);
	ADD(o, "cmdline", jout_str(host->cmdline));
	ADD(o, "warnings", jout_strv(&host->warnings));
	for (size_t i = 0; i < host->n_pfs; i++)
		if (!only_pf || only_pf == &host->pfs[i]) {
			json_object *po = pf_json(&host->pfs[i], with_peers, empty);
			json_object *qa = q && po ? quirks_json(q, &host->pfs[i]) : NULL;

			/* only when some apply: the output of other PFs is as it was */
			if (qa)
				ADD(po, "quirks", qa);
			json_object_array_add(pfs, po);
		}
	ADD(o, "pfs", pfs);
	r = jout_emit(o, pretty, out);
	json_object_put(empty);
	return r;
}

int sriov_render_vf_json(const struct sriov_host *host,
			 const struct sriov_pf *pf, const struct sriov_vf *vf,
			 bool pretty, FILE *out)
{
	json_object *o = json_object_new_object();

	ADD(o, "schema", json_object_new_string("sriovctl.vf/v1"));
	ADD(o, "root", json_object_new_string(host->root));
	ADD(o, "pf", json_object_new_string(pf->address));
	ADD(o, "pf_netdevs", json_object_new_array());
	for (size_t i = 0; i < pf->n_netdevs; i++)
		json_object_array_add(json_object_object_get(o, "pf_netdevs"),
				      json_object_new_string(pf->netdevs[i].name));
	ADD(o, "vf_device_id", jhex(pf->vf_device_id, 4));
	ADD(o, "vf", vf_json(vf, true, NULL));
	return jout_emit(o, pretty, out);
}
