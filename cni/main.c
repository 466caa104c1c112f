/* SPDX-License-Identifier: MIT */
/*
 * sriov: the SR-IOV CNI plugin (docs/cni.md), a drop-in for sriov-cni.
 * The runtime gives the verb and the attachment in CNI_* variables and
 * the network configuration on stdin; the result or error JSON goes to
 * stdout. Everything else is the library's (sriov/cni.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sriov.h"

static const char *const levels[] = { "panic", "error", "warning", "info", "debug" };

static int level_of(const char *s, size_t n)
{
	for (int i = 0; i < 5; i++)
		if (strlen(levels[i]) == n && !strncmp(s, levels[i], n))
			return i;
	return 3;
}

/* The log lines at or above logLevel, to logFile or stderr. */
static void write_log(const struct sriov_cni_reply *r, const char *cmd)
{
	int max = r->log_level ? level_of(r->log_level, strlen(r->log_level)) : 3;
	FILE *f = stderr;
	int fd = -1;

	if (r->log_file) {
		fd = open(r->log_file, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW |
			  O_CLOEXEC | O_NONBLOCK, 0640);
		f = fd >= 0 ? fdopen(fd, "a") : NULL;
		if (!f) {
			if (fd >= 0)
				close(fd);
			return;
		}
	}
	for (size_t i = 0; i < r->log.n; i++) {
		const char *l = r->log.v[i];
		size_t w = strcspn(l, " ");

		if (level_of(l, w) > max)
			continue;
		fputs("sriov: ", f);
		fputs(cmd ? cmd : "-", f);
		fputc(' ', f);
		/* Names and messages come from the runtime and the kernel. */
		sriov_escape_printf(f, "%s\n", l);
	}
	if (f != stderr)
		fclose(f);
}

/* stdin whole, up to @max bytes: -EFBIG beyond. */
static int read_stdin(size_t max, char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);

	while (buf) {
		size_t got;

		if (n == cap) {
			char *nb = cap >= max ? NULL : realloc(buf, cap * 2 + 1);

			if (!nb) {
				free(buf);
				return cap >= max ? -EFBIG : -ENOMEM;
			}
			buf = nb;
			cap *= 2;
		}
		got = fread(buf + n, 1, cap - n, stdin);
		n += got;
		if (got == 0) {
			if (ferror(stdin)) {
				free(buf);
				return -EIO;
			}
			buf[n] = '\0';
			*out = buf;
			*len = n;
			return 0;
		}
	}
	return -ENOMEM;
}

int main(void)
{
	struct sriov_cni_env env = {
		.command = getenv("CNI_COMMAND"),
		.container_id = getenv("CNI_CONTAINERID"),
		.netns = getenv("CNI_NETNS"),
		.ifname = getenv("CNI_IFNAME"),
		.args = getenv("CNI_ARGS"),
		.path = getenv("CNI_PATH"),
	};
	struct sriov_cni_opts opts = {
		/* Tests move the records and the host; a runtime never sets these. */
		.state_dir = getenv("SRIOV_CNI_STATE_DIR"),
		.root = getenv("SRIOV_CNI_ROOT"),
		.changelog = getenv("SRIOV_CNI_CHANGELOG"),
	};
	struct sriov_cni_reply reply;
	char *conf = NULL;
	size_t len = 0;
	int r;

	signal(SIGPIPE, SIG_IGN);
	r = read_stdin(SRIOV_CNI_CONF_MAX + 1, &conf, &len);
	if (r < 0 && !(env.command && !strcmp(env.command, "VERSION"))) {
		char *e = sriov_cni_error_json(NULL, SRIOV_CNI_E_IO, "cannot read the configuration on stdin", strerror(-r));

		if (e)
			puts(e);
		free(e);
		return 1;
	}
	if (sriov_cni_run(&env, conf ? conf : "", len, &opts, &reply) < 0) {
		fputs("sriov: out of memory\n", stderr);
		free(conf);
		return 1;
	}
	write_log(&reply, env.command);
	if (reply.out && (fputs(reply.out, stdout) < 0 || fputc('\n', stdout) < 0))
		reply.code = reply.code ? reply.code : SRIOV_CNI_E_IO;
	if (fflush(stdout) != 0 && !reply.code)
		reply.code = SRIOV_CNI_E_IO;
	r = reply.code ? 1 : 0;
	sriov_cni_reply_clear(&reply);
	free(conf);
	return r;
}
