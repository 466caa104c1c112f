/* SPDX-License-Identifier: MIT */
/* Internals of the VF settings shared by their parser, diff and apply. */
#ifndef SRIOV_VF_SETTINGS_H
#define SRIOV_VF_SETTINGS_H

#include "sriov.h"

/* Set @st->text to its canonical form from @st's value: "vlan 100 qos 3". */
void vf_setting_text(struct sriov_vf_setting *st);

/* The setting of @attr in @s (its index in *@idx when not NULL), or NULL. */
const struct sriov_vf_setting *vf_settings_find(const struct sriov_vf_settings *s,
						enum sriov_vf_attr attr, size_t *idx);

#endif
