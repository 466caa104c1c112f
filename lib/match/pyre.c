/* SPDX-License-Identifier: MIT */
/*
 * Python's re patterns, the part device_spec writers use, as POSIX
 * extended regexes. nova matches the dict form of "address" with
 * re.match: anchored at the start only. Whether a match exists does not
 * depend on Python's leftmost-first against POSIX's leftmost-longest, nor
 * on greedy against lazy repeats, so those translate to the same test.
 * What Python refuses is refused the way re.compile refuses it (nova
 * then refuses the spec); what cannot be translated (look-arounds,
 * back-references, inline flags, \b) is said so, not guessed.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/parse.h"
#include "match/match.h"
#include "util/errbuf.h"

/* glibc's RE_DUP_MAX: a bigger count cannot be said in a POSIX regex */
#define PYRE_DUP_MAX 32767

struct pyre {
	const char *pat;
	size_t pos;
	FILE *out;          /* the ERE, into open_memstream */
	int depth;          /* open groups */
	char *err;
	size_t errlen;
};

static int put(struct pyre *p, const char *s, size_t n)
{
	return fwrite(s, 1, n, p->out) == n ? 0 : -ENOMEM;
}

static int puts_(struct pyre *p, const char *s)
{
	return put(p, s, strlen(s));
}

static int refuse(struct pyre *p, const char *what)
{
	/* Python's own words (re.error), and where */
	return errset(p->err, p->errlen, -EINVAL,
		      "Python's re refuses '%s': %s at position %zu", p->pat, what, p->pos);
}

static int unsupported(struct pyre *p, const char *what)
{
	return errset(p->err, p->errlen, -EOPNOTSUPP,
		      "'%s' uses %s (position %zu), which sriovctl match does not translate to a POSIX regex; write the pattern without it",
		      p->pat, what, p->pos);
}

/* A set of ASCII characters: what a class or a category escape stands for. */
struct cset {
	bool has[128];
};

static void cset_range(struct cset *s, int lo, int hi)
{
	for (int c = lo; c <= hi; c++)
		s->has[c] = true;
}

static void cset_category(struct cset *s, char cat)
{
	switch (cat) {
	case 'd':
		cset_range(s, '0', '9');
		break;
	case 'w':
		cset_range(s, '0', '9');
		cset_range(s, 'a', 'z');
		cset_range(s, 'A', 'Z');
		s->has['_'] = true;
		break;
	case 's':
		cset_range(s, '\t', '\r');
		s->has[' '] = true;
		break;
	}
}

/* A bracket expression for @s: ']' first, '-' last, '^' not first. */
static int put_cset(struct pyre *p, const struct cset *s, bool negate)
{
	char buf[8 + 128];
	size_t n = 0;
	int count = 0;

	for (int c = 1; c < 128; c++)
		count += s->has[c];
	if (!negate && count == 1 && s->has['^'])
		return puts_(p, "\\^");
	buf[n++] = '[';
	if (negate)
		buf[n++] = '^';
	if (s->has[']'])
		buf[n++] = ']';
	for (int c = 1; c < 128; c++)
		if (s->has[c] && !strchr("]^-[", c))
			buf[n++] = (char)c;
	if (s->has['['])
		buf[n++] = '[';
	if (s->has['^'])
		buf[n++] = '^';
	if (s->has['-'])
		buf[n++] = '-';
	if (count == 0)
		return unsupported(p, "an empty set");
	buf[n++] = ']';
	return put(p, buf, n);
}

static bool is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * An escape after '\' at p->pos: a character (*ch) or a category (*cat:
 * 'd', 'D', ...). @in_class: Python's rules inside [...].
 */
static int escape(struct pyre *p, bool in_class, int *ch, char *cat)
{
	char c = p->pat[p->pos];

	*ch = -1;
	*cat = 0;
	if (!c)
		return refuse(p, "bad escape (end of pattern)");
	p->pos++;
	if (strchr("dDsSwW", c)) {
		*cat = c;
		return 0;
	}
	switch (c) {
	case 'a': *ch = '\a'; return 0;
	case 'f': *ch = '\f'; return 0;
	case 'n': *ch = '\n'; return 0;
	case 'r': *ch = '\r'; return 0;
	case 't': *ch = '\t'; return 0;
	case 'v': *ch = '\v'; return 0;
	case 'x': {
		int h = parse_hexdigit(p->pat[p->pos]), l = h < 0 ? -1 : parse_hexdigit(p->pat[p->pos + 1]);

		if (h < 0 || l < 0)
			return refuse(p, "incomplete escape \\x");
		p->pos += 2;
		if (h * 16 + l == 0 || h * 16 + l > 127)
			return unsupported(p, "a \\x escape of NUL or beyond ASCII");
		*ch = h * 16 + l;
		return 0;
	}
	case 'b':
		if (in_class) {
			*ch = '\b';
			return 0;
		}
		return unsupported(p, "\\b (a word boundary)");
	case 'A':
	case 'Z':
		if (in_class)
			return refuse(p, "bad escape in a character set");
		*cat = c;
		return 0;
	case 'B':
		if (in_class)
			return refuse(p, "bad escape in a character set");
		return unsupported(p, "\\B");
	case 'u':
	case 'U':
	case 'N':
		return unsupported(p, "a Unicode escape");
	}
	if (c >= '0' && c <= '9')
		return unsupported(p, "a back-reference or octal escape");
	if (is_letter(c))
		return refuse(p, "bad escape");
	if ((unsigned char)c >= 128)
		return unsupported(p, "a character beyond ASCII");
	*ch = c;
	return 0;
}

static int put_literal(struct pyre *p, int c)
{
	char s[4] = { (char)c, 0 };

	if (c == '^')
		return puts_(p, "\\^");
	if (c == '\\')
		return puts_(p, "[\\]");
	if (strchr(".[]()*+?{}|$", c)) {
		s[0] = '[';
		s[1] = (char)c;
		s[2] = ']';
	}
	return puts_(p, s);
}

static int parse_class(struct pyre *p)
{
	struct cset s = { 0 };
	bool negate = false, first = true;
	int r;

	/* at '[' */
	p->pos++;
	if (p->pat[p->pos] == '^') {
		negate = true;
		p->pos++;
	}
	for (;;) {
		char c = p->pat[p->pos];
		int lo, hi;
		char cat;

		if (!c)
			return refuse(p, "unterminated character set");
		if (c == ']' && !first) {
			p->pos++;
			break;
		}
		first = false;
		if ((unsigned char)c >= 128)
			return unsupported(p, "a character beyond ASCII");
		p->pos++;
		if (c == '\\') {
			r = escape(p, true, &lo, &cat);
			if (r < 0)
				return r;
			if (cat) {
				if (cat >= 'A' && cat <= 'Z')
					return unsupported(p, "a negated category (\\D, \\S, \\W) inside a set");
				cset_category(&s, cat);
				continue;
			}
		} else {
			lo = c;
		}
		/* a range lo-hi; '-' before ']' is a literal */
		if (p->pat[p->pos] == '-' && p->pat[p->pos + 1] && p->pat[p->pos + 1] != ']') {
			char h = p->pat[p->pos + 1];

			p->pos += 2;
			if (h == '\\') {
				r = escape(p, true, &hi, &cat);
				if (r < 0)
					return r;
				if (cat)
					return refuse(p, "bad character range");
			} else if ((unsigned char)h >= 128) {
				return unsupported(p, "a character beyond ASCII");
			} else {
				hi = h;
			}
			if (hi < lo)
				return refuse(p, "bad character range");
			cset_range(&s, lo, hi);
			continue;
		}
		s.has[lo] = true;
	}
	return put_cset(p, &s, negate);
}

/*
 * A repeat at p->pos ('*', '+', '?', '{m,n}'), or none (0 returned with
 * *n 0). On success the ERE text of it in @q.
 */
static int parse_repeat(struct pyre *p, char *q, size_t qsize, size_t *n)
{
	const char *s = p->pat + p->pos;
	unsigned long lo = 0, hi = ULONG_MAX;
	size_t i = 1;

	*n = 0;
	if (*s == '*' || *s == '+' || *s == '?') {
		snprintf(q, qsize, "%c", *s);
		*n = 1;
		return 0;
	}
	if (*s != '{' || s[1] == '}')
		return 0;
	{
		size_t a = i, b;

		while (s[i] >= '0' && s[i] <= '9')
			i++;
		b = i;
		if (s[i] == ',') {
			size_t c;

			i++;
			c = i;
			while (s[i] >= '0' && s[i] <= '9')
				i++;
			if (s[i] != '}')
				return 0;
			if (b > a)
				lo = strtoul(s + a, NULL, 10);
			if (i > c)
				hi = strtoul(s + c, NULL, 10);
		} else {
			if (s[i] != '}')
				return 0;
			if (b == a)
				return 0;
			lo = hi = strtoul(s + a, NULL, 10);
		}
	}
	*n = i + 1;
	if (hi != ULONG_MAX && hi < lo) {
		p->pos += *n;
		return refuse(p, "min repeat greater than max repeat");
	}
	if (lo > PYRE_DUP_MAX || (hi != ULONG_MAX && hi > PYRE_DUP_MAX))
		return unsupported(p, "a repeat count above 32767");
	if (hi == ULONG_MAX)
		snprintf(q, qsize, "{%lu,}", lo);
	else if (hi == lo)
		snprintf(q, qsize, "{%lu}", lo);
	else
		snprintf(q, qsize, "{%lu,%lu}", lo, hi);
	return 0;
}

static int parse_alt(struct pyre *p);

/* One atom and its repeats. */
static int parse_item(struct pyre *p, bool *repeatable)
{
	char c = p->pat[p->pos];
	int r, ch;
	char cat;

	*repeatable = true;
	switch (c) {
	case '(':
		p->pos++;
		if (p->pat[p->pos] == '?') {
			if (p->pat[p->pos + 1] == ':') {
				p->pos += 2;
			} else if (p->pat[p->pos + 1] == 'P' && p->pat[p->pos + 2] == '<') {
				size_t e = p->pos + 3;

				while (p->pat[e] && p->pat[e] != '>')
					e++;
				if (!p->pat[e] || e == p->pos + 3)
					return refuse(p, "bad group name");
				p->pos = e + 1;
			} else {
				return unsupported(p, "a (?...) extension (look-around, flags, comment)");
			}
		}
		if (++p->depth > SRIOV_MATCH_DEPTH_MAX)
			return unsupported(p, "groups nested deeper than 16");
		r = puts_(p, "(");
		if (r == 0)
			r = parse_alt(p);
		if (r < 0)
			return r;
		if (p->pat[p->pos] != ')')
			return refuse(p, "missing ), unterminated subpattern");
		p->pos++;
		p->depth--;
		return puts_(p, ")");
	case '[':
		return parse_class(p);
	case '.':
		p->pos++;
		return puts_(p, ".");
	case '^':
	case '$':
		p->pos++;
		*repeatable = false;
		return puts_(p, c == '^' ? "^" : "$");
	case '\\':
		p->pos++;
		r = escape(p, false, &ch, &cat);
		if (r < 0)
			return r;
		if (cat == 'A' || cat == 'Z') {
			*repeatable = false;
			return puts_(p, cat == 'A' ? "^" : "$");
		}
		if (cat) {
			struct cset s = { 0 };

			cset_category(&s, (char)(cat | 0x20));
			return put_cset(p, &s, cat >= 'A' && cat <= 'Z');
		}
		return put_literal(p, ch);
	}
	if ((unsigned char)c >= 128)
		return unsupported(p, "a character beyond ASCII");
	p->pos++;
	return put_literal(p, c);
}

/* A sequence of items, up to '|', ')' or the end. */
static int parse_seq(struct pyre *p)
{
	bool have = false, repeatable = false, repeated = false;

	for (;;) {
		char c = p->pat[p->pos];
		char q[48];
		size_t n;
		int r;

		if (!c || c == '|' || c == ')')
			return 0;
		r = parse_repeat(p, q, sizeof(q), &n);
		if (r < 0)
			return r;
		if (n) {
			if (!have || !repeatable)
				return refuse(p, "nothing to repeat");
			if (repeated)
				return refuse(p, "multiple repeat");
			p->pos += n;
			/* lazy (?) or possessive (+, Python 3.11) */
			if (p->pat[p->pos] == '?') {
				p->pos++;
			} else if (p->pat[p->pos] == '+') {
				return unsupported(p, "a possessive repeat");
			}
			repeated = true;
			r = puts_(p, q);
			if (r < 0)
				return r;
			continue;
		}
		/* an ERE repeat binds to the last atom: wrap each atom so a
		 * repeat after it cannot bind to less */
		r = puts_(p, "(");
		if (r == 0)
			r = parse_item(p, &repeatable);
		if (r == 0)
			r = puts_(p, ")");
		if (r < 0)
			return r;
		have = true;
		repeated = false;
	}
}

static int parse_alt(struct pyre *p)
{
	int r = parse_seq(p);

	while (r == 0 && p->pat[p->pos] == '|') {
		p->pos++;
		r = puts_(p, "|");
		if (r == 0)
			r = parse_seq(p);
	}
	return r;
}

int match_pyre_compile(const char *pat, regex_t *re, char *err, size_t errlen)
{
	struct pyre p = { .pat = pat, .err = err, .errlen = errlen };
	char *ere = NULL;
	size_t len = 0;
	int r;

	p.out = open_memstream(&ere, &len);
	if (!p.out)
		return -ENOMEM;
	r = puts_(&p, "^(");

	if (r == 0)
		r = parse_alt(&p);
	if (r == 0 && p.pat[p.pos] == ')')
		r = refuse(&p, "unbalanced parenthesis");
	if (r == 0)
		r = puts_(&p, ")");
	if (fclose(p.out) != 0 && r == 0)
		r = -ENOMEM;
	if (r == 0) {
		int rc = regcomp(re, ere, REG_EXTENDED | REG_NOSUB);

		if (rc == REG_ESPACE)
			r = -ENOMEM;
		else if (rc)
			r = errset(err, errlen, -EOPNOTSUPP,
				   "'%s' translates to the POSIX regex '%s', which regcomp refuses (error %d)",
				   pat, ere, rc);
	}
	free(ere);
	return r;
}
