/* SPDX-License-Identifier: MIT */
/*
 * The policy file's syntax (docs/policy.md), read with libyaml's document
 * API. Every error is collected with the position of the offending node;
 * parsing goes on after a bad value so that one run shows them all.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "io/parse.h"
#include "policy/policy.h"
#include "policy/yamlwalk.h"
#include "util/strv.h"

/*
 * Limits: a policy nests 6 deep at most, and libyaml's scanner takes time
 * in the depth of flow collections for every token ([[[[...]]]] is
 * quadratic), so a deeper file is refused before it is loaded; a PF has at
 * most 65536 VFs, so an entry with more ranges than that repeats itself.
 */
#define POLICY_RANGES_MAX 65536
#define POLICY_ENTRIES_MAX 65536

static bool netdev_name_ok(const char *s)
{
	return parse_ifname_ok(s, strlen(s));
}

/* DDDD:BB:DD.F, lower or upper case hex. */
static bool pci_addr_ok(const char *s)
{
	unsigned d, b, dev, f;
	int n = 0;

	if (strlen(s) != 12 ||
	    sscanf(s, "%4x:%2x:%2x.%1x%n", &d, &b, &dev, &f, &n) != 4 || n != 12)
		return false;
	for (int i = 0; i < 12; i++)
		if (i == 4 || i == 7 ? s[i] != ':' : i == 10 ? s[i] != '.'
							 : !isxdigit((unsigned char)s[i]))
			return false;
	return dev < 32 && f < 8;
}

static bool get_id(struct pw *c, yaml_node_t *v, const char *key, uint16_t *out)
{
	const char *s = pw_scalar(v);
	size_t n;

	if (!s) {
		pw_err(c, v, "%s: expected a 4-digit hex id (\"8086\"), got %s", key, pw_kind(v));
		return false;
	}
	if (strncasecmp(s, "0x", 2) == 0)
		s += 2;
	n = strspn(s, "0123456789abcdefABCDEF");
	if (n != 4 || s[n]) {
		pw_err(c, v, "%s: expected a 4-digit hex id (\"8086\"), got \"%s\"", key,
		     pw_scalar(v));
		return false;
	}
	*out = (uint16_t)strtoul(s, NULL, 16);
	return true;
}

/* "3" or "0-7"; 0 or -EINVAL with the message done. */
static int range_parse(struct pw *c, yaml_node_t *k, const char *s,
		       unsigned *first, unsigned *last)
{
	size_t a = strspn(s, "0123456789"), b = 0;

	if (a && s[a] == '-')
		b = strspn(s + a + 1, "0123456789");
	if (a == 0 || a > 5 || (s[a] && (s[a] != '-' || b == 0 || b > 5 || s[a + 1 + b]))) {
		pw_err(c, k, "bad VF range \"%s\": expected INDEX or FIRST-LAST (\"0-3\")", s);
		return -EINVAL;
	}
	*first = (unsigned)strtoul(s, NULL, 10);
	*last = s[a] ? (unsigned)strtoul(s + a + 1, NULL, 10) : *first;
	if (*first > 65535 || *last > 65535) {
		pw_err(c, k, "VF range \"%s\": a VF index is at most 65535", s);
		return -EINVAL;
	}
	if (*last < *first) {
		pw_err(c, k, "VF range \"%s\" runs backwards: write \"%u-%u\"", s, *last, *first);
		return -EINVAL;
	}
	return 0;
}

/* ------------------------------------------------------------ VF settings */

struct vf_data {
	struct sriov_policy_vfs *vfs;
	bool selector;          /* a top-level `vfs:` item: `select` allowed */
	yaml_node_t *select;
};

/* The link settings a driver may refuse: netlink ones only. */
#define OPTIONAL_OK SRIOV_VF_ATTRS_LINK

static void vf_optional(struct pw *c, yaml_node_t *v,
			struct sriov_policy_vfs *r)
{
	if (v->type != YAML_SEQUENCE_NODE) {
		pw_err(c, v, "optional: expected a list of VF settings "
		     "([min_tx_rate, link_state]), got %s", pw_kind(v));
		return;
	}
	for (yaml_node_item_t *it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top; it++) {
		yaml_node_t *e = yaml_document_get_node(c->doc, *it);
		const char *s = e ? pw_scalar(e) : NULL;
		const struct sriov_vf_attr_info *t = sriov_vf_attr_lookup(s);
		int f = t ? (int)t->attr : -1;

		if (f < 0 || !(OPTIONAL_OK & (1u << f))) {
			char known[256];

			sriov_vf_attr_list(OPTIONAL_OK, true, known, sizeof(known));
			pw_err(c, e ? e : v, "optional: \"%s\" is not a VF link setting (%s)",
			     s ? s : "?", known);
			continue;
		}
		r->optional |= 1u << f;
	}
	r->optional_at = pw_loc(c, v);
}

/*
 * A pool name is a token every consumer takes as it is: a nova physnet,
 * a device plugin resourceName, a file name. Its first character is a
 * letter or digit.
 */
static bool pool_name_ok(const char *s)
{
	return parse_token_ok(s, SRIOV_POLICY_POOL_MAX);
}

static void vf_pool(struct pw *c, yaml_node_t *k, yaml_node_t *v,
		    struct sriov_policy_vfs *r)
{
	const char *s = pw_scalar(v);

	/* a second pool: in one mapping is the YAML layer's duplicate key */
	(void)k;
	if (!s) {
		pw_err(c, v, "pool: expected a name, got %s", pw_kind(v));
		return;
	}
	if (!pool_name_ok(s)) {
		pw_err(c, v, "pool: \"%s\" is not a pool name: 1..%d of A-Z a-z 0-9 _ . -, starting with a letter or digit",
		     s, SRIOV_POLICY_POOL_MAX);
		return;
	}
	if (!(r->pool = strdup(s))) {
		c->err = -ENOMEM;
		return;
	}
	r->pool_at = pw_loc(c, v);
}

/* The value of VF setting @t in range @r, parsed by the attribute table. */
static bool vf_value(struct pw *c, const struct sriov_vf_attr_info *t,
		     const char *key, yaml_node_t *v, struct sriov_policy_vfs *r)
{
	static const uint8_t zero[6];
	struct sriov_vf_attr_value val;
	const char *s = pw_scalar(v);
	bool plain = s && v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	char msg[256];
	int e;

	/* YAML's types: a quoted number or boolean is a string. */
	if (!s || (!plain && t->type == SRIOV_VF_ATTR_T_UINT)) {
		pw_err(c, v, "%s: expected a number, got %s", key, pw_kind(v));
		return false;
	}
	if (!plain && t->type == SRIOV_VF_ATTR_T_BOOL) {
		pw_err(c, v, "%s: expected true or false, got %s", key, pw_kind(v));
		return false;
	}
	if (!*s) {
		pw_err(c, v, "%s: must not be empty", key);
		return false;
	}
	if (t->attr == SRIOV_VF_ATTR_MAC && strcmp(s, "auto") == 0)
		return r->mac_auto = true;
	if (t->attr == SRIOV_VF_ATTR_DRIVER && strcmp(s, "none") == 0)
		val.str = s;
	else if (sriov_vf_attr_parse(t->attr, s, &val, msg, sizeof(msg)) < 0) {
		pw_err(c, v, "%s: %s", key, msg);
		return false;
	}
	if (t->attr == SRIOV_VF_ATTR_MAC && memcmp(val.mac, zero, 6) == 0) {
		pw_err(c, v, "mac: 00:00:00:00:00:00 is not an address; "
		     "leave mac out to keep the VF's own");
		return false;
	}
	e = policy_vfs_set(r, t->attr, &val);
	if (e < 0) {
		if (e == -ENOMEM)
			c->err = -ENOMEM;
		return false;
	}
	return true;
}

static void vf_pair(struct pw *c, const char *key, yaml_node_t *k,
		    yaml_node_t *v, void *data)
{
	struct vf_data *d = data;
	struct sriov_policy_vfs *r = d->vfs;
	const struct sriov_vf_attr_info *t;
	int f;

	if (d->selector && strcmp(key, "select") == 0) {
		d->select = v;
		return;
	}
	if (strcmp(key, "optional") == 0) {
		vf_optional(c, v, r);
		return;
	}
	if (strcmp(key, "pool") == 0) {
		vf_pool(c, k, v, r);
		return;
	}
	t = sriov_vf_attr_lookup(key);
	if (!t) {
		char known[256];

		sriov_vf_attr_list((1u << SRIOV_VF_ATTR__COUNT) - 1, true, known,
				   sizeof(known));
		pw_err(c, k, "unknown VF setting \"%s\" (known: %s, optional, pool%s; "
		     "docs/vf-attributes.md lists their other spellings)", key, known,
		     d->selector ? ", select" : "");
		return;
	}
	f = (int)t->attr;
	/* max-rate and max_tx_rate are one setting under two spellings */
	if (r->set & (1u << f)) {
		pw_err(c, k, "%s: %s is given twice (first at line %u, column %u)",
		     key, t->key, r->at[f].line, r->at[f].column);
		return;
	}
	if (vf_value(c, t, key, v, r)) {
		r->set |= 1u << f;
		r->at[f] = pw_loc(c, v);
	}
}

/* The checks within one range's settings. */
static void vf_settings_done(struct pw *c, struct sriov_policy_vfs *r)
{
	unsigned both = 1u << SRIOV_VF_ATTR_MIN_RATE | 1u << SRIOV_VF_ATTR_MAX_RATE;
	/* max 0 means no limit to the kernel */
	if ((r->set & both) == both && r->max_tx_rate && r->min_tx_rate > r->max_tx_rate)
		if (policy_error(c->p, &r->at[SRIOV_VF_ATTR_MIN_RATE],
				 "min_tx_rate %u is above max_tx_rate %u",
				 r->min_tx_rate, r->max_tx_rate) < 0)
			c->err = -ENOMEM;
	if ((r->set & 1u << SRIOV_VF_ATTR_MAC) && !r->mac_auto && r->last > r->first)
		if (policy_error(c->p, &r->at[SRIOV_VF_ATTR_MAC],
				 "mac: one explicit address for the %u VFs %u-%u; "
				 "use mac: auto or one VF per entry",
				 r->last - r->first + 1, r->first, r->last) < 0)
			c->err = -ENOMEM;
}

/* ------------------------------------------------------------ PFs */

static void ranges_pair(struct pw *c, const char *key, yaml_node_t *k,
			yaml_node_t *v, void *data)
{
	struct sriov_policy_pf *pf = data;
	struct sriov_policy_vfs *r;
	struct vf_data d = { 0 };
	unsigned first, last;

	if (range_parse(c, k, key, &first, &last) < 0) {
		/* still check the settings, so that one run shows every error */
		struct sriov_policy_vfs tmp = { 0 };

		d.vfs = &tmp;
		pw_mapping(c, v, "VFs", vf_pair, &d);
		free(tmp.driver);
		free(tmp.pool);
		return;
	}
	r = policy_vfs_add(pf);
	if (!r) {
		c->err = -ENOMEM;
		return;
	}
	r->first = first;
	r->last = last;
	r->loc = pw_loc(c, k);
	d.vfs = r;
	char what[64];

	snprintf(what, sizeof(what), "VFs \"%s\"", key);
	if (pw_mapping(c, v, what, vf_pair, &d))
		vf_settings_done(c, r);
}

static void match_pair(struct pw *c, const char *key, yaml_node_t *k,
		       yaml_node_t *v, void *data)
{
	yaml_node_t **slots = data;   /* netdev, pci, vendor, device, root_device, unknown */
	static const char *const keys[] = { "netdev", "pci", "vendor", "device",
					    "root_device" };

	for (int i = 0; i < 5; i++)
		if (strcmp(key, keys[i]) == 0) {
			slots[i] = v;
			return;
		}
	slots[5] = k;
	pw_err(c, k, "match: unknown selector \"%s\" (known: netdev, pci, "
	     "vendor and device, root_device)", key);
}

static void parse_match(struct pw *c, struct sriov_policy_pf *pf, yaml_node_t *n)
{
	yaml_node_t *s[6] = { 0 };
	const char *str;
	int forms;

	pf->match_loc = pw_loc(c, n);
	if (!pw_mapping(c, n, "match", match_pair, s))
		return;
	forms = !!s[0] + !!s[1] + !!(s[2] || s[3]) + !!s[4];
	if (forms == 0 && s[5])
		return;   /* the unknown selector said it */
	if (forms != 1) {
		pw_err(c, n, "match: give exactly one of netdev, pci, vendor and device, "
		     "root_device (%d given)", forms);
		return;
	}
	if (s[2] || s[3]) {
		if (!s[2] || !s[3]) {
			pw_err(c, n, "match: vendor and device go together");
			return;
		}
		if (get_id(c, s[2], "vendor", &pf->vendor_id) &&
		    get_id(c, s[3], "device", &pf->device_id))
			pf->match = SRIOV_POLICY_MATCH_ID;
		return;
	}
	for (int i = 0; i < 5; i++) {
		static const char *const keys[] = { "netdev", "pci", "", "", "root_device" };

		if (!s[i])
			continue;
		str = pw_string(c, s[i], keys[i]);
		if (!str)
			return;
		if (i == 0 && !netdev_name_ok(str)) {
			pw_err(c, s[i], "netdev: \"%s\" is not an interface name "
			     "(1-15 characters, no '/', ':' or spaces)", str);
			return;
		}
		if (i != 0 && !pci_addr_ok(str)) {
			pw_err(c, s[i], "%s: \"%s\" is not a PCI address (\"0000:3b:00.0\")",
			     keys[i], str);
			return;
		}
		pf->match = i == 0 ? SRIOV_POLICY_MATCH_NETDEV : i == 1 ? SRIOV_POLICY_MATCH_PCI
								      : SRIOV_POLICY_MATCH_ROOT_DEVICE;
		pf->value = strdup(str);
		if (!pf->value)
			c->err = -ENOMEM;
		pf->match_loc = pw_loc(c, s[i]);
	}
}

static void pf_pair(struct pw *c, const char *key, yaml_node_t *k,
		    yaml_node_t *v, void *data)
{
	static const char *const updown[] = { "up", "down", NULL };
	struct sriov_policy_pf *pf = data;
	int f = -1, w;
	bool ok = false;

	if (strcmp(key, "match") == 0) {
		parse_match(c, pf, v);
		pf->set |= 1u << SRIOV_PPF__COUNT;   /* match given */
		return;
	}
	if (strcmp(key, "vfs") == 0) {
		if (v->type == YAML_MAPPING_NODE &&
		    v->data.mapping.pairs.top - v->data.mapping.pairs.start > POLICY_RANGES_MAX) {
			pw_err(c, v, "vfs: %td VF ranges; a PF has at most %d VFs",
			     v->data.mapping.pairs.top - v->data.mapping.pairs.start,
			     POLICY_RANGES_MAX);
			return;
		}
		pw_mapping(c, v, "vfs", ranges_pair, pf);
		return;
	}
	for (int i = 0; i < SRIOV_PPF__COUNT; i++)
		if (strcmp(key, policy_pf_field_name(i)) == 0)
			f = i;
	switch (f) {
	case SRIOV_PPF_NUM_VFS:
		ok = pw_uint(c, v, key, 0, 65535, &pf->num_vfs);
		break;
	case SRIOV_PPF_MTU:
		ok = pw_uint(c, v, key, 68, 65535, &pf->mtu);
		break;
	case SRIOV_PPF_AUTOPROBE:
		ok = pw_bool(c, v, key, &pf->drivers_autoprobe);
		break;
	case SRIOV_PPF_LINK_STATE:
		w = pw_word(c, v, key, updown, "up or down");
		pf->link_up = w == 0;
		ok = w >= 0;
		break;
	default:
		pw_err(c, k, "unknown PF setting \"%s\" (known: match, num_vfs, mtu, "
		     "drivers_autoprobe, link_state, vfs)", key);
		return;
	}
	if (ok) {
		pf->set |= 1u << f;
		pf->at[f] = pw_loc(c, v);
	}
}

/* Whether the entries of list @n still fit in the policy; else an error. */
static bool entries_fit(struct pw *c, yaml_node_t *n, const char *what)
{
	size_t items = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);

	if (c->p->n_pfs + items <= POLICY_ENTRIES_MAX)
		return true;
	pw_err(c, n, "%s: %zu entries, and %zu before; a policy holds at most %d",
	     what, items, c->p->n_pfs, POLICY_ENTRIES_MAX);
	return false;
}

static void parse_pfs(struct pw *c, yaml_node_t *n)
{
	if (n->type != YAML_SEQUENCE_NODE) {
		pw_err(c, n, "pfs: expected a list of PF entries (\"- match: ...\"), got %s",
		     pw_kind(n));
		return;
	}
	if (!pw_first_visit(c, n, "pfs") || !entries_fit(c, n, "pfs"))
		return;
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top && !c->err; it++) {
		yaml_node_t *e = yaml_document_get_node(c->doc, *it);
		struct sriov_policy_pf *pf;

		if (!e)
			continue;
		pf = policy_pf_add(c->p);
		if (!pf) {
			c->err = -ENOMEM;
			return;
		}
		pf->loc = pw_loc(c, e);
		if (pw_mapping(c, e, "PF entry", pf_pair, pf) &&
		    !(pf->set & 1u << SRIOV_PPF__COUNT))
			pw_err(c, e, "PF entry: no match (netdev, pci, vendor and device, "
			     "or root_device)");
		pf->set &= ~(1u << SRIOV_PPF__COUNT);
	}
}

/* `vfs: [{select: "ens1f0#0-3", driver: ...}]`, the operator's selector form. */
static void parse_selectors(struct pw *c, yaml_node_t *n)
{
	if (n->type != YAML_SEQUENCE_NODE) {
		pw_err(c, n, "vfs: expected a list of entries (\"- select: ens1f0#0-3\"), got %s",
		     pw_kind(n));
		return;
	}
	if (!pw_first_visit(c, n, "vfs") || !entries_fit(c, n, "vfs"))
		return;
	for (yaml_node_item_t *it = n->data.sequence.items.start;
	     it < n->data.sequence.items.top && !c->err; it++) {
		yaml_node_t *e = yaml_document_get_node(c->doc, *it);
		struct sriov_policy_vfs tmp = { 0 }, *r;
		struct vf_data d = { .vfs = &tmp, .selector = true };
		struct sriov_policy_pf *pf;
		const char *sel, *hash;
		char name[16];

		if (!e)
			continue;
		if (!pw_mapping(c, e, "VF entry", vf_pair, &d)) {
			free(tmp.driver);
			free(tmp.pool);
			continue;
		}
		if (!d.select) {
			pw_err(c, e, "VF entry: no select (\"select: ens1f0#0-3\")");
			free(tmp.driver);
			free(tmp.pool);
			continue;
		}
		sel = pw_string(c, d.select, "select");
		hash = sel ? strchr(sel, '#') : NULL;
		if (sel && (!hash || hash == sel || (size_t)(hash - sel) >= sizeof(name))) {
			pw_err(c, d.select, "select: \"%s\" is not NETDEV#RANGE (\"ens1f0#0-3\")", sel);
			sel = NULL;
		}
		if (sel) {
			memcpy(name, sel, (size_t)(hash - sel));
			name[hash - sel] = '\0';
			if (!netdev_name_ok(name)) {
				pw_err(c, d.select, "select: \"%s\" is not an interface name", name);
				sel = NULL;
			}
		}
		if (!sel || range_parse(c, d.select, hash + 1, &tmp.first, &tmp.last) < 0) {
			free(tmp.driver);
			free(tmp.pool);
			continue;
		}
		pf = policy_pf_add(c->p);
		if (!pf || !(pf->value = strdup(name)) || !(r = policy_vfs_add(pf))) {
			free(tmp.driver);
			free(tmp.pool);
			c->err = -ENOMEM;
			return;
		}
		pf->loc = pw_loc(c, e);
		pf->match = SRIOV_POLICY_MATCH_NETDEV;
		pf->match_loc = pw_loc(c, d.select);
		pf->from_selector = true;
		tmp.loc = pw_loc(c, d.select);
		*r = tmp;
		vf_settings_done(c, r);
	}
}

static void top_pair(struct pw *c, const char *key, yaml_node_t *k,
		     yaml_node_t *v, void *data)
{
	if (strcmp(key, "pfs") == 0)
		parse_pfs(c, v);
	else if (strcmp(key, "vfs") == 0)
		parse_selectors(c, v);
	else
		pw_err(c, k, "unknown top-level key \"%s\" (known: pfs, vfs)", key);
}

int sriov_policy_add(struct sriov_policy *p, const char *name,
		     const char *text, size_t len)
{
	static const struct pw_doc_kind kind = {
		"a policy", "pfs: and vfs:", "policy", "a policy file",
		"; put more in conf.d/" };
	struct pw c = { .p = p };
	int i = strv_find(&p->files, name);

	if (i < 0) {
		if (strv_push(&p->files, name) < 0)
			return -ENOMEM;
		i = (int)p->files.n - 1;
	}
	c.file = p->files.v[i];
	return pw_walk_document(&c, text, len, &kind, top_pair, NULL);
}
