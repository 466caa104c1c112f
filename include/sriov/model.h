/* SPDX-License-Identifier: MIT */
/*
 * libsriov — the inventory model: plain data, owned by the sriov_host that
 * holds it. Callers read it; they never modify or free parts of it.
 */
#ifndef SRIOV_MODEL_H
#define SRIOV_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sriov/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A kernel network interface found under a device's net/ directory. */
struct sriov_netdev {
	char *name;
	char *mac;        /* "aa:bb:cc:dd:ee:ff", NULL if unreadable */
	char *operstate;  /* "up", "down", "unknown"…, NULL if unreadable */
	int speed_mbps;   /* -1 when the kernel does not know it */
	int mtu;          /* -1 if unreadable */
	int ifindex;      /* -1 if unreadable */
	int up;           /* administratively up (IFF_UP of flags): 1, 0, -1 unreadable */
};

/* Decoded SR-IOV extended capability (PCIe base spec, section 9.3.3). */
struct sriov_cap_sriov {
	bool present;
	uint16_t pos;            /* offset in config space */
	uint32_t caps;           /* SR-IOV Capabilities register */
	uint16_t ctrl;           /* SR-IOV Control register */
	uint16_t status;
	uint16_t initial_vfs;
	uint16_t total_vfs;
	uint16_t num_vfs;
	uint8_t func_dep_link;
	uint16_t first_vf_offset;
	uint16_t vf_stride;
	uint16_t vf_device_id;
	uint32_t supported_page_sizes;
	uint32_t system_page_size;
	uint32_t vf_bar[6];
};

/* SR-IOV Control register bits. */
#define SRIOV_CTRL_VFE   0x0001 /* VF Enable */
#define SRIOV_CTRL_VFM   0x0002 /* VF Migration Enable */
#define SRIOV_CTRL_INTR  0x0004 /* VF Migration Interrupt Enable */
#define SRIOV_CTRL_MSE   0x0008 /* VF Memory Space Enable */
#define SRIOV_CTRL_ARI   0x0010 /* ARI Capable Hierarchy */

/* Decoded ACS extended capability (PCIe base spec, section 7.7.8). */
struct sriov_cap_acs {
	bool present;
	uint16_t pos;
	uint16_t caps;  /* ACS Capability register */
	uint16_t ctrl;  /* ACS Control register */
};

/* ACS capability/control bits. */
#define SRIOV_ACS_SV 0x0001 /* Source Validation */
#define SRIOV_ACS_TB 0x0002 /* Translation Blocking */
#define SRIOV_ACS_RR 0x0004 /* P2P Request Redirect */
#define SRIOV_ACS_CR 0x0008 /* P2P Completion Redirect */
#define SRIOV_ACS_UF 0x0010 /* Upstream Forwarding */
#define SRIOV_ACS_EC 0x0020 /* P2P Egress Control */
#define SRIOV_ACS_DT 0x0040 /* Direct Translated P2P */

/* PCI Express device/port type (PCIe capability, bits 7:4 of flags). */
enum sriov_pcie_type {
	SRIOV_PCIE_NONE = -1, /* no PCI Express capability */
	SRIOV_PCIE_ENDPOINT = 0x0,
	SRIOV_PCIE_LEGACY_ENDPOINT = 0x1,
	SRIOV_PCIE_ROOT_PORT = 0x4,
	SRIOV_PCIE_UPSTREAM_PORT = 0x5,
	SRIOV_PCIE_DOWNSTREAM_PORT = 0x6,
	SRIOV_PCIE_PCIE_TO_PCI = 0x7,
	SRIOV_PCIE_PCI_TO_PCIE = 0x8,
	SRIOV_PCIE_RC_INTEGRATED = 0x9,
	SRIOV_PCIE_RC_EVENT_COLLECTOR = 0xa,
};

/* What the config space walk found in one device. */
struct sriov_config {
	size_t len;                   /* bytes readable (64/256 unprivileged, 4096) */
	enum sriov_pcie_type pcie_type;
	bool has_ari;                 /* ARI extended capability (0x000e) */
	bool has_aer;                 /* AER extended capability (0x0001) */
	bool truncated;               /* a capability pointed past the readable end */
	bool looped;                  /* a capability chain revisited an offset */
	struct sriov_cap_sriov sriov;
	struct sriov_cap_acs acs;
};

/* A bridge or port between the root complex and a PF. */
struct sriov_bridge {
	char address[SRIOV_ADDR_MAX];
	struct sriov_config config;
	bool config_readable;
};

/* VF link state as rtnetlink reports it (IFLA_VF_LINK_STATE_*). */
#define SRIOV_VF_LINK_AUTO    0
#define SRIOV_VF_LINK_ENABLE  1
#define SRIOV_VF_LINK_DISABLE 2

/* Where a VF's link attributes came from (struct sriov_vf_link.source). */
enum sriov_vf_link_src {
	SRIOV_VF_LINK_SRC_NONE,     /* not queried */
	SRIOV_VF_LINK_SRC_NETLINK,  /* the PF's VF list (rtnetlink) */
	SRIOV_VF_LINK_SRC_SYSFS,    /* beyond a truncated list: only the VF's
				       own netdev MAC, from sysfs */
};

/*
 * A VF as its PF's driver reports it over rtnetlink (the IFLA_VFINFO_LIST
 * of the PF's netdev): what `ip link show PF` prints as "vf N ...".
 */
struct sriov_vf_link {
	bool present;          /* the PF's driver listed this VF */
	enum sriov_vf_link_src source;
	char mac[18];          /* "" when not reported */
	unsigned vlan;         /* 0: no VLAN */
	unsigned qos;
	uint16_t vlan_proto;   /* ETH_P_8021Q, ETH_P_8021AD; 0 unknown */
	unsigned min_tx_rate;  /* Mb/s; 0: no limit */
	unsigned max_tx_rate;
	int spoofchk;          /* 1 on, 0 off, -1 not reported */
	int trust;
	int query_rss;
	int link_state;        /* SRIOV_VF_LINK_*, -1 not reported */
};

/*
 * A VF's counters as its PF's driver keeps them (IFLA_VF_STATS), what
 * `ip -s link show PF` prints per VF. Only read with SRIOV_LOAD_STATS.
 */
struct sriov_vf_stats {
	bool present;          /* the driver reported counters for this VF */
	uint64_t rx_packets;
	uint64_t tx_packets;
	uint64_t rx_bytes;
	uint64_t tx_bytes;
	uint64_t broadcast;    /* received */
	uint64_t multicast;    /* received */
	uint64_t rx_dropped;   /* 0 on kernels/drivers without the counter */
	uint64_t tx_dropped;
};

/* A device of an IOMMU group and the driver bound to it. */
struct sriov_group_member {
	char *address;                  /* "0000:3b:02.0" */
	char *driver;                   /* NULL when none (or unreadable) */
};

/*
 * One IOMMU group's devices, sorted by address; read for the devices of a
 * PF by sriov_host_load_groups() (sriov/load.h), which the views that show
 * group peers need: the inventory itself does not list groups.
 */
struct sriov_iommu_group {
	int id;
	struct sriov_group_member *members;
	size_t n_members;
};

struct sriov_vf {
	unsigned index;                 /* N of the PF's virtfnN link */
	char address[SRIOV_ADDR_MAX];   /* "" when the virtfn link is unreadable */
	char *driver;                   /* bound driver name, NULL if none */
	char *driver_override;          /* NULL when unset ("(null)" in sysfs) */
	char *netdev;                   /* first netdev under net/, NULL if none */
	char *mac;                      /* that netdev's address, NULL if none */
	int mtu;                        /* that netdev's MTU, -1 if none */
	int iommu_group;                /* -1 when the device has no group */
	const struct sriov_iommu_group *group; /* its members, owned by the
					   host; NULL until loaded, or unreadable */
	int numa_node;                  /* -1 if unknown */
	struct sriov_strv netdevs;      /* all netdev names (usually 0 or 1) */
	struct sriov_vf_link link;      /* from rtnetlink, when queried */
	struct sriov_vf_stats stats;    /* with SRIOV_LOAD_STATS */
	struct sriov_strv warnings;     /* unreadable or inconsistent attributes */
};

/* Where a PF's VF link attributes came from (struct sriov_pf.vf_links). */
enum sriov_vf_links {
	SRIOV_VF_LINKS_NOT_QUERIED = 0, /* not the live host, or no netdev */
	SRIOV_VF_LINKS_OK,              /* one entry per VF from rtnetlink */
	SRIOV_VF_LINKS_TRUNCATED,       /* the kernel cut the list short */
	SRIOV_VF_LINKS_NONE,            /* the PF's netdev reports no VFs */
};

struct sriov_pf {
	char address[SRIOV_ADDR_MAX];   /* "0000:3b:00.0" */
	const char *bus;                /* "pci" */
	char *sysfs_path;               /* under the root, e.g. "/sys/devices/pci0000:00/…" */
	uint16_t vendor_id;
	uint16_t device_id;
	uint16_t subsystem_vendor_id;
	uint16_t subsystem_device_id;
	uint32_t class_code;            /* 0x020000 */
	int revision;                   /* -1 if unreadable */
	char *vendor_name;              /* from pci.ids, NULL if unknown */
	char *device_name;
	char *vf_device_name;
	char *driver;                   /* NULL when unbound */
	char *driver_override;          /* NULL when unset */
	struct sriov_netdev *netdevs;
	size_t n_netdevs;
	int numa_node;                  /* -1 if unknown */
	char *local_cpulist;            /* NULL if unreadable */
	int iommu_group;                /* -1 when none */
	const struct sriov_iommu_group *group; /* as in struct sriov_vf */
	unsigned total_vfs;
	unsigned num_vfs;
	uint16_t vf_device_id;
	unsigned vf_offset;
	unsigned vf_stride;
	bool drivers_autoprobe;
	struct sriov_vf *vfs;           /* n_vfs entries, ordered by index */
	size_t n_vfs;
	struct sriov_config config;
	bool config_readable;
	enum sriov_vf_links vf_links;
	unsigned vf_links_reported;     /* IFLA_NUM_VF of the PF's netdev */
	struct sriov_bridge *upstream;  /* root port first, nearest bridge last */
	size_t n_upstream;
	struct sriov_strv warnings;     /* unreadable or inconsistent attributes */
};

struct sriov_host {
	char *root;
	bool iommu_enabled;             /* /sys/kernel/iommu_groups has groups */
	int iommu_groups;               /* number of groups, 0 when disabled */
	char *cmdline;                  /* /proc/cmdline without newline, NULL */
	struct sriov_strv warnings;     /* host-wide problems (rtnetlink failed) */
	struct sriov_pf *pfs;           /* sorted by address */
	size_t n_pfs;
	struct sriov_iommu_group **groups; /* those read so far, each once */
	size_t n_groups;
};

#ifdef __cplusplus
}
#endif

#endif
