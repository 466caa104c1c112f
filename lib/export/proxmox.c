/* SPDX-License-Identifier: MIT */
/*
 * Proxmox VE: `qm set VMID --hostpciN ADDR,pcie=1` per VF (qemu-server's
 * hostpci property string; hostpci0..15, its MAX_HOSTPCI_DEVICES), or a
 * section of the cluster's resource mapping file /etc/pve/mapping/pci.cfg
 * (pve-guest-common's PVE::Mapping::PCI, a PVE::SectionConfig): the
 * mapping's id alone on a line, then a tab-indented `map` line per VF
 * with the property string id=,iommugroup=,node=,path=,subsystem-id=,
 * which Proxmox compares with the host's sysfs at the guest's start.
 *
 * A hostpci device has no MAC option: the guest sees the VF's MAC as the
 * PF gives it. A MAC the guest should get (--mac, the policy's) that the
 * host does not have yet is a comment line with the command that sets it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ctx.h"
#include "export/export.h"
#include "io/parse.h"
#include "io/root.h"
#include "util/errbuf.h"

/* qemu-server's $MAX_HOSTPCI_DEVICES: hostpci0 .. hostpci15 */
#define PVE_MAX_HOSTPCI 16

/* pve-common's pve-vmid: 100 .. 999999999, digits without a leading 0. */
int export_proxmox_vmid(const char *arg, char *err, size_t errlen)
{
	size_t n = strlen(arg);

	if (n >= 3 && n <= 9 && arg[0] >= '1' && arg[0] <= '9' &&
	    strspn(arg, "0123456789") == n)
		return 0;
	return errset(err, errlen, -EINVAL, "VMID '%s': a Proxmox VM ID is 100..999999999 (qm list shows them)",
		      arg);
}

/* pve-common's pve-configid ([a-z][a-z0-9_-]+, any case): a mapping's id. */
int export_proxmox_mapping_id(const char *arg, char *err, size_t errlen)
{
	size_t n = strlen(arg);
	bool ok = n >= 2 && n <= SRIOV_EXPORT_NAME_MAX &&
		  ((arg[0] >= 'a' && arg[0] <= 'z') || (arg[0] >= 'A' && arg[0] <= 'Z'));

	for (size_t i = 1; ok && i < n; i++) {
		char c = arg[i];

		ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		     (c >= '0' && c <= '9') || c == '_' || c == '-';
	}
	if (ok)
		return 0;
	return errset(err, errlen, -EINVAL, "mapping NAME '%s': Proxmox takes a letter, then 1..%d of A-Z a-z 0-9 _ -",
		      arg, SRIOV_EXPORT_NAME_MAX - 1);
}

/* The VF's MAC the guest is to get, when the host does not give it yet. */
static const char *mac_to_set(const struct export_vf *v)
{
	const char *now = export_host_mac(v->vf);

	return v->mac[0] && (!now || strcasecmp(now, v->mac) != 0) ? v->mac : NULL;
}

static void qm_lines(FILE *f, const struct export_job *job)
{
	const char *vmid = job->opts->arg;

	fprintf(f, "# Proxmox VE: the VFs as PCI devices of VM %s (its MAC is the VF's: hostpci has no MAC option)\n",
		vmid);
	fprintf(f, "# pcie=1 needs the q35 machine type (qm set %s --machine q35); for i440fx drop ,pcie=1\n",
		vmid);
	for (size_t i = 0; i < job->n_vfs; i++) {
		const struct export_vf *v = &job->vfs[i];
		const char *mac = mac_to_set(v);

		if (mac)
			fprintf(f, "# set the VF MAC on the host first: sriovctl vf %s set mac %s\n",
				export_vf_name(v), mac);
		fprintf(f, "qm set %s --hostpci%zu %04x:%02x:%02x.%x,pcie=1\n", vmid, i,
			v->addr.domain, v->addr.bus, v->addr.dev, v->addr.fn);
	}
}

/* A VF's sysfs id attribute ("0x8086"), through the ctx; -1 when unreadable. */
static long read_id(struct sriov_ctx *ctx, const char *addr, const char *attr)
{
	char path[128], buf[16];
	uint32_t v;
	ssize_t n;

	snprintf(path, sizeof(path), "sys/bus/pci/devices/%s/%s", addr, attr);
	n = rootfs_read(ctx->rfs, ROOTFS_TOP, path, buf, sizeof(buf));
	if (n < 0 || parse_hex_prefixed(buf, (size_t)n, 0xffff, &v) < 0)
		return -1;
	return (long)v;
}

/*
 * The node's name as Proxmox has it (PVE::INotify::nodename: the host
 * name up to its first dot), from /etc/hostname under the root; it must
 * be a pve-node ([A-Za-z0-9], '-' inside).
 */
static int node_name(struct sriov_ctx *ctx, char out[64], char *err, size_t errlen)
{
	char buf[256];
	ssize_t n;
	size_t len;

	n = rootfs_read_prefix(ctx->rfs, ROOTFS_TOP, "etc/hostname", buf, sizeof(buf) - 1);
	if (n < 0)
		return errset(err, errlen, (int)n, "cannot read %s/etc/hostname: %s (the mapping names its node by the host name)",
			      rootfs_path(ctx->rfs), rootfs_strerror((int)n));
	buf[n] = '\0';
	len = strcspn(buf, ".\n \t\r");
	buf[len] = '\0';
	if (len == 0 || len > 63 || buf[0] == '-' || buf[len - 1] == '-' ||
	    strspn(buf, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != len)
		return errset(err, errlen, -EDOM, "%s/etc/hostname does not start with a host name Proxmox takes as a node (1..63 of A-Z a-z 0-9 -, not starting or ending with -)",
			      rootfs_path(ctx->rfs));
	memcpy(out, buf, len + 1);
	return 0;
}

static int mapping(FILE *f, const struct export_job *job, char *err, size_t errlen)
{
	char node[64];
	int r = node_name(job->ctx, node, err, errlen);

	if (r < 0)
		return r;
	fprintf(f, "# Proxmox VE resource mapping %s, for /etc/pve/mapping/pci.cfg (append it)\n",
		job->opts->arg);
	fprintf(f, "# a guest takes a free VF of it with: qm set VMID --hostpci0 mapping=%s,pcie=1\n",
		job->opts->arg);
	/* a blank line ends the section before (comment lines do not) */
	fprintf(f, "\n%s\n", job->opts->arg);
	for (size_t i = 0; i < job->n_vfs; i++) {
		const struct export_vf *v = &job->vfs[i];
		const char *a = v->vf->address;
		long ven = read_id(job->ctx, a, "vendor"), dev = read_id(job->ctx, a, "device");
		long sven = read_id(job->ctx, a, "subsystem_vendor");
		long sdev = read_id(job->ctx, a, "subsystem_device");

		if (ven < 0 || dev < 0)
			return errset(err, errlen, -EIO, "%s (%s): its vendor and device ids are not readable under %s/sys/bus/pci/devices: the mapping needs them",
				      v->label, a, rootfs_path(job->ctx->rfs));
		fprintf(f, "\tmap id=%04lx:%04lx", ven, dev);
		/* Proxmox checks each against the host: absent on both or equal */
		if (v->vf->iommu_group >= 0)
			fprintf(f, ",iommugroup=%d", v->vf->iommu_group);
		fprintf(f, ",node=%s,path=%04x:%02x:%02x.%x", node, v->addr.domain,
			v->addr.bus, v->addr.dev, v->addr.fn);
		if (sven >= 0 && sdev >= 0)
			fprintf(f, ",subsystem-id=%04lx:%04lx", sven, sdev);
		fputc('\n', f);
	}
	/* the section ends at a blank line */
	fputc('\n', f);
	for (size_t i = 0; i < job->n_vfs; i++)
		if (mac_to_set(&job->vfs[i]))
			fprintf(f, "# set the VF MAC on the host first: sriovctl vf %s set mac %s\n",
				export_vf_name(&job->vfs[i]), mac_to_set(&job->vfs[i]));
	return 0;
}

int export_proxmox(const struct export_job *job, char **text, size_t *len,
		   char *err, size_t errlen)
{
	FILE *f;
	int r = 0;

	*text = NULL;
	*len = 0;
	if (job->opts->format == SRIOV_EXPORT_PROXMOX && job->n_vfs > PVE_MAX_HOSTPCI)
		return errset(err, errlen, -EDOM, "%zu VFs for one VM: Proxmox VE gives a VM hostpci0..hostpci%d (%d devices)",
			      job->n_vfs, PVE_MAX_HOSTPCI - 1, PVE_MAX_HOSTPCI);
	f = open_memstream(text, len);
	if (!f)
		return -ENOMEM;
	switch (job->opts->format) {
	case SRIOV_EXPORT_PROXMOX:
		qm_lines(f, job);
		break;
	case SRIOV_EXPORT_PROXMOX_MAPPING:
		r = mapping(f, job, err, errlen);
		break;
	default:
		r = -EINVAL;
	}
	if (fclose(f) != 0 && r == 0)
		r = -ENOMEM;
	if (r < 0) {
		free(*text);
		*text = NULL;
		*len = 0;
	}
	return r;
}
