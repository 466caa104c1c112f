/* SPDX-License-Identifier: MIT */
/*
 * `sriovctl vf VF set ATTR VALUE...`: check every setting first, then
 * send one RTM_SETLINK per setting so that a driver refusing one (igb has
 * no min rate and no link state) does not block the others.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>

#include "net/rtnl.h"
#include "ops/vf_request.h"
#include "util/errbuf.h"

int sriov_vf_settings_apply(const struct sriov_pf *pf,
			    const struct sriov_vf *vf,
			    const struct sriov_vf_settings *s,
			    struct sriov_vf_results *out,
			    char *err, size_t errlen)
{
	struct mnl_socket *nl = NULL;
	uint32_t seq = (uint32_t)time(NULL);
	char msg[256];
	int r;

	out->v = NULL;
	out->n = 0;
	r = sriov_vf_settings_check(pf, vf, s, err, errlen);
	if (r < 0)
		return r;
	out->v = calloc(s->n ? s->n : 1, sizeof(*out->v));
	if (!out->v)
		return -ENOMEM;
	r = rtnl_open(&nl);
	if (r < 0) {
		errset(err, errlen, r, "%s/vf%u: cannot open an rtnetlink socket: %s",
		       pf->netdevs[0].name, vf->index, strerror(-r));
		sriov_vf_results_clear(out);
		return r;
	}
	for (size_t i = 0; i < s->n; i++) {
		struct sriov_vf_result *res = &out->v[i];
		struct vfset_req req;
		size_t by = 0;

		res->setting = &s->v[i];
		r = vf_attrs_request(&vf->link, s, i, &req, &by);
		if (r == 1) {
			/* The pair's answer was the answer to both. */
			res->err = out->v[by].err;
			if (out->v[by].msg)
				res->msg = strdup(out->v[by].msg);
		} else if (r < 0) {
			res->err = r;
		} else {
			res->err = vfset_send(nl, seq++, pf->netdevs[0].ifindex,
					      vf->index, &req, msg,
					      sizeof(msg));
			if (msg[0])
				res->msg = strdup(msg);
		}
		out->n++;
	}
	mnl_socket_close(nl);
	return 0;
}

void sriov_vf_results_clear(struct sriov_vf_results *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].msg);
	free(r->v);
	r->v = NULL;
	r->n = 0;
}
