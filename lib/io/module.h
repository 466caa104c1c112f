/* SPDX-License-Identifier: MIT */
/* Loading kernel modules of the running kernel, through libkmod. */
#ifndef SRIOV_IO_MODULE_H
#define SRIOV_IO_MODULE_H

#include <stddef.h>

/*
 * Load the module that provides @name (a module name or alias, e.g.
 * "vfio-pci") with its dependencies, as `modprobe NAME` does. @err says
 * what went wrong in words. Returns 0 (also when already loaded), -ENOENT
 * when no module of the running kernel provides @name, -EPERM when not
 * allowed (not root), or the kernel's -errno.
 */
int module_load(const char *name, char *err, size_t errlen);

#endif
