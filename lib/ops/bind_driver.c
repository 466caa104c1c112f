/* SPDX-License-Identifier: MIT */
/*
 * Whether the driver of `vf VFS bind DRIVER` can take the VFs, checked in
 * the plan so that a dry run refuses what the real run would: a driver
 * that is neither loaded nor a module of the running kernel (a typo), or
 * one that does not claim the VF's device id as the kernel matches it
 * (modules.alias, written from the driver's id table).
 */
#include "ops/bind.h"
#include "util/errbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "host/iommu.h"
#include "host/modules.h"
#include "host/pcidev.h"

static bool probes(const struct sriov_bind_plan *p, const char *addr)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].address, addr) == 0)
			return p->v[i].probe;
	return false;
}

/*
 * The module behind loaded driver @driver ("" when built in), from its
 * module link; @driver itself when not loaded.
 */
static void module_of(struct sriov_ctx *ctx, const char *driver, bool loaded,
		      char *out, size_t len)
{
	char path[160], target[512];
	const char *base;

	snprintf(out, len, "%s", driver);
	if (!loaded)
		return;
	snprintf(path, sizeof(path), "sys/bus/pci/drivers/%s/module", driver);
	if (rootfs_readlink(ctx->rfs, ROOTFS_TOP, path, target,
			    sizeof(target)) < 0) {
		out[0] = '\0';
		return;
	}
	base = strrchr(target, '/');
	snprintf(out, len, "%.*s", (int)(len - 1), base ? base + 1 : target);
}

static int claims_check(struct sriov_ctx *ctx, const struct sriov_bind_plan *p,
			const struct sriov_vf_refs *vfs,
			const struct host_modules *m, const char *module,
			char *err, size_t errlen)
{
	char ma[160], last[160] = "", other[256], near[128];

	for (size_t i = 0; i < vfs->n; i++) {
		const struct sriov_vf_ref *ref = &vfs->v[i];
		int c;

		if (!probes(p, ref->vf->address))
			continue;
		if (pcidev_vf_modalias(ctx->rfs, ref->pf, ref->vf->address, ma,
				       sizeof(ma)) < 0)
			return -ENOMEM;
		if (strcmp(ma, last) == 0)
			continue;
		snprintf(last, sizeof(last), "%s", ma);
		c = host_module_claims(m, module, ma,
				       iommu_driver_is_vfio(p->driver));
		if (c != 0)
			continue; /* claimed, or no modules.alias to tell */
		host_module_suggest(m, p->driver, ma, near, sizeof(near));
		if (near[0])
			snprintf(other, sizeof(other), "did you mean %s?", near);
		else if (host_modalias_lookup(m->alias, ma, near,
					      sizeof(near)) == 0)
			snprintf(other, sizeof(other),
				 "modules.alias names %s for it", near);
		else
			snprintf(other, sizeof(other),
				 "no module of this kernel claims it; vfio-pci takes any device");
		errset(err, errlen, 0, "%s: %s does not drive this VF (%04x:%04x, modalias %s): no modules.alias pattern of module %s in /lib/modules/%s matches it; %s",
			 ref->vf->address, p->driver, ref->pf->vendor_id,
			 ref->pf->vf_device_id, ma, module, m->release, other);
		return -ENODEV;
	}
	return 0;
}

int bind_driver_check(struct sriov_ctx *ctx, struct sriov_bind_plan *p,
		      const struct sriov_vf_refs *vfs, char *err,
		      size_t errlen)
{
	struct host_modules m;
	char module[128], near[128];
	bool work = false, loaded;
	int r;

	for (size_t i = 0; i < p->n; i++)
		work |= p->v[i].probe;
	if (!work)
		return 0;
	loaded = pci_driver_loaded(ctx->rfs, p->driver);
	r = host_modules_load(ctx->rfs, &m);
	if (r < 0)
		goto out;
	if (!loaded && !m.dep && !m.builtin) {
		errset(err, errlen, 0, "no PCI driver %s is loaded, and the module lists of the kernel (/lib/modules/%s/modules.dep, modules.builtin) are not readable: cannot tell whether a module provides it; install the running kernel's modules",
			 p->driver, m.release[0] ? m.release : "$(uname -r)");
		r = -ENOENT;
		goto out;
	}
	if (!loaded && !host_module_exists(&m, p->driver)) {
		host_module_suggest(&m, p->driver, NULL, near, sizeof(near));
		errset(err, errlen, 0, "no PCI driver %s is loaded and kernel %s has no module of that name (/lib/modules/%s/modules.dep, modules.builtin)%s%s%s",
			 p->driver, m.release, m.release,
			 near[0] ? ": did you mean " : "", near,
			 near[0] ? "?" : "");
		r = -ENOENT;
		goto out;
	}
	p->load_module = !loaded;
	if (host_module_generic(p->driver))
		goto out;
	module_of(ctx, p->driver, loaded, module, sizeof(module));
	/* built in: its id table is not in modules.alias */
	if (module[0])
		r = claims_check(ctx, p, vfs, &m, module, err, errlen);
out:
	host_modules_clear(&m);
	return r;
}
