/* SPDX-License-Identifier: MIT */
/*
 * libsriov — match: which devices of this host a consumer's own selector
 * takes (nova's device_spec, the SR-IOV device plugin's selectors), and
 * for every PF and VF it does not take, the field that failed and why.
 */
#ifndef SRIOV_MATCH_H
#define SRIOV_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sriov/common.h"
#include "sriov/context.h"
#include "sriov/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The consumers whose selectors match evaluates (lib/match/match.c). */
enum sriov_match_format {
	SRIOV_MATCH_NOVA,               /* nova.conf [pci] device_spec */
	SRIOV_MATCH_K8S_DEVICE_PLUGIN,  /* the device plugin's selectors */
	SRIOV_MATCH_K8S_SRIOV_OPERATOR, /* a SriovNetworkNodePolicy's nicSelector */
	SRIOV_MATCH__COUNT
};

/* "nova" -> SRIOV_MATCH_*, or -EINVAL. */
int sriov_match_format_parse(const char *name);
/* The name of @format ("k8s-device-plugin"), NULL when out of range. */
const char *sriov_match_format_name(int format);
/* One line: what SPEC is for @format; NULL when out of range. */
const char *sriov_match_format_summary(int format);

/* Input limits: the spec's bytes, its entries (specs, pools), JSON depth. */
#define SRIOV_MATCH_SPEC_MAX  (256u * 1024u)
#define SRIOV_MATCH_LIST_MAX  256u
#define SRIOV_MATCH_DEPTH_MAX 16

/* What one spec (a device_spec, a resource pool) made of one device. */
struct sriov_match_check {
	bool taken;
	char *field;    /* the field that failed ("vendor_id", "pfNames");
			   NULL when taken */
	char *reason;   /* why it failed, or how it was taken */
};

/* A PF or VF of the host, in the order of the inventory. */
struct sriov_match_device {
	char address[SRIOV_ADDR_MAX];
	const struct sriov_pf *pf;  /* the PF itself, or the VF's PF */
	const struct sriov_vf *vf;  /* NULL for a PF */
	char vendor_id[5];          /* "8086" as the consumer reads it */
	char device_id[5];
	/* why the consumer does not consider the device at all (the device
	 * plugin: no driver, a PF with VFs, the default route's NIC); NULL
	 * when every spec was tried */
	char *excluded;
	int taken_by;               /* the first spec that takes it, -1: none */
	struct sriov_match_check *checks;  /* n_specs entries; NULL if excluded */
};

struct sriov_match_result {
	int format;                 /* enum sriov_match_format */
	char **spec_names;          /* n_specs labels: "0" (nova), the pool's
				       resourceName (device plugin) */
	size_t n_specs;
	struct sriov_match_device *devices;
	size_t n_devices;
	size_t n_taken;
};

/*
 * Evaluate @spec (@len bytes of JSON, in @format's own syntax) against
 * every PF and VF of @host, read through @ctx as the consumer reads the
 * host. Returns 0 with *out set (free with sriov_match_free()), or with
 * *out NULL and @err saying what and where: -EINVAL (a format unknown, a
 * spec that does not parse — "at byte N" — or that the consumer refuses),
 * -E2BIG (past SRIOV_MATCH_SPEC_MAX bytes or SRIOV_MATCH_LIST_MAX
 * entries), -EOPNOTSUPP (a selector sriovctl does not evaluate), -ENOMEM.
 */
int sriov_match_run(struct sriov_ctx *ctx, const struct sriov_host *host,
		    int format, const char *spec, size_t len,
		    struct sriov_match_result **out, char *err, size_t errlen);
void sriov_match_free(struct sriov_match_result *res);

/*
 * The result as a table (device, taken by, or the failing field and why),
 * every string escaped; as JSON (sriovctl.match/v1, docs/match-schema.md).
 * Return 0, -ENOMEM or -EIO.
 */
int sriov_match_render_text(const struct sriov_match_result *res, FILE *out);
int sriov_match_render_json(const struct sriov_match_result *res, bool pretty,
			    FILE *out);

#ifdef __cplusplus
}
#endif
#endif /* SRIOV_MATCH_H */
