/* SPDX-License-Identifier: MIT */
/*
 * The export formats: one row each, the CLI's help and errors, the checks
 * export runs before the format prints, and its generator.
 */
#include <errno.h>
#include <string.h>

#include "export/export.h"

static const struct export_format formats[] = {
	[SRIOV_EXPORT_LIBVIRT_INTERFACE] = {
		{ "libvirt-interface", "libvirt",
		  "<interface type='hostdev'> per VF, for virsh attach-device or a domain's <devices>",
		  NULL, SRIOV_EXPORT_TAKES_MAC },
		EXPORT_CHECK_VFIO | EXPORT_CHECK_MAC | EXPORT_NEED_PCI, export_libvirt },
	[SRIOV_EXPORT_LIBVIRT_HOSTDEV] = {
		{ "libvirt-hostdev", "libvirt",
		  "<hostdev mode='subsystem' type='pci'> per VF (no network setup by libvirt)",
		  NULL, 0 },
		EXPORT_CHECK_VFIO | EXPORT_CHECK_MAC | EXPORT_NEED_PCI, export_libvirt },
	[SRIOV_EXPORT_LIBVIRT_NETWORK] = {
		{ "libvirt-network", "libvirt",
		  "a <network> with <forward mode='hostdev'>: the VFs as a pool, for virsh net-define",
		  NULL, SRIOV_EXPORT_TAKES_NAME },
		EXPORT_CHECK_VFIO | EXPORT_CHECK_MAC | EXPORT_NEED_PCI, export_libvirt },
	/* the rows without a generator are formats not built yet: they are
	 * not offered (sriov_export_format_parse does not know them) */
	[SRIOV_EXPORT_NOVA] = {
		{ "nova", "nova",
		  "nova.conf [pci] device_spec and alias entries for the VFs",
		  NULL, SRIOV_EXPORT_TAKES_PHYSNET | SRIOV_EXPORT_TAKES_RELEASE },
		EXPORT_CHECK_VFIO | EXPORT_NEED_PCI, export_openstack },
	[SRIOV_EXPORT_NEUTRON_AGENT] = {
		{ "neutron-agent", "neutron",
		  "sriov_agent.ini [sriov_nic] physical_device_mappings and exclude_devices",
		  NULL, SRIOV_EXPORT_TAKES_PHYSNET },
		EXPORT_NEED_PCI, export_openstack },
	[SRIOV_EXPORT_NEUTRON_ML2] = {
		{ "neutron-ml2", "neutron",
		  "ml2_conf.ini: the sriovnicswitch mechanism driver and the physnets' VLAN ranges",
		  NULL, SRIOV_EXPORT_TAKES_PHYSNET },
		0, export_openstack },
	[SRIOV_EXPORT_PROXMOX] = {
		{ "proxmox", "Proxmox VE",
		  "qm set VMID --hostpciN ADDR,pcie=1 lines, one per VF",
		  "VMID", SRIOV_EXPORT_TAKES_MAC },
		EXPORT_CHECK_VFIO | EXPORT_CHECK_MAC | EXPORT_NEED_PCI, export_proxmox,
		export_proxmox_vmid },
	[SRIOV_EXPORT_PROXMOX_MAPPING] = {
		{ "proxmox-mapping", "Proxmox VE",
		  "a resource mapping section of /etc/pve/mapping/pci.cfg",
		  "NAME", 0 },
		EXPORT_CHECK_VFIO | EXPORT_NEED_PCI, export_proxmox,
		export_proxmox_mapping_id },
	[SRIOV_EXPORT_DPDK] = {
		{ "dpdk", "DPDK",
		  "EAL arguments: -a per vfio-pci VF, lcores and --socket-mem of its NUMA node",
		  NULL, 0 },
		EXPORT_CHECK_VFIO | EXPORT_CHECK_DPDK | EXPORT_NEED_PCI, export_dpdk },
	[SRIOV_EXPORT_K8S_DEVICE_PLUGIN] = {
		{ "k8s-device-plugin", "Kubernetes",
		  "the SR-IOV device plugin's /etc/pcidp/config.json: a resource per pool of the policy",
		  NULL, SRIOV_EXPORT_NEEDS_POLICY },
		EXPORT_NEED_PCI, export_k8s },
	[SRIOV_EXPORT_K8S_NAD] = {
		{ "k8s-nad", "Kubernetes",
		  "a NetworkAttachmentDefinition of a pool: the sriov CNI's config, for kubectl apply",
		  NULL, SRIOV_EXPORT_TAKES_NAME | SRIOV_EXPORT_TAKES_NAMESPACE |
			SRIOV_EXPORT_NEEDS_POLICY },
		EXPORT_NEED_PCI | EXPORT_K8S_NAME, export_k8s },
	[SRIOV_EXPORT_K8S_SRIOV_OPERATOR] = {
		{ "k8s-sriov-operator", "Kubernetes",
		  "SriovNetworkNodePolicy objects equal to the policy's pooled ranges (--name: the node)",
		  NULL, SRIOV_EXPORT_TAKES_NAME | SRIOV_EXPORT_TAKES_NAMESPACE |
			SRIOV_EXPORT_NEEDS_POLICY },
		EXPORT_NEED_PCI | EXPORT_K8S_NAME | EXPORT_NAME_OPTIONAL, export_k8s },
};

_Static_assert(sizeof(formats) / sizeof(formats[0]) == SRIOV_EXPORT__COUNT,
	       "a row for every export format");

const struct export_format *export_format(int format)
{
	return format >= 0 && format < SRIOV_EXPORT__COUNT && formats[format].generate
		       ? &formats[format] : NULL;
}

const struct sriov_export_format_info *sriov_export_format_info(int format)
{
	const struct export_format *f = export_format(format);

	return f ? &f->info : NULL;
}

int sriov_export_format_parse(const char *name)
{
	for (int i = 0; name && i < SRIOV_EXPORT__COUNT; i++)
		if (formats[i].generate && strcmp(name, formats[i].info.name) == 0)
			return i;
	return -EINVAL;
}

const char *sriov_export_format_name(int format)
{
	const struct export_format *f = export_format(format);

	return f ? f->info.name : NULL;
}
