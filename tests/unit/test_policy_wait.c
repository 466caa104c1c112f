/* SPDX-License-Identifier: MIT */
/*
 * `apply --boot`'s wait on a generated host: ready at once, never ready
 * (bounded), and PFs that get their driver, their netdev name or udev's
 * word while it waits (a thread changes the tree as the kernel and udev
 * would).
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "sriov.h"
#include "testlib.h"

/*
 * igb 0000:02:00.0 (driver igb, netdev ens1f0, ifindex 2) and a two-port
 * E810 0000:03:00.0/.1 with no driver yet (pfdriver=none).
 */
static char root[256];  /* tl_mkdtemp() refuses a longer TMPDIR */
static struct sriov_ctx *ctx;

#define IGB "0000:02:00.0"
#define E810_0 "0000:03:00.0"
#define E810_1 "0000:03:00.1"

static int setup(void **state)
{
	tl_mkdtemp(root, sizeof(root), "sriov-wait");
	tl_hostgen(root, "--card igb --card e810:pfdriver=none");
	assert_int_equal(sriov_ctx_new(root, &ctx), 0);
	return 0;
}

static int teardown(void **state)
{
	sriov_ctx_free(ctx);
	tl_rm_rf(root);
	return 0;
}

static void path(char *buf, size_t size, const char *rel)
{
	snprintf(buf, size, "%s/%s", root, rel);
}

/* What the kernel does when a driver takes a PF: its driver link. */
static void bind_pf(const char *addr, const char *driver)
{
	char p[PATH_MAX], tmp[PATH_MAX], target[128], rel[128];

	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/driver.new", addr);
	path(tmp, sizeof(tmp), rel);
	rel[strlen(rel) - 4] = '\0';
	path(p, sizeof(p), rel);
	snprintf(target, sizeof(target), "../../../../bus/pci/drivers/%s", driver);
	assert_int_equal(symlink(target, tmp), 0);
	assert_int_equal(rename(tmp, p), 0);
}

static void unbind_pf(const char *addr)
{
	char p[PATH_MAX], rel[128];

	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/driver", addr);
	path(p, sizeof(p), rel);
	unlink(p);
}

/* What udev's rename does to the igb PF's netdev: ens1f0 -> @to, and back. */
static void rename_netdev(const char *from, const char *to)
{
	char a[PATH_MAX], b[PATH_MAX], rel[256], target[256];

	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/" IGB "/net/%s", from);
	path(a, sizeof(a), rel);
	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/" IGB "/net/%s", to);
	path(b, sizeof(b), rel);
	assert_int_equal(rename(a, b), 0);
	snprintf(rel, sizeof(rel), "sys/class/net/%s", from);
	path(a, sizeof(a), rel);
	assert_int_equal(unlink(a), 0);
	snprintf(rel, sizeof(rel), "sys/class/net/%s", to);
	path(b, sizeof(b), rel);
	snprintf(target, sizeof(target),
		 "../../devices/pci0000:00/0000:00:02.0/" IGB "/net/%s", to);
	assert_int_equal(symlink(target, b), 0);
}

static void put(const char *rel, const char *text)
{
	tl_put(root, rel, text);
}

static void rm_rf(const char *rel)
{
	char p[PATH_MAX];

	path(p, sizeof(p), rel);
	tl_rm_rf(p);
}

static struct sriov_policy *policy(const char *text)
{
	struct sriov_policy *p;

	assert_int_equal(sriov_policy_new(&p), 0);
	assert_int_equal(sriov_policy_add(p, "t.yaml", text, strlen(text)), 0);
	assert_int_equal(sriov_policy_validate(p), 0);
	assert_int_equal(p->n_errors, 0);
	return p;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait for @text's PFs; the result, the time taken in *ms, *host kept. */
static int wait_for(const char *text, unsigned timeout_ms, long long *ms,
		    struct sriov_host **host)
{
	struct sriov_policy *p = policy(text);
	long long t0 = now_ms();
	int r;

	r = sriov_policy_wait(ctx, p, timeout_ms, SRIOV_LOAD_NO_NAMES, host);
	*ms = now_ms() - t0;
	print_message("wait: %d after %lld ms\n", r, *ms);
	sriov_policy_free(p);
	return r;
}

static const struct sriov_pf *find_pf(const struct sriov_host *h, const char *addr)
{
	for (size_t i = 0; i < h->n_pfs; i++)
		if (strcmp(h->pfs[i].address, addr) == 0)
			return &h->pfs[i];
	return NULL;
}

static void test_ready_at_once(void **state)
{
	struct sriov_host *h;
	long long ms;

	assert_int_equal(wait_for("pfs:\n"
				  "  - match: {netdev: ens1f0}\n"
				  "    num_vfs: 2\n"
				  "  - match: {pci: \"" IGB "\"}\n"
				  "    mtu: 9000\n",
				  5000, &ms, &h), 0);
	/* one read, no poll interval */
	assert_true(ms < 200);
	assert_non_null(h);
	assert_string_equal(find_pf(h, IGB)->driver, "igb");
	sriov_host_free(h);

	/* nothing to wait for */
	assert_int_equal(wait_for("pfs: []\n", 5000, &ms, &h), 0);
	assert_true(ms < 200);
	assert_non_null(h);
	sriov_host_free(h);
}

static void test_never_ready(void **state)
{
	static const char *entries[] = {
		/* no such netdev */
		"pfs:\n  - match: {netdev: ens9f0}\n",
		/* no such device */
		"pfs:\n  - match: {pci: \"0000:99:00.0\"}\n",
		/* there, without a driver */
		"pfs:\n  - match: {pci: \"" E810_0 "\"}\n    num_vfs: 4\n",
		/* one entry ready, the other not */
		"pfs:\n  - match: {netdev: ens1f0}\n"
		"  - match: {vendor: \"8086\", device: \"1592\"}\n",
		/* root port 00:02.0 holds the igb: ready; 00:03.0 the E810s */
		"pfs:\n  - match: {root_device: \"0000:00:03.0\"}\n",
	};
	struct sriov_host *h;
	long long ms;

	for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
		assert_int_equal(wait_for(entries[i], 300, &ms, &h), -ETIMEDOUT);
		/* bounded: the timeout, plus at most one load */
		assert_true(ms >= 300);
		assert_true(ms < 1000);
		/* the last read, for phase 2 to name what is missing */
		assert_non_null(h);
		assert_non_null(find_pf(h, IGB));
		assert_null(find_pf(h, E810_0)->driver);
		sriov_host_free(h);
	}
	assert_int_equal(wait_for("pfs:\n  - match: {root_device: \"0000:00:02.0\"}\n",
				  300, &ms, &h), 0);
	sriov_host_free(h);
}

/* Something that happens to the tree @delay_ms after the wait starts. */
struct later {
	unsigned delay_ms;
	void (*fn)(void);
};

static void *later_thread(void *arg)
{
	const struct later *l = arg;
	struct timespec ts = { l->delay_ms / 1000, (long)(l->delay_ms % 1000) * 1000000l };

	nanosleep(&ts, NULL);
	l->fn();
	return NULL;
}

static int wait_while(const struct later *l, const char *text,
		      unsigned timeout_ms, long long *ms, struct sriov_host **host)
{
	pthread_t t;
	int r;

	assert_int_equal(pthread_create(&t, NULL, later_thread, (void *)l), 0);
	r = wait_for(text, timeout_ms, ms, host);
	assert_int_equal(pthread_join(t, NULL), 0);
	return r;
}

static void bind_both_e810(void)
{
	bind_pf(E810_0, "ice");
	bind_pf(E810_1, "ice");
}

static void bind_one_e810(void)
{
	bind_pf(E810_0, "ice");
}

static void test_driver_binds_while_waiting(void **state)
{
	const struct later both = { 400, bind_both_e810 };
	const struct later one = { 100, bind_one_e810 };
	const char *by_id = "pfs:\n  - match: {vendor: \"8086\", device: \"1592\"}\n"
			    "    num_vfs: 8\n";
	struct sriov_host *h;
	long long ms;

	assert_int_equal(wait_while(&both, by_id, 5000, &ms, &h), 0);
	/* seen at the first poll after the bind: 250 ms apart */
	assert_true(ms >= 400);
	assert_true(ms < 1500);
	assert_string_equal(find_pf(h, E810_0)->driver, "ice");
	assert_string_equal(find_pf(h, E810_1)->driver, "ice");
	sriov_host_free(h);
	unbind_pf(E810_0);
	unbind_pf(E810_1);

	/* every PF an entry matches needs its driver, not just the first */
	assert_int_equal(wait_while(&one, by_id, 600, &ms, &h), -ETIMEDOUT);
	assert_string_equal(find_pf(h, E810_0)->driver, "ice");
	assert_null(find_pf(h, E810_1)->driver);
	sriov_host_free(h);
	unbind_pf(E810_0);

	/* a driver without a netdev is enough when the entry needs none */
	assert_int_equal(wait_while(&one, "pfs:\n  - match: {pci: \"" E810_0 "\"}\n"
				    "    num_vfs: 4\n"
				    "    vfs:\n      \"0-3\": {driver: vfio-pci}\n",
				    5000, &ms, &h), 0);
	assert_int_equal(find_pf(h, E810_0)->n_netdevs, 0);
	sriov_host_free(h);
	unbind_pf(E810_0);

	/* ... but not when it sets the PF's link or its VFs' link settings */
	assert_int_equal(wait_while(&one, "pfs:\n  - match: {pci: \"" E810_0 "\"}\n"
				    "    mtu: 9000\n", 600, &ms, &h), -ETIMEDOUT);
	sriov_host_free(h);
	unbind_pf(E810_0);
	assert_int_equal(wait_while(&one, "pfs:\n  - match: {pci: \"" E810_0 "\"}\n"
				    "    num_vfs: 4\n"
				    "    vfs:\n      \"0-3\": {vlan: 10}\n",
				    600, &ms, &h), -ETIMEDOUT);
	sriov_host_free(h);
	unbind_pf(E810_0);
}

static void udev_renames(void)
{
	rename_netdev("ens1f0", "lan0");
}

static void test_netdev_renamed_while_waiting(void **state)
{
	const struct later l = { 300, udev_renames };
	struct sriov_host *h;
	long long ms;

	assert_int_equal(wait_while(&l, "pfs:\n  - match: {netdev: lan0}\n"
				    "    num_vfs: 2\n", 5000, &ms, &h), 0);
	assert_true(ms >= 300);
	assert_true(ms < 1500);
	assert_string_equal(find_pf(h, IGB)->netdevs[0].name, "lan0");
	sriov_host_free(h);
	rename_netdev("lan0", "ens1f0");
}

static void udev_done(void)
{
	/* ens1f0 is ifindex 2 in the generated tree */
	put("run/udev/data/n2", "I:1\n");
}

static void test_udev_database(void **state)
{
	const struct later l = { 300, udev_done };
	const char *mtu = "pfs:\n  - match: {pci: \"" IGB "\"}\n    mtu: 9000\n";
	struct sriov_host *h;
	long long ms;

	/* udev runs (its database exists) but has not handled ens1f0 yet */
	put("run/udev/data/c1:3", "");
	assert_int_equal(wait_for(mtu, 300, &ms, &h), -ETIMEDOUT);
	sriov_host_free(h);
	/* an entry that does not touch the netdev does not wait for udev */
	assert_int_equal(wait_for("pfs:\n  - match: {pci: \"" IGB "\"}\n"
				  "    num_vfs: 2\n", 300, &ms, &h), 0);
	sriov_host_free(h);

	assert_int_equal(wait_while(&l, mtu, 5000, &ms, &h), 0);
	assert_true(ms >= 300);
	assert_true(ms < 1500);
	sriov_host_free(h);
	rm_rf("run");
}

static void on_signal(int sig)
{
	(void)sig;
}

static pthread_t waiter;

static void signal_waiter(void)
{
	pthread_kill(waiter, SIGUSR1);
}

static void test_signal_ends_wait(void **state)
{
	const struct later l = { 300, signal_waiter };
	struct sigaction sa = { .sa_handler = on_signal }, old;
	struct sriov_host *h;
	long long ms;

	waiter = pthread_self();
	assert_int_equal(sigaction(SIGUSR1, &sa, &old), 0);
	assert_int_equal(wait_while(&l, "pfs:\n  - match: {netdev: ens9f0}\n",
				    10000, &ms, &h), -EINTR);
	assert_true(ms < 1500);
	assert_non_null(h);
	sriov_host_free(h);
	assert_int_equal(sigaction(SIGUSR1, &old, NULL), 0);
}

static void test_unreadable_host(void **state)
{
	struct sriov_ctx *empty;
	struct sriov_policy *p = policy("pfs:\n  - match: {netdev: ens1f0}\n");
	struct sriov_host *h = (void *)1;
	char dir[PATH_MAX];

	path(dir, sizeof(dir), "run");
	put("run/.keep", "");
	assert_int_equal(sriov_ctx_new(dir, &empty), 0);
	/* no PCI bus to read: the load's error at once, no host */
	assert_int_equal(sriov_policy_wait(empty, p, 300, 0, &h), -ENOENT);
	assert_null(h);
	sriov_ctx_free(empty);
	sriov_policy_free(p);
	rm_rf("run");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ready_at_once),
		cmocka_unit_test(test_never_ready),
		cmocka_unit_test(test_driver_binds_while_waiting),
		cmocka_unit_test(test_netdev_renamed_while_waiting),
		cmocka_unit_test(test_udev_database),
		cmocka_unit_test(test_signal_ends_wait),
		cmocka_unit_test(test_unreadable_host),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
