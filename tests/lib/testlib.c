/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/if_ether.h>

#include "testlib.h"

static void die(const char *what, const char *path)
{
	fprintf(stderr, "testlib: %s %s: %s\n", what, path, strerror(errno));
	abort();
}

void tl_mkdtemp(char *buf, size_t len, const char *name)
{
	const char *tmp = getenv("TMPDIR");

	if (!tmp || !*tmp)
		tmp = "/tmp";
	if ((size_t)snprintf(buf, len, "%s/%s.XXXXXX", tmp, name) >= len) {
		errno = ENAMETOOLONG;
		die("mkdtemp", tmp);
	}
	if (!mkdtemp(buf))
		die("mkdtemp", buf);
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)f;
	if ((type == FTW_DP ? rmdir(path) : unlink(path)) < 0 && errno != ENOENT)
		die("remove", path);
	return 0;
}

void tl_rm_rf(const char *path)
{
	if (nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS) < 0 && errno != ENOENT)
		die("remove", path);
}

static void join(char *p, size_t len, const char *root, const char *rel)
{
	if ((size_t)snprintf(p, len, "%s/%s", root, rel) >= len) {
		errno = ENAMETOOLONG;
		die("path", rel);
	}
}

/* mkdir -p of @p's first @n bytes' components below @skip. */
static void parents(char *p, size_t skip)
{
	for (char *s = p + skip; (s = strchr(s, '/')); s++) {
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			die("mkdir", p);
		*s = '/';
	}
}

void tl_mkdir(const char *root, const char *rel)
{
	char p[PATH_MAX];

	join(p, sizeof(p), root, rel);
	parents(p, strlen(root) + 1);
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		die("mkdir", p);
}

void tl_put(const char *root, const char *rel, const char *content)
{
	char p[PATH_MAX];
	FILE *f;

	if (!content) {
		tl_mkdir(root, rel);
		return;
	}
	join(p, sizeof(p), root, rel);
	parents(p, strlen(root) + 1);
	f = fopen(p, "w");
	if (!f)
		die("create", p);
	if (fputs(content, f) < 0 || fclose(f) != 0)
		die("write", p);
}

void tl_link(const char *root, const char *rel, const char *target)
{
	char p[PATH_MAX];

	join(p, sizeof(p), root, rel);
	parents(p, strlen(root) + 1);
	if (symlink(target, p) < 0)
		die("symlink", p);
}

void tl_hostgen(const char *out, const char *args)
{
	const char *gen = getenv("SRIOV_HOSTGEN");
	char cmd[PATH_MAX * 3];

	if (!gen || !*gen) {
		fprintf(stderr, "testlib: set SRIOV_HOSTGEN to tools/hostgen/sriov-hostgen\n");
		abort();
	}
	snprintf(cmd, sizeof(cmd), "'%s' '%s' --force %s >/dev/null", gen, out, args);
	if (system(cmd) != 0) {
		fprintf(stderr, "testlib: failed: %s\n", cmd);
		abort();
	}
}

void tl_memhost_init(struct tl_memhost *m)
{
	memset(m, 0, sizeof(*m));
	m->nd = (struct sriov_netdev){ .name = "ens1f0", .mtu = 1500, .up = 1,
				       .ifindex = 4 };
	snprintf(m->root_port.address, sizeof(m->root_port.address), "0000:3a:00.0");
	snprintf(m->pfs[0].address, sizeof(m->pfs[0].address), "0000:3b:00.0");
	m->pfs[0].bus = "pci";
	m->pfs[0].vendor_id = 0x8086;
	m->pfs[0].device_id = 0x1592;
	m->pfs[0].class_code = 0x020000;
	m->pfs[0].vf_device_id = 0x1889;
	m->pfs[0].driver = "ice";
	m->pfs[0].netdevs = &m->nd;
	m->pfs[0].n_netdevs = 1;
	m->pfs[0].total_vfs = 8;
	m->pfs[0].num_vfs = 4;
	m->pfs[0].drivers_autoprobe = true;
	m->pfs[0].vfs = m->vfs;
	m->pfs[0].n_vfs = 4;
	m->pfs[0].upstream = &m->root_port;
	m->pfs[0].n_upstream = 1;
	for (unsigned i = 0; i < 4; i++) {
		struct sriov_vf *v = &m->vfs[i];

		v->index = i;
		snprintf(v->address, sizeof(v->address), "0000:3b:01.%u", i);
		v->driver = "iavf";
		snprintf(m->vf_netdevs[i], sizeof(m->vf_netdevs[i]), "ens1f0v%u", i);
		v->netdev = m->vf_netdevs[i];
		v->mtu = 1500;
		v->link = (struct sriov_vf_link){
			.present = true, .source = SRIOV_VF_LINK_SRC_NETLINK,
			.mac = "00:00:00:00:00:00", .vlan_proto = ETH_P_8021Q,
			.spoofchk = 1, .trust = 0, .query_rss = 0,
			.link_state = SRIOV_VF_LINK_AUTO };
	}
	snprintf(m->pfs[1].address, sizeof(m->pfs[1].address), "0000:5e:00.0");
	m->pfs[1].bus = "pci";
	m->pfs[1].vendor_id = 0x1b36;
	m->pfs[1].device_id = 0x0010;
	m->pfs[1].class_code = 0x010802;
	m->pfs[1].driver = "nvme";
	m->pfs[1].total_vfs = 4;
	m->pfs[1].drivers_autoprobe = true;
	m->host = (struct sriov_host){ .root = "/", .pfs = m->pfs, .n_pfs = 2 };
}
