/* SPDX-License-Identifier: MIT */
/*
 * Applying a bind plan all or nothing: each step written and read back,
 * every changed step put back as it was when one fails.
 */
#include "ops/bind.h"
#include "util/errbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctx.h"
#include "host/pcidev.h"
#include "io/module.h"
#include "util/strv.h"

void bind_nap_ms(long ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The driver now bound; polls up to @ms for @want (a probe may be async). */
static int driver_now(struct pcidev *d, const char *want, long ms, char **out)
{
	for (;;) {
		int r = pcidev_driver(d, out);

		if (r < 0 || str_same(*out, want) || ms <= 0)
			return r;
		free(*out);
		*out = NULL;
		bind_nap_ms(50);
		ms -= 50;
	}
}

static int step_writes(struct pcidev *d, struct sriov_bind_plan *p,
		       struct sriov_bind_step *s, char *err, size_t errlen)
{
	int r, probe_err = 0;

	if (s->write_override) {
		r = pcidev_set_override(d, s->new_override);
		if (r < 0) {
			errset(err, errlen, 0, "%s: writing '%s' to driver_override failed: %s",
			    s->address, s->new_override ? s->new_override : "",
			    strerror(-r));
			return r;
		}
		s->changed = true;
	}
	if (s->unbind) {
		r = pcidev_unbind(d);
		s->changed = true;
		if (r < 0 && r != -ENOENT) {
			errset(err, errlen, 0, "%s: unbinding it from %s failed: %s",
			    s->address, s->old_driver, strerror(-r));
			return r;
		}
	}
	if (s->probe) {
		/* the kernel swallows most probe errors: the result is judged
		 * by the driver link below */
		probe_err = pcidev_probe(d);
		s->changed = true;
	}
	r = driver_now(d, s->want, p->mode == SRIOV_BIND_DRIVER ? 1000 : 0,
		       &s->new_driver);
	if (r < 0) {
		errset(err, errlen, 0, "%s: cannot read its driver: %s", s->address,
		    strerror(-r));
		return r;
	}
	if (p->mode == SRIOV_BIND_KERNEL || str_same(s->new_driver, s->want))
		return 0;
	if (p->mode == SRIOV_BIND_UNBIND)
		errset(err, errlen, 0, "%s: still bound to %s after the unbind",
		    s->address, s->new_driver);
	else if (s->new_driver)
		errset(err, errlen, 0, "%s: %s took the device instead of %s",
		    s->address, s->new_driver, s->want);
	else
		errset(err, errlen, 0, "%s: %s did not take the device (%s): the driver rejected it or failed to probe it; see dmesg",
		    s->address, s->want,
		    probe_err ? strerror(-probe_err) : "it has no driver now");
	return -ENXIO;
}

/* One step on the device's directory, opened once for its writes and reads. */
static int run_step(struct sriov_ctx *ctx, struct sriov_bind_plan *p,
		    struct sriov_bind_step *s, char *err, size_t errlen)
{
	struct pcidev d;
	int r;

	r = pcidev_open(ctx->rfs, s->address, &d);
	if (r == 0)
		r = step_writes(&d, p, s, err, errlen);
	else
		errset(err, errlen, 0, "%s: its sysfs directory cannot be opened: %s",
		       s->address, strerror(-r));
	pcidev_close(&d);
	return r;
}

/* Put @s back as it was: driver_override, then the driver. */
static int undo_step(struct sriov_ctx *ctx, struct sriov_bind_step *s,
		     char *msg, size_t msglen)
{
	struct pcidev d;
	char *cur = NULL;
	int r = 0, w;

	/* not opened: every write below fails (-EBADF) and is reported */
	pcidev_open(ctx->rfs, s->address, &d);
	if (s->write_override) {
		w = pcidev_set_override(&d, s->old_override);
		if (w < 0) {
			bind_append(msg, msglen, "; %s: restoring driver_override failed: %s",
			       s->address, strerror(-w));
			r = w;
		}
	}
	w = pcidev_driver(&d, &cur);
	if (w == 0 && !str_same(cur, s->old_driver)) {
		if (cur)
			pcidev_unbind(&d);
		if (s->old_driver) {
			/* straight to the old driver: a reprobe could pick
			 * another one */
			w = pcidev_bind(&d, s->old_driver);
			if (w < 0 && w != -EBUSY) {
				bind_append(msg, msglen, "; %s: binding it back to %s failed: %s",
				       s->address, s->old_driver, strerror(-w));
				r = w;
			}
		}
	}
	free(cur);
	free(s->new_driver);
	s->new_driver = NULL;
	w = pcidev_driver(&d, &s->new_driver);
	pcidev_close(&d);
	if (r == 0 && w == 0 && !str_same(s->new_driver, s->old_driver)) {
		bind_append(msg, msglen, "; %s: could not be put back on %s",
		       s->address, s->old_driver ? s->old_driver : "no driver");
		r = -EIO;
	}
	s->changed = false;
	s->rolled_back = true;
	return r;
}

/* Undo every changed step up to @last, after step @last failed. */
void bind_roll_back(struct sriov_ctx *ctx, struct sriov_bind_plan *plan,
		    size_t last, char *err, size_t errlen)
{
	size_t undone = 0;

	plan->failed = last;
	for (size_t j = last + 1; j-- > 0;) {
		if (!plan->v[j].changed)
			continue;
		undo_step(ctx, &plan->v[j], err, errlen);
		undone++;
	}
	bind_append(err, errlen, "; %zu device%s put back as before", undone,
	       undone == 1 ? "" : "s");
}

int sriov_bind_apply(struct sriov_ctx *ctx, struct sriov_bind_plan *plan,
		     char *err, size_t errlen)
{
	int r;

	if (plan->load_module) {
		r = module_load(plan->driver, err, errlen);
		if (r < 0)
			return r;
		if (!pci_driver_loaded(ctx->rfs, plan->driver)) {
			errset(err, errlen, 0, "the module for %s was loaded but no PCI driver of that name appeared (/sys/bus/pci/drivers/%s)",
			    plan->driver, plan->driver);
			return -ENOENT;
		}
		plan->module_loaded = true;
	}
	for (size_t i = 0; i < plan->n; i++) {
		struct sriov_bind_step *s = &plan->v[i];

		if (!s->write_override && !s->unbind && !s->probe)
			continue;
		r = run_step(ctx, plan, s, err, errlen);
		if (r < 0) {
			/* all or nothing: this one and every one before it */
			bind_roll_back(ctx, plan, i, err, errlen);
			return r;
		}
	}
	return bind_settle(ctx, plan, err, errlen);
}
