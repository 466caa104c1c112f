/* SPDX-License-Identifier: MIT */
/*
 * Walking a YAML document loaded with libyaml's document API, for the
 * files sriovctl reads as policy (the policy itself, an operator's
 * SriovNetworkNodePolicy to import): errors collected into the policy
 * with the position of the node, values checked as they are taken.
 */
#ifndef SRIOV_LIB_POLICY_YAMLWALK_H
#define SRIOV_LIB_POLICY_YAMLWALK_H

#include <stdbool.h>
#include <stddef.h>

#include <yaml.h>

#include "sriov.h"

/* Nesting limit: libyaml's scanner is quadratic in flow depth. */
#define PW_DEPTH_MAX 32

struct pw {
	struct sriov_policy *p;
	yaml_document_t *doc;
	const char *file;
	unsigned char *seen;   /* collection nodes visited: aliases are refused */
	int err;               /* -ENOMEM, sticky */
};


/*
 * Walk mapping @n calling @fn(c, key, value, data) for each pair whose key
 * is a scalar seen for the first time; duplicate and non-scalar keys are
 * errors.
 */
typedef void pw_pair_fn(struct pw *c, const char *key, yaml_node_t *k,
		     yaml_node_t *v, void *data);

struct sriov_policy_loc pw_loc(const struct pw *c, const yaml_node_t *n);
/* An error at @n into the policy; -ENOMEM sticks in c->err. */
__attribute__((format(printf, 3, 4)))
void pw_err(struct pw *c, const yaml_node_t *n, const char *fmt, ...);
/* "a list", "a mapping", "a plain value", "a string": for messages. */
const char *pw_kind(const yaml_node_t *n);
/* The text of a scalar node, NULL for anything else. */
const char *pw_scalar(const yaml_node_t *n);
/* False (with an error) when collection @n was reached before: an alias. */
bool pw_first_visit(struct pw *c, yaml_node_t *n, const char *what);
/* Each pair of mapping @n to @fn; false (with an error) when @n is not one. */
bool pw_mapping(struct pw *c, yaml_node_t *n, const char *what,
		pw_pair_fn *fn, void *data);
/* Values: false / -1 after an error at the node. */
bool pw_uint(struct pw *c, yaml_node_t *v, const char *key,
	     unsigned long min, unsigned long max, unsigned *out);
bool pw_bool(struct pw *c, yaml_node_t *v, const char *key, bool *out);
int pw_word(struct pw *c, yaml_node_t *v, const char *key,
	    const char *const *words, const char *expected);
const char *pw_string(struct pw *c, yaml_node_t *v, const char *key);
/* libyaml's own error, at its mark. Returns what policy_error() does. */
int pw_yaml_error(struct sriov_policy *p, const char *file, yaml_parser_t *y);
/*
 * One pass over the events before a document is built: deeper than
 * PW_DEPTH_MAX is refused at the collection that goes too deep. Returns 1
 * to go on (a syntax error is left to the load), 0 when refused, -ENOMEM.
 */
int pw_check_depth(struct sriov_policy *p, const char *file,
		   const char *text, size_t len);

/* What a one-document file is, for the walk's messages. */
struct pw_doc_kind {
	const char *noun;   /* "a policy": NOUN is a mapping with KEYS */
	const char *keys;   /* "pfs: and vfs:" */
	const char *what;   /* "policy": for pw_mapping()'s messages */
	const char *file;   /* "a policy file": FILE holds one YAML document */
	const char *more;   /* appended to that message, or NULL */
};

/*
 * Load @len bytes of @text as one YAML document and walk its top mapping
 * with @top (c->file names it; errors into c->p): too deep, a syntax
 * error, a root that is not a mapping, a second document are errors. A
 * document of comments only is empty. Returns 0 (look at the errors),
 * or -ENOMEM.
 */
int pw_walk_document(struct pw *c, const char *text, size_t len,
		     const struct pw_doc_kind *kind, pw_pair_fn *top, void *data);

/*
 * Move the errors the walker collected in @p to the end of the array
 * *@errors of *@n (a baseline's, a quirk table's). 0 or -ENOMEM.
 */
int pw_take_errors(struct sriov_policy *p, struct sriov_policy_error **errors,
		   size_t *n);

#endif
