/* SPDX-License-Identifier: MIT */
/*
 * The transaction journal (docs/journal.md): what an apply is doing, on
 * disk before it does it, so that the next sriovctl can finish a
 * transaction whose process died (SIGKILL, a crash, a power loss).
 *
 *   {"schema":"sriovctl.journal/v1","pid":..,"uid":..,"time_us":..,
 *    "command":..,"boot_id":..,"rollback":true,"steps":N,"state":{...}}
 *   {"intent":I,"time_us":..,"changes":[{"device":..,"pf":..,
 *    "attribute":..,"old":..,"new":..}]}
 *   {"result":I,"err":0}
 *   {"note":"rollback"} | {"note":"recovery"}
 *
 * The file stays; emptied, it means "no transaction".
 */
#include "ops/journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "ctx.h"
#include "io/owned.h"
#include "ops/plan.h"
#include "util/jsonout.h"

#define SCHEMA "sriovctl.journal/v1"
#define MAX_JOURNAL (64u << 20)

struct journal {
	int fd;
};

static long long realtime_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The kernel's boot id (a UUID), "" when it cannot be read (a tree). */
static void boot_id(struct sriov_ctx *ctx, char *buf, size_t size)
{
	ssize_t n = rootfs_read(ctx->rfs, ROOTFS_TOP,
				"proc/sys/kernel/random/boot_id", buf, size - 1);
	size_t len;

	if (n < 0)
		n = 0;
	buf[n] = '\0';
	len = strspn(buf, "0123456789abcdef-");
	buf[len] = '\0';
}

void journal_free(struct journal *j)
{
	if (!j)
		return;
	if (j->fd >= 0)
		close(j->fd);
	free(j);
}


static int emit(struct journal *j, json_object *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int r;

	if (!f) {
		json_object_put(o);
		return -ENOMEM;
	}
	r = jout_emit(o, false, f);
	if (fclose(f) != 0 && r == 0)
		r = -ENOMEM;
	if (r == 0)
		r = owned_append(j->fd, buf, len);
	free(buf);
	return r;
}

static int open_journal(struct sriov_ctx *ctx, struct journal **out)
{
	struct journal *j = calloc(1, sizeof(*j));

	if (!j)
		return -ENOMEM;
	j->fd = owned_open(ctx->rfs, SRIOV_JOURNAL_PATH, O_RDWR | O_APPEND,
			   0600, 0755, 1, NULL);
	if (j->fd < 0) {
		int r = j->fd;

		free(j);
		return r;
	}
	*out = j;
	return 0;
}

int journal_reopen(struct sriov_ctx *ctx, struct journal **out)
{
	return open_journal(ctx, out);
}

static json_object *state_json(const struct sriov_state *st)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_object *o = NULL;
	int r;

	if (!f)
		return NULL;
	r = sriov_state_write(st, false, f);
	if (fclose(f) == 0 && r == 0)
		o = json_tokener_parse(buf);
	free(buf);
	return o;
}

int journal_begin(struct sriov_ctx *ctx, const struct sriov_change_origin *who,
		  bool rollback, size_t n_steps,
		  const struct sriov_state *before, struct journal **out)
{
	struct journal *j = NULL;
	json_object *o, *st = NULL;
	char id[64], *text = NULL;
	size_t len = 0;
	int r;

	*out = NULL;
	r = open_journal(ctx, &j);
	if (r < 0)
		return r;
	/* A complete first line: a transaction nobody finished. */
	r = rootfs_read_all(j->fd, MAX_JOURNAL, &text, &len);
	if (r == 0 && memchr(text, '\n', len))
		r = -EBUSY;
	free(text);
	if (r == 0 && ftruncate(j->fd, 0) < 0)
		r = -errno;
	if (r == 0 && before && !(st = state_json(before)))
		r = -ENOMEM;
	if (r < 0) {
		journal_free(j);
		return r;
	}
	boot_id(ctx, id, sizeof(id));
	o = json_object_new_object();
	json_object_object_add(o, "schema", json_object_new_string(SCHEMA));
	json_object_object_add(o, "pid", json_object_new_int64(getpid()));
	json_object_object_add(o, "uid", json_object_new_int64(
		who ? who->uid : (unsigned)getuid()));
	json_object_object_add(o, "time_us", json_object_new_int64(realtime_us()));
	json_object_object_add(o, "command", jout_str(who ? who->command : NULL));
	json_object_object_add(o, "boot_id", jout_str(id[0] ? id : NULL));
	json_object_object_add(o, "rollback", json_object_new_boolean(rollback));
	json_object_object_add(o, "steps", json_object_new_int64((int64_t)n_steps));
	json_object_object_add(o, "state", st);
	r = emit(j, o);
	if (r < 0) {
		/* no half header left behind */
		int t = ftruncate(j->fd, 0);

		(void)t;
		journal_free(j);
		return r;
	}
	*out = j;
	return 0;
}

int journal_intent(struct journal *j, size_t i, const struct sriov_step *now)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array();
	struct step_line l;

	for (size_t k = 0; step_line(now, k, &l) == 0; k++) {
		json_object *c = json_object_new_object();

		json_object_object_add(c, "device", json_object_new_string(l.device));
		json_object_object_add(c, "pf", json_object_new_string(now->pf));
		json_object_object_add(c, "attribute", json_object_new_string(l.attribute));
		json_object_object_add(c, "old", l.old_known ?
				       json_object_new_string(l.old_value) : NULL);
		json_object_object_add(c, "new", json_object_new_string(l.new_value));
		json_object_array_add(a, c);
	}
	json_object_object_add(o, "intent", json_object_new_int64((int64_t)i));
	json_object_object_add(o, "time_us", json_object_new_int64(realtime_us()));
	json_object_object_add(o, "changes", a);
	return emit(j, o);
}

int journal_result(struct journal *j, size_t i, int err)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "result", json_object_new_int64((int64_t)i));
	json_object_object_add(o, "err", json_object_new_int(err));
	return emit(j, o);
}

int journal_note(struct journal *j, const char *what)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "note", json_object_new_string(what));
	return emit(j, o);
}

int journal_end(struct journal *j)
{
	if (ftruncate(j->fd, 0) < 0)
		return -errno;
	return fsync(j->fd) < 0 && errno != EINVAL ? -errno : 0;
}

/* ---------------------------------------------------------------- reading */

static void txn_change_clear(struct sriov_txn_change *c)
{
	free(c->device);
	free(c->pf);
	free(c->attribute);
	free(c->old_value);
	free(c->new_value);
}

void sriov_txn_free(struct sriov_txn *txn)
{
	if (!txn)
		return;
	for (size_t i = 0; i < txn->n_steps; i++) {
		for (size_t k = 0; k < txn->steps[i].n_changes; k++)
			txn_change_clear(&txn->steps[i].changes[k]);
		free(txn->steps[i].changes);
	}
	free(txn->steps);
	free(txn->command);
	sriov_state_free(txn->before);
	free(txn);
}

static json_object *get(json_object *o, const char *key, json_type type)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, type))
		return NULL;
	return v;
}

static int dup_str(json_object *o, const char *key, bool nullable,
		   char **out)
{
	json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v))
		return -EINVAL;
	if (!v)
		return nullable ? 0 : -EINVAL;
	if (!json_object_is_type(v, json_type_string))
		return -EINVAL;
	*out = strdup(json_object_get_string(v));
	return *out ? 0 : -ENOMEM;
}

static int parse_header(struct sriov_ctx *ctx, json_object *o,
			struct sriov_txn *t, char *err, size_t errlen)
{
	json_object *v, *st;
	char id[64], *rec_id = NULL;
	const char *text;
	int r;

	v = get(o, "schema", json_type_string);
	if (!v || strcmp(json_object_get_string(v), SCHEMA) != 0)
		return -EINVAL;
	if (!(v = get(o, "pid", json_type_int)))
		return -EINVAL;
	t->pid = json_object_get_int(v);
	if (!(v = get(o, "uid", json_type_int)))
		return -EINVAL;
	t->uid = (unsigned)json_object_get_int64(v);
	if (!(v = get(o, "time_us", json_type_int)))
		return -EINVAL;
	t->time_us = json_object_get_int64(v);
	if (!(v = get(o, "rollback", json_type_boolean)))
		return -EINVAL;
	t->rollback = json_object_get_boolean(v);
	if (!(v = get(o, "steps", json_type_int)))
		return -EINVAL;
	t->n_planned = (size_t)json_object_get_int64(v);
	if ((r = dup_str(o, "command", true, &t->command)) < 0 ||
	    (r = dup_str(o, "boot_id", true, &rec_id)) < 0)
		return r;
	boot_id(ctx, id, sizeof(id));
	t->other_boot = rec_id && id[0] && strcmp(rec_id, id) != 0;
	free(rec_id);
	if (!json_object_object_get_ex(o, "state", &st))
		return -EINVAL;
	if (!st)
		return 0;
	text = json_object_to_json_string_ext(st, JSON_C_TO_STRING_PLAIN);
	r = sriov_state_parse(text, strlen(text), &t->before, err, errlen);
	return r;
}

static int parse_intent(json_object *o, struct sriov_txn *t)
{
	json_object *v, *a;
	struct sriov_txn_step *s, *nv;
	size_t n;
	int r = 0;

	nv = realloc(t->steps, (t->n_steps + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	t->steps = nv;
	s = &t->steps[t->n_steps];
	memset(s, 0, sizeof(*s));
	s->result = SRIOV_TXN_NO_RESULT;
	if (!(v = get(o, "intent", json_type_int)) ||
	    json_object_get_int64(v) < 0)
		return -EINVAL;
	s->index = (size_t)json_object_get_int64(v);
	if (!(v = get(o, "time_us", json_type_int)) ||
	    !(a = get(o, "changes", json_type_array)))
		return -EINVAL;
	s->time_us = json_object_get_int64(v);
	t->n_steps++;
	n = json_object_array_length(a);
	s->changes = calloc(n ? n : 1, sizeof(*s->changes));
	if (!s->changes)
		return -ENOMEM;
	for (size_t k = 0; k < n && r == 0; k++) {
		json_object *c = json_object_array_get_idx(a, k);
		struct sriov_txn_change *x = &s->changes[s->n_changes++];

		if (!json_object_is_type(c, json_type_object))
			return -EINVAL;
		if ((r = dup_str(c, "device", false, &x->device)) < 0 ||
		    (r = dup_str(c, "pf", false, &x->pf)) < 0 ||
		    (r = dup_str(c, "attribute", false, &x->attribute)) < 0 ||
		    (r = dup_str(c, "old", true, &x->old_value)) < 0 ||
		    (r = dup_str(c, "new", false, &x->new_value)) < 0)
			return r;
	}
	return r;
}

static int parse_record(json_object *o, struct sriov_txn *t)
{
	json_object *v;

	if (json_object_object_get_ex(o, "intent", NULL))
		return parse_intent(o, t);
	if ((v = get(o, "result", json_type_int))) {
		size_t i = (size_t)json_object_get_int64(v);
		json_object *e = get(o, "err", json_type_int);

		if (!e)
			return -EINVAL;
		for (size_t k = t->n_steps; k-- > 0;)
			if (t->steps[k].index == i) {
				t->steps[k].result = json_object_get_int(e);
				return 0;
			}
		return -EINVAL;
	}
	if ((v = get(o, "note", json_type_string))) {
		if (strcmp(json_object_get_string(v), "rollback") == 0)
			t->rolling_back = true;
		else if (strcmp(json_object_get_string(v), "recovery") == 0)
			t->recovering = true;
		else
			return -EINVAL;
		return 0;
	}
	return -EINVAL;
}

static int parse_journal(struct sriov_ctx *ctx, const char *text, size_t len,
			 struct sriov_txn **out, char *err, size_t errlen)
{
	struct sriov_txn *t;
	size_t line = 0;
	int r = 0;

	*out = NULL;
	/* Only complete lines: one cut short was never acted upon. */
	if (!memchr(text, '\n', len))
		return 0;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	for (const char *p = text, *nl; r == 0 && (nl = memchr(p, '\n',
					   len - (size_t)(p - text))); p = nl + 1) {
		json_tokener *tok = json_tokener_new();
		json_object *o;
		char sub[256] = "";

		line++;
		if (!tok) {
			r = -ENOMEM;
			break;
		}
		json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
		o = json_tokener_parse_ex(tok, p, (int)(nl - p));
		if (!o || json_tokener_get_error(tok) != json_tokener_success ||
		    tok->char_offset != (int)(nl - p) ||
		    !json_object_is_type(o, json_type_object))
			r = -EINVAL;
		else if (line == 1)
			r = parse_header(ctx, o, t, sub, sizeof(sub));
		else
			r = parse_record(o, t);
		json_object_put(o);
		json_tokener_free(tok);
		if (r == -EINVAL && errlen)
			snprintf(err, errlen, "%s%s line %zu is not a record of sriovctl's journal%s%s",
				 strcmp(sriov_ctx_root(ctx), "/") ?
					sriov_ctx_root(ctx) : "",
				 SRIOV_JOURNAL_PATH, line, sub[0] ? ": " : "", sub);
	}
	if (r < 0) {
		sriov_txn_free(t);
		return r;
	}
	*out = t;
	return 0;
}

int sriov_txn_load(struct sriov_ctx *ctx, struct sriov_txn **out, char *err,
		   size_t errlen)
{
	struct stat st;
	char *text = NULL;
	size_t len = 0;
	int fd, r;

	*out = NULL;
	if (errlen)
		err[0] = '\0';
	fd = rootfs_open(ctx->rfs, ROOTFS_TOP, SRIOV_JOURNAL_PATH,
			 O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	if (fd == -ENOENT)
		return 0;
	if (fd == -ENXIO || fd == -EISDIR)
		fd = -EBADFD;
	if (fd < 0)
		return fd;
	r = fstat(fd, &st) < 0 ? -errno : S_ISREG(st.st_mode) ? 0 : -EBADFD;
	if (r == 0)
		r = rootfs_read_all(fd, MAX_JOURNAL, &text, &len);
	close(fd);
	if (r == 0)
		r = parse_journal(ctx, text, len, out, err, errlen);
	free(text);
	return r;
}
