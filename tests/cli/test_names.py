# SPDX-License-Identifier: MIT
"""Naming devices, the text views, exit codes."""
import unittest

from common import TreeTest, hostgen, sriovctl


class Names(TreeTest):
    @classmethod
    def setUpClass(cls):
        import tempfile
        cls.dir = tempfile.mkdtemp(prefix="sriovctl-names-")
        cls.root = cls.dir + "/host"
        cls.man = hostgen(cls.root, "e810:pfs=2,vfs=4,vfio=1",
                          "x520:pfs=1,vfs=2")
        cls.pf = cls.man["pfs"][0]
        cls.vf = cls.pf["vfs"][1]

    @classmethod
    def tearDownClass(cls):
        import shutil
        shutil.rmtree(cls.dir, ignore_errors=True)

    def show(self, name, check=0):
        return sriovctl("show", "--json", name, root=self.root, check=check)

    def assert_pf(self, name):
        inv = self.show(name).json()
        self.assertEqual([p["address"] for p in inv["pfs"]],
                         [self.pf["address"]], name)

    def assert_vf(self, name, vf=None):
        vf = vf or self.vf
        out = self.show(name).json()
        self.assertEqual(out["pf"], self.pf["address"], name)
        self.assertEqual(out["vf"]["address"], vf["address"], name)
        self.assertEqual(out["vf"]["index"], vf["index"], name)

    def test_pf_by_netdev_and_address(self):
        self.assert_pf(self.pf["netdevs"][0])
        self.assert_pf(self.pf["address"])
        self.assert_pf(self.pf["address"][5:])          # short form
        self.assert_pf(self.pf["address"].upper())       # hex case

    def test_vf_forms(self):
        nd = self.pf["netdevs"][0]
        self.assert_vf(f"{nd}/vf1")
        self.assert_vf(f"{self.pf['address']}/vf1")
        self.assert_vf(self.vf["address"])
        self.assert_vf(self.vf["address"][5:])
        self.assertIsNotNone(self.vf["netdev"])
        self.assert_vf(self.vf["netdev"])

    @staticmethod
    def nodedev(address):
        """libvirt's node device name of a PCI address (virsh nodedev-list)."""
        return "pci_" + address.replace(":", "_").replace(".", "_")

    def test_libvirt_nodedev_names(self):
        self.assert_pf(self.nodedev(self.pf["address"]))
        self.assert_vf(self.nodedev(self.vf["address"]))
        self.assert_vf(self.nodedev(self.pf["address"]) + "/vf1")
        # the verbs that take VFs resolve them the same way
        r = sriovctl("vf", self.nodedev(self.vf["address"]), "bind",
                     "vfio-pci", "--dry-run", "--force", root=self.root, check=0)
        self.assertIn(self.vf["address"], r.out)
        r = sriovctl("vf", self.nodedev(self.pf["address"]) + "/vf0-1",
                     "bind", "vfio-pci", "--dry-run", "--force", root=self.root, check=0)
        self.assertIn(self.pf["vfs"][0]["address"], r.out)
        self.assertIn(self.vf["address"], r.out)
        r = sriovctl("check", "--json", self.nodedev(self.vf["address"]),
                     root=self.root, check=None)
        self.assertIn(r.rc, (0, 1), r.err)
        subjects = {f.get("subject") for f in r.json()["findings"]}
        self.assertIn(f"{self.pf['netdevs'][0]}/vf1", subjects)

    def test_bad_libvirt_nodedev_names(self):
        base = self.nodedev(self.pf["address"])[:-2]   # "pci_0000_BB_00"
        for bad in (base + "_8", base, base + "_0_", base + "_00",
                    "pci_000_" + base[8:] + "_0", base.replace("_00", "_20") + "_0"):
            r = self.show(bad, check=2)   # malformed: no host could take it
            self.assertIn(f"'{bad}' is not a libvirt node device name", r.err)
            self.assertIn("pci_DDDD_BB_SS_F", r.err)
            self.assertEqual(r.out, "")
        # well-formed but absent: not found, with the nodedev spellings suggested
        absent = base + "_5"
        r = self.show(absent, check=1)
        self.assertIn(f"no SR-IOV PF or VF named '{absent}'", r.err)
        self.assertIn(self.nodedev(self.pf["address"]), r.err)

    def test_unknown_name_suggests(self):
        nd = self.pf["netdevs"][0]
        typo = nd[:-1] + ("9" if nd[-1] != "9" else "8")
        r = self.show(typo, check=1)
        self.assertIn(f"'{typo}'", r.err)
        self.assertIn("did you mean", r.err)
        self.assertIn(nd, r.err)
        self.assertEqual(r.out, "")

    def test_unknown_address(self):
        r = self.show("0000:ee:00.0", check=1)
        self.assertIn("0000:ee:00.0", r.err)

    def test_vf_index_out_of_range(self):
        nd = self.pf["netdevs"][0]
        r = self.show(f"{nd}/vf4", check=1)
        self.assertIn("no such VF", r.err)
        # a name no host could have is bad usage (EXIT STATUS)
        r = self.show(f"{nd}/vfx", check=2)
        self.assertIn("not a device name", r.err)

    def test_usage_errors_exit_2(self):
        sriovctl("show", root=self.root, check=2)
        sriovctl("show", "a", "b", root=self.root, check=2)
        sriovctl("frobnicate", root=self.root, check=2)
        sriovctl("list", "--no-such-option", root=self.root, check=2)
        r = sriovctl("--help", check=0)
        self.assertIn("Usage:", r.out)

    def test_missing_root_exit_1(self):
        r = sriovctl("list", root=self.dir + "/nope", check=1)
        self.assertIn("nope", r.err)

    def test_options_before_or_after_verb(self):
        a = sriovctl("--json", "list", root=self.root, check=0).out
        b = sriovctl("list", "--json", root=self.root, check=0).out
        self.assertEqual(a, b)
        nd = self.pf["netdevs"][0]
        a = sriovctl("show", "--json", nd, root=self.root, check=0).out
        b = sriovctl("show", nd, "--json", root=self.root, check=0).out
        c = sriovctl("--json", "show", nd, root=self.root, check=0).out
        self.assertEqual(a, b)
        self.assertEqual(a, c)

    def test_list_text(self):
        out = sriovctl("list", root=self.root, check=0).out.splitlines()
        self.assertTrue(out[0].startswith("PF "))
        self.assertEqual(len(out), 1 + len(self.man["pfs"]))
        row = next(l for l in out if l.startswith(self.pf["address"]))
        self.assertIn("3 iavf, 1 vfio-pci", row)
        self.assertIn("4/", row)
        self.assertIn(self.pf["netdevs"][0], row)
        self.assertIn("ice", row)
        self.assertIn("E810", row)  # name from the system's pci.ids

    def test_show_text(self):
        out = sriovctl("show", self.pf["netdevs"][0], root=self.root,
                       check=0).out
        self.assertIn("SR-IOV at 0x", out)
        for vf in self.pf["vfs"]:
            line = next(l for l in out.splitlines()
                        if l.split()[:2] == [str(vf["index"]), vf["address"]])
            self.assertIn(vf["driver"] or "none", line)
        self.assertIn("vfio-pci", out)

    def test_show_vf_text(self):
        out = sriovctl("show", self.vf["address"], root=self.root, check=0).out
        self.assertIn(f"VF {self.vf['index']} of {self.pf['address']}", out)
        self.assertIn("iommu group", out)

    def test_custom_pci_ids(self):
        ids = self.dir + "/pci.ids"
        with open(ids, "w") as f:
            f.write("8086  Test Vendor\n\t1592  Test PF Name\n\t1889  Test VF Name\n")
        inv = sriovctl("--pci-ids", ids, "list", "--json", root=self.root,
                       check=0).json()
        pf = inv["pfs"][0]
        self.assertEqual(pf["vendor_name"], "Test Vendor")
        self.assertEqual(pf["device_name"], "Test PF Name")
        self.assertEqual(pf["vf_device_name"], "Test VF Name")

    def test_bad_pci_ids(self):
        """A database libpci cannot read whole: ids without names, one
        warning, exit 0 (libpci's error handler used to abort)."""
        import os
        good = "/usr/share/misc/pci.ids"
        with open(good, "rb") as f:
            head = f.read(1000)
        bad = {"truncated": head, "garbage": bytes(range(256)) * 64,
               "empty": b"", "huge-line": b"8086  " + b"A" * 100000 + b"\n"}
        paths = {}
        for name, data in bad.items():
            paths[name] = os.path.join(self.dir, name + ".ids")
            with open(paths[name], "wb") as f:
                f.write(data)
        paths["directory"] = os.path.join(self.dir, "ids-dir")
        os.makedirs(paths["directory"], exist_ok=True)

        def ids(pf):
            return (pf["vendor_id"], pf["device_id"], pf["vf_device_id"])
        ref = sriovctl("--pci-ids", good, "list", "--json", root=self.root,
                       check=0).json()
        self.assertEqual(ref["warnings"], [])
        self.assertEqual(ref["pfs"][0]["vendor_name"], "Intel Corporation")
        for name, path in paths.items():
            inv = sriovctl("--pci-ids", path, "list", "--json",
                           root=self.root, check=0).json()
            self.assertEqual([ids(p) for p in inv["pfs"]],
                             [ids(p) for p in ref["pfs"]], name)
            for pf in inv["pfs"]:
                self.assertEqual((pf["vendor_name"], pf["device_name"],
                                  pf["vf_device_name"]), (None, None, None), name)
            self.assertEqual(len(inv["warnings"]), 1, (name, inv["warnings"]))
            self.assertIn(path, inv["warnings"][0])
            self.assertIn("device names are not shown", inv["warnings"][0])
            # the text views: the same one warning on stderr, no names
            for args in (["list"], ["show", self.pf["address"]]):
                r = sriovctl("--pci-ids", path, *args, root=self.root, check=0)
                self.assertEqual(r.err.count("warning"), 1, (name, args, r.err))
                self.assertIn(path, r.err)
                self.assertNotIn("Intel Corporation", r.out)
        why = {"truncated": "Parse error", "garbage": ", line 1:",
               "empty": "has no entries", "huge-line": "Line too long",
               "directory": "is not a regular file"}
        for name, word in why.items():
            inv = sriovctl("--pci-ids", paths[name], "list", "--json",
                           root=self.root, check=0).json()
            self.assertIn(word, inv["warnings"][0], name)

    def test_system_pci_ids(self):
        inv = sriovctl("list", "--json", root=self.root, check=0).json()
        self.assertEqual(inv["pfs"][0]["vendor_name"], "Intel Corporation")
        self.assertIn("E810", inv["pfs"][0]["device_name"])


if __name__ == "__main__":
    unittest.main()
