/* SPDX-License-Identifier: MIT */
/*
 * libsriov — what every part of the interface uses: the length of a PCI
 * address and the list of strings.
 */
#ifndef SRIOV_COMMON_H
#define SRIOV_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* "0000:3b:00.0" is 12 characters; PCI domains can have 5 hex digits (VMD). */
#define SRIOV_ADDR_MAX 16

/* List of strings, NULL-terminated is not assumed: use n. */
struct sriov_strv {
	char **v;
	size_t n;
};

/* Free the strings and the array, and empty @sv (which is not freed). */
void sriov_strv_clear(struct sriov_strv *sv);

#ifdef __cplusplus
}
#endif

#endif
