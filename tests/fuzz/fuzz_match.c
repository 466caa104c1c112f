// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for `sriovctl match` (lib/match/): the input's first
 * byte picks the format (nova, k8s-device-plugin, sriov-operator), the
 * rest is the consumer's spec, matched against the tests' in-memory host
 * (tests/lib) through a context rooted at an empty directory.
 *
 * Checked: an error leaves no result and says why; a result has every
 * device of the host once, a check per spec for each device considered,
 * a reason for each check and a field exactly when the check failed;
 * taken_by is the first spec that takes the device and n_taken counts
 * them; the text renders, and the JSON renders and parses back.
 *
 * Replayed as an ordinary test by replay.c (tests/fuzz/meson.build).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "fuzz.h"
#include "sriov.h"
#include "testlib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tl_memhost mh;
static struct sriov_ctx *ctx;

static void setup(void)
{
	static char root[256];

	if (ctx)
		return;
	tl_memhost_init(&mh);
	/* nothing under it: what match reads of the live host is absent */
	tl_mkdtemp(root, sizeof(root), "fuzz-match");
	CHECK(sriov_ctx_new(root, &ctx) == 0);
	sriov_ctx_set_netlink(ctx, false);
}

static void check_result(const struct sriov_match_result *res)
{
	size_t devices = 0, taken = 0;

	for (size_t i = 0; i < mh.host.n_pfs; i++)
		devices += 1 + mh.host.pfs[i].n_vfs;
	CHECK(res->n_devices == devices);
	CHECK(res->n_specs <= SRIOV_MATCH_LIST_MAX);
	for (size_t s = 0; s < res->n_specs; s++)
		CHECK(res->spec_names[s] != NULL);
	for (size_t i = 0; i < res->n_devices; i++) {
		const struct sriov_match_device *d = &res->devices[i];
		int first = -1;

		CHECK(d->pf != NULL);
		CHECK(d->address[0] != '\0');
		if (d->excluded) {
			CHECK(d->taken_by == -1);
			continue;
		}
		CHECK(res->n_specs == 0 || d->checks != NULL);
		for (size_t s = 0; s < res->n_specs; s++) {
			const struct sriov_match_check *c = &d->checks[s];

			CHECK(c->reason != NULL);
			CHECK(c->taken == (c->field == NULL));
			if (c->taken && first < 0)
				first = (int)s;
		}
		CHECK(d->taken_by == first);
		taken += d->taken_by >= 0;
	}
	CHECK(res->n_taken == taken);
}

static void check_render(const struct sriov_match_result *res)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct json_object *j;

	CHECK(f != NULL);
	CHECK(sriov_match_render_text(res, f) == 0);
	CHECK(fclose(f) == 0);
	free(text);
	text = NULL;
	f = open_memstream(&text, &len);
	CHECK(f != NULL);
	CHECK(sriov_match_render_json(res, false, f) == 0);
	CHECK(fclose(f) == 0);
	j = json_tokener_parse(text);
	CHECK(j != NULL);
	json_object_put(j);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sriov_match_result *res = NULL;
	char err[512] = "";
	int format, r;

	if (size < 1)
		return 0;
	setup();
	format = data[0] % SRIOV_MATCH__COUNT;
	r = sriov_match_run(ctx, &mh.host, format, (const char *)data + 1, size - 1,
			    &res, err, sizeof(err));
	if (r < 0) {
		CHECK(res == NULL);
		CHECK(r == -ENOMEM || err[0] != '\0');
		CHECK(r == -EINVAL || r == -E2BIG || r == -EOPNOTSUPP || r == -ENOMEM);
		return 0;
	}
	CHECK(r == 0 && res != NULL);
	CHECK(res->format == format);
	check_result(res);
	check_render(res);
	sriov_match_free(res);
	return 0;
}
