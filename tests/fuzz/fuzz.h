/* SPDX-License-Identifier: MIT */
/* Shared by the fuzz harnesses: an invariant that aborts, so the fuzzer sees it. */
#ifndef SRIOV_FUZZ_H
#define SRIOV_FUZZ_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "%s:%d: check failed: %s\n",         \
				__FILE__, __LINE__, #cond);                  \
			abort();                                             \
		}                                                            \
	} while (0)

#endif
