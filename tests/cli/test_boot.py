# SPDX-License-Identifier: MIT
"""sriovctl apply --boot on generated hosts: the bounded wait for the
policy's PFs (driver bound, netdev named) before the plan, --boot-timeout,
and what happens when the time is up. --dry-run: a tree has no kernel."""
import os
import signal
import subprocess
import threading
import time
import unittest

from common import SRIOVCTL, TreeTest, hostgen, sriovctl

# igb 0000:02:00.0 (ens1f0, 2 VFs); E810 0000:03:00.0/.1 without a driver.
CARDS = ("igb:vfs=2", "e810:pfdriver=none")
IGB, E810 = "0000:02:00.0", "0000:03:00.0"


class Boot(TreeTest):
    def setUp(self):
        super().setUp()
        self.root = self.path("host")
        hostgen(self.root, *CARDS, manifest=False)

    def policy(self, text):
        p = self.path("policy.yaml")
        with open(p, "w") as f:
            f.write(text)
        return p

    def apply_boot(self, text, *opts, later=None, delay=0.5):
        """apply --boot --dry-run; @later runs in a thread @delay s in.
        Returns (result, seconds)."""
        pol = self.policy(text)
        t = None
        if later:
            t = threading.Timer(delay, later)
            t.start()
        t0 = time.monotonic()
        r = sriovctl("apply", "--boot", *opts, "--dry-run", "-f", pol, root=self.root)
        took = time.monotonic() - t0
        if t:
            t.join()
        return r, took

    def rename_netdev(self, old, new):
        dev = os.path.join(self.root, "sys/bus/pci/devices", IGB, "net")
        os.rename(os.path.join(dev, old), os.path.join(dev, new))
        cls = os.path.join(self.root, "sys/class/net")
        target = os.readlink(os.path.join(cls, old))
        os.unlink(os.path.join(cls, old))
        os.symlink(target.rsplit("/", 1)[0] + "/" + new, os.path.join(cls, new))

    def bind(self, addr, driver):
        link = os.path.join(self.root, "sys/bus/pci/devices", addr, "driver")
        os.symlink("../../../../bus/pci/drivers/" + driver, link)

    def test_ready_at_once(self):
        r, took = self.apply_boot("pfs:\n  - match: {netdev: ens1f0}\n    num_vfs: 2\n")
        self.assertEqual(r.rc, 0, r.err)
        self.assertEqual(r.out, "nothing to do: the host matches the policy\n")
        self.assertEqual(r.err, "")
        self.assertLess(took, 1.0)

    def test_netdev_named_while_waiting(self):
        """udev names the netdev half a second in: the plan sees it."""
        r, took = self.apply_boot("pfs:\n  - match: {netdev: lan0}\n    num_vfs: 3\n",
                                  later=lambda: self.rename_netdev("ens1f0", "lan0"))
        self.assertEqual(r.rc, 0, r.err)
        self.assertEqual(r.err, "")
        self.assertIn("lan0 num_vfs: 2 -> 3 (through 0)", r.out)
        self.assertGreaterEqual(took, 0.5)
        self.assertLess(took, 3.0)

    def test_driver_bound_while_waiting(self):
        r, took = self.apply_boot('pfs:\n  - match: {pci: "%s"}\n    num_vfs: 2\n' % E810,
                                  later=lambda: self.bind(E810, "ice"))
        self.assertEqual(r.rc, 0, r.err)
        self.assertEqual(r.err, "")
        self.assertIn("num_vfs: 0 -> 2", r.out)
        self.assertGreaterEqual(took, 0.5)
        self.assertLess(took, 3.0)

    def test_timeout_then_the_plan_says_what_is_missing(self):
        r, took = self.apply_boot("pfs:\n  - match: {netdev: ens9}\n    num_vfs: 2\n",
                                  "--boot-timeout", "1")
        self.assertEqual(r.rc, 1)
        self.assertIn("apply --boot: after 1 s, not every PF of the policy has its driver",
                      r.err)
        self.assertIn("no SR-IOV PF on this host matches netdev ens9", r.err)
        self.assertGreaterEqual(took, 1.0)
        self.assertLess(took, 4.0)

    def test_timeout_zero_reads_once(self):
        r, took = self.apply_boot('pfs:\n  - match: {pci: "%s"}\n    num_vfs: 2\n' % E810,
                                  "--boot-timeout=0")
        self.assertIn("after 0 s", r.err)
        self.assertLess(took, 1.0)

    def test_sigterm_while_waiting(self):
        """systemd's stop during the wait: it ends at once, nothing written."""
        pol = self.policy("pfs:\n  - match: {netdev: ens9}\n")
        p = subprocess.Popen([SRIOVCTL, "--root", self.root, "apply", "--boot",
                              "--dry-run", "-f", pol], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        time.sleep(0.5)
        t0 = time.monotonic()
        p.send_signal(signal.SIGTERM)
        out, _ = p.communicate(timeout=10)
        self.assertLess(time.monotonic() - t0, 1.0)
        self.assertNotEqual(p.returncode, 0)
        self.assertEqual(out, "")

    def test_usage(self):
        pol = self.policy("pfs: []\n")
        for args, msg in ((["--boot-timeout", "5"], "--boot-timeout goes with --boot"),
                          (["--boot", "--boot-timeout", "x"],
                           "--boot-timeout takes whole seconds from 0 to 3600, not 'x'"),
                          (["--boot", "--boot-timeout", "3601"],
                           "--boot-timeout takes whole seconds from 0 to 3600, not '3601'"),
                          (["--boot", "--boot-timeout"], "--boot-timeout needs a value")):
            with self.subTest(args=args):
                r = sriovctl("apply", "-f", pol, *args, root=self.root, check=2)
                self.assertIn(msg, r.err)
        sriovctl("plan", "--boot-timeout", "5", "-f", pol, root=self.root, check=2)


if __name__ == "__main__":
    unittest.main()
