/* SPDX-License-Identifier: MIT */
/*
 * libsriov — the change log: one record per attribute a writing command
 * changed, failed to change or put back.
 */
#ifndef SRIOV_CHANGELOG_H
#define SRIOV_CHANGELOG_H

#include <stdbool.h>
#include <stdio.h>

#include "sriov/context.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SRIOV_CHANGELOG_PATH "/var/log/sriovctl/changes.log"

/* Who and what, for every record of one run. */
struct sriov_change_origin {
	long long time_us;       /* CLOCK_REALTIME, microseconds */
	unsigned uid;
	const char *command;     /* "sriovctl apply --boot" */
};

/*
 * One attribute a plan changed (or failed to), handed to
 * sriov_apply_opts.on_change as soon as it is known: the change log's
 * record. Strings are valid during the call only.
 */
struct sriov_change {
	const char *device;      /* "ens1f0", "ens1f0/vf3", or a PCI address */
	const char *pf;          /* the PF's PCI address (netdevsim: its name) */
	const char *attribute;   /* "num_vfs", "vlan", "driver", "mtu", ... */
	const char *old_value;   /* as `plan` prints it */
	const char *new_value;
	int err;                 /* 0 done, -errno refused/failed */
	const char *message;     /* why it failed, or NULL */
	bool rollback;           /* undoing an earlier change */
	bool interrupted;        /* begun by an apply that died before it
				    recorded the result (sriov_txn_recover) */
};

struct sriov_changelog;

/*
 * One JSON object on one line (docs/changelog.md): time (RFC 3339 UTC with
 * microseconds), uid, command, device, pf, attribute, old, new, result
 * ("ok", "failed", "rolled back", "rollback failed", "interrupted"),
 * error (strerror or null), message.
 * Returns 0 or -EIO.
 */
int sriov_change_write_json(const struct sriov_change_origin *who,
			    const struct sriov_change *c, FILE *out);

/*
 * Open the change log for appending: @path as given (absolute, or from the
 * working directory), or SRIOV_CHANGELOG_PATH under @ctx's root when NULL.
 * Missing directories are made (0755), the file too (0640). The file, and
 * for the default path its directory sriovctl/, must not be symbolic
 * links (-ELOOP) and the file must be a regular file (-EBADFD; -ENOTDIR
 * for a directory of ours that is not one). A last line without its
 * newline (a write cut short) is ended, so that the next record starts on
 * a line of its own. @who's uid and command (copied; may be NULL) go into
 * every record. Returns 0 or -errno. Free with sriov_changelog_free().
 */
int sriov_changelog_open(struct sriov_ctx *ctx, const char *path,
			 const struct sriov_change_origin *who,
			 struct sriov_changelog **out);
void sriov_changelog_free(struct sriov_changelog *log);

/* The log's path as messages name it (under the root when not "/"). */
const char *sriov_changelog_path(const struct sriov_changelog *log);

/*
 * Append @c as one line with one write(2), then fdatasync: by @who, or by
 * the log's origin at the current time when NULL. A write cut short
 * (RLIMIT_FSIZE: the caller ignores SIGXFSZ; a full disk) is taken back.
 * Returns 0, -EFBIG, -ENOSPC, -EIO or another -errno.
 */
int sriov_changelog_append(struct sriov_changelog *log,
			   const struct sriov_change_origin *who,
			   const struct sriov_change *c);

#ifdef __cplusplus
}
#endif

#endif
