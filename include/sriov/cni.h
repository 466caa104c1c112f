/* SPDX-License-Identifier: MIT */
/*
 * libsriov — the CNI plugin (docs/cni.md): a network configuration as
 * sriov-cni reads it, the attachment records kept under the state
 * directory, the result and error JSON of the CNI specification 1.1.0,
 * and the verbs ADD, DEL, CHECK, STATUS, GC and VERSION.
 */
#ifndef SRIOV_CNI_H
#define SRIOV_CNI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sriov/common.h"
#include "sriov/context.h"
#include "sriov/model.h"
#include "sriov/vf_set.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SRIOV_CNI_STATE_DIR "/var/lib/cni/sriovctl"
#define SRIOV_CNI_SPEC "1.1.0"
#define SRIOV_CNI_CONF_MAX (1u << 20)  /* bytes of configuration read */

/* The specification's error codes, and the plugin's own (100 and up). */
enum sriov_cni_code {
	SRIOV_CNI_E_VERSION = 1,     /* incompatible CNI version */
	SRIOV_CNI_E_FIELD = 2,       /* unsupported field */
	SRIOV_CNI_E_CONTAINER = 3,   /* container unknown or does not exist */
	SRIOV_CNI_E_ENV = 4,         /* invalid environment variables */
	SRIOV_CNI_E_IO = 5,          /* I/O failure */
	SRIOV_CNI_E_DECODE = 6,      /* failed to decode content */
	SRIOV_CNI_E_CONFIG = 7,      /* invalid network config */
	SRIOV_CNI_E_AGAIN = 11,      /* try again later */
	SRIOV_CNI_E_NOT_READY = 50,  /* STATUS: the plugin cannot work */
	SRIOV_CNI_E_DEVICE = 100,    /* not a VF this plugin can attach */
	SRIOV_CNI_E_BUSY = 101,      /* the VF is attached to another container */
	SRIOV_CNI_E_REFUSED = 102,   /* the PF's driver refused an attribute */
	SRIOV_CNI_E_NETLINK = 103,   /* moving or configuring the netdev failed */
	SRIOV_CNI_E_DRIFT = 104,     /* CHECK: the live state differs */
	SRIOV_CNI_E_IPAM = 105,      /* the IPAM plugin failed */
};

/* A network configuration (stdin), with sriov-cni's keys. */
struct sriov_cni_conf {
	char *cni_version;          /* "1.1.0" */
	char *name;
	char *type;
	char *device_id;            /* deviceID, else runtimeConfig's deviceID
				       or pciBusID; NULL when none */
	unsigned mask;              /* attributes given (1u << enum sriov_vf_attr) */
	struct sriov_vf_settings settings; /* what ADD sets through the PF */
	bool has_mac;               /* mac, or runtimeConfig.mac (which wins) */
	uint8_t mac[6];
	char *log_level;            /* "error", "warning", "info", "debug" */
	char *log_file;
	char *ipam_type;            /* ipam.type, NULL: no IPAM */
	char *prev_result;          /* prevResult as JSON text, or NULL */
	bool gc_given;              /* cni.dev/valid-attachments present */
	struct sriov_strv gc_valid; /* its entries, "CONTAINERID/IFNAME" */
};

/*
 * Parse @len bytes of @json (a network configuration). Unknown keys are
 * ignored, as the specification asks; each known one is checked for its
 * type and value with the VF-attribute table's parsers, with sriov-cni's
 * rules on top (vlanQoS and 802.1ad need a non-zero vlan; vlan 0, qos 0
 * and 802.1Q are sent when not given, as sriov-cni does). @err names the
 * key. Returns 0, -EBADMSG (not JSON: SRIOV_CNI_E_DECODE),
 * -EPROTONOSUPPORT (cniVersion, SRIOV_CNI_E_VERSION), -EINVAL (a bad key:
 * SRIOV_CNI_E_CONFIG), -E2BIG, -ENOMEM. Free with sriov_cni_conf_clear().
 */
int sriov_cni_conf_parse(const char *json, size_t len,
			 struct sriov_cni_conf *out, char *err, size_t errlen);
void sriov_cni_conf_clear(struct sriov_cni_conf *c);

/* Whether @v is a configuration version the plugin speaks (0.3.0..1.1.0). */
bool sriov_cni_version_ok(const char *v);

/* Whether @v is 1.1.0 or later: the result carries pciID and mtu. */
bool sriov_cni_version_11(const char *v);

/*
 * Whether @s is a container id as the specification restricts it (alnum
 * first, then alnum, '_', '.', '-'; at most 256) and so safe in a file
 * name; sriov_cni_ifname_ok() the same for an interface name.
 */
bool sriov_cni_container_id_ok(const char *s);
bool sriov_cni_ifname_ok(const char *s);

/* One attachment as the state directory keeps it. */
struct sriov_cni_state {
	char *container_id;
	char *ifname;               /* CNI_IFNAME */
	char *netns;                /* CNI_NETNS at ADD */
	char *network;              /* the configuration's name */
	char *cni_version;
	char *conf;                 /* the configuration ADD got, for IPAM DEL */
	char address[SRIOV_ADDR_MAX];   /* the VF */
	char pf[SRIOV_ADDR_MAX];
	unsigned vf;                /* its index */
	char *driver;               /* the VF's driver at ADD */
	char *host_ifname;          /* its netdev's host name; NULL: no netdev */
	bool moved;                 /* the netdev went into the netns */
	bool added;                 /* ADD finished (else it died half-way) */
	uint8_t host_mac[6];        /* the netdev's MAC before ADD */
	int host_mtu;               /* and its MTU, -1 unknown */
	struct sriov_vf_link orig;  /* the VF's attributes before ADD */
	unsigned mask;              /* the attributes ADD set */
	char *result;               /* the result JSON ADD printed */
};

/*
 * The JSON of @s (docs/cni.md), and back. Parsing checks every field's
 * type and the ids' form, with @err naming the field: -EBADMSG, -EINVAL,
 * -ENOMEM. Free with sriov_cni_state_clear() / free().
 */
int sriov_cni_state_format(const struct sriov_cni_state *s, char **out);
int sriov_cni_state_parse(const char *json, size_t len,
			  struct sriov_cni_state *out, char *err,
			  size_t errlen);
void sriov_cni_state_clear(struct sriov_cni_state *s);

/*
 * The error object of the specification: {"cniVersion", "code", "msg",
 * "details"} with @version (NULL: the plugin's). Returns a malloc'd string
 * or NULL.
 */
char *sriov_cni_error_json(const char *version, int code, const char *msg,
			   const char *details);

/*
 * The attachment ("CONTAINERID-IFNAME") holding VF @address by the owner
 * record in SRIOV_CNI_STATE_DIR under @ctx's root, for `sriovctl show`:
 * "" when none. Returns 0 or -errno (an unreadable record).
 */
int sriov_cni_vf_holder(struct sriov_ctx *ctx, const char *address,
			char *buf, size_t len);

/* The environment of one call (CNI_*), pointers into the caller's. */
struct sriov_cni_env {
	const char *command;
	const char *container_id;
	const char *netns;
	const char *ifname;
	const char *args;
	const char *path;
};

/* Where the plugin keeps its records and reads the host. */
struct sriov_cni_opts {
	const char *state_dir;      /* NULL: SRIOV_CNI_STATE_DIR */
	const char *root;           /* sysfs root, NULL: "/" (tests) */
	const char *changelog;      /* NULL: the default under the root */
	unsigned lock_timeout_ms;   /* per-VF lock wait */
};

/* What one call gives back to the runtime. */
struct sriov_cni_reply {
	char *out;                  /* stdout: the result or the error JSON,
				       NULL when the verb prints nothing */
	int code;                   /* 0, or the error code in @out */
	struct sriov_strv log;      /* "LEVEL text" lines for logFile */
	char *log_file;             /* the configuration's logFile, or NULL */
	char *log_level;            /* its logLevel, or NULL */
};

/*
 * Run verb @env->command on the configuration @conf (@len bytes). Always
 * fills @reply (free it with sriov_cni_reply_clear()); returns 0 or
 * -ENOMEM.
 */
int sriov_cni_run(const struct sriov_cni_env *env, const char *conf,
		  size_t len, const struct sriov_cni_opts *opts,
		  struct sriov_cni_reply *reply);
void sriov_cni_reply_clear(struct sriov_cni_reply *r);

#ifdef __cplusplus
}
#endif

#endif
