# SPDX-License-Identifier: MIT
"""libvirt judges sriovctl export's XML: its schema (virt-xml-validate) and
its own parser (virsh -c test:///default define / net-define, no daemon).
Every output of every format on generated hosts is accepted by both, what
the parser read back is what was exported, and wrong variants of the same
output are rejected by the tool that catches them (so the test can fail).

The test driver has no attach-device: devices are checked inside a
minimal domain. virt-xml-validate picks a schema from the root element
(<interface> is the host interface grammar, <hostdev> has none), so the
schema is named. A missing tool is a failure, not a skip."""
import os
import re
import shutil
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET

from common import hostgen, sriovctl

TOOLS = {"virsh": "libvirt-clients", "virt-xml-validate": "libvirt-clients",
         "xmllint": "libxml2-utils"}
DOMAIN = "sriovctl-check"


def wrap(devices):
    return ("<domain type='test'>\n  <name>" + DOMAIN + "</name>\n"
            "  <memory unit='KiB'>1048576</memory>\n"
            "  <os><type arch='x86_64'>hvm</type></os>\n  <devices>\n"
            + devices + "  </devices>\n</domain>\n")


class Libvirt(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        missing = sorted({pkg for tool, pkg in TOOLS.items() if not shutil.which(tool)})
        if missing:
            raise AssertionError(
                "libvirt's tools are missing: install " + " ".join(missing) +
                " (./dev.sh deps installs them); this test does not skip")
        cls.dir = tempfile.mkdtemp(prefix="sriovctl-libvirt-")
        cls.hosts = {}
        for name, cards in {
            "e810": ["e810:pfs=2,vfs=4/2,vfio=1"],
            "i350-seed": ["i350:vfs=0/7/0/0,bus=31"],
            "x520-nvme": ["x520:pfs=1,vfs=3", "nvme:vfs=2"],
        }.items():
            root = os.path.join(cls.dir, name)
            cls.hosts[name] = (root, hostgen(root, *cards))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def run_tool(self, cmd, xml):
        with tempfile.NamedTemporaryFile("w", suffix=".xml", dir=self.dir,
                                         delete=False) as f:
            f.write(xml)
        try:
            p = subprocess.run([a.replace("@", f.name) for a in cmd],
                               capture_output=True, text=True, timeout=60)
        finally:
            os.unlink(f.name)
        return p.returncode, (p.stdout + p.stderr).strip()

    def schema(self, xml, kind):
        return self.run_tool(["virt-xml-validate", "@", kind], xml)

    def parser(self, xml, kind, dump=False):
        """libvirt's parser; with @dump, the XML it made of it."""
        if kind == "domain":
            cmd = "define @" + (f"; dumpxml {DOMAIN}" if dump else "")
        else:
            name = ET.fromstring(xml).findtext("name") if dump else None
            cmd = "net-define @" + (f"; net-dumpxml {name}" if dump else "")
        return self.run_tool(["virsh", "-q", "-c", "test:///default", cmd], xml)

    def accepted(self, xml, kind, what):
        rc, msg = self.schema(xml, kind)
        self.assertEqual(rc, 0, f"schema refuses {what}: {msg}\n{xml}")
        self.assertIn("validates", msg)
        rc, msg = self.parser(xml, kind, dump=True)
        self.assertEqual(rc, 0, f"libvirt's parser refuses {what}: {msg}\n{xml}")
        return ET.fromstring(msg)

    def rejected(self, xml, kind, what, schema, parser):
        if schema:
            rc, msg = self.schema(xml, kind)
            self.assertEqual(rc, 3, f"schema accepts {what}: {msg}\n{xml}")
            self.assertIn("fails to validate", msg)
        if parser:
            rc, msg = self.parser(xml, kind)
            self.assertEqual(rc, 1, f"libvirt's parser accepts {what}: {msg}\n{xml}")
            self.assertIn("error:", msg)

    def export(self, root, *args):
        return sriovctl("export", *args, root=root, check=0).out

    @staticmethod
    def addr(a):
        return tuple(int(a.get(k), 16) for k in ("domain", "bus", "slot", "function"))

    @staticmethod
    def vf_addr(address):
        d, b, r = address.split(":")
        s, f = r.split(".")
        return (int(d, 16), int(b, 16), int(s, 16), int(f, 16))

    def exports(self):
        """(what, kind, xml, the VFs it names) for every format on every host."""
        for host, (root, man) in self.hosts.items():
            for pf in man["pfs"]:
                if not pf["vfs"]:
                    continue
                name = pf["netdevs"][0] if pf["netdevs"] else pf["address"]
                vfs = [self.vf_addr(v["address"]) for v in pf["vfs"]]
                idx = [v["index"] for v in pf["vfs"]]
                # one VF may be in a domain once: interfaces, then a hostdev
                devs = self.export(root, "libvirt-interface",
                                   f"{name}/vf{idx[0]}-{idx[-2]}") + \
                    self.export(root, "libvirt-hostdev", "pci_" + re.sub(
                        "[:.]", "_", pf["vfs"][-1]["address"]))
                yield (f"{host} {name} interfaces+hostdev", "domain", wrap(devs),
                       vfs, pf)
                net = self.export(root, "libvirt-network", name, "--name",
                                  "pool-" + host)
                yield f"{host} {name} network", "network", net, vfs, pf
            pf = man["pfs"][0]
            if len(pf["vfs"]) >= 2:
                net = self.export(root, "libvirt-network", pf["vfs"][0]["address"],
                                  pf["vfs"][1]["address"], "--name", "two")
                yield (f"{host} two VFs network", "network", net,
                       [self.vf_addr(v["address"]) for v in pf["vfs"][:2]], pf)

    def test_every_output_accepted_by_schema_and_parser(self):
        n = 0
        for what, kind, xml, vfs, pf in self.exports():
            with self.subTest(what):
                back = self.accepted(xml, kind, what)
                n += 1
                if kind == "domain":
                    got = [self.addr(d.find("source/address"))
                           for d in back.find("devices")
                           if d.tag in ("interface", "hostdev")]
                    self.assertEqual(got, vfs)
                    for d in back.find("devices"):
                        if d.tag == "interface":
                            self.assertEqual(d.get("type"), "hostdev")
                            self.assertEqual(d.get("managed"), "yes")
                            self.assertEqual(d.find("driver").get("name"), "vfio")
                else:
                    fwd = back.find("forward")
                    self.assertEqual(fwd.get("mode"), "hostdev")
                    self.assertEqual(fwd.get("managed"), "yes")
                    pfs = [p.get("dev") for p in fwd.findall("pf")]
                    if pfs:
                        self.assertEqual(pfs, [pf["netdevs"][0]])
                        self.assertEqual(len(vfs), len(pf["vfs"]))
                    else:
                        self.assertEqual([self.addr(a) for a in fwd.findall("address")],
                                         vfs)
        self.assertGreaterEqual(n, 10)

    def test_one_vf_is_a_file_for_attach_device(self):
        """One VF's output is a whole document libvirt's device grammar
        takes on its own (attach-device reads one device per file)."""
        rng = os.path.join(os.path.dirname(os.path.abspath(__file__)), "device.rng")
        root, man = self.hosts["i350-seed"]
        vfs = next(p["vfs"] for p in man["pfs"] if p["vfs"])   # the seed's 31:00.1
        vf = vfs[5]["address"]
        for fmt in ("libvirt-interface", "libvirt-hostdev"):
            with self.subTest(fmt):
                xml = self.export(root, fmt, vf)
                rc, msg = self.run_tool(["xmllint", "--noout", "--relaxng", rng, "@"], xml)
                self.assertEqual(rc, 0, f"{msg}\n{xml}")
                self.assertIn("validates", msg)
                rc, msg = self.run_tool(["xmllint", "--noout", "--relaxng", rng, "@"],
                                        xml.replace("<driver ", "<drivr "))
                self.assertEqual(rc, 3, msg)
                # two VFs are two devices: not one file for attach-device
                two = self.export(root, fmt, vf, vfs[6]["address"])
                rc, msg = self.run_tool(["xmllint", "--noout", "@"], two)
                self.assertNotEqual(rc, 0)
                self.assertIn("Extra content", msg)

    def test_wrong_variants_rejected(self):
        """Mutations of real outputs: which tool refuses each is libvirt's
        own fact (research14/libvirt): the schema alone misses the parser's
        and the parser alone misses the schema's, hence both."""
        root, man = self.hosts["e810"]
        pf = man["pfs"][0]
        nd = pf["netdevs"][0]
        iface = self.export(root, "libvirt-interface", f"{nd}/vf0", "--mac",
                            "02:00:00:00:00:10")
        hostdev = self.export(root, "libvirt-hostdev", f"{nd}/vf3")
        dom = wrap(iface + hostdev)
        net_pf = self.export(root, "libvirt-network", nd, "--name", "p")
        net_addr = self.export(root, "libvirt-network", f"{nd}/vf0-1", "--name", "a")
        self.accepted(dom, "domain", "the base domain")
        self.accepted(net_pf, "network", "the base <pf> network")
        self.accepted(net_addr, "network", "the base address network")
        vf0_fn = pf["vfs"][0]["address"][-1]
        vf3_fn = pf["vfs"][3]["address"][-1]
        cases = [
            # (what, kind, base, old, new, schema rejects, parser rejects)
            ("function 0x8", "domain", dom, f'function="0x{vf0_fn}"', 'function="0x8"', True, True),
            ("slot 0x20", "domain", dom, 'slot="0x01"', 'slot="0x20"', True, True),
            ("multicast MAC", "domain", dom, "02:00:00:00:00:10", "01:00:5e:00:00:01", True, True),
            ("driver vfio-pci", "domain", dom, '<driver name="vfio" />', '<driver name="vfio-pci" />', True, True),
            ("interface address without type", "domain", dom, '<address type="pci" ', "<address ", True, True),
            ("misspelt element", "domain", dom, "<driver ", "<drivr ", True, False),
            ("managed='true'", "domain", dom, 'managed="yes"', 'managed="true"', True, False),
            ("the same VF as interface and hostdev", "domain", dom,
             f'function="0x{vf3_fn}" />\n  </source>\n</hostdev>',
             f'function="0x{vf0_fn}" />\n  </source>\n</hostdev>', False, True),
            ("forward mode host-dev", "network", net_pf, 'mode="hostdev"', 'mode="host-dev"', True, True),
            ("<pf> without dev", "network", net_pf, f'<pf dev="{nd}" />', "<pf/>", True, True),
            ("two <pf>", "network", net_pf, f'<pf dev="{nd}" />', f'<pf dev="{nd}" /><pf dev="x" />', True, True),
            ("a bridge in a hostdev network", "network", net_pf, "</forward>",
             "</forward>\n  <bridge name='virbr9'/>", False, True),
            ("the same VF twice", "network", net_addr, f'function="0x{pf["vfs"][1]["address"][-1]}"',
             f'function="0x{vf0_fn}"', False, True),
            ("a / in the name", "network", net_pf, "<name>p</name>", "<name>p/q</name>", False, True),
            ("misspelt driver", "network", net_addr, "<driver ", "<drivr ", True, False),
        ]
        for what, kind, base, old, new, s_rej, p_rej in cases:
            with self.subTest(what):
                self.assertIn(old, base, what)
                self.rejected(base.replace(old, new, 1), kind, what, s_rej, p_rej)
                # and the part that is not refused really is not (the table is a fact)
                if not s_rej:
                    self.assertEqual(self.schema(base.replace(old, new, 1), kind)[0], 0, what)
                if not p_rej:
                    self.assertEqual(self.parser(base.replace(old, new, 1), kind)[0], 0, what)


if __name__ == "__main__":
    unittest.main()
