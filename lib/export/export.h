/* SPDX-License-Identifier: MIT */
/*
 * What the generators of `sriovctl export` get: the VFs resolved, checked
 * and with the values of the output decided (export.c); each format's
 * file only writes them out. The formats' table is formats.c.
 */
#ifndef SRIOV_LIB_EXPORT_H
#define SRIOV_LIB_EXPORT_H

#include <stddef.h>
#include <stdint.h>

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
	/* driver.vfio: every VF on vfio-pci (or mlx5_core, which DPDK's mlx5
	 * driver shares), since nothing binds it for DPDK later; numa.node:
	 * the VF's node known on a host of several */
	EXPORT_CHECK_DPDK = 1u << 5,
};

/*
 * A generator: the text of @job in *text (malloc'd, NUL-terminated, *len
 * bytes). Returns 0, -ENOMEM, -EDOM (a value the format cannot carry:
 * @err says which), -EIO (its writer failed), or what the host lacks that
 * the format needs (-ENOSPC: no free huge pages; -EBADMSG: a host file
 * malformed; -ENOENT and the like: one unreadable), @err saying which.
 */
typedef int (*export_generate_fn)(const struct export_job *job, char **text,
				  size_t *len, char *err, size_t errlen);

/* The format's word (info.arg) checked before anything is resolved:
 * 0 or -EINVAL with @err saying what it takes. */
typedef int (*export_arg_fn)(const char *arg, char *err, size_t errlen);

struct export_format {
	struct sriov_export_format_info info;
	unsigned checks;               /* EXPORT_CHECK_* | EXPORT_NEED_PCI */
	export_generate_fn generate;
	export_arg_fn check_arg;       /* NULL: any word */
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
/* proxmox, proxmox-mapping (proxmox.c); dpdk (dpdk.c) */
int export_proxmox(const struct export_job *job, char **text, size_t *len,
		   char *err, size_t errlen);
int export_proxmox_vmid(const char *arg, char *err, size_t errlen);
int export_proxmox_mapping_id(const char *arg, char *err, size_t errlen);
int export_dpdk(const struct export_job *job, char **text, size_t *len,
		char *err, size_t errlen);

/* The online NUMA nodes (sys/devices/system/node/online) as a mask of
 * nodes 0..63: 0, -EBADMSG (not such a list) or -errno, @err saying which. */
int export_numa_online(struct sriov_ctx *ctx, uint64_t *mask, char *err,
		       size_t errlen);

/* "ens1f0/vf3" where it is printable ASCII without spaces, else the VF's
 * PCI address: what a comment line of the output can carry. */
const char *export_vf_name(const struct export_vf *v);
/* The MAC the VF has on the host now (the PF's view, else its netdev's),
 * NULL when none. */
const char *export_host_mac(const struct sriov_vf *vf);

#endif
