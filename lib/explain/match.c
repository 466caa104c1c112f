/* SPDX-License-Identifier: MIT */
/*
 * sriov_explain(): match an error text against the known failures, then
 * name what it concerns on this host (lookup.c), with advice built from
 * the inventory (advice.c).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "explain/builder.h"
#include "util/strv.h"

static void device_free(struct sriov_explain_device *d)
{
	free(d->written);
	free(d->driver);
	free(d->netdev);
	free(d->pf_netdev);
	free(d->pf_driver);
}

void sriov_explanation_free(struct sriov_explanation *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n_matches; i++) {
		free(e->matches[i].excerpt);
		sriov_strv_clear(&e->matches[i].advice);
	}
	free(e->matches);
	for (size_t i = 0; i < e->n_devices; i++)
		device_free(&e->devices[i]);
	free(e->devices);
	for (size_t i = 0; i < e->n_groups; i++) {
		sriov_strv_clear(&e->groups[i].members);
		sriov_strv_clear(&e->groups[i].drivers);
	}
	free(e->groups);
	free(e);
}

/* A line (or window) of the text, without surrounding blanks. */
static char *excerpt(const char *s, size_t len)
{
	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	return strndup(s, len);
}

static const struct sriov_failure *failure_by_id(const char *id)
{
	size_t n;
	const struct sriov_failure *f = sriov_failures(&n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(f[i].id, id) == 0)
			return &f[i];
	return NULL;
}

/* Each failure once, at the first of its rules (in table order) that matched. */
static int match_rules(const char *text, size_t len, struct sriov_explanation *e)
{
	size_t n;
	const struct explain_rule *rules = explain_rules(&n);
	struct explain_hit *hits = calloc(n ? n : 1, sizeof(*hits));
	int r;

	if (!hits)
		return -ENOMEM;
	r = explain_match_rules(text, len, hits, NULL);
	for (size_t i = 0; i < n && r >= 0; i++) {
		const struct sriov_failure *f = failure_by_id(rules[i].failure);
		struct sriov_explain_match *v;
		bool seen = false;

		if (!f) {
			r = -EINVAL;
			break;
		}
		for (size_t j = 0; j < e->n_matches; j++)
			seen |= e->matches[j].failure == f;
		if (seen || !hits[i].matched)
			continue;
		v = realloc(e->matches, (e->n_matches + 1) * sizeof(*v));
		if (!v) {
			r = -ENOMEM;
			break;
		}
		e->matches = v;
		v = &e->matches[e->n_matches];
		memset(v, 0, sizeof(*v));
		v->failure = f;
		v->excerpt = excerpt(text + hits[i].off, hits[i].len);
		if (!v->excerpt) {
			r = -ENOMEM;
			break;
		}
		e->n_matches++;
	}
	free(hits);
	return r;
}

static bool matched(const struct sriov_explanation *e, const char *id)
{
	for (size_t i = 0; i < e->n_matches; i++)
		if (strcmp(e->matches[i].failure->id, id) == 0)
			return true;
	return false;
}

int sriov_explain(struct sriov_ctx *ctx, const struct sriov_host *host,
		  const char *text, struct sriov_explanation **out)
{
	struct builder b = { .ctx = ctx, .host = host };
	struct explain_refs refs;
	size_t len = strnlen(text, SRIOV_EXPLAIN_TEXT_MAX + 1);
	int r;

	*out = NULL;
	if (len > SRIOV_EXPLAIN_TEXT_MAX)
		return -E2BIG;
	b.e = calloc(1, sizeof(*b.e));
	if (!b.e)
		return -ENOMEM;
	b.e->looked_up = host != NULL;
	r = match_rules(text, len, b.e);
	if (r >= 0)
		r = explain_extract(text, &refs);
	if (r < 0)
		goto fail;
	r = explain_lookup_refs(&b, text, &refs);
	b.refs = &refs;
	for (size_t i = 0; i < b.e->n_devices; i++) {
		b.foreign |= b.e->devices[i].kind == SRIOV_EXPLAIN_ABSENT;
		b.present |= b.e->devices[i].kind != SRIOV_EXPLAIN_ABSENT;
	}
	/* this host's group N is a namesake of a foreign text's */
	for (size_t i = 0; i < refs.n_groups && r >= 0 && !b.foreign; i++)
		r = explain_add_group(&b, refs.groups[i]);
	/* the groups of the devices named, when groups are the question */
	for (size_t i = 0; i < b.e->n_devices && r >= 0; i++)
		if (matched(b.e, "vfio.group-not-viable"))
			r = explain_add_group(&b, b.e->devices[i].iommu_group);
	for (size_t i = 0; i < b.e->n_matches && r >= 0; i++)
		r = explain_advise(&b, &b.e->matches[i]);
	explain_refs_free(&refs);
	if (r < 0)
		goto fail;
	free(b.found);
	*out = b.e;
	return 0;
fail:
	free(b.found);
	sriov_explanation_free(b.e);
	return r;
}
