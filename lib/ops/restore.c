/* SPDX-License-Identifier: MIT */
/*
 * `sriovctl restore`: the plan from a host's current state back to a saved
 * one. VF counts first (the kernel re-creates every VF, so their attributes
 * are then unknown and all saved ones are set), then link attributes, then
 * drivers (a driver like vfio-pci may hide the VF's netdev).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/plan.h"
#include "sriov.h"
#include "util/errbuf.h"
#include "util/strv.h"

static int plan_pf(const struct sriov_pf *pf, const struct sriov_state_pf *sp,
		   struct sriov_plan *plan, size_t *cap, char *err,
		   size_t errlen)
{
	bool recreate = sp->num_vfs != pf->num_vfs;
	struct sriov_step *s;

	if (sp->vendor_id && (sp->vendor_id != pf->vendor_id ||
			      sp->device_id != pf->device_id))
		return errset(err, errlen, -EMEDIUMTYPE,
			    "PF %s was a %04x:%04x when saved and is a %04x:%04x now: the state file is for another card or host",
			    pf->address, sp->vendor_id, sp->device_id,
			    pf->vendor_id, pf->device_id);
	if (sp->num_vfs > pf->total_vfs)
		return errset(err, errlen, -ERANGE,
			    "PF %s: the state file has %u VFs, but the PF allows at most %u (sriov_totalvfs)",
			    pf->address, sp->num_vfs, pf->total_vfs);
	if (recreate || sp->drivers_autoprobe != pf->drivers_autoprobe) {
		s = plan_add_step(plan, cap, SRIOV_STEP_NUM_VFS, pf);
		if (!s)
			return -ENOMEM;
		s->old_num_vfs = pf->num_vfs;
		s->num_vfs = sp->num_vfs;
		s->old_autoprobe = pf->drivers_autoprobe;
		s->autoprobe = sp->drivers_autoprobe;
	}
	/* The PF's netdev, as recorded (igb resets its link with the VFs). */
	const struct sriov_netdev *nd = pf->n_netdevs ? &pf->netdevs[0] : NULL;

	if (nd && ((sp->mtu > 0 && sp->mtu != nd->mtu) ||
		   (sp->up >= 0 && sp->up != nd->up))) {
		s = plan_add_step(plan, cap, SRIOV_STEP_LINK, pf);
		if (!s)
			return -ENOMEM;
		s->old_mtu = nd->mtu;
		s->mtu = sp->mtu > 0 && sp->mtu != nd->mtu ? sp->mtu : 0;
		s->old_up = nd->up;
		s->up = sp->up >= 0 && sp->up != nd->up ? sp->up : -1;
	}
	for (size_t i = 0; i < sp->n_vfs; i++) {
		const struct sriov_state_vf *v = &sp->vfs[i];
		const struct sriov_vf *cur = recreate ? NULL : sriov_pf_vf(pf, v->index);
		struct sriov_vf_settings set;
		int r;

		if (!v->link.present)
			continue;
		r = sriov_vf_settings_diff(&v->link, cur ? &cur->link : NULL,
					   &set);
		if (r < 0)
			return r;
		if (set.n == 0) {
			sriov_vf_settings_clear(&set);
			continue;
		}
		s = plan_add_step(plan, cap, SRIOV_STEP_VF_ATTRS, pf);
		if (!s) {
			sriov_vf_settings_clear(&set);
			return -ENOMEM;
		}
		s->vf = v->index;
		s->want_link = v->link;
		s->want_mask = SRIOV_VF_ATTRS_ALL;
		s->settings = set;
		if (cur)
			s->old_link = cur->link;
	}
	for (size_t i = 0; i < sp->n_vfs; i++) {
		const struct sriov_state_vf *v = &sp->vfs[i];
		const struct sriov_vf *cur = sriov_pf_vf(pf, v->index);

		/*
		 * Re-created VFs get whatever autoprobe gives them: the step
		 * stays, and is checked again when it is carried out.
		 */
		if (!recreate && cur && str_same(cur->driver, v->driver))
			continue;
		if (recreate && !v->driver && !sp->drivers_autoprobe)
			continue;
		s = plan_add_step(plan, cap, SRIOV_STEP_DRIVER, pf);
		if (!s)
			return -ENOMEM;
		s->vf = v->index;
		s->after_recreate = recreate;
		s->pin_override = v->driver_override != NULL;
		if ((!recreate && cur && cur->driver &&
		     !(s->old_driver = strdup(cur->driver))) ||
		    (v->driver && !(s->driver = strdup(v->driver))))
			return -ENOMEM;
	}
	/* VF netdevs' MTU last: their driver makes the netdev. */
	for (size_t i = 0; i < sp->n_vfs; i++) {
		const struct sriov_state_vf *v = &sp->vfs[i];
		const struct sriov_vf *cur = recreate ? NULL : sriov_pf_vf(pf, v->index);

		if (v->mtu <= 0 || (cur && cur->mtu == v->mtu))
			continue;
		s = plan_add_step(plan, cap, SRIOV_STEP_LINK, pf);
		if (!s)
			return -ENOMEM;
		s->on_vf = true;
		s->vf = v->index;
		s->old_mtu = cur ? cur->mtu : -1;
		s->mtu = v->mtu;
		s->old_up = -1;
		s->up = -1;
	}
	return 0;
}

int sriov_restore_plan(const struct sriov_host *host,
		       const struct sriov_state *st, struct sriov_plan *out,
		       char *err, size_t errlen)
{
	size_t cap = 0;
	int r = 0;

	out->v = NULL;
	out->n = 0;
	if (errlen)
		err[0] = '\0';
	for (size_t i = 0; i < st->n_pfs && r == 0; i++) {
		const struct sriov_state_pf *sp = &st->pfs[i];
		const struct sriov_pf *pf = sriov_host_pf(host, sp->address);

		if (!pf)
			r = errset(err, errlen, -ENOENT,
				 "PF %s%s%s%s is in the state file but not on this host ('sriovctl list' shows the PFs)",
				 sp->address, sp->netdev ? " (" : "",
				 sp->netdev ? sp->netdev : "",
				 sp->netdev ? ")" : "");
		else
			r = plan_pf(pf, sp, out, &cap, err, errlen);
	}
	if (r < 0)
		sriov_plan_clear(out);
	return r;
}
