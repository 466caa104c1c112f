/* SPDX-License-Identifier: MIT */
/*
 * libsriov — `sriovctl audit`: the security baseline of the VFs handed to
 * guests and pods (docs/audit.md), its YAML file, and the audit of a host
 * against it. Reads only; nothing here changes the host.
 */
#ifndef SRIOV_AUDIT_H
#define SRIOV_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sriov/common.h"
#include "sriov/context.h"
#include "sriov/model.h"
#include "sriov/policy.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SRIOV_AUDIT_SCHEMA "sriovctl.audit/v1"

/* The rules, in report order; ids are stable (sriov_audit_rule_info). */
enum sriov_audit_rule {
	SRIOV_AUDIT_SPOOFCHK,    /* vf.spoofchk */
	SRIOV_AUDIT_TRUST,       /* vf.trust */
	SRIOV_AUDIT_VLAN,        /* vf.vlan */
	SRIOV_AUDIT_MAC,         /* vf.mac */
	SRIOV_AUDIT_RATE,        /* vf.rate */
	SRIOV_AUDIT_GROUP,       /* vf.iommu-group */
	SRIOV_AUDIT_POLICY_PF,   /* vf.policy-pf */
	SRIOV_AUDIT_IOMMU,       /* host.iommu */
	SRIOV_AUDIT__COUNT
};

/* One rule of the table (static data): CLI help, docs and JSON use it. */
struct sriov_audit_rule_info {
	const char *id;           /* "vf.spoofchk" */
	const char *title;        /* one line */
	const char *reads;        /* where the actual value comes from */
	const char *default_text; /* the built-in baseline's setting */
	bool default_on;
};

/* The rule @i (enum sriov_audit_rule), NULL past the end. */
const struct sriov_audit_rule_info *sriov_audit_rule_at(size_t i);
/* The index of rule @id, or -1. */
int sriov_audit_rule_find(const char *id);

/* An exception: rules a set of VFs is excused from, and why. */
struct sriov_audit_exception {
	char *vfs;               /* "ens1f0/vf2-3", as sriov_host_resolve_vfs takes it */
	unsigned rules;          /* 1u << enum sriov_audit_rule */
	char *reason;            /* mandatory, not empty */
	struct sriov_policy_loc loc;  /* of the entry; file owned by the baseline */
};

/* At most this many exceptions in a baseline. */
#define SRIOV_AUDIT_EXCEPTIONS_MAX 4096

struct sriov_baseline {
	unsigned enabled;                /* 1u << enum sriov_audit_rule */
	unsigned max_tx_rate_cap;        /* vf.rate: Mb/s, 0: no cap */
	unsigned min_tx_rate_cap;
	struct sriov_audit_exception *exceptions;
	size_t n_exceptions;
	struct sriov_strv files;         /* the file read, for the locations */
	struct sriov_policy_error *errors;  /* FILE:LINE:COLUMN, in file order */
	size_t n_errors;
};

/* The built-in baseline (docs/audit.md). 0 or -ENOMEM; free with sriov_baseline_free(). */
int sriov_baseline_new(struct sriov_baseline **out);
void sriov_baseline_free(struct sriov_baseline *b);

/*
 * Parse @len bytes of baseline YAML named @name (for messages) over the
 * built-in defaults in @b. Errors are collected in @b->errors, not
 * returned: the return is 0, or -ENOMEM.
 */
int sriov_baseline_parse(struct sriov_baseline *b, const char *name,
			 const char *text, size_t len);

/*
 * The baseline @path (opened as given, not under the root; at most 1 MiB)
 * parsed over the defaults, or the built-in one when @path is NULL.
 * Returns 0 with *out set (look at its n_errors), or -errno with @err
 * naming the file. Free with sriov_baseline_free().
 */
int sriov_baseline_load(const char *path, struct sriov_baseline **out,
			char *err, size_t errlen);

/* How a finding turned out. */
enum sriov_audit_status {
	SRIOV_AUDIT_PASS,
	SRIOV_AUDIT_SKIP,        /* could not be read here: actual says why */
	SRIOV_AUDIT_EXCEPTED,    /* a violation the baseline excuses: reason */
	SRIOV_AUDIT_FAIL,
};

/* "pass", "skip", "excepted", "fail". */
const char *sriov_audit_status_name(enum sriov_audit_status s);

/* Who a VF is handed to (struct sriov_audit_finding.consumer). */
enum sriov_audit_consumer {
	SRIOV_AUDIT_HOST,        /* nobody: host-wide or a host-used VF */
	SRIOV_AUDIT_GUEST,       /* on vfio-pci, or its vfio device open */
	SRIOV_AUDIT_POD,         /* its netdev in another network namespace */
};

/* "host", "guest", "pod". */
const char *sriov_audit_consumer_name(enum sriov_audit_consumer c);

/* One rule on one device (or the host). Strings are owned by the report. */
struct sriov_audit_finding {
	enum sriov_audit_rule rule;
	enum sriov_audit_status status;
	char *device;            /* "ens1f0/vf2"; "host" for host rules */
	char *address;           /* the VF's PCI address; NULL: none */
	enum sriov_audit_consumer consumer;
	char *expected;
	char *actual;
	char *holder;            /* "pid 4242 (qemu-system-x86) has /dev/vfio/12
				    open"; NULL when none is known */
	int holder_pid;          /* 0 when not a process */
	char *fix;               /* the command that fixes it; NULL for pass, skip */
	char *reason;            /* EXCEPTED: the exception's reason, else NULL */
	char *exception_at;      /* EXCEPTED: "FILE:LINE:COLUMN" of the exception */
};

struct sriov_audit_report {
	struct sriov_audit_finding *v;  /* rule order, then device order */
	size_t n;
	size_t n_by_status[4];          /* indexed by enum sriov_audit_status */
	size_t vfs_handed;              /* VFs audited as handed to a consumer */
	struct sriov_strv warnings;     /* exceptions naming nothing here, ... */
};

/*
 * Audit the VFs of @host (the PFs and VFs named in @devices, as
 * sriov_host_resolve takes them, or all when @n_devices is 0) against @b:
 * reads the holders (sriov_vf_holders) and the IOMMU groups
 * (sriov_host_load_groups) through @ctx. @policy: the host policy for
 * vf.policy-pf, NULL when there is none (the rule is skipped). A rule whose
 * input is unreadable here (no netlink view off the live host) is a
 * SRIOV_AUDIT_SKIP finding. Returns 0, -ENOENT / -EINVAL / -ERANGE with
 * @err naming a device, or -ENOMEM. Free with sriov_audit_report_free().
 */
int sriov_audit_run(struct sriov_ctx *ctx, struct sriov_host *host,
		    const struct sriov_baseline *b,
		    const struct sriov_policy *policy,
		    const char *const *devices, size_t n_devices,
		    struct sriov_audit_report **out, char *err, size_t errlen);
void sriov_audit_report_free(struct sriov_audit_report *rep);

/* The report as a table (non-pass findings) and a summary line. 0 or -errno. */
int sriov_audit_render_text(const struct sriov_audit_report *rep, bool all,
			    FILE *out);
/* The report as sriovctl.audit/v1 (docs/audit-schema.md). 0 or -errno. */
int sriov_audit_render_json(const struct sriov_audit_report *rep, bool pretty,
			    FILE *out);
/*
 * The report as JUnit XML: one <testsuite> per rule, one <testcase> per
 * finding (<failure> for fail, <skipped> for skip and excepted). *xml is
 * malloc'd and NUL-terminated. Returns 0 or -ENOMEM.
 */
int sriov_audit_junit(const struct sriov_audit_report *rep, char **xml,
		      size_t *len);

#ifdef __cplusplus
}
#endif

#endif
