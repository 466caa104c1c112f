/* SPDX-License-Identifier: MIT */
/* The exposition writer: escaping of what sysfs holds, families, findings. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "metrics/expo.h"
#include "sriov.h"

static char *label(const char *v)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(sriov_metrics_write_label_value(v, f), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

#define LABEL_EQ(in, want) do { \
	char *got_ = label(in); \
	assert_string_equal(got_, want); \
	free(got_); \
} while (0)

static void test_label_escaping(void **state)
{
	(void)state;
	LABEL_EQ("ens1f0", "ens1f0");
	LABEL_EQ("", "");
	LABEL_EQ(NULL, "");
	/* the three the format escapes, and nothing else */
	LABEL_EQ("a\"b", "a\\\"b");
	LABEL_EQ("back\\slash", "back\\\\slash");
	LABEL_EQ("two\nlines", "two\\nlines");
	LABEL_EQ("\"\\\n", "\\\"\\\\\\n");
	LABEL_EQ("tab\tcr\r", "tab\tcr\r");
	/* valid UTF-8 stays; bytes that are not become U+FFFD, one each */
	LABEL_EQ("caf\xc3\xa9", "caf\xc3\xa9");
	LABEL_EQ("x\xffy", "x\xef\xbf\xbdy");
	LABEL_EQ("\xc3", "\xef\xbf\xbd");
	LABEL_EQ("\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd"); /* overlong '/' */
	LABEL_EQ("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); /* surrogate */
}

static char *expo_run(void (*fn)(struct expo *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct expo e = { .f = f };

	assert_non_null(f);
	fn(&e);
	assert_int_equal(e.err, 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void one_family(struct expo *e)
{
	expo_family(e, "x_total", "counter", "Help with a \\ and\na newline.");
	expo_u64(e, (struct expo_label[]){ { "a", "q\"" }, { "b", NULL } }, 2, 18446744073709551615ull);
	expo_double(e, NULL, 0, 0.25);
	expo_double(e, NULL, 0, 1796307070.0);
}

static void test_family(void **state)
{
	char *s = expo_run(one_family);

	(void)state;
	assert_string_equal(s,
		"# HELP x_total Help with a \\\\ and\\na newline.\n"
		"# TYPE x_total counter\n"
		"x_total{a=\"q\\\"\",b=\"\"} 18446744073709551615\n"
		"x_total 0.25\n"
		"x_total 1796307070\n");
	free(s);
}

/* A PF with one VF whose names hold every character that needs escaping. */
static char *write_host(const struct sriov_check_report *rep)
{
	static char vfnet[] = "ev\"il\\\nvf", vfdrv[] = "iavf", pfdrv[] = "ice";
	static char ndname[] = "ens1f0", up[] = "up";
	struct sriov_netdev nd = { .name = ndname, .operstate = up, .speed_mbps = 100000,
				   .mtu = 9000, .ifindex = 4, .up = 1 };
	struct sriov_vf vf = { .index = 3, .address = "0000:3b:02.3", .driver = vfdrv,
			       .netdev = vfnet, .numa_node = 1, .iommu_group = 40 };
	struct sriov_pf pf = { .address = "0000:3b:00.0", .vendor_id = 0x8086,
			       .device_id = 0x1592, .vf_device_id = 0x1889,
			       .driver = pfdrv, .netdevs = &nd, .n_netdevs = 1,
			       .numa_node = 1, .total_vfs = 128, .num_vfs = 1,
			       .vfs = &vf, .n_vfs = 1,
			       .vf_links = SRIOV_VF_LINKS_TRUNCATED };
	struct sriov_host host = { .pfs = &pf, .n_pfs = 1 };
	struct sriov_metrics_policy pol = { .present = true, .changes = 3 };
	struct sriov_metrics_input in = { .host = &host, .checks = rep,
					  .checks_timestamp = 100, .policy = &pol };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	vf.link = (struct sriov_vf_link){ .present = true,
		.source = SRIOV_VF_LINK_SRC_NETLINK, .mac = "02:00:00:00:00:03",
		.vlan = 100, .qos = 3, .vlan_proto = 0x88a8, .max_tx_rate = 50,
		.spoofchk = 0, .trust = 1, .query_rss = -1, .link_state = 2 };
	vf.stats = (struct sriov_vf_stats){ .present = true, .rx_bytes = 1000,
					    .tx_bytes = 2000, .rx_dropped = 7 };
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	assert_int_equal(sriov_metrics_write(&in, f), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_host(void **state)
{
	char *s = write_host(NULL);

	(void)state;
	assert_non_null(strstr(s,
		"sriov_vf_info{pf=\"0000:3b:00.0\",vf=\"3\",pci_address=\"0000:3b:02.3\","
		"netdev=\"ev\\\"il\\\\\\nvf\",driver=\"iavf\",mac=\"02:00:00:00:00:03\","
		"vlan=\"100\",qos=\"3\",vlan_proto=\"802.1ad\",spoof_check=\"off\","
		"trust=\"on\",link_state=\"disable\",numa_node=\"1\"} 1\n"));
	assert_non_null(strstr(s, "# TYPE sriov_vf_receive_bytes_total counter\n"
				  "sriov_vf_receive_bytes_total{pf=\"0000:3b:00.0\",vf=\"3\"} 1000\n"));
	assert_non_null(strstr(s, "sriov_vf_receive_dropped_total{pf=\"0000:3b:00.0\",vf=\"3\"} 7\n"));
	/* 50 Mb/s as bytes per second */
	assert_non_null(strstr(s, "sriov_vf_max_tx_rate_bytes_per_second{pf=\"0000:3b:00.0\",vf=\"3\"} 6250000\n"));
	assert_non_null(strstr(s, "sriov_pf_vf_list_truncated{pf=\"0000:3b:00.0\"} 1\n"));
	assert_non_null(strstr(s, "sriov_pf_netdev_speed_bytes{pf=\"0000:3b:00.0\",netdev=\"ens1f0\"} 12500000000\n"));
	assert_non_null(strstr(s, "sriov_pf_info{pf=\"0000:3b:00.0\",netdev=\"ens1f0\",driver=\"ice\","
				  "vendor_id=\"8086\",device_id=\"1592\",vf_device_id=\"1889\",numa_node=\"1\"} 1\n"));
	assert_non_null(strstr(s, "sriov_policy_drift_changes 3\n"));
	/* no checks given: no check families; no self: no exporter families */
	assert_null(strstr(s, "sriov_check_"));
	assert_null(strstr(s, "sriov_exporter_"));
	free(s);
}

static void test_findings_merge(void **state)
{
	static char a[] = "ens1f0/vf1", b[] = "ens1f0/vf1", c[] = "ens1f0/vf2";
	const struct sriov_check_info *ci = sriov_check_info_find("vf.spoofchk");
	struct sriov_finding v[] = {
		{ .check = ci, .severity = SRIOV_SEV_WARN, .subject = a },
		{ .check = ci, .severity = SRIOV_SEV_OK, .subject = c },
		{ .check = ci, .severity = SRIOV_SEV_WARN, .subject = b },
		{ .check = sriov_check_info_find("iommu.cmdline"), .severity = SRIOV_SEV_FAIL },
	};
	struct sriov_check_report rep = { .v = v, .n = 4 };
	char *s;

	(void)state;
	assert_non_null(ci);
	assert_non_null(v[3].check);
	s = write_host(&rep);
	/* two alike findings are one series counting 2: no duplicate series */
	assert_non_null(strstr(s, "sriov_check_findings{id=\"vf.spoofchk\",severity=\"warn\",device=\"ens1f0/vf1\"} 2\n"));
	assert_non_null(strstr(s, "sriov_check_findings{id=\"vf.spoofchk\",severity=\"ok\",device=\"ens1f0/vf2\"} 1\n"));
	assert_non_null(strstr(s, "sriov_check_findings{id=\"iommu.cmdline\",severity=\"fail\",device=\"\"} 1\n"));
	assert_non_null(strstr(s, "sriov_check_last_run_timestamp_seconds 100\n"));
	free(s);
}

static void test_write_error(void **state)
{
	struct sriov_host host = { 0 };
	struct sriov_metrics_input in = { .host = &host };
	FILE *f = fopen("/dev/full", "w");

	(void)state;
	assert_non_null(f);
	assert_int_equal(sriov_metrics_write(&in, f), -EIO);
	fclose(f);
	assert_int_equal(sriov_metrics_write(&(struct sriov_metrics_input){ 0 }, stdout), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label_escaping),
		cmocka_unit_test(test_family),
		cmocka_unit_test(test_host),
		cmocka_unit_test(test_findings_merge),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
