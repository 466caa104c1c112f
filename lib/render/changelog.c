/* SPDX-License-Identifier: MIT */
/* One change record: a JSON object on one line of the change log. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "sriov.h"
#include "util/jsonout.h"

static const char *result_name(const struct sriov_change *c)
{
	if (c->rollback)
		return c->err ? "rollback failed" : "rolled back";
	return c->err ? "failed" : "ok";
}

int sriov_change_write_json(const struct sriov_change_origin *who,
			    const struct sriov_change *c, FILE *out)
{
	time_t sec = (time_t)(who->time_us / 1000000);
	long usec = (long)(who->time_us % 1000000);
	json_object *o = json_object_new_object();
	char stamp[48], day[32];
	struct tm tm;

	if (usec < 0) {
		usec += 1000000;
		sec--;
	}
	if (!gmtime_r(&sec, &tm) ||
	    strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		json_object_put(o);
		return -EIO;
	}
	snprintf(stamp, sizeof(stamp), "%s.%06ldZ", day, usec);
	json_object_object_add(o, "time", json_object_new_string(stamp));
	json_object_object_add(o, "uid", json_object_new_int64(who->uid));
	json_object_object_add(o, "command", jout_str(who->command));
	json_object_object_add(o, "device", jout_str(c->device));
	json_object_object_add(o, "pf", jout_str(c->pf));
	json_object_object_add(o, "attribute", jout_str(c->attribute));
	json_object_object_add(o, "old", jout_str(c->old_value));
	json_object_object_add(o, "new", jout_str(c->new_value));
	json_object_object_add(o, "result", json_object_new_string(result_name(c)));
	json_object_object_add(o, "error", jout_str(c->err ? strerror(-c->err) : NULL));
	json_object_object_add(o, "message", jout_str(c->message));
	return jout_emit(o, false, out) < 0 ? -EIO : 0;
}
