/* SPDX-License-Identifier: MIT */
/*
 * The checks of `sriovctl check`: what every check reads about the host
 * (struct check_run), and the helpers the check files share. Each area's
 * file adds its findings through check_add().
 */
#ifndef SRIOV_CHECKS_H
#define SRIOV_CHECKS_H

#include <stdbool.h>
#include <stddef.h>

#include "ctx.h"
#include "host/modules.h"
#include "sriov.h"

enum cpu_vendor { CPU_UNKNOWN, CPU_INTEL, CPU_AMD, CPU_ARM64 };
enum os_family { OS_UNKNOWN, OS_DEBIAN, OS_RHEL };

/* One device named on the command line. */
struct check_sel {
	const struct sriov_pf *pf;   /* NULL: a PCI device without SR-IOV */
	const struct sriov_vf *vf;   /* NULL: the PF (all its VFs) */
	char address[SRIOV_ADDR_MAX];
};

struct check_run {
	struct sriov_ctx *ctx;
	const struct sriov_host *host;
	struct sriov_check_report *rep;
	int err;                     /* first -ENOMEM, reported at the end */
	struct check_sel *sel;       /* n_sel == 0: the whole host */
	size_t n_sel;
	/* facts read once, shared by the checks */
	int cpu;                     /* enum cpu_vendor */
	int iommu_hw;                /* enum cpu_vendor of the IOMMU: from the
					firmware's table, else the CPU's */
	int os;                      /* enum os_family */
	char *cmdline;               /* NULL when unreadable */
	bool iommu_active;
	struct host_modules mods;    /* lib/modules/<release> lists */
};

/* Add a finding; @remedy may be NULL. Evidence printf-style. */
void check_add(struct check_run *r, const char *id, int severity,
	       const char *subject, const char *remedy, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Whole file @path under the root (NUL-terminated), or NULL with -errno. */
char *check_read_file(struct check_run *r, const char *path, int *err);

/* Whether the selection includes @pf (any of its VFs), or @vf of @pf. */
bool check_sel_pf(const struct check_run *r, const struct sriov_pf *pf);
bool check_sel_vf(const struct check_run *r, const struct sriov_pf *pf,
		  const struct sriov_vf *vf);

/* "ens1f0" or the PCI address: how findings name a PF. */
const char *check_pf_name(const struct sriov_pf *pf);

/* Whether /proc/cmdline @cmdline has parameter @param ("iommu=pt"). */
bool cmdline_has(const char *cmdline, const char *param);
/* The value of "name=" on @cmdline (last one wins, as the kernel does) in @buf. */
bool cmdline_value(const char *cmdline, const char *name, char *buf,
		   size_t len);

/* os-release text to enum os_family (ID and ID_LIKE). */
int check_os_family(const char *os_release);
/* cpuinfo text to enum cpu_vendor; *virt gets the vmx/svm flag or "". */
int check_cpu_vendor(const char *cpuinfo, const char **virt);

/*
 * The kernel parameters @cpu needs for device passthrough: the IOMMU on
 * and in passthrough mode ("intel_iommu=on iommu=pt").
 */
const char *check_iommu_params(int cpu);

/*
 * The remedy that puts @params on the kernel command line of a host of
 * family @os: the GRUB line and the command that regenerates grub.cfg.
 */
void check_grub_remedy(int os, const char *params, char *buf, size_t len);

/* The checks of each area. */
void checks_host(struct check_run *r);
void checks_pci(struct check_run *r);
void checks_drivers(struct check_run *r);
void checks_quirks(struct check_run *r);
void checks_vfstate(struct check_run *r);
void checks_policy(struct check_run *r);
void checks_perf(struct check_run *r);

/* vf.persisted (persist.c): what re-creates VFs at boot, read once. */
struct persist_set;
struct persist_set *persist_scan(struct check_run *r);
void persist_check(struct check_run *r, const struct persist_set *set,
		   const struct sriov_pf *pf);
void persist_free(struct persist_set *set);

/* The table of checks (registry.c). */
const struct sriov_check_info *check_info(const char *id);

#endif
