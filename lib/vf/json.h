/* SPDX-License-Identifier: MIT */
/* A VF link's attributes as JSON, named by the attribute table. */
#ifndef SRIOV_VF_JSON_H
#define SRIOV_VF_JSON_H

#include <json-c/json.h>

#include "sriov.h"

/*
 * Add @l's link attributes to @o under their JSON names, in the table's
 * order: numbers, booleans (null when not reported), "802.1Q"/"802.1ad",
 * "auto"/"enable"/"disable". What show --json and the state file hold.
 */
void vf_link_json_add(json_object *o, const struct sriov_vf_link *l);

#endif
