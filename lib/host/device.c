/* SPDX-License-Identifier: MIT */
#include "host/device.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/parse.h"
#include "util/strv.h"

/* Sysfs attributes are at most a page; the ones read here are tiny. */
#define ATTR_MAX 256

/* Printable excerpt of a bad value for a warning. */
static void excerpt(const char *buf, ssize_t len, char *out, size_t outsz)
{
	size_t j = 0;

	for (ssize_t i = 0; i < len && j + 5 < outsz; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c == '\n' && i == len - 1)
			break;
		if (c >= ' ' && c < 0x7f && c != '"' && c != '\\')
			out[j++] = (char)c;
		else
			j += (size_t)snprintf(out + j, outsz - j, "\\x%02x", c);
	}
	out[j] = '\0';
}

static void warn_errno(struct dev_reader *d, const char *attr, int err)
{
	strv_pushf(d->warnings, "%s: unreadable (%s)", attr, rootfs_strerror(err));
}

static void warn_value(struct dev_reader *d, const char *attr,
		       const char *what, const char *buf, ssize_t len)
{
	char ex[64];

	excerpt(buf, len, ex, sizeof(ex));
	strv_pushf(d->warnings, "%s: %s (\"%s\")", attr, what, ex);
}

/* Read @attr; warnings for errors other than absence. */
static ssize_t read_attr(struct dev_reader *d, const char *attr, char *buf)
{
	ssize_t n = rootfs_read(d->rfs, d->fd, attr, buf, ATTR_MAX);

	if (n == -ENOENT)
		return n;
	if (n < 0) {
		warn_errno(d, attr, (int)n);
		return n;
	}
	if (n == 0) {
		strv_pushf(d->warnings, "%s: empty", attr);
		return -ENODATA;
	}
	return n;
}

static int check(struct dev_reader *d, const char *attr, int r,
		 const char *buf, ssize_t n)
{
	if (r == -ERANGE)
		warn_value(d, attr, "out of range", buf, n);
	else if (r < 0)
		warn_value(d, attr, "not a number", buf, n);
	return r;
}

int dev_read_uint(struct dev_reader *d, const char *attr, unsigned max,
		  unsigned *out)
{
	char buf[ATTR_MAX];
	ssize_t n = read_attr(d, attr, buf);

	if (n < 0)
		return (int)n;
	return check(d, attr, parse_uint(buf, (size_t)n, max, out), buf, n);
}

int dev_read_int(struct dev_reader *d, const char *attr, int min, int max,
		 int *out)
{
	char buf[ATTR_MAX];
	ssize_t n = read_attr(d, attr, buf);

	if (n < 0)
		return (int)n;
	return check(d, attr, parse_int(buf, (size_t)n, min, max, out), buf,
		     n);
}

int dev_read_hex(struct dev_reader *d, const char *attr, bool prefixed,
		 uint32_t max, uint32_t *out)
{
	char buf[ATTR_MAX];
	ssize_t n = read_attr(d, attr, buf);
	int r;

	if (n < 0)
		return (int)n;
	r = prefixed ? parse_hex_prefixed(buf, (size_t)n, max, out)
		     : parse_hex(buf, (size_t)n, max, out);
	return check(d, attr, r, buf, n);
}

int dev_read_bool(struct dev_reader *d, const char *attr, bool *out)
{
	char buf[ATTR_MAX];
	ssize_t n = read_attr(d, attr, buf);
	int r;

	if (n < 0)
		return (int)n;
	r = parse_bool01(buf, (size_t)n, out);
	if (r < 0)
		warn_value(d, attr, "not 0 or 1", buf, n);
	return r;
}

int dev_read_token(struct dev_reader *d, const char *attr, char **out)
{
	char buf[ATTR_MAX], tok[ATTR_MAX];
	ssize_t n = read_attr(d, attr, buf);
	int r;

	if (n < 0)
		return (int)n;
	r = parse_token(buf, (size_t)n, tok, sizeof(tok));
	if (r < 0) {
		warn_value(d, attr, "not a single word", buf, n);
		return r;
	}
	if (!*tok) {
		*out = NULL;
		return 0;
	}
	*out = strdup(tok);
	return *out ? 0 : -ENOMEM;
}

int dev_read_line(struct dev_reader *d, const char *attr, char **out)
{
	char buf[ATTR_MAX];
	ssize_t n = read_attr(d, attr, buf);

	if (n < 0)
		return (int)n;
	if (buf[n - 1] == '\n')
		n--;
	for (ssize_t i = 0; i < n; i++)
		if ((unsigned char)buf[i] < ' ' || buf[i] == 0x7f) {
			warn_value(d, attr, "not text", buf, n);
			return -EINVAL;
		}
	*out = strndup(buf, (size_t)n);
	return *out ? 0 : -ENOMEM;
}

int dev_read_link(struct dev_reader *d, const char *attr, char *buf,
		  size_t size)
{
	ssize_t n = rootfs_readlink(d->rfs, d->fd, attr, buf, size);

	if (n == -ENOENT)
		return -ENOENT;
	if (n == -EINVAL) {
		strv_pushf(d->warnings, "%s: not a symlink", attr);
		return -EINVAL;
	}
	if (n < 0) {
		warn_errno(d, attr, (int)n);
		return (int)n;
	}
	return 0;
}

int dev_read_link_name(struct dev_reader *d, const char *attr, char **out)
{
	char target[4096];
	const char *base;
	size_t blen;
	int r;

	r = dev_read_link(d, attr, target, sizeof(target));
	if (r < 0)
		return r;
	if (parse_link_basename(target, strlen(target), &base, &blen) < 0) {
		warn_value(d, attr, "bad link target", target,
			   (ssize_t)strlen(target));
		return -EINVAL;
	}
	*out = strndup(base, blen);
	return *out ? 0 : -ENOMEM;
}

int dev_read_iommu_group(struct dev_reader *d, int *out)
{
	char *name = NULL;
	unsigned g;
	int r;

	r = dev_read_link_name(d, "iommu_group", &name);
	if (r < 0)
		return r;
	r = parse_uint(name, strlen(name), 0x7fffffff, &g);
	if (r < 0)
		warn_value(d, "iommu_group", "link to a non-numeric group",
			   name, (ssize_t)strlen(name));
	else
		*out = (int)g;
	free(name);
	return r;
}

void netdevs_free(struct sriov_netdev *nd, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(nd[i].name);
		free(nd[i].mac);
		free(nd[i].operstate);
	}
	free(nd);
}

/* net/<ifname>/<attr>, quietly: netdev attributes come and go with links. */
static ssize_t read_net_attr(struct dev_reader *d, const char *ifname,
			     const char *attr, char *buf)
{
	char path[512];
	size_t il = strlen(ifname), al = strlen(attr);

	/* the hot path of every VF: no printf */
	if (4 + il + 1 + al >= sizeof(path))
		return -ENAMETOOLONG;
	memcpy(path, "net/", 4);
	memcpy(path + 4, ifname, il);
	path[4 + il] = '/';
	memcpy(path + 5 + il, attr, al + 1);
	return rootfs_read(d->rfs, d->fd, path, buf, ATTR_MAX);
}

static char *read_mac(struct dev_reader *d, const char *ifname)
{
	static const char hex[] = "0123456789abcdef";
	char buf[ATTR_MAX], attr[300], s[18];
	uint8_t mac[6];
	ssize_t n = read_net_attr(d, ifname, "address", buf);

	if (n == -ENOENT)
		return NULL;
	if (n < 0 || parse_mac(buf, (size_t)n, mac) < 0) {
		snprintf(attr, sizeof(attr), "net/%s/address", ifname);
		if (n < 0)
			warn_errno(d, attr, (int)n);
		else
			warn_value(d, attr, "not a MAC address", buf, n);
		return NULL;
	}
	for (int i = 0; i < 6; i++) {
		s[i * 3] = hex[mac[i] >> 4];
		s[i * 3 + 1] = hex[mac[i] & 0xf];
		s[i * 3 + 2] = i < 5 ? ':' : '\0';
	}
	return strdup(s);
}

static int net_int(struct dev_reader *d, const char *ifname, const char *attr,
		   int min)
{
	char buf[ATTR_MAX];
	ssize_t n = read_net_attr(d, ifname, attr, buf);
	int v;

	/* speed reads fail with EINVAL while the link is down: unknown. */
	if (n <= 0 || parse_int(buf, (size_t)n, min, 0x7fffffff, &v) < 0)
		return -1;
	return v;
}

int dev_net_mtu(struct dev_reader *d, const char *ifname)
{
	return net_int(d, ifname, "mtu", 0);
}

int dev_net_up(struct dev_reader *d, const char *ifname)
{
	char buf[ATTR_MAX];
	ssize_t n = read_net_attr(d, ifname, "flags", buf);
	uint32_t v;

	/* "0x1003": IFF_UP is bit 0. */
	if (n <= 0 || parse_hex_prefixed(buf, (size_t)n, 0xffffffffu, &v) < 0)
		return -1;
	return v & 1u;
}

int dev_read_netdev_names(struct dev_reader *d, const struct netmap *nm,
			  const char *devpath, struct sriov_strv *names,
			  char **first_mac)
{
	int r;

	*first_mac = NULL;
	if (nm && nm->valid) {
		r = netmap_lookup(nm, devpath, names);
		if (r == 0 && names->n > 0)
			*first_mac = read_mac(d, names->v[0]);
		return r;
	}
	r = rootfs_list(d->rfs, d->fd, "net", names);
	if (r == -ENOENT || r == -ENOTDIR) {
		names->v = NULL;
		names->n = 0;
		return 0;
	}
	if (r < 0) {
		warn_errno(d, "net", r);
		return r;
	}
	if (names->n > 0)
		*first_mac = read_mac(d, names->v[0]);
	return 0;
}

int dev_read_netdevs(struct dev_reader *d, const struct netmap *nm,
		     const char *devpath, struct sriov_netdev **out, size_t *n)
{
	struct sriov_strv names = { 0 };
	struct sriov_netdev *nd;
	char *mac0;
	int r;

	*out = NULL;
	*n = 0;
	r = dev_read_netdev_names(d, nm, devpath, &names, &mac0);
	if (r < 0 || names.n == 0)
		return r;
	nd = calloc(names.n, sizeof(*nd));
	if (!nd) {
		free(mac0);
		sriov_strv_clear(&names);
		return -ENOMEM;
	}
	for (size_t i = 0; i < names.n; i++) {
		char buf[ATTR_MAX], tok[ATTR_MAX];
		ssize_t len;

		nd[i].name = names.v[i];
		names.v[i] = NULL;
		nd[i].mac = i == 0 ? mac0 : read_mac(d, nd[i].name);
		len = read_net_attr(d, nd[i].name, "operstate", buf);
		if (len > 0 &&
		    parse_token(buf, (size_t)len, tok, sizeof(tok)) == 0)
			nd[i].operstate = strdup(tok);
		nd[i].mtu = net_int(d, nd[i].name, "mtu", 0);
		nd[i].speed_mbps = net_int(d, nd[i].name, "speed", -1);
		nd[i].ifindex = net_int(d, nd[i].name, "ifindex", 0);
		nd[i].up = dev_net_up(d, nd[i].name);
	}
	*out = nd;
	*n = names.n;
	sriov_strv_clear(&names);
	return 0;
}

int pf_init(struct rootfs *rfs, struct sriov_pf *pf, const char *bus,
	    const char *bus_devices, const char *name)
{
	char rel[512], link[4096], path[4096];

	snprintf(pf->address, sizeof(pf->address), "%.*s",
		 (int)sizeof(pf->address) - 1, name);
	pf->bus = bus;
	pf->numa_node = -1;
	pf->iommu_group = -1;
	pf->revision = -1;
	pf->drivers_autoprobe = true;
	pf->config.pcie_type = SRIOV_PCIE_NONE;
	snprintf(rel, sizeof(rel), "%s/%s", bus_devices, name);
	if (rootfs_readlink(rfs, ROOTFS_TOP, rel, link, sizeof(link)) < 0 ||
	    rootfs_join(bus_devices, link, path, sizeof(path)) < 0)
		snprintf(path, sizeof(path), "%s", rel);
	return asprintf(&pf->sysfs_path, "/%s", path) < 0 ? -ENOMEM : 0;
}
