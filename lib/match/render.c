/* SPDX-License-Identifier: MIT */
/*
 * What `sriovctl match` prints: one row per PF and VF (taken by which
 * spec, or the field that failed and why), and sriovctl.match/v1.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/match.h"
#include "render/table.h"
#include "util/escape.h"
#include "util/jsonout.h"

/* "ens1f0np0/vf3" as the checks name VFs, or the PF's netdev. */
static void label(const struct sriov_match_device *d, char *buf, size_t size)
{
	const char *pf = d->pf->n_netdevs ? d->pf->netdevs[0].name : d->pf->address;

	if (d->vf)
		snprintf(buf, size, "%s/vf%u", pf, d->vf->index);
	else
		snprintf(buf, size, "%s", pf);
}

static const char *driver(const struct sriov_match_device *d)
{
	return d->vf ? d->vf->driver : d->pf->driver;
}

/* The WHY cell: each spec's failure, named when there are several. */
static char *why(const struct sriov_match_result *res, const struct sriov_match_device *d)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	if (!f)
		return NULL;
	if (d->excluded) {
		fprintf(f, "not a device for it: %s", d->excluded);
	} else if (d->taken_by >= 0) {
		fprintf(f, "%s", d->checks[d->taken_by].reason);
	} else {
		for (size_t k = 0; k < res->n_specs; k++)
			fprintf(f, "%s%s%s%s: %s", k ? "; " : "",
				res->n_specs > 1 ? res->spec_names[k] : "",
				res->n_specs > 1 ? ": " : "",
				d->checks[k].field ? d->checks[k].field : "?", d->checks[k].reason);
		if (!res->n_specs)
			fprintf(f, "the spec is an empty list");
	}
	if (fclose(f) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

int sriov_match_render_text(const struct sriov_match_result *res, FILE *out)
{
	static const char *const head[] = { "DEVICE", "NAME", "ID", "DRIVER", "TAKEN-BY", "WHY" };
	struct table *t = table_new(6, head);
	int r = t ? 0 : -ENOMEM;

	for (size_t i = 0; r == 0 && i < res->n_devices; i++) {
		const struct sriov_match_device *d = &res->devices[i];
		char name[96], id[16];
		char *w = why(res, d);
		const char *cells[6] = { d->address, name, id, driver(d),
					 d->taken_by >= 0 ? res->spec_names[d->taken_by] : "-", w };

		label(d, name, sizeof(name));
		snprintf(id, sizeof(id), "%s:%s", d->vendor_id, d->device_id);
		r = w ? table_add(t, cells) : -ENOMEM;
		free(w);
	}
	if (r == 0)
		r = table_print(t, out);
	table_free(t);
	if (r == 0 && sriov_escape_printf(out, "%zu of %zu devices taken (%s)\n", res->n_taken,
					  res->n_devices, sriov_match_format_name(res->format)) < 0)
		r = -EIO;
	return r;
}

static json_object *device_json(const struct sriov_match_result *res,
				const struct sriov_match_device *d)
{
	json_object *o = json_object_new_object(), *checks;
	const char *netdev = d->vf ? d->vf->netdev :
			     d->pf->n_netdevs ? d->pf->netdevs[0].name : NULL;

	json_object_object_add(o, "address", json_object_new_string(d->address));
	json_object_object_add(o, "kind", json_object_new_string(d->vf ? "vf" : "pf"));
	json_object_object_add(o, "pf", json_object_new_string(d->pf->address));
	json_object_object_add(o, "vf_index", d->vf ? json_object_new_int((int)d->vf->index) : NULL);
	json_object_object_add(o, "netdev", jout_str(netdev));
	json_object_object_add(o, "vendor_id", json_object_new_string(d->vendor_id));
	json_object_object_add(o, "device_id", json_object_new_string(d->device_id));
	json_object_object_add(o, "driver", jout_str(driver(d)));
	json_object_object_add(o, "taken_by", d->taken_by >= 0 ? json_object_new_int(d->taken_by) : NULL);
	json_object_object_add(o, "taken_by_name",
			       jout_str(d->taken_by >= 0 ? res->spec_names[d->taken_by] : NULL));
	json_object_object_add(o, "excluded", jout_str(d->excluded));
	checks = json_object_new_array();
	for (size_t k = 0; !d->excluded && k < res->n_specs; k++) {
		json_object *c = json_object_new_object();

		json_object_object_add(c, "spec", json_object_new_int((int)k));
		json_object_object_add(c, "taken", json_object_new_boolean(d->checks[k].taken));
		json_object_object_add(c, "field", jout_str(d->checks[k].field));
		json_object_object_add(c, "reason", jout_str(d->checks[k].reason));
		json_object_array_add(checks, c);
	}
	json_object_object_add(o, "checks", checks);
	return o;
}

int sriov_match_render_json(const struct sriov_match_result *res, bool pretty, FILE *out)
{
	json_object *o = json_object_new_object(), *specs, *devs;

	if (!o)
		return -ENOMEM;
	json_object_object_add(o, "schema", json_object_new_string("sriovctl.match/v1"));
	json_object_object_add(o, "format", json_object_new_string(sriov_match_format_name(res->format)));
	specs = json_object_new_array();
	for (size_t k = 0; k < res->n_specs; k++) {
		json_object *s = json_object_new_object();
		int taken = 0;

		for (size_t i = 0; i < res->n_devices; i++)
			taken += res->devices[i].taken_by == (int)k;
		json_object_object_add(s, "index", json_object_new_int((int)k));
		json_object_object_add(s, "name", json_object_new_string(res->spec_names[k]));
		json_object_object_add(s, "taken", json_object_new_int(taken));
		json_object_array_add(specs, s);
	}
	json_object_object_add(o, "specs", specs);
	devs = json_object_new_array();
	for (size_t i = 0; i < res->n_devices; i++)
		json_object_array_add(devs, device_json(res, &res->devices[i]));
	json_object_object_add(o, "devices", devs);
	json_object_object_add(o, "taken", json_object_new_int((int)res->n_taken));
	return jout_emit(o, pretty, out);
}
