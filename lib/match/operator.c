/* SPDX-License-Identifier: MIT */
/*
 * The SR-IOV network operator's nicSelector (SriovNetworkNodePolicy
 * spec.nicSelector), as its Selected() picks PFs: vendor and deviceID
 * equal to the PF's, the PF's address in rootDevices, its netdev in
 * pfNames (each without its "#first-last"); every field given must hold.
 * The VFs of a selected PF are the policy's: those in the pfNames item's
 * range, or all of them. netFilter (OpenStack's network id) is not read.
 * One selector: its spec is named "nicSelector" (or the policy's name).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/match.h"
#include "util/errbuf.h"

struct nic_sel {
	const char *vendor;            /* NULL or "": any */
	const char *device_id;
	struct json_object *roots;     /* NULL: any */
	struct json_object *pf_names;  /* NULL: any */
};

static int want_string(const char *label, struct json_object *o, const char *key,
		       const char **out, char *err, size_t errlen)
{
	struct json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return errset(err, errlen, -EINVAL,
			      "%s.%s is %s; the operator's API takes a string", label, key,
			      match_json_kind(v));
	*out = json_object_get_string(v);
	return 0;
}

static int want_strings(const char *label, struct json_object *o, const char *key,
			struct json_object **out, char *err, size_t errlen)
{
	struct json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return 0;
	if (!json_object_is_type(v, json_type_array))
		return errset(err, errlen, -EINVAL,
			      "%s.%s is %s; the operator's API takes a list of strings", label, key,
			      match_json_kind(v));
	if (json_object_array_length(v) > SRIOV_MATCH_LIST_MAX)
		return errset(err, errlen, -E2BIG, "%s.%s has %zu items; match takes at most %u",
			      label, key, json_object_array_length(v), SRIOV_MATCH_LIST_MAX);
	for (size_t i = 0; i < json_object_array_length(v); i++)
		if (!json_object_is_type(json_object_array_get_idx(v, i), json_type_string))
			return errset(err, errlen, -EINVAL,
				      "%s.%s[%zu] is %s; the operator's API takes strings", label, key, i,
				      match_json_kind(json_object_array_get_idx(v, i)));
	*out = json_object_array_length(v) ? v : NULL;
	return 0;
}

/* "NAME#first-last": the operator's ParsePFName; -1 when it does not parse. */
static int parse_pf_name(const char *item, size_t *name_len, long *lo, long *hi)
{
	const char *hash = strchr(item, '#');
	char *end;

	*name_len = hash ? (size_t)(hash - item) : strlen(item);
	*lo = 0;
	*hi = -1;   /* all VFs */
	if (!hash)
		return 0;
	*lo = strtol(hash + 1, &end, 10);
	if (end == hash + 1 || *end != '-' || *lo < 0)
		return -1;
	*hi = strtol(end + 1, &end, 10);
	if (*end || *hi < *lo)
		return -1;
	return 0;
}

static bool in_list(struct json_object *l, const char *s)
{
	for (size_t i = 0; s && i < json_object_array_length(l); i++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(l, i)), s) == 0)
			return true;
	return false;
}

/* Selected(): 0 with the pfNames item that names it (or NULL), else 1 and why. */
static int pf_selected(const struct nic_sel *s, const struct sriov_pf *pf,
		       const char **item, const char **field, char *why, size_t size)
{
	const char *name = pf->n_netdevs ? pf->netdevs[0].name : "";
	char vendor[5], device[5];

	*item = NULL;
	snprintf(vendor, sizeof(vendor), "%04x", pf->vendor_id);
	snprintf(device, sizeof(device), "%04x", pf->device_id);
	if (s->vendor && *s->vendor && strcmp(s->vendor, vendor) != 0) {
		*field = "vendor";
		snprintf(why, size, "vendor %s, the PF's is %s", s->vendor, vendor);
		return 1;
	}
	if (s->device_id && *s->device_id && strcmp(s->device_id, device) != 0) {
		*field = "deviceID";
		snprintf(why, size, "deviceID %s, the PF's is %s (deviceID is the PF's, not the VFs')",
			 s->device_id, device);
		return 1;
	}
	if (s->roots && !in_list(s->roots, pf->address)) {
		*field = "rootDevices";
		snprintf(why, size, "the PF %s is not in rootDevices %s", pf->address,
			 json_object_to_json_string_ext(s->roots, JSON_C_TO_STRING_PLAIN));
		return 1;
	}
	if (s->pf_names) {
		for (size_t i = 0; i < json_object_array_length(s->pf_names); i++) {
			const char *it = json_object_get_string(json_object_array_get_idx(s->pf_names, i));
			size_t n = strcspn(it, "#");

			if (*name && strlen(name) == n && strncmp(it, name, n) == 0) {
				*item = it;
				return 0;
			}
		}
		*field = "pfNames";
		if (*name)
			snprintf(why, size, "the PF's netdev %s is not in pfNames %s (exact names)",
				 name, json_object_to_json_string_ext(s->pf_names, JSON_C_TO_STRING_PLAIN));
		else
			snprintf(why, size, "the PF has no netdev, which pfNames needs");
		return 1;
	}
	return 0;
}

int match_operator(struct match_job *job, char *err, size_t errlen)
{
	struct json_object *root = job->root, *spec, *sel = root, *v;
	struct sriov_match_result *res = job->res;
	const char *label = "nicSelector", *name = "nicSelector";
	struct nic_sel s = { 0 };
	int r;

	if (!json_object_is_type(root, json_type_object))
		return errset(err, errlen, -EINVAL,
			      "the spec is %s; the operator takes a nicSelector object (or a SriovNetworkNodePolicy)",
			      match_json_kind(root));
	/* a whole policy, or its spec: the nicSelector inside */
	if (json_object_object_get_ex(root, "spec", &spec) && json_object_is_type(spec, json_type_object)) {
		struct json_object *meta, *n;

		if (json_object_object_get_ex(root, "metadata", &meta) &&
		    json_object_object_get_ex(meta, "name", &n) && json_object_is_type(n, json_type_string))
			name = json_object_get_string(n);
		sel = spec;
	}
	if (json_object_object_get_ex(sel, "nicSelector", &v)) {
		if (!json_object_is_type(v, json_type_object))
			return errset(err, errlen, -EINVAL, "nicSelector is %s, not an object",
				      match_json_kind(v));
		sel = v;
	}
	r = want_string(label, sel, "vendor", &s.vendor, err, errlen);
	if (r == 0)
		r = want_string(label, sel, "deviceID", &s.device_id, err, errlen);
	if (r == 0)
		r = want_strings(label, sel, "rootDevices", &s.roots, err, errlen);
	if (r == 0)
		r = want_strings(label, sel, "pfNames", &s.pf_names, err, errlen);
	if (r < 0)
		return r;
	{
		const char *nf = NULL;

		r = want_string(label, sel, "netFilter", &nf, err, errlen);
		if (r < 0)
			return r;
		/* the operator's webhook: one of them must be given */
		if (!(s.vendor && *s.vendor) && !(s.device_id && *s.device_id) && !s.roots &&
		    !s.pf_names && !(nf && *nf))
			return errset(err, errlen, -EINVAL,
				      "nicSelector has none of vendor, deviceID, pfNames, rootDevices, netFilter; the operator's webhook refuses it");
	}
	for (size_t i = 0; s.pf_names && i < json_object_array_length(s.pf_names); i++) {
		const char *it = json_object_get_string(json_object_array_get_idx(s.pf_names, i));
		size_t n;
		long lo, hi;

		if (parse_pf_name(it, &n, &lo, &hi) < 0)
			return errset(err, errlen, -EINVAL,
				      "nicSelector.pfNames[%zu] '%s': the operator takes NAME or NAME#FIRST-LAST (one range)",
				      i, it);
	}
	r = match_specs_alloc(res, 1);
	if (r == 0)
		r = match_spec_name(res, 0, "%s", name);
	for (size_t di = 0; r == 0 && di < res->n_devices; di++) {
		struct sriov_match_device *d = &res->devices[di];
		const char *item, *field = NULL;
		char why[512];
		size_t n;
		long lo, hi;

		if ((d->pf->class_code >> 16) != 0x02) {
			r = match_exclude(d, "class %06x is not a network controller: the operator discovers NICs only",
					  d->pf->class_code);
			continue;
		}
		if (pf_selected(&s, d->pf, &item, &field, why, sizeof(why)) != 0) {
			r = match_check(d, 0, false, field, "%s%s", d->vf ? "its PF: " : "", why);
			continue;
		}
		if (!d->vf) {
			r = match_check(d, 0, true, NULL, "the PF is selected (its VFs are the policy's)");
			continue;
		}
		if (item && parse_pf_name(item, &n, &lo, &hi) == 0 && hi >= 0 &&
		    ((long)d->vf->index < lo || (long)d->vf->index > hi)) {
			r = match_check(d, 0, false, "pfNames", "'%s' takes VFs %ld-%ld; this is VF %u",
					item, lo, hi, d->vf->index);
			continue;
		}
		r = match_check(d, 0, true, NULL, "its PF is selected%s%s%s", item ? " by '" : "",
				item ? item : "", item ? "'" : "");
	}
	return r;
}
