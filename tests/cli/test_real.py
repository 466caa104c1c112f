# SPDX-License-Identifier: MIT
"""A real host's sysfs: a cloud VM with an H100 and no SR-IOV device."""
import os
import tarfile
import unittest

from common import TreeTest, sriovctl

TARBALL = os.path.join(os.environ["SOURCE_ROOT"], "tests", "data", "real",
                       "h100-cloud-vm-sysfs.tar.gz")


class RealHost(TreeTest):
    def setUp(self):
        super().setUp()
        with tarfile.open(TARBALL) as t:
            t.extractall(self.tmp)
        self.root = self.path("root")

    def test_no_pfs_iommu_off(self):
        inv = sriovctl("list", "--json", root=self.root, check=0).json()
        self.assertEqual(inv["pfs"], [])
        # the capture has no /sys/kernel/iommu_groups: the IOMMU is off
        self.assertFalse(os.path.exists(self.path("root/sys/kernel/iommu_groups")))
        self.assertEqual(inv["iommu"], {"enabled": False, "groups": 0})
        self.assertIn("console=ttyS0", inv["cmdline"])

    def test_text_and_errors(self):
        r = sriovctl("list", root=self.root, check=0)
        self.assertIn("no SR-IOV devices", r.out)
        self.assertEqual(r.err, "")
        r = sriovctl("show", "eth0", root=self.root, check=1)
        self.assertIn("eth0 is PCI device 0000:00:03.0 (driver virtio-pci), which has no SR-IOV", r.err)
        r = sriovctl("show", "00:06.0", root=self.root, check=1)
        self.assertIn("0000:00:06.0 (driver nvidia) has no SR-IOV", r.err)
        r = sriovctl("show", "lo", root=self.root, check=1)
        self.assertIn("lo is a network interface without a PCI device", r.err)
        r = sriovctl("show", "0000:00:1f.0", root=self.root, check=1)
        self.assertIn("no SR-IOV PF or VF named '0000:00:1f.0'", r.err)

    def test_check(self):
        r = sriovctl("check", "--json", root=self.root, check=1)
        f = {x["id"]: x for x in r.json()["findings"]}
        self.assertEqual(r.err, "")
        # a cloud VM: no VT-x exposed, no DMAR table, no IOMMU
        self.assertEqual(f["cpu.virt"]["severity"], "warn")
        self.assertEqual(f["iommu.firmware"]["severity"], "fail")
        self.assertEqual(f["iommu.active"]["severity"], "fail")
        self.assertIn("/sys/class/iommu is missing", f["iommu.active"]["evidence"])
        r = sriovctl("check", "eth0", "00:06.0", root=self.root, check=1)
        self.assertIn("0000:00:06.0: /sys/bus/pci/devices/0000:00:06.0/config has no SR-IOV capability",
                      r.out)


if __name__ == "__main__":
    unittest.main()
