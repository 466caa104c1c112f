/* SPDX-License-Identifier: MIT */
/*
 * `show` reads one PF (sriov_host_load_device): on generated hosts of every
 * profile, each name of each PF and VF gives a one-PF host whose views are
 * byte for byte those of the whole inventory (the way `show` read before);
 * names that lead to no single PF are left to the whole inventory.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sriov.h"
#include "testlib.h"
#include "util/strv.h"

#define FLAGS (SRIOV_LOAD_NO_NAMES | SRIOV_LOAD_NO_VF_MTU)

/* What `show NAME` prints from @host: text and JSON, names and groups read. */
static char *views(struct sriov_ctx *ctx, struct sriov_host *host,
		   const char *name)
{
	const struct sriov_pf *pf;
	const struct sriov_vf *vf;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	assert_int_equal(sriov_host_resolve(host, name, &pf, &vf), 0);
	assert_int_equal(sriov_host_load_names(ctx, host, pf), 0);
	assert_int_equal(sriov_host_load_groups(ctx, host, pf), 0);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	for (size_t i = 0; i < host->warnings.n; i++)
		fprintf(f, "warning: %s\n", host->warnings.v[i]);
	if (vf) {
		assert_int_equal(sriov_render_vf_text(pf, vf, f), 0);
		assert_int_equal(sriov_render_vf_json(host, pf, vf, true, f), 0);
	} else {
		assert_int_equal(sriov_render_pf_text(pf, f), 0);
		assert_int_equal(sriov_render_json(host, pf, true, true, f), 0);
	}
	assert_int_equal(fclose(f), 0);
	return buf;
}

/*
 * @full: the whole inventory, loaded once per host; reading a PF's names
 * and groups into it again changes nothing, so each name's views are
 * those of a fresh load.
 */
static void same_view(struct sriov_ctx *ctx, struct sriov_host *full,
		      const char *name, const char *pf_address)
{
	struct sriov_host *one;
	char *a, *b;

	a = views(ctx, full, name);
	if (sriov_host_load_device(ctx, FLAGS, name, &one) != 0)
		fail_msg("%s: no one-PF load", name);
	assert_int_equal(one->n_pfs, 1);
	assert_string_equal(one->pfs[0].address, pf_address);
	b = views(ctx, one, name);
	if (strcmp(a, b) != 0)
		fail_msg("show %s differs:\n--- whole inventory\n%s\n--- one PF\n%s",
			 name, a, b);
	free(a);
	free(b);
	sriov_host_free(one);
}

/* The names a user gives a device of PF @pf: address (3 spellings), netdevs. */
static void each_name(struct sriov_ctx *ctx, struct sriov_host *full,
		      const struct sriov_pf *pf,
		      const char *address, const struct sriov_strv *netdevs,
		      unsigned *n)
{
	char s[64];

	same_view(ctx, full, address, pf->address);
	if (strcmp(pf->bus, "pci") == 0) {
		same_view(ctx, full, address + 5, pf->address); /* no domain */
		snprintf(s, sizeof(s), "pci_%s", address);
		for (char *p = s + 4; *p; p++)
			if (*p == ':' || *p == '.')
				*p = '_';
		same_view(ctx, full, s, pf->address);
		*n += 2;
	}
	for (size_t i = 0; netdevs && i < netdevs->n; i++)
		same_view(ctx, full, netdevs->v[i], pf->address);
	*n += 1 + (netdevs ? (unsigned)netdevs->n : 0);
}

/* A netdevsim PF with 4 VFs and netdev eni1np1, as Linux 6.1 lays it out. */
static void add_netdevsim(const char *root)
{
	const char *dev = "sys/devices/netdevsim1";
	char rel[128];

	tl_link(root, "sys/bus/netdevsim/devices/netdevsim1",
		"../../../devices/netdevsim1");
	tl_mkdir(root, "sys/bus/netdevsim/drivers/netdevsim");
	snprintf(rel, sizeof(rel), "%s/driver", dev);
	tl_link(root, rel, "../../bus/netdevsim/drivers/netdevsim");
	snprintf(rel, sizeof(rel), "%s/sriov_numvfs", dev);
	tl_put(root, rel, "4\n");
	snprintf(rel, sizeof(rel), "%s/net/eni1np1/address", dev);
	tl_put(root, rel, "ce:7a:4d:1b:00:01\n");
	snprintf(rel, sizeof(rel), "%s/net/eni1np1/operstate", dev);
	tl_put(root, rel, "up\n");
	snprintf(rel, sizeof(rel), "%s/net/eni1np1/ifindex", dev);
	tl_put(root, rel, "9\n");
	tl_link(root, "sys/class/net/eni1np1",
		"../../devices/netdevsim1/net/eni1np1");
	tl_put(root, "sys/kernel/debug/netdevsim/netdevsim1/max_vfs", "8\n");
}

static void host_views(const char *args, bool nsim)
{
	char root[PATH_MAX];
	struct sriov_ctx *ctx;
	struct sriov_host *host, *one;
	unsigned n = 0;

	tl_mkdtemp(root, sizeof(root), "sriov-load-device");
	tl_hostgen(root, args);
	if (nsim)
		add_netdevsim(root);
	assert_int_equal(sriov_ctx_new(root, &ctx), 0);
	assert_int_equal(sriov_host_load(ctx, FLAGS, &host), 0);
	assert_true(host->n_pfs > 0);
	for (size_t i = 0; i < host->n_pfs; i++) {
		const struct sriov_pf *pf = &host->pfs[i];
		struct sriov_strv nd = { 0 };
		char s[300];

		for (size_t k = 0; k < pf->n_netdevs; k++)
			assert_int_equal(strv_push(&nd, pf->netdevs[k].name), 0);
		each_name(ctx, host, pf, pf->address, &nd, &n);
		sriov_strv_clear(&nd);
		for (size_t j = 0; j < pf->n_vfs; j++) {
			const struct sriov_vf *vf = &pf->vfs[j];

			snprintf(s, sizeof(s), "%s/vf%u", pf->address, vf->index);
			same_view(ctx, host, s, pf->address);
			if (pf->n_netdevs) {
				snprintf(s, sizeof(s), "%s/vf%u",
					 pf->netdevs[0].name, vf->index);
				same_view(ctx, host, s, pf->address);
			}
			if (vf->address[0])
				each_name(ctx, host, pf, vf->address, &vf->netdevs, &n);
		}
	}
	assert_true(n > 0);
	/* Not one PF's: for the whole inventory to word the error. */
	assert_int_equal(sriov_host_load_device(ctx, FLAGS, "nosuch0", &one),
			 -ENOENT);
	assert_int_equal(sriov_host_load_device(ctx, FLAGS, "0000:ff:1f.7", &one),
			 -ENOENT);
	assert_int_equal(sriov_host_load_device(ctx, FLAGS, "../../etc", &one),
			 -ENOENT);
	/* the root port above the first PF: a PCI device without SR-IOV */
	if (host->pfs[0].n_upstream)
		assert_int_equal(sriov_host_load_device(ctx, FLAGS,
				 host->pfs[0].upstream[0].address, &one),
				 -ENOENT);
	sriov_host_free(host);
	sriov_ctx_free(ctx);
	tl_rm_rf(root);
}

/* Hosts of every profile, with a netdevsim PF on one of them. */
struct host_case {
	const char *args;
	bool nsim;
};

static const struct host_case cases[] = {
	{ "--card e810:pfs=2,vfs=4/2 --card nvme:vfs=2 --card i350:vfs=3", false },
	{ "--card cx6:vfs=3 --card igb:vfs=2 --card e810:vfs=0 --numa-nodes 2",
	  false },
	{ "--card x520:vfs=2,vfio=1 --card nvme:vfs=3 "
	  "--card e810:pfdriver=none,vfs=1 --iommu off --modules no-vfio", true },
};

static void test_host(void **state)
{
	const struct host_case *h = *state;

	host_views(h->args, h->nsim);
}

#define CASE(i, label) { .name = label, .test_func = test_host, \
			 .initial_state = (void *)&cases[i] }

int main(void)
{
	const struct CMUnitTest tests[] = {
		CASE(0, "e810_nvme_i350_same_bus"),
		CASE(1, "cx6_igb_numa"),
		CASE(2, "x520_nvme_unbound_pf_netdevsim_no_iommu"),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
