/* SPDX-License-Identifier: MIT */
#include "host/pcidev.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/parse.h"
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

/*
 * A device that did not open has no directory: its fd must never reach
 * the rooted layer, where -1 is ROOTFS_TOP, the root itself.
 */
static bool closed(const struct pcidev *d)
{
	return d->r.fd < 0;
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
	int r;

	*out = NULL;
	if (closed(d))
		return -EBADF;
	r = dev_read_link_name(&d->r, "driver", out);

	if (r == -ENOENT) {
		*out = NULL;
		return 0;
	}
	return r;
}

int pcidev_override(struct pcidev *d, char **out)
{
	int r;

	*out = NULL;
	if (closed(d))
		return -EBADF;
	r = dev_read_token(&d->r, "driver_override", out);

	if (r < 0)
		*out = NULL;
	return r == -ENOENT ? 0 : r;
}

int pcidev_class(struct pcidev *d, uint32_t *out)
{
	if (closed(d))
		return -EBADF;
	return dev_read_hex(&d->r, "class", true, 0xffffff, out);
}

unsigned pcidev_numvfs(struct pcidev *d)
{
	unsigned v;

	if (closed(d))
		return 0;
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
	if (closed(d))
		return -EBADF;
	return dev_read_line(&d->r, "modalias", out);
}

int pcidev_iommu_group(struct pcidev *d)
{
	int g;

	if (closed(d))
		return -1;
	return dev_read_iommu_group(&d->r, &g) == 0 ? g : -1;
}

int pcidev_vendor(struct pcidev *d, uint32_t *out)
{
	if (closed(d))
		return -EBADF;
	return dev_read_hex(&d->r, "vendor", true, 0xffff, out);
}

bool pcidev_has(struct pcidev *d, const char *name)
{
	int fd;

	if (closed(d))
		return false;
	/* the name itself: a link (physfn -> ../PF) leads above the device */
	fd = rootfs_open(d->r.rfs, d->r.fd, name, O_PATH | O_NOFOLLOW);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

ssize_t pcidev_config(struct pcidev *d, uint8_t *buf, size_t size)
{
	if (closed(d))
		return -EBADF;
	return rootfs_read_prefix(d->r.rfs, d->r.fd, "config", buf, size);
}

static int first_name(const char *name, void *data)
{
	char **out = data;

	*out = strdup(name);
	return *out ? 1 : -ENOMEM;
}

int pcidev_netdev(struct pcidev *d, char **out)
{
	int r;

	*out = NULL;
	if (closed(d))
		return -EBADF;
	r = rootfs_foreach(d->r.rfs, d->r.fd, "net", first_name, out);
	if (r == -ENOMEM)
		return r;
	return r < 0 && r != -ENOENT ? r : 0;
}

int pcidev_virtfn(struct pcidev *d, unsigned index, char *buf, size_t size)
{
	char link[32], target[512];
	const char *base;
	size_t blen;
	int r;

	if (closed(d))
		return -EBADF;
	snprintf(link, sizeof(link), "virtfn%u", index);
	r = dev_read_link(&d->r, link, target, sizeof(target));
	if (r < 0)
		return r;
	if (parse_link_basename(target, strlen(target), &base, &blen) < 0 ||
	    blen >= size)
		return -EINVAL;
	memcpy(buf, base, blen);
	buf[blen] = '\0';
	return 0;
}
