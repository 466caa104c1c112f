/* SPDX-License-Identifier: MIT */
/*
 * DPDK: the EAL arguments for the VFs, on the first line so a shell can
 * take it ($(sriovctl export dpdk ... | head -n 1)): `-l` with the CPUs of
 * the VFs' NUMA nodes (sys/devices/system/node/nodeN/cpulist), `-a` per
 * VF, and `--socket-mem` asking memory of those nodes only (up to 1024 MB
 * each, what their huge pages have free; 0 for the others). A node without
 * free huge pages is refused: the EAL would fail there at start. Comment
 * lines after it say where the values come from and give a testpmd line.
 * Every word is made of [0-9a-f:.,-] and an option name: no quoting needed.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "export/export.h"
#include "io/parse.h"
#include "io/root.h"
#include "util/errbuf.h"
#include "util/strv.h"

#define NODE_DIR "sys/devices/system/node"
#define MAX_CPUS 8192          /* the largest NR_CPUS distributions build */
#define MAX_NODES 64
#define SOCKET_MEM_MB 1024     /* per node: enough for testpmd's pools */

struct cpuset {
	uint64_t w[MAX_CPUS / 64];
};

/* A decimal number below @max at *i. */
static int list_num(const char *s, size_t len, size_t *i, unsigned max, unsigned *out)
{
	unsigned v = 0;
	size_t start = *i;

	while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
		v = v * 10 + (unsigned)(s[*i] - '0');
		if (v >= max)
			return -ERANGE;
		(*i)++;
	}
	if (*i == start || *i - start > 5)
		return -EINVAL;
	*out = v;
	return 0;
}

/*
 * The kernel's list format ("0-3,8-11\n", bitmap_print_to_pagebuf) into
 * @bits (@max bits): ranges ascending or not, each bit below @max; an
 * empty list is empty. Linear in @len plus @max.
 */
static int parse_list(const char *s, size_t len, unsigned max, uint64_t *bits)
{
	size_t i = 0;

	if (len && s[len - 1] == '\n')
		len--;
	while (i < len) {
		unsigned a, b;
		int r = list_num(s, len, &i, max, &a);

		if (r < 0)
			return r;
		b = a;
		if (i < len && s[i] == '-') {
			i++;
			r = list_num(s, len, &i, max, &b);
			if (r < 0)
				return r;
			if (b < a)
				return -EINVAL;
		}
		for (unsigned c = a; c <= b; c++)
			bits[c / 64] |= 1ULL << (c % 64);
		if (i < len && (s[i] != ',' || ++i == len))
			return -EINVAL;
	}
	return 0;
}

int export_numa_online(struct sriov_ctx *ctx, uint64_t *mask, char *err,
		       size_t errlen)
{
	char buf[512];
	ssize_t n = rootfs_read(ctx->rfs, ROOTFS_TOP, NODE_DIR "/online", buf, sizeof(buf));
	uint64_t m = 0;
	int r;

	if (n < 0)
		return errset(err, errlen, (int)n, "cannot read %s/" NODE_DIR "/online: %s (DPDK's cores and memory are those of the VFs' NUMA nodes)",
			      rootfs_path(ctx->rfs), rootfs_strerror((int)n));
	r = parse_list(buf, (size_t)n, MAX_NODES, &m);
	if (r < 0 || !m)
		return errset(err, errlen, -EBADMSG, "%s/" NODE_DIR "/online is not a list of nodes 0..%d",
			      rootfs_path(ctx->rfs), MAX_NODES - 1);
	*mask = m;
	return 0;
}

static int node_cpus(struct sriov_ctx *ctx, int node, struct cpuset *cpus,
		     char *err, size_t errlen)
{
	char path[96], buf[4096];
	struct cpuset one = { { 0 } };
	ssize_t n;
	bool any = false;
	int r;

	snprintf(path, sizeof(path), NODE_DIR "/node%d/cpulist", node);
	n = rootfs_read(ctx->rfs, ROOTFS_TOP, path, buf, sizeof(buf));
	if (n < 0)
		return errset(err, errlen, (int)n, "cannot read %s/%s: %s", rootfs_path(ctx->rfs),
			      path, rootfs_strerror((int)n));
	r = parse_list(buf, (size_t)n, MAX_CPUS, one.w);
	if (r < 0)
		return errset(err, errlen, -EBADMSG, "%s/%s is not a CPU list (CPUs 0..%d)",
			      rootfs_path(ctx->rfs), path, MAX_CPUS - 1);
	for (size_t i = 0; i < MAX_CPUS / 64; i++) {
		any |= one.w[i] != 0;
		cpus->w[i] |= one.w[i];
	}
	if (!any)
		return errset(err, errlen, -EDOM, "NUMA node %d has no CPUs (%s/%s is empty): DPDK's lcores of its VFs would be remote",
			      node, rootfs_path(ctx->rfs), path);
	return 0;
}

/* MB of free huge pages on @node, of every size; no directory is none. */
static int node_free_mb(struct sriov_ctx *ctx, int node, uint64_t *mb)
{
	struct sriov_strv sizes = { 0 };
	char dir[96], path[192], buf[32];
	uint64_t kb_total = 0;
	int r;

	snprintf(dir, sizeof(dir), NODE_DIR "/node%d/hugepages", node);
	r = rootfs_list(ctx->rfs, ROOTFS_TOP, dir, &sizes);
	if (r == -ENOENT) {
		*mb = 0;
		return 0;
	}
	if (r < 0)
		return r;
	for (size_t i = 0; i < sizes.n; i++) {
		unsigned kb, pages;
		const char *name = sizes.v[i];
		size_t nl = strlen(name);
		ssize_t n;

		/* "hugepages-2048kB" */
		if (nl < 13 || strncmp(name, "hugepages-", 10) != 0 ||
		    strcmp(name + nl - 2, "kB") != 0 ||
		    parse_uint(name + 10, nl - 12, 1u << 30, &kb) < 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s/free_hugepages", dir, name);
		n = rootfs_read(ctx->rfs, ROOTFS_TOP, path, buf, sizeof(buf));
		if (n >= 0 && parse_uint(buf, (size_t)n, 1u << 30, &pages) == 0)
			kb_total += (uint64_t)kb * pages;
	}
	sriov_strv_clear(&sizes);
	*mb = kb_total / 1024;
	return 0;
}

/* "0-3,8-11" */
static void print_list(FILE *f, const uint64_t *bits, unsigned max)
{
	bool first = true;

	for (unsigned c = 0; c < max; c++) {
		unsigned e = c;

		if (!(bits[c / 64] >> (c % 64) & 1))
			continue;
		while (e + 1 < max && (bits[(e + 1) / 64] >> ((e + 1) % 64) & 1))
			e++;
		fprintf(f, e > c ? "%s%u-%u" : "%s%u", first ? "" : ",", c, e);
		first = false;
		c = e;
	}
}

struct plan {
	uint64_t nodes;              /* the nodes the VFs are on */
	struct cpuset cpus;
	unsigned mem[MAX_NODES];     /* --socket-mem, MB */
	uint64_t free_mb[MAX_NODES];
	int top;                     /* highest node used */
};

static int plan_nodes(const struct export_job *job, struct plan *p, char *err,
		      size_t errlen)
{
	uint64_t online;
	int r = export_numa_online(job->ctx, &online, err, errlen);

	if (r < 0)
		return r;
	for (size_t i = 0; i < job->n_vfs; i++) {
		const struct export_vf *v = &job->vfs[i];
		int node = v->vf->numa_node;

		/* unknown: the only node, or (export's numa.node check, --force) all */
		if (node < 0) {
			p->nodes |= online;
			continue;
		}
		if (node >= MAX_NODES || !(online >> node & 1))
			return errset(err, errlen, -EDOM, "%s (%s) is on NUMA node %d, which %s/" NODE_DIR "/online does not list",
				      v->label, v->vf->address, node, rootfs_path(job->ctx->rfs));
		p->nodes |= 1ULL << node;
	}
	for (int n = 0; n < MAX_NODES; n++) {
		if (!(p->nodes >> n & 1))
			continue;
		p->top = n;
		r = node_cpus(job->ctx, n, &p->cpus, err, errlen);
		if (r < 0)
			return r;
		r = node_free_mb(job->ctx, n, &p->free_mb[n]);
		if (r < 0)
			return errset(err, errlen, r, "cannot read %s/" NODE_DIR "/node%d/hugepages: %s",
				      rootfs_path(job->ctx->rfs), n, rootfs_strerror(r));
		if (p->free_mb[n] == 0)
			return errset(err, errlen, -ENOSPC, "NUMA node %d, where the VFs are, has no free huge pages (%s/" NODE_DIR "/node%d/hugepages): DPDK's memory must be there; reserve some: echo 512 > /sys/devices/system/node/node%d/hugepages/hugepages-2048kB/nr_hugepages (check id: hugepages)",
				      n, rootfs_path(job->ctx->rfs), n, n);
		p->mem[n] = p->free_mb[n] < SOCKET_MEM_MB ? (unsigned)p->free_mb[n]
							  : SOCKET_MEM_MB;
	}
	return 0;
}

static void eal_line(FILE *f, const struct export_job *job, const struct plan *p)
{
	fputs("-l ", f);
	print_list(f, p->cpus.w, MAX_CPUS);
	for (size_t i = 0; i < job->n_vfs; i++) {
		const struct pci_addr *a = &job->vfs[i].addr;

		fprintf(f, " -a %04x:%02x:%02x.%x", a->domain, a->bus, a->dev, a->fn);
	}
	fputs(" --socket-mem ", f);
	for (int n = 0; n <= p->top; n++)
		fprintf(f, "%s%u", n ? "," : "", p->mem[n]);
}

int export_dpdk(const struct export_job *job, char **text, size_t *len,
		char *err, size_t errlen)
{
	struct plan *p = calloc(1, sizeof(*p));
	FILE *f;
	int r;

	*text = NULL;
	*len = 0;
	if (!p)
		return -ENOMEM;
	r = plan_nodes(job, p, err, errlen);
	if (r < 0) {
		free(p);
		return r;
	}
	f = open_memstream(text, len);
	if (!f) {
		free(p);
		return -ENOMEM;
	}
	eal_line(f, job, p);
	fputs("\n# DPDK EAL arguments (the line above) for", f);
	for (size_t i = 0; i < job->n_vfs; i++)
		fprintf(f, " %s", export_vf_name(&job->vfs[i]));
	fputc('\n', f);
	for (int n = 0; n <= p->top; n++)
		if (p->nodes >> n & 1)
			fprintf(f, "# NUMA node %d: -l has its CPUs, --socket-mem %u MB of its %llu MB of free huge pages\n",
				n, p->mem[n], (unsigned long long)p->free_mb[n]);
	fputs("# e.g. dpdk-testpmd ", f);
	eal_line(f, job, p);
	fputs(" -- -i\n", f);
	free(p);
	if (fclose(f) != 0) {
		free(*text);
		*text = NULL;
		*len = 0;
		return -ENOMEM;
	}
	return 0;
}
