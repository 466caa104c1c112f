/* SPDX-License-Identifier: MIT */
/*
 * The HTTP side of sriovctl-exporter, on libmicrohttpd: one polling
 * thread, bounded connections (in all and per client address), an idle
 * timeout, a memory limit per connection; TLS through GnuTLS and basic
 * auth when --web.config.file asks. GET and HEAD of / (the landing page)
 * and of the telemetry path; 405 for other methods there, 404 elsewhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <microhttpd.h>

#include "exporter.h"

/* A certificate or key file is small; anything bigger is a mistake. */
#define PEM_MAX (1u << 20)
/* A client's connections at once: one Prometheus needs one. */
#define PER_IP_MAX 16u

struct http {
	struct exporter *ex;
	struct MHD_Daemon *d;
	char *cert, *key;  /* PEM, for MHD_OPTION_HTTPS_MEM_* */
	char landing[2048];
};

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status,
			     const char *type, char *body, size_t len,
			     enum MHD_ResponseMemoryMode mode, const char *allow)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, mode);
	enum MHD_Result r;

	if (!resp) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (allow)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
	r = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return r;
}

static enum MHD_Result text(struct MHD_Connection *c, unsigned status,
			    const char *msg, const char *allow)
{
	return reply(c, status, "text/plain; charset=utf-8", (char *)msg, strlen(msg),
		     MHD_RESPMEM_PERSISTENT, allow);
}

static bool authorized(struct http *h, struct MHD_Connection *c)
{
	char *pass = NULL, *user;
	bool ok;

	if (!h->ex->web.n_users)
		return true;
	user = MHD_basic_auth_get_username_password(c, &pass);
	ok = user && pass && web_config_auth(&h->ex->web, user, pass);
	MHD_free(user);
	MHD_free(pass);
	return ok;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version,
			      const char *upload, size_t *upload_len, void **con_cls)
{
	struct http *h = cls;
	bool metrics = strcmp(url, h->ex->opts.path) == 0;
	bool landing = strcmp(url, "/") == 0;
	bool get = strcmp(method, MHD_HTTP_METHOD_GET) == 0 ||
		   strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
	char *buf;
	size_t len;

	/* a request body is not read: the answer does not depend on it */
	*upload_len = 0;
	if (!authorized(h, c)) {
		struct MHD_Response *resp = MHD_create_response_from_buffer(
			13, (void *)"Unauthorized\n", MHD_RESPMEM_PERSISTENT);
		enum MHD_Result r;

		if (!resp)
			return MHD_NO;
		r = MHD_queue_basic_auth_fail_response(c, "sriovctl-exporter", resp);
		MHD_destroy_response(resp);
		return r;
	}
	if (!metrics && !landing)
		return text(c, MHD_HTTP_NOT_FOUND, "Not Found\n", NULL);
	if (!get)
		return text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "Method Not Allowed\n",
			    "GET, HEAD");
	if (landing)
		return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", h->landing,
			     strlen(h->landing), MHD_RESPMEM_PERSISTENT, NULL);
	if (exporter_scrape(h->ex, &buf, &len) < 0)
		return text(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
			    "cannot collect the metrics: out of memory\n", NULL);
	return reply(c, MHD_HTTP_OK, SRIOV_METRICS_CONTENT_TYPE, buf, len,
		     MHD_RESPMEM_MUST_FREE, NULL);
}

/* @path's content, NUL-terminated, for GnuTLS. NULL with errno. */
static char *read_pem(const char *path)
{
	char *buf;
	int r = sriov_read_user_file(path, PEM_MAX, &buf, NULL);

	if (r < 0)
		errno = -r;
	return r < 0 ? NULL : buf;
}

/*
 * "[HOST]:PORT", "HOST:PORT", ":PORT" into an address (HOST empty: any,
 * IPv6 and IPv4). Returns 0 or -EINVAL with @err.
 */
static int parse_listen(const char *s, struct sockaddr_storage *ss, bool *any,
			uint16_t *port, char *err, size_t errlen)
{
	const char *colon = strrchr(s, ':');
	char host[256];
	size_t hl;
	unsigned long p;
	struct addrinfo hints = { .ai_flags = AI_PASSIVE, .ai_socktype = SOCK_STREAM },
			*res = NULL;

	if (!colon || !colon[1] || strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
	    strlen(colon + 1) > 5 || (p = strtoul(colon + 1, NULL, 10)) > 65535) {
		snprintf(err, errlen, "--web.listen-address takes [HOST]:PORT, not '%s'", s);
		return -EINVAL;
	}
	hl = (size_t)(colon - s);
	if (hl >= 2 && s[0] == '[' && s[hl - 1] == ']')
		s++, hl -= 2;
	if (hl >= sizeof(host)) {
		snprintf(err, errlen, "--web.listen-address: the host is too long");
		return -EINVAL;
	}
	memcpy(host, s, hl);
	host[hl] = 0;
	*port = (uint16_t)p;
	*any = hl == 0;
	if (*any)
		return 0;
	if (getaddrinfo(host, colon + 1, &hints, &res) != 0 || !res) {
		snprintf(err, errlen, "--web.listen-address: cannot resolve '%s'", host);
		return -EINVAL;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return 0;
}

struct http *http_start(struct exporter *ex, char *err, size_t errlen)
{
	struct http *h = calloc(1, sizeof(*h));
	struct sockaddr_storage ss = { 0 };
	struct MHD_Daemon *d = NULL;
	struct MHD_OptionItem opts[12];
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	size_t n = 0;
	uint16_t port;
	bool any;

	if (!h) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	h->ex = ex;
	if (parse_listen(ex->opts.listen, &ss, &any, &port, err, errlen) < 0)
		goto fail;
	snprintf(h->landing, sizeof(h->landing),
		 "<!DOCTYPE html>\n<html><head><title>sriovctl exporter</title></head>\n"
		 "<body><h1>sriovctl exporter</h1>\n"
		 "<p>SR-IOV PFs and VFs, their settings and counters, check findings and policy drift for Prometheus.</p>\n"
		 "<p><a href=\"%s\">Metrics</a></p>\n"
		 "<p>Version %s</p></body></html>\n",
		 ex->opts.path, SRIOVCTL_VERSION);
	if (ex->web.cert_file) {
		h->cert = read_pem(ex->web.cert_file);
		if (!h->cert) {
			snprintf(err, errlen, "cannot read cert_file %s: %s", ex->web.cert_file,
				 strerror(errno));
			goto fail;
		}
		h->key = read_pem(ex->web.key_file);
		if (!h->key) {
			snprintf(err, errlen, "cannot read key_file %s: %s", ex->web.key_file,
				 strerror(errno));
			goto fail;
		}
		flags |= MHD_USE_TLS;
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, h->cert };
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, h->key };
	}
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_LIMIT,
					     (intptr_t)ex->opts.max_conns, NULL };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_PER_IP_CONNECTION_LIMIT,
					     (intptr_t)(ex->opts.max_conns < PER_IP_MAX ?
							ex->opts.max_conns : PER_IP_MAX), NULL };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_TIMEOUT,
					     (intptr_t)ex->opts.timeout_s, NULL };
	/* headers and a request line; the response is malloc'd apart */
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_MEMORY_LIMIT,
					     (intptr_t)(32 * 1024), NULL };
	if (!any)
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_SOCK_ADDR, 0, &ss };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	if (any) {
		/* both families on one socket; a host without IPv6 gets IPv4 */
		d = MHD_start_daemon(flags | MHD_USE_DUAL_STACK, port, NULL, NULL, handle, h,
				     MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
		if (!d)
			d = MHD_start_daemon(flags, port, NULL, NULL, handle, h,
					     MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
	} else {
		if (ss.ss_family == AF_INET6)
			flags |= MHD_USE_IPv6;
		d = MHD_start_daemon(flags, port, NULL, NULL, handle, h,
				     MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
	}
	if (d) {
		h->d = d;
		return h;
	}
	snprintf(err, errlen, "cannot listen on %s (the address is in use, or not this host's)",
		 ex->opts.listen);
fail:
	free(h->cert);
	free(h->key);
	free(h);
	return NULL;
}

void http_stop(struct http *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->d);
	free(h->cert);
	free(h->key);
	free(h);
}
