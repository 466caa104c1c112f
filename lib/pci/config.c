// SPDX-License-Identifier: MIT
/*
 * PCI configuration space walker and decoder.
 *
 * The bytes come from a sysfs "config" file and can be anything: cut short
 * for unprivileged readers, all 0xff for a device that went away, chains
 * that loop or point into nowhere on broken or emulated hardware. Every
 * read below is bounds-checked against @len first; nothing is trusted.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pci/config.h"

#define CFG_VENDOR_ID      0x00
#define CFG_STATUS         0x06
#define CFG_STATUS_CAPLIST 0x0010
#define CFG_HEADER_TYPE    0x0e
#define CFG_CAP_PTR        0x34 /* header types 0 and 1 */
#define CFG_CB_CAP_PTR     0x14 /* header type 2 (CardBus bridge) */
#define CFG_STD_CAP_MIN    0x40 /* standard capabilities live after the header */
#define CFG_STD_CAP_TTL    48   /* (256 - 64) / 4 dword slots */
#define CFG_EXT_START      0x100
/* Every dword slot of the extended space at most once, plus the end. */
#define CFG_EXT_TTL        ((PCI_CFG_EXT_LEN - PCI_CFG_STD_LEN) / 4)

/* SR-IOV register offsets from the capability start (PCIe base 9.3.3). */
#define SRIOV_CAPS       0x04
#define SRIOV_CTRL       0x08
#define SRIOV_STATUS     0x0a
#define SRIOV_INITIAL_VF 0x0c
#define SRIOV_TOTAL_VF   0x0e
#define SRIOV_NUM_VF     0x10
#define SRIOV_FUNC_LINK  0x12
#define SRIOV_VF_OFFSET  0x14
#define SRIOV_VF_STRIDE  0x16
#define SRIOV_VF_DID     0x1a
#define SRIOV_SUP_PGSIZE 0x1c
#define SRIOV_SYS_PGSIZE 0x20
#define SRIOV_BAR0       0x24

#define ACS_CAPS 0x04
#define ACS_CTRL 0x06

#define EXP_FLAGS      0x02
#define EXP_FLAGS_TYPE 0x00f0

/* True when @n bytes at @off lie inside a buffer of @len bytes. */
static bool in_bounds(size_t len, size_t off, size_t n)
{
	return off <= len && n <= len - off;
}

/* Little-endian, byte by byte: config space need not be aligned in memory. */
static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | (unsigned)p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

typedef void cap_visit_fn(const struct pcicfg_cap *cap, void *arg);

static void visit(cap_visit_fn *fn, void *arg, uint16_t id, size_t pos,
		  uint8_t version, uint8_t extended)
{
	struct pcicfg_cap cap = {
		.id = id,
		.pos = (uint16_t)pos,
		.version = version,
		.extended = extended,
	};

	fn(&cap, arg);
}

/* A dword-granular visited set, enough for the whole 4 KiB space. */
struct visited {
	uint64_t bits[PCI_CFG_EXT_LEN / 4 / 64];
};

/* Marks @pos and returns whether it had been marked before. */
static bool seen(struct visited *v, size_t pos)
{
	size_t dw = pos / 4;
	uint64_t bit = (uint64_t)1 << (dw % 64);
	bool was = v->bits[dw / 64] & bit;

	v->bits[dw / 64] |= bit;
	return was;
}

static unsigned walk_std(const uint8_t *cfg, size_t len, cap_visit_fn *fn,
			 void *arg)
{
	struct visited v = { 0 };
	unsigned flags = 0;
	size_t ptr_off, pos;
	unsigned hdr;
	int ttl;

	if (!in_bounds(len, CFG_STATUS, 2) ||
	    !(get16(cfg + CFG_STATUS) & CFG_STATUS_CAPLIST))
		return 0;
	if (!in_bounds(len, CFG_HEADER_TYPE, 1))
		return PCI_WALK_TRUNCATED;

	hdr = cfg[CFG_HEADER_TYPE] & 0x7f;
	if (hdr == 0 || hdr == 1)
		ptr_off = CFG_CAP_PTR;
	else if (hdr == 2)
		ptr_off = CFG_CB_CAP_PTR;
	else
		return 0; /* unknown layout: no idea where the pointer is */

	if (!in_bounds(len, ptr_off, 1))
		return PCI_WALK_TRUNCATED;

	/* The low two bits of every pointer are reserved. */
	pos = cfg[ptr_off] & 0xfc;
	for (ttl = CFG_STD_CAP_TTL; pos; ttl--) {
		if (pos < CFG_STD_CAP_MIN) {
			flags |= PCI_WALK_BADPTR;
			break;
		}
		if (!in_bounds(len, pos, 2)) {
			flags |= PCI_WALK_TRUNCATED;
			break;
		}
		if (seen(&v, pos) || ttl == 0) {
			flags |= PCI_WALK_LOOPED;
			break;
		}
		/* 0xff is what an absent register reads as: chain broken. */
		if (cfg[pos] == 0xff) {
			flags |= PCI_WALK_BADPTR;
			break;
		}
		visit(fn, arg, cfg[pos], pos, 0, 0);
		pos = cfg[pos + 1] & 0xfc;
	}
	return flags;
}

static unsigned walk_ext(const uint8_t *cfg, size_t len, cap_visit_fn *fn,
			 void *arg)
{
	struct visited v = { 0 };
	size_t pos = CFG_EXT_START;
	unsigned flags = 0;
	int ttl;

	if (len <= PCI_CFG_STD_LEN)
		return 0;
	if (!in_bounds(len, pos, 4))
		return PCI_WALK_TRUNCATED;

	for (ttl = CFG_EXT_TTL; ; ttl--) {
		uint32_t h = get32(cfg + pos);
		size_t next;

		/* 0 ends the list (or there is none); all ones: no device. */
		if (h == 0 || h == 0xffffffff)
			break;
		if (seen(&v, pos) || ttl == 0) {
			flags |= PCI_WALK_LOOPED;
			break;
		}
		visit(fn, arg, h & 0xffff, pos, (h >> 16) & 0xf, 1);

		next = (h >> 20) & 0xffc;
		if (next == 0)
			break;
		if (next < CFG_EXT_START) {
			flags |= PCI_WALK_BADPTR;
			break;
		}
		if (!in_bounds(len, next, 4)) {
			flags |= PCI_WALK_TRUNCATED;
			break;
		}
		pos = next;
	}
	return flags;
}

static unsigned walk_all(const uint8_t *cfg, size_t len, cap_visit_fn *fn,
			 void *arg)
{
	if (!cfg)
		return 0;
	/* A removed device reads as all ones; nothing in it is meaningful. */
	if (in_bounds(len, CFG_VENDOR_ID, 2) &&
	    get16(cfg + CFG_VENDOR_ID) == 0xffff)
		return 0;
	return walk_std(cfg, len, fn, arg) | walk_ext(cfg, len, fn, arg);
}

static void record(const struct pcicfg_cap *cap, void *arg)
{
	struct pci_cap_walk *w = arg;
	size_t max = sizeof(w->caps) / sizeof(w->caps[0]);

	if (w->n < max)
		w->caps[w->n++] = *cap;
	else
		w->flags |= PCI_WALK_FULL;
}

void pci_cap_walk(const uint8_t *cfg, size_t len, struct pci_cap_walk *out)
{
	if (!out)
		return;
	memset(out, 0, sizeof(*out));
	out->flags |= walk_all(cfg, len, record, out);
}

uint16_t pci_cap_find(const struct pci_cap_walk *w, uint16_t id, int extended)
{
	size_t i, n;

	if (!w)
		return 0;
	n = w->n < sizeof(w->caps) / sizeof(w->caps[0]) ?
		w->n : sizeof(w->caps) / sizeof(w->caps[0]);
	for (i = 0; i < n; i++)
		if (w->caps[i].id == id &&
		    (w->caps[i].extended != 0) == (extended != 0))
			return w->caps[i].pos;
	return 0;
}

const char *pci_pcie_type_name(int type)
{
	switch (type) {
	case SRIOV_PCIE_NONE:
		return "none";
	case SRIOV_PCIE_ENDPOINT:
		return "endpoint";
	case SRIOV_PCIE_LEGACY_ENDPOINT:
		return "legacy-endpoint";
	case SRIOV_PCIE_ROOT_PORT:
		return "root-port";
	case SRIOV_PCIE_UPSTREAM_PORT:
		return "upstream-port";
	case SRIOV_PCIE_DOWNSTREAM_PORT:
		return "downstream-port";
	case SRIOV_PCIE_PCIE_TO_PCI:
		return "pcie-to-pci-bridge";
	case SRIOV_PCIE_PCI_TO_PCIE:
		return "pci-to-pcie-bridge";
	case SRIOV_PCIE_RC_INTEGRATED:
		return "rc-integrated-endpoint";
	case SRIOV_PCIE_RC_EVENT_COLLECTOR:
		return "rc-event-collector";
	default:
		return "unknown";
	}
}

/*
 * First position of each capability decode cares about; 0 means not seen
 * (no capability can live at offset 0).
 */
struct first_caps {
	uint16_t exp, sriov, acs, ari, aer;
};

static void note_first(uint16_t *slot, uint16_t pos)
{
	if (!*slot)
		*slot = pos;
}

static void find_first(const struct pcicfg_cap *cap, void *arg)
{
	struct first_caps *f = arg;

	if (!cap->extended) {
		if (cap->id == PCI_CAP_EXP)
			note_first(&f->exp, cap->pos);
		return;
	}
	switch (cap->id) {
	case PCI_ECAP_SRIOV:
		note_first(&f->sriov, cap->pos);
		break;
	case PCI_ECAP_ACS:
		note_first(&f->acs, cap->pos);
		break;
	case PCI_ECAP_ARI:
		note_first(&f->ari, cap->pos);
		break;
	case PCI_ECAP_AER:
		note_first(&f->aer, cap->pos);
		break;
	}
}

/*
 * Whether the capability at @pos (0: absent) has @size readable bytes; a
 * capability that is there but cut short counts as truncation.
 */
static bool usable(struct sriov_config *out, uint16_t pos, size_t size)
{
	if (!pos)
		return false;
	if (!in_bounds(out->len, pos, size)) {
		out->truncated = true;
		return false;
	}
	return true;
}

static void decode_sriov(const uint8_t *c, uint16_t pos,
			 struct sriov_cap_sriov *s)
{
	const uint8_t *p = c + pos;
	int i;

	s->present = true;
	s->pos = pos;
	s->caps = get32(p + SRIOV_CAPS);
	s->ctrl = get16(p + SRIOV_CTRL);
	s->status = get16(p + SRIOV_STATUS);
	s->initial_vfs = get16(p + SRIOV_INITIAL_VF);
	s->total_vfs = get16(p + SRIOV_TOTAL_VF);
	s->num_vfs = get16(p + SRIOV_NUM_VF);
	s->func_dep_link = p[SRIOV_FUNC_LINK];
	s->first_vf_offset = get16(p + SRIOV_VF_OFFSET);
	s->vf_stride = get16(p + SRIOV_VF_STRIDE);
	s->vf_device_id = get16(p + SRIOV_VF_DID);
	s->supported_page_sizes = get32(p + SRIOV_SUP_PGSIZE);
	s->system_page_size = get32(p + SRIOV_SYS_PGSIZE);
	for (i = 0; i < 6; i++)
		s->vf_bar[i] = get32(p + SRIOV_BAR0 + 4 * i);
}

void pci_config_decode(const uint8_t *cfg, size_t len,
		       struct sriov_config *out)
{
	struct first_caps f = { 0 };
	unsigned flags;

	if (!out)
		return;
	memset(out, 0, sizeof(*out));
	out->len = len;
	out->pcie_type = SRIOV_PCIE_NONE;
	if (!cfg)
		return;

	/*
	 * Its own walk rather than pci_cap_walk(): a capability far down a
	 * long chain must not be missed because caps[] filled up.
	 */
	flags = walk_all(cfg, len, find_first, &f);
	out->truncated = flags & PCI_WALK_TRUNCATED;
	out->looped = flags & PCI_WALK_LOOPED;

	if (usable(out, f.exp, PCI_CAP_EXP_SIZEOF))
		out->pcie_type =
			(get16(cfg + f.exp + EXP_FLAGS) & EXP_FLAGS_TYPE) >> 4;
	out->has_ari = usable(out, f.ari, PCI_ECAP_ARI_SIZEOF);
	out->has_aer = usable(out, f.aer, PCI_ECAP_AER_SIZEOF);
	if (usable(out, f.sriov, PCI_ECAP_SRIOV_SIZEOF))
		decode_sriov(cfg, f.sriov, &out->sriov);
	if (usable(out, f.acs, PCI_ECAP_ACS_SIZEOF)) {
		out->acs.present = true;
		out->acs.pos = f.acs;
		out->acs.caps = get16(cfg + f.acs + ACS_CAPS);
		out->acs.ctrl = get16(cfg + f.acs + ACS_CTRL);
	}
}
