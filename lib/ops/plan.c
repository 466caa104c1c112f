/* SPDX-License-Identifier: MIT */
/*
 * Plans: ordered changes to a host, printed before anything is written
 * (`restore --dry-run`, later `plan`) and carried out in that order.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sriov.h"

void sriov_plan_free(struct sriov_plan *plan)
{
	if (!plan)
		return;
	for (size_t i = 0; i < plan->n; i++) {
		struct sriov_step *s = &plan->v[i];

		sriov_vf_settings_free(&s->settings);
		free(s->old_driver);
		free(s->driver);
	}
	free(plan->v);
	plan->v = NULL;
	plan->n = 0;
}

int sriov_step_describe(const struct sriov_step *step, size_t i, char *buf,
			size_t len)
{
	const struct sriov_vf_setting *st;
	char old[64];
	size_t w;

	switch (step->kind) {
	case SRIOV_STEP_NUM_VFS:
		if (i > 1 || (i == 1 && step->autoprobe == step->old_autoprobe))
			return -ENOENT;
		if (i == 1 || step->num_vfs == step->old_num_vfs) {
			if (i == 0 && step->autoprobe == step->old_autoprobe)
				return -ENOENT;
			snprintf(buf, len, "%s drivers_autoprobe: %s -> %s",
				 step->pf_name,
				 step->old_autoprobe ? "on" : "off",
				 step->autoprobe ? "on" : "off");
			return 0;
		}
		snprintf(buf, len, "%s num_vfs: %u -> %u%s", step->pf_name,
			 step->old_num_vfs, step->num_vfs,
			 step->old_num_vfs && step->num_vfs ? " (through 0)" : "");
		return 0;
	case SRIOV_STEP_VF_ATTRS:
		if (i >= step->settings.n)
			return -ENOENT;
		st = &step->settings.v[i];
		w = strcspn(st->text, " ");
		sriov_vf_link_value(&step->old_link, st->attr, old, sizeof(old));
		snprintf(buf, len, "%s/vf%u %.*s: %s -> %s", step->pf_name,
			 step->vf, (int)w, st->text, old,
			 st->text[w] ? st->text + w + 1 : "");
		return 0;
	case SRIOV_STEP_DRIVER:
		if (i > 0)
			return -ENOENT;
		snprintf(buf, len, "%s/vf%u driver: %s -> %s", step->pf_name,
			 step->vf, step->after_recreate ? "(re-created)" :
			 step->old_driver ? step->old_driver : "none",
			 step->driver ? step->driver : "none");
		return 0;
	case SRIOV_STEP_LINK: {
		char dev[SRIOV_ADDR_MAX + 16], was[16];
		bool has_mtu = step->mtu > 0;

		if (i > 1 || (i == 1 && !(has_mtu && step->up >= 0)) ||
		    (i == 0 && !has_mtu && step->up < 0))
			return -ENOENT;
		if (step->on_vf)
			snprintf(dev, sizeof(dev), "%s/vf%u", step->pf_name,
				 step->vf);
		else
			snprintf(dev, sizeof(dev), "%s", step->pf_name);
		if (i == 0 && has_mtu) {
			if (step->old_mtu > 0)
				snprintf(was, sizeof(was), "%d", step->old_mtu);
			else
				snprintf(was, sizeof(was), "%s",
					 step->on_vf ? "(new)" : "?");
			snprintf(buf, len, "%s mtu: %s -> %d", dev, was,
				 step->mtu);
		} else {
			snprintf(buf, len, "%s link: %s -> %s", dev,
				 step->old_up < 0 ? "?" : step->old_up ? "up" : "down",
				 step->up ? "up" : "down");
		}
		return 0;
	}
	}
	return -EINVAL;
}
