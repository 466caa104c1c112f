/* SPDX-License-Identifier: MIT */
#include "io/module.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include <libkmod.h>

int module_load(const char *name, char *err, size_t errlen)
{
	struct kmod_list *list = NULL, *it;
	struct kmod_ctx *kctx;
	struct utsname u;
	int r;

	if (uname(&u) < 0)
		snprintf(u.release, sizeof(u.release), "?");
	kctx = kmod_new(NULL, NULL);
	if (!kctx) {
		snprintf(err, errlen, "cannot read the module index of kernel %s (/lib/modules/%s)",
			 u.release, u.release);
		return -ENOENT;
	}
	r = kmod_module_new_from_lookup(kctx, name, &list);
	if (r < 0 || !list) {
		snprintf(err, errlen, "no module provides %s for the running kernel %s (is the kernel's modules package installed?)",
			 name, u.release);
		r = -ENOENT;
		goto out;
	}
	kmod_list_foreach(it, list) {
		struct kmod_module *mod = kmod_module_get_module(it);

		r = kmod_module_probe_insert_module(mod,
						    KMOD_PROBE_IGNORE_LOADED,
						    NULL, NULL, NULL, NULL);
		if (r < 0) {
			/* libkmod returns -errno of init_module/finit_module */
			if (r == -EPERM || r == -EACCES)
				snprintf(err, errlen, "loading module %s was not allowed (%s): run as root",
					 kmod_module_get_name(mod), strerror(-r));
			else
				snprintf(err, errlen, "loading module %s failed: %s (see dmesg)",
					 kmod_module_get_name(mod), strerror(-r));
			kmod_module_unref(mod);
			goto out;
		}
		kmod_module_unref(mod);
	}
	r = 0;
out:
	kmod_module_unref_list(list);
	kmod_unref(kctx);
	return r;
}
