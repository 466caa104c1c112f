/* SPDX-License-Identifier: MIT */
/*
 * The quirk file (docs/quirks.md), read with libyaml's document API
 * through the policy's walker: unknown and duplicate keys, aliases and deep
 * nesting refused, every error with its position; an entry with an error
 * is dropped and parsing goes on so that one run shows every error.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "io/parse.h"
#include "policy/policy.h"
#include "policy/yamlwalk.h"
#include "quirk/quirk.h"
#include "util/strv.h"

struct qw {
	struct pw c;
	struct sriov_quirks *q;
	struct sriov_strv ids;       /* of this file: a duplicate is an error */
};

static struct qw *qw_of(struct pw *c)
{
	return (struct qw *)c;
}

/* A string of at most SRIOV_QUIRK_TEXT_MAX bytes on one line, copied. */
static char *text_of(struct pw *c, yaml_node_t *v, const char *key)
{
	const char *s = pw_string(c, v, key);
	char *d;

	if (!s)
		return NULL;
	if (strlen(s) > SRIOV_QUIRK_TEXT_MAX) {
		pw_err(c, v, "%s: longer than %d bytes", key, SRIOV_QUIRK_TEXT_MAX);
		return NULL;
	}
	if (strpbrk(s, "\n\r")) {
		pw_err(c, v, "%s: must be one line", key);
		return NULL;
	}
	d = strdup(s);
	if (!d)
		c->err = -ENOMEM;
	return d;
}

static bool hex16(struct pw *c, yaml_node_t *v, const char *key, uint16_t *out)
{
	const char *s = pw_scalar(v);
	unsigned long x;
	char *end;

	if (!s || strlen(s) != 4 || strspn(s, "0123456789abcdefABCDEF") != 4) {
		pw_err(c, v, "%s: expected four hex digits (\"8086\"), got %s", key,
		       s ? "another value" : pw_kind(v));
		return false;
	}
	x = strtoul(s, &end, 16);
	if (x == 0 || x == 0xffff) {
		pw_err(c, v, "%s: %s is not a PCI id", key, s);
		return false;
	}
	*out = (uint16_t)x;
	return true;
}

static void match_pair(struct pw *c, const char *key, yaml_node_t *k,
		       yaml_node_t *v, void *data)
{
	struct sriov_quirk *e = data;

	if (strcmp(key, "driver") == 0) {
		const char *s = pw_string(c, v, "match: driver");

		if (!s)
			return;
		if (!parse_token_ok(s, 64)) {
			pw_err(c, v, "match: driver: \"%s\" is not a driver name", s);
			return;
		}
		e->driver = strdup(s);
		if (!e->driver)
			c->err = -ENOMEM;
	} else if (strcmp(key, "vendor") == 0) {
		hex16(c, v, "match: vendor", &e->vendor_id);
	} else if (strcmp(key, "device") == 0) {
		if (v->type == YAML_SCALAR_NODE) {
			if (hex16(c, v, "match: device", &e->device_ids[0]))
				e->n_device_ids = 1;
			return;
		}
		if (v->type != YAML_SEQUENCE_NODE) {
			pw_err(c, v, "match: device: expected a PCI device id or a list of them, got %s",
			       pw_kind(v));
			return;
		}
		if (!pw_first_visit(c, v, "match: device"))
			return;
		for (yaml_node_item_t *it = v->data.sequence.items.start;
		     it < v->data.sequence.items.top; it++) {
			yaml_node_t *n = yaml_document_get_node(c->doc, *it);

			if (e->n_device_ids == SRIOV_QUIRK_DEVICES_MAX) {
				pw_err(c, n, "match: device: more than %d ids", SRIOV_QUIRK_DEVICES_MAX);
				return;
			}
			if (hex16(c, n, "match: device", &e->device_ids[e->n_device_ids]))
				e->n_device_ids++;
		}
		if (!e->n_device_ids)
			pw_err(c, v, "match: device: the list is empty");
	} else {
		pw_err(c, k, "match: unknown key \"%s\" (known: driver, vendor, device)", key);
	}
}

static const char *const errno_names[] = { "EINVAL", "EOPNOTSUPP", "EPERM", "EBUSY",
	"EAGAIN", "ERANGE", "ENODEV", "EIO", NULL };
static const int errno_values[] = { EINVAL, EOPNOTSUPP, EPERM, EBUSY, EAGAIN, ERANGE,
	ENODEV, EIO };

const char *sriov_quirk_errno_name(int err)
{
	for (size_t i = 0; errno_names[i]; i++)
		if (errno_values[i] == err)
			return errno_names[i];
	return NULL;
}

struct refusal {
	int attr;      /* -1: not given */
	int err;
};

static void refusal_pair(struct pw *c, const char *key, yaml_node_t *k,
			 yaml_node_t *v, void *data)
{
	struct refusal *f = data;

	if (strcmp(key, "attr") == 0) {
		const char *s = pw_string(c, v, "refuses: attr");
		const struct sriov_vf_attr_info *a = s ? sriov_vf_attr_lookup(s) : NULL;

		if (s && !a)
			pw_err(c, v, "refuses: attr: \"%s\" is not a VF attribute (`sriovctl vf --help` lists them)", s);
		else if (a && (a->attr == SRIOV_VF_ATTR_DRIVER || a->attr == SRIOV_VF_ATTR_MTU))
			pw_err(c, v, "refuses: attr: %s is not set through the PF", a->name);
		else if (a)
			f->attr = (int)a->attr;
	} else if (strcmp(key, "errno") == 0) {
		int w = pw_word(c, v, "refuses: errno", errno_names,
				"EINVAL, EOPNOTSUPP, EPERM, EBUSY, EAGAIN, ERANGE, ENODEV or EIO");

		if (w >= 0)
			f->err = errno_values[w];
	} else {
		pw_err(c, k, "refuses: unknown key \"%s\" (known: attr, errno)", key);
	}
}

static void refuses(struct pw *c, yaml_node_t *v, struct sriov_quirk *e)
{
	if (v->type != YAML_SEQUENCE_NODE) {
		pw_err(c, v, "refuses: expected a list of {attr: NAME, errno: ENAME}, got %s",
		       pw_kind(v));
		return;
	}
	if (!pw_first_visit(c, v, "refuses"))
		return;
	if (v->data.sequence.items.start == v->data.sequence.items.top)
		pw_err(c, v, "refuses: the list is empty");
	for (yaml_node_item_t *it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top; it++) {
		yaml_node_t *n = yaml_document_get_node(c->doc, *it);
		struct refusal f = { -1, 0 };
		size_t errors = c->p->n_errors;

		if (!pw_mapping(c, n, "refuses", refusal_pair, &f) || c->p->n_errors != errors)
			continue;
		if (f.attr < 0 || !f.err) {
			pw_err(c, n, "refuses: give attr and errno");
			continue;
		}
		if (e->refuses & (1u << f.attr)) {
			pw_err(c, n, "refuses: %s is listed twice",
			       sriov_vf_attr_info((enum sriov_vf_attr)f.attr)->name);
			continue;
		}
		e->refuses |= 1u << f.attr;
		e->refuse_errno[f.attr] = f.err;
	}
}

static void trust_for(struct pw *c, yaml_node_t *v, struct sriov_quirk *e)
{
	static const char *const words[] = { "promisc", "multicast", NULL };

	if (v->type != YAML_SEQUENCE_NODE) {
		pw_err(c, v, "trust_for: expected a list ([promisc, multicast]), got %s",
		       pw_kind(v));
		return;
	}
	if (!pw_first_visit(c, v, "trust_for"))
		return;
	for (yaml_node_item_t *it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top; it++) {
		int w = pw_word(c, yaml_document_get_node(c->doc, *it), "trust_for",
				words, "promisc or multicast");

		if (w >= 0)
			e->trust_for |= 1u << w;
	}
	if (!e->trust_for)
		pw_err(c, v, "trust_for: name promisc, multicast or both");
}

static const char *const effect_keys[SRIOV_QUIRK__COUNT] = {
	[SRIOV_QUIRK_MAX_VFS] = "max_vfs",
	[SRIOV_QUIRK_REFUSES] = "refuses",
	[SRIOV_QUIRK_PF_UP_FIRST] = "pf_up_first",
	[SRIOV_QUIRK_MODULE_PARAM] = "vfs_by_module_param",
	[SRIOV_QUIRK_FIRMWARE_VFS] = "firmware_vfs",
	[SRIOV_QUIRK_NUMVFS_PACE] = "numvfs_pace_ms",
	[SRIOV_QUIRK_MAC_RELOAD] = "mac_change_reload",
	[SRIOV_QUIRK_SWITCHDEV_UNBIND] = "switchdev_unbind",
	[SRIOV_QUIRK_TRUST_FOR] = "trust_for",
};

const char *sriov_quirk_effect_key(enum sriov_quirk_effect e)
{
	return (unsigned)e < SRIOV_QUIRK__COUNT ? effect_keys[e] : NULL;
}

static void effect_pair(struct pw *c, const char *key, yaml_node_t *k,
			yaml_node_t *v, void *data)
{
	struct sriov_quirk *e = data;
	size_t errors = c->p->n_errors;
	int f = -1;
	bool on;

	for (int i = 0; i < SRIOV_QUIRK__COUNT; i++)
		if (strcmp(key, effect_keys[i]) == 0)
			f = i;
	switch (f) {
	case SRIOV_QUIRK_MAX_VFS:
		/* the PCI capability's TotalVFs is 16 bits */
		pw_uint(c, v, key, 0, 65535, &e->max_vfs);
		break;
	case SRIOV_QUIRK_REFUSES:
		refuses(c, v, e);
		break;
	case SRIOV_QUIRK_PF_UP_FIRST:
	case SRIOV_QUIRK_MAC_RELOAD:
	case SRIOV_QUIRK_SWITCHDEV_UNBIND:
		if (pw_bool(c, v, key, &on) && !on)
			pw_err(c, v, "%s: false is the default: leave the key out", key);
		break;
	case SRIOV_QUIRK_MODULE_PARAM: {
		const char *s = pw_string(c, v, key);

		if (s && (!parse_token_ok(s, 64)))
			pw_err(c, v, "%s: \"%s\" is not a module parameter name", key, s);
		else if (s && !(e->module_param = strdup(s)))
			c->err = -ENOMEM;
		break;
	}
	case SRIOV_QUIRK_FIRMWARE_VFS:
		e->remedy = text_of(c, v, key);
		break;
	case SRIOV_QUIRK_NUMVFS_PACE:
		/* a minute per VF is no pace but a hang */
		if (pw_uint(c, v, key, 1, 60000, &e->pace_ms) && !e->pace_ms)
			pw_err(c, v, "%s: must be at least 1", key);
		break;
	case SRIOV_QUIRK_TRUST_FOR:
		trust_for(c, v, e);
		break;
	default:
		pw_err(c, k, "effects: unknown key \"%s\" (known: max_vfs, refuses, pf_up_first, vfs_by_module_param, firmware_vfs, numvfs_pace_ms, mac_change_reload, switchdev_unbind, trust_for)",
		       key);
		return;
	}
	if (c->p->n_errors == errors)
		e->effects |= 1u << f;
}

struct entry {
	struct sriov_quirk *e;
	bool has_match, has_effects;
};

static bool id_ok(const char *s)
{
	/* lower-case words joined by '.', '-' or '_': they are typed by people */
	if (!*s || strlen(s) > 64)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      ((*p == '.' || *p == '-' || *p == '_') && p != s)))
			return false;
	return true;
}

static void entry_pair(struct pw *c, const char *key, yaml_node_t *k,
		       yaml_node_t *v, void *data)
{
	struct entry *en = data;
	struct sriov_quirk *e = en->e;

	if (strcmp(key, "id") == 0) {
		const char *s = pw_string(c, v, key);

		if (s && !id_ok(s))
			pw_err(c, v, "id: \"%s\" is not an id (lower-case letters, digits, '.', '-', '_')", s);
		else if (s && !(e->id = strdup(s)))
			c->err = -ENOMEM;
	} else if (strcmp(key, "summary") == 0) {
		e->summary = text_of(c, v, key);
	} else if (strcmp(key, "source") == 0) {
		e->source = text_of(c, v, key);
	} else if (strcmp(key, "match") == 0) {
		size_t errors = c->p->n_errors;

		en->has_match = true;
		if (!pw_mapping(c, v, key, match_pair, e) || c->p->n_errors != errors)
			return;
		if (!e->driver && !e->vendor_id && !e->n_device_ids)
			pw_err(c, v, "match: give driver, vendor or device");
		else if (e->n_device_ids && !e->vendor_id)
			pw_err(c, v, "match: device needs vendor");
	} else if (strcmp(key, "effects") == 0) {
		size_t errors = c->p->n_errors;

		en->has_effects = true;
		if (pw_mapping(c, v, key, effect_pair, e) && c->p->n_errors == errors &&
		    !e->effects)
			pw_err(c, v, "effects: give at least one");
	} else {
		pw_err(c, k, "unknown key \"%s\" (known: id, summary, source, match, effects)", key);
	}
}

static void quirk_clear(struct sriov_quirk *e)
{
	free(e->id);
	free(e->summary);
	free(e->source);
	free(e->driver);
	free(e->module_param);
	free(e->remedy);
	memset(e, 0, sizeof(*e));
}

void quirk_entry_clear(struct sriov_quirk *e)
{
	quirk_clear(e);
}

/* Into the table: replacing the entry of the same id, else appended. */
static int put(struct sriov_quirks *q, struct sriov_quirk *e)
{
	struct sriov_quirk *v;

	for (size_t i = 0; i < q->n; i++)
		if (strcmp(q->v[i].id, e->id) == 0) {
			quirk_clear(&q->v[i]);
			q->v[i] = *e;
			return 0;
		}
	v = realloc(q->v, (q->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	q->v = v;
	q->v[q->n++] = *e;
	return 0;
}

static void one_entry(struct qw *w, yaml_node_t *n)
{
	struct pw *c = &w->c;
	struct sriov_quirk e = { .loc = pw_loc(c, n) };
	struct entry en = { .e = &e };
	size_t errors = c->p->n_errors;
	const char *missing = NULL;

	if (!pw_mapping(c, n, "quirks", entry_pair, &en))
		goto drop;
	if (c->p->n_errors != errors || c->err)
		goto drop;
	if (!e.id)
		missing = "id";
	else if (!e.summary)
		missing = "summary";
	else if (!e.source)
		missing = "source";
	else if (!en.has_match)
		missing = "match";
	else if (!en.has_effects)
		missing = "effects";
	if (missing) {
		pw_err(c, n, "a quirk needs %s", missing);
		goto drop;
	}
	for (size_t i = 0; i < w->ids.n; i++)
		if (strcmp(w->ids.v[i], e.id) == 0) {
			pw_err(c, n, "id \"%s\" is used twice in this file", e.id);
			goto drop;
		}
	if (strv_push(&w->ids, e.id) < 0 || put(w->q, &e) < 0) {
		c->err = -ENOMEM;
		goto drop;
	}
	return;
drop:
	quirk_clear(&e);
}

static void top_pair(struct pw *c, const char *key, yaml_node_t *k,
		     yaml_node_t *v, void *data)
{
	struct qw *w = qw_of(c);

	(void)data;
	if (strcmp(key, "quirks") != 0) {
		pw_err(c, k, "unknown key \"%s\" (known: quirks)", key);
		return;
	}
	if (v->type != YAML_SEQUENCE_NODE) {
		pw_err(c, v, "quirks: expected a list of entries, got %s", pw_kind(v));
		return;
	}
	if (!pw_first_visit(c, v, "quirks"))
		return;
	for (yaml_node_item_t *it = v->data.sequence.items.start;
	     it < v->data.sequence.items.top && !c->err; it++) {
		if (w->q->n >= SRIOV_QUIRK_ENTRIES_MAX) {
			pw_err(c, v, "quirks: more than %d entries", SRIOV_QUIRK_ENTRIES_MAX);
			return;
		}
		one_entry(w, yaml_document_get_node(c->doc, *it));
	}
}

int sriov_quirks_parse(struct sriov_quirks *q, const char *name,
		       const char *text, size_t len)
{
	struct sriov_policy *p;
	static const struct pw_doc_kind kind = {
		"a quirk file", "quirks:", "quirk file", "a quirk file", NULL };
	struct qw w = { .q = q };
	int r;

	if (len > SRIOV_QUIRK_FILE_MAX) {
		/* refused before libyaml sees it: the bound is the point */
		r = sriov_policy_new(&p);
		if (r < 0)
			return r;
		r = strv_push(&q->files, name);
		if (r >= 0)
			r = policy_error(p, &(struct sriov_policy_loc){
				q->files.v[q->files.n - 1], 1, 1 },
				"larger than %d bytes", SRIOV_QUIRK_FILE_MAX);
		goto move;
	}
	r = sriov_policy_new(&p);
	if (r < 0)
		return r;
	/* the walker collects errors into a policy: they move here after */
	r = strv_push(&q->files, name);
	if (r < 0)
		goto out;
	w.c.p = p;
	w.c.file = q->files.v[q->files.n - 1];
	r = pw_walk_document(&w.c, text, len, &kind, top_pair, NULL);
move:
	if (r == 0)
		r = pw_take_errors(p, &q->errors, &q->n_errors);
out:
	sriov_strv_clear(&w.ids);
	sriov_policy_free(p);
	return r < 0 ? r : 0;
}
