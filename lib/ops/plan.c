/* SPDX-License-Identifier: MIT */
/*
 * Plans: ordered changes to a host, printed before anything is written
 * (`restore --dry-run`, later `plan`) and carried out in that order.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sriov.h"
#include "ops/plan.h"
#include "util/errbuf.h"

struct sriov_step *plan_add_step(struct sriov_plan *plan, size_t *cap,
				 int kind, const struct sriov_pf *pf)
{
	struct sriov_step *s;

	if (plan->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct sriov_step *v = realloc(plan->v, ncap * sizeof(*v));

		if (!v)
			return NULL;
		plan->v = v;
		*cap = ncap;
	}
	s = &plan->v[plan->n++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->up = s->old_up = -1;
	snprintf(s->pf, sizeof(s->pf), "%s", pf->address);
	snprintf(s->pf_name, sizeof(s->pf_name), "%s",
		 pf->n_netdevs ? pf->netdevs[0].name : pf->address);
	return s;
}

void sriov_plan_clear(struct sriov_plan *plan)
{
	if (!plan)
		return;
	for (size_t i = 0; i < plan->n; i++) {
		struct sriov_step *s = &plan->v[i];

		sriov_vf_settings_clear(&s->settings);
		free(s->old_driver);
		free(s->driver);
	}
	free(plan->v);
	plan->v = NULL;
	plan->n = 0;
}

const char *step_kind_name(int kind)
{
	static const char *const names[] = {
		[SRIOV_STEP_NUM_VFS] = "num_vfs",
		[SRIOV_STEP_VF_ATTRS] = "vf_attrs",
		[SRIOV_STEP_DRIVER] = "driver",
		[SRIOV_STEP_LINK] = "link",
	};

	return kind >= 0 && (size_t)kind < sizeof(names) / sizeof(names[0]) ?
		names[kind] : "?";
}

#define set(dst, len, ...) ((void)errset(dst, len, 0, __VA_ARGS__))

#define SET(field, ...) set(out->field, sizeof(out->field), __VA_ARGS__)

static int num_vfs_line(const struct sriov_step *step, size_t i,
			struct step_line *out)
{
	bool count = step->num_vfs != step->old_num_vfs;
	bool probe = step->autoprobe != step->old_autoprobe;

	/* Line 0 is the count when it changes, else autoprobe. */
	if (i > 1 || (i == 1 && !(count && probe)) || (!count && !probe))
		return -ENOENT;
	SET(device, "%s", step->pf_name);
	if (i == 0 && count) {
		SET(attribute, "num_vfs");
		SET(old_value, "%u", step->old_num_vfs);
		SET(new_value, "%u", step->num_vfs);
		if (step->old_num_vfs && step->num_vfs)
			out->note = "through 0";
	} else {
		SET(attribute, "drivers_autoprobe");
		SET(old_value, "%s", step->old_autoprobe ? "on" : "off");
		SET(new_value, "%s", step->autoprobe ? "on" : "off");
	}
	return 0;
}

static int link_line(const struct sriov_step *step, size_t i,
		     struct step_line *out)
{
	bool has_mtu = step->mtu > 0;

	if (i > 1 || (i == 1 && !(has_mtu && step->up >= 0)) ||
	    (i == 0 && !has_mtu && step->up < 0))
		return -ENOENT;
	if (step->on_vf)
		SET(device, "%s/vf%u", step->pf_name, step->vf);
	else
		SET(device, "%s", step->pf_name);
	if (i == 0 && has_mtu) {
		SET(attribute, "mtu");
		out->old_known = step->old_mtu > 0;
		if (out->old_known)
			SET(old_value, "%d", step->old_mtu);
		else
			SET(old_value, "%s", step->on_vf ? "(new)" : "?");
		SET(new_value, "%d", step->mtu);
	} else {
		SET(attribute, "link");
		out->old_known = step->old_up >= 0;
		SET(old_value, "%s", step->old_up < 0 ? "?" :
				     step->old_up ? "up" : "down");
		SET(new_value, "%s", step->up ? "up" : "down");
	}
	return 0;
}

int step_line(const struct sriov_step *step, size_t i, struct step_line *out)
{
	const struct sriov_vf_setting *st;
	size_t w;

	memset(out, 0, sizeof(*out));
	out->old_known = true;
	switch (step->kind) {
	case SRIOV_STEP_NUM_VFS:
		return num_vfs_line(step, i, out);
	case SRIOV_STEP_VF_ATTRS:
		if (i >= step->settings.n)
			return -ENOENT;
		/* "vlan 100 qos 3": the attribute, then its value. */
		st = &step->settings.v[i];
		w = strcspn(st->text, " ");
		SET(device, "%s/vf%u", step->pf_name, step->vf);
		SET(attribute, "%.*s", (int)w, st->text);
		SET(new_value, "%s", st->text[w] ? st->text + w + 1 : "");
		sriov_vf_link_value(&step->old_link, st->attr, out->old_value,
				    sizeof(out->old_value));
		out->old_known = strcmp(out->old_value, "?") != 0;
		return 0;
	case SRIOV_STEP_DRIVER:
		if (i > 0)
			return -ENOENT;
		SET(device, "%s/vf%u", step->pf_name, step->vf);
		SET(attribute, "driver");
		out->old_known = !step->after_recreate;
		SET(old_value, "%s", step->after_recreate ? "(re-created)" :
			step->old_driver ? step->old_driver : "none");
		SET(new_value, "%s", step->driver ? step->driver : "none");
		return 0;
	case SRIOV_STEP_LINK:
		return link_line(step, i, out);
	}
	return -EINVAL;
}

int sriov_step_describe(const struct sriov_step *step, size_t i, char *buf,
			size_t len)
{
	struct step_line l;
	int r = step_line(step, i, &l);

	if (r < 0)
		return r;
	snprintf(buf, len, "%s %s: %s -> %s%s%s%s", l.device, l.attribute,
		 l.old_value, l.new_value, l.note ? " (" : "",
		 l.note ? l.note : "", l.note ? ")" : "");
	return 0;
}
