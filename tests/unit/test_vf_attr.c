/* SPDX-License-Identifier: MIT */
/*
 * The VF attribute table: every attribute has its spellings and a value
 * form, every spelling finds it, every alias of a value parses to the same
 * value, out-of-range values are refused, and the canonical form parses
 * back to the value it came from.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>

#include "sriov.h"

static void test_every_attribute(void **state)
{
	(void)state;
	for (int a = 0; a < SRIOV_VF_ATTR__COUNT; a++) {
		const struct sriov_vf_attr_info *t = sriov_vf_attr_info(a);

		assert_non_null(t);
		assert_int_equal(t->attr, a);
		assert_non_null(t->name);
		assert_non_null(t->key);
		assert_non_null(t->json);
		assert_non_null(t->values);
		assert_string_equal(sriov_vf_attr_key(a), t->key);
		/* each spelling finds this attribute, in either case and dash */
		assert_ptr_equal(sriov_vf_attr_lookup(t->name), t);
		assert_ptr_equal(sriov_vf_attr_lookup(t->key), t);
		assert_ptr_equal(sriov_vf_attr_lookup(t->json), t);
		if (t->ip)
			assert_ptr_equal(sriov_vf_attr_lookup(t->ip), t);
		for (size_t i = 0; t->aliases[i]; i++)
			assert_ptr_equal(sriov_vf_attr_lookup(t->aliases[i]), t);
		/* link attributes have their rtnetlink attribute */
		assert_int_equal(t->nla_type != 0, (SRIOV_VF_ATTRS_LINK >> a) & 1);
	}
	assert_null(sriov_vf_attr_info(-1));
	assert_null(sriov_vf_attr_info(SRIOV_VF_ATTR__COUNT));
	assert_null(sriov_vf_attr_lookup("colour"));
	assert_null(sriov_vf_attr_lookup(""));
	assert_null(sriov_vf_attr_lookup("max-rat"));
}

static void test_spellings(void **state)
{
	static const struct { const char *s; int a; } v[] = {
		{ "max-rate", SRIOV_VF_ATTR_MAX_RATE }, { "max_tx_rate", SRIOV_VF_ATTR_MAX_RATE },
		{ "max-tx-rate", SRIOV_VF_ATTR_MAX_RATE }, { "rate", SRIOV_VF_ATTR_MAX_RATE },
		{ "min_tx_rate", SRIOV_VF_ATTR_MIN_RATE }, { "MIN-RATE", SRIOV_VF_ATTR_MIN_RATE },
		{ "state", SRIOV_VF_ATTR_LINK_STATE }, { "link_state", SRIOV_VF_ATTR_LINK_STATE },
		{ "LinkState", SRIOV_VF_ATTR_LINK_STATE }, { "proto", SRIOV_VF_ATTR_VLAN_PROTO },
		{ "vlan_proto", SRIOV_VF_ATTR_VLAN_PROTO }, { "vlan_protocol", SRIOV_VF_ATTR_VLAN_PROTO },
		{ "query_rss", SRIOV_VF_ATTR_QUERY_RSS }, { "query-rss", SRIOV_VF_ATTR_QUERY_RSS },
		{ "MACSpoofCheck", SRIOV_VF_ATTR_SPOOFCHK }, { "vlanQoS", SRIOV_VF_ATTR_QOS },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		const struct sriov_vf_attr_info *t = sriov_vf_attr_lookup(v[i].s);

		if (!t || (int)t->attr != v[i].a)
			fail_msg("'%s' does not name attribute %d", v[i].s, v[i].a);
	}
}

/* Every spelling in @forms parses to the value of the first. */
static void same_value(int a, const char *const *forms)
{
	struct sriov_vf_attr_value want, got;
	char err[256];

	assert_int_equal(sriov_vf_attr_parse(a, forms[0], &want, err, sizeof(err)), 0);
	for (size_t i = 1; forms[i]; i++) {
		if (sriov_vf_attr_parse(a, forms[i], &got, err, sizeof(err)) != 0)
			fail_msg("'%s': %s", forms[i], err);
		assert_int_equal(got.u, want.u);
		assert_memory_equal(got.mac, want.mac, 6);
	}
}

static void test_value_aliases(void **state)
{
	struct sriov_vf_attr_value v;

	(void)state;
	same_value(SRIOV_VF_ATTR_TRUST, (const char *const[]){ "on", "true", "yes", "1", "ON", "True", NULL });
	same_value(SRIOV_VF_ATTR_SPOOFCHK, (const char *const[]){ "off", "false", "no", "0", "Off", NULL });
	same_value(SRIOV_VF_ATTR_LINK_STATE, (const char *const[]){ "disable", "Disable", "DISABLE", NULL });
	same_value(SRIOV_VF_ATTR_VLAN_PROTO, (const char *const[]){ "802.1ad", "802.1AD", NULL });
	same_value(SRIOV_VF_ATTR_MAC, (const char *const[]){ "02:0a:00:00:00:01", "2:a:0:0:0:1", "02:0A:00:00:00:01", NULL });
	assert_int_equal(sriov_vf_attr_parse(SRIOV_VF_ATTR_TRUST, "yes", &v, NULL, 0), 0);
	assert_int_equal(v.u, 1);
	assert_int_equal(sriov_vf_attr_parse(SRIOV_VF_ATTR_LINK_STATE, "enable", &v, NULL, 0), 0);
	assert_int_equal(v.u, IFLA_VF_LINK_STATE_ENABLE);
	assert_int_equal(sriov_vf_attr_parse(SRIOV_VF_ATTR_VLAN_PROTO, "802.1Q", &v, NULL, 0), 0);
	assert_int_equal(v.u, ETH_P_8021Q);
}

static void refused(int a, const char *s, int code, const char *msg)
{
	struct sriov_vf_attr_value v;
	char err[256];

	assert_int_equal(sriov_vf_attr_parse(a, s, &v, err, sizeof(err)), code);
	if (strcmp(err, msg) != 0)
		fail_msg("'%s': message '%s', not '%s'", s, err, msg);
}

static void test_refused(void **state)
{
	(void)state;
	refused(SRIOV_VF_ATTR_VLAN, "4095", -ERANGE, "4095 is out of range 0..4094");
	refused(SRIOV_VF_ATTR_VLAN, "99999999999999999999", -ERANGE,
		"99999999999999999999 is out of range 0..4094");
	refused(SRIOV_VF_ATTR_VLAN, "-1", -EINVAL,
		"expected a VLAN id 0..4094 (0 removes the VLAN; 4095 is reserved), got \"-1\"");
	refused(SRIOV_VF_ATTR_QOS, "8", -ERANGE, "8 is out of range 0..7");
	refused(SRIOV_VF_ATTR_MAX_RATE, "4294967296", -ERANGE, "4294967296 is out of range 0..4294967295");
	refused(SRIOV_VF_ATTR_MIN_RATE, "1e3", -EINVAL,
		"expected a whole number of Mb/s, 0 for none, got \"1e3\"");
	refused(SRIOV_VF_ATTR_MTU, "67", -ERANGE, "67 is out of range 68..65535");
	refused(SRIOV_VF_ATTR_TRUST, "maybe", -EINVAL,
		"expected on or off (or true/false, yes/no, 1/0), got \"maybe\"");
	refused(SRIOV_VF_ATTR_LINK_STATE, "up", -EINVAL, "expected auto, enable or disable, got \"up\"");
	refused(SRIOV_VF_ATTR_VLAN_PROTO, "0x8100", -EINVAL, "expected 802.1Q or 802.1ad, got \"0x8100\"");
	refused(SRIOV_VF_ATTR_MAC, "01:00:5e:00:00:01", -ERANGE,
		"01:00:5e:00:00:01 is a multicast address; a VF needs a unicast one");
	refused(SRIOV_VF_ATTR_MAC, "0:0:0:0:0:0", -ERANGE,
		"0:0:0:0:0:0 is all zeros: write 00:00:00:00:00:00 to clear the VF's MAC");
	refused(SRIOV_VF_ATTR_MAC, "02:00:00:00:00:001", -EINVAL,
		"\"02:00:00:00:00:001\" is not a MAC address: give six octets, e.g. 02:00:00:00:00:01");
	refused(SRIOV_VF_ATTR_MAC, "02:00:00:00:00:", -EINVAL,
		"\"02:00:00:00:00:\" is not a MAC address: give six octets, e.g. 02:00:00:00:00:01");
	refused(SRIOV_VF_ATTR_DRIVER, ".hidden", -EINVAL,
		"\".hidden\" is not a kernel driver name (letters, digits, '_', '-' and '.', first a letter or digit)");
	refused(SRIOV_VF_ATTR_DRIVER, "a/b", -EINVAL,
		"\"a/b\" is not a kernel driver name (letters, digits, '_', '-' and '.', first a letter or digit)");
}

/* The canonical form parses back to the value it came from. */
static void test_round_trip(void **state)
{
	static const struct { int a; const char *in, *out; } v[] = {
		{ SRIOV_VF_ATTR_MAC, "2:AA:0:0:0:1", "02:aa:00:00:00:01" },
		{ SRIOV_VF_ATTR_MAC, "00:00:00:00:00:00", "00:00:00:00:00:00" },
		{ SRIOV_VF_ATTR_VLAN, "4094", "4094" },
		{ SRIOV_VF_ATTR_QOS, "0", "0" },
		{ SRIOV_VF_ATTR_VLAN_PROTO, "802.1AD", "802.1ad" },
		{ SRIOV_VF_ATTR_VLAN_PROTO, "802.1q", "802.1Q" },
		{ SRIOV_VF_ATTR_SPOOFCHK, "yes", "on" },
		{ SRIOV_VF_ATTR_TRUST, "false", "off" },
		{ SRIOV_VF_ATTR_QUERY_RSS, "1", "on" },
		{ SRIOV_VF_ATTR_MIN_RATE, "0", "0" },
		{ SRIOV_VF_ATTR_MAX_RATE, "4294967295", "4294967295" },
		{ SRIOV_VF_ATTR_LINK_STATE, "Auto", "auto" },
		{ SRIOV_VF_ATTR_MTU, "9000", "9000" },
		{ SRIOV_VF_ATTR_DRIVER, "mlx5_core", "mlx5_core" },
		{ SRIOV_VF_ATTR_DRIVER, "vfio-pci", "vfio-pci" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct sriov_vf_attr_value a, b;
		char buf[64], again[64];

		assert_int_equal(sriov_vf_attr_parse(v[i].a, v[i].in, &a, NULL, 0), 0);
		assert_int_equal(sriov_vf_attr_format(v[i].a, &a, buf, sizeof(buf)), 0);
		assert_string_equal(buf, v[i].out);
		assert_int_equal(sriov_vf_attr_parse(v[i].a, buf, &b, NULL, 0), 0);
		assert_int_equal(sriov_vf_attr_format(v[i].a, &b, again, sizeof(again)), 0);
		assert_string_equal(again, buf);
		assert_int_equal(a.u, b.u);
		assert_memory_equal(a.mac, b.mac, 6);
	}
	assert_string_equal(sriov_vf_link_state_name(SRIOV_VF_LINK_ENABLE), "enable");
	assert_null(sriov_vf_link_state_name(3));
	assert_string_equal(sriov_vf_vlan_proto_name(ETH_P_8021AD), "802.1ad");
	assert_null(sriov_vf_vlan_proto_name(0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_attribute),
		cmocka_unit_test(test_spellings),
		cmocka_unit_test(test_value_aliases),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
