/* SPDX-License-Identifier: MIT */
/*
 * The help of each verb and sub-verb, from one table: `sriovctl help VERB
 * [SUB]`, `VERB --help`, the short usage after a bad option, and the
 * man page's SYNOPSIS (sriovctl --dump-man, tools/update-man.py).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct help_opt {
	const char *flag;
	const char *text;
};

struct help_entry {
	const char *verb;
	const char *sub;        /* NULL: the verb itself */
	const char *usage;      /* after "sriovctl "; lines split by '\n' */
	const char *summary;
	struct help_opt opts[12];
	const char *examples[4];
};

#define N_OPTS (sizeof(((struct help_entry *)0)->opts) / sizeof(struct help_opt))

/* export's formats, from the library's table: help cannot miss one. */
static void put_formats(FILE *f)
{
	fputs("\nFormats:\n", f);
	for (int i = 0; i < SRIOV_EXPORT__COUNT; i++) {
		const struct sriov_export_format_info *x = sriov_export_format_info(i);
		char name[64];

		if (!x)
			continue;
		snprintf(name, sizeof(name), "%s%s%s", x->name, x->arg ? " " : "",
			 x->arg ? x->arg : "");
		fprintf(f, "  %-22s %s\n", name, x->summary);
	}
}

static const struct help_entry entries[] = {
	{ "list", NULL, "list",
	  "One line per SR-IOV physical function (PF): address, netdevs, driver,\n"
	  "VFs enabled and total, link. Plain 'sriovctl' runs it too.",
	  { { NULL, NULL } },
	  { "sriovctl list", "sriovctl list --json --pretty" } },
	{ "show", NULL, "show [-s] DEVICE",
	  "A PF in full (SR-IOV capability, bridges and ACS, its VFs), or one VF.",
	  { { "-s, --stats", "per-VF counters (IFLA_VF_STATS)" } },
	  { "sriovctl show ens1f0", "sriovctl show ens1f0/vf3 --json" } },
	{ "vf", "set", "vf VF set ATTR VALUE... [--force] [--dry-run]",
	  "Set VF attributes through the PF over rtnetlink, as 'ip link set PF vf N'\n"
	  "does: mac M, vlan ID [qos Q] [proto 802.1Q|802.1ad], spoofchk, trust,\n"
	  "query-rss on|off, min-rate, max-rate Mb/s, link-state auto|enable|disable.\n"
	  "ip's and the policy's spellings are accepted too (max_tx_rate, state,\n"
	  "vlan_qos; yes|no, true|false, 1|0): docs/vf-attributes.md. The live host\n"
	  "only; --dry-run runs every check and prints old -> new, also with --root.\n"
	  "A setting the quirk table says the driver refuses is refused up front\n"
	  "(docs/quirks.md).",
	  { { "--force", "try what the quirk table says the driver refuses" },
	    { "-n, --dry-run", "print what would change; write nothing" } },
	  { "sriovctl vf ens1f0/vf0 set mac 02:00:00:00:00:01 vlan 10",
	    "sriovctl vf ens1f0/vf2 set spoofchk off trust on",
	    "sriovctl vf ens1f0/vf2 set max_tx_rate 5000 -n" } },
	{ "vf", "bind", "vf VFS bind DRIVER [--group] [--dry-run]\n"
			"vf VFS bind --kernel [--dry-run]",
	  "Bind VFs to DRIVER through driver_override (loading the module), or give\n"
	  "them back to the kernel's default driver (--kernel).",
	  { { "--group", "vfio-pci: bind the rest of each VF's IOMMU group too" },
	    { "--kernel", "clear driver_override and reprobe" },
	    { "-n, --dry-run", "print the plan, write nothing (the only mode with --root)" },
	    { NULL, NULL } },
	  { "sriovctl vf ens1f0/vf0-3 bind vfio-pci",
	    "sriovctl vf ens1f0 bind --kernel --dry-run" } },
	{ "vf", "unbind", "vf VFS unbind [--dry-run]",
	  "Unbind VFs and set driver_override to none, so no driver takes them.",
	  { { "-n, --dry-run", "print the plan, write nothing (the only mode with --root)" },
	    { NULL, NULL } },
	  { "sriovctl vf ens1f0/vf1,3 unbind" } },
	{ "pf", "set-vfs", "pf PF set-vfs N [--autoprobe on|off] [--timeout S] [--force] [--dry-run]",
	  "Set the PF's VF count (through 0), refusing while VFs are in use, and a\n"
	  "count the quirk table says the driver refuses (docs/quirks.md).",
	  { { "--autoprobe on|off", "write sriov_drivers_autoprobe first" },
	    { "--timeout S", "seconds to wait (default 30, more at a driver's known pace)" },
	    { "--force", "remove VFs in use; try a count the quirk table refuses" },
	    { "-n, --dry-run", "print the writes, make none (the only mode with --root)" },
	    { NULL, NULL } },
	  { "sriovctl pf ens1f0 set-vfs 4", "sriovctl pf 0000:3b:00.0 set-vfs 0 --force" } },
	{ "save", NULL, "save [PF...]",
	  "VF counts, autoprobe, drivers and VF attributes as JSON (sriovctl.state/v1).",
	  { { "-p, --pretty", "indent the JSON" } },
	  { "sriovctl save > state.json" } },
	{ "restore", NULL, "restore [--dry-run] [--no-rollback] FILE",
	  "Bring the host back to a saved state (FILE, or - for standard input),\n"
	  "rolling back on failure.",
	  { { "-n, --dry-run", "print the plan, change nothing" },
	    { "--no-rollback", "keep what was done when a step fails" },
	    { "--change-log FILE", "the JSON-lines change log (- for none)" },
	    { NULL, NULL } },
	  { "sriovctl restore -n state.json", "sriovctl restore state.json" } },
	{ "check", NULL, "check [--severity LEVEL] [DEVICE...]\n"
			 "check --list-checks [--markdown]",
	  "Every SR-IOV prerequisite of the host or of the devices named, with the\n"
	  "evidence and the fix; exit 1 when a check fails.",
	  { { "--severity LEVEL", "only findings at LEVEL or worse: ok, skip, warn, fail" },
	    { "--list-checks", "the checks: id, area, title" },
	    { "--markdown", "with --list-checks: the troubleshooting page" },
	    { "-j, --json", "the report as JSON (sriovctl.check/v1)" },
	    { NULL, NULL } },
	  { "sriovctl check", "sriovctl check --severity warn ens1f0",
	    "sriovctl check --list-checks --json" } },
	{ "explain", NULL, "explain [TEXT...|-]",
	  "What an SR-IOV error message means on this host, and the fix (the text\n"
	  "as arguments, or on standard input).",
	  { { "-j, --json", "sriovctl.explain/v1" } },
	  { "sriovctl explain 'vfio-pci 0000:3b:02.0: group 41 is not viable'",
	    "journalctl -k | sriovctl explain -" } },
	{ "policy", "check", "policy check [-f FILE]",
	  "Parse and validate the host policy (/etc/sriovctl/sriovctl.yaml and\n"
	  "conf.d/*.yaml under the root).",
	  { { "-f, --file FILE", "only FILE" } },
	  { "sriovctl policy check", "sriovctl policy check -f new.yaml" } },
	{ "policy", "import", "policy import sriov-operator FILE [--node NAME] [-o OUT]",
	  "The Kubernetes SR-IOV network operator's SriovNetworkNodePolicy objects\n"
	  "(YAML documents or a List, as kubectl get -o yaml prints them) as a\n"
	  "sriovctl policy, merged by the operator's rules (priority, pfNames VF\n"
	  "ranges); resourceName becomes each range's pool. What does not carry over\n"
	  "is a note on stderr; what sriovctl cannot do (switchdev, InfiniBand) an error.",
	  { { "--node NAME", "the node whose policies apply (default: /etc/hostname)" },
	    { "-o, --output FILE", "replace FILE atomically; a link there is refused" },
	    { NULL, NULL } },
	  { "kubectl get sriovnetworknodepolicies -n openshift-sriov-network-operator -o yaml > op.yaml",
	    "sriovctl policy import sriov-operator op.yaml -o /etc/sriovctl/conf.d/50-operator.yaml",
	    "sriovctl policy check" } },
	{ "plan", NULL, "plan [-f FILE] [--pf PF] [--detailed-exitcode]",
	  "The changes that bring the host to the policy, one per line.",
	  { { "-f, --file FILE", "the policy file (default: the host policy)" },
	    { "--pf PF", "only this PF" },
	    { "--detailed-exitcode", "exit 0 no change, 3 changes, 1 error" },
	    { "-j, --json", "the plan as JSON (sriovctl.plan/v1)" },
	    { NULL, NULL } },
	  { "sriovctl plan", "sriovctl plan --pf ens1f0 --json" } },
	{ "apply", NULL, "apply [-f FILE] [--pf PF] [--boot [--boot-timeout S]] [--dry-run]\n"
			 "apply --recover [--dry-run]",
	  "Carry the plan out under the host lock, rolling back on failure or\n"
	  "SIGINT/SIGTERM; each change is logged.",
	  { { "-f, --file FILE", "the policy file (default: the host policy)" },
	    { "--pf PF", "only this PF" },
	    { "--boot", "first wait for the policy's PFs (boot service)" },
	    { "--boot-timeout S", "with --boot: wait up to S seconds (default 60)" },
	    { "--recover", "only roll back an apply that died (its journal)" },
	    { "-n, --dry-run", "print the plan, change nothing" },
	    { "--no-rollback", "keep what was done when a step fails" },
	    { "--change-log FILE", "the JSON-lines change log (- for none)" } },
	  { "sriovctl apply -n", "sriovctl apply --boot" } },
	{ "export", NULL, "export FORMAT [ARG] [VFS...] [--pool NAME] [-f POLICY] [options] [-o FILE]",
	  "A consumer's own file for the VFs, from the inventory (and the policy):\n"
	  "VFS are any device names (a VF, PF/vf0-3, a PF for all its VFs, libvirt's\n"
	  "pci_0000_3b_01_2), --pool NAME the VFs of a pool of the policy. Refused,\n"
	  "with the check that fails (group.viable, iommu.active, vf.mac.duplicate),\n"
	  "before the consumer would refuse it.",
	  { { "--pool NAME", "the VFs of the policy's pool NAME (the policy: -f or the host's)" },
	    { "-f, --file FILE", "the policy: pools, and the VF settings the output carries" },
	    { "--mac MAC", "the guest's MAC, once per VF in order (libvirt-interface, proxmox)" },
	    { "--name N", "the object's name (libvirt-network, k8s-nad; k8s-sriov-operator: the node)" },
	    { "--physnet NAME", "OpenStack's physical network (default: the VF's pool)" },
	    { "--release NAME", "nova: the OpenStack release (before zed: passthrough_whitelist)" },
	    { "--namespace NS", "Kubernetes: the objects' namespace" },
	    { "--force", "export despite failed checks (they become warnings)" },
	    { "-o, --output FILE", "replace FILE atomically; a link there is refused" },
	    { NULL, NULL } },
	  { "sriovctl export libvirt-interface ens1f0/vf0 -o vf0.xml",
	    "sriovctl export libvirt-network ens1f0 --name physnet1",
	    "sriovctl export libvirt-hostdev pci_0000_3b_01_2",
	    "sriovctl export libvirt-network --pool physnet1 --name physnet1" } },
	{ "match", NULL, "match FORMAT SPEC|-",
	  "Which PFs and VFs of this host a consumer's own selector takes (the first\n"
	  "spec or pool that takes each), and for every other one the field that\n"
	  "failed and why. SPEC is the consumer's JSON as its config has it, or - for\n"
	  "standard input. Exit 0 when it takes a device, 1 when none, 2 for a spec the\n"
	  "consumer refuses or that does not parse (with the byte).",
	  { { "-j, --json", "the result as JSON (sriovctl.match/v1)" },
	    { NULL, NULL } },
	  { "sriovctl match nova '{\"vendor_id\": \"8086\", \"product_id\": \"1889\"}'",
	    "sriovctl match nova '{\"address\": \"0000:3b:00.0\", \"physical_network\": \"physnet1\"}'",
	    "sriovctl match k8s-device-plugin '{\"pfNames\": [\"ens1f0#0-3\"]}'",
	    "sriovctl match k8s-sriov-operator '{\"pfNames\": [\"ens1f0#0-3\"]}'" } },
	{ "audit", NULL, "audit [DEVICE...] [--baseline FILE] [--junit FILE] [--all]\n"
			 "audit --list-rules",
	  "The VFs handed to a guest (vfio-pci, a process holding its vfio device) or a\n"
	  "pod (its netdev in another network namespace) against a security baseline:\n"
	  "the built-in one, or FILE over it (docs/audit.md). Each finding names the\n"
	  "rule, the device, what was expected and found, who holds the VF and the\n"
	  "command that fixes it. Exit 0 clean, 1 on a violation (or an unknown\n"
	  "DEVICE), 2 for bad usage or a baseline with errors (FILE:LINE:COLUMN).",
	  { { "--baseline FILE", "the baseline YAML, over the built-in defaults" },
	    { "--junit FILE", "also the findings as JUnit XML (replaced atomically)" },
	    { "--all", "text: every finding, passes and skips too" },
	    { "--list-rules", "the rules: id, default, title" },
	    { "-j, --json", "the report as JSON (sriovctl.audit/v1)" },
	    { NULL, NULL } },
	  { "sriovctl audit", "sriovctl audit ens1f0 --baseline /etc/sriovctl/baseline.yaml",
	    "sriovctl audit --junit audit.xml --json" } },
	{ "metrics", NULL, "metrics [--textfile DIR] [-f FILE] [--no-checks] [--no-policy]",
	  "The host as Prometheus metrics, what sriovctl-exporter serves: PFs, VFs\n"
	  "with their settings and counters, the checks' findings, the policy's drift\n"
	  "(docs/metrics.md). On stdout, or with --textfile written atomically to\n"
	  "DIR/sriovctl.prom for node_exporter's textfile collector.",
	  { { "--textfile DIR", "write DIR/sriovctl.prom (temporary file and rename)" },
	    { "-f, --file FILE", "the policy to measure the drift against (default: the host's)" },
	    { "--no-checks", "leave out the checks' findings (sriov_check_*)" },
	    { "--no-policy", "leave out the policy's drift (sriov_policy_*)" },
	    { NULL, NULL } },
	  { "sriovctl metrics",
	    "sriovctl metrics --textfile /var/lib/prometheus/node-exporter" } },
	{ "help", NULL, "help [VERB [SUB]]",
	  "This text, or the help of one command.",
	  { { NULL, NULL } },
	  { "sriovctl help vf bind" } },
};

#define N_ENTRIES (sizeof(entries) / sizeof(entries[0]))

/* Each line of @usage with @prefix ("Usage: sriovctl ", "       sriovctl "). */
static void put_usage(const char *usage, FILE *f, bool first)
{
	for (const char *s = usage; *s;) {
		size_t n = strcspn(s, "\n");

		fprintf(f, "%s%.*s\n", first ? "Usage: sriovctl " : "       sriovctl ",
			(int)n, s);
		first = false;
		s += n + (s[n] == '\n');
	}
}

static bool has_subs(const char *verb)
{
	for (size_t i = 0; i < N_ENTRIES; i++)
		if (strcmp(entries[i].verb, verb) == 0 && entries[i].sub)
			return true;
	return false;
}

static const struct help_entry *find(const char *verb, const char *sub)
{
	const struct help_entry *only = NULL;
	size_t n = 0;

	for (size_t i = 0; i < N_ENTRIES; i++) {
		const struct help_entry *e = &entries[i];

		if (strcmp(e->verb, verb) != 0)
			continue;
		if (sub ? e->sub && strcmp(e->sub, sub) == 0 : !e->sub)
			return e;
		only = e;
		n++;
	}
	/* `pf --help`: a verb with one sub-verb is that sub-verb */
	return !sub && n == 1 ? only : NULL;
}

bool cli_help_known(const char *verb, const char *sub)
{
	return find(verb, sub) || (!sub && has_subs(verb));
}

const char *cli_help_sub(const char *verb, int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		for (size_t k = 0; k < N_ENTRIES; k++)
			if (entries[k].sub && strcmp(entries[k].verb, verb) == 0 &&
			    strcmp(entries[k].sub, argv[i]) == 0)
				return entries[k].sub;
	return NULL;
}

static void put_entry(const struct help_entry *e, FILE *f)
{
	put_usage(e->usage, f, true);
	fprintf(f, "\n%s\n", e->summary);
	if (e->opts[0].flag) {
		fputs("\nOptions:\n", f);
		for (size_t i = 0; i < N_OPTS && e->opts[i].flag; i++)
			fprintf(f, "  %-22s %s\n", e->opts[i].flag, e->opts[i].text);
	}
	/* lists from the library's own tables, so help cannot miss a row */
	if (!e->sub && strcmp(e->verb, "export") == 0)
		put_formats(f);
	if (!e->sub && strcmp(e->verb, "match") == 0) {
		fputs("\nFormats:\n", f);
		for (int i = 0; i < SRIOV_MATCH__COUNT; i++)
			fprintf(f, "  %-22s %s\n", sriov_match_format_name(i),
				sriov_match_format_summary(i));
	}
	if (!e->sub && strcmp(e->verb, "audit") == 0) {
		const struct sriov_audit_rule_info *ri;

		fputs("\nRules:\n", f);
		for (size_t i = 0; (ri = sriov_audit_rule_at(i)); i++)
			fprintf(f, "  %-15s %s (default: %s)\n", ri->id, ri->title, ri->default_text);
	}
	fputs("\nExamples:\n", f);
	for (size_t i = 0; i < 4 && e->examples[i]; i++)
		fprintf(f, "  %s\n", e->examples[i]);
	fputs("\nCommon options (--root DIR, --json, --pretty, --dry-run, ...): 'sriovctl --help'.\n", f);
}

int cli_help(const char *verb, const char *sub, FILE *f)
{
	const struct help_entry *e = find(verb, sub);
	bool first = true;

	if (e) {
		put_entry(e, f);
		return 0;
	}
	if (sub || !has_subs(verb))
		return -1;
	/* a verb of several sub-verbs: each one's usage, then where to read on */
	for (size_t i = 0; i < N_ENTRIES; i++)
		if (strcmp(entries[i].verb, verb) == 0) {
			put_usage(entries[i].usage, f, first);
			first = false;
		}
	fputc('\n', f);
	for (size_t i = 0; i < N_ENTRIES; i++) {
		if (strcmp(entries[i].verb, verb) != 0)
			continue;
		fprintf(f, "%s %s:\n", verb, entries[i].sub);
		for (const char *s = entries[i].summary; *s;) {
			size_t n = strcspn(s, "\n");

			fprintf(f, "  %.*s\n", (int)n, s);
			s += n + (s[n] == '\n');
		}
	}
	fprintf(f, "\n'sriovctl help %s SUB' for the options and examples of each.\n",
		verb);
	return 0;
}

void cli_short_usage(const char *verb, FILE *f)
{
	bool first = true;

	for (size_t i = 0; verb && i < N_ENTRIES; i++)
		if (strcmp(entries[i].verb, verb) == 0) {
			put_usage(entries[i].usage, f, first);
			first = false;
		}
	if (first)
		fputs("Try 'sriovctl --help'.\n", f);
	else
		fprintf(f, "Try 'sriovctl help %s'.\n", verb);
}

/* SYNOPSIS as roff, one .br per usage line: the man page's, generated. */
void cli_help_roff_synopsis(FILE *f)
{
	bool first = true;

	for (size_t i = 0; i < N_ENTRIES; i++) {
		if (strcmp(entries[i].verb, "help") == 0)
			continue;
		for (const char *s = entries[i].usage; *s;) {
			size_t n = strcspn(s, "\n");

			fprintf(f, "%s.B sriovctl\n.RI [ OPTIONS ]\n", first ? "" : ".br\n");
			first = false;
			/* words: UPPER is an argument (.I), the rest literal (.B) */
			for (size_t k = 0; k < n;) {
				size_t w = strcspn(s + k, " \n"), a, b;
				bool arg = true;

				if (w > n - k)
					w = n - k;
				for (a = 0; a < w && s[k + a] == '['; a++)
					;
				for (b = w; b > a && s[k + b - 1] == ']'; b--)
					;
				for (size_t j = a; j < b; j++)
					if (s[k + j] >= 'a' && s[k + j] <= 'z')
						arg = false;
				fprintf(f, ".R%c \"%.*s\" \"", arg ? 'I' : 'B', (int)a, s + k);
				for (size_t j = a; j < b; j++) {
					if (s[k + j] == '-')
						fputc('\\', f);
					fputc(s[k + j], f);
				}
				fprintf(f, "\" \"%.*s\"\n", (int)(w - b), s + k + b);
				k += w + 1;
			}
			s += n + (s[n] == '\n');
		}
	}
}

/* Every option the help names, one per line: for the man page's test. */
void cli_help_list_options(FILE *f)
{
	for (size_t i = 0; i < N_ENTRIES; i++)
		for (size_t k = 0; k < N_OPTS && entries[i].opts[k].flag; k++)
			fprintf(f, "%s %s %s\n", entries[i].verb,
				entries[i].sub ? entries[i].sub : "-",
				entries[i].opts[k].flag);
}
