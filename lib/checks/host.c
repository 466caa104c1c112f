/* SPDX-License-Identifier: MIT */
/*
 * Host checks: the CPU (cpu.virt), the IOMMU in firmware and kernel
 * (iommu.firmware, iommu.active), and the kernel command line
 * (iommu.cmdline, iommu.passthrough), with GRUB remedies for the host's
 * distribution.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"

/* Whether @word occurs in @s delimited by white space, '=' or '"'. */
static const char *find_word(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = s; (p = strstr(p, word)); p++) {
		bool start = p == s || strchr(" \t\n\"=,", p[-1]);
		bool end = strchr(" \t\n\",", p[n]) != NULL;

		if (start && end)
			return p;
	}
	return NULL;
}

bool cmdline_value(const char *cmdline, const char *name, char *buf,
		   size_t len)
{
	size_t n = strlen(name);
	bool found = false;

	for (const char *p = cmdline; *p;) {
		size_t w;

		p += strspn(p, " \t\n");
		w = strcspn(p, " \t\n");
		if (w > n && strncmp(p, name, n) == 0 && p[n] == '=') {
			snprintf(buf, len, "%.*s", (int)(w - n - 1), p + n + 1);
			found = true;
		}
		p += w;
	}
	return found;
}

bool cmdline_has(const char *cmdline, const char *param)
{
	const char *eq = strchr(param, '=');
	char name[64], val[64];

	if (!eq)
		return find_word(cmdline, param) != NULL;
	snprintf(name, sizeof(name), "%.*s", (int)(eq - param), param);
	return cmdline_value(cmdline, name, val, sizeof(val)) &&
	       strcmp(val, eq + 1) == 0;
}

int check_os_family(const char *osr)
{
	char line[256];

	if (!osr)
		return OS_UNKNOWN;
	for (const char *p = osr; *p;) {
		size_t w = strcspn(p, "\n");

		snprintf(line, sizeof(line), "%.*s", (int)w, p);
		p += w + (p[w] == '\n');
		if (strncmp(line, "ID=", 3) != 0 && strncmp(line, "ID_LIKE=", 8) != 0)
			continue;
		if (find_word(line, "debian") || find_word(line, "ubuntu"))
			return OS_DEBIAN;
		if (find_word(line, "rhel") || find_word(line, "fedora") ||
		    find_word(line, "centos"))
			return OS_RHEL;
	}
	return OS_UNKNOWN;
}

int check_cpu_vendor(const char *cpuinfo, const char **virt)
{
	const char *flags;

	*virt = "";
	if (!cpuinfo)
		return CPU_UNKNOWN;
	flags = strstr(cpuinfo, "\nflags");
	if (flags) {
		char line[8192];

		snprintf(line, sizeof(line), "%.*s", (int)strcspn(flags + 1, "\n"),
			 flags + 1);
		if (find_word(line, "vmx"))
			*virt = "vmx";
		else if (find_word(line, "svm"))
			*virt = "svm";
	}
	if (strstr(cpuinfo, "GenuineIntel"))
		return CPU_INTEL;
	if (strstr(cpuinfo, "AuthenticAMD") || strstr(cpuinfo, "HygonGenuine"))
		return CPU_AMD;
	if (strstr(cpuinfo, "CPU implementer"))
		return CPU_ARM64;
	return CPU_UNKNOWN;
}

const char *check_iommu_params(int cpu)
{
	switch (cpu) {
	case CPU_INTEL:
		return "intel_iommu=on iommu=pt";
	case CPU_AMD:
		return "amd_iommu=on iommu=pt";
	case CPU_ARM64:
		return "iommu.passthrough=1";
	}
	return "intel_iommu=on iommu=pt (Intel) or amd_iommu=on iommu=pt (AMD)";
}

void check_grub_remedy(int os, const char *params, char *buf, size_t len)
{
	const char *update =
		os == OS_DEBIAN ? "update-grub" :
		os == OS_RHEL ? "grub2-mkconfig -o /boot/grub2/grub.cfg" :
		"update-grub (Debian/Ubuntu) or grub2-mkconfig -o /boot/grub2/grub.cfg (RHEL family)";

	snprintf(buf, len,
		 "in /etc/default/grub set GRUB_CMDLINE_LINUX=\"... %s\" (keep the parameters already there), then run %s and reboot",
		 params, update);
}

static const char *vendor_name(int cpu)
{
	static const char *const names[] = { "unknown vendor", "Intel", "AMD", "arm64" };

	return names[cpu];
}

static void check_cpu(struct check_run *r, const char *virt)
{
	if (r->cpu == CPU_ARM64) {
		check_add(r, "cpu.virt", SRIOV_SEV_OK, NULL, NULL,
			  "/proc/cpuinfo: arm64 CPU (virtualization is part of the architecture)");
		return;
	}
	if (*virt) {
		check_add(r, "cpu.virt", SRIOV_SEV_OK, NULL, NULL,
			  "/proc/cpuinfo: %s CPU, flags have %s", vendor_name(r->cpu), virt);
		return;
	}
	check_add(r, "cpu.virt", SRIOV_SEV_WARN, NULL,
		  r->cpu == CPU_AMD ?
		  "enable SVM Mode (AMD-V) in the BIOS/UEFI setup, then power-cycle the host" :
		  "enable Intel Virtualization Technology (VT-x) in the BIOS/UEFI setup, then power-cycle the host",
		  "/proc/cpuinfo: %s CPU, flags have neither vmx nor svm: VMs cannot use VFs",
		  vendor_name(r->cpu));
}

static const char *firmware_remedy(int cpu)
{
	return cpu == CPU_AMD ?
	       "enable IOMMU (AMD-Vi) in the BIOS/UEFI setup, then power-cycle the host" :
	       cpu == CPU_ARM64 ?
	       "enable the SMMU in the firmware setup, then power-cycle the host" :
	       "enable VT-d (Intel Virtualization Technology for Directed I/O) in the BIOS/UEFI setup, then power-cycle the host";
}

static bool check_firmware(struct check_run *r)
{
	static const char *const tables[] = { "DMAR", "IVRS", "IORT" };
	static const int hw[] = { CPU_INTEL, CPU_AMD, CPU_ARM64 };
	char path[96];

	r->iommu_hw = r->cpu;
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "sys/firmware/acpi/tables/%s", tables[i]);
		if (rootfs_exists(r->ctx->rfs, ROOTFS_TOP, path)) {
			/*
			 * The table names the IOMMU the parameters are for: QEMU's
			 * TCG "max" CPU reads AuthenticAMD beside an intel-iommu.
			 */
			r->iommu_hw = hw[i];
			check_add(r, "iommu.firmware", SRIOV_SEV_OK, NULL, NULL,
				  "/%s exists", path);
			return true;
		}
	}
	check_add(r, "iommu.firmware", SRIOV_SEV_FAIL, NULL, firmware_remedy(r->cpu),
		  "/sys/firmware/acpi/tables has no %s table: the firmware announces no IOMMU",
		  r->cpu == CPU_AMD ? "IVRS" : r->cpu == CPU_ARM64 ? "IORT" :
		  r->cpu == CPU_INTEL ? "DMAR" : "DMAR or IVRS");
	return false;
}

static void check_active(struct check_run *r, bool firmware)
{
	struct sriov_strv units = { 0 };
	char grub[512], remedy[768];
	int e = rootfs_list(r->ctx->rfs, ROOTFS_TOP, "sys/class/iommu", &units);

	r->iommu_active = e == 0 && units.n > 0 && r->host->iommu_groups > 0;
	if (r->iommu_active) {
		check_add(r, "iommu.active", SRIOV_SEV_OK, NULL, NULL,
			  "/sys/class/iommu has %s%s, /sys/kernel/iommu_groups has %d groups",
			  units.v[0], units.n > 1 ? " and more" : "",
			  r->host->iommu_groups);
	} else {
		check_grub_remedy(r->os, check_iommu_params(r->iommu_hw), grub, sizeof(grub));
		if (firmware)
			snprintf(remedy, sizeof(remedy), "%s", grub);
		else
			snprintf(remedy, sizeof(remedy), "%s; then %s",
				 firmware_remedy(r->iommu_hw), grub);
		check_add(r, "iommu.active", SRIOV_SEV_FAIL, NULL, remedy,
			  "/sys/class/iommu is %s and /sys/kernel/iommu_groups has %d groups: the kernel runs without an IOMMU",
			  e < 0 ? "missing" : units.n ? "not empty" : "empty",
			  r->host->iommu_groups);
	}
	sriov_strv_clear(&units);
}

static void check_cmdline(struct check_run *r)
{
	const char *name = r->iommu_hw == CPU_AMD ? "amd_iommu" : "intel_iommu";
	char val[64], grub[512];

	if (!r->cmdline) {
		check_add(r, "iommu.cmdline", SRIOV_SEV_SKIP, NULL, NULL,
			  "/proc/cmdline is not readable");
		return;
	}
	if (r->iommu_hw == CPU_ARM64 || r->iommu_hw == CPU_UNKNOWN) {
		check_add(r, "iommu.cmdline", r->iommu_hw == CPU_ARM64 ? SRIOV_SEV_OK : SRIOV_SEV_SKIP,
			  NULL, NULL, r->iommu_hw == CPU_ARM64 ?
			  "arm64: the SMMU needs no parameter on /proc/cmdline" :
			  "/proc/cpuinfo names no known CPU vendor: cannot tell which parameter applies");
		return;
	}
	check_grub_remedy(r->os, check_iommu_params(r->iommu_hw), grub, sizeof(grub));
	if (cmdline_value(r->cmdline, "iommu", val, sizeof(val)) &&
	    strcmp(val, "off") == 0) {
		check_add(r, "iommu.cmdline", SRIOV_SEV_FAIL, NULL, grub,
			  "/proc/cmdline has iommu=off (remove it)");
		return;
	}
	if (cmdline_value(r->cmdline, name, val, sizeof(val))) {
		bool off = strstr(val, "off") != NULL;

		check_add(r, "iommu.cmdline", off ? SRIOV_SEV_FAIL : SRIOV_SEV_OK,
			  NULL, off ? grub : NULL, "/proc/cmdline has %s=%s%s",
			  name, val, off ? " (remove it)" : "");
		return;
	}
	if (r->iommu_active)
		check_add(r, "iommu.cmdline", SRIOV_SEV_OK, NULL, NULL,
			  "/proc/cmdline has no %s=on, but the IOMMU is on by the kernel's default",
			  name);
	else
		check_add(r, "iommu.cmdline", SRIOV_SEV_FAIL, NULL, grub,
			  "/proc/cmdline has no %s=on", name);
}

static void check_passthrough(struct check_run *r)
{
	const char *want = r->iommu_hw == CPU_ARM64 ? "iommu.passthrough=1" : "iommu=pt";
	char grub[512];

	if (!r->cmdline) {
		check_add(r, "iommu.passthrough", SRIOV_SEV_SKIP, NULL, NULL,
			  "/proc/cmdline is not readable");
		return;
	}
	if (cmdline_has(r->cmdline, "iommu=pt") ||
	    cmdline_has(r->cmdline, "iommu.passthrough=1")) {
		check_add(r, "iommu.passthrough", SRIOV_SEV_OK, NULL, NULL,
			  "/proc/cmdline has %s", cmdline_has(r->cmdline, "iommu=pt") ?
			  "iommu=pt" : "iommu.passthrough=1");
		return;
	}
	if (!r->iommu_active) {
		check_add(r, "iommu.passthrough", SRIOV_SEV_SKIP, NULL, NULL,
			  "the IOMMU is not active (see iommu.active)");
		return;
	}
	check_grub_remedy(r->os, r->iommu_hw == CPU_ARM64 || r->iommu_hw == CPU_AMD ||
			  cmdline_has(r->cmdline, "intel_iommu=on") ?
			  want : check_iommu_params(r->iommu_hw), grub, sizeof(grub));
	check_add(r, "iommu.passthrough", SRIOV_SEV_WARN, NULL, grub,
		  "/proc/cmdline has no %s: host devices go through IOMMU translation",
		  want);
}

void checks_host(struct check_run *r)
{
	const char *virt;
	char *cpuinfo, *osr, *p;
	int e, cpu_err;
	bool fw;

	cpuinfo = check_read_file(r, "proc/cpuinfo", &cpu_err);
	r->cpu = check_cpu_vendor(cpuinfo, &virt);
	osr = check_read_file(r, "etc/os-release", &e);
	if (!osr)
		osr = check_read_file(r, "usr/lib/os-release", &e);
	r->os = check_os_family(osr);
	free(osr);
	r->cmdline = check_read_file(r, "proc/cmdline", &e);
	if (r->cmdline && (p = strchr(r->cmdline, '\n')))
		*p = '\0';
	if (cpuinfo)
		check_cpu(r, virt);
	else
		check_add(r, "cpu.virt", SRIOV_SEV_SKIP, NULL, NULL,
			  "/proc/cpuinfo is not readable: %s", strerror(-cpu_err));
	free(cpuinfo);
	fw = check_firmware(r);
	check_active(r, fw);
	check_cmdline(r);
	check_passthrough(r);
}
