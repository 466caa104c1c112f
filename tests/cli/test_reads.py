# SPDX-License-Identifier: MIT
"""What list and show read: nothing they do not print (a VF's MTU, IOMMU
group members), each VF directory opened from its PF's parent, not walked
from the root again, and a shared IOMMU group listed once, when the model
is loaded, not by the renderer for every VF (strace of the syscalls)."""
import os
import re
import shutil
import subprocess
import unittest

from common import SRIOVCTL, TreeTest, hostgen


@unittest.skipUnless(shutil.which("strace"), "strace missing (dev.sh installs it)")
class Reads(TreeTest):
    def setUp(self):
        super().setUp()
        self.root = self.path("host")
        self.man = hostgen(self.root, "e810:pfs=1,vfs=8,ifname=ens1f")

    def trace(self, *args):
        log = self.path("strace.log")
        # LeakSanitizer cannot run under ptrace
        asan = ":".join(filter(None, [os.environ.get("ASAN_OPTIONS"),
                                      "detect_leaks=0"]))
        subprocess.run(["env", "ASAN_OPTIONS=" + asan,
                        "strace", "-f", "-o", log, "-e",
                        "trace=openat,openat2,readlinkat", SRIOVCTL,
                        "--root", self.root, *args],
                       check=True, stdout=subprocess.DEVNULL)
        with open(log) as f:
            return f.read()

    def test_list_reads_no_vf_mtu(self):
        for args in (["list", "--json"], ["list"], ["show", "ens1f0"]):
            log = self.trace(*args)
            self.assertIn("/address", log, args)  # VF MACs are shown
            self.assertNotRegex(log, r'"net/ens1f0v\d+/mtu"', args)

    def test_list_table_reads_each_vf_driver_only(self):
        # the table shows a VF's driver (the PF's mix), nothing else of it
        log = self.trace("list")
        drivers = [l for l in log.splitlines()
                   if re.search(r'readlinkat\(\d+, "driver"', l)]
        self.assertEqual(len(drivers), 1 + 8, drivers)  # the PF, its VFs
        vf_part = log[log.index('"virtfn0"'):]  # the PF's own reads first
        for attr in ("driver_override", "iommu_group", "physfn"):
            self.assertNotIn(f'"{attr}"', vf_part, attr)
        self.assertNotRegex(log, r'"net/ens1f0v\d+/address"')
        # nor the interface map that finds the VFs' netdevs
        self.assertNotRegex(log, r'readlinkat\(\d+, "ens1f0v\d+"')
        # list --json shows them all: each is read there
        log = self.trace("list", "--json")
        vf_part = log[log.index('"virtfn0"'):]
        for attr in ("driver_override", "iommu_group", "physfn"):
            self.assertIn(f'"{attr}"', vf_part, attr)
        self.assertRegex(log, r'"net/ens1f0v\d+/address"')

    def test_vf_directories_from_the_pf_parent(self):
        log = self.trace("list", "--json")
        vfs = [v["address"] for v in self.man["pfs"][0]["vfs"]]
        for a in vfs:
            opens = [l for l in log.splitlines()
                     if "openat2" in l and re.search(r'"[^"]*%s"' % re.escape(a), l)]
            self.assertTrue(opens, a)
            # one component below an fd, not sys/devices/... from the root
            self.assertIn(f'"{a}"', opens[0], opens[0])

    def test_group_members_read_once_at_load(self):
        root = self.path("shared")
        hostgen(root, "e810:pfs=1,vfs=8,ifname=ens1f,acs=off")
        group = re.compile(r'"sys/kernel/iommu_groups/\d+/devices"')
        for args in (["show", "ens1f0"], ["show", "ens1f0", "--json"],
                     ["show", "ens1f0/vf3"]):
            self.root = root
            lines = [l for l in self.trace(*args).splitlines()
                     if group.search(l)]
            self.assertEqual(len(lines), 1, (args, lines))
        for args in (["list"], ["list", "--json"]):
            self.assertNotRegex(self.trace(*args), group, args)
        out = subprocess.run([SRIOVCTL, "--root", root, "show", "ens1f0"],
                             check=True, capture_output=True,
                             text=True).stdout
        # the root port, the PF and 8 VFs: every VF row names two, +7 more
        self.assertEqual(out.count("(pcieport), 0000:02:00.0 (ice) +7 more"),
                         8, out)


if __name__ == "__main__":
    unittest.main()
