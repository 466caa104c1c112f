/* SPDX-License-Identifier: MIT */
/*
 * Internal to the driver binding operation: the plan (bind_plan.c), the
 * driver checks (bind_driver.c), vfio's IOMMU group viability
 * (bind_vfio.c), the apply with its rollback (bind_apply.c) and the wait
 * for late probe failures (bind_settle.c). Exposed for the unit tests.
 */
#ifndef SRIOV_OPS_BIND_H
#define SRIOV_OPS_BIND_H

#include <stdbool.h>
#include <stddef.h>

#include "sriov.h"

/* What unbind leaves in driver_override: no driver is named "none". */
#define OVERRIDE_NONE "none"

/* The driver name sysfs and driver_override take: [A-Za-z0-9_.-], 1..63. */
bool bind_driver_name_ok(const char *driver);


/* Append to what is in @buf (errset(), util/errbuf.h, writes it anew). */
void bind_append(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The plan's step for @addr, NULL when none. */
struct sriov_bind_step *bind_find_step(struct sriov_bind_plan *p,
				       const char *addr);
/* Add a step for @addr, decided for the plan's mode. 0 or -ENOMEM. */
int bind_add_step(struct sriov_bind_plan *p, const char *addr,
		  const char *name, const char *driver, const char *override,
		  bool member);

/*
 * Whether driver @driver can take the VFs @vfs as the real run would find
 * out: a loaded driver or a module of that name (else -ENOENT, with the
 * closest name), claiming each VF's device id (else -ENODEV); generic
 * pass-through drivers take any device. Sets p->load_module.
 */
int bind_driver_check(struct sriov_ctx *ctx, struct sriov_bind_plan *p,
		      const struct sriov_vf_refs *vfs, char *err,
		      size_t errlen);

/*
 * Refuse (-EBUSY) unbinding a VF that is in use (sriov_vf_holders, as
 * set-vfs does): one whose vfio device a process holds always, since the
 * unbind would block until it lets go; a netdev up, enslaved or in
 * another namespace unless SRIOV_BIND_FORCE.
 */
int bind_in_use_check(struct sriov_ctx *ctx, const struct sriov_bind_plan *p,
		      const struct sriov_vf_refs *vfs, unsigned flags,
		      char *err, size_t errlen);

/* The IOMMU groups of the VFs viable for vfio-pci (see sriov.h). */
int bind_vfio_check(struct sriov_ctx *ctx, const struct sriov_host *host,
		    struct sriov_bind_plan *p, const struct sriov_vf_refs *vfs,
		    unsigned flags, char *err, size_t errlen);

void bind_nap_ms(long ms);
/* Undo every changed step up to @last, after step @last failed. */
void bind_roll_back(struct sriov_ctx *ctx, struct sriov_bind_plan *plan,
		    size_t last, char *err, size_t errlen);
/* Watch devices a driver took until they are ready or let go (late probe). */
int bind_settle(struct sriov_ctx *ctx, struct sriov_bind_plan *plan,
		char *err, size_t errlen);

#endif
