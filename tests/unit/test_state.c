/* SPDX-License-Identifier: MIT */
/* Saved state: capture, JSON round trip, strict parsing, restore plans. */
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

static struct sriov_vf vfs[] = {
	{ .index = 0, .address = "0000:3b:01.0", .driver = "iavf",
	  .link = { .present = true, .source = SRIOV_VF_LINK_SRC_NETLINK, .mac = "02:00:00:00:00:01", .vlan = 100,
		    .qos = 3, .vlan_proto = 0x88a8, .max_tx_rate = 50,
		    .spoofchk = 1, .trust = 0, .query_rss = -1,
		    .link_state = 0 } },
	{ .index = 1, .address = "0000:3b:01.1", .driver = "vfio-pci",
	  .driver_override = "vfio-pci",
	  .link = { .present = true, .source = SRIOV_VF_LINK_SRC_NETLINK, .mac = "00:00:00:00:00:00",
		    .vlan_proto = 0x8100, .spoofchk = 1, .trust = 0,
		    .query_rss = -1, .link_state = 0 } },
};
static struct sriov_netdev nd[] = { { .name = "ens1f0", .ifindex = 4 } };
static struct sriov_pf pfs[] = {
	{ .address = "0000:3b:00.0", .bus = "pci", .vendor_id = 0x8086,
	  .device_id = 0x1592, .netdevs = nd, .n_netdevs = 1, .total_vfs = 64,
	  .num_vfs = 2, .drivers_autoprobe = true, .vfs = vfs, .n_vfs = 2 },
};
static const struct sriov_host host = { .root = "/", .pfs = pfs, .n_pfs = 1 };

static char *to_json(const struct sriov_state *st)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(sriov_state_write(st, false, f), 0);
	fclose(f);
	return buf;
}

static void test_round_trip(void **state)
{
	struct sriov_state *st, *back;
	char err[256], *json, *json2;

	(void)state;
	assert_int_equal(sriov_state_capture(&host, NULL, 0, &st), 0);
	assert_int_equal(st->n_pfs, 1);
	json = to_json(st);
	assert_non_null(strstr(json, "{\"schema\":\"sriovctl.state/v1\","));
	assert_int_equal(sriov_state_parse(json, strlen(json), &back, err,
					   sizeof(err)), 0);
	assert_int_equal(back->pfs[0].num_vfs, 2);
	assert_int_equal(back->pfs[0].vendor_id, 0x8086);
	assert_int_equal(back->pfs[0].n_vfs, 2);
	assert_string_equal(back->pfs[0].vfs[1].driver_override, "vfio-pci");
	assert_int_equal(back->pfs[0].vfs[0].link.vlan_proto, 0x88a8);
	assert_int_equal(back->pfs[0].vfs[0].link.max_tx_rate, 50);
	assert_int_equal(back->pfs[0].vfs[0].link.query_rss, -1);
	json2 = to_json(back);
	assert_string_equal(json, json2);
	free(json);
	free(json2);
	sriov_state_free(st);
	sriov_state_free(back);
}

static void rejects(const char *json, const char *needle)
{
	struct sriov_state *st = (void *)1;
	char err[256];

	assert_int_equal(sriov_state_parse(json, strlen(json), &st, err,
					   sizeof(err)), -EINVAL);
	assert_null(st);
	if (!strstr(err, needle))
		fail_msg("'%s': message '%s' lacks '%s'", json, err, needle);
}

#define PF(rest) "{\"schema\":\"sriovctl.state/v1\",\"pfs\":[{\"address\":\"0000:3b:00.0\",\"num_vfs\":2" rest "}]}"

static void test_parse_errors(void **state)
{
	(void)state;
	rejects("", "not valid JSON");
	rejects("{\"schema\":\"sriovctl.state/v1\",\"pfs\":[]} x",
		"not valid JSON at line 1, column 41 (byte 40)");
	rejects("{\"schema\":\n \"sriovctl.state/v1\",\n  ]", "not valid JSON at line 3, column 3 (byte");
	rejects("{\"schema\":\"sriovctl.state/v1\",\"\x01pfs\":[]}", "?pfs: unknown key");
	rejects("[]", "expected a JSON object");
	rejects("{\"schema\":\"sriovctl.inventory/v1\",\"pfs\":[]}", "is not sriovctl.state/v1");
	rejects("{\"schema\":\"sriovctl.state/v1\"}", "pfs: missing");
	rejects("{\"schema\":\"sriovctl.state/v1\",\"pfs\":[],\"x\":1}", "x: unknown key");
	rejects("{\"schema\":\"sriovctl.state/v1\",\"pfs\":[{\"address\":\"3b:00.0\",\"num_vfs\":1}]}",
		"pfs[0].address: '3b:00.0' is not a PCI address");
	rejects(PF(",\"num_vfs\":70000"), "num_vfs");
	rejects("{\"schema\":\"sriovctl.state/v1\",\"pfs\":[{\"address\":\"0000:3b:00.0\",\"num_vfs\":\"2\"}]}",
		"pfs[0].num_vfs: expected int, got string");
	rejects(PF(",\"vfs\":[{\"index\":2}]"), "pfs[0].vfs[0].index: 2 is not below the PF's num_vfs 2");
	rejects(PF(",\"vfs\":[{\"index\":1},{\"index\":1}]"), "pfs[0].vfs[1].index: VF 1 is listed twice");
	rejects(PF(",\"vfs\":[{\"index\":0,\"link\":{\"vlan\":4095}}]"),
		"pfs[0].vfs[0].link.vlan: 4095 is out of range 0..4094");
	rejects(PF(",\"vfs\":[{\"index\":0,\"link\":{\"qos\":8}}]"), "link.qos: 8 is out of range 0..7");
	rejects(PF(",\"vfs\":[{\"index\":0,\"link\":{\"mac\":\"01:00:5e:00:00:01\"}}]"), "multicast");
	rejects(PF(",\"vfs\":[{\"index\":0,\"link\":{\"mac\":\"02:00:00\"}}]"), "is not a MAC address");
	rejects(PF(",\"vfs\":[{\"index\":0,\"link\":{\"min_tx_rate\":9,\"max_tx_rate\":5}}]"),
		"min_tx_rate: 9 is above max_tx_rate 5");
	rejects(PF(",\"vfs\":[{\"index\":0,\"link\":{\"link_state\":\"up\"}}]"), "use auto, enable or disable");
	rejects(PF(",\"vfs\":[{\"index\":0,\"link\":{\"colour\":1}}]"), "link.colour: unknown key");
	rejects(PF(",\"vfs\":[{\"index\":0,\"driver\":\"../x\"}]"), "is not a driver name");
	rejects(PF(",\"vendor_id\":\"80861\""), "vendor_id: '80861' is not a 4-digit hex id");
	rejects("{\"schema\":\"sriovctl.state/v1\",\"pfs\":[{\"address\":\"0000:3b:00.0\",\"num_vfs\":1},{\"address\":\"0000:3b:00.0\",\"num_vfs\":1}]}",
		"pfs[1].address: PF 0000:3b:00.0 is listed twice");
	/* nesting beyond a state file's, more VFs than the count allows */
	rejects("{\"schema\":\"sriovctl.state/v1\",\"pfs\":[[[[[[[[[[]]]]]]]]]]}",
		"not valid JSON at line 1, column 44 (byte 43): nested deeper than a state file (8 levels)");
	rejects(PF(",\"vfs\":[{\"index\":0},{\"index\":1},{\"index\":0}]"),
		"pfs[0].vfs[2].index: VF 0 is listed twice");
	rejects(PF(",\"num_vfs\":3,\"vfs\":[{\"index\":2},{\"index\":0},{\"index\":2}]"),
		"pfs[0].vfs[2].index: VF 2 is listed twice");
}

/* @head, then @fmt printed for 0..n-1 (with its separator), then @tail. */
#define build(head, fmt, n, tail) ({ \
	size_t cap_ = strlen(head) + strlen(tail) + (n) * (strlen(fmt) + 16) + 1, len_; \
	char *s_ = malloc(cap_); \
	assert_non_null(s_); \
	len_ = (size_t)sprintf(s_, "%s", head); \
	for (size_t i_ = 0; i_ < (n); i_++) \
		len_ += (size_t)sprintf(s_ + len_, fmt, i_ ? "," : "", i_); \
	strcpy(s_ + len_, tail); \
	s_; })

/* The most a state file can hold: 65535 VFs of a PF, 4096 PFs. */
static void test_parse_limits(void **state)
{
	struct sriov_state *st;
	char err[256], *json;

	(void)state;
	json = build("{\"schema\":\"sriovctl.state/v1\",\"pfs\":[{\"address\":\"0000:3b:00.0\","
		     "\"num_vfs\":65535,\"vfs\":[", "%s{\"index\":%zu,\"driver\":\"iavf\"}", 65535,
		     "]}]}");
	if (sriov_state_parse(json, strlen(json), &st, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(st->pfs[0].n_vfs, 65535);
	assert_int_equal(st->pfs[0].vfs[65534].index, 65534);
	sriov_state_free(st);
	free(json);
	/* the last of them listed twice: found */
	json = build("{\"schema\":\"sriovctl.state/v1\",\"pfs\":[{\"address\":\"0000:3b:00.0\","
		     "\"num_vfs\":65535,\"vfs\":[", "%s{\"index\":%zu}", 65534,
		     ",{\"index\":65533}]}]}");
	rejects(json, "pfs[0].vfs[65534].index: VF 65533 is listed twice");
	free(json);
	/* 256 PFs, then one twice */
	json = build("{\"schema\":\"sriovctl.state/v1\",\"pfs\":[",
		     "%s{\"address\":\"0000:%02zx:00.0\",\"num_vfs\":0}", 255,
		     ",{\"address\":\"0000:ff:00.0\",\"num_vfs\":0}]}");
	if (sriov_state_parse(json, strlen(json), &st, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(st->n_pfs, 256);
	sriov_state_free(st);
	free(json);
	json = build("{\"schema\":\"sriovctl.state/v1\",\"pfs\":[",
		     "%s{\"address\":\"0001:00:%02zx.0\",\"num_vfs\":0}", 32,
		     ",{\"address\":\"0001:00:1f.0\",\"num_vfs\":0}]}");
	rejects(json, "pfs[32].address: PF 0001:00:1f.0 is listed twice");
	free(json);
	json = build("{\"schema\":\"sriovctl.state/v1\",\"pfs\":[",
		     "%s{\"address\":\"0000:00:00.%zu\",\"num_vfs\":0}", 4097, "]}");
	rejects(json, "pfs: 4097 entries; a state file holds at most 4096 PFs");
	free(json);
}

static void lines(const struct sriov_plan *plan, const char *want)
{
	char buf[4096] = "", line[256];

	for (size_t i = 0; i < plan->n; i++)
		for (size_t j = 0; sriov_step_describe(&plan->v[i], j, line,
						       sizeof(line)) == 0; j++) {
			strcat(buf, line);
			strcat(buf, "\n");
		}
	assert_string_equal(buf, want);
}

static struct sriov_state *parse(const char *json)
{
	struct sriov_state *st;
	char err[256];

	if (sriov_state_parse(json, strlen(json), &st, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	return st;
}

static void test_plan_nothing_to_do(void **state)
{
	struct sriov_state *st;
	struct sriov_plan plan;
	char err[256];

	(void)state;
	assert_int_equal(sriov_state_capture(&host, NULL, 0, &st), 0);
	assert_int_equal(sriov_restore_plan(&host, st, &plan, err, sizeof(err)), 0);
	assert_int_equal(plan.n, 0);
	sriov_plan_clear(&plan);
	sriov_state_free(st);
}

static void test_plan_changes(void **state)
{
	struct sriov_state *st;
	struct sriov_plan plan;
	char err[256];

	(void)state;
	/* Same count: only what differs, VF attributes before drivers. */
	st = parse(PF(",\"vendor_id\":\"8086\",\"device_id\":\"1592\",\"drivers_autoprobe\":true,"
		      "\"vfs\":[{\"index\":0,\"driver\":\"iavf\",\"link\":{\"mac\":\"02:00:00:00:00:01\","
		      "\"vlan\":7,\"qos\":0,\"vlan_protocol\":\"802.1Q\",\"min_tx_rate\":0,\"max_tx_rate\":50,"
		      "\"spoofchk\":false,\"trust\":false,\"link_state\":\"disable\"}},"
		      "{\"index\":1,\"driver\":null}]"));
	assert_int_equal(sriov_restore_plan(&host, st, &plan, err, sizeof(err)), 0);
	lines(&plan,
	      "ens1f0/vf0 vlan: 100 qos 3 proto 802.1ad -> 7\n"
	      "ens1f0/vf0 spoofchk: on -> off\n"
	      "ens1f0/vf0 link-state: auto -> disable\n"
	      "ens1f0/vf1 driver: vfio-pci -> none\n");
	assert_int_equal(plan.v[0].settings.v[0].vlan_proto, 0x8100);
	sriov_plan_clear(&plan);
	sriov_state_free(st);

	/* Another count: through 0, every saved attribute, drivers rechecked. */
	st = parse(PF(",\"num_vfs\":4,\"drivers_autoprobe\":false,"
		      "\"vfs\":[{\"index\":3,\"driver\":\"vfio-pci\",\"driver_override\":\"vfio-pci\","
		      "\"link\":{\"mac\":\"02:00:00:00:00:09\",\"vlan\":0,\"max_tx_rate\":0,\"trust\":true}},"
		      "{\"index\":0,\"driver\":null,\"link\":{\"mac\":\"00:00:00:00:00:00\"}}]"));
	assert_int_equal(sriov_restore_plan(&host, st, &plan, err, sizeof(err)), 0);
	lines(&plan,
	      "ens1f0 num_vfs: 2 -> 4 (through 0)\n"
	      "ens1f0 drivers_autoprobe: on -> off\n"
	      "ens1f0/vf3 mac: ? -> 02:00:00:00:00:09\n"
	      "ens1f0/vf3 trust: ? -> on\n"
	      "ens1f0/vf3 driver: (re-created) -> vfio-pci\n");
	sriov_plan_clear(&plan);
	sriov_state_free(st);
}

static void test_plan_refusals(void **state)
{
	struct sriov_state *st;
	struct sriov_plan plan;
	char err[256];

	(void)state;
	st = parse("{\"schema\":\"sriovctl.state/v1\",\"pfs\":[{\"address\":\"0000:5e:00.0\",\"netdev\":\"ens9\",\"num_vfs\":1}]}");
	assert_int_equal(sriov_restore_plan(&host, st, &plan, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "PF 0000:5e:00.0 (ens9) is in the state file but not on this host"));
	assert_int_equal(plan.n, 0);
	sriov_state_free(st);

	st = parse(PF(",\"vendor_id\":\"15b3\",\"device_id\":\"101d\""));
	assert_int_equal(sriov_restore_plan(&host, st, &plan, err, sizeof(err)), -EMEDIUMTYPE);
	assert_non_null(strstr(err, "was a 15b3:101d when saved and is a 8086:1592 now"));
	sriov_state_free(st);

	st = parse("{\"schema\":\"sriovctl.state/v1\",\"pfs\":[{\"address\":\"0000:3b:00.0\",\"num_vfs\":65}]}");
	assert_int_equal(sriov_restore_plan(&host, st, &plan, err, sizeof(err)), -ERANGE);
	assert_non_null(strstr(err, "at most 64"));
	sriov_state_free(st);
}

static void test_settings_diff(void **state)
{
	struct sriov_vf_link want = { .present = true, .mac = "02:00:00:00:00:01",
				      .vlan_proto = 0x8100, .spoofchk = -1,
				      .trust = -1, .query_rss = 1,
				      .link_state = -1 };
	struct sriov_vf_link cur = want;
	struct sriov_vf_settings s;

	(void)state;
	cur.vlan_proto = 0;       /* not reported: 802.1Q */
	assert_int_equal(sriov_vf_settings_diff(&want, &cur, &s), 0);
	assert_int_equal(s.n, 0);
	sriov_vf_settings_clear(&s);

	cur.min_tx_rate = 10;     /* rates travel as a pair */
	assert_int_equal(sriov_vf_settings_diff(&want, &cur, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.v[0].attr, SRIOV_VF_ATTR_MIN_RATE);
	assert_int_equal(s.v[0].value, 0);
	assert_int_equal(s.v[1].attr, SRIOV_VF_ATTR_MAX_RATE);
	sriov_vf_settings_clear(&s);

	/* Unknown current: set what differs from a new VF's defaults. */
	assert_int_equal(sriov_vf_settings_diff(&want, NULL, &s), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.v[0].text, "mac 02:00:00:00:00:01");
	assert_string_equal(s.v[1].text, "query-rss on");
	sriov_vf_settings_clear(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_limits),
		cmocka_unit_test(test_plan_nothing_to_do),
		cmocka_unit_test(test_plan_changes),
		cmocka_unit_test(test_plan_refusals),
		cmocka_unit_test(test_settings_diff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
