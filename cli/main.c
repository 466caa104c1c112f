/* SPDX-License-Identifier: MIT */
/* sriovctl: inspect and operate SR-IOV devices. Verbs live in their files. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifndef SRIOVCTL_VERSION
#define SRIOVCTL_VERSION "unknown"
#endif

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("sriovctl: ", stderr);
	va_start(ap, fmt);
	sriov_escape_vprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_load(struct cli *c, unsigned flags, struct sriov_host **out)
{
	int r = sriov_host_load(c->ctx,
				flags | (c->stats ? SRIOV_LOAD_STATS : 0), out);

	if (r == -ENOENT || r == -ENOTDIR) {
		cli_error("%s has no sys/bus/pci/devices: is it a host root (with /sys mounted)?",
			  c->root);
		return EXIT_FAILED;
	}
	if (r < 0) {
		cli_error("cannot read the PCI devices under %s: %s", c->root,
			  strerror(-r));
		return EXIT_FAILED;
	}
	return EXIT_OK;
}

static void usage(FILE *f)
{
	fputs("Usage: sriovctl [OPTIONS] COMMAND [ARGS]\n"
	      "\n"
	      "Commands:\n"
	      "  list                 one line per SR-IOV physical function (PF)\n"
	      "  show DEVICE          a PF in full with its VFs, or one VF\n"
	      "  vf VF set ATTR VALUE...  VF attributes via the PF (mac vlan qos proto spoofchk trust min-rate max-rate link-state query-rss)\n"
	      "  pf PF set-vfs N [--autoprobe on|off] [--timeout S] [--force] [--dry-run]\n"
	      "                       set the PF's VF count (through 0), refusing VFs in use\n"
	      "  vf VFS bind DRIVER [--group] [--dry-run]  bind VFs to a driver (driver_override)\n"
	      "  vf VFS bind --kernel [--dry-run]  back to the kernel's default driver\n"
	      "  vf VFS unbind [--dry-run]  leave VFs without a driver\n"
	      "  save [PF...]         VF counts, drivers and VF attributes as JSON\n"
	      "  restore FILE         bring the host back to a saved state\n"
	      "  check [DEVICE...] [--severity LEVEL]  every SR-IOV prerequisite, with evidence and\n"
	      "                       the fix (exit 1 when a check fails)\n"
	      "  check --list-checks [--markdown]  the checks (as the troubleshooting page)\n"
	      "  explain [TEXT...|-]  what an SR-IOV error message means on this host, and the fix\n"
	      "  policy check [-f FILE]  parse and validate the host policy\n"
	      "                       (/etc/sriovctl/sriovctl.yaml + conf.d/*.yaml under the root)\n"
	      "  plan [-f FILE] [--pf PF] [--detailed-exitcode] [--json]\n"
	      "                       the changes that bring the host to the policy, one per line\n"
	      "                       (--detailed-exitcode: exit 0 none, 3 some, 1 error)\n"
	      "  apply [-f FILE] [--pf PF] [--boot [--boot-timeout S]] [--dry-run]\n"
	      "                       carry the plan out, rolling back on failure or\n"
	      "                       SIGINT/SIGTERM; each change is logged (--boot: first wait\n"
	      "                       up to S seconds, default 60, for the policy's PFs)\n"
	      "  apply --recover [--dry-run]  roll back an apply that died (its journal);\n"
	      "                       apply and restore do it first on their own\n"
	      "  export FORMAT VFS... [--mac MAC]... [--name N] [--force] [-o FILE]\n"
	      "                       libvirt's XML for VFs: libvirt-interface, libvirt-hostdev,\n"
	      "                       libvirt-network --name N (refused when a check fails)\n"
	      "  match FORMAT SPEC|-  which PFs and VFs a consumer's selector takes, and why\n"
	      "                       not the others: nova (device_spec), k8s-device-plugin,\n"
	      "                       k8s-sriov-operator (nicSelector)\n"
	      "  audit [DEVICE...] [--baseline FILE] [--junit FILE]  the VFs handed to guests\n"
	      "                       and pods against a security baseline (exit 1 on a violation)\n"
	      "  help [VERB [SUB]]    this text, or the help of one command (also VERB --help)\n"
	      "\n"
	      "DEVICE is a netdev (ens1f0), a PCI address (0000:3b:00.0 or 3b:00.0),\n"
	      "libvirt's node device name (pci_0000_3b_00_0), or a VF of a PF (ens1f0/vf3).\n"
	      "VFS is a VF, a range or list of one PF's VFs (ens1f0/vf0-3,\n"
	      "ens1f0/vf0,2,5-7), or a PF (all its VFs).\n"
	      "\n"
	      "Options:\n"
	      "  -r, --root DIR       read sysfs and procfs under DIR (default /)\n"
	      "  -j, --json           JSON output (schema sriovctl.inventory/v1)\n"
	      "  -p, --pretty         indent JSON output\n"
	      "  -s, --stats          per-VF counters (IFLA_VF_STATS) in show and JSON\n"
	      "  -i, --pci-ids FILE   PCI id database (default: the system's pci.ids)\n"
	      "  -n, --dry-run        print the changes, make none\n"
	      "      --no-rollback    apply, restore: keep what was done when a step fails\n"
	      "      --change-log FILE  apply, restore: the JSON-lines change log\n"
	      "                       (default /var/log/sriovctl/changes.log; - for none)\n"
	      "      --no-change-log  the same as --change-log -\n"
	      "      --lock-timeout S  writing commands: wait up to S seconds for another\n"
	      "                       sriovctl to finish (default 10, apply --boot 60)\n"
	      "  -h, --help           this text\n"
	      "  -V, --version        print the version\n"
	      "\n"
	      "Exit status: 0 success, 1 failure, 2 bad usage (plan --detailed-exitcode:\n"
	      "3 changes to make).\n",
	      f);
}

static const struct option common_opts[] = {
	{ "root", required_argument, NULL, 'r' },
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "stats", no_argument, NULL, 's' },
	{ "pci-ids", required_argument, NULL, 'i' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "no-rollback", no_argument, NULL, 'R' },
	{ "change-log", required_argument, NULL, 'L' },
	{ "no-change-log", no_argument, NULL, 'N' },
	{ "lock-timeout", required_argument, NULL, 'T' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	/* hidden: the man page's generated parts (tools/update-man.py) */
	{ "dump-man", required_argument, NULL, 'D' },
	{ 0 }
};

/*
 * An unknown option, or one without its value: said once, in our words
 * (getopt's name the binary by its path, or a verb as the program), with
 * the verb's short usage.
 */
static void bad_option(int opt, int argc, char **argv, bool verb)
{
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
	char shortopt[3] = { '-', (char)optopt, 0 };
	const char *name = optopt && optopt != '?' && strncmp(arg, "--", 2) ?
				   shortopt : arg;

	cli_error("%s%s%s '%s'", verb ? argv[0] : "", verb ? ": " : "",
		  opt == ':' ? "option needs a value:" : "unknown option", name);
	cli_short_usage(verb ? argv[0] : NULL, stderr);
}

/* A table's text in roff: minus signs, backslashes. */
static void roff_put(const char *s)
{
	for (; *s; s++)
		fputs(*s == '-' ? "\\-" : *s == '\\' ? "\\e" : (char[]){ *s, 0 }, stdout);
}

/* --dump-man PART: the roff the man page's generated parts hold. */
static int dump_man(const char *part)
{
	const struct sriov_check_info *ci;

	if (strcmp(part, "synopsis") == 0) {
		cli_help_roff_synopsis(stdout);
	} else if (strcmp(part, "options") == 0) {
		for (const struct option *o = common_opts; o->name; o++)
			if (strcmp(o->name, "dump-man") != 0)
				printf("- - --%s\n", o->name);
		cli_help_list_options(stdout);
	} else if (strcmp(part, "check-ids") == 0) {
		for (size_t i = 0; (ci = sriov_check_info_at(i)); i++)
			printf(".BR %s%s\n", ci->id,
			       sriov_check_info_at(i + 1) ? " ," : " .");
	} else if (strcmp(part, "audit-rules") == 0) {
		const struct sriov_audit_rule_info *ri;

		for (size_t i = 0; (ri = sriov_audit_rule_at(i)); i++) {
			fputs(".TP\n.B ", stdout);
			roff_put(ri->id);
			fputs("\n", stdout);
			roff_put(ri->title);
			fputs(" (default: ", stdout);
			roff_put(ri->default_text);
			fputs(").\n", stdout);
		}
	} else if (strcmp(part, "export-formats") == 0) {
		for (int i = 0; i < SRIOV_EXPORT__COUNT; i++) {
			const struct sriov_export_format_info *x = sriov_export_format_info(i);

			if (!x)
				continue;
			fputs(".TP\n.B ", stdout);
			roff_put(x->name);
			if (x->arg)
				printf(" \" \" \\fI%s\\fR", x->arg);
			printf("\n(%s) ", x->consumer);
			roff_put(x->summary);
			fputs(".\n", stdout);
		}
	} else {
		cli_error("--dump-man takes synopsis, options, check-ids, audit-rules or export-formats");
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/*
 * Options common to every verb, accepted before or after it
 * (`sriovctl --json list` and `sriovctl list --json`). Returns -1 to go on,
 * or an exit code.
 */
static int parse_common(struct cli *c, int argc, char **argv, bool verb)
{
	int opt;

	/*
	 * Before the verb, stop at the verb ("+"); after it, let getopt
	 * move options behind the arguments to the front (show PF --json).
	 */
	optind = 0; /* 0, not 1: glibc re-reads the "+" of a new optstring */
	opterr = 0; /* our messages: "sriovctl: VERB: ...", not argv[0]'s */
	while ((opt = getopt_long(argc, argv, verb ? ":r:jpsi:nhV" : "+:r:jpsi:nhV",
				  common_opts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			c->root = optarg;
			break;
		case 'j':
			c->json = true;
			break;
		case 'p':
			c->pretty = true;
			break;
		case 's':
			c->stats = true;
			break;
		case 'i':
			c->pci_ids = optarg;
			break;
		case 'n':
			c->dry_run = true;
			break;
		case 'R':
			c->no_rollback = true;
			break;
		case 'L':
			c->change_log = optarg;
			break;
		case 'N':
			c->change_log = "-";
			break;
		case 'T': {
			char *end;
			long v;

			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 0 || v > 86400) {
				cli_error("--lock-timeout takes whole seconds (0..86400), not '%s'",
					  optarg);
				return EXIT_USAGE;
			}
			c->lock_timeout = (int)v;
			break;
		}
		case 'h':
			if (!verb || cli_help(argv[0], cli_help_sub(argv[0], argc, argv),
					      stdout) < 0)
				usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("sriovctl %s\n", SRIOVCTL_VERSION);
			return EXIT_OK;
		case 'D':
			return dump_man(optarg);
		default:
			bad_option(opt, argc, argv, verb);
			return EXIT_USAGE;
		}
	}
	return -1;
}

int cli_args(struct cli *c, int argc, char **argv, int min, int max,
	     char ***args, int *nargs)
{
	int r = parse_common(c, argc, argv, true);

	if (r >= 0)
		return r;
	*args = argv + optind;
	*nargs = argc - optind;
	if (*nargs < min || *nargs > max) {
		cli_error("%s: takes %s%d argument%s", argv[0],
			  min == max ? "" : *nargs < min ? "at least " : "at most ",
			  min == max || *nargs < min ? min : max,
			  (min == max || *nargs < min ? min : max) == 1 ? "" : "s");
		cli_short_usage(argv[0], stderr);
		return EXIT_USAGE;
	}
	r = sriov_ctx_new(c->root, &c->ctx);
	if (r < 0) {
		cli_error("cannot open root directory %s: %s", c->root,
			  strerror(-r));
		return EXIT_FAILED;
	}
	if (c->pci_ids && sriov_ctx_set_pci_ids(c->ctx, c->pci_ids) < 0)
		return EXIT_FAILED;
	return -1;
}

/* "sriovctl apply --boot": the command line as typed, for the change log. */
static char *join_command(int argc, char **argv)
{
	size_t len = sizeof("sriovctl");
	char *s;

	for (int i = 1; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	strcpy(s, "sriovctl");
	for (int i = 1; i < argc; i++) {
		strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

static int run(struct cli *c, int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(struct cli *, int, char **);
	} verbs[] = {
		{ "list", cmd_list }, { "ls", cmd_list }, { "show", cmd_show },
		{ "vf", cmd_vf }, { "pf", cmd_pf },
		{ "save", cmd_save }, { "restore", cmd_restore },
		{ "check", cmd_check },
		{ "explain", cmd_explain },
		{ "policy", cmd_policy },
		{ "plan", cmd_plan }, { "apply", cmd_apply },
		{ "export", cmd_export },
		{ "match", cmd_match },
		{ "audit", cmd_audit },
	};
	static char *default_argv[] = { "list", NULL };
	int r;

	r = parse_common(c, argc, argv, false);
	if (r >= 0)
		return r;
	argc -= optind;
	argv += optind;
	/*
	 * Plain sriovctl lists, as plain systemctl does; on a terminal a hint
	 * follows on stderr (as ip's usage): a script's output stays the list.
	 */
	if (argc == 0) {
		r = cmd_list(c, 1, default_argv);
		if (r == EXIT_OK && isatty(STDOUT_FILENO) && !c->json)
			fputs("(sriovctl alone runs 'sriovctl list'; 'sriovctl help' lists the commands)\n",
			      stderr);
		return r;
	}
	if (strcmp(argv[0], "help") == 0) {
		if (argc == 1) {
			usage(stdout);
			return EXIT_OK;
		}
		if (argc > 3 || !cli_help_known(argv[1], argc == 3 ? argv[2] : NULL)) {
			cli_error("help: no command '%s%s%s'; 'sriovctl help' lists them",
				  argv[1], argc > 2 ? " " : "", argc > 2 ? argv[2] : "");
			return EXIT_USAGE;
		}
		return cli_help(argv[1], argc == 3 ? argv[2] : NULL, stdout) < 0 ?
			       EXIT_USAGE : EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(argv[0], verbs[i].name) == 0)
			return verbs[i].fn(c, argc, argv);
	cli_error("unknown command '%s'; 'sriovctl help' lists the commands", argv[0]);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	struct cli c = { .root = "/", .lock_timeout = -1, .lock_fd = -1 };
	char *command = join_command(argc, argv);  /* before getopt reorders argv */
	int r, err;

	c.command = command ? command : "sriovctl";
	cli_output_open(&c);
	/* Past RLIMIT_FSIZE a write fails (EFBIG) instead of killing us. */
	signal(SIGXFSZ, SIG_IGN);
	r = run(&c, argc, argv);
	/* every command, --help and --version too: a lost line is a failure */
	err = cli_output_close(&c);
	if (err) {
		cli_error("write error: %s", strerror(err));
		r = EXIT_FAILED;
	}
	if (c.lock_fd >= 0)
		close(c.lock_fd);
	sriov_ctx_free(c.ctx);
	free(command);
	return r;
}
