/* SPDX-License-Identifier: MIT */
/* Performance hygiene: the PF's NUMA node and local CPUs, huge pages. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "io/parse.h"

/* NUMA nodes online ("0-1"), counted; 1 when unreadable. */
static int numa_nodes(struct check_run *r)
{
	char buf[256];
	ssize_t n = rootfs_read(r->ctx->rfs, ROOTFS_TOP,
				"sys/devices/system/node/online", buf, sizeof(buf) - 1);
	int count = 0;

	if (n <= 0)
		return 1;
	buf[n] = '\0';
	for (char *p = buf; *p && *p != '\n';) {
		long a = strtol(p, &p, 10), b = a;

		if (*p == '-')
			b = strtol(p + 1, &p, 10);
		count += (int)(b - a + 1);
		if (*p == ',')
			p++;
		else
			break;
	}
	return count > 0 ? count : 1;
}

static void check_numa(struct check_run *r, const struct sriov_pf *pf, int nodes)
{
	const char *name = check_pf_name(pf);

	if (strcmp(pf->bus, "pci") != 0)
		return;
	if (pf->numa_node >= 0)
		check_add(r, "numa.node", SRIOV_SEV_OK, name, NULL,
			  "%s/numa_node is %d", pf->sysfs_path, pf->numa_node);
	else if (nodes <= 1)
		check_add(r, "numa.node", SRIOV_SEV_OK, name, NULL,
			  "%s/numa_node is -1 on a host with one NUMA node", pf->sysfs_path);
	else
		check_add(r, "numa.node", SRIOV_SEV_WARN, name,
			  "enable NUMA (SRAT/_PXM) reporting in the BIOS/UEFI setup or update the BIOS",
			  "%s/numa_node is -1 on a host with %d NUMA nodes: the firmware does not say where the card is",
			  pf->sysfs_path, nodes);
	if (pf->local_cpulist)
		check_add(r, "numa.cpus", SRIOV_SEV_OK, name, NULL,
			  "%s/local_cpulist is %s: pin the VMs and DPDK cores using its VFs there",
			  pf->sysfs_path, pf->local_cpulist);
	else
		check_add(r, "numa.cpus", SRIOV_SEV_SKIP, name, NULL,
			  "%s/local_cpulist is not readable", pf->sysfs_path);
}

struct hp_sum {
	struct check_run *r;
	unsigned long pages;
	char sizes[256];
};

static int hp_entry(const char *name, void *data)
{
	struct hp_sum *s = data;
	char path[160], buf[32];
	ssize_t n;
	unsigned v;
	size_t len = strlen(s->sizes);

	if (strncmp(name, "hugepages-", 10) != 0)
		return 0;
	snprintf(path, sizeof(path), "sys/kernel/mm/hugepages/%s/nr_hugepages", name);
	n = rootfs_read(s->r->ctx->rfs, ROOTFS_TOP, path, buf, sizeof(buf));
	if (n <= 0 || parse_uint(buf, (size_t)n, ~0u, &v) < 0)
		return 0;
	s->pages += v;
	snprintf(s->sizes + len, sizeof(s->sizes) - len, "%s%s %u",
		 len ? ", " : "", name + strlen("hugepages-"), v);
	return 0;
}

static void check_hugepages(struct check_run *r)
{
	struct hp_sum s = { .r = r };
	int e = rootfs_foreach(r->ctx->rfs, ROOTFS_TOP, "sys/kernel/mm/hugepages",
			       hp_entry, &s);

	if (e < 0 || !s.sizes[0]) {
		check_add(r, "hugepages", SRIOV_SEV_SKIP, NULL, NULL,
			  "/sys/kernel/mm/hugepages is not readable");
		return;
	}
	if (s.pages)
		check_add(r, "hugepages", SRIOV_SEV_OK, NULL, NULL,
			  "/sys/kernel/mm/hugepages: %s", s.sizes);
	else
		check_add(r, "hugepages", SRIOV_SEV_WARN, NULL,
			  "for DPDK or VMs backed by huge pages: echo 1024 > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages (now), or add default_hugepagesz=1G hugepagesz=1G hugepages=N to GRUB_CMDLINE_LINUX (at boot)",
			  "/sys/kernel/mm/hugepages: no huge pages reserved (%s)", s.sizes);
}

void checks_perf(struct check_run *r)
{
	int nodes = numa_nodes(r);

	for (size_t i = 0; i < r->host->n_pfs; i++)
		if (check_sel_pf(r, &r->host->pfs[i]))
			check_numa(r, &r->host->pfs[i], nodes);
	if (r->n_sel == 0)
		check_hugepages(r);
}
