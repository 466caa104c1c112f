/* SPDX-License-Identifier: MIT */
/*
 * uevent-log: print the kernel's uevents as they come, one line each:
 * "ACTION SUBSYSTEM DEVPATH DRIVER" (DRIVER "-" when the event has none),
 * after a first line "ready" once it listens. What udev receives, for a
 * guest without udev: the lab's reapply scenario checks with it the events
 * 90-sriovctl.rules matches. Runs until killed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>

static const char *field(const char *buf, size_t len, const char *key)
{
	size_t klen = strlen(key);

	for (size_t i = 0; i < len; i += strlen(buf + i) + 1)
		if (strncmp(buf + i, key, klen) == 0 && buf[i + klen] == '=')
			return buf + i + klen + 1;
	return "-";
}

int main(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	char buf[16384];
	int fd, size = 1 << 20;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		fprintf(stderr, "uevent-log: netlink: %s\n", strerror(errno));
		return 1;
	}
	/* a driver reload sends a burst: do not drop any */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	setvbuf(stdout, NULL, _IOLBF, 0);
	puts("ready");
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "uevent-log: recv: %s\n", strerror(errno));
			return 1;
		}
		buf[n] = '\0';
		printf("%s %s %s %s\n", field(buf, (size_t)n, "ACTION"),
		       field(buf, (size_t)n, "SUBSYSTEM"),
		       field(buf, (size_t)n, "DEVPATH"),
		       field(buf, (size_t)n, "DRIVER"));
	}
}
