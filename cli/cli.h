/* SPDX-License-Identifier: MIT */
/* Shared by the sriovctl verbs: options, exit codes, error reporting. */
#ifndef SRIOVCTL_CLI_H
#define SRIOVCTL_CLI_H

#include <stdbool.h>

#include "sriov.h"

enum {
	EXIT_OK = 0,
	EXIT_FAILED = 1,
	EXIT_USAGE = 2,
};

struct cli {
	const char *root;
	const char *pci_ids;
	bool json;
	bool pretty;
	bool dry_run;         /* -n: print what would change, write nothing */
	bool no_rollback;     /* keep partial progress when a step fails */
	bool stats;            /* -s: per-VF counters (SRIOV_LOAD_STATS) */
	struct sriov_ctx *ctx;
};

/* "sriovctl: " + message on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Parse the common options after a verb, check the count of positional
 * arguments, and open the context. Returns -1 to go on, else an exit code.
 */
int cli_args(struct cli *c, int argc, char **argv, int min, int max,
	     char ***args, int *nargs);

/* Load the inventory, reporting failures; returns an exit code. */
int cli_load(struct cli *c, unsigned flags, struct sriov_host **out);

int cmd_list(struct cli *c, int argc, char **argv);
int cmd_show(struct cli *c, int argc, char **argv);
int cmd_vf(struct cli *c, int argc, char **argv);
int cmd_pf(struct cli *c, int argc, char **argv);
int cmd_save(struct cli *c, int argc, char **argv);
int cmd_restore(struct cli *c, int argc, char **argv);
int cmd_check(struct cli *c, int argc, char **argv);
int cmd_explain(struct cli *c, int argc, char **argv);
int cmd_policy(struct cli *c, int argc, char **argv);

/*
 * Carry out @plan on the live host, rolling back on failure, and print what
 * changed (old -> new). Returns an exit code.
 */
int cli_apply(struct cli *c, const struct sriov_host *host,
	      const struct sriov_plan *plan);

#endif
