/* SPDX-License-Identifier: MIT */
/*
 * libsriov — the public interface.
 *
 * Conventions:
 *  - Functions that can fail return 0 or a negative errno and never print.
 *  - Every object that is created by a *_new or *_load function is released
 *    by the matching *_free function; *_free(NULL) is a no-op.
 *  - The inventory model below is plain data, owned by the sriov_host that
 *    holds it. Callers read it; they never modify or free parts of it.
 *  - The library keeps no global mutable state: everything lives in a ctx.
 */
#ifndef SRIOV_H
#define SRIOV_H

#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sriov/vf_attr.h"

#ifdef __cplusplus
extern "C" {
#endif

/* "0000:3b:00.0" is 12 characters; PCI domains can have 5 hex digits (VMD). */
#define SRIOV_ADDR_MAX 16

/* ---------------------------------------------------------------- context */

struct sriov_ctx;

/*
 * Create a context rooted at @root (NULL or "" means "/"): every sysfs and
 * procfs path the library opens is resolved inside that directory.
 * Returns 0, -ENOENT/-ENOTDIR/-EACCES when the root cannot be opened, -ENOMEM.
 * Free with sriov_ctx_free().
 */
int sriov_ctx_new(const char *root, struct sriov_ctx **out);
void sriov_ctx_free(struct sriov_ctx *ctx);

/* The root the context was created with, as given ("/" by default). */
const char *sriov_ctx_root(const struct sriov_ctx *ctx);

/*
 * Use @path instead of the system's PCI id database (pci.ids) for vendor and
 * device names. The database is read lazily, on the first name lookup.
 */
int sriov_ctx_set_pci_ids(struct sriov_ctx *ctx, const char *path);

/*
 * Whether sriov_host_load() asks the running kernel over rtnetlink for the
 * VF attributes of each PF's netdev. On by default when the root is "/",
 * off for any other root (a generated tree has no kernel behind it).
 */
void sriov_ctx_set_netlink(struct sriov_ctx *ctx, bool on);

/* ---------------------------------------------------------------- model */

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
	int pcie_type;                /* enum sriov_pcie_type */
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

/* List of strings, NULL-terminated is not assumed: use n. */
struct sriov_strv {
	char **v;
	size_t n;
};

/* VF link state as rtnetlink reports it (IFLA_VF_LINK_STATE_*). */
#define SRIOV_VF_LINK_AUTO    0
#define SRIOV_VF_LINK_ENABLE  1
#define SRIOV_VF_LINK_DISABLE 2

/*
 * A VF as its PF's driver reports it over rtnetlink (the IFLA_VFINFO_LIST
 * of the PF's netdev): what `ip link show PF` prints as "vf N ...".
 */
/* Where a VF's link attributes came from (struct sriov_vf_link.source). */
#define SRIOV_VF_LINK_SRC_NONE     0  /* not queried */
#define SRIOV_VF_LINK_SRC_NETLINK  1  /* the PF's VF list (rtnetlink) */
#define SRIOV_VF_LINK_SRC_SYSFS    2  /* beyond a truncated list: only the
					 VF's own netdev MAC, from sysfs */

struct sriov_vf_link {
	bool present;          /* the PF's driver listed this VF */
	int source;            /* SRIOV_VF_LINK_SRC_* */
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

struct sriov_vf {
	unsigned index;                 /* N of the PF's virtfnN link */
	char address[SRIOV_ADDR_MAX];   /* "" when the virtfn link is unreadable */
	char *driver;                   /* bound driver name, NULL if none */
	char *driver_override;          /* NULL when unset ("(null)" in sysfs) */
	char *netdev;                   /* first netdev under net/, NULL if none */
	char *mac;                      /* that netdev's address, NULL if none */
	int mtu;                        /* that netdev's MTU, -1 if none */
	int iommu_group;                /* -1 when the device has no group */
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
	int vf_links;                   /* enum sriov_vf_links */
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
};

/* ---------------------------------------------------------------- loading */

/* Flags for sriov_host_load(). */
#define SRIOV_LOAD_NO_NAMES   0x1u  /* skip pci.ids name lookups */
#define SRIOV_LOAD_NO_CONFIG  0x2u  /* skip config space (PFs and bridges) */
#define SRIOV_LOAD_STATS      0x4u  /* also per-VF counters (IFLA_VF_STATS):
				       the dump is larger, so only on request */
#define SRIOV_LOAD_NO_VF_MTU  0x8u  /* skip the VF netdevs' MTU (vf->mtu -1):
				       list and show do not print it */

/*
 * Read the host's SR-IOV inventory under the ctx's root. A device whose
 * attributes are partly unreadable is kept with warnings; only a failure to
 * read the PCI bus itself (or memory exhaustion) is an error.
 * Returns 0 or -errno. Free with sriov_host_free().
 */
int sriov_host_load(struct sriov_ctx *ctx, unsigned flags,
		    struct sriov_host **out);
void sriov_host_free(struct sriov_host *host);

/*
 * Look up the pci.ids names of @only (a PF of @host), or of every PF when
 * NULL, after a load with SRIOV_LOAD_NO_NAMES: loading the database is most
 * of the cost of showing one PF, and a netdevsim PF needs none. A name
 * database that cannot be read gives no names and one host warning.
 * Returns 0 or -ENOMEM.
 */
int sriov_host_load_names(struct sriov_ctx *ctx, struct sriov_host *host,
			  const struct sriov_pf *only);

/*
 * Devices (PCI addresses) in IOMMU group @group, sorted. Returns 0 or -errno
 * (-ENOENT when the group does not exist). Free with sriov_strv_free().
 */
int sriov_iommu_group_devices(struct sriov_ctx *ctx, int group,
			      struct sriov_strv *out);

/*
 * The driver bound to PCI device @address, or NULL in *out when none.
 * Returns 0 or -errno (-ENOENT when the device does not exist). Free *out
 * with free().
 */
int sriov_pci_device_driver(struct sriov_ctx *ctx, const char *address,
			    char **out);

void sriov_strv_free(struct sriov_strv *sv);

/* ---------------------------------------------------------------- names */

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
 * prefix), best first, for "did you mean" hints. Free with sriov_strv_free().
 */
int sriov_host_suggest(const struct sriov_host *host, const char *name,
		       size_t max, struct sriov_strv *out);

/* ---------------------------------------------------------------- text output */

/*
 * fprintf() for text a person reads, with the whole formatted text escaped,
 * so that no string from sysfs, /proc, netlink, a file or the command line
 * reaches a terminal raw: control bytes, DEL and backslash become C
 * escapes (\x1b, \n, \t, \\), bytes that are not UTF-8 \xNN, C1 controls
 * and the marks that reorder or hide text (U+202E...) escapes too;
 * printable UTF-8 stays. A newline that ends @fmt is written as it is: a
 * newline inside the text is escaped. Every text renderer and the CLI
 * print untrusted strings only through these. Returns 0, -ENOMEM or -EIO.
 */
int sriov_escape_printf(FILE *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int sriov_escape_vprintf(FILE *out, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* ---------------------------------------------------------------- rendering */

#define SRIOV_INVENTORY_SCHEMA "sriovctl.inventory/v1"

/*
 * Write the inventory as JSON (docs/inventory-schema.md), pretty-printed
 * when @pretty. @only_pf restricts "pfs" to one PF (NULL: all). Group peers
 * are read through @ctx for every VF when @with_peers. Returns 0 or -errno.
 */
int sriov_render_json(struct sriov_ctx *ctx, const struct sriov_host *host,
		      const struct sriov_pf *only_pf, bool with_peers,
		      bool pretty, FILE *out);

/* "6 iavf, 2 vfio-pci, 1 none": the VF driver mix of @pf. Free with free(). */
char *sriov_pf_vf_driver_mix(const struct sriov_pf *pf);

/* `sriovctl list`: one line per PF, a header first. Returns 0 or -errno. */
int sriov_render_list_text(const struct sriov_host *host, FILE *out);

/*
 * `sriovctl show PF`: the PF in full, its upstream path and decoded SR-IOV
 * capability, and a table of its VFs with IOMMU group peers (read through
 * @ctx). Returns 0 or -errno.
 */
int sriov_render_pf_text(struct sriov_ctx *ctx, const struct sriov_pf *pf,
			 FILE *out);

/* `sriovctl show VF`: one VF in full. Returns 0 or -errno. */
int sriov_render_vf_text(struct sriov_ctx *ctx, const struct sriov_pf *pf,
			 const struct sriov_vf *vf, FILE *out);

/*
 * JSON of one VF (the "vfs" entry format, plus "pf"), for `show VF --json`.
 */
int sriov_render_vf_json(struct sriov_ctx *ctx, const struct sriov_host *host,
			 const struct sriov_pf *pf, const struct sriov_vf *vf,
			 bool pretty, FILE *out);

/* ---------------------------------------------------------------- VF attributes */

/* What `sriovctl vf VF set` changes: enum sriov_vf_attr, sriov/vf_attr.h. */

/* One requested setting. */
struct sriov_vf_setting {
	int attr;              /* enum sriov_vf_attr: MAC, VLAN (with qos and
				  proto), SPOOFCHK .. QUERY_RSS */
	char text[64];         /* canonical: "vlan 100 qos 3", "max-rate 5" */
	uint8_t mac[6];
	unsigned vlan;
	unsigned qos;
	uint16_t vlan_proto;   /* ETH_P_8021Q or ETH_P_8021AD */
	unsigned value;        /* 1/0 for on/off, Mb/s, SRIOV_VF_LINK_* */
};

struct sriov_vf_settings {
	struct sriov_vf_setting *v;
	size_t n;
};

/*
 * Parse @argc tokens of `ATTR VALUE [ATTR VALUE...]` and validate them on
 * their own (MAC unicast and not zero unless written 00:00:00:00:00:00,
 * VLAN 0..4094, qos 0..7, proto, rates, min <= max when both are given).
 * @err holds one message naming the attribute and the fix. Returns 0,
 * -EINVAL for bad syntax (unknown attribute, missing value, given twice),
 * -EDOM for a value out of its domain, -ENOMEM. Free @out with sriov_vf_settings_free().
 */
int sriov_vf_settings_parse(int argc, char *const *argv,
			    struct sriov_vf_settings *out,
			    char *err, size_t errlen);
void sriov_vf_settings_free(struct sriov_vf_settings *s);

/*
 * The settings that turn @cur into @want (both as the kernel reports VF
 * links; @cur NULL or not present: unknown, so every attribute @want has
 * is set). Attributes @want does not report (-1, "" MAC) are left alone;
 * the two rates come as a min/max pair when either differs. Returns 0 or
 * -ENOMEM. Free @out with sriov_vf_settings_free().
 */
int sriov_vf_settings_diff(const struct sriov_vf_link *want,
			   const struct sriov_vf_link *cur,
			   struct sriov_vf_settings *out);

/* Every link attribute, for sriov_vf_settings_diff_only(). */
#define SRIOV_VF_ATTRS_ALL SRIOV_VF_ATTRS_LINK

/*
 * sriov_vf_settings_diff() limited to the attributes in @mask
 * (1u << enum sriov_vf_attr): a policy sets only what it names. A single
 * rate in the mask is sent with the other one's current value (0 when
 * unknown).
 */
int sriov_vf_settings_diff_only(const struct sriov_vf_link *want,
				const struct sriov_vf_link *cur, unsigned mask,
				struct sriov_vf_settings *out);

/*
 * The current value of @attr (enum sriov_vf_attr) in @l, spelled as a
 * setting's value ("100 qos 3", "on", "02:00:00:00:00:01"); "?" when the
 * kernel did not report it. For "old -> new" logs. Returns 0 or -EINVAL.
 */
int sriov_vf_link_value(const struct sriov_vf_link *l, int attr,
			char *buf, size_t len);

/*
 * Whether @s can be applied to @vf of @pf as the inventory knows them:
 * -ENODEV when the PF has no netdev, -ERANGE when the VF index is beyond
 * the PF's VFs, -EINVAL when a single rate conflicts with the other's
 * current value, -ENODATA when a single rate is given and the current
 * rates are unknown. @err says which and what to do. Returns 0 or those.
 */
int sriov_vf_settings_check(const struct sriov_pf *pf,
			    const struct sriov_vf *vf,
			    const struct sriov_vf_settings *s,
			    char *err, size_t errlen);

/*
 * Why @pf's driver is known to refuse setting @st ("igb has no minimum
 * rate"), or NULL when it is not known to: what a dry run can tell before
 * the kernel does. The real run learns it from the kernel's answer.
 */
const char *sriov_vf_setting_refused(const struct sriov_pf *pf,
				     const struct sriov_vf_setting *st);

/* The outcome of one setting (or of a min/max rate pair sent together). */
struct sriov_vf_result {
	const struct sriov_vf_setting *setting;
	int err;               /* 0 applied, else the negative errno */
	char *msg;             /* the kernel's extended ack message, or NULL */
};

struct sriov_vf_results {
	struct sriov_vf_result *v;  /* one per setting, in order */
	size_t n;
};

/*
 * Check @s (sriov_vf_settings_check) and send one RTM_SETLINK per setting
 * to the PF's netdev, so that a refused setting does not block the others;
 * min-rate and max-rate given together travel as one IFLA_VF_RATE. Returns
 * 0 when every setting got an answer (look at each result's err), the
 * check's error (nothing sent), or -errno when netlink is unusable.
 * Free @out with sriov_vf_results_free().
 */
int sriov_vf_settings_apply(const struct sriov_pf *pf,
			    const struct sriov_vf *vf,
			    const struct sriov_vf_settings *s,
			    struct sriov_vf_results *out,
			    char *err, size_t errlen);
void sriov_vf_results_free(struct sriov_vf_results *r);

/* ---------------------------------------------------------------- saved state */

#define SRIOV_STATE_SCHEMA "sriovctl.state/v1"

/* One VF as `sriovctl save` records it. */
struct sriov_state_vf {
	unsigned index;
	char *driver;                   /* NULL: no driver */
	char *driver_override;          /* NULL: unset */
	struct sriov_vf_link link;      /* present: false when not reported */
	int mtu;                        /* its netdev's MTU, -1: not recorded */
};

/* One PF as `sriovctl save` records it. */
struct sriov_state_pf {
	char address[SRIOV_ADDR_MAX];   /* PCI address, or netdevsim device */
	bool netdevsim;
	char *netdev;                   /* for messages; NULL if none */
	uint16_t vendor_id;             /* 0: not recorded */
	uint16_t device_id;
	unsigned num_vfs;
	bool drivers_autoprobe;
	int mtu;                        /* the PF netdev's MTU, -1: not recorded */
	int up;                         /* its admin state 1/0, -1: not recorded */
	struct sriov_state_vf *vfs;
	size_t n_vfs;
};

struct sriov_state {
	struct sriov_state_pf *pfs;
	size_t n_pfs;
};

/*
 * Record the state of the @n PFs @pfs of @host, in that order, or of every
 * PF when @n is 0. Returns 0 or -ENOMEM. Free with sriov_state_free().
 */
int sriov_state_capture(const struct sriov_host *host,
			const struct sriov_pf *const *pfs, size_t n,
			struct sriov_state **out);

/* Write @st as JSON (docs/state-schema.md). Returns 0 or -EIO. */
int sriov_state_write(const struct sriov_state *st, bool pretty, FILE *out);

/*
 * Parse a state file's @len bytes strictly: unknown keys, wrong types and
 * out-of-range values are -EINVAL with @err naming the JSON path
 * ("pfs[0].vfs[2].link.vlan: 5000 is out of range 0..4094").
 * Returns 0, -EINVAL or -ENOMEM. Free with sriov_state_free().
 */
int sriov_state_parse(const char *text, size_t len, struct sriov_state **out,
		      char *err, size_t errlen);
void sriov_state_free(struct sriov_state *st);

/* ---------------------------------------------------------------- plans */

/* One change to the host, in the order a plan carries them out. */
enum sriov_step_kind {
	SRIOV_STEP_NUM_VFS,    /* the PF's VF count and autoprobe */
	SRIOV_STEP_VF_ATTRS,   /* a VF's link attributes, through the PF */
	SRIOV_STEP_DRIVER,     /* a VF's driver */
	SRIOV_STEP_LINK,       /* a netdev's MTU and admin state (PF or VF) */
};

struct sriov_step {
	int kind;                       /* enum sriov_step_kind */
	char pf[SRIOV_ADDR_MAX];        /* the PF's address */
	char pf_name[SRIOV_ADDR_MAX];   /* its netdev, else its address */
	unsigned vf;                    /* VF_ATTRS, DRIVER: the VF index */
	/* NUM_VFS */
	unsigned old_num_vfs, num_vfs;
	int old_autoprobe, autoprobe;   /* 0/1 */
	/*
	 * VF_ATTRS: the link wanted; what differs from the VF's link when
	 * planned (for the plan's lines), and that link. Carrying the step
	 * out compares with the link of that moment again.
	 */
	struct sriov_vf_link want_link;
	unsigned want_mask;             /* 1u << enum sriov_vf_attr compared;
					   SRIOV_VF_ATTRS_ALL for a restore */
	unsigned optional_mask;         /* 1u << enum sriov_vf_attr the driver
					   may refuse without failing the step */
	struct sriov_vf_settings settings;
	struct sriov_vf_link old_link;
	/* DRIVER: NULL means no driver; checked again when carried out */
	char *old_driver;
	char *driver;
	bool after_recreate;            /* the VF is re-created first */
	bool pin_override;              /* through driver_override, not the
					   kernel's default choice */
	/* LINK: the PF's netdev (!on_vf) or VF @vf's, found when carried out */
	bool on_vf;
	int old_mtu, mtu;               /* mtu 0: leave; old -1: unknown */
	int old_up, up;                 /* 1/0; up -1: leave; old -1: unknown */
};

struct sriov_plan {
	struct sriov_step *v;
	size_t n;
};

void sriov_plan_free(struct sriov_plan *plan);

/*
 * One line for @step, as `plan` and `restore --dry-run` print it:
 * "ens1f0 num_vfs: 2 -> 4", "ens1f0/vf1 vlan: 0 -> 100 qos 3",
 * "ens1f0/vf1 driver: iavf -> vfio-pci". A VF_ATTRS step has one line per
 * setting: @i picks it. Returns 0, or -ENOENT when @i is past the last.
 */
int sriov_step_describe(const struct sriov_step *step, size_t i, char *buf,
			size_t len);

/*
 * The plan that brings @host back to @st: for each saved PF, its VF count
 * (through 0 when it changes), then each VF's link attributes that differ
 * (all saved ones when the VFs are re-created), then each VF's driver.
 * A saved PF missing from @host, or one with other vendor/device ids, is
 * -ENOENT / -EMEDIUMTYPE with @err saying which; a saved VF count above
 * the PF's total is -ERANGE. Returns 0 or those, -ENOMEM. Free @out with
 * sriov_plan_free().
 */
int sriov_restore_plan(const struct sriov_host *host,
		       const struct sriov_state *st, struct sriov_plan *out,
		       char *err, size_t errlen);

/*
 * One attribute a plan changed (or failed to), handed to
 * sriov_apply_opts.on_change as soon as it is known: the change log's
 * record. Strings are valid during the call only.
 */
struct sriov_change {
	const char *device;      /* "ens1f0", "ens1f0/vf3", or a PCI address */
	const char *pf;          /* the PF's PCI address (netdevsim: its name) */
	const char *attribute;   /* "num_vfs", "vlan", "driver", "mtu", ... */
	const char *old_value;   /* as `plan` prints it */
	const char *new_value;
	int err;                 /* 0 done, -errno refused/failed */
	const char *message;     /* why it failed, or NULL */
	bool rollback;           /* undoing an earlier change */
	bool interrupted;        /* begun by an apply that died before it
				    recorded the result (sriov_txn_recover) */
};

struct sriov_changelog;

struct sriov_apply_opts {
	unsigned timeout_ms;     /* for each VF count change (set-vfs) */
	bool force;              /* remove VFs although they are in use */
	bool no_rollback;        /* keep what was done when a step fails */
	/*
	 * Checked before each step: when it reads non-zero (a signal
	 * handler sets it) the apply stops as if the next step failed with
	 * -ECANCELED, and rolls back. NULL: never.
	 */
	const volatile sig_atomic_t *cancel;
	/* Called for every attribute changed, failed or undone. NULL: none. */
	void (*on_change)(void *data, const struct sriov_change *c);
	void *data;
	/*
	 * Every change is appended here before the next step begins; an
	 * append that fails fails the apply (which rolls back; the undo's
	 * own records are tried, and their failure is only reported).
	 * NULL: no change log. Borrowed.
	 */
	struct sriov_changelog *log;
	/*
	 * Keep the transaction's journal (SRIOV_JOURNAL_PATH under the ctx's
	 * root) while it runs: the state before, each step's intent and
	 * result, so that sriov_txn_recover() can finish it after a crash.
	 */
	bool journal;
	const struct sriov_change_origin *who;  /* for the journal; NULL: uid only */
	/*
	 * Called once step @i's intent is journaled, before it is carried
	 * out (@done false; a cancel is looked at after this), and once it
	 * was carried out, before its result is recorded (@done true).
	 * For progress and for tests that stop an apply there. NULL: none.
	 */
	void (*on_step)(void *data, size_t i, bool done);
};

/* What carrying out one step did. */
struct sriov_step_outcome {
	int err;                 /* 0 done, 1 nothing to do, -errno failed */
	char *msg;               /* why it failed, naming the device */
	bool timed_out;          /* a sriov_numvfs write is still blocked */
	/* VF_ATTRS: what was sent, the link before, each setting's answer */
	struct sriov_vf_settings sent;
	struct sriov_vf_link old_link;
	struct sriov_vf_results attrs;
};

/* Free with sriov_apply_report_free(). */
struct sriov_apply_report {
	struct sriov_step_outcome *v;   /* the steps tried, in order */
	size_t n;
	size_t failed;                  /* index of the failed step */
	bool rolled_back;               /* the host is back as it was */
	int rollback_err;               /* why undoing failed, 0 */
	char *rollback_msg;
	struct sriov_plan rollback_plan;      /* the undo plan, */
	struct sriov_apply_report *rollback;  /* and its own report */
	char *msg;               /* a failure before the first step (the
				    journal cannot be written), or NULL */
	int log_err;             /* the first change log append that failed */
};

/*
 * Carry out @plan on the live host with the checks of the single commands
 * (a VF count change refuses VFs in use unless @opts->force, binding checks
 * IOMMU groups, ...). The host is read again after each step that changed
 * it, and what the step claims is read back (the VF count and virtfn
 * links, autoprobe, the driver link, the VF's link as rtnetlink reports
 * it, the netdev's MTU and admin state): a value that differs fails the
 * step (-EIO, its message naming the attribute and the value read). With
 * @opts->journal, an unfinished transaction already in the journal is
 * -EBUSY (recover it first). When a step fails, the state of every PF the plan touches, recorded
 * before the first step, is restored by a plan of its own (not after a
 * write that timed out: it would block as well), unless @opts->no_rollback.
 * Returns 0, or the failed step's -errno. Free @out with
 * sriov_apply_report_free() whatever the result.
 */
int sriov_plan_apply(struct sriov_ctx *ctx, const struct sriov_plan *plan,
		     const struct sriov_apply_opts *opts,
		     struct sriov_apply_report *out);
void sriov_apply_report_free(struct sriov_apply_report *rep);

/* ---------------------------------------------------------------- VF count */

/* Why a VF is held (struct sriov_holder.kind). */
enum sriov_holder_kind {
	SRIOV_HOLDER_VFIO,       /* a process has its /dev/vfio/<group> (or cdev) open */
	SRIOV_HOLDER_NETDEV_UP,  /* its netdev is up (IFF_UP) */
	SRIOV_HOLDER_ENSLAVED,   /* its netdev has a master (bond, bridge, ...) */
	SRIOV_HOLDER_NETNS,      /* bound to a net driver, no netdev here: moved to another netns */
};

/* One reason a VF is in use. */
struct sriov_holder {
	unsigned vf_index;
	char vf_address[SRIOV_ADDR_MAX];
	int kind;                /* enum sriov_holder_kind */
	int pid;                 /* SRIOV_HOLDER_VFIO: the process, else 0 */
	char comm[32];           /* its /proc/PID/comm, "?" if unreadable */
	char what[96];           /* the device file, netdev or master involved */
};

struct sriov_holders {
	struct sriov_holder *v;
	size_t n;
};

/*
 * Who holds the VFs of @pf with index >= @from (the VFs a lower count
 * removes): processes with the VF's vfio group or device open (every
 * /proc/PID/fd under the ctx's root), and VF netdevs that are up,
 * enslaved, or gone to another network namespace. Returns 0 or -ENOMEM;
 * unreadable processes are skipped. Free @out with sriov_holders_free().
 */
int sriov_vf_holders(struct sriov_ctx *ctx, const struct sriov_pf *pf,
		     unsigned from, struct sriov_holders *out);
void sriov_holders_free(struct sriov_holders *h);

/* "0000:01:00.1: /dev/vfio/12 open by pid 123 (qemu)". */
void sriov_holder_describe(const struct sriov_holder *h, char *buf,
			   size_t len);

/* What `sriovctl pf PF set-vfs N` asks for. */
struct sriov_numvfs_req {
	unsigned num_vfs;
	int autoprobe;           /* -1 leave as is, 0 off, 1 on */
	bool force;              /* go on although VFs are held */
};

/* One write of a plan (struct sriov_numvfs_plan.steps). */
enum sriov_numvfs_attr {
	SRIOV_NUMVFS_WRITE,      /* sriov_numvfs */
	SRIOV_AUTOPROBE_WRITE,   /* sriov_drivers_autoprobe */
};

struct sriov_numvfs_step {
	int attr;                /* enum sriov_numvfs_attr */
	unsigned from, to;
};

/*
 * The writes that take a PF from its current VF count to the requested one.
 * Owned by the caller; free with sriov_numvfs_plan_free().
 */
struct sriov_numvfs_plan {
	char pf_address[SRIOV_ADDR_MAX]; /* the PF's device name */
	char *pf_dir;            /* its sysfs directory under the root */
	char *pf_netdev;         /* NULL when the PF has none */
	bool pci;                /* false: netdevsim (VFs are not devices) */
	unsigned old_vfs, new_vfs;
	int old_autoprobe, new_autoprobe;
	struct sriov_numvfs_step steps[3];
	size_t n_steps;          /* 0: nothing to write */
	struct sriov_holders holders; /* of the VFs the plan removes */
};

/*
 * Plan @req for @pf, reading nothing but the holders. Checks, nothing
 * written: -ERANGE when the count is above the PF's total_vfs, -ENOENT when
 * the PF has no driver, -EBUSY when VFs to remove are held and !force
 * (plan->holders lists them). A different non-zero count goes through 0;
 * autoprobe is written before VFs are created, and only when it differs.
 * @err explains a refusal naming the PF. Returns 0 or those, -ENOMEM.
 * Free @plan with sriov_numvfs_plan_free() whatever the result.
 */
int sriov_numvfs_plan(struct sriov_ctx *ctx, const struct sriov_pf *pf,
		      const struct sriov_numvfs_req *req,
		      struct sriov_numvfs_plan *plan, char *err, size_t errlen);
void sriov_numvfs_plan_free(struct sriov_numvfs_plan *plan);

/*
 * The explanation of the kernel's answer @e (negative errno) to writing @n
 * to the sriov_numvfs of the PF @plan is for: what it means and what to do.
 */
void sriov_numvfs_explain(const struct sriov_numvfs_plan *plan, int e,
			  unsigned n, char *buf, size_t len);

/* A VF as it is once the count is written. */
struct sriov_numvfs_vf {
	unsigned index;
	char address[SRIOV_ADDR_MAX]; /* "" for netdevsim */
	char *driver;            /* NULL: no driver */
	char *netdev;            /* NULL: none */
};

/* What sriov_numvfs_apply() did. Free with sriov_numvfs_result_free(). */
struct sriov_numvfs_result {
	size_t steps_done;       /* plan steps the kernel accepted */
	int failed_err;          /* the kernel's answer to the failed step, 0 */
	bool timed_out;          /* a write did not return within the timeout */
	bool rolled_back;        /* the earlier steps were undone */
	int rollback_err;        /* 0, or why undoing failed */
	unsigned final_vfs;      /* the count as the PF reads after it all */
	struct sriov_numvfs_vf *vfs;
	size_t n_vfs;
	bool vfs_settled;        /* every virtfn and expected netdev appeared */
	int carrier;             /* PF carrier afterwards: 1, 0, -1 not watched */
	unsigned carrier_ms;     /* how long the carrier took to come back */
	unsigned elapsed_ms;
};

/*
 * Perform @plan. Each write of sriov_numvfs runs in a child process and is
 * waited for at most @timeout_ms: the kernel blocks a write of 0 while a
 * process holds a VF's vfio device, and the caller must not hang with it.
 * After a timeout the child stays blocked in the kernel and the write
 * completes when the holders let go; nothing else is written (-ETIMEDOUT).
 * After the count is written, waits (within @timeout_ms in all) for every
 * virtfnN, for the netdevs of VFs bound to a network driver, and for the
 * PF's carrier when it was up before. When a step fails after an earlier
 * one succeeded, the earlier ones are undone (rolled_back). @err explains
 * a failure naming the PF. Returns 0, or the failed write's -errno.
 */
int sriov_numvfs_apply(struct sriov_ctx *ctx,
		       const struct sriov_numvfs_plan *plan,
		       unsigned timeout_ms, struct sriov_numvfs_result *res,
		       char *err, size_t errlen);
void sriov_numvfs_result_free(struct sriov_numvfs_result *res);

/* ---------------------------------------------------------------- VF selection */

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
 * @host. Free with sriov_vf_refs_free().
 */
int sriov_host_resolve_vfs(const struct sriov_host *host, const char *name,
			   struct sriov_vf_refs *out);
void sriov_vf_refs_free(struct sriov_vf_refs *r);

/* ---------------------------------------------------------------- driver binding */

/* What `sriovctl vf VFS bind|unbind` asks for. */
enum sriov_bind_mode {
	SRIOV_BIND_DRIVER,  /* driver_override = the driver, reprobe */
	SRIOV_BIND_KERNEL,  /* clear driver_override, reprobe: the default driver */
	SRIOV_BIND_UNBIND,  /* driver_override "none", unbind: stays driverless */
};

/* Flags of sriov_bind_plan_new(). */
#define SRIOV_BIND_GROUP 0x1u  /* vfio-pci: bind each VF's whole IOMMU group */
#define SRIOV_BIND_FORCE 0x2u  /* unbind VFs in use (netdev up, enslaved) */

/* The drivers vfio accepts beside it in an IOMMU group (and "no driver"). */
bool sriov_vfio_group_driver_ok(const char *driver);

/* One device of a plan: what it is, what will be written, what happened. */
struct sriov_bind_step {
	char address[SRIOV_ADDR_MAX];
	char *name;             /* "ens1f0/vf3"; a group member's address */
	bool group_member;      /* brought in by SRIOV_BIND_GROUP */
	char *old_driver;       /* NULL: none */
	char *old_override;     /* NULL: unset ("(null)") */
	char *new_override;     /* NULL: unset */
	bool write_override;    /* new_override differs from old_override */
	bool unbind;            /* unbind from old_driver first */
	bool probe;             /* then write the address to drivers_probe */
	const char *want;       /* driver expected after (NULL: none, or any
				   for SRIOV_BIND_KERNEL) */
	/* filled by sriov_bind_apply() */
	char *new_driver;       /* read back after the step; NULL: none */
	char *released;         /* a driver that took it and let it go again
				   (its asynchronous start failed) */
	bool changed;           /* something was written and stays written */
	bool rolled_back;       /* written, then put back */
};

struct sriov_bind_plan {
	int mode;               /* enum sriov_bind_mode */
	char *driver;           /* SRIOV_BIND_DRIVER: the driver */
	bool load_module;       /* the driver is not loaded: load its module */
	bool module_loaded;     /* sriov_bind_apply() loaded it */
	bool pf_autoprobe_off;  /* SRIOV_BIND_KERNEL: a PF has autoprobe 0 */
	struct sriov_bind_step *v;
	size_t n;
	size_t n_work;          /* steps that write anything */
	size_t failed;          /* index of the failing step, when apply failed */
};

/*
 * Plan binding the VFs @vfs (sriov_host_resolve_vfs) in @mode to @driver
 * (SRIOV_BIND_DRIVER only), from the drivers and overrides of @host and the
 * IOMMU groups read through @ctx. Nothing is written. A VF already in the
 * wanted state gets a step that writes nothing. For vfio-pci the IOMMU
 * group of every VF must be viable: every other member without a driver,
 * bound to a driver vfio accepts (sriov_vfio_group_driver_ok), or in @vfs;
 * with SRIOV_BIND_GROUP the other non-bridge members become steps too,
 * except a PF with VFs enabled (its driver's removal disables them).
 * The driver must be loaded or a module of the root's kernel
 * (/lib/modules/<release>) and, unless generic (vfio-pci, pci-stub),
 * claim each VF's modalias there; a VF to unbind must not be in use
 * (sriov_vf_holders, as for set-vfs) unless SRIOV_BIND_FORCE.
 * @err names the device and what to do. Returns 0; -EINVAL (bad driver
 * name), -ENOENT (no such driver or module: the closest name is offered),
 * -ENODEV (the driver does not claim a VF; vfio-pci without an IOMMU or a
 * VF without a group), -EBUSY (group not viable: the members in the way
 * are named; a VF in use; or a VF to unbind from vfio-pci is held open by
 * a process, which SRIOV_BIND_FORCE does not override), -EXDEV (the
 * group holds a PF that hosts VFs), -ENOMEM, or -errno reading sysfs.
 * Free with sriov_bind_plan_free().
 */
int sriov_bind_plan_new(struct sriov_ctx *ctx, const struct sriov_host *host,
			const struct sriov_vf_refs *vfs, int mode,
			const char *driver, unsigned flags,
			struct sriov_bind_plan **out, char *err, size_t errlen);
void sriov_bind_plan_free(struct sriov_bind_plan *plan);

/*
 * Carry @plan out: load the driver's module when needed (libkmod), then per
 * device write driver_override, unbind the current driver, write the
 * address to /sys/bus/pci/drivers_probe, and check that the device ended up
 * with the wanted driver; a device that a driver other than vfio-pci or
 * pci-stub took is watched for up to 5 s until it is ready (a netdev, an
 * NVMe controller "live") or let go (nvme takes a device and lets it go
 * when its asynchronous start fails). All or nothing: when a step fails, every device
 * already changed (that one included) gets its driver_override and driver
 * back. Each step's new_driver/changed/rolled_back tell what happened.
 * Returns 0, or -errno with @err naming the device and the cause (-ENOENT:
 * no module; -ENXIO: the driver did not take the device; plan->failed is
 * the step's index).
 */
int sriov_bind_apply(struct sriov_ctx *ctx, struct sriov_bind_plan *plan,
		     char *err, size_t errlen);

/* ---------------------------------------------------------------- checks */

#define SRIOV_CHECK_SCHEMA "sriovctl.check/v1"

/* How a finding turned out, from best to worst. */
enum sriov_severity {
	SRIOV_SEV_OK,
	SRIOV_SEV_SKIP,    /* could not be checked here; evidence says why */
	SRIOV_SEV_WARN,
	SRIOV_SEV_FAIL,
};

/* Where a check belongs in the report, in the order the report shows. */
enum sriov_check_area {
	SRIOV_AREA_HOST,
	SRIOV_AREA_FIRMWARE,   /* firmware/BIOS */
	SRIOV_AREA_KERNEL,
	SRIOV_AREA_PF,
	SRIOV_AREA_VF,
};

/* One entry of the table of checks (static data, never freed). */
struct sriov_check_info {
	const char *id;          /* stable: "iommu.cmdline" */
	int area;                /* enum sriov_check_area */
	const char *title;       /* one line */
	const char *description; /* what is checked and why it matters */
	const char *remedy;      /* the fix in general; findings carry the exact one */
};

/* The checks, in report order: @i from 0 while non-NULL. */
const struct sriov_check_info *sriov_check_info_at(size_t i);
/* The check @id, or NULL. */
const struct sriov_check_info *sriov_check_info_find(const char *id);

/* "ok", "skip", "warn", "fail"; "host", "firmware", "kernel", "pf", "vf". */
const char *sriov_severity_name(int severity);
const char *sriov_check_area_name(int area);

/* One result of one check, on the host or on one device. */
struct sriov_finding {
	const struct sriov_check_info *check;
	int severity;            /* enum sriov_severity */
	char *subject;           /* "0000:3b:00.0", "ens1f0/vf3"; NULL: the host */
	char *evidence;          /* the file read and what it held */
	char *remedy;            /* exact for this host; NULL when nothing to do */
};

/* Free with sriov_check_report_free(). */
struct sriov_check_report {
	struct sriov_finding *v; /* grouped by area, in the order run */
	size_t n;
	size_t n_by_severity[4]; /* indexed by enum sriov_severity */
};

/*
 * Run every check that applies to @host (read through @ctx): the whole host
 * when @n_devices is 0, else the named devices (names as sriov_host_resolve
 * takes them, or any PCI device, which gets the sriov.capability check) and
 * the host-wide checks they depend on. Returns 0, -ENOENT with @err naming
 * an unknown device, -EINVAL with @err for a malformed name, or -ENOMEM. A check that cannot read what it needs is
 * a finding with SRIOV_SEV_SKIP, not an error.
 * Free @out with sriov_check_report_free().
 */
int sriov_check_run(struct sriov_ctx *ctx, const struct sriov_host *host,
		    const char *const *devices, size_t n_devices,
		    struct sriov_check_report **out, char *err, size_t errlen);
void sriov_check_report_free(struct sriov_check_report *rep);
/*
 * Keep only the findings of @min_severity or worse (ok < skip < warn <
 * fail), as `check --severity` shows them; n_by_severity still counts the
 * whole run.
 */
void sriov_check_report_filter(struct sriov_check_report *rep, int min_severity);

/* The report as `sriovctl check` prints it, grouped by area. */
int sriov_render_check_text(const struct sriov_check_report *rep, FILE *out);

/* The report as JSON (docs/check-schema.md). Returns 0 or -errno. */
int sriov_render_check_json(const struct sriov_check_report *rep,
			    bool pretty, FILE *out);

/* docs/troubleshooting.md, from the table of checks. */
int sriov_render_check_markdown(FILE *out);

/* ---------------------------------------------------------------- explaining errors */

#define SRIOV_EXPLAIN_SCHEMA "sriovctl.explain/v1"

/* The longest text sriov_explain() takes: 16 MiB (a day of a busy log). */
#define SRIOV_EXPLAIN_TEXT_MAX (16u << 20)

/*
 * One known failure of lib/explain/table.c: what an error message means,
 * the `sriovctl check` ids that find its cause, and the fix. Static data.
 */
struct sriov_failure {
	const char *id;              /* stable: "vfio.group-not-viable" */
	const char *title;           /* one line */
	const char *source;          /* who prints the message ("QEMU hw/vfio") */
	const char *meaning;
	const char *fix;
	const char *const *checks;   /* check ids, NULL-terminated */
};

/* The table of known failures, in order; *n is set to its length. */
const struct sriov_failure *sriov_failures(size_t *n);

/* What a device named in the text is on the host (struct sriov_explain_device). */
enum sriov_explain_kind {
	SRIOV_EXPLAIN_ABSENT = 0,    /* no such device under the root */
	SRIOV_EXPLAIN_PF,
	SRIOV_EXPLAIN_VF,
	SRIOV_EXPLAIN_OTHER,         /* a PCI device without SR-IOV */
};

/* A device the text names (PCI address, netdev, "PF vf N"), looked up. */
struct sriov_explain_device {
	char *written;                /* as in the text: "0b:10.5", "ens1f0 vf 3" */
	int kind;                     /* enum sriov_explain_kind */
	char address[SRIOV_ADDR_MAX]; /* full PCI address; "" when none */
	char *driver;                 /* NULL: none */
	char *netdev;                 /* NULL: none */
	int iommu_group;              /* -1: none or unknown */
	int vf_index;                 /* a VF: its index, else -1 */
	/* a PF or a VF: the PF, its netdev and driver, its VF counts */
	char pf[SRIOV_ADDR_MAX];
	char *pf_netdev;
	char *pf_driver;
	unsigned num_vfs, total_vfs;
};

/* An IOMMU group the text names or a named device is in. */
struct sriov_explain_group {
	int group;
	bool exists;                  /* /sys/kernel/iommu_groups/N exists */
	struct sriov_strv members;    /* PCI addresses, sorted */
	struct sriov_strv drivers;    /* per member, "" for none */
	bool viable;                  /* every member's driver suits vfio */
};

/* One known failure the text matched. */
struct sriov_explain_match {
	const struct sriov_failure *failure;
	char *excerpt;                /* the line that matched, trimmed */
	struct sriov_strv advice;     /* for this host: facts and commands */
	/*
	 * The findings show the failure's fix is not for this host: nothing
	 * the text names is here (another host's text), or the IOMMU that
	 * vfio.no-iommu's fix turns on is on.
	 */
	bool fix_not_here;
};

/* Free with sriov_explanation_free(). */
struct sriov_explanation {
	struct sriov_explain_match *matches;
	size_t n_matches;
	struct sriov_explain_device *devices;
	size_t n_devices;
	struct sriov_explain_group *groups;
	size_t n_groups;
	bool looked_up;               /* a host inventory was given */
};

/*
 * Match @text (an error message as pasted: log prefixes, timestamps,
 * tracebacks, several lines) against the known failures with POSIX
 * regexes, pull out the PCI addresses (full and short), IOMMU group
 * numbers, netdev names and VF indexes it names, and look them up in
 * @host (NULL: no lookups) and through @ctx (group members and drivers;
 * may be NULL with @host). Advice lines name this host's devices; when the
 * text names a PCI device the host does not have, its group numbers are
 * not looked up here (they are the other host's).
 * Matching takes time linear in the text's length: lines are matched on
 * windows of 4 KiB (a longer line in windows overlapping by half), and the
 * first 64 devices, groups and VFs it names are looked up.
 * Returns 0 (no match is 0 with n_matches 0), -E2BIG when @text is longer
 * than SRIOV_EXPLAIN_TEXT_MAX, -ENOMEM, or -EINVAL when a table pattern
 * does not compile. Free with sriov_explanation_free().
 */
int sriov_explain(struct sriov_ctx *ctx, const struct sriov_host *host,
		  const char *text, struct sriov_explanation **out);
void sriov_explanation_free(struct sriov_explanation *e);

/* `sriovctl explain`: each match with meaning, devices, checks, fix. */
int sriov_render_explain_text(const struct sriov_explanation *e, FILE *out);

/* The same as JSON (docs/explain-schema.md). Returns 0 or -errno. */
int sriov_render_explain_json(const struct sriov_explanation *e, bool pretty,
			      FILE *out);

/* ---------------------------------------------------------------- policy */

/*
 * The host policy (docs/policy.md): YAML, parsed with libyaml. Step 1 of
 * issue 6: the model and its syntax validation; nothing here reads the
 * inventory or changes the host.
 */

#define SRIOV_POLICY_PATH "etc/sriovctl/sriovctl.yaml"  /* under the root */
#define SRIOV_POLICY_DIR  "etc/sriovctl/conf.d"

/* Where a value was written: 1-based, as editors count. */
struct sriov_policy_loc {
	const char *file;      /* owned by the policy */
	unsigned line, column;
};

/* How a policy entry finds its PF. */
enum sriov_policy_match_kind {
	SRIOV_POLICY_MATCH_NONE,
	SRIOV_POLICY_MATCH_NETDEV,       /* value: the PF's netdev name */
	SRIOV_POLICY_MATCH_PCI,          /* value: its PCI address */
	SRIOV_POLICY_MATCH_ID,           /* vendor_id + device_id */
	SRIOV_POLICY_MATCH_ROOT_DEVICE,  /* value: PCI address of its root port */
};

/* One VF range ("0-3", "5") of a PF with its settings. */
struct sriov_policy_vfs {
	unsigned first, last;               /* inclusive */
	struct sriov_policy_loc loc;        /* of the range */
	unsigned set;                       /* 1u << enum sriov_vf_attr */
	struct sriov_policy_loc at[SRIOV_VF_ATTR__COUNT];
	char *driver;                       /* "none": unbound */
	bool mac_auto;                      /* else mac */
	uint8_t mac[6];
	unsigned vlan, qos;
	uint16_t vlan_proto;                /* ETH_P_8021Q or ETH_P_8021AD */
	bool spoofchk, trust, query_rss;
	unsigned min_tx_rate, max_tx_rate;  /* Mbit/s */
	int link_state;                     /* IFLA_VF_LINK_STATE_*: 0 auto, 1 enable, 2 disable */
	unsigned mtu;
	/* `optional: [min_tx_rate, ...]`: link settings a driver may refuse
	 * without failing the apply (1u << enum sriov_vf_attr) */
	unsigned optional;
	struct sriov_policy_loc optional_at;
};

/* The settings of a PF entry; bit (1u << field) in `set`. */
enum sriov_policy_pf_field {
	SRIOV_PPF_NUM_VFS, SRIOV_PPF_MTU, SRIOV_PPF_AUTOPROBE, SRIOV_PPF_LINK_STATE,
	SRIOV_PPF__COUNT
};

/* One PF entry of `pfs:` (or made by a top-level `vfs:` selector). */
struct sriov_policy_pf {
	struct sriov_policy_loc loc;        /* of the entry */
	int match;                          /* enum sriov_policy_match_kind */
	char *value;                        /* NETDEV, PCI, ROOT_DEVICE */
	uint16_t vendor_id, device_id;      /* ID */
	struct sriov_policy_loc match_loc;
	bool from_selector;                 /* only `vfs: - select:` entries */
	unsigned set;                       /* 1u << enum sriov_policy_pf_field */
	struct sriov_policy_loc at[SRIOV_PPF__COUNT];
	unsigned num_vfs, mtu;
	bool drivers_autoprobe;
	bool link_up;
	struct sriov_policy_vfs *vfs;
	size_t n_vfs;
};

/* One error: "FILE:LINE:COLUMN: message" with sriov_policy_error_format(). */
struct sriov_policy_error {
	struct sriov_policy_loc loc;
	char *message;
};

struct sriov_policy {
	struct sriov_policy_pf *pfs;
	size_t n_pfs;
	struct sriov_strv files;            /* every file read, in order */
	struct sriov_policy_error *errors;  /* all of them, in file order */
	size_t n_errors;
};

/* An empty policy. Returns 0 or -ENOMEM. Free with sriov_policy_free(). */
int sriov_policy_new(struct sriov_policy **out);
void sriov_policy_free(struct sriov_policy *p);

/*
 * Parse @len bytes of YAML named @name (for messages) and append its PFs
 * to @p. Syntax errors are collected in @p->errors, not returned: the
 * return is 0, or -ENOMEM.
 */
int sriov_policy_add(struct sriov_policy *p, const char *name,
		     const char *text, size_t len);

/*
 * The checks across entries, once every file is added: overlapping ranges
 * that disagree, two VFs with one explicit MAC, a PF matched twice.
 * Appends to @p->errors. Returns 0 or -ENOMEM.
 */
int sriov_policy_validate(struct sriov_policy *p);

/*
 * Read and validate the policy: @path when not NULL (a file the user
 * names, opened as given), else SRIOV_POLICY_PATH and then
 * the files SRIOV_POLICY_DIR/NAME.yaml in name order, both under @ctx's root.
 * Returns 0 (look at n_errors), -ENOENT when there is no policy at all,
 * or -errno when a file cannot be read (@err names it).
 * Free with sriov_policy_free().
 */
int sriov_policy_load(struct sriov_ctx *ctx, const char *path,
		      struct sriov_policy **out, char *err, size_t errlen);

/* "FILE:LINE:COLUMN: message" into @buf. Returns the length snprintf gives. */
int sriov_policy_error_format(const struct sriov_policy_error *e,
			      char *buf, size_t len);

/*
 * The MAC of `mac: auto`: a hash of @host_id (@id_len bytes: the
 * machine-id), the PF's PCI address and @vf, with the locally
 * administered bit set and the multicast bit clear. Pure; stable.
 */
void sriov_policy_mac_auto(const void *host_id, size_t id_len,
			   const char *pf_addr, unsigned vf, uint8_t mac[6]);

/*
 * The host id for sriov_policy_mac_auto(): etc/machine-id under @ctx's
 * root, 32 hex digits, into @buf (>= 33 bytes). 0, -errno, -EINVAL.
 */
int sriov_policy_machine_id(struct sriov_ctx *ctx, char *buf, size_t len);

/* ---------------------------------------------------------------- policy plans */

struct sriov_policy_plan_opts {
	const char *host_id;     /* machine-id for `mac: auto`; NULL: none
				    (then `mac: auto` is an error) */
	const char *only_pf;     /* a PF's address: plan for it alone (the
				    udev re-apply); NULL: every PF */
};

/*
 * Phase 2 of validation, then the plan. Every entry of @p is matched
 * against @host; errors of meaning are appended to @p->errors at the
 * offending value: an entry that matches no PF, a PF matched by two
 * entries, num_vfs above the PF's total_vfs, a VF range reaching past the
 * VF count the policy leaves, VF link settings or an MTU on a PF without
 * a network interface, a VF MTU with a driver that has no netdev
 * (vfio-pci, none), two VFs given one MAC once `auto` is derived.
 * When there is none, @out gets the changes from the host as it is to
 * the policy, PF by PF: the VF count (through 0) and autoprobe, the PF
 * netdev's MTU and admin state, the VFs' link attributes (only those the
 * policy names), their drivers, their netdevs' MTU. An empty plan: the
 * host matches the policy. Returns 0 (look at p->n_errors; @out is then
 * empty) or -ENOMEM. Free @out with sriov_plan_free().
 */
int sriov_policy_plan(const struct sriov_host *host, struct sriov_policy *p,
		      const struct sriov_policy_plan_opts *opts,
		      struct sriov_plan *out);

/*
 * The PFs of @host that entry @e matches, in host order, into @out (up to
 * @max; the return says how many match in all). netdev and pci name one
 * PF; vendor+device and root_device may match several.
 */
size_t sriov_policy_match(const struct sriov_host *host,
			  const struct sriov_policy_pf *e,
			  const struct sriov_pf **out, size_t max);

/*
 * `apply --boot`: wait up to @timeout_ms for every entry of @p to match a
 * PF, every PF it matches to have its driver and, when the entry needs
 * the PF's netdev (netdev match, PF mtu or link_state, VF link settings),
 * that netdev (where udev runs: handled by udev, /run/udev/data/nIFINDEX),
 * reading the host again every 250 ms. On return *host is the last read
 * (the caller frees it; NULL after a load error). Returns 0, -ETIMEDOUT
 * (the entries still unmatched are what phase 2 reports), -EINTR when a
 * caught signal interrupts the wait, or the load's -errno.
 */
int sriov_policy_wait(struct sriov_ctx *ctx, const struct sriov_policy *p,
		      unsigned timeout_ms, unsigned load_flags,
		      struct sriov_host **host);

/* ---------------------------------------------------------------- plan output */

#define SRIOV_PLAN_SCHEMA "sriovctl.plan/v1"

/* The plan as JSON (docs/plan-schema.md). Returns 0 or -EIO. */
int sriov_plan_write_json(const struct sriov_plan *plan, bool pretty,
			  FILE *out);

/* ---------------------------------------------------------------- change log */

#define SRIOV_CHANGELOG_PATH "/var/log/sriovctl/changes.log"

/* Who and what, for every record of one run. */
struct sriov_change_origin {
	long long time_us;       /* CLOCK_REALTIME, microseconds */
	unsigned uid;
	const char *command;     /* "sriovctl apply --boot" */
};

/*
 * One JSON object on one line (docs/changelog.md): time (RFC 3339 UTC with
 * microseconds), uid, command, device, pf, attribute, old, new, result
 * ("ok", "failed", "rolled back", "rollback failed", "interrupted"),
 * error (strerror or null), message.
 * Returns 0 or -EIO.
 */
int sriov_change_write_json(const struct sriov_change_origin *who,
			    const struct sriov_change *c, FILE *out);

/*
 * Open the change log for appending: @path as given (absolute, or from the
 * working directory), or SRIOV_CHANGELOG_PATH under @ctx's root when NULL.
 * Missing directories are made (0755), the file too (0640). The file, and
 * for the default path its directory sriovctl/, must not be symbolic
 * links (-ELOOP) and the file must be a regular file (-EBADFD; -ENOTDIR
 * for a directory of ours that is not one). A last line without its
 * newline (a write cut short) is ended, so that the next record starts on
 * a line of its own. @who's uid and command (copied; may be NULL) go into
 * every record. Returns 0 or -errno. Free with sriov_changelog_free().
 */
int sriov_changelog_open(struct sriov_ctx *ctx, const char *path,
			 const struct sriov_change_origin *who,
			 struct sriov_changelog **out);
void sriov_changelog_free(struct sriov_changelog *log);

/* The log's path as messages name it (under the root when not "/"). */
const char *sriov_changelog_path(const struct sriov_changelog *log);

/*
 * Append @c as one line with one write(2), then fdatasync: by @who, or by
 * the log's origin at the current time when NULL. A write cut short
 * (RLIMIT_FSIZE: the caller ignores SIGXFSZ; a full disk) is taken back.
 * Returns 0, -EFBIG, -ENOSPC, -EIO or another -errno.
 */
int sriov_changelog_append(struct sriov_changelog *log,
			   const struct sriov_change_origin *who,
			   const struct sriov_change *c);

/* ---------------------------------------------------------------- journal */

/*
 * The transaction journal of sriov_plan_apply() (docs/journal.md): JSON
 * lines under the root, each synced before the step it announces: the
 * state of the PFs the plan touches before its first step, then each
 * step's intent and its result. Emptied when the apply ends, rolled back
 * or not; a journal that is not empty belongs to an apply that died.
 * Under var/lib, not run/: after a power loss it still tells what was
 * under way (its boot id says the kernel has since dropped the changes).
 */
#define SRIOV_JOURNAL_PATH "/var/lib/sriovctl/journal"  /* under the root */

/* One change of a step's intent. */
struct sriov_txn_change {
	char *device, *pf, *attribute;
	char *old_value;         /* NULL: unknown */
	char *new_value;
};

/* A step an unfinished apply began. */
#define SRIOV_TXN_NO_RESULT 2    /* sriov_txn_step.result: none recorded */

struct sriov_txn_step {
	size_t index;            /* in its plan */
	long long time_us;       /* of the intent */
	struct sriov_txn_change *changes;
	size_t n_changes;
	int result;              /* 0 done, 1 nothing to do, -errno failed,
				    SRIOV_TXN_NO_RESULT */
};

/* An apply that did not finish, as its journal has it. */
struct sriov_txn {
	int pid;
	unsigned uid;
	long long time_us;       /* when it began */
	char *command;           /* NULL: not recorded */
	bool rollback;           /* it would have rolled back a failure */
	bool rolling_back;       /* it was rolling one back */
	bool recovering;         /* a recovery began already (and died) */
	bool other_boot;         /* written in an earlier boot: the kernel
				    has dropped its changes since */
	size_t n_planned;        /* steps in its plan */
	struct sriov_txn_step *steps;  /* those it began, in order */
	size_t n_steps;
	struct sriov_state *before;    /* the PFs it touches, before */
};

/*
 * Read the journal under @ctx's root, holding the host lock (which is how
 * its writer is known to be gone). *out is NULL when there is nothing to
 * finish: no journal, an empty one, or one whose header was never
 * completely written (the apply died before its first step). Returns 0,
 * -EINVAL with @err naming the line that is not sriovctl's (it is left
 * alone), -ELOOP / -EBADFD for a journal that is a symbolic link or not a
 * regular file, -EFBIG above 64 MiB, or -errno.
 * Free with sriov_txn_free().
 */
int sriov_txn_load(struct sriov_ctx *ctx, struct sriov_txn **out,
		   char *err, size_t errlen);
void sriov_txn_free(struct sriov_txn *txn);

/*
 * Finish @txn: record in @opts->log (and @opts->on_change) each change of
 * a step it began without a result, as "interrupted" by its own origin;
 * then, unless it ran without rollback or in an earlier boot, bring every
 * PF it touched back to txn->before with a plan of its own (@out's
 * rollback_plan and rollback; its records are "rolled back"); then empty
 * the journal. Returns 0, or the undo's -errno: the journal then stays
 * for a later try. Free @out with sriov_apply_report_free().
 */
int sriov_txn_recover(struct sriov_ctx *ctx, const struct sriov_txn *txn,
		      const struct sriov_apply_opts *opts,
		      struct sriov_apply_report *out);

/* ---------------------------------------------------------------- host lock */

#define SRIOV_LOCK_PATH "run/sriovctl.lock"   /* under the ctx's root */

/*
 * Take the host-wide lock every command that writes holds (flock on
 * SRIOV_LOCK_PATH, created when missing), waiting up to @timeout_ms
 * (0: not at all). Returns the lock's fd (close it to release), -EWOULDBLOCK
 * (@holder gets the pid written in the file, 0 if unknown), -EINTR when a
 * caught signal ends the wait, or -errno. What is there must be a regular
 * file with one name and our owner, never followed if it is a link:
 * -ELOOP (a link), -EISDIR, -EBADFD (a FIFO, socket or device), -EMLINK
 * (a hard link), -EPERM (another owner); nothing is written to it then.
 */
int sriov_lock_host(struct sriov_ctx *ctx, unsigned timeout_ms, int *holder);

/*
 * The command name of process @pid (proc/PID/comm under the ctx's root),
 * for "held by pid N (COMM)"; "?" when it cannot be read.
 */
void sriov_process_comm(struct sriov_ctx *ctx, int pid, char *buf,
			size_t len);

#ifdef __cplusplus
}
#endif

#include "sriov/export.h"

#endif /* SRIOV_H */
