/* SPDX-License-Identifier: MIT */
/*
 * The table of checks: ids are stable (scripts, `sriovctl explain` and the
 * troubleshooting page refer to them), so entries are added, never renamed.
 */
#include <string.h>

#include "checks/checks.h"

static const struct sriov_check_info checks[] = {
	{ "cpu.virt", SRIOV_AREA_HOST, "CPU virtualization extensions",
	  "The CPU flags in /proc/cpuinfo show hardware virtualization (vmx on Intel, svm on AMD); the vendor decides which kernel parameters the IOMMU needs. Without them no VM can run, so VFs can only be used by host processes and containers.",
	  "Enable Intel VT-x or AMD SVM (AMD-V) in the BIOS/UEFI setup, then power-cycle the host." },
	{ "hugepages", SRIOV_AREA_HOST, "Huge pages reserved",
	  "DPDK and VMs with VFs need huge pages (/sys/kernel/mm/hugepages/*/nr_hugepages). Advice only: a kernel driver on a VF does not need them.",
	  "Reserve huge pages now with `echo 1024 > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages`, or at boot with `default_hugepagesz=1G hugepagesz=1G hugepages=N` on the kernel command line." },
	{ "iommu.firmware", SRIOV_AREA_FIRMWARE, "IOMMU described by the firmware",
	  "The firmware announces the IOMMU to the kernel in an ACPI table: DMAR for Intel VT-d, IVRS for AMD-Vi (/sys/firmware/acpi/tables). Without it the kernel cannot turn the IOMMU on whatever the command line says.",
	  "Enable VT-d (Intel) or AMD-Vi/IOMMU (AMD) in the BIOS/UEFI setup, then power-cycle the host." },
	{ "sriov.capability", SRIOV_AREA_FIRMWARE, "SR-IOV enabled on the device",
	  "A device with the SR-IOV capability in its config space but no or zero sriov_totalvfs has SR-IOV turned off in the BIOS or in the adapter's firmware (TotalVFs 0); a device without the capability cannot do SR-IOV at all.",
	  "Enable SR-IOV in the BIOS/UEFI setup (global and per slot); on Mellanox/NVIDIA adapters `mlxconfig -d ADDRESS set SRIOV_EN=1 NUM_OF_VFS=N`, then power-cycle the host." },
	{ "iommu.active", SRIOV_AREA_KERNEL, "IOMMU active in the kernel",
	  "The kernel's IOMMU driver registered units (/sys/class/iommu) and made IOMMU groups (/sys/kernel/iommu_groups). Without them vfio-pci cannot hand a VF to a VM (QEMU: \"No IOMMU found\").",
	  "Put the IOMMU parameters for the CPU on the kernel command line (GRUB_CMDLINE_LINUX in /etc/default/grub), regenerate grub.cfg and reboot." },
	{ "iommu.cmdline", SRIOV_AREA_KERNEL, "IOMMU kernel parameters",
	  "/proc/cmdline turns the IOMMU on for the CPU vendor: intel_iommu=on for Intel (off by default in most distribution kernels), nothing or amd_iommu=on for AMD (on by default), nothing on arm64; intel_iommu=off or amd_iommu=off turns it off.",
	  "Add intel_iommu=on (Intel) or amd_iommu=on (AMD) to GRUB_CMDLINE_LINUX, remove any =off, regenerate grub.cfg and reboot." },
	{ "iommu.passthrough", SRIOV_AREA_KERNEL, "IOMMU passthrough mode for host devices",
	  "With iommu=pt (x86) or iommu.passthrough=1 (arm64) devices that stay with host drivers skip IOMMU translation, which keeps their throughput; VFs given to VMs are translated either way. Advice only.",
	  "Add iommu=pt (x86) or iommu.passthrough=1 (arm64) to GRUB_CMDLINE_LINUX, regenerate grub.cfg and reboot." },
	{ "driver.vfio", SRIOV_AREA_KERNEL, "vfio-pci available",
	  "vfio-pci, the driver that hands a VF to a VM or to DPDK, is loaded, built into the kernel (modules.builtin) or installed as a module of the running kernel (/lib/modules/RELEASE/modules.dep).",
	  "Install the running kernel's modules package (Debian/Ubuntu: linux-image-$(uname -r) or linux-modules-extra-$(uname -r); RHEL: kernel-modules), then `modprobe vfio-pci`." },
	{ "driver.pf", SRIOV_AREA_PF, "PF driver supports SR-IOV",
	  "VFs are created by the PF's driver (sriov_numvfs): the PF must be bound to a driver that enables SR-IOV; an unbound PF refuses with ENOENT.",
	  "Bind the PF to its kernel driver (`echo ADDRESS > /sys/bus/pci/drivers_probe`) or install the vendor's driver." },
	{ "driver.vf", SRIOV_AREA_PF, "VF driver available",
	  "The VF's modalias (from sysfs, or built from the PF's VF device id when no VF exists) matches a pattern of modules.alias of the running kernel, as modprobe matches it; a VF bound to a driver has one.",
	  "Install the kernel or driver package that provides the VF driver (for Intel E810 VFs: iavf), or give the VF to a VM with vfio-pci, whose guest needs the driver." },
	{ "driver.quirks", SRIOV_AREA_PF, "Driver quirks known",
	  "The quirk table (docs/quirks.md: built in, with /etc/sriovctl/quirks.d/*.yaml) lists what the PF's driver does that a tool must know: a VF limit below sriov_totalvfs, VF attributes it refuses, the PF up before VFs are configured, VFs set by module parameter or in firmware, a slow sriov_numvfs, a MAC change that needs the VF driver reloaded, trust needed for promiscuous mode. Each applying entry is named with its source; plan and vf set refuse what the table says the driver refuses.",
	  "Nothing to fix: plan around the quirks named (`sriovctl show PF` lists them too). A broken file in /etc/sriovctl/quirks.d is named with its error: correct it." },
	{ "acs.path", SRIOV_AREA_PF, "ACS on the path to the root port",
	  "Every bridge and port between the PF and its root port has Access Control Services with Source Validation, Request Redirect, Completion Redirect and Upstream Forwarding enabled; without them the kernel puts the devices below into one IOMMU group.",
	  "Move the card to a slot whose ports have ACS (usually a CPU root port), or update the BIOS; the ACS override patch is a last resort that gives up isolation between the devices." },
	{ "vf.persisted", SRIOV_AREA_PF, "VF count persisted across reboots",
	  "The kernel forgets sriov_numvfs at reboot. Something must create the VFs again at boot, with the count the PF has now: a sriovctl policy (/etc/sriovctl/sriovctl.yaml, /etc/sriovctl/conf.d/*.yaml) with sriovctl-apply.service enabled, a udev rule writing sriov_numvfs (/etc, /run, /usr/lib/udev/rules.d: sriovctl runs the rules for the PF's events as udevd does, both when the driver bound before udevd started and when it binds later), an executable /etc/rc.local, or a systemd unit (/etc/systemd/system).",
	  "Add a udev rule that writes sriov_numvfs at the PF's PCI add and bind events (the finding gives the line for this PF; a rule matching the netdev's name at its add event does not fire when udev renames it), or correct the count the rule, script or policy writes." },
	{ "policy.drift", SRIOV_AREA_PF, "Host matches its sriovctl policy",
	  "When a policy exists (/etc/sriovctl/sriovctl.yaml, /etc/sriovctl/conf.d/*.yaml) it loads without errors and `sriovctl plan` has nothing to do for the PF: every VF count, driver and VF attribute the policy names is as it says. A difference means someone changed the host by hand since the last apply, or the last apply failed.",
	  "Look at `sriovctl plan`, then `sriovctl apply` to bring the host back to the policy (or change the policy)." },
	{ "policy.unmanaged", SRIOV_AREA_PF, "Hand-made VF settings are in the policy",
	  "A VF with a MAC, VLAN, rate, trust or driver_override set, on a host with a policy that does not name that VF: the setting was made by hand, and is lost when the VF is re-created (reboot, count change).",
	  "Add the VF and its settings to the policy (`sriovctl save` shows them), or clear them." },
	{ "pf.link", SRIOV_AREA_PF, "PF link up while VFs are configured",
	  "VFs send and receive through the PF's port: with the PF's link down (operstate), every VF is cut off.",
	  "Bring the PF up (`ip link set PF up`) and check the cable, transceiver and switch port." },
	{ "vf.mac.duplicate", SRIOV_AREA_PF, "VF MAC addresses unique",
	  "Two VFs on the host with the same MAC address confuse the switch and the PF's embedded switch: traffic reaches only one of them.",
	  "Give each VF its own MAC address (`sriovctl vf PF/vfN set mac XX:XX:XX:XX:XX:XX`)." },
	{ "numa.node", SRIOV_AREA_PF, "PF NUMA node known",
	  "On a host with several NUMA nodes, the PF's numa_node tells which CPUs and memory are local to it; -1 (unknown, usually a missing ACPI _PXM) makes placement guesswork.",
	  "Enable NUMA/SRAT reporting in the BIOS (or update it); place VMs and DPDK cores on the card's node." },
	{ "numa.cpus", SRIOV_AREA_PF, "CPUs local to the PF",
	  "local_cpulist lists the CPUs of the PF's NUMA node: pin the VMs and DPDK cores that use its VFs there.",
	  "Pin the workload of the PF's VFs to the CPUs of local_cpulist." },
	{ "group.viable", SRIOV_AREA_VF, "IOMMU group viable for vfio",
	  "A VF meant for vfio-pci (bound to it or with driver_override vfio-pci) needs every other device of its IOMMU group unbound or on vfio-pci/pci-stub/pcieport; otherwise QEMU fails with \"group N is not viable\". A VF named on the command line is checked whatever its driver (libvirt's managed mode binds vfio-pci only when the guest starts): a warning when it is not meant for vfio-pci.",
	  "Bind the whole group (`sriovctl vf VF bind vfio-pci --group`), move the card to a slot with ACS, or as a last resort the ACS override patch (pcie_acs_override=downstream,multifunction), which lets the grouped devices reach each other's memory." },
	{ "vf.spoofchk", SRIOV_AREA_VF, "VF MAC spoof checking on",
	  "With spoofchk off a VF can send frames with any source MAC address (netlink view of the PF).",
	  "`sriovctl vf PF/vfN set spoofchk on`, unless the VF needs it off (bonding in the guest)." },
	{ "vf.trust", SRIOV_AREA_VF, "VF not trusted",
	  "A trusted VF may change its MAC, enter promiscuous mode and join every multicast group: give trust only to VFs that need it (netlink view of the PF).",
	  "`sriovctl vf PF/vfN set trust off`, unless the VF needs it." },
	{ "vf.mtu", SRIOV_AREA_VF, "VF MTU within the PF's MTU",
	  "A VF's netdev MTU above its PF's MTU: frames larger than the PF's MTU are dropped by the PF.",
	  "Raise the PF's MTU first (`ip link set PF mtu N`) or lower the VF's." },
	{ "vf.mac.zero", SRIOV_AREA_VF, "VF handed to a guest has a MAC address",
	  "A VF on vfio-pci with MAC 00:00:00:00:00:00 in the PF's view gets a random MAC in the guest at every boot, which breaks DHCP reservations and port security.",
	  "Set a fixed MAC through the PF: `sriovctl vf PF/vfN set mac XX:XX:XX:XX:XX:XX`." },
};

const struct sriov_check_info *sriov_check_info_at(size_t i)
{
	return i < sizeof(checks) / sizeof(checks[0]) ? &checks[i] : NULL;
}

const struct sriov_check_info *sriov_check_info_find(const char *id)
{
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		if (strcmp(checks[i].id, id) == 0)
			return &checks[i];
	return NULL;
}

const struct sriov_check_info *check_info(const char *id)
{
	return sriov_check_info_find(id);
}

const char *sriov_severity_name(enum sriov_severity severity)
{
	static const char *const names[] = { "ok", "skip", "warn", "fail" };

	return (unsigned)severity <= SRIOV_SEV_FAIL ? names[severity] : "?";
}

const char *sriov_check_area_name(enum sriov_check_area area)
{
	static const char *const names[] = { "host", "firmware", "kernel", "pf", "vf" };

	return (unsigned)area <= SRIOV_AREA_VF ? names[area] : "?";
}
