/* SPDX-License-Identifier: MIT */
/*
 * libvirt's XML for VFs, through libxml2's xmlTextWriter (which escapes
 * every attribute value): <interface type='hostdev'> and <hostdev> as
 * domain devices (for virsh attach-device, or the <devices> of a domain),
 * <network> with <forward mode='hostdev'> as a pool of VFs. Element order
 * and attributes as libvirt's domaincommon.rng / network.rng want them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "export/export.h"

struct xw {
	xmlTextWriterPtr w;
	int err;               /* the first failure: later calls do nothing */
};

static void check(struct xw *x, int rc)
{
	if (rc < 0 && !x->err)
		x->err = -EIO;
}

static void start(struct xw *x, const char *name)
{
	if (!x->err)
		check(x, xmlTextWriterStartElement(x->w, BAD_CAST name));
}

static void end(struct xw *x)
{
	if (!x->err)
		check(x, xmlTextWriterEndElement(x->w));
}

static void attr(struct xw *x, const char *name, const char *value)
{
	if (!x->err)
		check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name,
						     BAD_CAST value));
}

/* libvirt's PCI address fields: hex, "0x" and @width digits. */
static void attr_hex(struct xw *x, const char *name, int width, unsigned v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "0x%0*x", width, v);
	attr(x, name, buf);
}

static void comment_vf(struct xw *x, const struct export_vf *v)
{
	char buf[96];

	/* addresses only: they are parsed, so no "--" can end the comment */
	snprintf(buf, sizeof(buf), " VF %u of %s ", v->vf->index, v->pf->address);
	if (!x->err)
		check(x, xmlTextWriterWriteComment(x->w, BAD_CAST buf));
}

/* <address [type='pci'] domain='0x0000' bus='0x02' slot='0x01' function='0x2'/> */
static void address(struct xw *x, const struct pci_addr *a, bool typed)
{
	start(x, "address");
	if (typed)
		attr(x, "type", "pci");
	attr_hex(x, "domain", 4, a->domain);
	attr_hex(x, "bus", 2, a->bus);
	attr_hex(x, "slot", 2, a->dev);
	attr_hex(x, "function", 1, a->fn);
	end(x);
}

static void driver_vfio(struct xw *x)
{
	start(x, "driver");
	attr(x, "name", "vfio");
	end(x);
}

static void vlan(struct xw *x, unsigned id)
{
	char buf[16];

	if (!id)
		return;
	start(x, "vlan");
	start(x, "tag");
	snprintf(buf, sizeof(buf), "%u", id);
	attr(x, "id", buf);
	end(x);
	end(x);
}

static void interface(struct xw *x, const struct export_vf *v)
{
	comment_vf(x, v);
	start(x, "interface");
	attr(x, "type", "hostdev");
	attr(x, "managed", "yes");
	if (v->mac[0]) {
		start(x, "mac");
		attr(x, "address", v->mac);
		end(x);
	}
	start(x, "source");
	address(x, &v->addr, true);
	end(x);
	vlan(x, v->vlan);
	driver_vfio(x);
	end(x);
}

static void hostdev(struct xw *x, const struct export_vf *v)
{
	comment_vf(x, v);
	start(x, "hostdev");
	attr(x, "mode", "subsystem");
	attr(x, "type", "pci");
	attr(x, "managed", "yes");
	driver_vfio(x);
	start(x, "source");
	address(x, &v->addr, false);
	end(x);
	end(x);
}

static void network(struct xw *x, const struct export_job *job)
{
	start(x, "network");
	start(x, "name");
	if (!x->err)
		check(x, xmlTextWriterWriteString(x->w, BAD_CAST job->name));
	end(x);
	start(x, "forward");
	attr(x, "mode", "hostdev");
	attr(x, "managed", "yes");
	driver_vfio(x);
	if (job->pf_dev) {
		start(x, "pf");
		attr(x, "dev", job->pf_dev);
		end(x);
	} else {
		for (size_t i = 0; i < job->n_vfs; i++)
			address(x, &job->vfs[i].addr, true);
	}
	end(x);
	/* export.c lets only VFs of one VLAN into one network */
	if (job->n_vfs)
		vlan(x, job->vfs[0].vlan);
	end(x);
}

int export_libvirt(const struct export_job *job, char **text, size_t *len)
{
	struct xw x = { 0 };
	xmlBufferPtr buf = xmlBufferCreate();
	int r;

	*text = NULL;
	*len = 0;
	if (!buf)
		return -ENOMEM;
	x.w = xmlNewTextWriterMemory(buf, 0);
	if (!x.w) {
		xmlBufferFree(buf);
		return -ENOMEM;
	}
	check(&x, xmlTextWriterSetIndent(x.w, 1));
	check(&x, xmlTextWriterSetIndentString(x.w, BAD_CAST "  "));
	switch (job->format) {
	case SRIOV_EXPORT_LIBVIRT_INTERFACE:
		for (size_t i = 0; i < job->n_vfs; i++)
			interface(&x, &job->vfs[i]);
		break;
	case SRIOV_EXPORT_LIBVIRT_HOSTDEV:
		for (size_t i = 0; i < job->n_vfs; i++)
			hostdev(&x, &job->vfs[i]);
		break;
	case SRIOV_EXPORT_LIBVIRT_NETWORK:
		network(&x, job);
		break;
	default:
		x.err = -EINVAL;
	}
	if (!x.err)
		check(&x, xmlTextWriterFlush(x.w));
	xmlFreeTextWriter(x.w);
	r = x.err;
	if (r == 0) {
		*len = (size_t)xmlBufferLength(buf);
		*text = strndup((const char *)xmlBufferContent(buf), *len);
		if (!*text)
			r = -ENOMEM;
	}
	xmlBufferFree(buf);
	if (r < 0)
		*len = 0;
	return r;
}
