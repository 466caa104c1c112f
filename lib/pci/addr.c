/* SPDX-License-Identifier: MIT */
#include "pci/addr.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "io/parse.h"

/* Read 1..@maxd hex digits; returns characters consumed or -1. */
static int hexfield(const char *s, int maxd, unsigned long *out)
{
	unsigned long v = 0;
	int i;

	for (i = 0; i < maxd && parse_hexdigit(s[i]) >= 0; i++)
		v = v * 16 + (unsigned long)parse_hexdigit(s[i]);
	if (i == 0)
		return -1;
	*out = v;
	return i;
}

int pci_addr_parse(const char *s, struct pci_addr *out, bool *has_domain)
{
	unsigned long f[4];
	int nf = 0, n;
	const char *p = s;

	if (!s)
		return -EINVAL;
	/* Fields: [domain:]bus:dev.fn — count the colons to tell which. */
	for (;;) {
		n = hexfield(p, nf == 0 ? 5 : 2, &f[nf]);
		if (n < 0)
			return -EINVAL;
		p += n;
		nf++;
		if (*p == ':' && nf < 3) {
			p++;
			continue;
		}
		break;
	}
	if (*p != '.' || nf < 2)
		return -EINVAL;
	p++;
	if (parse_hexdigit(*p) < 0 || parse_hexdigit(*p) > 7 || p[1] != '\0')
		return -EINVAL;
	f[nf] = (unsigned long)parse_hexdigit(*p);
	if (nf == 2) {
		/* bus:dev.fn — a short address; lengths as lspci prints. */
		if (f[0] > 0xff || f[1] > 0x1f)
			return -EINVAL;
		out->domain = 0;
		out->bus = (uint8_t)f[0];
		out->dev = (uint8_t)f[1];
		out->fn = (uint8_t)f[2];
		if (has_domain)
			*has_domain = false;
		return 0;
	}
	if (f[0] > 0x1ffff || f[1] > 0xff || f[2] > 0x1f)
		return -EINVAL;
	out->domain = (uint32_t)f[0];
	out->bus = (uint8_t)f[1];
	out->dev = (uint8_t)f[2];
	out->fn = (uint8_t)f[3];
	if (has_domain)
		*has_domain = true;
	return 0;
}

/* Exactly @n hex digits (either case) at @s, then @end. */
static bool hexrun(const char *s, int n, char end, unsigned long *out)
{
	return hexfield(s, n, out) == n && s[n] == end;
}

int pci_addr_parse_nodedev(const char *s, struct pci_addr *out)
{
	unsigned long dom = 0, bus = 0, dev = 0, fn = 0;
	int dlen;

	if (!s || strncmp(s, "pci_", 4) != 0)
		return -EINVAL;
	s += 4;
	dlen = (int)strcspn(s, "_");
	if ((dlen != 4 && dlen != 5) || !hexrun(s, dlen, '_', &dom) ||
	    dom > 0x1ffff || !hexrun(s + dlen + 1, 2, '_', &bus) ||
	    !hexrun(s + dlen + 4, 2, '_', &dev) || dev > 0x1f ||
	    !hexrun(s + dlen + 7, 1, '\0', &fn) || fn > 7)
		return -EINVAL;
	out->domain = (uint32_t)dom;
	out->bus = (uint8_t)bus;
	out->dev = (uint8_t)dev;
	out->fn = (uint8_t)fn;
	return 0;
}

char *pci_addr_format_nodedev(const struct pci_addr *a, char *buf, size_t len)
{
	snprintf(buf, len, "pci_%04x_%02x_%02x_%x", (unsigned)a->domain,
		 (unsigned)a->bus, (unsigned)a->dev, (unsigned)a->fn);
	return buf;
}

char *pci_addr_format(const struct pci_addr *a, char *buf, size_t len)
{
	snprintf(buf, len, "%04x:%02x:%02x.%x", (unsigned)a->domain,
		 (unsigned)a->bus, (unsigned)a->dev, (unsigned)a->fn);
	return buf;
}

uint16_t pci_addr_rid(const struct pci_addr *a)
{
	return (uint16_t)(a->bus << 8 | a->dev << 3 | a->fn);
}

void pci_addr_from_rid(uint32_t domain, uint16_t rid, struct pci_addr *out)
{
	out->domain = domain;
	out->bus = (uint8_t)(rid >> 8);
	out->dev = (uint8_t)((rid >> 3) & 0x1f);
	out->fn = (uint8_t)(rid & 0x7);
}

int pci_vf_addr(const struct pci_addr *pf, unsigned offset, unsigned stride,
		unsigned index, struct pci_addr *out)
{
	uint64_t rid = (uint64_t)pci_addr_rid(pf) + offset +
		       (uint64_t)stride * index;

	if (rid > 0xffff)
		return -ERANGE;
	pci_addr_from_rid(pf->domain, (uint16_t)rid, out);
	return 0;
}

int pci_addr_cmp(const struct pci_addr *a, const struct pci_addr *b)
{
	if (a->domain != b->domain)
		return a->domain < b->domain ? -1 : 1;
	if (pci_addr_rid(a) != pci_addr_rid(b))
		return pci_addr_rid(a) < pci_addr_rid(b) ? -1 : 1;
	return 0;
}
