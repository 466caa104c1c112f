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

/*
 * A file the user names (a certificate, a web config), outside any root,
 * read whole: a regular file only (a FIFO is refused, never waited on), at
 * most @max bytes, into a malloc'd NUL-terminated *@out (*@len without
 * the NUL; @len may be NULL). 0, or -errno (-EFBIG past @max, -EBADFD not
 * a regular file, -EISDIR); *@out is NULL on error.
 */
int sriov_read_user_file(const char *path, size_t max, char **out, size_t *len);

/* Free the strings and the array, and empty @sv (which is not freed). */
void sriov_strv_clear(struct sriov_strv *sv);

#ifdef __cplusplus
}
#endif

#endif
