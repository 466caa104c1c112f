/* SPDX-License-Identifier: MIT */
/*
 * A CNI network configuration with sriov-cni's keys. Each VF attribute
 * key goes through the VF-attribute table's parser (sriov/vf_attr.h) and
 * the resulting tokens through sriov_vf_settings_parse(), the same path
 * as `sriovctl vf set`, so the values and their checks are one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <linux/if_ether.h>

#include "io/parse.h"
#include "pci/addr.h"
#include "sriov.h"
#include "util/errbuf.h"
#include "util/strv.h"

static const char *const versions[] = {
	"0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0",
};

bool sriov_cni_version_ok(const char *v)
{
	for (size_t i = 0; v && i < sizeof(versions) / sizeof(versions[0]); i++)
		if (strcmp(v, versions[i]) == 0)
			return true;
	return false;
}

bool sriov_cni_version_11(const char *v)
{
	return v && strcmp(v, "1.1.0") == 0;
}

/* The specification's rule for container ids and names alike. */
static bool id_ok(const char *s, size_t max, bool dots_first)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9');

		if (!alnum && (i == 0 && !dots_first))
			return false;
		if (!alnum && c != '_' && c != '.' && c != '-')
			return false;
	}
	return true;
}

bool sriov_cni_container_id_ok(const char *s)
{
	return id_ok(s, 256, false);
}

bool sriov_cni_ifname_ok(const char *s)
{
	/* The kernel's rule is looser, but a name also goes into file names. */
	return id_ok(s, 15, false) && strcmp(s, ".") != 0 && strcmp(s, "..") != 0;
}

/* The VF attribute keys, as sriov-cni spells them, and their JSON types. */
static const struct {
	const char *key;
	enum sriov_vf_attr attr;
	enum json_type type;
} keys[] = {
	{ "vlan", SRIOV_VF_ATTR_VLAN, json_type_int },
	{ "vlanQoS", SRIOV_VF_ATTR_QOS, json_type_int },
	{ "vlanProto", SRIOV_VF_ATTR_VLAN_PROTO, json_type_string },
	{ "mac", SRIOV_VF_ATTR_MAC, json_type_string },
	{ "spoofchk", SRIOV_VF_ATTR_SPOOFCHK, json_type_string },
	{ "trust", SRIOV_VF_ATTR_TRUST, json_type_string },
	{ "link_state", SRIOV_VF_ATTR_LINK_STATE, json_type_string },
	{ "min_tx_rate", SRIOV_VF_ATTR_MIN_RATE, json_type_int },
	{ "max_tx_rate", SRIOV_VF_ATTR_MAX_RATE, json_type_int },
};
#define N_KEYS (sizeof(keys) / sizeof(keys[0]))

static const char *type_word(enum json_type t)
{
	return t == json_type_int ? "a number" : "a string";
}

static int get_string(json_object *o, const char *key, bool required,
		      char **out, char *err, size_t errlen)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null)) {
		if (required)
			return errset(err, errlen, -EINVAL, "\"%s\" is missing", key);
		return 0;
	}
	if (!json_object_is_type(v, json_type_string))
		return errset(err, errlen, -EINVAL, "\"%s\" must be a string", key);
	*out = strdup(json_object_get_string(v));
	return *out ? 0 : -ENOMEM;
}

/* A PCI address as the device plugin hands it, canonical. */
static int device_id(const char *key, const char *s, char **out, char *err,
		     size_t errlen)
{
	struct pci_addr a;
	bool dom;
	char buf[SRIOV_ADDR_MAX];

	if (pci_addr_parse(s, &a, &dom) < 0)
		return errset(err, errlen, -EINVAL,
			      "\"%s\" is not a PCI address (DDDD:BB:DD.F): '%.64s'",
			      key, s);
	free(*out);
	*out = strdup(pci_addr_format(&a, buf, sizeof(buf)));
	return *out ? 0 : -ENOMEM;
}

/* The value of one attribute key, as the table's parser takes it. */
static int attr_text(json_object *v, unsigned i, char *buf, size_t len,
		     char *err, size_t errlen)
{
	const char *s;

	if (!json_object_is_type(v, keys[i].type))
		return errset(err, errlen, -EINVAL, "\"%s\" must be %s",
			      keys[i].key, type_word(keys[i].type));
	if (keys[i].type == json_type_int) {
		int64_t n = json_object_get_int64(v);

		if (n < 0 || n > UINT32_MAX)
			return errset(err, errlen, -EINVAL,
				      "\"%s\" %lld is out of range", keys[i].key,
				      (long long)n);
		snprintf(buf, len, "%lld", (long long)n);
		return 0;
	}
	s = json_object_get_string(v);
	if (strlen(s) >= len)
		return errset(err, errlen, -EINVAL, "\"%s\" is too long", keys[i].key);
	snprintf(buf, len, "%s", s);
	return 0;
}

static int parse_attrs(json_object *root, const char *runtime_mac,
		       struct sriov_cni_conf *c, char *err, size_t errlen)
{
	char vals[N_KEYS][64] = { { 0 } };
	struct sriov_vf_attr_value pv[N_KEYS];
	char *argv[2 * N_KEYS + 4];
	int argc = 0, r;
	char e[200];

	for (unsigned i = 0; i < N_KEYS; i++) {
		json_object *v;

		if (!json_object_object_get_ex(root, keys[i].key, &v) ||
		    json_object_is_type(v, json_type_null))
			continue;
		r = attr_text(v, i, vals[i], sizeof(vals[i]), err, errlen);
		if (r < 0)
			return r;
		r = sriov_vf_attr_parse(keys[i].attr, vals[i], &pv[i], e, sizeof(e));
		if (r < 0)
			return errset(err, errlen, -EINVAL, "\"%s\": %s", keys[i].key, e);
		c->mask |= 1u << keys[i].attr;
	}
	/* The runtime's mac capability wins over the configuration's. */
	if (runtime_mac) {
		unsigned m = 3;

		snprintf(vals[m], sizeof(vals[m]), "%.63s", runtime_mac);
		r = sriov_vf_attr_parse(SRIOV_VF_ATTR_MAC, vals[m], &pv[m], e, sizeof(e));
		if (r < 0)
			return errset(err, errlen, -EINVAL,
				      "\"runtimeConfig.mac\": %s", e);
		c->mask |= 1u << SRIOV_VF_ATTR_MAC;
	}
	/* sriov-cni's rules beyond the ranges. */
	if ((c->mask & (1u << SRIOV_VF_ATTR_QOS)) && pv[1].u &&
	    !((c->mask & (1u << SRIOV_VF_ATTR_VLAN)) && pv[0].u))
		return errset(err, errlen, -EINVAL,
			      "\"vlanQoS\" %u needs a non-zero \"vlan\"", pv[1].u);
	if ((c->mask & (1u << SRIOV_VF_ATTR_VLAN_PROTO)) &&
	    pv[2].u == ETH_P_8021AD &&
	    !((c->mask & (1u << SRIOV_VF_ATTR_VLAN)) && pv[0].u))
		return errset(err, errlen, -EINVAL,
			      "\"vlanProto\" 802.1ad needs a non-zero \"vlan\"");
	if (c->mask & (1u << SRIOV_VF_ATTR_MAC)) {
		memcpy(c->mac, pv[3].mac, 6);
		c->has_mac = true;
		argv[argc++] = "mac";
		argv[argc++] = vals[3];
	}
	/* The VLAN always: vlan 0 clears what a previous pod left. */
	argv[argc++] = "vlan";
	argv[argc++] = c->mask & (1u << SRIOV_VF_ATTR_VLAN) ? vals[0] : "0";
	if (c->mask & (1u << SRIOV_VF_ATTR_QOS)) {
		argv[argc++] = "qos";
		argv[argc++] = vals[1];
	}
	if (c->mask & (1u << SRIOV_VF_ATTR_VLAN_PROTO)) {
		argv[argc++] = "proto";
		argv[argc++] = vals[2];
	}
	c->mask |= SRIOV_VF_ATTRS_VLAN;
	for (unsigned i = 4; i < N_KEYS; i++) {
		if (!(c->mask & (1u << keys[i].attr)))
			continue;
		argv[argc++] = (char *)sriov_vf_attr_info(keys[i].attr)->name;
		argv[argc++] = vals[i];
	}
	r = sriov_vf_settings_parse(argc, argv, &c->settings, e, sizeof(e));
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return errset(err, errlen, -EINVAL, "%s", e);
	return 0;
}

static int parse_gc(json_object *root, struct sriov_cni_conf *c, char *err,
		    size_t errlen)
{
	json_object *list;
	const char *key = "cni.dev/valid-attachments";

	if (!json_object_object_get_ex(root, key, &list)) {
		key = "cni.dev/attachments";
		if (!json_object_object_get_ex(root, key, &list))
			return 0;
	}
	if (!json_object_is_type(list, json_type_array))
		return errset(err, errlen, -EINVAL, "\"%s\" must be a list", key);
	c->gc_given = true;
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		json_object *a = json_object_array_get_idx(list, i), *cid, *ifn;

		if (!json_object_is_type(a, json_type_object) ||
		    !json_object_object_get_ex(a, "containerID", &cid) ||
		    !json_object_object_get_ex(a, "ifname", &ifn) ||
		    !json_object_is_type(cid, json_type_string) ||
		    !json_object_is_type(ifn, json_type_string))
			return errset(err, errlen, -EINVAL,
				      "\"%s\"[%zu] needs \"containerID\" and \"ifname\" strings",
				      key, i);
		if (strv_pushf(&c->gc_valid, "%s/%s", json_object_get_string(cid),
			       json_object_get_string(ifn)) < 0)
			return -ENOMEM;
	}
	return 0;
}

int sriov_cni_conf_parse(const char *json, size_t len,
			 struct sriov_cni_conf *out, char *err, size_t errlen)
{
	struct json_tokener *tok;
	json_object *root, *rt = NULL, *v;
	char *runtime_mac = NULL;
	int r;

	memset(out, 0, sizeof(*out));
	if (len > SRIOV_CNI_CONF_MAX)
		return errset(err, errlen, -E2BIG, "the configuration is larger than %u bytes",
			      SRIOV_CNI_CONF_MAX);
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	/* RFC 8259, as the runtimes write it: no trailing commas or such. */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, json, (int)len);
	if (!root || json_tokener_get_parse_end(tok) < len) {
		/* Only white space may follow the object. */
		size_t end = json_tokener_get_parse_end(tok);

		while (root && end < len && strchr(" \t\r\n", json[end]))
			end++;
		if (!root || end < len) {
			r = errset(err, errlen, -EBADMSG, "the configuration is not JSON: %s",
				   root ? "text after the object" :
				   json_tokener_error_desc(json_tokener_get_error(tok)));
			json_object_put(root);
			json_tokener_free(tok);
			return r;
		}
	}
	json_tokener_free(tok);
	if (!json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return errset(err, errlen, -EBADMSG, "the configuration is not a JSON object");
	}
	r = get_string(root, "cniVersion", true, &out->cni_version, err, errlen);
	if (r == 0 && !sriov_cni_version_ok(out->cni_version))
		r = errset(err, errlen, -EPROTONOSUPPORT,
			   "cniVersion '%.32s' is not supported: use 0.3.0, 0.3.1, 0.4.0, 1.0.0 or 1.1.0",
			   out->cni_version);
	if (r == 0)
		r = get_string(root, "name", false, &out->name, err, errlen);
	if (r == 0)
		r = get_string(root, "type", false, &out->type, err, errlen);
	if (r == 0)
		r = get_string(root, "logLevel", false, &out->log_level, err, errlen);
	if (r == 0 && out->log_level && strcmp(out->log_level, "error") &&
	    strcmp(out->log_level, "warning") && strcmp(out->log_level, "info") &&
	    strcmp(out->log_level, "debug") && strcmp(out->log_level, "panic"))
		r = errset(err, errlen, -EINVAL,
			   "\"logLevel\" '%.32s' is not one of panic, error, warning, info, debug",
			   out->log_level);
	if (r == 0)
		r = get_string(root, "logFile", false, &out->log_file, err, errlen);
	if (r == 0 && out->log_file && out->log_file[0] != '/')
		r = errset(err, errlen, -EINVAL, "\"logFile\" must be an absolute path");
	if (r == 0 && json_object_object_get_ex(root, "runtimeConfig", &rt) &&
	    !json_object_is_type(rt, json_type_object))
		r = errset(err, errlen, -EINVAL, "\"runtimeConfig\" must be an object");
	if (r == 0 && rt) {
		char *id = NULL;

		r = get_string(rt, "mac", false, &runtime_mac, err, errlen);
		/* Multus hands the device plugin's choice over as either. */
		if (r == 0)
			r = get_string(rt, "pciBusID", false, &id, err, errlen);
		if (r == 0 && !id)
			r = get_string(rt, "deviceID", false, &id, err, errlen);
		if (r == 0 && id)
			r = device_id("runtimeConfig.deviceID", id, &out->device_id, err, errlen);
		free(id);
	}
	if (r == 0 && !out->device_id) {
		char *id = NULL;

		r = get_string(root, "deviceID", false, &id, err, errlen);
		if (r == 0 && !id)
			r = get_string(root, "pciBusID", false, &id, err, errlen);
		if (r == 0 && id)
			r = device_id("deviceID", id, &out->device_id, err, errlen);
		free(id);
	}
	if (r == 0 && json_object_object_get_ex(root, "ipam", &v) &&
	    !json_object_is_type(v, json_type_null)) {
		if (!json_object_is_type(v, json_type_object))
			r = errset(err, errlen, -EINVAL, "\"ipam\" must be an object");
		else
			r = get_string(v, "type", false, &out->ipam_type, err, errlen);
		if (r == 0 && out->ipam_type && !parse_token_ok(out->ipam_type, 64))
			r = errset(err, errlen, -EINVAL,
				   "\"ipam.type\" '%.64s' is not a plugin name", out->ipam_type);
	}
	if (r == 0 && json_object_object_get_ex(root, "prevResult", &v) &&
	    !json_object_is_type(v, json_type_null)) {
		if (!json_object_is_type(v, json_type_object))
			r = errset(err, errlen, -EINVAL, "\"prevResult\" must be an object");
		else if (!(out->prev_result = strdup(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE))))
			r = -ENOMEM;
	}
	if (r == 0)
		r = parse_gc(root, out, err, errlen);
	if (r == 0)
		r = parse_attrs(root, runtime_mac, out, err, errlen);
	free(runtime_mac);
	json_object_put(root);
	if (r < 0)
		sriov_cni_conf_clear(out);
	return r;
}

void sriov_cni_conf_clear(struct sriov_cni_conf *c)
{
	free(c->cni_version);
	free(c->name);
	free(c->type);
	free(c->device_id);
	sriov_vf_settings_clear(&c->settings);
	free(c->log_level);
	free(c->log_file);
	free(c->ipam_type);
	free(c->prev_result);
	sriov_strv_clear(&c->gc_valid);
	memset(c, 0, sizeof(*c));
}
