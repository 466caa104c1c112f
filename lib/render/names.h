/* SPDX-License-Identifier: MIT */
/* Names shared by the text and JSON renderers. */
#ifndef SRIOV_RENDER_NAMES_H
#define SRIOV_RENDER_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "sriov.h"

/* ACS bits in register order, with lspci's abbreviations. */
struct acs_bit {
	uint16_t bit;
	const char *name;
};
extern const struct acs_bit acs_bits[7];

/* The ACS features whose absence on the path breaks IOMMU isolation. */
#define ACS_ISOLATION_BITS 0x001d /* SV | RR | CR | UF */

/* The driver of a VF for display and counting: "none" when unbound. */
const char *vf_driver_label(const char *driver);

struct vf_driver_count {
	const char *driver; /* vf_driver_label(); points into the model */
	size_t count;
};

/*
 * How many VFs of @pf each driver holds, in first-seen order (VFs are
 * usually bound in index order). Empty for a PF whose VFs are no devices
 * (netdevsim). *out is malloc'd (free()); 0 or -ENOMEM.
 */
int vf_driver_counts(const struct sriov_pf *pf, struct vf_driver_count **out,
		     size_t *n);

#endif
