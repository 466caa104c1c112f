# SPDX-License-Identifier: MIT
"""PFs on the netdevsim bus, laid out as Linux 6.1's netdevsim does."""
import os
import unittest

from common import TreeTest, hostgen, sriovctl


class Netdevsim(TreeTest):
    def setUp(self):
        super().setUp()
        self.root = self.path("host")
        self.man = hostgen(self.root, "x520:pfs=1,vfs=1")
        r = self.root
        dev = f"{r}/sys/devices/netdevsim1"
        os.makedirs(f"{dev}/net/eni1np1")
        os.makedirs(f"{r}/sys/bus/netdevsim/devices")
        os.makedirs(f"{r}/sys/bus/netdevsim/drivers/netdevsim")
        os.symlink("../../../devices/netdevsim1",
                   f"{r}/sys/bus/netdevsim/devices/netdevsim1")
        os.symlink("../../bus/netdevsim/drivers/netdevsim", f"{dev}/driver")
        for name, value in (("sriov_numvfs", "4\n"), ("new_port", ""),
                            ("del_port", "")):
            with open(f"{dev}/{name}", "w") as f:
                f.write(value)
        for name, value in (("address", "ce:7a:4d:1b:00:01\n"),
                            ("operstate", "up\n"), ("mtu", "1500\n"),
                            ("ifindex", "9\n")):
            with open(f"{dev}/net/eni1np1/{name}", "w") as f:
                f.write(value)
        os.symlink("../../devices/netdevsim1/net/eni1np1",
                   f"{r}/sys/class/net/eni1np1")
        os.makedirs(f"{r}/sys/kernel/debug/netdevsim/netdevsim1")
        with open(f"{r}/sys/kernel/debug/netdevsim/netdevsim1/max_vfs", "w") as f:
            f.write("8\n")

    def test_listed_after_pci(self):
        inv = sriovctl("list", "--json", root=self.root, check=0).json()
        self.assertEqual([p["bus"] for p in inv["pfs"]], ["pci", "netdevsim"])
        pf = inv["pfs"][1]
        self.assertEqual(pf["address"], "netdevsim1")
        self.assertEqual(pf["driver"], "netdevsim")
        self.assertEqual(pf["netdevs"], ["eni1np1"])
        self.assertEqual(pf["num_vfs"], 4)
        self.assertEqual(pf["total_vfs"], 8)  # debugfs max_vfs
        self.assertEqual([v["index"] for v in pf["vfs"]], [0, 1, 2, 3])
        self.assertTrue(all(v["address"] is None for v in pf["vfs"]))
        self.assertEqual(pf["warnings"], [])
        self.assertIsNone(pf["config_space"])
        # no PCI device: no ids, no VF arithmetic, nothing to bind
        for k in ("vendor_id", "device_id", "class", "vf_device_id",
                  "vf_offset", "vf_stride", "drivers_autoprobe"):
            self.assertIsNone(pf[k], k)
        self.assertEqual(pf["vf_drivers"], {})
        # a generated tree is not the live kernel: no rtnetlink view
        self.assertEqual(pf["vf_links"], "not-queried")
        self.assertTrue(all(v["link"] is None for v in pf["vfs"]))

    def test_named_by_device_netdev_and_vf(self):
        for name in ("netdevsim1", "eni1np1"):
            inv = sriovctl("show", "--json", name, root=self.root, check=0).json()
            self.assertEqual(inv["pfs"][0]["address"], "netdevsim1")
        out = sriovctl("show", "--json", "eni1np1/vf3", root=self.root,
                       check=0).json()
        self.assertEqual(out["pf"], "netdevsim1")
        self.assertEqual(out["vf"]["index"], 3)
        sriovctl("show", "eni1np1/vf4", root=self.root, check=1)

    def test_text(self):
        out = sriovctl("list", root=self.root, check=0).out
        self.assertIn("netdevsim1", out)
        row = next(l for l in out.splitlines() if l.startswith("netdevsim1"))
        self.assertNotIn("0000:0000", row)
        self.assertNotIn("none", row)
        out = sriovctl("show", "eni1np1", root=self.root, check=0).out
        self.assertIn("4 of 8 VFs", out)
        self.assertNotIn("0000:0000", out)


if __name__ == "__main__":
    unittest.main()
