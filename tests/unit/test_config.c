// SPDX-License-Identifier: MIT
/*
 * Unit tests for lib/pci/config.c: the capability walker and the decoder.
 *
 * Config spaces are built byte by byte below, plus one real capture
 * (tests/data/h100-config.bin, an NVIDIA H100 behind a hypervisor). The
 * test finds that file through, in order:
 *   argv[1]                 the file itself or the directory holding it,
 *   $SRIOV_TEST_DATA        the directory holding it,
 *   tests/data              relative to the working directory.
 * A missing data file fails the test; it is never skipped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pci/config.h"

#define H100_FILE "h100-config.bin"

/* ------------------------------------------------------------ builders */

static void put8(uint8_t *c, size_t off, uint8_t v)
{
	c[off] = v;
}

static void put16(uint8_t *c, size_t off, uint16_t v)
{
	c[off] = v & 0xff;
	c[off + 1] = v >> 8;
}

static void put32(uint8_t *c, size_t off, uint32_t v)
{
	put16(c, off, v & 0xffff);
	put16(c, off + 2, v >> 16);
}

/* Type 0/1/2 header with a capability list starting at @first. */
static void hdr(uint8_t *c, uint8_t type, uint8_t first)
{
	put16(c, 0x00, 0x8086);
	put16(c, 0x02, 0x1592);
	put16(c, 0x06, 0x0010);
	put8(c, 0x0e, type);
	put8(c, (type & 0x7f) == 2 ? 0x14 : 0x34, first);
}

static void std_cap(uint8_t *c, size_t pos, uint8_t id, uint8_t next)
{
	put8(c, pos, id);
	put8(c, pos + 1, next);
}

/* A PCIe capability (v2) with device/port type @type. */
static void exp_cap(uint8_t *c, size_t pos, uint8_t next, unsigned type)
{
	std_cap(c, pos, PCI_CAP_EXP, next);
	put16(c, pos + 2, (uint16_t)(0x0002 | type << 4));
}

static void ext_cap(uint8_t *c, size_t pos, uint16_t id, uint8_t ver,
		    uint16_t next)
{
	put32(c, pos, id | (uint32_t)(ver & 0xf) << 16 | (uint32_t)next << 20);
}

/* Field values chosen so that any offset mix-up shows. */
#define PF_SRIOV_POS   0x160
#define PF_CAPS        0xa1a2a3a4u
#define PF_CTRL        (SRIOV_CTRL_VFE | SRIOV_CTRL_MSE | SRIOV_CTRL_ARI)
#define PF_STATUS      0x0001
#define PF_INITIAL     0x0080
#define PF_TOTAL       0x007e
#define PF_NUM         0x0008
#define PF_FDL         0x05
#define PF_OFFSET      0x0107
#define PF_STRIDE      0x0002
#define PF_VF_DID      0x1889
#define PF_SUP_PGSIZE  0x00000553u
#define PF_SYS_PGSIZE  0x00000001u
static const uint32_t pf_bars[6] = {
	0xe000000c, 0x000000a1, 0xe100000c, 0x000000b2, 0x00000004, 0x00000005,
};

static void sriov_cap(uint8_t *c, size_t pos, uint16_t next)
{
	int i;

	ext_cap(c, pos, PCI_ECAP_SRIOV, 1, next);
	/* Reserved bytes get noise: nothing may be read from them. */
	memset(c + pos + 4, 0xee, 0x3c);
	put32(c, pos + 0x04, PF_CAPS);
	put16(c, pos + 0x08, PF_CTRL);
	put16(c, pos + 0x0a, PF_STATUS);
	put16(c, pos + 0x0c, PF_INITIAL);
	put16(c, pos + 0x0e, PF_TOTAL);
	put16(c, pos + 0x10, PF_NUM);
	put8(c, pos + 0x12, PF_FDL);
	put16(c, pos + 0x14, PF_OFFSET);
	put16(c, pos + 0x16, PF_STRIDE);
	put16(c, pos + 0x1a, PF_VF_DID);
	put32(c, pos + 0x1c, PF_SUP_PGSIZE);
	put32(c, pos + 0x20, PF_SYS_PGSIZE);
	for (i = 0; i < 6; i++)
		put32(c, pos + 0x24 + 4 * i, pf_bars[i]);
}

/*
 * A PF as an E810 port looks: PM, MSI-X, PCIe endpoint; AER, ARI, SR-IOV.
 */
static void build_pf(uint8_t *c)
{
	memset(c, 0, PCI_CFG_EXT_LEN);
	hdr(c, 0x80, 0x40); /* multi-function bit set: still type 0 */
	std_cap(c, 0x40, 0x01, 0x50);
	put16(c, 0x42, 0x5bc3);
	std_cap(c, 0x50, 0x11, 0x70);
	exp_cap(c, 0x70, 0x00, SRIOV_PCIE_ENDPOINT);
	ext_cap(c, 0x100, PCI_ECAP_AER, 2, 0x150);
	ext_cap(c, 0x150, PCI_ECAP_ARI, 1, PF_SRIOV_POS);
	sriov_cap(c, PF_SRIOV_POS, 0);
	/* Whatever follows the capability must not leak into it. */
	memset(c + PF_SRIOV_POS + 0x40, 0x5a, 0x40);
}

/* A root port: PCIe root port, AER, ACS with most controls on. */
#define RP_ACS_POS  0x148
#define RP_ACS_CAPS (SRIOV_ACS_SV | SRIOV_ACS_TB | SRIOV_ACS_RR | \
		     SRIOV_ACS_CR | SRIOV_ACS_UF | SRIOV_ACS_DT)
#define RP_ACS_CTRL (SRIOV_ACS_SV | SRIOV_ACS_RR | SRIOV_ACS_CR | \
		     SRIOV_ACS_UF)

static void build_root_port(uint8_t *c)
{
	memset(c, 0, PCI_CFG_EXT_LEN);
	hdr(c, 0x01, 0x40);
	exp_cap(c, 0x40, 0x80, SRIOV_PCIE_ROOT_PORT);
	std_cap(c, 0x80, 0x05, 0x00);
	ext_cap(c, 0x100, PCI_ECAP_AER, 2, RP_ACS_POS);
	ext_cap(c, RP_ACS_POS, PCI_ECAP_ACS, 1, 0);
	put16(c, RP_ACS_POS + 4, RP_ACS_CAPS);
	put16(c, RP_ACS_POS + 6, RP_ACS_CTRL);
}

/*
 * An exact-size heap copy, so that AddressSanitizer (b_sanitize) catches
 * any read past @len.
 */
static uint8_t *dup_len(const uint8_t *c, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	assert_non_null(p);
	if (len)
		memcpy(p, c, len);
	return p;
}

struct want {
	uint16_t pos;
	uint16_t id;
	uint8_t version;
	uint8_t extended;
};

static void assert_walk(const struct pci_cap_walk *w, const struct want *want,
			size_t n)
{
	size_t i;

	assert_int_equal(w->n, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(w->caps[i].pos, want[i].pos);
		assert_int_equal(w->caps[i].id, want[i].id);
		assert_int_equal(w->caps[i].version, want[i].version);
		assert_int_equal(w->caps[i].extended, want[i].extended);
	}
}

/* ------------------------------------------------------------ tests */

static void test_pf_sriov(void **state)
{
	static const struct want want[] = {
		{ 0x40, 0x01, 0, 0 },
		{ 0x50, 0x11, 0, 0 },
		{ 0x70, PCI_CAP_EXP, 0, 0 },
		{ 0x100, PCI_ECAP_AER, 2, 1 },
		{ 0x150, PCI_ECAP_ARI, 1, 1 },
		{ PF_SRIOV_POS, PCI_ECAP_SRIOV, 1, 1 },
	};
	uint8_t c[PCI_CFG_EXT_LEN];
	struct pci_cap_walk w;
	struct sriov_config cfg;
	uint8_t *p;
	int i;

	(void)state;
	build_pf(c);
	p = dup_len(c, sizeof(c));

	pci_cap_walk(p, sizeof(c), &w);
	assert_walk(&w, want, 6);
	assert_int_equal(w.flags, 0);

	pci_config_decode(p, sizeof(c), &cfg);
	assert_int_equal(cfg.len, PCI_CFG_EXT_LEN);
	assert_int_equal(cfg.pcie_type, SRIOV_PCIE_ENDPOINT);
	assert_true(cfg.has_ari);
	assert_true(cfg.has_aer);
	assert_false(cfg.truncated);
	assert_false(cfg.looped);
	assert_false(cfg.acs.present);

	assert_true(cfg.sriov.present);
	assert_int_equal(cfg.sriov.pos, PF_SRIOV_POS);
	assert_int_equal(cfg.sriov.caps, PF_CAPS);
	assert_int_equal(cfg.sriov.ctrl, PF_CTRL);
	assert_int_equal(cfg.sriov.status, PF_STATUS);
	assert_int_equal(cfg.sriov.initial_vfs, PF_INITIAL);
	assert_int_equal(cfg.sriov.total_vfs, PF_TOTAL);
	assert_int_equal(cfg.sriov.num_vfs, PF_NUM);
	assert_int_equal(cfg.sriov.func_dep_link, PF_FDL);
	assert_int_equal(cfg.sriov.first_vf_offset, PF_OFFSET);
	assert_int_equal(cfg.sriov.vf_stride, PF_STRIDE);
	assert_int_equal(cfg.sriov.vf_device_id, PF_VF_DID);
	assert_int_equal(cfg.sriov.supported_page_sizes, PF_SUP_PGSIZE);
	assert_int_equal(cfg.sriov.system_page_size, PF_SYS_PGSIZE);
	for (i = 0; i < 6; i++)
		assert_int_equal(cfg.sriov.vf_bar[i], pf_bars[i]);
	free(p);
}

static void test_find(void **state)
{
	uint8_t c[PCI_CFG_EXT_LEN];
	struct pci_cap_walk w;

	(void)state;
	build_pf(c);
	pci_cap_walk(c, sizeof(c), &w);
	/* 0x10 is PCIe among standard ids and SR-IOV among extended ones. */
	assert_int_equal(pci_cap_find(&w, PCI_CAP_EXP, 0), 0x70);
	assert_int_equal(pci_cap_find(&w, PCI_ECAP_SRIOV, 1), PF_SRIOV_POS);
	assert_int_equal(pci_cap_find(&w, 0x01, 0), 0x40);
	assert_int_equal(pci_cap_find(&w, PCI_ECAP_AER, 1), 0x100);
	assert_int_equal(pci_cap_find(&w, PCI_ECAP_ACS, 1), 0);
	assert_int_equal(pci_cap_find(&w, 0x05, 0), 0);
	assert_int_equal(pci_cap_find(NULL, 0x01, 0), 0);
}

static void test_root_port_acs(void **state)
{
	uint8_t c[PCI_CFG_EXT_LEN];
	struct sriov_config cfg;

	(void)state;
	build_root_port(c);
	pci_config_decode(c, sizeof(c), &cfg);
	assert_int_equal(cfg.pcie_type, SRIOV_PCIE_ROOT_PORT);
	assert_string_equal(pci_pcie_type_name(cfg.pcie_type), "root-port");
	assert_true(cfg.acs.present);
	assert_int_equal(cfg.acs.pos, RP_ACS_POS);
	assert_int_equal(cfg.acs.caps, RP_ACS_CAPS);
	assert_int_equal(cfg.acs.ctrl, RP_ACS_CTRL);
	assert_true(cfg.acs.caps & SRIOV_ACS_DT);
	assert_false(cfg.acs.caps & SRIOV_ACS_EC);
	assert_true(cfg.acs.ctrl & SRIOV_ACS_RR);
	assert_false(cfg.acs.ctrl & SRIOV_ACS_TB);
	assert_true(cfg.has_aer);
	assert_false(cfg.has_ari);
	assert_false(cfg.sriov.present);
	assert_false(cfg.truncated);
	assert_false(cfg.looped);
}

/* What an unprivileged reader gets: the header, no capability bodies. */
static void test_64_bytes(void **state)
{
	uint8_t c[PCI_CFG_EXT_LEN];
	struct pci_cap_walk w;
	struct sriov_config cfg;
	uint8_t *p;

	(void)state;
	build_pf(c);
	p = dup_len(c, 64);
	pci_cap_walk(p, 64, &w);
	assert_int_equal(w.n, 0);
	assert_int_equal(w.flags, PCI_WALK_TRUNCATED);

	pci_config_decode(p, 64, &cfg);
	assert_int_equal(cfg.len, 64);
	assert_int_equal(cfg.pcie_type, SRIOV_PCIE_NONE);
	assert_true(cfg.truncated);
	assert_false(cfg.looped);
	assert_false(cfg.sriov.present);
	assert_false(cfg.acs.present);
	assert_false(cfg.has_aer);
	assert_false(cfg.has_ari);
	free(p);
}

/* Conventional 256 bytes: standard caps only, and that is not truncation. */
static void test_256_bytes(void **state)
{
	static const struct want want[] = {
		{ 0x40, 0x01, 0, 0 },
		{ 0x50, 0x11, 0, 0 },
		{ 0x70, PCI_CAP_EXP, 0, 0 },
	};
	uint8_t c[PCI_CFG_EXT_LEN];
	struct pci_cap_walk w;
	struct sriov_config cfg;
	uint8_t *p;

	(void)state;
	build_pf(c);
	p = dup_len(c, PCI_CFG_STD_LEN);
	pci_cap_walk(p, PCI_CFG_STD_LEN, &w);
	assert_walk(&w, want, 3);
	assert_int_equal(w.flags, 0);

	pci_config_decode(p, PCI_CFG_STD_LEN, &cfg);
	assert_int_equal(cfg.pcie_type, SRIOV_PCIE_ENDPOINT);
	assert_false(cfg.truncated);
	assert_false(cfg.sriov.present);
	assert_false(cfg.has_aer);
	assert_false(cfg.has_ari);
	free(p);
}

/* Any prefix of a real config space: no overread, only plausible output. */
static void test_every_length(void **state)
{
	uint8_t c[PCI_CFG_EXT_LEN];
	struct pci_cap_walk w;
	struct sriov_config cfg;
	size_t len, i;

	(void)state;
	build_pf(c);
	for (len = 0; len <= sizeof(c); len++) {
		uint8_t *p = dup_len(c, len);

		pci_cap_walk(p, len, &w);
		for (i = 0; i < w.n; i++)
			assert_true(w.caps[i].pos < len);
		pci_config_decode(p, len, &cfg);
		assert_int_equal(cfg.len, len);
		assert_false(cfg.looped);
		assert_int_equal(cfg.sriov.present,
				 len >= PF_SRIOV_POS + PCI_ECAP_SRIOV_SIZEOF);
		/*
		 * Truncated from the Status register (0x06, saying there is
		 * a list) up to the end of the PCIe flags (0x74), and from
		 * the first extended header to the end of SR-IOV; 0x74 up
		 * to 256 is a complete conventional space.
		 */
		assert_int_equal(cfg.truncated,
				 (len >= 0x08 && len < 0x74) ||
				 (len > PCI_CFG_STD_LEN &&
				  len < PF_SRIOV_POS + PCI_ECAP_SRIOV_SIZEOF));
		assert_int_equal(cfg.pcie_type,
				 len >= 0x74 ? SRIOV_PCIE_ENDPOINT :
				 SRIOV_PCIE_NONE);
		free(p);
	}
}

static void test_empty(void **state)
{
	uint8_t c[1] = { 0 };
	struct pci_cap_walk w;
	struct sriov_config cfg;

	(void)state;
	pci_cap_walk(NULL, 0, &w);
	assert_int_equal(w.n, 0);
	assert_int_equal(w.flags, 0);
	pci_config_decode(NULL, 0, &cfg);
	assert_int_equal(cfg.len, 0);
	assert_int_equal(cfg.pcie_type, SRIOV_PCIE_NONE);
	assert_false(cfg.truncated);
	assert_false(cfg.sriov.present);

	pci_cap_walk(c, 0, &w);
	assert_int_equal(w.n, 0);
	pci_config_decode(c, 1, &cfg);
	assert_int_equal(cfg.len, 1);
	assert_int_equal(cfg.pcie_type, SRIOV_PCIE_NONE);
}

static void test_loop_std(void **state)
{
	uint8_t c[PCI_CFG_STD_LEN] = { 0 };
	struct pci_cap_walk w;
	struct sriov_config cfg;

	(void)state;
	hdr(c, 0, 0x40);
	std_cap(c, 0x40, 0x01, 0x50);
	exp_cap(c, 0x50, 0x40, SRIOV_PCIE_ENDPOINT);
	pci_cap_walk(c, sizeof(c), &w);
	assert_int_equal(w.n, 2);
	assert_int_equal(w.flags, PCI_WALK_LOOPED);
	pci_config_decode(c, sizeof(c), &cfg);
	assert_true(cfg.looped);
	assert_false(cfg.truncated);
	/* What was found before the loop still counts. */
	assert_int_equal(cfg.pcie_type, SRIOV_PCIE_ENDPOINT);

	/* The reserved low two bits of every pointer are not part of it. */
	put8(c, 0x34, 0x43);
	std_cap(c, 0x40, 0x01, 0x52);
	std_cap(c, 0x50, 0x05, 0x01);
	pci_cap_walk(c, sizeof(c), &w);
	assert_int_equal(w.n, 2);
	assert_int_equal(w.caps[0].pos, 0x40);
	assert_int_equal(w.caps[1].pos, 0x50);
	assert_int_equal(w.flags, 0);

	/* A capability pointing at itself. */
	std_cap(c, 0x40, 0x01, 0x43);
	pci_cap_walk(c, sizeof(c), &w);
	assert_int_equal(w.n, 1);
	assert_int_equal(w.flags, PCI_WALK_LOOPED);
}

static void test_loop_ext(void **state)
{
	uint8_t c[PCI_CFG_EXT_LEN] = { 0 };
	struct pci_cap_walk w;
	struct sriov_config cfg;

	(void)state;
	hdr(c, 0, 0x00);
	ext_cap(c, 0x100, PCI_ECAP_AER, 1, 0x200);
	sriov_cap(c, 0x200, 0x100);
	pci_cap_walk(c, sizeof(c), &w);
	assert_int_equal(w.n, 2);
	assert_int_equal(w.caps[1].pos, 0x200);
	assert_int_equal(w.flags, PCI_WALK_LOOPED);
	pci_config_decode(c, sizeof(c), &cfg);
	assert_true(cfg.looped);
	assert_true(cfg.sriov.present);

	ext_cap(c, 0x100, PCI_ECAP_AER, 1, 0x100);
	pci_cap_walk(c, sizeof(c), &w);
	assert_int_equal(w.n, 1);
	assert_int_equal(w.flags, PCI_WALK_LOOPED);
}

static void test_ptr_past_end(void **state)
{
	uint8_t c[PCI_CFG_EXT_LEN] = { 0 };
	struct pci_cap_walk w;
	struct sriov_config cfg;

	(void)state;
	/* Standard: a 0x80-byte read, the list starts at 0xc0. */
	hdr(c, 0, 0x40);
	std_cap(c, 0x40, 0x01, 0xc0);
	exp_cap(c, 0xc0, 0, SRIOV_PCIE_ENDPOINT);
	pci_cap_walk(c, 0x80, &w);
	assert_int_equal(w.n, 1);
	assert_int_equal(w.flags, PCI_WALK_TRUNCATED);
	pci_config_decode(c, 0x80, &cfg);
	assert_true(cfg.truncated);
	assert_int_equal(cfg.pcie_type, SRIOV_PCIE_NONE);

	/* Extended: 0x400 bytes, the next header at 0x400. */
	ext_cap(c, 0x100, PCI_ECAP_AER, 2, 0x400);
	sriov_cap(c, 0x400, 0);
	pci_cap_walk(c, 0x400, &w);
	assert_int_equal(w.n, 3);
	assert_int_equal(w.caps[2].pos, 0x100);
	assert_int_equal(w.flags, PCI_WALK_TRUNCATED);
	pci_config_decode(c, 0x400, &cfg);
	assert_true(cfg.truncated);
	assert_true(cfg.has_aer);
	assert_false(cfg.sriov.present);

	/* The last dword of the space is a legal header position. */
	ext_cap(c, 0x100, PCI_ECAP_AER, 2, 0xffc);
	ext_cap(c, 0xffc, 0x0b, 1, 0);
	pci_cap_walk(c, sizeof(c), &w);
	assert_int_equal(w.n, 4);
	assert_int_equal(w.caps[3].pos, 0xffc);
	assert_int_equal(w.flags, 0);

	/* Extended space cut inside its first header. */
	pci_cap_walk(c, 0x102, &w);
	assert_int_equal(w.n, 2);
	assert_int_equal(w.flags, PCI_WALK_TRUNCATED);
}

/* The header is readable but the body is not: absent, truncated. */
static void test_sriov_cut_short(void **state)
{
	uint8_t c[PCI_CFG_EXT_LEN];
	struct pci_cap_walk w;
	struct sriov_config cfg;
	size_t len = PF_SRIOV_POS + PCI_ECAP_SRIOV_SIZEOF - 4;
	uint8_t *p;

	(void)state;
	build_pf(c);
	p = dup_len(c, len);
	pci_cap_walk(p, len, &w);
	assert_int_equal(pci_cap_find(&w, PCI_ECAP_SRIOV, 1), PF_SRIOV_POS);
	assert_int_equal(w.flags, 0);
	pci_config_decode(p, len, &cfg);
	assert_false(cfg.sriov.present);
	assert_int_equal(cfg.sriov.pos, 0);
	assert_int_equal(cfg.sriov.total_vfs, 0);
	assert_true(cfg.truncated);
	assert_true(cfg.has_aer);
	assert_true(cfg.has_ari);
	free(p);

	build_root_port(c);
	len = RP_ACS_POS + 6;
	p = dup_len(c, len);
	pci_config_decode(p, len, &cfg);
	assert_false(cfg.acs.present);
	assert_true(cfg.truncated);
	free(p);
}

/* Hypervisors blank out capabilities by zeroing the id; follow them. */
static void test_masked_id0(void **state)
{
	static const struct want want[] = {
		{ 0x40, 0x00, 0, 0 },
		{ 0x50, PCI_CAP_EXP, 0, 0 },
		{ 0x100, 0x0000, 0, 1 },
		{ 0x140, 0x0000, 1, 1 },
		{ 0x180, PCI_ECAP_SRIOV, 1, 1 },
	};
	uint8_t c[PCI_CFG_EXT_LEN] = { 0 };
	struct pci_cap_walk w;
	struct sriov_config cfg;

	(void)state;
	hdr(c, 0, 0x40);
	std_cap(c, 0x40, 0x00, 0x50);
	exp_cap(c, 0x50, 0, SRIOV_PCIE_ENDPOINT);
	ext_cap(c, 0x100, 0x0000, 0, 0x140);
	ext_cap(c, 0x140, 0x0000, 1, 0x180);
	sriov_cap(c, 0x180, 0);
	pci_cap_walk(c, sizeof(c), &w);
	assert_walk(&w, want, 5);
	assert_int_equal(w.flags, 0);
	pci_config_decode(c, sizeof(c), &cfg);
	assert_true(cfg.sriov.present);
	assert_int_equal(cfg.sriov.pos, 0x180);
	assert_int_equal(cfg.pcie_type, SRIOV_PCIE_ENDPOINT);
}

static void test_no_cap_list(void **state)
{
	uint8_t c[PCI_CFG_EXT_LEN];
	struct pci_cap_walk w;
	struct sriov_config cfg;

	(void)state;
	build_pf(c);
	put16(c, 0x06, 0x0000);
	pci_cap_walk(c, sizeof(c), &w);
	/* No standard walk; the extended chain does not depend on the bit. */
	assert_int_equal(pci_cap_find(&w, 0x01, 0), 0);
	assert_int_equal(pci_cap_find(&w, PCI_CAP_EXP, 0), 0);
	assert_int_equal(w.n, 3);
	assert_true(w.caps[0].extended);
	pci_config_decode(c, sizeof(c), &cfg);
	assert_int_equal(cfg.pcie_type, SRIOV_PCIE_NONE);
	assert_true(cfg.sriov.present);

	pci_cap_walk(c, PCI_CFG_STD_LEN, &w);
	assert_int_equal(w.n, 0);
	assert_int_equal(w.flags, 0);
}

/* A removed device reads as all ones. */
static void test_device_gone(void **state)
{
	uint8_t c[PCI_CFG_EXT_LEN];
	struct pci_cap_walk w;
	struct sriov_config cfg;
	size_t lens[] = { 64, 256, 4096 };
	size_t i;

	(void)state;
	memset(c, 0xff, sizeof(c));
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		pci_cap_walk(c, lens[i], &w);
		assert_int_equal(w.n, 0);
		assert_int_equal(w.flags, 0);
		pci_config_decode(c, lens[i], &cfg);
		assert_int_equal(cfg.pcie_type, SRIOV_PCIE_NONE);
		assert_false(cfg.sriov.present);
		assert_false(cfg.acs.present);
		assert_false(cfg.has_aer);
		assert_false(cfg.has_ari);
		assert_false(cfg.truncated);
		assert_false(cfg.looped);
	}

	/* Vendor id all ones but the rest plausible: still gone. */
	build_pf(c);
	put16(c, 0x00, 0xffff);
	pci_cap_walk(c, sizeof(c), &w);
	assert_int_equal(w.n, 0);
	assert_int_equal(w.flags, 0);
	pci_config_decode(c, sizeof(c), &cfg);
	assert_false(cfg.sriov.present);

	/* A live header but an all-ones extended space. */
	build_pf(c);
	memset(c + 0x100, 0xff, sizeof(c) - 0x100);
	pci_cap_walk(c, sizeof(c), &w);
	assert_int_equal(w.n, 3);
	assert_int_equal(w.flags, 0);
}

static void test_no_ext_caps(void **state)
{
	uint8_t c[PCI_CFG_EXT_LEN];
	struct pci_cap_walk w;

	(void)state;
	build_pf(c);
	put32(c, 0x100, 0);
	pci_cap_walk(c, sizeof(c), &w);
	assert_int_equal(w.n, 3);
	assert_int_equal(w.flags, 0);
}

static void test_bad_pointers(void **state)
{
	uint8_t c[PCI_CFG_EXT_LEN] = { 0 };
	struct pci_cap_walk w;

	(void)state;
	/* Into the header. */
	hdr(c, 0, 0x20);
	pci_cap_walk(c, sizeof(c), &w);
	assert_int_equal(w.n, 0);
	assert_int_equal(w.flags, PCI_WALK_BADPTR);

	/* An id of 0xff is an absent register: the chain is broken. */
	hdr(c, 0, 0x40);
	std_cap(c, 0x40, 0x01, 0x50);
	std_cap(c, 0x50, 0xff, 0x60);
	std_cap(c, 0x60, 0x05, 0x00);
	pci_cap_walk(c, PCI_CFG_STD_LEN, &w);
	assert_int_equal(w.n, 1);
	assert_int_equal(w.flags, PCI_WALK_BADPTR);

	/* An extended pointer back into the standard space. */
	std_cap(c, 0x50, 0x05, 0x00);
	ext_cap(c, 0x100, PCI_ECAP_AER, 1, 0x0f0);
	pci_cap_walk(c, sizeof(c), &w);
	assert_int_equal(w.n, 3);
	assert_int_equal(w.flags, PCI_WALK_BADPTR);
}

static void test_header_types(void **state)
{
	uint8_t c[PCI_CFG_STD_LEN] = { 0 };
	struct pci_cap_walk w;

	(void)state;
	/* CardBus: the pointer is at 0x14, 0x34 is something else. */
	hdr(c, 0x02, 0x80);
	put8(c, 0x34, 0x40);
	std_cap(c, 0x40, 0x05, 0x00);
	std_cap(c, 0x80, 0x01, 0x00);
	pci_cap_walk(c, sizeof(c), &w);
	assert_int_equal(w.n, 1);
	assert_int_equal(w.caps[0].pos, 0x80);

	/* Type 1 (bridge) uses 0x34. */
	put8(c, 0x0e, 0x01);
	pci_cap_walk(c, sizeof(c), &w);
	assert_int_equal(w.n, 1);
	assert_int_equal(w.caps[0].pos, 0x40);

	/* An undefined header type: no guessing. */
	put8(c, 0x0e, 0x03);
	pci_cap_walk(c, sizeof(c), &w);
	assert_int_equal(w.n, 0);
	assert_int_equal(w.flags, 0);

	/* The pointer itself is past the end. */
	put8(c, 0x0e, 0x00);
	pci_cap_walk(c, 0x34, &w);
	assert_int_equal(w.n, 0);
	assert_int_equal(w.flags, PCI_WALK_TRUNCATED);
}

/*
 * A chain through every dword of the extended space: the walk stops
 * recording when caps[] is full, the decoder still finds what is last.
 */
static void test_long_chain(void **state)
{
	uint8_t c[PCI_CFG_EXT_LEN] = { 0 };
	size_t last = PCI_CFG_EXT_LEN - PCI_ECAP_SRIOV_SIZEOF;
	size_t max = sizeof(((struct pci_cap_walk *)0)->caps) /
		     sizeof(struct pcicfg_cap);
	struct pci_cap_walk w;
	struct sriov_config cfg;
	size_t pos;

	(void)state;
	hdr(c, 0, 0x40);
	exp_cap(c, 0x40, 0, SRIOV_PCIE_ENDPOINT);
	for (pos = 0x100; pos < last; pos += 4)
		ext_cap(c, pos, 0x0b, 1, (uint16_t)(pos + 4));
	sriov_cap(c, last, 0);
	pci_cap_walk(c, sizeof(c), &w);
	assert_int_equal(w.n, max);
	assert_int_equal(w.flags, PCI_WALK_FULL);
	assert_int_equal(w.caps[max - 1].pos, 0x100 + 4 * (max - 2));
	pci_config_decode(c, sizeof(c), &cfg);
	assert_true(cfg.sriov.present);
	assert_int_equal(cfg.sriov.pos, last);
	assert_false(cfg.looped);
	assert_false(cfg.truncated);
}

/* Two SR-IOV capabilities: the first one is the one. */
static void test_first_wins(void **state)
{
	uint8_t c[PCI_CFG_EXT_LEN];
	struct sriov_config cfg;

	(void)state;
	build_pf(c);
	sriov_cap(c, PF_SRIOV_POS, 0x200);
	sriov_cap(c, 0x200, 0);
	put16(c, 0x200 + 0x0e, 1);
	pci_config_decode(c, sizeof(c), &cfg);
	assert_int_equal(cfg.sriov.pos, PF_SRIOV_POS);
	assert_int_equal(cfg.sriov.total_vfs, PF_TOTAL);
}

static void test_type_names(void **state)
{
	static const struct {
		int type;
		const char *name;
	} names[] = {
		{ SRIOV_PCIE_NONE, "none" },
		{ SRIOV_PCIE_ENDPOINT, "endpoint" },
		{ SRIOV_PCIE_LEGACY_ENDPOINT, "legacy-endpoint" },
		{ SRIOV_PCIE_ROOT_PORT, "root-port" },
		{ SRIOV_PCIE_UPSTREAM_PORT, "upstream-port" },
		{ SRIOV_PCIE_DOWNSTREAM_PORT, "downstream-port" },
		{ SRIOV_PCIE_PCIE_TO_PCI, "pcie-to-pci-bridge" },
		{ SRIOV_PCIE_PCI_TO_PCIE, "pci-to-pcie-bridge" },
		{ SRIOV_PCIE_RC_INTEGRATED, "rc-integrated-endpoint" },
		{ SRIOV_PCIE_RC_EVENT_COLLECTOR, "rc-event-collector" },
		{ 0x2, "unknown" },
		{ 0x3, "unknown" },
		{ 0xb, "unknown" },
		{ 0xf, "unknown" },
		{ -2, "unknown" },
		{ 1000, "unknown" },
	};
	uint8_t c[PCI_CFG_STD_LEN] = { 0 };
	struct sriov_config cfg;
	size_t i;
	unsigned t;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_string_equal(pci_pcie_type_name(names[i].type),
				    names[i].name);

	/* Every 4-bit value comes through as is, the other bits ignored. */
	hdr(c, 0, 0x40);
	for (t = 0; t < 16; t++) {
		exp_cap(c, 0x40, 0, t);
		put8(c, 0x43, 0xff);
		pci_config_decode(c, sizeof(c), &cfg);
		assert_int_equal(cfg.pcie_type, t);
	}
}

/* ------------------------------------------------------------ real bytes */

static char *h100_path(const char *arg)
{
	const char *dir = NULL;
	struct stat st;
	char *path;

	if (arg && stat(arg, &st) == 0 && S_ISREG(st.st_mode))
		return strdup(arg);
	if (arg)
		dir = arg;
	else if (getenv("SRIOV_TEST_DATA") && *getenv("SRIOV_TEST_DATA"))
		dir = getenv("SRIOV_TEST_DATA");
	else
		dir = "tests/data";
	if (asprintf(&path, "%s/%s", dir, H100_FILE) < 0)
		return NULL;
	return path;
}

static void test_h100(void **state)
{
	/* As lspci 3.9 walks it. */
	static const struct want want[] = {
		{ 0x40, 0x01, 0, 0 },
		{ 0x48, 0x05, 0, 0 },
		{ 0x60, 0x10, 0, 0 },
		{ 0xb0, 0x11, 0, 0 },
		{ 0x100, 0x00, 0, 1 },
		{ 0x12c, 0x18, 1, 1 },
		{ 0x134, 0x00, 1, 1 },
		{ 0x1b8, 0x01, 2, 1 },
		{ 0x248, 0x00, 1, 1 },
		{ 0x250, 0x00, 1, 1 },
		{ 0x2a4, 0x0b, 1, 1 },
		{ 0x2b8, 0x04, 1, 1 },
		{ 0x2f0, 0x03, 1, 1 },
	};
	const char *path = *state;
	uint8_t buf[2 * PCI_CFG_EXT_LEN];
	struct pci_cap_walk w;
	struct sriov_config cfg;
	size_t len;
	FILE *f;

	assert_non_null(path);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s: %s (set SRIOV_TEST_DATA)", path,
			 strerror(errno));
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(len, PCI_CFG_EXT_LEN);
	/* NVIDIA GH100 */
	assert_int_equal(buf[0] | buf[1] << 8, 0x10de);
	assert_int_equal(buf[2] | buf[3] << 8, 0x2330);

	pci_cap_walk(buf, len, &w);
	assert_walk(&w, want, sizeof(want) / sizeof(want[0]));
	assert_int_equal(w.flags, 0);

	pci_config_decode(buf, len, &cfg);
	assert_int_equal(cfg.pcie_type, SRIOV_PCIE_ENDPOINT);
	assert_false(cfg.sriov.present);
	assert_false(cfg.acs.present);
	assert_true(cfg.has_aer);
	assert_false(cfg.has_ari);
	assert_false(cfg.truncated);
	assert_false(cfg.looped);

	/* The same device as an unprivileged reader sees it. */
	pci_config_decode(buf, 64, &cfg);
	assert_int_equal(cfg.pcie_type, SRIOV_PCIE_NONE);
	assert_true(cfg.truncated);
}

int main(int argc, char **argv)
{
	char *path = h100_path(argc > 1 ? argv[1] : NULL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pf_sriov),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_root_port_acs),
		cmocka_unit_test(test_64_bytes),
		cmocka_unit_test(test_256_bytes),
		cmocka_unit_test(test_every_length),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_loop_std),
		cmocka_unit_test(test_loop_ext),
		cmocka_unit_test(test_ptr_past_end),
		cmocka_unit_test(test_sriov_cut_short),
		cmocka_unit_test(test_masked_id0),
		cmocka_unit_test(test_no_cap_list),
		cmocka_unit_test(test_device_gone),
		cmocka_unit_test(test_no_ext_caps),
		cmocka_unit_test(test_bad_pointers),
		cmocka_unit_test(test_header_types),
		cmocka_unit_test(test_long_chain),
		cmocka_unit_test(test_first_wins),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test_prestate(test_h100, path),
	};
	int rc;

	rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(path);
	return rc;
}
