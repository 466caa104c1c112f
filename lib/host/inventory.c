/* SPDX-License-Identifier: MIT */
/*
 * The host inventory: every SR-IOV physical function on the PCI bus and
 * its virtual functions, read once from sysfs (and config space) under the
 * context's root. Devices are SR-IOV PFs when sriov_totalvfs exists
 * (drivers/pci/iov.c creates it for every device with the capability).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctx.h"
#include "host/device.h"
#include "host/iommu.h"
#include "host/netdevsim.h"
#include "host/netmap.h"
#include "io/parse.h"
#include "net/rtnl.h"
#include "pci/addr.h"
#include "pci/config.h"
#include "util/strv.h"

#define BUS_DEVICES "sys/bus/pci/devices"
#define PATH_MAX_LEN 4096

/* Bridges shared by sibling PFs are read once per load. */
struct bridge_cache {
	struct sriov_bridge *v;
	size_t n;
};

/*
 * Addresses of the VFs found so far: the bus lists a PF before its VFs
 * (their routing ids are higher), so a VF met later needs no probe.
 */
struct vf_seen {
	uint64_t *slots; /* open addressing; 0 is empty */
	size_t mask;     /* capacity - 1, a power of two minus one */
	size_t n;
};

struct loader {
	struct sriov_ctx *ctx;
	struct rootfs *rfs;
	unsigned flags;
	struct bridge_cache bridges;
	struct netmap netmap;
	struct vf_seen vfs;
};

static uint64_t vf_seen_key(const char *address)
{
	struct pci_addr a;

	if (pci_addr_parse(address, &a, NULL) < 0)
		return 0;
	return ((uint64_t)a.domain << 16 | pci_addr_rid(&a)) + 1;
}

static size_t vf_seen_slot(const struct vf_seen *s, uint64_t key)
{
	size_t i = (size_t)(key * 0x9e3779b97f4a7c15ull >> 20) & s->mask;

	while (s->slots[i] && s->slots[i] != key)
		i = (i + 1) & s->mask;
	return i;
}

static void vf_seen_add(struct vf_seen *s, const char *address)
{
	uint64_t key = vf_seen_key(address);
	size_t i;

	/* Full beyond half (only a garbage tree gets there): probe instead. */
	if (!s->slots || !key || 2 * (s->n + 1) > s->mask + 1)
		return;
	i = vf_seen_slot(s, key);
	if (!s->slots[i]) {
		s->slots[i] = key;
		s->n++;
	}
}

static int vf_seen_init(struct vf_seen *s, size_t devices)
{
	size_t cap = 64;

	while (cap < 2 * devices)
		cap *= 2;
	s->slots = calloc(cap, sizeof(*s->slots));
	s->mask = cap - 1;
	s->n = 0;
	return s->slots ? 0 : -ENOMEM;
}

static bool vf_seen_has(const struct vf_seen *s, const char *address)
{
	uint64_t key = vf_seen_key(address);

	return s->slots && key && s->slots[vf_seen_slot(s, key)] == key;
}

static void read_config(struct loader *L, int dirfd, struct sriov_config *cfg,
			bool *readable, struct sriov_strv *warnings)
{
	uint8_t buf[PCI_CFG_EXT_LEN];
	ssize_t n;

	n = rootfs_read_prefix(L->rfs, dirfd, "config", buf, sizeof(buf));
	if (n < 0) {
		*readable = false;
		if (n != -ENOENT && warnings)
			strv_pushf(warnings, "config: unreadable (%s)",
				   strerror((int)-n));
		memset(cfg, 0, sizeof(*cfg));
		cfg->pcie_type = SRIOV_PCIE_NONE;
		return;
	}
	*readable = true;
	pci_config_decode(buf, (size_t)n, cfg);
	/* The kernel serves 64 (128 cardbus) bytes unprivileged, else 256/4096. */
	if (warnings && n != 64 && n != 128 && n != 256 && n != 4096)
		strv_pushf(warnings,
			   "config: %zd bytes, not a size the kernel serves (cut short?)",
			   n);
	if (warnings && (cfg->looped || cfg->truncated))
		strv_pushf(warnings, "config: capability chain %s (%zd bytes read)",
			   cfg->looped ? "loops" : "runs past the end", n);
}

static const struct sriov_bridge *bridge_get(struct loader *L,
					     const char *path, const char *addr)
{
	struct sriov_bridge *v, *b;
	int fd;

	for (size_t i = 0; i < L->bridges.n; i++)
		if (strcmp(L->bridges.v[i].address, addr) == 0)
			return &L->bridges.v[i];
	v = realloc(L->bridges.v, (L->bridges.n + 1) * sizeof(*v));
	if (!v)
		return NULL;
	L->bridges.v = v;
	b = &v[L->bridges.n++];
	memset(b, 0, sizeof(*b));
	snprintf(b->address, sizeof(b->address), "%.*s",
		 (int)sizeof(b->address) - 1, addr);
	b->config.pcie_type = SRIOV_PCIE_NONE;
	fd = rootfs_open_dir(L->rfs, ROOTFS_TOP, path);
	if (fd >= 0) {
		read_config(L, fd, &b->config, &b->config_readable, NULL);
		close(fd);
	}
	return b;
}

/*
 * The bridges above a device are the PCI-addressed components of its
 * canonical path: sys/devices/pci0000:00/0000:00:02.0/0000:3b:00.0.
 */
static int load_upstream(struct loader *L, struct sriov_pf *pf)
{
	char path[PATH_MAX_LEN];
	const char *p = pf->sysfs_path + 1; /* skip the leading '/' */
	size_t count = 0;

	for (const char *s = p; (s = strchr(s, '/')); s++)
		count++;
	pf->upstream = calloc(count ? count : 1, sizeof(*pf->upstream));
	if (!pf->upstream)
		return -ENOMEM;
	for (const char *s = p; *s;) {
		const char *end = strchrnul(s, '/');
		char comp[64];
		struct pci_addr a;
		bool full;
		const struct sriov_bridge *b;

		if (!*end)
			break; /* the PF itself */
		if ((size_t)(end - s) < sizeof(comp)) {
			memcpy(comp, s, (size_t)(end - s));
			comp[end - s] = '\0';
			if (pci_addr_parse(comp, &a, &full) == 0 && full) {
				snprintf(path, sizeof(path), "%.*s",
					 (int)(end - p), p);
				b = bridge_get(L, path, comp);
				if (!b)
					return -ENOMEM;
				pf->upstream[pf->n_upstream++] = *b;
			}
		}
		s = end + 1;
	}
	return 0;
}

static void vf_free(struct sriov_vf *vf)
{
	free(vf->driver);
	free(vf->driver_override);
	free(vf->mac);
	sriov_strv_clear(&vf->netdevs);
	sriov_strv_clear(&vf->warnings);
}

static void pf_free(struct sriov_pf *pf)
{
	free(pf->sysfs_path);
	free(pf->vendor_name);
	free(pf->device_name);
	free(pf->vf_device_name);
	free(pf->driver);
	free(pf->driver_override);
	free(pf->local_cpulist);
	netdevs_free(pf->netdevs, pf->n_netdevs);
	for (size_t i = 0; i < pf->n_vfs; i++)
		vf_free(&pf->vfs[i]);
	free(pf->vfs);
	free(pf->upstream);
	sriov_strv_clear(&pf->warnings);
}

void sriov_host_free(struct sriov_host *host)
{
	if (!host)
		return;
	for (size_t i = 0; i < host->n_pfs; i++)
		pf_free(&host->pfs[i]);
	free(host->pfs);
	for (size_t i = 0; i < host->n_groups; i++)
		iommu_group_free(host->groups[i]);
	free(host->groups);
	free(host->root);
	free(host->cmdline);
	sriov_strv_clear(&host->warnings);
	free(host);
}

/* Read one VF through the PF's virtfnN link. */
/* The directory holding the PF (and, usually, its VFs); -1 if none. */
static int open_parent(struct loader *L, const struct sriov_pf *pf)
{
	char dir[PATH_MAX_LEN];
	char *slash;

	snprintf(dir, sizeof(dir), "%s", pf->sysfs_path + 1);
	slash = strrchr(dir, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	return rootfs_open_dir(L->rfs, ROOTFS_TOP, dir);
}

static int load_vf(struct loader *L, struct sriov_pf *pf, int pffd,
		   int parentfd, bool arith_known, struct sriov_vf *vf)
{
	char link[64], target[PATH_MAX_LEN], path[PATH_MAX_LEN];
	struct dev_reader d = { .rfs = L->rfs, .warnings = &vf->warnings };
	struct dev_reader pd = { .rfs = L->rfs, .fd = pffd,
				 .warnings = &vf->warnings };
	const char *base;
	struct pci_addr a, pfa, want;
	size_t blen;
	char *physfn = NULL;
	int r;

	vf->iommu_group = -1;
	vf->mtu = -1;
	snprintf(link, sizeof(link), "virtfn%u", vf->index);
	r = dev_read_link(&pd, link, target, sizeof(target));
	if (r < 0)
		return r == -ENOMEM ? r : 0;
	if (parse_link_basename(target, strlen(target), &base, &blen) < 0 ||
	    blen >= sizeof(vf->address)) {
		return strv_pushf(&vf->warnings, "%s: bad link target \"%s\"",
				  link, target);
	}
	memcpy(vf->address, base, blen);
	vf->address[blen] = '\0';
	vf_seen_add(&L->vfs, vf->address);
	if (pci_addr_parse(vf->address, &a, NULL) < 0) {
		strv_pushf(&vf->warnings, "%s: link target \"%s\" is not a PCI address",
			   link, target);
		vf->address[0] = '\0';
		return 0;
	}
	/* Cross-check drivers/pci/iov.c's routing-id arithmetic. */
	if (arith_known && pci_addr_parse(pf->address, &pfa, NULL) == 0 &&
	    pci_vf_addr(&pfa, pf->vf_offset, pf->vf_stride, vf->index,
			&want) == 0 &&
	    pci_addr_cmp(&a, &want) != 0) {
		char w[SRIOV_ADDR_MAX];

		strv_pushf(&vf->warnings,
			   "%s: at %s, but offset %u and stride %u place it at %s",
			   link, vf->address, pf->vf_offset, pf->vf_stride,
			   pci_addr_format(&want, w, sizeof(w)));
	}
	r = rootfs_join(pf->sysfs_path + 1, target, path, sizeof(path));
	/* a sibling of the PF ("../0000:3b:02.0"): one step from its parent */
	if (r == 0 && parentfd >= 0 && strncmp(target, "../", 3) == 0 &&
	    !strchr(target + 3, '/') && target[3] && target[3] != '.')
		d.fd = rootfs_open_dir(L->rfs, parentfd, target + 3);
	else if (r == 0)
		d.fd = rootfs_open_dir(L->rfs, ROOTFS_TOP, path);
	if (r < 0 || d.fd < 0)
		return strv_pushf(&vf->warnings, "%s: link points nowhere (%s)",
				  link, target);

	r = dev_read_link_name(&d, "driver", &vf->driver);
	if (L->flags & SRIOV_LOAD_VF_DRIVER_ONLY)
		goto out;
	if (r == 0 || r == -ENOENT)
		r = dev_read_token(&d, "driver_override", &vf->driver_override);
	if (r == -ENOMEM)
		goto out;
	if (dev_read_iommu_group(&d, &vf->iommu_group) == -ENOMEM)
		goto out;
	/* the PF's node, as the kernel gives a VF; its own file where readable */
	vf->numa_node = pf->numa_node;
	dev_read_int(&d, "numa_node", -1, 0xffff, &vf->numa_node);
	r = dev_read_link_name(&d, "physfn", &physfn);
	if (r == 0 && strcmp(physfn, pf->address) != 0)
		strv_pushf(&vf->warnings, "physfn: points to %s, not to %s",
			   physfn, pf->address);
	else if (r == -ENOENT)
		strv_pushf(&vf->warnings, "physfn: missing");
	free(physfn);
	r = dev_read_netdev_names(&d, &L->netmap, path, &vf->netdevs,
				  &vf->mac);
	if (r == 0 && vf->netdevs.n > 0) {
		vf->netdev = vf->netdevs.v[0];
		if (!(L->flags & SRIOV_LOAD_NO_VF_MTU))
			vf->mtu = dev_net_mtu(&d, vf->netdev);
	}
out:
	close(d.fd);
	return r == -ENOMEM ? r : 0;
}

static int cmp_uint(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

struct indices {
	unsigned *v;
	size_t n, cap;
};

static int collect_virtfn(const char *name, void *data)
{
	struct indices *ix = data;
	unsigned i;

	if (strncmp(name, "virtfn", 6) != 0 ||
	    parse_uint(name + 6, strlen(name + 6), 0xffff, &i) < 0)
		return 0;
	if (ix->n == ix->cap) {
		size_t cap = ix->cap ? ix->cap * 2 : 64;
		unsigned *v = realloc(ix->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		ix->v = v;
		ix->cap = cap;
	}
	ix->v[ix->n++] = i;
	return 0;
}

/* The virtfnN links present, in index order: what the kernel created. */
static int vf_indices(struct loader *L, struct sriov_pf *pf, int fd,
		      unsigned **out, size_t *n)
{
	struct indices ix = { 0 };
	int r;

	*out = NULL;
	*n = 0;
	r = rootfs_foreach(L->rfs, fd, ".", collect_virtfn, &ix);
	if (r < 0) {
		free(ix.v);
		if (r == -ENOMEM)
			return r;
		return strv_pushf(&pf->warnings, "directory unreadable (%s)",
				  strerror(-r));
	}
	if (ix.n)
		qsort(ix.v, ix.n, sizeof(*ix.v), cmp_uint);
	*out = ix.v;
	*n = ix.n;
	return 0;
}

static void lookup_names(struct sriov_ctx *ctx, struct sriov_pf *pf)
{
	struct pci_ids *ids;

	/* netdevsim has no PCI ids: do not load the database for it. */
	if (pf->vendor_name || (pf->bus && strcmp(pf->bus, "pci") != 0))
		return;
	ids = ctx_ids(ctx);
	if (!ids)
		return;
	pf->vendor_name = pci_ids_name(ids, pf->vendor_id, -1);
	pf->device_name = pci_ids_name(ids, pf->vendor_id, pf->device_id);
	pf->vf_device_name = pci_ids_name(ids, pf->vendor_id,
					  pf->vf_device_id);
}

/* A name database that could not be read is one host warning. */
static int note_names(struct sriov_ctx *ctx, struct sriov_host *host)
{
	const char *w = pci_ids_warning(ctx->ids);

	if (!w || strv_find(&host->warnings, w) >= 0)
		return 0;
	return strv_push(&host->warnings, w);
}

/* Compare the SR-IOV capability with what sysfs says; note differences. */
static void cross_check(struct sriov_pf *pf, bool have_offset)
{
	const struct sriov_cap_sriov *c = &pf->config.sriov;

	if (!pf->config_readable || pf->config.len < PCI_CFG_EXT_LEN)
		return; /* unprivileged readers see 64 bytes: nothing to check */
	if (!c->present) {
		strv_pushf(&pf->warnings,
			   "config: no SR-IOV capability, though sysfs has sriov_totalvfs");
		return;
	}
	if (pf->total_vfs > c->total_vfs)
		strv_pushf(&pf->warnings,
			   "sriov_totalvfs: %u exceeds the capability's TotalVFs %u",
			   pf->total_vfs, c->total_vfs);
	if (pf->num_vfs != c->num_vfs)
		strv_pushf(&pf->warnings,
			   "sriov_numvfs: %u, but the capability's NumVFs is %u",
			   pf->num_vfs, c->num_vfs);
	if (!!(c->ctrl & SRIOV_CTRL_VFE) != (pf->num_vfs > 0))
		strv_pushf(&pf->warnings,
			   "config: VF Enable is %s with %u VFs",
			   c->ctrl & SRIOV_CTRL_VFE ? "set" : "clear",
			   pf->num_vfs);
	if (have_offset && (pf->vf_offset != c->first_vf_offset ||
			    pf->vf_stride != c->vf_stride))
		strv_pushf(&pf->warnings,
			   "sriov_offset/stride: %u/%u, but the capability says %u/%u",
			   pf->vf_offset, pf->vf_stride, c->first_vf_offset,
			   c->vf_stride);
	if (pf->vf_device_id && pf->vf_device_id != c->vf_device_id)
		strv_pushf(&pf->warnings,
			   "sriov_vf_device: %04x, but the capability says %04x",
			   pf->vf_device_id, c->vf_device_id);
}

static int load_pf(struct loader *L, const char *name, struct sriov_pf *pf)
{
	struct dev_reader d = { .rfs = L->rfs, .warnings = &pf->warnings };
	unsigned *idx = NULL;
	size_t n_idx = 0;
	uint32_t v;
	bool have_offset = true;
	int parentfd = -1, r;

	r = pf_init(L->rfs, pf, "pci", BUS_DEVICES, name);
	if (r < 0)
		return r;
	d.fd = rootfs_open_dir(L->rfs, ROOTFS_TOP, pf->sysfs_path);
	if (d.fd < 0)
		return strv_pushf(&pf->warnings, "device directory unreadable (%s)",
				  strerror(-d.fd));

	if (dev_read_hex(&d, "vendor", true, 0xffff, &v) == 0)
		pf->vendor_id = (uint16_t)v;
	if (dev_read_hex(&d, "device", true, 0xffff, &v) == 0)
		pf->device_id = (uint16_t)v;
	if (dev_read_hex(&d, "subsystem_vendor", true, 0xffff, &v) == 0)
		pf->subsystem_vendor_id = (uint16_t)v;
	if (dev_read_hex(&d, "subsystem_device", true, 0xffff, &v) == 0)
		pf->subsystem_device_id = (uint16_t)v;
	if (dev_read_hex(&d, "class", true, 0xffffff, &v) == 0)
		pf->class_code = v;
	if (dev_read_hex(&d, "revision", true, 0xff, &v) == 0)
		pf->revision = (int)v;
	dev_read_int(&d, "numa_node", -1, 0xffff, &pf->numa_node);
	r = dev_read_line(&d, "local_cpulist", &pf->local_cpulist);
	if (r == -ENOMEM)
		goto out;
	r = dev_read_link_name(&d, "driver", &pf->driver);
	if (r == -ENOMEM)
		goto out;
	r = dev_read_token(&d, "driver_override", &pf->driver_override);
	if (r == -ENOMEM)
		goto out;
	dev_read_iommu_group(&d, &pf->iommu_group);

	if (dev_read_uint(&d, "sriov_totalvfs", 0xffff, &pf->total_vfs) == -ENOENT)
		strv_pushf(&pf->warnings, "sriov_totalvfs: vanished");
	dev_read_uint(&d, "sriov_numvfs", 0xffff, &pf->num_vfs);
	if (dev_read_uint(&d, "sriov_offset", 0xffff, &pf->vf_offset) < 0)
		have_offset = false;
	if (dev_read_uint(&d, "sriov_stride", 0xffff, &pf->vf_stride) < 0)
		have_offset = false;
	if (dev_read_hex(&d, "sriov_vf_device", false, 0xffff, &v) == 0)
		pf->vf_device_id = (uint16_t)v;
	dev_read_bool(&d, "sriov_drivers_autoprobe", &pf->drivers_autoprobe);

	r = dev_read_netdevs(&d, &L->netmap, pf->sysfs_path + 1, &pf->netdevs,
			     &pf->n_netdevs);
	if (r == -ENOMEM)
		goto out;

	if (!(L->flags & SRIOV_LOAD_NO_CONFIG)) {
		read_config(L, d.fd, &pf->config, &pf->config_readable,
			    &pf->warnings);
		/* sriov_vf_device is missing before Linux 5.8: use config. */
		if (!pf->vf_device_id && pf->config.sriov.present)
			pf->vf_device_id = pf->config.sriov.vf_device_id;
		cross_check(pf, have_offset);
		r = load_upstream(L, pf);
		if (r < 0)
			goto out;
	}
	if (!(L->flags & SRIOV_LOAD_NO_NAMES))
		lookup_names(L->ctx, pf);

	r = vf_indices(L, pf, d.fd, &idx, &n_idx);
	if (r < 0)
		goto out;
	if (n_idx != pf->num_vfs)
		strv_pushf(&pf->warnings,
			   "sriov_numvfs is %u but %zu virtfn links exist",
			   pf->num_vfs, n_idx);
	pf->vfs = calloc(n_idx ? n_idx : 1, sizeof(*pf->vfs));
	if (!pf->vfs) {
		r = -ENOMEM;
		goto out;
	}
	if (n_idx)
		parentfd = open_parent(L, pf);
	for (size_t i = 0; i < n_idx; i++) {
		pf->vfs[i].index = idx[i];
		pf->n_vfs++;
		r = load_vf(L, pf, d.fd, parentfd, have_offset, &pf->vfs[i]);
		if (r < 0)
			goto out;
	}
	r = 0;
out:
	if (parentfd >= 0)
		close(parentfd);
	free(idx);
	close(d.fd);
	return r;
}

/* PCI first, by address; then other buses, by bus and device name. */
static int cmp_pf(const void *a, const void *b)
{
	const struct sriov_pf *x = a, *y = b;
	struct pci_addr pa, pb;
	bool xp = strcmp(x->bus, "pci") == 0, yp = strcmp(y->bus, "pci") == 0;

	if (xp != yp)
		return xp ? -1 : 1;
	if (!xp && strcmp(x->bus, y->bus) != 0)
		return strcmp(x->bus, y->bus);
	if (pci_addr_parse(x->address, &pa, NULL) == 0 &&
	    pci_addr_parse(y->address, &pb, NULL) == 0)
		return pci_addr_cmp(&pa, &pb);
	return strcmp(x->address, y->address);
}

/* A device is a PF when sriov_totalvfs exists; VFs answer ENOENT at once. */
static bool is_pf(struct loader *L, const char *name)
{
	char rel[PATH_MAX_LEN];

	snprintf(rel, sizeof(rel), BUS_DEVICES "/%s/sriov_totalvfs", name);
	return rootfs_exists(L->rfs, ROOTFS_TOP, rel);
}

static void read_cmdline(struct loader *L, struct sriov_host *host)
{
	char buf[4096];
	ssize_t n = rootfs_read_prefix(L->rfs, ROOTFS_TOP, "proc/cmdline", buf,
				       sizeof(buf) - 1);

	if (n < 0)
		return;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\0'))
		n--;
	host->cmdline = strndup(buf, (size_t)n);
}

/* Attach each PF netdev's rtnetlink VF list to the PF's VFs, by index. */
static int attach_vf_links(struct sriov_pf *pf, const struct rtnl_vf_links *l)
{
	const struct vflink_dev *dev = NULL;

	for (size_t i = 0; i < pf->n_netdevs && !dev; i++)
		dev = rtnl_vf_links_find(l, pf->netdevs[i].name);
	if (!pf->n_netdevs)
		return 0;
	if (!dev) {
		pf->vf_links = SRIOV_VF_LINKS_NONE;
		return 0;
	}
	pf->vf_links_reported = dev->num_vf;
	pf->vf_links = vflink_truncated(dev) ? SRIOV_VF_LINKS_TRUNCATED
					     : SRIOV_VF_LINKS_OK;
	for (size_t i = 0; i < dev->n_vfs; i++)
		for (size_t j = 0; j < pf->n_vfs; j++)
			if (pf->vfs[j].index == dev->vfs[i].index) {
				pf->vfs[j].link = dev->vfs[i].link;
				pf->vfs[j].stats = dev->vfs[i].stats;
				break;
			}
	if (pf->vf_links != SRIOV_VF_LINKS_TRUNCATED)
		return 0;
	/*
	 * The VF list's 16-bit nest length overflowed: the VFs it did not
	 * reach keep what sysfs knows (their own netdev's MAC, if any).
	 */
	for (size_t j = 0; j < pf->n_vfs; j++) {
		struct sriov_vf_link *lk = &pf->vfs[j].link;

		if (lk->present)
			continue;
		lk->source = SRIOV_VF_LINK_SRC_SYSFS;
		lk->spoofchk = lk->trust = lk->query_rss = lk->link_state = -1;
		if (pf->vfs[j].mac)
			snprintf(lk->mac, sizeof(lk->mac), "%s", pf->vfs[j].mac);
	}
	if (strv_pushf(&pf->warnings,
		       "the kernel truncated the VF list of %s at %zu of %u VFs; VF link attributes beyond vf%zu come from sysfs",
		       dev->ifname, dev->n_vfs, dev->num_vf,
		       dev->n_vfs ? dev->n_vfs - 1 : 0) < 0)
		return -ENOMEM;
	return 0;
}

/*
 * The VF lists: of every link, or (@one) of the one PF's netdevs only, one
 * request each, as `ip link show dev X` asks.
 */
static int load_vf_links(struct sriov_host *host, bool stats, bool one)
{
	struct rtnl_vf_links links;
	const char *names[8];
	size_t n = 0;
	int r;

	for (size_t i = 0; one && i < host->pfs[0].n_netdevs && n < 8; i++)
		names[n++] = host->pfs[0].netdevs[i].name;
	r = one && host->pfs[0].n_netdevs <= 8
		    ? rtnl_get_vf_links(stats, names, n, &links)
		    : rtnl_dump_vf_links(stats, &links);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return strv_pushf(&host->warnings,
				  "rtnetlink: cannot list the links' VFs (%s); VF attributes are unknown",
				  strerror(-r));
	for (size_t i = 0; i < host->n_pfs && r == 0; i++)
		r = attach_vf_links(&host->pfs[i], &links);
	rtnl_vf_links_free(&links);
	return r;
}

/* Where a PF is: on the PCI bus or netdevsim's, by its device name. */
struct pf_where {
	bool pci;
	char name[256];
};

static int host_load(struct sriov_ctx *ctx, unsigned flags,
		     const struct pf_where *only, struct sriov_host **out)
{
	struct loader L = { .ctx = ctx, .rfs = ctx->rfs, .flags = flags };
	struct sriov_strv devs = { 0 };
	struct sriov_host *host;
	int r;

	host = calloc(1, sizeof(*host));
	if (!host)
		return -ENOMEM;
	host->root = strdup(rootfs_path(ctx->rfs));
	if (!host->root) {
		r = -ENOMEM;
		goto fail;
	}
	read_cmdline(&L, host);
	host->iommu_groups = iommu_count_groups(ctx->rfs);
	host->iommu_enabled = host->iommu_groups > 0;

	if (!only)
		r = rootfs_list(ctx->rfs, ROOTFS_TOP, BUS_DEVICES, &devs);
	else
		r = only->pci ? strv_push(&devs, only->name) : 0;
	if (r < 0)
		goto fail;
	host->pfs = calloc(devs.n ? devs.n : 1, sizeof(*host->pfs));
	if (!host->pfs) {
		r = -ENOMEM;
		goto fail;
	}
	/*
	 * The map pays one readlink per interface to spare each VF a listing
	 * of its net/; when VFs' netdevs are not read, the PFs list theirs.
	 */
	r = flags & SRIOV_LOAD_VF_DRIVER_ONLY ? 0
					      : netmap_load(ctx->rfs, &L.netmap);
	if (r == 0)
		r = vf_seen_init(&L.vfs, devs.n);
	if (r < 0)
		goto fail;
	for (size_t i = 0; i < devs.n; i++) {
		if (vf_seen_has(&L.vfs, devs.v[i]) || !is_pf(&L, devs.v[i]))
			continue;
		r = load_pf(&L, devs.v[i], &host->pfs[host->n_pfs++]);
		if (r < 0)
			goto fail;
	}
	if (!only || !only->pci)
		r = netdevsim_load_pfs(ctx->rfs, &L.netmap,
				       only ? only->name : NULL, &host->pfs,
				       &host->n_pfs);
	if (r < 0)
		goto fail;
	qsort(host->pfs, host->n_pfs, sizeof(*host->pfs), cmp_pf);
	if (!(flags & SRIOV_LOAD_NO_NAMES))
		r = note_names(ctx, host);
	if (r == 0 && ctx->netlink && host->n_pfs)
		r = load_vf_links(host, flags & SRIOV_LOAD_STATS,
				  only && host->n_pfs == 1);
fail:
	sriov_strv_clear(&devs);
	free(L.bridges.v);
	free(L.vfs.slots);
	netmap_free(&L.netmap);
	if (r < 0)
		sriov_host_free(host);
	else
		*out = host;
	return r;
}

int sriov_host_load(struct sriov_ctx *ctx, unsigned flags,
		    struct sriov_host **out)
{
	return host_load(ctx, flags, NULL, out);
}

/* The last component of symbolic link @rel, into @buf. 0 or -errno. */
static int link_base(struct rootfs *rfs, const char *rel, char *buf,
		     size_t size)
{
	char target[PATH_MAX_LEN];
	const char *base;
	size_t blen;
	ssize_t n = rootfs_readlink(rfs, ROOTFS_TOP, rel, target,
				    sizeof(target));

	if (n < 0)
		return (int)n;
	if (parse_link_basename(target, (size_t)n, &base, &blen) < 0 ||
	    blen >= size)
		return -EINVAL;
	memcpy(buf, base, blen);
	buf[blen] = '\0';
	return 0;
}

/* The PCI PF of device @addr: itself, or its physfn for a VF. */
static int where_pci(struct loader *L, const char *addr, struct pf_where *w)
{
	char rel[PATH_MAX_LEN];

	w->pci = true;
	snprintf(rel, sizeof(rel), BUS_DEVICES "/%s/physfn", addr);
	if (link_base(L->rfs, rel, w->name, sizeof(w->name)) < 0)
		snprintf(w->name, sizeof(w->name), "%s", addr);
	/* a PF with a physfn of its own is for the full inventory to judge */
	snprintf(rel, sizeof(rel), BUS_DEVICES "/%s/physfn", w->name);
	if (!is_pf(L, w->name) || rootfs_exists(L->rfs, ROOTFS_TOP, rel))
		return -ENOENT;
	return 0;
}

struct short_match {
	struct pci_addr want;
	char found[SRIOV_ADDR_MAX];
	unsigned n;
};

static int match_short(const char *name, void *data)
{
	struct short_match *m = data;
	struct pci_addr a;

	if (pci_addr_parse(name, &a, NULL) < 0)
		return 0;
	a.domain = m->want.domain;
	if (pci_addr_cmp(&a, &m->want) == 0 && m->n++ == 0)
		snprintf(m->found, sizeof(m->found), "%s", name);
	return 0;
}

/* A netdevsim device by name, when it has SR-IOV. */
static bool where_nsim(struct loader *L, const char *dev, struct pf_where *w)
{
	char rel[PATH_MAX_LEN];

	snprintf(rel, sizeof(rel), "sys/bus/netdevsim/devices/%s/sriov_numvfs",
		 dev);
	if (!rootfs_exists(L->rfs, ROOTFS_TOP, rel))
		return false;
	w->pci = false;
	snprintf(w->name, sizeof(w->name), "%s", dev);
	return true;
}

/*
 * The PF that @name (sriov_host_resolve()'s names) is or holds the VF of,
 * from a few reads: -ENOENT when they do not tell (a short address in
 * several domains, no such device), for the full inventory to say why.
 */
static int locate_pf(struct loader *L, const char *name, struct pf_where *w)
{
	char base[256], rel[PATH_MAX_LEN], dev[256], target[PATH_MAX_LEN];
	const char *dbase;
	struct pci_addr a;
	bool has_domain;
	size_t len = strcspn(name, "/"), tlen, dlen;

	if (len == 0 || len >= sizeof(base))
		return -ENOENT;
	memcpy(base, name, len);
	base[len] = '\0';
	if (pci_addr_parse(base, &a, &has_domain) == 0 && !has_domain) {
		struct short_match m = { .want = a };

		if (rootfs_foreach(L->rfs, ROOTFS_TOP, BUS_DEVICES, match_short,
				   &m) < 0 || m.n != 1)
			return -ENOENT;
		return where_pci(L, m.found, w);
	}
	if (pci_addr_parse(base, &a, NULL) == 0 ||
	    pci_addr_parse_nodedev(base, &a) == 0) {
		char addr[SRIOV_ADDR_MAX];

		return where_pci(L, pci_addr_format(&a, addr, sizeof(addr)), w);
	}
	/* a name to join into a path: no "..", no '/' (other names: full) */
	if (!parse_token_ok(base, sizeof(base) - 1))
		return -ENOENT;
	if (where_nsim(L, base, w))
		return 0;
	/* a netdev: its device (…/<device>/net/<name>, as netmap reads it) */
	snprintf(rel, sizeof(rel), "sys/class/net/%s", base);
	if (rootfs_readlink(L->rfs, ROOTFS_TOP, rel, target, sizeof(target)) < 0)
		return -ENOENT;
	tlen = strlen(target);
	if (tlen <= len + 5 || strcmp(target + tlen - len, base) != 0 ||
	    strncmp(target + tlen - len - 5, "/net/", 5) != 0)
		return -ENOENT;
	target[tlen - len - 5] = '\0';
	if (parse_link_basename(target, tlen - len - 5, &dbase, &dlen) < 0 ||
	    dlen >= sizeof(dev))
		return -ENOENT;
	memcpy(dev, dbase, dlen);
	dev[dlen] = '\0';
	snprintf(rel, sizeof(rel), BUS_DEVICES "/%s", dev);
	if (rootfs_exists(L->rfs, ROOTFS_TOP, rel))
		return where_pci(L, dev, w);
	return where_nsim(L, dev, w) ? 0 : -ENOENT;
}

int sriov_host_load_device(struct sriov_ctx *ctx, unsigned flags,
			   const char *name, struct sriov_host **out)
{
	struct loader L = { .ctx = ctx, .rfs = ctx->rfs, .flags = flags };
	struct pf_where w;
	int r;

	/* a root without a PCI bus is for the full inventory to refuse */
	if (!name || !rootfs_exists(L.rfs, ROOTFS_TOP, BUS_DEVICES))
		return -ENOENT;
	r = locate_pf(&L, name, &w);
	if (r < 0)
		return r;
	return host_load(ctx, flags, &w, out);
}

int sriov_host_load_names(struct sriov_ctx *ctx, struct sriov_host *host,
			  const struct sriov_pf *only)
{
	for (size_t i = 0; i < host->n_pfs; i++)
		if (!only || only == &host->pfs[i])
			lookup_names(ctx, &host->pfs[i]);
	return note_names(ctx, host);
}

/* Group @id as read once per host; NULL when none or unreadable. */
static int host_group(struct sriov_ctx *ctx, struct sriov_host *host, int id,
		      const struct sriov_iommu_group **out)
{
	struct sriov_iommu_group **v, *g;
	int r;

	*out = NULL;
	if (id < 0)
		return 0;
	for (size_t i = 0; i < host->n_groups; i++)
		if (host->groups[i]->id == id) {
			*out = host->groups[i];
			return 0;
		}
	r = iommu_group_read(ctx->rfs, id, &g);
	if (r < 0)
		return r == -ENOMEM ? r : 0;
	v = realloc(host->groups, (host->n_groups + 1) * sizeof(*v));
	if (!v) {
		iommu_group_free(g);
		return -ENOMEM;
	}
	host->groups = v;
	host->groups[host->n_groups++] = g;
	*out = g;
	return 0;
}

int sriov_host_load_groups(struct sriov_ctx *ctx, struct sriov_host *host,
			   const struct sriov_pf *only)
{
	int r = 0;

	for (size_t i = 0; i < host->n_pfs && r == 0; i++) {
		struct sriov_pf *pf = &host->pfs[i];

		if (only && only != pf)
			continue;
		r = host_group(ctx, host, pf->iommu_group, &pf->group);
		for (size_t k = 0; k < pf->n_vfs && r == 0; k++)
			r = host_group(ctx, host, pf->vfs[k].iommu_group,
				       &pf->vfs[k].group);
	}
	return r;
}
