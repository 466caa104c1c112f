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

int pcidev_vf_modalias(struct rootfs *rfs, const struct sriov_pf *pf,
		       const char *vf_address, char *buf, size_t len)
{
	struct pcidev d;
	char *ma = NULL;
	int r = 0;

	if (vf_address && *vf_address &&
	    pcidev_open(rfs, vf_address, &d) == 0)
		r = pcidev_modalias(&d, &ma) == -ENOMEM ? -ENOMEM : 0;
	if (vf_address && *vf_address)
		pcidev_close(&d);
	if (ma && *ma && strlen(ma) < len)
		snprintf(buf, len, "%s", ma);
	else
		snprintf(buf, len, "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X",
			 pf->vendor_id, pf->vf_device_id,
			 pf->subsystem_vendor_id, pf->subsystem_device_id,
			 (pf->class_code >> 16) & 0xff,
			 (pf->class_code >> 8) & 0xff, pf->class_code & 0xff);
	free(ma);
	return r;
}

int pcidev_list(struct pcidev *d, const char *dir, struct sriov_strv *out)
{
	if (closed(d))
		return -EBADF;
	return rootfs_list(d->r.rfs, d->r.fd, dir, out);
}

int pcidev_token(struct pcidev *d, const char *rel, char **out)
{
	*out = NULL;
	if (closed(d))
		return -EBADF;
	return dev_read_token(&d->r, rel, out);
}

static int write_str(struct rootfs *rfs, int dirfd, const char *path,
		     const char *s)
{
	return rootfs_write(rfs, dirfd, path, s, strlen(s));
}

int pcidev_set_override(struct pcidev *d, const char *value)
{
	if (closed(d))
		return -EBADF;
	/* a lone newline clears it; the kernel reads it back as "(null)" */
	return write_str(d->r.rfs, d->r.fd, "driver_override",
			 value ? value : "\n");
}

/* sys/bus/pci/drivers/@driver/@file: the driver's own directory. */
static int driver_write(struct pcidev *d, const char *driver,
			const char *file)
{
	char path[160];

	if (closed(d))
		return -EBADF;
	if (!driver_name_valid(driver))
		return -EINVAL;
	snprintf(path, sizeof(path), "sys/bus/pci/drivers/%s/%s", driver,
		 file);
	return write_str(d->r.rfs, ROOTFS_TOP, path, d->address);
}

int pcidev_unbind(struct pcidev *d)
{
	char *drv = NULL;
	int r = pcidev_driver(d, &drv);

	if (r == 0 && !drv)
		r = -ENOENT;
	if (r == 0)
		r = driver_write(d, drv, "unbind");
	free(drv);
	return r;
}

int pcidev_bind(struct pcidev *d, const char *driver)
{
	return driver_write(d, driver, "bind");
}

int pcidev_probe(struct pcidev *d)
{
	if (closed(d))
		return -EBADF;
	return write_str(d->r.rfs, ROOTFS_TOP, "sys/bus/pci/drivers_probe",
			 d->address);
}

bool pci_driver_loaded(struct rootfs *rfs, const char *driver)
{
	char path[160];

	if (!driver_name_valid(driver))
		return false;
	snprintf(path, sizeof(path), "sys/bus/pci/drivers/%s", driver);
	return rootfs_exists(rfs, ROOTFS_TOP, path);
}
