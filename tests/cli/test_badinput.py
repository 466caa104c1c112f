# SPDX-License-Identifier: MIT
"""Garbage in sysfs: report the device as partly readable, carry on."""
import os
import struct
import unittest

from common import TreeTest, hostgen, sriovctl


class BadInput(TreeTest):
    def setUp(self):
        super().setUp()
        self.root = self.path("host")
        self.man = hostgen(self.root, "e810:pfs=2,vfs=3")
        self.pf = self.man["pfs"][0]
        self.other = self.man["pfs"][1]["address"]

    def pfdir(self, addr=None):
        return os.path.realpath(os.path.join(
            self.root, "sys/bus/pci/devices", addr or self.pf["address"]))

    def write(self, rel, data, mode="w"):
        p = os.path.join(self.pfdir(), rel)
        with open(p, mode) as f:
            f.write(data)

    def relink(self, rel, target, base=None):
        p = os.path.join(base or self.pfdir(), rel)
        os.remove(p)
        os.symlink(target, p)

    def inventory(self):
        r = sriovctl("list", "--json", root=self.root, check=0)
        inv = r.json()
        pfs = {p["address"]: p for p in inv["pfs"]}
        self.assertIn(self.pf["address"], pfs)
        # the other PF is untouched by this PF's garbage
        self.assertEqual(pfs[self.other]["warnings"], [])
        self.assertEqual(len(pfs[self.other]["vfs"]), 3)
        # the text views do not fail either
        sriovctl("list", root=self.root, check=0)
        sriovctl("show", self.pf["address"], root=self.root, check=0)
        return pfs[self.pf["address"]]

    def assert_warns(self, pf, needle):
        text = " | ".join(pf["warnings"] + [w for v in pf["vfs"] for w in v["warnings"]])
        self.assertIn(needle, text)

    def test_empty_numvfs(self):
        self.write("sriov_numvfs", "")
        pf = self.inventory()
        self.assert_warns(pf, "sriov_numvfs: empty")
        self.assertEqual(len(pf["vfs"]), 3)  # the virtfn links still tell

    def test_non_number_totalvfs(self):
        self.write("sriov_totalvfs", "abc\n")
        pf = self.inventory()
        self.assert_warns(pf, 'sriov_totalvfs: not a number ("abc")')

    def test_out_of_range(self):
        self.write("sriov_numvfs", "99999999999\n")
        self.assert_warns(self.inventory(), "sriov_numvfs: out of range")

    def test_huge_attribute(self):
        self.write("sriov_offset", "1" * 100000)
        self.assert_warns(self.inventory(), "sriov_offset: unreadable")

    def test_binary_driver_override(self):
        vf = self.pf["vfs"][0]["address"]
        p = os.path.join(self.root, "sys/bus/pci/devices", vf, "driver_override")
        with open(p, "wb") as f:
            f.write(b"\x00\xffvfio\n")
        pf = self.inventory()
        self.assertIn("driver_override: not a single word", pf["vfs"][0]["warnings"][0])
        self.assertIsNone(pf["vfs"][0]["driver_override"])

    def test_dangling_virtfn(self):
        self.relink("virtfn1", "../0000:ff:1f.7")
        pf = self.inventory()
        vf1 = pf["vfs"][1]
        self.assertEqual(vf1["address"], "0000:ff:1f.7")
        self.assertTrue(any("points nowhere" in w for w in vf1["warnings"]))
        # the arithmetic cross-check notices the wrong address too
        self.assertTrue(any("offset" in w for w in vf1["warnings"]))
        self.assertEqual(pf["vfs"][0]["warnings"], [])
        self.assertEqual(pf["vfs"][2]["warnings"], [])

    def test_virtfn_link_loop(self):
        self.relink("virtfn2", "virtfn2")
        pf = self.inventory()
        self.assertTrue(pf["vfs"][2]["warnings"])

    def test_virtfn_not_an_address(self):
        self.relink("virtfn0", "../garbage")
        pf = self.inventory()
        self.assertIsNone(pf["vfs"][0]["address"])
        self.assertIn("is not a PCI address", pf["vfs"][0]["warnings"][0])

    def test_missing_virtfn(self):
        os.remove(os.path.join(self.pfdir(), "virtfn2"))
        pf = self.inventory()
        self.assert_warns(pf, "sriov_numvfs is 3 but 2 virtfn links exist")

    def test_bad_iommu_group_link(self):
        if not self.man["iommu"]["enabled"]:
            self.skipTest("generated without IOMMU")
        vfdir = os.path.realpath(os.path.join(
            self.root, "sys/bus/pci/devices", self.pf["vfs"][0]["address"]))
        self.relink("iommu_group", "../../../kernel/iommu_groups/abc", vfdir)
        pf = self.inventory()
        self.assertIsNone(pf["vfs"][0]["iommu_group"])
        self.assertIn("iommu_group", pf["vfs"][0]["warnings"][0])

    def test_garbage_numa_and_mac(self):
        self.write("numa_node", "zero\n")
        nd = self.pf["netdevs"][0]
        self.write(f"net/{nd}/address", "not-a-mac\n")
        pf = self.inventory()
        self.assertEqual(pf["numa_node"], -1)
        self.assert_warns(pf, 'numa_node: not a number ("zero")')
        self.assert_warns(pf, f"net/{nd}/address: not a MAC address")

    def test_attribute_is_a_directory(self):
        os.remove(os.path.join(self.pfdir(), "sriov_stride"))
        os.mkdir(os.path.join(self.pfdir(), "sriov_stride"))
        self.assert_warns(self.inventory(), "sriov_stride: unreadable")

    def test_config_cut_short(self):
        p = os.path.join(self.pfdir(), "config")
        with open(p, "r+b") as f:
            f.truncate(100)
        pf = self.inventory()
        self.assertIsNone(pf["sriov_capability"])
        self.assert_warns(pf, "config: 100 bytes")

    def test_config_chain_loops(self):
        p = os.path.join(self.pfdir(), "config")
        with open(p, "r+b") as f:
            cfg = bytearray(f.read())
            # extended capability at 0x100 points back to itself
            hdr = struct.unpack_from("<I", cfg, 0x100)[0]
            struct.pack_into("<I", cfg, 0x100, (hdr & 0xfffff) | (0x100 << 20))
            f.seek(0)
            f.write(cfg)
        pf = self.inventory()
        self.assert_warns(pf, "capability chain loops")

    def test_config_standard_chain_loops(self):
        p = os.path.join(self.pfdir(), "config")
        with open(p, "r+b") as f:
            cfg = bytearray(f.read())
            first = cfg[0x34] & 0xfc
            cfg[first + 1] = first  # the first capability's next is itself
            f.seek(0)
            f.write(cfg)
        self.assert_warns(self.inventory(), "capability chain loops")

    def test_everything_garbage_at_once(self):
        for attr in ("vendor", "device", "class", "sriov_totalvfs",
                     "sriov_numvfs", "sriov_offset", "sriov_stride",
                     "sriov_vf_device", "sriov_drivers_autoprobe",
                     "numa_node", "driver_override", "revision",
                     "local_cpulist"):
            self.write(attr, "\x01\x02garbage\xff" * 3)
        with open(os.path.join(self.pfdir(), "config"), "wb") as f:
            f.write(os.urandom(4096))
        pf = self.inventory()
        self.assertGreaterEqual(len(pf["warnings"]), 10)


if __name__ == "__main__":
    unittest.main()
