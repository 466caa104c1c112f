/* SPDX-License-Identifier: MIT */
/*
 * libsriov — plans: the steps that change the host, carrying them out with
 * read-back and rollback, and the plan's JSON.
 */
#ifndef SRIOV_PLAN_H
#define SRIOV_PLAN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sriov/changelog.h"
#include "sriov/common.h"
#include "sriov/context.h"
#include "sriov/model.h"
#include "sriov/state.h"
#include "sriov/vf_set.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One change to the host, in the order a plan carries them out. */
enum sriov_step_kind {
	SRIOV_STEP_NUM_VFS,    /* the PF's VF count and autoprobe */
	SRIOV_STEP_VF_ATTRS,   /* a VF's link attributes, through the PF */
	SRIOV_STEP_DRIVER,     /* a VF's driver */
	SRIOV_STEP_LINK,       /* a netdev's MTU and admin state (PF or VF) */
};

struct sriov_step {
	enum sriov_step_kind kind;
	char pf[SRIOV_ADDR_MAX];        /* the PF's address */
	char pf_name[SRIOV_ADDR_MAX];   /* its netdev, else its address */
	unsigned vf;                    /* VF_ATTRS, DRIVER: the VF index */
	/* NUM_VFS */
	unsigned old_num_vfs, num_vfs;
	int old_autoprobe, autoprobe;   /* 0/1 */
	/*
	 * VF_ATTRS: the link wanted; what differs from the VF's link when
	 * planned (for the plan's lines), and that link. Carrying the step
	 * out compares with the link of that moment again.
	 */
	struct sriov_vf_link want_link;
	unsigned want_mask;             /* 1u << enum sriov_vf_attr compared;
					   SRIOV_VF_ATTRS_ALL for a restore */
	unsigned optional_mask;         /* 1u << enum sriov_vf_attr the driver
					   may refuse without failing the step */
	struct sriov_vf_settings settings;
	struct sriov_vf_link old_link;
	/* DRIVER: NULL means no driver; checked again when carried out */
	char *old_driver;
	char *driver;
	bool after_recreate;            /* the VF is re-created first */
	bool pin_override;              /* through driver_override, not the
					   kernel's default choice */
	/* LINK: the PF's netdev (!on_vf) or VF @vf's, found when carried out */
	bool on_vf;
	int old_mtu, mtu;               /* mtu 0: leave; old -1: unknown */
	int old_up, up;                 /* 1/0; up -1: leave; old -1: unknown */
};

struct sriov_plan {
	struct sriov_step *v;
	size_t n;
};

void sriov_plan_clear(struct sriov_plan *plan);

/*
 * One line for @step, as `plan` and `restore --dry-run` print it:
 * "ens1f0 num_vfs: 2 -> 4", "ens1f0/vf1 vlan: 0 -> 100 qos 3",
 * "ens1f0/vf1 driver: iavf -> vfio-pci". A VF_ATTRS step has one line per
 * setting: @i picks it. Returns 0, or -ENOENT when @i is past the last.
 */
int sriov_step_describe(const struct sriov_step *step, size_t i, char *buf,
			size_t len);

/*
 * The plan that brings @host back to @st: for each saved PF, its VF count
 * (through 0 when it changes), then each VF's link attributes that differ
 * (all saved ones when the VFs are re-created), then each VF's driver.
 * A saved PF missing from @host, or one with other vendor/device ids, is
 * -ENOENT / -EMEDIUMTYPE with @err saying which; a saved VF count above
 * the PF's total is -ERANGE. Returns 0 or those, -ENOMEM. Free @out with
 * sriov_plan_clear().
 */
int sriov_restore_plan(const struct sriov_host *host,
		       const struct sriov_state *st, struct sriov_plan *out,
		       char *err, size_t errlen);

/* How sriov_plan_apply() and sriov_txn_recover() carry a plan out. */
struct sriov_apply_opts {
	unsigned timeout_ms;     /* for each VF count change (set-vfs) */
	bool force;              /* remove VFs although they are in use */
	bool no_rollback;        /* keep what was done when a step fails */
	/*
	 * Checked before each step: when it reads non-zero (a signal
	 * handler sets it) the apply stops as if the next step failed with
	 * -ECANCELED, and rolls back. NULL: never.
	 */
	const volatile sig_atomic_t *cancel;
	/* Called for every attribute changed, failed or undone. NULL: none. */
	void (*on_change)(void *data, const struct sriov_change *c);
	void *data;
	/*
	 * Every change is appended here before the next step begins; an
	 * append that fails fails the apply (which rolls back; the undo's
	 * own records are tried, and their failure is only reported).
	 * NULL: no change log. Borrowed.
	 */
	struct sriov_changelog *log;
	/*
	 * Keep the transaction's journal (SRIOV_JOURNAL_PATH under the ctx's
	 * root) while it runs: the state before, each step's intent and
	 * result, so that sriov_txn_recover() can finish it after a crash.
	 */
	bool journal;
	const struct sriov_change_origin *who;  /* for the journal; NULL: uid only */
	/*
	 * Called once step @i's intent is journaled, before it is carried
	 * out (@done false; a cancel is looked at after this), and once it
	 * was carried out, before its result is recorded (@done true).
	 * For progress and for tests that stop an apply there. NULL: none.
	 */
	void (*on_step)(void *data, size_t i, bool done);
};

/* What carrying out one step did. */
struct sriov_step_outcome {
	int err;                 /* 0 done, 1 nothing to do, -errno failed */
	char *msg;               /* why it failed, naming the device */
	bool timed_out;          /* a sriov_numvfs write is still blocked */
	/* VF_ATTRS: what was sent, the link before, each setting's answer */
	struct sriov_vf_settings sent;
	struct sriov_vf_link old_link;
	struct sriov_vf_results attrs;
};

/* Free with sriov_apply_report_clear(). */
struct sriov_apply_report {
	struct sriov_step_outcome *v;   /* the steps tried, in order */
	size_t n;
	size_t failed;                  /* index of the failed step */
	bool rolled_back;               /* the host is back as it was */
	int rollback_err;               /* why undoing failed, 0 */
	char *rollback_msg;
	struct sriov_plan rollback_plan;      /* the undo plan, */
	struct sriov_apply_report *rollback;  /* and its own report */
	char *msg;               /* a failure before the first step (the
				    journal cannot be written), or NULL */
	int log_err;             /* the first change log append that failed */
};

/*
 * Carry out @plan on the live host with the checks of the single commands
 * (a VF count change refuses VFs in use unless @opts->force, binding checks
 * IOMMU groups, ...). The host is read again after each step that changed
 * it, and what the step claims is read back (the VF count and virtfn
 * links, autoprobe, the driver link, the VF's link as rtnetlink reports
 * it, the netdev's MTU and admin state): a value that differs fails the
 * step (-EIO, its message naming the attribute and the value read). With
 * @opts->journal, an unfinished transaction already in the journal is
 * -EBUSY (recover it first). When a step fails, the state of every PF the plan touches, recorded
 * before the first step, is restored by a plan of its own (not after a
 * write that timed out: it would block as well), unless @opts->no_rollback.
 * Returns 0, or the failed step's -errno. Free @out with
 * sriov_apply_report_clear() whatever the result.
 */
int sriov_plan_apply(struct sriov_ctx *ctx, const struct sriov_plan *plan,
		     const struct sriov_apply_opts *opts,
		     struct sriov_apply_report *out);
void sriov_apply_report_clear(struct sriov_apply_report *rep);

#define SRIOV_PLAN_SCHEMA "sriovctl.plan/v1"

/* The plan as JSON (docs/plan-schema.md). Returns 0 or -EIO. */
int sriov_plan_write_json(const struct sriov_plan *plan, bool pretty,
			  FILE *out);

#ifdef __cplusplus
}
#endif

#endif
