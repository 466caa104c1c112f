// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the audit baseline's parser (lib/audit/baseline.c)
 * and the audit against it. The input is one baseline file.
 *
 * Checked: the result is 0 (or -ENOMEM); every error has a file, a line
 * and column >= 1 and a message; every accepted value is within its
 * limits (caps, exceptions with a VF set, a reason of at most 512
 * characters and known VF rules). A baseline without errors then audits
 * the tests' in-memory host (tests/lib; its vf1 handed to a guest and
 * breaking the VF-link rules, vf2 to a pod): each finding has a device, an
 * expected and an actual value, a fix exactly when it fails, a reason and
 * a place exactly when excepted, and the summary adds up.
 *
 * Replayed as an ordinary test by replay.c (tests/fuzz/meson.build).
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sriov.h"
#include "testlib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct sriov_baseline *b)
{
	for (size_t i = 0; i < b->n_errors; i++)
		if (!b->errors[i].loc.file || !b->errors[i].loc.line ||
		    !b->errors[i].loc.column || !b->errors[i].message[0])
			abort();
	if (b->enabled >> SRIOV_AUDIT__COUNT || b->max_tx_rate_cap > 1000000 ||
	    b->min_tx_rate_cap > 1000000 || b->n_exceptions > SRIOV_AUDIT_EXCEPTIONS_MAX)
		abort();
	for (size_t i = 0; i < b->n_exceptions; i++) {
		const struct sriov_audit_exception *e = &b->exceptions[i];

		if (!e->vfs || !e->vfs[0] || strlen(e->vfs) > 64 || !e->reason ||
		    !e->reason[0] || strlen(e->reason) > 512 || !e->rules ||
		    e->rules >> SRIOV_AUDIT__COUNT || (e->rules & 1u << SRIOV_AUDIT_IOMMU) ||
		    !e->loc.line || !e->loc.column)
			abort();
	}
}

static struct tl_memhost mh;
static struct sriov_ctx *ctx;
static char root[PATH_MAX];
static char vfio[] = "vfio-pci";

static void cleanup(void)
{
	sriov_ctx_free(ctx);
	tl_rm_rf(root);
}

static void host_init(void)
{
	if (ctx)
		return;
	tl_mkdtemp(root, sizeof(root), "sriov-fuzz-baseline");
	tl_put(root, "sys/bus/pci/devices/0000:3b:01.2/class", "0x020000\n");
	if (sriov_ctx_new(root, &ctx) < 0)
		abort();
	atexit(cleanup);
	tl_memhost_init(&mh);
	mh.pfs[0].class_code = 0x020000;
	mh.pfs[0].vf_links = SRIOV_VF_LINKS_OK;
	mh.host.iommu_enabled = true;
	for (size_t i = 0; i < 4; i++)
		mh.vfs[i].iommu_group = -1;
	mh.vfs[1].driver = vfio;
	mh.vfs[1].netdev = NULL;
	mh.vfs[1].link.spoofchk = 0;
	mh.vfs[1].link.trust = 1;
	mh.vfs[1].link.min_tx_rate = 700;
	mh.vfs[2].netdev = NULL;
	mh.vfs[2].link.vlan = 12;
	mh.vfs[2].link.max_tx_rate = 900;
}

static void check_audit(const struct sriov_baseline *b)
{
	struct sriov_audit_report *rep;
	size_t by[4] = { 0 };
	char err[256];
	int r;

	host_init();
	r = sriov_audit_run(ctx, &mh.host, b, NULL, NULL, 0, &rep, err, sizeof(err));
	if (r == -ENOMEM)
		return;
	if (r < 0)
		abort();
	for (size_t i = 0; i < rep->n; i++) {
		const struct sriov_audit_finding *f = &rep->v[i];

		if (f->rule >= SRIOV_AUDIT__COUNT || !(b->enabled & 1u << f->rule) ||
		    !f->device || !f->expected || !f->actual || f->status > SRIOV_AUDIT_FAIL ||
		    !f->fix != (f->status != SRIOV_AUDIT_FAIL) ||
		    !f->reason != (f->status != SRIOV_AUDIT_EXCEPTED) ||
		    !f->exception_at != !f->reason)
			abort();
		if (i && rep->v[i - 1].rule > f->rule)
			abort();
		by[f->status]++;
	}
	if (memcmp(by, rep->n_by_status, sizeof(by)) != 0 || rep->vfs_handed != 2)
		abort();
	sriov_audit_report_free(rep);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sriov_baseline *b;
	int r;

	if (sriov_baseline_new(&b) < 0)
		return 0;
	r = sriov_baseline_parse(b, "baseline.yaml", (const char *)data, size);
	if (r < 0 && r != -ENOMEM)
		abort();
	check(b);
	if (r == 0 && !b->n_errors)
		check_audit(b);
	sriov_baseline_free(b);
	return 0;
}
