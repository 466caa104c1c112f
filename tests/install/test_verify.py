# SPDX-License-Identifier: MIT
"""systemd-analyze verify on the installed units: accepted as written, and
no ordering cycle in a boot where the network comes up before
sysinit.target (cloud-init), which the default dependencies would make.
Exit 77 (skipped) only when systemd-analyze is not installed."""
import os
import shutil
import subprocess
import sys
import unittest

from common import Installed

ANALYZE = shutil.which("systemd-analyze")

# cloud-init.service's shape: after network-pre.target, before sysinit.target
EARLY_NET = """\
[Unit]
Description=network configured before sysinit.target, as cloud-init does
DefaultDependencies=no
After=network-pre.target
Before=sysinit.target

[Service]
Type=oneshot
ExecStart=/bin/true
"""


def verify(*args, env=None):
    p = subprocess.run([ANALYZE, "verify", "--man=no", *args],
                       capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, **(env or {})))
    return p.returncode, (p.stdout + p.stderr).strip()


class Verify(Installed):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.unitdir = os.path.dirname(cls.find_static("sriovctl-apply.service"))
        # The target provides systemctl; only its path is checked.
        tmpl = os.path.join(cls.destdir, cls.unitdir.lstrip("/"), "sriovctl-apply@.service")
        with open(tmpl) as f:
            cond = [l for l in f if l.startswith("ExecCondition=")][0]
        stub = os.path.join(cls.destdir, cond.split("=", 1)[1].split()[0].lstrip("/"))
        os.makedirs(os.path.dirname(stub), exist_ok=True)
        if not os.path.exists(stub):
            with open(stub, "w") as f:
                f.write("#!/bin/sh\n")
            os.chmod(stub, 0o755)

    @classmethod
    def find_static(cls, name):
        for d, _, files in os.walk(cls.destdir):
            if name in files:
                return "/" + os.path.relpath(os.path.join(d, name), cls.destdir)
        raise AssertionError(name + " not installed")

    def unit(self, name):
        return self.dest(os.path.join(self.unitdir, name))

    def test_units_verify_clean(self):
        # the exporter keeps the default dependencies: the targets they
        # name come from this host's systemd, beside the installed units
        for t in ("sysinit", "basic", "shutdown", "network", "multi-user"):
            dst = self.unit(t + ".target")
            if not os.path.exists(dst):
                shutil.copy("/lib/systemd/system/%s.target" % t, dst)
        for name in ("sriovctl-apply.service", "sriovctl-apply@.service",
                     "sriovctl-exporter.service"):
            rc, out = verify("--root=" + self.destdir, self.unit(name))
            self.assertEqual((rc, out), (0, ""), name)

    def test_exporter_sandboxed(self):
        """systemd's own rating of the exporter's sandbox, and its teeth:
        the same unit run as root without the options rates far worse."""
        def exposure(path):
            p = subprocess.run([ANALYZE, "security", "--offline=yes",
                                "--root=" + self.destdir, path],
                               capture_output=True, text=True, timeout=120)
            last = [l for l in p.stdout.splitlines() if "Overall exposure level" in l]
            self.assertEqual(len(last), 1, p.stdout + p.stderr)
            return float(last[0].split("level for")[1].split(":")[1].split()[0])
        unit = self.unit("sriovctl-exporter.service")
        with open(unit) as f:
            text = f.read()
        good = exposure(unit)
        self.assertLess(good, 2.0)
        bare = self.unit("sriovctl-bare.service")
        with open(bare, "w") as f:
            f.write("\n".join(l for l in text.splitlines()
                               if not l.startswith(("Protect", "Private", "Restrict",
                                                    "Capability", "DynamicUser",
                                                    "NoNew", "SystemCall", "Memory",
                                                    "Lock", "Device", "Remove",
                                                    "Ambient", "UMask"))) + "\n")
        try:
            self.assertGreater(exposure(bare), 8.0)
        finally:
            os.unlink(bare)

    def test_verify_catches_mistakes(self):
        """The check above has teeth: a typo and a missing program are reported."""
        with open(self.unit("sriovctl-apply.service")) as f:
            text = f.read()
        bad = self.unit("sriovctl-bad.service")
        with open(bad, "w") as f:
            f.write(text.replace("Wants=", "Wnats=", 1))
        rc, out = verify("--root=" + self.destdir, bad)
        self.assertIn("Unknown key 'Wnats'", out)
        with open(bad, "w") as f:
            f.write(text.replace("/sriovctl apply", "/sriovctl-missing apply"))
        rc, out = verify("--root=" + self.destdir, bad)
        self.assertNotEqual(rc, 0)
        self.assertIn("sriovctl-missing is not executable", out)
        os.unlink(bad)

    def boot_with(self, unit_text):
        """Verify multi-user.target on this host's units, with the unit
        enabled and an early-network unit; returns the output."""
        d = os.path.join(self.destdir, "boot")
        wants = os.path.join(d, "multi-user.target.wants")
        os.makedirs(wants, exist_ok=True)
        # ExecStart on this host: the build's binary is not installed here
        text = "\n".join("ExecStart=/bin/true" if l.startswith("ExecStart=") else l
                         for l in unit_text.splitlines()) + "\n"
        for name, body in (("sriovctl-apply.service", text), ("early-net.service", EARLY_NET)):
            with open(os.path.join(d, name), "w") as f:
                f.write(body)
            link = os.path.join(wants, name)
            if not os.path.lexists(link):
                os.symlink("../" + name, link)
        # the trailing ":" keeps systemd's own path after ours
        rc, out = verify("multi-user.target", env={"SYSTEMD_UNIT_PATH": d + ":"})
        return rc, out

    def test_boot_has_no_ordering_cycle(self):
        with open(self.unit("sriovctl-apply.service")) as f:
            text = f.read()
        rc, out = self.boot_with(text)
        cycle = [l for l in out.splitlines() if "ordering cycle" in l or "sriovctl" in l]
        self.assertEqual(cycle, [], out)
        # what DefaultDependencies=no avoids
        rc, out = self.boot_with(text.replace("DefaultDependencies=no", "DefaultDependencies=yes"))
        self.assertIn("Found ordering cycle", out)
        self.assertIn("sriovctl-apply.service/start", out)


if __name__ == "__main__":
    if not ANALYZE:
        print("SKIP: systemd-analyze is not installed (Debian package systemd; ./dev.sh deps installs it)")
        sys.exit(77)
    unittest.main()
