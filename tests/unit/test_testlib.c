/* SPDX-License-Identifier: MIT */
/* The tests' own library (tests/lib): trees under $TMPDIR, the memory host. */
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

#include "testlib.h"

static void tmpdir_is_honoured(void **state)
{
	char outer[256], inner[PATH_MAX], p[PATH_MAX * 2], buf[64];
	const char *old = getenv("TMPDIR");
	struct stat st;
	FILE *f;

	(void)state;
	tl_mkdtemp(outer, sizeof(outer), "sriov-testlib");
	assert_int_equal(setenv("TMPDIR", outer, 1), 0);
	tl_mkdtemp(inner, sizeof(inner), "tree");
	assert_int_equal(strncmp(inner, outer, strlen(outer)), 0);
	assert_int_equal(inner[strlen(outer)], '/');
	assert_int_equal(strncmp(inner + strlen(outer) + 1, "tree.", 5), 0);

	tl_put(inner, "sys/bus/pci/devices/x/sriov_numvfs", "4\n");
	snprintf(p, sizeof(p), "%s/sys/bus/pci/devices/x/sriov_numvfs", inner);
	f = fopen(p, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "4\n");
	tl_put(inner, "a/dir", NULL);
	tl_mkdir(inner, "b/c/d");
	snprintf(p, sizeof(p), "%s/b/c/d", inner);
	assert_int_equal(stat(p, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	tl_link(inner, "l/link", "../sys");
	snprintf(p, sizeof(p), "%s/l/link", inner);
	assert_int_equal(lstat(p, &st), 0);
	assert_true(S_ISLNK(st.st_mode));

	/* rm_rf does not follow the link out of the tree */
	tl_link(inner, "out", outer);
	tl_rm_rf(inner);
	assert_int_equal(lstat(inner, &st), -1);
	assert_int_equal(stat(outer, &st), 0);
	tl_rm_rf(outer);
	assert_int_equal(lstat(outer, &st), -1);
	if (old)
		setenv("TMPDIR", old, 1);
	else
		unsetenv("TMPDIR");
}

static void memhost(void **state)
{
	struct tl_memhost m;
	const struct sriov_pf *pf;
	const struct sriov_vf *vf;

	(void)state;
	tl_memhost_init(&m);
	m.vfs[2].driver = "vfio-pci";
	tl_memhost_init(&m);  /* again: every field back */
	assert_string_equal(m.vfs[2].driver, "iavf");
	assert_int_equal(sriov_host_resolve(&m.host, "ens1f0/vf3", &pf, &vf), 0);
	assert_ptr_equal(pf, &m.pfs[0]);
	assert_ptr_equal(vf, &m.vfs[3]);
	assert_int_equal(sriov_host_resolve(&m.host, "0000:5e:00.0", &pf, &vf), 0);
	assert_ptr_equal(pf, &m.pfs[1]);
	assert_null(vf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tmpdir_is_honoured),
		cmocka_unit_test(memhost),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
