/* SPDX-License-Identifier: MIT */
/*
 * The saved state of `sriovctl save` / `restore`: per PF its VF count and
 * autoprobe, per VF its driver, driver_override and the link attributes the
 * PF's driver reported. What libvirt keeps for one VF it hands to a guest
 * (admin MAC, VLAN), for a whole host. Parsing is strict: a state file is
 * written by sriovctl, so anything unexpected in it is an error, reported
 * with the JSON path of the offending value.
 */
#include <errno.h>
#include <limits.h>
#include <search.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "io/parse.h"
#include "pci/addr.h"
#include "util/jsonout.h"
#include "vf/json.h"
#include "sriov.h"

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void state_vf_clear(struct sriov_state_vf *v)
{
	free(v->driver);
	free(v->driver_override);
}

void sriov_state_free(struct sriov_state *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->n_pfs; i++) {
		struct sriov_state_pf *p = &st->pfs[i];

		for (size_t j = 0; j < p->n_vfs; j++)
			state_vf_clear(&p->vfs[j]);
		free(p->vfs);
		free(p->netdev);
	}
	free(st->pfs);
	free(st);
}

static int capture_pf(const struct sriov_pf *pf, struct sriov_state_pf *p)
{
	snprintf(p->address, sizeof(p->address), "%s", pf->address);
	p->netdevsim = pf->bus && strcmp(pf->bus, "netdevsim") == 0;
	p->vendor_id = pf->vendor_id;
	p->device_id = pf->device_id;
	p->num_vfs = pf->num_vfs;
	p->drivers_autoprobe = pf->drivers_autoprobe;
	p->mtu = pf->n_netdevs ? pf->netdevs[0].mtu : -1;
	p->up = pf->n_netdevs ? pf->netdevs[0].up : -1;
	if (pf->n_netdevs && !(p->netdev = strdup(pf->netdevs[0].name)))
		return -ENOMEM;
	p->vfs = calloc(pf->n_vfs ? pf->n_vfs : 1, sizeof(*p->vfs));
	if (!p->vfs)
		return -ENOMEM;
	for (size_t i = 0; i < pf->n_vfs; i++) {
		const struct sriov_vf *vf = &pf->vfs[i];
		struct sriov_state_vf *v = &p->vfs[p->n_vfs++];

		v->index = vf->index;
		v->mtu = vf->mtu;
		v->driver = dup_or_null(vf->driver);
		v->driver_override = dup_or_null(vf->driver_override);
		if ((vf->driver && !v->driver) ||
		    (vf->driver_override && !v->driver_override))
			return -ENOMEM;
		/* A VF beyond a truncated list: its netdev's MAC is not the
		 * administrative one the PF would set. */
		if (vf->link.source == SRIOV_VF_LINK_SRC_NETLINK)
			v->link = vf->link;
	}
	return 0;
}

int sriov_state_capture(const struct sriov_host *host,
			const struct sriov_pf *const *pfs, size_t n,
			struct sriov_state **out)
{
	struct sriov_state *st = calloc(1, sizeof(*st));
	size_t total = n ? n : host->n_pfs;
	int r = 0;

	*out = NULL;
	if (!st)
		return -ENOMEM;
	st->pfs = calloc(total ? total : 1, sizeof(*st->pfs));
	if (!st->pfs) {
		free(st);
		return -ENOMEM;
	}
	for (size_t i = 0; i < total && r == 0; i++)
		r = capture_pf(n ? pfs[i] : &host->pfs[i],
			       &st->pfs[st->n_pfs++]);
	if (r < 0) {
		sriov_state_free(st);
		return r;
	}
	*out = st;
	return 0;
}

/* ------------------------------------------------------------ writing */

static json_object *link_json(const struct sriov_vf_link *l)
{
	json_object *o;

	if (!l->present)
		return NULL;
	o = json_object_new_object();
	vf_link_json_add(o, l);
	return o;
}

int sriov_state_write(const struct sriov_state *st, bool pretty, FILE *out)
{
	json_object *root = json_object_new_object(), *pfs;
	char hex[8];

	json_object_object_add(root, "schema",
			       json_object_new_string(SRIOV_STATE_SCHEMA));
	pfs = json_object_new_array();
	json_object_object_add(root, "pfs", pfs);
	for (size_t i = 0; i < st->n_pfs; i++) {
		const struct sriov_state_pf *p = &st->pfs[i];
		json_object *o = json_object_new_object(), *vfs;

		json_object_object_add(o, "address", jout_str(p->address));
		json_object_object_add(o, "bus",
				       jout_str(p->netdevsim ? "netdevsim" : "pci"));
		json_object_object_add(o, "netdev", jout_str(p->netdev));
		snprintf(hex, sizeof(hex), "%04x", p->vendor_id);
		json_object_object_add(o, "vendor_id",
				       p->netdevsim ? NULL : jout_str(hex));
		snprintf(hex, sizeof(hex), "%04x", p->device_id);
		json_object_object_add(o, "device_id",
				       p->netdevsim ? NULL : jout_str(hex));
		json_object_object_add(o, "num_vfs",
				       json_object_new_int((int)p->num_vfs));
		json_object_object_add(o, "drivers_autoprobe",
				       json_object_new_boolean(p->drivers_autoprobe));
		json_object_object_add(o, "mtu", p->mtu < 0 ? NULL :
				       json_object_new_int(p->mtu));
		json_object_object_add(o, "up", p->up < 0 ? NULL :
				       json_object_new_boolean(p->up));
		vfs = json_object_new_array();
		json_object_object_add(o, "vfs", vfs);
		for (size_t j = 0; j < p->n_vfs; j++) {
			const struct sriov_state_vf *v = &p->vfs[j];
			json_object *vo = json_object_new_object();

			json_object_object_add(vo, "index",
					       json_object_new_int((int)v->index));
			json_object_object_add(vo, "driver", jout_str(v->driver));
			json_object_object_add(vo, "driver_override",
					       jout_str(v->driver_override));
			json_object_object_add(vo, "link", link_json(&v->link));
			json_object_object_add(vo, "mtu", v->mtu < 0 ? NULL :
					       json_object_new_int(v->mtu));
			json_object_array_add(vfs, vo);
		}
		json_object_array_add(pfs, o);
	}
	return jout_emit(root, pretty, out);
}

/* ------------------------------------------------------------ reading */

/*
 * A state file nests 6 deep (pfs[].vfs[].link); json-c's default allows
 * 32. A host has few PFs, a PF at most 65535 VFs (num_vfs is a u16).
 */
#define STATE_DEPTH_MAX 8
#define STATE_PFS_MAX 4096

struct reader {
	char *err;
	size_t errlen;
	char path[96];      /* "pfs[1].vfs[3]" */
};

static int bad(struct reader *rd, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(struct reader *rd, const char *key, const char *fmt, ...)
{
	size_t n = 0;
	va_list ap;

	if (rd->errlen == 0)
		return -EINVAL;
	if (rd->path[0] || key)
		n = (size_t)snprintf(rd->err, rd->errlen, "%s%s%s: ", rd->path,
				     rd->path[0] && key ? "." : "", key ? key : "");
	if (n < rd->errlen) {
		va_start(ap, fmt);
		vsnprintf(rd->err + n, rd->errlen - n, fmt, ap);
		va_end(ap);
	}
	/* Keys and values come from the file: no control bytes to a tty. */
	for (char *c = rd->err; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	return -EINVAL;
}

/* Every key of @o must be one of @keys (NULL-terminated). */
static int only_keys(struct reader *rd, json_object *o,
		     const char *const *keys)
{
	json_object_object_foreach(o, k, v) {
		size_t i;

		(void)v;
		for (i = 0; keys[i]; i++)
			if (strcmp(keys[i], k) == 0)
				break;
		if (!keys[i])
			return bad(rd, k, "unknown key");
	}
	return 0;
}

/* 1 found, 0 absent or null; <0 wrong type. */
static int get(struct reader *rd, json_object *o, const char *key,
	       json_type type, json_object **v)
{
	if (!json_object_object_get_ex(o, key, v) || *v == NULL)
		return 0;
	if (!json_object_is_type(*v, type))
		return bad(rd, key, "expected %s, got %s",
			   json_type_to_name(type),
			   json_type_to_name(json_object_get_type(*v)));
	return 1;
}

static int get_uint(struct reader *rd, json_object *o, const char *key,
		    int64_t max, bool required, unsigned *out)
{
	json_object *v;
	int64_t x;
	int r = get(rd, o, key, json_type_int, &v);

	if (r < 0)
		return r;
	if (r == 0)
		return required ? bad(rd, key, "missing") : 0;
	x = json_object_get_int64(v);
	if (x < 0 || x > max)
		return bad(rd, key, "%lld is out of range 0..%lld",
			   (long long)x, (long long)max);
	*out = (unsigned)x;
	return 1;
}

static int get_str(struct reader *rd, json_object *o, const char *key,
		   const char **out)
{
	json_object *v;
	int r = get(rd, o, key, json_type_string, &v);

	*out = r == 1 ? json_object_get_string(v) : NULL;
	return r;
}

static int get_bool(struct reader *rd, json_object *o, const char *key,
		    int *out)
{
	json_object *v;
	int r = get(rd, o, key, json_type_boolean, &v);

	*out = r == 1 ? json_object_get_boolean(v) : -1;
	return r;
}

/* A string value of attribute @a, by the attribute table; 1 found, 0 absent. */
static int get_word(struct reader *rd, json_object *o, int a, unsigned *out)
{
	const struct sriov_vf_attr_info *t = sriov_vf_attr_info(a);
	struct sriov_vf_attr_value v;
	const char *s;
	int r = get_str(rd, o, t->json, &s);

	if (r <= 0)
		return r;
	if (sriov_vf_attr_parse(a, s, &v, NULL, 0) < 0)
		return bad(rd, t->json, "'%s': use %s", s, t->values);
	*out = v.u;
	return 1;
}

/* A MAC as the kernel prints it; multicast is -EDOM. */
static int read_mac(const char *s, char out[18])
{
	uint8_t b[6];

	if (parse_mac(s, strlen(s), b) < 0)
		return -EINVAL;
	if (b[0] & 1)
		return -EDOM;
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2],
		 b[3], b[4], b[5]);
	return 0;
}

static int read_link(struct reader *rd, json_object *o,
		     struct sriov_vf_link *l)
{
	static const char *const keys[] = {
		"mac", "vlan", "qos", "vlan_protocol", "min_tx_rate",
		"max_tx_rate", "spoofchk", "trust", "query_rss", "link_state",
		NULL };
	const char *s;
	size_t n = strlen(rd->path);
	unsigned u;
	int r;

	snprintf(rd->path + n, sizeof(rd->path) - n, ".link");
	l->present = true;
	l->source = SRIOV_VF_LINK_SRC_NETLINK;
	l->spoofchk = l->trust = l->query_rss = l->link_state = -1;
	if ((r = only_keys(rd, o, keys)) < 0)
		return r;
	if ((r = get_str(rd, o, "mac", &s)) < 0)
		return r;
	if (s) {
		r = read_mac(s, l->mac);
		if (r == -EDOM)
			return bad(rd, "mac", "%s is a multicast address: a VF needs a unicast MAC", s);
		if (r < 0)
			return bad(rd, "mac", "'%s' is not a MAC address", s);
	}
	if ((r = get_uint(rd, o, "vlan", 4094, false, &l->vlan)) < 0 ||
	    (r = get_uint(rd, o, "qos", 7, false, &l->qos)) < 0 ||
	    (r = get_uint(rd, o, "min_tx_rate", UINT32_MAX, false,
			  &l->min_tx_rate)) < 0 ||
	    (r = get_uint(rd, o, "max_tx_rate", UINT32_MAX, false,
			  &l->max_tx_rate)) < 0)
		return r;
	if (l->max_tx_rate && l->min_tx_rate > l->max_tx_rate)
		return bad(rd, "min_tx_rate", "%u is above max_tx_rate %u",
			   l->min_tx_rate, l->max_tx_rate);
	if ((r = get_word(rd, o, SRIOV_VF_ATTR_VLAN_PROTO, &u)) < 0)
		return r;
	if (r == 1)
		l->vlan_proto = (uint16_t)u;
	if ((r = get_bool(rd, o, "spoofchk", &l->spoofchk)) < 0 ||
	    (r = get_bool(rd, o, "trust", &l->trust)) < 0 ||
	    (r = get_bool(rd, o, "query_rss", &l->query_rss)) < 0 ||
	    (r = get_word(rd, o, SRIOV_VF_ATTR_LINK_STATE, &u)) < 0)
		return r;
	if (r == 1)
		l->link_state = (int)u;
	rd->path[n] = '\0';
	return 0;
}

static int read_vf(struct reader *rd, json_object *o, unsigned num_vfs,
		   struct sriov_state_vf *v)
{
	static const char *const keys[] = { "index", "driver",
					    "driver_override", "link", "mtu",
					    NULL };
	json_object *link;
	unsigned mtu;
	const char *s;
	int r;

	if (!json_object_is_type(o, json_type_object))
		return bad(rd, NULL, "expected an object");
	if ((r = only_keys(rd, o, keys)) < 0 ||
	    (r = get_uint(rd, o, "index", INT_MAX, true, &v->index)) < 0)
		return r;
	if (v->index >= num_vfs)
		return bad(rd, "index", "%u is not below the PF's num_vfs %u",
			   v->index, num_vfs);
	if ((r = get_str(rd, o, "driver", &s)) < 0)
		return r;
	if (s && (!*s || strchr(s, '/') || strlen(s) > 64))
		return bad(rd, "driver", "'%s' is not a driver name", s);
	if (s && !(v->driver = strdup(s)))
		return -ENOMEM;
	if ((r = get_str(rd, o, "driver_override", &s)) < 0)
		return r;
	if (s && (!*s || strchr(s, '/') || strlen(s) > 64))
		return bad(rd, "driver_override", "'%s' is not a driver name", s);
	if (s && !(v->driver_override = strdup(s)))
		return -ENOMEM;
	v->mtu = -1;
	if ((r = get_uint(rd, o, "mtu", 65535, false, &mtu)) < 0)
		return r;
	if (r == 1)
		v->mtu = (int)mtu;
	if ((r = get(rd, o, "link", json_type_object, &link)) < 0)
		return r;
	if (r == 1)
		return read_link(rd, link, &v->link);
	return 0;
}

static int read_pf(struct reader *rd, json_object *o, struct sriov_state_pf *p)
{
	static const char *const keys[] = {
		"address", "bus", "netdev", "vendor_id", "device_id", "num_vfs",
		"drivers_autoprobe", "mtu", "up", "vfs", NULL };
	json_object *vfs;
	unsigned char *listed;   /* a bit per VF index: duplicates in O(1) */
	unsigned mtu;
	const char *s;
	struct pci_addr pa;
	bool dom = false;
	unsigned id;
	int r, ap;

	if (!json_object_is_type(o, json_type_object))
		return bad(rd, NULL, "expected an object");
	if ((r = only_keys(rd, o, keys)) < 0 ||
	    (r = get_str(rd, o, "bus", &s)) < 0)
		return r;
	if (s && strcmp(s, "netdevsim") == 0)
		p->netdevsim = true;
	else if (s && strcmp(s, "pci") != 0)
		return bad(rd, "bus", "'%s': use pci or netdevsim", s);
	if ((r = get_str(rd, o, "address", &s)) < 0)
		return r;
	if (!s)
		return bad(rd, "address", "missing");
	if (p->netdevsim ? (strlen(s) >= sizeof(p->address) || !*s)
			 : pci_addr_parse(s, &pa, &dom) < 0 || !dom)
		return bad(rd, "address", "'%s' is not a PCI address (DDDD:BB:DD.F)", s);
	snprintf(p->address, sizeof(p->address), "%s", s);
	if ((r = get_str(rd, o, "netdev", &s)) < 0)
		return r;
	if (s && !(p->netdev = strdup(s)))
		return -ENOMEM;
	for (int k = 0; k < 2; k++) {
		const char *key = k ? "device_id" : "vendor_id";
		char *end;

		if ((r = get_str(rd, o, key, &s)) < 0)
			return r;
		if (!s)
			continue;
		id = (unsigned)strtoul(s, &end, 16);
		if (strlen(s) != 4 || *end)
			return bad(rd, key, "'%s' is not a 4-digit hex id", s);
		if (k)
			p->device_id = (uint16_t)id;
		else
			p->vendor_id = (uint16_t)id;
	}
	if ((r = get_uint(rd, o, "num_vfs", 65535, true, &p->num_vfs)) < 0 ||
	    (r = get_bool(rd, o, "drivers_autoprobe", &ap)) < 0)
		return r;
	p->drivers_autoprobe = ap != 0;  /* absent: the kernel's default, on */
	p->mtu = -1;
	if ((r = get_uint(rd, o, "mtu", 65535, false, &mtu)) < 0)
		return r;
	if (r == 1)
		p->mtu = (int)mtu;
	if ((r = get_bool(rd, o, "up", &p->up)) < 0)
		return r;
	if ((r = get(rd, o, "vfs", json_type_array, &vfs)) < 0)
		return r;
	if (r == 0)
		return 0;
	p->vfs = calloc(json_object_array_length(vfs) + 1, sizeof(*p->vfs));
	listed = calloc(p->num_vfs / 8 + 1, 1);
	if (!p->vfs || !listed) {
		free(listed);
		return -ENOMEM;
	}
	size_t base = strlen(rd->path);
	for (size_t i = 0; i < json_object_array_length(vfs); i++) {
		struct sriov_state_vf *v = &p->vfs[p->n_vfs++];

		snprintf(rd->path + base, sizeof(rd->path) - base, ".vfs[%zu]", i);
		r = read_vf(rd, json_object_array_get_idx(vfs, i), p->num_vfs, v);
		if (r == 0 && (listed[v->index / 8] & 1u << (v->index % 8)))
			r = bad(rd, "index", "VF %u is listed twice", v->index);
		if (r < 0) {
			free(listed);
			return r;
		}
		listed[v->index / 8] |= (unsigned char)(1u << (v->index % 8));
		rd->path[base] = '\0';
	}
	free(listed);
	return 0;
}

int sriov_state_parse(const char *text, size_t len, struct sriov_state **out,
		      char *err, size_t errlen)
{
	struct reader rd = { .err = err, .errlen = errlen };
	struct hsearch_data seen = { 0 };  /* PF addresses */
	bool have_seen = false;
	struct json_tokener *tok;
	struct sriov_state *st;
	json_object *root, *pfs;
	const char *s;
	size_t n;
	int r;

	*out = NULL;
	if (errlen)
		err[0] = '\0';
	if (len > INT_MAX)
		return bad(&rd, NULL, "the file is too large");
	tok = json_tokener_new_ex(STATE_DEPTH_MAX);
	if (!tok)
		return -ENOMEM;
	/* No control characters in strings, no trailing commas: a state file
	 * is written by sriovctl, and keys end up in messages. */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, text, (int)len);
	if (!root || json_tokener_get_error(tok) != json_tokener_success ||
	    tok->char_offset < (int)len) {
		/* Trailing whitespace is fine, anything else is not. */
		size_t off = (size_t)tok->char_offset;
		bool trailing_ok = root != NULL;

		for (; trailing_ok && off < len; off++)
			if (!strchr(" \t\r\n", text[off]))
				trailing_ok = false;
		if (!trailing_ok) {
			enum json_tokener_error je = json_tokener_get_error(tok);
			unsigned line = 1, col = 1;

			for (int k = 0; k < tok->char_offset && (size_t)k < len; k++, col++)
				if (text[k] == '\n') {
					line++;
					col = 0;
				}
			bad(&rd, NULL, "not valid JSON at line %u, column %u (byte %d): %s",
			    line, col, tok->char_offset,
			    root ? "trailing data" :
			    je == json_tokener_error_depth ? "nested deeper than a state file (8 levels)" :
			    json_tokener_error_desc(je));
			json_tokener_free(tok);
			json_object_put(root);
			return -EINVAL;
		}
	}
	json_tokener_free(tok);
	st = calloc(1, sizeof(*st));
	if (!st) {
		json_object_put(root);
		return -ENOMEM;
	}
	static const char *const keys[] = { "schema", "pfs", NULL };
	if (!json_object_is_type(root, json_type_object)) {
		r = bad(&rd, NULL, "expected a JSON object (a file written by 'sriovctl save')");
		goto out;
	}
	if ((r = get_str(&rd, root, "schema", &s)) < 0)
		goto out;
	if (!s || strcmp(s, SRIOV_STATE_SCHEMA) != 0) {
		r = bad(&rd, "schema", "'%s' is not %s (a file written by 'sriovctl save')",
			s ? s : "(missing)", SRIOV_STATE_SCHEMA);
		goto out;
	}
	if ((r = only_keys(&rd, root, keys)) < 0 ||
	    (r = get(&rd, root, "pfs", json_type_array, &pfs)) < 0)
		goto out;
	if (r == 0) {
		r = bad(&rd, "pfs", "missing");
		goto out;
	}
	r = 0;
	n = json_object_array_length(pfs);
	if (n > STATE_PFS_MAX) {
		r = bad(&rd, "pfs", "%zu entries; a state file holds at most %d PFs",
			n, STATE_PFS_MAX);
		goto out;
	}
	st->pfs = calloc(n + 1, sizeof(*st->pfs));
	if (!st->pfs || !hcreate_r(2 * n + 1, &seen)) {
		r = -ENOMEM;
		goto out;
	}
	have_seen = true;
	for (size_t i = 0; i < n && r == 0; i++) {
		struct sriov_state_pf *p = &st->pfs[st->n_pfs++];
		ENTRY e = { 0 }, *found = NULL;

		snprintf(rd.path, sizeof(rd.path), "pfs[%zu]", i);
		r = read_pf(&rd, json_object_array_get_idx(pfs, i), p);
		e.key = p->address;
		if (r == 0 && !hsearch_r(e, ENTER, &found, &seen))
			r = -ENOMEM;
		else if (r == 0 && found->key != p->address)
			r = bad(&rd, "address", "PF %s is listed twice", p->address);
	}
out:
	if (have_seen)
		hdestroy_r(&seen);
	json_object_put(root);
	if (r < 0) {
		sriov_state_free(st);
		return r;
	}
	*out = st;
	return 0;
}
