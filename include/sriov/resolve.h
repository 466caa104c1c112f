/* SPDX-License-Identifier: MIT */
/*
 * libsriov — the names a user gives for devices: a PF or VF by netdev,
 * PCI address or "PF/vfN", a set of VFs, and "did you mean" hints.
 */
#ifndef SRIOV_RESOLVE_H
#define SRIOV_RESOLVE_H

#include <stddef.h>

#include "sriov/common.h"
#include "sriov/context.h"
#include "sriov/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Resolve a user's name for a device: a netdev ("ens1f0"), a full or short
 * PCI address ("0000:3b:00.0", "3b:00.0"), libvirt's node device name
 * ("pci_0000_3b_00_0"), or "PF/vfN" ("ens1f0/vf3").
 * On success *pf is set, and *vf to the VF or NULL when the name is a PF.
 * Returns 0, -ENOENT (unknown name), -EINVAL (malformed; also a "pci_" name
 * that is neither a netdev nor a node device name), -ERANGE (VF index
 * beyond the PF's VFs), -ENOTUNIQ (short address matches several domains).
 */
int sriov_host_resolve(const struct sriov_host *host, const char *name,
		       const struct sriov_pf **pf, const struct sriov_vf **vf);

/* The PF of @host at exactly @address, or NULL. */
const struct sriov_pf *sriov_host_pf(const struct sriov_host *host,
				    const char *address);

/* VF @idx of @pf (its virtfn index), or NULL. */
const struct sriov_vf *sriov_pf_vf(const struct sriov_pf *pf, unsigned idx);

/*
 * For a name that sriov_host_resolve() did not find: whether it is a PCI
 * device or a network interface that exists but has no SR-IOV. On success
 * *address is its PCI address (NULL for an interface without a PCI device)
 * and *driver its driver (or NULL); free both with free(). Returns 0, or
 * -ENOENT when nothing of that name exists under the root.
 */
int sriov_lookup_non_sriov(struct sriov_ctx *ctx, const char *name,
			   char **address, char **driver);

/*
 * Up to @max names known in @host that are close to @name (edit distance or
 * prefix), best first, for "did you mean" hints. Free with sriov_strv_clear().
 */
int sriov_host_suggest(const struct sriov_host *host, const char *name,
		       size_t max, struct sriov_strv *out);

/* One VF of a PF in the host model. */
struct sriov_vf_ref {
	const struct sriov_pf *pf;
	const struct sriov_vf *vf;
};

struct sriov_vf_refs {
	struct sriov_vf_ref *v;
	size_t n;
};

/*
 * Resolve a name for one or more VFs: a VF as sriov_host_resolve() takes it
 * ("ens1f0/vf3", a VF's PCI address or netdev), a range or list of indexes
 * of one PF ("ens1f0/vf0-3", "ens1f0/vf0,2,5-7"; each VF once, in the
 * order given), or a PF (all its VFs, by index). Returns 0, -EINVAL
 * (malformed, or a range A-B with A > B), -ENOENT (unknown name), -ERANGE
 * (an index the PF has no VF for), -ENOTUNIQ (short address in several
 * domains), -ENODATA (a PF without VFs), -ENOMEM. The references point into
 * @host. Free with sriov_vf_refs_clear().
 */
int sriov_host_resolve_vfs(const struct sriov_host *host, const char *name,
			   struct sriov_vf_refs *out);
void sriov_vf_refs_clear(struct sriov_vf_refs *r);

#ifdef __cplusplus
}
#endif

#endif
