/* SPDX-License-Identifier: MIT */
/*
 * Where every change record of an apply or restore goes: the append-only
 * change log (docs/changelog.md), one JSON line per attribute, and syslog.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* mkdir -p of the directory part of @path. */
static int make_parents(const char *path, mode_t mode)
{
	char *p = strdup(path);
	int r = 0;

	if (!p)
		return -ENOMEM;
	for (char *s = strchr(p + 1, '/'); s && r == 0; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST)
			r = -errno;
		*s = '/';
	}
	free(p);
	return r;
}

void cli_changelog_open(struct cli_changelog *log, struct cli *c)
{
	const char *root = sriov_ctx_root(c->ctx);

	memset(log, 0, sizeof(*log));
	log->fd = -1;
	log->c = c;
	/* A test tree has no syslog of its own. */
	log->syslog = strcmp(root, "/") == 0;
	if (c->change_log && strcmp(c->change_log, "-") == 0)
		log->path = NULL;
	else if (c->change_log)
		log->path = strdup(c->change_log);
	else if (strcmp(root, "/") == 0)
		log->path = strdup(SRIOV_CHANGELOG_PATH);
	else if (asprintf(&log->path, "%s%s", root, SRIOV_CHANGELOG_PATH) < 0)
		log->path = NULL;
	if (log->syslog)
		openlog("sriovctl", LOG_PID, LOG_DAEMON);
}

/* Opened on the first record: a run that changes nothing leaves no trace. */
static bool log_ready(struct cli_changelog *log)
{
	int r;

	if (log->fd >= 0)
		return true;
	if (!log->path || log->failed)
		return false;
	r = make_parents(log->path, 0755);
	if (r == 0) {
		log->fd = open(log->path, O_WRONLY | O_APPEND | O_CREAT |
				       O_CLOEXEC | O_NOCTTY, 0640);
		if (log->fd < 0)
			r = -errno;
	}
	if (r < 0) {
		cli_error("warning: cannot open the change log %s: %s; the changes are not recorded there",
			  log->path, strerror(-r));
		log->failed = true;
		return false;
	}
	return true;
}

static void to_syslog(const struct sriov_change *ch)
{
	const char *old = ch->old_value ? ch->old_value : "?";

	if (ch->err)
		syslog(LOG_ERR, "%s%s %s: %s -> %s failed: %s%s%s",
		       ch->rollback ? "rolling back: " : "", ch->device,
		       ch->attribute, old, ch->new_value, strerror(-ch->err),
		       ch->message ? ": " : "", ch->message ? ch->message : "");
	else
		syslog(LOG_NOTICE, "%s%s %s: %s -> %s",
		       ch->rollback ? "rolled back: " : "", ch->device,
		       ch->attribute, old, ch->new_value);
}

void cli_changelog_record(void *data, const struct sriov_change *ch)
{
	struct cli_changelog *log = data;
	struct sriov_change_origin who = { .uid = (unsigned)getuid(),
					   .command = log->c->command };
	struct timespec ts;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int r;

	if (log->syslog)
		to_syslog(ch);
	if (!log_ready(log))
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	who.time_us = (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	/* One write(2) per record: O_APPEND keeps each line whole. */
	f = open_memstream(&buf, &len);
	r = f ? sriov_change_write_json(&who, ch, f) : -ENOMEM;
	if (f && fclose(f) != 0 && r == 0)
		r = -EIO;
	if (r == 0) {
		ssize_t n = write(log->fd, buf, len);

		r = n < 0 ? -errno : (size_t)n != len ? -EIO : 0;
	}
	if (r < 0) {
		cli_error("warning: cannot write to the change log %s: %s",
			  log->path, strerror(-r));
		close(log->fd);
		log->fd = -1;
		log->failed = true;
	}
	free(buf);
}

void cli_changelog_close(struct cli_changelog *log)
{
	if (log->fd >= 0 && close(log->fd) < 0)
		cli_error("warning: cannot write to the change log %s: %s",
			  log->path, strerror(errno));
	if (log->syslog)
		closelog();
	free(log->path);
	memset(log, 0, sizeof(*log));
	log->fd = -1;
}
