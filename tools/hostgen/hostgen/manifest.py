"""The manifest: JSON ground truth in the shape of sriovctl's inventory schema."""

import json

from .sysfs_net import mac_text

SCHEMA = "sriovctl.inventory/v1"


def _group_devices(host, dev):
    if dev.iommu_group is None:
        return []
    return sorted(str(d.addr) for d in host.groups[dev.iommu_group])


def build(host, root):
    pfs = []
    for pf in sorted((d for d in host.scan_order if d.kind == "pf" and d.total_cfg > 0), key=lambda d: d.addr):
        vfs = []
        for vf in pf.vfs:
            vfs.append({
                "index": vf.vf_index,
                "address": str(vf.addr),
                "driver": vf.driver,
                "driver_override": vf.driver_override,
                "netdev": vf.netdev.name if vf.netdev else None,
                "mac": mac_text(vf.netdev.mac) if vf.netdev else None,
                "iommu_group": vf.iommu_group,
                "iommu_group_devices": _group_devices(host, vf),
            })
        pfs.append({
            "address": str(pf.addr),
            "vendor_id": "%04x" % pf.vendor,
            "device_id": "%04x" % pf.device,
            "driver": pf.driver,
            "netdevs": [pf.netdev.name] if pf.netdev else [],
            "numa_node": pf.numa_attr,
            "total_vfs": pf.total_sysfs,
            "num_vfs": pf.num_vfs,
            "vf_device_id": "%04x" % pf.profile.vf_device,
            "vf_offset": pf.vf_offset,
            "vf_stride": pf.vf_stride,
            "drivers_autoprobe": pf.autoprobe,
            "iommu_group": pf.iommu_group,
            "upstream": [str(pf.rootport.addr)],
            "vfs": vfs,
        })
    return {
        "schema": SCHEMA,
        "root": root,
        "iommu": {"enabled": host.iommu, "groups": len(host.groups)},
        "pfs": pfs,
        "devices": sorted(str(d.addr) for d in host.scan_order),
    }


def dumps(data):
    return json.dumps(data, indent=2) + "\n"
