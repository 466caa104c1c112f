# SPDX-License-Identifier: MIT
"""Shared helpers of the CLI tests: run sriovctl, generate hosts."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

SRIOVCTL = os.environ["SRIOVCTL"]
HOSTGEN = os.environ["HOSTGEN"]
SOURCE = os.environ["SOURCE_ROOT"]
# A hang is a failure: no sriovctl call may take this long on a test tree.
TIMEOUT = 60


class Result:
    def __init__(self, proc):
        self.rc = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self):
        return json.loads(self.out)


def sriovctl(*args, root=None, check=None, wrap=(), timeout=TIMEOUT):
    """Run sriovctl (under the command @wrap, if any) with @args."""
    cmd = [*wrap, SRIOVCTL]
    if root is not None:
        cmd += ["--root", str(root)]
    cmd += [str(a) for a in args]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    r = Result(p)
    if check is not None and r.rc != check:
        raise AssertionError(
            f"{' '.join(cmd)}: exit {r.rc}, wanted {check}\n"
            f"stdout: {r.out}\nstderr: {r.err}")
    return r


def hostgen(out, *cards, manifest=True, **opts):
    """Generate a host tree; returns the manifest dict."""
    cmd = [HOSTGEN, str(out)]
    for c in cards:
        cmd += ["--card", c]
    for k, v in opts.items():
        cmd += ["--" + k.replace("_", "-"), str(v)]
    mpath = os.path.join(str(out) + ".manifest.json")
    if manifest:
        cmd += ["--manifest", mpath]
    subprocess.run(cmd, check=True, capture_output=True, text=True,
                   timeout=300)
    if manifest:
        with open(mpath) as f:
            return json.load(f)
    return None


class TreeTest(unittest.TestCase):
    """A test case with a private temporary directory."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="sriovctl-test-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)
