/* SPDX-License-Identifier: MIT */
/*
 * `sriovctl vf VFS bind DRIVER | bind --kernel | unbind`: the kernel's
 * intended path (driver_override, unbind, drivers_probe), IOMMU group
 * viability for vfio-pci, and all-or-nothing application with rollback.
 */
#include "ops/bind.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctx.h"
#include "io/module.h"
#include "io/parse.h"
#include "util/strv.h"

/* What unbind leaves in driver_override: no driver is named "none". */
#define OVERRIDE_NONE "none"

static void say(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* One rule for driver names: io/parse.h says which and why. */
bool bind_driver_name_ok(const char *d)
{
	return driver_name_valid(d);
}

bool bind_is_vfio(const char *d)
{
	size_t n = d ? strlen(d) : 0;

	return n >= 8 && (strcmp(d + n - 8, "vfio-pci") == 0 ||
			  strcmp(d + n - 8, "vfio_pci") == 0);
}

/*
 * The kernel lets vfio use a group when every other member is driverless
 * or bound to a driver that manages DMA itself (driver_managed_dma:
 * vfio-pci and its variants, pci-stub, and pcieport for bridges).
 */
bool sriov_vfio_group_driver_ok(const char *driver)
{
	return !driver || bind_is_vfio(driver) ||
	       strcmp(driver, "pci-stub") == 0 ||
	       strcmp(driver, "pcieport") == 0;
}

static int read_attr(struct sriov_ctx *ctx, const char *addr,
		     const char *attr, char *buf, size_t size)
{
	char path[128];
	ssize_t n;

	snprintf(path, sizeof(path), "sys/bus/pci/devices/%s/%s", addr, attr);
	n = rootfs_read(ctx->rfs, ROOTFS_TOP, path, buf, size - 1);
	if (n < 0)
		return (int)n;
	buf[n] = '\0';
	return (int)n;
}

/* driver_override of a device not in the model; *out NULL when unset. */
static int read_override(struct sriov_ctx *ctx, const char *addr, char **out)
{
	char buf[128], tok[128];
	int n = read_attr(ctx, addr, "driver_override", buf, sizeof(buf));

	*out = NULL;
	if (n == -ENOENT)
		return 0;
	if (n < 0)
		return n;
	if (parse_token(buf, (size_t)n, tok, sizeof(tok)) < 0 || !tok[0])
		return 0;
	*out = strdup(tok);
	return *out ? 0 : -ENOMEM;
}

static bool is_bridge(struct sriov_ctx *ctx, const char *addr)
{
	char buf[32];
	uint32_t cls;
	int n = read_attr(ctx, addr, "class", buf, sizeof(buf));

	return n > 0 && parse_hex_prefixed(buf, (size_t)n, 0xffffff, &cls) == 0 &&
	       cls >> 8 == 0x0604;
}

static unsigned numvfs(struct sriov_ctx *ctx, const char *addr)
{
	char buf[32];
	unsigned v;
	int n = read_attr(ctx, addr, "sriov_numvfs", buf, sizeof(buf));

	return n > 0 && parse_uint(buf, (size_t)n, 0xffff, &v) == 0 ? v : 0;
}

static void step_free(struct sriov_bind_step *s)
{
	free(s->name);
	free(s->old_driver);
	free(s->old_override);
	free(s->new_override);
	free(s->new_driver);
	free(s->released);
}

void sriov_bind_plan_free(struct sriov_bind_plan *plan)
{
	if (!plan)
		return;
	for (size_t i = 0; i < plan->n; i++)
		step_free(&plan->v[i]);
	free(plan->v);
	free(plan->driver);
	free(plan);
}

static struct sriov_bind_step *find_step(struct sriov_bind_plan *p,
					 const char *addr)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].address, addr) == 0)
			return &p->v[i];
	return NULL;
}

/* Decide what the step writes for the plan's mode. */
static int step_decide(struct sriov_bind_plan *p, struct sriov_bind_step *s)
{
	const char *ov = NULL;

	switch (p->mode) {
	case SRIOV_BIND_DRIVER:
		s->want = p->driver;
		if (str_same(s->old_driver, p->driver))
			return 0; /* already there: nothing written */
		ov = p->driver;
		s->unbind = s->old_driver != NULL;
		s->probe = true;
		break;
	case SRIOV_BIND_KERNEL:
		if (!s->old_override && s->old_driver)
			return 0;
		s->unbind = s->old_override && s->old_driver;
		s->probe = true;
		break;
	case SRIOV_BIND_UNBIND:
		ov = OVERRIDE_NONE;
		s->unbind = s->old_driver != NULL;
		break;
	}
	if (!str_same(ov, s->old_override)) {
		s->write_override = true;
		if (ov && !(s->new_override = strdup(ov)))
			return -ENOMEM;
	} else if (ov && !(s->new_override = strdup(ov))) {
		return -ENOMEM;
	}
	return 0;
}

static int add_step(struct sriov_bind_plan *p, const char *addr,
		    const char *name, const char *driver, const char *override,
		    bool member)
{
	struct sriov_bind_step *v, *s;

	v = realloc(p->v, (p->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	p->v = v;
	s = &p->v[p->n++];
	memset(s, 0, sizeof(*s));
	snprintf(s->address, sizeof(s->address), "%s", addr);
	s->group_member = member;
	s->name = strdup(name);
	if (!s->name || (driver && !(s->old_driver = strdup(driver))) ||
	    (override && !(s->old_override = strdup(override))))
		return -ENOMEM;
	return step_decide(p, s);
}

static void vf_name(const struct sriov_pf *pf, const struct sriov_vf *vf,
		    char *buf, size_t len)
{
	snprintf(buf, len, "%s/vf%u",
		 pf->n_netdevs ? pf->netdevs[0].name : pf->address, vf->index);
}

static void append(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

/*
 * The other members of @vf's IOMMU group: fine for vfio, in the plan,
 * added to it (@group), or in the way (listed in @way).
 */
static int group_check(struct sriov_ctx *ctx, struct sriov_bind_plan *p,
		       const struct sriov_vf_ref *ref, bool group,
		       char *way, size_t waylen, bool *pf_in_way,
		       char *err, size_t errlen)
{
	struct sriov_strv members = { 0 };
	const struct sriov_vf *vf = ref->vf;
	int r;

	r = sriov_iommu_group_devices(ctx, vf->iommu_group, &members);
	if (r < 0) {
		say(err, errlen, "%s: cannot read IOMMU group %d: %s",
		    vf->address, vf->iommu_group, strerror(-r));
		return r;
	}
	for (size_t i = 0; i < members.n && r == 0; i++) {
		const char *m = members.v[i];
		char *drv = NULL, *ov = NULL;
		bool own_pf = strcmp(m, ref->pf->address) == 0;

		if (strcmp(m, vf->address) == 0 || find_step(p, m))
			continue;
		r = sriov_pci_device_driver(ctx, m, &drv);
		if (r < 0) {
			say(err, errlen, "%s: cannot read the driver of %s, in its IOMMU group %d: %s",
			    vf->address, m, vf->iommu_group, strerror(-r));
			break;
		}
		if (sriov_vfio_group_driver_ok(drv)) {
			free(drv);
			continue;
		}
		if (group && (own_pf || numvfs(ctx, m) > 0)) {
			say(err, errlen, "%s: IOMMU group %d holds %s (%s), %s; unbinding a PF's driver disables its VFs, so --group cannot take it: enable ACS on the path to the PF (or use a slot whose ports have ACS) so that the VFs get IOMMU groups of their own",
			    vf->address, vf->iommu_group, m, drv,
			    own_pf ? "the VF's own PF" : "a PF with VFs enabled");
			free(drv);
			r = -EXDEV;
			break;
		}
		if (group && !is_bridge(ctx, m)) {
			r = read_override(ctx, m, &ov);
			if (r == 0)
				r = add_step(p, m, m, drv, ov, true);
			free(ov);
			free(drv);
			continue;
		}
		append(way, waylen, "%s%s is bound to %s%s", *way ? ", " : "",
		       m, drv, own_pf ? " (the VF's own PF)" :
		       is_bridge(ctx, m) ? " (a bridge)" : "");
		if (own_pf || numvfs(ctx, m) > 0)
			*pf_in_way = true;
		free(drv);
	}
	sriov_strv_free(&members);
	return r;
}

static int vfio_check(struct sriov_ctx *ctx, const struct sriov_host *host,
		      struct sriov_bind_plan *p,
		      const struct sriov_vf_refs *vfs, unsigned flags,
		      char *err, size_t errlen)
{
	for (size_t i = 0; i < vfs->n; i++) {
		const struct sriov_vf_ref *ref = &vfs->v[i];
		char way[1024] = "";
		bool pf_in_way = false;
		int r;

		if (!find_step(p, ref->vf->address)->probe)
			continue; /* already bound to it */
		if (!host->iommu_enabled) {
			say(err, errlen, "%s: vfio-pci needs an IOMMU and this host has none enabled (no IOMMU groups in /sys/kernel/iommu_groups): enable VT-d/AMD-Vi in the firmware and boot with intel_iommu=on or amd_iommu=on (vfio's noiommu mode gives a guest unchecked DMA and is unsafe)",
			    ref->vf->address);
			return -ENODEV;
		}
		if (ref->vf->iommu_group < 0) {
			say(err, errlen, "%s: the VF has no IOMMU group, so vfio-pci cannot use it: check that the IOMMU covers this PCI segment (dmesg | grep -i -e DMAR -e IOMMU)",
			    ref->vf->address);
			return -ENODEV;
		}
		r = group_check(ctx, p, ref, flags & SRIOV_BIND_GROUP, way,
				sizeof(way), &pf_in_way, err, errlen);
		if (r < 0)
			return r;
		if (!*way)
			continue;
		if (pf_in_way)
			say(err, errlen, "%s: IOMMU group %d is not viable for vfio-pci: %s; every device of a group must be bound to vfio-pci or have no driver, and a PF cannot leave its driver without losing its VFs: enable ACS on the path to the PF so that the VFs get IOMMU groups of their own",
			    ref->vf->address, ref->vf->iommu_group, way);
		else
			say(err, errlen, "%s: IOMMU group %d is not viable for vfio-pci: %s; every device of a group must be bound to vfio-pci or have no driver: add --group to bind the whole group, or unbind those first",
			    ref->vf->address, ref->vf->iommu_group, way);
		return -EBUSY;
	}
	return 0;
}

/*
 * Unbinding a VF from vfio-pci while a process (a VM) holds its device
 * blocks in the kernel until the process lets go: refuse, naming it.
 */
static int vfio_holders_check(struct sriov_ctx *ctx,
			      const struct sriov_vf_ref *ref,
			      const struct sriov_bind_step *s, char *err,
			      size_t errlen)
{
	struct sriov_holders h = { 0 };
	char what[256];
	int r;

	if (!s->unbind || !bind_is_vfio(s->old_driver))
		return 0;
	r = sriov_vf_holders(ctx, ref->pf, ref->vf->index, &h);
	if (r < 0)
		return r;
	for (size_t i = 0; i < h.n; i++) {
		if (h.v[i].kind != SRIOV_HOLDER_VFIO ||
		    h.v[i].vf_index != ref->vf->index)
			continue;
		sriov_holder_describe(&h.v[i], what, sizeof(what));
		say(err, errlen,
		    "%s: unbinding it from %s would block until that process lets go of it; stop the process (shut the guest down) first",
		    what, s->old_driver);
		r = -EBUSY;
		break;
	}
	sriov_holders_free(&h);
	return r;
}

int sriov_bind_plan_new(struct sriov_ctx *ctx, const struct sriov_host *host,
			const struct sriov_vf_refs *vfs, int mode,
			const char *driver, unsigned flags,
			struct sriov_bind_plan **out, char *err, size_t errlen)
{
	struct sriov_bind_plan *p;
	char path[128];
	int r = 0;

	*out = NULL;
	if (mode == SRIOV_BIND_DRIVER) {
		if (!bind_driver_name_ok(driver)) {
			say(err, errlen, "'%s' is not a driver name (letters, digits, '_', '-', '.')",
			    driver ? driver : "");
			return -EINVAL;
		}
		if (strcmp(driver, OVERRIDE_NONE) == 0) {
			say(err, errlen, "no driver is called 'none': use 'unbind' to leave VFs without a driver");
			return -EINVAL;
		}
	} else if (mode != SRIOV_BIND_KERNEL && mode != SRIOV_BIND_UNBIND) {
		return -EINVAL;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->mode = mode;
	if (driver && mode == SRIOV_BIND_DRIVER && !(p->driver = strdup(driver)))
		r = -ENOMEM;
	for (size_t i = 0; r == 0 && i < vfs->n; i++) {
		const struct sriov_vf_ref *ref = &vfs->v[i];
		char name[300];

		vf_name(ref->pf, ref->vf, name, sizeof(name));
		r = add_step(p, ref->vf->address, name, ref->vf->driver,
			     ref->vf->driver_override, false);
		if (r == 0 && mode == SRIOV_BIND_KERNEL &&
		    p->v[p->n - 1].probe && !ref->pf->drivers_autoprobe)
			p->pf_autoprobe_off = true;
		if (r == 0)
			r = vfio_holders_check(ctx, ref, &p->v[p->n - 1], err,
					       errlen);
	}
	if (r == 0 && mode == SRIOV_BIND_DRIVER && bind_is_vfio(driver))
		r = vfio_check(ctx, host, p, vfs, flags, err, errlen);
	if (r == -ENOMEM)
		say(err, errlen, "out of memory");
	if (r < 0) {
		sriov_bind_plan_free(p);
		return r;
	}
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i].write_override || p->v[i].unbind || p->v[i].probe)
			p->n_work++;
	if (mode == SRIOV_BIND_DRIVER && p->n_work) {
		snprintf(path, sizeof(path), "sys/bus/pci/drivers/%s", driver);
		p->load_module = !rootfs_exists(ctx->rfs, ROOTFS_TOP, path);
	}
	*out = p;
	return 0;
}

/* ---------------------------------------------------------------- apply */

static int write_str(struct sriov_ctx *ctx, const char *path, const char *s)
{
	return rootfs_write(ctx->rfs, ROOTFS_TOP, path, s, strlen(s));
}

static int write_override(struct sriov_ctx *ctx, const char *addr,
			  const char *value)
{
	char path[128];

	snprintf(path, sizeof(path), "sys/bus/pci/devices/%s/driver_override",
		 addr);
	/* a lone newline clears it; the kernel reads it back as "(null)" */
	return write_str(ctx, path, value ? value : "\n");
}

static int unbind_dev(struct sriov_ctx *ctx, const char *addr)
{
	char path[128];

	snprintf(path, sizeof(path), "sys/bus/pci/devices/%s/driver/unbind",
		 addr);
	return write_str(ctx, path, addr);
}

static void nap_ms(long ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* The driver now bound; polls up to @ms for @want (a probe may be async). */
static int driver_now(struct sriov_ctx *ctx, const char *addr,
		      const char *want, long ms, char **out)
{
	for (;;) {
		int r = sriov_pci_device_driver(ctx, addr, out);

		if (r < 0 || str_same(*out, want) || ms <= 0)
			return r;
		free(*out);
		*out = NULL;
		nap_ms(50);
		ms -= 50;
	}
}

static int run_step(struct sriov_ctx *ctx, struct sriov_bind_plan *p,
		    struct sriov_bind_step *s, char *err, size_t errlen)
{
	int r, probe_err = 0;

	if (s->write_override) {
		r = write_override(ctx, s->address, s->new_override);
		if (r < 0) {
			say(err, errlen, "%s: writing '%s' to driver_override failed: %s",
			    s->address, s->new_override ? s->new_override : "",
			    strerror(-r));
			return r;
		}
		s->changed = true;
	}
	if (s->unbind) {
		r = unbind_dev(ctx, s->address);
		s->changed = true;
		if (r < 0 && r != -ENOENT) {
			say(err, errlen, "%s: unbinding it from %s failed: %s",
			    s->address, s->old_driver, strerror(-r));
			return r;
		}
	}
	if (s->probe) {
		/* the kernel swallows most probe errors: the result is judged
		 * by the driver link below */
		probe_err = write_str(ctx, "sys/bus/pci/drivers_probe",
				      s->address);
		s->changed = true;
	}
	r = driver_now(ctx, s->address, s->want,
		       p->mode == SRIOV_BIND_DRIVER ? 1000 : 0, &s->new_driver);
	if (r < 0) {
		say(err, errlen, "%s: cannot read its driver: %s", s->address,
		    strerror(-r));
		return r;
	}
	if (p->mode == SRIOV_BIND_KERNEL || str_same(s->new_driver, s->want))
		return 0;
	if (p->mode == SRIOV_BIND_UNBIND)
		say(err, errlen, "%s: still bound to %s after the unbind",
		    s->address, s->new_driver);
	else if (s->new_driver)
		say(err, errlen, "%s: %s took the device instead of %s",
		    s->address, s->new_driver, s->want);
	else
		say(err, errlen, "%s: %s did not take the device (%s): the driver rejected it or failed to probe it; see dmesg",
		    s->address, s->want,
		    probe_err ? strerror(-probe_err) : "it has no driver now");
	return -ENXIO;
}

/* Put @s back as it was: driver_override, then the driver. */
static int undo_step(struct sriov_ctx *ctx, struct sriov_bind_step *s,
		     char *msg, size_t msglen)
{
	char path[256], *cur = NULL;
	int r = 0, w;

	if (s->write_override) {
		w = write_override(ctx, s->address, s->old_override);
		if (w < 0) {
			append(msg, msglen, "; %s: restoring driver_override failed: %s",
			       s->address, strerror(-w));
			r = w;
		}
	}
	w = sriov_pci_device_driver(ctx, s->address, &cur);
	if (w == 0 && !str_same(cur, s->old_driver)) {
		if (cur)
			unbind_dev(ctx, s->address);
		if (s->old_driver) {
			/* straight to the old driver: a reprobe could pick
			 * another one */
			snprintf(path, sizeof(path), "sys/bus/pci/drivers/%s/bind",
				 s->old_driver);
			w = write_str(ctx, path, s->address);
			if (w < 0 && w != -EBUSY) {
				append(msg, msglen, "; %s: binding it back to %s failed: %s",
				       s->address, s->old_driver, strerror(-w));
				r = w;
			}
		}
	}
	free(cur);
	free(s->new_driver);
	s->new_driver = NULL;
	w = sriov_pci_device_driver(ctx, s->address, &s->new_driver);
	if (r == 0 && w == 0 && !str_same(s->new_driver, s->old_driver)) {
		append(msg, msglen, "; %s: could not be put back on %s",
		       s->address, s->old_driver ? s->old_driver : "no driver");
		r = -EIO;
	}
	s->changed = false;
	s->rolled_back = true;
	return r;
}

/* Undo every changed step up to @last, after step @last failed. */
static void roll_back(struct sriov_ctx *ctx, struct sriov_bind_plan *plan,
		      size_t last, char *err, size_t errlen)
{
	size_t undone = 0;

	plan->failed = last;
	for (size_t j = last + 1; j-- > 0;) {
		if (!plan->v[j].changed)
			continue;
		undo_step(ctx, &plan->v[j], err, errlen);
		undone++;
	}
	append(err, errlen, "; %zu device%s put back as before", undone,
	       undone == 1 ? "" : "s");
}

/*
 * Whether the driver has finished bringing the device up, where that shows
 * in sysfs: a network interface, or an NVMe controller in state "live".
 */
static bool device_ready(struct sriov_ctx *ctx, const char *addr)
{
	struct sriov_strv v = { 0 };
	char path[192], buf[32];
	bool ready = false;

	snprintf(path, sizeof(path), "sys/bus/pci/devices/%s/net", addr);
	if (rootfs_list(ctx->rfs, ROOTFS_TOP, path, &v) == 0 && v.n)
		ready = true;
	sriov_strv_free(&v);
	snprintf(path, sizeof(path), "sys/bus/pci/devices/%s/nvme", addr);
	if (!ready && rootfs_list(ctx->rfs, ROOTFS_TOP, path, &v) == 0) {
		for (size_t i = 0; i < v.n && !ready; i++) {
			ssize_t n;

			snprintf(path, sizeof(path),
				 "sys/bus/pci/devices/%s/nvme/%s/state", addr,
				 v.v[i]);
			n = rootfs_read(ctx->rfs, ROOTFS_TOP, path, buf,
					sizeof(buf));
			ready = n >= 4 && strncmp(buf, "live", 4) == 0;
		}
		sriov_strv_free(&v);
	}
	return ready;
}

#define SETTLE_MS 5000

/*
 * A driver can take a device and let it go later, when its asynchronous
 * start fails (nvme on QEMU's NVMe VFs, 0.5 s to a few seconds later under
 * emulation). Devices taken by a driver other than vfio-pci or pci-stub
 * are watched, up to SETTLE_MS, until they are ready or let go.
 */
static int settle(struct sriov_ctx *ctx, struct sriov_bind_plan *plan,
		  char *err, size_t errlen)
{
	bool *watch = calloc(plan->n ? plan->n : 1, sizeof(*watch));
	size_t left = 0;
	int r = 0;

	if (!watch)
		return 0; /* the binding itself is done and checked */
	for (size_t i = 0; i < plan->n; i++) {
		const struct sriov_bind_step *s = &plan->v[i];

		watch[i] = s->probe && s->new_driver &&
			   !bind_is_vfio(s->new_driver) &&
			   strcmp(s->new_driver, "pci-stub") != 0;
		left += watch[i];
	}
	for (long ms = 0; left && ms < SETTLE_MS; ms += 100) {
		for (size_t i = 0; i < plan->n; i++) {
			struct sriov_bind_step *s = &plan->v[i];
			char *now = NULL;

			if (!watch[i])
				continue;
			if (sriov_pci_device_driver(ctx, s->address, &now) < 0 ||
			    str_same(now, s->new_driver)) {
				free(now);
				if (device_ready(ctx, s->address)) {
					watch[i] = false;
					left--;
				}
				continue;
			}
			watch[i] = false;
			left--;
			s->released = s->new_driver;
			s->new_driver = now;
			if (plan->mode != SRIOV_BIND_DRIVER || str_same(now, s->want))
				continue;
			say(err, errlen, "%s: %s took the device and let it go again (its probe failed late; see dmesg), it now has %s",
			    s->address, s->released, now ? now : "no driver");
			roll_back(ctx, plan, plan->n - 1, err, errlen);
			plan->failed = i;
			r = -ENXIO;
			left = 0;
			break;
		}
		if (left)
			nap_ms(100);
	}
	free(watch);
	return r;
}

int sriov_bind_apply(struct sriov_ctx *ctx, struct sriov_bind_plan *plan,
		     char *err, size_t errlen)
{
	char path[128];
	int r;

	if (plan->load_module) {
		r = module_load(plan->driver, err, errlen);
		if (r < 0)
			return r;
		snprintf(path, sizeof(path), "sys/bus/pci/drivers/%s",
			 plan->driver);
		if (!rootfs_exists(ctx->rfs, ROOTFS_TOP, path)) {
			say(err, errlen, "the module for %s was loaded but no PCI driver of that name appeared (/sys/bus/pci/drivers/%s)",
			    plan->driver, plan->driver);
			return -ENOENT;
		}
		plan->module_loaded = true;
	}
	for (size_t i = 0; i < plan->n; i++) {
		struct sriov_bind_step *s = &plan->v[i];

		if (!s->write_override && !s->unbind && !s->probe)
			continue;
		r = run_step(ctx, plan, s, err, errlen);
		if (r < 0) {
			/* all or nothing: this one and every one before it */
			roll_back(ctx, plan, i, err, errlen);
			return r;
		}
	}
	return settle(ctx, plan, err, errlen);
}
