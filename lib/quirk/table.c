/* SPDX-License-Identifier: MIT */
/* The quirk table: the built-in file, the overrides under the root, lookups. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctx.h"
#include "io/confdir.h"
#include "io/root.h"
#include "quirk/quirk.h"

int sriov_quirks_new(struct sriov_quirks **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void sriov_quirks_free(struct sriov_quirks *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->n; i++)
		quirk_entry_clear(&q->v[i]);
	free(q->v);
	for (size_t i = 0; i < q->n_errors; i++)
		free(q->errors[i].message);
	free(q->errors);
	sriov_strv_clear(&q->files);
	free(q);
}

const char *sriov_quirks_builtin(void)
{
	return sriov_quirks_data;
}

static int add_text(const char *shown, const char *text, size_t len, void *data)
{
	return sriov_quirks_parse(data, shown, text, len);
}

int sriov_quirks_load(struct sriov_ctx *ctx, struct sriov_quirks **out,
		      char *err, size_t errlen)
{
	struct sriov_quirks *q;
	int r;

	err[0] = '\0';
	r = sriov_quirks_new(&q);
	if (r < 0)
		return r;
	r = sriov_quirks_parse(q, "(built-in quirks.yaml)", sriov_quirks_data,
			       strlen(sriov_quirks_data));
	if (r < 0)
		goto fail;
	r = confdir_each(ctx->rfs, SRIOV_QUIRK_DIR, SRIOV_QUIRK_FILE_MAX, add_text, q,
			 err, errlen);
	if (r < 0)
		goto fail;
	*out = q;
	return 0;
fail:
	sriov_quirks_free(q);
	return r;
}

bool sriov_quirk_matches(const struct sriov_quirk *k, const struct sriov_pf *pf)
{
	bool dev = !k->n_device_ids;

	if (k->driver && (!pf->driver || strcmp(k->driver, pf->driver) != 0))
		return false;
	if (k->vendor_id && k->vendor_id != pf->vendor_id)
		return false;
	for (size_t i = 0; i < k->n_device_ids; i++)
		dev = dev || k->device_ids[i] == pf->device_id;
	return dev;
}

const struct sriov_quirk *sriov_quirks_next(const struct sriov_quirks *q,
					    const struct sriov_pf *pf,
					    enum sriov_quirk_effect effect,
					    size_t from, size_t *at)
{
	for (size_t i = from; q && i < q->n; i++) {
		const struct sriov_quirk *k = &q->v[i];

		if (effect != SRIOV_QUIRK__COUNT && !(k->effects & (1u << effect)))
			continue;
		if (!sriov_quirk_matches(k, pf))
			continue;
		if (at)
			*at = i;
		return k;
	}
	return NULL;
}

const struct sriov_quirk *sriov_quirks_refusing(const struct sriov_quirks *q,
						const struct sriov_pf *pf,
						enum sriov_vf_attr a)
{
	size_t at = 0;

	for (const struct sriov_quirk *k;
	     (k = sriov_quirks_next(q, pf, SRIOV_QUIRK_REFUSES, at, &at)); at++)
		if (k->refuses & (1u << a))
			return k;
	return NULL;
}

const struct sriov_quirk *sriov_quirks_max_vfs(const struct sriov_quirks *q,
					       const struct sriov_pf *pf,
					       unsigned *max)
{
	const struct sriov_quirk *best = NULL;
	size_t at = 0;

	*max = UINT_MAX;
	for (const struct sriov_quirk *k;
	     (k = sriov_quirks_next(q, pf, SRIOV_QUIRK_MAX_VFS, at, &at)); at++)
		if (k->max_vfs < *max) {
			*max = k->max_vfs;
			best = k;
		}
	return best;
}

/* "; "-separated @s onto the end of @buf, clamped. */
static void add(char *buf, size_t len, size_t *n, const char *s)
{
	int w;

	if (*n >= len)
		return;
	w = snprintf(buf + *n, len - *n, "%s%s", *n ? "; " : "", s);
	*n += w > 0 ? (size_t)w : 0;
}

int sriov_quirk_effects_format(const struct sriov_quirk *k, char *buf, size_t len)
{
	size_t n = 0;
	char one[SRIOV_QUIRK_TEXT_MAX + 64];

	if (len)
		buf[0] = '\0';
	if (k->effects & (1u << SRIOV_QUIRK_MAX_VFS)) {
		snprintf(one, sizeof(one), "at most %u VFs", k->max_vfs);
		add(buf, len, &n, one);
	}
	for (int a = 0; a < SRIOV_VF_ATTR__COUNT; a++)
		if (k->refuses & (1u << a)) {
			snprintf(one, sizeof(one), "refuses %s (%s)",
				 sriov_vf_attr_info((enum sriov_vf_attr)a)->name,
				 sriov_quirk_errno_name(k->refuse_errno[a]));
			add(buf, len, &n, one);
		}
	if (k->effects & (1u << SRIOV_QUIRK_PF_UP_FIRST))
		add(buf, len, &n, "the PF up before VFs are configured");
	if (k->effects & (1u << SRIOV_QUIRK_MODULE_PARAM)) {
		snprintf(one, sizeof(one), "VFs set by module parameter %s=", k->module_param);
		add(buf, len, &n, one);
	}
	if (k->effects & (1u << SRIOV_QUIRK_FIRMWARE_VFS)) {
		snprintf(one, sizeof(one), "VF count set in firmware: %s", k->remedy);
		add(buf, len, &n, one);
	}
	if (k->effects & (1u << SRIOV_QUIRK_NUMVFS_PACE)) {
		snprintf(one, sizeof(one), "about %u ms per VF created", k->pace_ms);
		add(buf, len, &n, one);
	}
	if (k->effects & (1u << SRIOV_QUIRK_MAC_RELOAD))
		add(buf, len, &n, "a VF MAC change needs the VF driver reloaded");
	if (k->effects & (1u << SRIOV_QUIRK_SWITCHDEV_UNBIND))
		add(buf, len, &n, "switchdev needs every VF unbound");
	if (k->effects & (1u << SRIOV_QUIRK_TRUST_FOR))
		add(buf, len, &n, k->trust_for == (SRIOV_QUIRK_TRUST_PROMISC | SRIOV_QUIRK_TRUST_MULTICAST) ?
		    "promiscuous and all-multicast mode need trust on" :
		    k->trust_for & SRIOV_QUIRK_TRUST_PROMISC ? "promiscuous mode needs trust on" :
		    "all-multicast mode needs trust on");
	return (int)n;
}
