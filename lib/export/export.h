/* SPDX-License-Identifier: MIT */
/*
 * What the generators of `sriovctl export` get: the VFs resolved, checked
 * and with the values of the output decided (export.c); each format's
 * file only writes them out.
 */
#ifndef SRIOV_LIB_EXPORT_H
#define SRIOV_LIB_EXPORT_H

#include <stddef.h>

#include "pci/addr.h"
#include "sriov.h"

struct export_vf {
	const struct sriov_pf *pf;
	const struct sriov_vf *vf;
	struct pci_addr addr;
	char mac[18];          /* "aa:bb:cc:dd:ee:ff" for the guest; "": none */
	unsigned vlan;         /* 802.1Q VLAN id, 0: none */
};

struct export_job {
	int format;            /* enum sriov_export_format */
	const char *name;      /* libvirt-network */
	const char *pf_dev;    /* libvirt-network: <pf dev=...>, else NULL */
	const struct export_vf *vfs;
	size_t n_vfs;
};

/*
 * The libvirt formats (libvirt.c): the XML text of @job in *text (malloc'd,
 * NUL-terminated, *len bytes). Returns 0, -ENOMEM or -EIO (the writer failed).
 */
int export_libvirt(const struct export_job *job, char **text, size_t *len);

#endif
