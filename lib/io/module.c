/* SPDX-License-Identifier: MIT */
#include "io/module.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include <libkmod.h>

/*
 * libkmod is opened when a module is to be loaded, as systemd opens it
 * (dlopen_libkmod): linked, it and what it links (libcrypto, libzstd,
 * liblzma) cost every command most of its start-up in symbol lookups —
 * four fifths of the instructions of `sriovctl show PF`. Opened per call:
 * no state outlives it.
 */
#define LIBKMOD_SONAME "libkmod.so.2"

struct kmod_api {
	void *dl;
	__typeof__(&kmod_new) new_ctx;
	__typeof__(&kmod_unref) unref;
	__typeof__(&kmod_module_new_from_lookup) lookup;
	__typeof__(&kmod_list_next) list_next;
	__typeof__(&kmod_module_get_module) get_module;
	__typeof__(&kmod_module_get_name) get_name;
	__typeof__(&kmod_module_probe_insert_module) probe;
	__typeof__(&kmod_module_unref) module_unref;
	__typeof__(&kmod_module_unref_list) unref_list;
};

static void *sym(struct kmod_api *k, const char *name, bool *ok)
{
	void *p = dlsym(k->dl, name);

	*ok = *ok && p;
	return p;
}

static int api_open(struct kmod_api *k, char *err, size_t errlen)
{
	bool ok = true;

	k->dl = dlopen(LIBKMOD_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!k->dl) {
		snprintf(err, errlen, "cannot load modules: %s (install libkmod2)",
			 dlerror());
		return -ENOPKG;
	}
	k->new_ctx = sym(k, "kmod_new", &ok);
	k->unref = sym(k, "kmod_unref", &ok);
	k->lookup = sym(k, "kmod_module_new_from_lookup", &ok);
	k->list_next = sym(k, "kmod_list_next", &ok);
	k->get_module = sym(k, "kmod_module_get_module", &ok);
	k->get_name = sym(k, "kmod_module_get_name", &ok);
	k->probe = sym(k, "kmod_module_probe_insert_module", &ok);
	k->module_unref = sym(k, "kmod_module_unref", &ok);
	k->unref_list = sym(k, "kmod_module_unref_list", &ok);
	if (!ok) {
		snprintf(err, errlen, "cannot load modules: %s lacks a function sriovctl uses",
			 LIBKMOD_SONAME);
		dlclose(k->dl);
		return -ENOPKG;
	}
	return 0;
}

int module_load(const char *name, char *err, size_t errlen)
{
	struct kmod_list *list = NULL, *it;
	struct kmod_ctx *kctx;
	struct kmod_api k;
	struct utsname u;
	int r;

	r = api_open(&k, err, errlen);
	if (r < 0)
		return r;
	if (uname(&u) < 0)
		snprintf(u.release, sizeof(u.release), "?");
	kctx = k.new_ctx(NULL, NULL);
	if (!kctx) {
		snprintf(err, errlen, "cannot read the module index of kernel %s (/lib/modules/%s)",
			 u.release, u.release);
		dlclose(k.dl);
		return -ENOENT;
	}
	r = k.lookup(kctx, name, &list);
	if (r < 0 || !list) {
		snprintf(err, errlen, "no module provides %s for the running kernel %s (is the kernel's modules package installed?)",
			 name, u.release);
		r = -ENOENT;
		goto out;
	}
	for (it = list; it; it = k.list_next(list, it)) {
		struct kmod_module *mod = k.get_module(it);

		r = k.probe(mod, KMOD_PROBE_IGNORE_LOADED, NULL, NULL, NULL,
			    NULL);
		if (r < 0) {
			/* libkmod returns -errno of init_module/finit_module */
			if (r == -EPERM || r == -EACCES)
				snprintf(err, errlen, "loading module %s was not allowed (%s): run as root",
					 k.get_name(mod), strerror(-r));
			else
				snprintf(err, errlen, "loading module %s failed: %s (see dmesg)",
					 k.get_name(mod), strerror(-r));
			k.module_unref(mod);
			goto out;
		}
		k.module_unref(mod);
	}
	r = 0;
out:
	k.unref_list(list);
	k.unref(kctx);
	dlclose(k.dl);
	return r;
}
