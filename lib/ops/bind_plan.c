/* SPDX-License-Identifier: MIT */
/*
 * `sriovctl vf VFS bind DRIVER | bind --kernel | unbind`, the plan: what
 * each VF's step writes on the kernel's intended path (driver_override,
 * unbind, drivers_probe), after the checks the real run makes.
 */
#include "ops/bind.h"
#include "util/errbuf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "host/iommu.h"
#include "io/parse.h"
#include "util/strv.h"

void bind_append(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

/* One rule for driver names: io/parse.h says which and why. */
bool bind_driver_name_ok(const char *d)
{
	return driver_name_valid(d);
}

static void step_free(struct sriov_bind_step *s)
{
	free(s->name);
	free(s->old_driver);
	free(s->old_override);
	free(s->new_override);
	free(s->new_driver);
	free(s->released);
}

void sriov_bind_plan_free(struct sriov_bind_plan *plan)
{
	if (!plan)
		return;
	for (size_t i = 0; i < plan->n; i++)
		step_free(&plan->v[i]);
	free(plan->v);
	free(plan->driver);
	free(plan);
}

struct sriov_bind_step *bind_find_step(struct sriov_bind_plan *p,
				       const char *addr)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].address, addr) == 0)
			return &p->v[i];
	return NULL;
}

/* Decide what the step writes for the plan's mode. */
static int step_decide(struct sriov_bind_plan *p, struct sriov_bind_step *s)
{
	const char *ov = NULL;

	switch (p->mode) {
	case SRIOV_BIND_DRIVER:
		s->want = p->driver;
		if (str_same(s->old_driver, p->driver))
			return 0; /* already there: nothing written */
		ov = p->driver;
		s->unbind = s->old_driver != NULL;
		s->probe = true;
		break;
	case SRIOV_BIND_KERNEL:
		if (!s->old_override && s->old_driver)
			return 0;
		s->unbind = s->old_override && s->old_driver;
		s->probe = true;
		break;
	case SRIOV_BIND_UNBIND:
		ov = OVERRIDE_NONE;
		s->unbind = s->old_driver != NULL;
		break;
	}
	if (!str_same(ov, s->old_override)) {
		s->write_override = true;
		if (ov && !(s->new_override = strdup(ov)))
			return -ENOMEM;
	} else if (ov && !(s->new_override = strdup(ov))) {
		return -ENOMEM;
	}
	return 0;
}

int bind_add_step(struct sriov_bind_plan *p, const char *addr,
		  const char *name, const char *driver, const char *override,
		  bool member)
{
	struct sriov_bind_step *v, *s;

	v = realloc(p->v, (p->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	p->v = v;
	s = &p->v[p->n++];
	memset(s, 0, sizeof(*s));
	snprintf(s->address, sizeof(s->address), "%s", addr);
	s->group_member = member;
	s->name = strdup(name);
	if (!s->name || (driver && !(s->old_driver = strdup(driver))) ||
	    (override && !(s->old_override = strdup(override))))
		return -ENOMEM;
	return step_decide(p, s);
}

static void vf_name(const struct sriov_pf *pf, const struct sriov_vf *vf,
		    char *buf, size_t len)
{
	snprintf(buf, len, "%s/vf%u",
		 pf->n_netdevs ? pf->netdevs[0].name : pf->address, vf->index);
}

int sriov_bind_plan_new(struct sriov_ctx *ctx, const struct sriov_host *host,
			const struct sriov_vf_refs *vfs, enum sriov_bind_mode mode,
			const char *driver, unsigned flags,
			struct sriov_bind_plan **out, char *err, size_t errlen)
{
	struct sriov_bind_plan *p;
	int r = 0;

	*out = NULL;
	if (mode == SRIOV_BIND_DRIVER) {
		if (!bind_driver_name_ok(driver)) {
			errset(err, errlen, 0, "'%s' is not a driver name (letters, digits, '_', '-', '.')",
			    driver ? driver : "");
			return -EINVAL;
		}
		if (strcmp(driver, OVERRIDE_NONE) == 0) {
			errset(err, errlen, 0, "no driver is called 'none': use 'unbind' to leave VFs without a driver");
			return -EINVAL;
		}
	} else if (mode != SRIOV_BIND_KERNEL && mode != SRIOV_BIND_UNBIND) {
		return -EINVAL;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->mode = mode;
	if (driver && mode == SRIOV_BIND_DRIVER && !(p->driver = strdup(driver)))
		r = -ENOMEM;
	for (size_t i = 0; r == 0 && i < vfs->n; i++) {
		const struct sriov_vf_ref *ref = &vfs->v[i];
		char name[300];

		vf_name(ref->pf, ref->vf, name, sizeof(name));
		r = bind_add_step(p, ref->vf->address, name, ref->vf->driver,
			     ref->vf->driver_override, false);
		if (r == 0 && mode == SRIOV_BIND_KERNEL &&
		    p->v[p->n - 1].probe && !ref->pf->drivers_autoprobe)
			p->pf_autoprobe_off = true;
	}
	if (r == 0 && mode == SRIOV_BIND_DRIVER)
		r = bind_driver_check(ctx, p, vfs, err, errlen);
	if (r == 0)
		r = bind_in_use_check(ctx, p, vfs, flags, err, errlen);
	if (r == 0 && mode == SRIOV_BIND_DRIVER && iommu_driver_is_vfio(driver))
		r = bind_vfio_check(ctx, host, p, vfs, flags, err, errlen);
	if (r == -ENOMEM)
		errset(err, errlen, 0, "out of memory");
	if (r < 0) {
		sriov_bind_plan_free(p);
		return r;
	}
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].write_override || p->v[i].unbind || p->v[i].probe)
			p->n_work++;
	*out = p;
	return 0;
}

