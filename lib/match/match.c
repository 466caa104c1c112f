/* SPDX-License-Identifier: MIT */
/*
 * sriovctl match: the formats' table, the spec parsed as JSON (json-c,
 * strict, with the byte where it stops), the host's PFs and VFs as the
 * devices each format judges, and which spec takes each one first.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/match.h"
#include "util/errbuf.h"

static const struct {
	const char *name;
	const char *summary;
	match_fn run;
} formats[] = {
	[SRIOV_MATCH_NOVA] = { "nova",
		"a [pci] device_spec: one JSON object or a list of them", match_nova },
	[SRIOV_MATCH_K8S_DEVICE_PLUGIN] = { "k8s-device-plugin",
		"the SR-IOV device plugin's selectors object, or its whole config.json (resourceList)",
		match_k8s },
	[SRIOV_MATCH_K8S_SRIOV_OPERATOR] = { "k8s-sriov-operator",
		"a SriovNetworkNodePolicy's nicSelector (or the whole policy, as JSON)",
		match_operator },
};

_Static_assert(sizeof(formats) / sizeof(formats[0]) == SRIOV_MATCH__COUNT,
	       "a row for every match format");

int sriov_match_format_parse(const char *name)
{
	for (int i = 0; name && i < SRIOV_MATCH__COUNT; i++)
		if (strcmp(name, formats[i].name) == 0)
			return i;
	return -EINVAL;
}

const char *sriov_match_format_name(int format)
{
	return format >= 0 && format < SRIOV_MATCH__COUNT ? formats[format].name : NULL;
}

const char *sriov_match_format_summary(int format)
{
	return format >= 0 && format < SRIOV_MATCH__COUNT ? formats[format].summary : NULL;
}

const char *match_json_kind(struct json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_null: return "null";
	case json_type_boolean: return "a boolean";
	case json_type_double:
	case json_type_int: return "a number";
	case json_type_object: return "an object";
	case json_type_array: return "a list";
	case json_type_string: return "a string";
	}
	return "a value";
}

static char *vfmt(const char *fmt, va_list ap)
{
	char *s = NULL;

	return vasprintf(&s, fmt, ap) < 0 ? NULL : s;
}

int match_specs_alloc(struct sriov_match_result *res, size_t n)
{
	res->spec_names = calloc(n ? n : 1, sizeof(*res->spec_names));
	if (!res->spec_names)
		return -ENOMEM;
	res->n_specs = n;
	for (size_t i = 0; i < res->n_devices; i++) {
		res->devices[i].checks = calloc(n ? n : 1, sizeof(struct sriov_match_check));
		if (!res->devices[i].checks)
			return -ENOMEM;
	}
	return 0;
}

int match_spec_name(struct sriov_match_result *res, size_t i, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	free(res->spec_names[i]);
	res->spec_names[i] = vfmt(fmt, ap);
	va_end(ap);
	return res->spec_names[i] ? 0 : -ENOMEM;
}

int match_check(struct sriov_match_device *d, size_t i, bool taken,
		const char *field, const char *fmt, ...)
{
	struct sriov_match_check *c = &d->checks[i];
	va_list ap;

	c->taken = taken;
	free(c->field);
	free(c->reason);
	c->field = !taken && field ? strdup(field) : NULL;
	va_start(ap, fmt);
	c->reason = vfmt(fmt, ap);
	va_end(ap);
	return c->reason && (taken || !field || c->field) ? 0 : -ENOMEM;
}

int match_exclude(struct sriov_match_device *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	free(d->excluded);
	d->excluded = vfmt(fmt, ap);
	va_end(ap);
	return d->excluded ? 0 : -ENOMEM;
}

/* Every PF, each followed by its VFs: what a consumer enumerates. */
static int devices_load(const struct sriov_host *host, struct sriov_match_result *res)
{
	size_t n = 0;

	for (size_t p = 0; p < host->n_pfs; p++)
		n += 1 + host->pfs[p].n_vfs;
	res->devices = calloc(n ? n : 1, sizeof(*res->devices));
	if (!res->devices)
		return -ENOMEM;
	for (size_t p = 0; p < host->n_pfs; p++) {
		const struct sriov_pf *pf = &host->pfs[p];

		for (size_t v = 0; v <= pf->n_vfs; v++) {
			const struct sriov_vf *vf = v ? &pf->vfs[v - 1] : NULL;
			struct sriov_match_device *d = &res->devices[res->n_devices];

			/* a VF whose virtfn link is unreadable has no address
			 * a consumer could name */
			if (vf && !vf->address[0])
				continue;
			snprintf(d->address, sizeof(d->address), "%s", vf ? vf->address : pf->address);
			d->pf = pf;
			d->vf = vf;
			/* a VF's vendor is its PF's (the SR-IOV spec); its device
			 * id the PF's VF Device ID */
			snprintf(d->vendor_id, sizeof(d->vendor_id), "%04x", pf->vendor_id);
			snprintf(d->device_id, sizeof(d->device_id), "%04x",
				 vf ? pf->vf_device_id : pf->device_id);
			d->taken_by = -1;
			res->n_devices++;
		}
	}
	return 0;
}

/* @spec as JSON, strictly (as Python's json and Go's encoding/json read it). */
static int parse_json(const char *spec, size_t len, struct json_object **out,
		      char *err, size_t errlen)
{
	enum json_tokener_error je;
	struct json_tokener *tok;
	struct json_object *o;
	size_t end;

	*out = NULL;
	if (len > SRIOV_MATCH_SPEC_MAX)
		return errset(err, errlen, -E2BIG,
			      "the spec is %zu bytes; match takes at most %u", len,
			      SRIOV_MATCH_SPEC_MAX);
	size_t ws = 0;

	/* @spec is @len bytes, not a C string */
	while (ws < len && strchr(" \t\r\n", spec[ws]) && spec[ws])
		ws++;
	if (ws == len)
		return errset(err, errlen, -EINVAL, "the spec is empty: give the consumer's JSON");
	if (memchr(spec, '\0', len))
		return errset(err, errlen, -EINVAL,
			      "the spec has a NUL byte at byte %zu",
			      (size_t)((const char *)memchr(spec, '\0', len) - spec) + 1);
	tok = json_tokener_new_ex(SRIOV_MATCH_DEPTH_MAX);
	if (!tok)
		return -ENOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, spec, (int)len);
	end = json_tokener_get_parse_end(tok);
	je = json_tokener_get_error(tok);
	/* a bare number or literal at the very end waits for more: the end
	 * of the text is a NUL byte to json-c */
	if (!o && je == json_tokener_continue) {
		o = json_tokener_parse_ex(tok, "", 1);
		if (o || json_tokener_get_error(tok) == json_tokener_success) {
			je = json_tokener_success;
			end = len;
		}
	}
	/* a JSON null parses to NULL too: success tells it apart */
	if (!o && je != json_tokener_success) {

		json_tokener_free(tok);
		if (je == json_tokener_continue || je == json_tokener_success)
			return errset(err, errlen, -EINVAL,
				      "the spec is not valid JSON: it ends at byte %zu before the value is complete",
				      len);
		/* json-c stops on the byte it refuses: bytes count from 1 */
		if (end < len && spec[end] > ' ' && spec[end] < 0x7f)
			return errset(err, errlen, -EINVAL,
				      "the spec is not valid JSON at byte %zu ('%c'): %s", end + 1,
				      spec[end], json_tokener_error_desc(je));
		return errset(err, errlen, -EINVAL,
			      "the spec is not valid JSON at byte %zu: %s", end + 1,
			      json_tokener_error_desc(je));
	}
	json_tokener_free(tok);
	while (end < len && strchr(" \t\r\n", spec[end]))
		end++;
	if (end < len) {
		json_object_put(o);
		return errset(err, errlen, -EINVAL,
			      "the spec is not valid JSON at byte %zu: text after the value ends",
			      end + 1);
	}
	*out = o;
	return 0;
}

void sriov_match_free(struct sriov_match_result *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->n_devices; i++) {
		struct sriov_match_device *d = &res->devices[i];

		for (size_t k = 0; d->checks && k < res->n_specs; k++) {
			free(d->checks[k].field);
			free(d->checks[k].reason);
		}
		free(d->checks);
		free(d->excluded);
	}
	for (size_t k = 0; res->spec_names && k < res->n_specs; k++)
		free(res->spec_names[k]);
	free(res->spec_names);
	free(res->devices);
	free(res);
}

int sriov_match_run(struct sriov_ctx *ctx, const struct sriov_host *host,
		    int format, const char *spec, size_t len,
		    struct sriov_match_result **out, char *err, size_t errlen)
{
	struct sriov_match_result *res;
	struct match_job job = { .ctx = ctx, .host = host };
	int r;

	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	if (!sriov_match_format_name(format))
		return errset(err, errlen, -EINVAL, "no match format %d", format);
	res = calloc(1, sizeof(*res));
	if (!res)
		return -ENOMEM;
	res->format = format;
	r = devices_load(host, res);
	if (r == 0)
		r = parse_json(spec, len, &job.root, err, errlen);
	if (r == 0) {
		job.res = res;
		r = formats[format].run(&job, err, errlen);
	}
	json_object_put(job.root);
	if (r < 0) {
		sriov_match_free(res);
		return r == -ENOMEM && err && !err[0] ?
			       errset(err, errlen, r, "out of memory") : r;
	}
	for (size_t i = 0; i < res->n_devices; i++) {
		struct sriov_match_device *d = &res->devices[i];

		for (size_t k = 0; !d->excluded && k < res->n_specs; k++)
			if (d->checks[k].taken) {
				d->taken_by = (int)k;
				res->n_taken++;
				break;
			}
	}
	*out = res;
	return 0;
}
