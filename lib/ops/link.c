/* SPDX-License-Identifier: MIT */
/* Setting a PF's or VF's netdev MTU and admin state over rtnetlink. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libmnl/libmnl.h>

#include "net/linkset.h"
#include "net/rtnl.h"
#include "ops/link.h"

int ops_link_set(const char *ifname, int mtu, int up, char *err,
		 size_t errlen)
{
	struct mnl_socket *nl;
	char msg[256];
	int r;

	r = rtnl_open(&nl);
	if (r < 0) {
		snprintf(err, errlen, "%s: cannot open rtnetlink: %s", ifname,
			 strerror(-r));
		return r;
	}
	r = linkset_send(nl, 1, ifname, mtu, up, msg, sizeof(msg));
	mnl_socket_close(nl);
	if (r < 0 && mtu > 0 && up >= 0)
		snprintf(err, errlen, "%s: setting mtu %d and link %s failed: %s%s%s",
			 ifname, mtu, up ? "up" : "down", strerror(-r),
			 msg[0] ? ": " : "", msg);
	else if (r < 0 && mtu > 0)
		snprintf(err, errlen, "%s: setting mtu %d failed: %s%s%s (ip -d link show %s gives minmtu and maxmtu)",
			 ifname, mtu, strerror(-r), msg[0] ? ": " : "", msg,
			 ifname);
	else if (r < 0)
		snprintf(err, errlen, "%s: setting link %s failed: %s%s%s",
			 ifname, up ? "up" : "down", strerror(-r),
			 msg[0] ? ": " : "", msg);
	return r;
}
