/* SPDX-License-Identifier: MIT */
/*
 * IPAM delegation as the specification says: the plugin named by
 * ipam.type, found in CNI_PATH, run with the same configuration on stdin
 * and the same CNI_* variables; its result's addresses and routes are
 * then put on the interface in the container's namespace.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cni/cni.h"
#include "io/root.h"
#include "net/nslink.h"
#include "util/errbuf.h"

#define IPAM_OUT_MAX (1u << 20)

extern char **environ;

/* The plugin's executable in the colon-separated @path. */
static int find_plugin(const char *path, const char *type, char *out,
		       size_t len)
{
	const char *p = path;

	while (p && *p) {
		size_t n = strcspn(p, ":");

		if (n && snprintf(out, len, "%.*s/%s", (int)n, p, type) < (int)len &&
		    access(out, X_OK) == 0)
			return 0;
		p += n;
		if (*p == ':')
			p++;
	}
	return -ENOENT;
}

/* environ with our CNI_* in place of the caller's. */
static char **child_env(const char *command, const char *cid,
			const char *netns, const char *ifname,
			char *bufs[4])
{
	size_t n = 0, k = 0;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 5, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "CNI_COMMAND=", 12) &&
		    strncmp(environ[i], "CNI_CONTAINERID=", 16) &&
		    strncmp(environ[i], "CNI_NETNS=", 10) &&
		    strncmp(environ[i], "CNI_IFNAME=", 11))
			env[k++] = environ[i];
	if (asprintf(&bufs[0], "CNI_COMMAND=%s", command) < 0 ||
	    asprintf(&bufs[1], "CNI_CONTAINERID=%s", cid ? cid : "") < 0 ||
	    asprintf(&bufs[2], "CNI_NETNS=%s", netns ? netns : "") < 0 ||
	    asprintf(&bufs[3], "CNI_IFNAME=%s", ifname ? ifname : "") < 0) {
		free(env);
		return NULL;
	}
	for (int i = 0; i < 4; i++)
		env[k++] = bufs[i];
	return env;
}

/* The "msg" of an error object the plugin printed, else its text. */
static void plugin_error(const char *type, const char *out, int status,
			 char *err, size_t errlen)
{
	json_object *o = out ? json_tokener_parse(out) : NULL, *m;

	if (o && json_object_object_get_ex(o, "msg", &m) &&
	    json_object_is_type(m, json_type_string))
		errset(err, errlen, 0, "IPAM plugin %s: %.300s", type,
		       json_object_get_string(m));
	else if (WIFEXITED(status))
		errset(err, errlen, 0, "IPAM plugin %s exited with %d%s%.200s", type,
		       WEXITSTATUS(status), out && *out ? ": " : "", out ? out : "");
	else
		errset(err, errlen, 0, "IPAM plugin %s was killed by signal %d", type,
		       WTERMSIG(status));
	json_object_put(o);
}

int cni_ipam_exec(const char *path, const char *type, const char *command,
		  const char *cid, const char *netns, const char *ifname,
		  const char *conf, size_t len, char **out, char *err,
		  size_t errlen)
{
	char exe[4096], *bufs[4] = { 0 }, **env = NULL, *text = NULL;
	int in[2] = { -1, -1 }, outp[2] = { -1, -1 }, status = 0, r = 0;
	pid_t pid;

	*out = NULL;
	if (find_plugin(path, type, exe, sizeof(exe)) < 0)
		return errset(err, errlen, -ENOENT,
			      "IPAM plugin %s is not in CNI_PATH (%.200s)", type,
			      path ? path : "unset");
	env = child_env(command, cid, netns, ifname, bufs);
	if (!env || pipe2(in, O_CLOEXEC) < 0 || pipe2(outp, O_CLOEXEC) < 0) {
		r = errset(err, errlen, env ? -errno : -ENOMEM, "cannot start IPAM plugin %s", type);
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		r = errset(err, errlen, -errno, "cannot start IPAM plugin %s", type);
		goto out;
	}
	if (pid == 0) {
		char *argv[] = { exe, NULL };

		if (dup2(in[0], 0) < 0 || dup2(outp[1], 1) < 0)
			_exit(127);
		execve(exe, argv, env);
		_exit(127);
	}
	close(in[0]);
	close(outp[1]);
	in[0] = outp[1] = -1;
	/* Configurations are small: the pipe takes it before the plugin reads. */
	{
		struct sigaction ign = { .sa_handler = SIG_IGN }, old;
		size_t done = 0;

		sigaction(SIGPIPE, &ign, &old);
		while (done < len) {
			ssize_t n = write(in[1], conf + done, len - done);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			done += (size_t)n;
		}
		sigaction(SIGPIPE, &old, NULL);
	}
	close(in[1]);
	in[1] = -1;
	r = rootfs_read_all(outp[0], IPAM_OUT_MAX, &text, NULL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (r < 0) {
		r = errset(err, errlen, r, "reading IPAM plugin %s's output: %s", type,
			   strerror(-r));
		goto out;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		plugin_error(type, text, status, err, errlen);
		r = -EIO;
		goto out;
	}
	*out = text;
	text = NULL;
out:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (outp[i] >= 0)
			close(outp[i]);
	}
	for (int i = 0; i < 4; i++)
		free(bufs[i]);
	free(env);
	free(text);
	return r;
}

/* "10.1.0.5/24" into family, bytes, prefix. */
static int parse_cidr(const char *s, int *family, unsigned char addr[16],
		      unsigned *prefix)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	char *end;
	long p;

	if (!slash || (size_t)(slash - s) >= sizeof(buf))
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%.*s", (int)(slash - s), s);
	*family = strchr(buf, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(*family, buf, addr) != 1)
		return -EINVAL;
	errno = 0;
	p = strtol(slash + 1, &end, 10);
	if (errno || *end || end == slash + 1 || p < 0 ||
	    p > (*family == AF_INET ? 32 : 128))
		return -EINVAL;
	*prefix = (unsigned)p;
	return 0;
}

static const char *str_of(json_object *o, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(o, k, &v) &&
	       json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

int cni_ipam_configure(struct mnl_socket *nl, int ifindex, const char *ipam,
		       char *err, size_t errlen)
{
	json_object *o = json_tokener_parse(ipam), *list;
	char msg[256];
	int r = 0;

	if (!o || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return errset(err, errlen, -EBADMSG, "the IPAM result is not a JSON object");
	}
	if (json_object_object_get_ex(o, "ips", &list) &&
	    json_object_is_type(list, json_type_array)) {
		for (size_t i = 0; r == 0 && i < json_object_array_length(list); i++) {
			json_object *a = json_object_array_get_idx(list, i);
			const char *s = str_of(a, "address");
			unsigned char addr[16];
			unsigned prefix;
			int family;

			if (!s || parse_cidr(s, &family, addr, &prefix) < 0) {
				r = errset(err, errlen, -EINVAL,
					   "the IPAM result's ips[%zu].address is not an address/prefix", i);
				break;
			}
			r = nslink_addr_add(nl, ifindex, family, addr, prefix, msg, sizeof(msg));
			if (r < 0)
				errset(err, errlen, r, "adding address %s: %s%s%s", s,
				       strerror(-r), msg[0] ? ": " : "", msg);
		}
	}
	if (r == 0 && json_object_object_get_ex(o, "routes", &list) &&
	    json_object_is_type(list, json_type_array)) {
		for (size_t i = 0; r == 0 && i < json_object_array_length(list); i++) {
			json_object *a = json_object_array_get_idx(list, i);
			const char *dst = str_of(a, "dst"), *gw = str_of(a, "gw");
			unsigned char d[16], g[16];
			unsigned prefix;
			int family, gfam;

			if (!dst || parse_cidr(dst, &family, d, &prefix) < 0 ||
			    (gw && ((gfam = strchr(gw, ':') ? AF_INET6 : AF_INET) != family ||
				    inet_pton(family, gw, g) != 1))) {
				r = errset(err, errlen, -EINVAL,
					   "the IPAM result's routes[%zu] is not a route", i);
				break;
			}
			r = nslink_route_add(nl, ifindex, family, prefix ? d : NULL, prefix,
					     gw ? g : NULL, msg, sizeof(msg));
			if (r == -EEXIST)
				r = 0;
			if (r < 0)
				errset(err, errlen, r, "adding route %s: %s%s%s", dst,
				       strerror(-r), msg[0] ? ": " : "", msg);
		}
	}
	json_object_put(o);
	return r;
}
