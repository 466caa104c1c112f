/* SPDX-License-Identifier: MIT */
/* Small json-c helpers shared by every JSON writer of the library. */
#ifndef SRIOV_UTIL_JSONOUT_H
#define SRIOV_UTIL_JSONOUT_H

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

#include "sriov.h"

/* A JSON string, or JSON null (NULL) for a NULL @s. */
json_object *jout_str(const char *s);

/* A JSON array of the strings of @sv. */
json_object *jout_strv(const struct sriov_strv *sv);

/*
 * Write @o (pretty-printed when @pretty, '/' unescaped) and a newline to
 * @out, then drop @o. Returns 0, -ENOMEM or -EIO.
 */
int jout_emit(json_object *o, bool pretty, FILE *out);

#endif
