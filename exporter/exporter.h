/* SPDX-License-Identifier: MIT */
/* sriovctl-exporter: what its parts share. */
#ifndef SRIOVCTL_EXPORTER_H
#define SRIOVCTL_EXPORTER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sriov.h"

#ifndef SRIOVCTL_VERSION
#define SRIOVCTL_VERSION "unknown"
#endif

/* --web.config.file (exporter/webconfig.c): exporter-toolkit's format. */
struct web_user {
	char *name;
	char *hash;             /* bcrypt, "$2y$..." / "$2b$..." / "$2a$..." */
};

struct web_config {
	char *cert_file;        /* tls_server_config: both or neither */
	char *key_file;
	struct web_user *users; /* basic_auth_users */
	size_t n_users;
};

/*
 * Read @path. Returns 0, or -errno with @err saying what and where
 * ("line 3: ..."). Free with web_config_clear().
 */
int web_config_load(const char *path, struct web_config *out, char *err,
		    size_t errlen);
void web_config_clear(struct web_config *wc);
/* Whether @user with @password is one of wc's users (crypt() compares). */
bool web_config_auth(const struct web_config *wc, const char *user,
		     const char *password);

/* The options. */
struct exporter_opts {
	const char *listen;        /* --web.listen-address, ":9808" */
	const char *path;          /* --web.telemetry-path, "/metrics" */
	const char *web_config;    /* --web.config.file */
	const char *root;          /* --root */
	const char *policy;        /* --policy FILE */
	bool no_policy;
	bool no_checks;
	unsigned inventory_s;      /* --inventory.interval: re-read at most this old */
	unsigned checks_s;         /* --checks.interval */
	unsigned max_conns;        /* --web.max-connections */
	unsigned timeout_s;        /* --web.timeout */
};

/*
 * The state the scrapes read and the main loop refreshes. Everything
 * below lock is guarded by it; the main loop reads the inventory and runs
 * the checks with its own context, outside the lock, and swaps them in.
 */
struct exporter {
	struct exporter_opts opts;
	struct web_config web;
	struct sriov_ctx *scrape_ctx; /* the scrapes' (their rtnetlink dump) */
	pthread_mutex_t lock;
	struct sriov_host *host;
	double host_time;             /* monotonic seconds of its read */
	struct sriov_check_report *checks;
	double checks_time;           /* Unix time of the run */
	struct sriov_metrics_policy policy;
	bool have_policy;
	uint64_t scrapes, scrape_errors, reloads;
};

/* Monotonic seconds. */
double exporter_now(void);

/*
 * Read the inventory with @ctx into ex->host (under the lock), replacing
 * the old one. Returns 0 or -errno (the old one stays).
 */
int exporter_reload(struct exporter *ex, struct sriov_ctx *ctx);

/*
 * One scrape: refresh the VF links in one rtnetlink dump and write the
 * exposition into a malloc'd *buf of *len bytes. Returns 0 or -errno.
 */
int exporter_scrape(struct exporter *ex, char **buf, size_t *len);

/* The HTTP side (exporter/http.c). */
struct http;
/* Start serving; returns NULL with @err saying why. Stop with http_stop(). */
struct http *http_start(struct exporter *ex, char *err, size_t errlen);
void http_stop(struct http *h);

#endif
