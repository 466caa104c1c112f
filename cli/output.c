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
