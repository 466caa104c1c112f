#!/usr/bin/env python3
"""IOMMU groups: ACS isolation, shared groups without ACS, IOMMU off, AMD layout."""

import os
import unittest

from hostgen_testlib import HostCase, dev_dir, read


def groups(out):
    gdir = os.path.join(out, "sys", "kernel", "iommu_groups")
    return {int(g): sorted(os.listdir(os.path.join(gdir, g, "devices"))) for g in os.listdir(gdir)}


class IommuTest(HostCase):
    def test_acs_on_isolates_every_function(self):
        out, man = self.generate("--card", "e810:vfs=3", "--card", "x520:vfs=2")
        g = groups(out)
        self.assertEqual(man["iommu"]["groups"], len(g))
        self.assertTrue(all(len(m) == 1 for m in g.values()), g)
        self.assertEqual(sorted(a for m in g.values() for a in m), man["devices"])
        # numbering: boot devices in probe order, then VFs PF by PF
        self.assertEqual(g[0], ["0000:00:00.0"])
        self.assertEqual(g[1], ["0000:00:01.0"])
        vf_groups = [vf["iommu_group"] for pf in man["pfs"] for vf in pf["vfs"]]
        self.assertEqual(vf_groups, sorted(vf_groups))
        self.assertGreater(min(vf_groups), max(pf["iommu_group"] for pf in man["pfs"]))
        for pf in man["pfs"]:
            for vf in pf["vfs"]:
                self.assertEqual(vf["iommu_group_devices"], [vf["address"]])

    def test_acs_off_shares_one_group(self):
        out, man = self.generate("--card", "e810:vfs=3,vfio=1,acs=off", "--card", "cx6:vfs=1")
        e810 = [pf for pf in man["pfs"] if pf["device_id"] == "1592"]
        rp = e810[0]["upstream"][0]
        gid = e810[0]["iommu_group"]
        members = sorted([rp] + [pf["address"] for pf in e810] +
                         [vf["address"] for pf in e810 for vf in pf["vfs"]])
        self.assertEqual(groups(out)[gid], members)
        self.assertEqual(len(members), 1 + 2 + 6)
        for pf in e810:
            self.assertEqual(pf["iommu_group"], gid)
            for vf in pf["vfs"]:
                self.assertEqual(vf["iommu_group"], gid)
                self.assertEqual(vf["iommu_group_devices"], members)
        self.assertEqual(os.path.realpath(os.path.join(dev_dir(out, rp), "iommu_group")),
                         os.path.realpath(os.path.join(out, "sys/kernel/iommu_groups", str(gid))))
        # the root port has no ACS capability at all
        with open(os.path.join(dev_dir(out, rp), "config"), "rb") as fh:
            cfg = fh.read()
        self.assertEqual(int.from_bytes(cfg[0x100:0x102], "little"), 0x0001)   # AER first
        # the cx6 behind an ACS root port stays isolated
        cx6 = [pf for pf in man["pfs"] if pf["device_id"] == "101d"]
        for pf in cx6:
            self.assertEqual(groups(out)[pf["iommu_group"]], [pf["address"]])

    def test_iommu_off(self):
        out, man = self.generate("--iommu", "off", "--card", "e810:vfs=2")
        gdir = os.path.join(out, "sys/kernel/iommu_groups")
        self.assertTrue(os.path.isdir(gdir))
        self.assertEqual(os.listdir(gdir), [])
        self.assertEqual(man["iommu"], {"enabled": False, "groups": 0})
        self.assertEqual(os.listdir(os.path.join(out, "sys/class/iommu")), [])
        self.assertFalse(os.path.exists(os.path.join(out, "sys/devices/virtual/iommu")))
        for addr in man["devices"]:
            d = dev_dir(out, addr)
            self.assertFalse(os.path.lexists(os.path.join(d, "iommu_group")), addr)
            self.assertFalse(os.path.lexists(os.path.join(d, "iommu")), addr)
        for pf in man["pfs"]:
            self.assertIsNone(pf["iommu_group"])
            for vf in pf["vfs"]:
                self.assertIsNone(vf["iommu_group"])
                self.assertEqual(vf["iommu_group_devices"], [])
        cmdline = read(out, "proc/cmdline")
        self.assertNotIn("intel_iommu", cmdline)
        self.assertNotIn("iommu=pt", cmdline)
        # the firmware still describes the IOMMU
        self.assertTrue(os.path.isfile(os.path.join(out, "sys/firmware/acpi/tables/DMAR")))

    def test_intel_layout(self):
        out, man = self.generate("--numa-nodes", "2", "--card", "e810", "--card", "e810")
        self.assertIn("intel_iommu=on iommu=pt", read(out, "proc/cmdline"))
        self.assertEqual(sorted(os.listdir(os.path.join(out, "sys/class/iommu"))),
                         ["dmar0", "dmar1"])
        unit = os.path.join(out, "sys/devices/virtual/iommu/dmar1")
        self.assertTrue(os.path.isfile(os.path.join(unit, "intel-iommu/cap")))
        node1 = [pf for pf in man["pfs"] if pf["numa_node"] == 1]
        self.assertEqual(os.path.realpath(os.path.join(dev_dir(out, node1[0]["address"]), "iommu")),
                         os.path.realpath(unit))
        with open(os.path.join(out, "sys/firmware/acpi/tables/DMAR"), "rb") as fh:
            dmar = fh.read()
        self.assertEqual(dmar[:4], b"DMAR")
        self.assertEqual(int.from_bytes(dmar[4:8], "little"), len(dmar))
        self.assertEqual(sum(dmar) & 0xFF, 0)
        g0 = os.path.join(out, "sys/kernel/iommu_groups/0")
        self.assertEqual(read(g0, "type"), "identity\n")
        self.assertEqual(read(g0, "reserved_regions"),
                         "0x00000000fee00000 0x00000000feefffff msi\n")

    def test_amd_layout(self):
        out, man = self.generate("--cpu", "amd", "--card", "cx6:vfs=2")
        self.assertIn("amd_iommu=on iommu=pt", read(out, "proc/cmdline"))
        link = os.path.join(out, "sys/class/iommu/ivhd0")
        self.assertEqual(os.readlink(link), "../../devices/pci0000:00/0000:00:00.2/iommu/ivhd0")
        pf = dev_dir(out, man["pfs"][0]["address"])
        self.assertEqual(os.readlink(os.path.join(pf, "iommu")), "../../0000:00:00.2/iommu/ivhd0")
        g = groups(out)
        grouped = sorted(a for m in g.values() for a in m)
        self.assertNotIn("0000:00:00.0", grouped)
        self.assertNotIn("0000:00:00.2", grouped)
        self.assertEqual(read(os.path.join(out, "sys/kernel/iommu_groups/0"), "reserved_regions"),
                         "0x00000000fee00000 0x00000000feefffff msi\n"
                         "0x000000fd00000000 0x000000ffffffffff reserved\n")
        with open(os.path.join(out, "sys/firmware/acpi/tables/IVRS"), "rb") as fh:
            ivrs = fh.read()
        self.assertEqual(ivrs[:4], b"IVRS")
        self.assertEqual(sum(ivrs) & 0xFF, 0)


if __name__ == "__main__":
    unittest.main()
