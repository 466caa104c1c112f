/* SPDX-License-Identifier: MIT */
/*
 * Shared by the unit tests and the fuzz harnesses: temporary trees under
 * $TMPDIR, files, directories and links in them, the generator, and the
 * small in-memory host the policy planner is tested and fuzzed on.
 * A helper that fails aborts: a test that cannot build its tree fails.
 */
#ifndef SRIOV_TESTLIB_H
#define SRIOV_TESTLIB_H

#include <limits.h>  /* PATH_MAX, for the trees' paths */
#include <stddef.h>

#include "sriov.h"

/* A new directory $TMPDIR/@name.XXXXXX (TMPDIR unset: /tmp), in @buf. */
void tl_mkdtemp(char *buf, size_t len, const char *name);
/* Remove @path and all under it (not following links). */
void tl_rm_rf(const char *path);

/* @root/@rel with its parent directories; @content NULL: a directory. */
void tl_put(const char *root, const char *rel, const char *content);
/* mkdir -p @root/@rel. */
void tl_mkdir(const char *root, const char *rel);
/* The symbolic link @root/@rel -> @target, with its parent directories. */
void tl_link(const char *root, const char *rel, const char *target);

/*
 * Generate a host tree at @out: sriov-hostgen (SRIOV_HOSTGEN) --force
 * with @args (e.g. "--card e810:vfs=2/0"), its output discarded.
 */
void tl_hostgen(const char *out, const char *args);

/*
 * Two PFs: an E810-like NIC (0000:3b:00.0, 8086:1592, class 020000, ice,
 * netdev ens1f0, 4 iavf VFs 8086:1889 with netdevs ens1f0vN, total 8) and
 * an NVMe PF without VFs (0000:5e:00.0, class 010802, total 4). tl_memhost_init() (re)sets every field; change them after.
 */
struct tl_memhost {
	struct sriov_host host;
	struct sriov_pf pfs[2];
	struct sriov_vf vfs[4];
	struct sriov_netdev nd;
	struct sriov_bridge root_port;
	char vf_netdevs[4][16];
};

void tl_memhost_init(struct tl_memhost *m);

#endif
