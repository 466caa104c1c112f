/* SPDX-License-Identifier: MIT */
/* The CNI plugin's parts inside the library (sriov/cni.h is the API). */
#ifndef SRIOV_LIB_CNI_H
#define SRIOV_LIB_CNI_H

#include <stddef.h>

#include "sriov.h"

struct mnl_socket;

/* One call in progress: what every verb needs. */
struct cni_job {
	const struct sriov_cni_env *env;
	const struct sriov_cni_opts *opts;
	const char *conf_text;
	size_t conf_len;
	struct sriov_cni_conf conf;
	struct sriov_cni_reply *reply;
	const char *state_dir;
	const char *version;        /* for the reply */
};

/* Put the error @code with a formatted message into the reply. Returns -1. */
int cni_fail(struct cni_job *j, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Append "LEVEL text" to the reply's log. */
void cni_log(struct cni_job *j, const char *level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The verbs that touch VFs (lib/cni/attach.c). Return 0 or -1 (failed). */
int cni_add(struct cni_job *j);
int cni_del(struct cni_job *j);
int cni_check(struct cni_job *j);
int cni_gc(struct cni_job *j);

/*
 * Run IPAM plugin @type (found in CNI_PATH @path) with @command and the
 * configuration on stdin, for attachment @cid/@netns/@ifname. *out gets
 * its stdout (malloc'd, NUL-ended) when it succeeded. Returns 0, or
 * -errno with @err saying what failed (the plugin's own "msg" when it
 * printed an error object).
 */
int cni_ipam_exec(const char *path, const char *type, const char *command,
		  const char *cid, const char *netns, const char *ifname,
		  const char *conf, size_t len, char **out, char *err,
		  size_t errlen);

/*
 * The addresses and routes of IPAM result @ipam (JSON) on link @ifindex
 * of the namespace of @nl. Returns 0 or -errno with @err.
 */
int cni_ipam_configure(struct mnl_socket *nl, int ifindex, const char *ipam,
		       char *err, size_t errlen);

/*
 * The ADD result of spec version @version: one interface @ifname (with
 * @mac when non-NULL, @sandbox, and for 1.1.0 @pci and @mtu > 0), and
 * the ips, routes and dns of @ipam (JSON, or NULL). NULL on failure.
 */
char *cni_result_json(const char *version, const char *ifname,
		      const uint8_t *mac, int mtu, const char *sandbox,
		      const char *pci, const char *ipam);

#endif
