# SPDX-License-Identifier: MIT
"""sriovctl policy check: the default path and conf.d under --root, -f, errors, exit codes."""
import os
import unittest

from common import TreeTest, sriovctl

GOOD = """\
pfs:
  - match: {netdev: ens1f0}
    num_vfs: 8
    mtu: 9000
    drivers_autoprobe: true
    link_state: up
    vfs:
      "0-3": {driver: iavf, vlan: 100, qos: 2, vlan_proto: 802.1Q, spoofchk: true, trust: false, mac: auto}
      "4-7": {driver: vfio-pci, max_tx_rate: 1000, min_tx_rate: 100, link_state: auto, query_rss: false, mtu: 1500}
"""


class PolicyCheck(TreeTest):
    def write(self, rel, text):
        p = self.path(rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
        return p

    def test_good_default_path(self):
        self.write("etc/sriovctl/sriovctl.yaml", GOOD)
        r = sriovctl("policy", "check", root=self.tmp, check=0)
        self.assertIn("PF netdev ens1f0: num_vfs 8 mtu 9000 drivers_autoprobe on link up",
                      r.out)
        self.assertIn("VFs 0-3: driver iavf mac auto vlan 100 qos 2", r.out)
        self.assertIn("VFs 4-7: driver vfio-pci min_tx_rate 100 max_tx_rate 1000", r.out)
        self.assertIn("policy OK: 1 file, 1 PF entry, 2 VF ranges", r.out)
        self.assertEqual(r.err, "")

    def test_confd_merged_in_name_order(self):
        self.write("etc/sriovctl/sriovctl.yaml", GOOD)
        self.write("etc/sriovctl/conf.d/20-b.yaml",
                   'vfs:\n  - select: "ens1f0#0-1"\n    vlan: 100\n')
        self.write("etc/sriovctl/conf.d/10-a.yaml", "pfs:\n  - match: {pci: \"0000:3b:00.1\"}\n")
        self.write("etc/sriovctl/conf.d/notes.txt", "not: [yaml")
        r = sriovctl("policy", "check", root=self.tmp, check=0)
        lines = [l for l in r.out.splitlines() if l.startswith("PF")]
        self.assertIn("10-a.yaml", lines[1])
        self.assertIn("20-b.yaml", lines[2])
        self.assertIn("(VFs only)", lines[2])
        self.assertIn("policy OK: 3 files, 3 PF entries, 3 VF ranges", r.out)

    def test_errors_all_collected_with_positions(self):
        self.write("etc/sriovctl/sriovctl.yaml", GOOD)
        self.write("etc/sriovctl/conf.d/10-bad.yaml",
                   "pfs:\n"
                   "  - match: {netdev: ens2f0}\n"
                   "    num_vfs: lots\n"
                   "    vfs:\n"
                   "      \"0\": {vlan: 4095, mac: \"01:00:5e:00:00:01\"}\n"
                   "vfs:\n"
                   "  - select: \"ens1f0#2\"\n"
                   "    vlan: 200\n")
        r = sriovctl("policy", "check", root=self.tmp, check=1)
        self.assertEqual(r.out, "")
        f = "/etc/sriovctl/conf.d/10-bad.yaml"
        self.assertEqual(r.err.splitlines(), [
            f + ":3:14: num_vfs: expected a number, got \"lots\"",
            f + ":5:19: vlan: 4095 is out of range 0..4094",
            f + ":5:30: mac: 01:00:5e:00:00:01 is a multicast address; a VF needs a unicast one",
            f + ":8:11: vlan of ens1f0 VF 2 disagrees with the value at "
                "/etc/sriovctl/sriovctl.yaml:8:35 for the same VF",
            "sriovctl: the policy has 4 errors; nothing was done. Fix them and run "
            "'sriovctl policy check' again",
        ])

    def test_pools(self):
        # pool names: a token; overlapping ranges must agree on the pool
        p = self.write("pools.yaml",
                       "pfs:\n"
                       "  - match: {netdev: ens1f0}\n"
                       "    vfs:\n"
                       "      \"0-3\": {pool: physnet1}\n"
                       "      \"2-5\": {pool: dpdk}\n"
                       "      \"3\": {pool: physnet1}\n"
                       "      \"6\": {pool: -x}\n"
                       "      \"7\": {pool: [a]}\n"
                       "      \"8\": {pool: a, pool: b}\n"
                       "      \"9\": {pool: " + "p" * 64 + "}\n")
        r = sriovctl("policy", "check", "-f", p, check=1)
        self.assertEqual(r.err.splitlines()[:6], [
            p + ":7:19: pool: \"-x\" is not a pool name: 1..63 of A-Z a-z 0-9 _ . -, "
                "starting with a letter or digit",
            p + ":8:19: pool: expected a name, got a list",
            p + ":9:22: VFs \"8\": duplicate key \"pool\" (first at line 9, column 13)",
            p + ":10:19: pool: \"" + "p" * 64 + "\" is not a pool name: 1..63 of "
                "A-Z a-z 0-9 _ . -, starting with a letter or digit",
            p + ":5:21: pool of ens1f0 VFs 2-3 disagrees with the value at "
                + p + ":4:21 for the same VFs",
            "sriovctl: the policy has 5 errors; nothing was done. Fix them and run "
            "'sriovctl policy check' again",
        ])
        good = self.write("good.yaml", "pfs:\n  - match: {netdev: ens1f0}\n    vfs:\n"
                          "      \"0-3\": {pool: physnet1}\n"
                          "      \"2\": {pool: physnet1, vlan: 4}\n"
                          "      \"4-7\": {pool: intel.com_sriov-dpdk}\n")
        sriovctl("policy", "check", "-f", good, check=0)

    def test_limits(self):
        # a valid policy of 65536 ranges (96 s before), one of 65537
        head = "pfs:\n  - match: {netdev: ens1f0}\n    vfs:\n"
        p = self.write("big.yaml", head + "".join(f'      "{i}": {{vlan: 7}}\n'
                                                  for i in range(65536)))
        r = sriovctl("policy", "check", "-f", p, check=0)
        self.assertIn("policy OK: 1 file, 1 PF entry, 65536 VF ranges", r.out)
        p = self.write("bigger.yaml", head + "".join(f'      "{i}-65535": {{vlan: 7}}\n'
                                                     for i in range(65536)) + '      "0": {}\n')
        r = sriovctl("policy", "check", "-f", p, check=1)
        self.assertIn(p + ":4:7: vfs: 65537 VF ranges; a PF has at most 65536 VFs", r.err)
        # nesting: refused at the collection that goes too deep, before libyaml
        # takes it all in (32 k flow levels took 14 s)
        p = self.write("deep.yaml", "pfs: " + "[" * 32768 + "]" * 32768 + "\n")
        r = sriovctl("policy", "check", "-f", p, check=1)
        self.assertIn(p + ":1:37: YAML: nested deeper than 32 levels; a policy needs 6", r.err)
        self.assertIn("the policy has 1 error", r.err)

    def test_file_option(self):
        p = self.write("mine.yaml", GOOD)
        r = sriovctl("policy", "check", "-f", p, check=0)
        self.assertIn("policy OK: 1 file", r.out)
        r = sriovctl("policy", "check", "--file=" + p, root=self.tmp, check=0)
        self.assertIn("(" + p + ":2)", r.out)
        bad = self.write("bad.yaml", "pfs: [\n")
        r = sriovctl("policy", "check", "-f", bad, check=1)
        self.assertIn(bad + ":2:1: YAML: did not find expected node content", r.err)

    def test_no_policy(self):
        r = sriovctl("policy", "check", root=self.tmp, check=1)
        self.assertIn("no policy: neither /etc/sriovctl/sriovctl.yaml nor "
                      "/etc/sriovctl/conf.d/*.yaml exists under " + self.tmp, r.err)
        r = sriovctl("policy", "check", "-f", self.path("nope.yaml"), check=1)
        self.assertIn("cannot open " + self.path("nope.yaml"), r.err)

    def test_usage(self):
        sriovctl("policy", root=self.tmp, check=2)
        r = sriovctl("policy", "apply", root=self.tmp, check=2)
        self.assertIn("unknown policy command 'apply'", r.err)
        sriovctl("policy", "check", "-f", check=2)
        sriovctl("policy", "check", "--bogus", root=self.tmp, check=2)


if __name__ == "__main__":
    unittest.main()
