/* SPDX-License-Identifier: MIT */
/* A configuration directory's NAME.yaml files, in name order (confdir.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/confdir.h"
#include "util/strv.h"

static bool is_yaml(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 5 && strcmp(name + n - 5, ".yaml") == 0;
}

int confdir_each(struct rootfs *rfs, const char *dir, size_t max,
		 confdir_fn *fn, void *data, char *err, size_t errlen)
{
	struct sriov_strv names = { 0 };
	char shown[4096];
	int r = rootfs_list(rfs, ROOTFS_TOP, dir, &names), n = 0;

	if (r == -ENOENT)
		return 0;
	if (r < 0) {
		snprintf(err, errlen, "cannot list /%s: %s", dir, strerror(-r));
		return r;
	}
	r = 0;
	for (size_t i = 0; i < names.n && r >= 0; i++) {
		char *text = NULL;
		size_t len = 0;
		int fd;

		if (!is_yaml(names.v[i]))
			continue;
		snprintf(shown, sizeof(shown), "/%s/%s", dir, names.v[i]);
		fd = rootfs_open(rfs, ROOTFS_TOP, shown + 1, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			r = fd;
			snprintf(err, errlen, "cannot open %s: %s", shown, rootfs_strerror(r));
			break;
		}
		r = rootfs_read_all(fd, max, &text, &len);
		close(fd);
		if (r < 0) {
			snprintf(err, errlen, "cannot read %s: %s", shown, strerror(-r));
			break;
		}
		r = fn(shown, text, len, data);
		free(text);
		n++;
	}
	sriov_strv_clear(&names);
	return r < 0 ? r : n;
}
