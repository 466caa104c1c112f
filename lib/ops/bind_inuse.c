/* SPDX-License-Identifier: MIT */
/*
 * A bind that unbinds a VF takes it from under its user: the same notion
 * of "in use" as set-vfs (sriov_vf_holders), the same refusal.
 */
#include "ops/bind.h"
#include "util/errbuf.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ctx.h"
#include "host/iommu.h"

/* Whether the plan unbinds @vf from a driver. */
static const struct sriov_bind_step *unbinds(const struct sriov_bind_plan *p,
					     const struct sriov_vf *vf)
{
	for (size_t i = 0; i < p->n; i++)
		if (!p->v[i].group_member &&
		    strcmp(p->v[i].address, vf->address) == 0)
			return p->v[i].unbind ? &p->v[i] : NULL;
	return NULL;
}

static void describe_all(const struct sriov_holders *h,
			 const struct sriov_bind_plan *p,
			 const struct sriov_pf *pf, char *list, size_t len,
			 size_t *held)
{
	char what[256];

	for (size_t i = 0; i < h->n; i++) {
		const struct sriov_vf *vf = NULL;

		for (size_t k = 0; k < pf->n_vfs && !vf; k++)
			if (pf->vfs[k].index == h->v[i].vf_index)
				vf = &pf->vfs[k];
		if (!vf || !unbinds(p, vf) || h->v[i].kind == SRIOV_HOLDER_VFIO)
			continue;
		*held += 1;
		sriov_holder_describe(&h->v[i], what, sizeof(what));
		bind_append(list, len, "%s%s", *list ? ", " : "", what);
	}
}

int bind_in_use_check(struct sriov_ctx *ctx, const struct sriov_bind_plan *p,
		      const struct sriov_vf_refs *vfs, unsigned flags,
		      char *err, size_t errlen)
{
	char list[1024] = "", what[256];
	size_t held = 0;
	int r = 0;

	for (size_t i = 0; i < vfs->n && r == 0; i++) {
		const struct sriov_pf *pf = vfs->v[i].pf;
		struct sriov_holders h = { 0 };
		bool seen = false;

		/* once per PF: sriov_vf_holders scans /proc for all of them */
		for (size_t j = 0; j < i && !seen; j++)
			seen = vfs->v[j].pf == pf;
		if (seen)
			continue;
		r = sriov_vf_holders(ctx, pf, 0, &h);
		if (r < 0)
			break;
		for (size_t k = 0; k < h.n; k++) {
			const struct sriov_bind_step *s = NULL;

			for (size_t v = 0; v < pf->n_vfs && !s; v++)
				if (pf->vfs[v].index == h.v[k].vf_index)
					s = unbinds(p, &pf->vfs[v]);
			if (!s || h.v[k].kind != SRIOV_HOLDER_VFIO ||
			    !iommu_driver_is_vfio(s->old_driver))
				continue;
			/* vfio's remove waits for the process: never forced */
			sriov_holder_describe(&h.v[k], what, sizeof(what));
			errset(err, errlen, 0,
				 "%s: unbinding it from %s would block until that process lets go of it; stop the process (shut the guest down) first",
				 what, s->old_driver);
			r = -EBUSY;
			break;
		}
		if (r == 0 && !(flags & SRIOV_BIND_FORCE))
			describe_all(&h, p, pf, list, sizeof(list), &held);
		sriov_holders_clear(&h);
	}
	if (r == 0 && held) {
		errset(err, errlen, 0,
			 "%zu VF%s in use: %s; unbinding a VF's driver takes the device from under its user: stop using it (ip link set DEV down, take it out of its bond or bridge), or use --force",
			 held, held == 1 ? "" : "s", list);
		r = -EBUSY;
	}
	return r;
}
