/* SPDX-License-Identifier: MIT */
/* The host lock every writing command takes, and who holds it when it waits in vain. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_lock(struct cli *c, unsigned wait_ms)
{
	const char *root = sriov_ctx_root(c->ctx);
	char path[4096], comm[64];
	int holder = 0, fd;

	snprintf(path, sizeof(path), "%s/%s",
		 strcmp(root, "/") ? root : "", SRIOV_LOCK_PATH);
	if (c->lock_timeout >= 0)
		wait_ms = (unsigned)c->lock_timeout * 1000u;
	fd = sriov_lock_host(c->ctx, wait_ms, &holder);
	if (fd == -EWOULDBLOCK && holder) {
		sriov_process_comm(c->ctx, holder, comm, sizeof(comm));
		cli_error("another sriovctl (pid %d%s%s) is changing the host; try again when it is done",
			  holder, strcmp(comm, "?") ? ", " : "",
			  strcmp(comm, "?") ? comm : "");
		return EXIT_FAILED;
	}
	if (fd == -EWOULDBLOCK) {
		cli_error("another sriovctl is changing the host (%s is locked); try again when it is done",
			  path);
		return EXIT_FAILED;
	}
	if (fd == -EINTR) {
		cli_error("interrupted while waiting for the host lock %s; nothing was changed",
			  path);
		return EXIT_FAILED;
	}
	/* Refused, not followed: what sits there is not the lock it made. */
	if (fd == -ELOOP || fd == -EBADFD || fd == -EISDIR || fd == -EMLINK) {
		cli_error("cannot take the host lock %s: it is %s, not a file of sriovctl's own; nothing was changed (remove it and try again)",
			  path, fd == -ELOOP ? "a symbolic link" :
				fd == -EMLINK ? "a file with two names (a hard link)" :
				fd == -EISDIR ? "a directory" : "a FIFO, socket or device");
		return EXIT_FAILED;
	}
	if (fd < 0) {
		cli_error("cannot take the host lock %s: %s; nothing was changed",
			  path, strerror(-fd));
		return EXIT_FAILED;
	}
	c->lock_fd = fd;
	return -1;
}

int cli_lock_unjournaled(struct cli *c, unsigned wait_ms)
{
	const char *root = sriov_ctx_root(c->ctx);
	struct sriov_txn *txn = NULL;
	char err[512];
	int rc = cli_lock(c, wait_ms), r;

	if (rc >= 0)
		return rc;
	/* A recovery rolls back every PF the dead apply touched: a change made
	 * now would be undone by it without a word. */
	r = sriov_txn_load(c->ctx, &txn, err, sizeof(err));
	if (r == 0 && !txn)
		return -1;
	if (txn) {
		sriov_txn_free(txn);
		cli_error("an apply that did not finish left its journal %s%s: run 'sriovctl apply --recover' first; nothing was changed",
			  strcmp(root, "/") ? root : "", SRIOV_JOURNAL_PATH);
	} else {
		cli_error("cannot read the journal %s%s (%s): run 'sriovctl apply --recover' to see why; nothing was changed",
			  strcmp(root, "/") ? root : "", SRIOV_JOURNAL_PATH,
			  err[0] ? err : strerror(-r));
	}
	return EXIT_FAILED;
}
