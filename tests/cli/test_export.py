# SPDX-License-Identifier: MIT
"""sriovctl export: libvirt's XML from generated hosts, the checks that
refuse it, bad input, -o FILE. (libvirt's own tools judge the XML in
tests/consumers/test_libvirt.py.)"""
import os
import shutil
import tempfile
import unittest
import xml.etree.ElementTree as ET

from common import TreeTest, hostgen, sriovctl


def parse_devices(text):
    """The top-level elements of an export (one per VF, no common root)."""
    return list(ET.fromstring("<all>" + text + "</all>"))


def pci(address):
    dom, bus, rest = address.split(":")
    slot, fn = rest.split(".")
    return {"domain": "0x" + dom, "bus": "0x" + bus, "slot": "0x" + slot,
            "function": "0x" + fn}


def nodedev(address):
    return "pci_" + address.replace(":", "_").replace(".", "_")


class Export(TreeTest):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="sriovctl-export-")
        cls.root = cls.dir + "/host"
        cls.man = hostgen(cls.root, "e810:pfs=1,vfs=4,vfio=1", "x520:pfs=1,vfs=2")
        cls.pf = cls.man["pfs"][0]
        cls.nd = cls.pf["netdevs"][0]
        cls.vfs = cls.pf["vfs"]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def export(self, *args, check=0, root=None):
        return sriovctl("export", *args, root=root or self.root, check=check)

    def test_interface_per_vf(self):
        out = self.export("libvirt-interface", self.nd).out
        devs = parse_devices(out)
        self.assertEqual(len(devs), len(self.vfs))
        for el, vf in zip(devs, self.vfs):
            self.assertEqual(el.tag, "interface")
            self.assertEqual(el.attrib, {"type": "hostdev", "managed": "yes"})
            addr = el.find("source/address")
            self.assertEqual(addr.attrib, {"type": "pci", **pci(vf["address"])})
            self.assertEqual(el.find("driver").attrib, {"name": "vfio"})
            mac = el.find("mac")
            if vf["mac"]:
                # no rtnetlink on a tree: the VF netdev's address
                self.assertEqual(mac.attrib, {"address": vf["mac"]})
            else:
                self.assertIsNone(mac)   # libvirt makes one up
            self.assertIsNone(el.find("vlan"))

    def test_mac_option_in_order(self):
        out = self.export("libvirt-interface", f"{self.nd}/vf2,0",
                          "--mac", "02:AA:00:00:00:02", "--mac=02:aa:00:00:00:00").out
        devs = parse_devices(out)
        self.assertEqual([d.find("source/address").get("function") for d in devs],
                         ["0x2", "0x0"])
        self.assertEqual([d.find("mac").get("address") for d in devs],
                         ["02:aa:00:00:00:02", "02:aa:00:00:00:00"])
        # fewer MACs than VFs: the rest keep theirs
        devs = parse_devices(self.export("libvirt-interface", f"{self.nd}/vf0-1",
                                         "--mac", "02:aa:00:00:00:09").out)
        self.assertEqual(devs[1].find("mac").get("address"), self.vfs[1]["mac"])

    def test_hostdev(self):
        vf = self.vfs[3]
        for name in (vf["address"], nodedev(vf["address"]), f"{self.nd}/vf3"):
            devs = parse_devices(self.export("libvirt-hostdev", name).out)
            self.assertEqual(len(devs), 1, name)
            el = devs[0]
            self.assertEqual(el.tag, "hostdev")
            self.assertEqual(el.attrib, {"mode": "subsystem", "type": "pci",
                                         "managed": "yes"})
            self.assertEqual(el.find("source/address").attrib, pci(vf["address"]))
            self.assertEqual(el.find("driver").attrib, {"name": "vfio"})

    def test_network_pf_and_addresses(self):
        net = ET.fromstring(self.export("libvirt-network", self.nd,
                                        "--name", "physnet1").out)
        self.assertEqual(net.findtext("name"), "physnet1")
        fwd = net.find("forward")
        self.assertEqual(fwd.attrib, {"mode": "hostdev", "managed": "yes"})
        self.assertEqual([p.attrib for p in fwd.findall("pf")], [{"dev": self.nd}])
        self.assertEqual(fwd.findall("address"), [])
        net = ET.fromstring(self.export("libvirt-network", f"{self.nd}/vf1-2",
                                        "--name", "pool").out)
        fwd = net.find("forward")
        self.assertEqual(fwd.findall("pf"), [])
        self.assertEqual([a.attrib for a in fwd.findall("address")],
                         [{"type": "pci", **pci(self.vfs[i]["address"])} for i in (1, 2)])
        # two PFs: no single <pf>, all their VFs by address
        other = self.man["pfs"][1]
        net = ET.fromstring(self.export("libvirt-network", self.nd, other["address"],
                                        "--name", "two").out)
        self.assertEqual(len(net.findall("forward/address")),
                         len(self.vfs) + len(other["vfs"]))

    def test_pool_of_the_policy(self):
        """--pool takes the policy's VF ranges of that pool; their MAC and VLAN
        come from the host first, the policy where the host has none."""
        pol = self.path("pools.yaml")
        other = self.man["pfs"][1]["netdevs"][0]
        with open(pol, "w") as f:
            f.write(f"pfs:\n  - match: {{netdev: {self.nd}}}\n    vfs:\n"
                    f"      '1-2': {{pool: physnet1}}\n"
                    f"      '3': {{pool: dpdk, mac: '02:aa:00:00:00:03'}}\n"
                    f"  - match: {{netdev: {other}}}\n    vfs:\n"
                    f"      '0': {{pool: physnet1}}\n")
        devs = parse_devices(self.export("libvirt-hostdev", "--pool", "physnet1",
                                         "-f", pol).out)
        want = [self.vfs[1]["address"], self.vfs[2]["address"],
                self.man["pfs"][1]["vfs"][0]["address"]]
        got = [d.find("source/address").attrib for d in devs]
        self.assertEqual(got, [pci(a) for a in want])
        # a device named too is exported once
        devs = parse_devices(self.export("libvirt-hostdev", f"{self.nd}/vf1",
                                         "--pool", "physnet1", "-f", pol).out)
        self.assertEqual(len(devs), 3)
        # the policy's MAC where the host VF has none
        iface = parse_devices(self.export("libvirt-interface", "--pool", "dpdk",
                                          "-f", pol).out)
        self.assertEqual(iface[0].find("mac").get("address"), "02:aa:00:00:00:03")
        # bad pools: precise, nothing printed
        r = self.export("libvirt-hostdev", "--pool", "nope", "-f", pol, check=1)
        self.assertIn("the policy has no such pool (its pools: physnet1, dpdk)", r.err)
        self.assertEqual(r.out, "")
        with open(pol, "w") as f:
            f.write(f"pfs:\n  - match: {{netdev: {self.nd}}}\n    vfs:\n"
                    f"      '7': {{pool: far}}\n")
        r = self.export("libvirt-hostdev", "--pool", "far", "-f", pol, check=1)
        self.assertIn("has no VF 7", r.err)
        with open(pol, "w") as f:
            f.write(f"pfs:\n  - match: {{netdev: {self.nd}}}\n    vfs:\n"
                    f"      '0': {{pool: 'bad name'}}\n")
        r = self.export("libvirt-hostdev", "--pool", "x", "-f", pol, check=1)
        self.assertIn("is not a pool name", r.err)

    def test_output_file(self):
        out = self.path("iface.xml")
        r = self.export("libvirt-interface", f"{self.nd}/vf0", "-o", out)
        self.assertEqual(r.out, "")
        with open(out) as f:
            text = f.read()
        self.assertEqual(text, self.export("libvirt-interface", f"{self.nd}/vf0").out)
        # replaced whole; the mode stays
        os.chmod(out, 0o600)
        self.export("libvirt-hostdev", f"{self.nd}/vf1", "--output", out)
        with open(out) as f:
            self.assertIn("<hostdev", f.read())
        self.assertEqual(os.stat(out).st_mode & 0o777, 0o600)
        self.assertEqual([n for n in os.listdir(self.tmp) if n.startswith(".")], [])

    def test_output_never_follows_a_link(self):
        target = self.path("target")
        with open(target, "w") as f:
            f.write("keep\n")
        link = self.path("link.xml")
        os.symlink(target, link)
        r = self.export("libvirt-interface", f"{self.nd}/vf0", "-o", link, check=1)
        self.assertIn("symbolic link", r.err)
        self.assertIn(link, r.err)
        with open(target) as f:
            self.assertEqual(f.read(), "keep\n")
        self.assertTrue(os.path.islink(link))
        r = self.export("libvirt-interface", f"{self.nd}/vf0", "-o", self.tmp, check=1)
        self.assertIn("is a directory", r.err)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["link.xml", "target"])

    def test_bad_input(self):
        cases = [
            (("libvirt",), 2, "unknown export format 'libvirt'"),
            (("libvirt-interface",), 2, "export takes FORMAT and the VFs"),
            ((), 2, "export takes FORMAT and the VFs"),
            (("libvirt-interface", f"{self.nd}/vf0", "--mac", "01:00:5e:00:00:01"), 2,
             "--mac 01:00:5e:00:00:01"),
            (("libvirt-interface", f"{self.nd}/vf0", "--mac", "02:00:00:00:00"), 2,
             "--mac 02:00:00:00:00"),
            (("libvirt-interface", f"{self.nd}/vf0", "--mac", "00:00:00:00:00:00"), 2,
             "needs a real address"),
            (("libvirt-interface", f"{self.nd}/vf0", "--mac", "02:00:00:00:00:01",
              "--mac", "02:00:00:00:00:02"), 2, "2 --mac for 1 VF"),
            (("libvirt-interface", f"{self.nd}/vf0", "--mac"), 2, "--mac needs a value"),
            (("libvirt-hostdev", f"{self.nd}/vf0", "--mac", "02:00:00:00:00:01"), 2,
             "--mac is not an option of libvirt-hostdev"),
            (("libvirt-network", self.nd), 2, "needs --name"),
            (("libvirt-network", self.nd, "--name", "a/b"), 2, "--name 'a/b'"),
            (("libvirt-network", self.nd, "--name", "x", "--name", "y"), 2, "--name given twice"),
            (("libvirt-hostdev", self.nd, "--name", "x"), 2, "--name is not an option of libvirt-hostdev"),
            (("libvirt-hostdev", self.nd, "--physnet", "p"), 2, "--physnet is not an option of libvirt-hostdev"),
            (("libvirt-network", self.nd, "--name", "x", "--namespace", "n"), 2,
             "--namespace is not an option of libvirt-network"),
            (("libvirt-interface", self.nd, "--release", "zed"), 2,
             "--release is not an option of libvirt-interface"),
            (("libvirt-interface", self.nd, f"{self.nd}/vf1"), 2, "named twice"),
            (("libvirt-interface", "--json", self.nd), 2, "export: --json: it prints the consumer's own format"),
            (("libvirt-interface", "nosuchdev"), 1, "no SR-IOV PF or VF named 'nosuchdev'"),
            (("libvirt-interface", f"{self.nd}/vf9"), 1, "no VF with that index"),
            (("libvirt-interface", self.nd[:-1] + "9"), 1, f"did you mean: {self.nd}"),
            (("libvirt-interface", "pci_0000_02_01_8"), 2,
             "'pci_0000_02_01_8' is not a libvirt node device name"),
            (("libvirt-interface", f"{self.nd}/vfx"), 2, "is not a device name"),
        ]
        # a PCI device without SR-IOV: the host bridge
        cases.append((("libvirt-hostdev", "0000:00:00.0"), 1, "without SR-IOV"))
        out = self.path("never.xml")
        for args, rc, msg in cases:
            r = self.export(*args, "-o", out, check=rc)
            self.assertIn(msg, r.err, args)
            self.assertEqual(r.out, "", args)
            self.assertFalse(os.path.exists(out), args)

    def test_help_lists_every_format(self):
        # the formats the CLI takes are the ones its help names
        help_text = sriovctl("help", "export").out
        listed = [l.split()[0] for l in
                  help_text.split("Formats:\n")[1].split("\n\n")[0].splitlines()]
        self.assertIn("libvirt-interface", listed)
        for name in listed:
            r = sriovctl("--root", self.root, "export", name, "--force", self.nd,
                         check=None)
            self.assertNotIn("unknown export format", r.err, name)
        r = sriovctl("export", "nosuch", self.nd, check=2)
        self.assertIn("formats: " + ", ".join(listed) + ";", r.err)

    def test_pf_without_vfs(self):
        root = self.path("novfs")
        hostgen(root, "e810:pfs=1,vfs=0", manifest=False)
        r = self.export("libvirt-interface", "0000:02:00.0", root=root, check=1)
        self.assertIn("PF without VFs", r.err)


class Refusals(TreeTest):
    """The checks that stop an export, each named, and --force."""

    def gen(self, *cards, **opts):
        root = self.path("host")
        man = hostgen(root, *cards, **opts)
        return root, man["pfs"][0]

    def assert_refused(self, root, args, check_id, subject=None):
        out = self.path("out.xml")
        r = sriovctl("export", *args, "-o", out, root=root, check=1)
        self.assertEqual(r.out, "")
        self.assertFalse(os.path.exists(out))
        self.assertIn(f"sriovctl: {check_id}", r.err)
        if subject:
            self.assertIn(f"{check_id} {subject}:", r.err)
        self.assertIn("not exported", r.err)
        self.assertIn("--force", r.err)
        # --force: exported, the same problems as warnings
        f = sriovctl("export", *args, "--force", root=root, check=0)
        self.assertIn(f"warning (--force): {check_id}", f.err)
        self.assertTrue(f.out.startswith("<"))
        return r

    def test_group_not_viable(self):
        # no ACS: root port, PF and VFs in one group, the PF on its driver
        root, pf = self.gen("e810:pfs=1,vfs=2,vfio=1,acs=off")
        nd = pf["netdevs"][0]
        for fmt in ("libvirt-interface", "libvirt-hostdev"):
            r = self.assert_refused(root, [fmt, f"{nd}/vf1"], "group.viable",
                                    f"{nd}/vf1")
            self.assertIn("not viable", r.err)
            self.assertIn(pf["address"], r.err)
        # a VF still on iavf is refused too: libvirt's managed mode binds it later
        self.assert_refused(root, ["libvirt-network", nd, "--name", "n"],
                            "group.viable", f"{nd}/vf0")

    def test_no_iommu(self):
        root, pf = self.gen("e810:pfs=1,vfs=2", iommu="off")
        r = self.assert_refused(root, ["libvirt-hostdev", pf["netdevs"][0]],
                                "iommu.active")
        self.assertIn("without an IOMMU", r.err)

    def test_mac_collision(self):
        root, pf = self.gen("e810:pfs=1,vfs=3,vfmac=same")
        nd = pf["netdevs"][0]
        # two exported VFs with one MAC
        self.assert_refused(root, ["libvirt-interface", f"{nd}/vf0-1"],
                            "vf.mac.duplicate", f"{nd}/vf0")
        # one exported, the other keeps it on the host
        r = self.assert_refused(root, ["libvirt-interface", f"{nd}/vf0"],
                                "vf.mac.duplicate", f"{nd}/vf0")
        self.assertIn("not exported", r.err)
        # --mac given twice
        root2 = self.path("host2")
        pf2 = hostgen(root2, "e810:pfs=1,vfs=2")["pfs"][0]
        nd2 = pf2["netdevs"][0]
        self.assert_refused(root2, ["libvirt-interface", nd2, "--mac", "02:00:00:00:00:07",
                                    "--mac", "02:00:00:00:00:07"], "vf.mac.duplicate")
        # --mac gives a VF the MAC another VF has
        self.assert_refused(root2, ["libvirt-interface", f"{nd2}/vf0", "--mac",
                                    pf2["vfs"][1]["mac"]], "vf.mac.duplicate")
        # and a distinct --mac fixes the first case
        sriovctl("export", "libvirt-interface", f"{nd}/vf0-1", "--mac", "02:00:00:00:00:01",
                 "--mac", "02:00:00:00:00:02", root=root, check=0)


if __name__ == "__main__":
    unittest.main()
