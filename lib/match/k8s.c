/* SPDX-License-Identifier: MIT */
/*
 * The SR-IOV network device plugin's selectors (k8snetworkplumbingwg/
 * sriov-network-device-plugin: pkg/netdevice, pkg/resources), as its
 * netDevice pools read them: devices are the network-class PCI functions
 * with a driver, less the NIC of the default route and the PFs that have
 * VFs; every selector field given must take the device (AND), a field
 * takes it when the device's value is in its list (vendors, devices,
 * drivers, pciAddresses: exactly); pfNames and rootDevices items are a
 * name (equal ignoring case, or a Go regex found in it) with an optional
 * "#0-3,5" of VF indexes. Several selector objects in one pool: any one.
 * The first pool of resourceList that takes a device has it.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ctx.h"
#include "match/match.h"
#include "util/errbuf.h"
#include "util/strv.h"

enum { SEL_VENDORS, SEL_DEVICES, SEL_DRIVERS, SEL_PCI, SEL_PFNAMES, SEL_ROOTS, SEL__N };

static const char *const sel_names[SEL__N] = {
	"vendors", "devices", "drivers", "pciAddresses", "pfNames", "rootDevices",
};

/* Fields that filter devices by what sriovctl does not read. */
static const char *const unread[] = {
	"linkTypes", "ddpProfiles", "pKeys", "acpiIndexes", "auxTypes",
};

struct k8s_sel {
	struct json_object *list[SEL__N];  /* NULL: not given (or empty) */
};

struct k8s_pool {
	struct k8s_sel *sels;
	size_t n_sels;
};

/* Go's encoding/json matches keys ignoring case. */
static struct json_object *get_key(struct json_object *o, const char *key)
{
	struct json_object *exact;

	if (json_object_object_get_ex(o, key, &exact))
		return exact;
	json_object_object_foreach(o, k, v)
		if (strcasecmp(k, key) == 0)
			return v;
	return NULL;
}

static int parse_sel(const char *label, struct json_object *o, struct k8s_sel *s,
		     char *err, size_t errlen)
{
	struct json_object *v;

	if (!json_object_is_type(o, json_type_object))
		return errset(err, errlen, -EINVAL,
			      "%s is %s, not an object; the device plugin refuses the config",
			      label, match_json_kind(o));
	for (int f = 0; f < SEL__N; f++) {
		v = get_key(o, sel_names[f]);
		if (!v)
			continue;
		if (!json_object_is_type(v, json_type_array))
			return errset(err, errlen, -EINVAL,
				      "%s.%s is %s; the device plugin refuses the config: it takes a list of strings",
				      label, sel_names[f], match_json_kind(v));
		if (json_object_array_length(v) > SRIOV_MATCH_LIST_MAX)
			return errset(err, errlen, -E2BIG, "%s.%s has %zu items; match takes at most %u",
				      label, sel_names[f], json_object_array_length(v),
				      SRIOV_MATCH_LIST_MAX);
		for (size_t i = 0; i < json_object_array_length(v); i++)
			if (!json_object_is_type(json_object_array_get_idx(v, i), json_type_string))
				return errset(err, errlen, -EINVAL,
					      "%s.%s[%zu] is %s; the device plugin refuses the config: it takes strings",
					      label, sel_names[f], i,
					      match_json_kind(json_object_array_get_idx(v, i)));
		/* an empty list selects nothing out: as if not given */
		s->list[f] = json_object_array_length(v) ? v : NULL;
	}
	for (size_t i = 0; i < sizeof(unread) / sizeof(unread[0]); i++) {
		v = get_key(o, unread[i]);
		if (v && json_object_is_type(v, json_type_array) && json_object_array_length(v))
			return errset(err, errlen, -EOPNOTSUPP,
				      "%s.%s: sriovctl match does not evaluate it (it reads no link types, DDP profiles, PKeys, ACPI indexes or auxiliary devices); drop it to see what the other fields take",
				      label, unread[i]);
	}
	v = get_key(o, "isRdma");
	if (v && json_object_get_boolean(v))
		return errset(err, errlen, -EOPNOTSUPP,
			      "%s.isRdma: sriovctl match does not read RDMA devices; drop it to see what the other fields take",
			      label);
	v = get_key(o, "vdpaType");
	if (v && json_object_get_string_len(v))
		return errset(err, errlen, -EOPNOTSUPP,
			      "%s.vdpaType: sriovctl match does not read vDPA devices; drop it to see what the other fields take",
			      label);
	return 0;
}

static int parse_pool(const char *label, struct json_object *sel, struct k8s_pool *p,
		      char *err, size_t errlen)
{
	char l[96];
	size_t n;

	if (!sel || json_object_is_type(sel, json_type_null)) {
		/* no selectors: every device */
		p->sels = calloc(1, sizeof(*p->sels));
		p->n_sels = 1;
		return p->sels ? 0 : -ENOMEM;
	}
	n = json_object_is_type(sel, json_type_array) ? json_object_array_length(sel) : 1;
	if (n > SRIOV_MATCH_LIST_MAX)
		return errset(err, errlen, -E2BIG, "%s has %zu selector objects; match takes at most %u",
			      label, n, SRIOV_MATCH_LIST_MAX);
	p->sels = calloc(n ? n : 1, sizeof(*p->sels));
	if (!p->sels)
		return -ENOMEM;
	p->n_sels = n;
	if (!json_object_is_type(sel, json_type_array))
		return parse_sel(label, sel, &p->sels[0], err, errlen);
	for (size_t i = 0; i < n; i++) {
		int r;

		snprintf(l, sizeof(l), "%s[%zu]", label, i);
		r = parse_sel(l, json_object_array_get_idx(sel, i), &p->sels[i], err, errlen);
		if (r < 0)
			return r;
	}
	return 0;
}

static bool valid_resource_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

/* The netdevs with a default route (IPv4 and IPv6), from the root's procfs. */
static int default_routes(struct sriov_ctx *ctx, struct sriov_strv *out)
{
	static const char *const files[] = { "proc/net/route", "proc/net/ipv6_route" };
	int r = 0;

	for (size_t f = 0; r == 0 && f < 2; f++) {
		int fd = rootfs_open(ctx->rfs, ROOTFS_TOP, files[f], O_RDONLY);
		char *text = NULL, *save = NULL;

		if (fd < 0)
			continue;   /* no procfs (or no IPv6): no route */
		r = rootfs_read_all(fd, 1u << 22, &text, NULL);
		close(fd);
		if (r < 0) {
			r = r == -ENOMEM ? r : 0;
			continue;
		}
		for (char *line = strtok_r(text, "\n", &save); r == 0 && line;
		     line = strtok_r(NULL, "\n", &save)) {
			char a[64], b[64], c[64], d[64], e[64], g[64], h[64], i[64], j[64], k[64];
			const char *ifname = NULL;

			if (f == 0 && sscanf(line, "%63s %63s %63s %63s %63s %63s %63s %63s",
					     a, b, c, d, e, g, h, i) == 8 &&
			    strcmp(b, "00000000") == 0 && strcmp(i, "00000000") == 0)
				ifname = a;
			if (f == 1 && sscanf(line, "%63s %63s %63s %63s %63s %63s %63s %63s %63s %63s",
					     a, b, c, d, e, g, h, i, j, k) == 10 &&
			    strspn(a, "0") == 32 && strlen(a) == 32 && strcmp(b, "00") == 0)
				ifname = k;
			if (ifname && strcmp(ifname, "lo") != 0)
				r = strv_push(out, ifname);
		}
		free(text);
	}
	return r;
}

static bool in_strv(const struct sriov_strv *sv, const char *s)
{
	for (size_t i = 0; s && i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return true;
	return false;
}

/* What the device plugin reads of a device (types.PciNetDevice). */
struct k8s_dev {
	const char *driver;
	const char *pf_name;   /* the PF's first netdev (sorted), "" none */
	const char *root;      /* the PF's address */
	int vf_id;             /* -1: a PF */
};

static const char *first_netdev(const struct sriov_pf *pf)
{
	const char *best = NULL;

	for (size_t i = 0; i < pf->n_netdevs; i++)
		if (!best || strcmp(pf->netdevs[i].name, best) < 0)
			best = pf->netdevs[i].name;
	return best ? best : "";
}

static int exclusion(const struct sriov_match_device *d, const struct sriov_strv *routes,
		     char *why, size_t size)
{
	const struct sriov_pf *pf = d->pf;

	if ((pf->class_code >> 16) != 0x02) {
		snprintf(why, size, "class %06x is not a network controller: netDevice pools take class 02 only",
			 pf->class_code);
		return 1;
	}
	if (d->vf) {
		for (size_t i = 0; i < d->vf->netdevs.n; i++)
			if (in_strv(routes, d->vf->netdevs.v[i])) {
				snprintf(why, size, "its netdev %s has the default route: the device plugin leaves the host's own NIC out",
					 d->vf->netdevs.v[i]);
				return 1;
			}
	} else {
		for (size_t i = 0; i < pf->n_netdevs; i++)
			if (in_strv(routes, pf->netdevs[i].name)) {
				snprintf(why, size, "its netdev %s has the default route: the device plugin leaves the host's own NIC out",
					 pf->netdevs[i].name);
				return 1;
			}
		if (pf->num_vfs > 0) {
			snprintf(why, size, "a PF with %u VFs: the device plugin offers its VFs, not the PF",
				 pf->num_vfs);
			return 1;
		}
	}
	if (!(d->vf ? d->vf->driver : pf->driver)) {
		snprintf(why, size, "no driver is bound: the device plugin takes only devices with a driver");
		return 1;
	}
	return 0;
}

/* strconv.Atoi: a sign and decimal digits, nothing else. */
static bool go_atoi(const char *s, size_t n, long *v)
{
	size_t i = 0;
	bool neg = false;
	long x = 0;

	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	if (i == n)
		return false;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || x > 100000000)
			return false;
		x = x * 10 + (s[i] - '0');
	}
	*v = neg ? -x : x;
	return true;
}

/*
 * isSelected: "#" and a list of VF indexes and ranges, or none (every
 * device of it). -1 when the item does not parse (the plugin takes
 * nothing for it), 1 selected, 0 not.
 */
static int vf_selected(const char *item, int vf_id)
{
	const char *hash = strchr(item, '#'), *p;

	if (!hash)
		return 1;
	if (strchr(hash + 1, '#'))
		return -1;
	for (p = hash + 1;;) {
		size_t n = strcspn(p, ",");
		const char *dash = memchr(p, '-', n);
		long a, b;

		if (dash) {
			if (memchr(dash + 1, '-', n - (size_t)(dash + 1 - p)))
				return -1;
			if (!go_atoi(p, (size_t)(dash - p), &a) ||
			    !go_atoi(dash + 1, n - (size_t)(dash + 1 - p), &b))
				return -1;
			if (vf_id >= a && vf_id <= b)
				return 1;
		} else {
			if (!go_atoi(p, n, &a))
				return -1;
			if (vf_id == a)
				return 1;
		}
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

/* getItem: the first item whose name part equals @needle (ignoring case) or, as a regex, is found in it. */
static const char *get_item(struct json_object *list, const char *needle, bool *by_regex)
{
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		const char *item = json_object_get_string(json_object_array_get_idx(list, i));
		size_t n = strcspn(item, "#");
		char *base;
		regex_t re;
		bool hit;
		int rc;

		if (strlen(needle) == n && strncasecmp(item, needle, n) == 0) {
			*by_regex = false;
			return item;
		}
		base = strndup(item, n);
		if (!base)
			continue;
		rc = regcomp(&re, base, REG_EXTENDED | REG_NOSUB);
		free(base);
		/* what Go's regexp does not compile the plugin skips */
		if (rc != 0)
			continue;
		hit = regexec(&re, needle, 0, NULL, 0) == 0;
		regfree(&re);
		if (hit) {
			*by_regex = true;
			return item;
		}
	}
	return NULL;
}

static void list_text(struct json_object *list, char *buf, size_t size)
{
	snprintf(buf, size, "%s", json_object_to_json_string_ext(list, JSON_C_TO_STRING_PLAIN));
}

/* One selector object on one device: 0 taken, else the failing field in @field. */
static int judge_sel(const struct k8s_sel *s, const struct sriov_match_device *d,
		     const struct k8s_dev *k, const char **field, char *why, size_t size)
{
	char list[512];
	const char *val[SEL__N] = { d->vendor_id, d->device_id, k->driver, d->address,
				    k->pf_name, k->root };

	why[0] = '\0';
	for (int f = 0; f < SEL__N; f++) {
		struct json_object *l = s->list[f];
		bool regex = false;
		const char *item;
		int sel;

		if (!l)
			continue;
		*field = sel_names[f];
		list_text(l, list, sizeof(list));
		if (f < SEL_PFNAMES) {
			bool in = false;

			for (size_t i = 0; !in && i < json_object_array_length(l); i++)
				in = strcmp(json_object_get_string(json_object_array_get_idx(l, i)),
					    val[f]) == 0;
			if (!in) {
				snprintf(why, size, "%s is not in %s %s", val[f], sel_names[f], list);
				return 1;
			}
			continue;
		}
		if (!val[f][0]) {
			snprintf(why, size, "the device has no PF netdev, which pfNames needs");
			return 1;
		}
		item = get_item(l, val[f], &regex);
		if (!item) {
			snprintf(why, size, "%s %s is in no item of %s %s (equal ignoring case, or a regex found in it)",
				 f == SEL_PFNAMES ? "the PF netdev" : "the PF", val[f], sel_names[f], list);
			return 1;
		}
		sel = vf_selected(item, k->vf_id);
		if (sel < 0) {
			snprintf(why, size, "its item '%s' does not parse (NAME#N,M-N): the device plugin takes nothing for it",
				 item);
			return 1;
		}
		if (sel == 0) {
			if (k->vf_id < 0)
				snprintf(why, size, "'%s' names VF indexes, and this is the PF itself", item);
			else
				snprintf(why, size, "'%s' does not list VF %d", item, k->vf_id);
			return 1;
		}
		if (regex && !why[0])
			snprintf(why, size, "%s item '%s' is a regex found in %s", sel_names[f], item,
				 val[f]);
	}
	*field = NULL;
	return 0;
}

static int judge(const struct k8s_pool *p, struct sriov_match_device *d,
		 const struct k8s_dev *k, size_t idx)
{
	char why[1024], all[2048];
	const char *field = NULL, *first = NULL;
	size_t w = 0;

	all[0] = '\0';
	for (size_t i = 0; i < p->n_sels; i++) {
		if (judge_sel(&p->sels[i], d, k, &field, why, sizeof(why)) == 0) {
			char sel[48] = "";

			if (p->n_sels > 1)
				snprintf(sel, sizeof(sel), "selectors[%zu]: ", i);
			return match_check(d, idx, true, NULL, "%s%s", sel,
					   why[0] ? why : "every selector field takes it");
		}
		if (!first)
			first = field;
		if (w < sizeof(all)) {
			if (p->n_sels > 1)
				w += (size_t)snprintf(all + w, sizeof(all) - w, "%sselectors[%zu].%s: %s",
						      w ? "; " : "", i, field, why);
			else
				w += (size_t)snprintf(all + w, sizeof(all) - w, "%s", why);
		}
	}
	return match_check(d, idx, false, first, "%s", all);
}

int match_k8s(struct match_job *job, char *err, size_t errlen)
{
	struct json_object *root = job->root, *list;
	struct sriov_match_result *res = job->res;
	struct sriov_strv routes = { 0 };
	struct k8s_pool *pools = NULL;
	size_t n = 1;
	int r;

	if (!json_object_is_type(root, json_type_object))
		return errset(err, errlen, -EINVAL,
			      "the spec is %s; the device plugin takes a selectors object or a config with resourceList",
			      match_json_kind(root));
	list = get_key(root, "resourceList");
	if (list) {
		if (!json_object_is_type(list, json_type_array))
			return errset(err, errlen, -EINVAL,
				      "resourceList is %s, not a list; the device plugin refuses the config",
				      match_json_kind(list));
		n = json_object_array_length(list);
		if (n > SRIOV_MATCH_LIST_MAX)
			return errset(err, errlen, -E2BIG, "resourceList has %zu pools; match takes at most %u",
				      n, SRIOV_MATCH_LIST_MAX);
	}
	pools = calloc(n ? n : 1, sizeof(*pools));
	if (!pools)
		return -ENOMEM;
	r = match_specs_alloc(res, n);
	for (size_t i = 0; r == 0 && i < n; i++) {
		struct json_object *rc = list ? json_object_array_get_idx(list, i) : root;
		struct json_object *name, *type;
		char label[64];

		if (!list) {
			r = match_spec_name(res, i, "selectors");
			if (r == 0)
				r = parse_pool("selectors", root, &pools[i], err, errlen);
			break;
		}
		snprintf(label, sizeof(label), "resourceList[%zu]", i);
		if (!json_object_is_type(rc, json_type_object)) {
			r = errset(err, errlen, -EINVAL, "%s is %s, not an object; the device plugin refuses the config",
				   label, match_json_kind(rc));
			break;
		}
		name = get_key(rc, "resourceName");
		if (!name || !json_object_is_type(name, json_type_string) ||
		    !valid_resource_name(json_object_get_string(name))) {
			r = errset(err, errlen, -EINVAL,
				   "%s.resourceName %s%s%s: the device plugin refuses the config (it takes letters, digits and '_')",
				   label, name ? "'" : "is missing", name ? json_object_get_string(name) : "",
				   name ? "'" : "");
			break;
		}
		for (size_t k = 0; k < i; k++)
			if (strcmp(res->spec_names[k], json_object_get_string(name)) == 0) {
				r = errset(err, errlen, -EINVAL,
					   "%s.resourceName '%s' is also resourceList[%zu]'s; the device plugin refuses the config",
					   label, json_object_get_string(name), k);
				break;
			}
		if (r < 0)
			break;
		type = get_key(rc, "deviceType");
		if (type && json_object_get_string_len(type) &&
		    strcasecmp(json_object_get_string(type), "netDevice") != 0) {
			r = errset(err, errlen, -EOPNOTSUPP,
				   "%s.deviceType '%s': sriovctl match evaluates netDevice pools only",
				   label, json_object_get_string(type));
			break;
		}
		r = match_spec_name(res, i, "%s", json_object_get_string(name));
		if (r == 0) {
			snprintf(label, sizeof(label), "resourceList[%zu].selectors", i);
			r = parse_pool(label, get_key(rc, "selectors"), &pools[i], err, errlen);
		}
	}
	if (r == 0)
		r = default_routes(job->ctx, &routes);
	for (size_t di = 0; r == 0 && di < res->n_devices; di++) {
		struct sriov_match_device *d = &res->devices[di];
		struct k8s_dev k = {
			.driver = d->vf ? d->vf->driver : d->pf->driver,
			.pf_name = first_netdev(d->pf),
			.root = d->pf->address,
			.vf_id = d->vf ? (int)d->vf->index : -1,
		};
		char why[256];

		if (exclusion(d, &routes, why, sizeof(why))) {
			r = match_exclude(d, "%s", why);
			continue;
		}
		for (size_t i = 0; r == 0 && i < n; i++)
			r = judge(&pools[i], d, &k, i);
	}
	for (size_t i = 0; i < n; i++)
		free(pools[i].sels);
	free(pools);
	sriov_strv_clear(&routes);
	return r;
}
