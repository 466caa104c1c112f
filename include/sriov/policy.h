/* SPDX-License-Identifier: MIT */
/*
 * libsriov — the host policy (docs/policy.md): YAML, parsed with libyaml,
 * and checked on its own; nothing here reads the inventory or changes
 * the host.
 */
#ifndef SRIOV_POLICY_H
#define SRIOV_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sriov/common.h"
#include "sriov/context.h"
#include "sriov/vf_attr.h"

#ifdef __cplusplus
extern "C" {
#endif

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
	/* `pool: NAME`: the consumers' share these VFs are (a physnet, a
	 * device plugin resource); NULL: none. `export --pool NAME` takes
	 * every VF of every range with this name. */
	char *pool;
	struct sriov_policy_loc pool_at;
};

/*
 * The value range @r gives attribute @a (whether set or not: see ->set),
 * as the VF-attribute table holds values (sriov/vf_attr.h), for
 * sriov_vf_attr_format() and comparisons; DRIVER points into @r.
 * Returns 0, -ENODATA for `mac: auto` (an address only once planned),
 * -EINVAL for no such attribute.
 */
int sriov_policy_vfs_value(const struct sriov_policy_vfs *r,
			   enum sriov_vf_attr a, struct sriov_vf_attr_value *v);

/* Longest pool name: a Kubernetes resource name's limit. */
#define SRIOV_POLICY_POOL_MAX 63

/* The settings of a PF entry; bit (1u << field) in `set`. */
enum sriov_policy_pf_field {
	SRIOV_PPF_NUM_VFS, SRIOV_PPF_MTU, SRIOV_PPF_AUTOPROBE, SRIOV_PPF_LINK_STATE,
	SRIOV_PPF__COUNT
};

/* One PF entry of `pfs:` (or made by a top-level `vfs:` selector). */
struct sriov_policy_pf {
	struct sriov_policy_loc loc;        /* of the entry */
	enum sriov_policy_match_kind match;
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

/*
 * Convert the Kubernetes SR-IOV network operator's SriovNetworkNodePolicy
 * objects (@len bytes of YAML named @name: one or more documents, each an
 * object or a List of them) into PF entries appended to @p, merged by the
 * operator's rules (priority, VF ranges of pfNames; lib/policy/operator.c).
 * Policies whose nodeSelector names another kubernetes.io/hostname than
 * @node are left out (@node NULL: none is). What does not carry over is
 * pushed to @notes, one sentence each. Errors (a field sriovctl cannot do,
 * bad values, VF ranges two policies of one priority give) are collected
 * in @p->errors at their place in the file; run sriov_policy_validate()
 * after. Returns 0, or -ENOMEM.
 */
int sriov_policy_import_operator(struct sriov_policy *p, const char *name,
				 const char *text, size_t len, const char *node,
				 struct sriov_strv *notes);

/*
 * @p as policy YAML (docs/policy.md) that sriov_policy_add() reads back
 * into the same entries, after @header (NULL: none) as comment lines.
 * *text is malloc'd and NUL-terminated, *len bytes. Returns 0, -ENOMEM or
 * -EIO (the emitter refused a value).
 */
int sriov_policy_write(const struct sriov_policy *p, const char *header,
		       char **text, size_t *len);

/*
 * sriov_policy_import_operator() of the file @path (opened as given, not
 * under the root; at most 4 MiB), validated. @node NULL: this host's name
 * from /etc/hostname under @ctx's root (none: no policy is left out for
 * its node). Returns 0 with *out set (look at its n_errors; free it with
 * sriov_policy_free()), or -errno with @err naming the file.
 */
int sriov_policy_import_load(struct sriov_ctx *ctx, const char *path, const char *node,
			     struct sriov_policy **out, struct sriov_strv *notes,
			     char *err, size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
