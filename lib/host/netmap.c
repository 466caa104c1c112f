/* SPDX-License-Identifier: MIT */
#include "host/netmap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/strv.h"

#define CLASS_NET "sys/class/net"

static int cmp_entry(const void *a, const void *b)
{
	const struct netmap_entry *x = a, *y = b;
	int c = strcmp(x->devpath, y->devpath);

	return c ? c : strcmp(x->ifname, y->ifname);
}

int netmap_load(struct rootfs *rfs, struct netmap *out)
{
	struct sriov_strv names = { 0 };
	struct netmap m = { 0 };
	int dirfd, r;

	*out = m;
	r = rootfs_list(rfs, ROOTFS_TOP, CLASS_NET, &names);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return 0; /* !valid: callers list each device's net/ */
	dirfd = rootfs_open_dir(rfs, ROOTFS_TOP, CLASS_NET);
	m.v = calloc(names.n ? names.n : 1, sizeof(*m.v));
	if (dirfd < 0 || !m.v) {
		if (dirfd >= 0)
			close(dirfd);
		free(m.v);
		sriov_strv_clear(&names);
		return dirfd == -ENOMEM || !m.v ? -ENOMEM : 0;
	}
	for (size_t i = 0; i < names.n; i++) {
		char target[4096], path[4096];
		char *slash;
		size_t len;

		if (rootfs_readlink(rfs, dirfd, names.v[i], target,
				    sizeof(target)) < 0 ||
		    rootfs_join(CLASS_NET, target, path, sizeof(path)) < 0)
			continue;
		/* .../<device>/net/<ifname>: keep <device>'s path */
		slash = strrchr(path, '/');
		if (!slash || strcmp(slash + 1, names.v[i]) != 0)
			continue;
		*slash = '\0';
		len = (size_t)(slash - path);
		if (len < 4 || strcmp(path + len - 4, "/net") != 0)
			continue;
		path[len - 4] = '\0';
		m.v[m.n].devpath = strdup(path);
		m.v[m.n].ifname = names.v[i];
		names.v[i] = NULL;
		if (!m.v[m.n].devpath) {
			free(m.v[m.n].ifname);
			close(dirfd);
			netmap_free(&m);
			sriov_strv_clear(&names);
			return -ENOMEM;
		}
		m.n++;
	}
	close(dirfd);
	sriov_strv_clear(&names);
	qsort(m.v, m.n, sizeof(*m.v), cmp_entry);
	m.valid = true;
	*out = m;
	return 0;
}

void netmap_free(struct netmap *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].devpath);
		free(m->v[i].ifname);
	}
	free(m->v);
	m->v = NULL;
	m->n = 0;
}

int netmap_lookup(const struct netmap *m, const char *devpath,
		  struct sriov_strv *names)
{
	size_t lo = 0, hi = m->n;

	/* first entry with devpath >= @devpath */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(m->v[mid].devpath, devpath) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < m->n && strcmp(m->v[lo].devpath, devpath) == 0; lo++)
		if (strv_push(names, m->v[lo].ifname) < 0)
			return -ENOMEM;
	return 0;
}
