#!/usr/bin/env python3
"""VF placement: rid = (bus << 8 | devfn) + First VF Offset + VF Stride * i."""

import os
import unittest

from hostgen_testlib import PROFILES, HostCase, dev_dir, read

from hostgen.cpus import cpulist, cpumask
from hostgen.pciaddr import PciAddr, vf_addr


def vf_addrs(pf):
    return [vf["address"] for vf in pf["vfs"]]


def bus_of(addr):
    return int(addr[5:7], 16)


def rid(addr):
    """Routing ID of DDDD:BB:DD.F."""
    bus, dev, fn = int(addr[5:7], 16), int(addr[8:10], 16), int(addr[11], 16)
    return bus << 8 | dev << 3 | fn


def sriov_cap(out, addr):
    """The SR-IOV extended capability (at 0x160 in every profile) of a PF."""
    with open(os.path.join(dev_dir(out, addr), "config"), "rb") as fh:
        cfg = fh.read()
    off = 0x160
    assert int.from_bytes(cfg[off:off + 2], "little") == 0x0010, addr

    def u16(o):
        return int.from_bytes(cfg[off + o:off + o + 2], "little")
    return {"ctrl_ari": (u16(0x08) >> 4) & 1, "total": u16(0x0E), "offset": u16(0x14),
            "stride": u16(0x16)}


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

    def test_x520_driver_limit_63_stays_on_bus(self):
        # ixgbe: pci_sriov_set_totalvfs(pdev, IXGBE_MAX_VFS_DRV_LIMIT), 63 of 64
        out, man = self.generate("--card", "x520:vfs=63")
        pf0, pf1 = man["pfs"]
        self.assertEqual((pf0["total_vfs"], pf1["total_vfs"]), (63, 63))
        self.assertEqual(read(dev_dir(out, pf0["address"]), "sriov_totalvfs"), "63\n")
        self.assertEqual(sriov_cap(out, pf0["address"])["total"], 64)
        b = pf0["address"][:8]
        self.assertEqual(vf_addrs(pf0)[-1], b + "1f.4")        # 0x80 + 2*62
        self.assertEqual(vf_addrs(pf1)[-1], b + "1f.5")
        # the bus range covers TotalVFs 64 (pci_iov_bus_range): 0x81 + 2*63 = 0xff
        rp = dev_dir(out, pf0["upstream"][0])
        self.assertEqual(read(rp, "secondary_bus_number"), read(rp, "subordinate_bus_number"))
        self.assertIn("exceeds", self.generate_error("--card", "x520:vfs=64"))

    def test_x520_no_ari_next_bus(self):
        out, man = self.generate("--card", "x520:vfs=2,ari=off")
        pf0, pf1 = man["pfs"]
        bb = bus_of(pf0["address"])
        self.assertEqual((pf0["vf_offset"], pf1["vf_offset"]), (384, 384))
        self.assertEqual(vf_addrs(pf0), ["0000:%02x:10.0" % (bb + 1), "0000:%02x:10.2" % (bb + 1)])
        self.assertEqual(vf_addrs(pf1), ["0000:%02x:10.1" % (bb + 1), "0000:%02x:10.3" % (bb + 1)])

    def test_i350_seed_layout(self):
        # seed 004: sriov_totalvfs 7; lspci -D: PF 31:00.1, VFs 31:10.1 .. 31:13.1
        out, man = self.generate("--card", "i350:vfs=0/7/0/0,bus=31")
        self.assertEqual([p["address"] for p in man["pfs"]],
                         ["0000:31:00.%d" % k for k in range(4)])
        pf = man["pfs"][1]
        self.assertEqual(vf_addrs(pf), ["0000:31:10.1", "0000:31:10.5", "0000:31:11.1",
                                        "0000:31:11.5", "0000:31:12.1", "0000:31:12.5",
                                        "0000:31:13.1"])
        d = dev_dir(out, pf["address"])
        self.assertEqual(pf["total_vfs"], 7)
        self.assertEqual(read(d, "sriov_totalvfs"), "7\n")    # igb_probe_vfs(): 7
        self.assertEqual((read(d, "sriov_offset"), read(d, "sriov_stride")), ("128\n", "4\n"))
        cap = sriov_cap(out, pf["address"])
        self.assertEqual((cap["total"], cap["offset"], cap["stride"]), (8, 0x80, 4))
        self.assertEqual(cap["ctrl_ari"], 0)        # only PF0 holds ARI Capable Hierarchy
        self.assertEqual(sriov_cap(out, man["pfs"][0]["address"])["ctrl_ari"], 1)
        rp = dev_dir(out, pf["upstream"][0])
        self.assertEqual(read(rp, "secondary_bus_number"), "49\n")
        self.assertEqual(read(rp, "subordinate_bus_number"), "49\n")   # all on bus 31
        vf = dev_dir(out, pf["vfs"][0]["address"])
        self.assertEqual(os.path.dirname(vf), rp)
        self.assertEqual(read(vf, "ari_enabled"), "1\n")
        self.assertIn("exceeds", self.generate_error("--card", "i350:vfs=8"))

    def test_i350_no_ari_next_bus(self):
        out, man = self.generate("--card", "i350:vfs=7,ari=off")
        self.assertEqual(len(man["pfs"]), 4)
        for k, pf in enumerate(man["pfs"]):
            bb = bus_of(pf["address"])
            self.assertEqual(pf["address"], "0000:%02x:00.%d" % (bb, k))
            self.assertEqual((pf["vf_offset"], pf["vf_stride"]), (384, 4))
            expect = ["0000:%02x:%02x.%d" % (bb + 1, 0x10 + (k + 4 * i) // 8, (k + 4 * i) % 8)
                      for i in range(7)]
            self.assertEqual(vf_addrs(pf), expect)
        self.assertEqual(sriov_cap(out, man["pfs"][0]["address"])["ctrl_ari"], 0)
        # the VFs live on a virtual bus below the same root port
        rp = dev_dir(out, man["pfs"][0]["upstream"][0])
        self.assertEqual(int(read(rp, "subordinate_bus_number")), bus_of(man["pfs"][0]["address"]) + 1)
        with open(os.path.join(rp, "config"), "rb") as fh:
            cfg = fh.read()
        self.assertEqual(cfg[0x40 + 0x24] & 0x20, 0)           # DevCap2: no ARI Forwarding
        vbus = "0000:%02x" % (bus_of(man["pfs"][0]["address"]) + 1)
        self.assertTrue(os.path.isdir(os.path.join(rp, "pci_bus", vbus)))
        self.assertTrue(os.path.islink(os.path.join(out, "sys/class/pci_bus", vbus)))
        vf = dev_dir(out, man["pfs"][0]["vfs"][0]["address"])
        self.assertEqual(os.path.dirname(vf), rp)
        self.assertEqual(read(vf, "ari_enabled"), "0\n")      # virtual bus: no bridge above

    def test_ari_off_without_a_recorded_offset_is_refused(self):
        for prof in ("e810", "cx6"):
            with self.subTest(profile=prof):
                err = self.generate_error("--card", prof + ":ari=off")
                self.assertIn("ari=off", err)
                self.assertIn("i350", err)

    def test_bus_key(self):
        out, man = self.generate("--card", "x520:bus=0x40", "--card", "igb:bus=41")
        self.assertEqual([p["address"][:8] for p in man["pfs"]],
                         ["0000:40:", "0000:40:", "0000:41:"])
        for bad, msg in (("bus=0", "root bus"), ("bus=zz", "not a bus number"),
                         ("bus=100", "not a bus number")):
            with self.subTest(bad=bad):
                self.assertIn(msg, self.generate_error("--card", "igb:" + bad))
        # buses are numbered in the order of the cards: the second may not go back
        err = self.generate_error("--card", "igb:bus=40", "--card", "igb:bus=20")
        self.assertIn("outside the free bus numbers", err)

    def test_every_profile_follows_its_offset_and_stride(self):
        """VF RID = PF RID + offset + stride*i with the documented numbers, in
        manifest, sysfs and config space; the root port covers the VF buses."""
        expect = {   # profile: (sysfs totalvfs, config TotalVFs, offsets per PF, stride)
            "e810": (128, 128, [8, 8 + 128 - 1], 1),
            "cx6": (8, 8, [2, 9], 1),
            "x520": (63, 64, [128, 128], 2),
            "i350": (7, 8, [128] * 4, 4),
            "igb": (7, 8, [128], 2),
            "nvme": (8, 8, [1], 1),
        }
        self.assertEqual(set(expect), {n for n, p in PROFILES.items() if p.sriov})
        for name, (total, cfg_total, offsets, stride) in sorted(expect.items()):
            with self.subTest(profile=name):
                out, man = self.generate("--card", "%s:vfs=%d" % (name, total))
                self.assertEqual([p["vf_offset"] for p in man["pfs"]], offsets)
                rp = dev_dir(out, man["pfs"][0]["upstream"][0])
                sec = int(read(rp, "secondary_bus_number"))
                sub = int(read(rp, "subordinate_bus_number"))
                for pf in man["pfs"]:
                    d = dev_dir(out, pf["address"])
                    cap = sriov_cap(out, pf["address"])
                    self.assertEqual((pf["total_vfs"], cap["total"]), (total, cfg_total))
                    self.assertEqual(int(read(d, "sriov_totalvfs")), total)
                    self.assertEqual((int(read(d, "sriov_offset")), int(read(d, "sriov_stride"))),
                                     (pf["vf_offset"], stride))
                    self.assertEqual((cap["offset"], cap["stride"]), (pf["vf_offset"], stride))
                    self.assertEqual(len(pf["vfs"]), total)
                    for i, vf in enumerate(pf["vfs"]):
                        self.assertEqual(rid(vf["address"]),
                                         rid(pf["address"]) + pf["vf_offset"] + stride * i)
                        self.assertEqual(os.readlink(os.path.join(d, "virtfn%d" % i)),
                                         "../" + vf["address"])
                    # pci_iov_bus_range(): TotalVFs in config space, not the driver's limit
                    last = rid(pf["address"]) + pf["vf_offset"] + stride * (cfg_total - 1)
                    self.assertTrue(sec <= last >> 8 <= sub, (name, pf["address"], sub))

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
