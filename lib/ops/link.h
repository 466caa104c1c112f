/* SPDX-License-Identifier: MIT */
/* A netdev's MTU and admin state, for plans' LINK steps. */
#ifndef SRIOV_OPS_LINK_H
#define SRIOV_OPS_LINK_H

#include <stddef.h>

/*
 * Set @ifname's MTU (when @mtu > 0) and IFF_UP (when @up >= 0) in one
 * RTM_SETLINK. Returns 0 or -errno with @err naming the netdev and the
 * kernel's extended ack when it gave one.
 */
int ops_link_set(const char *ifname, int mtu, int up, char *err,
		 size_t errlen);

#endif
