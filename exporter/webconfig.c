/* SPDX-License-Identifier: MIT */
/*
 * --web.config.file in the format of Prometheus' exporter-toolkit
 * (https://prometheus.io/docs/prometheus/latest/configuration/https/):
 * tls_server_config's cert_file and key_file (relative to the file's
 * directory, as the toolkit takes them), basic_auth_users with bcrypt
 * hashes. Keys this exporter does not implement are refused, as the
 * toolkit refuses unknown ones: a setting is never silently ignored.
 */
#include <crypt.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "exporter.h"

#define WEBCONF_MAX (64u * 1024u)
#define USERS_MAX 1024u

void web_config_clear(struct web_config *wc)
{
	if (!wc)
		return;
	free(wc->cert_file);
	free(wc->key_file);
	for (size_t i = 0; i < wc->n_users; i++) {
		free(wc->users[i].name);
		free(wc->users[i].hash);
	}
	free(wc->users);
	memset(wc, 0, sizeof(*wc));
}

struct wc_parse {
	yaml_document_t doc;
	const char *dir;      /* of the file, for relative paths */
	char *err;
	size_t errlen;
};

static int fail(struct wc_parse *p, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct wc_parse *p, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;
	size_t l;

	snprintf(p->err, p->errlen, "line %zu: ", n ? n->start_mark.line + 1 : 0);
	l = strlen(p->err);
	va_start(ap, fmt);
	vsnprintf(p->err + l, p->errlen - l, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* @v as a path: relative ones from the config file's directory. */
static int path_of(struct wc_parse *p, const yaml_node_t *n, char **out)
{
	const char *v = scalar(n);

	if (!v || !*v)
		return fail(p, n, "%s takes a file name", "the value");
	if (v[0] == '/' ? asprintf(out, "%s", v) : asprintf(out, "%s/%s", p->dir, v)) {
		if (*out)
			return 0;
	}
	return -ENOMEM;
}

static int tls(struct wc_parse *p, yaml_node_t *m, struct web_config *wc)
{
	if (m->type != YAML_MAPPING_NODE)
		return fail(p, m, "%s is a mapping", "tls_server_config");
	for (yaml_node_pair_t *kv = m->data.mapping.pairs.start;
	     kv < m->data.mapping.pairs.top; kv++) {
		yaml_node_t *k = yaml_document_get_node(&p->doc, kv->key);
		yaml_node_t *v = yaml_document_get_node(&p->doc, kv->value);
		const char *key = scalar(k);
		char **dst = !key ? NULL : strcmp(key, "cert_file") == 0 ? &wc->cert_file :
			     strcmp(key, "key_file") == 0 ? &wc->key_file : NULL;
		int r;

		if (!dst)
			return fail(p, k, "tls_server_config: '%s' is not supported (cert_file and key_file are)",
				    key ? key : "?");
		if (*dst)
			return fail(p, k, "%s is given twice", key);
		r = path_of(p, v, dst);
		if (r < 0)
			return r;
	}
	if (!wc->cert_file != !wc->key_file)
		return fail(p, m, "%s needs both cert_file and key_file", "tls_server_config");
	if (!wc->cert_file)
		return fail(p, m, "%s has no cert_file and key_file", "tls_server_config");
	return 0;
}

static int users(struct wc_parse *p, yaml_node_t *m, struct web_config *wc)
{
	size_t n;

	if (m->type != YAML_MAPPING_NODE)
		return fail(p, m, "%s is a mapping of user names to bcrypt hashes",
			    "basic_auth_users");
	n = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	if (n > USERS_MAX)
		return fail(p, m, "%s has too many users", "basic_auth_users");
	wc->users = calloc(n ? n : 1, sizeof(*wc->users));
	if (!wc->users)
		return -ENOMEM;
	for (yaml_node_pair_t *kv = m->data.mapping.pairs.start;
	     kv < m->data.mapping.pairs.top; kv++) {
		yaml_node_t *k = yaml_document_get_node(&p->doc, kv->key);
		yaml_node_t *v = yaml_document_get_node(&p->doc, kv->value);
		const char *name = scalar(k), *hash = scalar(v);

		if (!name || !*name || strchr(name, ':'))
			return fail(p, k, "%s: a user name is a string without ':'",
				    "basic_auth_users");
		/* bcrypt only, as the toolkit: $2a$, $2b$, $2y$, cost, 53 chars */
		if (!hash || strlen(hash) != 60 || hash[0] != '$' || hash[1] != '2' ||
		    !strchr("aby", hash[2]) || hash[3] != '$')
			return fail(p, v, "basic_auth_users: the password of '%s' is not a bcrypt hash ($2y$...)",
				    name);
		for (size_t i = 0; i < wc->n_users; i++)
			if (strcmp(wc->users[i].name, name) == 0)
				return fail(p, k, "basic_auth_users: '%s' is given twice", name);
		wc->users[wc->n_users].name = strdup(name);
		wc->users[wc->n_users].hash = strdup(hash);
		if (!wc->users[wc->n_users].name || !wc->users[wc->n_users].hash) {
			wc->n_users++;
			return -ENOMEM;
		}
		wc->n_users++;
	}
	return 0;
}

static int walk(struct wc_parse *p, struct web_config *wc)
{
	yaml_node_t *root = yaml_document_get_root_node(&p->doc);

	if (!root)
		return 0; /* an empty file: plain HTTP, no auth */
	if (root->type != YAML_MAPPING_NODE)
		return fail(p, root, "%s", "the file is a mapping (tls_server_config, basic_auth_users)");
	for (yaml_node_pair_t *kv = root->data.mapping.pairs.start;
	     kv < root->data.mapping.pairs.top; kv++) {
		yaml_node_t *k = yaml_document_get_node(&p->doc, kv->key);
		yaml_node_t *v = yaml_document_get_node(&p->doc, kv->value);
		const char *key = scalar(k);
		int r;

		if (key && strcmp(key, "tls_server_config") == 0)
			r = tls(p, v, wc);
		else if (key && strcmp(key, "basic_auth_users") == 0)
			r = users(p, v, wc);
		else
			r = fail(p, k, "'%s' is not supported (tls_server_config and basic_auth_users are)",
				 key ? key : "?");
		if (r < 0)
			return r;
	}
	return 0;
}

int web_config_load(const char *path, struct web_config *out, char *err,
		    size_t errlen)
{
	struct wc_parse p = { .err = err, .errlen = errlen };
	yaml_parser_t parser;
	char *buf = NULL, *dircopy = NULL;
	size_t n = 0;
	int r;

	memset(out, 0, sizeof(*out));
	r = sriov_read_user_file(path, WEBCONF_MAX, &buf, &n);
	if (r == -EFBIG || r == -EBADFD || r == -EISDIR) {
		r = -EINVAL;
		snprintf(err, errlen, "not a regular file of at most %u bytes", WEBCONF_MAX);
		goto out;
	}
	if (r < 0) {
		snprintf(err, errlen, "cannot read: %s", strerror(-r));
		goto out;
	}
	dircopy = strdup(path);
	if (!dircopy) {
		r = -ENOMEM;
		goto out;
	}
	p.dir = dirname(dircopy);
	if (!yaml_parser_initialize(&parser)) {
		r = -ENOMEM;
		goto out;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, n);
	if (!yaml_parser_load(&parser, &p.doc)) {
		snprintf(err, errlen, "line %zu: %s", parser.problem_mark.line + 1,
			 parser.problem ? parser.problem : "not YAML");
		yaml_parser_delete(&parser);
		r = -EINVAL;
		goto out;
	}
	yaml_parser_delete(&parser);
	r = walk(&p, out);
	yaml_document_delete(&p.doc);
out:
	if (r == -ENOMEM)
		snprintf(err, errlen, "out of memory");
	if (r < 0)
		web_config_clear(out);
	free(buf);
	free(dircopy);
	return r;
}

bool web_config_auth(const struct web_config *wc, const char *user,
		     const char *password)
{
	struct crypt_data *cd;
	const char *hash = NULL;
	bool ok = false;

	for (size_t i = 0; i < wc->n_users; i++)
		if (strcmp(wc->users[i].name, user) == 0)
			hash = wc->users[i].hash;
	cd = calloc(1, sizeof(*cd));
	if (!cd)
		return false;
	/*
	 * An unknown user costs a hash too: no timing tells users apart.
	 * crypt_rn, not crypt_r: ASan's interceptor of crypt_r calls NULL
	 * (gcc 12), and crypt_rn says failure with NULL, not "*0".
	 */
	const char *h = crypt_rn(password, hash ? hash :
				 "$2y$10$.....................................................", cd, sizeof(*cd));
	if (hash && h && h[0] != '*' && strlen(h) == strlen(hash)) {
		unsigned char diff = 0;

		for (size_t i = 0; hash[i]; i++)
			diff |= (unsigned char)(h[i] ^ hash[i]);
		ok = diff == 0;
	}
	free(cd);
	return ok;
}
