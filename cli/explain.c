/* SPDX-License-Identifier: MIT */
/* sriovctl explain TEXT...: what an SR-IOV error message means here. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/*
 * Standard input whole, up to one byte more than explain takes (so that a
 * longer text is told apart); NULL on a read error or no memory.
 */
static char *read_stdin(size_t *len_out)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap), *nb;
	size_t n;

	if (!buf)
		return NULL;
	while (len <= SRIOV_EXPLAIN_TEXT_MAX &&
	       (n = fread(buf + len, 1, cap - len - 1, stdin)) > 0) {
		len += n;
		if (cap - len - 1 == 0) {
			nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (ferror(stdin)) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	*len_out = len;
	return buf;
}

static char *join(char **args, int n, size_t *len_out)
{
	size_t len = 1;
	char *s, *p;

	for (int i = 0; i < n; i++)
		len += strlen(args[i]) + 1;
	s = p = calloc(1, len);
	if (!s)
		return NULL;
	for (int i = 0; i < n; i++) {
		if (i)
			*p++ = ' ';
		p = stpcpy(p, args[i]);
	}
	*len_out = (size_t)(p - s);
	return s;
}

int cmd_explain(struct cli *c, int argc, char **argv)
{
	struct sriov_explanation *e = NULL;
	struct sriov_host *host = NULL;
	char **args, *text;
	size_t len = 0;
	int nargs, r;

	r = cli_args(c, argc, argv, 0, argc, &args, &nargs);
	if (r >= 0)
		return r;
	if (nargs == 0 || (nargs == 1 && strcmp(args[0], "-") == 0))
		text = read_stdin(&len);
	else
		text = join(args, nargs, &len);
	if (!text) {
		cli_error("cannot read the error text: %s", strerror(errno ? errno : ENOMEM));
		return EXIT_FAILED;
	}
	if (len > SRIOV_EXPLAIN_TEXT_MAX) {
		cli_error("the text is longer than %u MiB: give explain the part of the log around the error",
			  SRIOV_EXPLAIN_TEXT_MAX >> 20);
		free(text);
		return EXIT_USAGE;
	}
	if (strlen(text) != len) {
		cli_error("the text holds a NUL byte at offset %zu: explain takes text",
			  strlen(text));
		free(text);
		return EXIT_USAGE;
	}
	if (!*text || strspn(text, " \t\r\n") == strlen(text)) {
		cli_error("no error text: give it as arguments or on standard input ('sriovctl explain -')");
		free(text);
		return EXIT_USAGE;
	}
	/* Without an inventory the text is still explained, only not placed. */
	if (sriov_host_load(c->ctx, SRIOV_LOAD_NO_NAMES | SRIOV_LOAD_NO_CONFIG, &host) < 0)
		host = NULL;
	r = sriov_explain(c->ctx, host, text, &e);
	free(text);
	if (r < 0) {
		cli_error("cannot explain the text: %s", strerror(-r));
		sriov_host_free(host);
		return EXIT_FAILED;
	}
	if (c->json)
		r = sriov_render_explain_json(e, c->pretty, stdout);
	else if (e->n_matches)
		r = sriov_render_explain_text(e, stdout);
	if (r < 0)
		cli_output_error(r, "the explanation");
	if (!host)
		cli_error("could not read the devices under %s: the devices the text names were not looked up",
			  c->root);
	if (e->n_matches == 0)
		cli_error("no known SR-IOV failure matches this text; 'sriovctl check' looks for the causes on this host");
	r = r < 0 ? EXIT_FAILED : e->n_matches ? EXIT_OK : EXIT_FAILED;
	sriov_explanation_free(e);
	sriov_host_free(host);
	return r;
}
