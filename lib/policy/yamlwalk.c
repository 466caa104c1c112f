/* SPDX-License-Identifier: MIT */
/*
 * Walking libyaml documents with errors collected at their nodes
 * (yamlwalk.h): shared by the policy's parser and the operator import.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "policy/policy.h"
#include "policy/yamlwalk.h"

struct sriov_policy_loc pw_loc(const struct pw *c, const yaml_node_t *n)
{
	return (struct sriov_policy_loc){ c->file, (unsigned)n->start_mark.line + 1,
					  (unsigned)n->start_mark.column + 1 };
}

void pw_err(struct pw *c, const yaml_node_t *n, const char *fmt, ...)
{
	struct sriov_policy_loc loc = pw_loc(c, n);
	char *msg;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r < 0 || policy_error(c->p, &loc, "%s", msg) < 0)
		c->err = -ENOMEM;
	if (r >= 0)
		free(msg);
}

const char *pw_kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE ? "a plain value"
								      : "a string";
	case YAML_SEQUENCE_NODE:
		return "a list";
	case YAML_MAPPING_NODE:
		return "a mapping";
	default:
		return "nothing";
	}
}

const char *pw_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* A mapping or list may be reached once: an alias would repeat entries. */
bool pw_first_visit(struct pw *c, yaml_node_t *n, const char *what)
{
	size_t i = (size_t)(n - c->doc->nodes.start);

	if (c->seen[i]) {
		pw_err(c, n, "%s: aliases (*name) are not supported in a policy", what);
		return false;
	}
	c->seen[i] = 1;
	return true;
}

struct key_ref {
	const char *key;
	size_t i;
};

static int pw_cmp_key(const void *a, const void *b)
{
	const struct key_ref *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

/*
 * first[i]: for a pair whose key repeats an earlier one, that one's index,
 * else i. Sorted, so that a mapping of 65536 ranges is not 2^31 compares.
 */
static size_t *pw_first_keys(struct pw *c, yaml_node_t *n)
{
	size_t np = (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
	struct key_ref *v = calloc(np ? np : 1, sizeof(*v));
	size_t *first = calloc(np ? np : 1, sizeof(*first)), k = 0;

	if (!v || !first) {
		free(v);
		free(first);
		c->err = -ENOMEM;
		return NULL;
	}
	for (size_t i = 0; i < np; i++) {
		const char *key = pw_scalar(yaml_document_get_node(c->doc,
					n->data.mapping.pairs.start[i].key));

		first[i] = i;
		if (key)
			v[k++] = (struct key_ref){ key, i };
	}
	qsort(v, k, sizeof(*v), pw_cmp_key);
	for (size_t j = 1; j < k; j++)
		if (strcmp(v[j].key, v[j - 1].key) == 0)
			first[v[j].i] = first[v[j - 1].i];
	free(v);
	return first;
}

bool pw_mapping(struct pw *c, yaml_node_t *n, const char *what,
		    pw_pair_fn *fn, void *data)
{
	yaml_node_pair_t *pairs;
	size_t np, *first;

	if (n->type != YAML_MAPPING_NODE) {
		pw_err(c, n, "%s: expected a mapping, got %s", what, pw_kind(n));
		return false;
	}
	if (!pw_first_visit(c, n, what))
		return false;
	pairs = n->data.mapping.pairs.start;
	np = (size_t)(n->data.mapping.pairs.top - pairs);
	first = pw_first_keys(c, n);
	if (!first)
		return false;
	for (size_t i = 0; i < np && !c->err; i++) {
		yaml_node_t *k = yaml_document_get_node(c->doc, pairs[i].key);
		yaml_node_t *v = yaml_document_get_node(c->doc, pairs[i].value);
		const char *key = pw_scalar(k);

		if (!k || !v)
			continue;
		if (!key) {
			pw_err(c, k, "%s: a key must be a plain word, not %s", what, pw_kind(k));
			continue;
		}
		if (first[i] != i) {
			yaml_node_t *k2 = yaml_document_get_node(c->doc, pairs[first[i]].key);

			pw_err(c, k, "%s: duplicate key \"%s\" (first at line %u, column %u)",
			     what, key, (unsigned)k2->start_mark.line + 1,
			     (unsigned)k2->start_mark.column + 1);
			continue;
		}
		fn(c, key, k, v, data);
	}
	free(first);
	return true;
}

/* ------------------------------------------------------------ values */

bool pw_uint(struct pw *c, yaml_node_t *v, const char *key,
		     unsigned long min, unsigned long max, unsigned *out)
{
	const char *s = pw_scalar(v);
	unsigned long x;
	size_t n;

	if (!s || v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
		pw_err(c, v, "%s: expected a number, got %s", key, pw_kind(v));
		return false;
	}
	n = strspn(s, "0123456789");
	if (n == 0 || s[n] || n > 10) {
		pw_err(c, v, "%s: expected a number, got \"%s\"", key, s);
		return false;
	}
	x = strtoul(s, NULL, 10);
	if (x < min || x > max) {
		pw_err(c, v, "%s: %s is out of range %lu..%lu", key, s, min, max);
		return false;
	}
	*out = (unsigned)x;
	return true;
}

bool pw_bool(struct pw *c, yaml_node_t *v, const char *key, bool *out)
{
	const char *s = pw_scalar(v);

	if (s && v->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0) {
			*out = s[0] == 't';
			return true;
		}
		pw_err(c, v, "%s: expected true or false, got \"%s\"", key, s);
		return false;
	}
	pw_err(c, v, "%s: expected true or false, got %s", key, pw_kind(v));
	return false;
}

/* One of @words (NULL-terminated), as its index; -1 after an error. */
int pw_word(struct pw *c, yaml_node_t *v, const char *key,
		    const char *const *words, const char *expected)
{
	const char *s = pw_scalar(v);

	if (!s) {
		pw_err(c, v, "%s: expected %s, got %s", key, expected, pw_kind(v));
		return -1;
	}
	for (int i = 0; words[i]; i++)
		if (strcasecmp(s, words[i]) == 0)
			return i;
	pw_err(c, v, "%s: expected %s, got \"%s\"", key, expected, s);
	return -1;
}

const char *pw_string(struct pw *c, yaml_node_t *v, const char *key)
{
	const char *s = pw_scalar(v);

	if (!s)
		pw_err(c, v, "%s: expected a string, got %s", key, pw_kind(v));
	else if (!*s)
		pw_err(c, v, "%s: must not be empty", key);
	return s && *s ? s : NULL;
}

int pw_yaml_error(struct sriov_policy *p, const char *file, yaml_parser_t *y)
{
	const yaml_mark_t *m = y->problem ? &y->problem_mark : &y->mark;
	struct sriov_policy_loc loc = { file, (unsigned)m->line + 1, (unsigned)m->column + 1 };

	if (y->error == YAML_MEMORY_ERROR)
		return -ENOMEM;
	return policy_error(p, &loc, "YAML: %s%s%s", y->problem ? y->problem : "syntax error",
			    y->context ? " " : "", y->context ? y->context : "");
}

/*
 * One pass over the events before the document is built: a file nested
 * deeper than PW_DEPTH_MAX is refused at the collection that goes too
 * deep. Returns 1 to go on (a syntax error is left to the load, which
 * reports it), 0 when refused, or -ENOMEM.
 */
int pw_check_depth(struct sriov_policy *p, const char *file,
		   const char *text, size_t len)
{
	yaml_parser_t y;
	yaml_event_t ev;
	int depth = 0, r = 1;

	if (!yaml_parser_initialize(&y))
		return -ENOMEM;
	yaml_parser_set_input_string(&y, (const unsigned char *)text, len);
	while (r == 1 && yaml_parser_parse(&y, &ev)) {
		yaml_event_type_t t = ev.type;

		if ((t == YAML_SEQUENCE_START_EVENT || t == YAML_MAPPING_START_EVENT) &&
		    ++depth > PW_DEPTH_MAX) {
			struct sriov_policy_loc loc = { file, (unsigned)ev.start_mark.line + 1,
							(unsigned)ev.start_mark.column + 1 };

			r = policy_error(p, &loc, "YAML: nested deeper than %d levels; a policy needs 6",
					 PW_DEPTH_MAX) < 0 ? -ENOMEM : 0;
		} else if (t == YAML_SEQUENCE_END_EVENT || t == YAML_MAPPING_END_EVENT) {
			depth--;
		}
		yaml_event_delete(&ev);
		if (t == YAML_STREAM_END_EVENT)
			break;
	}
	if (y.error == YAML_MEMORY_ERROR)
		r = -ENOMEM;
	yaml_parser_delete(&y);
	return r;
}


int pw_walk_document(struct pw *c, const char *text, size_t len,
		     const struct pw_doc_kind *kind, pw_pair_fn *top, void *data)
{
	struct sriov_policy *p = c->p;
	yaml_parser_t y;
	yaml_document_t doc, next;
	yaml_node_t *root;
	int r = pw_check_depth(p, c->file, text, len);

	if (r <= 0)
		return r;
	r = 0;
	if (!yaml_parser_initialize(&y))
		return -ENOMEM;
	yaml_parser_set_input_string(&y, (const unsigned char *)text, len);
	if (!yaml_parser_load(&y, &doc)) {
		r = pw_yaml_error(p, c->file, &y);
		yaml_parser_delete(&y);
		return r;
	}
	c->doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (root) {
		c->seen = calloc((size_t)(doc.nodes.top - doc.nodes.start) + 1, 1);
		if (!c->seen) {
			r = -ENOMEM;
			goto out;
		}
		if (root->type == YAML_SCALAR_NODE && !*pw_scalar(root) &&
		    root->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
			; /* a document of comments only */
		else if (root->type != YAML_MAPPING_NODE)
			pw_err(c, root, "%s is a mapping with %s, not %s", kind->noun,
			       kind->keys, pw_kind(root));
		else
			pw_mapping(c, root, kind->what, top, data);
		r = c->err;
		/* a second document would be silently ignored: refuse it */
		if (!r) {
			if (!yaml_parser_load(&y, &next)) {
				r = pw_yaml_error(p, c->file, &y);
			} else {
				yaml_node_t *n2 = yaml_document_get_root_node(&next);

				if (n2)
					r = policy_error(p, &(struct sriov_policy_loc){
						c->file, (unsigned)n2->start_mark.line + 1,
						(unsigned)n2->start_mark.column + 1 },
						"%s holds one YAML document%s", kind->file,
						kind->more ? kind->more : "") < 0 ? -ENOMEM : 0;
				yaml_document_delete(&next);
			}
		}
	}
out:
	free(c->seen);
	c->seen = NULL;
	c->doc = NULL;
	yaml_document_delete(&doc);
	yaml_parser_delete(&y);
	return r;
}

int pw_take_errors(struct sriov_policy *p, struct sriov_policy_error **errors,
		   size_t *n)
{
	struct sriov_policy_error *e;

	if (!p->n_errors)
		return 0;
	e = realloc(*errors, (*n + p->n_errors) * sizeof(*e));
	if (!e)
		return -ENOMEM;
	memcpy(e + *n, p->errors, p->n_errors * sizeof(*e));
	*errors = e;
	*n += p->n_errors;
	free(p->errors);
	p->errors = NULL;
	p->n_errors = 0;
	return 0;
}
