/* SPDX-License-Identifier: MIT */
/*
 * libsriov — the inventory's views: `list`, `show` and their JSON.
 */
#ifndef SRIOV_RENDER_H
#define SRIOV_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "sriov/model.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SRIOV_INVENTORY_SCHEMA "sriovctl.inventory/v1"

/*
 * The renderers only format the model: they read nothing from the host.
 * Views that show IOMMU group peers want sriov_host_load_groups() first;
 * without it a group's members are shown as unknown.
 */

/*
 * Write the inventory as JSON (docs/inventory-schema.md), pretty-printed
 * when @pretty. @only_pf restricts "pfs" to one PF (NULL: all). Each VF
 * gets its group's devices ("iommu_group_devices") when @with_peers.
 * Returns 0 or -errno.
 */
int sriov_render_json(const struct sriov_host *host,
		      const struct sriov_pf *only_pf, bool with_peers,
		      bool pretty, FILE *out);

/* "6 iavf, 2 vfio-pci, 1 none": the VF driver mix of @pf. Free with free(). */
char *sriov_pf_vf_driver_mix(const struct sriov_pf *pf);

/* `sriovctl list`: one line per PF, a header first. Returns 0 or -errno. */
int sriov_render_list_text(const struct sriov_host *host, FILE *out);

/*
 * `sriovctl show PF`: the PF in full, its upstream path and decoded SR-IOV
 * capability, and a table of its VFs with IOMMU group peers. Returns 0 or
 * -errno.
 */
int sriov_render_pf_text(const struct sriov_pf *pf, FILE *out);

/* `sriovctl show VF`: one VF in full. Returns 0 or -errno. */
int sriov_render_vf_text(const struct sriov_pf *pf, const struct sriov_vf *vf,
			 FILE *out);

/*
 * JSON of one VF (the "vfs" entry format, plus "pf"), for `show VF --json`.
 */
int sriov_render_vf_json(const struct sriov_host *host,
			 const struct sriov_pf *pf, const struct sriov_vf *vf,
			 bool pretty, FILE *out);

#ifdef __cplusplus
}
#endif

#endif
