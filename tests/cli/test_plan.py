# SPDX-License-Identifier: MIT
"""sriovctl plan / apply on generated hosts: the plan's lines and JSON,
--detailed-exitcode, policy errors, --pf, the host lock, and what apply
refuses to do on a tree (it changes only the running kernel)."""
import fcntl
import hashlib
import json
import os
import subprocess
import threading
import time
import unittest

from common import SRIOVCTL, TreeTest, hostgen, sriovctl

# ens1f0np0 (0000:02:00.0): VFs 0-2 iavf, 3 vfio-pci; ens1f1np1: no VFs;
# ens2f0 (igb, 0000:04:00.0, behind root port 0000:00:03.0): 2 igbvf VFs.
CARDS = ("e810:vfs=4/0,vfio=1/0", "igb:vfs=2")

MATCHING = """\
pfs:
  - match: {netdev: ens1f0np0}
    num_vfs: 4
    drivers_autoprobe: true
    vfs:
      "0-2": {driver: iavf}
      "3": {driver: vfio-pci}
  - match: {vendor: "8086", device: "10c9"}
    num_vfs: 2
"""

DIFFERENT = """\
pfs:
  - match: {netdev: ens1f0np0}
    num_vfs: 4
    drivers_autoprobe: false
    vfs:
      "0-1": {driver: iavf}
      "2-3": {driver: vfio-pci}
  - match: {pci: "0000:02:00.1"}
    num_vfs: 2
    vfs:
      "0-1": {driver: vfio-pci}
  - match: {root_device: "0000:00:03.0"}
    num_vfs: 3
"""

DIFFERENT_LINES = [
    "ens1f0np0 drivers_autoprobe: on -> off",
    "ens1f0np0/vf2 driver: iavf -> vfio-pci",
    "ens1f1np1 num_vfs: 0 -> 2",
    "ens1f1np1/vf0 driver: (re-created) -> vfio-pci",
    "ens1f1np1/vf1 driver: (re-created) -> vfio-pci",
    "ens2f0 num_vfs: 2 -> 3 (through 0)",
]

KINDS = {"num_vfs", "vf_attrs", "driver", "link"}


def tree_digest(root):
    """Every file's content and every link's target, but the lock's run/."""
    h = hashlib.sha256()
    for d, dirs, files in os.walk(root):
        dirs.sort()
        if os.path.relpath(d, root) == ".":
            dirs[:] = [x for x in dirs if x != "run"]
        for name in sorted(dirs + files):
            p = os.path.join(d, name)
            h.update(os.path.relpath(p, root).encode() + b"\0")
            if os.path.islink(p):
                h.update(os.readlink(p).encode())
            elif os.path.isfile(p):
                with open(p, "rb") as f:
                    h.update(f.read())
    return h.hexdigest()


class Plan(TreeTest):
    def setUp(self):
        super().setUp()
        self.root = self.path("host")
        hostgen(self.root, *CARDS, manifest=False)

    def policy(self, text, name="etc/sriovctl/sriovctl.yaml"):
        p = os.path.join(self.root, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
        return p

    def test_matching_host_has_nothing_to_do(self):
        self.policy(MATCHING)
        r = sriovctl("plan", root=self.root, check=0)
        self.assertEqual(r.out, "nothing to do: the host matches the policy\n")
        self.assertEqual(r.err, "")
        sriovctl("plan", "--detailed-exitcode", root=self.root, check=0)
        r = sriovctl("plan", "--json", root=self.root, check=0)
        self.assertEqual(r.json(), {"schema": "sriovctl.plan/v1",
                                    "changes": [], "count": 0})
        # apply writes nothing at all, not even the change log
        before = tree_digest(self.root)
        r = sriovctl("apply", root=self.root, check=0)
        self.assertEqual(r.out, "nothing to do: the host matches the policy\n")
        self.assertEqual(tree_digest(self.root), before)
        self.assertFalse(os.path.exists(os.path.join(self.root, "var/log")))

    def test_differences_in_order(self):
        self.policy(DIFFERENT)
        r = sriovctl("plan", root=self.root, check=0)
        self.assertEqual(r.out.splitlines(), DIFFERENT_LINES + ["6 changes"])
        self.assertEqual(r.err, "")
        r = sriovctl("plan", "--detailed-exitcode", root=self.root, check=3)
        self.assertEqual(r.out.splitlines()[-1], "6 changes")

    def test_json_matches_the_lines(self):
        self.policy(DIFFERENT)
        r = sriovctl("plan", "--json", "--detailed-exitcode", root=self.root,
                     check=3)
        self.assertEqual(r.out.count("\n"), 1)
        doc = r.json()
        self.assertEqual(list(doc), ["schema", "changes", "count"])
        self.assertEqual(doc["schema"], "sriovctl.plan/v1")
        self.assertEqual(doc["count"], len(doc["changes"]))
        lines = []
        for c in doc["changes"]:
            self.assertEqual(list(c), ["device", "pf", "kind", "attribute",
                                       "old", "new"])
            self.assertIn(c["kind"], KINDS)
            self.assertRegex(c["pf"], r"^0000:0[24]:00\.[01]$")
            old = c["old"] if c["old"] is not None else "(re-created)"
            lines.append(f"{c['device']} {c['attribute']}: {old} -> {c['new']}")
        want = [l.replace(" (through 0)", "") for l in DIFFERENT_LINES]
        self.assertEqual(lines, want)
        self.assertEqual(doc["changes"][0]["kind"], "num_vfs")
        self.assertEqual(doc["changes"][1],
                         {"device": "ens1f0np0/vf2", "pf": "0000:02:00.0",
                          "kind": "driver", "attribute": "driver",
                          "old": "iavf", "new": "vfio-pci"})
        r = sriovctl("plan", "--json", "--pretty", root=self.root, check=0)
        self.assertEqual(r.json(), doc)

    def test_fewer_vfs_and_dry_run(self):
        self.policy("pfs:\n  - match: {netdev: ens1f0np0}\n    num_vfs: 2\n")
        r = sriovctl("plan", root=self.root, check=0)
        self.assertEqual(r.out, "ens1f0np0 num_vfs: 4 -> 2 (through 0)\n"
                                "1 change\n")
        before = tree_digest(self.root)
        r = sriovctl("apply", "--dry-run", root=self.root, check=0)
        self.assertEqual(r.out, "ens1f0np0 num_vfs: 4 -> 2 (through 0)\n"
                                "1 change (dry run: nothing was written)\n")
        self.assertEqual(tree_digest(self.root), before)
        self.assertFalse(os.path.exists(os.path.join(self.root, "run")))

    def test_apply_refuses_a_tree(self):
        self.policy(DIFFERENT)
        before = tree_digest(self.root)
        r = sriovctl("apply", root=self.root, check=2)
        self.assertEqual(r.out, "")
        self.assertIn("apply changes the running kernel and cannot be used "
                      "with --root " + self.root, r.err)
        self.assertEqual(tree_digest(self.root), before)
        self.assertFalse(os.path.exists(os.path.join(self.root, "var/log")))

    def test_pf_option(self):
        self.policy(DIFFERENT)
        r = sriovctl("plan", "--pf", "ens1f1np1", root=self.root, check=0)
        self.assertEqual(r.out.splitlines(),
                         DIFFERENT_LINES[2:5] + ["3 changes"])
        r = sriovctl("plan", "--pf=0000:04:00.0", "--detailed-exitcode",
                     root=self.root, check=3)
        self.assertEqual(r.out.splitlines(), DIFFERENT_LINES[5:] + ["1 change"])
        r = sriovctl("plan", "--pf", "04:00.0", root=self.root, check=0)
        self.assertEqual(r.out.splitlines()[0], DIFFERENT_LINES[5])
        r = sriovctl("plan", "--pf", "ens9", root=self.root, check=1)
        self.assertEqual(r.err, "sriovctl: --pf ens9: no such SR-IOV PF on "
                         "this host; 'sriovctl list' shows the PFs\n")
        r = sriovctl("plan", "--pf", "ens1f0np0/vf1", root=self.root, check=1)
        self.assertIn("a VF, not a PF", r.err)
        r = sriovctl("plan", "--pf", root=self.root, check=2)
        self.assertIn("--pf needs a value", r.err)

    def test_policy_file_option(self):
        p = self.policy(MATCHING, name="elsewhere.yaml")
        r = sriovctl("plan", "-f", p, "--detailed-exitcode", root=self.root,
                     check=0)
        self.assertEqual(r.out, "nothing to do: the host matches the policy\n")
        r = sriovctl("plan", root=self.root, check=1)
        self.assertIn("under " + self.root, r.err)

    def test_syntax_errors_stop_everything(self):
        self.policy("pfs:\n  - match: {netdev: ens1f0np0}\n"
                    "    num_vfs: lots\n    vfs:\n      \"0\": {vlan: 4095}\n")
        before = tree_digest(self.root)
        for verb in ("plan", "apply"):
            r = sriovctl(verb, root=self.root, check=1)
            self.assertEqual(r.out, "")
            self.assertEqual(r.err.splitlines(), [
                "/etc/sriovctl/sriovctl.yaml:3:14: num_vfs: expected a number, got \"lots\"",
                "/etc/sriovctl/sriovctl.yaml:5:19: vlan: 4095 is out of range 0..4094",
                f"sriovctl: the policy has 2 errors; nothing was done. Fix them "
                f"and run 'sriovctl {verb}' again",
            ])
        r = sriovctl("plan", "--json", "--detailed-exitcode", root=self.root,
                     check=1)
        self.assertEqual(r.out, "")
        self.assertEqual(tree_digest(self.root), before)
        self.assertFalse(os.path.exists(os.path.join(self.root, "run")))

    def test_errors_of_meaning_stop_everything(self):
        self.policy("pfs:\n"
                    "  - match: {netdev: ens1f0np0}\n"
                    "    num_vfs: 200\n"
                    "  - match: {netdev: ens7}\n"
                    "    num_vfs: 1\n")
        before = tree_digest(self.root)
        for verb in ("plan", "apply"):
            r = sriovctl(verb, "--detailed-exitcode" if verb == "plan" else
                         "--dry-run", root=self.root, check=1)
            self.assertEqual(r.out, "")
            errs = r.err.splitlines()
            self.assertEqual(len(errs), 3)
            self.assertCountEqual(errs[:2], [
                "/etc/sriovctl/sriovctl.yaml:3:14: num_vfs 200 is above the "
                "128 VFs PF 0000:02:00.0 (ens1f0np0) allows (sriov_totalvfs)",
                "/etc/sriovctl/sriovctl.yaml:4:21: no SR-IOV PF on this host "
                "matches netdev ens7 ('sriovctl list' shows the PFs)"])
            self.assertEqual(errs[2], "sriovctl: the policy has 2 errors; nothing "
                             f"was done. Fix them and run 'sriovctl {verb}' again")
        self.assertEqual(tree_digest(self.root), before)

    def test_mac_auto_needs_the_machine_id(self):
        self.policy("pfs:\n  - match: {netdev: ens2f0}\n    num_vfs: 2\n"
                    "    vfs:\n      \"1\": {mac: auto}\n")
        r = sriovctl("plan", root=self.root, check=1)
        self.assertIn("/etc/sriovctl/sriovctl.yaml:5:", r.err)
        self.assertIn("machine-id", r.err)
        with open(os.path.join(self.root, "etc/machine-id"), "w") as f:
            f.write("0123456789abcdef0123456789abcdef\n")
        r = sriovctl("plan", root=self.root, check=0)
        lines = r.out.splitlines()
        self.assertEqual(len(lines), 2)
        self.assertRegex(lines[0], r"^ens2f0/vf1 mac: \? -> "
                         r"[0-9a-f][26ae](:[0-9a-f]{2}){5}$")
        self.assertEqual(lines[1], "1 change")
        # stable: the same MAC every time
        self.assertEqual(sriovctl("plan", root=self.root, check=0).out, r.out)

    def test_usage(self):
        self.policy(MATCHING)
        sriovctl("plan", "extra", root=self.root, check=2)
        r = sriovctl("apply", "--detailed-exitcode", root=self.root, check=2)
        self.assertIn("sriovctl: apply: unknown option '--detailed-exitcode'", r.err)
        sriovctl("plan", "--boot", root=self.root, check=2)
        r = sriovctl("apply", "--lock-timeout", "soon", root=self.root, check=2)
        self.assertIn("--lock-timeout takes whole seconds", r.err)
        r = sriovctl("--help", check=0)
        self.assertIn("plan [-f FILE] [--pf PF] [--detailed-exitcode] [--json]",
                      r.out)
        self.assertIn("apply [-f FILE] [--pf PF] [--boot [--boot-timeout S]]", r.out)


class Lock(TreeTest):
    def setUp(self):
        super().setUp()
        self.root = self.path("host")
        hostgen(self.root, *CARDS, manifest=False)
        os.makedirs(os.path.join(self.root, "etc/sriovctl"))
        with open(os.path.join(self.root, "etc/sriovctl/sriovctl.yaml"), "w") as f:
            f.write(MATCHING)
        os.makedirs(os.path.join(self.root, "run"))
        self.lock = open(os.path.join(self.root, "run/sriovctl.lock"), "w")
        fcntl.flock(self.lock, fcntl.LOCK_EX)
        self.lock.write(f"{os.getpid()}\n")
        self.lock.flush()

    def tearDown(self):
        self.lock.close()
        super().tearDown()

    def test_held_lock_fails_after_the_wait(self):
        t0 = time.monotonic()
        r = sriovctl("apply", "--lock-timeout", "1", root=self.root, check=1)
        waited = time.monotonic() - t0
        self.assertGreaterEqual(waited, 1.0)
        self.assertLess(waited, 10.0)
        self.assertEqual(r.out, "")
        # no proc/ under the tree: the pid alone
        self.assertEqual(r.err, f"sriovctl: another sriovctl (pid {os.getpid()}) "
                         "is changing the host; try again when it is done\n")

    def test_default_wait_outlasts_a_short_holder(self):
        threading.Timer(1.0, self.lock.close).start()
        t0 = time.monotonic()
        r = sriovctl("apply", root=self.root, check=0)
        self.assertGreaterEqual(time.monotonic() - t0, 0.9)
        self.assertEqual(r.out, "nothing to do: the host matches the policy\n")
        with open(os.path.join(self.root, "run/sriovctl.lock")) as f:
            self.assertRegex(f.read(), r"^\d+\n$")

    def test_readers_do_not_wait(self):
        for args in (("plan",), ("apply", "--dry-run"), ("list",)):
            p = subprocess.run([SRIOVCTL, "--root", self.root, *args],
                               capture_output=True, text=True, timeout=5)
            self.assertEqual(p.returncode, 0, p.stderr)

    def test_no_wait(self):
        r = sriovctl("apply", "--lock-timeout", "0", root=self.root, check=1)
        self.assertIn("is changing the host", r.err)


if __name__ == "__main__":
    unittest.main()
