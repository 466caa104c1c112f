// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for lib/net/vflink.c, the decoder of a PF's VF list in
 * an RTM_NEWLINK: the input is the message after its netlink header (the
 * ifinfomsg and the attributes), which is all the kernel controls once
 * libmnl has checked nlmsg_len against what recv() returned. Besides "no
 * crash, no overread" (ASan), it checks what the decoder promises.
 *
 * Replayed as an ordinary test by replay.c (tests/fuzz/meson.build).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/vflink.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Not assert(): NDEBUG must not turn the checks off. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nlmsghdr *nlh;
	struct vflink_dev dev;
	size_t len;
	int r;

	if (size > 200000)
		return 0;
	/* An exact-size heap copy: ASan sees any read past the message. */
	len = NLMSG_HDRLEN + size;
	nlh = malloc(len);
	if (!nlh)
		return 0;
	memset(nlh, 0, NLMSG_HDRLEN);
	nlh->nlmsg_len = (uint32_t)len;
	nlh->nlmsg_type = 16; /* RTM_NEWLINK */
	memcpy((char *)nlh + NLMSG_HDRLEN, data, size);

	r = vflink_parse(nlh, &dev);
	CHECK(r == 0 || r == 1 || r == -EINVAL || r == -ENOMEM);
	if (r == 1) {
		CHECK(dev.n_vfs == 0 || dev.vfs != NULL);
		CHECK(memchr(dev.ifname, '\0', sizeof(dev.ifname)) != NULL);
		for (size_t i = 0; i < dev.n_vfs; i++) {
			const struct sriov_vf_link *l = &dev.vfs[i].link;

			CHECK(l->present);
			CHECK(l->source == SRIOV_VF_LINK_SRC_NETLINK);
			CHECK(strlen(l->mac) == 17);
			CHECK(l->link_state >= -1 && l->link_state <= 2);
			CHECK(l->spoofchk >= -1 && l->spoofchk <= 1);
			CHECK(l->trust >= -1 && l->trust <= 1);
			CHECK(l->query_rss >= -1 && l->query_rss <= 1);
		}
		CHECK(vflink_truncated(&dev) == (dev.n_vfs < dev.num_vf));
		vflink_dev_free(&dev);
	} else {
		CHECK(r == 0 || dev.vfs == NULL);
	}
	free(nlh);
	return 0;
}
