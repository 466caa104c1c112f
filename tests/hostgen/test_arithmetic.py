#!/usr/bin/env python3
"""VF placement: rid = (bus << 8 | devfn) + First VF Offset + VF Stride * i."""

import os
import unittest

from hostgen_testlib import HostCase, dev_dir, read

from hostgen.cpus import cpulist, cpumask
from hostgen.pciaddr import PciAddr, vf_addr


def vf_addrs(pf):
    return [vf["address"] for vf in pf["vfs"]]


def bus_of(addr):
    return int(addr[5:7], 16)


class ArithmeticTest(HostCase):
    def test_x520_interleaving(self):
        out, man = self.generate("--card", "x520:vfs=3")
        pf0, pf1 = man["pfs"]
        b = pf0["address"][:8]
        self.assertEqual(pf0["address"], b + "00.0")
        self.assertEqual(vf_addrs(pf0), [b + "10.0", b + "10.2", b + "10.4"])
        self.assertEqual(vf_addrs(pf1), [b + "10.1", b + "10.3", b + "10.5"])
        self.assertEqual((pf0["vf_offset"], pf0["vf_stride"]), (128, 2))
        self.assertEqual((pf1["vf_offset"], pf1["vf_stride"]), (128, 2))

    def test_x520_full_64_stays_on_bus(self):
        out, man = self.generate("--card", "x520:vfs=64")
        pf0, pf1 = man["pfs"]
        b = pf0["address"][:8]
        self.assertEqual(vf_addrs(pf0)[-1], b + "1f.6")
        self.assertEqual(vf_addrs(pf1)[-1], b + "1f.7")
        rp = dev_dir(out, pf0["upstream"][0])
        self.assertEqual(read(rp, "secondary_bus_number"), read(rp, "subordinate_bus_number"))

    def test_i350_next_bus(self):
        out, man = self.generate("--card", "i350:vfs=8")
        self.assertEqual(len(man["pfs"]), 4)
        for k, pf in enumerate(man["pfs"]):
            bb = bus_of(pf["address"])
            self.assertEqual(pf["address"], "0000:%02x:00.%d" % (bb, k))
            self.assertEqual((pf["vf_offset"], pf["vf_stride"]), (384, 4))
            expect = ["0000:%02x:%02x.%d" % (bb + 1, 0x10 + (k + 4 * i) // 8, (k + 4 * i) % 8)
                      for i in range(8)]
            self.assertEqual(vf_addrs(pf), expect)
        # the VFs live on a virtual bus below the same root port
        rp = dev_dir(out, man["pfs"][0]["upstream"][0])
        self.assertEqual(int(read(rp, "subordinate_bus_number")), bus_of(man["pfs"][0]["address"]) + 1)
        vbus = "0000:%02x" % (bus_of(man["pfs"][0]["address"]) + 1)
        self.assertTrue(os.path.isdir(os.path.join(rp, "pci_bus", vbus)))
        self.assertTrue(os.path.islink(os.path.join(out, "sys/class/pci_bus", vbus)))
        vf = dev_dir(out, man["pfs"][0]["vfs"][0]["address"])
        self.assertEqual(os.path.dirname(vf), rp)
        self.assertEqual(read(vf, "ari_enabled"), "0\n")      # virtual bus: no bridge above

    def test_e810_128_vfs_spill_to_next_bus(self):
        out, man = self.generate("--card", "e810:vfs=128")
        pf0, pf1 = man["pfs"]
        bb = bus_of(pf0["address"])
        self.assertEqual((pf0["vf_offset"], pf1["vf_offset"]), (8, 8 + 128 - 1))
        a0 = vf_addrs(pf0)
        self.assertEqual(a0[0], "0000:%02x:01.0" % bb)
        self.assertEqual(a0[-1], "0000:%02x:10.7" % bb)       # rid + 8 + 127 = 135
        a1 = vf_addrs(pf1)
        self.assertEqual(a1[0], "0000:%02x:11.0" % bb)        # 1 + 135 = 136 = 0x88
        self.assertEqual(a1[119], "0000:%02x:1f.7" % bb)      # 136 + 119 = 255
        self.assertEqual(a1[120], "0000:%02x:00.0" % (bb + 1))
        self.assertEqual(a1[-1], "0000:%02x:00.7" % (bb + 1))
        rp = dev_dir(out, pf0["upstream"][0])
        self.assertEqual(int(read(rp, "subordinate_bus_number")), bb + 1)
        self.assertEqual(len(set(a0 + a1)), 256)

    def test_e810_256_vfs_each_three_buses(self):
        out, man = self.generate("--card", "e810:vfs=256,total=256")
        pf0, pf1 = man["pfs"]
        bb = bus_of(pf0["address"])
        self.assertEqual(pf1["vf_offset"], 8 + 256 - 1)
        self.assertEqual(vf_addrs(pf1)[-1], "0000:%02x:00.7" % (bb + 2))   # 8 + 511 = 0x207
        rp = dev_dir(out, pf0["upstream"][0])
        self.assertEqual(int(read(rp, "subordinate_bus_number")), bb + 2)

    def test_cx6_offsets(self):
        out, man = self.generate("--card", "cx6:vfs=8")
        pf0, pf1 = man["pfs"]
        self.assertEqual((pf0["vf_offset"], pf1["vf_offset"]), (2, 9))
        bb = pf0["address"][:8]
        self.assertEqual(vf_addrs(pf0), [bb + "00.%d" % i for i in range(2, 8)] + [bb + "01.0",
                                                                               bb + "01.1"])
        self.assertEqual(vf_addrs(pf1)[0], bb + "01.2")

    def test_igb_total_7_vs_8(self):
        out, man = self.generate("--card", "igb:vfs=7")
        pf = man["pfs"][0]
        self.assertEqual(pf["total_vfs"], 7)                    # driver limit (igb)
        d = dev_dir(out, pf["address"])
        with open(os.path.join(d, "config"), "rb") as fh:
            cfg = fh.read()
        self.assertEqual(int.from_bytes(cfg[0x160 + 0x0E:0x160 + 0x10], "little"), 8)
        self.assertEqual(vf_addrs(pf)[:3], [pf["address"][:8] + x for x in ("10.0", "10.2", "10.4")])
        # unbound PF: driver_max_VFs is reset, sysfs shows the config value
        out, man = self.generate("--card", "igb:pfdriver=none")
        self.assertEqual(man["pfs"][0]["total_vfs"], 8)
        proc_err = self.generate_error("--card", "igb:vfs=8")
        self.assertIn("exceeds", proc_err)

    def test_nvme_offsets(self):
        out, man = self.generate("--card", "nvme:vfs=9,total=9")
        pf = man["pfs"][0]
        bb = pf["address"][:8]
        self.assertEqual(vf_addrs(pf), [bb + "00.%d" % i for i in range(1, 8)] +
                         [bb + "01.0", bb + "01.1"])
        self.assertEqual(read(dev_dir(out, pf["address"]), "sriov_vf_device"), "10\n")

    def generate_error(self, *args):
        from hostgen_testlib import run_hostgen
        proc = run_hostgen([os.path.join(self.tmp, "bad")] + list(args), check=False)
        self.assertEqual(proc.returncode, 2)
        return proc.stderr


class UnitTest(HostCase):
    def test_vf_addr(self):
        pf = PciAddr.make(0, 0x3b, 0, 1)
        self.assertEqual(str(vf_addr(pf, 384, 4, 1)), "0000:3c:10.5")
        self.assertEqual(str(vf_addr(PciAddr.make(0, 0x3b, 0, 0), 8, 1, 248)), "0000:3c:00.0")

    def test_cpu_formats(self):
        self.assertEqual(cpulist([0, 1, 2, 3, 8, 10, 11]), "0-3,8,10-11")
        self.assertEqual(cpumask(range(16), 16), "ffff")
        self.assertEqual(cpumask(range(8), 8), "ff")
        self.assertEqual(cpumask(range(4, 8), 8), "f0")
        self.assertEqual(cpumask(range(32), 64), "00000000,ffffffff")
        self.assertEqual(cpumask(range(24, 48), 48), "ffff,ff000000")
        self.assertEqual(cpumask(range(40), 40), "ff,ffffffff")


if __name__ == "__main__":
    unittest.main()
