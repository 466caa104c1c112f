# SPDX-License-Identifier: MIT
"""sriovctl save / restore --dry-run on generated hosts."""
import json
import os
import unittest

from common import TreeTest, hostgen, sriovctl


class State(TreeTest):
    def setUp(self):
        super().setUp()
        self.a = self.path("a")
        self.man = hostgen(self.a, "e810:pfs=2,vfs=4,vfio=2")
        self.pf0 = self.man["pfs"][0]
        self.pf1 = self.man["pfs"][1]

    def save(self, *args, root=None):
        r = sriovctl("save", *args, root=root or self.a, check=0)
        return r.json()

    def write_state(self, st, name="state.json"):
        p = self.path(name)
        with open(p, "w") as f:
            json.dump(st, f)
        return p

    def test_save_matches_inventory(self):
        st = self.save()
        inv = sriovctl("list", "--json", root=self.a, check=0).json()
        self.assertEqual(st["schema"], "sriovctl.state/v1")
        self.assertEqual([p["address"] for p in st["pfs"]],
                         [p["address"] for p in inv["pfs"]])
        for sp, ip in zip(st["pfs"], inv["pfs"]):
            self.assertEqual(sp["num_vfs"], ip["num_vfs"])
            self.assertEqual(sp["drivers_autoprobe"], ip["drivers_autoprobe"])
            self.assertEqual(sp["vendor_id"], ip["vendor_id"])
            self.assertEqual(sp["netdev"], ip["netdevs"][0])
            self.assertEqual(
                [(v["index"], v["driver"], v["driver_override"]) for v in sp["vfs"]],
                [(v["index"], v["driver"], v["driver_override"]) for v in ip["vfs"]])
            # No kernel behind a generated tree: no link attributes.
            self.assertTrue(all(v["link"] is None for v in sp["vfs"]))

    def test_save_some_pfs(self):
        st = self.save(self.pf1["netdevs"][0], self.pf0["address"])
        self.assertEqual([p["address"] for p in st["pfs"]],
                         [self.pf1["address"], self.pf0["address"]])

    def test_save_refuses_vf_and_unknown(self):
        name = self.pf0["netdevs"][0]
        for bad in (name + "/vf1", "nope0"):
            r = sriovctl("save", bad, root=self.a, check=1)
            self.assertIn("not an SR-IOV PF", r.err)
            self.assertEqual(r.out, "")

    def test_restore_same_host_nothing_to_do(self):
        p = self.write_state(self.save())
        r = sriovctl("restore", "--dry-run", p, root=self.a, check=0)
        self.assertEqual(r.out, f"nothing to do: the host matches {p}\n")

    def test_restore_plan_against_other_state(self):
        p = self.write_state(self.save())
        # The same cards with fewer VFs, all left to their kernel driver.
        b = self.path("b")
        hostgen(b, "e810:pfs=2,vfs=2")
        r = sriovctl("restore", "-n", p, root=b, check=0)
        n0, n1 = self.pf0["netdevs"][0], self.pf1["netdevs"][0]
        lines = r.out.splitlines()
        self.assertEqual(lines[0], f"{n0} num_vfs: 2 -> 4 (through 0)")
        self.assertIn(f"{n0}/vf2 driver: (re-created) -> vfio-pci", lines)
        self.assertIn(f"{n0}/vf3 driver: (re-created) -> vfio-pci", lines)
        self.assertIn(f"{n1} num_vfs: 2 -> 4 (through 0)", lines)
        # VFs that autoprobe gives their driver are rechecked, not skipped.
        self.assertIn(f"{n0}/vf0 driver: (re-created) -> iavf", lines)
        # PF 0's steps all come before PF 1's.
        self.assertLess(lines.index(f"{n0}/vf3 driver: (re-created) -> vfio-pci"),
                        lines.index(f"{n1} num_vfs: 2 -> 4 (through 0)"))
        # And back: b's state on a.
        q = self.write_state(self.save(root=b), "b.json")
        r = sriovctl("restore", "-n", q, root=self.a, check=0)
        self.assertIn(f"{n0} num_vfs: 4 -> 2 (through 0)", r.out)

    def test_restore_driver_only(self):
        st = self.save()
        st["pfs"][0]["vfs"][2]["driver"] = None
        st["pfs"][0]["vfs"][2]["driver_override"] = None
        st["pfs"][0]["vfs"][0]["driver"] = "vfio-pci"
        p = self.write_state(st)
        r = sriovctl("restore", "-n", p, root=self.a, check=0)
        n0 = self.pf0["netdevs"][0]
        self.assertEqual(r.out.splitlines(), [
            f"{n0}/vf0 driver: iavf -> vfio-pci",
            f"{n0}/vf2 driver: vfio-pci -> none",
            "2 changes (dry run: nothing was written)"])

    def test_restore_writes_need_live_host(self):
        p = self.write_state(self.save())
        r = sriovctl("restore", p, root=self.a, check=2)
        self.assertIn("cannot be used with --root", r.err)
        self.assertIn("--dry-run", r.err)

    def test_restore_big_and_deep_files(self):
        # a PF's most VFs parse (quadratic before: 11.7 s); then the host refuses
        st = self.save()
        st["pfs"] = [st["pfs"][0]]
        st["pfs"][0]["num_vfs"] = 65535
        st["pfs"][0]["vfs"] = [{"index": i, "driver": "iavf"} for i in range(65535)]
        r = sriovctl("restore", "-n", self.write_state(st), root=self.a, check=1)
        self.assertIn("the state file has 65535 VFs, but the PF allows at most", r.err)
        st["pfs"][0]["vfs"].append({"index": 7})
        r = sriovctl("restore", "-n", self.write_state(st), root=self.a, check=1)
        self.assertIn("pfs[0].vfs[65535].index: VF 7 is listed twice", r.err)
        # nesting beyond a state file's, with the place in the file
        p = self.path("deep.json")
        with open(p, "w") as f:
            f.write('{"schema": "sriovctl.state/v1",\n "pfs": ' + "[" * 20 + "]" * 20 + "}\n")
        r = sriovctl("restore", "-n", p, root=self.a, check=1)
        self.assertIn("not valid JSON at line 2, column 16 (byte 47): nested deeper than a "
                      "state file (8 levels)", r.err)

    def test_restore_bad_files(self):
        st = self.save()
        cases = []
        bad = json.loads(json.dumps(st))
        bad["pfs"][0]["num_vfs"] = 1
        cases.append((bad, "pfs[0].vfs[1].index: 1 is not below the PF's num_vfs 1"))
        bad = json.loads(json.dumps(st))
        bad["pfs"][1]["vfs"][0]["link"] = {"vlan": 5000}
        cases.append((bad, "pfs[1].vfs[0].link.vlan: 5000 is out of range 0..4094"))
        bad = json.loads(json.dumps(st))
        bad["pfs"][0]["num_vfs"] = 999
        cases.append((bad, f"the state file has 999 VFs, but the PF allows at most {self.pf0['total_vfs']}"))
        bad = json.loads(json.dumps(st))
        bad["pfs"][0]["address"] = "0000:77:00.0"
        cases.append((bad, "PF 0000:77:00.0"))
        bad = json.loads(json.dumps(st))
        bad["pfs"][0]["device_id"] = "1593"
        cases.append((bad, "was a 8086:1593 when saved"))
        for doc, msg in cases:
            with self.subTest(msg=msg):
                p = self.write_state(doc)
                r = sriovctl("restore", "-n", p, root=self.a, check=1)
                self.assertIn(msg, r.err)
                self.assertIn("nothing was changed", r.err)
                self.assertEqual(r.out, "")
        p = self.path("garbage.json")
        with open(p, "w") as f:
            f.write("{\"schema\": ")
        r = sriovctl("restore", "-n", p, root=self.a, check=1)
        self.assertIn("not valid JSON", r.err)
        r = sriovctl("restore", "-n", self.path("missing.json"), root=self.a,
                     check=1)
        self.assertIn("cannot read state file", r.err)
        sriovctl("restore", root=self.a, check=2)


if __name__ == "__main__":
    unittest.main()
