/* SPDX-License-Identifier: MIT */
/*
 * The running kernel's modules as the root's /lib/modules/<release> lists
 * them (release from /proc/sys/kernel/osrelease): which modules exist and
 * which PCI devices they claim, matched as modprobe matches (fnmatch on
 * modules.alias). The text lists are read through the rooted layer;
 * libkmod reads only the binary indexes, by path, outside it.
 */
#ifndef SRIOV_HOST_MODULES_H
#define SRIOV_HOST_MODULES_H

#include <stdbool.h>
#include <stddef.h>

#include "io/root.h"

struct host_modules {
	char release[128];    /* "" when unknown */
	char *alias;          /* modules.alias text, NULL when unreadable */
	char *builtin;        /* modules.builtin */
	char *dep;            /* modules.dep */
};

/* Read the lists that exist; 0, or -ENOMEM. Clear with host_modules_clear. */
int host_modules_load(struct rootfs *rfs, struct host_modules *m);
void host_modules_clear(struct host_modules *m);

/*
 * The module of modules.alias text @alias whose pattern matches @modalias
 * (fnmatch, as modprobe does), into @module. Returns 0, or -ENOENT.
 */
int host_modalias_lookup(const char *alias, const char *modalias,
			 char *module, size_t len);

/*
 * Whether module @name ("vfio-pci" or "vfio_pci") is in modules.builtin or
 * modules.dep text @list (paths such as kernel/drivers/vfio/pci/vfio-pci.ko).
 */
bool host_module_listed(const char *list, const char *name);

/* Whether a module of that name exists: in modules.dep or modules.builtin. */
bool host_module_exists(const struct host_modules *m, const char *name);

/*
 * Whether module @name has a modules.alias pattern matching @modalias
 * ("pci:v…"; @prefix_alias "vfio_pci:" also tries that prefix, as vfio
 * variant drivers declare theirs). 1 yes, 0 no, -ENOENT no modules.alias.
 */
int host_module_claims(const struct host_modules *m, const char *name,
		       const char *modalias, bool vfio_variant);

/*
 * Generic drivers that take any PCI device named in its driver_override
 * (vfio-pci, pci-stub, uio_pci_generic): they have no id table to match.
 */
bool host_module_generic(const char *name);

/*
 * The known module closest to @name (at most 2 edits, a swap of two
 * neighbours counting as one; "vfio" one edit from "vfio_pci"), among
 * those of modules.dep and modules.builtin, into @out; "" when none. With
 * @modalias, only generic modules and those claiming it.
 */
void host_module_suggest(const struct host_modules *m, const char *name,
			 const char *modalias, char *out, size_t len);

#endif
