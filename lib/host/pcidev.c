/* SPDX-License-Identifier: MIT */
#include "host/pcidev.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pci/addr.h"
#include "util/strv.h"

int pcidev_open(struct rootfs *rfs, const char *address, struct pcidev *d)
{
	char path[64];
	struct pci_addr a;

	memset(d, 0, sizeof(*d));
	d->r.rfs = rfs;
	d->r.fd = -1;
	d->r.warnings = &d->warnings;
	if (!address || pci_addr_parse(address, &a, NULL) < 0)
		return -EINVAL;
	snprintf(d->address, sizeof(d->address), "%s", address);
	snprintf(path, sizeof(path), "sys/bus/pci/devices/%s", address);
	d->r.fd = rootfs_open_dir(rfs, ROOTFS_TOP, path);
	return d->r.fd < 0 ? d->r.fd : 0;
}

void pcidev_close(struct pcidev *d)
{
	if (d->r.fd >= 0)
		close(d->r.fd);
	d->r.fd = -1;
	sriov_strv_clear(&d->warnings);
}

int pcidev_driver(struct pcidev *d, char **out)
{
	int r = dev_read_link_name(&d->r, "driver", out);

	if (r == -ENOENT) {
		*out = NULL;
		return 0;
	}
	return r;
}

int pcidev_override(struct pcidev *d, char **out)
{
	int r = dev_read_token(&d->r, "driver_override", out);

	if (r < 0)
		*out = NULL;
	return r == -ENOENT ? 0 : r;
}

int pcidev_class(struct pcidev *d, uint32_t *out)
{
	return dev_read_hex(&d->r, "class", true, 0xffffff, out);
}

unsigned pcidev_numvfs(struct pcidev *d)
{
	unsigned v;

	return dev_read_uint(&d->r, "sriov_numvfs", 0xffff, &v) == 0 ? v : 0;
}

bool pcidev_is_bridge(struct pcidev *d)
{
	uint32_t cls;

	return pcidev_class(d, &cls) == 0 && cls >> 8 == 0x0604;
}

int pcidev_modalias(struct pcidev *d, char **out)
{
	*out = NULL;
	return dev_read_line(&d->r, "modalias", out);
}

int pcidev_iommu_group(struct pcidev *d)
{
	int g;

	return dev_read_iommu_group(&d->r, &g) == 0 ? g : -1;
}
