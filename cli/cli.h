/* SPDX-License-Identifier: MIT */
/* Shared by the sriovctl verbs: options, exit codes, error reporting. */
#ifndef SRIOVCTL_CLI_H
#define SRIOVCTL_CLI_H

#include <stdbool.h>
#include <stdio.h>

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
	const char *change_log;  /* --change-log FILE; "-": none; NULL: default */
	int lock_timeout;     /* --lock-timeout S; -1: the command's default */
	int lock_fd;          /* the host lock while held, else -1 */
	const char *command;  /* the command line, for the change log */
	struct sriov_ctx *ctx;
	int out_err;          /* errno of stdout's first failed write, else 0 */
	FILE *real_stdout;    /* the stdout cli_output_open() replaced */
};

/* How long a writing command waits for another one to finish. */
#define CLI_LOCK_WAIT_MS 10000u
#define CLI_LOCK_WAIT_BOOT_MS 60000u

/*
 * "sriovctl: " + message on stderr, escaped as sriov_escape_printf() does:
 * messages quote device names, paths and the library's text of them.
 */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Help (cli/help.c). */

/* The help of @verb (@sub: one of its sub-verbs, or NULL); -1: none. */
int cli_help(const char *verb, const char *sub, FILE *f);
/* Whether cli_help() knows @verb [@sub]. */
bool cli_help_known(const char *verb, const char *sub);
/* The sub-verb of @verb among its arguments @argv[1..], or NULL. */
const char *cli_help_sub(const char *verb, int argc, char **argv);
/* The usage lines of @verb and where to read more, for a bad option. */
void cli_short_usage(const char *verb, FILE *f);
/* The man page's generated parts (sriovctl --dump-man, tools/update-man.py). */
void cli_help_roff_synopsis(FILE *f);
void cli_help_list_options(FILE *f);

/* Standard output (cli/output.c). */

/*
 * Make stdout a stream that keeps in @c the errno of its first failed
 * write: with a buffer, that errno is gone by the time fflush() fails.
 * First, a closed standard descriptor gets /dev/null (a closed stdout
 * counts as a write error), so no file the command opens takes its place.
 */
void cli_output_open(struct cli *c);
/* Flush and close stdout. Returns 0 or the first write error's errno. */
int cli_output_close(struct cli *c);

/* printf on stdout, escaped: for every line that quotes a name or input. */
void cli_print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A renderer failed with @r: says "cannot write @what" unless stdout
 * itself failed, which main() reports once as it closes stdout. Returns
 * EXIT_FAILED.
 */
int cli_output_error(int r, const char *what);

/*
 * Parse the common options after a verb, check the count of positional
 * arguments, and open the context. Returns -1 to go on, else an exit code.
 */
int cli_args(struct cli *c, int argc, char **argv, int min, int max,
	     char ***args, int *nargs);

/*
 * Read the policy (@file, or the default files under the root) and print
 * its errors as `policy check` does: FILE:LINE:COLUMN lines, then one
 * summary telling to run 'sriovctl @verb' again. Returns -1 to go on with
 * *out (free it with sriov_policy_free()), else an exit code.
 */
int cli_policy_load(struct cli *c, const char *file, const char *verb,
		    struct sriov_policy **out);
/* Print the errors of @p and the summary; returns EXIT_FAILED. */
int cli_policy_errors(const struct sriov_policy *p, const char *verb);

/*
 * The guard of every command that changes the running kernel: on a tree
 * under --root it is refused (exit 2) unless @dry_run_ok and --dry-run.
 * @device: the device named, or NULL. Returns -1 to go on, else EXIT_USAGE.
 */
int cli_live_only(const struct cli *c, const char *device, const char *what,
		  bool dry_run_ok);

/*
 * For the commands (or modes) that print no data: with --json, say why
 * (@why) and return EXIT_USAGE before anything happens; else -1.
 */
int cli_no_json(const struct cli *c, const char *verb, const char *why);

/* A plan (restore, apply), one line per attribute changed; their count. */
void cli_print_plan(const struct sriov_plan *plan, FILE *out);
size_t cli_plan_lines(const struct sriov_plan *plan);
/* The last line of every dry run: "N changes (dry run: nothing was written)". */
void cli_dry_run_footer(size_t n);

/*
 * A dry run's changes as sriovctl.plan/v1 (plan --json's schema), for the
 * commands without a struct sriov_plan: new, add each change, emit (which
 * frees it). Returns an exit code.
 */
struct json_object;
struct json_object *cli_plan_json_new(void);
void cli_plan_json_add(struct json_object *changes, const char *device,
		       const char *pf, const char *kind, const char *attr,
		       const char *old, const char *new);
int cli_plan_json_emit(const struct cli *c, struct json_object *changes);

/*
 * Take the host lock (sriov_lock_host), waiting up to --lock-timeout or
 * @wait_ms; main() releases it. Returns -1 to go on, else an exit code
 * after saying who holds it.
 */
int cli_lock(struct cli *c, unsigned wait_ms);
/*
 * cli_lock() for the commands that change the host without a journal of
 * their own (pf set-vfs, vf set, vf bind): refused while an apply that died
 * has left its journal, whose recovery would undo them.
 */
int cli_lock_unjournaled(struct cli *c, unsigned wait_ms);

/* Load the inventory, reporting failures; returns an exit code. */
int cli_load(struct cli *c, unsigned flags, struct sriov_host **out);

/* The quirk table (docs/quirks.md), its file errors as warnings; an exit code. */
int cli_quirks(struct cli *c, struct sriov_quirks **out);

/* The host's warnings on stderr, for the text views (JSON carries them). */
void cli_host_warnings(const struct cli *c, const struct sriov_host *host);

int cmd_list(struct cli *c, int argc, char **argv);
int cmd_show(struct cli *c, int argc, char **argv);
int cmd_vf(struct cli *c, int argc, char **argv);
int cmd_pf(struct cli *c, int argc, char **argv);
int cmd_save(struct cli *c, int argc, char **argv);
int cmd_restore(struct cli *c, int argc, char **argv);
int cmd_check(struct cli *c, int argc, char **argv);
int cmd_explain(struct cli *c, int argc, char **argv);
int cmd_policy(struct cli *c, int argc, char **argv);
int cmd_plan(struct cli *c, int argc, char **argv);
int cmd_apply(struct cli *c, int argc, char **argv);
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_match(struct cli *c, int argc, char **argv);
int cmd_audit(struct cli *c, int argc, char **argv);
int cmd_metrics(struct cli *c, int argc, char **argv);

/* The change log and syslog of one apply, restore or recovery (cli/changelog.c). */
struct cli_changelog {
	struct cli *c;
	struct sriov_changelog *log;  /* NULL: no change log */
	bool syslog;          /* only on the real host (root "/") */
};

/*
 * Open the change log: --change-log FILE, none for "-", else
 * SRIOV_CHANGELOG_PATH (under --root when it is not "/"). One that cannot
 * be used (a symbolic link, not a regular file) is an error before
 * anything changes. Returns -1 to go on, else an exit code. Close with
 * cli_changelog_close().
 */
int cli_changelog_open(struct cli_changelog *log, struct cli *c);
/* sriov_apply_opts.on_change: one syslog message. */
void cli_changelog_record(void *data, const struct sriov_change *ch);
/* The warning for records the log lost (an apply report's log_err). */
void cli_changelog_warn(const struct cli_changelog *log, int err);
void cli_changelog_close(struct cli_changelog *log);

/*
 * An apply that died left its journal: finish it (sriov_txn_recover) and
 * say what was done, before anything else changes the host; with
 * --dry-run, say what would be. @only: `apply --recover`, which also says
 * when there is nothing to finish. Returns -1 to go on, else an exit code.
 */
int cli_recover(struct cli *c, bool only);

/*
 * Carry out @plan on the live host, rolling back on failure (and on SIGINT
 * or SIGTERM), print what changed (old -> new), and record every change in
 * the change log and syslog. Returns an exit code.
 */
int cli_apply(struct cli *c, const struct sriov_host *host,
	      const struct sriov_plan *plan);

#endif
