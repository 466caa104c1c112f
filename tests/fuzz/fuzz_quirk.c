// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the quirk-file parser (lib/quirk/parse.c). The
 * input is parsed as an override on top of the built-in table, so that
 * replacing entries runs too.
 *
 * Checked: the result is 0 (or -ENOMEM); every error has a file, a line
 * and column >= 1 and a message; every entry has its id, summary, source
 * and at least one effect, a match, values within their ranges, ids
 * unique in the table; the built-in table parses without error.
 *
 * Replayed as an ordinary test by replay.c (tests/fuzz/meson.build).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sriov.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct sriov_quirks *q)
{
	char buf[2048];

	for (size_t i = 0; i < q->n_errors; i++)
		if (!q->errors[i].loc.file || !q->errors[i].loc.line ||
		    !q->errors[i].loc.column || !q->errors[i].message[0])
			abort();
	for (size_t i = 0; i < q->n; i++) {
		const struct sriov_quirk *k = &q->v[i];

		if (!k->id || !k->summary || !k->source || !k->effects ||
		    k->effects >= 1u << SRIOV_QUIRK__COUNT)
			abort();
		if (!k->driver && !k->vendor_id && !k->n_device_ids)
			abort();
		if (k->n_device_ids > SRIOV_QUIRK_DEVICES_MAX || (k->n_device_ids && !k->vendor_id))
			abort();
		if (k->max_vfs > 65535 || k->pace_ms > 60000 ||
		    ((k->effects & 1u << SRIOV_QUIRK_NUMVFS_PACE) && !k->pace_ms))
			abort();
		if (!(k->effects & 1u << SRIOV_QUIRK_REFUSES) != !k->refuses)
			abort();
		for (int a = 0; a < SRIOV_VF_ATTR__COUNT; a++)
			if ((k->refuses & 1u << a) && !sriov_quirk_errno_name(k->refuse_errno[a]))
				abort();
		if ((k->effects & 1u << SRIOV_QUIRK_MODULE_PARAM) && !k->module_param)
			abort();
		if ((k->effects & 1u << SRIOV_QUIRK_FIRMWARE_VFS) && !k->remedy)
			abort();
		if (strlen(k->summary) > SRIOV_QUIRK_TEXT_MAX || strchr(k->summary, '\n'))
			abort();
		for (size_t j = 0; j < i; j++)
			if (strcmp(q->v[j].id, k->id) == 0)
				abort();
		sriov_quirk_effects_format(k, buf, sizeof(buf));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sriov_quirks *q;
	const char *builtin = sriov_quirks_builtin();
	int r;

	if (sriov_quirks_new(&q) < 0)
		return 0;
	r = sriov_quirks_parse(q, "(built-in)", builtin, strlen(builtin));
	if (r == 0 && q->n_errors)
		abort();
	if (r == 0)
		r = sriov_quirks_parse(q, "/etc/sriovctl/quirks.d/fuzz.yaml",
				       (const char *)data, size);
	if (r != 0 && r != -ENOMEM)
		abort();
	if (r == 0)
		check(q);
	sriov_quirks_free(q);
	return 0;
}
