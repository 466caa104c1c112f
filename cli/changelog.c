/* SPDX-License-Identifier: MIT */
/*
 * Where the change records of an apply, restore or recovery go: the change
 * log, which the library writes (docs/changelog.md), and syslog.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "cli.h"

/* Why the change log cannot be used, for one message. */
static const char *why(int r)
{
	switch (r) {
	case -ELOOP:
		return "it (or its directory sriovctl/) is a symbolic link, and sriovctl follows none where it writes";
	case -EBADFD:
		return "it is not a regular file";
	case -ENOTDIR:
		return "a directory of its path is not a directory";
	default:
		return strerror(-r);
	}
}

int cli_changelog_open(struct cli_changelog *log, struct cli *c)
{
	const char *root = sriov_ctx_root(c->ctx);
	struct sriov_change_origin who = { .uid = (unsigned)getuid(),
					   .command = c->command };
	int r;

	memset(log, 0, sizeof(*log));
	log->c = c;
	/* A test tree has no syslog of its own. */
	log->syslog = strcmp(root, "/") == 0;
	if (!c->change_log || strcmp(c->change_log, "-") != 0) {
		r = sriov_changelog_open(c->ctx, c->change_log, &who, &log->log);
		if (r < 0) {
			cli_error("cannot use the change log %s%s: %s; nothing was changed (--change-log FILE to write it elsewhere, --no-change-log for none)",
				  c->change_log || !strcmp(root, "/") ? "" : root,
				  c->change_log ? c->change_log : SRIOV_CHANGELOG_PATH,
				  why(r));
			return EXIT_FAILED;
		}
	}
	if (log->syslog)
		openlog("sriovctl", LOG_PID, LOG_DAEMON);
	return -1;
}

void cli_changelog_record(void *data, const struct sriov_change *ch)
{
	struct cli_changelog *log = data;
	const char *old = ch->old_value ? ch->old_value : "?";

	if (!log->syslog)
		return;
	if (ch->interrupted)
		syslog(LOG_ERR, "interrupted: %s %s: %s -> %s: %s", ch->device,
		       ch->attribute, old, ch->new_value, ch->message);
	else if (ch->err)
		syslog(LOG_ERR, "%s%s %s: %s -> %s failed: %s%s%s",
		       ch->rollback ? "rolling back: " : "", ch->device,
		       ch->attribute, old, ch->new_value, strerror(-ch->err),
		       ch->message ? ": " : "", ch->message ? ch->message : "");
	else
		syslog(LOG_NOTICE, "%s%s %s: %s -> %s",
		       ch->rollback ? "rolled back: " : "", ch->device,
		       ch->attribute, old, ch->new_value);
}

void cli_changelog_warn(const struct cli_changelog *log, int err)
{
	if (err && log->log)
		cli_error("warning: the change log %s could not be written (%s): records of the changes above are missing there",
			  sriov_changelog_path(log->log), strerror(-err));
}

void cli_changelog_close(struct cli_changelog *log)
{
	sriov_changelog_free(log->log);
	if (log->syslog)
		closelog();
	memset(log, 0, sizeof(*log));
}
