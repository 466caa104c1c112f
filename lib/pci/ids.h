/* SPDX-License-Identifier: MIT */
/*
 * Vendor and device names from the system's PCI id database (pci.ids),
 * through libpci's name lookup; the database is loaded on first use.
 */
#ifndef SRIOV_PCI_IDS_H
#define SRIOV_PCI_IDS_H

#include <stdint.h>

struct pci_ids;

/* @path NULL: libpci's default (Debian: /usr/share/misc/pci.ids). */
int pci_ids_new(const char *path, struct pci_ids **out);
void pci_ids_free(struct pci_ids *ids);

/*
 * Name of vendor @vendor, or of device @device of @vendor when @device >= 0.
 * NULL when the database does not know it (or cannot be read).
 * Free the result with free().
 */
char *pci_ids_name(struct pci_ids *ids, uint16_t vendor, int device);

#endif
