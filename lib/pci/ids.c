/* SPDX-License-Identifier: MIT */
#include "pci/ids.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <dlfcn.h>
#include <pci/pci.h>

/*
 * libpci is opened when names are first looked up, not linked: with the
 * libudev it links, it cost every command a third of its start-up in
 * symbol lookups, names or not (show of a netdevsim PF has none).
 */
#define LIBPCI_SONAME "libpci.so.3"

struct pci_api {
	void *dl;
	__typeof__(&pci_alloc) alloc;
	__typeof__(&pci_cleanup) cleanup;
	__typeof__(&pci_set_name_list_path) set_path;
	__typeof__(&pci_load_name_list) load;
	__typeof__(&pci_free_name_list) free_names;
	__typeof__(&pci_lookup_name) lookup;
};

/* A load in progress: where libpci's error handler returns to. */
struct ids_load {
	jmp_buf env;
	char msg[512];
};

struct pci_ids {
	struct pci_api api;
	struct pci_access *pacc;
	bool explicit_path;   /* given by the caller: its absence is news */
	bool tried;           /* the database was read (or refused) */
	bool usable;          /* ...and has names */
	char *warning;        /* why it has none; NULL when usable or absent */
	struct ids_load load; /* not on the stack: it changes before longjmp */
};

/*
 * libpci's error handler must not return (pci_load_name_list() ends with
 * it on a bad line, after closing the file) and is given no context, so
 * the load in progress is found through this thread's pointer, set only
 * for the duration of one pci_load_name_list() call.
 */
static _Thread_local struct ids_load *ids_loading;

static void PCI_NONRET ids_error(char *msg, ...)
{
	struct ids_load *l = ids_loading;
	va_list ap;
	size_t n;

	if (!l)
		abort(); /* an error outside a load: libpci would have exited */
	va_start(ap, msg);
	vsnprintf(l->msg, sizeof(l->msg), msg, ap);
	va_end(ap);
	n = strlen(l->msg);
	while (n > 0 && (l->msg[n - 1] == '\n' || l->msg[n - 1] == ' '))
		l->msg[--n] = '\0';
	longjmp(l->env, 1);
}

static void ids_quiet(char *msg, ...)
{
	(void)msg;
}

static void set_warning(struct pci_ids *ids, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* NULL, or why libpci cannot be used. */
static const char *api_open(struct pci_api *a)
{
	a->dl = dlopen(LIBPCI_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!a->dl)
		return dlerror();
	a->alloc = (__typeof__(a->alloc))dlsym(a->dl, "pci_alloc");
	a->cleanup = (__typeof__(a->cleanup))dlsym(a->dl, "pci_cleanup");
	a->set_path = (__typeof__(a->set_path))dlsym(a->dl,
						     "pci_set_name_list_path");
	a->load = (__typeof__(a->load))dlsym(a->dl, "pci_load_name_list");
	a->free_names = (__typeof__(a->free_names))dlsym(a->dl,
							 "pci_free_name_list");
	a->lookup = (__typeof__(a->lookup))dlsym(a->dl, "pci_lookup_name");
	if (a->alloc && a->cleanup && a->set_path && a->load &&
	    a->free_names && a->lookup)
		return NULL;
	dlclose(a->dl);
	a->dl = NULL;
	return "it lacks a function sriovctl uses";
}

int pci_ids_new(const char *path, struct pci_ids **out)
{
	struct pci_ids *ids = calloc(1, sizeof(*ids));
	const char *why;

	if (!ids)
		return -ENOMEM;
	why = api_open(&ids->api);
	if (why) {
		/* no names, as without a database: said once, not fatal */
		ids->tried = true;
		set_warning(ids, "pci.ids: cannot load %s (%s): device names are not shown",
			    LIBPCI_SONAME, why);
		*out = ids;
		return 0;
	}
	ids->pacc = ids->api.alloc();
	if (!ids->pacc) {
		dlclose(ids->api.dl);
		free(ids);
		return -ENOMEM;
	}
	ids->pacc->error = ids_error;
	ids->pacc->warning = ids_quiet;
	ids->pacc->debug = ids_quiet;
	if (path) {
		char *p = strdup(path);

		if (!p) {
			pci_ids_free(ids);
			return -ENOMEM;
		}
		ids->api.set_path(ids->pacc, p, 1);
		ids->explicit_path = true;
	}
	*out = ids;
	return 0;
}

void pci_ids_free(struct pci_ids *ids)
{
	if (!ids)
		return;
	if (ids->pacc)
		ids->api.cleanup(ids->pacc);
	if (ids->api.dl)
		dlclose(ids->api.dl);
	free(ids->warning);
	free(ids);
}

static void set_warning(struct pci_ids *ids, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&ids->warning, fmt, ap) < 0)
		ids->warning = NULL;
	va_end(ap);
}

/* Read the database once; a bad one leaves no names and a warning. */
static void ids_load(struct pci_ids *ids)
{
	const char *file = ids->pacc->id_file_name;
	struct ids_load *prev = ids_loading;
	struct stat st;
	int ok;

	ids->tried = true;
	/* a FIFO would block the open, a directory fails as an I/O error */
	if (stat(file, &st) == 0 && !S_ISREG(st.st_mode)) {
		set_warning(ids, "pci.ids: %s is not a regular file: device names are not shown",
			    file);
		return;
	}
	ids_loading = &ids->load;
	if (setjmp(ids->load.env) != 0) {
		ids_loading = prev;
		/* what was parsed before the bad line is not trusted either */
		ids->api.free_names(ids->pacc);
		set_warning(ids, "pci.ids: %s: device names are not shown",
			    ids->load.msg);
		return;
	}
	errno = 0;
	ok = ids->api.load(ids->pacc);
	ids_loading = prev;
	/* libpci may have renamed it (a missing .gz) */
	file = ids->pacc->id_file_name;
	if (!ok) {
		/* no database is normal (it is optional); a named one is not */
		if (ids->explicit_path)
			set_warning(ids, "pci.ids: cannot open %s: %s: device names are not shown",
				    file, strerror(errno ? errno : ENOENT));
		return;
	}
	if (!ids->pacc->id_hash) {
		set_warning(ids, "pci.ids: %s has no entries: device names are not shown",
			    file);
		return;
	}
	ids->usable = true;
}

const char *pci_ids_warning(const struct pci_ids *ids)
{
	return ids ? ids->warning : NULL;
}

char *pci_ids_name(struct pci_ids *ids, uint16_t vendor, int device)
{
	char buf[256];
	char *name;
	/* No DNS, no udev hwdb: the answer must come from pci.ids alone. */
	int flags = PCI_LOOKUP_NO_NUMBERS | PCI_LOOKUP_NO_HWDB;

	if (!ids)
		return NULL;
	if (!ids->tried)
		ids_load(ids);
	if (!ids->usable)
		return NULL;
	if (device >= 0)
		name = ids->api.lookup(ids->pacc, buf, sizeof(buf),
				       flags | PCI_LOOKUP_DEVICE, (int)vendor,
				       device);
	else
		name = ids->api.lookup(ids->pacc, buf, sizeof(buf),
				       flags | PCI_LOOKUP_VENDOR, (int)vendor);
	return name ? strdup(name) : NULL;
}
