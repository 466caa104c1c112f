# SPDX-License-Identifier: MIT
"""The rooted file layer under attack, through the CLI: a symlink where the
lock is, attributes linked out of the root read where openat2 is refused
(seccomp ENOSYS/EPERM, strace's injected ENOSYS: the component walk), FIFOs
where attributes, the policy or a state file should be, and a refused
apply that must leave the tree as it was."""
import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
import unittest

from common import SOURCE, SRIOVCTL, TreeTest, hostgen, sriovctl

NO_OPENAT2 = os.environ["NO_OPENAT2"]
# What a kernel before 5.6 and container runtimes' seccomp filters answer.
SECCOMP = {e: (NO_OPENAT2, e) for e in ("ENOSYS", "EPERM")}
# LeakSanitizer cannot run under ptrace (the seccomp runs keep it)
STRACE = ("env", "ASAN_OPTIONS=" + ":".join(
              filter(None, [os.environ.get("ASAN_OPTIONS"), "detect_leaks=0"])),
          "strace", "-f", "-o", "/dev/null", "--seccomp-bpf",
          "-e", "trace=openat2", "-e", "inject=openat2:error=ENOSYS")
WALKS = {"seccomp ENOSYS": SECCOMP["ENOSYS"],
         "seccomp EPERM": SECCOMP["EPERM"], "strace ENOSYS": STRACE}
# A FIFO must not hang a command: this is far above what one takes here.
PROMPT = 10

PF = "0000:02:00.0"
MATCHING = "pfs:\n  - match: {netdev: ens1f0}\n    num_vfs: 2\n"
DIFFERENT = "pfs:\n  - match: {netdev: ens1f0}\n    num_vfs: 3\n"


def tree_digest(root):
    """Every entry's name, type, mode, content and link target."""
    h = hashlib.sha256()
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(dirs + files):
            p = os.path.join(d, name)
            st = os.lstat(p)
            h.update(f"{os.path.relpath(p, root)}\0{st.st_mode:o}\0".encode())
            if os.path.islink(p):
                h.update(os.readlink(p).encode())
            elif os.path.isfile(p):
                with open(p, "rb") as f:
                    h.update(f.read())
    return h.hexdigest()


class Host(TreeTest):
    def setUp(self):
        super().setUp()
        self.root = self.path("host")
        hostgen(self.root, "igb:vfs=2", manifest=False)
        self.pf = os.path.realpath(
            os.path.join(self.root, "sys/bus/pci/devices", PF))
        # outside the root: no command may read or change it
        self.victim = self.path("victim")
        with open(self.victim, "w") as f:
            f.write("precious\n")

    def policy(self, text, name="etc/sriovctl/sriovctl.yaml"):
        p = os.path.join(self.root, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)
        return p

    def victim_intact(self):
        with open(self.victim) as f:
            self.assertEqual(f.read(), "precious\n")

    def fifo(self, path):
        if os.path.lexists(path):
            os.unlink(path)
        os.mkfifo(path)
        return path


class Lock(Host):
    """A lock that is not sriovctl's own file is refused, never written."""

    def setUp(self):
        super().setUp()
        self.policy(MATCHING)
        os.makedirs(os.path.join(self.root, "run"))
        self.lock = os.path.join(self.root, "run/sriovctl.lock")

    def refused(self, what):
        before = tree_digest(self.root)
        r = sriovctl("apply", root=self.root, check=1, timeout=PROMPT)
        self.assertEqual(r.out, "")
        self.assertEqual(
            r.err, f"sriovctl: cannot take the host lock {self.lock}: it is "
            f"{what}, not a file of sriovctl's own; nothing was changed "
            "(remove it and try again)\n")
        self.assertEqual(tree_digest(self.root), before)
        self.victim_intact()

    def test_symlink_out_of_the_root(self):
        # an apply with nothing to do used to write its pid over the target
        os.symlink(self.victim, self.lock)
        self.refused("a symbolic link")
        for name, wrap in WALKS.items():
            with self.subTest(walk=name):
                r = sriovctl("apply", root=self.root, check=1, wrap=wrap,
                             timeout=PROMPT)
                self.assertIn("it is a symbolic link", r.err)
                self.victim_intact()

    def test_symlink_inside_the_root(self):
        target = os.path.join(self.pf, "sriov_numvfs")
        with open(target) as f:
            numvfs = f.read()
        os.symlink("../sys/bus/pci/devices/" + PF + "/sriov_numvfs", self.lock)
        self.refused("a symbolic link")
        with open(target) as f:
            self.assertEqual(f.read(), numvfs)

    def test_dangling_symlink_creates_nothing(self):
        os.symlink("../etc/created-by-sriovctl", self.lock)
        self.refused("a symbolic link")
        self.assertFalse(os.path.lexists(
            os.path.join(self.root, "etc/created-by-sriovctl")))

    def test_hard_link(self):
        os.link(self.victim, self.lock)
        self.refused("a file with two names (a hard link)")

    def test_fifo(self):
        self.fifo(self.lock)
        self.refused("a FIFO, socket or device")

    def test_directory(self):
        os.mkdir(self.lock)
        self.refused("a directory")

    def test_own_lock_still_works(self):
        r = sriovctl("apply", root=self.root, check=0)
        self.assertEqual(r.out, "nothing to do: the host matches the policy\n")
        with open(self.lock) as f:
            self.assertRegex(f.read(), r"^\d+\n$")
        # and again, over the pid of the last run
        sriovctl("apply", root=self.root, check=0)

    def test_a_signal_ends_the_wait(self):
        import fcntl
        with open(self.lock, "w") as held:
            fcntl.flock(held, fcntl.LOCK_EX)
            p = subprocess.Popen([SRIOVCTL, "--root", self.root, "apply"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            time.sleep(0.5)
            self.assertIsNone(p.poll())
            t0 = time.monotonic()
            p.send_signal(signal.SIGTERM)
            p.communicate(timeout=PROMPT)
            self.assertLess(time.monotonic() - t0, 5)
            self.assertNotEqual(p.returncode, 0)


class RefusedApply(Host):
    def test_refused_apply_changes_nothing(self):
        self.policy(DIFFERENT)
        before = tree_digest(self.root)
        r = sriovctl("apply", root=self.root, check=2)
        self.assertIn("apply changes the running kernel and cannot be used "
                      "with --root", r.err)
        self.assertEqual(tree_digest(self.root), before)
        self.assertFalse(os.path.exists(os.path.join(self.root, "run")))

    def test_refused_before_a_held_lock_is_waited_for(self):
        import fcntl
        self.policy(DIFFERENT)
        os.makedirs(os.path.join(self.root, "run"))
        with open(os.path.join(self.root, "run/sriovctl.lock"), "w") as held:
            fcntl.flock(held, fcntl.LOCK_EX)
            t0 = time.monotonic()
            sriovctl("apply", root=self.root, check=2)
            self.assertLess(time.monotonic() - t0, 5)


class Escape(Host):
    """Attributes linked out of the root: the walk contains them as openat2."""

    def plant(self, attr, target):
        p = os.path.join(self.pf, attr)
        os.unlink(p)
        os.symlink(target, p)

    def same_everywhere(self, *args, rc):
        base = sriovctl(*args, root=self.root, check=rc)
        for name, wrap in WALKS.items():
            with self.subTest(walk=name, args=args):
                r = sriovctl(*args, root=self.root, wrap=wrap, check=rc)
                self.assertEqual((r.out, r.err), (base.out, base.err))
                self.assertNotIn("precious", r.out + r.err)
        return base

    def test_absolute_link_out(self):
        # the repro: this printed 'not a number ("precious")'
        self.plant("sriov_totalvfs", self.victim)
        r = self.same_everywhere("show", PF, rc=1)
        self.assertIn("no sriov_totalvfs", r.err)

    def test_relative_link_out(self):
        depth = os.path.relpath(self.pf, self.root).count("/") + 1
        self.plant("sriov_totalvfs", "../" * (depth + 3) +
                   os.path.relpath(self.victim, "/"))
        self.same_everywhere("show", PF, rc=1)

    def test_link_below_the_device_stays_below(self):
        # attributes are read below the device's directory
        self.plant("sriov_numvfs", self.victim)
        r = self.same_everywhere("show", PF, rc=0)
        self.assertIn("sriov_numvfs: unreadable (leads out of the directory "
                      "it is read from)", r.out)

    def test_absolute_link_is_the_roots_path(self):
        # the tree's own file at the victim's path is what it names
        inside = os.path.join(self.root, os.path.relpath(self.victim, "/"))
        os.makedirs(os.path.dirname(inside))
        with open(inside, "w") as f:
            f.write(MATCHING)
        os.makedirs(os.path.join(self.root, "etc/sriovctl"))
        os.symlink(self.victim, os.path.join(self.root,
                                             "etc/sriovctl/sriovctl.yaml"))
        r = self.same_everywhere("plan", rc=0)
        self.assertEqual(r.out, "nothing to do: the host matches the policy\n")

    def test_directory_link_out(self):
        os.symlink(self.tmp, os.path.join(self.root, "etc"))
        os.mkdir(self.path("sriovctl"))
        with open(self.path("sriovctl", "sriovctl.yaml"), "w") as f:
            f.write(MATCHING)
        r = self.same_everywhere("plan", rc=1)
        self.assertIn("no policy", r.err)

    def test_a_loop_ends(self):
        self.plant("sriov_numvfs", "sriov_numvfs")
        r = self.same_everywhere("show", PF, rc=0)
        self.assertIn("sriov_numvfs: unreadable (Too many levels of symbolic "
                      "links)", r.out)


class Fifo(Host):
    """A FIFO where a regular file belongs: an error at once, not a hang."""

    def test_attribute(self):
        self.fifo(os.path.join(self.pf, "sriov_numvfs"))
        for name, wrap in {"kernel": (), **WALKS}.items():
            with self.subTest(walk=name):
                sriovctl("list", root=self.root, check=0, wrap=wrap,
                         timeout=PROMPT)
                r = sriovctl("show", PF, root=self.root, check=0, wrap=wrap,
                             timeout=PROMPT)
                self.assertIn("sriov_numvfs: unreadable (not a regular file)",
                              r.out)

    def test_policy(self):
        self.fifo(self.policy(""))
        r = sriovctl("plan", root=self.root, check=1, timeout=PROMPT)
        self.assertIn("cannot open /etc/sriovctl/sriovctl.yaml: not a regular "
                      "file", r.err)

    def test_conf_d(self):
        self.policy(MATCHING)
        self.fifo(self.policy("", "etc/sriovctl/conf.d/10-fifo.yaml"))
        r = sriovctl("plan", root=self.root, check=1, timeout=PROMPT)
        self.assertIn("cannot open /etc/sriovctl/conf.d/10-fifo.yaml: not a "
                      "regular file", r.err)

    def test_policy_file_option(self):
        p = self.fifo(self.path("policy.yaml"))
        for args in (("plan", "-f", p), ("policy", "check", "-f", p),
                     ("apply", "-f", p)):
            with self.subTest(args=args):
                r = sriovctl(*args, root=self.root, check=1, timeout=PROMPT)
                self.assertIn(f"cannot open {p}: not a regular file", r.err)

    def test_state_file(self):
        p = self.fifo(self.path("state.json"))
        r = sriovctl("restore", "--dry-run", p, root=self.root, check=1,
                     timeout=PROMPT)
        self.assertIn(f"cannot read state file {p}: not a regular file", r.err)
        # standard input still reads a pipe
        st = sriovctl("save", root=self.root, check=0).out
        q = subprocess.run([SRIOVCTL, "--root", self.root, "restore",
                            "--dry-run", "-"], input=st, capture_output=True,
                           text=True, timeout=PROMPT)
        self.assertEqual(q.returncode, 0, q.stderr)


class Walk(TreeTest):
    """Every read command gives the same answer through the walk."""

    def test_samples(self):
        samples = os.path.join(SOURCE, "samples", "hosts")
        policy = os.path.join(SOURCE, "samples", "policies",
                              "dual-e810-cx6.yaml")
        names = sorted(n for n in os.listdir(samples)
                       if os.path.isdir(os.path.join(samples, n)))
        self.assertGreaterEqual(len(names), 2)
        for n in names:
            root = os.path.join(samples, n)
            inv = sriovctl("list", "--json", root=root, check=0).json()
            cmds = [("list",), ("list", "--json"), ("save",),
                    ("check", "--json"), ("plan", "-f", policy)]
            for pf in inv["pfs"]:
                cmds.append(("show", pf["address"]))
                cmds += [("show", vf["address"]) for vf in pf["vfs"][:1]]
            for args in cmds:
                base = sriovctl(*args, root=root)
                for name, wrap in SECCOMP.items():
                    with self.subTest(sample=n, args=args, walk=name):
                        r = sriovctl(*args, root=root, wrap=wrap)
                        self.assertEqual((r.rc, r.out, r.err),
                                         (base.rc, base.out, base.err))


if __name__ == "__main__":
    unittest.main()
