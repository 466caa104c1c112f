"""How the lab runs QEMU: KVM when a short guest proves it works, else TCG.

A /dev/kvm that exists says nothing: on a VM with nested virtualisation it
may open fine while QEMU aborts at start (`failed to set MSR 0x10a`, the
IA32_ARCH_CAPABILITIES MSR that the outer hypervisor refuses), or start and
never run a guest instruction. So the probe boots the lab's own kernel with
a tiny initramfs whose /init prints a marker, on the machine type the real
boots use (q35, split irqchip, intel-iommu), under a strict time limit, and
KVM is chosen only if the marker comes back. The verdict is cached per host
boot (keyed by boot_id, the /dev/kvm node, QEMU and the kernel), so the
normal and the ASan build of one test run probe once.

SRIOV_LAB_ACCEL=kvm|tcg forces one (no probe); SRIOV_LAB_KVM_CPU gives the
CPU model for forced KVM (default host); SRIOV_LAB_KVM_PROBE_TIMEOUT the
probe's limit in seconds (default 20). Python stdlib only.
"""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

MARKER = "@@PROBE init ran"
PROBE_TIMEOUT = float(os.environ.get("SRIOV_LAB_KVM_PROBE_TIMEOUT", "20"))
# Tried in order. A model QEMU refuses at start moves to the next; a guest
# that starts and stays silent ends the probe (KVM itself does not run it,
# another CPU model will not help and each try costs the whole limit).
KVM_CPUS = ["host", "host,-arch-capabilities"]
TCG_CPU = "max"
# A QEMU that ends this fast never ran a guest: a start failure.
START_FAILURE_S = 1.0
# Format of the cached verdict; bump to ignore older files.
CACHE_FORMAT = 1


class Accel:
    """The accelerator the boots use and why it was chosen."""

    def __init__(self, name, cpu, reason, forced=False, cached=False):
        self.name, self.cpu, self.reason = name, cpu, reason
        self.forced, self.cached = forced, cached

    @property
    def machine(self):
        # intel-iommu with intremap=on needs the split irqchip under KVM.
        return ("q35,accel=kvm,kernel-irqchip=split" if self.name == "kvm"
                else "q35,accel=tcg")

    def describe(self):
        s = f"accel {self.name} (-cpu {self.cpu}; {self.reason}"
        return s + (", cached" if self.cached else "") + ")"

    def to_json(self):
        return {"name": self.name, "cpu": self.cpu, "reason": self.reason}


def tcg(reason, forced=False):
    return Accel("tcg", TCG_CPU, reason, forced)


def qemu_failure(rc, elapsed, output):
    """One line for a QEMU that ended before its guest ran: QEMU's own
    error text and how it ended (an abort is a signal, not an exit)."""
    how = (f"killed by {signal.Signals(-rc).name}" if rc < 0
           and -rc in signal.Signals._value2member_map_ else f"exit {rc}")
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    errors = [ln for ln in lines if "error" in ln.lower()
              or "assert" in ln.lower()] or lines[-2:]
    text = "; ".join(e.removeprefix("qemu-system-x86_64: ") for e in errors)
    verb = "aborted" if rc == -signal.SIGABRT else "ended"
    return (f"QEMU {verb} after {elapsed:.1f} s ({how})"
            + (f": {text[:400]}" if text else ": no message"))


def probe_initramfs(busybox, out):
    """A newc cpio: /init prints MARKER and powers off; /dev/console so
    that /init has its output. Built with the cpio tool."""
    stage = Path(tempfile.mkdtemp(prefix="sriovctl-lab-probe."))
    try:
        for d in ("bin", "dev"):
            (stage / d).mkdir()
        os.mknod(stage / "dev/console", 0o020600, os.makedev(5, 1))
        data = Path(busybox).read_bytes()
        (stage / "bin/busybox").write_bytes(data)
        (stage / "bin/busybox").chmod(0o755)
        (stage / "init").write_text(
            "#!/bin/busybox sh\n"
            f"/bin/busybox echo '{MARKER}'\n"
            "/bin/busybox poweroff -f\n")
        (stage / "init").chmod(0o755)
        listing = "".join(f"{n}\n" for n in
                          ("bin", "bin/busybox", "dev", "dev/console", "init"))
        r = subprocess.run(["cpio", "-o", "-H", "newc", "-R", "0:0",
                            "--quiet"], cwd=stage, input=listing.encode(),
                           capture_output=True, timeout=60, check=True)
        Path(out).write_bytes(r.stdout)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return out


def probe_once(qemu, vmlinuz, initrd, accel, cpu, timeout, workdir,
               live=None):
    """Boot the probe guest once. Returns (ok, reason, seconds)."""
    serial = Path(workdir) / f"probe-{accel}.serial.log"
    serial.unlink(missing_ok=True)
    machine = Accel(accel, cpu, "").machine
    cmd = [str(qemu), "-machine", machine, "-cpu", cpu, "-smp", "2",
           "-m", "256", "-nodefaults", "-display", "none", "-no-reboot",
           "-serial", f"file:{serial}", "-kernel", str(vmlinuz),
           "-initrd", str(initrd),
           "-append", "console=ttyS0 panic=-1 quiet no_timer_check",
           "-device", "intel-iommu,intremap=on"]
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         start_new_session=True)
    if live is not None:
        live.add(p.pid)
    seen = False
    try:
        while time.monotonic() - t0 < timeout:
            with contextlib.suppress(subprocess.TimeoutExpired):
                p.wait(timeout=0.1)
            with contextlib.suppress(OSError):
                seen = MARKER.encode() in serial.read_bytes()
            if seen or p.poll() is not None:
                break
    finally:
        if p.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)
        out = p.communicate()[0].decode(errors="replace")
        if live is not None:
            live.discard(p.pid)
    elapsed = time.monotonic() - t0
    if seen:
        return True, f"the probe guest ran /init in {elapsed:.1f} s", elapsed
    if p.returncode is not None and p.returncode != -signal.SIGKILL:
        return False, qemu_failure(p.returncode, elapsed, out), elapsed
    return False, (f"no output from the guest's /init in {timeout:g} s "
                   "(QEMU started; KVM runs no guest here)"), elapsed


def _kvm_node():
    """(ino, rdev, ctime) of /dev/kvm after opening it, or the reason it
    cannot be opened: opening it is the first probe."""
    try:
        fd = os.open("/dev/kvm", os.O_RDWR | os.O_CLOEXEC)
    except OSError as e:
        return None, f"/dev/kvm: {e.strerror}"
    try:
        st = os.fstat(fd)
    finally:
        os.close(fd)
    return [st.st_ino, st.st_rdev, st.st_ctime_ns], None


def _boot_id():
    with contextlib.suppress(OSError):
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    return None


def _qemu_id(qemu):
    st = os.stat(qemu)
    return [str(qemu), st.st_size, st.st_mtime_ns]


def choose(qemu, vmlinuz, busybox, cache_dir, workdir, live=None,
           env=os.environ, log=lambda msg: None):
    """The Accel for this run. Raises ValueError for a bad SRIOV_LAB_ACCEL."""
    forced = env.get("SRIOV_LAB_ACCEL", "").strip().lower()
    if forced == "tcg":
        return tcg("forced by SRIOV_LAB_ACCEL=tcg", forced=True)
    if forced == "kvm":
        return Accel("kvm", env.get("SRIOV_LAB_KVM_CPU") or "host",
                     "forced by SRIOV_LAB_ACCEL=kvm", forced=True)
    if forced:
        raise ValueError(f"SRIOV_LAB_ACCEL={forced!r}: give kvm or tcg "
                         "(or leave it unset to probe)")
    node, why = _kvm_node()
    if node is None:
        return tcg(f"kvm probe: {why}")
    key = {"format": CACHE_FORMAT, "boot_id": _boot_id(), "kvm": node,
           "qemu": _qemu_id(qemu), "kernel": _qemu_id(vmlinuz),
           "timeout": PROBE_TIMEOUT}
    cache = Path(cache_dir) / "accel.json"
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        c = json.loads(cache.read_text())
        if c["key"] == key:
            a = Accel(c["name"], c["cpu"], c["reason"], cached=True)
            return a
    initrd = probe_initramfs(busybox, Path(workdir) / "probe.cpio")
    tried = []
    verdict = None
    for cpu in KVM_CPUS:
        log(f"kvm probe: -cpu {cpu}, up to {PROBE_TIMEOUT:g} s")
        ok, why, _ = probe_once(qemu, vmlinuz, initrd, "kvm", cpu,
                                PROBE_TIMEOUT, workdir, live)
        if ok:
            verdict = Accel("kvm", cpu, f"kvm probe: {why}")
            break
        tried.append(f"-cpu {cpu}: {why}")
        if not why.startswith("QEMU "):  # started and stayed silent
            break
    if verdict is None:
        verdict = tcg("kvm probe: " + "; ".join(tried))
    with contextlib.suppress(OSError):
        Path(cache_dir).mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(cache.name + f".{os.getpid()}")
        tmp.write_text(json.dumps({"key": key, **verdict.to_json()}))
        os.replace(tmp, cache)
    return verdict
