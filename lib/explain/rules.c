/* SPDX-License-Identifier: MIT */
/*
 * The rules of table.c against a text, in time linear in its length. An
 * unanchored regexec() restarts at every offset, and a pattern such as
 * "vlan.*peer" then runs to the end of the line from each "vlan": a line
 * of them is quadratic. So every pattern is compiled as "^.*(RE)" without
 * sub-matches and run on one line at a time, copied out and terminated
 * (regexec() and its sanitizer interceptor take the string's length):
 * glibc sees the pattern anchored and runs its DFA once over the line. A
 * union of the rules still open skips the lines that none of them can
 * match; it is rebuilt each time a rule is decided, at most once per rule.
 */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain/explain.h"

enum { OPEN, MATCHED, DEAD };

/* Long lines are matched in windows that overlap by half. */
#define STEP (EXPLAIN_LINE_MAX / 2)

struct window {
	const char *s;
	size_t len;
};

struct cursor {
	size_t pos, line_end;
	bool in_line;          /* line_end is that of the line at pos */
};

/* The text's next window: a line, or a part of a long one. */
static bool next_window(const char *text, size_t len, struct cursor *c,
			struct window *w)
{
	if (c->pos >= len)
		return false;
	if (!c->in_line) {
		const char *nl = memchr(text + c->pos, '\n', len - c->pos);

		c->line_end = nl ? (size_t)(nl - text) : len;
		c->in_line = true;
	}
	w->s = text + c->pos;
	if (c->line_end - c->pos <= EXPLAIN_LINE_MAX) {
		w->len = c->line_end - c->pos;
		c->pos = c->line_end + 1;
		c->in_line = false;
	} else {
		w->len = EXPLAIN_LINE_MAX;
		c->pos += STEP;
	}
	return true;
}

/* A window, NUL-terminated, in a buffer of EXPLAIN_LINE_MAX + 1 bytes. */
static const char *win_copy(char *buf, const struct window *w)
{
	memcpy(buf, w->s, w->len);
	buf[w->len] = '\0';
	return buf;
}

static bool win_match(const regex_t *rx, const char *line)
{
	return regexec(rx, line, 0, NULL, 0) == 0;
}

/* Compile the alternatives @res (n of them) as one line-anchored pattern. */
static int compile_line(regex_t *rx, const char *const *res, size_t n)
{
	size_t len = 8;
	char *p, *s;
	int r;

	for (size_t i = 0; i < n; i++)
		len += strlen(res[i]) + 3;
	s = p = malloc(len);
	if (!s)
		return -ENOMEM;
	p = stpcpy(p, "^.*(");
	for (size_t i = 0; i < n; i++) {
		if (i)
			*p++ = '|';
		*p++ = '(';
		p = stpcpy(p, res[i]);
		*p++ = ')';
	}
	strcpy(p, ")");
	r = regcomp(rx, s, REG_EXTENDED | REG_ICASE | REG_NOSUB);
	free(s);
	return r == 0 ? 0 : r == REG_ESPACE ? -ENOMEM : -EINVAL;
}

struct matcher {
	const char *text;
	size_t len;
	const struct explain_rule *rules;
	size_t n;
	regex_t *rx;           /* per rule */
	int *state;
	regex_t uni;
	bool have_uni;
	/* contexts looked for once each: the text's, not a line's */
	const char *ctx_seen[8];
	bool ctx_found[8];
	size_t n_ctx;
	struct explain_match_stats st;
	char line[EXPLAIN_LINE_MAX + 1];      /* the window being matched */
	char ctx_line[EXPLAIN_LINE_MAX + 1];  /* one of a context scan */
};

static int rebuild_union(struct matcher *m)
{
	const char **res = calloc(m->n ? m->n : 1, sizeof(*res));
	size_t k = 0;
	int r = 0;

	if (!res)
		return -ENOMEM;
	if (m->have_uni)
		regfree(&m->uni);
	m->have_uni = false;
	for (size_t i = 0; i < m->n; i++)
		if (m->state[i] == OPEN)
			res[k++] = m->rules[i].re;
	if (k) {
		r = compile_line(&m->uni, res, k);
		m->have_uni = r == 0;
		m->st.unions++;
	}
	free(res);
	return r;
}

/* Whether @ctx matches some line of the text: 1, 0, or -errno. */
static int context_found(struct matcher *m, const char *ctx)
{
	struct cursor cur = { 0 };
	struct window w;
	regex_t rx;
	bool found = false;
	int r;

	for (size_t i = 0; i < m->n_ctx; i++)
		if (strcmp(m->ctx_seen[i], ctx) == 0)
			return m->ctx_found[i];
	r = compile_line(&rx, &ctx, 1);
	if (r < 0)
		return r;
	while (!found && next_window(m->text, m->len, &cur, &w)) {
		m->st.context_windows++;
		found = win_match(&rx, win_copy(m->ctx_line, &w));
	}
	regfree(&rx);
	if (m->n_ctx < sizeof(m->ctx_seen) / sizeof(m->ctx_seen[0])) {
		m->ctx_seen[m->n_ctx] = ctx;
		m->ctx_found[m->n_ctx++] = found;
	}
	return found;
}

/* Rule @i matched window @w: decide it, and the rules it outranks. */
static int decide(struct matcher *m, size_t i, const struct window *w,
		  struct explain_hit *hits)
{
	int r = 1;

	if (m->rules[i].context)
		r = context_found(m, m->rules[i].context);
	if (r < 0)
		return r;
	if (r == 0) {
		m->state[i] = DEAD;   /* its main pattern is all over, never the context */
		return 0;
	}
	m->state[i] = MATCHED;
	hits[i].matched = true;
	hits[i].off = (size_t)(w->s - m->text);
	hits[i].len = w->len;
	/* a failure's excerpt is its first rule's that matches: later ones are moot */
	for (size_t j = i + 1; j < m->n; j++)
		if (m->state[j] == OPEN &&
		    strcmp(m->rules[j].failure, m->rules[i].failure) == 0)
			m->state[j] = DEAD;
	return 0;
}

static int match_all(struct matcher *m, struct explain_hit *hits)
{
	struct cursor cur = { 0 };
	struct window w;
	size_t compiled = 0;
	int r = 0;

	m->rules = explain_rules(&m->n);
	memset(hits, 0, m->n * sizeof(*hits));
	m->rx = calloc(m->n, sizeof(*m->rx));
	m->state = calloc(m->n, sizeof(*m->state));
	if (!m->rx || !m->state) {
		r = -ENOMEM;
		goto out;
	}
	while (compiled < m->n) {
		r = compile_line(&m->rx[compiled], &m->rules[compiled].re, 1);
		if (r < 0)
			goto out;
		compiled++;
	}
	r = rebuild_union(m);
	while (r == 0 && m->have_uni && next_window(m->text, m->len, &cur, &w)) {
		const char *line = win_copy(m->line, &w);
		bool changed = false;

		m->st.windows++;
		if (!win_match(&m->uni, line))
			continue;
		for (size_t i = 0; i < m->n && r == 0; i++) {
			if (m->state[i] != OPEN)
				continue;
			m->st.rule_tries++;
			if (win_match(&m->rx[i], line)) {
				r = decide(m, i, &w, hits);
				changed = true;
			}
		}
		if (r == 0 && changed)
			r = rebuild_union(m);
	}
out:
	if (m->have_uni)
		regfree(&m->uni);
	for (size_t i = 0; i < compiled; i++)
		regfree(&m->rx[i]);
	free(m->rx);
	free(m->state);
	return r;
}

int explain_match_rules(const char *text, size_t len, struct explain_hit *hits,
			struct explain_match_stats *stats)
{
	struct matcher *m = calloc(1, sizeof(*m));  /* two 4 KiB buffers */
	int r;

	if (!m)
		return -ENOMEM;
	m->text = text;
	m->len = len;
	r = match_all(m, hits);
	if (stats)
		*stats = m->st;
	free(m);
	return r;
}
