# SPDX-License-Identifier: MIT
"""What sriovctl prints: strings from sysfs, /proc and input reach the
terminal escaped (a netdev, a driver link and a process comm with escape
sequences, on a generated host edited by hand), and every command fails
with the real errno when its output cannot be written (stdout on
/dev/full, or closed)."""
import json
import os
import re
import subprocess
import unittest

from common import SOURCE, SRIOVCTL, TIMEOUT, TreeTest, hostgen

# A valid netdev name (no '/', ':' or space, under 16 bytes) that clears
# the screen and retitles the window when printed raw.
EVIL = "ev\x1b[2J\x1b]0;x\x07il"
EVIL_ESC = r"ev\x1b[2J\x1b]0;x\ail"
# Control bytes and DEL; a newline only ends lines.
RAW = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f]")


def run(*args, root=None, stdout=subprocess.PIPE, preexec_fn=None):
    cmd = [SRIOVCTL] + (["--root", str(root)] if root else []) + list(args)
    p = subprocess.run(cmd, stdout=stdout, stderr=subprocess.PIPE,
                       timeout=TIMEOUT, preexec_fn=preexec_fn)
    return p.returncode, p.stdout or b"", p.stderr


class Escaped(TreeTest):
    def setUp(self):
        super().setUp()
        self.root = self.path("host")
        man = hostgen(self.root, "nvme:vfs=2,total=8",
                      "e810:pfs=1,vfs=2,ifname=ens1f")
        pfs = {p["driver"]: p for p in man["pfs"]}
        self.nvme = pfs["nvme"]["address"]
        self.ice = pfs["ice"]["address"]
        self.vf0 = pfs["ice"]["vfs"][0]["address"]
        # the PF's netdev renamed, VF 0's driver link to an evil name
        net = self.dev(self.ice, "net")
        os.rename(os.path.join(net, "ens1f0"), os.path.join(net, EVIL))
        cls = os.path.join(self.root, "sys/class/net")
        target = os.readlink(os.path.join(cls, "ens1f0"))
        os.remove(os.path.join(cls, "ens1f0"))
        os.symlink(target.replace("ens1f0", EVIL), os.path.join(cls, EVIL))
        drv = self.dev(self.vf0, "driver")
        target = os.readlink(drv)
        os.remove(drv)
        os.symlink(os.path.join(os.path.dirname(target), "d" + EVIL), drv)

    def dev(self, addr, *rel):
        return os.path.join(self.root, "sys/bus/pci/devices", addr, *rel)

    def sriovctl(self, *args, rc=0):
        code, out, err = run(*args, root=self.root)
        self.assertEqual(code, rc, f"{args}: {out!r} {err!r}")
        for name, text in (("stdout", out), ("stderr", err)):
            self.assertIsNone(RAW.search(text),
                              f"{args}: raw control byte on {name}: {text!r}")
        return out.decode(), err.decode()

    def test_list(self):
        out, _ = self.sriovctl("list")
        self.assertIn(EVIL_ESC, out)
        self.assertIn(f"1 d{EVIL_ESC}, 1 iavf", out)
        # the table stays aligned on the escaped width
        lines = out.splitlines()
        self.assertEqual(lines[0].index("ID "), lines[2].index("8086:1592"))

    def test_show(self):
        out, _ = self.sriovctl("show", self.ice)
        self.assertIn(f"netdev        {EVIL_ESC} ", out)
        self.assertIn(f"d{EVIL_ESC}  ", out)
        out, _ = self.sriovctl("show", EVIL + "/vf0")
        self.assertIn(f"VF 0 of {self.ice} ({EVIL_ESC})", out)
        self.assertIn(f"driver          d{EVIL_ESC}\n", out)
        self.assertIn(f"{self.vf0} (d{EVIL_ESC})", out)
        # JSON is json-c's escaping, and round-trips
        code, raw, _ = run("show", "--json", self.ice, root=self.root)
        self.assertEqual(code, 0)
        self.assertIsNone(RAW.search(raw))
        pf = json.loads(raw)["pfs"][0]
        self.assertEqual(pf["netdevs"], [EVIL])

    def test_check(self):
        # evidence and remedies quote the names read
        out, _ = self.sriovctl("check", self.ice)
        self.assertIn(f"{EVIL_ESC}: VF {self.vf0} is bound to d{EVIL_ESC}", out)
        # (the persistence remedy names the PF by address, not netdev)
        self.assertIn(f"sets sriov_numvfs for {EVIL_ESC}: they are gone", out)

    def test_holder_comm(self):
        vf0 = os.path.basename(os.readlink(self.dev(self.nvme, "virtfn0")))
        group = os.path.basename(os.readlink(self.dev(vf0, "iommu_group")))
        proc = os.path.join(self.root, "proc", "4242")
        os.makedirs(os.path.join(proc, "fd"))
        with open(os.path.join(proc, "comm"), "w") as f:
            f.write("qemu\x1b]0;pwned\x07\n")
        os.symlink("/dev/null", os.path.join(proc, "fd", "0"))
        os.symlink(f"/dev/vfio/{group}", os.path.join(proc, "fd", "9"))
        _, err = self.sriovctl("pf", self.nvme, "set-vfs", "0", "--dry-run",
                               rc=1)
        self.assertIn(r"open by pid 4242 (qemu\x1b]0;pwned\a)", err)
        _, err = self.sriovctl("pf", self.nvme, "set-vfs", "0", "--dry-run",
                               "--force")
        self.assertIn(r"pid 4242 (qemu\x1b]0;pwned\a)", err)

    def test_explain_input(self):
        out, _ = self.sriovctl(
            "explain", "vfio 0000:0b:10.5\x1b[2J\x9b: group 3 is not viable")
        self.assertIn(r"matched: vfio 0000:0b:10.5\x1b[2J\xc2\x9b: group 3",
                      out)
        out, _ = self.sriovctl("explain", f"vfio {self.vf0}: group 5 is "
                               "not viable")
        self.assertIn(f"driver d{EVIL_ESC}", out)

    def test_error_messages(self):
        # what the user typed, quoted back
        _, err = self.sriovctl("show", "ens1f0\x1b[2J", rc=1)
        self.assertIn(r"'ens1f0\x1b[2J'", err)
        _, err = self.sriovctl("show", EVIL[:-1], rc=1)
        self.assertIn(f"named '{EVIL_ESC[:-1]}'", err)
        self.assertIn(f"did you mean: {EVIL_ESC}", err)
        _, err = self.sriovctl("vf", "x\x1b[31m/vf0", "set", "trust", "on",
                               rc=2)
        self.assertIn(r"x\x1b[31m/vf0", err)
        _, err = self.sriovctl("policy", "check", "-f", "no\x1b]0;such", rc=1)
        self.assertIn(r"no\x1b]0;such", err)

    def test_plan_and_restore_lines(self):
        policy = self.path("policy.yaml")
        with open(policy, "w") as f:
            f.write(f'pfs:\n  - match: {{pci: "{self.ice}"}}\n'
                    '    num_vfs: 2\n    vfs:\n      "0-1": {driver: iavf}\n')
        out, _ = self.sriovctl("plan", "-f", policy)
        self.assertIn(f"{EVIL_ESC}/vf0 driver: d{EVIL_ESC} -> iavf", out)
        out, _ = self.sriovctl("policy", "check", "-f", policy)
        self.assertIn("policy OK", out)
        # save's JSON, restored: the state file's name quoted back
        code, state, _ = run("save", root=self.root)
        self.assertEqual(code, 0)
        name = self.path("state\x1b[2J.json")
        with open(name, "wb") as f:
            f.write(state)
        out, _ = self.sriovctl("restore", "--dry-run", name)
        self.assertIn(r"state\x1b[2J.json", out)


# The sample host and its policy: every command has output there.
SAMPLE = os.path.join(SOURCE, "samples/hosts/dual-e810-cx6")
POLICY = os.path.join(SOURCE, "samples/policies/dual-e810-cx6.yaml")
COMMANDS = [
    ["list"], ["list", "--json"], ["show", "ens1f0np0"],
    ["show", "--json", "ens1f0np0"], ["show", "ens1f0np0/vf0"],
    ["check"], ["check", "--json"], ["check", "--list-checks"],
    ["check", "--list-checks", "--markdown"],
    ["explain", "vfio 0000:0b:10.5: group 3 is not viable"],
    ["explain", "--json", "vfio 0000:0b:10.5: group 3 is not viable"],
    ["policy", "check", "-f", POLICY], ["plan", "-f", POLICY],
    ["plan", "--json", "-f", POLICY],
    ["plan", "--detailed-exitcode", "-f", POLICY],
    ["apply", "--dry-run", "-f", POLICY], ["save"],
    ["pf", "ens1f0np0", "set-vfs", "4", "--dry-run"],
    ["vf", "ens1f0np0/vf0", "bind", "vfio-pci", "--dry-run", "--force"],
    ["audit"], ["audit", "--json"], ["audit", "--all"], ["audit", "--list-rules"],
    ["audit", "--list-rules", "--json"],
    ["--help"], ["help"], ["--version"],
]


class WriteErrors(unittest.TestCase):
    def test_full_stdout(self):
        for args in COMMANDS:
            with self.subTest(args=args):
                code, out, _ = run(*args, root=SAMPLE)
                self.assertIn(code, (0, 3), args)
                self.assertTrue(out)
                with open("/dev/full", "w") as full:
                    code, _, err = run(*args, root=SAMPLE, stdout=full)
                self.assertEqual(code, 1, err)
                self.assertEqual(err.decode().count("write error"), 1, err)
                self.assertTrue(err.decode().endswith(
                    "sriovctl: write error: No space left on device\n"), err)

    def test_restore_dry_run(self):
        code, state, _ = run("save", root=SAMPLE)
        self.assertEqual(code, 0)
        r, w = os.pipe()
        os.write(w, state)
        os.close(w)
        with open("/dev/full", "w") as full:
            p = subprocess.run([SRIOVCTL, "--root", SAMPLE, "restore",
                                "--dry-run", "-"], stdin=r, stdout=full,
                               stderr=subprocess.PIPE, timeout=TIMEOUT)
        os.close(r)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn(b"write error: No space left on device", p.stderr)

    def test_closed_stdout(self):
        for args in (["--version"], ["list"], ["show", "ens1f0np0"]):
            with self.subTest(args=args):
                code, _, err = run(*args, root=SAMPLE,
                                   preexec_fn=lambda: os.close(1))
                self.assertEqual(code, 1, err)
                self.assertEqual(
                    err, b"sriovctl: write error: Bad file descriptor\n")


if __name__ == "__main__":
    unittest.main()
