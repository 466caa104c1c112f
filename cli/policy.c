/* SPDX-License-Identifier: MIT */
/* sriovctl policy check [-f FILE]: parse and validate the host policy. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void print_vfs(const struct sriov_policy_vfs *r)
{
	/* the order `policy check` has always printed them in */
	static const enum sriov_vf_attr order[] = {
		SRIOV_VF_ATTR_DRIVER, SRIOV_VF_ATTR_MAC, SRIOV_VF_ATTR_VLAN,
		SRIOV_VF_ATTR_QOS, SRIOV_VF_ATTR_VLAN_PROTO,
		SRIOV_VF_ATTR_SPOOFCHK, SRIOV_VF_ATTR_TRUST,
		SRIOV_VF_ATTR_MIN_RATE, SRIOV_VF_ATTR_MAX_RATE,
		SRIOV_VF_ATTR_LINK_STATE, SRIOV_VF_ATTR_QUERY_RSS,
		SRIOV_VF_ATTR_MTU,
	};
	unsigned s = r->set;

	if (r->first == r->last)
		printf("    VF %u:", r->first);
	else
		printf("    VFs %u-%u:", r->first, r->last);
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		struct sriov_vf_attr_value v;
		char val[64];
		int e;

		if (!(s & 1u << order[i]))
			continue;
		e = sriov_policy_vfs_value(r, order[i], &v);
		if (order[i] == SRIOV_VF_ATTR_DRIVER) /* a name from the file */
			cli_print(" %s %s", sriov_vf_attr_key(order[i]), v.str);
		else if (e == 0 &&
			 sriov_vf_attr_format(order[i], &v, val, sizeof(val)) == 0)
			printf(" %s %s", sriov_vf_attr_key(order[i]), val);
		else /* mac: auto */
			printf(" %s auto", sriov_vf_attr_key(order[i]));
	}
	if (r->optional) {
		const char *sep = " optional [";

		for (int f = 0; f < SRIOV_VF_ATTR__COUNT; f++)
			if (r->optional & (1u << f)) {
				printf("%s%s", sep, sriov_vf_attr_key(f));
				sep = ", ";
			}
		printf("]");
	}
	if (r->pool)
		sriov_escape_printf(stdout, " pool %s", r->pool);
	if (!s && !r->optional && !r->pool)
		printf(" (nothing set)");
	cli_print("  (%s:%u)\n", r->loc.file, r->loc.line);
}

static void print_pf(const struct sriov_policy_pf *pf)
{
	static const char *const kinds[] = { "?", "netdev", "pci", "id", "root_device" };
	unsigned s = pf->set;

	if (pf->match == SRIOV_POLICY_MATCH_ID)
		printf("PF vendor %04x device %04x:", pf->vendor_id, pf->device_id);
	else
		cli_print("PF %s %s:", kinds[pf->match], pf->value ? pf->value : "?");
	if (s & 1u << SRIOV_PPF_NUM_VFS)
		printf(" num_vfs %u", pf->num_vfs);
	if (s & 1u << SRIOV_PPF_MTU)
		printf(" mtu %u", pf->mtu);
	if (s & 1u << SRIOV_PPF_AUTOPROBE)
		printf(" drivers_autoprobe %s", pf->drivers_autoprobe ? "on" : "off");
	if (s & 1u << SRIOV_PPF_LINK_STATE)
		printf(" link %s", pf->link_up ? "up" : "down");
	if (pf->from_selector)
		printf(" (VFs only)");
	cli_print("  (%s:%u)\n", pf->loc.file, pf->loc.line);
	for (size_t i = 0; i < pf->n_vfs; i++)
		print_vfs(&pf->vfs[i]);
}

int cli_policy_errors(const struct sriov_policy *p, const char *verb)
{
	char line[4352];

	for (size_t i = 0; i < p->n_errors; i++) {
		sriov_policy_error_format(&p->errors[i], line, sizeof(line));
		sriov_escape_printf(stderr, "%s\n", line);
	}
	cli_error("the policy has %zu error%s; nothing was done. Fix %s and run "
		  "'sriovctl %s' again", p->n_errors,
		  p->n_errors == 1 ? "" : "s", p->n_errors == 1 ? "it" : "them",
		  verb);
	return EXIT_FAILED;
}

int cli_policy_load(struct cli *c, const char *file, const char *verb,
		    struct sriov_policy **out)
{
	struct sriov_policy *p = NULL;
	char err[4352];
	int r;

	r = sriov_policy_load(c->ctx, file, &p, err, sizeof(err));
	if (r < 0) {
		if (r == -ENOENT && !file)
			cli_error("%s under %s; write one (see docs/policy.md) or name it with -f FILE",
				  err, c->root);
		else
			cli_error("%s", err[0] ? err : strerror(-r));
		return EXIT_FAILED;
	}
	if (p->n_errors) {
		cli_policy_errors(p, verb);
		sriov_policy_free(p);
		return EXIT_FAILED;
	}
	*out = p;
	return -1;
}

static int policy_check(struct cli *c, const char *file)
{
	struct sriov_policy *p = NULL;
	size_t n_vfs = 0;
	int rc;

	rc = cli_policy_load(c, file, "policy check", &p);
	if (rc >= 0)
		return rc;
	for (size_t i = 0; i < p->n_pfs; i++) {
		print_pf(&p->pfs[i]);
		n_vfs += p->pfs[i].n_vfs;
	}
	printf("policy OK: %zu file%s, %zu PF entr%s, %zu VF range%s\n", p->files.n,
	       p->files.n == 1 ? "" : "s", p->n_pfs, p->n_pfs == 1 ? "y" : "ies",
	       n_vfs, n_vfs == 1 ? "" : "s");
	sriov_policy_free(p);
	return EXIT_OK;
}

/*
 * policy import sriov-operator FILE: the operator's policies as a sriovctl
 * policy, read back before it is printed or written.
 */
static int policy_import(struct cli *c, const char *format, const char *file,
			 const char *node, const char *output)
{
	struct sriov_strv notes = { 0 };
	struct sriov_policy *p = NULL, *back = NULL;
	char err[4352], line[4352], *text = NULL, *header = NULL;
	size_t len = 0;
	int r, rc = EXIT_FAILED;

	if (strcmp(format, "sriov-operator") != 0) {
		cli_error("policy import: unknown format '%s' (formats: sriov-operator)", format);
		return EXIT_USAGE;
	}
	r = sriov_policy_import_load(c->ctx, file, node, &p, &notes, err, sizeof(err));
	if (r < 0) {
		cli_error("%s", err[0] ? err : strerror(-r));
		goto out;
	}
	for (size_t i = 0; i < notes.n; i++)
		sriov_escape_printf(stderr, "sriovctl: note: %s\n", notes.v[i]);
	if (p->n_errors) {
		for (size_t i = 0; i < p->n_errors; i++) {
			sriov_policy_error_format(&p->errors[i], line, sizeof(line));
			sriov_escape_printf(stderr, "%s\n", line);
		}
		cli_error("%s: %zu error%s; nothing was %s", file, p->n_errors,
			  p->n_errors == 1 ? "" : "s", output ? "written" : "printed");
		goto out;
	}
	if (asprintf(&header, "sriovctl policy imported from the SR-IOV network operator's\n"
			      "SriovNetworkNodePolicy objects of %s%s%s\n"
			      "(sriovctl policy import sriov-operator; docs/policy.md)",
		     file, node ? " for node " : "", node ? node : "") < 0) {
		header = NULL;
		r = -ENOMEM;
	} else {
		/* a header line is a comment: a newline in a name must not end it */
		for (char *h = header; *h; h++)
			if ((unsigned char)*h < 0x20 && *h != '\n')
				*h = '?';
		r = sriov_policy_write(p, header, &text, &len);
	}
	if (r < 0) {
		cli_error("policy import: cannot write the policy: %s", strerror(-r));
		goto out;
	}
	/* what is printed must read back as the same policy */
	r = sriov_policy_new(&back);
	if (r == 0)
		r = sriov_policy_add(back, "(imported)", text, len);
	if (r == 0)
		r = sriov_policy_validate(back);
	if (r < 0 || back->n_errors || back->n_pfs != p->n_pfs) {
		if (back && back->n_errors)
			sriov_policy_error_format(&back->errors[0], line, sizeof(line));
		cli_error("policy import: the policy written does not read back (%s); please report this",
			  r < 0 ? strerror(-r) : back->n_errors ? line : "another entry count");
		goto out;
	}
	if (output) {
		r = sriov_write_file_atomic(output, text, len);
		if (r < 0) {
			cli_error("cannot write %s: %s", output, strerror(-r));
			goto out;
		}
		rc = EXIT_OK;
	} else {
		rc = fwrite(text, 1, len, stdout) == len ? EXIT_OK
							 : cli_output_error(-EIO, "the policy");
	}
out:
	free(text);
	free(header);
	sriov_strv_clear(&notes);
	sriov_policy_free(back);
	sriov_policy_free(p);
	return rc;
}

int cmd_policy(struct cli *c, int argc, char **argv)
{
	const char *file = NULL, *node = NULL, *output = NULL;
	char **args;
	int nargs, j = 0, r;

	/* this verb's options; the rest goes to the common parser */
	for (int i = 0; i < argc; i++) {
		static const struct {
			const char *lng, *shrt;
		} opts[] = { { "--file", "-f" }, { "--node", NULL }, { "--output", "-o" } };
		const char **slot[] = { &file, &node, &output };
		size_t k, n = strcspn(argv[i], "=");

		for (k = 0; k < 3; k++)
			if ((strlen(opts[k].lng) == n && strncmp(argv[i], opts[k].lng, n) == 0) ||
			    (opts[k].shrt && strcmp(argv[i], opts[k].shrt) == 0))
				break;
		if (k == 3) {
			argv[j++] = argv[i];
			continue;
		}
		if (argv[i][n] == '=') {
			*slot[k] = argv[i] + n + 1;
		} else if (i + 1 < argc) {
			*slot[k] = argv[++i];
		} else {
			cli_error("%s needs a value; try 'sriovctl help policy'", argv[i]);
			return EXIT_USAGE;
		}
	}
	argv[j] = NULL;
	argc = j;
	r = cli_args(c, argc, argv, 1, 3, &args, &nargs);
	if (r >= 0)
		return r;
	if (strcmp(args[0], "check") == 0 && nargs == 1 && !node && !output) {
		r = cli_no_json(c, "policy check", "it prints the errors only; 'sriovctl plan --json' prints what the policy would change");
		return r >= 0 ? r : policy_check(c, file);
	}
	if (strcmp(args[0], "import") == 0 && nargs == 3 && !file) {
		r = cli_no_json(c, "policy import", "it prints the policy itself, in YAML");
		return r >= 0 ? r : policy_import(c, args[1], args[2], node, output);
	}
	if (strcmp(args[0], "check") == 0 || strcmp(args[0], "import") == 0) {
		cli_short_usage("policy", stderr);
		return EXIT_USAGE;
	}
	cli_error("unknown policy command '%s' (policy check [-f FILE], policy import sriov-operator FILE); try 'sriovctl help policy'",
		  args[0]);
	return EXIT_USAGE;
}
