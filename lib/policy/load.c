/* SPDX-License-Identifier: MIT */
/* Reading the policy: one file, or the default file plus conf.d/ in name order. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctx.h"
#include "io/confdir.h"
#include "io/root.h"
#include "policy/policy.h"

/* Larger than any sane policy; a bound so a wrong -f cannot eat memory. */
#define POLICY_MAX (4 << 20)

/* Parse file @fd named @shown into @p; closes @fd. */
static int add_fd(struct sriov_policy *p, int fd, const char *shown,
		  char *err, size_t errlen)
{
	char *text = NULL;
	size_t len = 0;
	int r = rootfs_read_all(fd, POLICY_MAX, &text, &len);

	close(fd);
	if (r < 0) {
		snprintf(err, errlen, "cannot read %s: %s", shown, strerror(-r));
		return r;
	}
	r = sriov_policy_add(p, shown, text, len);
	free(text);
	return r;
}

static int add_text(const char *shown, const char *text, size_t len, void *data)
{
	return sriov_policy_add(data, shown, text, len);
}

int sriov_policy_load(struct sriov_ctx *ctx, const char *path,
		      struct sriov_policy **out, char *err, size_t errlen)
{
	struct sriov_policy *p;
	bool any = false;
	int fd, r;

	err[0] = '\0';
	r = sriov_policy_new(&p);
	if (r < 0)
		return r;
	if (path) {
		fd = rootfs_open_outside(path);
		if (fd < 0) {
			r = fd;
			snprintf(err, errlen, "cannot open %s: %s", path, rootfs_strerror(r));
			goto fail;
		}
		r = add_fd(p, fd, path, err, errlen);
		if (r < 0)
			goto fail;
		goto done;
	}

	fd = rootfs_open(ctx->rfs, ROOTFS_TOP, SRIOV_POLICY_PATH, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		any = true;
		r = add_fd(p, fd, "/" SRIOV_POLICY_PATH, err, errlen);
		if (r < 0)
			goto fail;
	} else if (fd != -ENOENT) {
		r = fd;
		snprintf(err, errlen, "cannot open /%s: %s", SRIOV_POLICY_PATH, rootfs_strerror(r));
		goto fail;
	}
	r = confdir_each(ctx->rfs, SRIOV_POLICY_DIR, POLICY_MAX, add_text, p, err, errlen);
	if (r < 0)
		goto fail;
	any |= r > 0;
	if (!any) {
		r = -ENOENT;
		snprintf(err, errlen, "no policy: neither /%s nor /%s/*.yaml exists",
			 SRIOV_POLICY_PATH, SRIOV_POLICY_DIR);
		goto fail;
	}
done:
	r = sriov_policy_validate(p);
	if (r < 0)
		goto fail;
	*out = p;
	return 0;
fail:
	sriov_policy_free(p);
	return r;
}

/* The node name Kubernetes gives this host by default: its hostname. */
static bool node_name(struct sriov_ctx *ctx, char *buf, size_t len)
{
	ssize_t n = rootfs_read_prefix(ctx->rfs, ROOTFS_TOP, "etc/hostname", buf, len);
	size_t k;

	if (n <= 0)
		return false;
	k = strcspn(buf, "\n \t");
	buf[k] = '\0';
	/* a node name is a DNS subdomain: lower case */
	for (size_t i = 0; i < k; i++)
		if (buf[i] >= 'A' && buf[i] <= 'Z')
			buf[i] = (char)(buf[i] - 'A' + 'a');
	return k > 0;
}

int sriov_policy_import_load(struct sriov_ctx *ctx, const char *path, const char *node,
			     struct sriov_policy **out, struct sriov_strv *notes,
			     char *err, size_t errlen)
{
	struct sriov_policy *p;
	char host[256];
	char *text = NULL;
	size_t len = 0;
	int fd, r;

	err[0] = '\0';
	*out = NULL;
	if (!node && node_name(ctx, host, sizeof(host)))
		node = host;
	r = sriov_policy_new(&p);
	if (r < 0)
		return r;
	fd = rootfs_open_outside(path);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", path, rootfs_strerror(fd));
		sriov_policy_free(p);
		return fd;
	}
	r = rootfs_read_all(fd, POLICY_MAX, &text, &len);
	close(fd);
	if (r < 0) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(-r));
		sriov_policy_free(p);
		return r;
	}
	r = sriov_policy_import_operator(p, path, text, len, node, notes);
	free(text);
	if (r == 0 && !p->n_errors)
		r = sriov_policy_validate(p);
	if (r < 0) {
		sriov_policy_free(p);
		return r;
	}
	*out = p;
	return 0;
}
