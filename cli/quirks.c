/* SPDX-License-Identifier: MIT */
/* The quirk table for the commands: loaded once, broken overrides named. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_quirks(struct cli *c, struct sriov_quirks **out)
{
	char err[512], line[1024];
	int r = sriov_quirks_load(c->ctx, out, err, sizeof(err));

	if (r < 0) {
		cli_error("%s; fix or remove the file (docs/quirks.md)",
			  r == -ENOMEM ? strerror(-r) : err);
		return EXIT_FAILED;
	}
	/* a broken override loses its entry, not the command */
	for (size_t i = 0; i < (*out)->n_errors; i++) {
		sriov_policy_error_format(&(*out)->errors[i], line, sizeof(line));
		sriov_escape_printf(stderr, "sriovctl: warning: %s (the entry is left out; docs/quirks.md)\n",
				    line);
	}
	return EXIT_OK;
}
