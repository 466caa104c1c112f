/* SPDX-License-Identifier: MIT */
/*
 * Reading back each step of a plan: the kernel (or a driver, or a sysfs
 * attribute that is not what it seems) can accept a write and leave the
 * host otherwise. A step is done only when the host says so.
 */
#include "ops/readback.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <linux/if_ether.h>

#include "util/errbuf.h"
#include "util/strv.h"

/* A read-back that differs is -EIO with the value read and the one wanted. */
#define differs(msg, len, ...) errset(msg, len, -EIO, __VA_ARGS__)

static int num_vfs_back(const struct sriov_pf *pf, const struct sriov_step *s,
			char *msg, size_t len)
{
	bool pci = !pf->bus || strcmp(pf->bus, "pci") == 0;
	size_t links = 0;

	if (pf->num_vfs != s->num_vfs)
		return differs(msg, len, "%s: sriov_numvfs reads %u after the step, not %u",
			       s->pf_name, pf->num_vfs, s->num_vfs);
	for (size_t i = 0; pci && i < pf->n_vfs; i++)
		links += pf->vfs[i].address[0] != '\0';
	if (pci && links != s->num_vfs)
		return differs(msg, len, "%s: %zu virtfn links after the step, not %u: the kernel did not create the VFs",
			       s->pf_name, links, s->num_vfs);
	if (pci && pf->drivers_autoprobe != (s->autoprobe != 0))
		return differs(msg, len, "%s: sriov_drivers_autoprobe reads %d after the step, not %d",
			       s->pf_name, pf->drivers_autoprobe, s->autoprobe != 0);
	return 0;
}

/* Whether @l (as rtnetlink reports it now) holds setting @st. */
static bool holds(const struct sriov_vf_setting *st,
		  const struct sriov_vf_link *l)
{
	char mac[18];

	switch (st->attr) {
	case SRIOV_VF_ATTR_MAC:
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
			 st->mac[0], st->mac[1], st->mac[2], st->mac[3],
			 st->mac[4], st->mac[5]);
		return strcasecmp(mac, l->mac) == 0;
	case SRIOV_VF_ATTR_VLAN:
		/* without a VLAN the protocol means nothing */
		return l->vlan == st->vlan && l->qos == st->qos &&
		       (!st->vlan || (st->vlan_proto == ETH_P_8021AD) ==
					     (l->vlan_proto == ETH_P_8021AD));
	case SRIOV_VF_ATTR_SPOOFCHK:
		return l->spoofchk == (int)st->value;
	case SRIOV_VF_ATTR_TRUST:
		return l->trust == (int)st->value;
	case SRIOV_VF_ATTR_QUERY_RSS:
		return l->query_rss == (int)st->value;
	case SRIOV_VF_ATTR_MIN_RATE:
		return l->min_tx_rate == st->value;
	case SRIOV_VF_ATTR_MAX_RATE:
		return l->max_tx_rate == st->value;
	case SRIOV_VF_ATTR_LINK_STATE:
		return l->link_state == (int)st->value;
	case SRIOV_VF_ATTR_QOS:         /* travel with VLAN */
	case SRIOV_VF_ATTR_VLAN_PROTO:
	case SRIOV_VF_ATTR_MTU:         /* not VF settings of the PF */
	case SRIOV_VF_ATTR_DRIVER:
	case SRIOV_VF_ATTR__COUNT:
		break;
	}
	return false;
}

static int vf_attrs_back(const struct sriov_vf *vf, const struct sriov_step *s,
			 const struct sriov_step_outcome *o, size_t *bad,
			 char *msg, size_t len)
{
	char now[64];

	for (size_t i = 0; i < o->attrs.n; i++) {
		const struct sriov_vf_setting *st = o->attrs.v[i].setting;
		size_t w = strcspn(st->text, " ");

		if (o->attrs.v[i].err < 0)
			continue;  /* refused, and said so */
		*bad = i;
		if (!vf->link.present)
			return differs(msg, len, "%s/vf%u: the PF's driver no longer reports the VF's attributes, so %.*s cannot be read back",
				       s->pf_name, s->vf, (int)w, st->text);
		if (holds(st, &vf->link))
			continue;
		sriov_vf_link_value(&vf->link, st->attr, now, sizeof(now));
		return differs(msg, len, "%s/vf%u: %.*s reads %s after the step, not %s",
			       s->pf_name, s->vf, (int)w, st->text, now,
			       st->text[w] ? st->text + w + 1 : "");
	}
	return 0;
}

static int driver_back(const struct sriov_vf *vf, const struct sriov_step *s,
		       char *msg, size_t len)
{
	const char *pin = s->driver ? s->driver : "none";

	if (!str_same(vf->driver, s->driver))
		return differs(msg, len, "%s/vf%u: driver reads %s after the step, not %s",
			       s->pf_name, s->vf, vf->driver ? vf->driver : "none",
			       s->driver ? s->driver : "none");
	if (s->pin_override && !str_same(vf->driver_override, pin))
		return differs(msg, len, "%s/vf%u: driver_override reads %s after the step, not %s",
			       s->pf_name, s->vf,
			       vf->driver_override ? vf->driver_override : "(null)",
			       pin);
	return 0;
}

static int link_back(const struct sriov_pf *pf, const struct sriov_vf *vf,
		     const struct sriov_step *s, char *msg, size_t len)
{
	char dev[SRIOV_ADDR_MAX + 16];
	int mtu, up;

	if (s->on_vf) {
		snprintf(dev, sizeof(dev), "%s/vf%u", s->pf_name, s->vf);
		mtu = vf ? vf->mtu : -1;
		up = -1;
	} else {
		snprintf(dev, sizeof(dev), "%s", s->pf_name);
		mtu = pf->n_netdevs ? pf->netdevs[0].mtu : -1;
		up = pf->n_netdevs ? pf->netdevs[0].up : -1;
	}
	if (s->mtu > 0 && mtu != s->mtu)
		return differs(msg, len, "%s: mtu reads %d after the step, not %d",
			       dev, mtu, s->mtu);
	if (s->up >= 0 && up != s->up)
		return differs(msg, len, "%s: link reads %s after the step, not %s",
			       dev, up < 0 ? "?" : up ? "up" : "down",
			       s->up ? "up" : "down");
	return 0;
}

int step_read_back(const struct sriov_host *host, const struct sriov_step *s,
		   const struct sriov_step_outcome *o, size_t *bad,
		   char *msg, size_t len)
{
	const struct sriov_pf *pf = sriov_host_pf(host, s->pf);
	const struct sriov_vf *vf = pf ? sriov_pf_vf(pf, s->vf) : NULL;

	if (!pf)
		return differs(msg, len, "PF %s is gone from the host after the step",
			       s->pf_name);
	switch (s->kind) {
	case SRIOV_STEP_NUM_VFS:
		return num_vfs_back(pf, s, msg, len);
	case SRIOV_STEP_VF_ATTRS:
	case SRIOV_STEP_DRIVER:
		if (!vf)
			return differs(msg, len, "%s/vf%u is gone after the step",
				       s->pf_name, s->vf);
		return s->kind == SRIOV_STEP_DRIVER ?
			driver_back(vf, s, msg, len) :
			vf_attrs_back(vf, s, o, bad, msg, len);
	case SRIOV_STEP_LINK:
		return link_back(pf, vf, s, msg, len);
	}
	return -EINVAL;
}
