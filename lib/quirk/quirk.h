/* SPDX-License-Identifier: MIT */
/* Internals of the quirk table shared by its parser and its lookups. */
#ifndef SRIOV_LIB_QUIRK_H
#define SRIOV_LIB_QUIRK_H

#include "sriov.h"

/* Free the strings of @e and zero it. */
void quirk_entry_clear(struct sriov_quirk *e);

/* data/quirks.yaml, generated into quirks_data.c at build time. */
extern const char sriov_quirks_data[];

#endif
