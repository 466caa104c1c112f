/* SPDX-License-Identifier: MIT */
/*
 * The CNI plugin's library parts off the kernel: the configuration with
 * every sriov-cni key and every bad value, the attachment record written
 * and read back, the result and error objects of each spec version, and
 * the verbs that need no VF (VERSION, STATUS, DEL without a record, ADD
 * refusing a PF and an unknown address on a generated host).
 */
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
#include <json-c/json.h>
#include <linux/if_ether.h>

#include "sriov.h"
#include "cni/cni.h"
#include "testlib.h"

static int parse(const char *json, struct sriov_cni_conf *c, char *err, size_t len)
{
	return sriov_cni_conf_parse(json, strlen(json), c, err, len);
}

/* The settings' canonical texts, "; "-joined. */
static const char *texts(const struct sriov_cni_conf *c)
{
	static char buf[512];
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < c->settings.n; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? "; " : "",
				      c->settings.v[i].text);
	return buf;
}

static void test_every_key(void **state)
{
	struct sriov_cni_conf c;
	char err[256];

	(void)state;
	assert_int_equal(parse("{\"cniVersion\":\"1.1.0\",\"name\":\"sriov-net\",\"type\":\"sriov\","
			       "\"deviceID\":\"0000:3b:02.1\",\"vlan\":100,\"vlanQoS\":3,"
			       "\"vlanProto\":\"802.1ad\",\"mac\":\"02:00:00:00:00:01\","
			       "\"spoofchk\":\"off\",\"trust\":\"on\",\"link_state\":\"enable\","
			       "\"min_tx_rate\":10,\"max_tx_rate\":100,\"logLevel\":\"debug\","
			       "\"logFile\":\"/var/log/sriov.log\",\"ipam\":{\"type\":\"host-local\"},"
			       "\"unknownKey\":[1,2]}", &c, err, sizeof(err)), 0);
	assert_string_equal(c.cni_version, "1.1.0");
	assert_string_equal(c.name, "sriov-net");
	assert_string_equal(c.type, "sriov");
	assert_string_equal(c.device_id, "0000:3b:02.1");
	assert_string_equal(c.log_level, "debug");
	assert_string_equal(c.log_file, "/var/log/sriov.log");
	assert_string_equal(c.ipam_type, "host-local");
	assert_true(c.has_mac);
	assert_int_equal(c.mac[5], 1);
	assert_string_equal(texts(&c), "mac 02:00:00:00:00:01; vlan 100 qos 3 proto 802.1ad; "
			    "spoofchk off; trust on; link-state enable; min-rate 10; max-rate 100");
	assert_int_equal(c.mask, (1u << SRIOV_VF_ATTR_MAC) | SRIOV_VF_ATTRS_VLAN |
			 (1u << SRIOV_VF_ATTR_SPOOFCHK) | (1u << SRIOV_VF_ATTR_TRUST) |
			 (1u << SRIOV_VF_ATTR_LINK_STATE) | (1u << SRIOV_VF_ATTR_MIN_RATE) |
			 (1u << SRIOV_VF_ATTR_MAX_RATE));
	assert_null(c.prev_result);
	assert_false(c.gc_given);
	sriov_cni_conf_clear(&c);
}

static void test_defaults(void **state)
{
	struct sriov_cni_conf c;
	char err[256];

	(void)state;
	/* sriov-cni sends vlan 0 when none is given: a pod's VLAN never leaks */
	assert_int_equal(parse("{\"cniVersion\":\"0.3.1\",\"deviceID\":\"3b:02.1\"}", &c, err,
			       sizeof(err)), 0);
	assert_string_equal(texts(&c), "vlan 0");
	assert_string_equal(c.device_id, "0000:3b:02.1");
	assert_false(c.has_mac);
	assert_null(c.ipam_type);
	assert_null(c.name);
	sriov_cni_conf_clear(&c);
	/* no deviceID is for ADD to refuse, not the parser (DEL may lack it) */
	assert_int_equal(parse("{\"cniVersion\":\"1.0.0\"}", &c, err, sizeof(err)), 0);
	assert_null(c.device_id);
	sriov_cni_conf_clear(&c);
}

static void test_device_id_sources(void **state)
{
	struct sriov_cni_conf c;
	char err[256];

	(void)state;
	/* Multus's runtimeConfig wins over the configuration's own */
	assert_int_equal(parse("{\"cniVersion\":\"1.0.0\",\"deviceID\":\"0000:3b:02.1\","
			       "\"runtimeConfig\":{\"deviceID\":\"0000:3b:02.2\"}}", &c, err,
			       sizeof(err)), 0);
	assert_string_equal(c.device_id, "0000:3b:02.2");
	sriov_cni_conf_clear(&c);
	assert_int_equal(parse("{\"cniVersion\":\"1.0.0\",\"runtimeConfig\":{\"pciBusID\":\"0000:3B:02.3\"}}",
			       &c, err, sizeof(err)), 0);
	assert_string_equal(c.device_id, "0000:3b:02.3");
	sriov_cni_conf_clear(&c);
	assert_int_equal(parse("{\"cniVersion\":\"1.0.0\",\"pciBusID\":\"0000:3b:02.4\"}",
			       &c, err, sizeof(err)), 0);
	assert_string_equal(c.device_id, "0000:3b:02.4");
	sriov_cni_conf_clear(&c);
	/* the runtime's mac capability wins too */
	assert_int_equal(parse("{\"cniVersion\":\"1.0.0\",\"mac\":\"02:00:00:00:00:01\","
			       "\"runtimeConfig\":{\"mac\":\"02:00:00:00:00:09\"}}", &c, err,
			       sizeof(err)), 0);
	assert_int_equal(c.mac[5], 9);
	assert_string_equal(texts(&c), "mac 02:00:00:00:00:09; vlan 0");
	sriov_cni_conf_clear(&c);
}

static void test_versions(void **state)
{
	static const char *const ok[] = { "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0" };
	static const char *const bad[] = { "0.2.0", "0.1.0", "1.2.0", "2.0.0", "1.1", "" };
	struct sriov_cni_conf c;
	char json[128], err[256];

	(void)state;
	for (size_t i = 0; i < 5; i++) {
		snprintf(json, sizeof(json), "{\"cniVersion\":\"%s\"}", ok[i]);
		assert_int_equal(parse(json, &c, err, sizeof(err)), 0);
		assert_int_equal(sriov_cni_version_11(c.cni_version), i == 4);
		sriov_cni_conf_clear(&c);
	}
	for (size_t i = 0; i < 6; i++) {
		snprintf(json, sizeof(json), "{\"cniVersion\":\"%s\"}", bad[i]);
		assert_int_equal(parse(json, &c, err, sizeof(err)), -EPROTONOSUPPORT);
		assert_non_null(strstr(err, "is not supported"));
	}
	assert_int_equal(parse("{\"name\":\"x\"}", &c, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "\"cniVersion\" is missing");
	assert_int_equal(parse("{\"cniVersion\":1}", &c, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "\"cniVersion\" must be a string");
}

static void test_not_json(void **state)
{
	static const char *const bad[] = {
		"", "{", "[]", "\"x\"", "{\"cniVersion\":\"1.0.0\"} x", "{\"cniVersion\":\"1.0.0\",}",
		"null",
	};
	struct sriov_cni_conf c;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(parse(bad[i], &c, err, sizeof(err)), -EBADMSG);
		assert_non_null(strstr(err, "not"));
	}
	/* white space after the object is fine */
	assert_int_equal(parse("{\"cniVersion\":\"1.0.0\"}\n  ", &c, err, sizeof(err)), 0);
	sriov_cni_conf_clear(&c);
}

static void test_bad_values(void **state)
{
	static const struct { const char *kv, *msg; } v[] = {
		{ "\"vlan\":4095", "\"vlan\": 4095 is out of range 0..4094" },
		{ "\"vlan\":-1", "\"vlan\" -1 is out of range" },
		{ "\"vlan\":\"100\"", "\"vlan\" must be a number" },
		{ "\"vlan\":1.5", "\"vlan\" must be a number" },
		{ "\"vlan\":1,\"vlanQoS\":8", "\"vlanQoS\": 8 is out of range 0..7" },
		{ "\"vlanQoS\":3", "\"vlanQoS\" 3 needs a non-zero \"vlan\"" },
		{ "\"vlan\":0,\"vlanQoS\":3", "\"vlanQoS\" 3 needs a non-zero \"vlan\"" },
		{ "\"vlanProto\":\"802.1ad\"", "\"vlanProto\" 802.1ad needs a non-zero \"vlan\"" },
		{ "\"vlan\":5,\"vlanProto\":\"802.1x\"", "\"vlanProto\":" },
		{ "\"vlan\":5,\"vlanProto\":8021", "\"vlanProto\" must be a string" },
		{ "\"mac\":\"01:00:00:00:00:01\"", "\"mac\":" },
		{ "\"mac\":\"02:00:00:00:00\"", "\"mac\":" },
		{ "\"mac\":2", "\"mac\" must be a string" },
		{ "\"spoofchk\":\"maybe\"", "\"spoofchk\":" },
		{ "\"spoofchk\":true", "\"spoofchk\" must be a string" },
		{ "\"trust\":\"sometimes\"", "\"trust\":" },
		{ "\"link_state\":\"up\"", "\"link_state\":" },
		{ "\"min_tx_rate\":\"10\"", "\"min_tx_rate\" must be a number" },
		{ "\"max_tx_rate\":4294967296", "\"max_tx_rate\" 4294967296 is out of range" },
		{ "\"min_tx_rate\":100,\"max_tx_rate\":10", "min-rate 100 is above max-rate 10" },
		{ "\"deviceID\":\"3b:02\"", "\"deviceID\" is not a PCI address" },
		{ "\"deviceID\":7", "\"deviceID\" must be a string" },
		{ "\"runtimeConfig\":{\"deviceID\":\"x\"}", "\"runtimeConfig.deviceID\" is not a PCI address" },
		{ "\"runtimeConfig\":[]", "\"runtimeConfig\" must be an object" },
		{ "\"runtimeConfig\":{\"mac\":\"ff:ff:ff:ff:ff:ff\"}", "\"runtimeConfig.mac\":" },
		{ "\"logLevel\":\"verbose\"", "\"logLevel\" 'verbose' is not one of" },
		{ "\"logFile\":\"rel/log\"", "\"logFile\" must be an absolute path" },
		{ "\"ipam\":\"host-local\"", "\"ipam\" must be an object" },
		{ "\"ipam\":{\"type\":\"../bin/sh\"}", "\"ipam.type\" '../bin/sh' is not a plugin name" },
		{ "\"prevResult\":[]", "\"prevResult\" must be an object" },
		{ "\"name\":5", "\"name\" must be a string" },
		{ "\"cni.dev/valid-attachments\":{}", "must be a list" },
		{ "\"cni.dev/valid-attachments\":[{\"containerID\":\"a\"}]", "needs \"containerID\" and \"ifname\"" },
	};
	struct sriov_cni_conf c;
	char json[256], err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(json, sizeof(json), "{\"cniVersion\":\"1.0.0\",%s}", v[i].kv);
		err[0] = '\0';
		assert_int_equal(parse(json, &c, err, sizeof(err)), -EINVAL);
		if (!strstr(err, v[i].msg))
			fail_msg("%s: '%s' lacks '%s'", v[i].kv, err, v[i].msg);
		/* cleared on failure: nothing to free, nothing half-set */
		assert_null(c.cni_version);
		assert_int_equal(c.settings.n, 0);
	}
}

static void test_gc_and_prev(void **state)
{
	struct sriov_cni_conf c;
	char err[256];

	(void)state;
	assert_int_equal(parse("{\"cniVersion\":\"1.1.0\",\"cni.dev/valid-attachments\":"
			       "[{\"containerID\":\"c1\",\"ifname\":\"net1\"},{\"containerID\":\"c2\",\"ifname\":\"eth0\"}],"
			       "\"prevResult\":{\"interfaces\":[{\"name\":\"net1\"}]}}", &c, err, sizeof(err)), 0);
	assert_true(c.gc_given);
	assert_int_equal(c.gc_valid.n, 2);
	assert_string_equal(c.gc_valid.v[0], "c1/net1");
	assert_string_equal(c.gc_valid.v[1], "c2/eth0");
	assert_string_equal(c.prev_result, "{\"interfaces\":[{\"name\":\"net1\"}]}");
	sriov_cni_conf_clear(&c);
	/* the older spelling */
	assert_int_equal(parse("{\"cniVersion\":\"1.1.0\",\"cni.dev/attachments\":[]}", &c, err,
			       sizeof(err)), 0);
	assert_true(c.gc_given);
	assert_int_equal(c.gc_valid.n, 0);
	sriov_cni_conf_clear(&c);
}

static void test_ids(void **state)
{
	(void)state;
	assert_true(sriov_cni_container_id_ok("a1b2c3"));
	assert_true(sriov_cni_container_id_ok("pod_1.x-y"));
	assert_false(sriov_cni_container_id_ok(""));
	assert_false(sriov_cni_container_id_ok(NULL));
	assert_false(sriov_cni_container_id_ok("-abc"));
	assert_false(sriov_cni_container_id_ok(".abc"));
	assert_false(sriov_cni_container_id_ok("a/b"));
	assert_false(sriov_cni_container_id_ok("../x"));
	assert_false(sriov_cni_container_id_ok("a b"));
	assert_true(sriov_cni_ifname_ok("net1"));
	assert_true(sriov_cni_ifname_ok("eth0.100"));
	assert_false(sriov_cni_ifname_ok("0123456789abcdef"));  /* 16 > IFNAMSIZ-1 */
	assert_false(sriov_cni_ifname_ok("a/b"));
	assert_false(sriov_cni_ifname_ok(".."));
	assert_false(sriov_cni_ifname_ok(""));
}

static void fill_state(struct sriov_cni_state *s)
{
	memset(s, 0, sizeof(*s));
	s->container_id = "c1";
	s->ifname = "net1";
	s->netns = "/run/netns/pod1";
	s->network = "sriov-net";
	s->cni_version = "1.0.0";
	s->conf = "{\"cniVersion\":\"1.0.0\",\"type\":\"sriov\"}";
	strcpy(s->address, "0000:02:10.0");
	strcpy(s->pf, "0000:01:00.0");
	s->vf = 0;
	s->driver = "igbvf";
	s->host_ifname = "eth1";
	s->moved = true;
	s->added = true;
	memcpy(s->host_mac, "\x52\x54\x00\x12\x34\x56", 6);
	s->host_mtu = 1500;
	s->orig.present = true;
	strcpy(s->orig.mac, "52:54:00:12:34:56");
	s->orig.vlan = 5;
	s->orig.qos = 1;
	s->orig.vlan_proto = ETH_P_8021Q;
	s->orig.max_tx_rate = 10;
	s->orig.spoofchk = 1;
	s->orig.trust = 0;
	s->orig.link_state = -1;
	s->orig.query_rss = -1;
	s->mask = SRIOV_VF_ATTRS_VLAN | (1u << SRIOV_VF_ATTR_TRUST);
	s->result = "{\"cniVersion\":\"1.0.0\"}";
}

static void test_state_round_trip(void **state)
{
	struct sriov_cni_state s, back;
	char *text, *again, err[256];

	(void)state;
	fill_state(&s);
	assert_int_equal(sriov_cni_state_format(&s, &text), 0);
	assert_int_equal(sriov_cni_state_parse(text, strlen(text), &back, err, sizeof(err)), 0);
	assert_string_equal(back.container_id, "c1");
	assert_string_equal(back.ifname, "net1");
	assert_string_equal(back.netns, "/run/netns/pod1");
	assert_string_equal(back.address, "0000:02:10.0");
	assert_string_equal(back.pf, "0000:01:00.0");
	assert_string_equal(back.host_ifname, "eth1");
	assert_string_equal(back.driver, "igbvf");
	assert_true(back.moved);
	assert_true(back.added);
	assert_memory_equal(back.host_mac, s.host_mac, 6);
	assert_int_equal(back.host_mtu, 1500);
	assert_int_equal(back.mask, s.mask);
	assert_string_equal(back.orig.mac, "52:54:00:12:34:56");
	assert_int_equal(back.orig.vlan, 5);
	assert_int_equal(back.orig.qos, 1);
	assert_int_equal(back.orig.vlan_proto, ETH_P_8021Q);
	assert_int_equal(back.orig.max_tx_rate, 10);
	assert_int_equal(back.orig.spoofchk, 1);
	assert_int_equal(back.orig.trust, 0);
	assert_int_equal(back.orig.link_state, -1);
	assert_string_equal(back.conf, s.conf);
	assert_string_equal(back.result, s.result);
	/* written again: the same text */
	assert_int_equal(sriov_cni_state_format(&back, &again), 0);
	assert_string_equal(again, text);
	free(again);
	sriov_cni_state_clear(&back);
	free(text);
	/* a vfio-pci VF: no netdev */
	fill_state(&s);
	s.host_ifname = NULL;
	s.moved = false;
	s.host_mtu = -1;
	assert_int_equal(sriov_cni_state_format(&s, &text), 0);
	assert_int_equal(sriov_cni_state_parse(text, strlen(text), &back, err, sizeof(err)), 0);
	assert_null(back.host_ifname);
	assert_int_equal(back.host_mtu, -1);
	sriov_cni_state_clear(&back);
	free(text);
}

/* Replace the first @from in the record with @to, then parse. */
static int parse_edited(const char *from, const char *to, char *err, size_t len)
{
	struct sriov_cni_state s, back;
	char *text, *p, buf[8192];
	int r;

	fill_state(&s);
	assert_int_equal(sriov_cni_state_format(&s, &text), 0);
	p = strstr(text, from);
	if (!p)
		fail_msg("'%s' not in %s", from, text);
	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(p - text), text, to, p + strlen(from));
	free(text);
	r = sriov_cni_state_parse(buf, strlen(buf), &back, err, len);
	if (r == 0)
		sriov_cni_state_clear(&back);
	return r;
}

static void test_state_bad(void **state)
{
	static const struct { const char *from, *to, *msg; } v[] = {
		{ "\"format\": 1", "\"format\": 2", "format 2 is not 1" },
		{ "\"containerID\": \"c1\"", "\"containerID\": \"../x\"", "not a container id" },
		{ "\"ifname\": \"net1\"", "\"ifname\": \"a/b\"", "not an interface name" },
		{ "\"deviceID\": \"0000:02:10.0\"", "\"deviceID\": \"02:10.0\"", "\"deviceID\" is not a PCI address" },
		{ "\"vf\": 0", "\"vf\": -1", "\"vf\" is out of range" },
		{ "\"hostIfname\": \"eth1\"", "\"hostIfname\": \"../../x\"", "\"hostIfname\" is not" },
		{ "\"moved\": true", "\"moved\": 1", "\"moved\" has the wrong type" },
		{ "\"hostMac\": \"52:54:00:12:34:56\"", "\"hostMac\": \"5254\"", "\"hostMac\" is not a MAC" },
		{ "\"vlan\": 5", "\"vlan\": 4096", "\"vlan\" is out of range" },
		{ "\"qos\": 1", "\"qos\": 8", "\"qos\" is out of range" },
		{ "\"changed\": [", "\"changed\": [ \"colour\",", "\"changed\"[0] is not an attribute" },
		{ "\"orig\": {", "\"orig\": 1, \"x\": {", "\"orig\" has the wrong type" },
	};
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		err[0] = '\0';
		assert_int_equal(parse_edited(v[i].from, v[i].to, err, sizeof(err)), -EINVAL);
		if (!strstr(err, v[i].msg))
			fail_msg("%s: '%s' lacks '%s'", v[i].to, err, v[i].msg);
	}
	{
		struct sriov_cni_state s;

		assert_int_equal(sriov_cni_state_parse("[]", 2, &s, err, sizeof(err)), -EBADMSG);
		assert_int_equal(sriov_cni_state_parse("{", 1, &s, err, sizeof(err)), -EBADMSG);
	}
}

static json_object *run_json(const char *cmd, const char *conf, const char *dir,
			     const char *root, int *code)
{
	struct sriov_cni_env env = { .command = cmd, .container_id = "c1",
				     .netns = "/run/netns/none", .ifname = "net1" };
	struct sriov_cni_opts opts = { .state_dir = dir, .root = root };
	struct sriov_cni_reply r;
	json_object *o;

	assert_int_equal(sriov_cni_run(&env, conf, strlen(conf), &opts, &r), 0);
	*code = r.code;
	o = r.out ? json_tokener_parse(r.out) : NULL;
	if (r.out)
		assert_non_null(o);
	sriov_cni_reply_clear(&r);
	return o;
}

static const char *get(json_object *o, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(o, k, &v) ? json_object_get_string(v) : NULL;
}

static void test_version_and_errors(void **state)
{
	json_object *o;
	int code;

	(void)state;
	o = run_json("VERSION", "", "/nonexistent", NULL, &code);
	assert_int_equal(code, 0);
	assert_string_equal(get(o, "cniVersion"), "1.1.0");
	assert_string_equal(get(o, "supportedVersions"),
			    "[ \"0.3.0\", \"0.3.1\", \"0.4.0\", \"1.0.0\", \"1.1.0\" ]");
	json_object_put(o);
	o = run_json("FROB", "{\"cniVersion\":\"1.0.0\"}", "/nonexistent", NULL, &code);
	assert_int_equal(code, SRIOV_CNI_E_ENV);
	assert_string_equal(get(o, "code"), "4");
	assert_string_equal(get(o, "cniVersion"), "1.0.0");
	json_object_put(o);
	o = run_json("ADD", "{\"cniVersion\":\"9.9.9\"}", "/nonexistent", NULL, &code);
	assert_int_equal(code, SRIOV_CNI_E_VERSION);
	json_object_put(o);
	o = run_json("ADD", "{oops", "/nonexistent", NULL, &code);
	assert_int_equal(code, SRIOV_CNI_E_DECODE);
	json_object_put(o);
	o = run_json("ADD", "{\"cniVersion\":\"1.0.0\",\"vlan\":9999}", "/nonexistent", NULL, &code);
	assert_int_equal(code, SRIOV_CNI_E_CONFIG);
	assert_non_null(strstr(get(o, "msg"), "\"vlan\": 9999 is out of range"));
	json_object_put(o);
	o = run_json("ADD", "{\"cniVersion\":\"1.0.0\"}", "/nonexistent", NULL, &code);
	assert_int_equal(code, SRIOV_CNI_E_CONFIG);
	assert_non_null(strstr(get(o, "msg"), "no deviceID"));
	json_object_put(o);
	o = run_json("CHECK", "{\"cniVersion\":\"0.3.1\"}", "/nonexistent", NULL, &code);
	assert_int_equal(code, SRIOV_CNI_E_VERSION);
	json_object_put(o);
	o = run_json("GC", "{\"cniVersion\":\"1.0.0\"}", "/nonexistent", NULL, &code);
	assert_int_equal(code, SRIOV_CNI_E_VERSION);
	json_object_put(o);
	{
		char *e = sriov_cni_error_json(NULL, 7, "bad", "more");

		o = json_tokener_parse(e);
		assert_string_equal(get(o, "cniVersion"), "1.1.0");
		assert_string_equal(get(o, "code"), "7");
		assert_string_equal(get(o, "msg"), "bad");
		assert_string_equal(get(o, "details"), "more");
		json_object_put(o);
		free(e);
	}
}

static void test_status_and_del(void **state)
{
	char tmp[200], dir[300], file[320];
	json_object *o;
	int code;

	(void)state;
	tl_mkdtemp(tmp, sizeof(tmp), "sriov-cni");
	snprintf(dir, sizeof(dir), "%s/state", tmp);
	o = run_json("STATUS", "{\"cniVersion\":\"1.1.0\"}", dir, NULL, &code);
	assert_int_equal(code, 0);
	assert_null(o);
	/* a state dir that cannot be made: not ready, code 50 */
	snprintf(file, sizeof(file), "%s/file", tmp);
	tl_put(tmp, "file", "x");
	snprintf(dir, sizeof(dir), "%s/file/state", tmp);
	o = run_json("STATUS", "{\"cniVersion\":\"1.1.0\"}", dir, NULL, &code);
	assert_int_equal(code, SRIOV_CNI_E_NOT_READY);
	assert_non_null(strstr(get(o, "msg"), "cannot create the state directory"));
	json_object_put(o);
	/* DEL without a record: success, nothing printed, as often as asked */
	snprintf(dir, sizeof(dir), "%s/state", tmp);
	for (int i = 0; i < 2; i++) {
		o = run_json("DEL", "{\"cniVersion\":\"1.0.0\",\"deviceID\":\"0000:3b:02.1\"}", dir,
			     NULL, &code);
		assert_int_equal(code, 0);
		assert_null(o);
	}
	/* CHECK without one: the container is unknown */
	o = run_json("CHECK", "{\"cniVersion\":\"1.0.0\",\"prevResult\":{}}", dir, NULL, &code);
	assert_int_equal(code, SRIOV_CNI_E_CONTAINER);
	json_object_put(o);
	tl_rm_rf(tmp);
}

static void test_add_refusals(void **state)
{
	char tmp[200], root[300], dir[300], conf[512], pf[SRIOV_ADDR_MAX], vf[SRIOV_ADDR_MAX];
	struct sriov_ctx *ctx;
	struct sriov_host *host;
	json_object *o;
	int code;

	(void)state;
	tl_mkdtemp(tmp, sizeof(tmp), "sriov-cni-host");
	snprintf(root, sizeof(root), "%s/host", tmp);
	snprintf(dir, sizeof(dir), "%s/state", tmp);
	tl_hostgen(root, "--card i350:pfs=1,vfs=2");
	assert_int_equal(sriov_ctx_new(root, &ctx), 0);
	assert_int_equal(sriov_host_load(ctx, SRIOV_LOAD_NO_NAMES, &host), 0);
	assert_int_equal(host->n_pfs, 1);
	assert_int_equal(host->pfs[0].n_vfs, 2);
	snprintf(pf, sizeof(pf), "%s", host->pfs[0].address);
	snprintf(vf, sizeof(vf), "%s", host->pfs[0].vfs[1].address);
	sriov_host_free(host);
	sriov_ctx_free(ctx);
	/* the PF */
	snprintf(conf, sizeof(conf), "{\"cniVersion\":\"1.1.0\",\"deviceID\":\"%s\"}", pf);
	o = run_json("ADD", conf, dir, root, &code);
	if (code != SRIOV_CNI_E_DEVICE)
		fail_msg("code %d: %s", code, get(o, "msg"));
	assert_non_null(strstr(get(o, "msg"), "is a PF"));
	json_object_put(o);
	/* no such device */
	o = run_json("ADD", "{\"cniVersion\":\"1.1.0\",\"deviceID\":\"0000:99:00.7\"}", dir, root,
		     &code);
	assert_int_equal(code, SRIOV_CNI_E_DEVICE);
	assert_non_null(strstr(get(o, "msg"), "is not a VF"));
	json_object_put(o);
	/* a VF, but a tree has no kernel to report its attributes */
	snprintf(conf, sizeof(conf), "{\"cniVersion\":\"1.1.0\",\"deviceID\":\"%s\"}", vf);
	o = run_json("ADD", conf, dir, root, &code);
	assert_int_equal(code, SRIOV_CNI_E_DEVICE);
	assert_non_null(strstr(get(o, "msg"), "does not report VF 1 over rtnetlink"));
	json_object_put(o);
	/* held by another attachment of this boot: busy, naming it */
	tl_put(root, "proc/sys/kernel/random/boot_id", "0b9f-new\n");
	{
		char owner[512];
		FILE *f;

		/* the earlier ADDs made the state directory */
		snprintf(owner, sizeof(owner), "%s/%s.owner", dir, vf);
		f = fopen(owner, "w");

		assert_non_null(f);
		fputs("c9-net1 0b9f-new\n", f);
		fclose(f);
		snprintf(conf, sizeof(conf), "{\"cniVersion\":\"1.1.0\",\"deviceID\":\"%s\"}", vf);
		o = run_json("ADD", conf, dir, root, &code);
		assert_int_equal(code, SRIOV_CNI_E_BUSY);
		assert_non_null(strstr(get(o, "msg"), "is attached to c9-net1 already"));
		json_object_put(o);
		/* recorded before a reboot: stale, dropped, ADD goes on */
		f = fopen(owner, "w");
		assert_non_null(f);
		fputs("c9-net1 0b9f-old\n", f);
		fclose(f);
		o = run_json("ADD", conf, dir, root, &code);
		assert_int_equal(code, SRIOV_CNI_E_DEVICE);
		assert_non_null(strstr(get(o, "msg"), "over rtnetlink"));
		json_object_put(o);
	}
	/* and nothing was recorded for it: the lock file only */
	snprintf(conf, sizeof(conf), "%s/%s.owner", dir, vf);
	assert_int_equal(access(conf, F_OK), -1);
	snprintf(conf, sizeof(conf), "%s/c1-net1.json", dir);
	assert_int_equal(access(conf, F_OK), -1);
	snprintf(conf, sizeof(conf), "%s/%s.lock", dir, vf);
	assert_int_equal(access(conf, F_OK), 0);
	tl_rm_rf(tmp);
}

static void test_result(void **state)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 };
	const char *ipam = "{\"cniVersion\":\"1.1.0\",\"ips\":[{\"address\":\"10.1.0.2/24\",\"gateway\":\"10.1.0.1\"}],"
			   "\"routes\":[{\"dst\":\"0.0.0.0/0\"}],\"dns\":{\"nameservers\":[\"10.1.0.1\"]}}";
	char *s;
	json_object *o, *ifs, *it, *ips;

	(void)state;
	s = cni_result_json("1.1.0", "net1", mac, 1400, "/run/netns/p", "0000:02:10.0", ipam);
	o = json_tokener_parse(s);
	assert_string_equal(get(o, "cniVersion"), "1.1.0");
	assert_true(json_object_object_get_ex(o, "interfaces", &ifs));
	it = json_object_array_get_idx(ifs, 0);
	assert_string_equal(get(it, "name"), "net1");
	assert_string_equal(get(it, "mac"), "02:00:00:00:00:01");
	assert_string_equal(get(it, "mtu"), "1400");
	assert_string_equal(get(it, "sandbox"), "/run/netns/p");
	assert_string_equal(get(it, "pciID"), "0000:02:10.0");
	assert_true(json_object_object_get_ex(o, "ips", &ips));
	assert_string_equal(get(json_object_array_get_idx(ips, 0), "interface"), "0");
	assert_string_equal(get(json_object_array_get_idx(ips, 0), "address"), "10.1.0.2/24");
	assert_non_null(get(o, "routes"));
	assert_non_null(strstr(get(o, "dns"), "10.1.0.1"));
	json_object_put(o);
	free(s);
	/* before 1.1: neither pciID nor mtu */
	s = cni_result_json("1.0.0", "net1", mac, 1400, "/run/netns/p", "0000:02:10.0", NULL);
	o = json_tokener_parse(s);
	it = json_object_array_get_idx(json_object_object_get(o, "interfaces"), 0);
	assert_null(get(it, "pciID"));
	assert_null(get(it, "mtu"));
	assert_null(get(o, "ips"));
	json_object_put(o);
	free(s);
	/* a vfio-pci VF: no MAC, no sandbox */
	s = cni_result_json("1.1.0", "net1", NULL, 0, NULL, "0000:02:10.0", NULL);
	o = json_tokener_parse(s);
	it = json_object_array_get_idx(json_object_object_get(o, "interfaces"), 0);
	assert_null(get(it, "mac"));
	assert_null(get(it, "sandbox"));
	assert_string_equal(get(it, "pciID"), "0000:02:10.0");
	json_object_put(o);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_key),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_device_id_sources),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_not_json),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_gc_and_prev),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_state_round_trip),
		cmocka_unit_test(test_state_bad),
		cmocka_unit_test(test_result),
		cmocka_unit_test(test_version_and_errors),
		cmocka_unit_test(test_status_and_del),
		cmocka_unit_test(test_add_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
