# SPDX-License-Identifier: MIT
"""OpenStack judges sriovctl export's nova, neutron-agent and neutron-ml2
text with its own code (Debian's python3-nova, python3-neutron, run by
openstack_check.py under /usr/bin/python3):

- nova: oslo.config with nova's options reads the [pci] section;
  nova.pci.whitelist.Whitelist over every PCI device of the generated
  host (nova's dev dicts, read from its sysfs mounted over /sys in a
  private mount namespace: nova asks sysfs whether an address is a PF's)
  matches exactly the exported VFs, with their physnet and trust tags;
  nova's alias parser takes the aliases.
- neutron-agent: the agent's own SriovNicAgentConfigParser.
- neutron-ml2: neutron's ml2 options and neutron_lib's
  parse_network_vlan_ranges.

Wrong variants of real outputs are refused by the same code, so the test
can fail. A missing package or no mount namespace is a failure, not a
skip (the tests run as root in CI; the real /sys is never touched)."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from common import hostgen, sriovctl

PY = "/usr/bin/python3"
CHECK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "openstack_check.py")


def check(cases, sys_dir=None):
    """OpenStack's verdict on each case ({"kind", "text"}), in order."""
    cmd = [PY, CHECK]
    if sys_dir:
        # nova reads /sys: the generated host's, in a namespace of our own
        cmd = ["unshare", "-m", "--propagation", "private", "sh", "-c",
               'mount --bind "$1" /sys && shift && exec "$@"', "sh", sys_dir, *cmd]
    p = subprocess.run(cmd, input=json.dumps(cases), capture_output=True,
                       text=True, timeout=300)
    if p.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)}: exit {p.returncode}: {p.stderr}")
    out = json.loads(p.stdout)
    assert len(out) == len(cases)
    return out


class OpenStack(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        p = subprocess.run([PY, "-c", "import nova.pci.whitelist, neutron_lib, "
                            "neutron.plugins.ml2.drivers.mech_sriov.agent.sriov_nic_agent"],
                           capture_output=True, text=True, timeout=300) \
            if os.path.exists(PY) else None
        if not p or p.returncode != 0:
            raise AssertionError(
                "OpenStack's code is missing: apt-get install python3-nova "
                "python3-neutron (./dev.sh deps); this test does not skip\n" +
                (p.stderr if p else PY + " not found"))
        if not shutil.which("unshare"):
            raise AssertionError("unshare (util-linux) is missing")
        cls.dir = tempfile.mkdtemp(prefix="sriovctl-openstack-")
        cls.hosts = {}
        for name, cards in {
            "e810-x520": ["e810:pfs=2,vfs=4/2,vfio=1", "x520:pfs=1,vfs=3"],
            "i350-seed": ["i350:vfs=0/7/0/0,bus=31"],
        }.items():
            root = os.path.join(cls.dir, name)
            cls.hosts[name] = (root, hostgen(root, *cards))
        # the e810's first PF: VFs 0-2 to physnet1 (0-1 trusted, VLANs 100
        # and 102), its vfio VF 3 kept for DPDK; the x520 to physnet2
        cls.policy = os.path.join(cls.dir, "policy.yaml")
        with open(cls.policy, "w") as f:
            f.write("pfs:\n  - match: {netdev: ens1f0np0}\n    vfs:\n"
                    "      '0-1': {pool: physnet1, trust: true, vlan: 100}\n"
                    "      '2': {pool: physnet1, vlan: 102}\n"
                    "      '3': {pool: dpdk}\n"
                    "  - match: {netdev: ens2f0}\n    vfs:\n"
                    "      '0-2': {pool: physnet2}\n")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def export(self, host, *args):
        return sriovctl("export", *args, root=self.hosts[host][0], check=0).out

    def vfs(self, host):
        """{address: (pf, vf)} of every VF of @host (the manifest: the truth)."""
        return {v["address"]: (pf, v) for pf in self.hosts[host][1]["pfs"]
                for v in pf["vfs"]}

    # (host, export arguments, {VF address: (physnet, trusted)}, aliases)
    def nova_exports(self):
        e = self.vfs("e810-x520")
        pf0 = [a for a, (pf, v) in e.items() if pf["netdevs"] == ["ens1f0np0"]]
        x520 = [a for a, (pf, v) in e.items() if pf["netdevs"] == ["ens2f0"]]
        i350 = sorted(self.vfs("i350-seed"))
        pools = {pf0[0]: ("physnet1", True), pf0[1]: ("physnet1", True),
                 pf0[2]: ("physnet1", False)}
        pools.update({a: ("physnet2", False) for a in x520})
        yield ("e810-x520", ("--pool", "physnet1", "-f", self.policy),
               {a: p for a, p in pools.items() if p[0] == "physnet1"},
               {"physnet1": [("8086", "1889")]})
        yield ("e810-x520", ("ens1f0np0/vf0-2", "ens2f0", "-f", self.policy), pools,
               {"physnet1": [("8086", "1889")], "physnet2": [("8086", "10ed")]})
        # --physnet for all; trust only where the policy says so (none here)
        yield ("e810-x520", ("ens1f0np0/vf3", "ens1f1np1", "--physnet", "sriov"),
               {a: ("sriov", False) for a in [pf0[3]] +
                [a for a, (pf, v) in e.items() if pf["netdevs"] == ["ens1f1np1"]]},
               {"sriov": [("8086", "1889")]})
        for rel in ("yoga", "zed", "2024.1"):
            yield ("e810-x520", ("ens2f0/vf1", "--physnet", "p", "--release", rel),
                   {x520[1]: ("p", False)}, {"p": [("8086", "10ed")]})
        yield ("i350-seed", ("ens1f1/vf1-5", "--physnet", "physnet1"),
               {a: ("physnet1", False) for a in i350[1:6]},
               {"physnet1": [("8086", "1520")]})

    def test_nova_matches_exactly_the_exported_vfs(self):
        n = 0
        for host in self.hosts:
            root, man = self.hosts[host]
            runs = [(args, want, aliases, self.export(host, "nova", *args))
                    for h, args, want, aliases in self.nova_exports() if h == host]
            # control: a PF's address matches the PF and all its VFs, which
            # nova only knows from sysfs; so the mounted tree is what it read
            pf = next(p for p in man["pfs"] if p["vfs"])
            pf_spec = ('[pci]\ndevice_spec = {"address": "%s", "physical_network": "x"}\n'
                       % pf["address"])
            got = check([{"kind": "nova", "text": t} for *_, t in runs] +
                        [{"kind": "nova", "text": pf_spec}], os.path.join(root, "sys"))
            control = got.pop()
            self.assertTrue(control["ok"], control)
            self.assertEqual(set(control["matched"]),
                             {pf["address"]} | {v["address"] for v in pf["vfs"]})
            # nova saw every device of the generated host, VFs as VFs
            self.assertEqual(sorted(d["address"] for d in control["devices"]),
                             sorted(man["devices"]))
            vfs = {d["address"]: d for d in control["devices"] if d["dev_type"] == "type-VF"}
            self.assertEqual(set(vfs), set(self.vfs(host)))
            for (args, want, aliases, text), res in zip(runs, got):
                with self.subTest(host=host, args=args):
                    self.assertTrue(res["ok"], f"nova refuses: {res}\n{text}")
                    n += 1
                    self.assertEqual(res["n_specs"], len(want), text)
                    # exactly the exported VFs: no PF, no other VF, no other device
                    self.assertEqual(set(res["matched"]), set(want), text)
                    for addr, (physnet, trusted) in want.items():
                        tags = {"physical_network": physnet}
                        if trusted:
                            tags["trusted"] = "true"
                        self.assertEqual(res["matched"][addr], tags, addr)
                    self.assertEqual(
                        {k: [(s["vendor_id"], s["product_id"]) for s in v[1]]
                         for k, v in res["aliases"].items()}, aliases)
                    for v in res["aliases"].values():
                        self.assertTrue(all(s["dev_type"] == "type-VF" for s in v[1]))
                    rel = args[args.index("--release") + 1] if "--release" in args else None
                    key = "passthrough_whitelist" if rel == "yoga" else "device_spec"
                    self.assertEqual(text.count(f"\n{key} = "), len(want), text)
        self.assertGreaterEqual(n, 7)

    def test_nova_wrong_variants_rejected(self):
        root, man = self.hosts["e810-x520"]
        text = self.export("e810-x520", "nova", "ens1f0np0/vf0-1", "-f", self.policy)
        first = next(l for l in text.splitlines() if l.startswith("device_spec"))
        vf0 = self.vfs("e810-x520")
        addr = sorted(a for a, (pf, v) in vf0.items() if pf["netdevs"] == ["ens1f0np0"])[0]
        cases = [
            ("function 8", f'"{addr}"', f'"{addr[:-1]}8"', "PciConfigInvalidSpec"),
            ("slot 0x20", f'"{addr}"', f'"{addr[:5]}{addr[5:8]}20.0"', "PciConfigInvalidSpec"),
            ("not JSON", first, first[:-2], "PciConfigInvalidSpec"),
            ("a list of strings", first, 'device_spec = ["0000:02:01.0"]', "PciConfigInvalidSpec"),
            ("vendor_id not hex", '"vendor_id": "8086"', '"vendor_id": "80g6"', "PciConfigInvalidSpec"),
            ("address and devname", '"vendor_id"', '"devname": "ens1f0v0", "vendor_id"',
             "PciDeviceInvalidDeviceName"),
            ("alias device_type lower case", '"type-VF"', '"type-vf"', "PciInvalidAlias"),
            ("alias with a physnet", '"device_type": "type-VF"',
             '"device_type": "type-VF", "physical_network": "physnet1"', "PciInvalidAlias"),
            ("alias without a name", '"name": "physnet1", ', "", "PciInvalidAlias"),
        ]
        got = check([{"kind": "nova", "text": text}] +
                    [{"kind": "nova", "text": text.replace(old, new, 1)}
                     for _, old, new, _ in cases], os.path.join(root, "sys"))
        self.assertTrue(got[0]["ok"], got[0])
        self.assertEqual(len(got[0]["matched"]), 2)
        for (what, old, new, exc), res in zip(cases, got[1:]):
            with self.subTest(what):
                self.assertIn(old, text)
                self.assertFalse(res["ok"], f"nova accepts {what}: {res}")
                self.assertTrue(res["error"].startswith(exc + ":"), res["error"])

    def agent_exports(self):
        """(host, args, mappings, excluded) with what the agent must read."""
        e = self.vfs("e810-x520")

        def of(nd):
            return sorted(a for a, (pf, v) in e.items() if pf["netdevs"] == [nd])
        pf0, pf1, x520 = of("ens1f0np0"), of("ens1f1np1"), of("ens2f0")
        yield ("e810-x520", ("ens1f0np0/vf0-2", "ens2f0", "-f", self.policy),
               {"physnet1": ["ens1f0np0"], "physnet2": ["ens2f0"]},
               {"ens1f0np0": pf0[3:]})
        yield ("e810-x520", ("--pool", "physnet2", "-f", self.policy),
               {"physnet2": ["ens2f0"]}, {})
        # two PFs in one physnet; the vfio VFs of both excluded
        yield ("e810-x520", ("ens1f0np0/vf0-2", "ens1f1np1/vf0", "--physnet", "physnet1"),
               {"physnet1": ["ens1f0np0", "ens1f1np1"]},
               {"ens1f0np0": pf0[3:], "ens1f1np1": pf1[1:]})
        yield ("e810-x520", ("ens2f0/vf1",  "--physnet", "p"), {"p": ["ens2f0"]},
               {"ens2f0": [x520[0], x520[2]]})
        i350 = sorted(self.vfs("i350-seed"))
        yield ("i350-seed", ("ens1f1/vf0-4", "--physnet", "physnet1"),
               {"physnet1": ["ens1f1"]}, {"ens1f1": i350[5:]})

    def test_neutron_agent_reads_the_mappings(self):
        runs = [(a, m, x, self.export(h, "neutron-agent", *a))
                for h, a, m, x in self.agent_exports()]
        got = check([{"kind": "agent", "text": t} for *_, t in runs])
        for (args, maps, excl, text), res in zip(runs, got):
            with self.subTest(args=args):
                self.assertTrue(res["ok"], f"the agent refuses: {res}\n{text}")
                self.assertEqual(res["device_mappings"], maps, text)
                self.assertEqual(res["exclude_devices"], excl, text)
        self.assertEqual(len(got), 5)

    def test_neutron_agent_wrong_variants_rejected(self):
        text = self.export("e810-x520", "neutron-agent", "ens1f0np0/vf0-2", "ens2f0",
                           "-f", self.policy)
        cases = [
            ("exclude of a PF not mapped", "exclude_devices = ens1f0np0:",
             "exclude_devices = ens9f0:"),
            ("a mapping without ':'", "physnet1:ens1f0np0", "physnet1-ens1f0np0"),
            ("a mapping without a physnet", "physnet1:ens1f0np0", ":ens1f0np0"),
            ("a PF excluded twice", "exclude_devices = ens1f0np0:0000:02:01.3",
             "exclude_devices = ens1f0np0:0000:02:01.3,ens1f0np0:0000:02:01.2"),
            ("a PF name run into its VFs", "exclude_devices = ens1f0np0:", "exclude_devices = ens1f0np0"),
        ]
        got = check([{"kind": "agent", "text": text}] +
                    [{"kind": "agent", "text": text.replace(o, n, 1)} for _, o, n in cases])
        self.assertTrue(got[0]["ok"], got[0])
        for (what, old, new), res in zip(cases, got[1:]):
            with self.subTest(what):
                self.assertIn(old, text)
                self.assertFalse(res["ok"], f"the agent accepts {what}: {res}")
                self.assertTrue(res["error"].startswith("ValueError:"), res["error"])

    def test_neutron_ml2_vlan_ranges(self):
        runs = [
            (("ens1f0np0/vf0-2", "ens2f0", "-f", self.policy),
             {"physnet1": [[100, 100], [102, 102]], "physnet2": [[1, 4094]]}),
            (("--pool", "physnet1", "-f", self.policy),
             {"physnet1": [[100, 100], [102, 102]]}),
            (("ens1f0np0/vf0-1", "--physnet", "p", "-f", self.policy), {"p": [[100, 100]]}),
            (("ens2f0", "--physnet", "physnet3"), {"physnet3": [[1, 4094]]}),
        ]
        texts = [self.export("e810-x520", "neutron-ml2", *a) for a, _ in runs]
        got = check([{"kind": "ml2", "text": t} for t in texts])
        for (args, ranges), text, res in zip(runs, texts, got):
            with self.subTest(args=args):
                self.assertTrue(res["ok"], f"neutron refuses: {res}\n{text}")
                self.assertEqual(res["ranges"], ranges, text)
                self.assertEqual(res["mechanism_drivers"], ["openvswitch", "sriovnicswitch"])
        base = texts[0]
        cases = [
            ("VLAN 5000", "physnet1:102:102", "physnet1:102:5000", "NetworkVlanRangeError"),
            ("a reversed range", "physnet1:102:102", "physnet1:102:101", "NetworkVlanRangeError"),
            ("one bound", "physnet1:100:100", "physnet1:100", "NetworkVlanRangeError"),
            ("no physnet", "physnet1:100:100", ":100:100", "PhysicalNetworkNameError"),
        ]
        got = check([{"kind": "ml2", "text": base.replace(o, n, 1)} for _, o, n, _ in cases])
        for (what, old, new, exc), res in zip(cases, got):
            with self.subTest(what):
                self.assertIn(old, base)
                self.assertFalse(res["ok"], f"neutron accepts {what}: {res}")
                self.assertTrue(res["error"].startswith(exc + ":"), res["error"])


if __name__ == "__main__":
    unittest.main()
