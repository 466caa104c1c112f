/* SPDX-License-Identifier: MIT */
/*
 * Policy checks: the host against its sriovctl policy (policy.drift), and
 * VFs configured by hand that the policy does not describe
 * (policy.unmanaged): what a reboot or the next apply would not bring back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"

static void report_errors(struct check_run *r, const struct sriov_policy *p)
{
	char line[512];

	sriov_policy_error_format(&p->errors[0], line, sizeof(line));
	check_add(r, "policy.drift", SRIOV_SEV_FAIL, "policy",
		  "fix the policy file, then `sriovctl policy check` and `sriovctl plan`",
		  "the policy has %zu error%s; the first: %s", p->n_errors,
		  p->n_errors == 1 ? "" : "s", line);
}

/* The PF's planned changes as one finding. */
static void report_drift(struct check_run *r, const struct sriov_pf *pf,
			 const struct sriov_plan *plan, bool matched)
{
	char ev[1024], line[256];
	size_t n = 0, len = 0;

	ev[0] = '\0';
	for (size_t i = 0; i < plan->n; i++) {
		if (strcmp(plan->v[i].pf, pf->address) != 0)
			continue;
		for (size_t j = 0; sriov_step_describe(&plan->v[i], j, line,
						       sizeof(line)) == 0; j++) {
			if (n++ < 4 && len < sizeof(ev))
				len += (size_t)snprintf(ev + len, sizeof(ev) - len,
							"%s%s", n > 1 ? "; " : "", line);
		}
	}
	if (n)
		check_add(r, "policy.drift", SRIOV_SEV_WARN, check_pf_name(pf),
			  "`sriovctl plan` lists the changes, `sriovctl apply` makes them",
			  "%zu change%s to reach the policy: %s%s", n,
			  n == 1 ? "" : "s", ev, n > 4 ? "; ..." : "");
	else if (matched)
		check_add(r, "policy.drift", SRIOV_SEV_OK, check_pf_name(pf), NULL,
			  "matches the policy");
}

/* What was set on @vf by hand, as "mac X, vlan Y"; "" when nothing. */
static void hand_settings(const struct sriov_vf *vf, char *buf, size_t len)
{
	const struct sriov_vf_link *l = &vf->link;
	size_t w = 0;

	buf[0] = '\0';
#define ADD(...) do { if (w < len) w += (size_t)snprintf(buf + w, len - w, \
	"%s", w ? ", " : ""); if (w < len) w += (size_t)snprintf(buf + w, len - w, __VA_ARGS__); } while (0)
	if (l->present && l->mac[0] && strcmp(l->mac, "00:00:00:00:00:00") != 0)
		ADD("mac %s", l->mac);
	if (l->present && l->vlan)
		ADD("vlan %u", l->vlan);
	if (l->present && l->max_tx_rate)
		ADD("max_tx_rate %u", l->max_tx_rate);
	if (l->present && l->min_tx_rate)
		ADD("min_tx_rate %u", l->min_tx_rate);
	if (l->present && l->trust == 1)
		ADD("trust on");
	if (vf->driver_override && strcmp(vf->driver_override, "none") != 0)
		ADD("driver_override %s", vf->driver_override);
#undef ADD
}

static bool covered(const struct sriov_policy *p, const struct sriov_host *host,
		    const struct sriov_pf *pf, unsigned idx)
{
	for (size_t i = 0; i < p->n_pfs; i++) {
		const struct sriov_pf *m[64];
		size_t n = sriov_policy_match(host, &p->pfs[i], m, 64);
		bool mine = false;

		for (size_t k = 0; k < n && k < 64; k++)
			mine |= m[k] == pf;
		for (size_t j = 0; mine && j < p->pfs[i].n_vfs; j++)
			if (idx >= p->pfs[i].vfs[j].first &&
			    idx <= p->pfs[i].vfs[j].last)
				return true;
	}
	return false;
}

static bool pf_in_policy(const struct sriov_policy *p,
			 const struct sriov_host *host, const struct sriov_pf *pf)
{
	for (size_t i = 0; i < p->n_pfs; i++) {
		const struct sriov_pf *m[64];
		size_t n = sriov_policy_match(host, &p->pfs[i], m, 64);

		for (size_t k = 0; k < n && k < 64; k++)
			if (m[k] == pf)
				return true;
	}
	return false;
}

static void report_unmanaged(struct check_run *r, const struct sriov_policy *p,
			     const struct sriov_pf *pf)
{
	char what[256], name[96];

	for (size_t i = 0; i < pf->n_vfs; i++) {
		const struct sriov_vf *vf = &pf->vfs[i];

		if (!check_sel_vf(r, pf, vf) || covered(p, r->host, pf, vf->index))
			continue;
		hand_settings(vf, what, sizeof(what));
		if (!what[0])
			continue;
		snprintf(name, sizeof(name), "%s/vf%u", check_pf_name(pf), vf->index);
		check_add(r, "policy.unmanaged", SRIOV_SEV_WARN, name,
			  "add the VF to the policy (`sriovctl save` shows its values), or clear the settings",
			  "configured by hand (%s), not in the policy: a reboot or a re-created VF loses it",
			  what);
	}
}

void checks_policy(struct check_run *r)
{
	struct sriov_policy_plan_opts o = { 0 };
	struct sriov_policy *p = NULL;
	struct sriov_plan plan = { 0 };
	char err[512], id[40];
	int e;

	e = sriov_policy_load(r->ctx, NULL, &p, err, sizeof(err));
	if (e == -ENOENT && !p)
		return;  /* no policy: vf.persisted says what that means */
	if (e == -ENOMEM) {
		r->err = e;
		return;
	}
	if (e < 0) {
		check_add(r, "policy.drift", SRIOV_SEV_FAIL, "policy",
			  "make the policy readable, then `sriovctl policy check`",
			  "%s", err);
		sriov_policy_free(p);
		return;
	}
	if (sriov_policy_machine_id(r->ctx, id, sizeof(id)) == 0)
		o.host_id = id;
	if (p->n_errors == 0 &&
	    (e = sriov_policy_plan(r->host, p, &o, &plan)) < 0)
		r->err = e;
	if (p->n_errors) {
		report_errors(r, p);
	} else if (e == 0) {
		for (size_t i = 0; i < r->host->n_pfs; i++) {
			const struct sriov_pf *pf = &r->host->pfs[i];

			if (!check_sel_pf(r, pf))
				continue;
			report_drift(r, pf, &plan, pf_in_policy(p, r->host, pf));
			report_unmanaged(r, p, pf);
		}
	}
	sriov_plan_clear(&plan);
	sriov_policy_free(p);
}
