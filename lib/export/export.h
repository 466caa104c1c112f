/* SPDX-License-Identifier: MIT */
/*
 * What the generators of `sriovctl export` get: the VFs resolved, checked
 * and with the values of the output decided (export.c); each format's
 * file only writes them out. The formats' table is formats.c.
 */
#ifndef SRIOV_LIB_EXPORT_H
#define SRIOV_LIB_EXPORT_H

#include <stddef.h>

#include "pci/addr.h"
#include "sriov.h"

struct export_vf {
	const struct sriov_pf *pf;
	const struct sriov_vf *vf;
	struct pci_addr addr;
	char label[64];        /* "ens1f0/vf3", as the checks name VFs */
	char mac[18];          /* "aa:bb:cc:dd:ee:ff" for the guest; "": none */
	unsigned vlan;         /* 802.1Q VLAN id, 0: none */
	/* the policy's range that holds this VF (NULL: no policy, or none
	 * holds it), and its pool (NULL: none) */
	const struct sriov_policy_vfs *policy;
	const char *pool;
};

struct export_job {
	struct sriov_ctx *ctx;             /* rooted reads a format needs */
	const struct sriov_host *host;
	const struct sriov_export_opts *opts;
	const char *pf_dev;    /* libvirt-network: <pf dev=...>, else NULL */
	const struct export_vf *vfs;
	size_t n_vfs;
};

/* The checks export runs before a format prints (export_format.checks). */
enum {
	EXPORT_CHECK_VFIO = 1u << 0,  /* iommu.active, group.viable: the VF goes to vfio */
	EXPORT_CHECK_MAC  = 1u << 1,  /* vf.mac.duplicate over the output's MACs */
	EXPORT_NEED_PCI   = 1u << 2,  /* every VF has a 16-bit-domain PCI address */
	/* --name is a Kubernetes name: the generator checks it, not check_name */
	EXPORT_K8S_NAME   = 1u << 3,
	EXPORT_NAME_OPTIONAL = 1u << 4, /* --name may be left out */
};

/*
 * A generator: the text of @job in *text (malloc'd, NUL-terminated, *len
 * bytes). Returns 0, -ENOMEM, -EDOM (a value the format cannot carry:
 * @err says which) or -EIO (its writer failed).
 */
typedef int (*export_generate_fn)(const struct export_job *job, char **text,
				  size_t *len, char *err, size_t errlen);

struct export_format {
	struct sriov_export_format_info info;
	unsigned checks;               /* EXPORT_CHECK_* | EXPORT_NEED_PCI */
	export_generate_fn generate;
};

/* The row of @format (formats.c), NULL when out of range. */
const struct export_format *export_format(int format);

/* The generators, one file per consumer. */
int export_libvirt(const struct export_job *job, char **text, size_t *len,
		   char *err, size_t errlen);
/* nova, neutron-agent, neutron-ml2 (openstack.c) */
int export_openstack(const struct export_job *job, char **text, size_t *len,
		     char *err, size_t errlen);
/* k8s-device-plugin, k8s-nad, k8s-sriov-operator (k8s.c) */
int export_k8s(const struct export_job *job, char **text, size_t *len,
	       char *err, size_t errlen);

#endif
