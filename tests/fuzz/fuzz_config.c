// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for lib/pci/config.c: the input is a config space of
 * any length. Besides "no crash, no overread" (ASan), it checks what the
 * walk and the decoder promise, and that the decoder agrees with the walk
 * and with the raw bytes.
 *
 * Replayed as an ordinary test by replay.c (tests/fuzz/meson.build).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pci/config.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Not assert(): NDEBUG must not turn the checks off. */
#define NCAPS (sizeof(((struct pci_cap_walk *)0)->caps) / sizeof(struct pcicfg_cap))
#define KNOWN_FLAGS (PCI_WALK_TRUNCATED | PCI_WALK_LOOPED | PCI_WALK_BADPTR | \
		     PCI_WALK_FULL)

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16;
}

static void check_walk(const struct pci_cap_walk *w, size_t len)
{
	size_t i, j, n_std = 0;

	CHECK(w->n <= NCAPS);
	CHECK((w->flags & ~KNOWN_FLAGS) == 0);
	CHECK(!(w->flags & PCI_WALK_FULL) || w->n == NCAPS);

	for (i = 0; i < w->n; i++) {
		const struct pcicfg_cap *c = &w->caps[i];

		CHECK(c->pos < len);
		CHECK(c->pos % 4 == 0);
		if (c->extended) {
			CHECK(c->extended == 1);
			CHECK(len > PCI_CFG_STD_LEN);
			CHECK(c->pos >= 0x100 && c->pos <= 0xffc);
			CHECK((size_t)c->pos + 4 <= len);
			CHECK(c->version <= 0xf);
		} else {
			/* Standard entries come first. */
			CHECK(i == n_std++);
			CHECK(c->pos >= 0x40 && c->pos <= 0xfc);
			CHECK((size_t)c->pos + 2 <= len);
			CHECK(c->id <= 0xfe);
			CHECK(c->version == 0);
		}
		/* The loop guard: no offset twice in one chain. */
		for (j = 0; j < i; j++)
			CHECK(w->caps[j].pos != c->pos ||
			      w->caps[j].extended != c->extended);
	}
	CHECK(n_std <= 48);
}

/* The decoder's verdict on one capability, given where the walk saw it. */
static void check_presence(bool present, uint16_t pos, uint16_t walk_pos,
			   size_t size, size_t len, bool full)
{
	if (present) {
		CHECK(pos >= 0x40 && pos % 4 == 0);
		CHECK((size_t)pos + size <= len);
		if (!full)
			CHECK(pos == walk_pos);
	} else if (!full) {
		CHECK(pos == 0);
		/* Seen by the walk but not usable: must be reported. */
		CHECK(!walk_pos || (size_t)walk_pos + size > len);
	}
}

static void check_decode(const uint8_t *cfg, size_t len,
			 const struct sriov_config *c,
			 const struct pci_cap_walk *w)
{
	static const struct sriov_cap_sriov no_sriov;
	static const struct sriov_cap_acs no_acs;
	bool full = w->flags & PCI_WALK_FULL;
	uint16_t exp = pci_cap_find(w, PCI_CAP_EXP, 0);
	uint16_t sriov = pci_cap_find(w, PCI_ECAP_SRIOV, 1);
	uint16_t acs = pci_cap_find(w, PCI_ECAP_ACS, 1);
	uint16_t ari = pci_cap_find(w, PCI_ECAP_ARI, 1);
	uint16_t aer = pci_cap_find(w, PCI_ECAP_AER, 1);
	int i;

	CHECK(c->len == len);
	CHECK(c->pcie_type >= SRIOV_PCIE_NONE && c->pcie_type <= 0xf);
	CHECK(pci_pcie_type_name(c->pcie_type) != NULL);
	CHECK(c->looped == !!(w->flags & PCI_WALK_LOOPED));
	if (w->flags & PCI_WALK_TRUNCATED)
		CHECK(c->truncated);

	/* Only a cut-short capability may add truncation to the walk's. */
	if (c->truncated && !(w->flags & PCI_WALK_TRUNCATED) && !full)
		CHECK((exp && (size_t)exp + PCI_CAP_EXP_SIZEOF > len) ||
		      (sriov && (size_t)sriov + PCI_ECAP_SRIOV_SIZEOF > len) ||
		      (acs && (size_t)acs + PCI_ECAP_ACS_SIZEOF > len) ||
		      (ari && (size_t)ari + PCI_ECAP_ARI_SIZEOF > len) ||
		      (aer && (size_t)aer + PCI_ECAP_AER_SIZEOF > len));

	if (!full) {
		if (exp && (size_t)exp + PCI_CAP_EXP_SIZEOF <= len)
			CHECK(c->pcie_type == (le16(cfg + exp + 2) >> 4 & 0xf));
		else
			CHECK(c->pcie_type == SRIOV_PCIE_NONE);
		CHECK(c->has_ari ==
		      (ari && (size_t)ari + PCI_ECAP_ARI_SIZEOF <= len));
		CHECK(c->has_aer ==
		      (aer && (size_t)aer + PCI_ECAP_AER_SIZEOF <= len));
	}

	check_presence(c->sriov.present, c->sriov.pos, sriov,
		       PCI_ECAP_SRIOV_SIZEOF, len, full);
	if (c->sriov.present) {
		const uint8_t *p = cfg + c->sriov.pos;

		CHECK(c->sriov.pos >= 0x100);
		CHECK(le16(p) == PCI_ECAP_SRIOV);
		CHECK(c->sriov.caps == le32(p + 0x04));
		CHECK(c->sriov.ctrl == le16(p + 0x08));
		CHECK(c->sriov.status == le16(p + 0x0a));
		CHECK(c->sriov.initial_vfs == le16(p + 0x0c));
		CHECK(c->sriov.total_vfs == le16(p + 0x0e));
		CHECK(c->sriov.num_vfs == le16(p + 0x10));
		CHECK(c->sriov.func_dep_link == p[0x12]);
		CHECK(c->sriov.first_vf_offset == le16(p + 0x14));
		CHECK(c->sriov.vf_stride == le16(p + 0x16));
		CHECK(c->sriov.vf_device_id == le16(p + 0x1a));
		CHECK(c->sriov.supported_page_sizes == le32(p + 0x1c));
		CHECK(c->sriov.system_page_size == le32(p + 0x20));
		for (i = 0; i < 6; i++)
			CHECK(c->sriov.vf_bar[i] == le32(p + 0x24 + 4 * i));
	} else {
		CHECK(memcmp(&c->sriov, &no_sriov, sizeof(no_sriov)) == 0);
	}

	check_presence(c->acs.present, c->acs.pos, acs, PCI_ECAP_ACS_SIZEOF,
		       len, full);
	if (c->acs.present) {
		CHECK(c->acs.pos >= 0x100);
		CHECK(le16(cfg + c->acs.pos) == PCI_ECAP_ACS);
		CHECK(c->acs.caps == le16(cfg + c->acs.pos + 4));
		CHECK(c->acs.ctrl == le16(cfg + c->acs.pos + 6));
	} else {
		CHECK(memcmp(&c->acs, &no_acs, sizeof(no_acs)) == 0);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pci_cap_walk w, again;
	struct sriov_config c;

	/* Keep the unused tail of the structures deterministic. */
	memset(&w, 0xa5, sizeof(w));
	pci_cap_walk(data, size, &w);
	check_walk(&w, size);

	/* Pure: the same bytes give the same walk, whatever was in *out. */
	memset(&again, 0x5a, sizeof(again));
	pci_cap_walk(data, size, &again);
	CHECK(again.n == w.n && again.flags == w.flags);
	CHECK(memcmp(again.caps, w.caps, w.n * sizeof(w.caps[0])) == 0);

	memset(&c, 0xa5, sizeof(c));
	pci_config_decode(data, size, &c);
	check_decode(data, size, &c, &w);

	/* Every prefix a short read could produce of the same device. */
	if (size > 64) {
		pci_config_decode(data, 64, &c);
		pci_cap_walk(data, 64, &w);
		check_walk(&w, 64);
		check_decode(data, 64, &c, &w);
	}
	if (size > PCI_CFG_STD_LEN) {
		pci_config_decode(data, PCI_CFG_STD_LEN, &c);
		pci_cap_walk(data, PCI_CFG_STD_LEN, &w);
		check_walk(&w, PCI_CFG_STD_LEN);
		check_decode(data, PCI_CFG_STD_LEN, &c, &w);
	}
	return 0;
}
