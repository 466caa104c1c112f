/* SPDX-License-Identifier: MIT */
/* Which CNI attachment holds a VF, for the views (sriovctl show). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctx.h"
#include "io/root.h"
#include "sriov.h"

int sriov_cni_vf_holder(struct sriov_ctx *ctx, const char *address,
			char *buf, size_t len)
{
	char path[256], *text = NULL;
	int fd, r;

	if (len)
		buf[0] = '\0';
	snprintf(path, sizeof(path), "%s/%s.owner", SRIOV_CNI_STATE_DIR + 1, address);
	fd = rootfs_open(ctx->rfs, ROOTFS_TOP, path, O_RDONLY | O_NOFOLLOW);
	if (fd == -ENOENT || fd == -ENOTDIR)
		return 0;
	if (fd < 0)
		return fd;
	r = rootfs_read_all(fd, 4096, &text, NULL);
	close(fd);
	if (r < 0)
		return r;
	/* "CONTAINERID-IFNAME BOOTID" */
	snprintf(buf, len, "%.*s", (int)strcspn(text, " \n"), text);
	free(text);
	return 0;
}
