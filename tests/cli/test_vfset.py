# SPDX-License-Identifier: MIT
"""vf VF set: every spelling of an attribute (docs/vf-attributes.md) means
the same setting and prints the same canonical line; --dry-run runs the
real run's checks on a generated tree, prints old -> new and writes
nothing; bad values are refused with one precise message."""
import os
import unittest

from common import TreeTest, hostgen, sriovctl
from test_bind import tree_digest


class Tree(TreeTest):
    """An igb and an E810 host; every test leaves the tree as it was."""

    def setUp(self):
        super().setUp()
        self.root = self.path("host")
        hostgen(self.root, "igb:vfs=3,ifname=ens1f", "e810:pfs=1,vfs=4,ifname=ens2f")
        self.digest = tree_digest(self.root)

    def tearDown(self):
        self.assertEqual(tree_digest(self.root), self.digest,
                         "the generated tree was modified")
        super().tearDown()

    def vf(self, *args, rc=0):
        return sriovctl("vf", *args, root=self.root, check=rc)


class VfSet(Tree):
    def test_dry_run_prints_and_changes_nothing(self):
        for flag in ("-n", "--dry-run"):
            r = self.vf("ens2f0/vf1", "set", "mac", "2:AA:0:0:0:1", "vlan", "100",
                        "qos", "3", "proto", "802.1ad", "trust", "on",
                        "link-state", "disable", flag)
            self.assertEqual(r.out.splitlines(), [
                "ens2f0/vf1 mac: ? -> 02:aa:00:00:00:01",
                "ens2f0/vf1 vlan: ? -> 100 qos 3 proto 802.1ad",
                "ens2f0/vf1 trust: ? -> on",
                "ens2f0/vf1 link-state: ? -> disable",
                "4 changes (dry run: nothing was written)",
            ])
            self.assertEqual(r.err, "")

    def test_seed_spelling_is_max_rate(self):
        a = self.vf("ens2f0/vf0", "set", "max_tx_rate", "5000", "min_tx_rate", "0", "-n")
        b = self.vf("ens2f0/vf0", "set", "max-rate", "5000", "min-rate", "0", "-n")
        self.assertEqual(a.out, b.out)
        self.assertIn("ens2f0/vf0 max-rate: ? -> 5000", a.out.splitlines())
        # alone, both spellings meet the same check: the tree reports no rates
        a = self.vf("ens2f0/vf0", "set", "max_tx_rate", "5000", "-n", rc=1)
        b = self.vf("ens2f0/vf0", "set", "max-rate", "5000", "-n", rc=1)
        self.assertEqual(a.err, b.err)
        self.assertIn("setting max-rate alone would reset min-rate", a.err)

    def test_ip_spellings(self):
        a = self.vf("ens2f0/vf0", "set", "state", "enable", "spoofchk", "yes",
                    "query_rss", "1", "vlan", "7", "vlan_qos", "1", "protocol",
                    "802.1AD", "-n")
        b = self.vf("ens2f0/vf0", "set", "link-state", "enable", "spoofchk", "on",
                    "query-rss", "on", "vlan", "7", "qos", "1", "proto",
                    "802.1ad", "-n")
        self.assertEqual(a.out, b.out)
        self.assertIn("ens2f0/vf0 link-state: ? -> enable", a.out.splitlines())

    def test_dry_run_checks(self):
        r = self.vf("ens2f0/vf9", "set", "trust", "on", "-n", rc=1)
        self.assertIn("no such VF", r.err)
        # what igb is known to refuse, as the real run would learn it
        r = self.vf("ens1f0/vf0", "set", "min-rate", "10", "max-rate", "100",
                    "trust", "on", "-n", rc=1)
        self.assertIn("ens1f0/vf0 min-rate: ? -> 10 (the driver would refuse it: "
                      "quirk igb.no-min-rate: igb has a max TX rate only; a min rate is "
                      "refused (EINVAL; source: drivers/net/ethernet/intel/igb/igb_main.c "
                      "igb_ndo_set_vf_bw (min_tx_rate -> -EINVAL); lab: EINVAL))",
                      r.out.splitlines())
        self.assertIn("ens1f0/vf0 trust: ? -> on", r.out.splitlines())
        self.assertIn("the driver would refuse a setting", r.err)
        self.vf("ens1f0/vf0", "set", "min-rate", "0", "max-rate", "100", "-n")
        # the write itself still needs the live host
        r = self.vf("ens2f0/vf0", "set", "trust", "on", rc=2)
        self.assertIn("only with --dry-run", r.err)

    def test_bad_values(self):
        cases = [
            (["vlan", "4095"], 1, "vlan: 4095 is out of range 0..4094"),
            (["vlan", "7", "qos", "8"], 1, "vlan qos: 8 is out of range 0..7"),
            (["vlan", "7", "proto", "802.1x"], 1,
             "vlan proto: expected 802.1Q or 802.1ad, got \"802.1x\""),
            (["max_tx_rate", "4294967296"], 1,
             "max_tx_rate: 4294967296 is out of range 0..4294967295"),
            (["trust", "maybe"], 1,
             "trust: expected on or off (or true/false, yes/no, 1/0), got \"maybe\""),
            (["state", "up"], 1, "state: expected auto, enable or disable, got \"up\""),
            (["mac", "01:00:5e:00:00:01"], 1,
             "mac: 01:00:5e:00:00:01 is a multicast address; a VF needs a unicast one"),
            (["max-rate", "5", "max_tx_rate", "6"], 2,
             "max_tx_rate is given twice: give each attribute once"),
            (["colour", "blue"], 2, "unknown attribute 'colour'"),
        ]
        for args, rc, msg in cases:
            with self.subTest(args=args):
                r = self.vf("ens2f0/vf0", "set", *args, "-n", rc=rc)
                self.assertEqual(r.out, "")
                self.assertEqual(r.err.splitlines()[0][:len("sriovctl: ens2f0/vf0: " + msg)],
                                 "sriovctl: ens2f0/vf0: " + msg)
                self.assertTrue(r.err.rstrip().endswith("nothing was changed"), r.err)


def doc_rows():
    """(canonical, [every spelling]) of each row of docs/vf-attributes.md."""
    path = os.path.join(os.environ["SOURCE_ROOT"], "docs", "vf-attributes.md")
    rows = []
    with open(path) as f:
        for line in f:
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) != 7 or not cells[0].startswith("`"):
                continue
            words = []
            for c in cells[:5]:
                words += [w.strip().strip("`") for w in c.split(",")
                          if w.strip().startswith("`")]
            rows.append((words[0], words))
    return rows


class DocTable(Tree):
    """docs/vf-attributes.md is the table: every spelling it lists names
    its row's attribute in vf set, printed under the canonical name."""

    def test_every_spelling(self):
        rows = doc_rows()
        self.assertEqual([r[0] for r in rows], [
            "mac", "vlan", "qos", "proto", "spoofchk", "trust", "min-rate",
            "max-rate", "link-state", "query-rss", "mtu", "driver"])
        value = {"mac": ["02:00:00:00:00:05"], "vlan": ["5"], "spoofchk": ["on"],
                 "trust": ["off"], "min-rate": ["0", "max-rate", "10"],
                 "max-rate": ["10", "min-rate", "0"], "link-state": ["auto"],
                 "query-rss": ["on"]}
        for canon, words in rows:
            for w in words:
                with self.subTest(spelling=w):
                    if canon in ("qos", "proto"):
                        v = "2" if canon == "qos" else "802.1AD"
                        r = self.vf("ens2f0/vf0", "set", "vlan", "5", w, v, "-n")
                        self.assertIn("ens2f0/vf0 vlan: ? -> 5 " +
                                      ("qos 2" if canon == "qos" else "proto 802.1ad"),
                                      r.out.splitlines())
                    elif canon in ("mtu", "driver"):
                        r = self.vf("ens2f0/vf0", "set", w, "x", "-n", rc=2)
                        self.assertIn("bind DRIVER" if canon == "driver"
                                      else "not set through the PF", r.err)
                    else:
                        r = self.vf("ens2f0/vf0", "set", w, *value[canon], "-n")
                        self.assertTrue(r.out.splitlines()[0].startswith(
                            f"ens2f0/vf0 {canon}: ? -> "), r.out)


class PolicySpellings(TreeTest):
    """The policy takes the same spellings: `spoofchk: on` is spoofchk true."""

    def setUp(self):
        super().setUp()
        self.root = self.path("host")
        hostgen(self.root, "e810:pfs=1,vfs=4,ifname=ens2f")

    def plan(self, text, rc=0):
        f = self.path("p.yaml")
        with open(f, "w") as fh:
            fh.write(text)
        return sriovctl("plan", "-f", f, root=self.root, check=rc)

    def test_spoofchk_on(self):
        head = "pfs:\n  - match: {netdev: ens2f0}\n    vfs:\n      \"0\": {"
        a = self.plan(head + "spoofchk: on, max-rate: 100, state: disable}\n")
        b = self.plan(head + "spoofchk: true, max_tx_rate: 100, link_state: disable}\n")
        self.assertEqual(a.out, b.out)
        self.assertIn("ens2f0/vf0 spoofchk: ? -> on", a.out)
        r = self.plan(head + "spoofchk: maybe}\n", rc=1)
        self.assertIn("spoofchk: expected on or off (or true/false, yes/no, 1/0), "
                      "got \"maybe\"", r.err)


if __name__ == "__main__":
    unittest.main()
