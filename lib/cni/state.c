/* SPDX-License-Identifier: MIT */
/*
 * The attachment record (docs/cni.md, "State files"): what ADD found and
 * changed, so that DEL can put exactly that back, CHECK knows what to
 * compare and GC what to give back. JSON through json-c.
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

#define STATE_FORMAT 1

static json_object *str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static void put(json_object *o, const char *k, json_object *v)
{
	json_object_object_add(o, k, v);
}

static char *mac_text(const uint8_t m[6], char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		 m[3], m[4], m[5]);
	return buf;
}

/* The VF's attributes before ADD, under the table's JSON names. */
static json_object *orig_json(const struct sriov_vf_link *l)
{
	json_object *o = json_object_new_object();

	put(o, "mac", l->mac[0] ? json_object_new_string(l->mac) : NULL);
	put(o, "vlan", json_object_new_int64(l->vlan));
	put(o, "qos", json_object_new_int64(l->qos));
	put(o, "vlan_protocol", json_object_new_string(
		    sriov_vf_vlan_proto_name(l->vlan_proto ? l->vlan_proto : ETH_P_8021Q)));
	put(o, "min_tx_rate", json_object_new_int64(l->min_tx_rate));
	put(o, "max_tx_rate", json_object_new_int64(l->max_tx_rate));
	put(o, "spoofchk", l->spoofchk < 0 ? NULL : json_object_new_boolean(l->spoofchk));
	put(o, "trust", l->trust < 0 ? NULL : json_object_new_boolean(l->trust));
	put(o, "link_state", l->link_state < 0 ? NULL :
	    json_object_new_string(sriov_vf_link_state_name(l->link_state)));
	return o;
}

int sriov_cni_state_format(const struct sriov_cni_state *s, char **out)
{
	json_object *o = json_object_new_object(), *changed;
	char mac[18];

	*out = NULL;
	if (!o)
		return -ENOMEM;
	put(o, "format", json_object_new_int(STATE_FORMAT));
	put(o, "containerID", str_or_null(s->container_id));
	put(o, "ifname", str_or_null(s->ifname));
	put(o, "netns", str_or_null(s->netns));
	put(o, "network", str_or_null(s->network));
	put(o, "cniVersion", str_or_null(s->cni_version));
	put(o, "deviceID", json_object_new_string(s->address));
	put(o, "pf", json_object_new_string(s->pf));
	put(o, "vf", json_object_new_int64(s->vf));
	put(o, "driver", str_or_null(s->driver));
	put(o, "hostIfname", str_or_null(s->host_ifname));
	put(o, "moved", json_object_new_boolean(s->moved));
	put(o, "added", json_object_new_boolean(s->added));
	put(o, "hostMac", s->host_ifname ?
	    json_object_new_string(mac_text(s->host_mac, mac, sizeof(mac))) : NULL);
	put(o, "hostMtu", s->host_mtu > 0 ? json_object_new_int(s->host_mtu) : NULL);
	put(o, "orig", orig_json(&s->orig));
	changed = json_object_new_array();
	for (int a = 0; a < SRIOV_VF_ATTR__COUNT; a++)
		if (s->mask & (1u << a))
			json_object_array_add(changed, json_object_new_string(
						      sriov_vf_attr_key((enum sriov_vf_attr)a)));
	put(o, "changed", changed);
	put(o, "conf", s->conf ? json_tokener_parse(s->conf) : NULL);
	put(o, "result", s->result ? json_tokener_parse(s->result) : NULL);
	*out = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE |
						    JSON_C_TO_STRING_SPACED));
	json_object_put(o);
	return *out ? 0 : -ENOMEM;
}

struct reader {
	json_object *o;
	char *err;
	size_t errlen;
};

/* Field @k: absent or null is @null_ok's business; else of type @t. */
static int field(struct reader *rd, json_object *o, const char *k,
		 enum json_type t, bool null_ok, json_object **v)
{
	*v = NULL;
	if (!json_object_object_get_ex(o, k, v) || json_object_is_type(*v, json_type_null)) {
		*v = NULL;
		return null_ok ? 0 : errset(rd->err, rd->errlen, -EINVAL,
					    "\"%s\" is missing", k);
	}
	if (!json_object_is_type(*v, t))
		return errset(rd->err, rd->errlen, -EINVAL, "\"%s\" has the wrong type", k);
	return 0;
}

static int get_str(struct reader *rd, json_object *o, const char *k,
		   bool null_ok, char **out)
{
	json_object *v;
	int r = field(rd, o, k, json_type_string, null_ok, &v);

	if (r < 0 || !v)
		return r;
	*out = strdup(json_object_get_string(v));
	return *out ? 0 : -ENOMEM;
}

static int get_uint(struct reader *rd, json_object *o, const char *k,
		    unsigned max, unsigned *out)
{
	json_object *v;
	int r = field(rd, o, k, json_type_int, false, &v);
	int64_t n;

	if (r < 0)
		return r;
	n = json_object_get_int64(v);
	if (n < 0 || n > max)
		return errset(rd->err, rd->errlen, -EINVAL, "\"%s\" is out of range", k);
	*out = (unsigned)n;
	return 0;
}

static int get_tristate(struct reader *rd, json_object *o, const char *k,
			int *out)
{
	json_object *v;
	int r = field(rd, o, k, json_type_boolean, true, &v);

	*out = v ? json_object_get_boolean(v) : -1;
	return r;
}

static int get_addr(struct reader *rd, json_object *o, const char *k,
		    char *out)
{
	json_object *v;
	struct pci_addr a;
	bool dom;
	int r = field(rd, o, k, json_type_string, false, &v);

	if (r < 0)
		return r;
	if (pci_addr_parse(json_object_get_string(v), &a, &dom) < 0 || !dom)
		return errset(rd->err, rd->errlen, -EINVAL, "\"%s\" is not a PCI address", k);
	pci_addr_format(&a, out, SRIOV_ADDR_MAX);
	return 0;
}

static int get_json(struct reader *rd, json_object *o, const char *k,
		    char **out)
{
	json_object *v;
	int r = field(rd, o, k, json_type_object, true, &v);

	if (r < 0 || !v)
		return r;
	*out = strdup(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	return *out ? 0 : -ENOMEM;
}

static int get_orig(struct reader *rd, json_object *o, struct sriov_vf_link *l)
{
	struct sriov_vf_attr_value val;
	json_object *v;
	char e[128];
	unsigned u;
	int r;

	memset(l, 0, sizeof(*l));
	l->present = true;
	l->source = SRIOV_VF_LINK_SRC_NETLINK;
	r = field(rd, o, "mac", json_type_string, true, &v);
	if (r == 0 && v) {
		if (sriov_vf_attr_parse(SRIOV_VF_ATTR_MAC, json_object_get_string(v), &val, e,
					sizeof(e)) < 0 && strcmp(json_object_get_string(v), "00:00:00:00:00:00"))
			return errset(rd->err, rd->errlen, -EINVAL, "\"orig.mac\": %s", e);
		snprintf(l->mac, sizeof(l->mac), "%s", json_object_get_string(v));
	}
	if (r == 0)
		r = get_uint(rd, o, "vlan", 4095, &l->vlan);
	if (r == 0)
		r = get_uint(rd, o, "qos", 7, &l->qos);
	if (r == 0)
		r = field(rd, o, "vlan_protocol", json_type_string, false, &v);
	if (r == 0) {
		if (sriov_vf_attr_parse(SRIOV_VF_ATTR_VLAN_PROTO, json_object_get_string(v),
					&val, e, sizeof(e)) < 0)
			return errset(rd->err, rd->errlen, -EINVAL, "\"orig.vlan_protocol\": %s", e);
		l->vlan_proto = (uint16_t)val.u;
	}
	if (r == 0)
		r = get_uint(rd, o, "min_tx_rate", UINT32_MAX, &l->min_tx_rate);
	if (r == 0)
		r = get_uint(rd, o, "max_tx_rate", UINT32_MAX, &l->max_tx_rate);
	if (r == 0)
		r = get_tristate(rd, o, "spoofchk", &l->spoofchk);
	if (r == 0)
		r = get_tristate(rd, o, "trust", &l->trust);
	l->query_rss = -1;
	l->link_state = -1;
	if (r == 0)
		r = field(rd, o, "link_state", json_type_string, true, &v);
	if (r == 0 && v) {
		if (sriov_vf_attr_parse(SRIOV_VF_ATTR_LINK_STATE, json_object_get_string(v),
					&val, e, sizeof(e)) < 0)
			return errset(rd->err, rd->errlen, -EINVAL, "\"orig.link_state\": %s", e);
		l->link_state = (int)val.u;
	}
	(void)u;
	return r;
}

int sriov_cni_state_parse(const char *json, size_t len,
			  struct sriov_cni_state *s, char *err, size_t errlen)
{
	struct reader rd = { .err = err, .errlen = errlen };
	struct json_tokener *tok;
	json_object *o, *v;
	unsigned fmt = 0, mtu;
	int r;

	memset(s, 0, sizeof(*s));
	s->host_mtu = -1;
	if (len > SRIOV_CNI_CONF_MAX * 2)
		return errset(err, errlen, -EBADMSG, "the state file is too large");
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	o = json_tokener_parse_ex(tok, json, (int)len);
	json_tokener_free(tok);
	if (!o || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return errset(err, errlen, -EBADMSG, "the state file is not a JSON object");
	}
	rd.o = o;
	r = get_uint(&rd, o, "format", 1000, &fmt);
	if (r == 0 && fmt != STATE_FORMAT)
		r = errset(err, errlen, -EINVAL, "format %u is not %d", fmt, STATE_FORMAT);
	if (r == 0)
		r = get_str(&rd, o, "containerID", false, &s->container_id);
	if (r == 0 && !sriov_cni_container_id_ok(s->container_id))
		r = errset(err, errlen, -EINVAL, "\"containerID\" is not a container id");
	if (r == 0)
		r = get_str(&rd, o, "ifname", false, &s->ifname);
	if (r == 0 && !sriov_cni_ifname_ok(s->ifname))
		r = errset(err, errlen, -EINVAL, "\"ifname\" is not an interface name");
	if (r == 0)
		r = get_str(&rd, o, "netns", true, &s->netns);
	if (r == 0)
		r = get_str(&rd, o, "network", true, &s->network);
	if (r == 0)
		r = get_str(&rd, o, "cniVersion", true, &s->cni_version);
	if (r == 0)
		r = get_addr(&rd, o, "deviceID", s->address);
	if (r == 0)
		r = get_addr(&rd, o, "pf", s->pf);
	if (r == 0)
		r = get_uint(&rd, o, "vf", 65535, &s->vf);
	if (r == 0)
		r = get_str(&rd, o, "driver", true, &s->driver);
	if (r == 0)
		r = get_str(&rd, o, "hostIfname", true, &s->host_ifname);
	if (r == 0 && s->host_ifname && !sriov_cni_ifname_ok(s->host_ifname))
		r = errset(err, errlen, -EINVAL, "\"hostIfname\" is not an interface name");
	if (r == 0 && (r = field(&rd, o, "moved", json_type_boolean, false, &v)) == 0)
		s->moved = json_object_get_boolean(v);
	if (r == 0 && (r = field(&rd, o, "added", json_type_boolean, false, &v)) == 0)
		s->added = json_object_get_boolean(v);
	if (r == 0 && (r = field(&rd, o, "hostMac", json_type_string, true, &v)) == 0 && v) {
		const char *m = json_object_get_string(v);

		if (parse_mac(m, strlen(m), s->host_mac) < 0)
			r = errset(err, errlen, -EINVAL, "\"hostMac\" is not a MAC");
	}
	if (r == 0 && (r = field(&rd, o, "hostMtu", json_type_int, true, &v)) == 0 && v) {
		r = get_uint(&rd, o, "hostMtu", 65535, &mtu);
		s->host_mtu = (int)mtu;
	}
	if (r == 0 && (r = field(&rd, o, "orig", json_type_object, false, &v)) == 0)
		r = get_orig(&rd, v, &s->orig);
	if (r == 0 && (r = field(&rd, o, "changed", json_type_array, false, &v)) == 0) {
		for (size_t i = 0; r == 0 && i < json_object_array_length(v); i++) {
			json_object *k = json_object_array_get_idx(v, i);
			const struct sriov_vf_attr_info *a =
				json_object_is_type(k, json_type_string) ?
				sriov_vf_attr_lookup(json_object_get_string(k)) : NULL;

			if (!a)
				r = errset(err, errlen, -EINVAL, "\"changed\"[%zu] is not an attribute", i);
			else
				s->mask |= 1u << a->attr;
		}
	}
	if (r == 0)
		r = get_json(&rd, o, "conf", &s->conf);
	if (r == 0)
		r = get_json(&rd, o, "result", &s->result);
	json_object_put(o);
	if (r < 0)
		sriov_cni_state_clear(s);
	return r;
}

void sriov_cni_state_clear(struct sriov_cni_state *s)
{
	free(s->container_id);
	free(s->ifname);
	free(s->netns);
	free(s->network);
	free(s->cni_version);
	free(s->conf);
	free(s->driver);
	free(s->host_ifname);
	free(s->result);
	memset(s, 0, sizeof(*s));
	s->host_mtu = -1;
}
