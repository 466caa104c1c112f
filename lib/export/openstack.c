/* SPDX-License-Identifier: MIT */
/*
 * OpenStack's configuration for VFs, as INI text in the syntax of the
 * consumers' own parsers (oslo.config; neutron's mapping parsers):
 * nova.conf [pci] device_spec (passthrough_whitelist before Zed) and
 * alias; the SR-IOV NIC agent's sriov_agent.ini [sriov_nic]; the neutron
 * server's ml2_conf.ini [ml2] and [ml2_type_vlan].
 *
 * Every VF needs a physnet: --physnet, else its pool in the policy. The
 * names written are tokens checked here (A-Z a-z 0-9 _ . -), so no value
 * can carry a separator of the formats (',', ':', ';', '=', a newline).
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <linux/if_ether.h>

#include <json-c/json.h>

#include "export/export.h"
#include "io/parse.h"
#include "util/errbuf.h"

/* The longest netdev name the kernel gives (IFNAMSIZ - 1). */
#define NETDEV_MAX 15

static int check_physnet_option(const struct export_job *job, char *err,
				size_t errlen)
{
	const char *p = job->opts->physnet;

	if (p && !parse_token_ok(p, SRIOV_POLICY_POOL_MAX))
		return errset(err, errlen, -EINVAL, "--physnet '%s': a physical network name is 1..%d of A-Z a-z 0-9 _ . -, starting with a letter or digit",
			      p, SRIOV_POLICY_POOL_MAX);
	return 0;
}

/* The VF's physnet: --physnet for all, else the pool of its policy range. */
static int physnet_of(const struct export_job *job, const struct export_vf *v,
		      const char **out, char *err, size_t errlen)
{
	const char *p = job->opts->physnet ? job->opts->physnet : v->pool;

	if (!p)
		return errset(err, errlen, -EINVAL, "VF %s (%s) has no physical network: give --physnet NAME, or 'pool: NAME' to its VF range in the policy (-f FILE)",
			      v->label, v->vf->address);
	/* the policy's parser checked its pools: this is a second guard */
	if (!parse_token_ok(p, SRIOV_POLICY_POOL_MAX))
		return errset(err, errlen, -EDOM, "VF %s (%s): pool '%s' is not a physical network name OpenStack's lists can carry",
			      v->label, v->vf->address, p);
	*out = p;
	return 0;
}

/* The PF's netdev, as the SR-IOV agent names the PF. */
static int pf_netdev(const struct export_vf *v, const char **out, char *err,
		     size_t errlen)
{
	const struct sriov_pf *pf = v->pf;

	if (!pf->n_netdevs)
		return errset(err, errlen, -ENODEV, "VF %s: its PF %s has no netdev (driver %s): neutron's SR-IOV agent names PFs by netdev; bind the PF to its network driver",
			      v->label, pf->address, pf->driver ? pf->driver : "none");
	if (!parse_token_ok(pf->netdevs[0].name, NETDEV_MAX))
		return errset(err, errlen, -EDOM, "PF %s: its netdev name is not one sriov_agent.ini can carry (A-Z a-z 0-9 _ . -): rename it (udev's NamePolicy or a .link file)",
			      pf->address);
	*out = pf->netdevs[0].name;
	return 0;
}

/* The text, through a memory stream. */
struct ini {
	FILE *f;
	char *buf;
	size_t len;
};

static int ini_open(struct ini *o)
{
	o->buf = NULL;
	o->len = 0;
	o->f = open_memstream(&o->buf, &o->len);
	return o->f ? 0 : -ENOMEM;
}

/* @r, the generator's result so far; the stream closed either way. */
static int ini_close(struct ini *o, int r, char **text, size_t *len)
{
	bool bad = ferror(o->f) != 0;

	if (fclose(o->f) != 0 || bad)
		r = r < 0 ? r : -ENOMEM;
	if (r < 0) {
		free(o->buf);
		return r;
	}
	*text = o->buf;
	*len = o->len;
	return 0;
}

/*
 * nova's releases by name, oldest first: [pci] passthrough_whitelist and
 * alias since Newton; Zed renamed the whitelist to device_spec (the old
 * name still read there, as a deprecated alias). From 2023.1 a release
 * also goes by its number, which is taken too.
 */
static const char *const releases[] = {
	"newton", "ocata", "pike", "queens", "rocky", "stein", "train",
	"ussuri", "victoria", "wallaby", "xena", "yoga", "zed", "antelope",
	"bobcat", "caracal", "dalmatian", "epoxy", "flamingo", "gazpacho",
};
#define RELEASE_ZED 12

/* "2023.1": a release's number, from the first that has one. */
static bool release_number(const char *s)
{
	if (strlen(s) != 6 || s[4] != '.' || (s[5] != '1' && s[5] != '2'))
		return false;
	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return strncmp(s, "2023", 4) >= 0;
}

static int whitelist_key(const struct sriov_export_opts *opts, const char **key,
			 char *err, size_t errlen)
{
	const char *rel = opts->release;
	char known[512];
	size_t w = 0;

	*key = "device_spec";
	if (!rel || release_number(rel))
		return 0;
	for (size_t i = 0; i < sizeof(releases) / sizeof(releases[0]); i++)
		if (strcasecmp(rel, releases[i]) == 0) {
			if (i < RELEASE_ZED)
				*key = "passthrough_whitelist";
			return 0;
		}
	known[0] = '\0';
	for (size_t i = 0; i < sizeof(releases) / sizeof(releases[0]); i++)
		w += (size_t)snprintf(known + w, sizeof(known) - w, "%s%s",
				      i ? ", " : "", releases[i]);
	return errset(err, errlen, -EINVAL, "--release '%s': not an OpenStack release with nova's [pci] section; known: %s, or a number from 2023.1 on",
		      rel, known);
}

static bool policy_trusted(const struct export_vf *v)
{
	return v->policy && (v->policy->set & (1u << SRIOV_VF_ATTR_TRUST)) &&
	       v->policy->trust;
}

/* One JSON object as a line's value: json-c escapes, the keys in order. */
static int json_line(struct ini *o, const char *key, json_object *j)
{
	const char *s;

	if (!j)
		return -ENOMEM;
	s = json_object_to_json_string_ext(j, JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s)
		fprintf(o->f, "%s = %s\n", key, s);
	json_object_put(j);
	return s ? 0 : -ENOMEM;
}

static int add_str(json_object *j, const char *key, const char *value)
{
	json_object *s = json_object_new_string(value);

	if (!s || json_object_object_add(j, key, s) < 0) {
		json_object_put(s);
		return -ENOMEM;
	}
	return 0;
}

/*
 * One device_spec per VF by its own address: nova matches an address
 * spec on the device's address alone, so exactly the VFs exported are
 * assignable. A PF's address would match every VF it has (nova decides
 * from sysfs that the address is a PF's), also those kept for the host or
 * DPDK, and those the PF gets later. vendor_id/product_id too: a
 * different device at that address after a re-plug is not taken.
 */
static int nova_spec(struct ini *o, const char *key, const struct export_vf *v,
		     const char *physnet)
{
	json_object *j = json_object_new_object();
	char vid[5], pid[5];
	int r;

	if (!j)
		return -ENOMEM;
	snprintf(vid, sizeof(vid), "%04x", v->pf->vendor_id);
	snprintf(pid, sizeof(pid), "%04x", v->pf->vf_device_id);
	r = add_str(j, "address", v->vf->address);
	if (r == 0)
		r = add_str(j, "vendor_id", vid);
	if (r == 0)
		r = add_str(j, "product_id", pid);
	if (r == 0)
		r = add_str(j, "physical_network", physnet);
	if (r == 0 && policy_trusted(v))
		r = add_str(j, "trusted", "true");
	if (r < 0) {
		json_object_put(j);
		return r;
	}
	/* the label may hold any netdev name: the comment names addresses only */
	fprintf(o->f, "# VF %u of %s\n", v->vf->index, v->pf->address);
	return json_line(o, key, j);
}

static int nova_alias(struct ini *o, const char *name, uint16_t vendor,
		      uint16_t product)
{
	json_object *j = json_object_new_object();
	char vid[5], pid[5];
	int r;

	if (!j)
		return -ENOMEM;
	snprintf(vid, sizeof(vid), "%04x", vendor);
	snprintf(pid, sizeof(pid), "%04x", product);
	r = add_str(j, "name", name);
	if (r == 0)
		r = add_str(j, "vendor_id", vid);
	if (r == 0)
		r = add_str(j, "product_id", pid);
	if (r == 0)
		r = add_str(j, "device_type", "type-VF");
	if (r < 0) {
		json_object_put(j);
		return r;
	}
	return json_line(o, "alias", j);
}

static int nova(const struct export_job *job, struct ini *o, const char **physnets,
		const char *key)
{
	int r = 0;

	fprintf(o->f, "# sriovctl export nova: the [pci] section of /etc/nova/nova.conf\n"
		      "# on this compute node (nova-api reads the aliases too). Repeated\n"
		      "# keys are nova's lists (oslo.config MultiStrOpt): merge them with\n"
		      "# the section's own.\n[pci]\n");
	for (size_t i = 0; i < job->n_vfs && r == 0; i++)
		r = nova_spec(o, key, &job->vfs[i], physnets[i]);
	/* an alias per physnet and VF model, for flavors'
	 * pci_passthrough:alias; neutron's ports (vnic_type direct) use none */
	for (size_t i = 0; i < job->n_vfs && r == 0; i++) {
		const struct sriov_pf *pf = job->vfs[i].pf;
		bool seen = false;

		for (size_t k = 0; k < i && !seen; k++)
			seen = strcmp(physnets[k], physnets[i]) == 0 &&
			       job->vfs[k].pf->vendor_id == pf->vendor_id &&
			       job->vfs[k].pf->vf_device_id == pf->vf_device_id;
		if (!seen)
			r = nova_alias(o, physnets[i], pf->vendor_id, pf->vf_device_id);
	}
	return r;
}

/* Whether VF @vf of the job is exported. */
static bool exported(const struct export_job *job, const struct sriov_vf *vf)
{
	for (size_t i = 0; i < job->n_vfs; i++)
		if (job->vfs[i].vf == vf)
			return true;
	return false;
}

/*
 * physical_device_mappings = PHYSNET:PFNETDEV,... once per pair, and
 * exclude_devices = PFNETDEV:VFADDR;VFADDR,... for the VFs of those PFs
 * that are not exported: the agent takes every VF of a mapped PF unless
 * excluded. The agent maps a PF to one physnet (its VFs are one eswitch).
 */
static int neutron_agent(const struct export_job *job, struct ini *o,
			 const char **physnets, char *err, size_t errlen)
{
	const char **dev;
	size_t w;
	int r = 0;

	dev = calloc(job->n_vfs, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	for (size_t i = 0; i < job->n_vfs && r == 0; i++) {
		r = pf_netdev(&job->vfs[i], &dev[i], err, errlen);
		for (size_t k = 0; k < i && r == 0; k++)
			if (job->vfs[k].pf == job->vfs[i].pf &&
			    strcmp(physnets[k], physnets[i]) != 0)
				r = errset(err, errlen, -EDOM, "VF %s is on physnet %s and VF %s of the same PF on %s: neutron's SR-IOV agent maps a PF to one physical network; give the PF's VFs one pool (or --physnet)",
					   job->vfs[k].label, physnets[k], job->vfs[i].label,
					   physnets[i]);
	}
	if (r < 0)
		goto out;
	fprintf(o->f, "# sriovctl export neutron-agent: /etc/neutron/plugins/ml2/sriov_agent.ini\n"
		      "# on this compute node, for neutron-sriov-agent\n[sriov_nic]\n"
		      "physical_device_mappings = ");
	w = 0;
	for (size_t i = 0; i < job->n_vfs; i++) {
		bool seen = false;

		for (size_t k = 0; k < i; k++)
			seen |= job->vfs[k].pf == job->vfs[i].pf;
		if (!seen)
			fprintf(o->f, "%s%s:%s", w++ ? "," : "", physnets[i], dev[i]);
	}
	fprintf(o->f, "\nexclude_devices = ");
	w = 0;
	for (size_t i = 0; i < job->n_vfs && r == 0; i++) {
		const struct sriov_pf *pf = job->vfs[i].pf;
		bool seen = false;
		size_t n = 0;

		for (size_t k = 0; k < i; k++)
			seen |= job->vfs[k].pf == pf;
		for (size_t k = 0; !seen && k < pf->n_vfs && r == 0; k++) {
			const struct sriov_vf *vf = &pf->vfs[k];

			if (exported(job, vf))
				continue;
			if (!vf->address[0]) {
				r = errset(err, errlen, -ENODEV, "VF %u of %s: its PCI address is unreadable, so exclude_devices cannot name it",
					   vf->index, pf->address);
				break;
			}
			if (n++ == 0)
				fprintf(o->f, "%s%s:", w++ ? "," : "", dev[i]);
			else
				fputc(';', o->f);
			fputs(vf->address, o->f);
		}
	}
	fputc('\n', o->f);
out:
	free(dev);
	return r;
}

/* The VLAN the VF carries: the host's, else the one its policy range sets. */
static int vlan_of(const struct export_vf *v, unsigned *vlan, char *err,
		   size_t errlen)
{
	const struct sriov_policy_vfs *p = v->policy;

	*vlan = v->vlan;
	if (*vlan || !p || !(p->set & (1u << SRIOV_VF_ATTR_VLAN)) || !p->vlan)
		return 0;
	if (p->vlan_proto == ETH_P_8021AD || p->vlan > 4094)
		return errset(err, errlen, -EDOM, "VF %s: its policy VLAN (%u%s at %s:%u) is not an 802.1Q VLAN neutron's VLAN type driver can give",
			      v->label, p->vlan, p->vlan_proto == ETH_P_8021AD ? ", 802.1ad" : "",
			      p->loc.file, p->loc.line);
	*vlan = p->vlan;
	return 0;
}

/*
 * network_vlan_ranges: per physnet (in order of first VF), the runs of
 * the VLANs its VFs carry as PHYSNET:LO:HI; a physnet whose VFs carry
 * none is the bare PHYSNET (provider networks only, no tenant VLANs).
 */
static int neutron_ml2(const struct export_job *job, struct ini *o,
		       const char **physnets, char *err, size_t errlen)
{
	unsigned char *bits;
	unsigned *vlans;
	size_t w = 0;
	int r = 0;

	vlans = calloc(job->n_vfs, sizeof(*vlans));
	bits = calloc(4096, 1);
	if (!vlans || !bits) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < job->n_vfs && r == 0; i++)
		r = vlan_of(&job->vfs[i], &vlans[i], err, errlen);
	if (r < 0)
		goto out;
	fprintf(o->f, "# sriovctl export neutron-ml2: /etc/neutron/plugins/ml2/ml2_conf.ini\n"
		      "# on the neutron server. Merge: add sriovnicswitch to the\n"
		      "# mechanism_drivers you have (openvswitch is an example: keep yours),\n"
		      "# vlan to type_drivers, and these ranges to network_vlan_ranges.\n"
		      "[ml2]\nmechanism_drivers = openvswitch,sriovnicswitch\n"
		      "[ml2_type_vlan]\nnetwork_vlan_ranges = ");
	for (size_t i = 0; i < job->n_vfs; i++) {
		bool seen = false, any = false;

		for (size_t k = 0; k < i; k++)
			seen |= strcmp(physnets[k], physnets[i]) == 0;
		if (seen)
			continue;
		memset(bits, 0, 4096);
		for (size_t k = i; k < job->n_vfs; k++)
			if (vlans[k] && strcmp(physnets[k], physnets[i]) == 0)
				bits[vlans[k]] = any = true;
		if (!any)
			fprintf(o->f, "%s%s", w++ ? "," : "", physnets[i]);
		for (unsigned lo = 1; any && lo < 4095; lo++) {
			unsigned hi = lo;

			if (!bits[lo])
				continue;
			while (hi + 1 < 4095 && bits[hi + 1])
				hi++;
			fprintf(o->f, "%s%s:%u:%u", w++ ? "," : "", physnets[i], lo, hi);
			lo = hi;
		}
	}
	fputc('\n', o->f);
out:
	free(bits);
	free(vlans);
	return r;
}

int export_openstack(const struct export_job *job, char **text, size_t *len,
		     char *err, size_t errlen)
{
	const char **physnets;
	const char *key = NULL;
	struct ini o;
	int r = 0;

	*text = NULL;
	*len = 0;
	if (job->opts->format == SRIOV_EXPORT_NOVA)
		r = whitelist_key(job->opts, &key, err, errlen);
	if (r == 0)
		r = check_physnet_option(job, err, errlen);
	if (r < 0)
		return r;
	physnets = calloc(job->n_vfs ? job->n_vfs : 1, sizeof(*physnets));
	if (!physnets)
		return -ENOMEM;
	for (size_t i = 0; i < job->n_vfs && r == 0; i++)
		r = physnet_of(job, &job->vfs[i], &physnets[i], err, errlen);
	if (r == 0)
		r = ini_open(&o);
	if (r < 0) {
		free(physnets);
		return r;
	}
	switch (job->opts->format) {
	case SRIOV_EXPORT_NOVA:
		r = nova(job, &o, physnets, key);
		break;
	case SRIOV_EXPORT_NEUTRON_AGENT:
		r = neutron_agent(job, &o, physnets, err, errlen);
		break;
	case SRIOV_EXPORT_NEUTRON_ML2:
		r = neutron_ml2(job, &o, physnets, err, errlen);
		break;
	default:
		r = -EINVAL;
	}
	free(physnets);
	return ini_close(&o, r, text, len);
}
