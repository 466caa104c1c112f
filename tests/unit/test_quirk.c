/* SPDX-License-Identifier: MIT */
/* The quirk file parser: every key, every bad value with its position. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sriov.h"

static struct sriov_quirks *parse(const char *text)
{
	struct sriov_quirks *q;

	assert_int_equal(sriov_quirks_new(&q), 0);
	assert_int_equal(sriov_quirks_parse(q, "t.yaml", text, strlen(text)), 0);
	return q;
}

/* The one error @text gives, "FILE:LINE:COLUMN: message", as @want, with
 * @kept entries left. */
static void error_kept(const char *text, const char *want, size_t kept)
{
	struct sriov_quirks *q = parse(text);
	char buf[1024];

	if (q->n_errors != 1) {
		for (size_t i = 0; i < q->n_errors; i++) {
			sriov_policy_error_format(&q->errors[i], buf, sizeof(buf));
			print_error("got: %s\n", buf);
		}
		fail_msg("%zu errors for:\n%s", q->n_errors, text);
	}
	sriov_policy_error_format(&q->errors[0], buf, sizeof(buf));
	assert_string_equal(buf, want);
	assert_int_equal(q->n, kept);
	sriov_quirks_free(q);
}

static void one_error(const char *text, const char *want)
{
	error_kept(text, want, 0);
}

#define HEAD "quirks:\n  - id: x.y\n    summary: s\n    source: src\n"

static void test_builtin(void **state)
{
	struct sriov_quirks *q = parse(sriov_quirks_builtin());
	char buf[512];
	unsigned max;
	struct sriov_pf pf = { .driver = (char *)"igb", .vendor_id = 0x8086, .device_id = 0x10c9 };
	const struct sriov_quirk *k;

	for (size_t i = 0; i < q->n_errors; i++) {
		sriov_policy_error_format(&q->errors[i], buf, sizeof(buf));
		print_error("%s\n", buf);
	}
	assert_int_equal(q->n_errors, 0);
	assert_true(q->n >= 18);
	/* every entry has its text, its source and an effect */
	for (size_t i = 0; i < q->n; i++) {
		assert_non_null(q->v[i].summary);
		assert_non_null(q->v[i].source);
		assert_true(q->v[i].effects != 0);
		assert_true(sriov_quirk_effects_format(&q->v[i], buf, sizeof(buf)) > 0);
	}
	k = sriov_quirks_max_vfs(q, &pf, &max);
	assert_non_null(k);
	assert_int_equal(max, 7);
	assert_string_equal(k->id, "igb.max-vfs");
	k = sriov_quirks_refusing(q, &pf, SRIOV_VF_ATTR_MIN_RATE);
	assert_non_null(k);
	assert_int_equal(k->refuse_errno[SRIOV_VF_ATTR_MIN_RATE], EINVAL);
	k = sriov_quirks_refusing(q, &pf, SRIOV_VF_ATTR_LINK_STATE);
	assert_non_null(k);
	assert_int_equal(k->refuse_errno[SRIOV_VF_ATTR_LINK_STATE], EOPNOTSUPP);
	assert_null(sriov_quirks_refusing(q, &pf, SRIOV_VF_ATTR_MAX_RATE));
	/* ice has a min rate (ice_set_vf_bw): not in the table */
	pf.driver = (char *)"ice";
	assert_null(sriov_quirks_refusing(q, &pf, SRIOV_VF_ATTR_MIN_RATE));
	assert_non_null(sriov_quirks_max_vfs(q, &pf, &max));
	assert_int_equal(max, 256);
	/* X552 by device id only */
	pf.driver = (char *)"ixgbe";
	pf.device_id = 0x10fb;
	assert_null(sriov_quirks_next(q, &pf, SRIOV_QUIRK_MODULE_PARAM, 0, NULL));
	pf.device_id = 0x15ad;
	k = sriov_quirks_next(q, &pf, SRIOV_QUIRK_MODULE_PARAM, 0, NULL);
	assert_non_null(k);
	assert_string_equal(k->module_param, "max_vfs");
	/* unbound: no driver quirk */
	pf.driver = NULL;
	assert_null(sriov_quirks_next(q, &pf, SRIOV_QUIRK__COUNT, 0, NULL));
	sriov_quirks_free(q);
}

static void test_every_key(void **state)
{
	struct sriov_quirks *q = parse(
		"quirks:\n"
		"  - id: all.keys\n"
		"    summary: every key\n"
		"    source: here\n"
		"    match: {driver: foo, vendor: \"15B3\", device: [1017, 101b]}\n"
		"    effects:\n"
		"      max_vfs: 12\n"
		"      refuses: [{attr: min_tx_rate, errno: EINVAL}, {attr: state, errno: EOPNOTSUPP}]\n"
		"      pf_up_first: true\n"
		"      vfs_by_module_param: num_vfs\n"
		"      firmware_vfs: run this\n"
		"      numvfs_pace_ms: 250\n"
		"      mac_change_reload: true\n"
		"      switchdev_unbind: true\n"
		"      trust_for: [multicast]\n");
	const struct sriov_quirk *k;
	char buf[512];

	for (size_t i = 0; i < q->n_errors; i++) {
		sriov_policy_error_format(&q->errors[i], buf, sizeof(buf));
		print_error("%s\n", buf);
	}
	assert_int_equal(q->n_errors, 0);
	assert_int_equal(q->n, 1);
	k = &q->v[0];
	assert_string_equal(k->id, "all.keys");
	assert_string_equal(k->driver, "foo");
	assert_int_equal(k->vendor_id, 0x15b3);
	assert_int_equal(k->n_device_ids, 2);
	assert_int_equal(k->device_ids[1], 0x101b);
	assert_int_equal(k->effects, (1u << SRIOV_QUIRK__COUNT) - 1);
	assert_int_equal(k->max_vfs, 12);
	assert_int_equal(k->refuses, (1u << SRIOV_VF_ATTR_MIN_RATE) | (1u << SRIOV_VF_ATTR_LINK_STATE));
	assert_string_equal(k->module_param, "num_vfs");
	assert_string_equal(k->remedy, "run this");
	assert_int_equal(k->pace_ms, 250);
	assert_int_equal(k->trust_for, SRIOV_QUIRK_TRUST_MULTICAST);
	assert_int_equal(k->loc.line, 2);
	assert_int_equal(k->loc.column, 5);
	sriov_quirk_effects_format(k, buf, sizeof(buf));
	assert_string_equal(buf, "at most 12 VFs; refuses min-rate (EINVAL); refuses link-state (EOPNOTSUPP); "
			    "the PF up before VFs are configured; VFs set by module parameter num_vfs=; "
			    "VF count set in firmware: run this; about 250 ms per VF created; "
			    "a VF MAC change needs the VF driver reloaded; switchdev needs every VF unbound; "
			    "all-multicast mode needs trust on");
	sriov_quirks_free(q);
}

static void test_bad_values(void **state)
{
	one_error("- a\n", "t.yaml:1:1: a quirk file is a mapping with quirks:, not a list");
	one_error("other: 1\n", "t.yaml:1:1: unknown key \"other\" (known: quirks)");
	one_error("quirks: 3\n", "t.yaml:1:9: quirks: expected a list of entries, got a plain value");
	one_error("quirks: [{id: a}]\n", "t.yaml:1:10: a quirk needs summary");
	one_error(HEAD "    effects: {max_vfs: 1}\n", "t.yaml:2:5: a quirk needs match");
	one_error(HEAD "    match: {driver: igb}\n", "t.yaml:2:5: a quirk needs effects");
	one_error(HEAD "    match: {driver: igb}\n    effects: {max_vfs: 1}\n    colour: red\n",
		  "t.yaml:7:5: unknown key \"colour\" (known: id, summary, source, match, effects)");
	one_error("quirks:\n  - id: Bad Id\n    summary: s\n    source: s\n    match: {driver: igb}\n    effects: {max_vfs: 1}\n",
		  "t.yaml:2:9: id: \"Bad Id\" is not an id (lower-case letters, digits, '.', '-', '_')");
	one_error(HEAD "    match: {driver: \"ig b\"}\n    effects: {max_vfs: 1}\n",
		  "t.yaml:5:21: match: driver: \"ig b\" is not a driver name");
	one_error(HEAD "    match: {vendor: 80861}\n    effects: {max_vfs: 1}\n",
		  "t.yaml:5:21: match: vendor: expected four hex digits (\"8086\"), got another value");
	one_error(HEAD "    match: {vendor: \"ffff\"}\n    effects: {max_vfs: 1}\n",
		  "t.yaml:5:21: match: vendor: ffff is not a PCI id");
	one_error(HEAD "    match: {device: \"1234\"}\n    effects: {max_vfs: 1}\n",
		  "t.yaml:5:12: match: device needs vendor");
	one_error(HEAD "    match: {}\n    effects: {max_vfs: 1}\n",
		  "t.yaml:5:12: match: give driver, vendor or device");
	one_error(HEAD "    match: {bus: pci}\n    effects: {max_vfs: 1}\n",
		  "t.yaml:5:13: match: unknown key \"bus\" (known: driver, vendor, device)");
	one_error(HEAD "    match: {driver: igb}\n    effects: {}\n",
		  "t.yaml:6:14: effects: give at least one");
	one_error(HEAD "    match: {driver: igb}\n    effects: {max_vfs: 70000}\n",
		  "t.yaml:6:24: max_vfs: 70000 is out of range 0..65535");
	one_error(HEAD "    match: {driver: igb}\n    effects: {speed: 1}\n",
		  "t.yaml:6:15: effects: unknown key \"speed\" (known: max_vfs, refuses, pf_up_first, vfs_by_module_param, firmware_vfs, numvfs_pace_ms, mac_change_reload, switchdev_unbind, trust_for)");
	one_error(HEAD "    match: {driver: igb}\n    effects: {refuses: [{attr: colour, errno: EINVAL}]}\n",
		  "t.yaml:6:32: refuses: attr: \"colour\" is not a VF attribute (`sriovctl vf --help` lists them)");
	one_error(HEAD "    match: {driver: igb}\n    effects: {refuses: [{attr: mtu, errno: EINVAL}]}\n",
		  "t.yaml:6:32: refuses: attr: mtu is not set through the PF");
	one_error(HEAD "    match: {driver: igb}\n    effects: {refuses: [{attr: mac, errno: ENOSPC}]}\n",
		  "t.yaml:6:44: refuses: errno: expected EINVAL, EOPNOTSUPP, EPERM, EBUSY, EAGAIN, ERANGE, ENODEV or EIO, got \"ENOSPC\"");
	one_error(HEAD "    match: {driver: igb}\n    effects: {refuses: [{attr: mac}]}\n",
		  "t.yaml:6:25: refuses: give attr and errno");
	one_error(HEAD "    match: {driver: igb}\n    effects: {refuses: [{attr: mac, errno: EIO}, {attr: mac, errno: EIO}]}\n",
		  "t.yaml:6:50: refuses: mac is listed twice");
	one_error(HEAD "    match: {driver: igb}\n    effects: {refuses: []}\n",
		  "t.yaml:6:24: refuses: the list is empty");
	one_error(HEAD "    match: {driver: igb}\n    effects: {pf_up_first: false}\n",
		  "t.yaml:6:28: pf_up_first: false is the default: leave the key out");
	one_error(HEAD "    match: {driver: igb}\n    effects: {numvfs_pace_ms: 0}\n",
		  "t.yaml:6:31: numvfs_pace_ms: 0 is out of range 1..60000");
	one_error(HEAD "    match: {driver: igb}\n    effects: {trust_for: [promisc, vlan]}\n",
		  "t.yaml:6:36: trust_for: expected promisc or multicast, got \"vlan\"");
	one_error(HEAD "    match: {driver: igb}\n    effects: {firmware_vfs: \"a\\nb\"}\n",
		  "t.yaml:6:29: firmware_vfs: must be one line");
	error_kept(HEAD "    match: {driver: igb}\n    effects: {max_vfs: 1}\n"
		  "  - id: x.y\n    summary: s\n    source: src\n    match: {driver: igb}\n    effects: {max_vfs: 2}\n",
		  "t.yaml:7:5: id \"x.y\" is used twice in this file", 1);
	one_error("quirks: [\n", "t.yaml:2:1: YAML: did not find expected node content while parsing a flow node");
	one_error("quirks: []\n---\nquirks: []\n", "t.yaml:3:1: a quirk file holds one YAML document");
}

static void test_override(void **state)
{
	struct sriov_quirks *q = parse(sriov_quirks_builtin());
	const char *over =
		"quirks:\n"
		"  - id: igb.max-vfs\n    summary: site firmware allows 4\n    source: our lab\n"
		"    match: {driver: igb}\n    effects: {max_vfs: 4}\n"
		"  - id: site.new\n    summary: new\n    source: us\n"
		"    match: {vendor: \"1af4\"}\n    effects: {pf_up_first: true}\n";
	size_t n = q->n;
	struct sriov_pf pf = { .driver = (char *)"igb", .vendor_id = 0x8086 };
	unsigned max;

	assert_int_equal(sriov_quirks_parse(q, "/etc/sriovctl/quirks.d/site.yaml", over, strlen(over)), 0);
	assert_int_equal(q->n_errors, 0);
	assert_int_equal(q->n, n + 1);
	assert_string_equal(sriov_quirks_max_vfs(q, &pf, &max)->source, "our lab");
	assert_int_equal(max, 4);
	assert_string_equal(q->v[n].id, "site.new");
	assert_string_equal(q->v[n].loc.file, "/etc/sriovctl/quirks.d/site.yaml");
	sriov_quirks_free(q);
}

static void test_limits(void **state)
{
	struct sriov_quirks *q;
	size_t len = SRIOV_QUIRK_FILE_MAX + 1;
	char *big = malloc(len + 1);
	char buf[256];

	assert_non_null(big);
	memset(big, '#', len);
	big[len] = '\0';
	assert_int_equal(sriov_quirks_new(&q), 0);
	assert_int_equal(sriov_quirks_parse(q, "big.yaml", big, len), 0);
	assert_int_equal(q->n_errors, 1);
	sriov_policy_error_format(&q->errors[0], buf, sizeof(buf));
	assert_string_equal(buf, "big.yaml:1:1: larger than 1048576 bytes");
	sriov_quirks_free(q);
	free(big);
	/* too deep */
	q = parse("quirks: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n");
	assert_int_equal(q->n_errors, 1);
	assert_int_equal(q->n, 0);
	sriov_quirks_free(q);
	/* aliases refused */
	q = parse("quirks:\n  - &a {id: a.b, summary: s, source: s, match: {driver: x}, effects: {max_vfs: 1}}\n  - *a\n");
	assert_true(q->n_errors >= 1);
	sriov_quirks_free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin),
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_override),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
