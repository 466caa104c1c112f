/* SPDX-License-Identifier: MIT */
/*
 * `apply --boot`: wait, bounded, until the host has what the policy names.
 * At boot PCI enumeration is over before userspace starts, but drivers
 * bind as udev loads their modules, and udev renames netdevs after that:
 * an entry is ready when each PF it matches has its driver and, when the
 * entry needs the PF's netdev, that netdev has been through udev.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ctx.h"
#include "sriov.h"

#define WAIT_POLL_MS 250u

static bool needs_netdev(const struct sriov_policy_pf *e)
{
	if (e->match == SRIOV_POLICY_MATCH_NETDEV)
		return true;
	if (e->set & ((1u << SRIOV_PPF_MTU) | (1u << SRIOV_PPF_LINK_STATE)))
		return true;
	for (size_t i = 0; i < e->n_vfs; i++)
		if (e->vfs[i].set & SRIOV_VF_ATTRS_LINK)
			return true;
	return false;
}

/*
 * Where udev runs, a netdev is only final once udev has handled its "add"
 * (renamed it): its database entry exists. Bringing a link up before that
 * would make the rename fail with EBUSY.
 */
static bool netdev_settled(struct sriov_ctx *ctx, const struct sriov_netdev *nd)
{
	char path[64];

	if (!rootfs_exists(ctx->rfs, ROOTFS_TOP, "run/udev/data"))
		return true;
	if (nd->ifindex < 0)
		return false;
	snprintf(path, sizeof(path), "run/udev/data/n%d", nd->ifindex);
	return rootfs_exists(ctx->rfs, ROOTFS_TOP, path);
}

static bool entry_ready(struct sriov_ctx *ctx, const struct sriov_host *host,
			const struct sriov_policy_pf *e,
			const struct sriov_pf **buf)
{
	size_t n = sriov_policy_match(host, e, buf, host->n_pfs);
	bool netdev = needs_netdev(e);

	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		const struct sriov_pf *pf = buf[i];

		if (!pf->driver)
			return false;
		if (!netdev)
			continue;
		if (pf->n_netdevs == 0)
			return false;
		for (size_t k = 0; k < pf->n_netdevs; k++)
			if (!netdev_settled(ctx, &pf->netdevs[k]))
				return false;
	}
	return true;
}

static int host_ready(struct sriov_ctx *ctx, const struct sriov_policy *p,
		      const struct sriov_host *host)
{
	const struct sriov_pf **buf;
	bool ready = true;

	buf = calloc(host->n_pfs ? host->n_pfs : 1, sizeof(*buf));
	if (!buf)
		return -ENOMEM;
	for (size_t i = 0; i < p->n_pfs && ready; i++)
		ready = entry_ready(ctx, host, &p->pfs[i], buf);
	free(buf);
	return ready;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int sriov_policy_wait(struct sriov_ctx *ctx, const struct sriov_policy *p,
		      unsigned timeout_ms, unsigned load_flags,
		      struct sriov_host **host)
{
	long long deadline = now_ms() + timeout_ms;

	*host = NULL;
	for (;;) {
		struct timespec ts;
		long long left;
		int r;

		sriov_host_free(*host);
		*host = NULL;
		r = sriov_host_load(ctx, load_flags, host);
		if (r < 0)
			return r;
		r = host_ready(ctx, p, *host);
		if (r < 0) {
			sriov_host_free(*host);
			*host = NULL;
			return r;
		}
		if (r)
			return 0;
		left = deadline - now_ms();
		if (left <= 0)
			return -ETIMEDOUT;
		if (left > WAIT_POLL_MS)
			left = WAIT_POLL_MS;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)left * 1000000l;
		/* a caught SIGINT/SIGTERM ends the wait: nothing was written */
		if (nanosleep(&ts, NULL) < 0 && errno == EINTR)
			return -EINTR;
	}
}
