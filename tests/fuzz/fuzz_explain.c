// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for lib/explain: the rule matcher and the scanners that
 * pull PCI addresses, IOMMU groups, netdevs and VFs out of whatever text a
 * user pastes. Anything must end in an explanation (or -ENOMEM), never a
 * crash; what is pulled out must be well-formed and within the limits.
 *
 * Replayed as an ordinary test by replay.c (tests/fuzz/meson.build).
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain/explain.h"
#include "sriov.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Not assert(): NDEBUG must not turn the checks off. */
static void check_refs(const struct explain_refs *r)
{
	CHECK(r->addrs.n <= EXPLAIN_MAX_REFS && r->n_groups <= EXPLAIN_MAX_REFS);
	CHECK(r->netdevs.n <= EXPLAIN_MAX_REFS && r->n_vfs <= EXPLAIN_MAX_REFS);
	for (size_t i = 0; i < r->addrs.n; i++) {
		size_t n = strlen(r->addrs.v[i]);

		/* "0000:0b:10.5" or "0b:10.5", lower case */
		CHECK(n == 12 || n == 7);
		CHECK(r->addrs.v[i][n - 2] == '.');
		for (const char *c = r->addrs.v[i]; *c; c++)
			CHECK(!isupper((unsigned char)*c));
	}
	for (size_t i = 0; i < r->n_groups; i++)
		CHECK(r->groups[i] >= 0 && r->groups[i] <= 1000000);
	for (size_t i = 0; i < r->netdevs.n; i++)
		CHECK(strlen(r->netdevs.v[i]) >= 2 && strlen(r->netdevs.v[i]) <= 127);
	for (size_t i = 0; i < r->n_vfs; i++)
		CHECK(r->vfs[i].index <= 65535 && strlen(r->vfs[i].netdev) >= 2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sriov_explanation *e = NULL;
	struct explain_refs refs;
	char *text;
	int r;

	if (size > 100000)
		return 0;
	/* the text ends at its first NUL, as the CLI's does */
	text = malloc(size + 1);
	CHECK(text != NULL);
	memcpy(text, data, size);
	text[size] = '\0';
	r = explain_extract(text, &refs);
	CHECK(r == 0 || r == -ENOMEM);
	if (r == 0) {
		check_refs(&refs);
		explain_refs_free(&refs);
	}
	r = sriov_explain(NULL, NULL, text, &e);
	CHECK(r == 0 || r == -ENOMEM);
	if (r == 0) {
		for (size_t i = 0; i < e->n_matches; i++) {
			CHECK(e->matches[i].failure != NULL);
			CHECK(strlen(e->matches[i].excerpt) <= EXPLAIN_LINE_MAX);
			CHECK(strstr(text, e->matches[i].excerpt) != NULL);
		}
		CHECK(e->n_devices == 0 && e->n_groups == 0);
		sriov_explanation_free(e);
	}
	free(text);
	return 0;
}
