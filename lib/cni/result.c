/* SPDX-License-Identifier: MIT */
/* The result and error objects of the CNI specification (1.1.0 and back). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "cni/cni.h"

char *sriov_cni_error_json(const char *version, int code, const char *msg,
			   const char *details)
{
	json_object *o = json_object_new_object();
	char *s;

	if (!o)
		return NULL;
	json_object_object_add(o, "cniVersion", json_object_new_string(
				       version ? version : SRIOV_CNI_SPEC));
	json_object_object_add(o, "code", json_object_new_int(code));
	json_object_object_add(o, "msg", json_object_new_string(msg ? msg : ""));
	if (details)
		json_object_object_add(o, "details", json_object_new_string(details));
	s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE |
						 JSON_C_TO_STRING_SPACED));
	json_object_put(o);
	return s;
}

char *cni_result_json(const char *version, const char *ifname,
		      const uint8_t *mac, int mtu, const char *sandbox,
		      const char *pci, const char *ipam)
{
	json_object *o = json_object_new_object(), *ifs, *itf, *ip = NULL, *v;
	bool v11 = sriov_cni_version_11(version);
	char m[18], *s;

	if (!o)
		return NULL;
	json_object_object_add(o, "cniVersion", json_object_new_string(version));
	ifs = json_object_new_array();
	itf = json_object_new_object();
	json_object_object_add(itf, "name", json_object_new_string(ifname));
	if (mac) {
		snprintf(m, sizeof(m), "%02x:%02x:%02x:%02x:%02x:%02x", mac[0],
			 mac[1], mac[2], mac[3], mac[4], mac[5]);
		json_object_object_add(itf, "mac", json_object_new_string(m));
	}
	if (v11 && mtu > 0)
		json_object_object_add(itf, "mtu", json_object_new_int(mtu));
	if (sandbox)
		json_object_object_add(itf, "sandbox", json_object_new_string(sandbox));
	if (v11 && pci)
		json_object_object_add(itf, "pciID", json_object_new_string(pci));
	json_object_array_add(ifs, itf);
	json_object_object_add(o, "interfaces", ifs);
	if (ipam)
		ip = json_tokener_parse(ipam);
	if (ip && json_object_is_type(ip, json_type_object)) {
		/* The addresses are on our one interface, index 0. */
		if (json_object_object_get_ex(ip, "ips", &v) &&
		    json_object_is_type(v, json_type_array)) {
			for (size_t i = 0; i < json_object_array_length(v); i++) {
				json_object *a = json_object_array_get_idx(v, i);

				if (json_object_is_type(a, json_type_object))
					json_object_object_add(a, "interface", json_object_new_int(0));
			}
			json_object_object_add(o, "ips", json_object_get(v));
		}
		if (json_object_object_get_ex(ip, "routes", &v))
			json_object_object_add(o, "routes", json_object_get(v));
		if (json_object_object_get_ex(ip, "dns", &v))
			json_object_object_add(o, "dns", json_object_get(v));
	}
	if (!json_object_object_get_ex(o, "dns", &v))
		json_object_object_add(o, "dns", json_object_new_object());
	json_object_put(ip);
	s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE |
						 JSON_C_TO_STRING_SPACED));
	json_object_put(o);
	return s;
}
