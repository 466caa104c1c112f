/* SPDX-License-Identifier: MIT */
/*
 * sriov_export_build on a generated host whose VF links are set here (a
 * tree has no rtnetlink): VLANs in the XML, what libvirt cannot express,
 * and sriov_write_file_atomic.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sriov.h"

static char base[512], root[600];

static int setup_tree(void **state)
{
	const char *gen = getenv("SRIOV_HOSTGEN");
	char cmd[1400];

	(void)state;
	if (!gen || !*gen)
		fail_msg("set SRIOV_HOSTGEN to tools/hostgen/sriov-hostgen");
	snprintf(base, sizeof(base), "%s/sriov-export-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(base));
	snprintf(cmd, sizeof(cmd), "'%s' '%s/h' --card e810:pfs=1,vfs=3 --force >/dev/null",
		 gen, base);
	assert_int_equal(system(cmd), 0);
	snprintf(root, sizeof(root), "%s/h", base);
	return 0;
}

static int teardown_tree(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	return system(cmd) == 0 ? 0 : -1;
}

struct env {
	struct sriov_ctx *ctx;
	struct sriov_host *host;
	struct sriov_pf *pf;
};

static void env_open(struct env *e)
{
	assert_int_equal(sriov_ctx_new(root, &e->ctx), 0);
	assert_int_equal(sriov_host_load(e->ctx, SRIOV_LOAD_NO_NAMES, &e->host), 0);
	assert_int_equal(e->host->n_pfs, 1);
	e->pf = &e->host->pfs[0];
	assert_int_equal(e->pf->n_vfs, 3);
}

static void env_close(struct env *e)
{
	sriov_host_free(e->host);
	sriov_ctx_free(e->ctx);
}

/* What the PF's driver would report over rtnetlink for VF @i. */
static void set_vlan(struct env *e, size_t i, unsigned vlan, uint16_t proto)
{
	struct sriov_vf_link *l = &e->pf->vfs[i].link;

	l->present = true;
	l->vlan = vlan;
	l->vlan_proto = proto;
}

static int build(struct env *e, int format, const char *dev, const char *name,
		 struct sriov_export **ex, char *err, size_t errlen)
{
	struct sriov_export_opts o = { .format = format, .name = name };
	const char *devs[] = { dev };

	return sriov_export_build(e->ctx, e->host, devs, 1, &o, ex, err, errlen);
}

static void test_vlan(void **state)
{
	struct sriov_export *ex = NULL;
	struct env e;
	char err[512];
	char *p;

	(void)state;
	env_open(&e);
	set_vlan(&e, 1, 100, 0x8100);
	assert_int_equal(build(&e, SRIOV_EXPORT_LIBVIRT_INTERFACE, e.pf->address,
			       NULL, &ex, err, sizeof(err)), 0);
	/* only VF 1's interface has the tag, after its source */
	p = strstr(ex->text, "function=\"0x1\"");
	assert_non_null(p);
	assert_non_null(strstr(p, "<vlan>\n    <tag id=\"100\" />\n  </vlan>"));
	assert_ptr_equal(strstr(ex->text, "<vlan>"), strstr(p, "<vlan>"));
	assert_true(strstr(p, "<vlan>") < strstr(p, "function=\"0x2\""));
	assert_null(strstr(strstr(p, "<vlan>") + 1, "<vlan>"));
	sriov_export_free(ex);

	/* a network hands out all its VFs with one VLAN */
	assert_int_equal(build(&e, SRIOV_EXPORT_LIBVIRT_NETWORK, e.pf->address,
			       "n", &ex, err, sizeof(err)), -EDOM);
	assert_null(ex);
	assert_non_null(strstr(err, "VLAN 0"));
	assert_non_null(strstr(err, "VLAN 100"));
	set_vlan(&e, 0, 100, 0x8100);
	set_vlan(&e, 2, 100, 0x8100);
	assert_int_equal(build(&e, SRIOV_EXPORT_LIBVIRT_NETWORK, e.pf->address,
			       "n", &ex, err, sizeof(err)), 0);
	assert_non_null(strstr(ex->text, "</forward>\n  <vlan>\n    <tag id=\"100\" />"));
	sriov_export_free(ex);

	/* what libvirt cannot set: refused, not dropped */
	set_vlan(&e, 1, 100, 0x88a8);
	assert_int_equal(build(&e, SRIOV_EXPORT_LIBVIRT_INTERFACE, e.pf->address,
			       NULL, &ex, err, sizeof(err)), -EDOM);
	assert_non_null(strstr(err, "802.1ad"));
	set_vlan(&e, 1, 4095, 0x8100);
	assert_int_equal(build(&e, SRIOV_EXPORT_LIBVIRT_HOSTDEV, e.pf->address,
			       NULL, &ex, err, sizeof(err)), -EDOM);
	assert_non_null(strstr(err, "4095"));
	env_close(&e);
}

/* The admin MAC (the PF's view) wins over the VF netdev's. */
static void test_admin_mac(void **state)
{
	struct sriov_export *ex = NULL;
	struct env e;
	char err[512];
	const char *vf0[] = { NULL };

	(void)state;
	env_open(&e);
	e.pf->vfs[0].link.present = true;
	strcpy(e.pf->vfs[0].link.mac, "02:11:22:33:44:55");
	vf0[0] = e.pf->vfs[0].address;
	{
		struct sriov_export_opts o = { .format = SRIOV_EXPORT_LIBVIRT_INTERFACE };

		assert_int_equal(sriov_export_build(e.ctx, e.host, vf0, 1, &o, &ex,
						    err, sizeof(err)), 0);
	}
	assert_non_null(strstr(ex->text, "<mac address=\"02:11:22:33:44:55\" />"));
	assert_null(strstr(ex->text, e.pf->vfs[0].mac));
	sriov_export_free(ex);
	env_close(&e);
}

/*
 * <pf dev> for a whole PF; a netdev name XML cannot hold (the kernel
 * allows control bytes) falls back to the VFs' addresses, and markup in a
 * name is escaped by the writer.
 */
static void test_network_pf_name(void **state)
{
	struct sriov_export *ex = NULL;
	struct env e;
	char err[512];
	char *saved;

	(void)state;
	env_open(&e);
	saved = e.pf->netdevs[0].name;
	assert_int_equal(build(&e, SRIOV_EXPORT_LIBVIRT_NETWORK, e.pf->address,
			       "n", &ex, err, sizeof(err)), 0);
	assert_non_null(strstr(ex->text, "<pf dev=\""));
	assert_non_null(strstr(ex->text, saved));
	assert_null(strstr(ex->text, "<address"));
	sriov_export_free(ex);
	e.pf->netdevs[0].name = "ens\x1b[2J";
	assert_int_equal(build(&e, SRIOV_EXPORT_LIBVIRT_NETWORK, e.pf->address,
			       "n", &ex, err, sizeof(err)), 0);
	assert_null(strstr(ex->text, "<pf"));
	assert_null(strchr(ex->text, '\x1b'));
	assert_non_null(strstr(ex->text, "<address type=\"pci\""));
	sriov_export_free(ex);
	e.pf->netdevs[0].name = "a\"b<c>&d";
	assert_int_equal(build(&e, SRIOV_EXPORT_LIBVIRT_NETWORK, e.pf->address,
			       "n", &ex, err, sizeof(err)), 0);
	assert_non_null(strstr(ex->text, "<pf dev=\"a&quot;b&lt;c&gt;&amp;d\" />"));
	sriov_export_free(ex);
	e.pf->netdevs[0].name = saved;
	env_close(&e);
}

static void test_format_names(void **state)
{
	(void)state;
	for (int i = 0; sriov_export_format_name(i); i++)
		assert_int_equal(sriov_export_format_parse(sriov_export_format_name(i)), i);
	assert_int_equal(sriov_export_format_parse("libvirt"), -EINVAL);
	assert_int_equal(sriov_export_format_parse(NULL), -EINVAL);
	assert_null(sriov_export_format_name(-1));
}

static char *slurp(const char *path)
{
	static char buf[256];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n >= 0);
	buf[n] = '\0';
	return buf;
}

static void test_write_atomic(void **state)
{
	char file[700], link[700], other[700], dir[700], cmd[800];
	struct stat st;

	(void)state;
	snprintf(file, sizeof(file), "%s/out.xml", base);
	snprintf(link, sizeof(link), "%s/link.xml", base);
	snprintf(other, sizeof(other), "%s/other", base);
	snprintf(dir, sizeof(dir), "%s/adir", base);
	assert_int_equal(sriov_write_file_atomic(file, "one\n", 4), 0);
	assert_string_equal(slurp(file), "one\n");
	assert_int_equal(chmod(file, 0600), 0);
	assert_int_equal(sriov_write_file_atomic(file, "two\n", 4), 0);
	assert_string_equal(slurp(file), "two\n");
	assert_int_equal(stat(file, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	/* a link is not followed: neither it nor its target changes */
	assert_int_equal(sriov_write_file_atomic(other, "keep\n", 5), 0);
	assert_int_equal(symlink(other, link), 0);
	assert_int_equal(sriov_write_file_atomic(link, "x\n", 2), -ELOOP);
	assert_string_equal(slurp(other), "keep\n");
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(sriov_write_file_atomic(dir, "x\n", 2), -EISDIR);
	assert_int_equal(sriov_write_file_atomic("/dev/null", "x\n", 2), -EBADFD);
	assert_int_equal(sriov_write_file_atomic("", "x\n", 2), -EINVAL);
	snprintf(file, sizeof(file), "%s/nodir/out.xml", base);
	assert_int_equal(sriov_write_file_atomic(file, "x\n", 2), -ENOENT);
	/* no temporary file left behind */
	snprintf(cmd, sizeof(cmd), "ls -a '%s' | grep -q '^\\.sriovctl-'", base);
	assert_int_not_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_names),
		cmocka_unit_test(test_vlan),
		cmocka_unit_test(test_admin_mac),
		cmocka_unit_test(test_network_pf_name),
		cmocka_unit_test(test_write_atomic),
	};

	return cmocka_run_group_tests(tests, setup_tree, teardown_tree);
}
