/* SPDX-License-Identifier: MIT */
/* `mac: auto`: a stable, locally administered MAC per host, PF and VF. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "ctx.h"
#include "io/root.h"

/* FNV-1a, 64 bits: stable across builds and hosts, no key needed. */
static uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
	const uint8_t *b = data;

	for (size_t i = 0; i < len; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

void sriov_policy_mac_auto(const void *host_id, size_t id_len,
			   const char *pf_addr, unsigned vf, uint8_t mac[6])
{
	uint64_t h = 0xcbf29ce484222325ULL;
	uint8_t idx[4] = { (uint8_t)(vf >> 24), (uint8_t)(vf >> 16),
			   (uint8_t)(vf >> 8), (uint8_t)vf };

	/* a separator between fields, so "ab"+"c" and "a"+"bc" differ */
	h = fnv1a(h, host_id, id_len);
	h = fnv1a(h, "", 1);
	h = fnv1a(h, pf_addr, strlen(pf_addr));
	h = fnv1a(h, "", 1);
	h = fnv1a(h, idx, sizeof(idx));
	/* one more round mixes the index into every output byte */
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)(h >> (8 * i));
	mac[0] = (uint8_t)((mac[0] | 0x02) & ~0x01);
}

int sriov_policy_machine_id(struct sriov_ctx *ctx, char *buf, size_t len)
{
	char tmp[64];
	ssize_t n;

	if (len < 33)
		return -EINVAL;
	n = rootfs_read_prefix(ctx->rfs, ROOTFS_TOP, "etc/machine-id", tmp, sizeof(tmp));
	if (n < 0)
		return (int)n;
	if (n < 32)
		return -EINVAL;
	for (int i = 0; i < 32; i++)
		if (!strchr("0123456789abcdef", tmp[i]) || !tmp[i])
			return -EINVAL;
	memcpy(buf, tmp, 32);
	buf[32] = '\0';
	return 0;
}
