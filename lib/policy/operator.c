/* SPDX-License-Identifier: MIT */
/*
 * The way in from the Kubernetes SR-IOV network operator: its
 * SriovNetworkNodePolicy objects (sriovnetwork.openshift.io/v1, the CRD in
 * docs/integrations.md) become PF entries of a sriovctl policy, with the
 * operator's own merge rules:
 * - the policies that select a PF are applied in the operator's order,
 *   lowest priority first (priority 99 before 0, then by name), so that a
 *   higher priority's numVfs wins; equal priorities keep the larger count;
 * - a pfName "ens1f0#2-5" is that VF range, without one all numVfs VFs;
 *   a higher priority's range takes its VFs from the lower's, and two
 *   policies of one priority giving the same VFs conflict (the operator's
 *   webhook refuses them too);
 * - resourceName becomes the range's pool, deviceType vfio-pci its
 *   driver, mtu the VFs' (netdevice) and the PF's MTU (the largest).
 * What has no host meaning in sriovctl (the device plugin's isRdma,
 * needVhostNet, excludeTopology) is noted; what sriovctl cannot do yet
 * (switchdev, InfiniBand, vDPA, OVS bridges) is an error, not dropped.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/parse.h"
#include "policy/policy.h"
#include "policy/yamlwalk.h"
#include "util/strv.h"

#define OP_OBJECTS_MAX 4096
#define OP_NAMES_MAX 1024       /* pfNames or rootDevices of one policy */

/* A PF selector of a policy: a pfName or rootDevice, or vendor+device. */
struct op_sel {
	enum sriov_policy_match_kind match;
	const char *value;             /* in the document */
	uint16_t vendor, device;
	bool ranged;
	unsigned first, last;
	struct sriov_policy_loc at;
};

struct op_policy {
	const char *name;
	struct sriov_policy_loc at;    /* of the object */
	unsigned priority, num_vfs, mtu;
	bool has_mtu, vfio, external;
	const char *resource;
	struct sriov_policy_loc resource_at, num_vfs_at, mtu_at, type_at;
	struct op_sel *sels;
	size_t n_sels;
	bool has_vendor, has_device;
	uint16_t vendor, device;
	yaml_node_t *node_sel;
	size_t doc;                    /* the document it is in (op.docs) */
	bool bad;                      /* an error was reported: not merged */
};

struct op {
	struct pw c;
	const char *node;              /* this host's name, NULL: unknown */
	struct sriov_strv *notes;
	struct op_policy *pol;
	size_t n_pol;
	/* every document is kept: the policies point into them until merged */
	yaml_document_t *docs;
	size_t n_docs;
};

__attribute__((format(printf, 2, 3)))
static void note(struct op *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (strv_vpushf(o->notes, fmt, ap) < 0)
		o->c.err = -ENOMEM;
	va_end(ap);
}

static bool hex_id(const char *s, uint16_t *out)
{
	unsigned long v;
	char *end;

	if (!s || strlen(s) != 4 || strspn(s, "0123456789abcdefABCDEF") != 4)
		return false;
	v = strtoul(s, &end, 16);
	*out = (uint16_t)v;
	return true;
}

/* ------------------------------------------------------------ nicSelector */

/* "ens1f0" or "ens1f0#2-5", the operator's only two forms. */
static void pf_name(struct op *o, struct op_policy *pol, yaml_node_t *n)
{
	const char *s = pw_string(&o->c, n, "pfNames");
	struct op_sel *sel;
	const char *hash;
	size_t len;

	if (!s)
		return;
	hash = strchr(s, '#');
	len = hash ? (size_t)(hash - s) : strlen(s);
	if (!parse_ifname_ok(s, len)) {
		pw_err(&o->c, n, "pfNames: \"%s\" is not an interface name (1-15 characters, no / : or white space)", s);
		return;
	}
	sel = &pol->sels[pol->n_sels];
	*sel = (struct op_sel){ .match = SRIOV_POLICY_MATCH_NETDEV, .value = s,
				.at = pw_loc(&o->c, n) };
	if (hash) {
		char *end;
		unsigned long a, b;

		a = strtoul(hash + 1, &end, 10);
		if (end == hash + 1 || *end != '-' || !end[1] ||
		    (b = strtoul(end + 1, &end, 10), *end) || a > b || b > 65535 ||
		    strspn(hash + 1, "0123456789-") != strlen(hash + 1)) {
			pw_err(&o->c, n, "pfNames: \"%s\": the operator takes NAME#FIRST-LAST (ens1f0#2-5)", s);
			return;
		}
		sel->ranged = true;
		sel->first = (unsigned)a;
		sel->last = (unsigned)b;
	}
	pol->n_sels++;
}

static void root_device(struct op *o, struct op_policy *pol, yaml_node_t *n)
{
	const char *s = pw_string(&o->c, n, "rootDevices");
	unsigned d, b, sl, f;
	char tail;

	if (!s)
		return;
	if (strlen(s) != 12 || sscanf(s, "%4x:%2x:%2x.%1x%c", &d, &b, &sl, &f, &tail) != 4 ||
	    sl > 31 || f > 7 || strspn(s, "0123456789abcdefABCDEF:.") != 12) {
		pw_err(&o->c, n, "rootDevices: \"%s\" is not a PCI address (DDDD:BB:DD.F)", s);
		return;
	}
	pol->sels[pol->n_sels++] = (struct op_sel){ .match = SRIOV_POLICY_MATCH_PCI,
						    .value = s, .at = pw_loc(&o->c, n) };
}

static void names(struct op *o, struct op_policy *pol, yaml_node_t *v, const char *key,
		  void (*one)(struct op *, struct op_policy *, yaml_node_t *))
{
	size_t n;

	if (v->type != YAML_SEQUENCE_NODE) {
		pw_err(&o->c, v, "%s: expected a list, got %s", key, pw_kind(v));
		return;
	}
	if (!pw_first_visit(&o->c, v, key))
		return;
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (n > OP_NAMES_MAX) {
		pw_err(&o->c, v, "%s: more than %d names", key, OP_NAMES_MAX);
		return;
	}
	for (size_t i = 0; i < n && !o->c.err; i++) {
		yaml_node_t *it = yaml_document_get_node(o->c.doc, v->data.sequence.items.start[i]);
		void *p = realloc(pol->sels, (pol->n_sels + 1) * sizeof(*pol->sels));

		if (!p) {
			o->c.err = -ENOMEM;
			return;
		}
		pol->sels = p;
		if (it)
			one(o, pol, it);
	}
}

struct pol_ctx {
	struct op *o;
	struct op_policy *pol;
};

static void nic_pair(struct pw *c, const char *key, yaml_node_t *k, yaml_node_t *v,
		     void *data)
{
	struct pol_ctx *pc = data;
	struct op_policy *pol = pc->pol;
	const char *s;

	if (strcmp(key, "pfNames") == 0) {
		names(pc->o, pol, v, key, pf_name);
	} else if (strcmp(key, "rootDevices") == 0) {
		names(pc->o, pol, v, key, root_device);
	} else if (strcmp(key, "vendor") == 0 || strcmp(key, "deviceID") == 0) {
		bool vendor = key[0] == 'v';

		s = pw_scalar(v);
		if (!hex_id(s, vendor ? &pol->vendor : &pol->device)) {
			pw_err(c, v, "%s: expected 4 hex digits (\"%s\"), got %s%s%s", key,
			       vendor ? "8086" : "1592", s ? "\"" : "", s ? s : pw_kind(v),
			       s ? "\"" : "");
			pol->bad = true;
			return;
		}
		*(vendor ? &pol->has_vendor : &pol->has_device) = true;
	} else if (strcmp(key, "netFilter") == 0) {
		if (pw_string(c, v, key))
			note(pc->o, "%s: nicSelector.netFilter (a cloud network id) is not a host setting; left out",
			     pol->name);
	} else {
		pw_err(c, k, "nicSelector: unknown field \"%s\" (known: vendor, deviceID, pfNames, rootDevices, netFilter)",
		       key);
	}
}

/* ------------------------------------------------------------ spec */

static void spec_pair(struct pw *c, const char *key, yaml_node_t *k, yaml_node_t *v,
		      void *data)
{
	struct pol_ctx *pc = data;
	struct op_policy *pol = pc->pol;
	static const char *const types[] = { "netdevice", "vfio-pci", NULL };
	static const char *const links[] = { "eth", "ib", NULL };
	static const char *const modes[] = { "legacy", "switchdev", NULL };
	bool b;
	int w;

	if (strcmp(key, "resourceName") == 0) {
		pol->resource = pw_string(c, v, key);
		pol->resource_at = pw_loc(c, v);
		if (pol->resource && (strlen(pol->resource) > SRIOV_POLICY_POOL_MAX ||
				      strspn(pol->resource, "abcdefghijklmnopqrstuvwxyz"
					     "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
				      strlen(pol->resource))) {
			pw_err(c, v, "resourceName: \"%s\" is not a resource name (1..%d of A-Z a-z 0-9 _)",
			       pol->resource, SRIOV_POLICY_POOL_MAX);
			pol->resource = NULL;
		}
	} else if (strcmp(key, "numVfs") == 0) {
		if (pw_uint(c, v, key, 0, 65535, &pol->num_vfs))
			pol->num_vfs_at = pw_loc(c, v);
		else
			pol->bad = true;
	} else if (strcmp(key, "priority") == 0) {
		if (!pw_uint(c, v, key, 0, 99, &pol->priority))
			pol->bad = true;
	} else if (strcmp(key, "mtu") == 0) {
		pol->has_mtu = pw_uint(c, v, key, 68, 65535, &pol->mtu);
		pol->mtu_at = pw_loc(c, v);
		pol->bad |= !pol->has_mtu;
	} else if (strcmp(key, "deviceType") == 0) {
		w = pw_word(c, v, key, types, "netdevice or vfio-pci");
		pol->vfio = w == 1;
		pol->type_at = pw_loc(c, v);
		pol->bad |= w < 0;
	} else if (strcmp(key, "nicSelector") == 0) {
		pw_mapping(c, v, key, nic_pair, pc);
	} else if (strcmp(key, "nodeSelector") == 0) {
		if (v->type != YAML_MAPPING_NODE)
			pw_err(c, v, "nodeSelector: expected a mapping of labels, got %s", pw_kind(v));
		else
			pol->node_sel = v;
	} else if (strcmp(key, "linkType") == 0) {
		w = pw_word(c, v, key, links, "eth or ib");
		if (w == 1)
			pw_err(c, v, "linkType: ib: sriovctl configures Ethernet VFs; InfiniBand is not supported");
	} else if (strcmp(key, "eSwitchMode") == 0) {
		w = pw_word(c, v, key, modes, "legacy or switchdev");
		if (w == 1)
			pw_err(c, v, "eSwitchMode: switchdev is not supported by sriovctl yet; import the legacy-mode policies only");
	} else if (strcmp(key, "externallyManaged") == 0) {
		if (pw_bool(c, v, key, &b))
			pol->external = b;
	} else if (strcmp(key, "isRdma") == 0 || strcmp(key, "needVhostNet") == 0 ||
		   strcmp(key, "excludeTopology") == 0) {
		if (pw_bool(c, v, key, &b) && b)
			note(pc->o, "%s: %s is the device plugin's, not a host setting; 'sriovctl export k8s-device-plugin' writes its config",
			     pol->name, key);
	} else if (strcmp(key, "vdpaType") == 0 || strcmp(key, "bridge") == 0) {
		pw_err(c, k, "%s: not supported by sriovctl (%s)", key,
		       key[0] == 'v' ? "vDPA devices" : "OVS hardware offload bridges");
	} else {
		pw_err(c, k, "spec: unknown field \"%s\" of a SriovNetworkNodePolicy", key);
	}
}

struct obj {
	const char *api, *kind, *name;
	yaml_node_t *metadata, *spec, *items;
	yaml_node_t *name_node;
};

static void obj_pair(struct pw *c, const char *key, yaml_node_t *k, yaml_node_t *v,
		     void *data)
{
	struct obj *ob = data;

	(void)k;
	if (strcmp(key, "apiVersion") == 0)
		ob->api = pw_string(c, v, key);
	else if (strcmp(key, "kind") == 0)
		ob->kind = pw_string(c, v, key);
	else if (strcmp(key, "metadata") == 0)
		ob->metadata = v;
	else if (strcmp(key, "spec") == 0)
		ob->spec = v;
	else if (strcmp(key, "items") == 0)
		ob->items = v;
	/* status, and a List's metadata: what the cluster says, not the policy */
}

static void meta_pair(struct pw *c, const char *key, yaml_node_t *k, yaml_node_t *v,
		      void *data)
{
	struct obj *ob = data;

	(void)k;
	if (strcmp(key, "name") == 0) {
		ob->name = pw_string(c, v, "metadata.name");
		ob->name_node = v;
	}
}

static void object(struct op *o, yaml_node_t *n, int depth);

static void list_items(struct op *o, yaml_node_t *v, int depth)
{
	size_t n;

	if (v->type != YAML_SEQUENCE_NODE) {
		pw_err(&o->c, v, "items: expected a list, got %s", pw_kind(v));
		return;
	}
	n = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	for (size_t i = 0; i < n && !o->c.err; i++) {
		yaml_node_t *it = yaml_document_get_node(o->c.doc, v->data.sequence.items.start[i]);

		if (it)
			object(o, it, depth + 1);
	}
}

static void object(struct op *o, yaml_node_t *n, int depth)
{
	struct obj ob = { 0 };
	struct op_policy *pol;
	struct pol_ctx pc;
	void *p;

	if (n->type != YAML_MAPPING_NODE) {
		pw_err(&o->c, n, "expected a Kubernetes object (a mapping), got %s", pw_kind(n));
		return;
	}
	if (!pw_mapping(&o->c, n, "object", obj_pair, &ob))
		return;
	if (ob.kind && depth == 0 && (strcmp(ob.kind, "List") == 0 ||
				      strcmp(ob.kind, "SriovNetworkNodePolicyList") == 0)) {
		if (ob.items)
			list_items(o, ob.items, depth);
		return;
	}
	if (!ob.kind || strcmp(ob.kind, "SriovNetworkNodePolicy") != 0) {
		pw_err(&o->c, n, "kind: %s%s%s is not a SriovNetworkNodePolicy (or a List of them)",
		       ob.kind ? "\"" : "", ob.kind ? ob.kind : "missing", ob.kind ? "\"" : "");
		return;
	}
	if (!ob.api || strcmp(ob.api, "sriovnetwork.openshift.io/v1") != 0) {
		pw_err(&o->c, n, "apiVersion: %s%s%s: sriovctl reads sriovnetwork.openshift.io/v1",
		       ob.api ? "\"" : "", ob.api ? ob.api : "missing", ob.api ? "\"" : "");
		return;
	}
	if (ob.metadata)
		pw_mapping(&o->c, ob.metadata, "metadata", meta_pair, &ob);
	if (!ob.name) {
		pw_err(&o->c, ob.metadata ? ob.metadata : n, "metadata.name: missing");
		return;
	}
	if (!ob.spec) {
		pw_err(&o->c, n, "%s: spec: missing", ob.name);
		return;
	}
	if (o->n_pol >= OP_OBJECTS_MAX) {
		pw_err(&o->c, n, "more than %d policies", OP_OBJECTS_MAX);
		return;
	}
	p = realloc(o->pol, (o->n_pol + 1) * sizeof(*o->pol));
	if (!p) {
		o->c.err = -ENOMEM;
		return;
	}
	o->pol = p;
	pol = &o->pol[o->n_pol++];
	*pol = (struct op_policy){ .name = ob.name, .at = pw_loc(&o->c, n),
				   .priority = 99, .num_vfs = ~0u, .doc = o->n_docs - 1 };
	pc = (struct pol_ctx){ o, pol };
	if (!pw_mapping(&o->c, ob.spec, "spec", spec_pair, &pc))
		pol->bad = true;
	if (!pol->resource)
		pw_err(&o->c, ob.spec, "%s: spec.resourceName: missing", pol->name);
	if (pol->num_vfs == ~0u)
		pw_err(&o->c, ob.spec, "%s: spec.numVfs: missing", pol->name);
	if (!pol->resource || pol->num_vfs == ~0u)
		pol->bad = true;
}

/* ------------------------------------------------------------ merging */

/* Whether @pol is for this node: a hostname label the node must have. */
static bool for_this_node(struct op *o, const struct op_policy *pol)
{
	yaml_node_t *n = pol->node_sel;
	yaml_document_t *doc = &o->docs[pol->doc];
	yaml_node_pair_t *pairs;
	size_t np;

	if (!n)
		return true;
	pairs = n->data.mapping.pairs.start;
	np = (size_t)(n->data.mapping.pairs.top - pairs);
	for (size_t i = 0; i < np; i++) {
		const char *k = pw_scalar(yaml_document_get_node(doc, pairs[i].key));
		const char *v = pw_scalar(yaml_document_get_node(doc, pairs[i].value));

		if (!k || !v)
			continue;
		if (strcmp(k, "kubernetes.io/hostname") == 0) {
			if (o->node && strcmp(v, o->node) != 0) {
				note(o, "%s: left out: its nodeSelector names node %s, this host is %s",
				     pol->name, v, o->node);
				return false;
			}
		} else {
			note(o, "%s: its nodeSelector label %s=%s is not checked here: the policy is imported as if this node had it",
			     pol->name, k, v);
		}
	}
	return true;
}

static int pol_order(const void *a, const void *b)
{
	const struct op_policy *x = *(const struct op_policy *const *)a;
	const struct op_policy *y = *(const struct op_policy *const *)b;

	/* the operator's ByPriority: 99 first, 0 last, then by name */
	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* A VF range of an entry being merged, with the policy that gave it. */
struct mrange {
	unsigned first, last;
	const struct op_policy *pol;
	struct sriov_policy_loc at;
};

struct mentry {
	struct op_sel sel;
	unsigned num_vfs, mtu;
	const struct op_policy *num_from;
	bool has_num, has_mtu;
	struct mrange *r;
	size_t n;
};

static bool same_pf(const struct op_sel *a, const struct op_sel *b)
{
	if (a->match != b->match)
		return false;
	if (a->match == SRIOV_POLICY_MATCH_ID)
		return a->vendor == b->vendor && a->device == b->device;
	return strncasecmp(a->value, b->value, strcspn(a->value, "#")) == 0 &&
	       strcspn(a->value, "#") == strcspn(b->value, "#");
}

/* How messages name the PF of @s: "ens1f0" (without its #range), "the PF". */
static const char *pf_name_of(const struct op_sel *s)
{
	return s->value ? s->value : "the PF";
}

static int pf_len(const struct op_sel *s)
{
	return (int)strcspn(pf_name_of(s), "#");
}

/* Add range [f, l] of @pol: a lower priority's VFs give way, an equal one conflicts. */
static int add_range(struct op *o, struct mentry *e, const struct op_policy *pol,
		     unsigned f, unsigned l, const struct sriov_policy_loc *at)
{
	size_t n = 0;
	struct mrange *v = calloc(2 * e->n + 1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < e->n; i++) {
		struct mrange r = e->r[i];

		if (r.last < f || r.first > l) {
			v[n++] = r;
			continue;
		}
		if (r.pol->priority == pol->priority) {
			free(v);
			return policy_error(o->c.p, at, "%s: VFs %u-%u of %.*s are also given by policy %s of the same priority %u (at %s:%u); the operator refuses that too: give one a higher priority or other VFs",
					    pol->name, f > r.first ? f : r.first,
					    l < r.last ? l : r.last, pf_len(&e->sel), pf_name_of(&e->sel),
					    r.pol->name, pol->priority, r.at.file, r.at.line);
		}
		note(o, "%s: VFs %u-%u of %.*s go to %s (priority %u over %u)",
		     r.pol->name, f > r.first ? f : r.first, l < r.last ? l : r.last,
		     pf_len(&e->sel), pf_name_of(&e->sel), pol->name, pol->priority,
		     r.pol->priority);
		if (r.first < f)
			v[n++] = (struct mrange){ r.first, f - 1, r.pol, r.at };
		if (r.last > l)
			v[n++] = (struct mrange){ l + 1, r.last, r.pol, r.at };
	}
	v[n++] = (struct mrange){ f, l, pol, *at };
	free(e->r);
	e->r = v;
	e->n = n;
	return 0;
}

static int merge(struct op *o, struct mentry **out, size_t *n_out)
{
	const struct op_policy **order = calloc(o->n_pol + 1, sizeof(*order));
	struct mentry *ents = NULL;
	size_t n = 0, k = 0;
	int r = 0;

	if (!order)
		return -ENOMEM;
	for (size_t i = 0; i < o->n_pol; i++)
		if (!o->pol[i].bad && for_this_node(o, &o->pol[i]))
			order[k++] = &o->pol[i];
	qsort(order, k, sizeof(*order), pol_order);
	for (size_t i = 0; i < k && r == 0; i++) {
		const struct op_policy *pol = order[i];
		struct op_sel id = { .match = SRIOV_POLICY_MATCH_ID, .vendor = pol->vendor,
				     .device = pol->device, .at = pol->at };
		const struct op_sel *sels = pol->sels;
		size_t ns = pol->n_sels;

		if (!ns) {
			if (!pol->has_vendor || !pol->has_device) {
				r = policy_error(o->c.p, &pol->at, "%s: nicSelector selects no PF sriovctl can name: give pfNames, rootDevices, or vendor and deviceID together",
						 pol->name);
				break;
			}
			sels = &id;
			ns = 1;
		}
		/* The operator ANDs the nicSelector's fields: with pfNames, the
		 * PFs are those names (their ranges give the VFs) and
		 * rootDevices only narrows them, which one sriovctl match
		 * cannot say. */
		bool by_name = false;

		for (size_t s = 0; s < pol->n_sels; s++)
			by_name |= pol->sels[s].match == SRIOV_POLICY_MATCH_NETDEV;
		bool by_addr = false;

		for (size_t s = 0; s < pol->n_sels; s++)
			by_addr |= pol->sels[s].match == SRIOV_POLICY_MATCH_PCI;
		if (pol->n_sels && (pol->has_vendor || pol->has_device || (by_name && by_addr)))
			note(o, "%s: nicSelector's %s also must match: sriovctl selects the PF by %s alone",
			     pol->name,
			     by_name && by_addr ? (pol->has_vendor || pol->has_device ?
						   "rootDevices and vendor/deviceID" : "rootDevices")
						: "vendor/deviceID",
			     by_name ? "name" : "address");
		for (size_t s = 0; s < ns && r == 0; s++) {
			const struct op_sel *sel = &sels[s];
			struct mentry *e = NULL;

			if (by_name && sel->match != SRIOV_POLICY_MATCH_NETDEV)
				continue;

			for (size_t j = 0; j < n && !e; j++)
				if (same_pf(&ents[j].sel, sel))
					e = &ents[j];
			if (!e) {
				void *p = realloc(ents, (n + 1) * sizeof(*ents));

				if (!p) {
					r = -ENOMEM;
					break;
				}
				ents = p;
				e = &ents[n++];
				*e = (struct mentry){ .sel = *sel };
			}
			if (!pol->external) {
				if (!e->has_num || e->num_from->priority != pol->priority ||
				    pol->num_vfs > e->num_vfs) {
					e->num_vfs = pol->num_vfs;
					e->num_from = pol;
				}
				e->has_num = true;
			}
			if (pol->has_mtu && (!e->has_mtu || pol->mtu > e->mtu)) {
				e->mtu = pol->mtu;
				e->has_mtu = true;
			}
			if (sel->ranged)
				r = add_range(o, e, pol, sel->first, sel->last, &sel->at);
			else if (pol->num_vfs)
				r = add_range(o, e, pol, 0, pol->num_vfs - 1, &pol->num_vfs_at);
		}
	}
	free(order);
	*out = ents;
	*n_out = n;
	return r;
}

static int cmp_mrange(const void *a, const void *b)
{
	const struct mrange *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/* The merged entries as policy entries of @p. */
static int emit(struct op *o, struct mentry *ents, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct mentry *e = &ents[i];
		struct sriov_policy_pf *pf = policy_pf_add(o->c.p);

		if (!pf)
			return -ENOMEM;
		pf->loc = e->sel.at;
		pf->match_loc = e->sel.at;
		pf->match = e->sel.match;
		pf->vendor_id = e->sel.vendor;
		pf->device_id = e->sel.device;
		if (e->sel.value &&
		    !(pf->value = strndup(e->sel.value, strcspn(e->sel.value, "#"))))
			return -ENOMEM;
		if (e->has_num) {
			pf->set |= 1u << SRIOV_PPF_NUM_VFS;
			pf->num_vfs = e->num_vfs;
			pf->at[SRIOV_PPF_NUM_VFS] = e->num_from->num_vfs_at;
		}
		if (e->has_mtu) {
			pf->set |= 1u << SRIOV_PPF_MTU;
			pf->mtu = e->mtu;
			pf->at[SRIOV_PPF_MTU] = e->sel.at;
		}
		if (e->n)  /* numVfs 0 and no range: e->r is NULL */
			qsort(e->r, e->n, sizeof(*e->r), cmp_mrange);
		for (size_t j = 0; j < e->n; j++) {
			const struct mrange *m = &e->r[j];
			struct sriov_policy_vfs *v;
			unsigned last = m->last;

			if (e->has_num && m->first >= e->num_vfs) {
				note(o, "%s: VFs %u-%u of %s left out: numVfs is %u (from %s)",
				     m->pol->name, m->first, m->last, pf->value ? pf->value : "the PF",
				     e->num_vfs, e->num_from->name);
				continue;
			}
			if (e->has_num && last >= e->num_vfs) {
				note(o, "%s: VFs %u-%u of %s left out: numVfs is %u (from %s)",
				     m->pol->name, e->num_vfs, last, pf->value ? pf->value : "the PF",
				     e->num_vfs, e->num_from->name);
				last = e->num_vfs - 1;
			}
			if (!(v = policy_vfs_add(pf)))
				return -ENOMEM;
			v->first = m->first;
			v->last = last;
			v->loc = m->at;
			if (!(v->pool = strdup(m->pol->resource)))
				return -ENOMEM;
			v->pool_at = m->pol->resource_at;
			if (m->pol->vfio) {
				if (!(v->driver = strdup("vfio-pci")))
					return -ENOMEM;
				v->set |= 1u << SRIOV_VF_ATTR_DRIVER;
				v->at[SRIOV_VF_ATTR_DRIVER] = m->pol->type_at;
			} else if (m->pol->has_mtu) {
				v->mtu = m->pol->mtu;
				v->set |= 1u << SRIOV_VF_ATTR_MTU;
				v->at[SRIOV_VF_ATTR_MTU] = m->pol->mtu_at;
			}
		}
	}
	return 0;
}

int sriov_policy_import_operator(struct sriov_policy *p, const char *name,
				 const char *text, size_t len, const char *node,
				 struct sriov_strv *notes)
{
	struct op o = { .c = { .p = p }, .node = node, .notes = notes };
	struct mentry *ents = NULL;
	size_t n_ents = 0;
	yaml_parser_t y;
	yaml_document_t doc;
	int r, i = strv_find(&p->files, name);

	if (i < 0) {
		if (strv_push(&p->files, name) < 0)
			return -ENOMEM;
		i = (int)p->files.n - 1;
	}
	o.c.file = p->files.v[i];
	r = pw_check_depth(p, o.c.file, text, len);
	if (r <= 0)
		return r;
	if (!yaml_parser_initialize(&y))
		return -ENOMEM;
	yaml_parser_set_input_string(&y, (const unsigned char *)text, len);
	r = 0;
	for (;;) {
		yaml_node_t *root;
		void *q;

		if (!yaml_parser_load(&y, &doc)) {
			r = pw_yaml_error(p, o.c.file, &y);
			break;
		}
		root = yaml_document_get_root_node(&doc);
		if (!root) {
			yaml_document_delete(&doc);
			break;
		}
		if (o.n_docs >= OP_OBJECTS_MAX) {
			pw_err(&o.c, root, "more than %d documents", OP_OBJECTS_MAX);
			yaml_document_delete(&doc);
			break;
		}
		q = realloc(o.docs, (o.n_docs + 1) * sizeof(*o.docs));
		if (!q) {
			yaml_document_delete(&doc);
			r = -ENOMEM;
			break;
		}
		/* the nodes stay where they are: only the document's head moves */
		o.docs = q;
		o.docs[o.n_docs++] = doc;
		o.c.doc = &o.docs[o.n_docs - 1];
		root = yaml_document_get_root_node(o.c.doc);
		o.c.seen = calloc((size_t)(o.c.doc->nodes.top - o.c.doc->nodes.start) + 1, 1);
		if (!o.c.seen) {
			r = -ENOMEM;
			break;
		}
		if (root->type == YAML_SCALAR_NODE && !*pw_scalar(root))
			; /* an empty document between two --- */
		else
			object(&o, root, 0);
		free(o.c.seen);
		o.c.seen = NULL;
		if (o.c.err) {
			r = o.c.err;
			break;
		}
	}
	yaml_parser_delete(&y);
	if (r == 0 && o.n_pol == 0 && p->n_errors == 0) {
		struct sriov_policy_loc loc = { o.c.file, 1, 1 };

		r = policy_error(p, &loc, "no SriovNetworkNodePolicy in the file");
	}
	if (r == 0 && p->n_errors == 0) {
		r = merge(&o, &ents, &n_ents);
		if (r == 0 && p->n_errors == 0)
			r = emit(&o, ents, n_ents);
	}
	for (size_t k = 0; k < n_ents; k++)
		free(ents[k].r);
	free(ents);
	for (size_t k = 0; k < o.n_pol; k++)
		free(o.pol[k].sels);
	free(o.pol);
	for (size_t k = 0; k < o.n_docs; k++)
		yaml_document_delete(&o.docs[k]);
	free(o.docs);
	return r < 0 ? r : 0;
}
