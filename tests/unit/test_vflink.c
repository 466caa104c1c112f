/* SPDX-License-Identifier: MIT */
/*
 * The rtnetlink VF list: decoding messages built as the kernel builds them
 * (rtnl_fill_vfinfo), and one real dump from the running kernel.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "net/rtnl.h"
#include "net/vflink.h"

/* big enough for a VF list past 64 KiB, as the kernel builds it */
static char buf[160 * 1024];

static struct nlmsghdr *start(const char *ifname, int num_vf)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 7;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	if (num_vf >= 0)
		mnl_attr_put_u32(nlh, IFLA_NUM_VF, (uint32_t)num_vf);
	return nlh;
}

static void put_vf(struct nlmsghdr *nlh, uint32_t vf, uint8_t last_octet,
		   bool list_vlan)
{
	struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
	struct ifla_vf_mac mac = { .vf = vf,
		.mac = { 0x02, 0, 0, 0, 0, last_octet } };
	struct ifla_vf_vlan vlan = { .vf = vf, .vlan = 10, .qos = 2 };
	struct ifla_vf_rate rate = { .vf = vf, .min_tx_rate = 10,
				     .max_tx_rate = 100 };
	struct ifla_vf_tx_rate tx = { .vf = vf, .rate = 100 };
	struct ifla_vf_spoofchk spoof = { .vf = vf, .setting = 0 };
	struct ifla_vf_trust trust = { .vf = vf, .setting = 1 };
	struct ifla_vf_rss_query_en rss = { .vf = vf, .setting = (__u32)-1 };
	struct ifla_vf_link_state ls = { .vf = vf,
		.link_state = IFLA_VF_LINK_STATE_DISABLE };

	mnl_attr_put(nlh, IFLA_VF_MAC, sizeof(mac), &mac);
	mnl_attr_put(nlh, IFLA_VF_VLAN, sizeof(vlan), &vlan);
	if (list_vlan) {
		struct nlattr *l = mnl_attr_nest_start(nlh, IFLA_VF_VLAN_LIST);
		struct ifla_vf_vlan_info vi = { .vf = vf, .vlan = 20, .qos = 3,
			.vlan_proto = htons(0x88a8) };

		mnl_attr_put(nlh, IFLA_VF_VLAN_INFO, sizeof(vi), &vi);
		mnl_attr_nest_end(nlh, l);
		mnl_attr_put(nlh, IFLA_VF_RATE, sizeof(rate), &rate);
	}
	mnl_attr_put(nlh, IFLA_VF_TX_RATE, sizeof(tx), &tx);
	mnl_attr_put(nlh, IFLA_VF_SPOOFCHK, sizeof(spoof), &spoof);
	mnl_attr_put(nlh, IFLA_VF_LINK_STATE, sizeof(ls), &ls);
	mnl_attr_put(nlh, IFLA_VF_RSS_QUERY_EN, sizeof(rss), &rss);
	mnl_attr_put(nlh, IFLA_VF_TRUST, sizeof(trust), &trust);
	mnl_attr_nest_end(nlh, info);
}

static void test_full_list(void **state)
{
	struct nlmsghdr *nlh = start("ens1f0", 2);
	struct nlattr *list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
	struct vflink_dev dev;
	const struct sriov_vf_link *l;

	put_vf(nlh, 0, 0xaa, true);
	put_vf(nlh, 1, 0xbb, false);
	mnl_attr_nest_end(nlh, list);
	assert_int_equal(vflink_parse(nlh, &dev), 1);
	assert_string_equal(dev.ifname, "ens1f0");
	assert_int_equal(dev.ifindex, 7);
	assert_int_equal(dev.num_vf, 2);
	assert_int_equal(dev.n_vfs, 2);
	assert_false(vflink_truncated(&dev));
	/* VF 0: the VLAN list wins over the legacy attribute; IFLA_VF_RATE */
	l = &dev.vfs[0].link;
	assert_int_equal(dev.vfs[0].index, 0);
	assert_true(l->present);
	assert_string_equal(l->mac, "02:00:00:00:00:aa");
	assert_int_equal(l->vlan, 20);
	assert_int_equal(l->qos, 3);
	assert_int_equal(l->vlan_proto, 0x88a8);
	assert_int_equal(l->min_tx_rate, 10);
	assert_int_equal(l->max_tx_rate, 100);
	assert_int_equal(l->spoofchk, 0);
	assert_int_equal(l->trust, 1);
	assert_int_equal(l->query_rss, -1); /* the driver does not say */
	assert_int_equal(l->link_state, 2);
	/* VF 1: legacy VLAN (802.1Q) and TX rate only */
	l = &dev.vfs[1].link;
	assert_int_equal(dev.vfs[1].index, 1);
	assert_string_equal(l->mac, "02:00:00:00:00:bb");
	assert_int_equal(l->vlan, 10);
	assert_int_equal(l->qos, 2);
	assert_int_equal(l->vlan_proto, 0x8100);
	assert_int_equal(l->min_tx_rate, 0);
	assert_int_equal(l->max_tx_rate, 100);
	vflink_dev_free(&dev);
}

static void test_truncated(void **state)
{
	struct nlmsghdr *nlh = start("ens1f0", 300);
	struct nlattr *list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
	struct vflink_dev dev;

	put_vf(nlh, 0, 1, false);
	mnl_attr_nest_end(nlh, list);
	assert_int_equal(vflink_parse(nlh, &dev), 1);
	assert_int_equal(dev.n_vfs, 1);
	assert_int_equal(dev.num_vf, 300);
	assert_true(vflink_truncated(&dev));
	vflink_dev_free(&dev);
}

static void test_no_vfs(void **state)
{
	struct vflink_dev dev;

	assert_int_equal(vflink_parse(start("lo", -1), &dev), 0);
	assert_int_equal(vflink_parse(start("eth0", 0), &dev), 0);
	/* a PF with VFs enabled but no list (RTEXT_FILTER_VF not asked) */
	assert_int_equal(vflink_parse(start("ens1f0", 4), &dev), 1);
	assert_int_equal(dev.n_vfs, 0);
	assert_true(vflink_truncated(&dev));
	vflink_dev_free(&dev);
}

static void test_malformed(void **state)
{
	struct nlmsghdr *nlh = start("ens1f0", 1);
	struct nlattr *list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
	struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
	struct vflink_dev dev;
	uint16_t shorty = 1;

	/* a VF entry whose MAC attribute is too short to hold the struct */
	mnl_attr_put(nlh, IFLA_VF_MAC, sizeof(shorty), &shorty);
	mnl_attr_nest_end(nlh, info);
	mnl_attr_nest_end(nlh, list);
	assert_int_equal(vflink_parse(nlh, &dev), -EINVAL);
	/* an unaligned length: the last attribute would reach past it
	 * (found by fuzz_vflink) */
	nlh = start("ens1f0", -1);
	nlh->nlmsg_len -= 1;
	assert_int_equal(vflink_parse(nlh, &dev), -EINVAL);
	/* a message too short for its header */
	nlh = start("x", -1);
	nlh->nlmsg_len = sizeof(*nlh) + 2;
	assert_int_equal(vflink_parse(nlh, &dev), -EINVAL);
}

/* IFLA_VF_STATS as rtnl_fill_vfinfo puts it: u64s with IFLA_VF_STATS_PAD. */
static void put_stats(struct nlmsghdr *nlh, uint64_t base, bool dropped)
{
	struct nlattr *st = mnl_attr_nest_start(nlh, IFLA_VF_STATS);

	for (int t = IFLA_VF_STATS_RX_PACKETS; t <= IFLA_VF_STATS_TX_DROPPED;
	     t++) {
		if (t == IFLA_VF_STATS_PAD) {
			mnl_attr_put(nlh, IFLA_VF_STATS_PAD, 0, NULL);
			continue;
		}
		if (!dropped && (t == IFLA_VF_STATS_RX_DROPPED ||
				 t == IFLA_VF_STATS_TX_DROPPED))
			continue;
		mnl_attr_put_u64(nlh, (uint16_t)t, base + (uint64_t)t);
	}
	mnl_attr_nest_end(nlh, st);
}

static void test_stats(void **state)
{
	struct nlmsghdr *nlh = start("ens1f0", 2);
	struct nlattr *list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
	struct nlattr *info;
	struct ifla_vf_mac mac = { .vf = 1 };
	struct vflink_dev dev;
	const struct sriov_vf_stats *st;

	(void)state;
	put_vf(nlh, 0, 1, false);
	/* put_vf closed its nest: reopen a second entry with counters */
	info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
	mnl_attr_put(nlh, IFLA_VF_MAC, sizeof(mac), &mac);
	put_stats(nlh, 1ull << 40, true);
	mnl_attr_nest_end(nlh, info);
	info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
	mac.vf = 2;
	mnl_attr_put(nlh, IFLA_VF_MAC, sizeof(mac), &mac);
	put_stats(nlh, 100, false); /* older kernels: no dropped counters */
	mnl_attr_nest_end(nlh, info);
	mnl_attr_nest_end(nlh, list);
	assert_int_equal(vflink_parse(nlh, &dev), 1);
	assert_int_equal(dev.n_vfs, 3);
	assert_false(dev.vfs[0].stats.present); /* RTEXT_FILTER_SKIP_STATS */
	st = &dev.vfs[1].stats;
	assert_true(st->present);
	assert_true(st->rx_packets == (1ull << 40) + IFLA_VF_STATS_RX_PACKETS);
	assert_true(st->tx_packets == (1ull << 40) + IFLA_VF_STATS_TX_PACKETS);
	assert_true(st->rx_bytes == (1ull << 40) + IFLA_VF_STATS_RX_BYTES);
	assert_true(st->tx_bytes == (1ull << 40) + IFLA_VF_STATS_TX_BYTES);
	assert_true(st->broadcast == (1ull << 40) + IFLA_VF_STATS_BROADCAST);
	assert_true(st->multicast == (1ull << 40) + IFLA_VF_STATS_MULTICAST);
	assert_true(st->rx_dropped == (1ull << 40) + IFLA_VF_STATS_RX_DROPPED);
	assert_true(st->tx_dropped == (1ull << 40) + IFLA_VF_STATS_TX_DROPPED);
	st = &dev.vfs[2].stats;
	assert_true(st->present);
	assert_int_equal(st->rx_packets, 100);
	assert_int_equal(st->rx_dropped, 0);
	assert_int_equal(st->tx_dropped, 0);
	vflink_dev_free(&dev);
}

/*
 * What the kernel really sends for a PF with too many VFs: every entry,
 * in a nest whose 16-bit length wrapped (nla_nest_end stores the low 16
 * bits); the rest of the entries then follow as if they were top-level
 * attributes. Only the entries inside the wrapped length are the list.
 */
static void test_wrapped_list(void **state)
{
	struct nlmsghdr *nlh = start("ens1f0", 500);
	struct nlattr *list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
	size_t ends[500], total, wrapped, want = 0;
	struct vflink_dev dev;

	(void)state;
	for (unsigned i = 0; i < 500; i++) {
		put_vf(nlh, i, (uint8_t)i, true);
		ends[i] = (size_t)((char *)mnl_nlmsg_get_payload_tail(nlh) -
				   (char *)list);
	}
	mnl_attr_nest_end(nlh, list);
	total = ends[499];
	assert_true(total > 65535);
	wrapped = total & 0xffff;
	assert_int_equal(list->nla_len, wrapped);
	for (unsigned i = 0; i < 500; i++)
		if (ends[i] <= wrapped)
			want = i + 1;
	assert_int_equal(vflink_parse(nlh, &dev), 1);
	assert_int_equal(dev.num_vf, 500);
	assert_int_equal(dev.n_vfs, want);
	assert_true(vflink_truncated(&dev));
	assert_string_equal(dev.ifname, "ens1f0");
	for (size_t i = 0; i < dev.n_vfs; i++)
		assert_int_equal(dev.vfs[i].index, i);
	vflink_dev_free(&dev);
}

/* Attribute lengths that point past their container are not followed. */
static void test_lengths_beyond(void **state)
{
	struct nlmsghdr *nlh;
	struct nlattr *list, *info;
	struct vflink_dev dev;

	(void)state;
	/* a VF entry longer than the list: the list has no entry */
	nlh = start("ens1f0", 2);
	list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
	put_vf(nlh, 0, 1, false);
	info = (struct nlattr *)mnl_attr_get_payload(list);
	mnl_attr_nest_end(nlh, list);
	info->nla_len = (uint16_t)(list->nla_len + 8);
	assert_int_equal(vflink_parse(nlh, &dev), 1);
	assert_int_equal(dev.n_vfs, 0);
	assert_true(vflink_truncated(&dev));
	vflink_dev_free(&dev);

	/* the list itself longer than the message: no list at all */
	nlh = start("ens1f0", 2);
	list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
	put_vf(nlh, 0, 1, false);
	mnl_attr_nest_end(nlh, list);
	list->nla_len = (uint16_t)(list->nla_len + 64);
	assert_int_equal(vflink_parse(nlh, &dev), 1);
	assert_int_equal(dev.n_vfs, 0);
	vflink_dev_free(&dev);

	/* a MAC attribute longer than its VF entry: the entry has no MAC */
	nlh = start("ens1f0", 1);
	list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
	put_vf(nlh, 0, 1, false);
	mnl_attr_nest_end(nlh, list);
	info = (struct nlattr *)mnl_attr_get_payload(list);
	((struct nlattr *)mnl_attr_get_payload(info))->nla_len =
		(uint16_t)(info->nla_len + 4);
	assert_int_equal(vflink_parse(nlh, &dev), -EINVAL);
}

static void test_unknown_attributes(void **state)
{
	struct nlmsghdr *nlh = start("ens1f0", 1);
	struct nlattr *list, *info;
	struct ifla_vf_mac mac = { .vf = 0, .mac = { 2, 0, 0, 0, 0, 9 } };
	uint32_t junk = 0xdeadbeef;
	struct vflink_dev dev;

	(void)state;
	mnl_attr_put(nlh, 900, sizeof(junk), &junk);     /* > IFLA_MAX */
	list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
	mnl_attr_put(nlh, 77, sizeof(junk), &junk);      /* not IFLA_VF_INFO */
	info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
	mnl_attr_put(nlh, 200, sizeof(junk), &junk);     /* > IFLA_VF_MAX */
	mnl_attr_put(nlh, IFLA_VF_MAC, sizeof(mac), &mac);
	mnl_attr_put(nlh, IFLA_VF_SPOOFCHK, 2, &junk);   /* too short: unknown */
	mnl_attr_nest_end(nlh, info);
	mnl_attr_nest_end(nlh, list);
	assert_int_equal(vflink_parse(nlh, &dev), 1);
	assert_int_equal(dev.n_vfs, 1);
	assert_string_equal(dev.vfs[0].link.mac, "02:00:00:00:00:09");
	assert_int_equal(dev.vfs[0].link.spoofchk, -1);
	assert_int_equal(dev.vfs[0].link.source, SRIOV_VF_LINK_SRC_NETLINK);
	assert_false(vflink_truncated(&dev));
	vflink_dev_free(&dev);
}

static void test_num_vf_absent(void **state)
{
	struct nlmsghdr *nlh = start("ens1f0", -1);
	struct nlattr *list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
	struct vflink_dev dev;
	uint16_t shorty = 3;

	(void)state;
	put_vf(nlh, 0, 1, false);
	mnl_attr_nest_end(nlh, list);
	/* a list without a count: the entries are what there is */
	assert_int_equal(vflink_parse(nlh, &dev), 1);
	assert_int_equal(dev.num_vf, 0);
	assert_int_equal(dev.n_vfs, 1);
	assert_false(vflink_truncated(&dev));
	vflink_dev_free(&dev);
	/* a count too short to read: treated as absent */
	nlh = start("ens1f0", -1);
	mnl_attr_put(nlh, IFLA_NUM_VF, sizeof(shorty), &shorty);
	assert_int_equal(vflink_parse(nlh, &dev), 0);
}

/* A hex file of tests/data/rtnl into buf; returns the message. */
static struct nlmsghdr *recorded(const char *name)
{
	const char *dir = getenv("SRIOV_TEST_DATA");
	char path[1024], line[512];
	size_t n = 0;
	FILE *f;

	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/rtnl/%s.hex", dir, name);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *end;

		if (line[0] == '#')
			continue;
		for (unsigned long v; (v = strtoul(p, &end, 16)), end != p;
		     p = end)
			buf[n++] = (char)v;
	}
	fclose(f);
	assert_int_equal(((struct nlmsghdr *)buf)->nlmsg_len, n);
	return (struct nlmsghdr *)buf;
}

/* What the real kernel sent for netdevsim with the attributes scale.sh set. */
static void check_recorded(const struct vflink_dev *dev, bool stats)
{
	const struct sriov_vf_link *l;

	assert_string_equal(dev->ifname, "eth0");
	assert_int_equal(dev->num_vf, 4);
	assert_int_equal(dev->n_vfs, 4);
	assert_false(vflink_truncated(dev));
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(dev->vfs[i].index, i);
		assert_int_equal(dev->vfs[i].stats.present, stats);
		/* netdevsim has no ndo_get_vf_stats: the kernel sends zeros */
		assert_true(dev->vfs[i].stats.rx_packets == 0);
	}
	l = &dev->vfs[0].link;
	assert_string_equal(l->mac, "02:00:00:00:08:00");
	assert_int_equal(l->vlan, 10);
	assert_int_equal(l->qos, 2);
	assert_int_equal(l->vlan_proto, 0x8100);
	l = &dev->vfs[1].link;
	assert_int_equal(l->spoofchk, 0);
	assert_int_equal(l->trust, 1);
	l = &dev->vfs[2].link;
	assert_int_equal(l->min_tx_rate, 10);
	assert_int_equal(l->max_tx_rate, 100);
	l = &dev->vfs[3].link;
	assert_int_equal(l->vlan, 30);
	assert_int_equal(l->qos, 1);
	assert_int_equal(l->vlan_proto, 0x88a8);
	assert_int_equal(l->link_state, SRIOV_VF_LINK_DISABLE);
}

static void test_recorded(void **state)
{
	struct vflink_dev dev;

	(void)state;
	assert_int_equal(vflink_parse(recorded("netdevsim-4vf"), &dev), 1);
	check_recorded(&dev, false);
	vflink_dev_free(&dev);
	assert_int_equal(vflink_parse(recorded("netdevsim-4vf-stats"), &dev), 1);
	check_recorded(&dev, true);
	vflink_dev_free(&dev);
}

static void test_live_dump(void **state)
{
	struct rtnl_vf_links links;

	/* The real kernel answers; loopback never has VFs. */
	assert_int_equal(rtnl_dump_vf_links(false, &links), 0);
	assert_null(rtnl_vf_links_find(&links, "lo"));
	rtnl_vf_links_free(&links);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_list),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_no_vfs),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_wrapped_list),
		cmocka_unit_test(test_lengths_beyond),
		cmocka_unit_test(test_unknown_attributes),
		cmocka_unit_test(test_num_vf_absent),
		cmocka_unit_test(test_recorded),
		cmocka_unit_test(test_live_dump),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
