/* SPDX-License-Identifier: MIT */
/*
 * The audit on a host model with the PF's netlink view (which generated
 * trees do not have): the VF-link rules pass and fail, exceptions, the
 * consumers; and the baseline parser's results.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sriov.h"
#include "testlib.h"

static void test_rules_table(void **state)
{
	size_t n = 0;

	(void)state;
	for (const struct sriov_audit_rule_info *ri; (ri = sriov_audit_rule_at(n)); n++) {
		assert_int_equal(sriov_audit_rule_find(ri->id), (int)n);
		assert_true(ri->title[0] && ri->reads[0] && ri->default_text[0]);
	}
	assert_int_equal(n, SRIOV_AUDIT__COUNT);
	assert_int_equal(sriov_audit_rule_find("vf.nosuch"), -1);
	assert_string_equal(sriov_audit_status_name(SRIOV_AUDIT_EXCEPTED), "excepted");
	assert_string_equal(sriov_audit_consumer_name(SRIOV_AUDIT_POD), "pod");
}

static struct sriov_baseline *parse(const char *text)
{
	struct sriov_baseline *b;

	assert_int_equal(sriov_baseline_new(&b), 0);
	assert_int_equal(sriov_baseline_parse(b, "b.yaml", text, strlen(text)), 0);
	return b;
}

static void test_baseline(void **state)
{
	struct sriov_baseline *b;
	char line[512];

	(void)state;
	b = parse("");
	assert_int_equal(b->n_errors, 0);
	assert_false(b->enabled & 1u << SRIOV_AUDIT_RATE);
	assert_true(b->enabled & 1u << SRIOV_AUDIT_SPOOFCHK);
	sriov_baseline_free(b);

	b = parse("rules:\n  vf.vlan: false\n  vf.rate: {max_tx_rate: 1000, min_tx_rate: 100}\n"
		  "exceptions:\n  - vfs: ens1f0/vf1\n    rules: [vf.trust, vf.mac]\n"
		  "    reason: NFV router\n");
	assert_int_equal(b->n_errors, 0);
	assert_false(b->enabled & 1u << SRIOV_AUDIT_VLAN);
	assert_true(b->enabled & 1u << SRIOV_AUDIT_RATE);
	assert_int_equal(b->max_tx_rate_cap, 1000);
	assert_int_equal(b->min_tx_rate_cap, 100);
	assert_int_equal(b->n_exceptions, 1);
	assert_string_equal(b->exceptions[0].vfs, "ens1f0/vf1");
	assert_int_equal(b->exceptions[0].rules,
			 1u << SRIOV_AUDIT_TRUST | 1u << SRIOV_AUDIT_MAC);
	assert_int_equal(b->exceptions[0].loc.line, 5);
	assert_int_equal(b->exceptions[0].loc.column, 5);
	sriov_baseline_free(b);

	/* every error, with its place; the run goes on after each */
	b = parse("rules:\n  vf.trust: maybe\n  vf.nosuch: true\nexceptions:\n"
		  "  - vfs: ens1f0/vf1\n    rules: [vf.trust]\n");
	assert_int_equal(b->n_errors, 3);
	sriov_policy_error_format(&b->errors[0], line, sizeof(line));
	assert_string_equal(line, "b.yaml:2:13: vf.trust: expected true or false, got \"maybe\"");
	sriov_policy_error_format(&b->errors[1], line, sizeof(line));
	assert_string_equal(line, "b.yaml:3:3: rules: unknown rule \"vf.nosuch\" "
			    "(sriovctl audit --list-rules lists them)");
	sriov_policy_error_format(&b->errors[2], line, sizeof(line));
	assert_string_equal(line, "b.yaml:5:5: exception: reason is required "
			    "(why these VFs are excused)");
	assert_int_equal(b->n_exceptions, 0);
	sriov_baseline_free(b);
}

static const struct sriov_audit_finding *find(const struct sriov_audit_report *rep,
					      int rule, const char *device)
{
	for (size_t i = 0; i < rep->n; i++)
		if ((int)rep->v[i].rule == rule && strcmp(rep->v[i].device, device) == 0)
			return &rep->v[i];
	return NULL;
}

static void set_link(struct sriov_vf *vf, int spoofchk, int trust, unsigned vlan,
		 const char *mac, unsigned max_rate, unsigned min_rate)
{
	vf->link.spoofchk = spoofchk;
	vf->link.trust = trust;
	vf->link.vlan = vlan;
	snprintf(vf->link.mac, sizeof(vf->link.mac), "%s", mac);
	vf->link.max_tx_rate = max_rate;
	vf->link.min_tx_rate = min_rate;
	vf->iommu_group = -1;
}

/*
 * vf0 iavf on the host (not audited), vf1 a guest's breaking every rule,
 * vf2 a pod's (its netdev gone to another namespace), vf3 a guest's
 * keeping every rule.
 */
static void test_link_rules(void **state)
{
	struct tl_memhost m;
	struct sriov_baseline *b;
	struct sriov_audit_report *rep;
	const struct sriov_audit_finding *f;
	struct sriov_ctx *ctx;
	char root[PATH_MAX], err[256], vfio[] = "vfio-pci";

	(void)state;
	tl_mkdtemp(root, sizeof(root), "sriov-audit");
	tl_put(root, "sys/bus/pci/devices/0000:3b:01.2/class", "0x020000\n");
	assert_int_equal(sriov_ctx_new(root, &ctx), 0);
	tl_memhost_init(&m);
	m.pfs[0].class_code = 0x020000;
	m.pfs[0].vf_links = SRIOV_VF_LINKS_OK;
	m.pfs[0].iommu_group = m.pfs[1].iommu_group = -1;
	m.host.iommu_enabled = true;
	m.host.iommu_groups = 40;
	set_link(&m.vfs[0], 0, 1, 0, "00:00:00:00:00:00", 0, 0);
	set_link(&m.vfs[1], 0, 1, 0, "00:00:00:00:00:00", 0, 500);
	m.vfs[1].driver = vfio;
	m.vfs[1].netdev = NULL;
	set_link(&m.vfs[2], 1, 0, 100, "00:00:00:00:00:00", 800, 0);
	m.vfs[2].netdev = NULL;
	set_link(&m.vfs[3], 1, 0, 10, "02:00:00:00:00:03", 1000, 50);
	m.vfs[3].driver = vfio;
	m.vfs[3].netdev = NULL;
	b = parse("rules:\n  vf.rate: {max_tx_rate: 1000, min_tx_rate: 100}\n"
		  "exceptions:\n  - vfs: ens1f0/vf1\n    rules: [vf.trust]\n"
		  "    reason: NFV router VF (VRRP)\n");
	assert_int_equal(b->n_errors, 0);
	assert_int_equal(sriov_audit_run(ctx, &m.host, b, NULL, NULL, 0, &rep, err,
					 sizeof(err)), 0);
	assert_int_equal(rep->vfs_handed, 3);
	assert_null(find(rep, SRIOV_AUDIT_SPOOFCHK, "ens1f0/vf0"));

	assert_non_null(f = find(rep, SRIOV_AUDIT_SPOOFCHK, "ens1f0/vf1"));
	assert_int_equal(f->status, SRIOV_AUDIT_FAIL);
	assert_int_equal(f->consumer, SRIOV_AUDIT_GUEST);
	assert_string_equal(f->actual, "spoofchk off");
	assert_string_equal(f->fix, "sriovctl vf ens1f0/vf1 set spoofchk on");
	assert_string_equal(f->address, "0000:3b:01.1");
	assert_non_null(f = find(rep, SRIOV_AUDIT_TRUST, "ens1f0/vf1"));
	assert_int_equal(f->status, SRIOV_AUDIT_EXCEPTED);
	assert_string_equal(f->reason, "NFV router VF (VRRP)");
	assert_string_equal(f->exception_at, "b.yaml:4:5");
	assert_non_null(f = find(rep, SRIOV_AUDIT_VLAN, "ens1f0/vf1"));
	assert_int_equal(f->status, SRIOV_AUDIT_FAIL);
	assert_string_equal(f->actual, "no VLAN");
	assert_string_equal(f->fix, "sriovctl vf ens1f0/vf1 set vlan VLAN_ID");
	assert_non_null(f = find(rep, SRIOV_AUDIT_MAC, "ens1f0/vf1"));
	assert_int_equal(f->status, SRIOV_AUDIT_FAIL);
	assert_string_equal(f->fix, "sriovctl vf ens1f0/vf1 set mac XX:XX:XX:XX:XX:XX");
	assert_non_null(f = find(rep, SRIOV_AUDIT_RATE, "ens1f0/vf1"));
	assert_int_equal(f->status, SRIOV_AUDIT_FAIL);
	assert_string_equal(f->expected, "max_tx_rate 1..1000 Mb/s, min_tx_rate at most 100 Mb/s");
	assert_string_equal(f->actual, "max_tx_rate 0 (no limit), min_tx_rate 500 Mb/s");
	assert_string_equal(f->fix, "sriovctl vf ens1f0/vf1 set max-rate 1000 min-rate 100");

	/* the pod's VF: no MAC rule (that is for guests), the rest kept */
	assert_non_null(f = find(rep, SRIOV_AUDIT_SPOOFCHK, "ens1f0/vf2"));
	assert_int_equal(f->status, SRIOV_AUDIT_PASS);
	assert_int_equal(f->consumer, SRIOV_AUDIT_POD);
	assert_non_null(strstr(f->holder, "another network namespace"));
	assert_null(f->fix);
	assert_null(find(rep, SRIOV_AUDIT_MAC, "ens1f0/vf2"));
	assert_int_equal(find(rep, SRIOV_AUDIT_VLAN, "ens1f0/vf2")->status, SRIOV_AUDIT_PASS);
	assert_int_equal(find(rep, SRIOV_AUDIT_RATE, "ens1f0/vf2")->status, SRIOV_AUDIT_PASS);

	for (int rule = SRIOV_AUDIT_SPOOFCHK; rule <= SRIOV_AUDIT_RATE; rule++) {
		assert_non_null(f = find(rep, rule, "ens1f0/vf3"));
		assert_int_equal(f->status, SRIOV_AUDIT_PASS);
	}
	/* a guest VF without an IOMMU group: the group rule cannot tell */
	assert_int_equal(find(rep, SRIOV_AUDIT_GROUP, "ens1f0/vf3")->status, SRIOV_AUDIT_SKIP);
	assert_int_equal(find(rep, SRIOV_AUDIT_IOMMU, "host")->status, SRIOV_AUDIT_PASS);
	/* vf1: spoofchk vlan mac rate; trust is excepted */
	assert_int_equal(rep->n_by_status[SRIOV_AUDIT_FAIL], 4);
	assert_int_equal(rep->n_by_status[SRIOV_AUDIT_EXCEPTED], 1);
	/* findings in rule order */
	for (size_t i = 1; i < rep->n; i++)
		assert_true(rep->v[i - 1].rule <= rep->v[i].rule);
	sriov_audit_report_free(rep);

	/* one VF named: only it */
	{
		const char *names[] = { "ens1f0/vf3" };

		assert_int_equal(sriov_audit_run(ctx, &m.host, b, NULL, names, 1, &rep, err,
						 sizeof(err)), 0);
		assert_int_equal(rep->vfs_handed, 1);
		assert_int_equal(rep->n_by_status[SRIOV_AUDIT_FAIL], 0);
		sriov_audit_report_free(rep);
		names[0] = "nosuch0";
		assert_int_equal(sriov_audit_run(ctx, &m.host, b, NULL, names, 1, &rep, err,
						 sizeof(err)), -ENOENT);
		assert_null(rep);
		assert_non_null(strstr(err, "nosuch0"));
	}
	/* no netlink view: every VF-link rule is a skip, never a pass */
	m.pfs[0].vf_links = SRIOV_VF_LINKS_NOT_QUERIED;
	assert_int_equal(sriov_audit_run(ctx, &m.host, b, NULL, NULL, 0, &rep, err,
					 sizeof(err)), 0);
	for (size_t i = 0; i < rep->n; i++)
		if (rep->v[i].rule <= SRIOV_AUDIT_RATE)
			assert_int_equal(rep->v[i].status, SRIOV_AUDIT_SKIP);
	assert_int_equal(rep->n_by_status[SRIOV_AUDIT_FAIL], 0);
	sriov_audit_report_free(rep);
	sriov_baseline_free(b);
	sriov_ctx_free(ctx);
	tl_rm_rf(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_table),
		cmocka_unit_test(test_baseline),
		cmocka_unit_test(test_link_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
