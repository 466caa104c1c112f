#!/usr/bin/env python3
"""The lab harness itself, with a stand-in QEMU: how the accelerator is
chosen (probe, cache, forcing) and how a boot that never started is
reported (one failure quoting QEMU, the rest skipped). Needs no root and
no QEMU; the real QEMU runs in the lab test."""

import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))
import accel  # noqa: E402
import lab  # noqa: E402

# Behaves per -cpu as $FAKE_QEMU (JSON: cpu -> mode, "*" for the rest)
# says; appends its -machine and -cpu to $FAKE_QEMU_LOG.
FAKE = r'''#!/usr/bin/env python3
import json, os, sys, time
a = sys.argv[1:]
cpu = a[a.index("-cpu") + 1]
machine = a[a.index("-machine") + 1]
serial = a[a.index("-serial") + 1].removeprefix("file:")
with open(os.environ["FAKE_QEMU_LOG"], "a") as f:
    f.write(json.dumps([machine, cpu]) + "\n")
modes = json.loads(os.environ["FAKE_QEMU"])
mode = modes.get(cpu, modes.get("*"))
if mode == "abort":
    sys.stderr.write("qemu-system-x86_64: error: failed to set MSR 0x10a "
                     "to 0xc000069\nqemu-system-x86_64: target/i386/kvm/"
                     "kvm.c:3849: kvm_buf_set_msrs: Assertion `ret == "
                     "cpu->kvm_msr_buf->nmsrs' failed.\n")
    sys.stderr.flush()
    os.abort()
if mode == "bad-option":
    sys.stderr.write("qemu-system-x86_64: -device igb: 'igb' is not a "
                     "valid device model name\n")
    sys.exit(1)
if mode == "hang":
    time.sleep(60)
if mode == "marker":
    open(serial, "w").write("\n@@PROBE init ran\n")
    sys.exit(0)
if mode == "start-crash":
    open(serial, "w").write("@@LAB start kernel=6.1 uptime=3.0\n")
    sys.exit(1)
sys.exit(0)
'''


class Harness(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="lab-harness."))
        self.qemu = self.tmp / "qemu-system-x86_64"
        self.qemu.write_text(FAKE)
        self.qemu.chmod(0o755)
        self.kernel = self.tmp / "vmlinuz"
        self.kernel.write_text("not a kernel")
        self.log = self.tmp / "invocations"
        self.env = mock.patch.dict(os.environ, {
            "FAKE_QEMU_LOG": str(self.log)})
        self.env.start()
        os.environ.pop("SRIOV_LAB_ACCEL", None)
        # The verdict must not depend on this machine's own /dev/kvm.
        self.node = mock.patch.object(accel, "_kvm_node",
                                      return_value=([1, 2, 3], None))
        self.node.start()
        self.probe_cpio = mock.patch.object(
            accel, "probe_initramfs", side_effect=lambda bb, out: out)
        self.probe_cpio.start()

    def tearDown(self):
        self.probe_cpio.stop()
        self.node.stop()
        self.env.stop()
        for p in sorted(self.tmp.rglob("*"), reverse=True):
            p.rmdir() if p.is_dir() else p.unlink()
        self.tmp.rmdir()

    def modes(self, **kw):
        os.environ["FAKE_QEMU"] = json.dumps(kw)

    def calls(self):
        if not self.log.exists():
            return []
        return [json.loads(x) for x in self.log.read_text().splitlines()]

    def choose(self, env=None):
        return accel.choose(self.qemu, self.kernel, "/bin/true",
                            self.tmp / "cache", self.tmp,
                            env=dict(os.environ, **(env or {})))

    # ------------------------------------------------- the probe --------

    def test_kvm_that_works_is_chosen_with_split_irqchip(self):
        self.modes(host="marker")
        a = self.choose()
        self.assertEqual(("kvm", "host"), (a.name, a.cpu))
        self.assertEqual("q35,accel=kvm,kernel-irqchip=split", a.machine)
        self.assertIn("ran /init", a.reason)
        self.assertEqual([["q35,accel=kvm,kernel-irqchip=split", "host"]],
                         self.calls())

    def test_msr_abort_then_silent_guest_gives_tcg_with_both_reasons(self):
        self.modes(**{"host": "abort", "host,-arch-capabilities": "hang"})
        with mock.patch.object(accel, "PROBE_TIMEOUT", 1.5):
            a = self.choose()
        self.assertEqual(("tcg", "max", "q35,accel=tcg"),
                         (a.name, a.cpu, a.machine))
        self.assertIn("-cpu host: QEMU aborted", a.reason)
        self.assertIn("killed by SIGABRT", a.reason)
        self.assertIn("failed to set MSR 0x10a", a.reason)
        self.assertIn("-cpu host,-arch-capabilities: no output from the "
                      "guest's /init in 1.5 s", a.reason)
        self.assertTrue(a.describe().startswith("accel tcg (-cpu max; kvm "
                                                "probe: -cpu host: QEMU "
                                                "aborted"))

    def test_a_second_model_is_tried_only_after_a_start_failure(self):
        self.modes(**{"host": "abort", "host,-arch-capabilities": "marker"})
        a = self.choose()
        self.assertEqual(("kvm", "host,-arch-capabilities"), (a.name, a.cpu))
        self.modes(host="hang")
        (self.tmp / "cache" / "accel.json").unlink()
        with mock.patch.object(accel, "PROBE_TIMEOUT", 1.0):
            a = self.choose()
        self.assertEqual("tcg", a.name)
        # host hung: the other model is not tried (it would cost the limit)
        self.assertEqual("host", self.calls()[-1][1])
        self.assertEqual(3, len(self.calls()))

    def test_no_usable_dev_kvm_means_tcg_without_starting_qemu(self):
        self.modes(host="marker")
        with mock.patch.object(accel, "_kvm_node", return_value=(
                None, "/dev/kvm: No such file or directory")):
            a = self.choose()
        self.assertEqual("tcg", a.name)
        self.assertEqual("kvm probe: /dev/kvm: No such file or directory",
                         a.reason)
        self.assertEqual([], self.calls())

    def test_the_verdict_is_cached_until_qemu_changes(self):
        self.modes(host="abort", **{"host,-arch-capabilities": "abort"})
        first = self.choose()
        n = len(self.calls())
        self.assertEqual(2, n)
        again = self.choose()
        self.assertEqual(n, len(self.calls()))  # no QEMU started
        self.assertTrue(again.cached)
        self.assertEqual((first.name, first.cpu, first.reason),
                         (again.name, again.cpu, again.reason))
        self.assertIn(", cached)", again.describe())
        # Another QEMU binary (an upgrade): probed again.
        st = self.qemu.stat()
        os.utime(self.qemu, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
        self.modes(host="marker")
        self.assertEqual("kvm", self.choose().name)

    def test_forcing(self):
        self.modes(host="abort")
        a = self.choose({"SRIOV_LAB_ACCEL": "tcg"})
        self.assertEqual(("tcg", "max", True), (a.name, a.cpu, a.forced))
        a = self.choose({"SRIOV_LAB_ACCEL": "KVM"})
        self.assertEqual(("kvm", "host", True), (a.name, a.cpu, a.forced))
        a = self.choose({"SRIOV_LAB_ACCEL": "kvm",
                         "SRIOV_LAB_KVM_CPU": "max,-arch-capabilities"})
        self.assertEqual("max,-arch-capabilities", a.cpu)
        self.assertEqual([], self.calls())  # forced: never probed
        with self.assertRaisesRegex(ValueError, "give kvm or tcg"):
            self.choose({"SRIOV_LAB_ACCEL": "hvf"})

    def test_qemu_failure_wording(self):
        self.assertEqual(
            "QEMU ended after 0.2 s (exit 1): -device igb: 'igb' is not a "
            "valid device model name",
            accel.qemu_failure(1, 0.2, "qemu-system-x86_64: -device igb: "
                               "'igb' is not a valid device model name\n"))
        self.assertEqual("QEMU ended after 0.0 s (exit 1): no message",
                         accel.qemu_failure(1, 0, ""))

    # ------------------------------------------------- the boots --------

    def prep(self, acc):
        p = lab.Prepared(str(self.qemu), None, "6.1.0-0-amd64", self.tmp)
        p.accel = acc
        (self.tmp / "vmlinuz").write_text("x")
        return p

    def run_boots(self, acc, names="AB"):
        prep = self.prep(acc)
        res = self.tmp / "results"
        res.mkdir(exist_ok=True)
        boots = lab.boot_all(prep, list(names), self.tmp / "initrd", res, 2)
        tap = lab.Tap()
        lab.evaluate(boots, tap)
        return boots, tap

    def test_a_boot_that_aborts_at_start_is_one_failure_not_hundreds(self):
        self.modes(**{"*": "abort"})
        boots, tap = self.run_boots(accel.tcg("forced", forced=True))
        failed = [r for r in tap.results if r[0] is False]
        skipped = [r for r in tap.results if r[0] == "skip"]
        self.assertEqual(2, len(failed))  # the boot check of A and of B
        self.assertGreater(len(skipped), 100)
        self.assertEqual(len(tap.results), len(failed) + len(skipped))
        ok, desc, diag, _ = failed[0]
        self.assertTrue(desc.startswith("boot A "))
        self.assertIn("QEMU aborted after", diag)
        self.assertIn("(killed by SIGABRT)", diag)
        self.assertIn("failed to set MSR 0x10a to 0xc000069", diag)
        self.assertIn("command: " + str(self.qemu) + " -machine "
                      "q35,accel=tcg -cpu max", diag)
        self.assertIn("accel: accel tcg (-cpu max; forced)", diag)
        self.assertTrue(all(r[2].startswith("boot A never reached /init: "
                                            "QEMU aborted")
                            for r in skipped if r[1].startswith("A ")))
        out = self.tmp / "tap"
        with open(out, "w") as f:
            tap.print(f)
        text = out.read_text()
        self.assertEqual(2, text.count("\nnot ok "))
        self.assertIn(" # SKIP boot B never reached /init: QEMU aborted", text)

    def test_a_guest_that_reached_init_and_died_is_judged(self):
        self.modes(**{"*": "start-crash"})
        boots, tap = self.run_boots(accel.tcg("forced", forced=True), "B")
        self.assertTrue(boots["B"].started)
        self.assertEqual("QEMU exited 1 (see %s)" % (
            self.tmp / "results" / "boot-B.qemu.log"), boots["B"].error)
        self.assertFalse(any(r[0] == "skip" for r in tap.results))
        self.assertGreater(sum(r[0] is False for r in tap.results), 1)

    def test_kvm_from_the_probe_falls_back_to_tcg_when_a_boot_fails(self):
        self.modes(**{"host": "abort", "max": "start-crash"})
        boots, _ = self.run_boots(accel.Accel("kvm", "host", "probe"), "B")
        self.assertEqual([["q35,accel=kvm,kernel-irqchip=split", "host"],
                          ["q35,accel=tcg", "max"]], self.calls())
        self.assertTrue(boots["B"].started)
        self.assertEqual("tcg", boots["B"].accel.name)

    def test_forced_kvm_is_not_replaced(self):
        self.modes(**{"*": "abort"})
        boots, _ = self.run_boots(accel.Accel("kvm", "host", "forced",
                                              forced=True), "B")
        self.assertEqual(1, len(self.calls()))
        self.assertFalse(boots["B"].started)

    # ------------------------------------------------- the machine ------

    def test_a_slow_guest_runs_on_and_a_silent_one_is_killed(self):
        serial = self.tmp / "serial"
        talk = ("import sys, time\n"
                "for i in range(int(sys.argv[2])):\n"
                "    open(sys.argv[1], 'a').write('line %d\\n' % i)\n"
                "    time.sleep(0.5)\n"
                "time.sleep(float(sys.argv[3]))\n")
        # prints for 4 s, longer than the silence limit: slow, not hung
        p = subprocess.Popen([sys.executable, "-c", talk, str(serial), "8",
                              "0"])
        self.assertEqual(0, lab.wait_guest(p, serial, 60, silence=2))
        # prints for 1 s, then nothing
        serial.unlink()
        p = subprocess.Popen([sys.executable, "-c", talk, str(serial), "2",
                              "30"])
        t0 = time.monotonic()
        with self.assertRaises(lab.Silent):
            lab.wait_guest(p, serial, 60, silence=2)
        self.assertLess(time.monotonic() - t0, 10)
        p.kill()
        p.wait()

    def test_jobs_follow_the_cpus_and_memory_this_process_has(self):
        with mock.patch.object(lab, "usable_cpus", return_value=1):
            self.assertEqual(1, lab.default_jobs())
        meminfo = self.tmp / "meminfo"
        real_path = lab.Path

        def fake_path(p, *rest):
            return real_path(meminfo) if p == "/proc/meminfo" else \
                real_path(p, *rest)
        with mock.patch.object(lab, "usable_cpus", return_value=2), \
                mock.patch.object(lab, "Path", side_effect=fake_path):
            meminfo.write_text("MemTotal: 4000000 kB\n"
                               "MemAvailable: 2000000 kB\n")
            self.assertEqual(1, lab.default_jobs())
            meminfo.write_text("MemAvailable: 24000000 kB\n")
            self.assertEqual(2, lab.default_jobs())
        self.assertEqual(len(os.sched_getaffinity(0)), lab.usable_cpus())


if __name__ == "__main__":
    unittest.main()
