/* SPDX-License-Identifier: MIT */
/*
 * libsriov — the public interface: this header includes every part of it,
 * one header per concept under sriov/, each of which also stands alone.
 *
 * Conventions:
 *  - Functions that can fail return 0 or a negative errno and never print.
 *  - Every object that is created by a *_new or *_load function is released
 *    by the matching *_free function; *_free(NULL) is a no-op.
 *  - A struct the caller owns (often on its stack) that a function fills is
 *    emptied by *_clear: it frees what the struct holds, not the struct,
 *    and leaves it empty; *_clear(NULL) is a no-op.
 *  - The inventory model (sriov/model.h) is plain data, owned by the
 *    sriov_host that holds it. Callers read it; they never modify or free
 *    parts of it.
 *  - The library keeps no global mutable state: everything lives in a ctx.
 */
#ifndef SRIOV_H
#define SRIOV_H

/* In dependency order: each header includes only those above it. */
#include "sriov/common.h"
#include "sriov/context.h"
#include "sriov/model.h"
#include "sriov/load.h"
#include "sriov/resolve.h"
#include "sriov/escape.h"
#include "sriov/render.h"
#include "sriov/vf_attr.h"
#include "sriov/vf_set.h"
#include "sriov/state.h"
#include "sriov/changelog.h"
#include "sriov/plan.h"
#include "sriov/numvfs.h"
#include "sriov/bind.h"
#include "sriov/check.h"
#include "sriov/explain.h"
#include "sriov/policy.h"
#include "sriov/policy_plan.h"
#include "sriov/journal.h"
#include "sriov/lock.h"
#include "sriov/export.h"
#include "sriov/match.h"
#include "sriov/audit.h"
#include "sriov/metrics.h"
#include "sriov/watch.h"
#include "sriov/cni.h"
#include "sriov/quirk.h"

#endif /* SRIOV_H */
