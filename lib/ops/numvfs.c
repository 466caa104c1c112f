/* SPDX-License-Identifier: MIT */
/*
 * Changing a PF's VF count: sriov_numvfs with the kernel's rules (a
 * different non-zero count only through 0), holders checked before VFs are
 * removed, every write bounded in time, rollback when a step fails.
 */
#include "ops/numvfs.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ctx.h"
#include "host/holders.h"
#include "host/pcidev.h"
#include "io/parse.h"

#define CARRIER_WAIT_MS 10000u
#define POLL_MS 50

static unsigned long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long)ts.tv_sec * 1000ul +
	       (unsigned long)ts.tv_nsec / 1000000ul;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000l };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

void numvfs_steps(struct sriov_numvfs_plan *plan, unsigned old, unsigned new,
		  int old_ap, int new_ap)
{
	size_t n = 0;

	plan->old_vfs = old;
	plan->new_vfs = new;
	plan->old_autoprobe = old_ap;
	plan->new_autoprobe = new_ap < 0 ? old_ap : new_ap;
	/* the kernel changes a non-zero count only through 0 */
	if (old != 0 && old != new)
		plan->steps[n++] = (struct sriov_numvfs_step){
			SRIOV_NUMVFS_WRITE, old, 0 };
	if (plan->new_autoprobe != old_ap)
		plan->steps[n++] = (struct sriov_numvfs_step){
			SRIOV_AUTOPROBE_WRITE, (unsigned)old_ap,
			(unsigned)plan->new_autoprobe };
	if (new != 0 && new != old)
		plan->steps[n++] = (struct sriov_numvfs_step){
			SRIOV_NUMVFS_WRITE, 0, new };
	plan->n_steps = n;
}

int sriov_numvfs_plan(struct sriov_ctx *ctx, const struct sriov_pf *pf,
		      const struct sriov_numvfs_req *req,
		      struct sriov_numvfs_plan *plan, char *err, size_t errlen)
{
	bool pci = !pf->bus || strcmp(pf->bus, "pci") == 0;
	int r;

	memset(plan, 0, sizeof(*plan));
	err[0] = '\0';
	snprintf(plan->pf_address, sizeof(plan->pf_address), "%s",
		 pf->address);
	plan->pci = pci;
	plan->pf_dir = strdup(pf->sysfs_path ? pf->sysfs_path : "");
	if (pf->n_netdevs)
		plan->pf_netdev = strdup(pf->netdevs[0].name);
	if (!plan->pf_dir || (pf->n_netdevs && !plan->pf_netdev))
		return -ENOMEM;
	numvfs_steps(plan, pf->num_vfs, req->num_vfs, pf->drivers_autoprobe,
		     req->autoprobe);

	/* netdevsim's limit is in debugfs: unknown (0) when not mounted. */
	if (req->num_vfs > pf->total_vfs && (pci || pf->total_vfs > 0)) {
		if (pf->total_vfs == 0)
			snprintf(err, errlen, "%s: %u VFs asked, but the PF offers none (sriov_totalvfs is 0: SR-IOV is off in the device's firmware or the BIOS); nothing was changed",
				 pf->address, req->num_vfs);
		else
			snprintf(err, errlen, "%s: %u VFs asked, but the PF offers at most %u (sriov_totalvfs); choose 0 to %u; nothing was changed",
				 pf->address, req->num_vfs, pf->total_vfs,
				 pf->total_vfs);
		return -ERANGE;
	}
	if (pci && !pf->driver && req->num_vfs != pf->num_vfs) {
		snprintf(err, errlen, "%s has no driver, and a PF's driver is what creates its VFs (the kernel answers ENOENT): bind it first (modprobe its driver, or write %s to /sys/bus/pci/drivers/DRIVER/bind); nothing was changed",
			 pf->address, pf->address);
		return -ENOENT;
	}
	if (pf->num_vfs == 0 || req->num_vfs == pf->num_vfs)
		return 0;
	/* Through 0, every VF goes away, not only those above N. */
	r = sriov_vf_holders(ctx, pf, 0, &plan->holders);
	if (r < 0)
		return r;
	if (plan->holders.n > 0 && !req->force) {
		size_t held = 0;

		for (size_t i = 0; i < plan->holders.n; i++)
			held += i == 0 || plan->holders.v[i].vf_index !=
						  plan->holders.v[i - 1].vf_index;
		snprintf(err, errlen, "%s: %zu VF%s in use and would be removed; stop the holders, or use --force (a VF whose vfio device is open is removed only when the process closes it); nothing was changed",
			 pf->address, held, held == 1 ? " is" : "s are");
		return -EBUSY;
	}
	return 0;
}

void sriov_numvfs_plan_clear(struct sriov_numvfs_plan *plan)
{
	if (!plan)
		return;
	free(plan->pf_dir);
	free(plan->pf_netdev);
	sriov_holders_clear(&plan->holders);
	plan->pf_dir = plan->pf_netdev = NULL;
}

void sriov_numvfs_explain(const struct sriov_numvfs_plan *plan, int e,
			  unsigned n, char *buf, size_t len)
{
	const char *pf = plan->pf_address;

	switch (-e) {
	case ERANGE:
		snprintf(buf, len, "%s: the kernel refused %u VFs (ERANGE): more than the PF's sriov_totalvfs; choose fewer",
			 pf, n);
		break;
	case ENOMEM:
		if (!plan->pci)
			snprintf(buf, len, "%s: the kernel refused %u VFs (ENOMEM): above netdevsim's max_vfs (debugfs netdevsim/%s/max_vfs); raise it or choose fewer",
				 pf, n, pf);
		else
			snprintf(buf, len, "%s: the kernel could not enable %u VFs (ENOMEM): not enough MMIO space for the VF BARs behind this PF; enable SR-IOV in the BIOS/firmware setup, or boot with pci=realloc on the kernel command line, or choose fewer VFs",
				 pf, n);
		break;
	case ENOENT:
		snprintf(buf, len, "%s: the kernel answered ENOENT: the PF has no driver (it is the driver that creates VFs); bind the PF's driver and try again",
			 pf);
		break;
	case EBUSY:
		snprintf(buf, len, "%s: the kernel answered EBUSY: VFs are already enabled (a different count needs 0 first) or the device is busy; check 'sriovctl show %s'",
			 pf, pf);
		break;
	case EINVAL:
		snprintf(buf, len, "%s: the kernel rejected %u VFs (EINVAL): the driver does not accept this count; see dmesg",
			 pf, n);
		break;
	case EPERM:
	case EACCES:
		snprintf(buf, len, "%s: permission denied writing sriov_numvfs (%s): run as root",
			 pf, strerror(-e));
		break;
	case ENOSYS:
	case EOPNOTSUPP:
		snprintf(buf, len, "%s: the PF's driver cannot change its VF count (%s)",
			 pf, strerror(-e));
		break;
	default:
		snprintf(buf, len, "%s: writing %u to sriov_numvfs failed: %s; see dmesg",
			 pf, n, strerror(-e));
		break;
	}
}

int numvfs_bounded_write(struct rootfs *rfs, const char *path,
			 const char *value, unsigned timeout_ms)
{
	struct pollfd pfd;
	int p[2], e = 0, r;
	ssize_t n;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		r = -errno;
		close(p[0]);
		close(p[1]);
		return r;
	}
	if (pid == 0) {
		signal(SIGPIPE, SIG_IGN);
		close(p[0]);
		/*
		 * A child left blocked must not keep the caller's output open
		 * (a shell reading it through a pipe would wait for it too).
		 */
		close(0);
		close(1);
		close(2);
		e = rootfs_write(rfs, ROOTFS_TOP, path, value, strlen(value));
		if (write(p[1], &e, sizeof(e)) < 0)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	pfd = (struct pollfd){ .fd = p[0], .events = POLLIN };
	do
		r = poll(&pfd, 1, (int)timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r == 0) {
		/* The child is stuck in the kernel; it finishes on its own. */
		close(p[0]);
		return -ETIMEDOUT;
	}
	n = read(p[0], &e, sizeof(e));
	close(p[0]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	if (n != sizeof(e))
		return -EIO;
	return e;
}

static int write_step(struct sriov_ctx *ctx, const struct sriov_numvfs_plan *p,
		      enum sriov_numvfs_attr attr, unsigned value,
		      unsigned long deadline)
{
	char path[4200], v[16];
	unsigned long now = now_ms();

	snprintf(v, sizeof(v), "%u\n", value);
	if (attr == SRIOV_AUTOPROBE_WRITE) {
		snprintf(path, sizeof(path), "%s/sriov_drivers_autoprobe",
			 p->pf_dir);
		return rootfs_write(ctx->rfs, ROOTFS_TOP, path, v, strlen(v));
	}
	snprintf(path, sizeof(path), "%s/sriov_numvfs", p->pf_dir);
	return numvfs_bounded_write(ctx->rfs, path, v,
				    deadline > now ? (unsigned)(deadline - now)
						   : 1);
}

static int read_attr_line(struct rootfs *rfs, const char *path, char *buf,
			  size_t size)
{
	ssize_t n = rootfs_read(rfs, ROOTFS_TOP, path, buf, size - 1);

	if (n < 0)
		return (int)n;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int carrier(struct rootfs *rfs, const char *netdev)
{
	char path[128], buf[8];

	snprintf(path, sizeof(path), "sys/class/net/%s/carrier", netdev);
	/* a down interface answers EINVAL: no carrier */
	if (read_attr_line(rfs, path, buf, sizeof(buf)) < 0)
		return 0;
	return strcmp(buf, "1") == 0;
}

static void vfs_free(struct sriov_numvfs_vf *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].driver);
		free(v[i].netdev);
	}
	free(v);
}

/* One VF as read_vfs() wants it; 1 when it is settled, 0 not yet, -ENOMEM. */
static int read_vf(struct rootfs *rfs, struct sriov_numvfs_vf *v)
{
	struct pcidev d;
	uint32_t cls = 0;
	int r;

	r = pcidev_open(rfs, v->address, &d);
	if (r == 0 && pcidev_driver(&d, &v->driver) == -ENOMEM)
		r = -ENOMEM;
	if (r == 0)
		r = pcidev_netdev(&d, &v->netdev) == -ENOMEM ? -ENOMEM : 0;
	if (r == 0)
		pcidev_class(&d, &cls);
	pcidev_close(&d);
	if (r == -ENOMEM)
		return r;
	return !(!v->netdev && holders_net_driver(cls, v->driver));
}

/*
 * Read the VFs after a write: whether every virtfnN exists and every VF on
 * a network driver has its netdev. 1 settled, 0 not yet, -ENOMEM.
 */
static int read_vfs(struct sriov_ctx *ctx, const struct sriov_numvfs_plan *p,
		    unsigned n, struct sriov_numvfs_result *res)
{
	struct sriov_numvfs_vf *v = calloc(n ? n : 1, sizeof(*v));
	struct pcidev pf;
	int settled = 1, r = 0;

	if (!v)
		return -ENOMEM;
	/* a PF that does not open has no virtfn links: not settled */
	if (p->pci)
		pcidev_open(ctx->rfs, p->pf_address, &pf);
	for (unsigned i = 0; i < n && r >= 0; i++) {
		v[i].index = i;
		if (!p->pci)
			continue;
		if (pcidev_virtfn(&pf, i, v[i].address,
				  sizeof(v[i].address)) < 0) {
			settled = 0;
			continue;
		}
		r = read_vf(ctx->rfs, &v[i]);
		if (r == 0)
			settled = 0;
	}
	if (p->pci)
		pcidev_close(&pf);
	if (r < 0) {
		vfs_free(v, n);
		return r;
	}
	vfs_free(res->vfs, res->n_vfs);
	res->vfs = v;
	res->n_vfs = n;
	return settled;
}

static unsigned read_numvfs(struct sriov_ctx *ctx,
			    const struct sriov_numvfs_plan *p, unsigned dflt)
{
	char path[4200], buf[16];
	unsigned v;

	snprintf(path, sizeof(path), "%s/sriov_numvfs", p->pf_dir);
	if (read_attr_line(ctx->rfs, path, buf, sizeof(buf)) < 0 ||
	    parse_uint(buf, strlen(buf), 0xffff, &v) < 0)
		return dflt;
	return v;
}

/* Undo steps [0, done) in reverse order, bounded like the rest. */
static int roll_back(struct sriov_ctx *ctx, const struct sriov_numvfs_plan *p,
		     size_t done, unsigned long deadline)
{
	int r = 0;

	while (done-- > 0) {
		const struct sriov_numvfs_step *s = &p->steps[done];
		int e = write_step(ctx, p, s->attr, s->from, deadline);

		if (e < 0 && r == 0)
			r = e;
		if (e == -ETIMEDOUT)
			break;
	}
	return r;
}

int sriov_numvfs_apply(struct sriov_ctx *ctx,
		       const struct sriov_numvfs_plan *plan,
		       unsigned timeout_ms, struct sriov_numvfs_result *res,
		       char *err, size_t errlen)
{
	unsigned long t0 = now_ms(), deadline = t0 + timeout_ms;
	int carrier_before = -1, r = 0;
	size_t i;

	memset(res, 0, sizeof(*res));
	res->carrier = -1;
	res->final_vfs = plan->old_vfs;
	err[0] = '\0';
	if (plan->pf_netdev)
		carrier_before = carrier(ctx->rfs, plan->pf_netdev);
	for (i = 0; i < plan->n_steps; i++) {
		const struct sriov_numvfs_step *s = &plan->steps[i];

		r = write_step(ctx, plan, s->attr, s->to, deadline);
		if (r < 0)
			break;
		res->steps_done++;
	}
	if (r == -ETIMEDOUT) {
		char h[256];
		size_t len;

		res->timed_out = true;
		len = (size_t)snprintf(err, errlen, "%s: writing %u to sriov_numvfs did not return within %u s: the kernel removes the VFs only when their holders close their vfio devices, and will finish on its own then; sriovctl stopped waiting",
				       plan->pf_address, plan->steps[i].to,
				       (timeout_ms + 999) / 1000);
		for (size_t k = 0; k < plan->holders.n && len < errlen; k++) {
			sriov_holder_describe(&plan->holders.v[k], h, sizeof(h));
			len += (size_t)snprintf(err + len, errlen - len, "%s%s",
						k ? "; " : ". Holders: ", h);
		}
		if (plan->holders.n == 0 && len < errlen)
			snprintf(err + len, errlen - len, ". No holder is visible from here (another PID namespace?)");
		res->failed_err = r;
		res->elapsed_ms = (unsigned)(now_ms() - t0);
		return r;
	}
	if (r < 0) {
		const struct sriov_numvfs_step *s = &plan->steps[i];
		size_t len;

		res->failed_err = r;
		if (s->attr == SRIOV_NUMVFS_WRITE)
			sriov_numvfs_explain(plan, r, s->to, err, errlen);
		else
			snprintf(err, errlen, "%s: writing %u to sriov_drivers_autoprobe failed: %s",
				 plan->pf_address, s->to, strerror(-r));
		len = strlen(err);
		if (i > 0) {
			res->rollback_err = roll_back(ctx, plan, i, t0 + 2ul * timeout_ms);
			res->rolled_back = res->rollback_err == 0;
			if (res->rolled_back)
				snprintf(err + len, errlen - len, "; rolled back: %u VFs and autoprobe %s as before (VFs are new: bind their drivers again if they had others)",
					 plan->old_vfs, plan->old_autoprobe ? "on" : "off");
			else
				snprintf(err + len, errlen - len, "; rolling back to %u VFs failed too: %s",
					 plan->old_vfs, strerror(-res->rollback_err));
		} else {
			snprintf(err + len, errlen - len, "; nothing was changed");
		}
	}
	res->final_vfs = read_numvfs(ctx, plan, plan->old_vfs);
	/* Bounded wait for what the kernel and the drivers bring up. */
	for (;;) {
		int s = read_vfs(ctx, plan, res->final_vfs, res);

		if (s < 0)
			return s;
		res->vfs_settled = s == 1;
		if (s == 1 || now_ms() >= deadline || r < 0)
			break;
		sleep_ms(POLL_MS);
	}
	if (carrier_before == 1 && r == 0) {
		unsigned long c0 = now_ms(), until = c0 + CARRIER_WAIT_MS;

		if (deadline > c0 && deadline < until)
			until = deadline;
		while (!(res->carrier = carrier(ctx->rfs, plan->pf_netdev)) &&
		       now_ms() < until)
			sleep_ms(POLL_MS);
		res->carrier_ms = (unsigned)(now_ms() - c0);
	}
	res->elapsed_ms = (unsigned)(now_ms() - t0);
	return r;
}

void sriov_numvfs_result_clear(struct sriov_numvfs_result *res)
{
	if (!res)
		return;
	vfs_free(res->vfs, res->n_vfs);
	res->vfs = NULL;
	res->n_vfs = 0;
}
