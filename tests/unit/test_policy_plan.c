/* SPDX-License-Identifier: MIT */
/*
 * From a policy to a plan on an in-memory host: phase-2 errors with their
 * positions, the plan's lines and order, an empty plan when the host
 * already matches, only the attributes the policy names, --pf.
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

#define HOST_ID "0123456789abcdef0123456789abcdef"

/* Two PFs: an E810-like NIC with 4 iavf VFs, and an NVMe PF without VFs. */
static struct tl_memhost mh;

static int setup(void **state)
{
	(void)state;
	tl_memhost_init(&mh);
	return 0;
}

static struct sriov_policy *parse(const char *text)
{
	struct sriov_policy *p = NULL;

	assert_int_equal(sriov_policy_new(&p), 0);
	assert_int_equal(sriov_policy_add(p, "t.yaml", text, strlen(text)), 0);
	assert_int_equal(sriov_policy_validate(p), 0);
	if (p->n_errors) {
		char line[512];

		sriov_policy_error_format(&p->errors[0], line, sizeof(line));
		fail_msg("phase 1 refused: %s", line);
	}
	return p;
}

/* The plan's lines joined with '\n', as `sriovctl plan` prints them. */
static char *plan_text(const char *yaml, const char *only_pf)
{
	struct sriov_policy_plan_opts o = { .host_id = HOST_ID, .only_pf = only_pf };
	struct sriov_policy *p = parse(yaml);
	struct sriov_plan plan;
	static char out[8192];
	char line[256];

	out[0] = '\0';
	assert_int_equal(sriov_policy_plan(&mh.host, p, &o, &plan), 0);
	if (p->n_errors) {
		sriov_policy_error_format(&p->errors[0], line, sizeof(line));
		fail_msg("phase 2 refused: %s", line);
	}
	for (size_t i = 0; i < plan.n; i++)
		for (size_t j = 0; sriov_step_describe(&plan.v[i], j, line,
						       sizeof(line)) == 0; j++) {
			strcat(out, line);
			strcat(out, "\n");
		}
	sriov_plan_clear(&plan);
	sriov_policy_free(p);
	return out;
}

/* Phase 2 must refuse @yaml with exactly one error, @msg at LINE:COL. */
static void refused(const char *yaml, const char *host_id, unsigned line,
		    unsigned col, const char *msg)
{
	struct sriov_policy_plan_opts o = { .host_id = host_id };
	struct sriov_policy *p = parse(yaml);
	struct sriov_plan plan;
	char got[512], want[512];

	assert_int_equal(sriov_policy_plan(&mh.host, p, &o, &plan), 0);
	assert_int_equal(plan.n, 0);
	if (p->n_errors != 1) {
		for (size_t i = 0; i < p->n_errors; i++) {
			sriov_policy_error_format(&p->errors[i], got, sizeof(got));
			print_message("error: %s\n", got);
		}
		fail_msg("%zu errors, expected 1", p->n_errors);
	}
	sriov_policy_error_format(&p->errors[0], got, sizeof(got));
	snprintf(want, sizeof(want), "t.yaml:%u:%u: %s", line, col, msg);
	assert_string_equal(got, want);
	sriov_policy_free(p);
}

static void matching_host_gives_empty_plan(void **state)
{
	(void)state;
	assert_string_equal(plan_text(
		"pfs:\n"
		"  - match: {netdev: ens1f0}\n"
		"    num_vfs: 4\n"
		"    drivers_autoprobe: true\n"
		"    mtu: 1500\n"
		"    link_state: up\n"
		"    vfs:\n"
		"      \"0-3\": {driver: iavf, vlan: 0, spoofchk: true, trust: false, mtu: 1500}\n"
		"  - match: {pci: \"0000:5e:00.0\"}\n"
		"    num_vfs: 0\n", NULL), "");
}

static void differences_in_kernel_order(void **state)
{
	(void)state;
	mh.vfs[2].driver = "vfio-pci";
	mh.vfs[2].netdev = NULL;
	mh.vfs[2].mtu = -1;
	assert_string_equal(plan_text(
		"pfs:\n"
		"  - match: {netdev: ens1f0}\n"
		"    mtu: 9000\n"
		"    vfs:\n"
		"      \"1\": {vlan: 100, qos: 3, trust: true, mtu: 9000}\n"
		"      \"2\": {driver: iavf}\n"
		"      \"3\": {driver: vfio-pci}\n"
		"  - match: {vendor: \"1b36\", device: \"0010\"}\n"
		"    num_vfs: 2\n"
		"    drivers_autoprobe: false\n"
		"    vfs:\n"
		"      \"0-1\": {driver: vfio-pci}\n", NULL),
		"ens1f0 mtu: 1500 -> 9000\n"
		"ens1f0/vf1 vlan: 0 -> 100 qos 3\n"
		"ens1f0/vf1 trust: off -> on\n"
		"ens1f0/vf2 driver: vfio-pci -> iavf\n"
		"ens1f0/vf3 driver: iavf -> vfio-pci\n"
		"ens1f0/vf1 mtu: 1500 -> 9000\n"
		"0000:5e:00.0 num_vfs: 0 -> 2\n"
		"0000:5e:00.0 drivers_autoprobe: on -> off\n"
		"0000:5e:00.0/vf0 driver: (re-created) -> vfio-pci\n"
		"0000:5e:00.0/vf1 driver: (re-created) -> vfio-pci\n");
}

static void recreated_vfs_get_every_named_attribute(void **state)
{
	(void)state;
	/* 4 -> 6 goes through 0: the VFs come back with driver defaults. */
	assert_string_equal(plan_text(
		"pfs:\n"
		"  - match: {root_device: \"0000:3a:00.0\"}\n"
		"    num_vfs: 6\n"
		"    vfs:\n"
		"      \"5\": {mac: \"02:00:00:00:00:05\", spoofchk: false, vlan: 0, max_tx_rate: 0, mtu: 1500}\n",
		NULL),
		"ens1f0 num_vfs: 4 -> 6 (through 0)\n"
		"ens1f0/vf5 mac: ? -> 02:00:00:00:00:05\n"
		"ens1f0/vf5 spoofchk: ? -> off\n"
		"ens1f0/vf5 mtu: (new) -> 1500\n");
}

static void only_named_attributes_are_compared(void **state)
{
	(void)state;
	mh.vfs[0].link.min_tx_rate = 10;
	mh.vfs[0].link.max_tx_rate = 50;
	mh.vfs[0].link.vlan = 7;
	snprintf(mh.vfs[0].link.mac, sizeof(mh.vfs[0].link.mac),
		 "02:11:22:33:44:55");
	/* vlan 7 and the MAC are not in the policy: left alone; the min
	 * rate travels with the new max at its current value. */
	assert_string_equal(plan_text(
		"vfs:\n"
		"  - select: \"ens1f0#0\"\n"
		"    max_tx_rate: 100\n", NULL),
		"ens1f0/vf0 min-rate: 10 -> 10\n"
		"ens1f0/vf0 max-rate: 50 -> 100\n");
	assert_string_equal(plan_text(
		"vfs:\n"
		"  - select: \"ens1f0#0\"\n"
		"    max_tx_rate: 50\n"
		"    vlan: 7\n", NULL), "");
}

static void optional_attributes_reach_the_step(void **state)
{
	struct sriov_policy_plan_opts o = { .host_id = HOST_ID };
	struct sriov_policy *p = parse(
		"vfs:\n"
		"  - select: \"ens1f0#1\"\n"
		"    min_tx_rate: 10\n"
		"    trust: true\n"
		"    optional: [min_tx_rate, link_state]\n");
	struct sriov_plan plan;

	(void)state;
	assert_int_equal(sriov_policy_plan(&mh.host, p, &o, &plan), 0);
	assert_int_equal(p->n_errors, 0);
	assert_int_equal(plan.n, 1);
	assert_int_equal(plan.v[0].kind, SRIOV_STEP_VF_ATTRS);
	/* the two rates are one request: both optional; trust is not */
	assert_int_equal(plan.v[0].optional_mask,
			 (1u << SRIOV_VF_ATTR_MIN_RATE) | (1u << SRIOV_VF_ATTR_MAX_RATE) |
			 (1u << SRIOV_VF_ATTR_LINK_STATE));
	sriov_plan_clear(&plan);
	sriov_policy_free(p);
}

static void mac_auto_is_derived_per_vf(void **state)
{
	uint8_t m[6];
	char want[256];

	(void)state;
	sriov_policy_mac_auto(HOST_ID, strlen(HOST_ID), "0000:3b:00.0", 1, m);
	assert_true(m[0] & 0x02);
	assert_false(m[0] & 0x01);
	snprintf(want, sizeof(want),
		 "ens1f0/vf1 mac: 00:00:00:00:00:00 -> %02x:%02x:%02x:%02x:%02x:%02x\n",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	assert_string_equal(plan_text(
		"vfs:\n"
		"  - select: \"ens1f0#1\"\n"
		"    mac: auto\n", NULL), want);
}

static void only_pf_limits_the_plan(void **state)
{
	const char *yaml =
		"pfs:\n"
		"  - match: {netdev: ens1f0}\n"
		"    num_vfs: 2\n"
		"  - match: {pci: \"0000:5e:00.0\"}\n"
		"    num_vfs: 1\n";

	(void)state;
	assert_string_equal(plan_text(yaml, "0000:5e:00.0"),
			    "0000:5e:00.0 num_vfs: 0 -> 1\n");
	assert_string_equal(plan_text(yaml, "0000:3b:00.0"),
			    "ens1f0 num_vfs: 4 -> 2 (through 0)\n");
}

static void netdev_settings_and_link_state(void **state)
{
	(void)state;
	mh.nd.up = 0;
	assert_string_equal(plan_text(
		"pfs:\n"
		"  - match: {netdev: ens1f0}\n"
		"    link_state: up\n"
		"    mtu: 9000\n", NULL),
		"ens1f0 mtu: 1500 -> 9000\n"
		"ens1f0 link: down -> up\n");
	mh.nd.up = 1;
}

static void phase2_errors(void **state)
{
	char yaml[512], msg[256], mac[18];
	uint8_t m[6];

	(void)state;
	refused("pfs:\n  - match: {netdev: ens9}\n    num_vfs: 1\n", HOST_ID,
		2, 21, "no SR-IOV PF on this host matches netdev ens9 ('sriovctl list' shows the PFs)");
	refused("pfs:\n  - match: {netdev: ens1f0}\n    num_vfs: 9\n", HOST_ID,
		3, 14, "num_vfs 9 is above the 8 VFs PF 0000:3b:00.0 (ens1f0) allows (sriov_totalvfs)");
	refused("pfs:\n  - match: {netdev: ens1f0}\n    num_vfs: 2\n"
		"    vfs:\n      \"1-2\": {trust: true}\n", HOST_ID,
		5, 7, "VF 2: PF 0000:3b:00.0 (ens1f0) has 2 VFs (num_vfs in the policy), indexes 0-1");
	refused("pfs:\n  - match: {netdev: ens1f0}\n"
		"    vfs:\n      \"4\": {trust: true}\n", HOST_ID,
		4, 7, "VF 4: PF 0000:3b:00.0 (ens1f0) has 4 VFs (now; the policy sets no num_vfs), indexes 0-3");
	refused("pfs:\n  - match: {pci: \"0000:5e:00.0\"}\n    num_vfs: 2\n"
		"    vfs:\n      \"0\": {driver: vfio-pci, vlan: 5}\n", HOST_ID,
		5, 37, "vlan: VF link settings go through the PF's network interface, and PF 0000:5e:00.0 (driver nvme) has none");
	refused("pfs:\n  - match: {pci: \"0000:5e:00.0\"}\n    mtu: 9000\n", HOST_ID,
		3, 10, "mtu: PF 0000:5e:00.0 (driver nvme) has no network interface");
	refused("pfs:\n  - match: {netdev: ens1f0}\n    num_vfs: 2\n"
		"  - match: {pci: \"0000:3b:00.0\"}\n    num_vfs: 2\n", HOST_ID,
		4, 18, "PF 0000:3b:00.0 (ens1f0) is matched by this entry (pci 0000:3b:00.0) and by the one at t.yaml:2:21 (netdev ens1f0): one entry per PF");
	refused("vfs:\n  - select: \"ens1f0#0\"\n    mac: auto\n", NULL,
		3, 10, "mac: auto needs the host id in /etc/machine-id, which is missing or not 32 hex digits (systemd-machine-id-setup writes one)");
	refused("pfs:\n  - match: {pci: \"0000:3b:00.0\"}\n    vfs:\n"
		"      \"0\": {mac: \"02:00:00:00:00:01\"}\n"
		"vfs:\n  - select: \"ens1f0#0\"\n    mac: \"02:00:00:00:00:02\"\n",
		HOST_ID, 7, 10, "mac of ens1f0/vf0 disagrees with the value at t.yaml:4:18");
	/* An explicit MAC that `auto` also derives for another VF. */
	sriov_policy_mac_auto(HOST_ID, strlen(HOST_ID), "0000:3b:00.0", 1, m);
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", m[0],
		 m[1], m[2], m[3], m[4], m[5]);
	snprintf(yaml, sizeof(yaml),
		 "pfs:\n  - match: {pci: \"0000:3b:00.0\"}\n    vfs:\n"
		 "      \"0\": {mac: \"%s\"}\n"
		 "vfs:\n  - select: \"ens1f0#1\"\n    mac: auto\n", mac);
	snprintf(msg, sizeof(msg),
		 "mac: %s of 0000:3b:00.0 VF 1 is also given to 0000:3b:00.0 VF 0",
		 mac);
	refused(yaml, HOST_ID, 7, 10, msg);
	refused("pfs:\n  - match: {netdev: ens1f0}\n    vfs:\n"
		"      \"0\": {driver: vfio-pci, mtu: 9000}\n", HOST_ID,
		4, 36, "mtu: a VF on vfio-pci has no network interface to set it on");
}

static void phase2_errors_in_file_order(void **state)
{
	struct sriov_policy_plan_opts o = { 0 };
	struct sriov_policy *p = parse(
		"pfs:\n"
		"  - match: {netdev: ens1f0}\n"
		"    num_vfs: 9\n"
		"    vfs:\n"
		"      \"0-1\": {mac: auto}\n"
		"  - match: {netdev: ens9}\n");
	struct sriov_plan plan;

	(void)state;
	assert_int_equal(sriov_policy_plan(&mh.host, p, &o, &plan), 0);
	assert_int_equal(p->n_errors, 2);
	/* matching runs first, but the errors come in file order */
	assert_int_equal(p->errors[0].loc.line, 3);
	assert_int_equal(p->errors[1].loc.line, 6);
	sriov_policy_free(p);

	/* `mac: auto` without a host id: one error for the range */
	p = parse("vfs:\n  - select: \"ens1f0#0-3\"\n    mac: auto\n");
	assert_int_equal(sriov_policy_plan(&mh.host, p, &o, &plan), 0);
	assert_int_equal(p->n_errors, 1);
	sriov_policy_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(matching_host_gives_empty_plan, setup),
		cmocka_unit_test_setup(differences_in_kernel_order, setup),
		cmocka_unit_test_setup(recreated_vfs_get_every_named_attribute, setup),
		cmocka_unit_test_setup(only_named_attributes_are_compared, setup),
		cmocka_unit_test_setup(mac_auto_is_derived_per_vf, setup),
		cmocka_unit_test_setup(optional_attributes_reach_the_step, setup),
		cmocka_unit_test_setup(only_pf_limits_the_plan, setup),
		cmocka_unit_test_setup(netdev_settings_and_link_state, setup),
		cmocka_unit_test_setup(phase2_errors, setup),
		cmocka_unit_test_setup(phase2_errors_in_file_order, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
