/* SPDX-License-Identifier: MIT */
/* The checks' pure helpers: modalias matching, module lists, remedies. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "checks/checks.h"
#include "testlib.h"

/* Lines as depmod writes them for Debian's 6.1 kernel. */
static const char alias[] =
	"# Aliases extracted from modules themselves.\n"
	"alias pci:v00008086d00001592sv*sd*bc*sc*i* ice\n"
	"alias pci:v00008086d00001889sv*sd*bc*sc*i* iavf\n"
	"alias pci:v*d*sv*sd*bc01sc08i02* nvme\n"
	"alias vfio_pci:v*d*sv*sd*bc*sc*i* vfio_pci\n"
	"alias pci:v000015B3d0000101Esv*sd*bc*sc*i* mlx5_core\n"
	"alias pci:v00008086d000010CAsv*sd*bc*sc*i* igbvf";

static void test_modalias(void **state)
{
	char mod[64];

	(void)state;
	assert_int_equal(host_modalias_lookup(alias,
		"pci:v00008086d00001889sv00008086sd00000001bc02sc00i00", mod, sizeof(mod)), 0);
	assert_string_equal(mod, "iavf");
	/* the class wildcard of nvme: any vendor, class 010802 */
	assert_int_equal(host_modalias_lookup(alias,
		"pci:v00001B36d00000010sv00001AF4sd00001100bc01sc08i02", mod, sizeof(mod)), 0);
	assert_string_equal(mod, "nvme");
	/* hex in modaliases is upper case, as the kernel writes it */
	assert_int_equal(host_modalias_lookup(alias,
		"pci:v000015B3d0000101Esv000015B3sd00000047bc02sc00i00", mod, sizeof(mod)), 0);
	assert_string_equal(mod, "mlx5_core");
	assert_int_equal(host_modalias_lookup(alias,
		"pci:v00008086d000010CAsv00008086sd00000000bc02sc00i00", mod, sizeof(mod)), 0);
	assert_string_equal(mod, "igbvf");
	/* no module: an ixgbevf VF, and the vfio_pci: alias is not a pci: one */
	assert_int_equal(host_modalias_lookup(alias,
		"pci:v00008086d000010EDsv00008086sd00000000bc02sc00i00", mod, sizeof(mod)), -ENOENT);
	assert_int_equal(host_modalias_lookup("", "pci:v0d0", mod, sizeof(mod)), -ENOENT);
	assert_int_equal(host_modalias_lookup(NULL, "pci:v0d0", mod, sizeof(mod)), -ENOENT);
	assert_int_equal(host_modalias_lookup("alias\nalias x\n", "x", mod, sizeof(mod)), -ENOENT);
}

static void test_module_listed(void **state)
{
	const char *dep = "kernel/drivers/vfio/pci/vfio-pci.ko: kernel/drivers/vfio/vfio.ko\n"
			  "kernel/drivers/net/ethernet/intel/iavf/iavf.ko.xz:\n";

	(void)state;
	assert_true(host_module_listed(dep, "vfio-pci"));
	assert_true(host_module_listed(dep, "vfio_pci"));
	assert_true(host_module_listed(dep, "iavf"));
	/* a dependency is not a module line of its own */
	assert_false(host_module_listed(dep, "vfio"));
	assert_false(host_module_listed(dep, "vfio-pci-core"));
	assert_true(host_module_listed("kernel/drivers/vfio/pci/vfio-pci.ko\n", "vfio_pci"));
	assert_false(host_module_listed(NULL, "vfio-pci"));
}

static void test_cmdline(void **state)
{
	const char *c = "BOOT_IMAGE=/vmlinuz-6.1 root=UUID=x ro intel_iommu=on iommu=pt quiet";
	char v[32];

	(void)state;
	assert_true(cmdline_has(c, "intel_iommu=on"));
	assert_true(cmdline_has(c, "iommu=pt"));
	assert_true(cmdline_has(c, "quiet"));
	assert_false(cmdline_has(c, "amd_iommu=on"));
	assert_false(cmdline_has(c, "iommu=on"));
	/* the last value wins, as the kernel parses it */
	assert_true(cmdline_value("iommu=pt iommu=off", "iommu", v, sizeof(v)));
	assert_string_equal(v, "off");
	assert_false(cmdline_value("xintel_iommu=on", "intel_iommu", v, sizeof(v)));
}

static void test_vendor_os(void **state)
{
	const char *virt;

	(void)state;
	assert_int_equal(check_cpu_vendor("processor\t: 0\nvendor_id\t: GenuineIntel\n"
					  "flags\t\t: fpu vme vmx ept\n", &virt), CPU_INTEL);
	assert_string_equal(virt, "vmx");
	assert_int_equal(check_cpu_vendor("vendor_id\t: AuthenticAMD\n"
					  "flags\t\t: fpu svm npt\n", &virt), CPU_AMD);
	assert_string_equal(virt, "svm");
	assert_int_equal(check_cpu_vendor("processor\t: 0\nBogoMIPS\t: 50.00\n"
					  "Features\t: fp asimd\nCPU implementer\t: 0x41\n", &virt),
			 CPU_ARM64);
	assert_int_equal(check_cpu_vendor("vendor_id\t: GenuineIntel\n"
					  "flags\t\t: fpu vmxnope\n", &virt), CPU_INTEL);
	assert_string_equal(virt, "");
	assert_int_equal(check_os_family("NAME=\"Ubuntu\"\nID=ubuntu\nID_LIKE=debian\n"), OS_DEBIAN);
	assert_int_equal(check_os_family("ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n"), OS_RHEL);
	assert_int_equal(check_os_family("ID=\"rhel\"\n"), OS_RHEL);
	assert_int_equal(check_os_family("ID=arch\n"), OS_UNKNOWN);
	assert_int_equal(check_os_family(NULL), OS_UNKNOWN);
}

static void test_grub_remedy(void **state)
{
	char buf[512];

	(void)state;
	check_grub_remedy(OS_DEBIAN, check_iommu_params(CPU_INTEL), buf, sizeof(buf));
	assert_string_equal(buf, "in /etc/default/grub set GRUB_CMDLINE_LINUX=\"... intel_iommu=on iommu=pt\" (keep the parameters already there), then run update-grub and reboot");
	check_grub_remedy(OS_RHEL, check_iommu_params(CPU_AMD), buf, sizeof(buf));
	assert_string_equal(buf, "in /etc/default/grub set GRUB_CMDLINE_LINUX=\"... amd_iommu=on iommu=pt\" (keep the parameters already there), then run grub2-mkconfig -o /boot/grub2/grub.cfg and reboot");
	check_grub_remedy(OS_DEBIAN, check_iommu_params(CPU_ARM64), buf, sizeof(buf));
	assert_string_equal(buf, "in /etc/default/grub set GRUB_CMDLINE_LINUX=\"... iommu.passthrough=1\" (keep the parameters already there), then run update-grub and reboot");
}

static void test_registry(void **state)
{
	const struct sriov_check_info *c;
	size_t n = 0;

	(void)state;
	for (size_t i = 0; (c = sriov_check_info_at(i)); i++, n++) {
		assert_ptr_equal(sriov_check_info_find(c->id), c);
		assert_non_null(c->title);
		assert_non_null(c->description);
		assert_non_null(c->remedy);
		/* grouped by area, in report order */
		if (i)
			assert_true(sriov_check_info_at(i - 1)->area <= c->area);
	}
	assert_int_equal(n, 24);
	assert_null(sriov_check_info_find("nosuch"));
	assert_string_equal(sriov_severity_name(SRIOV_SEV_FAIL), "fail");
	assert_string_equal(sriov_check_area_name(SRIOV_AREA_FIRMWARE), "firmware");
}

static const struct sriov_finding *find(const struct sriov_check_report *rep,
				       const char *id, const char *subject)
{
	for (size_t i = 0; i < rep->n; i++)
		if (strcmp(rep->v[i].check->id, id) == 0 && rep->v[i].subject &&
		    strcmp(rep->v[i].subject, subject) == 0)
			return &rep->v[i];
	return NULL;
}

static void set_vf(struct sriov_vf *vf, unsigned i, int spoofchk, int trust,
		   const char *mac, char *driver)
{
	vf->index = i;
	snprintf(vf->address, sizeof(vf->address), "0000:3b:01.%u", i);
	vf->driver = driver;
	vf->driver_override = strcmp(driver, "vfio-pci") == 0 ? driver : NULL;
	vf->iommu_group = -1;
	vf->link = (struct sriov_vf_link){
		.present = true, .source = SRIOV_VF_LINK_SRC_NETLINK,
		.spoofchk = spoofchk, .trust = trust, .link_state = -1,
	};
	snprintf(vf->link.mac, sizeof(vf->link.mac), "%s", mac);
}

/*
 * spoofchk, trust and a guest VF's MAC come from the PF's netlink view,
 * which generated trees do not have: a model as sriov_host_load() builds it
 * on a live host, checked under an empty root.
 */
static void test_netlink_view(void **state)
{
	char root[PATH_MAX], drv_iavf[] = "iavf",
	     drv_vfio[] = "vfio-pci", nd_name[] = "ens1f0", up[] = "up",
	     path[] = "/sys/devices/pci0000:3a/0000:3a:00.0/0000:3b:00.0", hroot[] = "/";
	struct sriov_vf vfs[3] = { 0 };
	struct sriov_netdev nd = { .name = nd_name, .operstate = up, .mtu = 1500,
				   .speed_mbps = -1, .ifindex = 4 };
	struct sriov_pf pf = { .address = "0000:3b:00.0", .bus = "pci", .sysfs_path = path,
			       .vendor_id = 0x8086, .device_id = 0x1592, .vf_device_id = 0x1889,
			       .driver = drv_iavf, .netdevs = &nd, .n_netdevs = 1,
			       .numa_node = 0, .iommu_group = -1, .total_vfs = 8, .num_vfs = 3,
			       .vfs = vfs, .n_vfs = 3, .vf_links = SRIOV_VF_LINKS_OK };
	struct sriov_host host = { .root = hroot, .pfs = &pf, .n_pfs = 1 };
	struct sriov_check_report *rep;
	const struct sriov_finding *f;
	struct sriov_ctx *ctx;
	char err[256];

	(void)state;
	tl_mkdtemp(root, sizeof(root), "sriov-checks");
	assert_int_equal(sriov_ctx_new(root, &ctx), 0);
	set_vf(&vfs[0], 0, 1, 0, "02:00:00:00:00:01", drv_iavf);
	set_vf(&vfs[1], 1, 0, 1, "00:00:00:00:00:00", drv_vfio);
	set_vf(&vfs[2], 2, 1, 0, "02:00:00:00:00:02", drv_vfio);
	assert_int_equal(sriov_check_run(ctx, &host, NULL, 0, &rep, err, sizeof(err)), 0);
	assert_non_null(f = find(rep, "vf.spoofchk", "ens1f0/vf1"));
	assert_int_equal(f->severity, SRIOV_SEV_WARN);
	assert_string_equal(f->remedy, "sriovctl vf ens1f0/vf1 set spoofchk on");
	assert_null(find(rep, "vf.spoofchk", "ens1f0/vf0"));
	assert_null(find(rep, "vf.spoofchk", "ens1f0"));
	assert_non_null(f = find(rep, "vf.trust", "ens1f0/vf1"));
	assert_int_equal(f->severity, SRIOV_SEV_WARN);
	assert_string_equal(f->remedy, "sriovctl vf ens1f0/vf1 set trust off");
	assert_non_null(f = find(rep, "vf.mac.zero", "ens1f0/vf1"));
	assert_int_equal(f->severity, SRIOV_SEV_WARN);
	assert_string_equal(f->remedy,
			    "sriovctl vf ens1f0/vf1 set mac XX:XX:XX:XX:XX:XX (a fixed, unique address)");
	assert_non_null(f = find(rep, "vf.mac.zero", "ens1f0/vf2"));
	assert_int_equal(f->severity, SRIOV_SEV_OK);
	assert_null(f->remedy);
	/* vf0 is not meant for a guest */
	assert_null(find(rep, "vf.mac.zero", "ens1f0/vf0"));
	sriov_check_report_free(rep);

	/* all good: one ok per PF; a named VF limits the per-VF checks */
	set_vf(&vfs[1], 1, 1, 0, "02:00:00:00:00:03", drv_vfio);
	assert_int_equal(sriov_check_run(ctx, &host, NULL, 0, &rep, err, sizeof(err)), 0);
	assert_non_null(f = find(rep, "vf.spoofchk", "ens1f0"));
	assert_int_equal(f->severity, SRIOV_SEV_OK);
	assert_string_equal(f->evidence, "the VF list of ens1f0: spoof checking on for all 3 VFs checked");
	assert_non_null(f = find(rep, "vf.trust", "ens1f0"));
	assert_int_equal(f->severity, SRIOV_SEV_OK);
	sriov_check_report_free(rep);
	{
		const char *names[] = { "ens1f0/vf1" };

		assert_int_equal(sriov_check_run(ctx, &host, names, 1, &rep, err, sizeof(err)), 0);
		assert_non_null(f = find(rep, "vf.mac.zero", "ens1f0/vf1"));
		assert_null(find(rep, "vf.mac.zero", "ens1f0/vf2"));
		sriov_check_report_free(rep);
		names[0] = "nosuch";
		assert_int_equal(sriov_check_run(ctx, &host, names, 1, &rep, err, sizeof(err)),
				 -ENOENT);
		assert_null(rep);
		assert_non_null(strstr(err, "'nosuch'"));
	}
	sriov_ctx_free(ctx);
	tl_rm_rf(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modalias),
		cmocka_unit_test(test_module_listed),
		cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_vendor_os),
		cmocka_unit_test(test_grub_remedy),
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_netlink_view),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
