# SPDX-License-Identifier: MIT
"""Proxmox VE's formats judge sriovctl export proxmox / proxmox-mapping.

Proxmox is not installable here (its Perl lives in pve-manager,
qemu-server, pve-guest-common, pve-common), so the parsers below are
written from its documented syntax, each rule named after the Proxmox
code that has it:
  - `qm set VMID --hostpciN VALUE`: pve-vmid (pve-common JSONSchema:
    ^[1-9][0-9]{2,8}$, 100..999999999); hostpci0..15 (qemu-server
    PVE/QemuServer/PCI.pm, MAX_HOSTPCI_DEVICES 16); VALUE a property string
    of $hostpci_fmt: `[host=]HOSTPCIID[;HOSTPCIID2...][,pcie=<1|0>]...`,
    HOSTPCIID matching (?:[a-f0-9]{4,}:)?[a-f0-9]{2}:[a-f0-9]{2}(?:\\.[a-f0-9])?
    (lower case only), unknown keys and a key twice refused, 'host' or
    'mapping' but not both;
  - /etc/pve/mapping/pci.cfg: PVE::SectionConfig's file (comment lines
    skipped anywhere, a blank line ends a section, property lines indented
    `key value`) with PVE::Mapping::PCI's header (the id alone, a
    pve-configid: [a-z][a-z0-9_-]+, any case), its properties (map
    repeated, description, mdev) and $map_fmt (id and subsystem-id
    XXXX:XXXX, iommugroup an integer, node a pve-node, path PCI ids joined
    by ';'), then assert_valid's comparison with the host's sysfs, as
    Proxmox does at the guest's start.
The parsers are strict: what Proxmox would warn about and skip is an error.
Every output is accepted, wrong variants are rejected, and the CLI's
errors for this format are here too."""
import os
import re
import shlex
import shutil
import tempfile
import unittest

from common import hostgen, sriovctl

PCIRE = r"(?:[a-f0-9]{4,}:)?[a-f0-9]{2}:[a-f0-9]{2}(?:\.[a-f0-9])?"
MAP_PCI_RE = r"[a-f0-9]{4,}:[a-f0-9]{2}:[a-f0-9]{2}(?:\.[a-f0-9])?"
CONFIGID = re.compile(r"[a-z][a-z0-9_-]+\Z", re.I)
NODE = re.compile(r"[a-zA-Z0-9]([a-zA-Z0-9\-]*[a-zA-Z0-9])?\Z")
VMID = re.compile(r"[1-9][0-9]{2,8}\Z")
HEXID = re.compile(r"[0-9A-Fa-f]{4}:[0-9A-Fa-f]{4}\Z")
MAX_HOSTPCI = 16


class Invalid(Exception):
    pass


def boolean(v):
    if re.fullmatch(r"1|true|yes|on", v, re.I):
        return True
    if re.fullmatch(r"0|false|no|off", v, re.I):
        return False
    raise Invalid("not a boolean: %r" % v)


def pattern(rx):
    def check(v):
        if not re.fullmatch(rx, v):
            raise Invalid("%r does not match %s" % (v, rx))
        return v
    return check


def configid(v):
    if not CONFIGID.match(v):
        raise Invalid("invalid configuration ID %r" % v)
    return v


HOSTPCI_FMT = {
    "host": pattern(PCIRE + "(;" + PCIRE + ")*"),
    "mapping": configid,
    "rombar": boolean, "pcie": boolean, "x-vga": boolean, "legacy-igd": boolean,
    "romfile": pattern(r"[^,;]+"), "mdev": pattern(r"[^/\.:]+"),
    "vendor-id": pattern(r"0x[0-9a-fA-F]{4}"), "device-id": pattern(r"0x[0-9a-fA-F]{4}"),
    "sub-vendor-id": pattern(r"0x[0-9a-fA-F]{4}"),
    "sub-device-id": pattern(r"0x[0-9a-fA-F]{4}"),
}


def integer(v):
    if not re.fullmatch(r"[+-]?\d+", v):
        raise Invalid("not an integer: %r" % v)
    return int(v)


def node(v):
    if not NODE.match(v):
        raise Invalid("value does not look like a valid node name: %r" % v)
    return v


MAP_FMT = {
    "node": node, "id": pattern(HEXID.pattern[:-2]),
    "subsystem-id": pattern(HEXID.pattern[:-2]),
    "path": pattern("(?:" + MAP_PCI_RE + ";)*" + MAP_PCI_RE),
    "iommugroup": integer, "description": pattern(r"[^\n]{0,4096}"),
}
MAP_REQUIRED = {"node", "id", "path"}


def property_string(fmt, text, default_key=None):
    """PVE::JSONSchema::parse_property_string, strictly: no quoting, no
    empty parts, each key once, only @fmt's keys."""
    out = {}
    for part in text.split(","):
        if part == "":
            raise Invalid("empty part in %r" % text)
        if "=" in part:
            k, v = part.split("=", 1)
        elif default_key:
            k, v = default_key, part
        else:
            raise Invalid("value without key: %r" % part)
        if k not in fmt:
            raise Invalid("invalid format - unknown key %r" % k)
        if k in out:
            raise Invalid("duplicate key %r" % k)
        out[k] = fmt[k](v)
    return out


def parse_hostpci(value):
    p = property_string(HOSTPCI_FMT, value, default_key="host")
    if ("host" in p) == ("mapping" in p):
        raise Invalid("either 'host' or 'mapping' must be set, not both")
    return p


def parse_qm(text):
    """Shell lines of `qm set`; returns [(vmid, index, hostpci dict)]."""
    out = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        w = shlex.split(line, comments=True)
        if len(w) != 5 or w[:2] != ["qm", "set"]:
            raise Invalid("not a qm set line: %r" % line)
        if not VMID.match(w[2]):
            raise Invalid("value does not look like a valid VM ID: %r" % w[2])
        m = re.fullmatch(r"--hostpci(\d+)", w[3])
        if not m or int(m.group(1)) >= MAX_HOSTPCI or str(int(m.group(1))) != m.group(1):
            raise Invalid("unknown option %r (hostpci0..hostpci%d)" % (w[3], MAX_HOSTPCI - 1))
        out.append((int(w[2]), int(m.group(1)), parse_hostpci(w[4])))
    seen = set()
    for vmid, i, _ in out:
        if (vmid, i) in seen:
            raise Invalid("hostpci%d of VM %d set twice" % (i, vmid))
        seen.add((vmid, i))
    return out


def parse_pci_cfg(text):
    """PVE::SectionConfig::parse_config with PVE::Mapping::PCI's header
    and properties; returns {id: {"map": [dict...], ...}}."""
    ids = {}
    lines = [l for l in text.split("\n") if not re.match(r"\s*#", l)]
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        if line == "":
            continue
        m = re.fullmatch(r"(\S+)\s*", line)
        if not m:
            raise Invalid("ignore config line: %r" % line)
        sid = configid(m.group(1))
        if sid in ids:
            raise Invalid("section %r twice" % sid)
        cfg = {}
        while i < len(lines) and lines[i] != "":
            p = re.fullmatch(r"\s+(\S+)(\s+(.*\S))?\s*", lines[i])
            i += 1
            if not p:
                raise Invalid("(section %r) ignore config line: %r" % (sid, lines[i - 1]))
            k, v = p.group(1), p.group(3)
            if v is None:
                raise Invalid("got undefined value for %r" % k)
            if k == "map":
                e = property_string(MAP_FMT, v)
                missing = MAP_REQUIRED - set(e)
                if missing:
                    raise Invalid("map without %s" % ", ".join(sorted(missing)))
                cfg.setdefault("map", []).append(e)
            elif k in ("description", "mdev"):
                if k in cfg:
                    raise Invalid("duplicate attribute %r" % k)
                cfg[k] = boolean(v) if k == "mdev" else v
            else:
                raise Invalid("unexpected property %r" % k)
        if "map" not in cfg:
            raise Invalid("section %r has no map" % sid)
        ids[sid] = cfg
    return ids


def sysfs_id(root, addr, attr):
    with open(os.path.join(root, "sys/bus/pci/devices", addr, attr)) as f:
        return f.read().strip().replace("0x", "")


def assert_valid(root, entry):
    """PVE::Mapping::PCI::assert_valid against the tree: id, iommugroup
    (first device) and subsystem-id as sysfs has them."""
    for idx, path in enumerate(entry["path"].split(";")):
        if not re.search(r"\.[a-f0-9]", path, re.I):
            path += ".0"
        d = os.path.join(root, "sys/bus/pci/devices", path)
        if not os.path.isdir(d):
            raise Invalid("pci device %r not found" % path)
        correct = {"id": sysfs_id(root, path, "vendor") + ":" + sysfs_id(root, path, "device"),
                   "subsystem-id": sysfs_id(root, path, "subsystem_vendor") + ":" +
                   sysfs_id(root, path, "subsystem_device")}
        if os.path.islink(os.path.join(d, "iommu_group")):
            correct["iommugroup"] = int(os.path.basename(os.readlink(os.path.join(d, "iommu_group"))))
        for prop in ("id", "iommugroup", "subsystem-id"):
            if prop == "iommugroup" and idx > 0:
                continue
            want, have = correct.get(prop), entry.get(prop)
            if want is None and have is None:
                continue
            if have is None:
                raise Invalid("no %r for device %r" % (prop, path))
            if want is None:
                raise Invalid("%r configured but should not be" % prop)
            if str(want).replace("0x", "") != str(have).replace("0x", ""):
                raise Invalid("%r does not match (%s != %s)" % (prop, want, have))


class Parsers(unittest.TestCase):
    """The parsers take the documented examples and refuse their variants."""

    def test_hostpci(self):
        self.assertEqual(parse_hostpci("0000:3b:01.2,pcie=1"),
                         {"host": "0000:3b:01.2", "pcie": True})
        self.assertEqual(parse_hostpci("host=3b:01.2;3b:01.3,rombar=0")["rombar"], False)
        self.assertEqual(parse_hostpci("mapping=vfs,pcie=1")["mapping"], "vfs")
        for bad in ("0000:3B:01.2,pcie=1", "0000:3b:01.2,pcie=2", "0000:3b:01.2,mac=02:00:00:00:00:01",
                    "0000:3b:01.2,,pcie=1", "0000:3b:01.2,pcie=1,pcie=0", "pcie=1",
                    "0000:3b:01.2,mapping=vfs", "3b:1.2", "0000:3b:01.2 ,pcie=1"):
            with self.subTest(bad):
                self.assertRaises(Invalid, parse_hostpci, bad)

    def test_qm(self):
        self.assertEqual(parse_qm("# x\nqm set 100 --hostpci15 0000:3b:01.2,pcie=1\n"),
                         [(100, 15, {"host": "0000:3b:01.2", "pcie": True})])
        for bad in ("qm set 99 --hostpci0 0000:3b:01.2", "qm set 0100 --hostpci0 0000:3b:01.2",
                    "qm set 1000000000 --hostpci0 0000:3b:01.2",
                    "qm set 100 --hostpci16 0000:3b:01.2", "qm set 100 --hostpci01 0000:3b:01.2",
                    "qm set 100 --hostpci 0000:3b:01.2", "qm set 100 -hostpci0 0000:3b:01.2 x",
                    "qm set 100 --hostpci0 0000:3b:01.2\nqm set 100 --hostpci0 0000:3b:01.3"):
            with self.subTest(bad):
                self.assertRaises(Invalid, parse_qm, bad)

    def test_pci_cfg(self):
        good = ("# c\nvfs\n\tmap id=8086:1889,iommugroup=8,node=pve1,path=0000:3b:01.2,"
                "subsystem-id=8086:0002\n\tdescription two words\n\nother\n  map id=8086:1889,"
                "node=pve2,path=0000:3b:01.3\n")
        cfg = parse_pci_cfg(good)
        self.assertEqual(sorted(cfg), ["other", "vfs"])
        self.assertEqual(cfg["vfs"]["map"][0]["iommugroup"], 8)
        self.assertEqual(cfg["vfs"]["description"], "two words")
        for bad in ("pci: vfs\n\tmap id=8086:1889,node=pve1,path=0000:3b:01.2\n",
                    "9vfs\n\tmap id=8086:1889,node=pve1,path=0000:3b:01.2\n",
                    "vfs\n\tmap id=8086:1889,node=pve1,path=0000:3B:01.2\n",
                    "vfs\n\tmap id=8086:1889,node=pve1,path=3b:01.2\n",
                    "vfs\n\tmap id=8086:1889,node=pve1.example.com,path=0000:3b:01.2\n",
                    "vfs\n\tmap id=8086:1889,iommu_group=8,node=pve1,path=0000:3b:01.2\n",
                    "vfs\n\tmap id=8086:1889,path=0000:3b:01.2\n",
                    "vfs\n\tmap id=8086,node=pve1,path=0000:3b:01.2\n",
                    "vfs\nmap id=8086:1889,node=pve1,path=0000:3b:01.2\n",
                    "vfs\n\tmaps id=8086:1889,node=pve1,path=0000:3b:01.2\n",
                    "vfs\n\tmap id=8086:1889,node=pve1,path=0000:3b:01.2\nnext\n"
                    "\tmap id=8086:1889,node=pve1,path=0000:3b:01.3\n"):
            with self.subTest(bad):
                self.assertRaises(Invalid, parse_pci_cfg, bad)


class Proxmox(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="sriovctl-proxmox-")
        cls.root = os.path.join(cls.dir, "e810")
        cls.man = hostgen(cls.root, "e810:pfs=1,vfs=17,vfio=16",
                          "x520:pfs=1,vfs=2,vfio=2", hostname="pve1.example.com")
        cls.pf = cls.man["pfs"][0]
        cls.name = cls.pf["netdevs"][0]
        cls.vfio = [v for v in cls.pf["vfs"] if v["driver"] == "vfio-pci"]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def export(self, *args, check=0, root=None):
        return sriovctl("export", *args, root=root or self.root, check=check)

    def vf(self, v):
        return "%s/vf%d" % (self.name, v["index"])

    def test_qm_lines_accepted(self):
        vfs = self.vfio[:3]
        out = self.export("proxmox", "4711", *[self.vf(v) for v in vfs]).out
        lines = parse_qm(out)
        self.assertEqual([(vmid, i, p["host"], p["pcie"]) for vmid, i, p in lines],
                         [(4711, i, v["address"], True) for i, v in enumerate(vfs)])
        self.assertIn("# pcie=1 needs the q35 machine type (qm set 4711 --machine q35)", out)
        for _, _, p in lines:
            self.assertTrue(os.path.isdir(os.path.join(self.root, "sys/bus/pci/devices",
                                                       p["host"])))

    def test_sixteen_and_no_more(self):
        """hostpci0..15: all sixteen vfio VFs go; a seventeenth is refused."""
        lines = parse_qm(self.export("proxmox", "100", *[self.vf(v) for v in self.vfio]).out)
        self.assertEqual([i for _, i, _ in lines], list(range(16)))
        r = self.export("proxmox", "100", "--force", self.name, check=1)
        self.assertIn("17 VFs for one VM: Proxmox VE gives a VM hostpci0..hostpci15 (16 devices)",
                      r.err)
        self.assertEqual(r.out, "")

    def test_wrong_variants_rejected(self):
        out = self.export("proxmox", "100", self.vf(self.vfio[0])).out
        for wrong in (out.replace("--hostpci0", "--hostpci16"), out.replace("qm set 100", "qm set 99"),
                      out.replace(",pcie=1", ",pcie=1,mac=02:00:00:00:00:01"),
                      out.replace("0000:", "0000:X", 1) if "0000:" in out.split("qm set")[1] else None,
                      out.upper().replace("QM SET", "qm set")):
            if wrong is None:
                continue
            with self.subTest(wrong):
                self.assertRaises(Invalid, parse_qm, wrong)

    def test_mac_is_a_host_command(self):
        """hostpci has no mac=: a --mac the VF does not have yet is a comment
        with the command that sets it; the VF's own MAC needs none."""
        v = self.vfio[0]
        out = self.export("proxmox", "100", self.vf(v), "--mac", "02:11:22:33:44:55").out
        parse_qm(out)
        self.assertIn("# set the VF MAC on the host first: sriovctl vf %s set mac 02:11:22:33:44:55\n"
                      % self.vf(v), out)
        self.assertNotIn("mac=", out)
        iavf = [x for x in self.pf["vfs"] if x["driver"] == "iavf"][0]
        out = self.export("proxmox", "100", "--force", self.vf(iavf), "--mac", iavf["mac"]).out
        self.assertNotIn("set the VF MAC", out)
        r = self.export("proxmox", "100", self.vf(v), "--mac", "01:00:00:00:00:01", check=2)
        self.assertIn("--mac 01:00:00:00:00:01", r.err)

    def test_mapping_accepted_and_valid_on_the_host(self):
        vfs = self.vfio[:4]
        out = self.export("proxmox-mapping", "sriov-e810_a", *[self.vf(v) for v in vfs]).out
        cfg = parse_pci_cfg(out)
        self.assertEqual(list(cfg), ["sriov-e810_a"])
        maps = cfg["sriov-e810_a"]["map"]
        self.assertEqual([m["path"] for m in maps], [v["address"] for v in vfs])
        for m, v in zip(maps, vfs):
            self.assertEqual(m["node"], "pve1")
            self.assertEqual(m["iommugroup"], v["iommu_group"])
            self.assertEqual(m["id"], "8086:" + self.pf["vf_device_id"])
            assert_valid(self.root, m)
        self.assertIn("qm set VMID --hostpci0 mapping=sriov-e810_a,pcie=1", out)
        # appended to a file whose last section has no blank line after it
        existing = "gpu\n\tmap id=10de:1eb0,node=pve1,path=0000:01:00.0"
        both = parse_pci_cfg(existing + "\n" + out)
        self.assertEqual(sorted(both), ["gpu", "sriov-e810_a"])
        hostpci = parse_hostpci("mapping=sriov-e810_a,pcie=1")
        self.assertIn(hostpci["mapping"], both)

    def test_mapping_wrong_variants_rejected(self):
        v = self.vfio[0]
        out = self.export("proxmox-mapping", "vfs", self.vf(v)).out
        m = parse_pci_cfg(out)["vfs"]["map"][0]
        for wrong in (out.replace("\nvfs\n", "\npci: vfs\n"), out.replace("\tmap", "map"),
                      out.replace("iommugroup", "iommu_group"), out.replace("\n\nvfs", "\n\n9vfs")):
            with self.subTest(wrong):
                self.assertRaises(Invalid, parse_pci_cfg, wrong)
        for k, bad in (("id", "8086:ffff"), ("iommugroup", m["iommugroup"] + 1),
                       ("subsystem-id", "8086:9999"), ("path", "0000:7f:00.0")):
            with self.subTest(k):
                self.assertRaises(Invalid, assert_valid, self.root, dict(m, **{k: bad}))
        no_group = dict(m)
        del no_group["iommugroup"]
        self.assertRaises(Invalid, assert_valid, self.root, no_group)

    def test_cli_errors(self):
        v = self.vf(self.vfio[0])
        for vmid in ("99", "0100", "1000000000", "abc", "1e3"):
            with self.subTest(vmid=vmid):
                r = self.export("proxmox", vmid, v, check=2)
                self.assertIn("a Proxmox VM ID is 100..999999999", r.err)
        for name in ("9x", "a", "a.b", "x" * 65, "é1"):
            with self.subTest(name=name):
                r = self.export("proxmox-mapping", name, v, check=2)
                self.assertIn("Proxmox takes a letter, then", r.err)
        r = self.export("proxmox", "100", check=2)
        self.assertIn("export proxmox takes its VMID, then the VFs", r.err)
        r = self.export("proxmox-mapping", "vfs", v, "--mac", "02:00:00:00:00:01", check=2)
        self.assertIn("--mac is not an option of proxmox-mapping", r.err)
        r = self.export("proxmox", "100", v, "--name", "x", check=2)
        self.assertIn("--name is not an option of proxmox", r.err)
        # a VF on its kernel driver: Proxmox binds vfio-pci at the guest's
        # start (as libvirt's managed mode), so it is exported as it is
        iavf = [x for x in self.pf["vfs"] if x["driver"] == "iavf"][0]
        lines = parse_qm(self.export("proxmox", "100", self.vf(iavf)).out)
        self.assertEqual(lines[0][2]["host"], iavf["address"])

    def test_group_not_viable_refused(self):
        """One IOMMU group with the PF (no ACS): vfio, and so Proxmox, refuse it."""
        root = os.path.join(self.dir, "noacs")
        hostgen(root, "e810:pfs=1,vfs=2,vfio=1,acs=off", hostname="pve1")
        for fmt in (("proxmox", "100"), ("proxmox-mapping", "vfs")):
            with self.subTest(fmt[0]):
                r = self.export(*fmt, "ens1f0np0/vf1", root=root, check=1)
                self.assertIn("group.viable ens1f0np0/vf1", r.err)
                self.assertEqual(r.out, "")

    def test_mapping_node_name(self):
        d = tempfile.mkdtemp(dir=self.dir)
        for hostname, node, rc in (("pve2\n", "pve2", 0), ("pve-3.lab.example\n", "pve-3", 0),
                                   (None, None, 1), ("-bad\n", None, 1), ("\n", None, 1),
                                   ("pve_4\n", None, 1)):
            with self.subTest(hostname=hostname):
                root = os.path.join(d, "h")
                shutil.rmtree(root, ignore_errors=True)
                man = hostgen(root, "e810:pfs=1,vfs=1,vfio=1")
                if hostname is not None:
                    os.makedirs(os.path.join(root, "etc"), exist_ok=True)
                    with open(os.path.join(root, "etc/hostname"), "w") as f:
                        f.write(hostname)
                r = self.export("proxmox-mapping", "vfs", man["pfs"][0]["address"],
                                root=root, check=rc)
                if rc == 0:
                    self.assertEqual(parse_pci_cfg(r.out)["vfs"]["map"][0]["node"], node)
                elif hostname is None:
                    self.assertIn("cannot read %s/etc/hostname" % root, r.err)
                else:
                    self.assertIn("does not start with a host name Proxmox takes as a node", r.err)


if __name__ == "__main__":
    unittest.main()
