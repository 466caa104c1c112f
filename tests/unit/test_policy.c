/* SPDX-License-Identifier: MIT */
/* The policy file: parsing, every syntax error with its position, conf.d, mac: auto. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sriov.h"
#include "testlib.h"

static struct sriov_policy *parse(const char *text)
{
	struct sriov_policy *p;

	assert_int_equal(sriov_policy_new(&p), 0);
	assert_int_equal(sriov_policy_add(p, "t.yaml", text, strlen(text)), 0);
	assert_int_equal(sriov_policy_validate(p), 0);
	return p;
}

/* @text gives exactly one error, "t.yaml:LINE:COL: MSG-prefix…". */
static void one_error(const char *text, unsigned line, unsigned col, const char *msg)
{
	struct sriov_policy *p = parse(text);
	char buf[1024];

	for (size_t i = 0; i < p->n_errors; i++) {
		sriov_policy_error_format(&p->errors[i], buf, sizeof(buf));
		print_message("%s\n", buf);
	}
	assert_int_equal(p->n_errors, 1);
	assert_string_equal(p->errors[0].loc.file, "t.yaml");
	assert_int_equal(p->errors[0].loc.line, line);
	assert_int_equal(p->errors[0].loc.column, col);
	if (strncmp(p->errors[0].message, msg, strlen(msg)) != 0)
		fail_msg("message \"%s\" does not start with \"%s\"", p->errors[0].message, msg);
	sriov_policy_free(p);
}

#define FULL \
	"pfs:\n" \
	"  - match: {netdev: ens1f0}\n" \
	"    num_vfs: 8\n" \
	"    mtu: 9000\n" \
	"    drivers_autoprobe: false\n" \
	"    link_state: up\n" \
	"    vfs:\n" \
	"      \"0-3\": {driver: iavf, vlan: 100, qos: 2, vlan_proto: 802.1ad, spoofchk: true, trust: false, mac: auto}\n" \
	"      \"4-7\": {driver: vfio-pci, max_tx_rate: 1000, min_tx_rate: 100, link_state: disable, query_rss: true, mtu: 1500}\n" \
	"      \"8\": {mac: \"02:00:00:00:00:08\", driver: none}\n" \
	"  - match: {pci: \"0000:3b:00.1\"}\n" \
	"  - match: {vendor: \"8086\", device: \"1592\"}\n" \
	"  - match: {root_device: \"0000:00:01.0\"}\n" \
	"vfs:\n" \
	"  - select: \"ens1f0#0-1\"\n" \
	"    vlan: 100\n"

static void test_full(void **state)
{
	struct sriov_policy *p = parse(FULL);
	const struct sriov_policy_pf *pf = &p->pfs[0];
	const struct sriov_policy_vfs *r;

	assert_int_equal(p->n_errors, 0);
	assert_int_equal(p->n_pfs, 5);
	assert_int_equal(pf->match, SRIOV_POLICY_MATCH_NETDEV);
	assert_string_equal(pf->value, "ens1f0");
	assert_int_equal(pf->match_loc.line, 2);
	assert_int_equal(pf->match_loc.column, 21);
	assert_int_equal(pf->num_vfs, 8);
	assert_int_equal(pf->mtu, 9000);
	assert_false(pf->drivers_autoprobe);
	assert_true(pf->link_up);
	assert_int_equal(pf->set, 0xf);
	assert_int_equal(pf->at[SRIOV_PPF_NUM_VFS].line, 3);
	assert_int_equal(pf->at[SRIOV_PPF_NUM_VFS].column, 14);
	assert_int_equal(pf->n_vfs, 3);
	r = &pf->vfs[0];
	assert_int_equal(r->first, 0);
	assert_int_equal(r->last, 3);
	assert_string_equal(r->driver, "iavf");
	assert_int_equal(r->vlan, 100);
	assert_int_equal(r->qos, 2);
	assert_int_equal(r->vlan_proto, 0x88a8);
	assert_true(r->spoofchk);
	assert_false(r->trust);
	assert_true(r->mac_auto);
	assert_int_equal(r->at[SRIOV_VF_ATTR_VLAN].line, 8);
	assert_int_equal(r->at[SRIOV_VF_ATTR_VLAN].column, 35);
	r = &pf->vfs[1];
	assert_int_equal(r->min_tx_rate, 100);
	assert_int_equal(r->max_tx_rate, 1000);
	assert_int_equal(r->link_state, SRIOV_VF_LINK_DISABLE);
	assert_true(r->query_rss);
	assert_int_equal(r->mtu, 1500);
	assert_false(r->set & 1u << SRIOV_VF_ATTR_VLAN);
	r = &pf->vfs[2];
	assert_int_equal(r->first, 8);
	assert_int_equal(r->last, 8);
	assert_string_equal(r->driver, "none");
	assert_false(r->mac_auto);
	assert_int_equal(r->mac[5], 8);
	assert_int_equal(p->pfs[1].match, SRIOV_POLICY_MATCH_PCI);
	assert_string_equal(p->pfs[1].value, "0000:3b:00.1");
	assert_int_equal(p->pfs[2].match, SRIOV_POLICY_MATCH_ID);
	assert_int_equal(p->pfs[2].vendor_id, 0x8086);
	assert_int_equal(p->pfs[2].device_id, 0x1592);
	assert_int_equal(p->pfs[3].match, SRIOV_POLICY_MATCH_ROOT_DEVICE);
	/* the selector form: its own entry, VFs only, agreeing with pfs[0] */
	assert_true(p->pfs[4].from_selector);
	assert_string_equal(p->pfs[4].value, "ens1f0");
	assert_int_equal(p->pfs[4].n_vfs, 1);
	assert_int_equal(p->pfs[4].vfs[0].first, 0);
	assert_int_equal(p->pfs[4].vfs[0].last, 1);
	assert_int_equal(p->pfs[4].vfs[0].vlan, 100);
	sriov_policy_free(p);
}

static void test_empty(void **state)
{
	struct sriov_policy *p = parse("# nothing yet\n");

	assert_int_equal(p->n_errors, 0);
	assert_int_equal(p->n_pfs, 0);
	sriov_policy_free(p);
	p = parse("");
	assert_int_equal(p->n_errors, 0);
	sriov_policy_free(p);
}

#define PF "pfs:\n  - match: {netdev: ens1f0}\n"
#define VF(s) PF "    vfs:\n      \"0\": {" s "}\n"   /* values at column 14 */

static void test_errors_top(void **state)
{
	one_error("pfs: [\n", 2, 1, "YAML: did not find expected node content");
	one_error("- a\n", 1, 1, "a policy is a mapping with pfs: and vfs:, not a list");
	one_error("vfs:\n  - select: \"ens1f0#0\"\n    optional: [min_tx_rate, mtu]\n", 3, 29,
		  "optional: \"mtu\" is not a VF link setting");
	one_error("vfs:\n  - select: \"ens1f0#0\"\n    optional: min_tx_rate\n", 3, 15,
		  "optional: expected a list of VF settings");
	one_error("pfs: []\nnics: []\n", 2, 1, "unknown top-level key \"nics\"");
	one_error("pfs: []\npfs: []\n", 2, 1, "policy: duplicate key \"pfs\" (first at line 1, column 1)");
	one_error("pfs: {}\n", 1, 6, "pfs: expected a list of PF entries");
	one_error("vfs: 3\n", 1, 6, "vfs: expected a list of entries");
	one_error("pfs: []\n---\npfs: []\n", 3, 1, "a policy file holds one YAML document");
	one_error("? [a]\n: 1\n", 1, 3, "policy: a key must be a plain word, not a list");
	one_error("pfs:\n  - &a {match: {netdev: x}}\n  - *a\n", 2, 5,
		  "PF entry: aliases (*name) are not supported");
}

static void test_errors_pf(void **state)
{
	one_error("pfs:\n  - num_vfs: 2\n", 2, 5, "PF entry: no match");
	one_error("pfs:\n  - 3\n", 2, 5, "PF entry: expected a mapping, got a plain value");
	one_error(PF "    numvfs: 2\n", 3, 5, "unknown PF setting \"numvfs\"");
	one_error(PF "    num_vfs: many\n", 3, 14, "num_vfs: expected a number, got \"many\"");
	one_error(PF "    num_vfs: \"8\"\n", 3, 14, "num_vfs: expected a number, got a string");
	one_error(PF "    num_vfs: -1\n", 3, 14, "num_vfs: expected a number, got \"-1\"");
	one_error(PF "    num_vfs: 70000\n", 3, 14, "num_vfs: 70000 is out of range 0..65535");
	one_error(PF "    num_vfs: 99999999999\n", 3, 14, "num_vfs: expected a number");
	one_error(PF "    mtu: 40\n", 3, 10, "mtu: 40 is out of range 68..65535");
	one_error(PF "    drivers_autoprobe: yes\n", 3, 24, "drivers_autoprobe: expected true or false, got \"yes\"");
	one_error(PF "    link_state: sideways\n", 3, 17, "link_state: expected up or down");
	one_error(PF "    num_vfs: 2\n    num_vfs: 3\n", 4, 5, "PF entry: duplicate key \"num_vfs\"");
	one_error(PF "    vfs: [1]\n", 3, 10, "vfs: expected a mapping, got a list");
}

static void test_errors_match(void **state)
{
	one_error("pfs:\n  - match: ens1f0\n", 2, 12, "match: expected a mapping");
	one_error("pfs:\n  - match: {}\n", 2, 12, "match: give exactly one of");
	one_error("pfs:\n  - match: {netdev: a, pci: \"0000:3b:00.0\"}\n", 2, 12, "match: give exactly one of");
	one_error("pfs:\n  - match: {vendor: \"8086\"}\n", 2, 12, "match: vendor and device go together");
	one_error("pfs:\n  - match: {vendor: \"80861\", device: \"1592\"}\n", 2, 21, "vendor: expected a 4-digit hex id");
	one_error("pfs:\n  - match: {vendor: \"8086\", device: x}\n", 2, 37, "device: expected a 4-digit hex id");
	one_error("pfs:\n  - match: {pci: \"3b:00.0\"}\n", 2, 18, "pci: \"3b:00.0\" is not a PCI address");
	one_error("pfs:\n  - match: {root_device: \"0000:00:40.0\"}\n", 2, 26, "root_device: \"0000:00:40.0\" is not a PCI address");
	one_error("pfs:\n  - match: {netdev: \"a/b\"}\n", 2, 21, "netdev: \"a/b\" is not an interface name");
	one_error("pfs:\n  - match: {netdev: averyveryverylongname}\n", 2, 21, "netdev: \"averyveryverylongname\" is not");
	one_error("pfs:\n  - match: {ifname: a}\n", 2, 13, "match: unknown selector \"ifname\"");
	one_error("pfs:\n  - match: {netdev: [a]}\n", 2, 21, "netdev: expected a string, got a list");
}

static void test_errors_vf(void **state)
{
	one_error(VF("vlan: 4095"), 4, 19, "vlan: 4095 is out of range 0..4094");
	one_error(VF("qos: 8"), 4, 18, "qos: 8 is out of range 0..7");
	one_error(VF("vlan_proto: 802.1x"), 4, 25, "vlan_proto: expected 802.1Q or 802.1ad, got \"802.1x\"");
	one_error(VF("mac: 02:00:00:00:00"), 4, 18, "mac: \"02:00:00:00:00\" is not a MAC address");
	one_error(VF("mac: \"02:00:00:00:00:0g\""), 4, 18, "mac: \"02:00:00:00:00:0g\" is not a MAC address");
	one_error(VF("mac: \"03:00:00:00:00:01\""), 4, 18, "mac: 03:00:00:00:00:01 is a multicast address");
	one_error(VF("mac: \"ff:ff:ff:ff:ff:ff\""), 4, 18, "mac: ff:ff:ff:ff:ff:ff is a multicast address");
	one_error(VF("mac: \"00:00:00:00:00:00\""), 4, 18, "mac: 00:00:00:00:00:00 is not an address");
	one_error(VF("spoofchk: maybe"), 4, 23, "spoofchk: expected on or off (or true/false, yes/no, 1/0), got \"maybe\"");
	one_error(VF("max_tx_rate: 5, max-rate: 6"), 4, 29, "max-rate: max_tx_rate is given twice");
	one_error(VF("trust: \"true\""), 4, 20, "trust: expected true or false, got a string");
	one_error(VF("query_rss: \"on\""), 4, 24, "query_rss: expected true or false, got a string");
	one_error(VF("min_tx_rate: 200, max_tx_rate: 100"), 4, 26, "min_tx_rate 200 is above max_tx_rate 100");
	one_error(VF("max_tx_rate: 4294967296"), 4, 26, "max_tx_rate: 4294967296 is out of range");
	one_error(VF("link_state: up"), 4, 25, "link_state: expected auto, enable or disable, got \"up\"");
	one_error(VF("mtu: 67"), 4, 18, "mtu: 67 is out of range 68..65535");
	one_error(VF("driver: \"vfio pci\""), 4, 21, "driver: \"vfio pci\" is not a kernel driver name");
	one_error(VF("driver: \"-x\""), 4, 21, "driver: \"-x\" is not a kernel driver name");
	one_error(VF("driver: \"\""), 4, 21, "driver: must not be empty");
	one_error(VF("vlna: 3"), 4, 13, "unknown VF setting \"vlna\"");
	one_error(VF("vlan: 3, vlan: 4"), 4, 22, "VFs \"0\": duplicate key \"vlan\"");
	one_error(PF "    vfs:\n      \"0-3\": {mac: \"02:00:00:00:00:01\"}\n", 4, 20,
		  "mac: one explicit address for the 4 VFs 0-3");
	/* min 100 with max 0 (no limit) is fine */
	one_error(VF("min_tx_rate: 100, max_tx_rate: 0, vlan: 5000"), 4, 53, "vlan: 5000");
}

static void test_errors_ranges(void **state)
{
	one_error(PF "    vfs:\n      \"5-3\": {}\n", 4, 7, "VF range \"5-3\" runs backwards: write \"3-5\"");
	one_error(PF "    vfs:\n      a-b: {}\n", 4, 7, "bad VF range \"a-b\"");
	one_error(PF "    vfs:\n      \"1-\": {}\n", 4, 7, "bad VF range \"1-\"");
	one_error(PF "    vfs:\n      \"-1\": {}\n", 4, 7, "bad VF range \"-1\"");
	one_error(PF "    vfs:\n      \"0-70000\": {}\n", 4, 7, "VF range \"0-70000\": a VF index is at most 65535");
	one_error(PF "    vfs:\n      \"65536\": {}\n", 4, 7, "VF range \"65536\": a VF index is at most 65535");
	/* a bad range's settings are still checked */
	{
		struct sriov_policy *p = parse(PF "    vfs:\n      \"5-3\": {vlan: 5000}\n");

		assert_int_equal(p->n_errors, 2);
		assert_int_equal(p->errors[1].loc.column, 21);
		sriov_policy_free(p);
	}
}

static void test_errors_selector(void **state)
{
	one_error("vfs:\n  - vlan: 3\n", 2, 5, "VF entry: no select");
	one_error("vfs:\n  - select: ens1f0\n", 2, 13, "select: \"ens1f0\" is not NETDEV#RANGE");
	one_error("vfs:\n  - select: \"#0-3\"\n", 2, 13, "select: \"#0-3\" is not NETDEV#RANGE");
	one_error("vfs:\n  - select: \"a/b#0\"\n", 2, 13, "select: \"a/b\" is not an interface name");
	one_error("vfs:\n  - select: \"ens1f0#3-1\"\n", 2, 13, "VF range \"3-1\" runs backwards");
	one_error("vfs:\n  - select: \"ens1f0#0\"\n    bogus: 1\n", 3, 5, "unknown VF setting \"bogus\"");
}

static void test_errors_cross(void **state)
{
	struct sriov_policy *p;

	/* the same PF twice by the same selector: at the second match */
	one_error("pfs:\n  - match: {netdev: ens1f0}\n  - match: {netdev: ens1f0}\n", 3, 21,
		  "PF ens1f0 is already matched at t.yaml:2:21; merge the two entries");
	one_error("pfs:\n  - match: {vendor: \"8086\", device: \"1592\"}\n"
		  "  - match: {vendor: \"8086\", device: \"1592\"}\n", 3, 12,
		  "PF vendor 8086 device 1592 is already matched at t.yaml:2:12");
	/* overlapping ranges that disagree, at the later value */
	one_error(PF "    vfs:\n      \"0-3\": {vlan: 10}\n      \"2-5\": {vlan: 20}\n", 5, 21,
		  "vlan of ens1f0 VFs 2-3 disagrees with the value at t.yaml:4:21 for the same VFs");
	one_error(PF "    vfs:\n      \"0-3\": {driver: iavf}\n      \"3\": {driver: vfio-pci}\n", 5, 21,
		  "driver of ens1f0 VF 3 disagrees with the value at t.yaml:4:23");
	/* ... across the selector form too */
	one_error(PF "    vfs:\n      \"0-3\": {trust: true}\nvfs:\n  - select: \"ens1f0#1\"\n    trust: false\n",
		  7, 12, "trust of ens1f0 VF 1 disagrees");
	/* overlaps that agree, or set different keys, are fine */
	p = parse(PF "    vfs:\n      \"0-3\": {vlan: 10}\n      \"2-5\": {vlan: 10, qos: 1}\n"
		  "vfs:\n  - select: \"ens1f0#0-7\"\n    trust: true\n");
	assert_int_equal(p->n_errors, 0);
	sriov_policy_free(p);
	/* one explicit MAC for two VFs, also across PFs */
	one_error(PF "    vfs:\n      \"0\": {mac: \"02:00:00:00:00:01\"}\n"
		  "  - match: {netdev: ens2f0}\n    vfs:\n      \"0\": {mac: \"02:00:00:00:00:01\"}\n",
		  7, 18, "mac: 02:00:00:00:00:01 is already given to another VF at t.yaml:4:18");
	/* but the same VF named twice with its MAC is one VF */
	p = parse(PF "    vfs:\n      \"0\": {mac: \"02:00:00:00:00:01\"}\n"
		  "vfs:\n  - select: \"ens1f0#0\"\n    mac: \"02:00:00:00:00:01\"\n");
	assert_int_equal(p->n_errors, 0);
	sriov_policy_free(p);
}

/* A VF's value is the first given; each later range that differs, once. */
static void test_overlap_first_wins(void **state)
{
	struct sriov_policy *p;

	(void)state;
	p = parse(PF "    vfs:\n      \"5\": {vlan: 10}\n      \"5-6\": {vlan: 20}\n"
		  "      \"0-9\": {vlan: 10}\n      \"4-5\": {vlan: 30}\n");
	/* 5-6 against 5; 0-9 agrees with VF 5's first value (6 has 20: told
	 * against 5-6); 4-5 once, against 0-9 (VF 4's first) */
	assert_int_equal(p->n_errors, 3);
	assert_int_equal(p->errors[0].loc.line, 5);
	assert_string_equal(p->errors[0].message,
			    "vlan of ens1f0 VF 5 disagrees with the value at t.yaml:4:19 for the same VF");
	assert_int_equal(p->errors[1].loc.line, 6);
	assert_string_equal(p->errors[1].message,
			    "vlan of ens1f0 VFs 5-6 disagrees with the value at t.yaml:5:21 for the same VFs");
	assert_int_equal(p->errors[2].loc.line, 7);
	assert_string_equal(p->errors[2].message,
			    "vlan of ens1f0 VFs 4-5 disagrees with the value at t.yaml:6:21 for the same VFs");
	sriov_policy_free(p);
}

/* @head, then @fmt printed for i = 0..n-1 (with i % 65536 and i). */
#define lines(head, n, fmt) ({ \
	size_t cap_ = strlen(head) + (n) * (strlen(fmt) + 24) + 1, len_; \
	char *s_ = malloc(cap_); \
	assert_non_null(s_); \
	len_ = (size_t)snprintf(s_, cap_, "%s", head); \
	for (size_t i_ = 0; i_ < (n); i_++) \
		len_ += (size_t)snprintf(s_ + len_, cap_ - len_, fmt, i_ % 65536, i_); \
	s_; })

/* As many ranges and entries as a policy may have, and one more. */
static void test_limits(void **state)
{
	struct sriov_policy *p;
	char *text;

	(void)state;
	/* 65536 single-VF ranges, then the same with every VF in a wide range */
	text = lines(PF "    vfs:\n", 65536, "      \"%zu\": {driver: iavf, vlan: 7} # %zu\n");
	p = parse(text);
	assert_int_equal(p->n_errors, 0);
	assert_int_equal(p->pfs[0].n_vfs, 65536);
	sriov_policy_free(p);
	free(text);
	text = lines(PF "    vfs:\n", 65535, "      \"%zu-65535\": {vlan: 7} # %zu\n");
	p = parse(text);
	assert_int_equal(p->n_errors, 0);
	sriov_policy_free(p);
	free(text);
	/* one more range than a PF has VFs */
	text = lines(PF "    vfs:\n", 65537, "      \"%zu\": {} # %zu\n");
	p = parse(text);
	assert_int_equal(p->n_errors, 1);
	assert_int_equal(p->errors[0].loc.line, 4);
	assert_string_equal(p->errors[0].message, "vfs: 65537 VF ranges; a PF has at most 65536 VFs");
	sriov_policy_free(p);
	free(text);
	/* one MAC given to VF 3 in 20000 ranges is one VF; on VF 4 it is two */
	text = lines(PF "    vfs:\n", 20000, "      \"3\": {mac: \"02:00:00:00:00:01\"} # %zu %zu\n");
	p = parse(text);
	/* the keys repeat: duplicates, not MAC errors */
	assert_int_equal(p->n_errors, 19999);
	assert_non_null(strstr(p->errors[19998].message, "duplicate key \"3\" (first at line 4, column 7)"));
	sriov_policy_free(p);
	free(text);
	text = lines("vfs:\n", 20000, "  - {select: \"ens1f0#3\", mac: \"02:00:00:00:00:01\"} # %zu %zu\n");
	p = parse(text);
	assert_int_equal(p->n_errors, 0);
	sriov_policy_free(p);
	free(text);
	text = lines("vfs:\n  - {select: \"ens1f0#4\", mac: \"02:00:00:00:00:01\"}\n", 20000,
		     "  - {select: \"ens1f0#3\", mac: \"02:00:00:00:00:01\"} # %zu %zu\n");
	p = parse(text);
	assert_int_equal(p->n_errors, 20000);
	assert_int_equal(p->errors[19999].loc.line, 20002);
	assert_non_null(strstr(p->errors[19999].message, "is already given to another VF at t.yaml:2:"));
	sriov_policy_free(p);
	free(text);
	/* 65536 PF entries, and one more */
	text = lines("pfs:\n", 65536, "  - match: {netdev: e%zu} # %zu\n");
	p = parse(text);
	assert_int_equal(p->n_errors, 0);
	assert_int_equal(p->n_pfs, 65536);
	sriov_policy_free(p);
	free(text);
	text = lines("pfs:\n", 65537, "  - match: {netdev: e%zu} # %zu\n");
	p = parse(text);
	assert_int_equal(p->n_errors, 1);
	assert_string_equal(p->errors[0].message,
			    "pfs: 65537 entries, and 0 before; a policy holds at most 65536");
	sriov_policy_free(p);
	free(text);
}

/* Deeper than a policy: refused before libyaml builds it (quadratic in flows). */
static void test_depth(void **state)
{
	size_t n = 32768;
	char *text = malloc(2 * n + 16);
	struct sriov_policy *p;

	(void)state;
	assert_non_null(text);
	strcpy(text, "pfs: ");
	memset(text + 5, '[', n);
	memset(text + 5 + n, ']', n);
	strcpy(text + 5 + 2 * n, "\n");
	p = parse(text);
	assert_int_equal(p->n_errors, 1);
	assert_int_equal(p->errors[0].loc.line, 1);
	assert_int_equal(p->errors[0].loc.column, 37);
	assert_string_equal(p->errors[0].message, "YAML: nested deeper than 32 levels; a policy needs 6");
	sriov_policy_free(p);
	free(text);
	/* 32 levels are fine (wrong, but parsed) */
	one_error("pfs: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n", 1, 7,
		  "PF entry: expected a mapping, got a list");
	/* block collections count too */
	one_error("a:\n b:\n  c:\n   d:\n    e:\n     f:\n      g:\n       h:\n        i:\n"
		  "         j:\n          k:\n           l:\n            m:\n             n:\n"
		  "              o:\n               p:\n                q:\n                 r:\n"
		  "                  s:\n                   t:\n                    u:\n"
		  "                     v:\n                      w:\n                       x:\n"
		  "                        y:\n                         z:\n"
		  "                          aa:\n                           ab:\n"
		  "                            ac:\n                             ad:\n"
		  "                              ae:\n                               af:\n"
		  "                                ag: 1\n", 33, 33,
		  "YAML: nested deeper than 32 levels");
}

/* Every error of a file, not only the first, in file order. */
/* Every spelling of the VF attribute table, values as YAML and ip write them. */
static void test_aliases(void **state)
{
	static const char *const forms[] = {
		VF("spoofchk: on, trust: yes, query-rss: 1, max-rate: 5000, state: disable, "
		   "proto: 802.1AD, vlan: 7, vlan_qos: 2, mac: \"2:0:0:0:0:1\""),
		VF("spoofchk: true, trust: true, rss_query_en: on, max_tx_rate: 5000, "
		   "link-state: Disable, vlan_protocol: 802.1ad, vlan: 7, qos: 2, "
		   "mac: \"02:00:00:00:00:01\""),
		VF("MACSpoofCheck: yes, Trust: on, QueryReceiveSideScaling: true, rate: 5000, "
		   "LinkState: disable, VLANProtocol: 802.1ad, VLANId: 7, "
		   "QualityOfService: 2, MACAddress: \"02:00:00:00:00:01\""),
	};

	(void)state;
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct sriov_policy *p = parse(forms[i]);
		const struct sriov_policy_vfs *r;

		for (size_t e = 0; e < p->n_errors; e++)
			print_message("%s\n", p->errors[e].message);
		assert_int_equal(p->n_errors, 0);
		r = &p->pfs[0].vfs[0];
		assert_true(r->spoofchk);
		assert_true(r->trust);
		assert_true(r->query_rss);
		assert_int_equal(r->max_tx_rate, 5000);
		assert_int_equal(r->link_state, SRIOV_VF_LINK_DISABLE);
		assert_int_equal(r->vlan_proto, 0x88a8);
		assert_int_equal(r->vlan, 7);
		assert_int_equal(r->qos, 2);
		assert_int_equal(r->mac[0], 2);
		assert_int_equal(r->mac[5], 1);
		assert_int_equal(r->set, (1u << SRIOV_VF_ATTR_SPOOFCHK) |
				 (1u << SRIOV_VF_ATTR_TRUST) | (1u << SRIOV_VF_ATTR_QUERY_RSS) |
				 (1u << SRIOV_VF_ATTR_MAX_RATE) | (1u << SRIOV_VF_ATTR_LINK_STATE) |
				 (1u << SRIOV_VF_ATTR_VLAN_PROTO) | (1u << SRIOV_VF_ATTR_VLAN) |
				 (1u << SRIOV_VF_ATTR_QOS) | (1u << SRIOV_VF_ATTR_MAC));
		sriov_policy_free(p);
	}
}

static void test_all_errors(void **state)
{
	struct sriov_policy *p = parse(PF "    num_vfs: x\n    bogus: 1\n    vfs:\n"
				       "      \"0\": {vlan: 5000, qos: 9}\n");

	assert_int_equal(p->n_errors, 4);
	assert_int_equal(p->errors[0].loc.line, 3);
	assert_int_equal(p->errors[1].loc.line, 4);
	assert_int_equal(p->errors[2].loc.line, 6);
	assert_int_equal(p->errors[2].loc.column, 19);
	assert_int_equal(p->errors[3].loc.column, 30);
	sriov_policy_free(p);
}

static void test_format(void **state)
{
	struct sriov_policy_error e = { { "a.yaml", 3, 7 }, "bad" };
	char buf[64];

	sriov_policy_error_format(&e, buf, sizeof(buf));
	assert_string_equal(buf, "a.yaml:3:7: bad");
}

static void test_mac_auto(void **state)
{
	const char *id = "0123456789abcdef0123456789abcdef";
	uint8_t a[6], b[6], seen[64][6];

	sriov_policy_mac_auto(id, 32, "0000:3b:00.0", 0, a);
	sriov_policy_mac_auto(id, 32, "0000:3b:00.0", 0, b);
	assert_memory_equal(a, b, 6);                  /* stable */
	for (unsigned pfi = 0; pfi < 2; pfi++)
		for (unsigned vf = 0; vf < 32; vf++) {
			uint8_t *m = seen[pfi * 32 + vf];

			sriov_policy_mac_auto(id, 32, pfi ? "0000:3b:00.1" : "0000:3b:00.0", vf, m);
			assert_true(m[0] & 0x02);      /* locally administered */
			assert_false(m[0] & 0x01);     /* unicast */
			for (unsigned j = 0; j < pfi * 32 + vf; j++)
				assert_memory_not_equal(m, seen[j], 6);  /* distinct */
		}
	/* another host, another MAC */
	sriov_policy_mac_auto("fedcba9876543210fedcba9876543210", 32, "0000:3b:00.0", 0, b);
	assert_memory_not_equal(a, b, 6);
	/* pinned: a change of the derivation would renumber every host's VFs */
	assert_int_equal(a[0] & 0x03, 0x02);
	{
		static const uint8_t want[6] = { 0x56, 0x24, 0x49, 0xaf, 0x26, 0xb3 };

		assert_memory_equal(a, want, 6);
	}
}

/* A rooted tree with etc/sriovctl/ under a temporary directory. */
static char tmpdir[PATH_MAX];

static void put(const char *rel, const char *text)
{
	tl_put(tmpdir, rel, text);
}

static void test_load_confd(void **state)
{
	struct sriov_ctx *ctx;
	struct sriov_policy *p;
	char err[256], path[PATH_MAX * 2], id[33];

	tl_mkdtemp(tmpdir, sizeof(tmpdir), "policy-test");
	assert_int_equal(sriov_ctx_new(tmpdir, &ctx), 0);
	assert_int_equal(sriov_policy_load(ctx, NULL, &p, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "no policy"));

	snprintf(path, sizeof(path), "%s/etc", tmpdir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/etc/sriovctl", tmpdir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/etc/sriovctl/conf.d", tmpdir);
	mkdir(path, 0755);
	put("etc/sriovctl/sriovctl.yaml", "pfs:\n  - match: {netdev: a}\n");
	put("etc/sriovctl/conf.d/20-c.yaml", "pfs:\n  - match: {netdev: c}\n");
	put("etc/sriovctl/conf.d/10-b.yaml", "pfs:\n  - match: {netdev: b}\n");
	put("etc/sriovctl/conf.d/.10-b.yaml.swp", "junk: [");
	put("etc/sriovctl/conf.d/README", "junk: [");
	put("etc/sriovctl/conf.d/30-d.yaml", "pfs:\n  - match: {netdev: a}\n");
	assert_int_equal(sriov_policy_load(ctx, NULL, &p, err, sizeof(err)), 0);
	assert_int_equal(p->files.n, 4);
	assert_string_equal(p->files.v[0], "/etc/sriovctl/sriovctl.yaml");
	assert_string_equal(p->files.v[1], "/etc/sriovctl/conf.d/10-b.yaml");
	assert_string_equal(p->files.v[3], "/etc/sriovctl/conf.d/30-d.yaml");
	assert_int_equal(p->n_pfs, 4);
	assert_string_equal(p->pfs[0].value, "a");
	assert_string_equal(p->pfs[1].value, "b");
	assert_string_equal(p->pfs[2].value, "c");
	/* merging is concatenation: a redefinition is an error, not an override */
	assert_int_equal(p->n_errors, 1);
	assert_string_equal(p->errors[0].loc.file, "/etc/sriovctl/conf.d/30-d.yaml");
	assert_non_null(strstr(p->errors[0].message, "already matched at /etc/sriovctl/sriovctl.yaml:2:21"));
	sriov_policy_free(p);

	/* conf.d alone is a policy */
	snprintf(path, sizeof(path), "%s/etc/sriovctl/sriovctl.yaml", tmpdir);
	unlink(path);
	assert_int_equal(sriov_policy_load(ctx, NULL, &p, err, sizeof(err)), 0);
	assert_int_equal(p->files.n, 3);
	assert_int_equal(p->n_errors, 0);
	sriov_policy_free(p);

	/* -f FILE is read as given, not under the root */
	snprintf(path, sizeof(path), "%s/etc/sriovctl/conf.d/10-b.yaml", tmpdir);
	assert_int_equal(sriov_policy_load(ctx, path, &p, err, sizeof(err)), 0);
	assert_int_equal(p->n_pfs, 1);
	assert_string_equal(p->files.v[0], path);
	sriov_policy_free(p);
	assert_int_equal(sriov_policy_load(ctx, "/nonexistent.yaml", &p, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "cannot open /nonexistent.yaml"));

	/* the machine id, under the root */
	assert_int_equal(sriov_policy_machine_id(ctx, id, sizeof(id)), -ENOENT);
	put("etc/machine-id", "0123456789abcdef0123456789abcdef\n");
	assert_int_equal(sriov_policy_machine_id(ctx, id, sizeof(id)), 0);
	assert_string_equal(id, "0123456789abcdef0123456789abcdef");
	put("etc/machine-id", "uninitialized\n");
	assert_int_equal(sriov_policy_machine_id(ctx, id, sizeof(id)), -EINVAL);
	sriov_ctx_free(ctx);

	tl_rm_rf(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_errors_top),
		cmocka_unit_test(test_errors_pf),
		cmocka_unit_test(test_errors_match),
		cmocka_unit_test(test_errors_vf),
		cmocka_unit_test(test_errors_ranges),
		cmocka_unit_test(test_errors_selector),
		cmocka_unit_test(test_errors_cross),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_all_errors),
		cmocka_unit_test(test_overlap_first_wins),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_mac_auto),
		cmocka_unit_test(test_load_confd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
