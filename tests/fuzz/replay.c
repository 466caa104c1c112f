// SPDX-License-Identifier: MIT
/*
 * Replays a libFuzzer corpus through LLVMFuzzerTestOneInput() without
 * libFuzzer, so that the corpus runs as an ordinary test with any compiler
 * (and under ASan/UBSan when the build enables them).
 *
 *   replay PATH...
 *
 * Each PATH is a file or a directory of files (not recursive, sorted by
 * name so that runs are reproducible). A missing or empty directory is an
 * error: a corpus that got lost must not make the test pass. A failing
 * input aborts inside the target; the name of the input being run is
 * printed first so that it can be found.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Reads @path into an exact-size heap buffer: ASan then reports any read
 * past the input, as under libFuzzer.
 */
static int run_file(const char *path)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	struct stat st;
	FILE *f;
	int rc = 0;

	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) < 0 || st.st_size < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		fclose(f);
		return -1;
	}
	len = (size_t)st.st_size;
	buf = malloc(len ? len : 1);
	if (!buf || fread(buf, 1, len, f) != len) {
		fprintf(stderr, "replay: %s: short read\n", path);
		rc = -1;
	} else {
		/* Shows which input it was if the target aborts. */
		fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
		LLVMFuzzerTestOneInput(buf, len);
	}
	free(buf);
	fclose(f);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
	while (n)
		free(names[--n]);
	free(names);
}

/* Runs every regular file in @dir; returns the count, or -1. */
static long run_dir(const char *dir)
{
	char **names = NULL, **tmp;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	long done = 0;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		char *path;
		struct stat st;

		/* Dot files are editor and VCS droppings, not inputs. */
		if (de->d_name[0] == '.')
			continue;
		if (asprintf(&path, "%s/%s", dir, de->d_name) < 0)
			goto oom;
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			tmp = realloc(names, cap * sizeof(*names));
			if (!tmp) {
				free(path);
				goto oom;
			}
			names = tmp;
		}
		names[n++] = path;
	}
	closedir(d);

	if (n == 0) {
		fprintf(stderr, "replay: %s: no inputs\n", dir);
		free(names);
		return -1;
	}
	qsort(names, n, sizeof(*names), cmp_names);
	for (i = 0; i < n; i++) {
		if (run_file(names[i]) < 0) {
			free_names(names, n);
			return -1;
		}
		done++;
	}
	free_names(names, n);
	return done;

oom:
	fprintf(stderr, "replay: out of memory\n");
	closedir(d);
	free_names(names, n);
	return -1;
}

int main(int argc, char **argv)
{
	long total = 0;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s CORPUS-DIR|FILE...\n", argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		struct stat st;
		long n;

		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i],
				strerror(errno));
			return 1;
		}
		if (S_ISDIR(st.st_mode)) {
			n = run_dir(argv[i]);
		} else {
			n = run_file(argv[i]) < 0 ? -1 : 1;
		}
		if (n < 0)
			return 1;
		total += n;
	}
	printf("replay: %ld inputs ran, all passed\n", total);
	return 0;
}
