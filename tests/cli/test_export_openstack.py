# SPDX-License-Identifier: MIT
"""sriovctl export nova / neutron-agent / neutron-ml2: the text from
generated hosts, and the errors that refuse it. (OpenStack's own code
judges the text in tests/consumers/test_openstack.py.)"""
import json
import os
import shutil
import tempfile

from common import TreeTest, hostgen, sriovctl


def ini(text):
    """[section] -> [(key, value)] in order; comments dropped."""
    out, sec = {}, None
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            sec = out.setdefault(line.strip("[]"), [])
        else:
            k, v = line.split(" = ", 1) if " = " in line else (line.rstrip(" ="), "")
            sec.append((k, v))
    return out


class ExportOpenStack(TreeTest):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="sriovctl-export-os-")
        cls.root = cls.dir + "/host"
        cls.man = hostgen(cls.root, "e810:pfs=2,vfs=4/2,vfio=1", "x520:pfs=1,vfs=2",
                          "x520:pfs=1,vfs=2,pfdriver=none")
        cls.pf = cls.man["pfs"][0]
        cls.vfs = [v["address"] for v in cls.pf["vfs"]]
        cls.x520 = next(p for p in cls.man["pfs"] if p["netdevs"] == ["ens2f0"])
        cls.bare = next(p for p in cls.man["pfs"] if not p["netdevs"])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def export(self, *args, check=0):
        return sriovctl("export", *args, root=self.root, check=check)

    def policy(self, text, name="policy.yaml"):
        p = self.path(name)
        with open(p, "w") as f:
            f.write(text)
        return p

    def test_nova_device_spec_per_vf(self):
        pol = self.policy("pfs:\n  - match: {netdev: ens1f0np0}\n    vfs:\n"
                          "      '0': {pool: physnet1, trust: true}\n"
                          "      '1': {pool: physnet1, trust: false}\n"
                          "  - match: {netdev: ens2f0}\n    vfs:\n"
                          "      '0-1': {pool: physnet2}\n")
        s = ini(self.export("nova", "ens1f0np0/vf0-1", "ens2f0", "-f", pol).out)
        self.assertEqual(list(s), ["pci"])
        specs = [json.loads(v) for k, v in s["pci"] if k == "device_spec"]
        want = [{"address": self.vfs[0], "vendor_id": "8086", "product_id": "1889",
                 "physical_network": "physnet1", "trusted": "true"},
                {"address": self.vfs[1], "vendor_id": "8086", "product_id": "1889",
                 "physical_network": "physnet1"}]
        want += [{"address": v["address"], "vendor_id": "8086", "product_id": "10ed",
                  "physical_network": "physnet2"} for v in self.x520["vfs"]]
        self.assertEqual(specs, want)
        aliases = [json.loads(v) for k, v in s["pci"] if k == "alias"]
        self.assertEqual(aliases, [
            {"name": "physnet1", "vendor_id": "8086", "product_id": "1889",
             "device_type": "type-VF"},
            {"name": "physnet2", "vendor_id": "8086", "product_id": "10ed",
             "device_type": "type-VF"}])
        # --physnet overrides the pools; the key by release
        for rel, key in (("yoga", "passthrough_whitelist"), ("Xena", "passthrough_whitelist"),
                         ("zed", "device_spec"), ("2023.1", "device_spec"),
                         ("caracal", "device_spec"), (None, "device_spec")):
            args = ["nova", "ens1f0np0/vf2", "--physnet", "net-a"]
            if rel:
                args += ["--release", rel]
            s = ini(self.export(*args).out)
            self.assertEqual([k for k, _ in s["pci"]], [key, "alias"], rel)
            self.assertEqual(json.loads(s["pci"][0][1])["physical_network"], "net-a")

    def test_neutron_agent(self):
        s = ini(self.export("neutron-agent", "ens1f0np0/vf1-2", "ens1f1np1/vf0",
                            "ens2f0", "--physnet", "physnet1").out)
        pf1 = self.man["pfs"][1]["vfs"]
        self.assertEqual(s, {"sriov_nic": [
            ("physical_device_mappings", "physnet1:ens1f0np0,physnet1:ens1f1np1,physnet1:ens2f0"),
            ("exclude_devices", f"ens1f0np0:{self.vfs[0]};{self.vfs[3]},"
                                f"ens1f1np1:{pf1[1]['address']}")]})
        # every VF of the PF: nothing excluded, the key still written (empty)
        s = ini(self.export("neutron-agent", "ens2f0", "--physnet", "p").out)
        self.assertEqual(s["sriov_nic"], [("physical_device_mappings", "p:ens2f0"),
                                          ("exclude_devices", "")])

    def test_neutron_ml2(self):
        pol = self.policy("pfs:\n  - match: {netdev: ens1f0np0}\n    vfs:\n"
                          "      '0': {pool: a, vlan: 10}\n      '1': {pool: a, vlan: 11}\n"
                          "      '2': {pool: a, vlan: 13}\n      '3': {pool: b}\n")
        s = ini(self.export("neutron-ml2", "ens1f0np0", "-f", pol).out)
        self.assertEqual(s, {"ml2": [("mechanism_drivers", "openvswitch,sriovnicswitch")],
                             "ml2_type_vlan": [("network_vlan_ranges", "a:10:11,a:13:13,b")]})

    def test_errors(self):
        two = self.policy("pfs:\n  - match: {netdev: ens1f0np0}\n    vfs:\n"
                          "      '0': {pool: a}\n      '1': {pool: b}\n")
        qinq = self.policy("pfs:\n  - match: {netdev: ens1f0np0}\n    vfs:\n"
                           "      '0': {pool: a, vlan: 10, vlan_proto: 802.1ad}\n", "qinq.yaml")
        cases = [
            (("nova", "ens1f0np0/vf0"), 2,
             f"VF ens1f0np0/vf0 ({self.vfs[0]}) has no physical network: give --physnet NAME, "
             "or 'pool: NAME' to its VF range in the policy"),
            (("neutron-agent", "ens1f0np0/vf0"), 2, "has no physical network"),
            (("neutron-ml2", "ens1f0np0/vf0"), 2, "has no physical network"),
            (("nova", "ens1f0np0/vf0", "--physnet", "p", "--release", "mitaka"), 2,
             "--release 'mitaka': not an OpenStack release with nova's [pci] section; "
             "known: newton, ocata"),
            (("nova", "ens1f0np0/vf0", "--physnet", "p", "--release", "2022.2"), 2,
             "or a number from 2023.1 on"),
            (("nova", "ens1f0np0/vf0", "--physnet", "p", "--release", "2023.10"), 2,
             "--release '2023.10'"),
            (("neutron-agent", "ens1f0np0/vf0", "--physnet", "p", "--release", "zed"), 2,
             "--release is not an option of neutron-agent"),
            (("nova", "ens1f0np0/vf0", "--physnet", "p", "--mac", "02:00:00:00:00:01"), 2,
             "--mac is not an option of nova"),
            (("neutron-ml2", "ens1f0np0/vf0", "--physnet", "p", "--name", "x"), 2,
             "--name is not an option of neutron-ml2"),
            (("nova", "ens1f0np0/vf0", "--physnet", "a:b"), 2, "--physnet 'a:b': a physical network name"),
            (("neutron-agent", "ens1f0np0/vf0", "--physnet", "a,b"), 2, "--physnet 'a,b'"),
            (("nova", "ens1f0np0/vf0", "--physnet", ".x"), 2, "--physnet '.x'"),
            (("neutron-agent", self.bare["address"], "--physnet", "p"), 1,
             f"its PF {self.bare['address']} has no netdev (driver none)"),
            (("neutron-agent", "ens1f0np0/vf0-1", "-f", two), 1,
             "neutron's SR-IOV agent maps a PF to one physical network"),
            (("neutron-ml2", "ens1f0np0/vf0", "-f", qinq), 1,
             "is not an 802.1Q VLAN neutron's VLAN type driver can give"),
        ]
        out = self.path("never.ini")
        for args, rc, msg in cases:
            r = self.export(*args, "-o", out, check=rc)
            self.assertIn(msg, r.err, args)
            self.assertEqual(r.out, "", args)
            self.assertFalse(os.path.exists(out), args)
        # the bare PF's VFs are still nova's (it names them by address)
        s = ini(self.export("nova", self.bare["address"], "--physnet", "p").out)
        self.assertEqual(len([k for k, _ in s["pci"] if k == "device_spec"]), 2)

    def test_help_lists_the_formats(self):
        text = sriovctl("help", "export").out
        for f in ("nova", "neutron-agent", "neutron-ml2"):
            self.assertIn("\n  " + f + " ", text)


if __name__ == "__main__":
    import unittest
    unittest.main()
