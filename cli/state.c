/* SPDX-License-Identifier: MIT */
/* sriovctl save [PF...] / restore FILE: VF counts, drivers, attributes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int cmd_save(struct cli *c, int argc, char **argv)
{
	const struct sriov_pf **pfs = NULL;
	struct sriov_state *st = NULL;
	struct sriov_host *host = NULL;
	char **args;
	int nargs, r, rc;

	r = cli_args(c, argc, argv, 0, 1000, &args, &nargs);
	if (r >= 0)
		return r;
	rc = cli_load(c, SRIOV_LOAD_NO_NAMES | SRIOV_LOAD_NO_CONFIG, &host);
	if (rc != EXIT_OK)
		return rc;
	pfs = calloc((size_t)nargs + 1, sizeof(*pfs));
	if (!pfs) {
		cli_error("out of memory");
		rc = EXIT_FAILED;
		goto out;
	}
	for (int i = 0; i < nargs; i++) {
		const struct sriov_vf *vf;

		r = sriov_host_resolve(host, args[i], &pfs[i], &vf);
		if (r == -EINVAL) {
			cli_error("'%s' is not a device name: use a PF's netdev (ens1f0) or PCI address (0000:3b:00.0, 3b:00.0)",
				  args[i]);
			rc = EXIT_USAGE;
			goto out;
		}
		if (r < 0 || vf) {
			cli_error("%s: not an SR-IOV PF (save records whole PFs); 'sriovctl list' shows them",
				  args[i]);
			rc = EXIT_FAILED;
			goto out;
		}
	}
	r = sriov_state_capture(host, pfs, (size_t)nargs, &st);
	if (r < 0) {
		cli_error("cannot record the state: %s", strerror(-r));
		rc = EXIT_FAILED;
		goto out;
	}
	r = sriov_state_write(st, c->pretty, stdout);
	if (r < 0)
		rc = cli_output_error(r, "the state");
out:
	free(pfs);
	sriov_state_free(st);
	sriov_host_free(host);
	return rc;
}

/*
 * A regular file @path, opened without blocking on a FIFO: -EBADFD for
 * anything else ("-" reads a pipe).
 */
static FILE *open_regular(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC), e = 0;
	struct stat st;
	FILE *f;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0)
		e = errno;
	else if (!S_ISREG(st.st_mode))
		e = S_ISDIR(st.st_mode) ? EISDIR : EBADFD;
	if (e) {
		close(fd);
		errno = e;
		return NULL;
	}
	f = fdopen(fd, "r");
	if (!f)
		close(fd);
	return f;
}

/* The whole of @path ("-": standard input) in a NUL-terminated buffer. */
static int read_all(const char *path, char **out, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : open_regular(path);
	char *buf = NULL;
	size_t n = 0, cap = 0;
	int r = 0;

	if (!f)
		return -errno;
	for (;;) {
		if (cap - n < 4096) {
			char *nb;

			if (cap > (16u << 20)) {
				r = -EFBIG;
				break;
			}
			cap = cap ? cap * 2 : 8192;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				r = -ENOMEM;
				break;
			}
			buf = nb;
		}
		size_t got = fread(buf + n, 1, cap - n, f);

		n += got;
		if (got == 0) {
			if (ferror(f))
				r = -EIO;
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	if (r < 0) {
		free(buf);
		return r;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

int cmd_restore(struct cli *c, int argc, char **argv)
{
	struct sriov_plan plan = { 0 };
	struct sriov_state *st = NULL;
	struct sriov_host *host = NULL;
	char **args, *text = NULL, err[512];
	size_t len = 0;
	int nargs, r, rc;

	r = cli_args(c, argc, argv, 1, 1, &args, &nargs);
	if (r >= 0)
		return r;
	r = c->dry_run ? -1 :
		cli_no_json(c, "restore", "what a run changes is printed as text and kept in the change log; --dry-run --json prints the plan (sriovctl.plan/v1)");
	if (r >= 0)
		return r;
	r = read_all(args[0], &text, &len);
	if (r < 0) {
		cli_error("cannot read state file %s: %s", args[0],
			  r == -EBADFD ? "not a regular file ('-' reads standard input)" :
					 strerror(-r));
		return EXIT_FAILED;
	}
	r = sriov_state_parse(text, len, &st, err, sizeof(err));
	free(text);
	if (r < 0) {
		if (r == -ENOMEM)
			cli_error("out of memory");
		else
			cli_error("%s: %s; nothing was changed", args[0], err);
		return EXIT_FAILED;
	}
	rc = cli_live_only(c, NULL, "restore", true);
	if (rc >= 0)
		goto out;
	if (!c->dry_run) {
		rc = cli_lock(c, CLI_LOCK_WAIT_MS);
		if (rc >= 0)
			goto out;
	}
	rc = cli_recover(c, false);
	if (rc >= 0)
		goto out;
	rc = cli_load(c, SRIOV_LOAD_NO_NAMES | SRIOV_LOAD_NO_CONFIG, &host);
	if (rc != EXIT_OK)
		goto out;
	r = sriov_restore_plan(host, st, &plan, err, sizeof(err));
	if (r < 0) {
		cli_error("%s: %s; nothing was changed", args[0],
			  r == -ENOMEM ? "out of memory" : err);
		rc = EXIT_FAILED;
		goto out;
	}
	if (plan.n == 0) {
		cli_print("nothing to do: the host matches %s\n", args[0]);
		goto out;
	}
	if (c->dry_run && c->json) {
		r = sriov_plan_write_json(&plan, c->pretty, stdout);
		if (r < 0)
			rc = cli_output_error(r, "the plan");
		goto out;
	}
	if (c->dry_run) {
		cli_print_plan(&plan, stdout);
		cli_dry_run_footer(cli_plan_lines(&plan));
		goto out;
	}
	rc = cli_apply(c, host, &plan);
out:
	sriov_plan_clear(&plan);
	sriov_state_free(st);
	sriov_host_free(host);
	return rc;
}
