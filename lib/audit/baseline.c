/* SPDX-License-Identifier: MIT */
/*
 * The audit baseline's file (docs/audit.md), read with libyaml's document
 * API through the policy's walker: the same strictness (unknown keys,
 * duplicate keys and aliases refused), every error with its position, and
 * parsing goes on after a bad value so that one run shows them all.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "io/root.h"
#include "policy/policy.h"
#include "policy/yamlwalk.h"
#include "util/strv.h"

/* Larger than any sane baseline; a bound so a wrong path cannot eat memory. */
#define BASELINE_MAX (1 << 20)
#define VFS_MAX 64
#define REASON_MAX 512
/* Ten Gb/s links are common, 400 Gb/s exist: a cap above is a typo. */
#define RATE_MAX 1000000

int sriov_baseline_new(struct sriov_baseline **out)
{
	struct sriov_baseline *b = calloc(1, sizeof(*b));

	if (!b)
		return -ENOMEM;
	for (size_t i = 0; i < SRIOV_AUDIT__COUNT; i++)
		if (sriov_audit_rule_at(i)->default_on)
			b->enabled |= 1u << i;
	*out = b;
	return 0;
}

void sriov_baseline_free(struct sriov_baseline *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n_exceptions; i++) {
		free(b->exceptions[i].vfs);
		free(b->exceptions[i].reason);
	}
	free(b->exceptions);
	for (size_t i = 0; i < b->n_errors; i++)
		free(b->errors[i].message);
	free(b->errors);
	sriov_strv_clear(&b->files);
	free(b);
}

struct bw {
	struct pw c;
	struct sriov_baseline *b;
};

static struct bw *bw_of(struct pw *c)
{
	return (struct bw *)c;
}

/* A VF set as sriov_host_resolve_vfs takes it: names, addresses, ranges. */
static bool vfs_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= VFS_MAX &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789_.:/,-") == n;
}

static void rate_pair(struct pw *c, const char *key, yaml_node_t *k,
		      yaml_node_t *v, void *data)
{
	struct sriov_baseline *b = bw_of(c)->b;
	unsigned *seen = data;

	if (strcmp(key, "max_tx_rate") == 0) {
		if (pw_uint(c, v, "vf.rate: max_tx_rate", 1, RATE_MAX, &b->max_tx_rate_cap))
			*seen |= 1;
	} else if (strcmp(key, "min_tx_rate") == 0) {
		if (pw_uint(c, v, "vf.rate: min_tx_rate", 0, RATE_MAX, &b->min_tx_rate_cap))
			*seen |= 2;
	} else {
		pw_err(c, k, "vf.rate: unknown key \"%s\" (known: max_tx_rate, min_tx_rate)", key);
	}
}

static void rules_pair(struct pw *c, const char *key, yaml_node_t *k,
		       yaml_node_t *v, void *data)
{
	struct sriov_baseline *b = bw_of(c)->b;
	int id = sriov_audit_rule_find(key);
	unsigned seen = 0;
	bool on;

	(void)data;
	if (id < 0) {
		pw_err(c, k, "rules: unknown rule \"%s\" (sriovctl audit --list-rules lists them)", key);
		return;
	}
	if (id == SRIOV_AUDIT_RATE && v->type == YAML_MAPPING_NODE) {
		size_t errors = c->p->n_errors;

		b->max_tx_rate_cap = b->min_tx_rate_cap = 0;
		if (!pw_mapping(c, v, key, rate_pair, &seen) || c->p->n_errors != errors)
			return;
		if (!seen) {
			pw_err(c, v, "vf.rate: give max_tx_rate, min_tx_rate or both (Mb/s)");
			return;
		}
		b->enabled |= 1u << id;
		return;
	}
	if (v->type != YAML_SCALAR_NODE) {
		pw_err(c, v, "%s: expected true or false%s, got %s", key,
		       id == SRIOV_AUDIT_RATE ? " or {max_tx_rate: N, min_tx_rate: N}" : "",
		       pw_kind(v));
		return;
	}
	if (!pw_bool(c, v, key, &on))
		return;
	if (on && id == SRIOV_AUDIT_RATE) {
		pw_err(c, v, "vf.rate: true needs caps: write {max_tx_rate: N, min_tx_rate: N}");
		return;
	}
	if (on)
		b->enabled |= 1u << id;
	else
		b->enabled &= ~(1u << id);
}

static void exc_rules(struct pw *c, yaml_node_t *v, struct sriov_audit_exception *e)
{
	yaml_node_item_t *it;

	if (v->type != YAML_SEQUENCE_NODE) {
		pw_err(c, v, "rules: expected a list of rule ids ([vf.trust]), got %s",
		       pw_kind(v));
		return;
	}
	if (!pw_first_visit(c, v, "rules"))
		return;
	if (v->data.sequence.items.top == v->data.sequence.items.start) {
		pw_err(c, v, "rules: an exception excuses at least one rule");
		return;
	}
	for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *n = yaml_document_get_node(c->doc, *it);
		const char *s = pw_scalar(n);
		int id;

		if (!n)
			continue;
		if (!s) {
			pw_err(c, n, "rules: expected a rule id, got %s", pw_kind(n));
			continue;
		}
		id = sriov_audit_rule_find(s);
		if (id < 0)
			pw_err(c, n, "rules: unknown rule \"%s\" (sriovctl audit --list-rules lists them)", s);
		else if (id == SRIOV_AUDIT_IOMMU)
			pw_err(c, n, "rules: host.iommu is about the host, not a VF: "
			       "turn it off under rules: instead");
		else if (e->rules & 1u << id)
			pw_err(c, n, "rules: \"%s\" is listed twice", s);
		else
			e->rules |= 1u << id;
	}
}

struct exc_data {
	struct sriov_audit_exception *e;
	bool has_vfs, has_rules, has_reason;
};

static void exc_pair(struct pw *c, const char *key, yaml_node_t *k,
		     yaml_node_t *v, void *data)
{
	struct exc_data *d = data;
	const char *s;

	if (strcmp(key, "vfs") == 0) {
		d->has_vfs = true;
		s = pw_string(c, v, "vfs");
		if (!s)
			return;
		if (!vfs_ok(s)) {
			pw_err(c, v, "vfs: expected a VF, a VF range or a PF (\"ens1f0/vf2-3\", "
			       "at most %d characters), got \"%s\"", VFS_MAX, s);
			return;
		}
		if (!(d->e->vfs = strdup(s)))
			c->err = -ENOMEM;
	} else if (strcmp(key, "rules") == 0) {
		d->has_rules = true;
		exc_rules(c, v, d->e);
	} else if (strcmp(key, "reason") == 0) {
		d->has_reason = true;
		s = pw_string(c, v, "reason");
		if (!s)
			return;
		if (strlen(s) > REASON_MAX) {
			pw_err(c, v, "reason: at most %d characters", REASON_MAX);
			return;
		}
		if (!(d->e->reason = strdup(s)))
			c->err = -ENOMEM;
	} else {
		pw_err(c, k, "exception: unknown key \"%s\" (known: vfs, rules, reason)", key);
	}
}

static void parse_exceptions(struct pw *c, yaml_node_t *n)
{
	struct sriov_baseline *b = bw_of(c)->b;
	size_t count;

	if (n->type != YAML_SEQUENCE_NODE) {
		pw_err(c, n, "exceptions: expected a list, got %s", pw_kind(n));
		return;
	}
	if (!pw_first_visit(c, n, "exceptions"))
		return;
	count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (count > SRIOV_AUDIT_EXCEPTIONS_MAX) {
		pw_err(c, n, "exceptions: %zu entries, at most %d", count,
		       SRIOV_AUDIT_EXCEPTIONS_MAX);
		return;
	}
	for (size_t i = 0; i < count && !c->err; i++) {
		yaml_node_t *e = yaml_document_get_node(c->doc, n->data.sequence.items.start[i]);
		struct sriov_audit_exception *v, x = { 0 };
		struct exc_data d = { .e = &x };

		if (!e)
			continue;
		x.loc = pw_loc(c, e);
		if (pw_mapping(c, e, "exception", exc_pair, &d)) {
			if (!d.has_vfs)
				pw_err(c, e, "exception: vfs is required (the VFs excused)");
			if (!d.has_rules)
				pw_err(c, e, "exception: rules is required (the rules excused)");
			if (!d.has_reason)
				pw_err(c, e, "exception: reason is required (why these VFs are excused)");
		}
		if (!x.vfs || !x.rules || !x.reason) {
			free(x.vfs);
			free(x.reason);
			continue;
		}
		v = realloc(b->exceptions, (b->n_exceptions + 1) * sizeof(*v));
		if (!v) {
			free(x.vfs);
			free(x.reason);
			c->err = -ENOMEM;
			return;
		}
		b->exceptions = v;
		b->exceptions[b->n_exceptions++] = x;
	}
}

static void top_pair(struct pw *c, const char *key, yaml_node_t *k,
		     yaml_node_t *v, void *data)
{
	(void)data;
	if (strcmp(key, "rules") == 0)
		pw_mapping(c, v, "rules", rules_pair, NULL);
	else if (strcmp(key, "exceptions") == 0)
		parse_exceptions(c, v);
	else
		pw_err(c, k, "unknown top-level key \"%s\" (known: rules, exceptions)", key);
}

int sriov_baseline_parse(struct sriov_baseline *b, const char *name,
			 const char *text, size_t len)
{
	struct sriov_policy *p;
	static const struct pw_doc_kind kind = {
		"a baseline", "rules: and exceptions:", "baseline", "a baseline file", NULL };
	struct bw bw = { .b = b };
	int r = sriov_policy_new(&p);

	if (r < 0)
		return r;
	/* the walker collects errors into a policy: they move here after */
	r = strv_push(&b->files, name);
	if (r < 0)
		goto out;
	bw.c.p = p;
	bw.c.file = b->files.v[b->files.n - 1];
	r = pw_walk_document(&bw.c, text, len, &kind, top_pair, NULL);
	if (r == 0)
		r = pw_take_errors(p, &b->errors, &b->n_errors);
out:
	sriov_policy_free(p);
	return r;
}

int sriov_baseline_load(const char *path, struct sriov_baseline **out,
			char *err, size_t errlen)
{
	struct sriov_baseline *b;
	char *text = NULL;
	size_t len = 0;
	int fd, r;

	err[0] = '\0';
	*out = NULL;
	r = sriov_baseline_new(&b);
	if (r < 0)
		return r;
	if (path) {
		fd = rootfs_open_outside(path);
		if (fd < 0) {
			snprintf(err, errlen, "cannot open %s: %s", path, rootfs_strerror(fd));
			sriov_baseline_free(b);
			return fd;
		}
		r = rootfs_read_all(fd, BASELINE_MAX, &text, &len);
		close(fd);
		if (r < 0) {
			snprintf(err, errlen, "cannot read %s: %s", path,
				 r == -EFBIG ? "larger than 1 MiB" : strerror(-r));
			sriov_baseline_free(b);
			return r;
		}
		r = sriov_baseline_parse(b, path, text, len);
		free(text);
		if (r < 0) {
			sriov_baseline_free(b);
			return r;
		}
	}
	*out = b;
	return 0;
}
