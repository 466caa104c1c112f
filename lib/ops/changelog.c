/* SPDX-License-Identifier: MIT */
/*
 * The change log (docs/changelog.md): one JSON object per line for every
 * attribute an apply changed, failed to change, or undid. Opened through
 * the rooted file layer, never through a symbolic link; each record is one
 * write(2) and is synced before the next step.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "ctx.h"
#include "io/owned.h"
#include "sriov.h"
#include "util/jsonout.h"

struct sriov_changelog {
	struct rootfs *rfs;          /* "/" or "." for a path given, else NULL */
	int fd;
	char *path;                  /* for messages */
	struct sriov_change_origin who;
	char *command;
};

static const char *result_name(const struct sriov_change *c)
{
	if (c->interrupted)
		return "interrupted";
	if (c->rollback)
		return c->err ? "rollback failed" : "rolled back";
	return c->err ? "failed" : "ok";
}

int sriov_change_write_json(const struct sriov_change_origin *who,
			    const struct sriov_change *c, FILE *out)
{
	time_t sec = (time_t)(who->time_us / 1000000);
	long usec = (long)(who->time_us % 1000000);
	json_object *o = json_object_new_object();
	char stamp[48], day[32];
	struct tm tm;

	if (usec < 0) {
		usec += 1000000;
		sec--;
	}
	if (!gmtime_r(&sec, &tm) ||
	    strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		json_object_put(o);
		return -EIO;
	}
	snprintf(stamp, sizeof(stamp), "%s.%06ldZ", day, usec);
	json_object_object_add(o, "time", json_object_new_string(stamp));
	json_object_object_add(o, "uid", json_object_new_int64(who->uid));
	json_object_object_add(o, "command", jout_str(who->command));
	json_object_object_add(o, "device", jout_str(c->device));
	json_object_object_add(o, "pf", jout_str(c->pf));
	json_object_object_add(o, "attribute", jout_str(c->attribute));
	json_object_object_add(o, "old", jout_str(c->old_value));
	json_object_object_add(o, "new", jout_str(c->new_value));
	json_object_object_add(o, "result", json_object_new_string(result_name(c)));
	json_object_object_add(o, "error", jout_str(c->err ? strerror(-c->err) : NULL));
	json_object_object_add(o, "message", jout_str(c->message));
	return jout_emit(o, false, out) < 0 ? -EIO : 0;
}

static long long realtime_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void sriov_changelog_free(struct sriov_changelog *log)
{
	if (!log)
		return;
	if (log->fd >= 0)
		close(log->fd);
	rootfs_free(log->rfs);
	free(log->path);
	free(log->command);
	free(log);
}

const char *sriov_changelog_path(const struct sriov_changelog *log)
{
	return log->path;
}

/* A last line without its newline (a torn write): end it. */
static int end_torn_line(int fd)
{
	struct stat st;
	char last;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (st.st_size == 0 || pread(fd, &last, 1, st.st_size - 1) != 1 ||
	    last == '\n')
		return 0;
	return owned_append(fd, "\n", 1);
}

int sriov_changelog_open(struct sriov_ctx *ctx, const char *path,
			 const struct sriov_change_origin *who,
			 struct sriov_changelog **out)
{
	struct sriov_changelog *log = calloc(1, sizeof(*log));
	struct rootfs *rfs = ctx->rfs;
	const char *rel = SRIOV_CHANGELOG_PATH;
	unsigned own_dirs = 1;        /* var/log/sriovctl */
	int r = 0;

	*out = NULL;
	if (!log)
		return -ENOMEM;
	log->fd = -1;
	if (path) {
		/* As given: from / or the working directory, none of its
		 * directories ours. */
		r = rootfs_new(path[0] == '/' ? "/" : ".", &log->rfs);
		rfs = log->rfs;
		rel = path;
		own_dirs = 0;
		log->path = strdup(path);
	} else if (strcmp(rootfs_path(ctx->rfs), "/") == 0) {
		log->path = strdup(SRIOV_CHANGELOG_PATH);
	} else if (asprintf(&log->path, "%s%s", rootfs_path(ctx->rfs),
			    SRIOV_CHANGELOG_PATH) < 0) {
		log->path = NULL;
	}
	if (who) {
		log->who = *who;
		if (who->command && !(log->command = strdup(who->command)))
			r = -ENOMEM;
		log->who.command = log->command;
	}
	if (r == 0 && !log->path)
		r = -ENOMEM;
	if (r == 0) {
		log->fd = owned_open(rfs, rel, O_RDWR | O_APPEND, 0640, 0755,
				     own_dirs, NULL);
		r = log->fd < 0 ? log->fd : end_torn_line(log->fd);
	}
	if (r < 0) {
		sriov_changelog_free(log);
		return r;
	}
	*out = log;
	return 0;
}

int sriov_changelog_append(struct sriov_changelog *log,
			   const struct sriov_change_origin *who,
			   const struct sriov_change *c)
{
	struct sriov_change_origin now = log->who;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int r;

	if (!who) {
		now.time_us = realtime_us();
		who = &now;
	}
	f = open_memstream(&buf, &len);
	r = f ? sriov_change_write_json(who, c, f) : -ENOMEM;
	if (f && fclose(f) != 0 && r == 0)
		r = -ENOMEM;
	/* One write(2) per record: O_APPEND keeps each line whole. */
	if (r == 0)
		r = owned_append(log->fd, buf, len);
	free(buf);
	return r;
}
