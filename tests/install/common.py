# SPDX-License-Identifier: MIT
"""`meson install --destdir` of the build under test, once per test run."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

MESON = os.environ["MESON"]
BUILD = os.environ["BUILD_ROOT"]


def options():
    """The build's configured options: name -> value."""
    out = subprocess.run([MESON, "introspect", "--buildoptions", BUILD],
                         check=True, capture_output=True, text=True).stdout
    return {o["name"]: o["value"] for o in json.loads(out)}


class Installed(unittest.TestCase):
    """Installs the build into a private DESTDIR for the class's tests."""

    @classmethod
    def setUpClass(cls):
        cls.destdir = tempfile.mkdtemp(prefix="sriovctl-install-")
        p = subprocess.run([MESON, "install", "-C", BUILD, "--no-rebuild",
                            "--destdir", cls.destdir],
                           capture_output=True, text=True, timeout=300)
        if p.returncode != 0:
            raise AssertionError("meson install failed:\n" + p.stdout + p.stderr)
        cls.opts = options()
        cls.prefix = cls.opts["prefix"]
        cls.bindir = os.path.join(cls.prefix, cls.opts["bindir"])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.destdir, ignore_errors=True)

    def dest(self, path):
        """@path (absolute, as on the target) inside DESTDIR."""
        return os.path.join(self.destdir, path.lstrip("/"))

    def find(self, name):
        """Every installed file called @name, as target paths."""
        hits = []
        for d, _, files in os.walk(self.destdir):
            if name in files:
                hits.append("/" + os.path.relpath(os.path.join(d, name), self.destdir))
        return hits

    def read(self, path):
        with open(self.dest(path)) as f:
            return f.read()
