/* SPDX-License-Identifier: MIT */
/*
 * Vendor and device names from the system's PCI id database (pci.ids),
 * through libpci's name lookup; the database is loaded on first use. A
 * database that cannot be read whole (truncated, garbage, a directory)
 * gives no names at all and a warning, never an exit.
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

/*
 * After a lookup: why the database gives no names ("pci.ids: Parse error
 * at FILE, line N: device names are not shown"), or NULL when it loaded,
 * or when the default one is simply not installed.
 */
const char *pci_ids_warning(const struct pci_ids *ids);

#endif
