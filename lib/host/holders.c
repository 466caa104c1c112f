/* SPDX-License-Identifier: MIT */
#include "host/holders.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "io/parse.h"

#define IFF_UP_FLAG 0x1u

/* A device file to look for in /proc/PID/fd, and the VF it belongs to. */
struct target {
	char path[64];
	const struct sriov_vf *vf;
};

struct scan {
	struct rootfs *rfs;
	struct target *t;
	size_t nt;
	struct sriov_holders *out;
	const char *pid;
	int err;
};

static int push(struct sriov_holders *h, const struct sriov_vf *vf, int kind,
		int pid, const char *comm, const char *what)
{
	struct sriov_holder *v = realloc(h->v, (h->n + 1) * sizeof(*v));

	if (!v)
		return -ENOMEM;
	h->v = v;
	v = &h->v[h->n++];
	memset(v, 0, sizeof(*v));
	v->vf_index = vf->index;
	snprintf(v->vf_address, sizeof(v->vf_address), "%s", vf->address);
	v->kind = kind;
	v->pid = pid;
	snprintf(v->comm, sizeof(v->comm), "%s", comm ? comm : "");
	snprintf(v->what, sizeof(v->what), "%s", what);
	return 0;
}

bool holders_net_driver(unsigned class_code, const char *driver)
{
	static const char *const stubs[] = { "vfio-pci", "pci-stub",
					     "uio_pci_generic", "igb_uio" };

	if (!driver || (class_code >> 16) != 0x02)
		return false;
	for (size_t i = 0; i < sizeof(stubs) / sizeof(stubs[0]); i++)
		if (strcmp(driver, stubs[i]) == 0)
			return false;
	/* vendor vfio variants: mlx5_vfio_pci, hisi_acc_vfio_pci... */
	return strstr(driver, "vfio") == NULL;
}

static int scan_fd(const char *name, void *data)
{
	struct scan *s = data;
	char rel[128], target[256], comm[64];
	ssize_t n;

	snprintf(rel, sizeof(rel), "proc/%s/fd/%s", s->pid, name);
	if (rootfs_readlink(s->rfs, ROOTFS_TOP, rel, target, sizeof(target)) < 0)
		return 0;
	for (size_t i = 0; i < s->nt; i++) {
		if (strcmp(target, s->t[i].path) != 0)
			continue;
		snprintf(rel, sizeof(rel), "proc/%s/comm", s->pid);
		n = rootfs_read_prefix(s->rfs, ROOTFS_TOP, rel, comm,
				       sizeof(comm) - 1);
		if (n < 0)
			n = snprintf(comm, sizeof(comm), "?");
		comm[n] = '\0';
		comm[strcspn(comm, "\n")] = '\0';
		s->err = push(s->out, s->t[i].vf, SRIOV_HOLDER_VFIO,
			      atoi(s->pid), comm, target);
		/* one entry per process and VF, however many fds it has */
		s->t[i].path[0] = '\0';
		if (s->err)
			return s->err;
	}
	return 0;
}

static int scan_pid(const char *name, void *data)
{
	struct scan *s = data;
	struct target saved[64];
	char rel[64];
	int r;

	if (name[strspn(name, "0123456789")] != '\0')
		return 0;
	memcpy(saved, s->t, s->nt * sizeof(*saved));
	s->pid = name;
	snprintf(rel, sizeof(rel), "proc/%s/fd", name);
	r = rootfs_foreach(s->rfs, ROOTFS_TOP, rel, scan_fd, s);
	memcpy(s->t, saved, s->nt * sizeof(*saved));
	/* a process that exited or that we may not look at: skip it */
	return r == -ENOMEM || s->err ? -ENOMEM : 0;
}

static int read_hex_attr(struct rootfs *rfs, const char *rel, unsigned *out)
{
	char buf[32];
	uint32_t v;
	ssize_t n = rootfs_read(rfs, ROOTFS_TOP, rel, buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	if (parse_hex_prefixed(buf, (size_t)n, 0xffffffffu, &v) < 0)
		return -EINVAL;
	*out = v;
	return 0;
}

static int netdev_holders(struct rootfs *rfs, const struct sriov_vf *vf,
			  struct sriov_holders *out)
{
	char rel[160], master[256];
	unsigned flags = 0, cls = 0;
	const char *base;
	size_t blen;
	int r;

	for (size_t k = 0; k < vf->netdevs.n; k++) {
		const char *nd = vf->netdevs.v[k];

		snprintf(rel, sizeof(rel), "sys/class/net/%s/flags", nd);
		if (read_hex_attr(rfs, rel, &flags) == 0 &&
		    (flags & IFF_UP_FLAG)) {
			r = push(out, vf, SRIOV_HOLDER_NETDEV_UP, 0, NULL, nd);
			if (r)
				return r;
		}
		snprintf(rel, sizeof(rel), "sys/class/net/%s/master", nd);
		if (rootfs_readlink(rfs, ROOTFS_TOP, rel, master,
				    sizeof(master)) >= 0 &&
		    parse_link_basename(master, strlen(master), &base,
					&blen) == 0) {
			char what[96];

			snprintf(what, sizeof(what), "%s master %.*s", nd,
				 (int)blen, base);
			r = push(out, vf, SRIOV_HOLDER_ENSLAVED, 0, NULL, what);
			if (r)
				return r;
		}
	}
	if (vf->netdevs.n > 0 || !vf->address[0])
		return 0;
	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/class", vf->address);
	if (read_hex_attr(rfs, rel, &cls) == 0 &&
	    holders_net_driver(cls, vf->driver))
		return push(out, vf, SRIOV_HOLDER_NETNS, 0, NULL, vf->driver);
	return 0;
}

static int cmp_holder(const void *a, const void *b)
{
	const struct sriov_holder *x = a, *y = b;

	if (x->vf_index != y->vf_index)
		return x->vf_index < y->vf_index ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* The vfio character device of the VF (iommufd cdev), when it has one. */
static int first_entry(const char *name, void *data)
{
	snprintf(data, 32, "%s", name);
	return 1;
}

int sriov_vf_holders(struct sriov_ctx *ctx, const struct sriov_pf *pf,
		     unsigned from, struct sriov_holders *out)
{
	struct target t[64];
	struct scan s = { .rfs = ctx->rfs, .t = t, .out = out };
	int r;

	out->v = NULL;
	out->n = 0;
	for (size_t i = 0; i < pf->n_vfs; i++) {
		const struct sriov_vf *vf = &pf->vfs[i];
		char rel[128], cdev[32];

		if (vf->index < from || !vf->address[0])
			continue;
		r = netdev_holders(ctx->rfs, vf, out);
		if (r)
			goto fail;
		if (vf->iommu_group >= 0 && s.nt < 64) {
			snprintf(t[s.nt].path, sizeof(t[s.nt].path),
				 "/dev/vfio/%d", vf->iommu_group);
			t[s.nt++].vf = vf;
		}
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/vfio-dev",
			 vf->address);
		if (s.nt < 64 &&
		    rootfs_foreach(ctx->rfs, ROOTFS_TOP, rel, first_entry,
				   cdev) == 1) {
			snprintf(t[s.nt].path, sizeof(t[s.nt].path),
				 "/dev/vfio/devices/%s", cdev);
			t[s.nt++].vf = vf;
		}
	}
	if (s.nt > 0) {
		r = rootfs_foreach(ctx->rfs, ROOTFS_TOP, "proc", scan_pid, &s);
		if (r == -ENOMEM)
			goto fail;
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_holder);
	return 0;
fail:
	sriov_holders_clear(out);
	return -ENOMEM;
}

void sriov_holders_clear(struct sriov_holders *h)
{
	if (!h)
		return;
	free(h->v);
	h->v = NULL;
	h->n = 0;
}

void sriov_holder_describe(const struct sriov_holder *h, char *buf,
			   size_t len)
{
	switch (h->kind) {
	case SRIOV_HOLDER_VFIO:
		snprintf(buf, len, "%s (vf%u): %s open by pid %d (%s)",
			 h->vf_address, h->vf_index, h->what, h->pid, h->comm);
		break;
	case SRIOV_HOLDER_NETDEV_UP:
		snprintf(buf, len, "%s (vf%u): netdev %s is up",
			 h->vf_address, h->vf_index, h->what);
		break;
	case SRIOV_HOLDER_ENSLAVED:
		snprintf(buf, len, "%s (vf%u): netdev %s (enslaved)",
			 h->vf_address, h->vf_index, h->what);
		break;
	default:
		snprintf(buf, len, "%s (vf%u): bound to %s but its netdev is not in this network namespace",
			 h->vf_address, h->vf_index, h->what);
		break;
	}
}
