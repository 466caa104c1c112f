/* SPDX-License-Identifier: MIT */
/*
 * Netdevs across network namespaces, for the CNI plugin: a NETLINK_ROUTE
 * socket opened inside a namespace (a socket stays in the namespace it was
 * made in), a link read by name or index, moved into another namespace
 * under a new name (one RTM_SETLINK: the name is taken on arrival, so it
 * never clashes with a host name), renamed / re-addressed / MTU / up, and
 * the addresses and routes of an IPAM result.
 */
#ifndef SRIOV_NET_NSLINK_H
#define SRIOV_NET_NSLINK_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mnl_socket;

struct nslink {
	int ifindex;
	char name[IF_NAMESIZE];
	uint8_t mac[6];
	bool has_mac;
	unsigned mtu;
	bool up;
};

/*
 * Open a rtnetlink socket (rtnl_open) inside the namespace of @nsfd, or
 * the current one when @nsfd < 0; the thread returns to its namespace.
 * Returns 0 or -errno.
 */
int nslink_open(int nsfd, struct mnl_socket **out);

/*
 * Open the network namespace file @path (a bind mount under /run/netns or
 * /proc/PID/ns/net): -ENOENT when gone, -EINVAL when it is not a network
 * namespace. Returns an fd (O_CLOEXEC) or -errno.
 */
int nslink_netns_open(const char *path);

/* Link @name (when non-NULL) or @ifindex. 0, -ENODEV, or -errno. */
int nslink_get(struct mnl_socket *nl, const char *name, int ifindex,
	       struct nslink *out);

/*
 * Move link @ifindex into the namespace of @nsfd, named @newname there
 * (NULL: keep its name). The kernel takes the link down. Returns 0 or
 * -errno with the extended ack in @msg.
 */
int nslink_move(struct mnl_socket *nl, int ifindex, int nsfd,
		const char *newname, char *msg, size_t msglen);

/*
 * Change link @ifindex: its name (@newname non-NULL), MAC (@mac non-NULL),
 * MTU (@mtu > 0), administrative state (@up >= 0), in one request.
 */
int nslink_set(struct mnl_socket *nl, int ifindex, const char *newname,
	       const uint8_t *mac, int mtu, int up, char *msg, size_t msglen);

/* Add address @addr/@prefix (@family AF_INET or AF_INET6) to @ifindex. */
int nslink_addr_add(struct mnl_socket *nl, int ifindex, int family,
		    const void *addr, unsigned prefix, char *msg, size_t msglen);

/*
 * Add a route to @dst/@prefix (@dst NULL: default) via @gw (NULL: on
 * link) out of @ifindex, in the main table.
 */
int nslink_route_add(struct mnl_socket *nl, int ifindex, int family,
		     const void *dst, unsigned prefix, const void *gw,
		     char *msg, size_t msglen);

#endif
