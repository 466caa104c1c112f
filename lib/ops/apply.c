/* SPDX-License-Identifier: MIT */
/*
 * Carrying out a plan on the live host, step by step, through the same
 * operations as the single commands (set-vfs, vf set, bind), each with its
 * own checks, and each read back. The state of the PFs the plan touches is
 * recorded first (in the journal too, with each step's intent and result);
 * when a step fails, the host is brought back to it by a plan of its own.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sriov.h"
#include "util/strv.h"
#include "ops/apply.h"
#include "ops/journal.h"
#include "ops/link.h"
#include "ops/plan.h"
#include "ops/readback.h"

static void set_msg(struct sriov_step_outcome *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_msg(struct sriov_step_outcome *o, const char *fmt, ...)
{
	va_list ap;

	free(o->msg);
	va_start(ap, fmt);
	if (vasprintf(&o->msg, fmt, ap) < 0)
		o->msg = NULL;
	va_end(ap);
}

static int load(struct sriov_ctx *ctx, struct sriov_host **host)
{
	sriov_host_free(*host);
	*host = NULL;
	return sriov_host_load(ctx, SRIOV_LOAD_NO_NAMES | SRIOV_LOAD_NO_CONFIG,
			       host);
}

static int do_num_vfs(struct sriov_ctx *ctx, const struct sriov_pf *pf,
		      const struct sriov_step *s,
		      const struct sriov_apply_opts *opts,
		      struct sriov_step_outcome *o)
{
	struct sriov_numvfs_req req = { .num_vfs = s->num_vfs,
					.autoprobe = s->autoprobe,
					.force = opts->force };
	struct sriov_numvfs_plan np = { 0 };
	struct sriov_numvfs_result res = { 0 };
	char err[1024];
	int r;

	r = sriov_numvfs_plan(ctx, pf, &req, &np, err, sizeof(err));
	if (r == 0 && np.n_steps == 0) {
		o->err = 1;
	} else if (r == 0) {
		r = sriov_numvfs_apply(ctx, &np, opts->timeout_ms, &res, err,
				       sizeof(err));
		o->timed_out = res.timed_out;
	}
	if (r < 0)
		set_msg(o, "%s", r == -ENOMEM && !res.failed_err ?
				"out of memory" : err);
	sriov_numvfs_result_clear(&res);
	sriov_numvfs_plan_clear(&np);
	return r;
}

static int do_vf_attrs(const struct sriov_pf *pf, const struct sriov_step *s,
		       struct sriov_step_outcome *o)
{
	const struct sriov_vf *vf = sriov_pf_vf(pf, s->vf);
	char err[512];
	int r;

	if (!vf) {
		set_msg(o, "%s/vf%u does not exist", s->pf_name, s->vf);
		return -ENOENT;
	}
	/* Against the link as it is now: VFs re-created by an earlier step
	 * come with their driver's defaults. */
	r = sriov_vf_settings_diff_only(&s->want_link, &vf->link,
					s->want_mask, &o->sent);
	if (r < 0)
		return r;
	if (o->sent.n == 0) {
		o->err = 1;
		return 0;
	}
	o->old_link = vf->link;
	r = sriov_vf_settings_apply(pf, vf, &o->sent, &o->attrs, err,
				    sizeof(err));
	if (r < 0) {
		set_msg(o, "%s", r == -ENOMEM ? "out of memory" : err);
		return r;
	}
	/* A refused optional attribute is reported, not a failure. */
	for (size_t i = 0; i < o->attrs.n; i++)
		if (o->attrs.v[i].err < 0 &&
		    !(s->optional_mask & (1u << o->attrs.v[i].setting->attr))) {
			set_msg(o, "%s/vf%u: the driver refused %s",
				s->pf_name, s->vf, o->attrs.v[i].setting->text);
			return o->attrs.v[i].err;
		}
	return 0;
}

/* One bind operation on one VF: 0, or -errno with o->msg. */
static int bind_one(struct sriov_ctx *ctx, const struct sriov_host *host,
		    const struct sriov_pf *pf, const struct sriov_vf *vf,
		    enum sriov_bind_mode mode, const char *driver, char **new_driver,
		    struct sriov_step_outcome *o)
{
	struct sriov_vf_ref ref = { .pf = pf, .vf = vf };
	struct sriov_vf_refs refs = { .v = &ref, .n = 1 };
	struct sriov_bind_plan *bp = NULL;
	char err[1024];
	int r;

	/* VFs in use are refused by bind and set-vfs; a policy's driver
	 * steps keep their behaviour (its --force is for VF counts) */
	r = sriov_bind_plan_new(ctx, host, &refs, mode, driver,
				SRIOV_BIND_FORCE, &bp, err, sizeof(err));
	if (r == 0)
		r = sriov_bind_apply(ctx, bp, err, sizeof(err));
	if (r < 0)
		set_msg(o, "%s", r == -ENOMEM ? "out of memory" : err);
	else if (bp->n > 0 && bp->v[0].new_driver &&
		 !(*new_driver = strdup(bp->v[0].new_driver)))
		r = -ENOMEM;
	sriov_bind_plan_free(bp);
	return r;
}

static int do_driver(struct sriov_ctx *ctx, struct sriov_host **host,
		     const struct sriov_pf *pf, const struct sriov_step *s,
		     struct sriov_step_outcome *o)
{
	const struct sriov_vf *vf = sriov_pf_vf(pf, s->vf);
	char *got = NULL;
	int r = 0;

	if (!vf) {
		set_msg(o, "%s/vf%u does not exist", s->pf_name, s->vf);
		return -ENOENT;
	}
	/* Pinned "no driver" is the override unbind leaves: "none". */
	if (str_same(vf->driver, s->driver) &&
	    (!s->pin_override ||
	     str_same(vf->driver_override, s->driver ? s->driver : "none"))) {
		o->err = 1;
		return 0;
	}
	if (!s->driver) {
		/*
		 * Without autoprobe no driver can probe a VF that has no
		 * override: an unpinned "none" ends with the override
		 * cleared. Otherwise "none" stays pinned, or the next probe
		 * binds the VF again. Either way the VF is unbound first.
		 */
		bool clear = !s->pin_override && !pf->drivers_autoprobe;

		if (vf->driver || !clear)
			r = bind_one(ctx, *host, pf, vf, SRIOV_BIND_UNBIND,
				     NULL, &got, o);
		if (r == 0 && clear) {
			r = load(ctx, host);
			pf = r == 0 ? sriov_host_pf(*host, s->pf) : NULL;
			vf = pf ? sriov_pf_vf(pf, s->vf) : NULL;
			if (r < 0)
				set_msg(o, "cannot read the host again: %s",
					strerror(-r));
			else if (!vf)
				r = -ENODEV;
			if (!vf && r == -ENODEV)
				set_msg(o, "%s/vf%u is gone", s->pf_name, s->vf);
			if (r == 0 && vf->driver_override)
				r = bind_one(ctx, *host, pf, vf,
					     SRIOV_BIND_KERNEL, NULL, &got, o);
		}
		if (r == 0 && got) {
			set_msg(o, "%s/vf%u: %s took the VF again", s->pf_name,
				s->vf, got);
			r = -EBUSY;
		}
		free(got);
		return r;
	}
	/* The kernel's own choice first, when the driver was not pinned. */
	if (!s->pin_override) {
		r = bind_one(ctx, *host, pf, vf, SRIOV_BIND_KERNEL, NULL, &got,
			     o);
		if (r < 0 || str_same(got, s->driver)) {
			free(got);
			return r;
		}
		free(got);
		got = NULL;
	}
	r = bind_one(ctx, *host, pf, vf, SRIOV_BIND_DRIVER, s->driver, &got, o);
	free(got);
	return r;
}

static int do_link(const struct sriov_pf *pf, const struct sriov_step *s,
		   struct sriov_step_outcome *o)
{
	const struct sriov_vf *vf = s->on_vf ? sriov_pf_vf(pf, s->vf) : NULL;
	const char *ifname;
	int cur_mtu, cur_up, mtu, up;
	char err[512];
	int r;

	if (s->on_vf && !vf) {
		set_msg(o, "%s/vf%u does not exist", s->pf_name, s->vf);
		return -ENOENT;
	}
	if (s->on_vf) {
		ifname = vf->netdev;
		cur_mtu = vf->mtu;
		cur_up = -1;
	} else {
		ifname = pf->n_netdevs ? pf->netdevs[0].name : NULL;
		cur_mtu = pf->n_netdevs ? pf->netdevs[0].mtu : -1;
		cur_up = pf->n_netdevs ? pf->netdevs[0].up : -1;
	}
	if (!ifname) {
		if (s->on_vf)
			set_msg(o, "%s/vf%u has no network interface (driver %s): its MTU cannot be set",
				s->pf_name, s->vf, vf->driver ? vf->driver : "none");
		else
			set_msg(o, "PF %s has no network interface", s->pf_name);
		return -ENODEV;
	}
	/* Only what still differs: an earlier step may have done it. */
	mtu = s->mtu > 0 && s->mtu != cur_mtu ? s->mtu : 0;
	up = s->up >= 0 && s->up != cur_up ? s->up : -1;
	if (mtu == 0 && up < 0) {
		o->err = 1;
		return 0;
	}
	r = ops_link_set(ifname, mtu, up, err, sizeof(err));
	if (r < 0)
		set_msg(o, "%s", err);
	return r;
}

static int run_step(struct sriov_ctx *ctx, struct sriov_host **host,
		    const struct sriov_step *s,
		    const struct sriov_apply_opts *opts,
		    struct sriov_step_outcome *o)
{
	const struct sriov_pf *pf = sriov_host_pf(*host, s->pf);
	int r;

	if (!pf) {
		set_msg(o, "PF %s is gone from the host", s->pf);
		return -ENODEV;
	}
	switch (s->kind) {
	case SRIOV_STEP_NUM_VFS:
		r = do_num_vfs(ctx, pf, s, opts, o);
		break;
	case SRIOV_STEP_VF_ATTRS:
		r = do_vf_attrs(pf, s, o);
		break;
	case SRIOV_STEP_DRIVER:
		r = do_driver(ctx, host, pf, s, o);
		break;
	case SRIOV_STEP_LINK:
		r = do_link(pf, s, o);
		break;
	default:
		return -EINVAL;
	}
	/* Later steps must see what this one changed; and so must we. */
	if (!(r < 0 && o->timed_out) && o->err != 1) {
		int lr = load(ctx, host);
		char msg[512];

		if (lr < 0 && r == 0) {
			set_msg(o, "cannot read the host again: %s",
				strerror(-lr));
			r = lr;
		} else if (lr == 0 && r == 0) {
			size_t bad = o->attrs.n;

			r = step_read_back(*host, s, o, &bad, msg, sizeof(msg));
			if (r < 0)
				set_msg(o, "%s", msg);
			/* the record of that attribute says so */
			if (r < 0 && bad < o->attrs.n) {
				o->attrs.v[bad].err = r;
				free(o->attrs.v[bad].msg);
				o->attrs.v[bad].msg = strdup(msg);
			}
		}
	}
	return r;
}

void sriov_apply_report_clear(struct sriov_apply_report *rep)
{
	if (!rep)
		return;
	for (size_t i = 0; i < rep->n; i++) {
		free(rep->v[i].msg);
		sriov_vf_settings_clear(&rep->v[i].sent);
		sriov_vf_results_clear(&rep->v[i].attrs);
	}
	free(rep->v);
	free(rep->msg);
	free(rep->rollback_msg);
	sriov_apply_report_clear(rep->rollback);
	free(rep->rollback);
	sriov_plan_clear(&rep->rollback_plan);
	memset(rep, 0, sizeof(*rep));
}

/*
 * @s with its "old" side as @host has it just before the step is carried
 * out (a re-created VF's driver is known by then), limited to what still
 * differs, for the change records. Borrows @s's pointers; *driver is
 * owned by the caller.
 */
static int step_now(const struct sriov_host *host, const struct sriov_step *s,
		    struct sriov_step *now, char **driver)
{
	const struct sriov_pf *pf = host ? sriov_host_pf(host, s->pf) : NULL;
	const struct sriov_vf *vf = pf ? sriov_pf_vf(pf, s->vf) : NULL;

	*now = *s;
	*driver = NULL;
	if (!pf)
		return 0;
	switch (s->kind) {
	case SRIOV_STEP_NUM_VFS:
		now->old_num_vfs = pf->num_vfs;
		now->old_autoprobe = pf->drivers_autoprobe;
		break;
	case SRIOV_STEP_DRIVER:
		if (!vf)
			break;
		if (vf->driver && !(*driver = strdup(vf->driver)))
			return -ENOMEM;
		now->old_driver = *driver;
		now->after_recreate = false;
		break;
	case SRIOV_STEP_LINK:
		if (s->on_vf) {
			now->old_mtu = vf ? vf->mtu : -1;
		} else if (pf->n_netdevs) {
			now->old_mtu = pf->netdevs[0].mtu;
			now->old_up = pf->netdevs[0].up;
		}
		if (now->mtu > 0 && now->mtu == now->old_mtu)
			now->mtu = 0;
		if (now->up >= 0 && now->up == now->old_up)
			now->up = -1;
		break;
	case SRIOV_STEP_VF_ATTRS:
		/* compared with the link of that moment when carried out */
		break;
	}
	return 0;
}

int apply_record(const struct sriov_apply_opts *opts,
		 const struct sriov_change_origin *who,
		 const struct sriov_change *c)
{
	int r = opts->log ? sriov_changelog_append(opts->log, who, c) : 0;

	if (opts->on_change)
		opts->on_change(opts->data, c);
	return r;
}

/*
 * One sriov_change per line of the step @now as @o carried it out.
 * Returns the first change log append that failed, or 0.
 */
static int report_changes(const struct sriov_apply_opts *opts,
			  const struct sriov_step *now,
			  const struct sriov_step_outcome *o, bool rollback)
{
	struct sriov_step t = *now;
	struct step_line l;
	int r = 0;

	if (o->err == 1)
		return 0;
	/* VF attributes: what was sent, against the link of that moment. */
	if (now->kind == SRIOV_STEP_VF_ATTRS && o->sent.n) {
		t.settings = o->sent;
		t.old_link = o->old_link;
	}
	for (size_t j = 0; step_line(&t, j, &l) == 0; j++) {
		const struct sriov_vf_result *x =
			j < o->attrs.n ? &o->attrs.v[j] : NULL;
		struct sriov_change c = {
			.device = l.device,
			.pf = now->pf,
			.attribute = l.attribute,
			.old_value = l.old_known ? l.old_value : NULL,
			.new_value = l.new_value,
			.err = x ? x->err : o->err < 0 ? o->err : 0,
			.message = x ? x->msg : o->err < 0 ? o->msg : NULL,
			.rollback = rollback,
		};
		int e = apply_record(opts, NULL, &c);

		if (e < 0 && r == 0)
			r = e;
	}
	return r;
}

/* The state of the PFs @plan touches, as @host has them now. */
static int capture_touched(const struct sriov_host *host,
			   const struct sriov_plan *plan,
			   struct sriov_state **out)
{
	const struct sriov_pf **pfs = calloc(plan->n + 1, sizeof(*pfs));
	size_t n = 0;
	int r;

	if (!pfs)
		return -ENOMEM;
	for (size_t i = 0; i < plan->n; i++) {
		const struct sriov_pf *pf = sriov_host_pf(host, plan->v[i].pf);
		bool seen = false;

		for (size_t j = 0; j < n && pf; j++)
			seen |= pfs[j] == pf;
		if (pf && !seen)
			pfs[n++] = pf;
	}
	r = n ? sriov_state_capture(host, pfs, n, out) : -ENOENT;
	free(pfs);
	return r;
}

/* The journal's path as messages name it. */
static void journal_where(struct sriov_ctx *ctx, char *buf, size_t len)
{
	const char *root = sriov_ctx_root(ctx);

	snprintf(buf, len, "%s%s", strcmp(root, "/") ? root : "",
		 SRIOV_JOURNAL_PATH);
}

static int apply(struct sriov_ctx *ctx, const struct sriov_plan *plan,
		 const struct sriov_apply_opts *opts,
		 struct sriov_apply_report *rep, int depth)
{
	struct sriov_host *host = NULL;
	struct sriov_state *before = NULL;
	struct journal *j = NULL;
	bool journal = opts->journal && depth == 0;
	char where[4200];
	int r, failed = 0;

	memset(rep, 0, sizeof(*rep));
	if (plan->n == 0)
		return 0;
	rep->v = calloc(plan->n, sizeof(*rep->v));
	if (!rep->v)
		return -ENOMEM;
	journal_where(ctx, where, sizeof(where));
	r = load(ctx, &host);
	if (r < 0)
		return r;
	if (depth == 0 && (!opts->no_rollback || journal)) {
		r = capture_touched(host, plan, &before);
		if (r < 0 && r != -ENOENT) {
			sriov_host_free(host);
			return r;
		}
	}
	if (journal) {
		r = journal_begin(ctx, opts->who, !opts->no_rollback, plan->n,
				  before, &j);
		if (r < 0) {
			if (r == -EBUSY)
				r = asprintf(&rep->msg, "%s records an apply that did not finish: recover it first ('sriovctl apply --recover'); nothing was changed",
					     where) < 0 ? -ENOMEM : -EBUSY;
			else if (asprintf(&rep->msg, "cannot write the journal %s: %s; nothing was changed",
					  where, strerror(-r)) < 0)
				rep->msg = NULL;
			sriov_state_free(before);
			sriov_host_free(host);
			return r;
		}
	}
	for (size_t i = 0; i < plan->n; i++) {
		struct sriov_step_outcome *o = &rep->v[rep->n++];
		struct sriov_step now;
		char *now_driver;
		bool ran = false;
		int lr;

		r = step_now(host, &plan->v[i], &now, &now_driver);
		if (r == 0 && j) {
			r = journal_intent(j, i, &now);
			if (r < 0)
				set_msg(o, "cannot write the journal %s: %s",
					where, strerror(-r));
		}
		if (r == 0 && opts->on_step)
			opts->on_step(opts->data, i, false);
		if (r == 0 && opts->cancel && *opts->cancel) {
			set_msg(o, "interrupted");
			r = -ECANCELED;
		} else if (r == 0) {
			r = run_step(ctx, &host, &plan->v[i], opts, o);
			ran = true;
			if (opts->on_step)
				opts->on_step(opts->data, i, true);
		}
		if (r < 0)
			o->err = r;
		if (j && (ran || r == -ECANCELED)) {
			int jr = journal_result(j, i, o->err);

			if (jr < 0 && r == 0) {
				set_msg(o, "cannot write the journal %s: %s",
					where, strerror(-jr));
				r = jr;
			}
		}
		lr = report_changes(opts, &now, o, depth > 0);
		if (lr < 0 && !rep->log_err)
			rep->log_err = lr;
		/* A change the log does not have is not made. */
		if (lr < 0 && r == 0 && depth == 0) {
			set_msg(o, "cannot write the change log %s: %s",
				sriov_changelog_path(opts->log), strerror(-lr));
			r = lr;
		}
		if (r < 0)
			o->err = r;
		free(now_driver);
		if (r < 0) {
			failed = r;
			rep->failed = i;
			break;
		}
	}
	/* A write still blocked in the kernel: undoing would block too. */
	if (failed && before && !opts->no_rollback &&
	    !rep->v[rep->n - 1].timed_out) {
		struct sriov_apply_opts ro = *opts;
		struct sriov_plan *back = &rep->rollback_plan;
		char err[512];

		if (j)
			journal_note(j, "rollback");
		ro.no_rollback = true;
		ro.journal = false;
		ro.on_step = NULL;
		ro.cancel = NULL;  /* an interruption is what is undone here */
		r = load(ctx, &host);
		if (r == 0)
			r = sriov_restore_plan(host, before, back, err,
					       sizeof(err));
		else
			snprintf(err, sizeof(err), "cannot read the host: %s",
				 strerror(-r));
		rep->rollback = calloc(1, sizeof(*rep->rollback));
		if (r == 0 && rep->rollback)
			r = apply(ctx, back, &ro, rep->rollback, depth + 1);
		else if (r == 0)
			r = -ENOMEM;
		if (rep->rollback && rep->rollback->log_err && !rep->log_err)
			rep->log_err = rep->rollback->log_err;
		if (r < 0 && !rep->rollback_msg)
			rep->rollback_msg = strdup(rep->rollback &&
						   rep->rollback->n ?
				"a step of the rollback failed" : err);
		rep->rollback_err = r;
		rep->rolled_back = r == 0;
	}
	/* Over, whatever the outcome: the journal is for an apply that died. */
	if (j && (r = journal_end(j)) < 0 && !failed) {
		if (asprintf(&rep->msg, "cannot empty the journal %s: %s; remove it, or the next apply rolls this one back",
			     where, strerror(-r)) < 0)
			rep->msg = NULL;
		failed = r;
	}
	journal_free(j);
	sriov_state_free(before);
	sriov_host_free(host);
	return failed;
}

int sriov_plan_apply(struct sriov_ctx *ctx, const struct sriov_plan *plan,
		     const struct sriov_apply_opts *opts,
		     struct sriov_apply_report *out)
{
	return apply(ctx, plan, opts, out, 0);
}

int apply_undo(struct sriov_ctx *ctx, const struct sriov_plan *plan,
	       const struct sriov_apply_opts *opts,
	       struct sriov_apply_report *rep)
{
	struct sriov_apply_opts ro = *opts;

	ro.no_rollback = true;
	ro.journal = false;
	ro.on_step = NULL;
	ro.cancel = NULL;
	return apply(ctx, plan, &ro, rep, 1);
}
