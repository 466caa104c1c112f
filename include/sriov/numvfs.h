/* SPDX-License-Identifier: MIT */
/*
 * libsriov — the VF count: who holds the VFs a lower count removes, the
 * plan of sriov_numvfs writes and carrying it out.
 */
#ifndef SRIOV_NUMVFS_H
#define SRIOV_NUMVFS_H

#include <stdbool.h>
#include <stddef.h>

#include "sriov/common.h"
#include "sriov/context.h"
#include "sriov/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Why a VF is held (struct sriov_holder.kind). */
enum sriov_holder_kind {
	SRIOV_HOLDER_VFIO,       /* a process has its /dev/vfio/<group> (or cdev) open */
	SRIOV_HOLDER_NETDEV_UP,  /* its netdev is up (IFF_UP) */
	SRIOV_HOLDER_ENSLAVED,   /* its netdev has a master (bond, bridge, ...) */
	SRIOV_HOLDER_NETNS,      /* bound to a net driver, no netdev here: moved to another netns */
};

/* One reason a VF is in use. */
struct sriov_holder {
	unsigned vf_index;
	char vf_address[SRIOV_ADDR_MAX];
	enum sriov_holder_kind kind;
	int pid;                 /* SRIOV_HOLDER_VFIO: the process, else 0 */
	char comm[32];           /* its /proc/PID/comm, "?" if unreadable */
	char what[96];           /* the device file, netdev or master involved */
};

struct sriov_holders {
	struct sriov_holder *v;
	size_t n;
};

/*
 * Who holds the VFs of @pf with index >= @from (the VFs a lower count
 * removes): processes with the VF's vfio group or device open (every
 * /proc/PID/fd under the ctx's root), and VF netdevs that are up,
 * enslaved, or gone to another network namespace. Returns 0 or -ENOMEM;
 * unreadable processes are skipped. Free @out with sriov_holders_clear().
 */
int sriov_vf_holders(struct sriov_ctx *ctx, const struct sriov_pf *pf,
		     unsigned from, struct sriov_holders *out);
void sriov_holders_clear(struct sriov_holders *h);

/* "0000:01:00.1: /dev/vfio/12 open by pid 123 (qemu)". */
void sriov_holder_describe(const struct sriov_holder *h, char *buf,
			   size_t len);

/* What `sriovctl pf PF set-vfs N` asks for. */
struct sriov_numvfs_req {
	unsigned num_vfs;
	int autoprobe;           /* -1 leave as is, 0 off, 1 on */
	bool force;              /* go on although VFs are held */
};

/* One write of a plan (struct sriov_numvfs_plan.steps). */
enum sriov_numvfs_attr {
	SRIOV_NUMVFS_WRITE,      /* sriov_numvfs */
	SRIOV_AUTOPROBE_WRITE,   /* sriov_drivers_autoprobe */
};

struct sriov_numvfs_step {
	enum sriov_numvfs_attr attr;
	unsigned from, to;
};

/*
 * The writes that take a PF from its current VF count to the requested one.
 * Owned by the caller; free with sriov_numvfs_plan_clear().
 */
struct sriov_numvfs_plan {
	char pf_address[SRIOV_ADDR_MAX]; /* the PF's device name */
	char *pf_dir;            /* its sysfs directory under the root */
	char *pf_netdev;         /* NULL when the PF has none */
	bool pci;                /* false: netdevsim (VFs are not devices) */
	unsigned old_vfs, new_vfs;
	int old_autoprobe, new_autoprobe;
	struct sriov_numvfs_step steps[3];
	size_t n_steps;          /* 0: nothing to write */
	struct sriov_holders holders; /* of the VFs the plan removes */
};

/*
 * Plan @req for @pf, reading nothing but the holders. Checks, nothing
 * written: -ERANGE when the count is above the PF's total_vfs, -ENOENT when
 * the PF has no driver, -EBUSY when VFs to remove are held and !force
 * (plan->holders lists them). A different non-zero count goes through 0;
 * autoprobe is written before VFs are created, and only when it differs.
 * @err explains a refusal naming the PF. Returns 0 or those, -ENOMEM.
 * Free @plan with sriov_numvfs_plan_clear() whatever the result.
 */
int sriov_numvfs_plan(struct sriov_ctx *ctx, const struct sriov_pf *pf,
		      const struct sriov_numvfs_req *req,
		      struct sriov_numvfs_plan *plan, char *err, size_t errlen);
void sriov_numvfs_plan_clear(struct sriov_numvfs_plan *plan);

/*
 * The explanation of the kernel's answer @e (negative errno) to writing @n
 * to the sriov_numvfs of the PF @plan is for: what it means and what to do.
 */
void sriov_numvfs_explain(const struct sriov_numvfs_plan *plan, int e,
			  unsigned n, char *buf, size_t len);

/* A VF as it is once the count is written. */
struct sriov_numvfs_vf {
	unsigned index;
	char address[SRIOV_ADDR_MAX]; /* "" for netdevsim */
	char *driver;            /* NULL: no driver */
	char *netdev;            /* NULL: none */
};

/* What sriov_numvfs_apply() did. Free with sriov_numvfs_result_clear(). */
struct sriov_numvfs_result {
	size_t steps_done;       /* plan steps the kernel accepted */
	int failed_err;          /* the kernel's answer to the failed step, 0 */
	bool timed_out;          /* a write did not return within the timeout */
	bool rolled_back;        /* the earlier steps were undone */
	int rollback_err;        /* 0, or why undoing failed */
	unsigned final_vfs;      /* the count as the PF reads after it all */
	struct sriov_numvfs_vf *vfs;
	size_t n_vfs;
	bool vfs_settled;        /* every virtfn and expected netdev appeared */
	int carrier;             /* PF carrier afterwards: 1, 0, -1 not watched */
	unsigned carrier_ms;     /* how long the carrier took to come back */
	unsigned elapsed_ms;
};

/*
 * Perform @plan. Each write of sriov_numvfs runs in a child process and is
 * waited for at most @timeout_ms: the kernel blocks a write of 0 while a
 * process holds a VF's vfio device, and the caller must not hang with it.
 * After a timeout the child stays blocked in the kernel and the write
 * completes when the holders let go; nothing else is written (-ETIMEDOUT).
 * After the count is written, waits (within @timeout_ms in all) for every
 * virtfnN, for the netdevs of VFs bound to a network driver, and for the
 * PF's carrier when it was up before. When a step fails after an earlier
 * one succeeded, the earlier ones are undone (rolled_back). @err explains
 * a failure naming the PF. Returns 0, or the failed write's -errno.
 */
int sriov_numvfs_apply(struct sriov_ctx *ctx,
		       const struct sriov_numvfs_plan *plan,
		       unsigned timeout_ms, struct sriov_numvfs_result *res,
		       char *err, size_t errlen);
void sriov_numvfs_result_clear(struct sriov_numvfs_result *res);

#ifdef __cplusplus
}
#endif

#endif
