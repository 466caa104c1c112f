/* SPDX-License-Identifier: MIT */
#include "net/rtnl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

struct dump {
	struct rtnl_vf_links *out;
	int err;
};

static int on_link(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	struct vflink_dev dev, *v;
	int r;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	r = vflink_parse(nlh, &dev);
	if (r < 0) {
		d->err = r;
		return MNL_CB_ERROR;
	}
	if (r == 0)
		return MNL_CB_OK;
	v = realloc(d->out->v, (d->out->n + 1) * sizeof(*v));
	if (!v) {
		vflink_dev_free(&dev);
		d->err = -ENOMEM;
		return MNL_CB_ERROR;
	}
	d->out->v = v;
	v[d->out->n++] = dev;
	return MNL_CB_OK;
}

void rtnl_vf_links_free(struct rtnl_vf_links *links)
{
	for (size_t i = 0; i < links->n; i++)
		vflink_dev_free(&links->v[i]);
	free(links->v);
	links->v = NULL;
	links->n = 0;
}

const struct vflink_dev *rtnl_vf_links_find(const struct rtnl_vf_links *l,
					    const char *ifname)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].ifname, ifname) == 0)
			return &l->v[i];
	return NULL;
}

/*
 * One RTM_GETLINK with the VF lists: a dump of every link (@ifname NULL)
 * or link @ifname alone (acked, so its answer ends with the ack; a link
 * that does not exist adds nothing). Entries are appended to @out.
 */
static int vf_links_request(struct mnl_socket *nl, bool stats,
			    const char *ifname, struct rtnl_vf_links *out)
{
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct dump d = { .out = out };
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	size_t bufsz = MNL_SOCKET_BUFFER_SIZE;
	char *buf = NULL;
	unsigned seq = (unsigned)time(NULL) + (unsigned)out->n;
	unsigned portid = mnl_socket_get_portid(nl);
	int r = 0;

	/* libmnl 1.0.4 leaves an attribute's padding as it found it */
	memset(req, 0, sizeof(req));
	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | (ifname ? NLM_F_ACK : NLM_F_DUMP);
	nlh->nlmsg_seq = seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	if (ifname)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	/* Counters make every VF entry ~100 bytes longer: only on request. */
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK,
			 RTEXT_FILTER_VF | (stats ? 0 : RTEXT_FILTER_SKIP_STATS));
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	buf = malloc(bufsz);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;
		int fd = mnl_socket_get_fd(nl);

		/* A PF with many VFs sends one message larger than a page. */
		n = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			break;
		}
		if ((size_t)n > bufsz) {
			char *nb = realloc(buf, (size_t)n);

			if (!nb) {
				r = -ENOMEM;
				break;
			}
			buf = nb;
			bufsz = (size_t)n;
		}
		n = mnl_socket_recvfrom(nl, buf, bufsz);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			break;
		}
		r = mnl_cb_run(buf, (size_t)n, seq, portid, on_link, &d);
		if (r == MNL_CB_STOP) {
			r = 0;
			break;
		}
		if (r < 0) {
			r = d.err ? d.err : -errno;
			/* the link went away since sysfs listed it */
			if (ifname && r == -ENODEV)
				r = 0;
			break;
		}
	}
	free(buf);
	return r;
}

static int vf_links(bool stats, const char *const *ifnames, size_t n,
		    struct rtnl_vf_links *out)
{
	struct mnl_socket *nl;
	int r = 0;

	out->v = NULL;
	out->n = 0;
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		r = -errno;
	else if (!ifnames)
		r = vf_links_request(nl, stats, NULL, out);
	for (size_t i = 0; ifnames && i < n && r == 0; i++)
		r = vf_links_request(nl, stats, ifnames[i], out);
	mnl_socket_close(nl);
	if (r < 0)
		rtnl_vf_links_free(out);
	return r;
}

/*
 * A dump the link table changed under (a netdev moved to another
 * namespace, renamed: NLM_F_DUMP_INTR, which libmnl gives as EINTR) is
 * not consistent: asked again, as iproute2 does. Parallel CNI ADDs that
 * move netdevs made one ADD see no VF attributes before (lab boot K).
 */
static int vf_links_consistent(bool stats, const char *const *ifnames,
			       size_t n, struct rtnl_vf_links *out)
{
	int r = -EINTR;

	for (int i = 0; i < 10 && r == -EINTR; i++)
		r = vf_links(stats, ifnames, n, out);
	return r;
}

int rtnl_dump_vf_links(bool stats, struct rtnl_vf_links *out)
{
	return vf_links_consistent(stats, NULL, 0, out);
}

int rtnl_get_vf_links(bool stats, const char *const *ifnames, size_t n,
		      struct rtnl_vf_links *out)
{
	return vf_links_consistent(stats, ifnames, n, out);
}

/* ------------------------------------------------- requests and acks */

struct extack {
	const char *msg;
};

static int on_tlv(const struct nlattr *a, void *data)
{
	struct extack *x = data;

	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		x->msg = mnl_attr_get_str(a);
	return MNL_CB_OK;
}

static int parse_err(const struct nlmsghdr *nlh, int *error, char *msg,
		     size_t msglen)
{
	const struct nlmsgerr *e;
	struct extack x = { 0 };
	size_t off;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e))
		return -EBADMSG;
	e = mnl_nlmsg_get_payload(nlh);
	*error = e->error > 0 ? -e->error : e->error;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		/* Without NLM_F_CAPPED the request follows, then the TLVs. */
		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (e->msg.nlmsg_len < sizeof(struct nlmsghdr))
				return -EBADMSG;
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		}
		if (MNL_ALIGN(off) > mnl_nlmsg_get_payload_len(nlh))
			return -EBADMSG;
		if (mnl_attr_parse(nlh, (unsigned)off, on_tlv, &x) < 0)
			return -EBADMSG;
	}
	if (msglen)
		snprintf(msg, msglen, "%s", x.msg ? x.msg : "");
	return 1;
}

int rtnl_parse_ack(const void *buf, size_t len, uint32_t seq, int *error,
		   char *msg, size_t msglen)
{
	const struct nlmsghdr *nlh = buf;
	int n = (int)len;

	if (msglen)
		msg[0] = '\0';
	for (; mnl_nlmsg_ok(nlh, n); nlh = mnl_nlmsg_next(nlh, &n)) {
		if (nlh->nlmsg_seq != seq || nlh->nlmsg_type != NLMSG_ERROR)
			continue;
		return parse_err(nlh, error, msg, msglen);
	}
	return n == 0 ? 0 : -EBADMSG;
}

int rtnl_open(struct mnl_socket **out)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	int one = 1, r;

	if (!nl)
		return -errno;
	/* Drivers explain refusals in the extended ack; CAP_ACK keeps it short. */
	if (mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one)) < 0 ||
	    mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one)) < 0 ||
	    mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		mnl_socket_close(nl);
		return r;
	}
	*out = nl;
	return 0;
}

struct nlmsghdr *rtnl_setlink_start(void *buf, uint32_t seq, int ifindex)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_SETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nlh;
}

int rtnl_transact(struct mnl_socket *nl, const struct nlmsghdr *nlh,
		  char *msg, size_t msglen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	uint32_t seq = nlh->nlmsg_seq;
	int error = 0;

	if (msglen)
		msg[0] = '\0';
	if (!nlh)
		return -EINVAL;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		int r;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		r = rtnl_parse_ack(buf, (size_t)n, seq, &error, msg, msglen);
		if (r < 0)
			return r;
		if (r == 1)
			return error;
	}
}
