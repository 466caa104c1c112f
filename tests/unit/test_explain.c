/* SPDX-License-Identifier: MIT */
/* explain: the failure table, the matcher and what is pulled from a text. */
#include <errno.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "explain/explain.h"
#include "sriov.h"

/* The ids of the failures @text matches, space-separated. */
static const char *ids(const char *text)
{
	static char buf[512];
	struct sriov_explanation *e;

	assert_int_equal(sriov_explain(NULL, NULL, text, &e), 0);
	buf[0] = '\0';
	for (size_t i = 0; i < e->n_matches; i++) {
		if (i)
			strcat(buf, " ");
		strcat(buf, e->matches[i].failure->id);
	}
	assert_false(e->looked_up);
	sriov_explanation_free(e);
	return buf;
}

static void test_table(void **state)
{
	size_t n, nr;
	const struct sriov_failure *f = sriov_failures(&n);
	const struct explain_rule *r = explain_rules(&nr);

	(void)state;
	assert_true(n >= 14);
	for (size_t i = 0; i < n; i++) {
		assert_non_null(f[i].meaning);
		assert_non_null(f[i].fix);
		assert_non_null(f[i].checks);
		for (size_t j = i + 1; j < n; j++)
			assert_string_not_equal(f[i].id, f[j].id);
	}
	/* every rule compiles and names a failure of the table */
	for (size_t i = 0; i < nr; i++) {
		regex_t rx;
		bool known = false;

		assert_int_equal(regcomp(&rx, r[i].re, REG_EXTENDED | REG_ICASE), 0);
		regfree(&rx);
		if (r[i].context) {
			assert_int_equal(regcomp(&rx, r[i].context, REG_EXTENDED | REG_ICASE), 0);
			regfree(&rx);
		}
		for (size_t j = 0; j < n; j++)
			known |= strcmp(f[j].id, r[i].failure) == 0;
		assert_true(known);
	}
}

static void test_match(void **state)
{
	(void)state;
	assert_string_equal(ids("qemu-system-x86_64: -device vfio-pci,host=0000:0b:10.5: vfio 0000:0b:10.5: group 3 is not viable"),
			    "vfio.group-not-viable");
	assert_string_equal(ids("[  12.345678] pci 0000:3b:00.0: not enough MMIO resources for SR-IOV"),
			    "numvfs.mmio");
	assert_string_equal(ids("Nov 23 10:00:01 host kernel: ice 0000:3b:00.0: 4 VFs already enabled. Disable before enabling 8 VFs"),
			    "numvfs.busy");
	/* an errno string alone is no SR-IOV failure, next to sriov_numvfs it is */
	assert_string_equal(ids("cat: x: No such file or directory"), "");
	assert_string_equal(ids("bash: /sys/class/net/ens1f0/device/sriov_numvfs: No such file or directory"),
			    "numvfs.no-driver");
	assert_string_equal(ids("echo 9 > /sys/bus/pci/devices/0000:02:00.0/sriov_numvfs\nbash: echo: write error: Numerical result out of range"),
			    "numvfs.range");
	assert_string_equal(ids("Truncated VF list: ens1f0"), "netlink.truncated-vf-list");
	assert_string_equal(ids("[    3.141592] vfio-pci: probe of 0000:01:00.1 failed with error -22"),
			    "vfio.no-iommu");
	/* a shell's failed redirect, as bash and busybox ash word it */
	assert_string_equal(ids("bash: echo: write error: Device or resource busy"), "numvfs.busy");
	assert_string_equal(ids("sh: write error: Device or resource busy"), "numvfs.busy");
	assert_string_equal(ids("cp: error writing 'x': Device or resource busy"), "");
	assert_string_equal(ids("hello world"), "");
}

static void test_extract(void **state)
{
	struct explain_refs r;

	(void)state;
	/* a time of day ("06:11:06.627255") is no PCI address */
	assert_int_equal(explain_extract(
		"2015-08-11T06:11:06.627255Z qemu-kvm: -device vfio-pci,host=0E:00.0,id=hostdev0: vfio: failed to get group 19\n"
		"vfio 0000:0b:10.5: group 3 is not viable; /dev/vfio/7; cgroup 2\n"
		"virsh nodedev-detach pci_0000_82_10_1\n"
		"ip link set dev ens1f0 vf 3 trust on\n"
		"sriovctl vf enp59s0f1/vf12 set vlan 5\n"
		"Truncated VF list: ens2f0\n", &r), 0);
	assert_int_equal(r.addrs.n, 3);
	assert_string_equal(r.addrs.v[0], "0000:0b:10.5");
	assert_string_equal(r.addrs.v[1], "0e:00.0");
	assert_string_equal(r.addrs.v[2], "0000:82:10.1");
	assert_int_equal(r.n_groups, 3);
	assert_int_equal(r.groups[0], 19);
	assert_int_equal(r.groups[1], 3);
	assert_int_equal(r.groups[2], 7);
	assert_int_equal(r.n_vfs, 2);
	assert_string_equal(r.vfs[0].netdev, "ens1f0");
	assert_int_equal(r.vfs[0].index, 3);
	assert_string_equal(r.vfs[1].netdev, "enp59s0f1");
	assert_int_equal(r.vfs[1].index, 12);
	assert_true(r.netdevs.n >= 3);
	explain_refs_free(&r);
}

/* @line @times over, in one allocated string. */
static char *repeat(const char *line, size_t times, size_t *len)
{
	size_t n = strlen(line);
	char *s = malloc(n * times + 1);

	assert_non_null(s);
	for (size_t i = 0; i < times; i++)
		memcpy(s + i * n, line, n);
	s[n * times] = '\0';
	*len = n * times;
	return s;
}

/* The work of matching, counted: linear in the lines, rules tried rarely. */
static void test_rules_linear(void **state)
{
	size_t n, len;
	const struct explain_rule *rules = explain_rules(&n);
	struct explain_hit *hits = calloc(n, sizeof(*hits));
	struct explain_match_stats st;
	char *text;

	(void)state;
	assert_non_null(hits);
	assert_string_equal(rules[0].failure, "vfio.group-not-viable");
	/* 64 k matching lines: each tried once on the union, the rules on the first */
	text = repeat("[    1.000000] vfio 0000:0b:10.5: group 3 is not viable\n", 65536, &len);
	assert_int_equal(explain_match_rules(text, len, hits, &st), 0);
	assert_int_equal(st.windows, 65536);
	assert_true(st.rule_tries <= n);
	assert_true(st.unions <= n + 1);
	assert_true(hits[0].matched);
	assert_int_equal(hits[0].off, 0);
	free(text);

	/* an errno string on every line, its context on none: one context scan */
	text = repeat("cp: cannot write 'x': Invalid argument\n", 65536, &len);
	assert_int_equal(explain_match_rules(text, len, hits, &st), 0);
	assert_int_equal(st.windows, 65536);
	assert_int_equal(st.context_windows, 65536);
	assert_true(st.rule_tries <= n);
	for (size_t i = 0; i < n; i++)
		assert_false(hits[i].matched);
	free(text);

	/* one 10 MB line without a message: windows of it, no rule tried */
	text = repeat("vlan ", 2 << 20, &len);
	assert_int_equal(explain_match_rules(text, len, hits, &st), 0);
	assert_true(st.windows <= len / (EXPLAIN_LINE_MAX / 2) + 1);
	assert_int_equal(st.rule_tries, 0);
	free(text);

	/* a message at the end of a long line is found, in a window of it */
	text = repeat("A", 100000, &len);
	text = realloc(text, len + 64);
	assert_non_null(text);
	strcpy(text + len, " vfio 0000:0b:10.5: group 3 is not viable");
	len = strlen(text);
	assert_int_equal(explain_match_rules(text, len, hits, &st), 0);
	assert_true(hits[0].matched);
	assert_true(hits[0].len <= EXPLAIN_LINE_MAX);
	assert_int_equal(hits[0].off + hits[0].len, len);
	assert_true(st.windows <= len / (EXPLAIN_LINE_MAX / 2) + 1);
	free(text);
	free(hits);
}

/* Names next to long runs, long runs that are no names, caps on refs. */
static void test_extract_long(void **state)
{
	struct explain_refs r;
	size_t len;
	char *text, *s;

	(void)state;
	/* a 100 k-character word ending in /vf3 is no netdev; one after it is */
	text = repeat("A", 100000, &len);
	s = malloc(2 * len + 64);
	assert_non_null(s);
	sprintf(s, "%s/vf3 %s ens1f0/vf2", text, text);
	assert_int_equal(explain_extract(s, &r), 0);
	assert_int_equal(r.n_vfs, 1);
	assert_string_equal(r.vfs[0].netdev, "ens1f0");
	assert_int_equal(r.vfs[0].index, 2);
	explain_refs_free(&r);
	free(s);
	free(text);

	/* an option chain of "ip -ip -ip ...", walked once, still finds the VF */
	text = repeat(" -ip", 50000, &len);
	s = malloc(len + 64);
	assert_non_null(s);
	sprintf(s, "ip%s link set dev ens1f0 vf 7", text);
	assert_int_equal(explain_extract(s, &r), 0);
	assert_int_equal(r.n_vfs, 1);
	assert_int_equal(r.vfs[0].index, 7);
	assert_string_equal(r.netdevs.v[0], "ens1f0");
	explain_refs_free(&r);
	free(s);
	free(text);

	/* "link set dev NAME": the name is NAME, not "dev" */
	assert_int_equal(explain_extract("ip link set dev ens2f1 up", &r), 0);
	assert_int_equal(r.netdevs.n, 1);
	assert_string_equal(r.netdevs.v[0], "ens2f1");
	explain_refs_free(&r);

	/* a log naming 200 devices: the first 64 of each kind */
	s = calloc(200, 64);
	assert_non_null(s);
	for (int i = 0; i < 200; i++)
		sprintf(s + strlen(s), "vfio 0000:%02x:00.1: group %d; ens%df0/vf1\n",
			i, i, i);
	assert_int_equal(explain_extract(s, &r), 0);
	assert_int_equal(r.addrs.n, EXPLAIN_MAX_REFS);
	assert_string_equal(r.addrs.v[0], "0000:00:00.1");
	assert_int_equal(r.n_groups, EXPLAIN_MAX_REFS);
	assert_int_equal(r.n_vfs, EXPLAIN_MAX_REFS);
	explain_refs_free(&r);
	free(s);
}

/* The text's length is bounded; longer is refused, not matched. */
static void test_text_max(void **state)
{
	struct sriov_explanation *e = NULL;
	char *text = malloc(SRIOV_EXPLAIN_TEXT_MAX + 2);

	(void)state;
	assert_non_null(text);
	memset(text, 'x', SRIOV_EXPLAIN_TEXT_MAX + 1);
	text[SRIOV_EXPLAIN_TEXT_MAX + 1] = '\0';
	assert_int_equal(sriov_explain(NULL, NULL, text, &e), -E2BIG);
	assert_null(e);
	text[SRIOV_EXPLAIN_TEXT_MAX] = '\0';
	assert_int_equal(sriov_explain(NULL, NULL, text, &e), 0);
	assert_int_equal(e->n_matches, 0);
	sriov_explanation_free(e);
	free(text);
}

static void test_no_host(void **state)
{
	struct sriov_explanation *e;

	(void)state;
	/* without a host, the devices are named as written and not looked up */
	assert_int_equal(sriov_explain(NULL, NULL, "vfio 0000:0b:10.5: group 3 is not viable", &e), 0);
	assert_int_equal(e->n_matches, 1);
	assert_string_equal(e->matches[0].excerpt, "vfio 0000:0b:10.5: group 3 is not viable");
	assert_int_equal(e->n_devices, 0);
	assert_int_equal(e->n_groups, 0);
	sriov_explanation_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_extract),
		cmocka_unit_test(test_no_host),
		cmocka_unit_test(test_rules_linear),
		cmocka_unit_test(test_extract_long),
		cmocka_unit_test(test_text_max),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
