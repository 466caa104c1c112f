/* SPDX-License-Identifier: MIT */
/*
 * After a bind: a driver can take a device and let it go later, when its
 * asynchronous start fails; the plan's devices are watched until ready.
 */
#include "ops/bind.h"
#include "util/errbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "host/iommu.h"
#include "util/strv.h"

/*
 * Whether the driver has finished bringing the device up, where that shows
 * in sysfs: a network interface, or an NVMe controller in state "live".
 */
static bool device_ready(struct sriov_ctx *ctx, const char *addr)
{
	struct sriov_strv v = { 0 };
	char path[192], buf[32];
	bool ready = false;

	snprintf(path, sizeof(path), "sys/bus/pci/devices/%s/net", addr);
	if (rootfs_list(ctx->rfs, ROOTFS_TOP, path, &v) == 0 && v.n)
		ready = true;
	sriov_strv_clear(&v);
	snprintf(path, sizeof(path), "sys/bus/pci/devices/%s/nvme", addr);
	if (!ready && rootfs_list(ctx->rfs, ROOTFS_TOP, path, &v) == 0) {
		for (size_t i = 0; i < v.n && !ready; i++) {
			ssize_t n;

			snprintf(path, sizeof(path),
				 "sys/bus/pci/devices/%s/nvme/%s/state", addr,
				 v.v[i]);
			n = rootfs_read(ctx->rfs, ROOTFS_TOP, path, buf,
					sizeof(buf));
			ready = n >= 4 && strncmp(buf, "live", 4) == 0;
		}
		sriov_strv_clear(&v);
	}
	return ready;
}

#define SETTLE_MS 5000

/*
 * A driver can take a device and let it go later, when its asynchronous
 * start fails (nvme on QEMU's NVMe VFs, 0.5 s to a few seconds later under
 * emulation). Devices taken by a driver other than vfio-pci or pci-stub
 * are watched, up to SETTLE_MS, until they are ready or let go.
 */
int bind_settle(struct sriov_ctx *ctx, struct sriov_bind_plan *plan,
		char *err, size_t errlen)
{
	bool *watch = calloc(plan->n ? plan->n : 1, sizeof(*watch));
	size_t left = 0;
	int r = 0;

	if (!watch)
		return 0; /* the binding itself is done and checked */
	for (size_t i = 0; i < plan->n; i++) {
		const struct sriov_bind_step *s = &plan->v[i];

		watch[i] = s->probe && s->new_driver &&
			   !iommu_driver_is_vfio(s->new_driver) &&
			   strcmp(s->new_driver, "pci-stub") != 0;
		left += watch[i];
	}
	for (long ms = 0; left && ms < SETTLE_MS; ms += 100) {
		for (size_t i = 0; i < plan->n; i++) {
			struct sriov_bind_step *s = &plan->v[i];
			char *now = NULL;

			if (!watch[i])
				continue;
			if (sriov_pci_device_driver(ctx, s->address, &now) < 0 ||
			    str_same(now, s->new_driver)) {
				free(now);
				if (device_ready(ctx, s->address)) {
					watch[i] = false;
					left--;
				}
				continue;
			}
			watch[i] = false;
			left--;
			s->released = s->new_driver;
			s->new_driver = now;
			if (plan->mode != SRIOV_BIND_DRIVER || str_same(now, s->want))
				continue;
			errset(err, errlen, 0, "%s: %s took the device and let it go again (its probe failed late; see dmesg), it now has %s",
			    s->address, s->released, now ? now : "no driver");
			bind_roll_back(ctx, plan, plan->n - 1, err, errlen);
			plan->failed = i;
			r = -ENXIO;
			left = 0;
			break;
		}
		if (left)
			bind_nap_ms(100);
	}
	free(watch);
	return r;
}

