/* SPDX-License-Identifier: MIT */
#include "metrics/expo.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "util/escape.h"

int expo_label_value(FILE *f, const char *v)
{
	const unsigned char *s = (const unsigned char *)(v ? v : "");
	size_t n = strlen((const char *)s);

	while (n) {
		/* the runs that need nothing go out in one write */
		size_t run = 0, k;
		uint32_t cp;

		while (run < n && s[run] != '\\' && s[run] != '"' && s[run] != '\n' &&
		       (k = esc_utf8_seq(s + run, n - run, &cp)) > 0)
			run += k;
		if (run && fwrite(s, 1, run, f) != run)
			return -EIO;
		s += run, n -= run;
		if (!n)
			break;
		if (*s == '\\' ? fputs("\\\\", f) < 0 :
		    *s == '"' ? fputs("\\\"", f) < 0 :
		    *s == '\n' ? fputs("\\n", f) < 0 :
		    fputs("\xef\xbf\xbd", f) < 0) /* U+FFFD for a byte that is no UTF-8 */
			return -EIO;
		s++, n--;
	}
	return 0;
}

static void put(struct expo *e, const char *s)
{
	if (!e->err && fputs(s, e->f) < 0)
		e->err = -EIO;
}

void expo_family(struct expo *e, const char *name, const char *type,
		 const char *help)
{
	e->family = name;
	e->samples = 0;
	put(e, "# HELP ");
	put(e, name);
	put(e, " ");
	/* HELP escapes backslash and newline only */
	for (const char *p = help; *p && !e->err; p++)
		if (*p == '\\')
			put(e, "\\\\");
		else if (*p == '\n')
			put(e, "\\n");
		else if (fputc(*p, e->f) == EOF)
			e->err = -EIO;
	put(e, "\n# TYPE ");
	put(e, name);
	put(e, " ");
	put(e, type);
	put(e, "\n");
}

static void labels(struct expo *e, const struct expo_label *l, size_t n)
{
	put(e, e->family);
	for (size_t i = 0; i < n && !e->err; i++) {
		put(e, i ? ",": "{");
		put(e, l[i].name);
		put(e, "=\"");
		if (!e->err && expo_label_value(e->f, l[i].value) < 0)
			e->err = -EIO;
		put(e, "\"");
	}
	if (n)
		put(e, "}");
	e->samples++;
}

void expo_u64(struct expo *e, const struct expo_label *l, size_t n, uint64_t v)
{
	labels(e, l, n);
	if (!e->err && fprintf(e->f, " %" PRIu64 "\n", v) < 0)
		e->err = -EIO;
}

void expo_double(struct expo *e, const struct expo_label *l, size_t n, double v)
{
	labels(e, l, n);
	if (e->err)
		return;
	if (isnan(v))
		put(e, " NaN\n");
	else if (isinf(v))
		put(e, v > 0 ? " +Inf\n" : " -Inf\n");
	else if (v > -1e15 && v < 1e15 && (double)(long long)v == v ? fprintf(e->f, " %.0f\n", v) < 0 :
		 fprintf(e->f, " %.9g\n", v) < 0)
		e->err = -EIO;
}
