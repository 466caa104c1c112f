"""Shared helpers of the sriov-hostgen tests (Python standard library only).

The source root comes from $SRIOV_SOURCE_ROOT (set by tests/hostgen/meson.build)
or is derived from this file's location, so the tests also run stand-alone:

    python3 tests/hostgen/test_structure.py
"""

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True

SRC = os.environ.get("SRIOV_SOURCE_ROOT") or os.path.abspath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
HOSTGEN = os.path.join(SRC, "tools", "hostgen", "sriov-hostgen")
SAMPLES = os.path.join(SRC, "samples", "hosts")

sys.path.insert(0, os.path.join(SRC, "tools", "hostgen"))
from hostgen.profiles import PROFILES  # noqa: E402

LSPCI = shutil.which("lspci")


def run_hostgen(args, check=True):
    """Run the generator; returns CompletedProcess (text)."""
    proc = subprocess.run([sys.executable, HOSTGEN] + list(args), capture_output=True,
                          text=True, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    if check and proc.returncode != 0:
        raise AssertionError("sriov-hostgen %s failed (%d): %s"
                             % (" ".join(args), proc.returncode, proc.stderr))
    return proc


def scratch_parent():
    """Where test trees go: $HOSTGEN_TEST_TMPDIR, else $TMPDIR when set, else
    /dev/shm when it is a writable tmpfs with room (trees are hundreds of
    thousands of tiny files: on a busy disk that is I/O, not the generator,
    being measured), else the default temporary directory."""
    env = os.environ.get("HOSTGEN_TEST_TMPDIR") or os.environ.get("TMPDIR")
    if env:
        return env
    shm = "/dev/shm"
    try:
        st = os.statvfs(shm)
        if os.access(shm, os.W_OK) and st.f_bavail * st.f_frsize > (2 << 30):
            return shm
    except OSError:
        pass
    return None


class HostCase(unittest.TestCase):
    """A TestCase with a private temporary directory and a generate() helper."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="hostgen-test-", dir=scratch_parent())
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self._n = 0

    def generate(self, *args):
        """Generate a host from args; returns (OUT_DIR, manifest dict)."""
        self._n += 1
        out = os.path.join(self.tmp, "host%d" % self._n)
        man = out + ".json"
        run_hostgen([out, "--manifest", man] + list(args))
        with open(man) as fh:
            return out, json.load(fh)


# ---------------------------------------------------------------- lspci
def lspci(out, *args):
    """lspci on a generated tree; returns stdout (stderr must be clean)."""
    proc = subprocess.run([LSPCI, "-A", "linux-sysfs", "-O",
                           "sysfs.path=%s/sys/bus/pci" % out] + list(args),
                          capture_output=True, text=True)
    err = [l for l in proc.stderr.splitlines()
           if l.strip() and "libkmod" not in l]          # no modules.alias in test sandboxes
    if proc.returncode != 0 or err:
        raise AssertionError("lspci %s: rc=%d stderr=%s" % (args, proc.returncode, err))
    return proc.stdout


def lspci_blocks(text):
    """Split `lspci -D -vvv` output into {address: block text}."""
    blocks = {}
    for chunk in text.split("\n\n"):
        chunk = chunk.strip("\n")
        if not chunk:
            continue
        addr = chunk.split(" ", 1)[0]
        blocks[addr] = chunk
    return blocks


# ---------------------------------------------------------------- tree walking
def walk(root):
    """{relative path: ("f", bytes, readable) | ("l", text) | ("d", None)}"""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root)
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            p = name if rel == "." else rel + "/" + name
            if os.path.islink(full):
                out[p] = ("l", os.readlink(full))
            elif os.path.isdir(full):
                out[p] = ("d", None)
            elif os.access(full, os.R_OK):
                with open(full, "rb") as fh:
                    out[p] = ("f", fh.read())
            else:                                   # write-only attribute, non-root
                out[p] = ("f", os.path.getsize(full))
    return out


def comparable(entries):
    """Files and links only: git stores no empty directories."""
    return {p: v for p, v in entries.items() if v[0] != "d"}


def read(root, path):
    with open(os.path.join(root, path)) as fh:
        return fh.read()


def devices_dir(out):
    return os.path.join(out, "sys", "bus", "pci", "devices")


def dev_dir(out, addr):
    return os.path.realpath(os.path.join(devices_dir(out), addr))


# ---------------------------------------------------------------- samples
def sample_commands():
    """{name: argv} parsed from samples/hosts/README.md (the single source of
    truth for how each committed sample was generated)."""
    cmds = {}
    with open(os.path.join(SAMPLES, "README.md")) as fh:
        for line in fh:
            line = line.strip()
            if line.startswith("tools/hostgen/sriov-hostgen "):
                argv = shlex.split(line)[1:]
                name = os.path.basename(argv[0])
                cmds[name] = argv
    return cmds


def retarget(argv, out, manifest):
    """Replace OUT_DIR and --manifest FILE of a sample command."""
    argv = list(argv)
    argv[0] = out
    i = argv.index("--manifest")
    argv[i + 1] = manifest
    return argv


ADDR_RE = re.compile(r"^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$")
