/* SPDX-License-Identifier: MIT */
/*
 * udev rules: the parser and the walk of one event (udevrules.h). The
 * syntax and the order of evaluation follow systemd-udevd (udev-rules.c
 * of systemd 252 and later): what it refuses, this refuses.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/udevrules.h"
#include "io/parse.h"

/* Token types in udevd's order: a line's tokens are evaluated sorted by
 * it, so its matches come before its assignments. */
enum tk {
	M_ACTION, M_DEVPATH, M_KERNEL, M_DEVLINK, M_NAME, M_ENV, M_CONST,
	M_TAG, M_SUBSYSTEM, M_DRIVER, M_ATTR, M_SYSCTL,
	M_PARENTS_KERNEL, M_PARENTS_SUBSYSTEM, M_PARENTS_DRIVER,
	M_PARENTS_ATTR, M_PARENTS_TAG,
	M_TEST, M_PROGRAM, M_IMPORT_FILE, M_IMPORT_PROGRAM, M_IMPORT_BUILTIN,
	M_IMPORT_DB, M_IMPORT_CMDLINE, M_IMPORT_PARENT, M_RESULT,
	A_OPTIONS, A_OWNER, A_GROUP, A_MODE, A_TAG, A_SECLABEL, A_ENV,
	A_NAME, A_DEVLINK, A_ATTR, A_SYSCTL, A_RUN,
	TK__COUNT
};

enum op { OP_MATCH, OP_NOMATCH, OP_ADD, OP_REMOVE, OP_ASSIGN, OP_ASSIGN_FINAL };
static const char *const op_text[] = { "==", "!=", "+=", "-=", "=", ":=" };

enum mt { MT_EMPTY, MT_PLAIN, MT_PLAIN_EMPTY, MT_GLOB, MT_GLOB_EMPTY, MT_SUBSYSTEM };

enum tri { NO, YES, MAYBE };

struct token {
	uint8_t type, op, mt;
	bool trim;            /* ATTR{}==: trailing white space of the value dropped */
	const char *key;      /* as written */
	const char *attr;     /* NULL when none */
	const char *value;    /* matches: the alternatives, a nulstr */
	const char *raw;      /* the value as written, unescaped */
};

struct line {
	unsigned nr;          /* as udevd counts: its last physical line */
	size_t tok, n_tok;    /* range in file->tok */
	const char *label, *goto_label;
	size_t goto_to;       /* index of the LABEL line; SIZE_MAX: none */
	bool relevant;        /* may change what a later line or write sees */
	char *mem;
};

struct file {
	char *name;
	struct line *lines;
	size_t n_lines, cap_lines;
	struct token *tok;
	size_t n_tok, cap_tok;
	struct udev_rules_file_info info;
};

struct udev_rules {
	struct file *files;
	size_t n;
};

#define WS " \t\n\r"

int udev_rules_new(struct udev_rules **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

static void file_clear(struct file *f)
{
	for (size_t i = 0; i < f->n_lines; i++)
		free(f->lines[i].mem);
	free(f->lines);
	free(f->tok);
	free(f->name);
}

void udev_rules_free(struct udev_rules *rules)
{
	if (!rules)
		return;
	for (size_t i = 0; i < rules->n; i++)
		file_clear(&rules->files[i]);
	free(rules->files);
	free(rules);
}

size_t udev_rules_n_files(const struct udev_rules *rules)
{
	return rules->n;
}

void udev_rules_file(const struct udev_rules *rules, size_t i,
		     struct udev_rules_file_info *info)
{
	*info = rules->files[i].info;
}

/* ------------------------------------------------------------ globs ---- */

static const struct { const char *name; int (*fn)(int); } classes[] = {
	{ "alnum", isalnum }, { "alpha", isalpha }, { "blank", isblank },
	{ "cntrl", iscntrl }, { "digit", isdigit }, { "graph", isgraph },
	{ "lower", islower }, { "print", isprint }, { "punct", ispunct },
	{ "space", isspace }, { "upper", isupper }, { "xdigit", isxdigit },
};

/*
 * The bracket expression at @p ('['): whether it matches @c, its end in
 * *@end. -1 when it is not closed: then '[' is an ordinary character.
 */
static int bracket(const char *p, unsigned char c, const char **end)
{
	const char *q = p + 1;
	bool neg = false, hit = false, first = true;

	if (*q == '!' || *q == '^') {
		neg = true;
		q++;
	}
	for (;;) {
		unsigned char lo, hi;

		if (*q == '\0')
			return -1;
		if (*q == ']' && !first)
			break;
		first = false;
		if (q[0] == '[' && q[1] == ':') {
			const char *e = strstr(q + 2, ":]");
			size_t n;

			if (!e)
				return -1;
			n = (size_t)(e - (q + 2));
			for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
				if (strlen(classes[i].name) == n &&
				    strncmp(classes[i].name, q + 2, n) == 0 && classes[i].fn(c))
					hit = true;
			q = e + 2;
			continue;
		}
		if (*q == '\\' && q[1])
			q++;
		lo = (unsigned char)*q++;
		hi = lo;
		if (q[0] == '-' && q[1] && q[1] != ']') {
			q++;
			if (*q == '\\' && q[1])
				q++;
			hi = (unsigned char)*q++;
		}
		if (c >= lo && c <= hi)
			hit = true;
	}
	*end = q + 1;
	return hit != neg;
}

/* One pattern element at *@p against @c: 1 match (*@p moves past it), 0
 * no match, -1 a trailing backslash (fnmatch: nothing matches). */
static int glob_one(const char **p, unsigned char c)
{
	const char *q = *p, *end;
	int b;

	switch (*q) {
	case '\0':
		return 0;
	case '?':
		*p = q + 1;
		return 1;
	case '\\':
		if (!q[1])
			return -1;
		*p = q + 2;
		return (unsigned char)q[1] == c;
	case '[':
		b = bracket(q, c, &end);
		if (b >= 0) {
			*p = end;
			return b;
		}
		break;
	}
	*p = q + 1;
	return (unsigned char)*q == c;
}

bool udev_glob(const char *pattern, const char *string)
{
	const char *p = pattern, *s = string, *star_p = NULL, *star_s = NULL;

	while (*s) {
		const char *next = p;
		int m;

		if (*p == '*') {
			while (*p == '*')
				p++;
			star_p = p;
			star_s = s;
			continue;
		}
		m = glob_one(&next, (unsigned char)*s);
		if (m < 0)
			return false;
		if (m) {
			p = next;
			s++;
			continue;
		}
		if (!star_p)
			return false;
		p = star_p;
		s = ++star_s;
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

/* ----------------------------------------------------------- parsing ---- */

static int parse_operator(const char *s)
{
	if (s[0] == '=' && s[1] == '=')
		return OP_MATCH;
	if (s[0] == '!' && s[1] == '=')
		return OP_NOMATCH;
	if (s[0] == '+' && s[1] == '=')
		return OP_ADD;
	if (s[0] == '-' && s[1] == '=')
		return OP_REMOVE;
	if (s[0] == '=')
		return OP_ASSIGN;
	if (s[0] == ':' && s[1] == '=')
		return OP_ASSIGN_FINAL;
	return -1;
}

static size_t put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * One C escape of an e"..." value at @s (after the backslash), as
 * systemd's cunescape() decodes it, into @o. Returns the input length, or
 * -1 for an unknown escape or a NUL.
 */
static int unescape_one(const char *s, char *o, size_t *olen)
{
	static const char simple[] = "a\ab\bf\fn\nr\rt\tv\v\\\\\"\"''s ";
	uint32_t cp = 0;
	int n = 0, d;

	for (size_t i = 0; simple[i]; i += 2)
		if (*s == simple[i]) {
			o[0] = simple[i + 1];
			*olen = 1;
			return 1;
		}
	if (*s == 'x' || *s == 'u' || *s == 'U') {
		n = *s == 'x' ? 2 : *s == 'u' ? 4 : 8;
		for (int i = 1; i <= n; i++) {
			if ((d = parse_hexdigit(s[i])) < 0)
				return -1;
			cp = cp << 4 | (uint32_t)d;
		}
		if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return -1;
		if (*s == 'x') {
			o[0] = (char)cp;
			*olen = 1;
		} else {
			*olen = put_utf8(o, cp);
		}
		return n + 1;
	}
	if (*s >= '0' && *s <= '7') {
		for (int i = 0; i < 3; i++) {
			if (s[i] < '0' || s[i] > '7')
				return -1;
			cp = cp << 3 | (uint32_t)(s[i] - '0');
		}
		if (cp == 0 || cp > 0xff)
			return -1;
		o[0] = (char)cp;
		*olen = 1;
		return 3;
	}
	return -1;
}

/* The quoted value at *@s into @out (NUL-terminated); *@s moves past it. */
static int parse_value(const char **s, char *out)
{
	const char *i = *s;
	bool esc = *i == 'e';
	size_t o = 0;

	i += esc;
	if (*i++ != '"')
		return -1;
	for (; *i != '"'; i++) {
		if (*i == '\0')
			return -1;
		if (!esc) {
			if (i[0] == '\\' && i[1] == '"')
				i++;
			out[o++] = *i;
		} else if (*i == '\\') {
			size_t ol;
			int n;

			if (i[1] == '\0')
				return -1;
			if ((n = unescape_one(i + 1, out + o, &ol)) < 0)
				return -1;
			o += ol;
			i += n;
		} else {
			out[o++] = *i;
		}
	}
	out[o] = '\0';
	*s = i + 1;
	return 0;
}

static bool str_in(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(s, *set) == 0)
			return true;
	return false;
}

static const char *const builtins[] = {
	"blkid", "btrfs", "factory_reset", "hwdb", "input_id", "keyboard",
	"kmod", "net_driver", "net_id", "net_setup_link", "path_id", "uaccess",
	"usb_id", NULL
};

static bool is_builtin(const char *value)
{
	size_t n = strcspn(value, WS);

	for (size_t i = 0; builtins[i]; i++)
		if (strlen(builtins[i]) == n && strncmp(builtins[i], value, n) == 0)
			return true;
	return false;
}

/* udevd's parse_token(): the token type, or -1 for what it refuses. */
static int token_type(const char *key, const char *attr, int *op,
		      const char *value, const char **label, const char **go)
{
	bool match = *op == OP_MATCH || *op == OP_NOMATCH;
	bool has_attr = attr != NULL, empty_attr = !attr || !*attr;

#define MATCH_ONLY(t) do { \
		if (has_attr || !match) return -1; \
		return (t); \
	} while (0)
	if (strcmp(key, "ACTION") == 0)
		MATCH_ONLY(M_ACTION);
	if (strcmp(key, "DEVPATH") == 0)
		MATCH_ONLY(M_DEVPATH);
	if (strcmp(key, "KERNEL") == 0)
		MATCH_ONLY(M_KERNEL);
	if (strcmp(key, "SUBSYSTEM") == 0)
		MATCH_ONLY(M_SUBSYSTEM);
	if (strcmp(key, "DRIVER") == 0)
		MATCH_ONLY(M_DRIVER);
	if (strcmp(key, "KERNELS") == 0)
		MATCH_ONLY(M_PARENTS_KERNEL);
	if (strcmp(key, "SUBSYSTEMS") == 0)
		MATCH_ONLY(M_PARENTS_SUBSYSTEM);
	if (strcmp(key, "DRIVERS") == 0)
		MATCH_ONLY(M_PARENTS_DRIVER);
	if (strcmp(key, "TAGS") == 0)
		MATCH_ONLY(M_PARENTS_TAG);
	if (strcmp(key, "RESULT") == 0)
		MATCH_ONLY(M_RESULT);
#undef MATCH_ONLY
	if (strcmp(key, "SYMLINK") == 0) {
		if (has_attr)
			return -1;
		return match ? M_DEVLINK : A_DEVLINK;
	}
	if (strcmp(key, "NAME") == 0) {
		if (has_attr || *op == OP_REMOVE)
			return -1;
		if (*op == OP_ADD)
			*op = OP_ASSIGN;
		if (match)
			return M_NAME;
		if (strcmp(value, "%k") == 0 || !*value)
			return -1;
		return A_NAME;
	}
	if (strcmp(key, "ENV") == 0) {
		static const char *const fixed[] = {
			"ACTION", "DEVLINKS", "DEVNAME", "DEVPATH", "DEVTYPE", "DRIVER",
			"IFINDEX", "MAJOR", "MINOR", "SEQNUM", "SUBSYSTEM", "TAGS", NULL
		};

		if (empty_attr || *op == OP_REMOVE)
			return -1;
		if (*op == OP_ASSIGN_FINAL)
			*op = OP_ASSIGN;
		if (match)
			return M_ENV;
		return str_in(attr, fixed) ? -1 : A_ENV;
	}
	if (strcmp(key, "CONST") == 0) {
		static const char *const names[] = { "arch", "virt", "cvm", NULL };

		if (empty_attr || !str_in(attr, names) || !match)
			return -1;
		return M_CONST;
	}
	if (strcmp(key, "TAG") == 0) {
		if (has_attr)
			return -1;
		if (*op == OP_ASSIGN_FINAL)
			*op = OP_ASSIGN;
		return match ? M_TAG : A_TAG;
	}
	if (strcmp(key, "ATTR") == 0 || strcmp(key, "SYSCTL") == 0) {
		bool sys = key[0] == 'S';

		if (empty_attr || *op == OP_REMOVE)
			return -1;
		if (*op == OP_ADD || *op == OP_ASSIGN_FINAL)
			*op = OP_ASSIGN;
		if (match)
			return sys ? M_SYSCTL : M_ATTR;
		return sys ? A_SYSCTL : A_ATTR;
	}
	if (strcmp(key, "ATTRS") == 0) {
		if (empty_attr || !match)
			return -1;
		return M_PARENTS_ATTR;
	}
	if (strcmp(key, "TEST") == 0) {
		if (attr && *attr && strspn(attr, "01234567") != strlen(attr))
			return -1;
		if (!match)
			return -1;
		return M_TEST;
	}
	if (strcmp(key, "PROGRAM") == 0) {
		if (has_attr || *op == OP_REMOVE)
			return -1;
		if (!match)
			*op = OP_MATCH;
		return M_PROGRAM;
	}
	if (strcmp(key, "IMPORT") == 0) {
		if (empty_attr || *op == OP_REMOVE)
			return -1;
		if (!match)
			*op = OP_MATCH;
		if (strcmp(attr, "file") == 0)
			return M_IMPORT_FILE;
		if (strcmp(attr, "program") == 0)
			return is_builtin(value) ? M_IMPORT_BUILTIN : M_IMPORT_PROGRAM;
		if (strcmp(attr, "builtin") == 0)
			return is_builtin(value) ? M_IMPORT_BUILTIN : -1;
		if (strcmp(attr, "db") == 0)
			return M_IMPORT_DB;
		if (strcmp(attr, "cmdline") == 0)
			return M_IMPORT_CMDLINE;
		if (strcmp(attr, "parent") == 0)
			return M_IMPORT_PARENT;
		return -1;
	}
	if (strcmp(key, "OPTIONS") == 0 || strcmp(key, "OWNER") == 0 ||
	    strcmp(key, "GROUP") == 0 || strcmp(key, "MODE") == 0) {
		if (has_attr || match || *op == OP_REMOVE)
			return -1;
		if (*op == OP_ADD)
			*op = OP_ASSIGN;
		return key[0] == 'O' && key[1] == 'P' ? A_OPTIONS :
		       key[0] == 'O' ? A_OWNER : key[0] == 'G' ? A_GROUP : A_MODE;
	}
	if (strcmp(key, "SECLABEL") == 0) {
		if (empty_attr || match || *op == OP_REMOVE)
			return -1;
		return A_SECLABEL;
	}
	if (strcmp(key, "RUN") == 0) {
		if (match || *op == OP_REMOVE)
			return -1;
		if (!attr || strcmp(attr, "program") == 0)
			return A_RUN;
		if (strcmp(attr, "builtin") == 0)
			return is_builtin(value) ? A_RUN : -1;
		return -1;
	}
	if (strcmp(key, "GOTO") == 0 || strcmp(key, "LABEL") == 0) {
		if (has_attr || *op != OP_ASSIGN)
			return -1;
		if (key[0] == 'G') {
			if (!*go)   /* a second GOTO is ignored */
				*go = value;
		} else {
			*label = value;
		}
		return TK__COUNT;  /* no token: a property of the line */
	}
	return -1;
}

static bool is_match_type(int t)
{
	return t < A_OPTIONS;
}

/* The match type and the '|' alternatives of @t as a nulstr at @nul;
 * returns the bytes used (at most strlen(raw) + 2). */
static size_t match_value(struct token *t, char *nul)
{
	const char *v = t->raw;
	bool bar = true, empty = false;
	char *b = nul;

	if (t->type == M_SUBSYSTEM &&
	    (!strcmp(v, "subsystem") || !strcmp(v, "bus") || !strcmp(v, "class")))
		t->mt = MT_SUBSYSTEM;
	else if (!*v)
		t->mt = MT_EMPTY;
	else if (strcmp(v, "?*") == 0) {
		/* udevd: KEY=="?*" is KEY!="" */
		t->mt = MT_EMPTY;
		t->op = t->op == OP_MATCH ? OP_NOMATCH : OP_MATCH;
	} else if (strpbrk(v, "*?["))
		t->mt = MT_GLOB;
	else
		t->mt = MT_PLAIN;
	for (const char *a = v; *a; a++) {
		if (*a != '|') {
			*b++ = *a;
			bar = false;
		} else {
			if (bar)
				empty = true;
			else
				*b++ = '\0';
			bar = true;
		}
	}
	*b++ = '\0';
	*b = '\0';
	if (bar)
		empty = true;
	if (empty && t->mt == MT_GLOB)
		t->mt = MT_GLOB_EMPTY;
	if (empty && t->mt == MT_PLAIN)
		t->mt = MT_PLAIN_EMPTY;
	t->value = nul;
	return (size_t)(b - nul) + 1;
}

static int tok_reserve(struct file *f, size_t n)
{
	struct token *v;
	size_t cap;

	if (f->n_tok + n <= f->cap_tok)
		return 0;
	cap = f->cap_tok ? f->cap_tok : 64;
	while (cap < f->n_tok + n)
		cap *= 2;
	v = realloc(f->tok, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	f->tok = v;
	f->cap_tok = cap;
	return 0;
}

/* Sort the line's tokens by type, keeping their order within a type:
 * udevd's sort_tokens(). Counting sort: linear. */
static int sort_tokens(struct file *f, struct line *l)
{
	size_t count[TK__COUNT + 1] = { 0 };
	struct token *tmp;

	if (l->n_tok < 2)
		return 0;
	tmp = malloc(l->n_tok * sizeof(*tmp));
	if (!tmp)
		return -ENOMEM;
	for (size_t i = 0; i < l->n_tok; i++)
		count[f->tok[l->tok + i].type + 1]++;
	for (size_t t = 1; t <= TK__COUNT; t++)
		count[t] += count[t - 1];
	for (size_t i = 0; i < l->n_tok; i++)
		tmp[count[f->tok[l->tok + i].type]++] = f->tok[l->tok + i];
	memcpy(f->tok + l->tok, tmp, l->n_tok * sizeof(*tmp));
	free(tmp);
	return 0;
}

/*
 * udevd's rule_add_line(): the KEY OP "value" list of logical line @s
 * (@n bytes). 1 kept, 0 without effect, -1 refused, -ENOMEM.
 */
static int add_line(struct file *f, const char *s, size_t n, unsigned nr)
{
	struct line l = { .nr = nr, .tok = f->n_tok, .goto_to = SIZE_MAX };
	char *work, *raw, *nul;
	const char *p;
	bool effect = false;
	int e;

	if (!(l.mem = malloc(3 * (n + 2))))
		return -ENOMEM;
	work = l.mem;
	raw = work + n + 2;
	nul = raw + n + 2;
	memcpy(work, s, n);
	work[n] = '\0';
	for (p = work;;) {
		struct token t = { 0 };
		char *key, *key_end, *attr = NULL;
		const char *q;
		int op, type;

		p += strspn(p, WS ",");
		if (!*p)
			break;
		key = (char *)p;
		for (key_end = key;; key_end++) {
			if (!*key_end)
				goto bad;
			if (strchr(WS "={", *key_end))
				break;
			if (strchr("+-!:", *key_end) && key_end[1] == '=')
				break;
		}
		q = key_end;
		if (*key_end == '{') {
			char *close = strchr(key_end + 1, '}');

			if (!close)
				goto bad;
			attr = key_end + 1;
			*close = '\0';
			q = close + 1;
		}
		q += strspn(q, WS);
		if ((op = parse_operator(q)) < 0)
			goto bad;
		*key_end = '\0';
		q += op == OP_ASSIGN ? 1 : 2;
		q += strspn(q, WS);
		if (parse_value(&q, raw) < 0)
			goto bad;
		p = q;
		t.key = key;
		t.attr = attr;
		t.raw = raw;
		raw += strlen(raw) + 1;
		type = token_type(key, attr, &op, t.raw, &l.label, &l.goto_label);
		if (type < 0)
			goto bad;
		if (type == TK__COUNT)
			continue;
		t.type = (uint8_t)type;
		t.op = (uint8_t)op;
		/* udevd keeps '|' alternatives as a nulstr for these */
		if (type < M_TEST || type == M_RESULT) {
			nul += match_value(&t, nul);
		} else {
			t.value = t.raw;
		}
		if (type == M_ATTR || type == M_PARENTS_ATTR) {
			size_t vl = strlen(t.raw);

			t.trim = vl > 0 && !isspace((unsigned char)t.raw[vl - 1]);
		}
		if ((e = tok_reserve(f, 1)) < 0) {
			free(l.mem);
			return e;
		}
		f->tok[f->n_tok++] = t;
		l.n_tok++;
		if (type >= A_OPTIONS || (type >= M_PROGRAM && type <= M_IMPORT_PARENT))
			effect = true;
		if (type == A_ENV || type == A_NAME || type == A_ATTR ||
		    (type >= M_IMPORT_FILE && type <= M_IMPORT_PARENT))
			l.relevant = true;
	}
	if (l.goto_label)
		l.relevant = true;
	if (!effect && !l.goto_label && !l.label) {
		f->n_tok = l.tok;
		free(l.mem);
		return 0;
	}
	if ((e = sort_tokens(f, &l)) < 0) {
		free(l.mem);
		return e;
	}
	if (f->n_lines == f->cap_lines) {
		size_t cap = f->cap_lines ? 2 * f->cap_lines : 32;
		struct line *v = realloc(f->lines, cap * sizeof(*v));

		if (!v) {
			free(l.mem);
			return -ENOMEM;
		}
		f->lines = v;
		f->cap_lines = cap;
	}
	f->lines[f->n_lines++] = l;
	return 1;
bad:
	f->n_tok = l.tok;
	free(l.mem);
	return -1;
}

static size_t hash_str(const char *s)
{
	size_t h = 14695981039346656037u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/*
 * Each GOTO to the first LABEL after it in the file (udevd's
 * rule_resolve_goto()): backwards through the lines with a hash of the
 * nearest line for each label seen. A GOTO without a label is dropped.
 */
static int resolve_gotos(struct file *f)
{
	size_t cap = 16, *slot;

	while (cap < 2 * f->n_lines)
		cap *= 2;
	if (!(slot = malloc(cap * sizeof(*slot))))
		return -ENOMEM;
	for (size_t i = 0; i < cap; i++)
		slot[i] = SIZE_MAX;
	for (size_t i = f->n_lines; i-- > 0;) {
		struct line *l = &f->lines[i];

		if (l->goto_label) {
			for (size_t h = hash_str(l->goto_label) & (cap - 1);
			     slot[h] != SIZE_MAX; h = (h + 1) & (cap - 1))
				if (strcmp(f->lines[slot[h]].label, l->goto_label) == 0) {
					l->goto_to = slot[h];
					break;
				}
			if (l->goto_to == SIZE_MAX)
				l->goto_label = NULL;
		}
		if (l->label) {
			size_t h = hash_str(l->label) & (cap - 1);

			while (slot[h] != SIZE_MAX &&
			       strcmp(f->lines[slot[h]].label, l->label) != 0)
				h = (h + 1) & (cap - 1);
			slot[h] = i;
		}
	}
	free(slot);
	return 0;
}

/* Bytes up to the next end of line (\n, \r, \r\n or NUL, as systemd's
 * read_line() ends lines) and the start of the line after it. */
static size_t line_end(const char *t, size_t len, size_t pos, size_t *next)
{
	size_t e = pos;

	while (e < len && t[e] != '\n' && t[e] != '\r' && t[e] != '\0')
		e++;
	*next = e + (e < len);
	if (e < len && t[e] == '\r' && e + 1 < len && t[e + 1] == '\n')
		(*next)++;
	return e - pos;
}

static void invalid(struct file *f, unsigned nr)
{
	if (!f->info.invalid++)
		f->info.first_invalid = nr;
}

static int parse_file(struct file *f, const char *text, size_t len)
{
	char *cont = NULL;
	size_t clen = 0, pos = 0;
	bool have_cont = false, ignore = false;
	unsigned nr = 0;
	int e = 0;

	if (!(cont = malloc(UDEV_LINE_MAX + 1)))
		return -ENOMEM;
	while (pos < len) {
		size_t next, n = line_end(text, len, pos, &next);
		const char *s = text + pos;

		pos = next;
		nr++;
		if (n > UDEV_LINE_MAX) {
			/* read_line() fails: udevd drops the whole file */
			for (size_t i = 0; i < f->n_lines; i++)
				free(f->lines[i].mem);
			f->n_lines = f->n_tok = 0;
			f->info.dropped = true;
			f->info.rules = 0;
			f->info.lines = nr;
			free(cont);
			return 0;
		}
		while (n && strchr(WS, *s)) {
			s++;
			n--;
		}
		if (n && *s == '#')
			continue;
		if (have_cont && !ignore) {
			if (clen + n >= UDEV_LINE_MAX) {
				ignore = true;
			} else {
				memcpy(cont + clen, s, n);
				clen += n;
				s = cont;
				n = clen;
			}
		}
		if (n && s[n - 1] == '\\') {
			if (ignore)
				continue;
			if (!have_cont) {
				memcpy(cont, s, n - 1);
				have_cont = true;
			}
			clen = n - 1;
			continue;
		}
		if (ignore) {
			invalid(f, nr);
		} else if (n) {
			int r = add_line(f, s, n, nr);

			if (r == -ENOMEM) {
				e = r;
				break;
			}
			if (r < 0)
				invalid(f, nr);
			else if (r > 0)
				f->info.rules++;
		}
		have_cont = ignore = false;
		clen = 0;
	}
	if (have_cont && !e)
		invalid(f, nr);  /* end of file after a continuation */
	f->info.lines = nr;
	free(cont);
	return e ? e : resolve_gotos(f);
}

int udev_rules_add(struct udev_rules *rules, const char *name,
		   const char *text, size_t len)
{
	struct file *v, *f;
	int e;

	v = realloc(rules->files, (rules->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	rules->files = v;
	f = &v[rules->n];
	memset(f, 0, sizeof(*f));
	if (!(f->name = strdup(name)))
		return -ENOMEM;
	f->info.name = f->name;
	if ((e = parse_file(f, text, len)) < 0) {
		file_clear(f);
		return e;
	}
	f->info.name = f->name;
	rules->n++;
	return 0;
}

static bool attr_names(const char *path, const char *attr)
{
	size_t n = strlen(path), a = strlen(attr);

	return n >= a && strcmp(path + n - a, attr) == 0 &&
	       (n == a || path[n - a - 1] == '/' || path[n - a - 1] == ']');
}

bool udev_rules_assign_attr(const struct udev_rules *rules, const char *attr)
{
	for (size_t i = 0; i < rules->n; i++)
		for (size_t k = 0; k < rules->files[i].n_tok; k++) {
			const struct token *t = &rules->files[i].tok[k];

			if (t->type == A_ATTR && attr_names(t->attr, attr))
				return true;
		}
	return false;
}

/* ------------------------------------------------------- one event ---- */

#define MAX_PROPS 256

struct prop {
	const char *key;      /* into the event or the rules */
	size_t klen;
	char *val;            /* owned; NULL: not known */
	bool set;             /* false: unset ("") */
};

struct run {
	const struct udev_event *ev;
	struct prop props[MAX_PROPS];
	size_t n_props;
	bool env_open;        /* properties sriovctl does not know were imported */
	char *name;           /* NAME so far (owned); NULL: none */
	bool name_unknown, name_final;
	char goto_unsure[160];
	char line_unsure[160];
	int err;
};

static struct prop *prop_find(struct run *r, const char *key, size_t klen)
{
	for (size_t i = 0; i < r->n_props; i++)
		if (r->props[i].klen == klen && strncmp(r->props[i].key, key, klen) == 0)
			return &r->props[i];
	return NULL;
}

/* Set @key to @val (NULL: a value not known). */
static void prop_set(struct run *r, const char *key, size_t klen, const char *val)
{
	struct prop *p = prop_find(r, key, klen);
	char *v = NULL;

	if (val && !(v = strdup(val))) {
		r->err = -ENOMEM;
		return;
	}
	if (!p) {
		if (r->n_props == MAX_PROPS) {
			free(v);
			r->env_open = true;
			return;
		}
		p = &r->props[r->n_props++];
		p->key = key;
		p->klen = klen;
	} else {
		free(p->val);
	}
	p->val = v;
	p->set = !val || *val;
}

static bool match_str(const struct token *t, const char *s)
{
	bool m = false;

	if (!s)
		s = "";
	switch (t->mt) {
	case MT_EMPTY:
		m = !*s;
		break;
	case MT_SUBSYSTEM:
		m = !strcmp(s, "subsystem") || !strcmp(s, "class") || !strcmp(s, "bus");
		break;
	case MT_PLAIN_EMPTY:
	case MT_PLAIN:
		if (t->mt == MT_PLAIN_EMPTY && !*s) {
			m = true;
			break;
		}
		for (const char *a = t->value; *a && !m; a += strlen(a) + 1)
			m = strcmp(a, s) == 0;
		break;
	case MT_GLOB_EMPTY:
	case MT_GLOB:
		if (t->mt == MT_GLOB_EMPTY && !*s) {
			m = true;
			break;
		}
		for (const char *a = t->value; *a && !m; a += strlen(a) + 1)
			m = udev_glob(a, s);
		break;
	}
	return t->op == (m ? OP_MATCH : OP_NOMATCH);
}

static enum tri tri_of(bool b)
{
	return b ? YES : NO;
}

/* KERNEL or KERNELS on dev[@level]; a kernel name not known is one of
 * kernel_like: the verdict when all of them agree. */
static enum tri match_kernel(const struct run *r, const struct token *t, size_t level)
{
	const struct udev_event *ev = r->ev;
	int seen = -1;

	if (ev->dev[level].kernel)
		return tri_of(match_str(t, ev->dev[level].kernel));
	if (level > 0 || !ev->kernel_like)
		return MAYBE;
	for (const char *const *k = ev->kernel_like; *k; k++) {
		int m = match_str(t, *k);

		if (seen >= 0 && m != seen)
			return MAYBE;
		seen = m;
	}
	return seen < 0 ? MAYBE : tri_of(seen);
}

static enum tri match_attr(const struct run *r, const struct token *t, size_t level)
{
	char buf[4096];
	const char *v;
	size_t n;

	if (!r->ev->sysattr || strpbrk(t->attr, "$%") || t->attr[0] == '[')
		return MAYBE;
	if (!(v = r->ev->sysattr(r->ev->data, level, t->attr, buf, sizeof(buf))))
		return NO;  /* no such attribute: udevd says no match, even for != */
	if (t->trim && v == buf) {
		n = strlen(buf);
		while (n && isspace((unsigned char)buf[n - 1]))
			buf[--n] = '\0';
	}
	return tri_of(match_str(t, v));
}

static enum tri match_parent_one(const struct run *r, const struct token *t, size_t level)
{
	const struct udev_device *d = &r->ev->dev[level];

	switch (t->type) {
	case M_PARENTS_KERNEL:
		return match_kernel(r, t, level);
	case M_PARENTS_SUBSYSTEM:
		return tri_of(match_str(t, d->subsystem));
	case M_PARENTS_DRIVER:
		return tri_of(match_str(t, d->driver));
	case M_PARENTS_ATTR:
		return match_attr(r, t, level);
	default:
		return MAYBE;   /* TAGS */
	}
}

/*
 * The parent keys at @t (@n of them): all on one device of the chain,
 * the event's device first (udevd's udev_rule_apply_parent_token_to_event).
 * *@unsure gets the first not evaluated on a device that may match.
 */
static enum tri match_parents(const struct run *r, const struct token *t, size_t n,
			      const struct token **unsure)
{
	enum tri best = NO;

	for (size_t level = 0; level < r->ev->n_dev; level++) {
		enum tri all = YES;
		const struct token *u = NULL;

		for (size_t i = 0; i < n && all != NO; i++) {
			enum tri m = match_parent_one(r, &t[i], level);

			if (m == NO)
				all = NO;
			else if (m == MAYBE && all == YES) {
				all = MAYBE;
				u = &t[i];
			}
		}
		if (all == YES)
			return YES;
		if (all == MAYBE && best == NO) {
			best = MAYBE;
			*unsure = u;
		}
	}
	return best;
}

static void import_builtin(struct run *r, const struct token *t, enum tri *m)
{
	const struct udev_event *ev = r->ev;
	size_t n = strcspn(t->value, WS);
	bool net = ev->dev[0].subsystem && strcmp(ev->dev[0].subsystem, "net") == 0;

#define IS(s) (n == strlen(s) && strncmp(t->value, (s), n) == 0)
	if (IS("net_setup_link") || IS("net_driver")) {
		if (!net) {
			*m = tri_of(t->op == OP_NOMATCH);  /* the builtin fails */
			return;
		}
		prop_set(r, "ID_NET_DRIVER", 13, ev->net_driver);
		if (IS("net_setup_link")) {
			prop_set(r, "ID_NET_NAME", 11, ev->net_name);
			prop_set(r, "ID_NET_LINK_FILE", 16, NULL);
		}
		*m = tri_of(t->op == OP_MATCH);
	} else if (IS("path_id")) {
		prop_set(r, "ID_PATH", 7, NULL);
		prop_set(r, "ID_PATH_TAG", 11, NULL);
		*m = MAYBE;
	} else if (IS("net_id")) {
		static const char *const keys[] = {
			"ID_NET_NAMING_SCHEME", "ID_NET_NAME_MAC", "ID_NET_NAME_PATH",
			"ID_NET_NAME_SLOT", "ID_NET_NAME_ONBOARD", "ID_NET_LABEL_ONBOARD",
			"ID_NET_NAME_ALLOW", NULL
		};

		for (size_t i = 0; keys[i]; i++)
			prop_set(r, keys[i], strlen(keys[i]), NULL);
		*m = net ? MAYBE : tri_of(t->op == OP_NOMATCH);
	} else {
		r->env_open = true;
		*m = MAYBE;
	}
#undef IS
}

/* Set by net_setup_link (net_driver) alone: not by other imports. */
static bool net_setup_key(const char *key)
{
	return strcmp(key, "ID_NET_DRIVER") == 0 || strcmp(key, "ID_NET_NAME") == 0 ||
	       strcmp(key, "ID_NET_LINK_FILE") == 0;
}

static enum tri match_one(struct run *r, const struct token *t)
{
	const struct udev_event *ev = r->ev;
	struct prop *p;
	enum tri m;

	switch (t->type) {
	case M_ACTION:
		return tri_of(match_str(t, ev->action));
	case M_KERNEL:
		return match_kernel(r, t, 0);
	case M_DEVLINK:
		/* net and PCI devices have no device node, so no links */
		return tri_of(t->op == OP_NOMATCH);
	case M_NAME:
		return r->name_unknown ? MAYBE : tri_of(match_str(t, r->name));
	case M_ENV:
		p = prop_find(r, t->attr, strlen(t->attr));
		if (p)
			return p->set && !p->val ? MAYBE : tri_of(match_str(t, p->set ? p->val : ""));
		return r->env_open && !net_setup_key(t->attr) ? MAYBE : tri_of(match_str(t, ""));
	case M_SUBSYSTEM:
		return tri_of(match_str(t, ev->dev[0].subsystem));
	case M_DRIVER:
		return tri_of(match_str(t, ev->dev[0].driver));
	case M_ATTR:
		return match_attr(r, t, 0);
	case M_IMPORT_BUILTIN:
		import_builtin(r, t, &m);
		return m;
	case M_IMPORT_FILE:
	case M_IMPORT_PROGRAM:
	case M_IMPORT_DB:
	case M_IMPORT_CMDLINE:
	case M_IMPORT_PARENT:
		r->env_open = true;
		return MAYBE;
	default:
		return MAYBE;  /* DEVPATH, CONST, TAG, SYSCTL, TEST, PROGRAM, RESULT */
	}
}

static void describe(const struct token *t, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s%s\"%s\"", t->key, t->attr ? "{" : "",
		 t->attr ? t->attr : "", t->attr ? "}" : "", op_text[t->op], t->raw);
}

/* A value naming one property: "$env{KEY}" or "%E{KEY}". */
static bool env_ref(const char *v, const char **key, size_t *klen)
{
	const char *k;

	if (strncmp(v, "$env{", 5) == 0)
		k = v + 5;
	else if (strncmp(v, "%E{", 3) == 0)
		k = v + 3;
	else
		return false;
	*klen = strcspn(k, "}");
	*key = k;
	return k[*klen] == '}' && k[*klen + 1] == '\0' && *klen > 0;
}

/* A value with substitutions udevd makes at the event ($kernel, %k...). */
static bool computed(const char *v)
{
	return strpbrk(v, "$%") != NULL;
}

static void assign_env(struct run *r, const struct token *t)
{
	const char *rk;
	size_t rl;
	struct prop *p;

	if (env_ref(t->value, &rk, &rl)) {
		p = prop_find(r, rk, rl);
		if (p && (!p->set || p->val))
			prop_set(r, t->attr, strlen(t->attr), p->set ? p->val : "");
		else
			prop_set(r, t->attr, strlen(t->attr), p || r->env_open ? NULL : "");
		return;
	}
	if (computed(t->value)) {
		prop_set(r, t->attr, strlen(t->attr), NULL);
		return;
	}
	if (t->op == OP_ADD && *t->value) {
		p = prop_find(r, t->attr, strlen(t->attr));
		if (p && p->set) {
			char *v;

			if (!p->val)
				return;
			if (!(v = malloc(strlen(p->val) + strlen(t->value) + 2))) {
				r->err = -ENOMEM;
				return;
			}
			sprintf(v, "%s %s", p->val, t->value);
			prop_set(r, t->attr, strlen(t->attr), v);
			free(v);
			return;
		}
	}
	prop_set(r, t->attr, strlen(t->attr), t->value);
}

static void assign_name(struct run *r, const struct token *t)
{
	const struct udev_event *ev = r->ev;
	const char *rk, *v = t->value;
	size_t rl;
	char *n;

	if (r->name_final || !ev->dev[0].subsystem || strcmp(ev->dev[0].subsystem, "net"))
		return;
	if (t->op == OP_ASSIGN_FINAL)
		r->name_final = true;
	if (env_ref(v, &rk, &rl)) {
		struct prop *p = prop_find(r, rk, rl);

		v = p && p->set ? p->val : p || !r->env_open ? "" : NULL;
	} else if (computed(v)) {
		v = NULL;
	}
	free(r->name);
	r->name = NULL;
	r->name_unknown = !v;
	if (v && *v) {
		if (!(n = strdup(v)))
			r->err = -ENOMEM;
		r->name = n;
	}
}

/* Whether ATTR{@path} at the event writes the attribute looked for. */
static bool attr_target(const struct udev_event *ev, const char *path)
{
	if (path[0] == '[') {
		const char *slash = strchr(path, '/'), *close = strchr(path, ']');
		size_t sl, kl;

		if (!slash || !close || slash > close || !ev->attr_subsystem || !ev->attr_kernel)
			return false;
		sl = (size_t)(slash - path - 1);
		kl = (size_t)(close - slash - 1);
		return strlen(ev->attr_subsystem) == sl &&
		       strncmp(path + 1, ev->attr_subsystem, sl) == 0 &&
		       strlen(ev->attr_kernel) == kl && strncmp(slash + 1, ev->attr_kernel, kl) == 0 &&
		       ev->attr && strcmp(close + 1, ev->attr) == 0;
	}
	return ev->attr_path && strcmp(path, ev->attr_path) == 0;
}

/* One line at the event; *@next: the line after it. */
static int run_line(struct run *r, const struct file *f, size_t li, size_t *next,
		    int (*fn)(const struct udev_write *w, void *data), void *data)
{
	const struct line *l = &f->lines[li];
	const struct token *t = f->tok + l->tok;
	const struct token *unsure = NULL;
	bool parents_done = false;
	size_t i = 0;

	*next = li + 1;
	for (; i < l->n_tok && is_match_type(t[i].type); i++) {
		enum tri m;

		if (t[i].type >= M_PARENTS_KERNEL && t[i].type <= M_PARENTS_TAG) {
			size_t n = 0;
			const struct token *u = NULL;

			if (parents_done)
				continue;
			while (i + n < l->n_tok && t[i + n].type >= M_PARENTS_KERNEL &&
			       t[i + n].type <= M_PARENTS_TAG)
				n++;
			m = match_parents(r, &t[i], n, &u);
			parents_done = true;
			if (m == MAYBE && !unsure)
				unsure = u;
		} else {
			m = match_one(r, &t[i]);
			if (m == MAYBE && !unsure)
				unsure = &t[i];
		}
		if (r->err)
			return r->err;
		if (m == NO)
			return 0;
	}
	r->line_unsure[0] = '\0';
	if (unsure)
		describe(unsure, r->line_unsure, sizeof(r->line_unsure));
	for (; i < l->n_tok; i++) {
		if (t[i].type == A_ENV) {
			assign_env(r, &t[i]);
		} else if (t[i].type == A_NAME) {
			assign_name(r, &t[i]);
		} else if (t[i].type == A_ATTR && attr_target(r->ev, t[i].attr)) {
			struct udev_write w = {
				.file = f->name, .line = l->nr, .value = t[i].value,
				.computed = computed(t[i].value),
				.unsure = r->line_unsure[0] ? r->line_unsure : r->goto_unsure,
			};
			int e = fn(&w, data);

			if (e)
				return e;
		}
		if (r->err)
			return r->err;
	}
	if (l->goto_label) {
		if (unsure && !r->goto_unsure[0])
			snprintf(r->goto_unsure, sizeof(r->goto_unsure), "%s", r->line_unsure);
		*next = l->goto_to;
	}
	return 0;
}

int udev_rules_run(const struct udev_rules *rules, const struct udev_event *ev,
		   int (*fn)(const struct udev_write *w, void *data), void *data)
{
	struct run *r = calloc(1, sizeof(*r));
	int e = 0;

	if (!r)
		return -ENOMEM;
	r->ev = ev;
	for (const char *const *p = ev->env; p && *p && !r->err; p++) {
		const char *eq = strchr(*p, '=');

		prop_set(r, *p, eq ? (size_t)(eq - *p) : strlen(*p), eq ? eq + 1 : NULL);
	}
	e = r->err;
	for (size_t fi = 0; fi < rules->n && !e; fi++) {
		const struct file *f = &rules->files[fi];

		for (size_t li = 0; li < f->n_lines && !e;) {
			size_t next = li + 1;

			if (f->lines[li].relevant)
				e = run_line(r, f, li, &next, fn, data);
			li = next;
		}
	}
	for (size_t i = 0; i < r->n_props; i++)
		free(r->props[i].val);
	free(r->name);
	free(r);
	return e;
}
