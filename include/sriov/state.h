/* SPDX-License-Identifier: MIT */
/*
 * libsriov — the saved state of `sriovctl save` and `restore`.
 */
#ifndef SRIOV_STATE_H
#define SRIOV_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sriov/common.h"
#include "sriov/model.h"

#ifdef __cplusplus
extern "C" {
#endif

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

#ifdef __cplusplus
}
#endif

#endif
