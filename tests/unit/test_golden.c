/* SPDX-License-Identifier: MIT */
/*
 * Our VF requests against iproute2's: `sriovctl vf VF set` words go through
 * the same path as the CLI (parse, request, vfset_build) and must equal the
 * bytes `ip link set DEV vf 0 ...` sent (tests/unit/golden/NAME.golden, made
 * by capture.sh), except where we differ on purpose:
 *  - message type: RTM_SETLINK, where ip sends RTM_NEWLINK (both reach
 *    do_setlink for an existing link);
 *  - sequence number and port id;
 *  - NLA_F_NESTED on nests: libmnl sets it, iproute2 does not; the kernel
 *    masks it off (nla_type) and its strict parsers require it.
 * Everything else — flags, ifinfomsg, nesting, lengths, padding — is
 * compared byte for byte.
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
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "net/vfset.h"
#include "ops/vf_request.h"

struct golden {
	const char *file;
	const char *ours;   /* the same request in sriovctl's words */
	int nests;          /* nested attributes in the message */
};

static const struct golden cases[] = {
	{ "mac", "mac 02:00:00:00:00:01", 2 },
	{ "vlan", "vlan 100 qos 3", 2 },
	{ "vlan-8021ad", "vlan 100 qos 3 proto 802.1ad", 3 },
	{ "spoofchk-on", "spoofchk on", 2 },
	{ "spoofchk-off", "spoofchk off", 2 },
	{ "trust-on", "trust on", 2 },
	{ "rate", "min-rate 10 max-rate 100", 2 },
	{ "state-auto", "link-state auto", 2 },
	{ "state-enable", "link-state enable", 2 },
	{ "state-disable", "link-state disable", 2 },
	{ "query-rss-on", "query-rss on", 2 },
};

struct bytes {
	uint8_t b[4096];
	size_t n;
	int ifindex;
	char command[256];
};

static void load(const char *name, struct bytes *g)
{
	const char *dir = getenv("SRIOV_GOLDEN_DIR");
	char path[1024], line[512];
	FILE *f;

	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/%s.golden", dir, name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("%s: %s", path, strerror(errno));
	memset(g, 0, sizeof(*g));
	g->ifindex = -1;
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *end;

		if (sscanf(line, "# ifindex: %d", &g->ifindex) == 1)
			continue;
		if (strncmp(line, "# command: ", 11) == 0) {
			snprintf(g->command, sizeof(g->command), "%.200s", line + 11);
			continue;
		}
		if (line[0] == '#')
			continue;
		for (;;) {
			unsigned long v = strtoul(p, &end, 16);

			if (end == p)
				break;
			assert_true(v <= 0xff && g->n < sizeof(g->b));
			g->b[g->n++] = (uint8_t)v;
			p = end;
		}
	}
	fclose(f);
	assert_true(g->ifindex > 0);
	assert_true(g->n >= sizeof(struct nlmsghdr) + sizeof(struct ifinfomsg));
}

/* Clear NLA_F_NESTED in every nest of [p, p+len); returns the nests seen. */
static int unflag_nests(uint8_t *p, size_t len)
{
	int n = 0;

	while (len >= sizeof(struct nlattr)) {
		struct nlattr *a = (struct nlattr *)p;
		size_t al = a->nla_len, step = MNL_ALIGN(al);

		assert_true(al >= sizeof(*a) && al <= len);
		if (a->nla_type & NLA_F_NESTED) {
			a->nla_type &= (uint16_t)~NLA_F_NESTED;
			n += 1 + unflag_nests(p + sizeof(*a), al - sizeof(*a));
		}
		if (step > len)
			break;
		p += step;
		len -= step;
	}
	return n;
}

static int parse_words(const char *line, struct sriov_vf_settings *s)
{
	char copy[256], *argv[16], *tok, *save = NULL, err[256];
	int argc = 0;

	snprintf(copy, sizeof(copy), "%s", line);
	for (tok = strtok_r(copy, " ", &save); tok && argc < 16;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	return sriov_vf_settings_parse(argc, argv, s, err, sizeof(err));
}

static void compare(const struct golden *c)
{
	static const struct sriov_vf_link cur = { .present = true };
	static uint8_t buf[8192];
	struct bytes g;
	struct sriov_vf_settings s;
	struct vfset_req req;
	struct nlmsghdr *nlh, *gh;
	size_t by;
	uint8_t *ours;

	load(c->file, &g);
	gh = (struct nlmsghdr *)g.b;
	assert_int_equal(gh->nlmsg_len, g.n);
	assert_int_equal(gh->nlmsg_type, RTM_NEWLINK);

	assert_int_equal(parse_words(c->ours, &s), 0);
	assert_int_equal(vf_attrs_request(&cur, &s, 0, &req, &by), 0);
	nlh = vfset_build(buf, gh->nlmsg_seq, g.ifindex, 0, &req);
	sriov_vf_settings_clear(&s);
	assert_non_null(nlh);

	/* The deliberate differences, then every byte. */
	assert_int_equal(nlh->nlmsg_type, RTM_SETLINK);
	ours = (uint8_t *)nlh;
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_pid = gh->nlmsg_pid;
	assert_int_equal(unflag_nests(ours + NLMSG_HDRLEN +
				      NLMSG_ALIGN(sizeof(struct ifinfomsg)),
				      nlh->nlmsg_len - NLMSG_HDRLEN -
				      NLMSG_ALIGN(sizeof(struct ifinfomsg))),
			 c->nests);
	if (nlh->nlmsg_len != g.n || memcmp(ours, g.b, g.n) != 0) {
		for (size_t i = 0; i < g.n && i < nlh->nlmsg_len; i++)
			if (ours[i] != g.b[i])
				print_error("%s: first difference at byte %zu: ours %02x, ip %02x\n",
					    c->file, i, ours[i], g.b[i]);
		fail_msg("%s: %u bytes ours, %zu bytes from %s", c->file,
			 nlh->nlmsg_len, g.n, g.command);
	}
}

static void test_all_goldens(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		compare(&cases[i]);
}

/* The golden files are iproute2's and parse as the kernel would read them. */
static void test_golden_shape(void **state)
{
	struct bytes g;
	const struct nlattr *a;
	int n = 0;

	(void)state;
	load("vlan-8021ad", &g);
	mnl_attr_for_each(a, (struct nlmsghdr *)g.b, sizeof(struct ifinfomsg)) {
		assert_int_equal(mnl_attr_get_type(a), IFLA_VFINFO_LIST);
		/* iproute2 leaves NLA_F_NESTED clear */
		assert_int_equal(a->nla_type & NLA_F_NESTED, 0);
		n++;
	}
	assert_int_equal(n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_goldens),
		cmocka_unit_test(test_golden_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
