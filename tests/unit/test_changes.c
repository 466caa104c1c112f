/* SPDX-License-Identifier: MIT */
/*
 * The plan's JSON and the change log's records: exact output, one line per
 * record, the same fields `plan` prints; and apply's records, interruption
 * and rollback on a generated tree (only sysfs files are written).
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "sriov.h"
#include "testlib.h"

static char *capture(int (*fn)(const void *, FILE *), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(fn(arg, f), 0);
	fclose(f);
	return buf;
}

struct rec {
	struct sriov_change_origin who;
	struct sriov_change c;
};

static int write_rec(const void *arg, FILE *f)
{
	const struct rec *r = arg;

	return sriov_change_write_json(&r->who, &r->c, f);
}

static void test_change_record(void **state)
{
	struct rec r = {
		.who = { .time_us = 1795442201123456LL, .uid = 0,
			 .command = "sriovctl apply --boot" },
		.c = { .device = "ens1f0/vf3", .pf = "0000:3b:00.0",
		       .attribute = "vlan", .old_value = "0",
		       .new_value = "100 qos 3" },
	};
	char *s;

	(void)state;
	s = capture(write_rec, &r);
	assert_string_equal(s,
		"{\"time\":\"2026-11-23T13:56:41.123456Z\",\"uid\":0,"
		"\"command\":\"sriovctl apply --boot\",\"device\":\"ens1f0/vf3\","
		"\"pf\":\"0000:3b:00.0\",\"attribute\":\"vlan\",\"old\":\"0\","
		"\"new\":\"100 qos 3\",\"result\":\"ok\",\"error\":null,"
		"\"message\":null}\n");
	free(s);

	/* A refusal: the errno's text and the kernel's message, one line. */
	r.who.time_us = 5;
	r.who.uid = 1000;
	r.c.attribute = "min-rate";
	r.c.old_value = NULL;
	r.c.new_value = "100";
	r.c.err = -EINVAL;
	r.c.message = "VF rate:\nnot supported";
	s = capture(write_rec, &r);
	assert_string_equal(s,
		"{\"time\":\"1970-01-01T00:00:00.000005Z\",\"uid\":1000,"
		"\"command\":\"sriovctl apply --boot\",\"device\":\"ens1f0/vf3\","
		"\"pf\":\"0000:3b:00.0\",\"attribute\":\"min-rate\",\"old\":null,"
		"\"new\":\"100\",\"result\":\"failed\","
		"\"error\":\"Invalid argument\","
		"\"message\":\"VF rate:\\nnot supported\"}\n");
	free(s);

	/* Undoing: done, or failed. */
	r.c.rollback = true;
	r.c.err = 0;
	r.c.message = NULL;
	s = capture(write_rec, &r);
	assert_non_null(strstr(s, "\"result\":\"rolled back\",\"error\":null"));
	free(s);
	r.c.err = -EBUSY;
	s = capture(write_rec, &r);
	assert_non_null(strstr(s, "\"result\":\"rollback failed\","
				  "\"error\":\"Device or resource busy\""));
	free(s);
}

static int write_plan(const void *arg, FILE *f)
{
	return sriov_plan_write_json(arg, false, f);
}

static struct sriov_step *add(struct sriov_plan *p, int kind, unsigned vf)
{
	struct sriov_step *s = &p->v[p->n++];

	memset(s, 0, sizeof(*s));
	s->kind = kind;
	snprintf(s->pf, sizeof(s->pf), "0000:3b:00.0");
	snprintf(s->pf_name, sizeof(s->pf_name), "ens1f0");
	s->vf = vf;
	s->up = -1;
	s->old_up = -1;
	return s;
}

static void test_plan_json(void **state)
{
	static const char *const argv[] = { "vlan", "100", "qos", "3",
					     "spoofchk", "off" };
	struct sriov_plan plan = { .v = calloc(8, sizeof(struct sriov_step)) };
	struct sriov_step *s;
	char err[256], line[512], *json;
	size_t lines = 0;

	(void)state;
	assert_non_null(plan.v);
	s = add(&plan, SRIOV_STEP_NUM_VFS, 0);
	s->old_num_vfs = 2;
	s->num_vfs = 4;
	s->old_autoprobe = 1;
	s->autoprobe = 0;
	s = add(&plan, SRIOV_STEP_LINK, 0);
	s->old_mtu = 1500;
	s->mtu = 9000;
	s->old_up = 0;
	s->up = 1;
	s = add(&plan, SRIOV_STEP_VF_ATTRS, 1);
	assert_int_equal(sriov_vf_settings_parse(6, (char *const *)argv,
						 &s->settings, err,
						 sizeof(err)), 0);
	s->old_link = (struct sriov_vf_link){ .present = true, .vlan = 0,
					      .spoofchk = -1 };
	s = add(&plan, SRIOV_STEP_DRIVER, 1);
	s->after_recreate = true;
	s->driver = strdup("vfio-pci");
	s = add(&plan, SRIOV_STEP_LINK, 2);
	s->on_vf = true;
	s->old_mtu = -1;
	s->mtu = 9000;

	json = capture(write_plan, &plan);
	assert_string_equal(json,
		"{\"schema\":\"sriovctl.plan/v1\",\"changes\":["
		"{\"device\":\"ens1f0\",\"pf\":\"0000:3b:00.0\",\"kind\":\"num_vfs\","
		"\"attribute\":\"num_vfs\",\"old\":\"2\",\"new\":\"4\"},"
		"{\"device\":\"ens1f0\",\"pf\":\"0000:3b:00.0\",\"kind\":\"num_vfs\","
		"\"attribute\":\"drivers_autoprobe\",\"old\":\"on\",\"new\":\"off\"},"
		"{\"device\":\"ens1f0\",\"pf\":\"0000:3b:00.0\",\"kind\":\"link\","
		"\"attribute\":\"mtu\",\"old\":\"1500\",\"new\":\"9000\"},"
		"{\"device\":\"ens1f0\",\"pf\":\"0000:3b:00.0\",\"kind\":\"link\","
		"\"attribute\":\"link\",\"old\":\"down\",\"new\":\"up\"},"
		"{\"device\":\"ens1f0/vf1\",\"pf\":\"0000:3b:00.0\",\"kind\":\"vf_attrs\","
		"\"attribute\":\"vlan\",\"old\":\"0\",\"new\":\"100 qos 3\"},"
		"{\"device\":\"ens1f0/vf1\",\"pf\":\"0000:3b:00.0\",\"kind\":\"vf_attrs\","
		"\"attribute\":\"spoofchk\",\"old\":null,\"new\":\"off\"},"
		"{\"device\":\"ens1f0/vf1\",\"pf\":\"0000:3b:00.0\",\"kind\":\"driver\","
		"\"attribute\":\"driver\",\"old\":null,\"new\":\"vfio-pci\"},"
		"{\"device\":\"ens1f0/vf2\",\"pf\":\"0000:3b:00.0\",\"kind\":\"link\","
		"\"attribute\":\"mtu\",\"old\":null,\"new\":\"9000\"}"
		"],\"count\":8}\n");
	free(json);

	/* The same lines as `plan` prints, in the same order. */
	static const char *const want[] = {
		"ens1f0 num_vfs: 2 -> 4 (through 0)",
		"ens1f0 drivers_autoprobe: on -> off",
		"ens1f0 mtu: 1500 -> 9000",
		"ens1f0 link: down -> up",
		"ens1f0/vf1 vlan: 0 -> 100 qos 3",
		"ens1f0/vf1 spoofchk: ? -> off",
		"ens1f0/vf1 driver: (re-created) -> vfio-pci",
		"ens1f0/vf2 mtu: (new) -> 9000",
	};
	for (size_t i = 0; i < plan.n; i++)
		for (size_t j = 0; sriov_step_describe(&plan.v[i], j, line,
						       sizeof(line)) == 0; j++) {
			assert_true(lines < sizeof(want) / sizeof(want[0]));
			assert_string_equal(line, want[lines++]);
		}
	assert_int_equal(lines, 8);

	/* Only the autoprobe: one line; the empty plan: no changes. */
	plan.v[0].num_vfs = 2;
	assert_int_equal(sriov_step_describe(&plan.v[0], 0, line, sizeof(line)), 0);
	assert_string_equal(line, "ens1f0 drivers_autoprobe: on -> off");
	assert_int_equal(sriov_step_describe(&plan.v[0], 1, line, sizeof(line)),
			 -ENOENT);
	sriov_plan_clear(&plan);
	json = capture(write_plan, &plan);
	assert_string_equal(json, "{\"schema\":\"sriovctl.plan/v1\","
				  "\"changes\":[],\"count\":0}\n");
	free(json);
}

/* ---------------------------------------------------------------- apply */

static char root[PATH_MAX];
static char records[16][256];
static size_t n_records;
static volatile sig_atomic_t cancel;
static bool cancel_after_first;

static void on_change(void *data, const struct sriov_change *c)
{
	(void)data;
	assert_true(n_records < 16);
	snprintf(records[n_records++], sizeof(records[0]),
		 "%s %s %s %s: %s -> %s err=%d msg=%s%s", c->pf, c->device,
		 c->rollback ? "undo" : "do", c->attribute,
		 c->old_value ? c->old_value : "null", c->new_value, c->err,
		 c->message ? c->message : "null", "");
	if (cancel_after_first)
		cancel = SIGINT;
}

static char *read_file(const char *rel)
{
	static char buf[64];
	char p[PATH_MAX * 2];
	FILE *f;
	size_t n;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	f = fopen(p, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static int setup_tree(void **state)
{
	(void)state;
	tl_mkdtemp(root, sizeof(root) - 2, "sriov-changes");
	strcat(root, "/h");
	tl_hostgen(root, "--card e810:vfs=2/0");
	return 0;
}

static int teardown_tree(void **state)
{
	(void)state;
	root[strlen(root) - 2] = '\0';
	tl_rm_rf(root);
	return 0;
}

/* Autoprobe on -> off on PF 0 (a file write), then VF 0 to vfio-pci. */
static void two_steps(struct sriov_plan *plan)
{
	struct sriov_step *s;

	plan->v = calloc(2, sizeof(struct sriov_step));
	plan->n = 0;
	assert_non_null(plan->v);
	s = add(plan, SRIOV_STEP_NUM_VFS, 0);
	snprintf(s->pf, sizeof(s->pf), "0000:02:00.0");
	snprintf(s->pf_name, sizeof(s->pf_name), "ens1f0np0");
	s->old_num_vfs = s->num_vfs = 2;
	s->old_autoprobe = 1;
	s->autoprobe = 0;
	s = add(plan, SRIOV_STEP_DRIVER, 0);
	snprintf(s->pf, sizeof(s->pf), "0000:02:00.0");
	snprintf(s->pf_name, sizeof(s->pf_name), "ens1f0np0");
	s->old_driver = strdup("iavf");
	s->driver = strdup("vfio-pci");
}

static void test_apply_interrupted(void **state)
{
	const char *ap = "sys/bus/pci/devices/0000:02:00.0/sriov_drivers_autoprobe";
	struct sriov_apply_opts opts = { .timeout_ms = 2000, .cancel = &cancel,
					 .on_change = on_change };
	struct sriov_apply_report rep;
	struct sriov_plan plan;
	struct sriov_ctx *ctx;

	(void)state;
	assert_int_equal(sriov_ctx_new(root, &ctx), 0);
	two_steps(&plan);
	assert_string_equal(read_file(ap), "1\n");

	/* Interrupted after the first change: it is undone. */
	n_records = 0;
	cancel = 0;
	cancel_after_first = true;
	assert_int_equal(sriov_plan_apply(ctx, &plan, &opts, &rep), -ECANCELED);
	assert_int_equal(rep.n, 2);
	assert_int_equal(rep.failed, 1);
	assert_int_equal(rep.v[0].err, 0);
	assert_int_equal(rep.v[1].err, -ECANCELED);
	assert_string_equal(rep.v[1].msg, "interrupted");
	assert_true(rep.rolled_back);
	assert_non_null(rep.rollback);
	assert_int_equal(rep.rollback->n, 1);
	assert_string_equal(read_file(ap), "1\n");
	assert_int_equal(n_records, 3);
	assert_string_equal(records[0], "0000:02:00.0 ens1f0np0 do drivers_autoprobe: on -> off err=0 msg=null");
	assert_string_equal(records[1], "0000:02:00.0 ens1f0np0/vf0 do driver: iavf -> vfio-pci err=-125 msg=interrupted");
	assert_string_equal(records[2], "0000:02:00.0 ens1f0np0 undo drivers_autoprobe: off -> on err=0 msg=null");
	sriov_apply_report_clear(&rep);

	/* Interrupted before anything: one record of what was not done. */
	n_records = 0;
	cancel = SIGTERM;
	cancel_after_first = false;
	assert_int_equal(sriov_plan_apply(ctx, &plan, &opts, &rep), -ECANCELED);
	assert_int_equal(rep.n, 1);
	assert_int_equal(rep.failed, 0);
	assert_true(rep.rolled_back);
	assert_int_equal(n_records, 1);
	assert_string_equal(records[0], "0000:02:00.0 ens1f0np0 do drivers_autoprobe: on -> off err=-125 msg=interrupted");
	assert_string_equal(read_file(ap), "1\n");
	sriov_apply_report_clear(&rep);

	/* Not interrupted, --no-rollback off: the first step stays done,
	 * the records follow the host as it is at each step. */
	n_records = 0;
	cancel = 0;
	plan.n = 1;
	assert_int_equal(sriov_plan_apply(ctx, &plan, &opts, &rep), 0);
	assert_string_equal(read_file(ap), "0\n");
	assert_int_equal(n_records, 1);
	sriov_apply_report_clear(&rep);
	/* Again: nothing to do, nothing recorded. */
	n_records = 0;
	assert_int_equal(sriov_plan_apply(ctx, &plan, &opts, &rep), 0);
	assert_int_equal(rep.v[0].err, 1);
	assert_int_equal(n_records, 0);
	sriov_apply_report_clear(&rep);
	plan.n = 2;
	sriov_plan_clear(&plan);
	sriov_ctx_free(ctx);
}

static char *override_of(struct sriov_ctx *ctx, const char *pf, unsigned vf)
{
	static char buf[64];
	struct sriov_host *host;
	const struct sriov_vf *v;

	assert_int_equal(sriov_host_load(ctx, SRIOV_LOAD_NO_NAMES | SRIOV_LOAD_NO_CONFIG,
					 &host), 0);
	v = sriov_pf_vf(sriov_host_pf(host, pf), vf);
	assert_non_null(v);
	snprintf(buf, sizeof(buf), "%s/%s", v->driver ? v->driver : "none",
		 v->driver_override ? v->driver_override : "(null)");
	sriov_host_free(host);
	return buf;
}

/*
 * driver: none on a PF whose autoprobe is off, with the VF on iavf: the
 * VF must really be unbound. In a tree the unbind file takes the write
 * and the driver link stays: that is a failure, and nothing stays changed.
 */
static void test_driver_none_reads_back(void **state)
{
	const char *ap = "sys/bus/pci/devices/0000:02:00.0/sriov_drivers_autoprobe";
	struct sriov_apply_opts opts = { .timeout_ms = 2000, .on_change = on_change };
	struct sriov_apply_report rep;
	struct sriov_plan plan = { .v = calloc(1, sizeof(struct sriov_step)) };
	struct sriov_step *s;
	struct sriov_ctx *ctx;
	char path[PATH_MAX * 2];
	FILE *f;

	(void)state;
	assert_non_null(plan.v);
	snprintf(path, sizeof(path), "%s/%s", root, ap);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("0\n", f);
	fclose(f);
	assert_int_equal(sriov_ctx_new(root, &ctx), 0);
	s = add(&plan, SRIOV_STEP_DRIVER, 0);
	snprintf(s->pf, sizeof(s->pf), "0000:02:00.0");
	snprintf(s->pf_name, sizeof(s->pf_name), "ens1f0np0");
	s->old_driver = strdup("iavf");
	n_records = 0;
	cancel = 0;
	cancel_after_first = false;
	assert_int_equal(sriov_plan_apply(ctx, &plan, &opts, &rep), -ENXIO);
	assert_int_equal(rep.v[0].err, -ENXIO);
	assert_non_null(strstr(rep.v[0].msg, "0000:02:01.0: still bound to iavf after the unbind"));
	assert_int_equal(n_records, 1);
	assert_non_null(strstr(records[0], "do driver: iavf -> none err=-6 "));
	/* the override unbind wrote is put back */
	assert_string_equal(override_of(ctx, "0000:02:00.0", 0), "iavf/(null)");
	sriov_apply_report_clear(&rep);
	sriov_plan_clear(&plan);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("1\n", f);
	fclose(f);
	sriov_ctx_free(ctx);
}

/*
 * A VF count the kernel "takes" without creating the VFs (a tree: the
 * write lands in a file, no virtfn link appears): read back, a failure,
 * and the count is put back.
 */
static void test_num_vfs_reads_back(void **state)
{
	struct sriov_apply_opts opts = { .timeout_ms = 300, .force = true,
					 .on_change = on_change };
	struct sriov_apply_report rep;
	struct sriov_plan plan = { .v = calloc(1, sizeof(struct sriov_step)) };
	struct sriov_step *s;
	struct sriov_ctx *ctx;

	(void)state;
	assert_non_null(plan.v);
	assert_int_equal(sriov_ctx_new(root, &ctx), 0);
	s = add(&plan, SRIOV_STEP_NUM_VFS, 0);
	snprintf(s->pf, sizeof(s->pf), "0000:02:00.0");
	snprintf(s->pf_name, sizeof(s->pf_name), "ens1f0np0");
	s->old_num_vfs = 2;
	s->num_vfs = 4;
	s->old_autoprobe = s->autoprobe = 1;
	n_records = 0;
	cancel = 0;
	cancel_after_first = false;
	assert_int_equal(sriov_plan_apply(ctx, &plan, &opts, &rep), -EIO);
	assert_string_equal(rep.v[0].msg,
		"ens1f0np0: 2 virtfn links after the step, not 4: the kernel did not create the VFs");
	assert_true(rep.rolled_back);
	assert_string_equal(read_file("sys/bus/pci/devices/0000:02:00.0/sriov_numvfs"), "2\n");
	assert_int_equal(n_records, 2);
	assert_string_equal(records[0], "0000:02:00.0 ens1f0np0 do num_vfs: 2 -> 4 err=-5 msg=ens1f0np0: 2 virtfn links after the step, not 4: the kernel did not create the VFs");
	assert_string_equal(records[1], "0000:02:00.0 ens1f0np0 undo num_vfs: 4 -> 2 err=0 msg=null");
	sriov_apply_report_clear(&rep);
	sriov_plan_clear(&plan);
	sriov_ctx_free(ctx);
}

/* The host lock under a tree: run/ is made, a second taker waits in vain. */
static void test_lock(void **state)
{
	struct sriov_ctx *ctx;
	char comm[32], *pid;
	int fd, fd2, holder = -1;

	(void)state;
	assert_int_equal(sriov_ctx_new(root, &ctx), 0);
	fd = sriov_lock_host(ctx, 0, &holder);
	assert_true(fd >= 0);
	assert_int_equal(holder, 0);
	pid = read_file("run/sriovctl.lock");
	assert_int_equal(atoi(pid), (int)getpid());
	/* flock is per open file: a second open in this process conflicts. */
	fd2 = sriov_lock_host(ctx, 120, &holder);
	assert_int_equal(fd2, -EWOULDBLOCK);
	assert_int_equal(holder, (int)getpid());
	/* no proc/ under the tree */
	sriov_process_comm(ctx, holder, comm, sizeof(comm));
	assert_string_equal(comm, "?");
	close(fd);
	fd2 = sriov_lock_host(ctx, 0, &holder);
	assert_true(fd2 >= 0);
	close(fd2);
	sriov_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_change_record),
		cmocka_unit_test(test_plan_json),
		cmocka_unit_test(test_apply_interrupted),
		cmocka_unit_test(test_driver_none_reads_back),
		cmocka_unit_test(test_num_vfs_reads_back),
		cmocka_unit_test(test_lock),
	};

	return cmocka_run_group_tests(tests, setup_tree, teardown_tree);
}
