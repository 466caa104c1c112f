/* SPDX-License-Identifier: MIT */
/* The devices, IOMMU groups and VFs an error text names. */
#include <ctype.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain/explain.h"
#include "util/strv.h"

void explain_refs_free(struct explain_refs *r)
{
	if (!r)
		return;
	sriov_strv_free(&r->addrs);
	sriov_strv_free(&r->netdevs);
	free(r->groups);
	for (size_t i = 0; i < r->n_vfs; i++)
		free(r->vfs[i].netdev);
	free(r->vfs);
	memset(r, 0, sizeof(*r));
}

/* Call @fn for every match of @re in @text, with its sub-matches. */
static int each_match(const char *text, const char *re, size_t nsub,
		      int (*fn)(const char *text, const regmatch_t *m,
				struct explain_refs *r),
		      struct explain_refs *r)
{
	regmatch_t m[6];
	regex_t rx;
	const char *p = text;
	int ret = 0;

	if (regcomp(&rx, re, REG_EXTENDED | REG_ICASE | REG_NEWLINE) != 0)
		return -EINVAL;
	while (*p && regexec(&rx, p, nsub + 1, m, p == text ? 0 : REG_NOTBOL) == 0) {
		/* offsets relative to the whole text, for look-behind */
		for (size_t i = 0; i <= nsub; i++)
			if (m[i].rm_so >= 0) {
				m[i].rm_so += p - text;
				m[i].rm_eo += p - text;
			}
		ret = fn(text, m, r);
		if (ret < 0)
			break;
		p = text + (m[0].rm_eo > m[0].rm_so ? m[0].rm_eo : m[0].rm_so + 1);
	}
	regfree(&rx);
	return ret < 0 ? ret : 0;
}

static bool is_hex_or_colon(char c)
{
	return isxdigit((unsigned char)c) || c == ':';
}

static int push_addr(struct explain_refs *r, const char *addr)
{
	return strv_find(&r->addrs, addr) >= 0 ? 0 : strv_push(&r->addrs, addr);
}

static void lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* A slot above 0x1f is not a PCI address ("12:34.5" in a time stamp). */
static bool slot_ok(const char *s)
{
	return strtoul(s, NULL, 16) <= 0x1f;
}

static int on_full(const char *text, const regmatch_t *m, struct explain_refs *r)
{
	char buf[SRIOV_ADDR_MAX];
	int len = m[0].rm_eo - m[0].rm_so;

	if ((m[0].rm_so > 0 && is_hex_or_colon(text[m[0].rm_so - 1])) ||
	    isalnum((unsigned char)text[m[0].rm_eo]) || len >= (int)sizeof(buf))
		return 0;
	memcpy(buf, text + m[0].rm_so, len);
	buf[len] = '\0';
	if (!slot_ok(text + m[3].rm_so))
		return 0;
	lower(buf);
	return push_addr(r, buf);
}

static int on_short(const char *text, const regmatch_t *m, struct explain_refs *r)
{
	char buf[SRIOV_ADDR_MAX];
	int len = m[0].rm_eo - m[0].rm_so;

	/* a full address was taken whole; "06:11:06.6" is a time of day */
	if ((m[0].rm_so > 0 && is_hex_or_colon(text[m[0].rm_so - 1])) ||
	    isalnum((unsigned char)text[m[0].rm_eo]))
		return 0;
	if (!slot_ok(text + m[1].rm_so))
		return 0;
	memcpy(buf, text + m[0].rm_so, len);
	buf[len] = '\0';
	lower(buf);
	return push_addr(r, buf);
}

/* libvirt node devices: pci_0000_0b_10_5 */
static int on_nodedev(const char *text, const regmatch_t *m, struct explain_refs *r)
{
	char buf[32];
	const char *s = text + m[0].rm_so + 4;

	if (isalnum((unsigned char)text[m[0].rm_eo]))
		return 0;
	snprintf(buf, sizeof(buf), "%.4s:%.2s:%.2s.%c", s, s + 5, s + 8, s[11]);
	if (!slot_ok(s + 8))
		return 0;
	lower(buf);
	return push_addr(r, buf);
}

static int on_group(const char *text, const regmatch_t *m, struct explain_refs *r)
{
	const char *s = text + m[0].rm_so;
	long g;
	int *v;

	/* "cgroup 2" is not an IOMMU group */
	if ((s[0] == 'g' || s[0] == 'G') && m[0].rm_so > 0 &&
	    (isalnum((unsigned char)s[-1]) || s[-1] == '_'))
		return 0;
	g = strtol(text + m[2].rm_so, NULL, 10);
	if (g < 0 || g > 1000000 || isalpha((unsigned char)text[m[2].rm_eo]))
		return 0;
	for (size_t i = 0; i < r->n_groups; i++)
		if (r->groups[i] == g)
			return 0;
	v = realloc(r->groups, (r->n_groups + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	r->groups = v;
	r->groups[r->n_groups++] = (int)g;
	return 0;
}

static char *dup_range(const char *text, const regmatch_t *m)
{
	return strndup(text + m->rm_so, m->rm_eo - m->rm_so);
}

static int push_netdev(struct explain_refs *r, const char *text, const regmatch_t *m)
{
	char *name = dup_range(text, m);
	int ret;

	if (!name)
		return -ENOMEM;
	ret = strv_find(&r->netdevs, name) >= 0 ? 0 : strv_push(&r->netdevs, name);
	free(name);
	return ret;
}

static int push_vf(struct explain_refs *r, const char *text,
		   const regmatch_t *dev, const regmatch_t *idx)
{
	struct explain_vfref *v;
	char *name = dup_range(text, dev);
	unsigned index = (unsigned)strtoul(text + idx->rm_so, NULL, 10);

	if (!name)
		return -ENOMEM;
	for (size_t i = 0; i < r->n_vfs; i++)
		if (r->vfs[i].index == index && strcmp(r->vfs[i].netdev, name) == 0) {
			free(name);
			return 0;
		}
	v = realloc(r->vfs, (r->n_vfs + 1) * sizeof(*v));
	if (!v) {
		free(name);
		return -ENOMEM;
	}
	r->vfs = v;
	r->vfs[r->n_vfs].netdev = name;
	r->vfs[r->n_vfs++].index = index;
	return push_netdev(r, text, dev);
}

/* ip link set [dev] NAME vf N */
static int on_iplink_vf(const char *text, const regmatch_t *m, struct explain_refs *r)
{
	return push_vf(r, text, &m[3], &m[4]);
}

/* sriovctl: NAME/vfN */
static int on_slash_vf(const char *text, const regmatch_t *m, struct explain_refs *r)
{
	return push_vf(r, text, &m[1], &m[2]);
}

static int on_netdev1(const char *text, const regmatch_t *m, struct explain_refs *r)
{
	return push_netdev(r, text, &m[1]);
}

static int on_netdev2(const char *text, const regmatch_t *m, struct explain_refs *r)
{
	return push_netdev(r, text, &m[2]);
}

#define NAME "([[:alnum:]_][[:alnum:]_.@-]*[[:alnum:]_])"

int explain_extract(const char *text, struct explain_refs *out)
{
	static const struct {
		const char *re;
		size_t nsub;
		int (*fn)(const char *, const regmatch_t *, struct explain_refs *);
	} pats[] = {
		{ "([[:xdigit:]]{4,5}):([[:xdigit:]]{2}):([[:xdigit:]]{2})\\.[0-7]", 3, on_full },
		{ "[[:xdigit:]]{2}:([[:xdigit:]]{2})\\.[0-7]", 1, on_short },
		{ "pci_[[:xdigit:]]{4}_[[:xdigit:]]{2}_[[:xdigit:]]{2}_[0-7]", 0, on_nodedev },
		{ "(/dev/vfio/|iommu_groups?/|iommu group |group ?)([0-9]+)", 2, on_group },
		{ "ip( -[^ ]+)* link set (dev )?" NAME " vf ([0-9]+)", 4, on_iplink_vf },
		{ NAME "/vf([0-9]+)", 2, on_slash_vf },
		{ "Truncated VF list: " NAME, 1, on_netdev1 },
		{ "/sys/class/net/" NAME "/", 1, on_netdev1 },
		{ "(link set|link show|dev) " NAME, 2, on_netdev2 },
	};
	int r = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]) && r >= 0; i++)
		r = each_match(text, pats[i].re, pats[i].nsub, pats[i].fn, out);
	if (r < 0)
		explain_refs_free(out);
	return r;
}
