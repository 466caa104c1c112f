# SPDX-License-Identifier: MIT
"""A newcomer's sriovctl: the help of each verb, one message style and exit
code rule, one dry-run footer, --json wherever data is printed, and what
plain `sriovctl` does (issue 13, newcomer items 1, 6 and 9)."""
import json
import os
import pty
import re
import subprocess
import unittest

from common import SRIOVCTL, TIMEOUT, TreeTest, hostgen, sriovctl

# ens1f0np0: 4 VFs (0-2 iavf, 3 vfio-pci); ens2f0: igb with 2 igbvf VFs.
CARDS = ("e810:vfs=4/0,vfio=1/0", "igb:vfs=2")
FOOTER = re.compile(r"^\d+ changes? \(dry run: nothing was written\)$")
POLICY = """\
pfs:
  - match: {netdev: ens1f0np0}
    num_vfs: 4
    vfs:
      "0-1": {driver: iavf}
      "2-3": {driver: vfio-pci}
"""


class Help(unittest.TestCase):
    def setUp(self):
        self.global_help = sriovctl("--help", check=0).out

    def assertVerbHelp(self, args, usage):
        r = sriovctl(*args, check=0)
        self.assertEqual(r.err, "", args)
        self.assertTrue(r.out.startswith("Usage: sriovctl " + usage), (args, r.out))
        self.assertNotEqual(r.out, self.global_help, args)
        return r.out

    def test_each_verb_has_its_help(self):
        self.assertVerbHelp(["vf", "--help"], "vf VF set")
        self.assertVerbHelp(["help", "vf"], "vf VF set")
        out = self.assertVerbHelp(["pf", "--help"], "pf PF set-vfs N")
        self.assertIn("--autoprobe on|off", out)
        self.assertIn("Examples:\n  sriovctl pf ens1f0 set-vfs 4", out)
        out = self.assertVerbHelp(["help", "check"], "check [--severity LEVEL]")
        self.assertIn("--list-checks", out)
        for verb in ("list", "show", "save", "restore", "explain", "plan", "apply"):
            self.assertVerbHelp(["help", verb], verb)
            self.assertVerbHelp([verb, "--help"], verb)
            self.assertVerbHelp([verb, "-h"], verb)

    def test_sub_verbs(self):
        out = self.assertVerbHelp(["help", "vf", "bind"], "vf VFS bind DRIVER")
        self.assertIn("--group", out)
        self.assertNotIn("unbind", out.split("\n\n")[0])
        self.assertEqual(sriovctl("vf", "ens1f0/vf0", "bind", "--help", check=0).out, out)
        self.assertVerbHelp(["vf", "x", "unbind", "--help"], "vf VFS unbind")
        self.assertVerbHelp(["help", "vf", "set"], "vf VF set ATTR VALUE")
        self.assertVerbHelp(["help", "policy", "check"], "policy check")
        self.assertVerbHelp(["policy", "--help"], "policy check")

    def test_unknown_help_is_bad_usage(self):
        for args in (["help", "frobnicate"], ["help", "vf", "frob"],
                     ["help", "list", "x", "y"]):
            r = sriovctl(*args, check=2)
            self.assertEqual(r.out, "")
            self.assertIn("sriovctl: help: no command", r.err)


class Messages(TreeTest):
    def setUp(self):
        super().setUp()
        self.root = self.path("host")
        hostgen(self.root, *CARDS, manifest=False)

    def test_bad_option_names_the_verb_and_its_usage(self):
        r = sriovctl("--bogus", check=2)
        self.assertEqual(r.out, "")
        self.assertEqual(r.err.splitlines()[0], "sriovctl: unknown option '--bogus'")
        self.assertNotIn(SRIOVCTL, r.err)
        r = sriovctl("check", "--bogus", root=self.root, check=2)
        self.assertEqual(r.out, "")
        lines = r.err.splitlines()
        self.assertEqual(lines[0], "sriovctl: check: unknown option '--bogus'")
        self.assertEqual(lines[1], "Usage: sriovctl check [--severity LEVEL] [DEVICE...]")
        self.assertEqual(lines[-1], "Try 'sriovctl help check'.")
        r = sriovctl("list", "-x", root=self.root, check=2)
        self.assertEqual(r.err.splitlines()[0], "sriovctl: list: unknown option '-x'")
        r = sriovctl("show", "--root", check=2)
        self.assertEqual(r.err.splitlines()[0], "sriovctl: show: option needs a value: '--root'")

    def test_a_negative_count_is_a_count(self):
        r = sriovctl("pf", "ens1f0np0", "set-vfs", "-1", "--dry-run", root=self.root,
                     check=2)
        self.assertEqual(r.out, "")
        self.assertNotIn("option", r.err)
        self.assertIn("sriovctl: ens1f0np0: '-1' is not a VF count (0..sriov_totalvfs)",
                      r.err)
        r = sriovctl("pf", "ens1f0np0", "set-vfs", "-1", "2", root=self.root, check=2)

    def test_unbind_says_unbinding(self):
        r = sriovctl("vf", "ens1f0np0/vf0", "unbind", root=self.root, check=2)
        self.assertIn("sriovctl: ens1f0np0/vf0: unbinding drivers changes the running kernel",
                      r.err)
        r = sriovctl("vf", "ens1f0np0/vf0", "bind", "vfio-pci", root=self.root, check=2)
        self.assertIn("binding drivers changes the running kernel", r.err)

    def test_exit_status_rule(self):
        """2: no host could have that name; 1: this host has not."""
        malformed = "ens1f0np0/vfx"
        for args in (["show", malformed], ["check", malformed], ["save", malformed],
                     ["pf", malformed, "set-vfs", "1", "-n"],
                     ["vf", malformed, "unbind", "-n"]):
            r = sriovctl(*args, root=self.root, check=2)
            self.assertRegex(r.err, r"^sriovctl: '%s' (is not|does not name)" %
                             re.escape(malformed), args)
        for args in (["show", "nope0"], ["check", "nope0"], ["save", "nope0"],
                     ["pf", "nope0", "set-vfs", "1", "-n"], ["vf", "nope0", "unbind", "-n"],
                     ["show", "ens1f0np0/vf9"]):
            r = sriovctl(*args, root=self.root, check=1)
            self.assertTrue(r.err.startswith("sriovctl: "), args)


class DryRuns(TreeTest):
    def setUp(self):
        super().setUp()
        self.root = self.path("host")
        hostgen(self.root, *CARDS, manifest=False)
        pol = os.path.join(self.root, "etc/sriovctl/sriovctl.yaml")
        os.makedirs(os.path.dirname(pol))
        with open(pol, "w") as f:
            f.write(POLICY)
        self.state = self.path("state.json")
        st = sriovctl("save", root=self.root, check=0).json()
        st["pfs"][0]["vfs"][0]["driver"] = "vfio-pci"
        with open(self.state, "w") as f:
            json.dump(st, f)

    RUNS = (["pf", "ens1f0np0", "set-vfs", "2", "-n", "--force"],
            ["vf", "ens1f0np0/vf0-1", "bind", "vfio-pci", "-n", "--force"],
            ["vf", "ens2f0", "unbind", "-n", "--force"],
            ["apply", "-n"])

    def test_one_footer(self):
        for args in self.RUNS + (["restore", "-n", self.state],):
            r = sriovctl(*args, root=self.root, check=0)
            lines = r.out.splitlines()
            self.assertRegex(lines[-1], FOOTER, args)
            n = int(lines[-1].split()[0])
            self.assertEqual(n, len([l for l in lines if " -> " in l]), args)

    def test_json(self):
        for args in self.RUNS + (["restore", "-n", self.state],):
            r = sriovctl(*args, "--json", root=self.root, check=0)
            plan = r.json()
            self.assertEqual(plan["schema"], "sriovctl.plan/v1", args)
            self.assertEqual(plan["count"], len(plan["changes"]), args)
            self.assertGreater(plan["count"], 0, args)
            text = sriovctl(*args, root=self.root, check=0).out.splitlines()
            self.assertEqual(plan["count"], int(text[-1].split()[0]), args)
            for ch in plan["changes"]:
                self.assertEqual(set(ch), {"device", "pf", "kind", "attribute",
                                           "old", "new"}, args)

    def test_list_checks_json(self):
        r = sriovctl("check", "--list-checks", "--json", check=0)
        rep = r.json()
        self.assertEqual(rep["schema"], "sriovctl.checks/v1")
        text = sriovctl("check", "--list-checks", check=0).out
        self.assertEqual([c["id"] for c in rep["checks"]],
                         [l.split()[0] for l in text.splitlines()])
        for c in rep["checks"]:
            self.assertTrue(c["title"] and c["description"] and c["remedy"], c)
        sriovctl("check", "--list-checks", "--json", "--markdown", check=2)


class JsonOrWhyNot(TreeTest):
    """--json prints data, or says why there is none (exit 2, nothing done)."""

    def test_refused_with_the_reason(self):
        root = self.path("host")
        hostgen(root, *CARDS, manifest=False)
        for args, verb in ((["policy", "check"], "policy check"),
                           (["apply"], "apply"),
                           (["apply", "--recover", "-n"], "apply --recover"),
                           (["restore", "x.json"], "restore")):
            r = sriovctl(*args, "--json", root=root, check=2)
            self.assertEqual(r.out, "", args)
            self.assertTrue(r.err.startswith(f"sriovctl: {verb}: --json: "), (args, r.err))
        # on the live host the same refusal comes before any lock or write
        for args, verb in ((["pf", "nope0", "set-vfs", "1"], "pf set-vfs"),
                           (["vf", "nope0/vf0", "unbind"], "vf unbind"),
                           (["vf", "nope0/vf0", "set", "trust", "on"], "vf set")):
            r = sriovctl(*args, "--json", check=2)
            self.assertEqual(r.out, "", args)
            self.assertTrue(r.err.startswith(f"sriovctl: {verb}: --json: "), (args, r.err))


class PlainSriovctl(TreeTest):
    """No verb: the list, as systemctl lists units; a hint only on a terminal."""

    def setUp(self):
        super().setUp()
        self.root = self.path("host")
        hostgen(self.root, *CARDS, manifest=False)

    def test_piped_it_is_list(self):
        plain = sriovctl(root=self.root, check=0)
        self.assertEqual(plain.out, sriovctl("list", root=self.root, check=0).out)
        self.assertEqual(plain.err, "")

    def test_on_a_terminal_a_hint_follows(self):
        master, slave = pty.openpty()
        try:
            p = subprocess.run([SRIOVCTL, "--root", self.root], stdout=slave,
                               stderr=subprocess.PIPE, text=True, timeout=TIMEOUT)
            os.close(slave)
            slave = -1
            out = b""
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
        finally:
            os.close(master)
            if slave >= 0:
                os.close(slave)
        self.assertEqual(p.returncode, 0)
        self.assertIn(b"ens1f0np0", out)
        self.assertEqual(p.stderr, "(sriovctl alone runs 'sriovctl list'; "
                         "'sriovctl help' lists the commands)\n")


if __name__ == "__main__":
    unittest.main()
