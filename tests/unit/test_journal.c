/* SPDX-License-Identifier: MIT */
/*
 * The change log's file (no symbolic links, regular files only, no partial
 * line past RLIMIT_FSIZE or after a torn write) and the transaction
 * journal: an apply killed at each step of a plan, then recovered, leaves
 * the generated tree as it was, with the interrupted change recorded.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sriov.h"
#include "testlib.h"

static char root[300];
static char base[256];

static const char *const pfs[] = { "0000:02:00.0", "0000:02:00.1",
				   "0000:04:00.0", "0000:04:00.1" };
#define N_PFS (sizeof(pfs) / sizeof(pfs[0]))

static char *path_of(const char *rel)
{
	static char p[4][600];
	static int k;

	k = (k + 1) % 4;
	snprintf(p[k], sizeof(p[k]), "%s/%s", root, rel);
	return p[k];
}

/* The whole file under the root ("" when missing). */
static char *slurp(const char *rel)
{
	static char buf[65536];
	FILE *f = fopen(path_of(rel), "r");
	size_t n = 0;

	buf[0] = '\0';
	if (!f)
		return buf;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static void put(const char *rel, const char *text)
{
	tl_put(root, rel, text);
}

static const char *autoprobe_file(size_t i)
{
	static char rel[4][128];

	snprintf(rel[i], sizeof(rel[i]), "sys/bus/pci/devices/%s/sriov_drivers_autoprobe",
		 pfs[i]);
	return rel[i];
}

static int setup_tree(void **state)
{
	(void)state;
	tl_mkdtemp(base, sizeof(base), "sriov-journal");
	snprintf(root, sizeof(root), "%s/h", base);
	tl_hostgen(root, "--card e810:vfs=2/0 --card e810:vfs=0/0");
	return 0;
}

static int teardown_tree(void **state)
{
	(void)state;
	tl_rm_rf(base);
	return 0;
}

/* Each PF's autoprobe on -> off: N_PFS steps that writes to a tree do. */
static void autoprobe_plan(struct sriov_plan *plan)
{
	plan->v = calloc(N_PFS, sizeof(struct sriov_step));
	plan->n = N_PFS;
	assert_non_null(plan->v);
	for (size_t i = 0; i < N_PFS; i++) {
		struct sriov_step *s = &plan->v[i];

		s->kind = SRIOV_STEP_NUM_VFS;
		snprintf(s->pf, sizeof(s->pf), "%s", pfs[i]);
		snprintf(s->pf_name, sizeof(s->pf_name), "%s", pfs[i]);
		s->old_num_vfs = s->num_vfs = i == 0 ? 2 : 0;
		s->old_autoprobe = 1;
		s->autoprobe = 0;
		s->up = s->old_up = -1;
	}
}

static void reset_host(void)
{
	for (size_t i = 0; i < N_PFS; i++)
		put(autoprobe_file(i), "1\n");
	unlink(path_of("var/lib/sriovctl/journal"));
	unlink(path_of("var/log/sriovctl/changes.log"));
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/* ---------------------------------------------------------------- change log */

static const struct sriov_change one = {
	.device = "ens1f0", .pf = "0000:02:00.0", .attribute = "num_vfs",
	.old_value = "0", .new_value = "4",
};

static void test_changelog_file(void **state)
{
	struct sriov_change_origin who = { .uid = 0, .command = "sriovctl apply" };
	struct sriov_changelog *log;
	struct sriov_ctx *ctx;
	struct stat st;
	char target[600], *s;

	(void)state;
	reset_host();
	assert_int_equal(sriov_ctx_new(root, &ctx), 0);
	/* Made on open, 0640, its directory too. */
	assert_int_equal(sriov_changelog_open(ctx, NULL, &who, &log), 0);
	assert_string_equal(sriov_changelog_path(log),
			    path_of("var/log/sriovctl/changes.log"));
	assert_int_equal(sriov_changelog_append(log, NULL, &one), 0);
	sriov_changelog_free(log);
	assert_int_equal(stat(path_of("var/log/sriovctl/changes.log"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	s = slurp("var/log/sriovctl/changes.log");
	assert_int_equal(count(s, "\n"), 1);
	assert_non_null(strstr(s, "\"command\":\"sriovctl apply\",\"device\":\"ens1f0\""));

	/* A symbolic link as the log: refused, the target untouched. */
	snprintf(target, sizeof(target), "%s/elsewhere", base);
	put("../elsewhere", "");
	unlink(path_of("var/log/sriovctl/changes.log"));
	assert_int_equal(symlink(target, path_of("var/log/sriovctl/changes.log")), 0);
	assert_int_equal(sriov_changelog_open(ctx, NULL, &who, &log), -ELOOP);
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_size, 0);
	/* The same through --change-log FILE. */
	assert_int_equal(sriov_changelog_open(ctx, path_of("var/log/sriovctl/changes.log"),
					      &who, &log), -ELOOP);
	unlink(path_of("var/log/sriovctl/changes.log"));

	/* Its directory a link elsewhere: nothing made there. */
	assert_int_equal(rename(path_of("var/log/sriovctl"), path_of("var/log/moved")), 0);
	assert_int_equal(symlink(base, path_of("var/log/sriovctl")), 0);
	assert_int_equal(sriov_changelog_open(ctx, NULL, &who, &log), -ELOOP);
	assert_int_not_equal(access(path_of("../changes.log"), F_OK), 0);
	unlink(path_of("var/log/sriovctl"));
	assert_int_equal(rename(path_of("var/log/moved"), path_of("var/log/sriovctl")), 0);

	/* A FIFO (or anything not a regular file): refused, without blocking. */
	assert_int_equal(mkfifo(path_of("var/log/sriovctl/changes.log"), 0600), 0);
	assert_int_equal(sriov_changelog_open(ctx, NULL, &who, &log), -EBADFD);
	unlink(path_of("var/log/sriovctl/changes.log"));
	assert_int_equal(mkdir(path_of("var/log/sriovctl/changes.log"), 0700), 0);
	assert_int_equal(sriov_changelog_open(ctx, NULL, &who, &log), -EBADFD);
	rmdir(path_of("var/log/sriovctl/changes.log"));

	/* A last line cut short: the next record starts on its own line. */
	put("var/log/sriovctl/changes.log", "{\"time\":\"2026-01-01T00:00:00.000000Z\"\n{\"tim");
	assert_int_equal(sriov_changelog_open(ctx, NULL, &who, &log), 0);
	assert_int_equal(sriov_changelog_append(log, NULL, &one), 0);
	sriov_changelog_free(log);
	s = slurp("var/log/sriovctl/changes.log");
	assert_int_equal(count(s, "\n"), 3);
	assert_non_null(strstr(s, "\n{\"tim\n{\"time\":\""));
	sriov_ctx_free(ctx);
}

/*
 * In a child: RLIMIT_FSIZE at the log's size plus @room, SIGXFSZ ignored
 * (as sriovctl does), one append. Its exit status is the append's -errno.
 */
static int append_limited(off_t room)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		struct sriov_changelog *log = NULL;
		struct sriov_ctx *ctx = NULL;
		struct stat st;
		struct rlimit rl;
		int r;

		signal(SIGXFSZ, SIG_IGN);
		if (sriov_ctx_new(root, &ctx) < 0 ||
		    sriov_changelog_open(ctx, NULL, NULL, &log) < 0 ||
		    stat(path_of("var/log/sriovctl/changes.log"), &st) < 0)
			_exit(100);
		rl.rlim_cur = rl.rlim_max = (rlim_t)(st.st_size + room);
		if (setrlimit(RLIMIT_FSIZE, &rl) < 0)
			_exit(101);
		r = sriov_changelog_append(log, NULL, &one);
		_exit(-r);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return -WEXITSTATUS(status);
}

static void test_changelog_fsize(void **state)
{
	char before[4096];

	(void)state;
	reset_host();
	mkdir(path_of("var/log/sriovctl"), 0755);
	put("var/log/sriovctl/changes.log", "{\"a\":1}\n");
	snprintf(before, sizeof(before), "%s", slurp("var/log/sriovctl/changes.log"));
	/* At the limit: EFBIG, not SIGXFSZ; nothing written. */
	assert_int_equal(append_limited(0), -EFBIG);
	assert_string_equal(slurp("var/log/sriovctl/changes.log"), before);
	/* Below it: the short write is taken back, no half line stays. */
	assert_int_equal(append_limited(20), -EFBIG);
	assert_string_equal(slurp("var/log/sriovctl/changes.log"), before);
	/* Room enough: one whole line. */
	assert_int_equal(append_limited(4096), 0);
	assert_int_equal(count(slurp("var/log/sriovctl/changes.log"), "\n"), 2);
}

/* An apply whose change log is full: it fails, rolls back, no half line. */
static void test_apply_log_full(void **state)
{
	struct sriov_plan plan;
	pid_t pid;
	int status;

	(void)state;
	reset_host();
	mkdir(path_of("var/log/sriovctl"), 0755);
	put("var/log/sriovctl/changes.log", "{\"a\":1}\n");
	autoprobe_plan(&plan);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct sriov_apply_report rep;
		struct sriov_changelog *log = NULL;
		struct sriov_ctx *ctx = NULL;
		struct sriov_apply_opts opts = { .timeout_ms = 2000,
						 .journal = true };
		struct rlimit rl = { 4096, 4096 };
		int r;

		signal(SIGXFSZ, SIG_IGN);
		if (sriov_ctx_new(root, &ctx) < 0 ||
		    sriov_changelog_open(ctx, NULL, NULL, &log) < 0)
			_exit(100);
		/* the journal's header fits, the log is at the limit */
		if (truncate(path_of("var/log/sriovctl/changes.log"), 4096) < 0 ||
		    setrlimit(RLIMIT_FSIZE, &rl) < 0)
			_exit(101);
		opts.log = log;
		r = sriov_plan_apply(ctx, &plan, &opts, &rep);
		if (r != -EFBIG || rep.n != 1 || !rep.rolled_back ||
		    rep.log_err != -EFBIG || !rep.v[0].msg ||
		    !strstr(rep.v[0].msg, "cannot write the change log"))
			_exit(102);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	for (size_t i = 0; i < N_PFS; i++)
		assert_string_equal(slurp(autoprobe_file(i)), "1\n");
	assert_string_equal(slurp("var/lib/sriovctl/journal"), "");
	sriov_plan_clear(&plan);
}

/* ---------------------------------------------------------------- journal */

static long kill_step = -1;
static bool kill_done;

static void on_step(void *data, size_t i, bool done)
{
	(void)data;
	if ((long)i == kill_step && done == kill_done)
		raise(SIGKILL);
}

/* Apply the autoprobe plan in a child killed at step @k (@done: after it). */
static void apply_killed(long k, bool done, bool no_rollback)
{
	struct sriov_plan plan;
	pid_t pid;
	int status;

	autoprobe_plan(&plan);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct sriov_change_origin who = { .uid = 7, .command = "sriovctl apply -f p" };
		struct sriov_apply_opts opts = { .timeout_ms = 2000,
						 .journal = true,
						 .no_rollback = no_rollback,
						 .who = &who,
						 .on_step = on_step };
		struct sriov_apply_report rep;
		struct sriov_changelog *log = NULL;
		struct sriov_ctx *ctx = NULL;

		kill_step = k;
		kill_done = done;
		if (sriov_ctx_new(root, &ctx) < 0 ||
		    sriov_changelog_open(ctx, NULL, &who, &log) < 0)
			_exit(100);
		opts.log = log;
		sriov_plan_apply(ctx, &plan, &opts, &rep);
		_exit(101);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	sriov_plan_clear(&plan);
}

static void recover(struct sriov_ctx *ctx, struct sriov_txn *txn,
		    struct sriov_apply_report *rep)
{
	struct sriov_change_origin who = { .uid = 0, .command = "sriovctl apply --recover" };
	struct sriov_apply_opts opts = { .timeout_ms = 2000 };
	struct sriov_changelog *log;

	assert_int_equal(sriov_changelog_open(ctx, NULL, &who, &log), 0);
	opts.log = log;
	assert_int_equal(sriov_txn_recover(ctx, txn, &opts, rep), 0);
	sriov_changelog_free(log);
}

static void test_killed_at_each_step(void **state)
{
	(void)state;
	for (long k = 0; k < (long)N_PFS; k++)
		for (int done = 0; done < 2; done++) {
			struct sriov_apply_report rep;
			struct sriov_txn *txn = NULL;
			struct sriov_ctx *ctx;
			char err[256], want[256], *log;
			size_t changed = (size_t)k + (size_t)done;

			reset_host();
			apply_killed(k, done, false);
			/* Killed: the steps before k made, k itself after it. */
			for (size_t i = 0; i < N_PFS; i++)
				assert_string_equal(slurp(autoprobe_file(i)),
						    i < changed ? "0\n" : "1\n");
			log = slurp("var/log/sriovctl/changes.log");
			assert_int_equal(count(log, "\"result\":\"ok\""), (size_t)k);

			assert_int_equal(sriov_ctx_new(root, &ctx), 0);
			assert_int_equal(sriov_txn_load(ctx, &txn, err, sizeof(err)), 0);
			assert_non_null(txn);
			assert_int_equal(txn->uid, 7);
			assert_string_equal(txn->command, "sriovctl apply -f p");
			assert_true(txn->rollback);
			assert_false(txn->other_boot);
			assert_int_equal(txn->n_planned, N_PFS);
			assert_int_equal(txn->n_steps, (size_t)k + 1);
			assert_int_equal(txn->steps[k].result, SRIOV_TXN_NO_RESULT);
			for (long i = 0; i < k; i++)
				assert_int_equal(txn->steps[i].result, 0);
			assert_int_equal(txn->steps[k].n_changes, 1);
			assert_string_equal(txn->steps[k].changes[0].attribute,
					    "drivers_autoprobe");
			assert_non_null(txn->before);
			assert_int_equal(txn->before->n_pfs, N_PFS);

			recover(ctx, txn, &rep);
			assert_true(rep.rolled_back);
			assert_int_equal(rep.rollback_plan.n, changed);
			for (size_t i = 0; i < N_PFS; i++)
				assert_string_equal(slurp(autoprobe_file(i)), "1\n");
			/* The interrupted change is on record, by its apply. */
			log = slurp("var/log/sriovctl/changes.log");
			snprintf(want, sizeof(want),
				 "\"uid\":7,\"command\":\"sriovctl apply -f p\",\"device\":\"%s\",\"pf\":\"%s\",\"attribute\":\"drivers_autoprobe\",\"old\":\"on\",\"new\":\"off\",\"result\":\"interrupted\"",
				 pfs[k], pfs[k]);
			assert_int_equal(count(log, want), 1);
			assert_int_equal(count(log, "\"command\":\"sriovctl apply --recover\""),
					 changed);
			assert_int_equal(count(log, "\"result\":\"rolled back\""), changed);
			sriov_apply_report_clear(&rep);
			sriov_txn_free(txn);
			/* Finished: nothing more to recover. */
			assert_string_equal(slurp("var/lib/sriovctl/journal"), "");
			assert_int_equal(sriov_txn_load(ctx, &txn, err, sizeof(err)), 0);
			assert_null(txn);
			sriov_ctx_free(ctx);
		}
}

static void test_recover_without_rollback(void **state)
{
	struct sriov_apply_report rep;
	struct sriov_txn *txn = NULL;
	struct sriov_ctx *ctx;
	char err[256];

	(void)state;
	/* --no-rollback: what was done stays; recorded and closed. */
	reset_host();
	apply_killed(2, false, true);
	assert_int_equal(sriov_ctx_new(root, &ctx), 0);
	assert_int_equal(sriov_txn_load(ctx, &txn, err, sizeof(err)), 0);
	assert_non_null(txn);
	assert_false(txn->rollback);
	recover(ctx, txn, &rep);
	assert_false(rep.rolled_back);
	assert_null(rep.rollback);
	assert_string_equal(slurp(autoprobe_file(1)), "0\n");
	assert_int_equal(count(slurp("var/log/sriovctl/changes.log"),
			       "\"result\":\"interrupted\""), 1);
	sriov_apply_report_clear(&rep);
	sriov_txn_free(txn);

	/* An earlier boot: the kernel dropped the changes, nothing undone. */
	{
		char cmd[700];

		snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path_of("proc/sys/kernel/random"));
		assert_int_equal(system(cmd), 0);
	}
	put("proc/sys/kernel/random/boot_id", "0f1e2d3c-0000-4000-8000-000000000001\n");
	reset_host();
	apply_killed(1, true, false);
	put("proc/sys/kernel/random/boot_id", "0f1e2d3c-0000-4000-8000-000000000002\n");
	assert_int_equal(sriov_txn_load(ctx, &txn, err, sizeof(err)), 0);
	assert_non_null(txn);
	assert_true(txn->other_boot);
	recover(ctx, txn, &rep);
	assert_false(rep.rolled_back);
	assert_string_equal(slurp(autoprobe_file(1)), "0\n");
	assert_non_null(strstr(slurp("var/log/sriovctl/changes.log"),
			       "the host has booted since"));
	assert_string_equal(slurp("var/lib/sriovctl/journal"), "");
	sriov_apply_report_clear(&rep);
	sriov_txn_free(txn);
	unlink(path_of("proc/sys/kernel/random/boot_id"));
	sriov_ctx_free(ctx);
}

static void test_journal_guards(void **state)
{
	struct sriov_apply_opts opts = { .timeout_ms = 2000, .journal = true };
	struct sriov_apply_report rep;
	struct sriov_plan plan;
	struct sriov_txn *txn = NULL;
	struct sriov_ctx *ctx;
	char err[256], target[600];

	(void)state;
	reset_host();
	assert_int_equal(sriov_ctx_new(root, &ctx), 0);
	/* An unfinished transaction: a new apply changes nothing. */
	apply_killed(1, false, false);
	autoprobe_plan(&plan);
	assert_int_equal(sriov_plan_apply(ctx, &plan, &opts, &rep), -EBUSY);
	assert_int_equal(rep.n, 0);
	assert_non_null(strstr(rep.msg, "records an apply that did not finish"));
	sriov_apply_report_clear(&rep);
	assert_string_equal(slurp(autoprobe_file(2)), "1\n");

	/* Died while writing its header: nothing began, nothing to do. */
	put("var/lib/sriovctl/journal", "{\"schema\":\"sriovctl.journal/v1\",\"pid\":");
	assert_int_equal(sriov_txn_load(ctx, &txn, err, sizeof(err)), 0);
	assert_null(txn);
	/* A torn last record is ignored, the rest read. */
	reset_host();
	apply_killed(0, true, false);
	{
		FILE *f = fopen(path_of("var/lib/sriovctl/journal"), "a");

		assert_non_null(f);
		fputs("{\"result\":0,\"er", f);
		fclose(f);
	}
	assert_int_equal(sriov_txn_load(ctx, &txn, err, sizeof(err)), 0);
	assert_non_null(txn);
	assert_int_equal(txn->steps[0].result, SRIOV_TXN_NO_RESULT);
	sriov_txn_free(txn);

	/* Not ours: an error naming the line, the file left alone. */
	reset_host();
	put("var/lib/sriovctl/journal", "{\"schema\":\"sriovctl.journal/v1\",\"pid\":1}\n");
	assert_int_equal(sriov_txn_load(ctx, &txn, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "/var/lib/sriovctl/journal line 1 is not a record of sriovctl's journal"));
	/* A link elsewhere: neither read nor written through. */
	unlink(path_of("var/lib/sriovctl/journal"));
	snprintf(target, sizeof(target), "%s/elsewhere", base);
	assert_int_equal(symlink(target, path_of("var/lib/sriovctl/journal")), 0);
	assert_int_equal(sriov_txn_load(ctx, &txn, err, sizeof(err)), -ELOOP);
	assert_int_equal(sriov_plan_apply(ctx, &plan, &opts, &rep), -ELOOP);
	assert_non_null(strstr(rep.msg, "cannot write the journal"));
	sriov_apply_report_clear(&rep);
	unlink(path_of("var/lib/sriovctl/journal"));
	assert_string_equal(slurp(autoprobe_file(0)), "1\n");

	/* And when it all goes through, the journal is empty after. */
	assert_int_equal(sriov_plan_apply(ctx, &plan, &opts, &rep), 0);
	assert_string_equal(slurp("var/lib/sriovctl/journal"), "");
	assert_string_equal(slurp(autoprobe_file(3)), "0\n");
	sriov_apply_report_clear(&rep);
	sriov_plan_clear(&plan);
	sriov_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_changelog_file),
		cmocka_unit_test(test_changelog_fsize),
		cmocka_unit_test(test_apply_log_full),
		cmocka_unit_test(test_killed_at_each_step),
		cmocka_unit_test(test_recover_without_rollback),
		cmocka_unit_test(test_journal_guards),
	};

	return cmocka_run_group_tests(tests, setup_tree, teardown_tree);
}
