/* SPDX-License-Identifier: MIT */
/*
 * nova's [pci] device_spec, read as nova 26 reads it (nova/pci/devspec.py,
 * whitelist.py): vendor_id and product_id are hex or "*"; the address a
 * glob string ("*:02:00.*", whole fields only) or a dict of regexes
 * matched with re.match; devname the PCI device of a netdev; every other
 * key is a tag. A spec that names one PF by its full address (or its
 * netdev) also takes that PF's VFs. The first spec that takes a device
 * is the one nova uses (Whitelist.get_devspec). What nova refuses is
 * refused here with nova's reason.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/match.h"
#include "util/errbuf.h"

#define ANY "*"

/* A hex property after nova's _set_pci_dev_info: "*" or "%0Nx" of it. */
struct nova_hex {
	char text[32];
};

struct nova_spec {
	struct nova_hex vendor, product;
	const char *devname;          /* NULL: none (or falsy) */
	bool regex;                   /* the address is the dict form */
	struct nova_hex glob[4];      /* domain, bus, slot, function */
	regex_t re[4];
	int n_re;                     /* compiled so far, for regfree */
	const char *re_src[4];
	bool is_pf;                   /* WhitelistPciAddress.is_physical_function */
	bool remote_managed;
	char addr_text[96];           /* the address as given, for reasons */
};

static const char *const field_names[4] = { "domain", "bus", "slot", "function" };
static const char *const prop_names[4] = { "domain", "bus", "slot", "func" };
static const long field_max[4] = { 0xffff, 0xff, 0x1f, 0x7 };
static const int field_width[4] = { 4, 2, 2, 1 };

/* Python's str.strip() of ASCII: also \x1c-\x1f, which str.isspace() counts. */
static bool py_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
}

static void py_strip(const char *s, size_t n, char *out, size_t outsz)
{
	while (n && py_space(*s)) {
		s++;
		n--;
	}
	while (n && py_space(s[n - 1]))
		n--;
	snprintf(out, outsz, "%.*s", (int)(n < outsz ? n : outsz - 1), s);
}

/*
 * Python's int(@s, 16): spaces around, a sign, an optional 0x, digits
 * with single underscores between them. 0 with *v (saturated far above
 * any maximum), or -EINVAL.
 */
static int py_hex(const char *s, long *v)
{
	size_t n = strlen(s), i = 0;
	bool neg = false, digit = false, under = false;
	long val = 0;

	while (n && py_space(s[n - 1]))
		n--;
	while (i < n && py_space(s[i]))
		i++;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	if (i + 1 < n && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
		i += 2;
		under = true;   /* "0x_1f" is allowed */
	}
	for (; i < n; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' :
			c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (c == '_') {
			if (!under && !digit)
				return -EINVAL;
			if (i + 1 >= n || s[i + 1] == '_')
				return -EINVAL;
			under = false;
			continue;
		}
		if (d < 0)
			return -EINVAL;
		if (val < 0x10000000)
			val = val * 16 + d;
		digit = true;
	}
	if (!digit)
		return -EINVAL;
	*v = neg ? -val : val;
	return 0;
}

/* nova's _set_pci_dev_info: "*" stays, else hex at most @max, "%0Nx". */
static int set_hex(const char *label, const char *prop, const char *a, long max,
		   int width, struct nova_hex *out, char *err, size_t errlen)
{
	long v;

	if (strcmp(a, ANY) == 0) {
		snprintf(out->text, sizeof(out->text), ANY);
		return 0;
	}
	if (py_hex(a, &v) < 0)
		return errset(err, errlen, -EINVAL,
			      "%s: property %s ('%s') does not parse as a hex number; nova refuses the spec",
			      label, prop, a);
	if (v > max)
		return errset(err, errlen, -EINVAL,
			      "%s: property %s (%s) is greater than the maximum allowable value (%lX); nova refuses the spec",
			      label, prop, a, max);
	/* Python's "%04x" % -1 is "-001": a value no device has */
	{
		char digits[20];
		int n = snprintf(digits, sizeof(digits), "%lx", v < 0 ? -v : v);
		int pad = width - n - (v < 0);

		snprintf(out->text, sizeof(out->text), "%s%.*s%s", v < 0 ? "-" : "",
			 pad > 0 ? pad : 0, "0000", digits);
	}
	return 0;
}

/* py_strip() into a copy of its own: a long value is not cut short. */
static char *py_strip_dup(const char *s, size_t n)
{
	char *out = malloc(n + 1);

	if (out)
		py_strip(s, n, out, n + 1);
	return out;
}

static bool py_falsy(struct json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_null: return true;
	case json_type_boolean: return !json_object_get_boolean(o);
	case json_type_int: return json_object_get_int64(o) == 0;
	case json_type_double: return json_object_get_double(o) == 0.0;
	case json_type_string: return json_object_get_string_len(o) == 0;
	case json_type_array: return json_object_array_length(o) == 0;
	case json_type_object: return json_object_object_length(o) == 0;
	}
	return false;
}

/* oslo's strutils.bool_from_string: a boolean, or "1", "t", "true", "on", "y", "yes". */
static bool py_bool_from_string(struct json_object *o)
{
	static const char *const yes[] = { "1", "t", "true", "on", "y", "yes" };
	char s[16];
	const char *v;

	if (!o)
		return false;
	if (json_object_is_type(o, json_type_boolean))
		return json_object_get_boolean(o);
	/* str() of a number: 1 is "1", 1.0 "1.0" */
	if (json_object_is_type(o, json_type_int))
		return json_object_get_int64(o) == 1;
	if (!json_object_is_type(o, json_type_string))
		return false;
	v = json_object_get_string(o);
	py_strip(v, strlen(v), s, sizeof(s));
	for (char *c = s; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c + 32);
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (strcmp(s, yes[i]) == 0)
			return true;
	return false;
}

/* The PF at @addr with sriov_totalvfs > 0: nova's is_physical_function(). */
static const struct sriov_pf *find_pf(const struct sriov_host *host, const char *addr)
{
	for (size_t i = 0; i < host->n_pfs; i++)
		if (strcmp(host->pfs[i].address, addr) == 0)
			return host->pfs[i].total_vfs > 0 ? &host->pfs[i] : NULL;
	return NULL;
}

/*
 * nova's get_function_by_ifname(): the PCI address of netdev @name, and
 * whether it is a PF. Only the host's PFs and VFs are known here; a netdev
 * of any other device takes none of them either.
 */
static const char *find_netdev(const struct sriov_host *host, const char *name, bool *pf)
{
	for (size_t i = 0; i < host->n_pfs; i++) {
		const struct sriov_pf *p = &host->pfs[i];

		for (size_t k = 0; k < p->n_netdevs; k++)
			if (strcmp(p->netdevs[k].name, name) == 0) {
				*pf = p->total_vfs > 0;
				return p->address;
			}
		for (size_t v = 0; v < p->n_vfs; v++)
			for (size_t k = 0; k < p->vfs[v].netdevs.n; k++)
				if (strcmp(p->vfs[v].netdevs.v[k], name) == 0 && p->vfs[v].address[0]) {
					*pf = false;
					return p->vfs[v].address;
				}
	}
	return NULL;
}

static bool all_hex(const char *s)
{
	for (; *s; s++)
		if (!strchr("0123456789abcdefABCDEF", *s))
			return false;
	return true;
}

/* PciAddressGlobSpec: "[[domain:]bus:]slot[.function]", "*" whole fields. */
static int parse_glob(const char *label, const char *addr, struct nova_spec *s,
		      char *err, size_t errlen)
{
	const char *dot = strchr(addr, '.');
	size_t dbs_len = dot ? (size_t)(dot - addr) : strlen(addr);
	const char *parts[3];
	size_t lens[3], n = 0;
	char *buf;
	int r;

	for (int i = 0; i < 4; i++)
		snprintf(s->glob[i].text, sizeof(s->glob[i].text), ANY);
	if (dot && dot[1]) {
		buf = py_strip_dup(dot + 1, strlen(dot + 1));
		if (!buf)
			return -ENOMEM;
		r = set_hex(label, "func", buf, field_max[3], field_width[3], &s->glob[3],
			    err, errlen);
		free(buf);
		if (r < 0)
			return r;
	}
	if (!dbs_len)
		return 0;
	for (const char *p = addr;;) {
		const char *c = memchr(p, ':', dbs_len - (size_t)(p - addr));

		if (n == 3)
			return errset(err, errlen, -EINVAL,
				      "%s: address '%s' has more than three ':'-separated fields before the '.'; nova refuses it (PciDeviceWrongAddressFormat)",
				      label, addr);
		parts[n] = p;
		lens[n++] = c ? (size_t)(c - p) : dbs_len - (size_t)(p - addr);
		if (!c)
			break;
		p = c + 1;
	}
	/* fields left off at the front are "*" */
	for (size_t i = 0; i < n; i++) {
		size_t f = 3 - n + i;

		buf = py_strip_dup(parts[i], lens[i]);
		if (!buf)
			return -ENOMEM;
		r = buf[0] ? set_hex(label, prop_names[f], buf, field_max[f], field_width[f],
				     &s->glob[f], err, errlen) : 0;
		free(buf);
		if (r < 0)
			return r;
	}
	return 0;
}

/* PciAddressRegexSpec: {domain, bus, slot, function}, each a regex. */
static int parse_regex(const char *label, struct json_object *addr,
		       struct nova_spec *s, char *err, size_t errlen)
{
	char e[512];

	s->regex = true;
	for (int i = 0; i < 4; i++) {
		struct json_object *v;
		int r;

		s->re_src[i] = ".*";
		if (json_object_object_get_ex(addr, field_names[i], &v)) {
			if (!json_object_is_type(v, json_type_string))
				return errset(err, errlen, -EINVAL,
					      "%s: address %s is %s, not a regex string; nova fails on it (re.compile)",
					      label, field_names[i], match_json_kind(v));
			s->re_src[i] = json_object_get_string(v);
		}
		r = match_pyre_compile(s->re_src[i], &s->re[i], e, sizeof(e));
		if (r == -EINVAL)
			return errset(err, errlen, r,
				      "%s: address %s: %s; nova refuses the spec (PciDeviceWrongAddressFormat)",
				      label, field_names[i], e);
		if (r < 0)
			return errset(err, errlen, r, "%s: address %s: %s", label,
				      field_names[i], e);
		s->n_re++;
	}
	return 0;
}

static int parse_spec(const struct sriov_host *host, size_t idx, struct json_object *o,
		      struct nova_spec *s, char *err, size_t errlen)
{
	struct json_object *vendor = NULL, *product = NULL, *devname = NULL, *addr = NULL,
			   *rm = NULL;
	char label[32], *buf;
	bool have_addr;
	int r;

	snprintf(label, sizeof(label), "device_spec #%zu", idx);
	if (!json_object_is_type(o, json_type_object))
		return errset(err, errlen, -EINVAL,
			      "%s is %s; nova refuses it: \"Invalid entry: Expecting dict\"",
			      label, match_json_kind(o));
	json_object_object_get_ex(o, "vendor_id", &vendor);
	json_object_object_get_ex(o, "product_id", &product);
	json_object_object_get_ex(o, "devname", &devname);
	json_object_object_get_ex(o, "address", &addr);
	json_object_object_get_ex(o, "remote_managed", &rm);

	/* vendor_id is stripped (a str method: anything else crashes nova),
	 * product_id is not */
	snprintf(s->vendor.text, sizeof(s->vendor.text), ANY);
	snprintf(s->product.text, sizeof(s->product.text), ANY);
	if (json_object_object_get_ex(o, "vendor_id", NULL)) {
		const char *v;

		if (!json_object_is_type(vendor, json_type_string))
			return errset(err, errlen, -EINVAL,
				      "%s: vendor_id is %s; nova fails on anything but a string (it calls .strip())",
				      label, match_json_kind(vendor));
		v = json_object_get_string(vendor);
		buf = py_strip_dup(v, strlen(v));
		if (!buf)
			return -ENOMEM;
		r = set_hex(label, "vendor_id", buf, 0xffff, 4, &s->vendor, err, errlen);
		free(buf);
		if (r < 0)
			return r;
	}
	if (json_object_object_get_ex(o, "product_id", NULL)) {
		if (!json_object_is_type(product, json_type_string))
			return errset(err, errlen, -EINVAL,
				      "%s: product_id is %s; nova fails on anything but a string (int(x, 16))",
				      label, match_json_kind(product));
		r = set_hex(label, "product_id", json_object_get_string(product), 0xffff, 4,
			    &s->product, err, errlen);
		if (r < 0)
			return r;
	}
	if (devname && !py_falsy(devname)) {
		if (!json_object_is_type(devname, json_type_string))
			return errset(err, errlen, -EOPNOTSUPP,
				      "%s: devname is %s; sriovctl match takes a netdev name string (nova would look up the netdev named by its Python text)",
				      label, match_json_kind(devname));
		s->devname = json_object_get_string(devname);
	}
	have_addr = addr && !py_falsy(addr);
	if (have_addr && s->devname)
		return errset(err, errlen, -EINVAL,
			      "%s: both address and devname; nova refuses it (PciDeviceInvalidDeviceName): keep one",
			      label);
	if (!s->devname) {
		if (!have_addr) {
			r = parse_glob(label, "*:*:*.*", s, err, errlen);
			snprintf(s->addr_text, sizeof(s->addr_text), "*:*:*.*");
		} else if (json_object_is_type(addr, json_type_string)) {
			snprintf(s->addr_text, sizeof(s->addr_text), "%s", json_object_get_string(addr));
			r = parse_glob(label, json_object_get_string(addr), s, err, errlen);
		} else if (json_object_is_type(addr, json_type_object)) {
			snprintf(s->addr_text, sizeof(s->addr_text), "%s",
				 json_object_to_json_string_ext(addr, JSON_C_TO_STRING_PLAIN));
			r = parse_regex(label, addr, s, err, errlen);
		} else {
			return errset(err, errlen, -EINVAL,
				      "%s: address is %s; nova takes a string or a dict and refuses it (PciDeviceWrongAddressFormat)",
				      label, match_json_kind(addr));
		}
		if (r < 0)
			return r;
		/* one fully given address (only hex digits in every field) that
		 * is a PF: the spec takes its VFs too */
		if (s->regex ? all_hex(s->re_src[0]) && all_hex(s->re_src[1]) &&
				       all_hex(s->re_src[2]) && all_hex(s->re_src[3])
			     : all_hex(s->glob[0].text) && all_hex(s->glob[1].text) &&
				       all_hex(s->glob[2].text) && all_hex(s->glob[3].text)) {
			char a[160];

			if (s->regex)
				snprintf(a, sizeof(a), "%s:%s:%s.%s", s->re_src[0], s->re_src[1],
					 s->re_src[2], s->re_src[3]);
			else
				snprintf(a, sizeof(a), "%s:%s:%s.%s", s->glob[0].text,
					 s->glob[1].text, s->glob[2].text, s->glob[3].text);
			s->is_pf = find_pf(host, a) != NULL;
		}
	}
	s->remote_managed = py_bool_from_string(rm);
	if (s->remote_managed) {
		bool pf = s->is_pf;

		if (s->devname && !find_netdev(host, s->devname, &pf))
			return errset(err, errlen, -EINVAL,
				      "%s: remote_managed with devname '%s', which this host does not have; nova refuses it (PciDeviceRemoteManagedNotPresent)",
				      label, s->devname);
		/* nova 26 then fails to look the PF's ids up in sysfs (by the
		 * text of a glob object, or a "product" file Linux does not
		 * have): PciDeviceNotFoundById */
		if (pf)
			return errset(err, errlen, -EINVAL,
				      "%s: remote_managed names a PF; nova refuses it (PciDeviceNotFoundById as it looks up the PF's ids; a PF cannot be remote_managed)",
				      label);
	}
	return 0;
}

static void spec_clear(struct nova_spec *s)
{
	for (int i = 0; i < s->n_re; i++)
		regfree(&s->re[i]);
	s->n_re = 0;
}

/* The device's address as nova's PhysicalPciAddress has it. */
static void addr_fields(const char *address, char f[4][8])
{
	unsigned d = 0, b = 0, s = 0, fn = 0;

	sscanf(address, "%x:%x:%x.%x", &d, &b, &s, &fn);
	snprintf(f[0], 8, "%04x", d);
	snprintf(f[1], 8, "%02x", b);
	snprintf(f[2], 8, "%02x", s);
	snprintf(f[3], 8, "%01x", fn);
}

/* The first field of @address the spec's address does not take, or -1. */
static int addr_fails(const struct nova_spec *s, const char *address)
{
	char f[4][8];

	addr_fields(address, f);
	for (int i = 0; i < 4; i++) {
		if (s->regex ? regexec(&s->re[i], f[i], 0, NULL, 0) != 0
			     : strcmp(s->glob[i].text, ANY) != 0 && strcmp(s->glob[i].text, f[i]) != 0)
			return i;
	}
	return -1;
}

static int judge(const struct sriov_host *host, const struct nova_spec *s,
		 struct sriov_match_device *d, size_t k)
{
	const char *parent = d->vf ? d->pf->address : NULL;
	bool pf = s->is_pf;
	char f[4][8];
	int bad;

	if (strcmp(s->vendor.text, ANY) != 0 && strcmp(s->vendor.text, d->vendor_id) != 0)
		return match_check(d, k, false, "vendor_id", "vendor_id %s, the device's is %s",
				   s->vendor.text, d->vendor_id);
	if (strcmp(s->product.text, ANY) != 0 && strcmp(s->product.text, d->device_id) != 0)
		return match_check(d, k, false, "product_id", "product_id %s, the device's is %s",
				   s->product.text, d->device_id);
	if (s->devname) {
		const char *a = find_netdev(host, s->devname, &pf);

		if (!a)
			return match_check(d, k, false, "devname",
					   "no PF or VF of this host has the netdev %s (nova takes the device of /sys/class/net/%s/device)",
					   s->devname, s->devname);
		if (!(pf && parent && strcmp(parent, a) == 0) && strcmp(d->address, a) != 0)
			return match_check(d, k, false, "devname",
					   "%s is the netdev of %s%s, not of this device", s->devname, a,
					   pf ? " (a PF: its VFs are taken too)" : "");
	} else {
		if (pf && parent && addr_fails(s, parent) < 0)
			goto taken;
		bad = addr_fails(s, d->address);
		if (bad >= 0) {
			addr_fields(d->address, f);
			if (s->regex)
				return match_check(d, k, false, "address",
						   "%s: re.match('%s', '%s') fails", field_names[bad],
						   s->re_src[bad], f[bad]);
			return match_check(d, k, false, "address", "%s %s of %s, the device's is %s",
					   field_names[bad], s->glob[bad].text, s->addr_text, f[bad]);
		}
	}
taken:
	if (s->remote_managed)
		return match_check(d, k, false, "remote_managed",
				   "nova takes a remote_managed device only with a card serial number in its VPD; sriovctl reads no VPD");
	if (pf && parent)
		return match_check(d, k, true, NULL, "its PF %s is the spec's %s", parent,
				   s->devname ? "devname" : "address");
	if (s->devname)
		return match_check(d, k, true, NULL, "devname %s is its netdev", s->devname);
	return match_check(d, k, true, NULL, "vendor_id %s, product_id %s and address %s take it",
			   s->vendor.text, s->product.text, s->addr_text);
}

int match_nova(struct match_job *job, char *err, size_t errlen)
{
	struct json_object *root = job->root;
	struct sriov_match_result *res = job->res;
	struct nova_spec *specs;
	size_t n;
	int r = 0;

	if (json_object_is_type(root, json_type_object)) {
		n = 1;
	} else if (json_object_is_type(root, json_type_array)) {
		n = json_object_array_length(root);
	} else {
		return errset(err, errlen, -EINVAL,
			      "the device_spec is %s; nova refuses it: \"Expecting list or dict\"",
			      match_json_kind(root));
	}
	if (n > SRIOV_MATCH_LIST_MAX)
		return errset(err, errlen, -E2BIG,
			      "the device_spec list has %zu entries; match takes at most %u", n,
			      SRIOV_MATCH_LIST_MAX);
	specs = calloc(n ? n : 1, sizeof(*specs));
	if (!specs)
		return -ENOMEM;
	r = match_specs_alloc(res, n);
	for (size_t i = 0; r == 0 && i < n; i++) {
		struct json_object *o = n == 1 && json_object_is_type(root, json_type_object) ?
						root : json_object_array_get_idx(root, i);
		struct json_object *tag;

		r = parse_spec(job->host, i, o, &specs[i], err, errlen);
		if (r == 0 && json_object_object_get_ex(o, "physical_network", &tag) &&
		    json_object_is_type(tag, json_type_string))
			r = match_spec_name(res, i, "#%zu (%s)", i, json_object_get_string(tag));
		else if (r == 0)
			r = match_spec_name(res, i, "#%zu", i);
	}
	for (size_t i = 0; r == 0 && i < n; i++)
		for (size_t d = 0; r == 0 && d < res->n_devices; d++)
			r = judge(job->host, &specs[i], &res->devices[d], i);
	for (size_t i = 0; i < n; i++)
		spec_clear(&specs[i]);
	free(specs);
	return r;
}
