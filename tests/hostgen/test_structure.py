#!/usr/bin/env python3
"""Structural invariants of generated trees: links, cross references, formats."""

import os
import struct
import unittest

from hostgen_testlib import ADDR_RE, HostCase, dev_dir, devices_dir, read

# attribute -> regex of the whole file content (kernel print formats)
PCI_FORMATS = {
    "vendor": r"0x[0-9a-f]{4}\n",
    "device": r"0x[0-9a-f]{4}\n",
    "subsystem_vendor": r"0x[0-9a-f]{4}\n",
    "subsystem_device": r"0x[0-9a-f]{4}\n",
    "class": r"0x[0-9a-f]{6}\n",
    "revision": r"0x[0-9a-f]{2}\n",
    "irq": r"\d+\n",
    "numa_node": r"-?\d+\n",
    "local_cpulist": r"\d+(-\d+)?(,\d+(-\d+)?)*\n",
    "local_cpus": r"[0-9a-f]+(,[0-9a-f]{8})*\n",
    "enable": r"\d+\n",
    "modalias": r"pci:v[0-9A-F]{8}d[0-9A-F]{8}sv[0-9A-F]{8}sd[0-9A-F]{8}"
                r"bc[0-9A-F]{2}sc[0-9A-F]{2}i[0-9A-F]{2}\n",
    "driver_override": r"(\(null\)|[A-Za-z0-9_-]+)\n",
    "msi_bus": r"[01]\n",
    "d3cold_allowed": r"[01]\n",
    "broken_parity_status": r"[01]\n",
    "ari_enabled": r"[01]\n",
    "power_state": r"(D0|D1|D2|D3hot|D3cold|unknown)\n",
    "dma_mask_bits": r"\d+\n",
    "consistent_dma_mask_bits": r"\d+\n",
    "resource": r"(0x[0-9a-f]{16} 0x[0-9a-f]{16} 0x[0-9a-f]{16}\n){13}"
                r"((0x[0-9a-f]{16} 0x[0-9a-f]{16} 0x[0-9a-f]{16}\n){4})?",
    "uevent": r"(DRIVER=[A-Za-z0-9_-]+\n)?PCI_CLASS=[0-9A-F]{4,6}\nPCI_ID=[0-9A-F]{4}:[0-9A-F]{4}\n"
              r"PCI_SUBSYS_ID=[0-9A-F]{4}:[0-9A-F]{4}\nPCI_SLOT_NAME=[0-9a-f:.]+\n"
              r"MODALIAS=pci:[0-9A-Za-z]+\n",
    "remove": r"",
    "rescan": r"",
}
OPTIONAL_FORMATS = {
    "current_link_speed": r"((2\.5|5\.0|8\.0|16\.0|32\.0|64\.0) GT/s PCIe|Unknown)\n",
    "max_link_speed": r"((2\.5|5\.0|8\.0|16\.0|32\.0|64\.0) GT/s PCIe|Unknown)\n",
    "current_link_width": r"\d+\n",
    "max_link_width": r"\d+\n",
    "reset_method": r"[a-z_]+( [a-z_]+)*\n",
    "secondary_bus_number": r"\d+\n",
    "subordinate_bus_number": r"\d+\n",
}
PF_FORMATS = {
    "sriov_totalvfs": r"\d+\n",
    "sriov_numvfs": r"\d+\n",
    "sriov_offset": r"\d+\n",
    "sriov_stride": r"\d+\n",
    "sriov_vf_device": r"[0-9a-f]{1,4}\n",          # "%x\n": no 0x prefix
    "sriov_drivers_autoprobe": r"[01]\n",
    "sriov_vf_total_msix": r"\d+\n",
}
NET_FORMATS = {
    "address": r"([0-9a-f]{2}:){5}[0-9a-f]{2}\n",
    "addr_len": r"6\n",
    "broadcast": r"([0-9a-f]{2}:){5}[0-9a-f]{2}\n",
    "operstate": r"(up|down|unknown)\n",
    "carrier": r"[01]\n",
    "mtu": r"\d+\n",
    "ifindex": r"\d+\n",
    "iflink": r"\d+\n",
    "type": r"\d+\n",
    "dev_port": r"\d+\n",
    "speed": r"-?\d+\n",
    "duplex": r"(full|half|unknown)\n",
    "flags": r"0x[0-9a-f]+\n",
}


def check_tree(tc, out, manifest):
    """Assert every structural invariant on the tree at `out`."""
    root = os.path.realpath(out)
    sys_dir = os.path.join(root, "sys")

    # 1. every symlink is relative and resolves to an existing path inside OUT_DIR
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            if not os.path.islink(full):
                continue
            text = os.readlink(full)
            tc.assertFalse(text.startswith("/"), "absolute link %s -> %s" % (full, text))
            target = os.path.realpath(full)
            tc.assertTrue(target.startswith(root + "/"), "%s escapes OUT_DIR" % full)
            tc.assertTrue(os.path.exists(target), "dangling link %s -> %s" % (full, text))

    # 2. /sys/bus/pci/devices lists exactly the manifest's devices
    listed = sorted(os.listdir(devices_dir(out)))
    tc.assertEqual(listed, manifest["devices"])
    dirs = {}
    for addr in listed:
        tc.assertRegex(addr, ADDR_RE)
        link = os.path.join(devices_dir(out), addr)
        tc.assertTrue(os.path.islink(link))
        tc.assertTrue(os.readlink(link).startswith("../../../devices/pci"), link)
        d = os.path.realpath(link)
        tc.assertEqual(os.path.basename(d), addr)
        dirs[addr] = d

    groups_dir = os.path.join(sys_dir, "kernel", "iommu_groups")
    for addr, d in dirs.items():
        entries = set(os.listdir(d))
        # 3. formats
        for attr, rx in list(PCI_FORMATS.items()) + [
                (a, r) for a, r in OPTIONAL_FORMATS.items() if a in entries]:
            tc.assertIn(attr, entries, "%s lacks %s" % (addr, attr))
            tc.assertRegex(read(d, attr), "^" + rx + r"\Z", "%s/%s" % (addr, attr))
        tc.assertIn("PCI_SLOT_NAME=%s\n" % addr, read(d, "uevent"))
        with open(os.path.join(d, "config"), "rb") as fh:
            config = fh.read()
        tc.assertEqual(len(config), 4096, addr)
        vendor = int(read(d, "vendor"), 16)
        device = int(read(d, "device"), 16)
        is_vf = "physfn" in entries
        cfg_ids = struct.unpack_from("<HH", config, 0)
        tc.assertEqual(cfg_ids, (0xFFFF, 0xFFFF) if is_vf else (vendor, device), addr)
        tc.assertEqual(os.readlink(os.path.join(d, "subsystem")),
                       "../" * (d[len(sys_dir):].count("/")) + "bus/pci", addr)
        is_bridge = (config[0x0E] & 0x7F) == 1
        nlines = read(d, "resource").count("\n")
        tc.assertEqual(nlines, 17 if is_bridge else 13, addr)
        if is_bridge:
            sec, sub = config[0x19], config[0x1A]
            tc.assertEqual(int(read(d, "secondary_bus_number")), sec)
            tc.assertEqual(int(read(d, "subordinate_bus_number")), sub)
            for child in os.listdir(d):
                if ADDR_RE.match(child):
                    bus = int(child[5:7], 16)
                    tc.assertTrue(sec <= bus <= sub, "%s outside %s [%02x-%02x]"
                                  % (child, addr, sec, sub))
        # 4. SR-IOV links are mutual; a VF is a sibling of its PF
        if "sriov_totalvfs" in entries:
            for attr, rx in PF_FORMATS.items():
                tc.assertRegex(read(d, attr), "^" + rx + r"\Z", "%s/%s" % (addr, attr))
            n = int(read(d, "sriov_numvfs"))
            virtfns = sorted(e for e in entries if e.startswith("virtfn"))
            tc.assertEqual(sorted("virtfn%d" % i for i in range(n)), virtfns, addr)
            for v in virtfns:
                vf = os.path.realpath(os.path.join(d, v))
                tc.assertEqual(os.path.dirname(vf), os.path.dirname(d))
                tc.assertEqual(os.path.realpath(os.path.join(vf, "physfn")), d)
                tc.assertEqual(os.readlink(os.path.join(d, v)), "../" + os.path.basename(vf))
        if is_vf:
            pf = os.path.realpath(os.path.join(d, "physfn"))
            tc.assertIn(d, [os.path.realpath(os.path.join(pf, e))
                            for e in os.listdir(pf) if e.startswith("virtfn")])
        # 5. driver links have their reverse link
        if "driver" in entries:
            drv = os.path.realpath(os.path.join(d, "driver"))
            tc.assertEqual(os.path.dirname(drv), os.path.join(sys_dir, "bus", "pci", "drivers"))
            tc.assertEqual(os.path.realpath(os.path.join(drv, addr)), d)
            tc.assertIn("DRIVER=%s\n" % os.path.basename(drv), read(d, "uevent"))
        else:
            tc.assertNotIn("DRIVER=", read(d, "uevent"))
        # 6. IOMMU group membership both ways
        if "iommu_group" in entries:
            g = os.path.realpath(os.path.join(d, "iommu_group"))
            tc.assertEqual(os.path.dirname(g), groups_dir)
            tc.assertEqual(os.path.realpath(os.path.join(g, "devices", addr)), d)
            unit = os.path.realpath(os.path.join(d, "iommu"))
            tc.assertEqual(os.path.realpath(os.path.join(unit, "devices", addr)), d)
        else:   # (AMD's IOMMU function has an "iommu" class glue *directory*)
            tc.assertFalse(os.path.islink(os.path.join(d, "iommu")), addr)

    for drv in os.listdir(os.path.join(sys_dir, "bus", "pci", "drivers")):
        dd = os.path.join(sys_dir, "bus", "pci", "drivers", drv)
        for e in os.listdir(dd):
            if ADDR_RE.match(e):
                dev = os.path.realpath(os.path.join(dd, e))
                tc.assertEqual(os.path.realpath(os.path.join(dev, "driver")), dd)
    ngroups = 0
    if os.path.isdir(groups_dir):
        for g in os.listdir(groups_dir):
            ngroups += 1
            gd = os.path.join(groups_dir, g)
            tc.assertIn(read(gd, "type"), ("identity\n", "DMA\n", "DMA-FQ\n"))
            tc.assertRegex(read(gd, "reserved_regions"),
                           r"^(0x[0-9a-f]{16} 0x[0-9a-f]{16} [a-z-]+\n)+\Z")
            members = os.listdir(os.path.join(gd, "devices"))
            tc.assertTrue(members, "empty group %s" % g)
            for m in members:
                dev = os.path.realpath(os.path.join(gd, "devices", m))
                tc.assertEqual(os.path.realpath(os.path.join(dev, "iommu_group")),
                               os.path.realpath(gd))
    tc.assertEqual(ngroups, manifest["iommu"]["groups"])

    # 7. class/net and class/pci_bus
    net = os.path.join(sys_dir, "class", "net")
    for ifname in os.listdir(net):
        nd = os.path.realpath(os.path.join(net, ifname))
        tc.assertEqual(os.path.basename(nd), ifname)
        tc.assertEqual(os.path.realpath(os.path.join(nd, "subsystem")), os.path.realpath(net))
        if ifname == "lo":
            continue
        for attr, rx in NET_FORMATS.items():
            tc.assertRegex(read(nd, attr), "^" + rx + r"\Z", "%s/%s" % (ifname, attr))
        dev = os.path.realpath(os.path.join(nd, "device"))
        tc.assertEqual(os.path.dirname(os.path.dirname(nd)), dev)
        tc.assertEqual(os.readlink(os.path.join(nd, "device")),
                       "../../../" + os.path.basename(dev))
    for bus in os.listdir(os.path.join(sys_dir, "class", "pci_bus")):
        b = os.path.realpath(os.path.join(sys_dir, "class", "pci_bus", bus))
        tc.assertEqual(os.path.basename(b), bus)
        tc.assertTrue(os.path.isdir(os.path.realpath(os.path.join(b, "device"))))
    # every bus a device sits on has a pci_bus entry
    buses = {a[:7] for a in listed}
    tc.assertEqual(buses, set(os.listdir(os.path.join(sys_dir, "class", "pci_bus"))))

    # 8. manifest agrees with the tree
    for pf in manifest["pfs"]:
        d = dirs[pf["address"]]
        tc.assertEqual(int(read(d, "sriov_totalvfs")), pf["total_vfs"])
        tc.assertEqual(int(read(d, "sriov_numvfs")), pf["num_vfs"])
        tc.assertEqual(int(read(d, "sriov_offset")), pf["vf_offset"])
        tc.assertEqual(int(read(d, "sriov_stride")), pf["vf_stride"])
        tc.assertEqual(int(read(d, "sriov_vf_device"), 16), int(pf["vf_device_id"], 16))
        tc.assertEqual(read(d, "sriov_drivers_autoprobe") == "1\n", pf["drivers_autoprobe"])
        tc.assertEqual(int(read(d, "numa_node")), pf["numa_node"])
        tc.assertEqual(sorted(os.listdir(os.path.join(d, "net")))
                       if os.path.isdir(os.path.join(d, "net")) else [], pf["netdevs"])
        for vf in pf["vfs"]:
            vd = dirs[vf["address"]]
            tc.assertEqual(os.path.realpath(os.path.join(d, "virtfn%d" % vf["index"])), vd)
            drv = os.path.join(vd, "driver")
            tc.assertEqual(os.path.basename(os.path.realpath(drv))
                           if os.path.lexists(drv) else None, vf["driver"])
            tc.assertEqual(read(vd, "driver_override").strip(),
                           vf["driver_override"] or "(null)")
            if vf["netdev"]:
                tc.assertEqual(read(os.path.join(vd, "net", vf["netdev"]), "address").strip(),
                               vf["mac"])
                mac0 = int(vf["mac"][:2], 16)
                tc.assertEqual(mac0 & 3, 2, "VF MAC must be locally administered unicast")
            else:
                tc.assertFalse(os.path.exists(os.path.join(vd, "net")))
            if vf["iommu_group"] is not None:
                g = os.path.join(groups_dir, str(vf["iommu_group"]), "devices")
                tc.assertEqual(sorted(os.listdir(g)), vf["iommu_group_devices"])


class StructureTest(HostCase):
    def test_every_profile(self):
        for name in ("e810", "cx6", "x520", "i350", "igb", "nvme"):
            with self.subTest(profile=name):
                out, man = self.generate("--card", "%s:vfs=3,vfio=1,unbound=1" % name)
                check_tree(self, out, man)

    def test_mixed_two_nodes_amd(self):
        out, man = self.generate(
            "--cpu", "amd", "--numa-nodes", "2", "--cpus-per-node", "24",
            "--card", "e810:vfs=128,vfio=10,unbound=5", "--card", "cx6:vfs=8/2",
            "--card", "x520:vfs=63,autoprobe=0", "--card", "i350:vfs=7/0/3/0,acs=off",
            "--card", "nvme:vfs=4,total=16", "--card", "igb:vfs=7,link=down,ifname=lan")
        check_tree(self, out, man)

    def test_iommu_off_and_unbound_pf(self):
        out, man = self.generate("--iommu", "off", "--card", "e810:vfs=2,pfdriver=none",
                                 "--card", "x520:pfdriver=vfio-pci")
        check_tree(self, out, man)

    def test_link_text_depths(self):
        """Exact link texts the kernel produces at each depth."""
        out, man = self.generate("--card", "e810:vfs=1", "--numa-nodes", "2")
        pf = man["pfs"][0]
        d = dev_dir(out, pf["address"])
        self.assertEqual(os.readlink(os.path.join(d, "driver")), "../../../../bus/pci/drivers/ice")
        self.assertEqual(os.readlink(os.path.join(d, "subsystem")), "../../../../bus/pci")
        self.assertRegex(os.readlink(os.path.join(d, "iommu_group")),
                         r"^\.\./\.\./\.\./\.\./kernel/iommu_groups/\d+$")
        self.assertEqual(os.readlink(os.path.join(d, "iommu")), "../../../virtual/iommu/dmar0")
        self.assertEqual(os.readlink(os.path.join(d, "virtfn0")), "../" + pf["vfs"][0]["address"])
        rp = os.path.dirname(d)
        self.assertEqual(os.readlink(os.path.join(rp, "driver")),
                         "../../../bus/pci/drivers/pcieport")
        self.assertEqual(os.readlink(os.path.join(rp, "iommu")), "../../virtual/iommu/dmar0")
        nd = os.path.join(d, "net", pf["netdevs"][0])
        self.assertEqual(os.readlink(os.path.join(nd, "device")), "../../../" + pf["address"])
        self.assertEqual(os.readlink(os.path.join(nd, "subsystem")), "../../../../../../class/net")
        self.assertEqual(os.readlink(os.path.join(out, "sys/class/net", pf["netdevs"][0])),
                         "../../devices/pci0000:00/%s/%s/net/%s"
                         % (os.path.basename(rp), pf["address"], pf["netdevs"][0]))
        g = os.path.realpath(os.path.join(d, "iommu_group"))
        self.assertEqual(os.readlink(os.path.join(g, "devices", pf["address"])),
                         "../../../../devices/pci0000:00/%s/%s"
                         % (os.path.basename(rp), pf["address"]))
        self.assertEqual(os.readlink(os.path.join(out, "sys/bus/pci/drivers/ice", pf["address"])),
                         "../../../../devices/pci0000:00/%s/%s"
                         % (os.path.basename(rp), pf["address"]))
        self.assertEqual(os.readlink(os.path.join(out, "sys/class/iommu/dmar0")),
                         "../../devices/virtual/iommu/dmar0")
        bus = os.path.join(rp, "pci_bus", pf["address"][:7])
        self.assertEqual(os.readlink(os.path.join(bus, "device")),
                         "../../../" + os.path.basename(rp))
        self.assertEqual(os.readlink(os.path.join(out, "sys/bus/pci/devices", pf["address"])),
                         "../../../devices/pci0000:00/%s/%s" % (os.path.basename(rp),
                                                                 pf["address"]))

    def test_attribute_values(self):
        out, man = self.generate("--card", "e810:vfs=2,vfio=1", "--cpus-per-node", "40")
        pf = man["pfs"][0]
        d = dev_dir(out, pf["address"])
        self.assertEqual(read(d, "vendor"), "0x8086\n")
        self.assertEqual(read(d, "device"), "0x1592\n")
        self.assertEqual(read(d, "class"), "0x020000\n")
        self.assertEqual(read(d, "sriov_vf_device"), "1889\n")
        self.assertEqual(read(d, "driver_override"), "(null)\n")
        self.assertEqual(read(d, "numa_node"), "-1\n")       # single node: NUMA_NO_NODE
        self.assertEqual(read(d, "local_cpulist"), "0-39\n")
        self.assertEqual(read(d, "local_cpus"), "ff,ffffffff\n")
        self.assertEqual(read(d, "modalias"),
                         "pci:v00008086d00001592sv00008086sd00000002bc02sc00i00\n")
        self.assertEqual(read(d, "max_link_speed"), "16.0 GT/s PCIe\n")
        self.assertEqual(read(d, "current_link_speed"), "8.0 GT/s PCIe\n")   # Gen3 root port
        self.assertTrue(read(d, "uevent").startswith("DRIVER=ice\nPCI_CLASS=20000\n"))
        vf_vfio = dev_dir(out, pf["vfs"][1]["address"])
        self.assertEqual(read(vf_vfio, "driver_override"), "vfio-pci\n")
        self.assertEqual(read(vf_vfio, "max_link_speed"), "Unknown\n")
        vf0 = dev_dir(out, pf["vfs"][0]["address"])
        self.assertEqual(read(vf0, "ari_enabled"), "1\n")
        self.assertFalse(os.path.exists(os.path.join(vf0, "sriov_numvfs")))

    def test_numa_two_nodes(self):
        out, man = self.generate("--numa-nodes", "2", "--cpus-per-node", "8",
                                 "--card", "x520", "--card", "x520", "--card", "x520:numa=0")
        nodes = [pf["numa_node"] for pf in man["pfs"]]
        self.assertEqual(nodes, [0, 0, 0, 0, 1, 1])
        self.assertEqual(read(out, "sys/devices/system/node/node1/cpulist"), "8-15\n")
        self.assertEqual(read(out, "sys/devices/system/node/node1/cpumap"), "ff00\n")
        for pf in man["pfs"]:
            d = dev_dir(out, pf["address"])
            if pf["numa_node"] == 1:
                self.assertTrue(pf["address"].startswith("0000:8"), pf["address"])
                self.assertIn("/pci0000:80/", d)
                self.assertEqual(read(d, "local_cpulist"), "8-15\n")
            else:
                self.assertEqual(read(d, "local_cpus"), "00ff\n")
        self.assertTrue(os.path.isdir(os.path.join(out, "sys/devices/pci0000:80")))

    def test_proc_files(self):
        out, _ = self.generate("--cpu", "amd", "--numa-nodes", "2", "--cpus-per-node", "2")
        self.assertIn("amd_iommu=on iommu=pt", read(out, "proc/cmdline"))
        info = read(out, "proc/cpuinfo")
        self.assertEqual(info.count("vendor_id\t: AuthenticAMD"), 4)
        self.assertRegex(info, r"flags\t\t: .* svm ")
        out, _ = self.generate("--iommu", "off")
        self.assertNotIn("iommu", read(out, "proc/cmdline"))
        self.assertRegex(read(out, "proc/cpuinfo"), r"flags\t\t: .* vmx ")


if __name__ == "__main__":
    unittest.main()
