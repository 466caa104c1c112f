/* SPDX-License-Identifier: MIT */
#include "util/jsonout.h"

#include <errno.h>

json_object *jout_str(const char *s)
{
	return s ? json_object_new_string(s) : NULL; /* NULL is JSON null */
}

json_object *jout_strv(const struct sriov_strv *sv)
{
	json_object *a = json_object_new_array_ext((int)sv->n);

	for (size_t i = 0; i < sv->n; i++)
		json_object_array_add(a, json_object_new_string(sv->v[i]));
	return a;
}

int jout_emit(json_object *o, bool pretty, FILE *out)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE |
		    (pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED
			    : JSON_C_TO_STRING_PLAIN);
	size_t len;
	const char *s = json_object_to_json_string_length(o, flags, &len);
	int r = 0;

	if (!s)
		r = -ENOMEM;
	else if (fwrite(s, 1, len, out) != len || fputc('\n', out) == EOF)
		r = -EIO;
	json_object_put(o);
	return r;
}
