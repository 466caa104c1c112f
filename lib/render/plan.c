/* SPDX-License-Identifier: MIT */
/* `sriovctl plan --json`: the changes of a plan, one entry per line of it. */
#include <errno.h>

#include <json-c/json.h>

#include "ops/plan.h"
#include "sriov.h"
#include "util/jsonout.h"

int sriov_plan_write_json(const struct sriov_plan *plan, bool pretty,
			  FILE *out)
{
	json_object *root = json_object_new_object();
	json_object *changes = json_object_new_array();
	size_t count = 0;

	json_object_object_add(root, "schema",
			       json_object_new_string(SRIOV_PLAN_SCHEMA));
	for (size_t i = 0; i < plan->n; i++) {
		const struct sriov_step *s = &plan->v[i];
		struct step_line l;

		for (size_t j = 0; step_line(s, j, &l) == 0; j++) {
			json_object *c = json_object_new_object();

			json_object_object_add(c, "device",
					       json_object_new_string(l.device));
			json_object_object_add(c, "pf", json_object_new_string(s->pf));
			json_object_object_add(c, "kind",
					       json_object_new_string(step_kind_name(s->kind)));
			json_object_object_add(c, "attribute",
					       json_object_new_string(l.attribute));
			json_object_object_add(c, "old", jout_str(l.old_known ?
							l.old_value : NULL));
			json_object_object_add(c, "new",
					       json_object_new_string(l.new_value));
			json_object_array_add(changes, c);
			count++;
		}
	}
	json_object_object_add(root, "changes", changes);
	json_object_object_add(root, "count", json_object_new_int64((int64_t)count));
	return jout_emit(root, pretty, out) < 0 ? -EIO : 0;
}
