/* SPDX-License-Identifier: MIT */
/* PCI addresses: parsing, formatting, and SR-IOV routing-id arithmetic. */
#ifndef SRIOV_PCI_ADDR_H
#define SRIOV_PCI_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pci_addr {
	uint32_t domain; /* 16 bits normally, up to 0x1ffff for VMD */
	uint8_t bus;
	uint8_t dev;     /* 0..31 */
	uint8_t fn;      /* 0..7 */
};

/*
 * Parse "DDDD:BB:SS.F" (full) or "BB:SS.F" (short; *has_domain false and
 * domain 0). Hex digits, either case. Returns 0 or -EINVAL.
 */
int pci_addr_parse(const char *s, struct pci_addr *out, bool *has_domain);

/*
 * Parse libvirt's node device name of a PCI device, "pci_DDDD_BB_SS_F"
 * (virsh nodedev-list; domain 4 or 5 hex digits, as libvirt prints it).
 * Returns 0 or -EINVAL.
 */
int pci_addr_parse_nodedev(const char *s, struct pci_addr *out);

/* "pci_0000_3b_00_0" into @buf (>= 20 bytes). Returns @buf. */
char *pci_addr_format_nodedev(const struct pci_addr *a, char *buf, size_t len);

/* Canonical "0000:3b:00.0" into @buf (>= 16 bytes). Returns @buf. */
char *pci_addr_format(const struct pci_addr *a, char *buf, size_t len);

/* Routing id (bus << 8 | devfn) and back. */
uint16_t pci_addr_rid(const struct pci_addr *a);
void pci_addr_from_rid(uint32_t domain, uint16_t rid, struct pci_addr *out);

/*
 * The address of VF @index of @pf given First VF Offset and VF Stride, as
 * drivers/pci/iov.c computes it (pci_iov_virtfn_bus/devfn). Returns 0, or
 * -ERANGE when the routing id overflows bus 255.
 */
int pci_vf_addr(const struct pci_addr *pf, unsigned offset, unsigned stride,
		unsigned index, struct pci_addr *out);

/* Total order for sorting (domain, bus, dev, fn). */
int pci_addr_cmp(const struct pci_addr *a, const struct pci_addr *b);

#endif
