/* SPDX-License-Identifier: MIT */
/*
 * libsriov — export: the files a consumer of VFs reads (libvirt's device
 * and network XML), generated from the inventory and refused when the
 * checks say the consumer would fail with them.
 */
#ifndef SRIOV_EXPORT_H
#define SRIOV_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "sriov/common.h"
#include "sriov/context.h"
#include "sriov/model.h"
#include "sriov/resolve.h"
#include "sriov/check.h"
#include "sriov/policy.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The formats, one row each in lib/export/formats.c. A new format is an
 * enum value, its row there and its generator file.
 */
enum sriov_export_format {
	SRIOV_EXPORT_LIBVIRT_INTERFACE, /* <interface type='hostdev'> per VF */
	SRIOV_EXPORT_LIBVIRT_HOSTDEV,   /* <hostdev mode='subsystem'> per VF */
	SRIOV_EXPORT_LIBVIRT_NETWORK,   /* one <network>: a pool of VFs */
	SRIOV_EXPORT_NOVA,              /* nova.conf [pci] device_spec, alias */
	SRIOV_EXPORT_NEUTRON_AGENT,     /* sriov_agent.ini [sriov_nic] */
	SRIOV_EXPORT_NEUTRON_ML2,       /* ml2_conf.ini: sriovnicswitch, VLAN ranges */
	SRIOV_EXPORT_PROXMOX,           /* qm set VMID -hostpciN ADDR,pcie=1 */
	SRIOV_EXPORT_PROXMOX_MAPPING,   /* a section of /etc/pve/mapping/pci.cfg */
	SRIOV_EXPORT_DPDK,              /* EAL arguments: -a ADDR, lcores, --socket-mem */
	SRIOV_EXPORT_K8S_DEVICE_PLUGIN, /* /etc/pcidp/config.json resourceList */
	SRIOV_EXPORT_K8S_NAD,           /* a NetworkAttachmentDefinition (sriov CNI) */
	SRIOV_EXPORT_K8S_SRIOV_OPERATOR,/* SriovNetworkNodePolicy objects */
	SRIOV_EXPORT__COUNT
};

/* The options a format takes (sriov_export_format_info.takes). */
enum {
	SRIOV_EXPORT_TAKES_MAC  = 1u << 0,  /* --mac, one per VF */
	SRIOV_EXPORT_TAKES_NAME = 1u << 1,  /* --name (required) */
	SRIOV_EXPORT_TAKES_PHYSNET   = 1u << 2,  /* --physnet */
	SRIOV_EXPORT_TAKES_RELEASE   = 1u << 3,  /* --release */
	SRIOV_EXPORT_TAKES_NAMESPACE = 1u << 4,  /* --namespace */
	/* not an option: the format reads the policy (the host's, or -f
	 * FILE) also without --pool, for the VFs' pools */
	SRIOV_EXPORT_NEEDS_POLICY    = 1u << 5,
};

/* What the front-ends show of a format: help, errors, the man page. */
struct sriov_export_format_info {
	const char *name;         /* "libvirt-interface" */
	const char *consumer;     /* "libvirt" */
	const char *summary;      /* one line: what the output is */
	const char *arg;          /* the word after FORMAT ("VMID"); NULL: none */
	unsigned takes;           /* SRIOV_EXPORT_TAKES_* */
};

/* "libvirt-interface" -> SRIOV_EXPORT_*, or -EINVAL. */
int sriov_export_format_parse(const char *name);
/* The name of @format, NULL when out of range or not built yet. */
const char *sriov_export_format_name(int format);
/* The row of @format, NULL when out of range (0.. SRIOV_EXPORT__COUNT-1). */
const struct sriov_export_format_info *sriov_export_format_info(int format);

/* Longest network name accepted (libvirt has no limit; this is a sanity one). */
#define SRIOV_EXPORT_NAME_MAX 64

struct sriov_export_opts {
	int format;               /* enum sriov_export_format */
	const char *arg;          /* the format's word (info->arg), else NULL */
	const char *name;         /* --name: libvirt-network's name */
	const char *physnet;      /* --physnet: OpenStack's physical network
				     (default: each VF's pool) */
	const char *release;      /* --release: the consumer's release
				     ("zed"; nova: before Zed the whitelist) */
	const char *k8s_namespace; /* --namespace: the Kubernetes namespace */
	const char *const *macs;  /* libvirt-interface: one per VF, in order;
				     the rest keep their admin MAC */
	size_t n_macs;
	/* the host policy (NULL: none): its pools, and the VF settings the
	 * output carries where the host does not have them yet (MAC, VLAN,
	 * trust, ...) */
	const struct sriov_policy *policy;
	const char *pool;         /* --pool: the VFs of this pool of @policy,
				     instead of (or after) the devices named */
	bool force;               /* build the text despite the problems */
};

/* A check the exported VFs fail: what the consumer would refuse later. */
struct sriov_export_problem {
	const char *check;        /* check id: "group.viable", "iommu.active",
				     "vf.mac.duplicate"; dpdk: "driver.vfio",
				     "numa.node" (sriov_check_info_find) */
	char *subject;            /* "ens1f0/vf3"; NULL: the host */
	char *evidence;
	char *remedy;             /* NULL when none */
};

struct sriov_export {
	struct sriov_vf_ref *vfs;          /* the VFs exported, in order */
	size_t n_vfs;
	struct sriov_export_problem *problems;
	size_t n_problems;
	char *text;               /* the output; NULL when refused */
	size_t len;
};

/*
 * Export the VFs named by @devices (names as sriov_host_resolve_vfs()
 * takes them: a VF, PF/vf0-3, or a PF for all its VFs; each VF once) and
 * those of @opts->pool of @host, read through @ctx, in @opts->format. First the checks of the
 * consumer's failures run (sriov_check_run: group.viable, iommu.active;
 * and MAC addresses in the output unique on the host): with a problem and
 * without @opts->force, the result has the problems and no text, and
 * -EPERM is returned. Returns 0 or -EPERM with *out set (free it with
 * sriov_export_free()), or, with *out NULL and @err saying which input
 * and why: -EINVAL (bad options: a MAC, a name, a VF named twice, more
 * MACs than VFs, a pool the policy does not have), -ENOENT / -ERANGE / -ENODATA / -ENOTUNIQ (a device that
 * does not resolve, as sriov_host_resolve_vfs), -ENODEV (a VF without a
 * PCI address), -EDOM (a VF setting the format cannot express), -ENOSPC
 * (dpdk: no free huge pages on a VFs' node), -EBADMSG or another -errno
 * (a host file the format reads: /etc/hostname, the NUMA nodes'), -ENOMEM.
 */
int sriov_export_build(struct sriov_ctx *ctx, const struct sriov_host *host,
		       const char *const *devices, size_t n_devices,
		       const struct sriov_export_opts *opts,
		       struct sriov_export **out, char *err, size_t errlen);
void sriov_export_free(struct sriov_export *ex);

/*
 * Replace the file @path with @len bytes of @buf atomically: a new file
 * in the same directory, written and fsync'd, renamed over @path. @path
 * itself is never followed: a symbolic link there is -ELOOP, anything but
 * a regular file -EBADFD (-EISDIR for a directory); nothing is written
 * then. A file that existed keeps its permission bits. Returns 0 or -errno.
 */
int sriov_write_file_atomic(const char *path, const void *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* SRIOV_EXPORT_H */
