/* SPDX-License-Identifier: MIT */
/*
 * Known SR-IOV failures and the messages that report them, as their
 * sources print them. Ids are a contract (JSON, docs): add, never rename.
 */
#include <stddef.h>

#include "explain/explain.h"

#define CHECKS(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const struct sriov_failure failures[] = {
	{
		.id = "vfio.group-not-viable",
		.title = "the device's IOMMU group holds devices vfio cannot take",
		.source = "QEMU hw/vfio (vfio_get_group), passed on by libvirt and nova",
		.meaning = "vfio hands a guest whole IOMMU groups. Another device in the group is bound to a host driver (not vfio-pci, pci-stub or pcieport), so the kernel refuses the group. A shared group usually means a bridge or root port between the device and the CPU has no ACS, or the card is a multi-function device without ACS.",
		.fix = "Bind every endpoint of the group to vfio-pci (sriovctl vf VF bind vfio-pci --group) or leave them without a driver. When the group holds the PF and its own VFs, no VF can be passed on alone: put the card in a slot whose root port has ACS. The ACS override kernel patch (pcie_acs_override=) is the last resort: it gives up the isolation between the devices it splits.",
		.checks = CHECKS("group.viable", "acs.path", "driver.vfio"),
	},
	{
		.id = "vfio.no-iommu",
		.title = "no IOMMU: the device has no IOMMU group",
		.source = "QEMU hw/vfio (vfio_realize, vfio_get_iommu_type), QEMU pci-assign, libvirt, kernel drivers/vfio",
		.meaning = "vfio needs the IOMMU to confine the device's DMA. The kernel has not enabled it (VT-d/AMD-Vi off in the firmware, or missing from the kernel command line), so the device has no iommu_group and vfio-pci cannot take it.",
		.fix = "Enable VT-d (Intel) or AMD-Vi/IOMMU (AMD) and SR-IOV in the firmware setup; add intel_iommu=on iommu=pt (Intel) or amd_iommu=on iommu=pt (AMD; iommu.passthrough=1 on arm64) to GRUB_CMDLINE_LINUX in /etc/default/grub, run update-grub (grub2-mkconfig -o /boot/grub2/grub.cfg on RHEL) and reboot.",
		.checks = CHECKS("cpu.virt", "iommu.firmware", "iommu.active", "iommu.cmdline", "iommu.passthrough"),
	},
	{
		.id = "numvfs.mmio",
		.title = "not enough MMIO space (or bus numbers) for the VFs",
		.source = "kernel drivers/pci/iov.c (sriov_enable), ixgbe, Go/Python writers of sriov_numvfs",
		.meaning = "Enabling VFs needs address space for every VF's BARs behind the PF's bridges. The firmware did not reserve enough (or the VFs' routing ids need bus numbers the bridge does not cover), so the kernel refused with ENOMEM (\"Cannot allocate memory\").",
		.fix = "In the firmware setup enable SR-IOV support and \"Above 4G decoding\" (64-bit MMIO, \"MMIO high\"); for Mellanox cards also mlxconfig -d DEVICE set SRIOV_EN=1 NUM_OF_VFS=N. Otherwise let the kernel lay out the bridges again with pci=realloc (and pci=assign-busses for bus numbers) on the kernel command line, then reboot. Fewer VFs may fit meanwhile.",
		.checks = CHECKS("sriov.capability"),
	},
	{
		.id = "numvfs.busy",
		.title = "VFs already exist: the count can only change through 0",
		.source = "kernel drivers/pci/iov.c (sriov_numvfs_store)",
		.meaning = "The kernel changes a PF's VF count only from 0: writing a different non-zero count while VFs exist is refused with EBUSY (\"Device or resource busy\"). Writing the same count again succeeds and changes nothing.",
		.fix = "Write 0 to sriov_numvfs, then the new count (sriovctl pf PF set-vfs N does both and first names whoever holds the VFs: guests, vfio users, netdevs that are up). Persist the count so that boot does not race with other tools.",
		.checks = CHECKS("vf.persisted", "driver.pf"),
	},
	{
		.id = "numvfs.range",
		.title = "more VFs than the PF offers",
		.source = "kernel drivers/pci/iov.c (sriov_numvfs_store)",
		.meaning = "The count written to sriov_numvfs is above sriov_totalvfs, the number of VFs the device (and its driver) offers: ERANGE, \"Numerical result out of range\".",
		.fix = "Write at most sriov_totalvfs. To get more VFs, raise the limit in the adapter's firmware (mlxconfig ... NUM_OF_VFS=N for Mellanox) or the driver's module parameter where it has one, then reboot.",
		.checks = CHECKS("sriov.capability", "driver.pf"),
	},
	{
		.id = "numvfs.invalid",
		.title = "sriov_numvfs takes one decimal number",
		.source = "kernel drivers/pci/iov.c (sriov_numvfs_store: kstrtou16), PF drivers' sriov_configure",
		.meaning = "The value written to sriov_numvfs is not a decimal number from 0 to 65535 (\"-1\", \"two\", \"0x4\"): EINVAL, \"Invalid argument\". Some PF drivers also answer EINVAL when they cannot create that many VFs in their current mode.",
		.fix = "Write a plain decimal count between 0 and sriov_totalvfs (sriovctl pf PF set-vfs N checks it first). If the number was valid, the PF driver refused it: look at dmesg for its reason.",
		.checks = CHECKS("driver.pf", "sriov.capability"),
	},
	{
		.id = "numvfs.no-driver",
		.title = "no sriov_numvfs, or no PF driver to create the VFs",
		.source = "kernel drivers/pci/iov.c (sriov_numvfs_store), the shell",
		.meaning = "ENOENT (\"No such file or directory\") on sriov_numvfs means one of: the PF has no driver bound (the kernel needs the PF driver's sriov_configure to create VFs), the driver has no sysfs SR-IOV support, or the file does not exist because the device has no SR-IOV capability (or it is disabled in the firmware), or the path names a VF or another device.",
		.fix = "Bind the PF to its driver (or pci-pf-stub / vfio-pci with enable_sriov=1 when no host driver should own it), then write the count. If the device has no sriov_totalvfs, enable SR-IOV in the firmware setup (and in the adapter's firmware: mlxconfig ... SRIOV_EN=1) and reboot.",
		.checks = CHECKS("driver.pf", "sriov.capability"),
	},
	{
		.id = "vf.not-supported",
		.title = "the PF's driver does not implement this VF setting",
		.source = "iproute2 (ip link set DEV vf N ...: \"RTNETLINK answers\"), kernel net/core/rtnetlink.c",
		.meaning = "The kernel passes each VF setting to the PF driver's ndo_set_vf_* operation. EOPNOTSUPP (\"Operation not supported\") means the driver has no such operation (igb has none for link-state/state), the device is not an SR-IOV PF, or the eswitch is in switchdev mode, where VF attributes are set on the representors instead.",
		.fix = "Leave that setting out for this driver (sriovctl vf VF set applies the others and reports each refusal), set it through the representor / devlink port function in switchdev mode, or use a NIC whose driver supports it.",
		.checks = CHECKS("driver.pf"),
	},
	{
		.id = "vf.invalid",
		.title = "the PF's driver refused a VF setting's value",
		.source = "iproute2 (ip link set DEV vf N ...: \"RTNETLINK answers\"), PF drivers' ndo_set_vf_*",
		.meaning = "EINVAL (\"Invalid argument\") on a VF setting: the VF index is not below the PF's num_vfs, the MAC is multicast, or the driver refuses that value (igb: min_tx_rate is not supported and max_tx_rate is refused while the PF link is down).",
		.fix = "Check the VF index against the PF's VF count and the value against what the driver supports; bring the PF link up before setting rates. sriovctl vf VF set checks the index and values before sending them.",
		.checks = CHECKS("pf.link", "driver.pf"),
	},
	{
		.id = "netlink.truncated-vf-list",
		.title = "the kernel cut the PF's VF list short",
		.source = "iproute2 ip/ipaddress.c (print_linkinfo)",
		.meaning = "The VF list of a PF with many VFs does not fit in one netlink message; the kernel stops it and sets NLM_F_NEST_TRUNCATED, and ip prints \"Truncated VF list\". The VFs beyond the cut are not shown, not broken.",
		.fix = "Read the remaining VFs elsewhere: sriovctl show PF lists every VF (the ones past the cut from sysfs); `ip link show dev PF` without -s (statistics) fits more VFs.",
		.checks = CHECKS("vf.mac.duplicate", "vf.mac.zero"),
	},
	{
		.id = "nova.pci-request-failed",
		.title = "nova found no free PCI device matching the request",
		.source = "nova nova/exception.py (PciDeviceRequestFailed), nova/pci/stats.py",
		.meaning = "nova-compute could not claim a VF for the instance's PCI request (SR-IOV port or flavor alias): no free device on this host matches the [pci] device_spec (passthrough_whitelist) and alias, often because the VFs were not re-created after a reboot, are bound to the wrong driver, or are all in use.",
		.fix = "Make sure the VFs exist after reboot (persist the count), are bound to the driver the port type needs (the VF driver for direct/macvtap, vfio-pci for some back-ends), and that [pci] device_spec in nova.conf matches their vendor/product ids or PF netdev (physical_network). Restart nova-compute so it reports them again.",
		.checks = CHECKS("vf.persisted", "driver.vf", "driver.vfio"),
	},
	{
		.id = "nova.pci-device-not-found",
		.title = "nova (or os-vif) could not find a PCI device's netdev",
		.source = "nova nova/exception.py (PciDeviceNotFoundById), nova/pci/utils.py, os-vif",
		.meaning = "nova looked up a VF (or PF) by PCI address under /sys/bus/pci/devices/ADDR/net and found no netdev: the VF is bound to vfio-pci or to no driver, was moved to another network namespace, or no longer exists (VFs re-created with other addresses, count not persisted).",
		.fix = "Bind the VF back to its network driver (sriovctl vf VF bind --kernel) for port types that need a host netdev, re-create the VFs with the count nova saw, and persist it.",
		.checks = CHECKS("driver.vf", "vf.persisted"),
	},
	{
		.id = "neutron.vlan-no-dhcp",
		.title = "instance gets no DHCP address on a VLAN provider network",
		.source = "OpenStack SR-IOV guide (symptom); dhclient, udhcpc and cloud-init messages",
		.meaning = "The VF is up but its traffic does not reach the DHCP server: the switch port facing the PF does not carry the network's VLAN (segmentation id) as tagged, the VF's port VLAN is not the network's, the VF's MAC is not the port's (spoof checking drops the frames), or the PF link is down.",
		.fix = "Configure the switch port of the PF as a trunk that allows the network's VLAN; compare the VF's vlan and mac in `ip link show PF` (or sriovctl show PF) with the neutron port; check that physical_device_mappings maps the physical network to this PF.",
		.checks = CHECKS("pf.link", "vf.spoofchk", "vf.trust", "vf.mac.zero"),
	},
	{
		.id = "neutron.vlan-mismatch",
		.title = "traffic leaves with a VLAN tag the peer does not expect",
		.source = "OpenStack SR-IOV guide (symptom); switch logs (CDP native VLAN mismatch)",
		.meaning = "A VF with a port VLAN (ip link ... vf N vlan V) tags everything the guest sends; a guest that tags too sends 802.1ad/QinQ double tags, and a network whose switch port expects untagged or other-VLAN frames drops them.",
		.fix = "Give the VF the network's VLAN and let the guest send untagged frames (or set the VF's vlan to 0 and let the guest tag, for trunk use: sriovctl vf VF set vlan 0); make the switch port's allowed/native VLANs match the provider network's segmentation id.",
		.checks = CHECKS("vf.trust", "vf.spoofchk", "pf.link"),
	},
};

/*
 * Where each message comes from, verbatim up to the printf conversions.
 * A numvfs context means the errno string was answered to a write of
 * sriov_numvfs (Go/Python exceptions, sriovctl), or to a shell's redirect
 * into sysfs, pasted alone: bash says "bash: echo: write error: %s",
 * busybox ash "sh: write error: %s" (seen in the lab).
 */
#define NUMVFS "sriov_numvfs|num_?vfs|set-vfs|: write error: "
#define VFCMD "(^|[^[:alnum:]_])vf[[:space:]]+[0-9]|/vf[0-9]|vf set|RTNETLINK answers"

static const struct explain_rule rules[] = {
	/* QEMU hw/vfio/common.c vfio_get_group(): error_setg "group %d is not viable" */
	{ "vfio.group-not-viable", "group [0-9]+ is not viable", NULL },
	/* ... and its error_append_hint() */
	{ "vfio.group-not-viable", "ensure all devices within the iommu_group are bound to their vfio bus driver", NULL },
	/* QEMU hw/vfio/pci.c vfio_realize(): "no iommu_group found" (+ ": " strerror) */
	{ "vfio.no-iommu", "no iommu_group found", NULL },
	/* QEMU hw/vfio/common.c vfio_get_iommu_type(): "No available IOMMU models" */
	{ "vfio.no-iommu", "No available IOMMU models", NULL },
	/* QEMU hw/i386/kvm/pci-assign.c: "No IOMMU found.  Unable to assign device \"%s\"" */
	{ "vfio.no-iommu", "No IOMMU found\\.[[:space:]]+Unable to assign device", NULL },
	/* kernel drivers/vfio/fsl-mc, platform: dev_err "%s: VFIO: No IOMMU group" */
	{ "vfio.no-iommu", "VFIO: No IOMMU group", NULL },
	/*
	 * kernel drivers/base/dd.c: "%s: probe of %s failed with error %d";
	 * vfio-pci's probe answers -EINVAL for a device without an IOMMU group
	 */
	{ "vfio.no-iommu", "vfio-pci: probe of [[:xdigit:]:.]+ failed with error -22", NULL },
	/* libvirt src/qemu: "host doesn't support passthrough of host PCI devices" */
	{ "vfio.no-iommu", "host doesn'?t support passthrough of host PCI devices", NULL },
	/* kernel drivers/pci/iov.c sriov_enable(): pci_err "not enough MMIO resources for SR-IOV" */
	{ "numvfs.mmio", "not enough MMIO resources for SR-IOV", NULL },
	/* kernel drivers/pci/iov.c sriov_enable(): "SR-IOV: bus number out of range" */
	{ "numvfs.mmio", "SR-IOV: bus number out of range", NULL },
	/* ixgbe ixgbe_sriov.c: "Failed to enable PCI sriov: %d" with -ENOMEM */
	{ "numvfs.mmio", "Failed to enable PCI sriov: -12", NULL },
	/* strerror(ENOMEM) (Go's lower-case too) on a sriov_numvfs write */
	{ "numvfs.mmio", "Cannot allocate memory", NUMVFS },
	/* kernel drivers/pci/iov.c sriov_numvfs_store(): pci_warn "%d VFs already enabled. Disable before enabling %d VFs" */
	{ "numvfs.busy", "[0-9]+ VFs already enabled\\. Disable before enabling [0-9]+ VFs", NULL },
	{ "numvfs.busy", "Device or resource busy", NUMVFS },
	/* sriov_numvfs_store(): num_vfs > total_VFs -> -ERANGE */
	{ "numvfs.range", "Numerical result out of range", NUMVFS },
	/* sriov_numvfs_store(): kstrtou16() fails -> -EINVAL */
	{ "numvfs.invalid", "Invalid argument", NUMVFS },
	/* sriov_numvfs_store(): pci_info "no driver bound to device; cannot configure SR-IOV" */
	{ "numvfs.no-driver", "no driver bound to device; cannot configure SR-IOV", NULL },
	/* sriov_numvfs_store(): "driver does not support SR-IOV configuration via sysfs" ("SRIOV" before 5.x) */
	{ "numvfs.no-driver", "driver does(n't| not) support SR-?IOV configuration via sysfs", NULL },
	{ "numvfs.no-driver", "No such file or directory", "sriov_numvfs" },
	/* iproute2 lib/libnetlink.c: "RTNETLINK answers: %s" with strerror(EOPNOTSUPP) */
	{ "vf.not-supported", "Operation not supported", VFCMD },
	{ "vf.invalid", "RTNETLINK answers: Invalid argument", VFCMD },
	/* iproute2 ip/ipaddress.c print_linkinfo(): "Truncated VF list: %s\n" */
	{ "netlink.truncated-vf-list", "Truncated VF list: ", NULL },
	/* nova/exception.py PciDeviceRequestFailed: "PCI device request %(requests)s failed" */
	{ "nova.pci-request-failed", "PCI device request .* failed", NULL },
	{ "nova.pci-request-failed", "PciDeviceRequestFailed", NULL },
	/* nova/exception.py PciDeviceNotFoundById: "PCI device %(id)s not found" */
	{ "nova.pci-device-not-found", "PCI device [^ ]+ not found", NULL },
	{ "nova.pci-device-not-found", "PciDeviceNotFoundById", NULL },
	/* ISC dhclient: "No DHCPOFFERS received."; busybox udhcpc (cirros): "No lease, failing" */
	{ "neutron.vlan-no-dhcp", "No DHCPOFFERS received", NULL },
	{ "neutron.vlan-no-dhcp", "No lease, failing", NULL },
	/* the symptom as people report it */
	{ "neutron.vlan-no-dhcp", "(no|not|n't|never|without|fails? to|failed to) (get|gets|getting|receive|receives|obtain|obtains)?[[:space:]]*(an? )?(ip|ipv4|dhcp)( address| lease| offer)", "vlan|sr-?iov|provider|(^|[^[:alnum:]_])vf([^[:alpha:]]|$)" },
	/* Cisco IOS CDP: "%CDP-4-NATIVE_VLAN_MISMATCH: Native VLAN mismatch discovered on ..." */
	{ "neutron.vlan-mismatch", "Native VLAN mismatch", NULL },
	{ "neutron.vlan-mismatch", "vlan (tag )?mismatch", NULL },
	{ "neutron.vlan-mismatch", "double[- ]?tagg?(ed|ing)|QinQ", "vlan|(^|[^[:alnum:]_])vf([^[:alpha:]]|$)" },
	{ "neutron.vlan-mismatch", "(tagged|tag|tags) (with )?(a |the )?(wrong|unexpected|different|other) vlan", NULL },
	{ "neutron.vlan-mismatch", "vlan.*(peer|switch|other side).*(not expect|n't expect|unexpected|drops?)", NULL },
};

const struct sriov_failure *sriov_failures(size_t *n)
{
	*n = sizeof(failures) / sizeof(failures[0]);
	return failures;
}

const struct explain_rule *explain_rules(size_t *n)
{
	*n = sizeof(rules) / sizeof(rules[0]);
	return rules;
}
