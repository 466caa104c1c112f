/* SPDX-License-Identifier: MIT */
/*
 * libvirt's XML for VFs, through Mini-XML (libmxml: a tree, saved with
 * every attribute value and text escaped; 80 KB and libc, where libxml2
 * would bring ICU's 30 MB into a root tool): <interface type='hostdev'>
 * and <hostdev> as domain devices (for virsh attach-device, or the
 * <devices> of a domain), <network> with <forward mode='hostdev'> as a
 * pool of VFs. Element order and attributes as libvirt's domaincommon.rng
 * / network.rng want them.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mxml.h>

#include "export/export.h"

static void quiet(const char *msg)
{
	(void)msg;
}

struct xw {
	mxml_node_t *top;      /* the element being built, NULL when none */
	mxml_node_t *cur;      /* where start() adds the next child */
	char *out;             /* the text so far */
	size_t len;
	int err;               /* the first failure: later calls do nothing */
};

/* Two spaces a level; a line per element, text kept inline. */
static const char *ws_cb(mxml_node_t *node, int where)
{
	static const char spaces[] = "                                ";
	mxml_node_t *kid = mxmlGetFirstChild(node);
	bool nested = kid && mxmlGetType(kid) == MXML_ELEMENT;
	const char *name = mxmlGetElement(node);
	int depth = 0;

	if (!name)
		return NULL;
	for (mxml_node_t *p = mxmlGetParent(node); p; p = mxmlGetParent(p))
		depth++;
	if (depth > 15)
		depth = 15;
	if (strncmp(name, "!--", 3) == 0)
		return where == MXML_WS_AFTER_OPEN ? "\n" : NULL;
	switch (where) {
	case MXML_WS_BEFORE_OPEN:
		return spaces + sizeof(spaces) - 1 - 2 * depth;
	case MXML_WS_AFTER_OPEN:
		return nested || !kid ? "\n" : NULL;
	case MXML_WS_BEFORE_CLOSE:
		return nested ? spaces + sizeof(spaces) - 1 - 2 * depth : NULL;
	case MXML_WS_AFTER_CLOSE:
		return "\n";
	}
	return NULL;
}

/* Append the finished top element's text to x->out and drop the tree. */
static void flush(struct xw *x)
{
	char *t, *n;
	size_t tl;

	if (!x->top)
		return;
	if (!x->err) {
		t = mxmlSaveAllocString(x->top, ws_cb);
		tl = t ? strlen(t) : 0;
		n = t ? realloc(x->out, x->len + tl + 1) : NULL;
		if (!n) {
			x->err = -ENOMEM;
		} else {
			memcpy(n + x->len, t, tl + 1);
			x->out = n;
			x->len += tl;
		}
		free(t);
	}
	mxmlDelete(x->top);
	x->top = x->cur = NULL;
}

static void start(struct xw *x, const char *name)
{
	mxml_node_t *n;

	if (x->err)
		return;
	n = mxmlNewElement(x->cur ? x->cur : MXML_NO_PARENT, name);
	if (!n) {
		x->err = -ENOMEM;
		return;
	}
	if (!x->top)
		x->top = n;
	x->cur = n;
}

static void end(struct xw *x)
{
	if (x->err || !x->cur)
		return;
	x->cur = mxmlGetParent(x->cur);
	if (!x->cur)
		flush(x);
}

static void attr(struct xw *x, const char *name, const char *value)
{
	if (x->err)
		return;
	mxmlElementSetAttr(x->cur, name, value);
	/* mxml reports no failure: read it back */
	if (!mxmlElementGetAttr(x->cur, name))
		x->err = -ENOMEM;
}

static void text(struct xw *x, const char *s)
{
	if (!x->err && !mxmlNewText(x->cur, 0, s))
		x->err = -ENOMEM;
}

static void comment_vf(struct xw *x, const struct export_vf *v)
{
	char buf[96];

	/* addresses only: they are parsed, so no "--" can end the comment */
	snprintf(buf, sizeof(buf), "!-- VF %u of %s --", v->vf->index, v->pf->address);
	start(x, buf);
	end(x);
}

/* libvirt's PCI address fields: hex, "0x" and @width digits. */
static void attr_hex(struct xw *x, const char *name, int width, unsigned v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "0x%0*x", width, v);
	attr(x, name, buf);
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
	text(x, job->opts->name);
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

int export_libvirt(const struct export_job *job, char **text, size_t *len,
		   char *err, size_t errlen)
{
	struct xw x = { 0 };

	*text = NULL;
	*len = 0;
	/* mxml's settings are its thread's: lines never wrapped, errors not printed */
	mxmlSetWrapMargin(0);
	mxmlSetErrorCallback(quiet);
	(void)err;
	(void)errlen;
	switch (job->opts->format) {
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
	if (x.top) {
		/* an element left open is a bug here, not output */
		mxmlDelete(x.top);
		if (!x.err)
			x.err = -EIO;
	}
	if (x.err) {
		free(x.out);
		return x.err;
	}
	*text = x.out ? x.out : strdup("");
	*len = x.len;
	return *text ? 0 : -ENOMEM;
}
