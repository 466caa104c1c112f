# SPDX-License-Identifier: MIT
"""sriovctl list/show --json against the generator's ground truth."""
import os
import unittest

from common import TreeTest, hostgen, sriovctl

PF_FIELDS = ["address", "vendor_id", "device_id", "driver", "netdevs",
             "numa_node", "total_vfs", "num_vfs", "vf_device_id",
             "vf_offset", "vf_stride", "drivers_autoprobe", "iommu_group"]
VF_FIELDS = ["index", "address", "driver", "driver_override", "netdev",
             "mac", "iommu_group"]

# The documented schema (docs/inventory-schema.md): field -> allowed types.
STR, INT, BOOL, NULL, LIST = str, int, bool, type(None), list
PF_TYPES = {
    "address": (STR,), "bus": (STR,), "vendor_id": (STR,),
    "device_id": (STR,), "driver": (STR, NULL), "netdevs": (LIST,),
    "numa_node": (INT,), "total_vfs": (INT,), "num_vfs": (INT,),
    "vf_device_id": (STR,), "vf_offset": (INT,), "vf_stride": (INT,),
    "drivers_autoprobe": (BOOL,), "vfs": (LIST,), "iommu_group": (INT, NULL),
    "warnings": (LIST,), "vendor_name": (STR, NULL),
    "device_name": (STR, NULL), "sriov_capability": (dict, NULL),
    "upstream": (LIST,), "vf_drivers": (dict,), "links": (LIST,),
}
VF_TYPES = {
    "index": (INT,), "address": (STR,), "driver": (STR, NULL),
    "driver_override": (STR, NULL), "netdev": (STR, NULL),
    "mac": (STR, NULL), "iommu_group": (INT, NULL), "warnings": (LIST,),
}


class Inventory(TreeTest):
    def check_types(self, inv):
        self.assertEqual(inv["schema"], "sriovctl.inventory/v1")
        self.assertIsInstance(inv["root"], str)
        self.assertIsInstance(inv["iommu"]["enabled"], bool)
        self.assertIsInstance(inv["iommu"]["groups"], int)
        for pf in inv["pfs"]:
            for k, types in PF_TYPES.items():
                self.assertIn(k, pf)
                self.assertIsInstance(pf[k], types, f"PF field {k}")
            self.assertRegex(pf["address"], r"^[0-9a-f]{4,5}:[0-9a-f]{2}:[0-1][0-9a-f]\.[0-7]$")
            for k in ("vendor_id", "device_id", "vf_device_id"):
                self.assertRegex(pf[k], r"^[0-9a-f]{4}$")
            for vf in pf["vfs"]:
                for k, types in VF_TYPES.items():
                    self.assertIn(k, vf)
                    self.assertIsInstance(vf[k], types, f"VF field {k}")
                if vf["mac"] is not None:
                    self.assertRegex(vf["mac"], r"^([0-9a-f]{2}:){5}[0-9a-f]{2}$")

    def compare(self, inv, man, peers=False):
        self.check_types(inv)
        self.assertEqual(inv["iommu"], man["iommu"])
        self.assertEqual([p["address"] for p in inv["pfs"]],
                         [p["address"] for p in man["pfs"]])
        for got, want in zip(inv["pfs"], man["pfs"]):
            where = want["address"]
            for k in PF_FIELDS:
                self.assertEqual(got[k], want[k], f"{where} {k}")
            self.assertEqual([u["address"] for u in got["upstream"]],
                             want["upstream"], f"{where} upstream")
            self.assertEqual(got["warnings"], [], f"{where} warnings")
            self.assertEqual(len(got["vfs"]), len(want["vfs"]), where)
            for gv, wv in zip(got["vfs"], want["vfs"]):
                for k in VF_FIELDS:
                    self.assertEqual(gv[k], wv[k], f"{where} vf{wv['index']} {k}")
                self.assertEqual(gv["warnings"], [], f"{where} vf{wv['index']}")
                if peers:
                    self.assertEqual(gv["iommu_group_devices"],
                                     wv.get("iommu_group_devices"),
                                     f"{where} vf{wv['index']} group")
            # the decoded capability agrees with sysfs (as root: 4 KiB config)
            cap = got["sriov_capability"]
            if got["config_space"]["readable_bytes"] == 4096:
                self.assertIsNotNone(cap, where)
                self.assertEqual(cap["num_vfs"], want["num_vfs"])
                self.assertEqual(cap["first_vf_offset"], want["vf_offset"])
                self.assertEqual(cap["vf_stride"], want["vf_stride"])
                self.assertEqual(cap["vf_device_id"], want["vf_device_id"])
                self.assertEqual(cap["vf_enable"], want["num_vfs"] > 0)
                self.assertGreaterEqual(cap["total_vfs"], want["total_vfs"])

    def gen_and_compare(self, *cards, **opts):
        root = self.path("host")
        man = hostgen(root, *cards, **opts)
        inv = sriovctl("list", "--json", root=root, check=0).json()
        self.assertEqual(inv["root"], root)
        self.compare(inv, man)
        return root, man, inv

    def test_e810_mixed_drivers(self):
        root, man, inv = self.gen_and_compare(
            "e810:pfs=2,vfs=8,vfio=2,unbound=1")
        pf = inv["pfs"][0]
        self.assertEqual(pf["driver"], "ice")
        self.assertEqual(pf["vf_drivers"], {"iavf": 5, "none": 1, "vfio-pci": 2})
        self.assertEqual(pf["vendor_id"], "8086")

    def test_each_profile(self):
        for prof in ("e810", "cx6", "x520", "i350", "igb", "nvme"):
            with self.subTest(profile=prof):
                root = self.path(prof)
                man = hostgen(root, f"{prof}:vfs=3")
                inv = sriovctl("list", "--json", root=root, check=0).json()
                self.compare(inv, man)
                self.assertTrue(all(p["num_vfs"] == 3 for p in inv["pfs"]))

    def test_zero_vfs_pf_is_listed(self):
        root, man, inv = self.gen_and_compare("cx6:vfs=0")
        self.assertEqual(len(inv["pfs"]), 2)
        self.assertTrue(all(p["num_vfs"] == 0 and p["vfs"] == [] for p in inv["pfs"]))
        self.assertTrue(all(p["total_vfs"] > 0 for p in inv["pfs"]))

    def test_non_contiguous_vfs(self):
        root, man, inv = self.gen_and_compare("x520:vfs=3")
        self.assertEqual([v["address"] for v in inv["pfs"][0]["vfs"]],
                         [a.replace("X", inv["pfs"][0]["address"][5:7])
                          for a in ("0000:X:10.0", "0000:X:10.2", "0000:X:10.4")])
        self.assertEqual(inv["pfs"][1]["vfs"][0]["address"][-4:], "10.1")

    def test_i350_vfs_on_own_bus(self):
        # as the seed's I350: First VF Offset 128 with ARI, sriov_totalvfs 7 (igb)
        root, man, inv = self.gen_and_compare("i350:pfs=2,vfs=2")
        pf = inv["pfs"][1]
        bus = int(pf["address"][5:7], 16)
        self.assertEqual(pf["vfs"][1]["address"], f"0000:{bus:02x}:10.5")
        self.assertEqual(pf["total_vfs"], 7)

    def test_i350_vfs_on_next_bus_without_ari(self):
        root, man, inv = self.gen_and_compare("i350:pfs=2,vfs=2,ari=off")
        pf = inv["pfs"][1]
        bus = int(pf["address"][5:7], 16)
        self.assertEqual(pf["vfs"][1]["address"], f"0000:{bus + 1:02x}:10.5")

    def test_igb_driver_limits_total(self):
        root, man, inv = self.gen_and_compare("igb:vfs=2")
        pf = inv["pfs"][0]
        self.assertEqual(pf["total_vfs"], 7)
        if pf["sriov_capability"]:
            self.assertEqual(pf["sriov_capability"]["total_vfs"], 8)

    def test_autoprobe_off(self):
        root, man, inv = self.gen_and_compare("x520:pfs=1,vfs=4,autoprobe=0")
        pf = inv["pfs"][0]
        self.assertFalse(pf["drivers_autoprobe"])
        self.assertTrue(all(v["driver"] is None for v in pf["vfs"]))

    def test_acs_off_shares_group(self):
        root = self.path("host")
        man = hostgen(root, "e810:pfs=1,vfs=4,acs=off")
        inv = sriovctl("show", "--json", man["pfs"][0]["address"],
                       root=root, check=0).json()
        self.compare(inv, man, peers=True)
        groups = {v["iommu_group"] for v in inv["pfs"][0]["vfs"]}
        self.assertEqual(len(groups), 1)
        self.assertIn(inv["pfs"][0]["address"],
                      inv["pfs"][0]["vfs"][0]["iommu_group_devices"])

    def test_acs_on_separate_groups(self):
        root = self.path("host")
        man = hostgen(root, "e810:pfs=1,vfs=4")
        inv = sriovctl("show", "--json", man["pfs"][0]["address"],
                       root=root, check=0).json()
        self.compare(inv, man, peers=True)
        vfs = inv["pfs"][0]["vfs"]
        self.assertEqual(len({v["iommu_group"] for v in vfs}), 4)
        for v in vfs:
            self.assertEqual(v["iommu_group_devices"], [v["address"]])
        up = inv["pfs"][0]["upstream"][-1]["config_space"]
        if up and up["readable_bytes"] == 4096:
            self.assertTrue(up["acs"]["isolated"])

    def test_iommu_off(self):
        root, man, inv = self.gen_and_compare("e810:vfs=2", iommu="off")
        self.assertEqual(inv["iommu"], {"enabled": False, "groups": 0})
        for pf in inv["pfs"]:
            self.assertIsNone(pf["iommu_group"])
            self.assertTrue(all(v["iommu_group"] is None for v in pf["vfs"]))

    def test_two_numa_nodes_and_many_cards(self):
        self.gen_and_compare("e810:vfs=4,numa=0", "cx6:vfs=2,numa=1",
                             "i350:vfs=1", "x520:vfs=2", numa_nodes=2)

    def test_ari_spill_over_bus(self):
        root, man, inv = self.gen_and_compare("e810:pfs=2,vfs=128")
        last = inv["pfs"][1]["vfs"][-1]["address"]
        self.assertNotEqual(last[5:7], inv["pfs"][1]["address"][5:7])

    def test_samples_match_their_manifests(self):
        import json
        samples = os.path.join(os.environ["SOURCE_ROOT"], "samples", "hosts")
        names = sorted(n for n in os.listdir(samples)
                       if os.path.isdir(os.path.join(samples, n)))
        self.assertGreaterEqual(len(names), 2)
        for n in names:
            with self.subTest(sample=n):
                with open(os.path.join(samples, n + ".manifest.json")) as f:
                    man = json.load(f)
                inv = sriovctl("list", "--json",
                               root=os.path.join(samples, n), check=0).json()
                self.compare(inv, man)


if __name__ == "__main__":
    unittest.main()
