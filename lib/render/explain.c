/* SPDX-License-Identifier: MIT */
/* `sriovctl explain` output: text for people, JSON (sriovctl.explain/v1). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "sriov.h"
#include "util/escape.h"
#include "util/jsonout.h"

static const char *kind_name(int kind)
{
	switch (kind) {
	case SRIOV_EXPLAIN_PF:
		return "pf";
	case SRIOV_EXPLAIN_VF:
		return "vf";
	case SRIOV_EXPLAIN_OTHER:
		return "other";
	default:
		return "absent";
	}
}

/* The text quotes the input and names read from the host: all escaped. */
static void text_device(const struct sriov_explain_device *d, FILE *out)
{
	esc_printf(out, "  %s: ", d->written);
	switch (d->kind) {
	case SRIOV_EXPLAIN_ABSENT:
		fputs("no such device on this host\n", out);
		return;
	case SRIOV_EXPLAIN_OTHER:
		esc_printf(out, "PCI device %s without SR-IOV, driver %s", d->address,
			   d->driver ? d->driver : "none");
		break;
	case SRIOV_EXPLAIN_PF:
		fputs("PF", out);
		if (strcmp(d->address, d->written) != 0)
			esc_printf(out, " %s", d->address);
		if (d->netdev && strcmp(d->netdev, d->written) != 0)
			esc_printf(out, " %s", d->netdev);
		esc_printf(out, ", driver %s, %u of %u VFs",
			   d->pf_driver ? d->pf_driver : "none", d->num_vfs, d->total_vfs);
		break;
	case SRIOV_EXPLAIN_VF:
		esc_printf(out, "VF %d of %s (%s)", d->vf_index,
			   d->pf_netdev ? d->pf_netdev : d->pf, d->pf);
		if (d->address[0] && strcmp(d->address, d->written) != 0)
			esc_printf(out, ", %s", d->address);
		esc_printf(out, "%s%s, driver %s", d->netdev ? ", netdev " : "",
			   d->netdev ? d->netdev : "", d->driver ? d->driver : "none");
		break;
	}
	if (d->iommu_group >= 0)
		fprintf(out, ", IOMMU group %d", d->iommu_group);
	fputc('\n', out);
}

int sriov_render_explain_text(const struct sriov_explanation *e, FILE *out)
{
	for (size_t i = 0; i < e->n_matches; i++) {
		const struct sriov_explain_match *m = &e->matches[i];
		const struct sriov_failure *f = m->failure;

		if (i)
			fputc('\n', out);
		fprintf(out, "%s: %s\n", f->id, f->title);
		esc_printf(out, "  matched: %s\n", m->excerpt);
		fprintf(out, "  from:    %s\n", f->source);
		fprintf(out, "\nWhat it means:\n  %s\n", f->meaning);
		if (e->n_devices || m->advice.n)
			fputs("\nOn this host:\n", out);
		for (size_t j = 0; j < e->n_devices; j++)
			text_device(&e->devices[j], out);
		for (size_t j = 0; j < m->advice.n; j++)
			esc_printf(out, "  - %s\n", m->advice.v[j]);
		if (f->checks[0]) {
			fputs("\nChecks to run: sriovctl check", out);
			for (size_t j = 0; j < e->n_devices; j++)
				if (e->devices[j].kind != SRIOV_EXPLAIN_ABSENT)
					esc_printf(out, " %s", e->devices[j].address[0] ?
						   e->devices[j].address : e->devices[j].written);
			fputs(", see", out);
			for (size_t j = 0; f->checks[j]; j++)
				fprintf(out, "%s %s", j ? "," : "", f->checks[j]);
			fputc('\n', out);
		}
		fprintf(out, "\nFix%s:\n  %s\n",
			m->fix_not_here ? " (not for this host, see above)" : "", f->fix);
	}
	return ferror(out) ? -EIO : 0;
}

static json_object *jdevice(const struct sriov_explain_device *d)
{
	json_object *o = json_object_new_object();
	bool sriov = d->kind == SRIOV_EXPLAIN_PF || d->kind == SRIOV_EXPLAIN_VF;

	json_object_object_add(o, "written", jout_str(d->written));
	json_object_object_add(o, "kind", jout_str(kind_name(d->kind)));
	json_object_object_add(o, "address", jout_str(d->address[0] ? d->address : NULL));
	json_object_object_add(o, "driver", jout_str(d->driver));
	json_object_object_add(o, "netdev", jout_str(d->netdev));
	json_object_object_add(o, "iommu_group",
			       d->iommu_group < 0 ? NULL : json_object_new_int(d->iommu_group));
	json_object_object_add(o, "vf_index",
			       d->vf_index < 0 ? NULL : json_object_new_int(d->vf_index));
	json_object_object_add(o, "pf", jout_str(sriov ? d->pf : NULL));
	json_object_object_add(o, "pf_netdev", jout_str(d->pf_netdev));
	json_object_object_add(o, "pf_driver", jout_str(d->pf_driver));
	json_object_object_add(o, "num_vfs", sriov ? json_object_new_int((int)d->num_vfs) : NULL);
	json_object_object_add(o, "total_vfs", sriov ? json_object_new_int((int)d->total_vfs) : NULL);
	return o;
}

static json_object *jgroup(const struct sriov_explain_group *g)
{
	json_object *o = json_object_new_object(), *m = json_object_new_array();

	json_object_object_add(o, "group", json_object_new_int(g->group));
	json_object_object_add(o, "exists", json_object_new_boolean(g->exists));
	for (size_t i = 0; i < g->members.n; i++) {
		json_object *d = json_object_new_object();

		json_object_object_add(d, "address", jout_str(g->members.v[i]));
		json_object_object_add(d, "driver",
				       jout_str(g->drivers.v[i][0] ? g->drivers.v[i] : NULL));
		json_object_array_add(m, d);
	}
	json_object_object_add(o, "members", m);
	json_object_object_add(o, "viable",
			       g->exists ? json_object_new_boolean(g->viable) : NULL);
	return o;
}

static json_object *jmatch(const struct sriov_explain_match *m)
{
	const struct sriov_failure *f = m->failure;
	json_object *o = json_object_new_object(), *c = json_object_new_array();

	for (size_t i = 0; f->checks[i]; i++)
		json_object_array_add(c, json_object_new_string(f->checks[i]));
	json_object_object_add(o, "id", jout_str(f->id));
	json_object_object_add(o, "title", jout_str(f->title));
	json_object_object_add(o, "source", jout_str(f->source));
	json_object_object_add(o, "matched", jout_str(m->excerpt));
	json_object_object_add(o, "meaning", jout_str(f->meaning));
	json_object_object_add(o, "checks", c);
	json_object_object_add(o, "fix", jout_str(f->fix));
	json_object_object_add(o, "advice", jout_strv(&m->advice));
	json_object_object_add(o, "fix_here", json_object_new_boolean(!m->fix_not_here));
	return o;
}

int sriov_render_explain_json(const struct sriov_explanation *e, bool pretty,
			      FILE *out)
{
	json_object *o = json_object_new_object();
	json_object *ms = json_object_new_array(), *ds = json_object_new_array();
	json_object *gs = json_object_new_array();

	if (!o || !ms || !ds || !gs)
		return -ENOMEM;
	json_object_object_add(o, "schema", json_object_new_string(SRIOV_EXPLAIN_SCHEMA));
	json_object_object_add(o, "matched", json_object_new_boolean(e->n_matches > 0));
	json_object_object_add(o, "looked_up", json_object_new_boolean(e->looked_up));
	for (size_t i = 0; i < e->n_matches; i++)
		json_object_array_add(ms, jmatch(&e->matches[i]));
	for (size_t i = 0; i < e->n_devices; i++)
		json_object_array_add(ds, jdevice(&e->devices[i]));
	for (size_t i = 0; i < e->n_groups; i++)
		json_object_array_add(gs, jgroup(&e->groups[i]));
	json_object_object_add(o, "failures", ms);
	json_object_object_add(o, "devices", ds);
	json_object_object_add(o, "iommu_groups", gs);
	return jout_emit(o, pretty, out);
}
