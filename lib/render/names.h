/* SPDX-License-Identifier: MIT */
/* Names shared by the text and JSON renderers. */
#ifndef SRIOV_RENDER_NAMES_H
#define SRIOV_RENDER_NAMES_H

#include <stddef.h>
#include <stdint.h>

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

#endif
