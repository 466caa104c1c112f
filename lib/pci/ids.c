/* SPDX-License-Identifier: MIT */
#include "pci/ids.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <pci/pci.h>

struct pci_ids {
	struct pci_access *pacc;
};

/*
 * libpci's default error handler exits the process; a library must not.
 * Name lookups only warn (e.g. a missing pci.ids), so silence is enough.
 */
static void PCI_NONRET ids_error(char *msg, ...)
{
	(void)msg;
	abort();
}

static void ids_quiet(char *msg, ...)
{
	(void)msg;
}

int pci_ids_new(const char *path, struct pci_ids **out)
{
	struct pci_ids *ids = calloc(1, sizeof(*ids));

	if (!ids)
		return -ENOMEM;
	ids->pacc = pci_alloc();
	if (!ids->pacc) {
		free(ids);
		return -ENOMEM;
	}
	ids->pacc->error = ids_error;
	ids->pacc->warning = ids_quiet;
	ids->pacc->debug = ids_quiet;
	if (path) {
		char *p = strdup(path);

		if (!p) {
			pci_cleanup(ids->pacc);
			free(ids);
			return -ENOMEM;
		}
		pci_set_name_list_path(ids->pacc, p, 1);
	}
	*out = ids;
	return 0;
}

void pci_ids_free(struct pci_ids *ids)
{
	if (!ids)
		return;
	pci_cleanup(ids->pacc);
	free(ids);
}

char *pci_ids_name(struct pci_ids *ids, uint16_t vendor, int device)
{
	char buf[256];
	char *name;
	/* No DNS, no udev hwdb: the answer must come from pci.ids alone. */
	int flags = PCI_LOOKUP_NO_NUMBERS | PCI_LOOKUP_NO_HWDB;

	if (!ids)
		return NULL;
	if (device >= 0)
		name = pci_lookup_name(ids->pacc, buf, sizeof(buf),
				       flags | PCI_LOOKUP_DEVICE, (int)vendor,
				       device);
	else
		name = pci_lookup_name(ids->pacc, buf, sizeof(buf),
				       flags | PCI_LOOKUP_VENDOR, (int)vendor);
	return name ? strdup(name) : NULL;
}
