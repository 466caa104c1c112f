// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for lib/ops/state.c, the strict reader of the files
 * `sriovctl restore` takes: anything a user hands it must end in a state or
 * in -EINVAL with a message, never a crash. What it accepts must write out
 * and read back to the same text (the writer and the reader agree).
 *
 * Replayed as an ordinary test by replay.c (tests/fuzz/meson.build).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sriov.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Not assert(): NDEBUG must not turn the checks off. */
static char *write_state(const struct sriov_state *st)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CHECK(f != NULL);
	CHECK(sriov_state_write(st, false, f) == 0);
	CHECK(fclose(f) == 0);
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sriov_state *st = NULL, *again = NULL;
	char err[256], *text, *out, *out2;
	int r;

	if (size > 100000)
		return 0;
	/* An exact-size heap copy: ASan sees any read past the input. */
	text = malloc(size ? size : 1);
	CHECK(text != NULL);
	memcpy(text, data, size);
	strcpy(err, "\x01unset");
	r = sriov_state_parse(text, size, &st, err, sizeof(err));
	CHECK(r == 0 || r == -EINVAL || r == -ENOMEM);
	if (r < 0) {
		CHECK(st == NULL);
		CHECK(r != -EINVAL || (err[0] && strcmp(err, "\x01unset") &&
				       memchr(err, '\0', sizeof(err))));
		free(text);
		return 0;
	}
	CHECK(st != NULL);
	for (size_t i = 0; i < st->n_pfs; i++)
		for (size_t j = 0; j < st->pfs[i].n_vfs; j++) {
			const struct sriov_state_vf *v = &st->pfs[i].vfs[j];

			CHECK(v->index < st->pfs[i].num_vfs);
			CHECK(!v->link.present || v->link.vlan <= 4094);
			CHECK(!v->link.present || v->link.qos <= 7);
		}
	out = write_state(st);
	r = sriov_state_parse(out, strlen(out), &again, err, sizeof(err));
	if (r != 0)
		fprintf(stderr, "re-reading what was written: %s\n%s\n", err, out);
	CHECK(r == 0);
	out2 = write_state(again);
	CHECK(strcmp(out, out2) == 0);
	free(out);
	free(out2);
	sriov_state_free(again);
	sriov_state_free(st);
	free(text);
	return 0;
}
