/* SPDX-License-Identifier: MIT */
/*
 * Standard output of every verb: lines escaped as sriov_escape_printf()
 * does, through a stream that remembers why its first write failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli.h"

static ssize_t out_write(void *cookie, const char *buf, size_t len)
{
	struct cli *c = cookie;
	size_t done = 0;

	/* glibc counts a short write as an error: write it all */
	while (done < len) {
		ssize_t n = write(STDOUT_FILENO, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!c->out_err)
				c->out_err = n < 0 ? errno : EIO;
			return done ? (ssize_t)done : -1;
		}
		done += (size_t)n;
	}
	return (ssize_t)len;
}

static int out_close(void *cookie)
{
	struct cli *c = cookie;

	if (close(STDOUT_FILENO) < 0 && errno != EINTR && !c->out_err)
		c->out_err = errno;
	return c->out_err ? -1 : 0;
}

void cli_output_open(struct cli *c)
{
	static const cookie_io_functions_t io = { .write = out_write,
						  .close = out_close };
	FILE *f;

	/*
	 * A closed 0, 1 or 2 would be the next file opened (the lock, the
	 * change log, a sysfs attribute), and what is printed would land in
	 * it: hold each with /dev/null; a closed stdout is a write error.
	 */
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		if (fd == STDOUT_FILENO)
			c->out_err = EBADF;
		if (open("/dev/null", O_RDWR | O_NOCTTY) != fd)
			_exit(EXIT_FAILED);
	}
	f = fopencookie(c, "w", io);

	/* without memory, stdout as it is: fflush() still fails, with EIO */
	if (!f)
		return;
	/* a terminal sees each line as it is printed, as with stdout */
	setvbuf(f, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, BUFSIZ);
	c->real_stdout = stdout;
	stdout = f;
}

int cli_output_close(struct cli *c)
{
	bool failed = ferror(stdout);
	int err = 0;

	if (fflush(stdout) != 0)
		err = errno;
	if (fclose(stdout) != 0 && !err)
		err = errno;
	if (c->real_stdout) {
		stdout = c->real_stdout;
		c->real_stdout = NULL;
	}
	if (c->out_err)
		return c->out_err;
	return err ? err : failed ? EIO : 0;
}

void cli_print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sriov_escape_vprintf(stdout, fmt, ap);
	va_end(ap);
}

int cli_output_error(int r, const char *what)
{
	if (!ferror(stdout))
		cli_error("cannot write %s: %s", what, strerror(-r));
	return EXIT_FAILED;
}

int cli_live_only(const struct cli *c, const char *device, const char *what,
		  bool dry_run_ok)
{
	if (strcmp(sriov_ctx_root(c->ctx), "/") == 0 || (dry_run_ok && c->dry_run))
		return -1;
	cli_error("%s%s%s changes the running kernel and cannot be used with --root %s%s",
		  device ? device : "", device ? ": " : "", what, c->root,
		  dry_run_ok ? " (only with --dry-run, which shows the plan)" : "");
	return EXIT_USAGE;
}

void cli_print_plan(const struct sriov_plan *plan, FILE *out)
{
	char line[512];

	for (size_t i = 0; i < plan->n; i++)
		for (size_t j = 0; sriov_step_describe(&plan->v[i], j, line,
						       sizeof(line)) == 0; j++)
			sriov_escape_printf(out, "%s\n", line);
}

size_t cli_plan_lines(const struct sriov_plan *plan)
{
	char line[512];
	size_t n = 0;

	for (size_t i = 0; i < plan->n; i++)
		for (size_t j = 0; sriov_step_describe(&plan->v[i], j, line,
						       sizeof(line)) == 0; j++)
			n++;
	return n;
}

void cli_dry_run_footer(size_t n)
{
	printf("%zu change%s (dry run: nothing was written)\n", n, n == 1 ? "" : "s");
}

/*
 * The dry runs of pf set-vfs and vf bind as sriovctl.plan/v1, the schema
 * of plan --json (docs/plan-schema.md).
 */
struct json_object *cli_plan_json_new(void)
{
	return json_object_new_array();
}

void cli_plan_json_add(struct json_object *changes, const char *device,
		       const char *pf, const char *kind, const char *attr,
		       const char *old, const char *new)
{
	json_object *j = json_object_new_object();

	json_object_object_add(j, "device", json_object_new_string(device));
	json_object_object_add(j, "pf", pf ? json_object_new_string(pf) : NULL);
	json_object_object_add(j, "kind", json_object_new_string(kind));
	json_object_object_add(j, "attribute", json_object_new_string(attr));
	json_object_object_add(j, "old", old ? json_object_new_string(old) : NULL);
	json_object_object_add(j, "new", json_object_new_string(new));
	json_object_array_add(changes, j);
}

int cli_plan_json_emit(const struct cli *c, struct json_object *changes)
{
	json_object *o = json_object_new_object();
	size_t n = json_object_array_length(changes);
	const char *s;

	json_object_object_add(o, "schema", json_object_new_string("sriovctl.plan/v1"));
	json_object_object_add(o, "changes", changes);
	json_object_object_add(o, "count", json_object_new_int64((int64_t)n));
	s = json_object_to_json_string_ext(o, (c->pretty ? JSON_C_TO_STRING_PRETTY |
						   JSON_C_TO_STRING_SPACED :
						   JSON_C_TO_STRING_PLAIN) | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!s) {
		json_object_put(o);
		cli_error("out of memory");
		return EXIT_FAILED;
	}
	fputs(s, stdout);
	fputc('\n', stdout);
	json_object_put(o);
	return EXIT_OK;
}

int cli_no_json(const struct cli *c, const char *verb, const char *why)
{
	if (!c->json)
		return -1;
	cli_error("%s: --json: %s", verb, why);
	return EXIT_USAGE;
}
