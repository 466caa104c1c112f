/* SPDX-License-Identifier: MIT */
/* sriovctl policy check [-f FILE]: parse and validate the host policy. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void print_vfs(const struct sriov_policy_vfs *r)
{
	unsigned s = r->set;

	if (r->first == r->last)
		printf("    VF %u:", r->first);
	else
		printf("    VFs %u-%u:", r->first, r->last);
	if (s & 1u << SRIOV_VF_ATTR_DRIVER)
		cli_print(" driver %s", r->driver);
	if (s & 1u << SRIOV_VF_ATTR_MAC) {
		if (r->mac_auto)
			printf(" mac auto");
		else
			printf(" mac %02x:%02x:%02x:%02x:%02x:%02x", r->mac[0], r->mac[1],
			       r->mac[2], r->mac[3], r->mac[4], r->mac[5]);
	}
	if (s & 1u << SRIOV_VF_ATTR_VLAN)
		printf(" vlan %u", r->vlan);
	if (s & 1u << SRIOV_VF_ATTR_QOS)
		printf(" qos %u", r->qos);
	if (s & 1u << SRIOV_VF_ATTR_VLAN_PROTO)
		printf(" vlan_proto %s", sriov_vf_vlan_proto_name(r->vlan_proto));
	if (s & 1u << SRIOV_VF_ATTR_SPOOFCHK)
		printf(" spoofchk %s", r->spoofchk ? "on" : "off");
	if (s & 1u << SRIOV_VF_ATTR_TRUST)
		printf(" trust %s", r->trust ? "on" : "off");
	if (s & 1u << SRIOV_VF_ATTR_MIN_RATE)
		printf(" min_tx_rate %u", r->min_tx_rate);
	if (s & 1u << SRIOV_VF_ATTR_MAX_RATE)
		printf(" max_tx_rate %u", r->max_tx_rate);
	if (s & 1u << SRIOV_VF_ATTR_LINK_STATE)
		printf(" link_state %s", sriov_vf_link_state_name(r->link_state));
	if (s & 1u << SRIOV_VF_ATTR_QUERY_RSS)
		printf(" query_rss %s", r->query_rss ? "on" : "off");
	if (s & 1u << SRIOV_VF_ATTR_MTU)
		printf(" mtu %u", r->mtu);
	if (r->optional) {
		const char *sep = " optional [";

		for (int f = 0; f < SRIOV_VF_ATTR__COUNT; f++)
			if (r->optional & (1u << f)) {
				printf("%s%s", sep, sriov_vf_attr_key(f));
				sep = ", ";
			}
		printf("]");
	}
	if (!s && !r->optional)
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

int cmd_policy(struct cli *c, int argc, char **argv)
{
	const char *file = NULL;
	char **args;
	int nargs, j = 0, r;

	/* this verb's options; the rest goes to the common parser */
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-f") == 0 || strcmp(argv[i], "--file") == 0) {
			if (i + 1 >= argc) {
				cli_error("%s needs a FILE; try 'sriovctl --help'", argv[i]);
				return EXIT_USAGE;
			}
			file = argv[++i];
		} else if (strncmp(argv[i], "--file=", 7) == 0) {
			file = argv[i] + 7;
		} else {
			argv[j++] = argv[i];
		}
	}
	argv[j] = NULL;
	argc = j;
	r = cli_args(c, argc, argv, 1, 1, &args, &nargs);
	if (r >= 0)
		return r;
	if (strcmp(args[0], "check") == 0) {
		r = cli_no_json(c, "policy check", "it prints the errors only; 'sriovctl plan --json' prints what the policy would change");
		return r >= 0 ? r : policy_check(c, file);
	}
	cli_error("unknown policy command '%s' (policy check [-f FILE]); try 'sriovctl --help'",
		  args[0]);
	return EXIT_USAGE;
}
