/* SPDX-License-Identifier: MIT */
/*
 * sriovctl match FORMAT SPEC|-: which PFs and VFs of this host a
 * consumer's own selector takes, and for each one it does not, the field
 * that failed and why (sriov_match_run). Exit 0 when it takes one, 1 when
 * it takes none, 2 for a format or spec that cannot be evaluated.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void known_formats(char *buf, size_t size)
{
	size_t w = 0;

	buf[0] = '\0';
	for (int i = 0; i < SRIOV_MATCH__COUNT && w < size; i++)
		w += (size_t)snprintf(buf + w, size - w, "%s%s", i ? ", " : "",
				      sriov_match_format_name(i));
}

/* SPEC "-": standard input, at most SRIOV_MATCH_SPEC_MAX bytes. */
static int read_stdin(char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);

	while (buf) {
		ssize_t r;

		if (n == cap) {
			char *b = cap > SRIOV_MATCH_SPEC_MAX ? NULL : realloc(buf, cap * 2);

			if (!b) {
				if (cap > SRIOV_MATCH_SPEC_MAX) {
					*out = buf;
					*len = n;
					return 0;  /* the library says it is too long */
				}
				break;
			}
			buf = b;
			cap *= 2;
		}
		r = read(STDIN_FILENO, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(buf);
			return -e;
		}
		if (r == 0) {
			*out = buf;
			*len = n;
			return 0;
		}
		n += (size_t)r;
	}
	free(buf);
	return -ENOMEM;
}

int cmd_match(struct cli *c, int argc, char **argv)
{
	struct sriov_match_result *res = NULL;
	struct sriov_host *host = NULL;
	char err[1024], known[256], *input = NULL;
	const char *spec;
	size_t len;
	char **args;
	int nargs, format, r;

	r = cli_args(c, argc, argv, 2, 2, &args, &nargs);
	if (r >= 0)
		return r;
	format = sriov_match_format_parse(args[0]);
	if (format < 0) {
		known_formats(known, sizeof(known));
		cli_error("match: unknown format '%s' (formats: %s; 'sriovctl help match' says what each takes)",
			  args[0], known);
		return EXIT_USAGE;
	}
	spec = args[1];
	len = strlen(spec);
	if (strcmp(spec, "-") == 0) {
		r = read_stdin(&input, &len);
		if (r < 0) {
			cli_error("match: cannot read the spec from standard input: %s", strerror(-r));
			return EXIT_FAILED;
		}
		spec = input;
	}
	r = cli_load(c, SRIOV_LOAD_NO_NAMES | SRIOV_LOAD_NO_CONFIG | SRIOV_LOAD_NO_VF_MTU, &host);
	if (r != EXIT_OK) {
		free(input);
		return r;
	}
	r = sriov_match_run(c->ctx, host, format, spec, len, &res, err, sizeof(err));
	free(input);
	if (r < 0) {
		cli_error("match %s: %s", args[0], err[0] ? err : strerror(-r));
		sriov_host_free(host);
		return r == -ENOMEM ? EXIT_FAILED : EXIT_USAGE;
	}
	r = c->json ? sriov_match_render_json(res, c->pretty, stdout)
		    : sriov_match_render_text(res, stdout);
	if (r < 0)
		r = cli_output_error(r, "the match");
	else
		r = res->n_taken ? EXIT_OK : EXIT_FAILED;
	sriov_match_free(res);
	sriov_host_free(host);
	return r;
}
