/* SPDX-License-Identifier: MIT */
/*
 * `vf VF set`: the RTM_SETLINK messages walked back with libmnl, the rate
 * merge, every validation error, and the ack parser on crafted acks.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "net/rtnl.h"
#include "net/vfset.h"
#include "ops/vf_request.h"

static char buf[8192];

/* The single attribute inside IFLA_VFINFO_LIST > IFLA_VF_INFO. */
static const struct nlattr *only_vf_attr(const struct nlmsghdr *nlh)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a, *list = NULL, *info = NULL, *inner = NULL;
	int n = 0;

	assert_int_equal(nlh->nlmsg_type, RTM_SETLINK);
	assert_int_equal(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	assert_int_equal(nlh->nlmsg_seq, 42);
	assert_int_equal(ifi->ifi_index, 9);
	mnl_attr_for_each(a, nlh, sizeof(*ifi)) {
		n++;
		list = a;
	}
	assert_int_equal(n, 1);
	assert_int_equal(mnl_attr_get_type(list), IFLA_VFINFO_LIST);
	n = 0;
	mnl_attr_for_each_nested(a, list) {
		n++;
		info = a;
	}
	assert_int_equal(n, 1);
	assert_int_equal(mnl_attr_get_type(info), IFLA_VF_INFO);
	n = 0;
	mnl_attr_for_each_nested(a, info) {
		n++;
		inner = a;
	}
	assert_int_equal(n, 1);
	return inner;
}

static const void *build_one(const struct vfset_req *req, int type,
			     size_t size)
{
	struct nlmsghdr *nlh = vfset_build(buf, 42, 9, 3, req);
	const struct nlattr *a;

	assert_non_null(nlh);
	a = only_vf_attr(nlh);
	assert_int_equal(mnl_attr_get_type(a), type);
	assert_int_equal(mnl_attr_get_payload_len(a), size);
	return mnl_attr_get_payload(a);
}

static void test_build_mac(void **state)
{
	struct vfset_req req = { .type = IFLA_VF_MAC,
				 .mac = { 2, 0xaa, 0, 0, 0, 1 } };
	const struct ifla_vf_mac *m = build_one(&req, IFLA_VF_MAC, sizeof(*m));
	static const uint8_t want[6] = { 2, 0xaa, 0, 0, 0, 1 };

	(void)state;
	assert_int_equal(m->vf, 3);
	assert_memory_equal(m->mac, want, 6);
}

static void test_build_vlan_8021q(void **state)
{
	struct vfset_req req = { .type = IFLA_VF_VLAN, .vlan = 100, .qos = 3,
				 .vlan_proto = 0x8100 };
	const struct ifla_vf_vlan *v = build_one(&req, IFLA_VF_VLAN,
						 sizeof(*v));

	(void)state;
	assert_int_equal(v->vf, 3);
	assert_int_equal(v->vlan, 100);
	assert_int_equal(v->qos, 3);
}

static void test_build_vlan_8021ad(void **state)
{
	struct vfset_req req = { .type = IFLA_VF_VLAN_LIST, .vlan = 100,
				 .qos = 3, .vlan_proto = 0x88a8 };
	struct nlmsghdr *nlh = vfset_build(buf, 42, 9, 3, &req);
	const struct nlattr *list = only_vf_attr(nlh), *a, *vi = NULL;
	const struct ifla_vf_vlan_info *info;
	int n = 0;

	(void)state;
	assert_int_equal(mnl_attr_get_type(list), IFLA_VF_VLAN_LIST);
	mnl_attr_for_each_nested(a, list) {
		n++;
		vi = a;
	}
	assert_int_equal(n, 1);
	assert_int_equal(mnl_attr_get_type(vi), IFLA_VF_VLAN_INFO);
	assert_int_equal(mnl_attr_get_payload_len(vi), sizeof(*info));
	info = mnl_attr_get_payload(vi);
	assert_int_equal(info->vf, 3);
	assert_int_equal(info->vlan, 100);
	assert_int_equal(info->qos, 3);
	assert_int_equal(info->vlan_proto, htons(0x88a8));
}

static void test_build_flags(void **state)
{
	static const int types[] = { IFLA_VF_SPOOFCHK, IFLA_VF_TRUST,
				     IFLA_VF_RSS_QUERY_EN };

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		struct vfset_req req = { .type = types[i], .value = 1 };
		const struct ifla_vf_spoofchk *s =
			build_one(&req, types[i], sizeof(*s));

		assert_int_equal(s->vf, 3);
		assert_int_equal(s->setting, 1);
	}
}

static void test_build_rate_and_state(void **state)
{
	struct vfset_req req = { .type = IFLA_VF_RATE, .min_rate = 5,
				 .max_rate = 50 };
	const struct ifla_vf_rate *r = build_one(&req, IFLA_VF_RATE,
						 sizeof(*r));
	const struct ifla_vf_link_state *l;

	(void)state;
	assert_int_equal(r->vf, 3);
	assert_int_equal(r->min_tx_rate, 5);
	assert_int_equal(r->max_tx_rate, 50);
	req = (struct vfset_req){ .type = IFLA_VF_LINK_STATE,
				  .value = IFLA_VF_LINK_STATE_DISABLE };
	l = build_one(&req, IFLA_VF_LINK_STATE, sizeof(*l));
	assert_int_equal(l->vf, 3);
	assert_int_equal(l->link_state, IFLA_VF_LINK_STATE_DISABLE);
	req.type = IFLA_VF_TX_RATE; /* deprecated: never built */
	assert_null(vfset_build(buf, 42, 9, 3, &req));
}

static int parse(const char *line, struct sriov_vf_settings *s, char *err,
		 size_t errlen)
{
	static char copy[512];
	char *argv[32], *tok, *save = NULL;
	int argc = 0;

	strcpy(copy, line);
	for (tok = strtok_r(copy, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	return sriov_vf_settings_parse(argc, argv, s, err, errlen);
}

static void test_parse_all(void **state)
{
	struct sriov_vf_settings s;
	char err[256];

	(void)state;
	assert_int_equal(parse("mac 02:AA:00:00:00:01 vlan 100 qos 3 proto 802.1ad spoofchk on trust off min-rate 5 max-rate 50 link-state enable query-rss on",
			       &s, err, sizeof(err)), 0);
	assert_int_equal(s.n, 8);
	assert_int_equal(s.v[0].attr, SRIOV_VF_ATTR_MAC);
	assert_int_equal(s.v[0].mac[1], 0xaa);
	/* the canonical form, whatever the case written */
	assert_string_equal(s.v[0].text, "mac 02:aa:00:00:00:01");
	assert_int_equal(s.v[1].attr, SRIOV_VF_ATTR_VLAN);
	assert_int_equal(s.v[1].vlan, 100);
	assert_int_equal(s.v[1].qos, 3);
	assert_int_equal(s.v[1].vlan_proto, 0x88a8);
	assert_string_equal(s.v[1].text, "vlan 100 qos 3 proto 802.1ad");
	assert_int_equal(s.v[2].value, 1);
	assert_int_equal(s.v[3].value, 0);
	assert_int_equal(s.v[4].value, 5);
	assert_int_equal(s.v[5].value, 50);
	assert_int_equal(s.v[6].value, IFLA_VF_LINK_STATE_ENABLE);
	assert_int_equal(s.v[7].attr, SRIOV_VF_ATTR_QUERY_RSS);
	sriov_vf_settings_clear(&s);
	/* Explicit zero clears the MAC; min above an unlimited max is fine. */
	assert_int_equal(parse("mac 00:00:00:00:00:00 min-rate 9 max-rate 0",
			       &s, err, sizeof(err)), 0);
	sriov_vf_settings_clear(&s);
}

/* ip's and the policy's spellings: the same settings, in canonical text. */
static void test_parse_aliases(void **state)
{
	static const char *const same[][2] = {
		{ "max_tx_rate 5000", "max-rate 5000" },
		{ "rate 5000", "max-rate 5000" },
		{ "min_tx_rate 3 max_tx_rate 9", "min-rate 3 max-rate 9" },
		{ "state disable", "link-state disable" },
		{ "link_state Enable", "link-state enable" },
		{ "spoofchk yes trust false", "spoofchk on trust off" },
		{ "query_rss 1", "query-rss on" },
		{ "vlan 5 vlan_qos 2 protocol 802.1AD", "vlan 5 qos 2 proto 802.1ad" },
		{ "vlan 5 proto 802.1Q", "vlan 5" },
		{ "mac 2:aa:0:0:0:1", "mac 02:aa:00:00:00:01" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		struct sriov_vf_settings a, b;
		char err[256], joined[256] = "";

		if (parse(same[i][0], &a, err, sizeof(err)) != 0)
			fail_msg("'%s': %s", same[i][0], err);
		assert_int_equal(parse(same[i][1], &b, err, sizeof(err)), 0);
		assert_int_equal(a.n, b.n);
		for (size_t k = 0; k < a.n; k++) {
			assert_int_equal(a.v[k].attr, b.v[k].attr);
			assert_int_equal(a.v[k].value, b.v[k].value);
			assert_int_equal(a.v[k].vlan, b.v[k].vlan);
			assert_int_equal(a.v[k].qos, b.v[k].qos);
			assert_int_equal(a.v[k].vlan_proto, b.v[k].vlan_proto);
			assert_memory_equal(a.v[k].mac, b.v[k].mac, 6);
			assert_string_equal(a.v[k].text, b.v[k].text);
			strcat(joined, k ? " " : "");
			strcat(joined, a.v[k].text);
		}
		/* the canonical text is the second spelling */
		assert_string_equal(joined, same[i][1]);
		sriov_vf_settings_clear(&a);
		sriov_vf_settings_clear(&b);
	}
}

static void expect_error(const char *line, int code, const char *needle)
{
	struct sriov_vf_settings s;
	char err[256];

	assert_int_equal(parse(line, &s, err, sizeof(err)), code);
	assert_null(s.v);
	if (!strstr(err, needle))
		fail_msg("'%s': message '%s' lacks '%s'", line, err, needle);
}

static void test_parse_errors(void **state)
{
	(void)state;
	expect_error("mac 01:00:5e:00:00:01", -EDOM, "multicast");
	expect_error("mac 02:00:00:00:00", -EDOM, "six octets");
	expect_error("mac 02:00:00:00:00:01:02", -EDOM, "six octets");
	expect_error("mac 0:0:0:0:0:0", -EDOM, "write 00:00:00:00:00:00");
	expect_error("vlan 4095", -EDOM, "0..4094");
	expect_error("vlan 10 qos 8", -EDOM, "0..7");
	expect_error("vlan 10 proto 802.1x", -EDOM, "802.1Q or 802.1ad");
	expect_error("qos 3", -EINVAL, "belongs to a VLAN");
	expect_error("min-rate 10 max-rate 5", -EDOM, "above max-rate 5");
	expect_error("min-rate -1", -EDOM, "whole number");
	expect_error("max-rate 4294967296", -EDOM, "out of range 0..4294967295");
	expect_error("colour blue", -EINVAL, "unknown attribute 'colour'");
	expect_error("vlan 10 qos 1 vlan_qos 2", -EINVAL, "given twice");
	expect_error("max-rate 5 max_tx_rate 6", -EINVAL, "given twice");
	expect_error("mtu 1500", -EINVAL, "not set through the PF");
	expect_error("driver vfio-pci", -EINVAL, "vf VF bind DRIVER");
	expect_error("trust on mac", -EINVAL, "mac needs a value");
	expect_error("vlan 10 qos", -EDOM, "'qos' needs a value");
	expect_error("spoofchk maybe", -EDOM, "on or off");
	expect_error("link-state up", -EDOM, "auto, enable or disable");
	expect_error("trust on trust off", -EINVAL, "given twice");
	expect_error("", -EINVAL, "nothing to set");
}

static void test_link_value(void **state)
{
	struct sriov_vf_link l = { .present = true, .mac = "02:00:00:00:00:07",
				   .vlan = 30, .qos = 1, .vlan_proto = 0x88a8,
				   .spoofchk = 0, .trust = -1, .link_state = 2,
				   .max_tx_rate = 80 };
	char b[64];

	(void)state;
	assert_int_equal(sriov_vf_link_value(&l, SRIOV_VF_ATTR_VLAN, b, sizeof(b)), 0);
	assert_string_equal(b, "30 qos 1 proto 802.1ad");
	l.vlan_proto = 0x8100;
	sriov_vf_link_value(&l, SRIOV_VF_ATTR_VLAN, b, sizeof(b));
	assert_string_equal(b, "30 qos 1");
	sriov_vf_link_value(&l, SRIOV_VF_ATTR_MAC, b, sizeof(b));
	assert_string_equal(b, "02:00:00:00:00:07");
	sriov_vf_link_value(&l, SRIOV_VF_ATTR_SPOOFCHK, b, sizeof(b));
	assert_string_equal(b, "off");
	sriov_vf_link_value(&l, SRIOV_VF_ATTR_TRUST, b, sizeof(b));
	assert_string_equal(b, "?");
	sriov_vf_link_value(&l, SRIOV_VF_ATTR_LINK_STATE, b, sizeof(b));
	assert_string_equal(b, "disable");
	sriov_vf_link_value(&l, SRIOV_VF_ATTR_MAX_RATE, b, sizeof(b));
	assert_string_equal(b, "80");
	l.present = false;
	sriov_vf_link_value(&l, SRIOV_VF_ATTR_MAX_RATE, b, sizeof(b));
	assert_string_equal(b, "?");
	assert_int_equal(sriov_vf_link_value(&l, 99, b, sizeof(b)), -EINVAL);
}

static struct sriov_vf_link cur = { .present = true, .min_tx_rate = 5,
				    .max_tx_rate = 50 };

static void test_rate_merge(void **state)
{
	struct sriov_vf_settings s;
	struct vfset_req req;
	size_t by = 99;
	char err[256];

	(void)state;
	assert_int_equal(parse("max-rate 80", &s, err, sizeof(err)), 0);
	assert_int_equal(vf_attrs_request(&cur, &s, 0, &req, &by), 0);
	assert_int_equal(req.type, IFLA_VF_RATE);
	assert_int_equal(req.min_rate, 5);
	assert_int_equal(req.max_rate, 80);
	sriov_vf_settings_clear(&s);

	assert_int_equal(parse("min-rate 7", &s, err, sizeof(err)), 0);
	assert_int_equal(vf_attrs_request(&cur, &s, 0, &req, &by), 0);
	assert_int_equal(req.min_rate, 7);
	assert_int_equal(req.max_rate, 50);
	sriov_vf_settings_clear(&s);

	/* Both given: one request with the user's pair, at the first. */
	assert_int_equal(parse("max-rate 90 trust on min-rate 20", &s, err,
			       sizeof(err)), 0);
	assert_int_equal(vf_attrs_request(&cur, &s, 0, &req, &by), 0);
	assert_int_equal(req.min_rate, 20);
	assert_int_equal(req.max_rate, 90);
	assert_int_equal(vf_attrs_request(&cur, &s, 1, &req, &by), 0);
	assert_int_equal(req.type, IFLA_VF_TRUST);
	assert_int_equal(vf_attrs_request(&cur, &s, 2, &req, &by), 1);
	assert_int_equal(by, 0);
	sriov_vf_settings_clear(&s);

	/* 802.1Q uses the plain form, 802.1ad the list form. */
	assert_int_equal(parse("vlan 5 proto 802.1Q", &s, err, sizeof(err)), 0);
	assert_int_equal(vf_attrs_request(&cur, &s, 0, &req, &by), 0);
	assert_int_equal(req.type, IFLA_VF_VLAN);
	sriov_vf_settings_clear(&s);
	assert_int_equal(parse("vlan 5 proto 802.1ad", &s, err, sizeof(err)), 0);
	assert_int_equal(vf_attrs_request(&cur, &s, 0, &req, &by), 0);
	assert_int_equal(req.type, IFLA_VF_VLAN_LIST);
	assert_int_equal(req.vlan_proto, 0x88a8);
	sriov_vf_settings_clear(&s);
}

static void test_check(void **state)
{
	struct sriov_netdev nd = { .name = "ens1f0", .ifindex = 4 };
	struct sriov_vf vfs[2] = { { .index = 0 }, { .index = 1 } };
	struct sriov_pf pf = { .address = "0000:3b:00.0", .netdevs = &nd,
			       .n_netdevs = 1, .num_vfs = 2, .vfs = vfs,
			       .n_vfs = 2, .driver = "ice" };
	struct sriov_vf_settings s;
	char err[512];

	(void)state;
	vfs[0].link = cur;
	assert_int_equal(parse("min-rate 60", &s, err, sizeof(err)), 0);
	assert_int_equal(sriov_vf_settings_check(&pf, &vfs[0], &s, err,
						 sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "above the VF's max-rate 50"));
	/* Unknown current rates: a single rate would reset the other. */
	assert_int_equal(sriov_vf_settings_check(&pf, &vfs[1], &s, err,
						 sizeof(err)), -ENODATA);
	sriov_vf_settings_clear(&s);
	assert_int_equal(parse("max-rate 3", &s, err, sizeof(err)), 0);
	assert_int_equal(sriov_vf_settings_check(&pf, &vfs[0], &s, err,
						 sizeof(err)), -EINVAL);
	sriov_vf_settings_clear(&s);
	assert_int_equal(parse("trust on", &s, err, sizeof(err)), 0);
	assert_int_equal(sriov_vf_settings_check(&pf, &vfs[1], &s, err,
						 sizeof(err)), 0);
	pf.num_vfs = 1;
	assert_int_equal(sriov_vf_settings_check(&pf, &vfs[1], &s, err,
						 sizeof(err)), -ERANGE);
	pf.n_netdevs = 0;
	assert_int_equal(sriov_vf_settings_check(&pf, &vfs[0], &s, err,
						 sizeof(err)), -ENODEV);
	assert_non_null(strstr(err, "has no netdev"));
	sriov_vf_settings_clear(&s);
}

/* An NLMSG_ERROR as the kernel sends it with NETLINK_EXT_ACK. */
static size_t craft_ack(uint32_t seq, int error, const char *msg,
			bool capped)
{
	char req[256];
	struct nlmsghdr *orig, *nlh;
	struct nlmsgerr *e;
	struct vfset_req r = { .type = IFLA_VF_TRUST, .value = 1 };

	orig = vfset_build(req, seq, 9, 0, &r);
	memset(buf, 0, sizeof(buf));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_flags = capped ? NLM_F_CAPPED : 0;
	e = mnl_nlmsg_put_extra_header(nlh, capped ? sizeof(*e) :
				       sizeof(*e) + orig->nlmsg_len -
				       sizeof(*orig));
	e->error = error;
	memcpy(&e->msg, orig, capped ? sizeof(*orig) : orig->nlmsg_len);
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 20);
	}
	return nlh->nlmsg_len;
}

static void test_ack(void **state)
{
	char msg[128];
	size_t len;
	int error = 1;

	(void)state;
	len = craft_ack(7, -EOPNOTSUPP, "VF link state not supported", false);
	assert_int_equal(rtnl_parse_ack(buf, len, 7, &error, msg,
					 sizeof(msg)), 1);
	assert_int_equal(error, -EOPNOTSUPP);
	assert_string_equal(msg, "VF link state not supported");

	len = craft_ack(8, -EINVAL, "min rate unsupported", true);
	assert_int_equal(rtnl_parse_ack(buf, len, 8, &error, msg,
					 sizeof(msg)), 1);
	assert_int_equal(error, -EINVAL);
	assert_string_equal(msg, "min rate unsupported");

	len = craft_ack(9, 0, NULL, true);
	assert_int_equal(rtnl_parse_ack(buf, len, 9, &error, msg,
					 sizeof(msg)), 1);
	assert_int_equal(error, 0);
	assert_string_equal(msg, "");

	len = craft_ack(10, -EINVAL, NULL, false);
	assert_int_equal(rtnl_parse_ack(buf, len, 10, &error, msg,
					 sizeof(msg)), 1);
	assert_int_equal(error, -EINVAL);
	assert_string_equal(msg, "");

	/* Another request's ack is not ours; a cut message is malformed. */
	len = craft_ack(11, -EINVAL, "x", false);
	assert_int_equal(rtnl_parse_ack(buf, len, 12, &error, msg,
					 sizeof(msg)), 0);
	assert_int_equal(rtnl_parse_ack(buf, len - 3, 11, &error, msg,
					 sizeof(msg)), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_mac),
		cmocka_unit_test(test_build_vlan_8021q),
		cmocka_unit_test(test_build_vlan_8021ad),
		cmocka_unit_test(test_build_flags),
		cmocka_unit_test(test_build_rate_and_state),
		cmocka_unit_test(test_parse_all),
		cmocka_unit_test(test_parse_aliases),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_link_value),
		cmocka_unit_test(test_rate_merge),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_ack),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
