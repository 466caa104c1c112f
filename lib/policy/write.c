/* SPDX-License-Identifier: MIT */
/*
 * A policy as the YAML the parser reads back (docs/policy.md), through
 * libyaml's emitter: it quotes what needs quoting. One block mapping per
 * PF entry, one `vfs:` selector entry per entry made by one; the match and
 * each range's settings in flow style, as the documentation writes them.
 * Entries come out in the order of the policy's, `pfs:` before `vfs:`.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "policy/policy.h"

struct em {
	yaml_emitter_t e;
	bool ok;
};

static void ev(struct em *m, yaml_event_t *e, int made)
{
	if (!m->ok)
		return;
	if (!made || !yaml_emitter_emit(&m->e, e))
		m->ok = false;
}

/* Quoted: VF ranges ("5" is a string, not a number) and addresses. */
static void str(struct em *m, const char *s, bool quoted)
{
	yaml_event_t e;

	ev(m, &e, yaml_scalar_event_initialize(&e, NULL, NULL, (yaml_char_t *)s,
					       (int)strlen(s), 1, 1,
					       quoted ? YAML_DOUBLE_QUOTED_SCALAR_STYLE
						      : YAML_ANY_SCALAR_STYLE));
}

static void uint_(struct em *m, unsigned u)
{
	char b[16];

	snprintf(b, sizeof(b), "%u", u);
	str(m, b, false);
}

static void map_start(struct em *m, bool flow)
{
	yaml_event_t e;

	ev(m, &e, yaml_mapping_start_event_initialize(&e, NULL, NULL, 1,
			flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE));
}

static void map_end(struct em *m)
{
	yaml_event_t e;

	ev(m, &e, yaml_mapping_end_event_initialize(&e));
}

static void match(struct em *m, const struct sriov_policy_pf *pf)
{
	char id[8];

	str(m, "match", false);
	map_start(m, true);
	switch (pf->match) {
	case SRIOV_POLICY_MATCH_NETDEV:
		str(m, "netdev", false);
		str(m, pf->value, false);
		break;
	case SRIOV_POLICY_MATCH_PCI:
		str(m, "pci", false);
		str(m, pf->value, true);
		break;
	case SRIOV_POLICY_MATCH_ROOT_DEVICE:
		str(m, "root_device", false);
		str(m, pf->value, true);
		break;
	case SRIOV_POLICY_MATCH_ID:
		str(m, "vendor", false);
		snprintf(id, sizeof(id), "%04x", pf->vendor_id);
		str(m, id, true);
		str(m, "device", false);
		snprintf(id, sizeof(id), "%04x", pf->device_id);
		str(m, id, true);
		break;
	case SRIOV_POLICY_MATCH_NONE:
		break;
	}
	map_end(m);
}

/* VF setting @f of range @r in the policy's spelling. */
static void vf_value(struct em *m, const struct sriov_policy_vfs *r, int f)
{
	struct sriov_vf_attr_value v;
	char b[32];

	if (sriov_policy_vfs_value(r, (enum sriov_vf_attr)f, &v) == -ENODATA) {
		str(m, "auto", false); /* mac: auto */
		return;
	}
	switch (sriov_vf_attr_info((enum sriov_vf_attr)f)->type) {
	case SRIOV_VF_ATTR_T_UINT:
		uint_(m, v.u);
		return;
	case SRIOV_VF_ATTR_T_BOOL: /* YAML's booleans */
		str(m, v.u ? "true" : "false", false);
		return;
	case SRIOV_VF_ATTR_T_DRIVER:
		str(m, v.str, false);
		return;
	default: /* a MAC quoted: YAML 1.1 reads 12:34:56 as a number */
		sriov_vf_attr_format((enum sriov_vf_attr)f, &v, b, sizeof(b));
		str(m, b, sriov_vf_attr_info((enum sriov_vf_attr)f)->type ==
			  SRIOV_VF_ATTR_T_MAC);
		return;
	}
}

/* A range's settings, as pairs of the mapping being written. */
static void settings(struct em *m, const struct sriov_policy_vfs *r)
{
	yaml_event_t e;

	for (int f = 0; f < SRIOV_VF_ATTR__COUNT; f++)
		if (r->set & 1u << f) {
			str(m, sriov_vf_attr_key((enum sriov_vf_attr)f), false);
			vf_value(m, r, f);
		}
	if (r->pool) {
		str(m, "pool", false);
		str(m, r->pool, false);
	}
	if (r->optional) {
		str(m, "optional", false);
		ev(m, &e, yaml_sequence_start_event_initialize(&e, NULL, NULL, 1,
							       YAML_FLOW_SEQUENCE_STYLE));
		for (int f = 0; f < SRIOV_VF_ATTR__COUNT; f++)
			if (r->optional & 1u << f)
				str(m, sriov_vf_attr_key((enum sriov_vf_attr)f), false);
		ev(m, &e, yaml_sequence_end_event_initialize(&e));
	}
}

static void range_key(const struct sriov_policy_vfs *r, char *key, size_t len)
{
	if (r->first == r->last)
		snprintf(key, len, "%u", r->first);
	else
		snprintf(key, len, "%u-%u", r->first, r->last);
}

static void range(struct em *m, const struct sriov_policy_vfs *r)
{
	char key[32];

	range_key(r, key, sizeof(key));
	str(m, key, true);
	map_start(m, true);
	settings(m, r);
	map_end(m);
}

/* A `vfs: - select: "ens1f0#0-3"` entry: one range, its PF by netdev. */
static void selector(struct em *m, const struct sriov_policy_pf *pf)
{
	char key[32], sel[64];

	range_key(&pf->vfs[0], key, sizeof(key));
	snprintf(sel, sizeof(sel), "%s#%s", pf->value, key);
	map_start(m, false);
	str(m, "select", false);
	str(m, sel, true);
	settings(m, &pf->vfs[0]);
	map_end(m);
}

static void entry(struct em *m, const struct sriov_policy_pf *pf)
{
	map_start(m, false);
	match(m, pf);
	if (pf->set & 1u << SRIOV_PPF_NUM_VFS) {
		str(m, "num_vfs", false);
		uint_(m, pf->num_vfs);
	}
	if (pf->set & 1u << SRIOV_PPF_MTU) {
		str(m, "mtu", false);
		uint_(m, pf->mtu);
	}
	if (pf->set & 1u << SRIOV_PPF_AUTOPROBE) {
		str(m, "drivers_autoprobe", false);
		str(m, pf->drivers_autoprobe ? "true" : "false", false);
	}
	if (pf->set & 1u << SRIOV_PPF_LINK_STATE) {
		str(m, "link_state", false);
		str(m, pf->link_up ? "up" : "down", false);
	}
	if (pf->n_vfs) {
		str(m, "vfs", false);
		map_start(m, false);
		for (size_t i = 0; i < pf->n_vfs; i++)
			range(m, &pf->vfs[i]);
		map_end(m);
	}
	map_end(m);
}

int sriov_policy_write(const struct sriov_policy *p, const char *header,
		       char **text, size_t *len)
{
	struct em m = { .ok = true };
	size_t n_sel = 0;
	yaml_event_t e;
	char *buf = NULL;
	size_t size = 0;
	FILE *f;
	int bad;

	*text = NULL;
	*len = 0;
	f = open_memstream(&buf, &size);
	if (!f)
		return -ENOMEM;
	if (!yaml_emitter_initialize(&m.e)) {
		fclose(f);
		free(buf);
		return -ENOMEM;
	}
	for (const char *s = header; s && *s;) {
		size_t n = strcspn(s, "\n");

		fprintf(f, "# %.*s\n", (int)n, s);
		s += n + (s[n] == '\n');
	}
	yaml_emitter_set_output_file(&m.e, f);
	yaml_emitter_set_unicode(&m.e, 1);
	yaml_emitter_set_width(&m.e, 120);
	ev(&m, &e, yaml_stream_start_event_initialize(&e, YAML_UTF8_ENCODING));
	ev(&m, &e, yaml_document_start_event_initialize(&e, NULL, NULL, NULL, 1));
	for (size_t i = 0; i < p->n_pfs; i++)
		n_sel += p->pfs[i].from_selector;
	map_start(&m, false);
	str(&m, "pfs", false);
	ev(&m, &e, yaml_sequence_start_event_initialize(&e, NULL, NULL, 1,
		p->n_pfs > n_sel ? YAML_BLOCK_SEQUENCE_STYLE : YAML_FLOW_SEQUENCE_STYLE));
	for (size_t i = 0; i < p->n_pfs; i++)
		if (!p->pfs[i].from_selector)
			entry(&m, &p->pfs[i]);
	ev(&m, &e, yaml_sequence_end_event_initialize(&e));
	if (n_sel) {
		str(&m, "vfs", false);
		ev(&m, &e, yaml_sequence_start_event_initialize(&e, NULL, NULL, 1,
							       YAML_BLOCK_SEQUENCE_STYLE));
		for (size_t i = 0; i < p->n_pfs; i++)
			if (p->pfs[i].from_selector && p->pfs[i].n_vfs == 1)
				selector(&m, &p->pfs[i]);
		ev(&m, &e, yaml_sequence_end_event_initialize(&e));
	}
	map_end(&m);
	ev(&m, &e, yaml_document_end_event_initialize(&e, 1));
	ev(&m, &e, yaml_stream_end_event_initialize(&e));
	yaml_emitter_delete(&m.e);
	bad = ferror(f);
	if (fclose(f) != 0 || bad || !m.ok) {
		free(buf);
		return bad || m.ok ? -ENOMEM : -EIO;
	}
	*text = buf;
	*len = size;
	return 0;
}
