/* SPDX-License-Identifier: MIT */
/*
 * PCI configuration space: a loop-guarded walk of the standard and extended
 * capability chains, and decoders for the capabilities sriovctl uses
 * (PCI Express, SR-IOV 0x0010, ACS 0x000d, ARI 0x000e, AER 0x0001).
 *
 * Input is the bytes read from a device's sysfs "config" file: 64 bytes for
 * unprivileged readers, 256 for conventional PCI, 4096 for PCIe. Nothing
 * here does I/O; every function is safe on any byte string of any length.
 */
#ifndef SRIOV_PCI_CONFIG_H
#define SRIOV_PCI_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "sriov.h"

#define PCI_CFG_STD_LEN 256
#define PCI_CFG_EXT_LEN 4096

/* Extended capability ids (PCIe base spec, 7.6 / 7.9). */
#define PCI_ECAP_AER   0x0001
#define PCI_ECAP_ACS   0x000d
#define PCI_ECAP_ARI   0x000e
#define PCI_ECAP_SRIOV 0x0010

/* Standard capability ids. */
#define PCI_CAP_EXP 0x10

/* One capability found by a walk. */
struct pcicfg_cap {
	uint16_t id;
	uint16_t pos;
	uint8_t version;  /* extended capabilities only */
	uint8_t extended; /* 1 for the 0x100+ chain */
};

/* Why a walk stopped early (a bit set in struct pci_cap_walk.flags). */
#define PCI_WALK_TRUNCATED 0x1 /* a pointer or header lay past @len */
#define PCI_WALK_LOOPED    0x2 /* a pointer revisited an offset */
#define PCI_WALK_BADPTR    0x4 /* a pointer into the header or misaligned */
#define PCI_WALK_FULL      0x8 /* caps[] filled up; later entries not recorded */

/*
 * Bytes of each capability that pci_config_decode() reads or requires: a
 * capability found at pos is only reported when pos + size <= len.
 */
#define PCI_CAP_EXP_SIZEOF     0x04 /* up to and including the flags word */
#define PCI_ECAP_SRIOV_SIZEOF  0x40
#define PCI_ECAP_ACS_SIZEOF    0x08 /* without the Egress Control Vector */
#define PCI_ECAP_ARI_SIZEOF    0x08
#define PCI_ECAP_AER_SIZEOF    0x2c /* the part every function implements */

struct pci_cap_walk {
	struct pcicfg_cap caps[96]; /* at most 48 standard + 48 shown extended */
	size_t n;
	unsigned flags;
};

/*
 * Walk both capability chains of @cfg (@len bytes). Standard capabilities
 * only when the Status register says there is a list; extended ones only
 * when @len > 256. Entries with capability id 0 (masked by a hypervisor) are
 * recorded and followed, as lspci does. Never reads outside @cfg[0..len).
 */
void pci_cap_walk(const uint8_t *cfg, size_t len, struct pci_cap_walk *out);

/* Offset of the first capability @id in the walk, 0 if absent. */
uint16_t pci_cap_find(const struct pci_cap_walk *w, uint16_t id, int extended);

/*
 * Decode everything sriovctl uses into @out (see sriov.h struct
 * sriov_config): PCIe port type, SR-IOV, ACS, ARI, AER, truncation/loop.
 * A capability cut short by @len is reported absent and out->truncated set.
 */
void pci_config_decode(const uint8_t *cfg, size_t len,
		       struct sriov_config *out);

/* "root-port", "endpoint", … for enum sriov_pcie_type; "none" for -1. */
const char *pci_pcie_type_name(int type);

#endif
