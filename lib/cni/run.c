/* SPDX-License-Identifier: MIT */
/*
 * One CNI call: the environment checked, the configuration parsed, the
 * verb run; VERSION and STATUS here, the verbs on VFs in attach.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cni/cni.h"
#include "util/strv.h"

int cni_fail(struct cni_job *j, int code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	free(j->reply->out);
	j->reply->out = sriov_cni_error_json(j->version, code, msg, NULL);
	j->reply->code = code;
	cni_log(j, "error", "%s", msg);
	return -1;
}

void cni_log(struct cni_job *j, const char *level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	strv_pushf(&j->reply->log, "%s %s", level, msg);
}

static int version(struct cni_job *j, const char *conf, size_t len)
{
	static const char *const v[] = { "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0" };
	json_object *o = json_object_new_object(), *list = json_object_new_array();

	/* VERSION's stdin has only cniVersion, and may be empty. */
	(void)conf;
	(void)len;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		json_object_array_add(list, json_object_new_string(v[i]));
	json_object_object_add(o, "cniVersion", json_object_new_string(SRIOV_CNI_SPEC));
	json_object_object_add(o, "supportedVersions", list);
	j->reply->out = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE |
							    JSON_C_TO_STRING_SPACED));
	json_object_put(o);
	return j->reply->out ? 0 : -ENOMEM;
}

/* Ready when the state directory can be made and written. */
static int status(struct cni_job *j)
{
	char probe[4200];
	int fd;

	if (mkdir(j->state_dir, 0700) < 0 && errno != EEXIST)
		return cni_fail(j, SRIOV_CNI_E_NOT_READY,
				"cannot create the state directory %s: %s",
				j->state_dir, strerror(errno));
	snprintf(probe, sizeof(probe), "%s/.status-%d", j->state_dir, (int)getpid());
	fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return cni_fail(j, SRIOV_CNI_E_NOT_READY,
				"cannot write in the state directory %s: %s",
				j->state_dir, strerror(errno));
	close(fd);
	unlink(probe);
	return 0;
}

int sriov_cni_run(const struct sriov_cni_env *env, const char *conf,
		  size_t len, const struct sriov_cni_opts *opts,
		  struct sriov_cni_reply *reply)
{
	static const struct sriov_cni_opts none = { 0 };
	struct cni_job j = { .env = env, .opts = opts ? opts : &none,
			     .conf_text = conf, .conf_len = len, .reply = reply };
	const char *cmd = env->command;
	char err[512];
	int r;

	memset(reply, 0, sizeof(*reply));
	j.state_dir = j.opts->state_dir ? j.opts->state_dir : SRIOV_CNI_STATE_DIR;
	if (!cmd || !*cmd) {
		cni_fail(&j, SRIOV_CNI_E_ENV,
			 "CNI_COMMAND is not set: this is a CNI plugin, run by a container runtime (docs/cni.md)");
		goto done;
	}
	if (strcmp(cmd, "VERSION") == 0) {
		r = version(&j, conf, len);
		goto done;
	}
	r = sriov_cni_conf_parse(conf, len, &j.conf, err, sizeof(err));
	if (r < 0) {
		cni_fail(&j, r == -EBADMSG || r == -E2BIG ? SRIOV_CNI_E_DECODE :
			 r == -EPROTONOSUPPORT ? SRIOV_CNI_E_VERSION :
			 r == -ENOMEM ? SRIOV_CNI_E_IO : SRIOV_CNI_E_CONFIG, "%s", err);
		goto done;
	}
	j.version = j.conf.cni_version;
	reply->log_file = xstrdup_or_null(j.conf.log_file);
	reply->log_level = xstrdup_or_null(j.conf.log_level);
	if (strcmp(cmd, "ADD") == 0)
		cni_add(&j);
	else if (strcmp(cmd, "DEL") == 0)
		cni_del(&j);
	else if (strcmp(cmd, "CHECK") == 0)
		cni_check(&j);
	else if (strcmp(cmd, "GC") == 0)
		cni_gc(&j);
	else if (strcmp(cmd, "STATUS") == 0)
		status(&j);
	else
		cni_fail(&j, SRIOV_CNI_E_ENV,
			 "CNI_COMMAND '%.32s' is not one of ADD, DEL, CHECK, STATUS, GC, VERSION",
			 cmd);
done:
	if (!reply->out && reply->code) {
		sriov_cni_conf_clear(&j.conf);
		return -ENOMEM;
	}
	sriov_cni_conf_clear(&j.conf);
	return 0;
}

void sriov_cni_reply_clear(struct sriov_cni_reply *r)
{
	free(r->out);
	free(r->log_file);
	free(r->log_level);
	sriov_strv_clear(&r->log);
	memset(r, 0, sizeof(*r));
}
