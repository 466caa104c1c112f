/* SPDX-License-Identifier: MIT */
/*
 * sriovctl-exporter: the host's SR-IOV state for Prometheus. The
 * inventory is kept between scrapes and read again when the kernel says
 * something changed (uevents), when a scrape's rtnetlink dump shows a VF
 * count that moved, or at the latest every --inventory.interval; the
 * checks and the policy's drift run every --checks.interval. A scrape
 * costs one rtnetlink dump.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exporter.h"

/* What every read of the inventory asks for. */
#define LOAD_FLAGS (SRIOV_LOAD_NO_NAMES | SRIOV_LOAD_STATS)
/* Events come in bursts (VFs are created one by one): wait for the rest. */
#define UEVENT_SETTLE_S 0.5

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

double exporter_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Swap @host in (the lock held); the old one is the caller's to free. */
static struct sriov_host *swap_host(struct exporter *ex, struct sriov_host *host)
{
	struct sriov_host *old = ex->host;

	ex->host = host;
	ex->host_time = exporter_now();
	ex->reloads++;
	return old;
}

int exporter_reload(struct exporter *ex, struct sriov_ctx *ctx)
{
	struct sriov_host *host;
	int r = sriov_host_load(ctx, LOAD_FLAGS, &host);

	if (r < 0)
		return r;
	pthread_mutex_lock(&ex->lock);
	host = swap_host(ex, host);
	pthread_mutex_unlock(&ex->lock);
	sriov_host_free(host);
	return 0;
}

/* Read the inventory again, run the checks and plan the policy on it. */
static int run_checks(struct exporter *ex, struct sriov_ctx *ctx)
{
	struct sriov_metrics_policy pol = { 0 };
	struct sriov_check_report *rep = NULL;
	struct sriov_host *host;
	char err[256];
	int r = sriov_host_load(ctx, LOAD_FLAGS, &host);

	if (r < 0)
		return r;
	if (!ex->opts.no_checks)
		r = sriov_check_run(ctx, host, NULL, 0, &rep, err, sizeof(err));
	if (r == 0 && !ex->opts.no_policy &&
	    sriov_metrics_policy_drift(ctx, host, ex->opts.policy, &pol) < 0)
		/* a policy that cannot be read now is a policy with an error */
		pol = (struct sriov_metrics_policy){ .present = true, .errors = 1 };
	if (r < 0) {
		sriov_host_free(host);
		return r;
	}
	pthread_mutex_lock(&ex->lock);
	host = swap_host(ex, host);
	if (!ex->opts.no_checks) {
		struct sriov_check_report *old = ex->checks;

		ex->checks = rep;
		rep = old;
		ex->checks_time = (double)time(NULL);
	}
	ex->policy = pol;
	ex->have_policy = !ex->opts.no_policy;
	pthread_mutex_unlock(&ex->lock);
	sriov_check_report_free(rep);
	sriov_host_free(host);
	return 0;
}

int exporter_scrape(struct exporter *ex, char **buf, size_t *len)
{
	double start = exporter_now();
	struct sriov_host *stale = NULL;
	FILE *mem;
	int r;

	pthread_mutex_lock(&ex->lock);
	ex->scrapes++;
	r = sriov_host_refresh_vf_links(ex->scrape_ctx, ex->host, SRIOV_LOAD_STATS);
	if (r == 1) {
		/* VFs came or went since the inventory was read: read it now */
		struct sriov_host *host;

		if (sriov_host_load(ex->scrape_ctx, LOAD_FLAGS, &host) == 0)
			stale = swap_host(ex, host);
	} else if (r < 0) {
		ex->scrape_errors++;
	}
	struct sriov_metrics_self self = {
		.version = SRIOVCTL_VERSION,
		.scrapes = ex->scrapes,
		.scrape_errors = ex->scrape_errors,
		.inventory_reloads = ex->reloads,
		.inventory_age_seconds = exporter_now() - ex->host_time,
	};
	struct sriov_metrics_input in = {
		.host = ex->host,
		.checks = ex->checks,
		.checks_timestamp = ex->checks_time,
		.policy = ex->have_policy ? &ex->policy : NULL,
		.self = &self,
	};
	self.scrape_duration_seconds = exporter_now() - start;
	*buf = NULL;
	mem = open_memstream(buf, len);
	r = mem ? sriov_metrics_write(&in, mem) : -ENOMEM;
	pthread_mutex_unlock(&ex->lock);
	if (mem && fclose(mem) == EOF && r == 0)
		r = -ENOMEM;
	if (r < 0) {
		free(*buf);
		*buf = NULL;
	}
	sriov_host_free(stale);
	return r;
}

static void usage(FILE *f)
{
	fputs("Usage: sriovctl-exporter [OPTIONS]\n"
	      "\n"
	      "Serve the host's SR-IOV PFs and VFs, their settings and counters, the\n"
	      "checks' findings and the policy's drift as Prometheus metrics\n"
	      "(docs/metrics.md).\n"
	      "\n"
	      "Options:\n"
	      "      --web.listen-address ADDR  [HOST]:PORT to listen on (default :9808)\n"
	      "      --web.telemetry-path PATH  where the metrics are (default /metrics)\n"
	      "      --web.config.file FILE     TLS and basic auth (exporter-toolkit's format)\n"
	      "      --web.max-connections N    connections served at once (default 64)\n"
	      "      --web.timeout S            an idle connection is closed after S seconds (default 10)\n"
	      "      --inventory.interval S     read the inventory again at least every S seconds\n"
	      "                                 (default 60; uevents and VF count changes sooner)\n"
	      "      --checks.interval S        run the checks and plan the policy every S seconds\n"
	      "                                 (default 60)\n"
	      "      --policy FILE              the policy for sriov_policy_* (default: the host's)\n"
	      "      --no-policy                no sriov_policy_* metrics\n"
	      "      --no-checks                no sriov_check_* metrics\n"
	      "  -r, --root DIR                 read sysfs and procfs under DIR (default /)\n"
	      "  -h, --help                     this text\n"
	      "  -V, --version                  print the version\n",
	      f);
}

static void err_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void err_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("sriovctl-exporter: ", stderr);
	va_start(ap, fmt);
	sriov_escape_vprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Whole numbers @min..@max, nothing else. */
static int parse_uint(const char *opt, const char *s, unsigned min, unsigned max,
		      unsigned *out)
{
	unsigned long v;

	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 9 ||
	    (v = strtoul(s, NULL, 10)) < min || v > max) {
		err_msg("--%s takes a whole number from %u to %u, not '%s'", opt, min,
			max, s);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

/* Returns -1 to go on, else an exit code. */
static int parse_opts(int argc, char **argv, struct exporter_opts *o)
{
	enum { O_LISTEN = 256, O_PATH, O_WEBCONF, O_MAXCONN, O_TIMEOUT, O_INV,
	       O_CHECKS, O_POLICY, O_NOPOLICY, O_NOCHECKS };
	static const struct option opts[] = {
		{ "web.listen-address", required_argument, NULL, O_LISTEN },
		{ "web.telemetry-path", required_argument, NULL, O_PATH },
		{ "web.config.file", required_argument, NULL, O_WEBCONF },
		{ "web.max-connections", required_argument, NULL, O_MAXCONN },
		{ "web.timeout", required_argument, NULL, O_TIMEOUT },
		{ "inventory.interval", required_argument, NULL, O_INV },
		{ "checks.interval", required_argument, NULL, O_CHECKS },
		{ "policy", required_argument, NULL, O_POLICY },
		{ "no-policy", no_argument, NULL, O_NOPOLICY },
		{ "no-checks", no_argument, NULL, O_NOCHECKS },
		{ "root", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 }
	};
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":r:hV", opts, NULL)) != -1) {
		switch (opt) {
		case O_LISTEN: {
			const char *port = strrchr(optarg, ':');

			/* the form here; whether the host resolves, at the start */
			if (!port || !port[1] || strlen(port + 1) > 5 ||
			    strspn(port + 1, "0123456789") != strlen(port + 1) ||
			    strtoul(port + 1, NULL, 10) > 65535) {
				err_msg("--web.listen-address takes [HOST]:PORT, not '%s'",
					optarg);
				return 2;
			}
			o->listen = optarg;
			break;
		}
		case O_PATH:
			/* it goes into the landing page's HTML as it is */
			if (optarg[0] != '/' || strlen(optarg) > 256 ||
			    strspn(optarg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					   "0123456789/._-") != strlen(optarg)) {
				err_msg("--web.telemetry-path takes a path of letters, digits and /._- that starts with /, not '%s'",
					optarg);
				return 2;
			}
			o->path = optarg;
			break;
		case O_WEBCONF:
			o->web_config = optarg;
			break;
		case O_MAXCONN:
			if (parse_uint("web.max-connections", optarg, 1, 4096, &o->max_conns) < 0)
				return 2;
			break;
		case O_TIMEOUT:
			if (parse_uint("web.timeout", optarg, 1, 3600, &o->timeout_s) < 0)
				return 2;
			break;
		case O_INV:
			if (parse_uint("inventory.interval", optarg, 1, 86400, &o->inventory_s) < 0)
				return 2;
			break;
		case O_CHECKS:
			if (parse_uint("checks.interval", optarg, 1, 86400, &o->checks_s) < 0)
				return 2;
			break;
		case O_POLICY:
			o->policy = optarg;
			break;
		case O_NOPOLICY:
			o->no_policy = true;
			break;
		case O_NOCHECKS:
			o->no_checks = true;
			break;
		case 'r':
			o->root = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("sriovctl-exporter %s\n", SRIOVCTL_VERSION);
			return 0;
		default:
			err_msg("%s '%s'; try 'sriovctl-exporter --help'",
				opt == ':' ? "option needs a value:" : "unknown option",
				optind > 0 && optind <= argc ? argv[optind - 1] : "?");
			return 2;
		}
	}
	if (optind < argc) {
		err_msg("takes no arguments, not '%s'; try 'sriovctl-exporter --help'",
			argv[optind]);
		return 2;
	}
	if (o->policy && o->no_policy) {
		err_msg("--policy and --no-policy contradict each other; choose one");
		return 2;
	}
	return -1;
}

/* The main loop: uevents, the inventory's and the checks' intervals. */
static void serve(struct exporter *ex, struct sriov_ctx *ctx)
{
	double now = exporter_now();
	double next_inv = now + ex->opts.inventory_s, next_checks = now + ex->opts.checks_s;
	double pending = 0; /* a reload asked for by uevents, due then */
	int wfd = -1;

	if (sriov_watch_open(ctx, &wfd) < 0)
		wfd = -1; /* a tree under --root, or no uevents: intervals only */
	while (!stop_signal) {
		double due = next_inv < next_checks ? next_inv : next_checks;
		struct pollfd p = { .fd = wfd, .events = POLLIN };
		int ms;

		if (pending && pending < due)
			due = pending;
		now = exporter_now();
		ms = due > now ? (int)((due - now) * 1000) + 1 : 0;
		if (poll(&p, wfd >= 0 ? 1 : 0, ms) > 0 && (p.revents & POLLIN)) {
			int r = sriov_watch_read(wfd);

			if (r != 0 && !pending)
				pending = exporter_now() + UEVENT_SETTLE_S;
		}
		now = exporter_now();
		if (now >= next_checks) {
			if (run_checks(ex, ctx) < 0)
				err_msg("cannot read the inventory under %s; keeping the last one",
					ex->opts.root);
			next_checks = now + ex->opts.checks_s;
			next_inv = now + ex->opts.inventory_s;
			pending = 0;
		} else if (now >= next_inv || (pending && now >= pending)) {
			if (exporter_reload(ex, ctx) < 0)
				err_msg("cannot read the inventory under %s; keeping the last one",
					ex->opts.root);
			next_inv = now + ex->opts.inventory_s;
			pending = 0;
		}
	}
	if (wfd >= 0)
		close(wfd);
}

int main(int argc, char **argv)
{
	struct exporter ex = {
		.opts = { .listen = ":9808", .path = "/metrics", .root = "/",
			  .inventory_s = 60, .checks_s = 60, .max_conns = 64,
			  .timeout_s = 10 },
	};
	struct sriov_ctx *ctx = NULL;
	struct http *d = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	char err[512];
	int r, rc = 1;

	r = parse_opts(argc, argv, &ex.opts);
	if (r >= 0)
		return r;
	pthread_mutex_init(&ex.lock, NULL);
	if (ex.opts.web_config &&
	    web_config_load(ex.opts.web_config, &ex.web, err, sizeof(err)) < 0) {
		err_msg("%s: %s", ex.opts.web_config, err);
		return 1;
	}
	r = sriov_ctx_new(ex.opts.root, &ctx);
	if (r == 0)
		r = sriov_ctx_new(ex.opts.root, &ex.scrape_ctx);
	if (r < 0) {
		err_msg("cannot open root directory %s: %s", ex.opts.root, strerror(-r));
		goto out;
	}
	r = run_checks(&ex, ctx);
	if (r < 0) {
		err_msg("cannot read the PCI devices under %s: %s%s", ex.opts.root,
			strerror(-r), r == -ENOENT ? " (is it a host root with /sys?)" : "");
		goto out;
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	d = http_start(&ex, err, sizeof(err));
	if (!d) {
		err_msg("%s", err);
		goto out;
	}
	fprintf(stderr, "sriovctl-exporter %s: listening on %s%s, metrics at %s\n",
		SRIOVCTL_VERSION, ex.opts.listen, ex.web.cert_file ? " (TLS)" : "",
		ex.opts.path);
	serve(&ex, ctx);
	rc = 0;
out:
	http_stop(d);
	sriov_check_report_free(ex.checks);
	sriov_host_free(ex.host);
	sriov_ctx_free(ex.scrape_ctx);
	sriov_ctx_free(ctx);
	web_config_clear(&ex.web);
	pthread_mutex_destroy(&ex.lock);
	return rc;
}
