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
#include "host/pcidev.h"
#include "util/strv.h"

/*
 * Whether the driver has finished bringing the device up, where that shows
 * in sysfs: a network interface, or an NVMe controller in state "live".
 */
static bool device_ready(struct sriov_ctx *ctx, const char *addr)
{
	struct sriov_strv v = { 0 };
	struct pcidev d;
	char *s = NULL;
	bool ready = false;

	if (pcidev_open(ctx->rfs, addr, &d) < 0) {
		pcidev_close(&d);
		return false;
	}
	if (pcidev_netdev(&d, &s) == 0 && s)
		ready = true;
	free(s);
	if (!ready && pcidev_list(&d, "nvme", &v) == 0) {
		for (size_t i = 0; i < v.n && !ready; i++) {
			char rel[96];

			snprintf(rel, sizeof(rel), "nvme/%s/state", v.v[i]);
			s = NULL;
			ready = pcidev_token(&d, rel, &s) == 0 && s &&
				strcmp(s, "live") == 0;
			free(s);
		}
	}
	sriov_strv_clear(&v);
	pcidev_close(&d);
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

