#!/usr/bin/env python3
"""pciutils' lspci, reading a generated tree through its linux-sysfs back end,
must see exactly the generated devices and decode them as the manifest says."""

import re
import unittest

from hostgen_testlib import LSPCI, PROFILES, HostCase, lspci, lspci_blocks

BAD = re.compile(r"<\?>|!!!|<access denied|<unavailable>|Unknown header|<invalid")


def flag(on):
    return "+" if on else "-"


@unittest.skipIf(LSPCI is None, "lspci (pciutils) is not installed")
class LspciTest(HostCase):
    def check(self, out, man, totals, acs=None):
        """totals: {pf address: config TotalVFs}; acs: {root port: bool}."""
        listed = lspci(out, "-D").splitlines()
        self.assertEqual(sorted(l.split(" ", 1)[0] for l in listed), man["devices"])
        text = lspci(out, "-D", "-vvv")
        blocks = lspci_blocks(text)
        self.assertEqual(sorted(blocks), man["devices"])
        for addr, block in blocks.items():
            self.assertIsNone(BAD.search(block), "%s:\n%s" % (addr, block))
        for pf in man["pfs"]:
            b = blocks[pf["address"]]
            func = int(pf["address"][-1], 16)
            total = totals[pf["address"]]
            self.assertIn("Initial VFs: %d, Total VFs: %d, Number of VFs: %d, "
                          "Function Dependency Link: %02x\n"
                          % (total, total, pf["num_vfs"], func), b)
            self.assertIn("VF offset: %d, stride: %d, Device ID: %s\n"
                          % (pf["vf_offset"], pf["vf_stride"], pf["vf_device_id"]), b)
            enabled = pf["num_vfs"] > 0
            self.assertRegex(b, r"IOVCtl:\tEnable%s Migration- Interrupt- MSE%s ARIHierarchy%s"
                             % (re.escape(flag(enabled)), re.escape(flag(enabled)),
                                re.escape(flag(func == 0))))
            self._driver(b, pf["driver"])
            self._group(b, pf["iommu_group"])
            if pf["numa_node"] >= 0:
                self.assertIn("NUMA node: %d\n" % pf["numa_node"], b)
            for vf in pf["vfs"]:
                vb = blocks[vf["address"]]
                self._driver(vb, vf["driver"])
                self._group(vb, vf["iommu_group"])
                self.assertNotIn("Single Root I/O Virtualization", vb)
                self.assertIn("[virtual]", vb)
                self.assertIn("Alternative Routing-ID Interpretation", vb)
        for rp, on in (acs or {}).items():
            b = blocks[rp]
            if on:
                self.assertIn("ACSCap:\tSrcValid+ TransBlk+ ReqRedir+ CmpltRedir+ UpstreamFwd+ "
                              "EgressCtrl- DirectTrans+", b)
                ctl = "+" if man["iommu"]["enabled"] else "-"
                self.assertIn("ACSCtl:\tSrcValid%s TransBlk- ReqRedir%s CmpltRedir%s "
                              "UpstreamFwd%s EgressCtrl- DirectTrans-" % ((ctl,) * 4), b)
            else:
                self.assertNotIn("Access Control Services", b)
        return blocks

    def _driver(self, block, driver):
        if driver:
            self.assertIn("Kernel driver in use: %s\n" % driver, block + "\n")
        else:
            self.assertNotIn("Kernel driver in use", block)

    def _group(self, block, group):
        if group is None:
            self.assertNotIn("IOMMU group", block)
        else:
            self.assertIn("IOMMU group: %d\n" % group, block)

    def test_each_profile(self):
        for name, prof in sorted(PROFILES.items()):
            with self.subTest(profile=name):
                vfs = min(5, prof.total_vfs)
                out, man = self.generate("--card", "%s:vfs=%d,vfio=1" % (name, vfs))
                totals = {pf["address"]: prof.total_vfs for pf in man["pfs"]}
                self.assertEqual(len(man["pfs"]), prof.ports)
                rp = man["pfs"][0]["upstream"][0]
                self.check(out, man, totals, {rp: True})

    def test_big_mixed_host(self):
        out, man = self.generate(
            "--numa-nodes", "2", "--cpus-per-node", "16",
            "--card", "e810:vfs=128/64,vfio=8,unbound=4",
            "--card", "cx6:vfs=8/3,acs=off",
            "--card", "x520:vfs=63,total=64,autoprobe=0",
            "--card", "i350:vfs=7/7/0/1",
            "--card", "igb:vfs=7,pfdriver=igb",
            "--card", "nvme:vfs=15,total=15",
            "--card", "e810:pfs=1,vfs=200,total=256,numa=1,acs=off")
        totals = {}
        acs = {}
        for pf in man["pfs"]:
            a = pf["address"]
            vid = pf["device_id"]
            prof = [p for p in PROFILES.values() if "%04x" % p.device == vid][0]
            totals[a] = prof.total_vfs
            acs[pf["upstream"][0]] = True
        totals.update({a: 15 for a in totals if man_pf(man, a)["device_id"] == "0010"})
        totals.update({a: 256 for a in totals if man_pf(man, a)["num_vfs"] == 200})
        for a in totals:
            if man_pf(man, a)["device_id"] == "101d" or man_pf(man, a)["num_vfs"] == 200:
                acs[man_pf(man, a)["upstream"][0]] = False
        self.check(out, man, totals, acs)
        # the tree view must hang every VF below its PF's root port
        tree = lspci(out, "-t")
        self.assertIn("[0000:80]", tree)

    def test_amd_iommu_off(self):
        out, man = self.generate("--cpu", "amd", "--iommu", "off",
                                 "--card", "cx6:vfs=4", "--card", "i350:vfs=2,acs=off")
        totals = {pf["address"]: 8 for pf in man["pfs"]}
        acs = {man["pfs"][0]["upstream"][0]: True, man["pfs"][-1]["upstream"][0]: False}
        self.check(out, man, totals, acs)

    def test_slot_and_query(self):
        out, man = self.generate("--card", "x520:vfs=2", "--card", "i350:vfs=1")
        pf = man["pfs"][2]["address"]
        b = lspci(out, "-D", "-vvv", "-s", pf)
        self.assertTrue(b.startswith(pf + " Ethernet controller"))
        self.assertIn("Physical Slot: 2\n", b)
        vf = man["pfs"][2]["vfs"][0]["address"]
        self.assertTrue(lspci(out, "-D", "-s", vf).startswith(vf))
        ids = lspci(out, "-D", "-n", "-d", "8086:10ed").splitlines()
        self.assertEqual(len(ids), 4)


def man_pf(man, addr):
    return [p for p in man["pfs"] if p["address"] == addr][0]


if __name__ == "__main__":
    unittest.main()
