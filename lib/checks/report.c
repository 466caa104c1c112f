/* SPDX-License-Identifier: MIT */
/* Running the checks and collecting their findings into a report. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks/checks.h"

/* modules.alias of a distribution kernel is ~1.5 MB; leave room. */
#define MAX_FILE (64u << 20)

void check_add(struct check_run *r, const char *id, int severity,
	       const char *subject, const char *remedy, const char *fmt, ...)
{
	struct sriov_check_report *rep = r->rep;
	struct sriov_finding *f, *v;
	va_list ap;
	char *ev = NULL;
	int n;

	v = realloc(rep->v, (rep->n + 1) * sizeof(*v));
	if (!v) {
		r->err = -ENOMEM;
		return;
	}
	rep->v = v;
	va_start(ap, fmt);
	n = vasprintf(&ev, fmt, ap);
	va_end(ap);
	f = &rep->v[rep->n];
	*f = (struct sriov_finding){
		.check = check_info(id),
		.severity = severity,
		.subject = subject ? strdup(subject) : NULL,
		.evidence = n < 0 ? NULL : ev,
		.remedy = remedy && severity >= SRIOV_SEV_WARN ? strdup(remedy) : NULL,
	};
	if (!f->check || n < 0 || (subject && !f->subject) ||
	    (remedy && severity >= SRIOV_SEV_WARN && !f->remedy)) {
		free(f->subject);
		free(f->evidence);
		free(f->remedy);
		r->err = f->check ? -ENOMEM : -EINVAL;
		return;
	}
	rep->n++;
	rep->n_by_severity[severity]++;
}

char *check_read_file(struct check_run *r, const char *path, int *err)
{
	char *buf;
	int fd = rootfs_open(r->ctx->rfs, ROOTFS_TOP, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		*err = fd;
		return NULL;
	}
	*err = rootfs_read_all(fd, MAX_FILE, &buf, NULL);
	close(fd);
	return buf;
}

bool check_sel_pf(const struct check_run *r, const struct sriov_pf *pf)
{
	if (r->n_sel == 0)
		return true;
	for (size_t i = 0; i < r->n_sel; i++)
		if (r->sel[i].pf == pf)
			return true;
	return false;
}

bool check_sel_vf(const struct check_run *r, const struct sriov_pf *pf,
		  const struct sriov_vf *vf)
{
	if (r->n_sel == 0)
		return true;
	for (size_t i = 0; i < r->n_sel; i++)
		if (r->sel[i].pf == pf && (!r->sel[i].vf || r->sel[i].vf == vf))
			return true;
	return false;
}

const char *check_pf_name(const struct sriov_pf *pf)
{
	return pf->n_netdevs ? pf->netdevs[0].name : pf->address;
}

static int select_devices(struct check_run *r, const char *const *devices,
			  size_t n, char *err, size_t errlen)
{
	r->sel = calloc(n, sizeof(*r->sel));
	if (!r->sel)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct check_sel *s = &r->sel[i];
		char *addr = NULL, *drv = NULL;
		int e = sriov_host_resolve(r->host, devices[i], &s->pf, &s->vf);

		if (e == 0) {
			snprintf(s->address, sizeof(s->address), "%s",
				 s->vf ? s->vf->address : s->pf->address);
			continue;
		}
		if (e == -ENOENT &&
		    sriov_lookup_non_sriov(r->ctx, devices[i], &addr, &drv) == 0 &&
		    addr) {
			s->pf = NULL;
			snprintf(s->address, sizeof(s->address), "%s", addr);
			free(addr);
			free(drv);
			continue;
		}
		free(addr);
		free(drv);
		if (e == -EINVAL) {
			snprintf(err, errlen,
				 "'%s' is not a device name: use a netdev (ens1f0), a PCI address (0000:3b:00.0, 3b:00.0) or PF/vfN (ens1f0/vf3)",
				 devices[i]);
			return e;
		}
		snprintf(err, errlen,
			 "no PCI device or SR-IOV PF/VF named '%s' under %s; 'sriovctl list' shows the SR-IOV devices",
			 devices[i], r->host->root);
		return e == -ENOMEM ? e : -ENOENT;
	}
	r->n_sel = n;
	return 0;
}

/* Group the findings by area, keeping the run order inside each. */
static int group_by_area(struct sriov_check_report *rep)
{
	struct sriov_finding *v;
	size_t k = 0;

	if (rep->n == 0)
		return 0;
	v = malloc(rep->n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (enum sriov_check_area area = SRIOV_AREA_HOST; area <= SRIOV_AREA_VF; area++)
		for (size_t i = 0; i < rep->n; i++)
			if (rep->v[i].check->area == area)
				v[k++] = rep->v[i];
	free(rep->v);
	rep->v = v;
	return 0;
}

int sriov_check_run(struct sriov_ctx *ctx, const struct sriov_host *host,
		    const char *const *devices, size_t n_devices,
		    struct sriov_check_report **out, char *err, size_t errlen)
{
	struct check_run r = { .ctx = ctx, .host = host };
	int e;

	*out = NULL;
	if (errlen)
		err[0] = '\0';
	r.rep = calloc(1, sizeof(*r.rep));
	if (!r.rep)
		return -ENOMEM;
	e = select_devices(&r, devices, n_devices, err, errlen);
	if (e == 0) {
		checks_host(&r);
		checks_pci(&r);
		checks_drivers(&r);
		checks_quirks(&r);
		checks_vfstate(&r);
		checks_policy(&r);
		checks_perf(&r);
		e = r.err;
	}
	free(r.sel);
	free(r.cmdline);
	host_modules_clear(&r.mods);
	if (e == 0)
		e = group_by_area(r.rep);
	if (e < 0) {
		sriov_check_report_free(r.rep);
		return e;
	}
	*out = r.rep;
	return 0;
}

void sriov_check_report_free(struct sriov_check_report *rep)
{
	if (!rep)
		return;
	for (size_t i = 0; i < rep->n; i++) {
		free(rep->v[i].subject);
		free(rep->v[i].evidence);
		free(rep->v[i].remedy);
	}
	free(rep->v);
	free(rep);
}

void sriov_check_report_filter(struct sriov_check_report *rep,
			       enum sriov_severity min_severity)
{
	size_t k = 0;

	for (size_t i = 0; i < rep->n; i++) {
		struct sriov_finding *f = &rep->v[i];

		if (f->severity >= min_severity) {
			rep->v[k++] = *f;
			continue;
		}
		free(f->subject);
		free(f->evidence);
		free(f->remedy);
	}
	rep->n = k;
}
