// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the CNI plugin's two readers: the network
 * configuration a runtime hands over (first byte even) and the
 * attachment record under the state directory (odd). Either ends in a
 * value or an error with a message, never a crash; an accepted record
 * writes out and reads back to the same text.
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

static void conf(const char *text, size_t size)
{
	struct sriov_cni_conf c;
	char err[256];
	int r;

	strcpy(err, "\x01unset");
	r = sriov_cni_conf_parse(text, size, &c, err, sizeof(err));
	CHECK(r == 0 || r == -EBADMSG || r == -EINVAL || r == -EPROTONOSUPPORT ||
	      r == -E2BIG || r == -ENOMEM);
	if (r < 0) {
		CHECK(r == -ENOMEM || (err[0] && strcmp(err, "\x01unset") &&
				       memchr(err, '\0', sizeof(err))));
		CHECK(c.cni_version == NULL && c.settings.n == 0);
		return;
	}
	CHECK(sriov_cni_version_ok(c.cni_version));
	/* the VLAN request always, the others as given */
	CHECK(c.settings.n >= 1);
	for (size_t i = 0; i < c.settings.n; i++) {
		CHECK(c.mask & (1u << c.settings.v[i].attr));
		CHECK(c.settings.v[i].vlan <= 4094 && c.settings.v[i].qos <= 7);
	}
	CHECK(!c.device_id || strlen(c.device_id) == 12);
	sriov_cni_conf_clear(&c);
}

static void state(const char *text, size_t size)
{
	struct sriov_cni_state s, again;
	char err[256], *out, *out2;
	int r;

	strcpy(err, "\x01unset");
	r = sriov_cni_state_parse(text, size, &s, err, sizeof(err));
	CHECK(r == 0 || r == -EBADMSG || r == -EINVAL || r == -ENOMEM);
	if (r < 0) {
		CHECK(r == -ENOMEM || (err[0] && strcmp(err, "\x01unset")));
		return;
	}
	CHECK(sriov_cni_container_id_ok(s.container_id));
	CHECK(sriov_cni_ifname_ok(s.ifname));
	CHECK(sriov_cni_state_format(&s, &out) == 0);
	r = sriov_cni_state_parse(out, strlen(out), &again, err, sizeof(err));
	if (r != 0)
		fprintf(stderr, "re-reading what was written: %s\n%s\n", err, out);
	CHECK(r == 0);
	CHECK(sriov_cni_state_format(&again, &out2) == 0);
	CHECK(strcmp(out, out2) == 0);
	free(out);
	free(out2);
	sriov_cni_state_clear(&again);
	sriov_cni_state_clear(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	if (size < 1 || size > 100000)
		return 0;
	/* An exact-size heap copy: ASan sees any read past the input. */
	text = malloc(size - 1 ? size - 1 : 1);
	CHECK(text != NULL);
	memcpy(text, data + 1, size - 1);
	if (data[0] & 1)
		state(text, size - 1);
	else
		conf(text, size - 1);
	free(text);
	return 0;
}
