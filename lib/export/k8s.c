/* SPDX-License-Identifier: MIT */
/*
 * Kubernetes' files for VFs, through json-c: the SR-IOV network device
 * plugin's /etc/pcidp/config.json (a resourceList, one resource per pool),
 * a NetworkAttachmentDefinition whose config is the sriov CNI's, and the
 * SR-IOV network operator's SriovNetworkNodePolicy objects. All three are
 * JSON: the device plugin reads nothing else, and kubectl reads JSON as it
 * reads YAML (JSON is YAML), so json-c escapes every string and no YAML
 * quoting rule can bite. Field names are the consumers' Go structs' json
 * tags (docs/integrations.md names the files).
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_ether.h>

#include <json-c/json.h>

#include "ctx.h"
#include "export/export.h"
#include "io/root.h"
#include "util/errbuf.h"

/*
 * The device plugin's default --resource-prefix, written out in its
 * config and in the NAD's annotation so that the two agree whatever the
 * daemon's flags are.
 */
#define K8S_PREFIX "intel.com"
#define K8S_OPERATOR_NAMESPACE "openshift-sriov-network-operator"
/* The operator's lowest priority (0..99, lower wins): sriovctl has no order. */
#define K8S_OPERATOR_PRIORITY 99

/* Building a tree: the first failure is kept, later calls do nothing. */
struct jw {
	int err;
};

static struct json_object *jnew(struct jw *w, struct json_object *o)
{
	if (!o && !w->err)
		w->err = -ENOMEM;
	return o;
}

static void put(struct jw *w, struct json_object *o, const char *key,
		struct json_object *v)
{
	if (w->err || !o || !v || json_object_object_add(o, key, v) < 0) {
		json_object_put(v);
		if (!w->err)
			w->err = -ENOMEM;
	}
}

static void push(struct jw *w, struct json_object *a, struct json_object *v)
{
	if (w->err || !a || !v || json_object_array_add(a, v) < 0) {
		json_object_put(v);
		if (!w->err)
			w->err = -ENOMEM;
	}
}

static void put_str(struct jw *w, struct json_object *o, const char *key,
		    const char *s)
{
	put(w, o, key, jnew(w, json_object_new_string(s)));
}

static void put_int(struct jw *w, struct json_object *o, const char *key,
		    int64_t n)
{
	put(w, o, key, jnew(w, json_object_new_int64(n)));
}

/* Append @s to the string array @a unless it is there already. */
static void push_once(struct jw *w, struct json_object *a, const char *s)
{
	for (size_t i = 0; a && i < json_object_array_length(a); i++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(a, i)), s) == 0)
			return;
	push(w, a, jnew(w, json_object_new_string(s)));
}

/* @o pretty-printed with a final newline, into *text; @o is released. */
static int finish(struct jw *w, struct json_object *o, char **text, size_t *len)
{
	const char *s;
	size_t n;

	if (!w->err && o) {
		s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						   JSON_C_TO_STRING_SPACED |
						   JSON_C_TO_STRING_NOSLASHESCAPE);
		n = s ? strlen(s) : 0;
		*text = s ? malloc(n + 2) : NULL;
		if (*text) {
			memcpy(*text, s, n);
			(*text)[n] = '\n';
			(*text)[n + 1] = '\0';
			*len = n + 1;
		} else {
			w->err = -ENOMEM;
		}
	} else if (!w->err) {
		w->err = -ENOMEM;
	}
	json_object_put(o);
	return w->err;
}

/*
 * The PF's netdev name as a selector can carry it: "NAME#0-3" is split at
 * '#' and ',' by the device plugin, so a name holding either (the kernel
 * allows them) cannot be one. NULL: select by PCI address instead.
 */
static const char *pf_netdev(const struct sriov_pf *pf)
{
	const char *s;

	if (!pf->n_netdevs)
		return NULL;
	s = pf->netdevs[0].name;
	for (const char *p = s; *p; p++)
		if (*p == '#' || *p == ',' || (unsigned char)*p < 0x21 ||
		    (unsigned char)*p > 0x7e)
			return NULL;
	return s[0] ? s : NULL;
}

/* The driver the VF has once the policy is applied: the range's, else its own. */
static const char *vf_driver(const struct export_vf *v)
{
	if (v->policy && (v->policy->set & (1u << SRIOV_VF_ATTR_DRIVER)) && v->policy->driver)
		return v->policy->driver;
	return v->vf->driver;
}

/* A resource name both the device plugin and the operator take. */
static bool resource_name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isascii((unsigned char)*s) || !(isalnum((unsigned char)*s) || *s == '_'))
			return false;
	return true;
}

/*
 * Kubernetes' DNS-1123 names: a label (a namespace: 1..63 of a-z 0-9 -,
 * alphanumeric at both ends) or, with @dots, a subdomain (labels joined
 * by '.', 1..253: object and node names).
 */
static bool dns_name_ok(const char *s, bool dots)
{
	size_t n = strlen(s), label = 0;

	if (n == 0 || n > (dots ? 253u : 63u) || s[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		bool edge = i == 0 || i == n - 1 || s[i - 1] == '.' || s[i + 1] == '.';

		if (c == '.' && dots) {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!(islower(c) || isdigit(c) || c == '-') || !isascii(c) ||
		    (c == '-' && edge) || ++label > 63)
			return false;
	}
	return true;
}

static int check_namespace(const struct export_job *job, char *err, size_t errlen)
{
	const char *ns = job->opts->k8s_namespace;

	if (ns && !dns_name_ok(ns, false))
		return errset(err, errlen, -EINVAL, "--namespace '%s': a Kubernetes namespace is 1..63 of a-z 0-9 -, starting and ending with a letter or digit",
			      ns);
	return 0;
}

/* "0-3,5-5": the sorted indices @idx as the device plugin's and operator's ranges. */
static void ranges(const unsigned *idx, size_t n, char *buf, size_t len)
{
	size_t w = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && w < len; ) {
		size_t j = i;

		while (j + 1 < n && idx[j + 1] == idx[j] + 1)
			j++;
		w += (size_t)snprintf(buf + w, len - w, "%s%u-%u", i ? "," : "",
				      idx[i], idx[j]);
		i = j + 1;
	}
}

static int cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return (x > y) - (x < y);
}

/* Every VF in a pool whose name Kubernetes takes, else the error naming the VF. */
static int check_pools(const struct export_job *job, const char *what,
		       char *err, size_t errlen)
{
	for (size_t i = 0; i < job->n_vfs; i++) {
		const struct export_vf *v = &job->vfs[i];

		const struct sriov_policy *p = job->opts->policy;

		if (!v->pool && p && p->files.n)
			return errset(err, errlen, -EDOM, "%s is in no pool: %s are the policy's pools; give its VF range 'pool: NAME' in %s",
				      v->label, what, p->files.v[p->files.n - 1]);
		if (!v->pool)
			return errset(err, errlen, -EDOM, "%s is in no pool: %s %s; give its VF range 'pool: NAME' in the policy (%s, or -f FILE)",
				      v->label, what,
				      p ? "are the policy's pools" : "are the policy's pools, and no policy was read",
				      "/" SRIOV_POLICY_PATH);
		if (!resource_name_ok(v->pool))
			return errset(err, errlen, -EDOM, "pool '%s' (of %s): a Kubernetes SR-IOV resource name is A-Z a-z 0-9 _ only; rename the pool in the policy",
				      v->pool, v->label);
	}
	return 0;
}

/* ---- k8s-device-plugin ---------------------------------------------- */

/*
 * The selectors of one pool: vendors, devices and drivers of its VFs
 * (the device plugin ANDs the lists), and which VFs: pfNames
 * "PF#first-last[,...]" per PF, or the VFs' pciAddresses when a PF has
 * no name a selector can carry.
 */
static int dp_selectors(struct jw *w, const struct export_job *job,
			const char *pool, struct json_object *sel,
			char *err, size_t errlen)
{
	struct json_object *vendors = jnew(w, json_object_new_array());
	struct json_object *devices = jnew(w, json_object_new_array());
	struct json_object *drivers = jnew(w, json_object_new_array());
	struct json_object *which = jnew(w, json_object_new_array());
	const struct export_vf *vfio = NULL, *kernel = NULL;
	bool by_name = true;
	unsigned *idx = NULL;
	char buf[16], *entry;
	size_t len, k;
	int r = 0;

	for (size_t i = 0; i < job->n_vfs; i++) {
		const struct export_vf *v = &job->vfs[i];
		const char *drv = vf_driver(v);

		if (strcmp(v->pool, pool) != 0)
			continue;
		if (!drv || strcmp(drv, "none") == 0) {
			r = errset(err, errlen, -EDOM, "%s (pool %s) has no driver, and the policy gives it none: the device plugin hands out VFs on a driver; give the range 'driver:' and 'sriovctl apply'",
				   v->label, pool);
			goto out;
		}
		if (strcmp(drv, "vfio-pci") == 0)
			vfio = vfio ? vfio : v;
		else
			kernel = kernel ? kernel : v;
		if (vfio && kernel) {
			r = errset(err, errlen, -EDOM, "pool %s has %s on vfio-pci and %s on %s: a device plugin resource is either vfio-pci or kernel netdevices; put them in two pools",
				   pool, vfio->label, kernel->label, vf_driver(kernel));
			goto out;
		}
		snprintf(buf, sizeof(buf), "%04x", v->pf->vendor_id);
		push_once(w, vendors, buf);
		snprintf(buf, sizeof(buf), "%04x", v->pf->vf_device_id);
		push_once(w, devices, buf);
		push_once(w, drivers, drv);
		by_name &= pf_netdev(v->pf) != NULL;
	}
	idx = calloc(job->n_vfs ? job->n_vfs : 1, sizeof(*idx));
	if (!idx) {
		r = -ENOMEM;
		goto out;
	}
	/* one entry per PF: the device plugin takes the first that names it */
	for (size_t i = 0; i < job->n_vfs; i++) {
		const struct export_vf *v = &job->vfs[i];
		size_t n = 0;
		bool seen = false;

		if (strcmp(v->pool, pool) != 0)
			continue;
		if (!by_name) {
			push(w, which, jnew(w, json_object_new_string(v->vf->address)));
			continue;
		}
		for (size_t j = 0; j < i; j++)
			seen |= job->vfs[j].pf == v->pf && strcmp(job->vfs[j].pool, pool) == 0;
		if (seen)
			continue;
		for (size_t j = i; j < job->n_vfs; j++)
			if (job->vfs[j].pf == v->pf && strcmp(job->vfs[j].pool, pool) == 0)
				idx[n++] = job->vfs[j].vf->index;
		qsort(idx, n, sizeof(*idx), cmp_unsigned);
		/* "NAME#" and at most "4294967295-4294967295," per index */
		len = strlen(pf_netdev(v->pf)) + 2 + n * 22;
		entry = malloc(len);
		if (!entry) {
			r = -ENOMEM;
			goto out;
		}
		k = (size_t)snprintf(entry, len, "%s#", pf_netdev(v->pf));
		ranges(idx, n, entry + k, len - k);
		push(w, which, jnew(w, json_object_new_string(entry)));
		free(entry);
	}
	put(w, sel, "vendors", vendors);
	put(w, sel, "devices", devices);
	put(w, sel, "drivers", drivers);
	put(w, sel, by_name ? "pfNames" : "pciAddresses", which);
	free(idx);
	return w->err;
out:
	free(idx);
	json_object_put(vendors);
	json_object_put(devices);
	json_object_put(drivers);
	json_object_put(which);
	return r;
}

static int device_plugin(const struct export_job *job, char **text, size_t *len,
			 char *err, size_t errlen)
{
	struct jw w = { 0 };
	struct json_object *top = jnew(&w, json_object_new_object());
	struct json_object *list = jnew(&w, json_object_new_array());
	int r;

	r = check_pools(job, "the device plugin's resources", err, errlen);
	put(&w, top, "resourceList", list);
	for (size_t i = 0; r == 0 && !w.err && i < job->n_vfs; i++) {
		const char *pool = job->vfs[i].pool;
		struct json_object *res, *sel;
		bool seen = false;

		for (size_t j = 0; j < i; j++)
			seen |= strcmp(job->vfs[j].pool, pool) == 0;
		if (seen)
			continue;
		res = jnew(&w, json_object_new_object());
		sel = jnew(&w, json_object_new_object());
		put_str(&w, res, "resourceName", pool);
		put_str(&w, res, "resourcePrefix", K8S_PREFIX);
		r = dp_selectors(&w, job, pool, sel, err, errlen);
		put(&w, res, "selectors", sel);
		push(&w, list, res);
	}
	if (r < 0) {
		json_object_put(top);
		return r;
	}
	return finish(&w, top, text, len);
}

/* ---- k8s-nad -------------------------------------------------------- */

/* What the sriov CNI sets on a VF: one NAD, the same for each of its VFs. */
struct cni_settings {
	unsigned vlan, qos;
	bool ad;                    /* vlanProto 802.1ad */
	int spoofchk, trust;        /* -1: not set */
	int link_state;             /* SRIOV_VF_LINK_*, -1 not set */
	long min_rate, max_rate;    /* -1: not set */
};

static void cni_of(const struct export_vf *v, struct cni_settings *s)
{
	const struct sriov_policy_vfs *p = v->policy;
	unsigned set = p ? p->set : 0;

	*s = (struct cni_settings){ .vlan = v->vlan, .spoofchk = -1, .trust = -1,
				    .link_state = -1, .min_rate = -1, .max_rate = -1 };
	if (set & (1u << SRIOV_VF_ATTR_VLAN))
		s->vlan = p->vlan;
	if (set & (1u << SRIOV_VF_ATTR_QOS))
		s->qos = p->qos;
	if (set & (1u << SRIOV_VF_ATTR_VLAN_PROTO))
		s->ad = p->vlan_proto == ETH_P_8021AD;
	if (set & (1u << SRIOV_VF_ATTR_SPOOFCHK))
		s->spoofchk = p->spoofchk;
	if (set & (1u << SRIOV_VF_ATTR_TRUST))
		s->trust = p->trust;
	if (set & (1u << SRIOV_VF_ATTR_LINK_STATE))
		s->link_state = p->link_state;
	if (set & (1u << SRIOV_VF_ATTR_MIN_RATE))
		s->min_rate = p->min_tx_rate;
	if (set & (1u << SRIOV_VF_ATTR_MAX_RATE))
		s->max_rate = p->max_tx_rate;
}

static const char *on_off(int b)
{
	return b ? "on" : "off";
}

static const char *const link_states[] = { "auto", "enable", "disable" };

/* A setting's value as the CNI's config spells it; "unset" when not set. */
static void cni_value(char *buf, size_t len, int kind, long x)
{
	if (x < 0)
		snprintf(buf, len, "unset");
	else if (kind == 1)
		snprintf(buf, len, "%s", on_off((int)x));
	else if (kind == 2 && x <= 2)
		snprintf(buf, len, "%s", link_states[x]);
	else if (kind == 3)
		snprintf(buf, len, "%s", x ? "802.1ad" : "802.1Q");
	else
		snprintf(buf, len, "%ld", x);
}

/* The first setting @a and @b differ in, its values in @va and @vb; NULL: none. */
static const char *cni_differs(const struct cni_settings *a,
			       const struct cni_settings *b, char *va, char *vb,
			       size_t len)
{
	const struct { const char *name; int kind; long x, y; } f[] = {
		{ "vlan", 0, a->vlan, b->vlan },
		{ "vlanQoS", 0, a->qos, b->qos },
		{ "vlanProto", 3, a->ad, b->ad },
		{ "spoofchk", 1, a->spoofchk, b->spoofchk },
		{ "trust", 1, a->trust, b->trust },
		{ "link_state", 2, a->link_state, b->link_state },
		{ "min_tx_rate", 0, a->min_rate, b->min_rate },
		{ "max_tx_rate", 0, a->max_rate, b->max_rate },
	};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (f[i].x != f[i].y) {
			cni_value(va, len, f[i].kind, f[i].x);
			cni_value(vb, len, f[i].kind, f[i].y);
			return f[i].name;
		}
	return NULL;
}

/* The sriov CNI's config (pkg/config NetConf's json tags), as a string. */
static char *cni_config(struct jw *w, const char *name, const struct cni_settings *s)
{
	struct json_object *c = jnew(w, json_object_new_object());
	const char *t;
	char *out = NULL;

	put_str(w, c, "cniVersion", "1.0.0");
	put_str(w, c, "name", name);
	put_str(w, c, "type", "sriov");
	/* always: a VF handed back keeps no VLAN of the pod before it */
	put_int(w, c, "vlan", s->vlan);
	if (s->qos)
		put_int(w, c, "vlanQoS", s->qos);
	if (s->ad)
		put_str(w, c, "vlanProto", "802.1ad");
	if (s->spoofchk >= 0)
		put_str(w, c, "spoofchk", on_off(s->spoofchk));
	if (s->trust >= 0)
		put_str(w, c, "trust", on_off(s->trust));
	if (s->link_state >= 0 && s->link_state <= 2)
		put_str(w, c, "link_state", link_states[s->link_state]);
	if (s->min_rate >= 0)
		put_int(w, c, "min_tx_rate", s->min_rate);
	if (s->max_rate >= 0)
		put_int(w, c, "max_tx_rate", s->max_rate);
	put(w, c, "ipam", jnew(w, json_object_new_object()));
	if (!w->err) {
		t = json_object_to_json_string_ext(c, JSON_C_TO_STRING_PLAIN |
						   JSON_C_TO_STRING_NOSLASHESCAPE);
		out = t ? strdup(t) : NULL;
		if (!out)
			w->err = -ENOMEM;
	}
	json_object_put(c);
	return out;
}

static int nad(const struct export_job *job, char **text, size_t *len,
	       char *err, size_t errlen)
{
	const char *name = job->opts->name, *ns = job->opts->k8s_namespace;
	struct cni_settings s0, s;
	struct jw w = { 0 };
	struct json_object *top, *meta, *ann, *spec;
	char res[128], va[32], vb[32], *config;
	const char *what;
	int r;

	if (!dns_name_ok(name, true))
		return errset(err, errlen, -EINVAL, "--name '%s': a NetworkAttachmentDefinition's name is 1..253 of a-z 0-9 - ., each part between dots starting and ending with a letter or digit",
			      name);
	r = check_namespace(job, err, errlen);
	if (r == 0)
		r = check_pools(job, "a NetworkAttachmentDefinition's VFs", err, errlen);
	if (r < 0)
		return r;
	cni_of(&job->vfs[0], &s0);
	for (size_t i = 1; i < job->n_vfs; i++) {
		const struct export_vf *v = &job->vfs[i];

		if (strcmp(v->pool, job->vfs[0].pool) != 0)
			return errset(err, errlen, -EDOM, "%s is in pool %s and %s in pool %s: a NetworkAttachmentDefinition is one device plugin resource; export one per pool (--pool NAME)",
				      job->vfs[0].label, job->vfs[0].pool, v->label, v->pool);
		cni_of(v, &s);
		what = cni_differs(&s0, &s, va, vb, sizeof(va));
		if (what)
			return errset(err, errlen, -EDOM, "%s has %s %s and %s %s %s: the sriov CNI gives every VF of a NetworkAttachmentDefinition the same settings; make the policy's ranges agree, or put them in two pools",
				      job->vfs[0].label, what, va, v->label, what, vb);
	}
	config = cni_config(&w, name, &s0);
	snprintf(res, sizeof(res), "%s/%s", K8S_PREFIX, job->vfs[0].pool);
	top = jnew(&w, json_object_new_object());
	meta = jnew(&w, json_object_new_object());
	ann = jnew(&w, json_object_new_object());
	spec = jnew(&w, json_object_new_object());
	put_str(&w, top, "apiVersion", "k8s.cni.cncf.io/v1");
	put_str(&w, top, "kind", "NetworkAttachmentDefinition");
	put_str(&w, meta, "name", name);
	if (ns)
		put_str(&w, meta, "namespace", ns);
	put_str(&w, ann, "k8s.v1.cni.cncf.io/resourceName", res);
	put(&w, meta, "annotations", ann);
	put(&w, top, "metadata", meta);
	if (config)
		put_str(&w, spec, "config", config);
	put(&w, top, "spec", spec);
	free(config);
	return finish(&w, top, text, len);
}

/* ---- k8s-sriov-operator --------------------------------------------- */

/* The node's name: --name, else the host's /etc/hostname, lowercased as kubelet does. */
static int node_name(const struct export_job *job, char *buf, size_t len,
		     char *err, size_t errlen)
{
	ssize_t n;
	size_t k;

	if (job->opts->name) {
		snprintf(buf, len, "%s", job->opts->name);
	} else {
		n = rootfs_read_prefix(job->ctx->rfs, ROOTFS_TOP, "etc/hostname", buf, len - 1);
		if (n < 0)
			return errset(err, errlen, (int)n, "cannot read /etc/hostname under %s (%s): give the node's name with --name NODE",
				      job->host->root, strerror((int)-n));
		buf[n] = '\0';
		k = strcspn(buf, "\n");
		buf[k] = '\0';
		while (k && isspace((unsigned char)buf[k - 1]))
			buf[--k] = '\0';
		for (char *p = buf; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	}
	if (!dns_name_ok(buf, true))
		return errset(err, errlen, -EINVAL, "node name '%s'%s: a Kubernetes node name is 1..253 of a-z 0-9 - ., each part between dots starting and ending with a letter or digit; give it with --name NODE",
			      buf, job->opts->name ? "" : " (from /etc/hostname)");
	return 0;
}

/* "physnet1-node1-ens1f0-0-3": what Kubernetes takes as a name (a-z 0-9 -). */
static void object_name(char *buf, size_t len, const char *pool, const char *node,
			const char *pf, const struct sriov_policy_vfs *r)
{
	char raw[640];      /* 63 + 253 + 255 (a sysfs name) + the range */
	size_t w = 0;
	bool dash = true;

	snprintf(raw, sizeof(raw), "%s-%s-%s-%u-%u", pool, node, pf, r->first, r->last);
	for (const char *p = raw; *p && w + 1 < len; p++) {
		unsigned char c = (unsigned char)*p;

		if (isascii(c) && isalnum(c)) {
			buf[w++] = (char)tolower(c);
			dash = false;
		} else if (!dash) {
			buf[w++] = '-';
			dash = true;
		}
	}
	while (w && buf[w - 1] == '-')
		w--;
	buf[w] = '\0';
}

/* The policy's entry that holds range @r. */
static const struct sriov_policy_pf *entry_of(const struct sriov_policy *p,
					      const struct sriov_policy_vfs *r)
{
	for (size_t i = 0; i < p->n_pfs; i++)
		if (r >= p->pfs[i].vfs && r < p->pfs[i].vfs + p->pfs[i].n_vfs)
			return &p->pfs[i];
	return NULL;
}

static int node_policy(struct jw *w, const struct export_job *job,
		       const struct export_vf *v, const char *node,
		       struct json_object *items, char *err, size_t errlen)
{
	const struct sriov_policy_vfs *r = v->policy;
	const struct sriov_policy_pf *e = entry_of(job->opts->policy, r);
	const char *pf = pf_netdev(v->pf), *drv;
	const char *ns = job->opts->k8s_namespace ? job->opts->k8s_namespace
						  : K8S_OPERATOR_NAMESPACE;
	struct json_object *o, *meta, *spec, *nodes, *nic, *arr;
	unsigned num_vfs, mtu = 0;
	char buf[300];

	num_vfs = e && (e->set & (1u << SRIOV_PPF_NUM_VFS)) ? e->num_vfs : v->pf->num_vfs;
	if (r->last >= num_vfs)
		return errset(err, errlen, -EDOM, "%s: the policy's range %u-%u (%s:%u) is past the PF's %u VFs",
			      v->label, r->first, r->last, r->loc.file, r->loc.line, num_vfs);
	if (!pf && (r->first != 0 || r->last != num_vfs - 1))
		return errset(err, errlen, -EDOM, "%s: the operator selects VFs %u-%u by the PF's netdev name (pfNames NAME#%u-%u), and PF %s has none it can carry",
			      v->label, r->first, r->last, r->first, r->last, v->pf->address);
	drv = (r->set & (1u << SRIOV_VF_ATTR_DRIVER)) ? r->driver : NULL;
	if (drv && strcmp(drv, "none") == 0)
		return errset(err, errlen, -EDOM, "%s: the policy leaves VFs %u-%u unbound (driver: none), and the operator binds every VF it configures (netdevice or vfio-pci)",
			      v->label, r->first, r->last);
	if (r->set & (1u << SRIOV_VF_ATTR_MTU))
		mtu = r->mtu;
	else if (e && (e->set & (1u << SRIOV_PPF_MTU)))
		mtu = e->mtu;

	o = jnew(w, json_object_new_object());
	meta = jnew(w, json_object_new_object());
	spec = jnew(w, json_object_new_object());
	nodes = jnew(w, json_object_new_object());
	nic = jnew(w, json_object_new_object());
	put_str(w, o, "apiVersion", "sriovnetwork.openshift.io/v1");
	put_str(w, o, "kind", "SriovNetworkNodePolicy");
	object_name(buf, 254, v->pool, node, pf ? pf : v->pf->address, r);
	put_str(w, meta, "name", buf);
	put_str(w, meta, "namespace", ns);
	put(w, o, "metadata", meta);
	put_str(w, spec, "resourceName", v->pool);
	put_str(w, nodes, "kubernetes.io/hostname", node);
	put(w, spec, "nodeSelector", nodes);
	put_int(w, spec, "priority", K8S_OPERATOR_PRIORITY);
	put_int(w, spec, "numVfs", num_vfs);
	snprintf(buf, sizeof(buf), "%04x", v->pf->vendor_id);
	put_str(w, nic, "vendor", buf);
	snprintf(buf, sizeof(buf), "%04x", v->pf->device_id);
	put_str(w, nic, "deviceID", buf);
	if (pf) {
		snprintf(buf, sizeof(buf), "%s#%u-%u", pf, r->first, r->last);
		arr = jnew(w, json_object_new_array());
		push(w, arr, jnew(w, json_object_new_string(buf)));
		put(w, nic, "pfNames", arr);
	}
	arr = jnew(w, json_object_new_array());
	push(w, arr, jnew(w, json_object_new_string(v->pf->address)));
	put(w, nic, "rootDevices", arr);
	put(w, spec, "nicSelector", nic);
	put_str(w, spec, "deviceType", drv && strcmp(drv, "vfio-pci") == 0 ? "vfio-pci" : "netdevice");
	if (mtu)
		put_int(w, spec, "mtu", mtu);
	put(w, o, "spec", spec);
	push(w, items, o);
	return w->err;
}

static int operator(const struct export_job *job, char **text, size_t *len,
		    char *err, size_t errlen)
{
	struct jw w = { 0 };
	struct json_object *top, *items;
	char node[256];
	int r;

	r = check_namespace(job, err, errlen);
	if (r == 0)
		r = node_name(job, node, sizeof(node), err, errlen);
	if (r == 0)
		r = check_pools(job, "the operator's resources", err, errlen);
	if (r < 0)
		return r;
	top = jnew(&w, json_object_new_object());
	items = jnew(&w, json_object_new_array());
	put_str(&w, top, "apiVersion", "v1");
	put_str(&w, top, "kind", "List");
	put(&w, top, "items", items);
	/* one object per policy range holding an exported VF, on each of its PFs */
	for (size_t i = 0; r == 0 && !w.err && i < job->n_vfs; i++) {
		const struct export_vf *v = &job->vfs[i];
		bool seen = false;

		for (size_t j = 0; j < i; j++)
			seen |= job->vfs[j].pf == v->pf && job->vfs[j].policy == v->policy;
		if (seen)
			continue;
		/* the range gives the pool, not an overlapping one: the operator's
		 * resource is that range's */
		if (!v->policy->pool || strcmp(v->policy->pool, v->pool) != 0)
			r = errset(err, errlen, -EDOM, "%s: its first range in the policy (%s:%u) has no pool of its own; give that range 'pool: %s'",
				   v->label, v->policy->loc.file, v->policy->loc.line, v->pool);
		else
			r = node_policy(&w, job, v, node, items, err, errlen);
	}
	if (r < 0) {
		json_object_put(top);
		return r;
	}
	return finish(&w, top, text, len);
}

int export_k8s(const struct export_job *job, char **text, size_t *len,
	       char *err, size_t errlen)
{
	*text = NULL;
	*len = 0;
	switch (job->opts->format) {
	case SRIOV_EXPORT_K8S_DEVICE_PLUGIN:
		return device_plugin(job, text, len, err, errlen);
	case SRIOV_EXPORT_K8S_NAD:
		return nad(job, text, len, err, errlen);
	case SRIOV_EXPORT_K8S_SRIOV_OPERATOR:
		return operator(job, text, len, err, errlen);
	}
	return -EINVAL;
}
