/* SPDX-License-Identifier: MIT */
#include "net/rtnl.h"

#include <errno.h>
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

int rtnl_dump_vf_links(bool stats, struct rtnl_vf_links *out)
{
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct dump d = { .out = out };
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	size_t bufsz = MNL_SOCKET_BUFFER_SIZE;
	char *buf = NULL;
	unsigned seq = (unsigned)time(NULL), portid;
	int r = 0;

	out->v = NULL;
	out->n = 0;
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	/* Counters make every VF entry ~100 bytes longer: only on request. */
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK,
			 RTEXT_FILTER_VF | (stats ? 0 : RTEXT_FILTER_SKIP_STATS));
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		r = -errno;
		goto out;
	}
	buf = malloc(bufsz);
	if (!buf) {
		r = -ENOMEM;
		goto out;
	}
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
			break;
		}
	}
out:
	free(buf);
	mnl_socket_close(nl);
	if (r < 0)
		rtnl_vf_links_free(out);
	return r;
}
