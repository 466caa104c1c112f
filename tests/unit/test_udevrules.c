/* SPDX-License-Identifier: MIT */
/* udev rules: the parser (udevd's syntax) and the walk of one event. */
#include <errno.h>
#include <fnmatch.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checks/udevrules.h"

static struct udev_rules *parse(const char *text)
{
	struct udev_rules *r;

	assert_int_equal(udev_rules_new(&r), 0);
	assert_int_equal(udev_rules_add(r, "/etc/udev/rules.d/70-t.rules", text, strlen(text)), 0);
	return r;
}

static struct udev_rules_file_info info_of(const struct udev_rules *r, size_t i)
{
	struct udev_rules_file_info fi;

	udev_rules_file(r, i, &fi);
	return fi;
}

/* The writes of a run, "LINE=VALUE[?UNSURE]" joined by spaces. */
struct writes {
	char s[1024];
};

static int collect(const struct udev_write *w, void *data)
{
	struct writes *ws = data;
	size_t n = strlen(ws->s);

	snprintf(ws->s + n, sizeof(ws->s) - n, "%s%u=%s%s%s%s", n ? " " : "", w->line,
		 w->value, w->computed ? "(computed)" : "", w->unsure[0] ? "?" : "", w->unsure);
	return 0;
}

static const char *const kernel_like[] = { "eth0", "eth1", "eth10", NULL };

/* sysfs of the test host: the PF has vendor 0x8086 and sriov_totalvfs 8;
 * its netdev has name_assign_type 4. */
static const char *fake_attr(void *data, size_t level, const char *name, char *buf, size_t len)
{
	(void)data;
	if (level == 1 || (level == 0 && data == NULL)) {
		if (strcmp(name, "vendor") == 0)
			return snprintf(buf, len, "0x8086"), buf;
		if (strcmp(name, "sriov_totalvfs") == 0)
			return snprintf(buf, len, "8  "), buf;
	}
	if (level == 0 && data && strcmp(name, "name_assign_type") == 0)
		return snprintf(buf, len, "4"), buf;
	return NULL;
}

static int net_marker;

/* The PF's netdev's add event: KERNEL @kernel (NULL: not known). */
static struct udev_event net_add(const char *kernel)
{
	static const char *const env[] = { "ACTION=add", "SUBSYSTEM=net", "INTERFACE=ens1f0",
					   "IFINDEX", NULL };
	struct udev_event ev = {
		.action = "add",
		.dev = { { kernel, "net", NULL }, { "0000:04:00.0", "pci", "ice" } },
		.n_dev = 2, .kernel_like = kernel_like, .env = env,
		.net_driver = "ice", .net_name = "ens1f0",
		.attr = "sriov_numvfs", .attr_path = "device/sriov_numvfs",
		.attr_subsystem = "pci", .attr_kernel = "0000:04:00.0",
		.sysattr = fake_attr, .data = &net_marker,
	};

	return ev;
}

static struct udev_event pci_ev(const char *action)
{
	static const char *const env[] = { "ACTION=bind", "SUBSYSTEM=pci", "DRIVER=ice",
					   "PCI_SLOT_NAME=0000:04:00.0", NULL };
	struct udev_event ev = {
		.action = action,
		.dev = { { "0000:04:00.0", "pci", "ice" } }, .n_dev = 1, .env = env,
		.attr = "sriov_numvfs", .attr_path = "sriov_numvfs",
		.attr_subsystem = "pci", .attr_kernel = "0000:04:00.0",
		.sysattr = fake_attr, .data = NULL,
	};

	return ev;
}

static const char *run_ev(const char *text, struct udev_event ev, struct writes *ws)
{
	struct udev_rules *r = parse(text);

	ws->s[0] = '\0';
	assert_int_equal(udev_rules_run(r, &ev, collect, ws), 0);
	udev_rules_free(r);
	return ws->s;
}

static void test_lines(void **state)
{
	struct udev_rules *r;
	struct udev_rules_file_info fi;
	struct writes ws;

	(void)state;
	/* comments, blank lines, CRLF, a continuation with a comment line
	 * inside (skipped, as udevd skips it) and indented continued lines */
	r = parse("# a comment\n"
		  "\n"
		  "   # indented comment: ATTR{sriov_numvfs}=\"9\"\r\n"
		  "ACTION==\"bind\", \\\n"
		  "# inside\n"
		  "    SUBSYSTEM==\"pci\", \\\n"
		  "\tATTR{sriov_numvfs}=\"4\"\n"
		  "KERNEL==\"x\"\n");
	fi = info_of(r, 0);
	assert_string_equal(fi.name, "/etc/udev/rules.d/70-t.rules");
	assert_int_equal(fi.lines, 8);
	assert_int_equal(fi.rules, 1);   /* the KERNEL-only line has no effect */
	assert_int_equal(fi.invalid, 0);
	assert_false(fi.dropped);
	assert_true(udev_rules_assign_attr(r, "sriov_numvfs"));
	assert_false(udev_rules_assign_attr(r, "numvfs"));
	udev_rules_free(r);
	/* udevd numbers a continued rule by its last line */
	assert_string_equal(run_ev("ACTION==\"bind\", \\\n  ATTR{sriov_numvfs}=\"4\"\n",
				   pci_ev("bind"), &ws), "2=4");
	/* a commented-out rule writes nothing */
	assert_string_equal(run_ev("#ACTION==\"bind\", ATTR{sriov_numvfs}=\"4\"\n",
				   pci_ev("bind"), &ws), "");
	/* no separator between pairs is accepted; NUL and lone CR end lines */
	assert_string_equal(run_ev("ACTION==\"bind\"ATTR{sriov_numvfs}=\"4\"\r"
				   "ACTION==\"bind\",ATTR{sriov_numvfs}=\"5\"",
				   pci_ev("bind"), &ws), "1=4 2=5");
	/* the end of the file after a continuation: the line is dropped */
	r = parse("ACTION==\"bind\", \\\n");
	fi = info_of(r, 0);
	assert_int_equal(fi.rules, 0);
	assert_int_equal(fi.invalid, 1);
	assert_int_equal(fi.first_invalid, 1);
	udev_rules_free(r);
}

static void test_invalid(void **state)
{
	static const char *const bad[] = {
		"KERNEL=\"x\", ATTR{sriov_numvfs}=\"1\"",         /* = on a match key */
		"KERNEL:=\"x\", ATTR{sriov_numvfs}=\"1\"",
		"ACTION{a}==\"add\", ATTR{sriov_numvfs}=\"1\"",   /* attribute not taken */
		"ATTR=\"1\"",                                     /* attribute needed */
		"ATTR{}=\"1\"",
		"ATTR{sriov_numvfs}-=\"1\"",
		"ATTRS{vendor}=\"1\"",                            /* ATTRS only matches */
		"ENV{ACTION}=\"x\"",                              /* not to be set */
		"FOO==\"x\", ATTR{sriov_numvfs}=\"1\"",           /* no such key */
		"KERNEL==\"x\" ATTR{sriov_numvfs}=\"1",           /* unclosed quote */
		"KERNEL==x, ATTR{sriov_numvfs}=\"1\"",            /* unquoted */
		"KERNEL==\"x\", ATTR{sriov_numvfs=\"1\"",         /* unclosed { */
		"KERNEL=~\"x\", ATTR{sriov_numvfs}=\"1\"",        /* no such operator */
		"ATTR{sriov_numvfs}=e\"\\q\"",                    /* unknown escape */
		"ATTR{sriov_numvfs}=e\"\\x00\"",                  /* NUL */
		"GOTO==\"x\"",
		"NAME=\"%k\"",
		"NAME=\"\"",
		"IMPORT{builtin}=\"nosuch\"",
		"IMPORT{other}=\"x\"",
		"RUN{builtin}=\"nosuch\"",
		"CONST{nosuch}==\"x\", ATTR{sriov_numvfs}=\"1\"",
		"ATTR{sriov_numvfs}",
	};
	struct writes ws;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct udev_rules *r = parse(bad[i]);
		struct udev_rules_file_info fi = info_of(r, 0);

		if (fi.invalid != 1 || fi.rules != 0)
			fail_msg("accepted: %s", bad[i]);
		assert_int_equal(fi.first_invalid, 1);
		udev_rules_free(r);
	}
	/* the valid line after an invalid one still counts */
	assert_string_equal(run_ev("KERNEL=\"0000:04:00.0\", ATTR{sriov_numvfs}=\"1\"\n"
				   "KERNEL==\"0000:04:00.0\", ATTR{sriov_numvfs}=\"2\"\n",
				   pci_ev("bind"), &ws), "2=2");
	/* += and := on ATTR are taken as = ; NAME+= as NAME= */
	assert_string_equal(run_ev("ATTR{sriov_numvfs}+=\"3\"\nATTR{sriov_numvfs}:=\"4\"\n",
				   pci_ev("bind"), &ws), "1=3 2=4");
	/* empty values of PROGRAM, RUN: udevd only warns */
	assert_string_equal(run_ev("PROGRAM==\"\", RUN+=\"\", ATTR{sriov_numvfs}=\"3\"\n",
				   pci_ev("bind"), &ws), "1=3?PROGRAM==\"\"");
}

static void test_limits(void **state)
{
	size_t n = UDEV_LINE_MAX + 10;
	char *text = malloc(2 * n + 200);
	struct udev_rules *r;
	struct udev_rules_file_info fi;

	(void)state;
	/* a physical line over the limit: udevd reads nothing of the file */
	strcpy(text, "ACTION==\"bind\", ATTR{sriov_numvfs}=\"4\"\nKERNEL==\"");
	memset(text + strlen(text), 'a', n);
	strcpy(text + strlen(text) - 20, "\", ATTR{x}=\"1\"\n");
	r = parse(text);
	fi = info_of(r, 0);
	assert_true(fi.dropped);
	assert_int_equal(fi.rules, 0);
	assert_false(udev_rules_assign_attr(r, "sriov_numvfs"));
	udev_rules_free(r);
	/* a continued line over it: that line is ignored, not the file */
	strcpy(text, "ACTION==\"bind\", ATTR{sriov_numvfs}=\"4\"\nKERNEL==\"");
	for (size_t i = 0; i < 3; i++) {
		size_t l = strlen(text);

		memset(text + l, 'b', UDEV_LINE_MAX / 2);
		strcpy(text + l + UDEV_LINE_MAX / 2, "\\\n");
	}
	strcat(text, "\", ATTR{sriov_numvfs}=\"5\"\nACTION==\"bind\", ATTR{sriov_numvfs}=\"6\"\n");
	r = parse(text);
	fi = info_of(r, 0);
	assert_false(fi.dropped);
	assert_int_equal(fi.rules, 2);
	assert_int_equal(fi.invalid, 1);
	assert_int_equal(fi.first_invalid, 5);
	udev_rules_free(r);
	free(text);
}

static void test_values(void **state)
{
	struct writes ws;

	(void)state;
	/* \" in a plain value; other backslashes stay */
	assert_string_equal(run_ev("ACTION==\"bind\", ATTR{sriov_numvfs}=\"a\\\"b\\n\"\n",
				   pci_ev("bind"), &ws), "1=a\"b\\n");
	/* e"..." values: C escapes */
	assert_string_equal(run_ev("ACTION==\"bind\", ATTR{sriov_numvfs}=e\"\\x37\\061\\u0041\"\n",
				   pci_ev("bind"), &ws), "1=71A");
	/* substitutions: the value is known at the event only */
	assert_string_equal(run_ev("ACTION==\"bind\", ATTR{sriov_numvfs}=\"$attr{sriov_totalvfs}\"\n",
				   pci_ev("bind"), &ws), "1=$attr{sriov_totalvfs}(computed)");
	/* the attribute named through [subsystem/kernel] */
	assert_string_equal(run_ev("ACTION==\"bind\", ATTR{[pci/0000:04:00.0]sriov_numvfs}=\"3\"\n"
				   "ACTION==\"bind\", ATTR{[pci/0000:05:00.0]sriov_numvfs}=\"4\"\n"
				   "ACTION==\"bind\", ATTR{device/sriov_numvfs}=\"5\"\n",
				   pci_ev("bind"), &ws), "1=3");
}

static void test_glob(void **state)
{
	static const char *const cases[][2] = {
		{ "ens1f*", "ens1f0" }, { "ens1f*", "ens1" }, { "*", "" }, { "*", "x" },
		{ "?", "" }, { "?", "a" }, { "a?c", "abc" }, { "a?c", "ac" },
		{ "[abc]", "b" }, { "[!abc]", "b" }, { "[^abc]", "d" }, { "[a-c]x", "bx" },
		{ "[]]", "]" }, { "[]a]", "a" }, { "[!]]", "]" }, { "[a-]", "-" },
		{ "[[:digit:]]*", "7x" }, { "[[:alpha:]]", "7" }, { "[[:xdigit:][:space:]]", " " },
		{ "\\*", "*" }, { "\\*", "a" }, { "a\\", "a\\" }, { "[", "[" }, { "[a", "[a" },
		{ "*a*b*c", "xaybzc" }, { "*a*b*c", "xaybz" }, { "**", "abc" },
		{ "enp49s0f1", "enp49s0f10" }, { "enp49s0f*", "enp49s0f10" },
		{ "0000:04:00.[0-3]", "0000:04:00.2" }, { "*/*", "a/b" }, { ".*", ".x" },
		{ "[\\]]", "]" }, { "[a\\-z]", "-" }, { "a*", "a" }, { "*b", "ab" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool want = fnmatch(cases[i][0], cases[i][1], 0) == 0;

		if (udev_glob(cases[i][0], cases[i][1]) != want)
			fail_msg("udev_glob(\"%s\", \"%s\") != fnmatch (%d)", cases[i][0],
				 cases[i][1], want);
	}
	/* many stars: no blow-up (fnmatch(3) backtracks) */
	{
		char p[4001], s[201];

		for (size_t i = 0; i < 4000; i += 2) {
			p[i] = '*';
			p[i + 1] = 'a';
		}
		p[4000] = '\0';
		memset(s, 'a', 199);
		s[199] = 'b';
		s[200] = '\0';
		assert_false(udev_glob(p, s));
	}
}

static void test_match(void **state)
{
	struct writes ws;

	(void)state;
	/* KERNEL: plain, alternatives, globs; no substring match */
	assert_string_equal(run_ev(
		"SUBSYSTEM==\"net\", KERNEL==\"ens1f0\", ATTR{device/sriov_numvfs}=\"1\"\n"
		"SUBSYSTEM==\"net\", KERNEL==\"ens1f01\", ATTR{device/sriov_numvfs}=\"2\"\n"
		"SUBSYSTEM==\"net\", KERNEL==\"x|ens1f0\", ATTR{device/sriov_numvfs}=\"3\"\n"
		"SUBSYSTEM==\"net\", KERNEL==\"ens1f*\", ATTR{device/sriov_numvfs}=\"4\"\n"
		"SUBSYSTEM==\"net\", KERNEL!=\"ens1f0\", ATTR{device/sriov_numvfs}=\"5\"\n"
		"SUBSYSTEM==\"net\", KERNEL==\"ens1\", ATTR{device/sriov_numvfs}=\"6\"\n"
		"SUBSYSTEM==\"pci\", KERNEL==\"ens1f0\", ATTR{device/sriov_numvfs}=\"7\"\n"
		"SUBSYSTEM==\"net\", KERNEL==\"?*\", ATTR{device/sriov_numvfs}=\"8\"\n"
		"SUBSYSTEM==\"net\", DRIVER==\"\", ATTR{device/sriov_numvfs}=\"9\"\n"
		"SUBSYSTEM==\"net\", KERNEL==\"|x\", ATTR{device/sriov_numvfs}=\"10\"\n",
		net_add("ens1f0"), &ws), "1=1 3=3 4=4 8=8 9=9");
	/* a netdev's add event with the kernel's name: a rule naming the
	 * udev name does not match, one naming ethN may */
	assert_string_equal(run_ev(
		"SUBSYSTEM==\"net\", KERNEL==\"ens1f0\", ATTR{device/sriov_numvfs}=\"1\"\n"
		"SUBSYSTEM==\"net\", KERNEL==\"eth*\", ATTR{device/sriov_numvfs}=\"2\"\n"
		"SUBSYSTEM==\"net\", KERNEL==\"eth0\", ATTR{device/sriov_numvfs}=\"3\"\n"
		"SUBSYSTEM==\"net\", KERNELS==\"0000:04:00.0\", ATTR{device/sriov_numvfs}=\"4\"\n",
		net_add(NULL), &ws), "2=2 3=3?KERNEL==\"eth0\" 4=4");
	/* parent keys: all on one device of the chain */
	assert_string_equal(run_ev(
		"KERNELS==\"0000:04:00.0\", DRIVERS==\"ice\", ATTR{device/sriov_numvfs}=\"1\"\n"
		"KERNELS==\"0000:04:00.0\", SUBSYSTEMS==\"net\", ATTR{device/sriov_numvfs}=\"2\"\n"
		"SUBSYSTEMS==\"pci\", DRIVERS==\"igb\", ATTR{device/sriov_numvfs}=\"3\"\n"
		"DRIVERS==\"ice\", ATTRS{vendor}==\"0x8086\", ATTR{device/sriov_numvfs}=\"4\"\n"
		"ATTRS{vendor}==\"0x1234\", ATTR{device/sriov_numvfs}=\"5\"\n"
		"KERNELS==\"0000:00:02.0\", ATTR{device/sriov_numvfs}=\"6\"\n"
		"DRIVER==\"ice\", ATTR{device/sriov_numvfs}=\"7\"\n",
		net_add("ens1f0"), &ws), "1=1 4=4");
	/* ATTR: read from sysfs, trailing white space dropped unless the
	 * value ends with some; a missing attribute matches neither == nor != */
	assert_string_equal(run_ev(
		"ATTR{sriov_totalvfs}==\"8\", ATTR{sriov_numvfs}=\"1\"\n"
		"ATTR{sriov_totalvfs}==\"8  \", ATTR{sriov_numvfs}=\"2\"\n"
		"ATTR{sriov_totalvfs}==\"?*\", ATTR{sriov_numvfs}=\"3\"\n"
		"ATTR{nosuch}!=\"x\", ATTR{sriov_numvfs}=\"4\"\n"
		"ATTR{sriov_totalvfs}!=\"8\", ATTR{sriov_numvfs}=\"5\"\n",
		pci_ev("bind"), &ws), "1=1 2=2 3=3");
	/* ACTION */
	assert_string_equal(run_ev(
		"ACTION==\"add\", ATTR{sriov_numvfs}=\"1\"\n"
		"ACTION==\"add|bind\", ATTR{sriov_numvfs}=\"2\"\n"
		"ACTION!=\"add\", ATTR{sriov_numvfs}=\"3\"\n",
		pci_ev("bind"), &ws), "2=2 3=3");
	/* matches before assignments, whatever the order written */
	assert_string_equal(run_ev("ATTR{sriov_numvfs}=\"1\", ACTION==\"add\"\n",
				   pci_ev("bind"), &ws), "");
	/* keys sriovctl does not evaluate: taken as holding, named */
	assert_string_equal(run_ev(
		"ACTION==\"bind\", PROGRAM==\"/bin/true\", ATTR{sriov_numvfs}=\"1\"\n"
		"ENV{ID_PATH}==\"pci-0000:04:00.0\", ATTR{sriov_numvfs}=\"2\"\n"
		"ENV{NOSUCH}==\"x\", ATTR{sriov_numvfs}=\"3\"\n"
		"ENV{PCI_SLOT_NAME}==\"0000:04:00.0\", ATTR{sriov_numvfs}=\"4\"\n",
		pci_ev("bind"), &ws), "1=1?PROGRAM==\"/bin/true\" 4=4");
}

static void test_flow(void **state)
{
	struct writes ws;

	(void)state;
	/* GOTO skips to its LABEL, in the same file, forward */
	assert_string_equal(run_ev(
		"SUBSYSTEM!=\"pci\", GOTO=\"end\"\n"
		"ATTR{sriov_numvfs}=\"1\"\n"
		"LABEL=\"end\"\n"
		"SUBSYSTEM==\"pci\", GOTO=\"end2\"\n"
		"ATTR{sriov_numvfs}=\"2\"\n"
		"LABEL=\"end2\"\n"
		"ATTR{sriov_numvfs}=\"3\"\n"
		"GOTO=\"nosuch\", ATTR{sriov_numvfs}=\"4\"\n"
		"LABEL=\"back\"\n"
		"GOTO=\"back\"\n"
		"ATTR{sriov_numvfs}=\"5\"\n",
		pci_ev("bind"), &ws), "2=1 7=3 8=4 11=5");
	/* ENV: set by earlier rules; ID_NET_DRIVER by net_setup_link only */
	assert_string_equal(run_ev(
		"ENV{ID_NET_DRIVER}==\"ice\", ATTR{device/sriov_numvfs}=\"1\"\n"
		"IMPORT{builtin}=\"net_setup_link\"\n"
		"ENV{ID_NET_DRIVER}==\"ice\", ATTR{device/sriov_numvfs}=\"2\"\n"
		"ENV{MINE}=\"yes\"\n"
		"ENV{MINE}==\"yes\", ATTR{device/sriov_numvfs}=\"3\"\n"
		"ENV{MINE}+=\"too\"\n"
		"ENV{MINE}==\"yes too\", ATTR{device/sriov_numvfs}=\"4\"\n"
		"ENV{MINE}=\"\"\n"
		"ENV{MINE}==\"\", ATTR{device/sriov_numvfs}=\"5\"\n"
		"ENV{INTERFACE}==\"ens1f0\", ATTR{device/sriov_numvfs}=\"6\"\n"
		"ENV{IFINDEX}==\"2\", ATTR{device/sriov_numvfs}=\"7\"\n",
		net_add("ens1f0"), &ws), "3=2 5=3 7=4 9=5 10=6 11=7?ENV{IFINDEX}==\"2\"");
	/* within one line, ENV matches run before the import */
	assert_string_equal(run_ev(
		"IMPORT{builtin}=\"net_setup_link\", ENV{ID_NET_DRIVER}==\"ice\", "
		"ATTR{device/sriov_numvfs}=\"1\"\n", net_add("ens1f0"), &ws), "");
	/* NAME as 80-net-setup-link.rules sets it */
	assert_string_equal(run_ev(
		"NAME==\"ens1f0\", ATTR{device/sriov_numvfs}=\"1\"\n"
		"IMPORT{builtin}=\"net_setup_link\"\n"
		"NAME==\"\", ENV{ID_NET_NAME}!=\"\", NAME=\"$env{ID_NET_NAME}\"\n"
		"NAME==\"ens1f0\", ATTR{device/sriov_numvfs}=\"2\"\n"
		"NAME:=\"other\"\nNAME=\"ignored\"\n"
		"NAME==\"other\", ATTR{device/sriov_numvfs}=\"3\"\n",
		net_add(NULL), &ws), "4=2 7=3");
	/* files run in the order added */
	{
		struct udev_rules *r = parse("ACTION==\"bind\", ATTR{sriov_numvfs}=\"1\"\n");
		struct udev_event ev = pci_ev("bind");

		assert_int_equal(udev_rules_add(r, "/usr/lib/udev/rules.d/80-x.rules",
						"SUBSYSTEM==\"pci\", ATTR{sriov_numvfs}=\"2\"\n", 41), 0);
		assert_int_equal(udev_rules_n_files(r), 2);
		ws.s[0] = '\0';
		assert_int_equal(udev_rules_run(r, &ev, collect, &ws), 0);
		assert_string_equal(ws.s, "1=1 1=2");
		udev_rules_free(r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_invalid),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_glob),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_flow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
