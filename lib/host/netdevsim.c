/* SPDX-License-Identifier: MIT */
#include "host/netdevsim.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/device.h"
#include "io/parse.h"
#include "util/strv.h"

#define NSIM_DEVICES "sys/bus/netdevsim/devices"

static int load_one(struct rootfs *rfs, const struct netmap *nm,
		    const char *name, struct sriov_pf *pf)
{
	char rel[512], buf[32];
	struct dev_reader d = { .rfs = rfs, .warnings = &pf->warnings };
	unsigned max;
	ssize_t n;
	int r;

	r = pf_init(rfs, pf, "netdevsim", NSIM_DEVICES, name);
	if (r < 0)
		return r;
	d.fd = rootfs_open_dir(rfs, ROOTFS_TOP, pf->sysfs_path);
	if (d.fd < 0)
		return strv_pushf(&pf->warnings, "device directory unreadable (%s)",
				  strerror(-d.fd));
	r = dev_read_link_name(&d, "driver", &pf->driver);
	if (r == 0 || r == -ENOENT)
		r = dev_read_netdevs(&d, nm, pf->sysfs_path + 1, &pf->netdevs,
				     &pf->n_netdevs);
	dev_read_uint(&d, "sriov_numvfs", 0xffff, &pf->num_vfs);
	close(d.fd);
	if (r == -ENOMEM)
		return r;
	/* The VF limit lives in debugfs (max_vfs); unknown without it. */
	snprintf(rel, sizeof(rel), "sys/kernel/debug/netdevsim/%s/max_vfs",
		 name);
	n = rootfs_read(rfs, ROOTFS_TOP, rel, buf, sizeof(buf));
	if (n > 0 && parse_uint(buf, (size_t)n, 0xffff, &max) == 0)
		pf->total_vfs = max;
	pf->vfs = calloc(pf->num_vfs ? pf->num_vfs : 1, sizeof(*pf->vfs));
	if (!pf->vfs)
		return -ENOMEM;
	for (unsigned i = 0; i < pf->num_vfs; i++) {
		pf->vfs[i].index = i;
		pf->vfs[i].iommu_group = -1;
		pf->vfs[i].mtu = -1;
	}
	pf->n_vfs = pf->num_vfs;
	return 0;
}

struct nsim_scan {
	struct rootfs *rfs;
	const char *only;
	struct sriov_strv names;
};

static int has_sriov(const char *name, void *data)
{
	struct nsim_scan *s = data;
	char rel[512];

	if (s->only && strcmp(name, s->only) != 0)
		return 0;
	snprintf(rel, sizeof(rel), NSIM_DEVICES "/%s/sriov_numvfs", name);
	if (!rootfs_exists(s->rfs, ROOTFS_TOP, rel))
		return 0;
	return strv_push(&s->names, name);
}

int netdevsim_load_pfs(struct rootfs *rfs, const struct netmap *nm,
		       const char *only, struct sriov_pf **pfs, size_t *n)
{
	struct nsim_scan s = { .rfs = rfs, .only = only };
	struct sriov_pf *v;
	int r;

	r = rootfs_foreach(rfs, ROOTFS_TOP, NSIM_DEVICES, has_sriov, &s);
	if (r == -ENOMEM) {
		sriov_strv_clear(&s.names);
		return r;
	}
	if (s.names.n == 0) {
		sriov_strv_clear(&s.names);
		return 0;
	}
	strv_sort(&s.names);
	v = realloc(*pfs, (*n + s.names.n) * sizeof(*v));
	if (!v) {
		sriov_strv_clear(&s.names);
		return -ENOMEM;
	}
	*pfs = v;
	for (size_t i = 0; i < s.names.n; i++) {
		memset(&v[*n], 0, sizeof(v[*n]));
		r = load_one(rfs, nm, s.names.v[i], &v[(*n)++]);
		if (r < 0)
			break;
	}
	sriov_strv_clear(&s.names);
	return r < 0 ? r : 0;
}
