/* SPDX-License-Identifier: MIT */
#include "host/modules.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* modules.alias of a distribution kernel is about 1 MiB. */
#define LIST_MAX (64u << 20)
#define NAME_MAX_LEN 64

static char *read_list(struct rootfs *rfs, const char *release,
		       const char *file, int *err)
{
	char path[256];
	char *buf = NULL;
	int fd;

	snprintf(path, sizeof(path), "lib/modules/%s/%s", release, file);
	fd = rootfs_open(rfs, ROOTFS_TOP, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (rootfs_read_all(fd, LIST_MAX, &buf, NULL) == -ENOMEM)
		*err = -ENOMEM;
	close(fd);
	return buf;
}

int host_modules_load(struct rootfs *rfs, struct host_modules *m)
{
	char rel[128];
	ssize_t n;
	int err = 0;

	memset(m, 0, sizeof(*m));
	n = rootfs_read(rfs, ROOTFS_TOP, "proc/sys/kernel/osrelease", rel,
			sizeof(rel) - 1);
	if (n <= 0)
		return 0;
	rel[n] = '\0';
	rel[strcspn(rel, "\n")] = '\0';
	if (!rel[0] || strchr(rel, '/') || strcmp(rel, "..") == 0)
		return 0;
	snprintf(m->release, sizeof(m->release), "%s", rel);
	m->alias = read_list(rfs, rel, "modules.alias", &err);
	m->builtin = read_list(rfs, rel, "modules.builtin", &err);
	m->dep = read_list(rfs, rel, "modules.dep", &err);
	return err;
}

void host_modules_clear(struct host_modules *m)
{
	free(m->alias);
	free(m->builtin);
	free(m->dep);
	memset(m, 0, sizeof(*m));
}

/* Module names treat '-' and '_' alike. */
static char norm(char c)
{
	return c == '-' ? '_' : c;
}

static bool same_module(const char *a, size_t alen, const char *b)
{
	if (alen != strlen(b))
		return false;
	for (size_t i = 0; i < alen; i++)
		if (norm(a[i]) != norm(b[i]))
			return false;
	return true;
}

int host_modalias_lookup(const char *alias, const char *modalias,
			 char *module, size_t len)
{
	char line[512], pat[256], mod[128];

	for (const char *p = alias; p && *p;) {
		size_t w = strcspn(p, "\n");

		snprintf(line, sizeof(line), "%.*s", (int)w, p);
		p += w + (p[w] == '\n');
		if (sscanf(line, "alias %255s %127s", pat, mod) != 2)
			continue;
		if (fnmatch(pat, modalias, 0) == 0) {
			snprintf(module, len, "%s", mod);
			return 0;
		}
	}
	return -ENOENT;
}

/* Calls @fn with each module name of a modules.dep/builtin list. */
static int foreach_listed(const char *list,
			  int (*fn)(const char *name, size_t len, void *data),
			  void *data)
{
	for (const char *p = list; p && *p;) {
		size_t w = strcspn(p, ":\n"), base = w, end;
		int r;

		while (base > 0 && p[base - 1] != '/')
			base--;
		end = w;
		/* kernel/drivers/vfio/pci/vfio-pci.ko(.xz|.zst|.gz) */
		for (size_t k = base; k + 3 <= w; k++)
			if (strncmp(p + k, ".ko", 3) == 0) {
				end = k;
				break;
			}
		if (end > base && (r = fn(p + base, end - base, data)) != 0)
			return r;
		p += strcspn(p, "\n");
		p += *p == '\n';
	}
	return 0;
}

static int match_name(const char *name, size_t len, void *data)
{
	return same_module(name, len, data);
}

bool host_module_listed(const char *list, const char *name)
{
	return foreach_listed(list, match_name, (void *)name) == 1;
}

bool host_module_exists(const struct host_modules *m, const char *name)
{
	return host_module_listed(m->dep, name) ||
	       host_module_listed(m->builtin, name);
}

int host_module_claims(const struct host_modules *m, const char *name,
		       const char *modalias, bool vfio_variant)
{
	char line[512], pat[256], mod[128], alt[160];

	if (!m->alias)
		return -ENOENT;
	/* "pci:v…" -> "vfio_pci:v…" */
	snprintf(alt, sizeof(alt), "vfio_%s", modalias);
	for (const char *p = m->alias; *p;) {
		size_t w = strcspn(p, "\n");

		snprintf(line, sizeof(line), "%.*s", (int)w, p);
		p += w + (p[w] == '\n');
		if (sscanf(line, "alias %255s %127s", pat, mod) != 2 ||
		    !same_module(mod, strlen(mod), name))
			continue;
		if (fnmatch(pat, modalias, 0) == 0 ||
		    (vfio_variant && fnmatch(pat, alt, 0) == 0))
			return 1;
	}
	return 0;
}

/* Edit distance with adjacent swaps (optimal string alignment), capped. */
static size_t distance(const char *a, size_t n, const char *b, size_t m)
{
	size_t d[NAME_MAX_LEN + 1][NAME_MAX_LEN + 1];

	if (n > NAME_MAX_LEN || m > NAME_MAX_LEN)
		return (size_t)-1;
	for (size_t i = 0; i <= n; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= n; i++)
		for (size_t j = 1; j <= m; j++) {
			size_t c = norm(a[i - 1]) != norm(b[j - 1]);
			size_t v = d[i - 1][j] + 1;

			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + c < v)
				v = d[i - 1][j - 1] + c;
			if (i > 1 && j > 1 && norm(a[i - 1]) == norm(b[j - 2]) &&
			    norm(a[i - 2]) == norm(b[j - 1]) &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[n][m];
}

bool host_module_generic(const char *name)
{
	static const char *const generic[] = { "vfio_pci", "pci_stub",
					       "uio_pci_generic" };

	for (size_t i = 0; i < sizeof(generic) / sizeof(generic[0]); i++)
		if (same_module(name, strlen(name), generic[i]))
			return true;
	return false;
}

struct suggest {
	const struct host_modules *m;
	const char *name;
	const char *modalias;
	size_t best;
	char *out;
	size_t len;
};

static int consider(const char *cand, size_t len, void *data)
{
	struct suggest *s = data;
	size_t nl = strlen(s->name), dist;

	if (same_module(cand, len, s->name))
		return 0;
	dist = distance(s->name, nl, cand, len);
	/* "vfio" for "vfio-pci": a prefix is one step off */
	if (dist > 1 && len > nl && nl >= 3 &&
	    same_module(cand, nl, s->name) && norm(cand[nl]) == '_')
		dist = 1;
	/* ties: the shorter name ("vfio-pci" before "vfio_iommu_type1") */
	if (dist > 2 || dist > s->best ||
	    (dist == s->best && len >= strlen(s->out)))
		return 0;
	if (s->modalias) {
		char mod[NAME_MAX_LEN + 1];

		snprintf(mod, sizeof(mod), "%.*s", (int)len, cand);
		if (!host_module_generic(mod) &&
		    host_module_claims(s->m, mod, s->modalias, false) != 1)
			return 0;
	}
	s->best = dist;
	snprintf(s->out, s->len, "%.*s", (int)len, cand);
	return 0;
}

void host_module_suggest(const struct host_modules *m, const char *name,
			 const char *modalias, char *out, size_t len)
{
	struct suggest s = { m, name, modalias, (size_t)-1, out, len };

	if (len)
		out[0] = '\0';
	foreach_listed(m->dep, consider, &s);
	foreach_listed(m->builtin, consider, &s);
}
