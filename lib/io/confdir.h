/* SPDX-License-Identifier: MIT */
/*
 * A configuration directory under the root (/etc/sriovctl/conf.d,
 * /etc/sriovctl/quirks.d): its NAME.yaml files in name order, dot files
 * (editors' and packagers' leftovers) left out, each read whole within a
 * bound.
 */
#ifndef SRIOV_IO_CONFDIR_H
#define SRIOV_IO_CONFDIR_H

#include <stddef.h>

#include "io/root.h"

/* @shown: "/DIR/NAME.yaml" for messages; @text: @len bytes, NUL-terminated. */
typedef int confdir_fn(const char *shown, const char *text, size_t len,
		       void *data);

/*
 * Call @fn for each NAME.yaml of @dir (relative to @rfs's root) with its
 * text, at most @max bytes. A missing @dir has none. Returns the number
 * of files read, the first negative return of @fn, or -errno with @err
 * naming the directory or file that could not be listed, opened or read.
 */
int confdir_each(struct rootfs *rfs, const char *dir, size_t max,
		 confdir_fn *fn, void *data, char *err, size_t errlen);

#endif
