/* SPDX-License-Identifier: MIT */
/*
 * The devices, IOMMU groups and VFs an error text names, found by small
 * scanners: each kind in one pass over the text, never going back further
 * than a name's length, so that the time is linear in the text's length
 * (a regexec() from every offset of a long word is quadratic).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain/explain.h"
#include "util/strv.h"

void explain_refs_free(struct explain_refs *r)
{
	if (!r)
		return;
	sriov_strv_clear(&r->addrs);
	sriov_strv_clear(&r->netdevs);
	free(r->groups);
	for (size_t i = 0; i < r->n_vfs; i++)
		free(r->vfs[i].netdev);
	free(r->vfs);
	memset(r, 0, sizeof(*r));
}

/* The longest name taken for a netdev (an altname: ALTIFNAMSIZ - 1). */
#define NAME_MAX_LEN 127

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '@' ||
	       c == '-';
}

static bool is_name_end(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static bool is_hex(char c)
{
	return isxdigit((unsigned char)c);
}

static bool is_hex_or_colon(char c)
{
	return is_hex(c) || c == ':';
}

/* ASCII case folding, inline: at() runs at every offset of the text. */
static char fold(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 'a' - 'A') : c;
}

/* Whether @s starts with @lit, ignoring case (it stops at @s's NUL). */
static bool at(const char *s, const char *lit)
{
	for (; *lit; s++, lit++)
		if (fold(*s) != fold(*lit))
			return false;
	return true;
}

static bool full(const struct explain_refs *r)
{
	return r->addrs.n >= EXPLAIN_MAX_REFS;
}

static int push_addr(struct explain_refs *r, const char *s, size_t len)
{
	char buf[SRIOV_ADDR_MAX];

	if (len >= sizeof(buf) || full(r))
		return 0;
	for (size_t i = 0; i < len; i++)
		buf[i] = (char)tolower((unsigned char)s[i]);
	buf[len] = '\0';
	return strv_find(&r->addrs, buf) >= 0 ? 0 : strv_push(&r->addrs, buf);
}

/* A slot above 0x1f is not a PCI address ("12:34.5" in a time stamp). */
static bool slot_ok(const char *s)
{
	return strtoul(s, NULL, 16) <= 0x1f;
}

/* "BB:SS.F" at @s: bus, slot and function; the length, or 0. */
static size_t bus_slot_fn(const char *s)
{
	if (is_hex(s[0]) && is_hex(s[1]) && s[2] == ':' && is_hex(s[3]) &&
	    is_hex(s[4]) && s[5] == '.' && s[6] >= '0' && s[6] <= '7' &&
	    slot_ok(s + 3))
		return 7;
	return 0;
}

/*
 * Addresses start where a run of hex digits does, not after a colon (that
 * would be inside a longer one or a time of day: "06:11:06.6"), and end
 * before anything alphanumeric. Full: DDDD:BB:SS.F; short: BB:SS.F.
 */
static int scan_addrs(const char *text, bool want_full, struct explain_refs *r)
{
	const char *p = text;
	int ret = 0;

	while (*p && ret >= 0 && !full(r)) {
		size_t run = 0, n;

		if (!is_hex(*p) || (p > text && is_hex_or_colon(p[-1]))) {
			p++;
			continue;
		}
		while (is_hex(p[run]))
			run++;
		if (want_full && run == 4 && p[4] == ':' && (n = bus_slot_fn(p + 5)) &&
		    !isalnum((unsigned char)p[5 + n]))
			ret = push_addr(r, p, 5 + n);
		else if (!want_full && run == 2 && (n = bus_slot_fn(p)) &&
			 !isalnum((unsigned char)p[n]))
			ret = push_addr(r, p, n);
		p += run;
	}
	return ret;
}

/* libvirt node devices: pci_0000_0b_10_5 */
static int scan_nodedevs(const char *text, struct explain_refs *r)
{
	int ret = 0;

	for (const char *p = text; *p && ret >= 0 && !full(r); p++) {
		const char *s = p + 4;
		char buf[SRIOV_ADDR_MAX];

		if (!at(p, "pci_") || !is_hex(s[0]) || !is_hex(s[1]) || !is_hex(s[2]) ||
		    !is_hex(s[3]) || s[4] != '_' || !is_hex(s[5]) || !is_hex(s[6]) ||
		    s[7] != '_' || !is_hex(s[8]) || !is_hex(s[9]) || s[10] != '_' ||
		    s[11] < '0' || s[11] > '7' || isalnum((unsigned char)s[12]) ||
		    !slot_ok(s + 8))
			continue;
		snprintf(buf, sizeof(buf), "%.4s:%.2s:%.2s.%c", s, s + 5, s + 8, s[11]);
		ret = push_addr(r, buf, strlen(buf));
		p = s + 11;
	}
	return ret;
}

/* "group 3", "group3", "iommu group 3", "iommu_group/3", "/dev/vfio/3" */
static int scan_groups(const char *text, struct explain_refs *r)
{
	static const char *const lead[] = { "/dev/vfio/", "iommu_groups/",
					    "iommu_group/", "iommu group ",
					    "group ", "group" };

	for (const char *p = text; *p && r->n_groups < EXPLAIN_MAX_REFS; p++) {
		const char *d = NULL, *e;
		bool inside;
		long g;
		int *v;

		for (size_t i = 0; i < sizeof(lead) / sizeof(lead[0]) && !d; i++)
			if (at(p, lead[i]) && isdigit((unsigned char)p[strlen(lead[i])]))
				d = p + strlen(lead[i]);
		if (!d)
			continue;
		for (e = d; isdigit((unsigned char)*e); e++)
			;
		/* "cgroup 2" is not an IOMMU group */
		inside = (*p == 'g' || *p == 'G') && p > text &&
			 (isalnum((unsigned char)p[-1]) || p[-1] == '_');
		g = e - d > 7 ? -1 : strtol(d, NULL, 10);
		p = e - 1;
		if (inside || g < 0 || g > 1000000 || isalpha((unsigned char)*e))
			continue;
		for (size_t i = 0; i < r->n_groups && g >= 0; i++)
			if (r->groups[i] == g)
				g = -1;
		if (g < 0)
			continue;
		v = realloc(r->groups, (r->n_groups + 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		r->groups = v;
		r->groups[r->n_groups++] = (int)g;
	}
	return 0;
}

/*
 * A name at @s as the table's NAME: [[:alnum:]_][[:alnum:]_.@-]*[[:alnum:]_];
 * with @exact the whole run of name characters, else without its trailing
 * punctuation. Its length, or 0.
 */
static size_t name_at(const char *s, bool exact)
{
	size_t n = 0;

	while (n <= NAME_MAX_LEN && is_name_char(s[n]))
		n++;
	if (n > NAME_MAX_LEN)
		return 0;
	while (!exact && n > 0 && !is_name_end(s[n - 1]))
		n--;
	if (n < 2 || !is_name_end(s[0]) || !is_name_end(s[n - 1]))
		return 0;
	return n;
}

static int push_netdev(struct explain_refs *r, const char *s, size_t len)
{
	char *name;
	int ret;

	if (r->netdevs.n >= EXPLAIN_MAX_REFS)
		return 0;
	name = strndup(s, len);
	if (!name)
		return -ENOMEM;
	ret = strv_find(&r->netdevs, name) >= 0 ? 0 : strv_push(&r->netdevs, name);
	free(name);
	return ret;
}

/* A VF index: at most 65535, as many as a PF can have. */
static bool vf_index(const char *s, size_t *len, unsigned *index)
{
	size_t n = strspn(s, "0123456789");

	if (n == 0 || n > 5 || strtoul(s, NULL, 10) > 65535)
		return false;
	*len = n;
	*index = (unsigned)strtoul(s, NULL, 10);
	return true;
}

static int push_vf(struct explain_refs *r, const char *name, size_t len,
		   unsigned index)
{
	struct explain_vfref *v;

	if (r->n_vfs >= EXPLAIN_MAX_REFS)
		return 0;
	for (size_t i = 0; i < r->n_vfs; i++)
		if (r->vfs[i].index == index && strlen(r->vfs[i].netdev) == len &&
		    strncmp(r->vfs[i].netdev, name, len) == 0)
			return 0;
	v = realloc(r->vfs, (r->n_vfs + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	r->vfs = v;
	v[r->n_vfs].netdev = strndup(name, len);
	if (!v[r->n_vfs].netdev)
		return -ENOMEM;
	v[r->n_vfs++].index = index;
	return push_netdev(r, name, len);
}

/* NAME vf N at @s: pushed, with *end after N; 0 when it is not there. */
static int name_vf(struct explain_refs *r, const char *s, const char **end)
{
	size_t n = name_at(s, true), dn;
	unsigned index;

	*end = NULL;
	if (!n || !at(s + n, " vf ") || !vf_index(s + n + 4, &dn, &index))
		return 0;
	*end = s + n + 4 + dn;
	return push_vf(r, s, n, index);
}

/*
 * ip [-OPTION]... link set [dev] NAME vf N. Options are words after " -";
 * a chain of them is walked once: an "ip" that ends one of its words
 * continues the same chain and ends where it ends.
 */
static int scan_iplink(const char *text, struct explain_refs *r)
{
	const char *chain_from = NULL, *chain_to = NULL, *end = NULL;
	int ret = 0;

	for (const char *p = text; *p && ret >= 0; p++) {
		const char *q = p + 2;

		if (!at(p, "ip"))
			continue;
		if (*q == ' ' && chain_from && q >= chain_from && q <= chain_to) {
			q = chain_to;
		} else if (*q == ' ') {
			chain_from = q;
			while (q[0] == ' ' && q[1] == '-' && q[2] && q[2] != ' ' &&
			       q[2] != '\n') {
				q += 2;
				while (*q && *q != ' ' && *q != '\n')
					q++;
			}
			chain_to = q;
		}
		if (!at(q, " link set "))
			continue;
		q += strlen(" link set ");
		/* "dev" is the keyword, unless it is the name ("set dev vf 1") */
		if (at(q, "dev "))
			ret = name_vf(r, q + 4, &end);
		if (ret >= 0 && !end)
			ret = name_vf(r, q, &end);
		if (end)
			p = end - 1;
	}
	return ret;
}

/* sriovctl's NAME/vfN */
static int scan_slash_vf(const char *text, struct explain_refs *r)
{
	const char *floor = text;
	int ret = 0;

	for (const char *p = text; *p && ret >= 0; p++) {
		const char *s = p;
		size_t dn;
		unsigned index;

		if (*p != '/' || !at(p + 1, "vf") || !vf_index(p + 3, &dn, &index))
			continue;
		/* back over the name, not into an earlier match or a long word */
		while (s > floor && is_name_char(s[-1]) && p - s <= NAME_MAX_LEN)
			s--;
		if (p - s > NAME_MAX_LEN)
			continue;
		while (s < p && !is_name_end(*s))
			s++;
		if (p - s < 2 || !is_name_end(p[-1]))
			continue;
		ret = push_vf(r, s, (size_t)(p - s), index);
		floor = p + 3 + dn;
		p = floor - 1;
	}
	return ret;
}

/* A name after a literal: "Truncated VF list: NAME", "link set NAME", ... */
static int scan_after(const char *text, const char *const *lits, size_t n_lits,
		      const char *then, struct explain_refs *r)
{
	int ret = 0;

	for (const char *p = text; *p && ret >= 0; p++) {
		const char *s = NULL;
		size_t n;

		for (size_t i = 0; i < n_lits && !s; i++)
			if (at(p, lits[i]))
				s = p + strlen(lits[i]);
		if (!s)
			continue;
		n = name_at(s, then != NULL);
		if (!n || (then && !at(s + n, then))) {
			p = s - 1;
			continue;
		}
		ret = push_netdev(r, s, n);
		p = s + n - 1;
	}
	return ret;
}

int explain_extract(const char *text, struct explain_refs *out)
{
	static const char *const truncated[] = { "Truncated VF list: " };
	static const char *const class_net[] = { "/sys/class/net/" };
	static const char *const words[] = { "link set dev ", "link show dev ",
					     "link set ", "link show ", "dev " };
	int r;

	memset(out, 0, sizeof(*out));
	r = scan_addrs(text, true, out);
	if (r >= 0)
		r = scan_addrs(text, false, out);
	if (r >= 0)
		r = scan_nodedevs(text, out);
	if (r >= 0)
		r = scan_groups(text, out);
	if (r >= 0)
		r = scan_iplink(text, out);
	if (r >= 0)
		r = scan_slash_vf(text, out);
	if (r >= 0)
		r = scan_after(text, truncated, 1, NULL, out);
	if (r >= 0)
		r = scan_after(text, class_net, 1, "/", out);
	if (r >= 0)
		r = scan_after(text, words, sizeof(words) / sizeof(words[0]), NULL, out);
	if (r < 0)
		explain_refs_free(out);
	return r;
}
