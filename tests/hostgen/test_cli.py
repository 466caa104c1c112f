#!/usr/bin/env python3
"""Command-line behaviour: errors, OUT_DIR handling, determinism."""

import json
import os
import unittest

from hostgen_testlib import HostCase, run_hostgen, walk

BAD_ARGS = [
    ["--card", "e810:vfs=129"],                 # vfs > total
    ["--card", "x520:vfs=64"],                  # > ixgbe's 63
    ["--card", "i350:vfs=8"],                   # > igb's 7
    ["--card", "igb:vfs=8"],                    # > sriov_totalvfs 7
    ["--card", "i350:ari=maybe"],
    ["--card", "cx6:ari=off"],                  # no offset without ARI on record
    ["--card", "i350:bus=0"],                   # the root bus
    ["--card", "i350:bus=1x"],
    ["--card", "i350:bus=31", "--card", "x520:bus=30"],   # below the buses taken
    ["--card", "e810:vfs=4,total=2"],
    ["--card", "bogus"],                        # unknown profile
    ["--card", "e810:colour=red"],              # unknown key
    ["--card", "e810:vfs"],                     # not key=value
    ["--card", "e810:vfs=-1"],
    ["--card", "e810:vfs=two"],
    ["--card", "e810:vfs=1/2/3"],               # 3 values, 2 PFs
    ["--card", "e810:vfs=2,vfio=2,unbound=1"],
    ["--card", "e810:pfs=3"],                   # more PFs than ports
    ["--card", "e810:acs=maybe"],
    ["--card", "e810:numa=1"],                  # only one node
    ["--card", "e810:vfs=1,vfs=2"],
    ["--card", "e810:ifname=9bad"],
    ["--card", "boot:vfs=1"],
    ["--iommu", "maybe"],
    ["--cpu", "arm"],
    ["--numa-nodes", "0"],
    ["--numa-nodes", "x"],
    ["--no-such-option"],
    ["--card", "e810:ifname=averyverylongname"],   # interface name > 15 chars
]


def load(path):
    with open(path) as fh:
        return json.load(fh)


class CliTest(HostCase):
    def out(self, name="out"):
        return os.path.join(self.tmp, name)

    def test_bad_arguments_exit_2_one_line(self):
        for args in BAD_ARGS:
            with self.subTest(args=args):
                proc = run_hostgen([self.out()] + args, check=False)
                self.assertEqual(proc.returncode, 2, proc.stderr)
                self.assertEqual(proc.stdout, "")
                lines = proc.stderr.splitlines()
                self.assertEqual(len(lines), 1, proc.stderr)
                self.assertTrue(lines[0].startswith("sriov-hostgen: error: "), lines[0])
                self.assertFalse(os.path.exists(self.out()), "nothing is written on error")

    def test_missing_out_dir(self):
        proc = run_hostgen([], check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertEqual(len(proc.stderr.splitlines()), 1)

    def test_help(self):
        proc = run_hostgen(["--help"])
        self.assertIn("--card", proc.stdout)
        self.assertIn("e810", proc.stdout)

    def test_non_empty_out_dir(self):
        out = self.out()
        os.makedirs(out)
        with open(os.path.join(out, "keep"), "w") as fh:
            fh.write("x")
        proc = run_hostgen([out, "--card", "e810"], check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("not empty", proc.stderr)
        self.assertTrue(os.path.exists(os.path.join(out, "keep")))
        run_hostgen([out, "--card", "e810", "--force"])
        self.assertFalse(os.path.exists(os.path.join(out, "keep")))
        self.assertTrue(os.path.isdir(os.path.join(out, "sys/bus/pci/devices")))
        # an existing empty directory is fine without --force
        empty = self.out("empty")
        os.makedirs(empty)
        run_hostgen([empty])

    def test_deterministic(self):
        args = ["--card", "e810:vfs=5,vfio=2", "--card", "cx6:vfs=3/1", "--numa-nodes", "2",
                "--seed", "7"]
        run_hostgen([self.out("a"), "--manifest", self.out("a.json")] + args)
        run_hostgen([self.out("b"), "--manifest", self.out("b.json")] + args)
        a, b = walk(self.out("a")), walk(self.out("b"))
        self.assertEqual(sorted(a), sorted(b))
        self.assertEqual(a, b)
        ma, mb = load(self.out("a.json")), load(self.out("b.json"))
        ma.pop("root"), mb.pop("root")
        self.assertEqual(ma, mb)
        # another seed changes the MAC addresses only
        run_hostgen([self.out("c"), "--manifest", self.out("c.json")] + args[:-1] + ["8"])
        c = walk(self.out("c"))
        self.assertEqual(sorted(a), sorted(c))
        diff = sorted(p for p in a if a[p] != c[p])
        self.assertTrue(diff)
        self.assertTrue(all(p.endswith("/address") for p in diff), diff)

    def test_default_host_has_boot_drive_only(self):
        _, man = self.generate()
        self.assertEqual(man["pfs"], [])
        self.assertEqual(man["devices"], ["0000:00:00.0", "0000:00:01.0", "0000:01:00.0"])
        self.assertEqual(man["schema"], "sriovctl.inventory/v1")

    def test_manifest_shape(self):
        out, man = self.generate("--card", "e810:vfs=2,vfio=1", "--card", "nvme:vfs=1")
        self.assertEqual(man["root"], out)
        self.assertEqual([pf["address"] for pf in man["pfs"]],
                         sorted(pf["address"] for pf in man["pfs"]))
        pf = man["pfs"][0]
        self.assertEqual(set(pf), {"address", "vendor_id", "device_id", "driver", "netdevs",
                                   "numa_node", "total_vfs", "num_vfs", "vf_device_id",
                                   "vf_offset", "vf_stride", "drivers_autoprobe",
                                   "iommu_group", "upstream", "vfs"})
        self.assertEqual(set(pf["vfs"][0]), {"index", "address", "driver", "driver_override",
                                             "netdev", "mac", "iommu_group",
                                             "iommu_group_devices"})
        self.assertEqual(pf["vfs"][0]["driver"], "iavf")
        self.assertEqual(pf["vfs"][1]["driver"], "vfio-pci")
        self.assertEqual(pf["vfs"][1]["driver_override"], "vfio-pci")
        self.assertIsNone(pf["vfs"][1]["netdev"])
        self.assertIsNone(pf["vfs"][1]["mac"])
        nvme = [p for p in man["pfs"] if p["device_id"] == "0010"][0]
        self.assertEqual(nvme["netdevs"], [])
        self.assertEqual(nvme["vfs"][0]["driver"], "nvme")
        self.assertIsNone(nvme["vfs"][0]["netdev"])
        self.assertEqual(nvme["vf_device_id"], "0010")

    def test_driver_keys(self):
        _, man = self.generate("--card", "x520:vfs=4,vfio=1,unbound=1",
                               "--card", "i350:vfs=2,autoprobe=0",
                               "--card", "e810:vfs=1,pfdriver=none,ifname=uplink")
        x520 = [p for p in man["pfs"] if p["device_id"] == "10fb"][0]
        self.assertEqual([v["driver"] for v in x520["vfs"]], ["ixgbevf", "ixgbevf", None, "vfio-pci"])
        i350 = [p for p in man["pfs"] if p["device_id"] == "1521"]
        self.assertTrue(all(v["driver"] is None for p in i350 for v in p["vfs"]))
        self.assertTrue(all(not p["drivers_autoprobe"] for p in i350))
        e810 = [p for p in man["pfs"] if p["device_id"] == "1592"]
        self.assertTrue(all(p["driver"] is None and p["netdevs"] == [] for p in e810))
        self.assertEqual(e810[0]["vfs"][0]["netdev"], "uplink0v0")

    def test_link_down(self):
        out, man = self.generate("--card", "x520:vfs=1,link=down")
        nd = os.path.join(out, "sys/class/net", man["pfs"][0]["netdevs"][0])
        with open(os.path.join(nd, "operstate")) as fh:
            self.assertEqual(fh.read(), "down\n")
        with open(os.path.join(nd, "speed")) as fh:
            self.assertEqual(fh.read(), "-1\n")
        with open(os.path.join(nd, "carrier")) as fh:
            self.assertEqual(fh.read(), "0\n")


if __name__ == "__main__":
    unittest.main()
