/* SPDX-License-Identifier: MIT */
/* The kernel's uevents: which of them change the inventory. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>

#include "ctx.h"

int sriov_watch_open(struct sriov_ctx *ctx, int *fd)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int s;

	if (!ctx->netlink)
		return -EOPNOTSUPP;
	s = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		   NETLINK_KOBJECT_UEVENT);
	if (s < 0)
		return -errno;
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		close(s);
		return -e;
	}
	*fd = s;
	return 0;
}

/* "ACTION@DEVPATH\0KEY=VALUE\0...": the value of @key, or NULL. */
static const char *field(const char *msg, size_t len, const char *key)
{
	size_t klen = strlen(key);

	for (size_t i = 0; i < len;) {
		const char *s = msg + i;
		size_t n = strnlen(s, len - i);

		if (n > klen && memcmp(s, key, klen) == 0 && s[klen] == '=')
			return s + klen + 1;
		i += n + 1;
	}
	return NULL;
}

static bool relevant(const char *msg, size_t len)
{
	const char *sub = field(msg, len, "SUBSYSTEM");

	/* udevd's rebroadcasts start "libudev": only the kernel's count */
	if (len < 8 || memcmp(msg, "libudev", 8) == 0 || !sub)
		return false;
	return strcmp(sub, "pci") == 0 || strcmp(sub, "net") == 0;
}

int sriov_watch_read(int fd)
{
	char buf[8192];
	int any = 0;

	for (;;) {
		struct sockaddr_nl from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf) - 1, 0,
				     (struct sockaddr *)&from, &fl);

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return any;
			if (errno == EINTR)
				continue;
			return -errno;
		}
		/* only the kernel (port 0) sends uevents */
		if (fl != sizeof(from) || from.nl_pid != 0)
			continue;
		buf[n] = 0;
		if (relevant(buf, (size_t)n))
			any = 1;
	}
}
