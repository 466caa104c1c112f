#!/usr/bin/env python3
"""The sriovctl lab: sriovctl's tests on a real Linux kernel with real
SR-IOV devices.

Debian's own kernel boots in QEMU (KVM when a probe guest proves it works,
else TCG: accel.py) with an
SR-IOV NVMe controller and an Intel 82576 (igb) behind PCIe root ports, an
intel-iommu, and an out-of-tree netdevsim module. Guest scripts
(tests/lab/guest/) run sriovctl and dump the kernel's raw facts on the serial
console between @@BEGIN/@@END markers; this script parses the serial log and
decides every check on the host. See docs/lab.md.

    lab.py prepare                        install QEMU & co, fill the cache
    lab.py initramfs OUT.cpio.gz [--sriovctl PATH]
    lab.py boot A|B|C [--sriovctl PATH]   one boot, serial log kept
    lab.py run [--sriovctl PATH] [--boots ABC] [--jobs N]   all; TAP
    lab.py evaluate RESULTS_DIR           re-judge the serial logs of a run
    (--results DIR before the subcommand: where logs and results go)

The sriovctl binary comes from --sriovctl or $SRIOVCTL. Python stdlib only.
"""

import argparse
import concurrent.futures
import contextlib
import fcntl
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import accel

HERE = Path(__file__).resolve().parent
GUEST = HERE / "guest"
CACHE_ROOT = Path(os.environ.get("SRIOV_LAB_CACHE") or "/var/cache/sriovctl-lab")
RESULTS = Path(os.environ.get("SRIOV_LAB_RESULTS")
               or Path(tempfile.gettempdir()) / "sriovctl-lab-results")
# A guest that prints nothing for BOOT_SILENCE s hangs; one that keeps
# printing is slow, not stuck: a loaded machine (the ASan build's boot A
# took 481 s with two compilers beside it, 257 s alone) is given up to
# BOOT_TIMEOUT s before it is killed.
BOOT_TIMEOUT = int(os.environ.get("SRIOV_LAB_BOOT_TIMEOUT", "1500"))
BOOT_SILENCE = int(os.environ.get("SRIOV_LAB_BOOT_SILENCE", "240"))
# A TCG guest starved of host CPU can stall in early boot (RCU stall
# reports, no progress) and never reach /init: seen once with two 2-vCPU
# guests and a compiler on 2 cores. /init prints "@@LAB start" within
# 10-30 s; a boot without it after this long is booted once more. A
# guest that reached /init is never booted again: its failures count.
BOOT_STALL = int(os.environ.get("SRIOV_LAB_BOOT_STALL", "120"))
# Bump when the layout of a cache entry changes: old entries are rebuilt.
CACHE_FORMAT = 1

NVME_VFS = 4  # sriov_max_vfs of the NVMe PF (its total_vfs)
BOOT_MODULES = ["nvme", "vfio-pci", "vfio_iommu_type1", "igb", "igbvf"]
ALL_MODULES = BOOT_MODULES + ["psample", "netdevsim"]
# Big module trees none of ALL_MODULES depends on: not kept in the cache.
PRUNE = ["kernel/drivers/gpu", "kernel/drivers/media", "kernel/sound",
         "kernel/drivers/infiniband", "kernel/drivers/net/wireless",
         "kernel/drivers/staging", "kernel/drivers/iio", "kernel/drivers/usb",
         "kernel/drivers/scsi", "kernel/drivers/hid", "kernel/net/bluetooth",
         "kernel/drivers/bluetooth", "kernel/fs"]
# dpdk-dev: dpdk-testpmd, which boot H runs on an igb VF
HOST_PACKAGES = ["busybox-static", "kmod", "cpio", "gzip", "xz-utils",
                 "iproute2", "pci.ids", "make", "udev", "dpdk-dev"]


class LabError(Exception):
    """Something the lab could not do (install, build, boot)."""


def log(msg):
    print(f"lab: {msg}", file=sys.stderr, flush=True)


# Process groups to kill if the lab itself is stopped (SIGTERM from meson's
# timeout, ^C): QEMU and builds run in sessions of their own, which a signal
# to the lab's group does not reach.
_LIVE = set()


def kill_live(*_):
    for pid in list(_LIVE):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)


def _on_sigterm(signum, frame):
    kill_live()
    raise SystemExit(128 + signum)


def run(cmd, timeout, *, check=True, cwd=None, env=None, input=None,
        text=True, killable=True):
    """Run cmd in its own process group; kill the whole group on timeout.
    killable=False (apt, dpkg): not killed when the lab is stopped."""
    cmd = [str(c) for c in cmd]
    p = subprocess.Popen(cmd, cwd=cwd, env=env, text=text,
                         stdin=subprocess.PIPE if input is not None
                         else subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         start_new_session=True)
    if killable:
        _LIVE.add(p.pid)
    try:
        out, err = p.communicate(input, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise LabError(f"{' '.join(cmd)}: no end after {timeout} s, killed")
    finally:
        if p.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
        _LIVE.discard(p.pid)
    if check and p.returncode != 0:
        tail = (err if text else err.decode(errors="replace")).strip()
        raise LabError(f"{' '.join(cmd)}: exit {p.returncode}: "
                       f"{tail[-1500:]}")
    return subprocess.CompletedProcess(cmd, p.returncode, out, err)


def usable_cpus():
    """CPUs this process may run on (a container's or taskset's limit),
    not the host's count."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# A guest: -m 1024 plus what QEMU itself uses under TCG (seen 300-400 MB).
GUEST_MEMORY_KB = 1536 * 1024


def default_jobs():
    """Two boots at once where two guests fit (two at a time is the
    fastest on 2 cores); one where the CPUs or the memory do not allow."""
    jobs = 2 if usable_cpus() >= 2 else 1
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                jobs = max(1, min(jobs, int(line.split()[1])
                                  // GUEST_MEMORY_KB))
    return jobs


def tool(name):
    """A host program, also from the sbin directories meson's PATH may lack."""
    found = shutil.which(name) or shutil.which(
        name, path="/usr/local/sbin:/usr/sbin:/sbin:/usr/bin:/bin")
    if not found:
        raise LabError(f"{name}: not installed")
    return found


@contextlib.contextmanager
def locked(path, timeout=1800):
    """An exclusive lock on path (one lab at a time fills the cache)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as f:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LabError(f"{path}: still locked after {timeout} s")
                time.sleep(1)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


# ---------------------------------------------------------------- apt ----

class Apt:
    """apt-get as the lab uses it: install only what is missing."""

    ENV = dict(os.environ, DEBIAN_FRONTEND="noninteractive")

    def __init__(self):
        self.updated = False

    def update(self):
        if not self.updated:
            log("apt-get update")
            run(["apt-get", "update", "-qq"], 900, env=self.ENV,
                killable=False)
            self.updated = True

    @staticmethod
    def installed(pkg):
        r = run(["dpkg-query", "-W", "-f=${Status}", pkg], 60, check=False)
        return r.returncode == 0 and r.stdout.endswith("install ok installed")

    def install(self, pkgs, release=None):
        missing = [p for p in pkgs if not self.installed(p)]
        if not missing and release is None:
            return
        self.update()
        log(f"apt-get install {' '.join(pkgs if release else missing)}"
            + (f" from {release}" if release else ""))
        run(["apt-get", "install", "-y", "-qq", "--no-install-recommends",
             *(["-t", release] if release else []),
             *(pkgs if release else missing)], 1800, env=self.ENV,
            killable=False)

    def depends(self, pkg):
        """The direct Depends of pkg (first alternative of each)."""
        r = run(["apt-cache", "depends", pkg], 120, check=False)
        out = []
        for line in r.stdout.splitlines():
            m = re.match(r"\s*\|?Depends:\s*(\S+)", line)
            if m and not m.group(1).startswith("<"):
                out.append(m.group(1))
        return out

    def download(self, pkgs, dest):
        log(f"apt-get download {' '.join(pkgs)}")
        run(["apt-get", "download", "-o", "APT::Sandbox::User=root", *pkgs],
            1800, cwd=dest, env=self.ENV)
        debs = {}
        for pkg in pkgs:
            found = sorted(Path(dest).glob(f"{pkg}_*.deb"))
            if not found:
                raise LabError(f"apt-get download {pkg}: no .deb")
            debs[pkg] = found[-1]
        return debs


def os_codename():
    for line in Path("/etc/os-release").read_text().splitlines():
        if line.startswith("VERSION_CODENAME="):
            return line.split("=", 1)[1].strip().strip('"')
    raise LabError("/etc/os-release: no VERSION_CODENAME")


def _deb822_stanzas(text):
    stanza, key = {}, None
    for line in text.splitlines() + [""]:
        if line.startswith("#"):
            continue
        if not line.strip():
            if stanza:
                yield stanza
            stanza, key = {}, None
        elif line[0] in " \t" and key:
            stanza[key] += "\n" + line.strip()
        elif ":" in line:
            key, value = line.split(":", 1)
            key = key.strip().lower()
            stanza[key] = value.strip()


def apt_sources():
    """(uri, signed_by or None, suites) of every enabled deb source."""
    out = []
    d = Path("/etc/apt/sources.list.d")
    for f in sorted(d.glob("*.sources")) if d.is_dir() else []:
        for s in _deb822_stanzas(f.read_text()):
            if "deb" not in s.get("types", "").split():
                continue
            if s.get("enabled", "yes").lower() == "no":
                continue
            signed = s.get("signed-by")
            if signed and ("\n" in signed or not signed.startswith("/")):
                signed = None  # an inline key: apt's keyrings will do
            for uri in s.get("uris", "").split():
                out.append((uri, signed, s.get("suites", "").split()))
    lists = [Path("/etc/apt/sources.list")]
    lists += sorted(d.glob("*.list")) if d.is_dir() else []
    for f in lists:
        if not f.is_file():
            continue
        for line in f.read_text().splitlines():
            line = line.split("#", 1)[0].strip()
            m = re.match(r"deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)", line)
            if m:
                sm = re.search(r"signed-by=(\S+)", m.group(1) or "")
                out.append((m.group(2), sm.group(1) if sm else None,
                            [m.group(3)]))
    return out


def ensure_backports(codename):
    """Add <codename>-backports with the URI of the system's Debian entry."""
    sources = apt_sources()
    if any(f"{codename}-backports" in suites for _, _, suites in sources):
        return False
    main = [(u, s) for u, s, suites in sources if codename in suites]
    if not main:
        raise LabError(f"no apt source for {codename} to take the URI from")
    uri, signed = main[0]
    text = ("# Added by sriovctl's lab (tests/lab/lab.py): QEMU with igb.\n"
            f"Types: deb\nURIs: {uri}\nSuites: {codename}-backports\n"
            "Components: main\n"
            + (f"Signed-By: {signed}\n" if signed else ""))
    Path("/etc/apt/sources.list.d/sriovctl-lab-backports.sources").write_text(
        text)
    log(f"added {codename}-backports from the system's Debian URI")
    return True


# ------------------------------------------------------------- prepare ----

def qemu_igb(qemu):
    """Whether this QEMU has the igb device (7.2 says "not found", exit 0)."""
    try:
        r = run([qemu, "-device", "igb,help"], 60, check=False)
    except LabError:
        return False
    text = r.stdout + r.stderr
    return "not found" not in text and ("igb options" in text
                                        or "netdev=" in text)


def qemu_version(qemu):
    r = run([qemu, "--version"], 60, check=False)
    return r.stdout.splitlines()[0] if r.stdout else "?"


class Prepared:
    def __init__(self, qemu, igb_reason, abi, entry):
        self.qemu = qemu            # path or None
        self.igb_reason = igb_reason  # None when QEMU has igb
        self.abi = abi
        self.entry = entry          # the cache entry of the kernel
        self.accel = accel.tcg("not probed")  # set by choose_accel()

    @property
    def vmlinuz(self):
        return self.entry / "vmlinuz"

    @property
    def modroot(self):
        return self.entry / "root"


def ensure_qemu(apt):
    """QEMU with igb: installed, or from backports; else why igb is missing."""
    q = shutil.which("qemu-system-x86_64")
    if q and qemu_igb(q):
        return q, None
    codename = os_codename()
    why = None
    try:
        ensure_backports(codename)
        apt.updated = False  # the new suite needs a fresh index
        apt.install(["qemu-system-x86"], release=f"{codename}-backports")
    except LabError as e:
        why = f"QEMU from {codename}-backports not installed: {e}"
        log(why)
        if not shutil.which("qemu-system-x86_64"):
            with contextlib.suppress(LabError):
                apt.install(["qemu-system-x86"])
    q = shutil.which("qemu-system-x86_64")
    if not q:
        return None, why or "qemu-system-x86_64 not installed"
    if qemu_igb(q):
        return q, None
    return q, why or f"{qemu_version(q)} has no igb device"


def kernel_abi(apt):
    """The ABI of the kernel linux-image-<arch> points at (6.1.0-56-amd64)."""
    arch = run(["dpkg", "--print-architecture"], 60).stdout.strip()
    for attempt in range(2):
        for dep in apt.depends(f"linux-image-{arch}"):
            m = re.match(r"linux-image-(\d.*)$", dep)
            if m and not m.group(1).endswith("-unsigned"):
                return m.group(1)
        if attempt == 0:
            apt.update()
    raise LabError(f"apt-cache depends linux-image-{arch}: no kernel image")


def module_closure(root, abi, names):
    """Module files (relative to root), in load order, for names."""
    out = []
    for name in names:
        r = run([tool("modprobe"), "-d", root, "-S", abi, "--show-depends",
                 name], 60)
        for line in r.stdout.splitlines():
            parts = line.split()
            if len(parts) >= 2 and parts[0] == "insmod":
                rel = os.path.relpath(parts[1], root) \
                    if parts[1].startswith(str(root)) else parts[1].lstrip("/")
                if rel not in out:
                    out.append(rel)
    return out


def build_kernel_entry(apt, abi, entry):
    """Fill the cache entry for abi: vmlinuz, modules, netdevsim.ko.

    Built in a temporary directory beside it and renamed into place: an
    entry that exists is complete."""
    t0 = time.monotonic()
    parent = entry.parent
    for stale in parent.glob(f".{abi}.*"):
        shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{abi}.", dir=parent))
    try:
        debs_dir = tmp / "debs"
        work = tmp / "work"
        root = tmp / "root"
        for d in (debs_dir, work, root):
            d.mkdir()
        image, headers = f"linux-image-{abi}", f"linux-headers-{abi}"
        hdr_deps = apt.depends(headers)
        extra = [d for d in hdr_deps
                 if d.startswith(("linux-headers-", "linux-kbuild-"))]
        compilers = [d for d in hdr_deps if d.startswith("linux-compiler-")]
        source = "linux-source-" + ".".join(abi.split(".")[:2])
        debs = apt.download([image, headers, *extra, source], debs_dir)

        # What the out-of-tree build runs: the compiler the headers name,
        # the libraries of kbuild's programs, make, xz for the source.
        needs = ["make", "xz-utils"]
        for c in compilers:
            needs += apt.depends(c)
        for k in (d for d in extra if d.startswith("linux-kbuild-")):
            needs += apt.depends(k)
        apt.install(sorted(set(needs)))

        log(f"unpacking {image}")
        run(["dpkg-deb", "-x", debs[image], root], 600)
        shutil.move(root / "boot" / f"vmlinuz-{abi}", tmp / "vmlinuz")
        shutil.move(root / "boot" / f"config-{abi}", tmp / "config")
        shutil.rmtree(root / "boot", ignore_errors=True)
        shutil.rmtree(root / "usr", ignore_errors=True)
        moddir = root / "lib" / "modules" / abi
        for p in PRUNE:
            shutil.rmtree(moddir / p, ignore_errors=True)

        log("building netdevsim.ko out of tree")
        hdr = work / "hdr"
        for pkg in (headers, *extra):
            run(["dpkg-deb", "-x", debs[pkg], hdr], 600)
        kdir = hdr / "usr" / "src" / headers
        mk = kdir / "Makefile"
        # The headers' Makefile includes the -common tree by absolute path.
        mk.write_text(mk.read_text().replace("include /usr/src/",
                                             f"include {hdr}/usr/src/"))
        src = work / "src"
        run(["dpkg-deb", "-x", debs[source], src], 600)
        tarball = sorted((src / "usr" / "src").glob(f"{source}.tar*"))
        if not tarball:
            raise LabError(f"{source}: no source tarball in the package")
        run(["tar", "-xf", tarball[0], "-C", src,
             f"{source}/drivers/net/netdevsim"], 600)
        nsim = src / source / "drivers" / "net" / "netdevsim"
        env = {k: v for k, v in os.environ.items()
               if k not in ("CC", "CFLAGS", "LDFLAGS", "ARCH", "CROSS_COMPILE",
                            "KBUILD_OUTPUT", "MAKEFLAGS", "MFLAGS")}
        r = run(["make", "-C", kdir, f"M={nsim}", "CONFIG_NETDEVSIM=m",
                 f"-j{usable_cpus()}", "modules"], 1200, env=env,
                check=False)
        (tmp / "netdevsim-build.log").write_text(r.stdout + r.stderr)
        if r.returncode != 0 or not (nsim / "netdevsim.ko").is_file():
            raise LabError("netdevsim build failed: "
                           + (r.stdout + r.stderr)[-2000:])
        (moddir / "extra").mkdir(exist_ok=True)
        shutil.copy2(nsim / "netdevsim.ko", moddir / "extra" / "netdevsim.ko")
        run([tool("depmod"), "-b", root, abi], 300)
        closure = module_closure(root, abi, ALL_MODULES)

        shutil.rmtree(work)
        shutil.rmtree(debs_dir)
        manifest = {
            "format": CACHE_FORMAT, "abi": abi,
            "packages": sorted(p.name for p in debs.values()),
            "modules": closure,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "build_seconds": round(time.monotonic() - t0, 1),
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1))
        tmp.chmod(0o755)
        if entry.exists():
            shutil.rmtree(entry)
        os.rename(tmp, entry)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def entry_ok(entry):
    try:
        m = json.loads((entry / "manifest.json").read_text())
    except (OSError, ValueError):
        return False
    return m.get("format") == CACHE_FORMAT and (entry / "vmlinuz").is_file()


def prepare():
    """Install what is missing and fill the kernel cache. Raises LabError."""
    apt = Apt()
    apt.install(HOST_PACKAGES)
    qemu, igb_reason = ensure_qemu(apt)
    abi = kernel_abi(apt)
    entry = CACHE_ROOT / abi
    if not entry_ok(entry):
        with locked(CACHE_ROOT / ".lock"):
            try:
                if not entry_ok(entry):
                    build_kernel_entry(apt, abi, entry)
            except LabError as e:
                if apt.updated:
                    raise
                # Package lists older than the mirror: the .debs they name
                # may be gone. Once more with fresh lists.
                log(f"{e}: once more after apt-get update")
                apt.update()
                abi = kernel_abi(apt)
                entry = CACHE_ROOT / abi
                if not entry_ok(entry):
                    build_kernel_entry(apt, abi, entry)
            # Entries of older kernels are not needed any more.
            for old in CACHE_ROOT.iterdir():
                if old != entry and (old / "manifest.json").exists():
                    log(f"removing the old cache entry {old}")
                    shutil.rmtree(old, ignore_errors=True)
    # A cache entry from an earlier run does not install the host tools.
    apt.install(["kmod", "cpio", "busybox-static"])
    return Prepared(qemu, igb_reason, abi, entry)


# ----------------------------------------------------------- initramfs ----

def _copy_file(src, stage, dst_rel):
    dst = stage / dst_rel
    dst.parent.mkdir(parents=True, exist_ok=True)
    parent = os.path.realpath(dst.parent)
    if os.path.commonpath([parent, os.path.realpath(stage)]) != \
            os.path.realpath(stage):
        raise LabError(f"{dst}: outside the initramfs staging directory")
    # Never write through a link: busybox's applet links point at guest
    # paths, absolute, which on the host are the host's own files.
    if os.path.lexists(dst):
        os.unlink(dst)
    shutil.copy2(os.path.realpath(src), dst)
    return dst


def _guest_path(path):
    """Where a host file goes in the guest: the system's own files (/usr,
    merged /lib) at their path; anything else (a build tree, maybe under
    /tmp, which the guest mounts over) under /host, keeping its layout so
    that an $ORIGIN run path still finds its libraries."""
    if path.startswith(("/usr/", "/lib/", "/lib64/")):
        return path
    return "/host" + path


def add_program(stage, src, link=None):
    """Copy a program and its shared libraries (as ldd lists them, the
    dynamic loader included) into stage; link the program from link."""
    real = os.path.realpath(src)
    dst = _guest_path(real)
    _copy_file(real, stage, dst.lstrip("/")).chmod(0o755)
    if link:
        (stage / link).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(dst, stage / link)
    r = run(["ldd", real], 60, check=False)
    for line in r.stdout.splitlines():
        m = re.search(r"=>\s*(/\S+)", line) or re.match(r"\s*(/\S+)\s", line)
        if not m:
            continue
        lib = m.group(1)
        lreal = _guest_path(os.path.realpath(lib))
        if not (stage / lreal.lstrip("/")).exists():
            _copy_file(os.path.realpath(lib), stage, lreal.lstrip("/"))
        alias = stage / lib.lstrip("/")
        if lib != lreal and _guest_path(lib) == lib \
                and not os.path.lexists(alias):
            alias.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(lreal, alias)


# Debian's udev (systemd-udevd is udevadm by another name), the rules and
# .link file that name netdevs as on a host, and sriovctl's own rule and
# unit for udev.sh (boot F).
UDEV_FILES = ["/usr/lib/udev/rules.d/75-net-description.rules",
              "/usr/lib/udev/rules.d/80-net-setup-link.rules",
              "/usr/lib/systemd/network/99-default.link"]
DATA = Path(__file__).resolve().parent.parent.parent / "data"


def add_udev(stage):
    add_program(stage, tool("udevadm"), "usr/lib/systemd/systemd-udevd")
    for f in UDEV_FILES:
        if not Path(f).exists():
            raise LabError(f"{f}: missing (package udev)")
        _copy_file(f, stage, f.lstrip("/"))
    for f in ("udev/90-sriovctl.rules.in", "systemd/sriovctl-apply@.service.in"):
        _copy_file(DATA / f, stage, "lab/data/" + Path(f).name)


# DPDK for dpdk.sh (boot H): testpmd with its libraries, the PMDs it needs
# for an igb VF on vfio-pci in its PMD directory (the EAL loads that
# directory because librte_eal.so.23.0, its soname's file, is there), and
# libgcc_s.so.1, which glibc loads when a thread exits.
DPDK_PMD_DIR = "/usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0"
DPDK_PMDS = ["librte_bus_pci.so.23.0", "librte_mempool_ring.so.23.0",
             "librte_net_e1000.so.23.0"]
LIBGCC = "/usr/lib/x86_64-linux-gnu/libgcc_s.so.1"


def add_dpdk(stage):
    add_program(stage, tool("dpdk-testpmd"), "usr/local/bin/dpdk-testpmd")
    for name in DPDK_PMDS:
        pmd = Path(DPDK_PMD_DIR) / name
        if not pmd.exists():
            raise LabError(f"{pmd}: missing (package dpdk)")
        add_program(stage, pmd)
        link = stage / DPDK_PMD_DIR.lstrip("/") / name
        if os.path.realpath(pmd) != str(pmd) and not os.path.lexists(link):
            link.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(_guest_path(os.path.realpath(pmd)), link)
    if not Path(LIBGCC).exists():
        raise LabError(f"{LIBGCC}: missing (package libgcc-s1)")
    _copy_file(LIBGCC, stage, LIBGCC.lstrip("/"))


# The CNI plugin and Debian's reference plugins for cni.sh (boot K), in
# the CNI bin dir a runtime would use. The reference plugins are static Go
# binaries.
CNI_REFERENCE = ["host-local", "tuning", "host-device"]
LIBCNI_SRC = "/usr/share/gocode/src/github.com/containernetworking/cni/libcni"


def add_cni(stage, sriovctl):
    plugin = os.environ.get("SRIOV_LAB_CNI") or str(
        Path(sriovctl).resolve().parent.parent / "cni" / "sriov")
    if not os.access(plugin, os.X_OK):
        raise LabError(f"{plugin}: missing (ninja -C BUILD builds cni/sriov)")
    add_program(stage, plugin, "opt/cni/bin/sriov")
    # cnidrv: a real CNI client on Debian's libcni, built offline
    go = shutil.which("go")
    if not go or not Path(LIBCNI_SRC).is_dir():
        raise LabError("go or libcni missing (packages golang-go "
                       "golang-github-appc-cni-dev)")
    work = Path(tempfile.mkdtemp(prefix="sriovctl-lab-cnidrv."))
    try:
        env = dict(os.environ, GO111MODULE="off", CGO_ENABLED="0",
                   GOPATH=f"{work}/gopath:/usr/share/gocode",
                   GOCACHE=f"{work}/cache", GOFLAGS="")
        subprocess.run([go, "build", "-o", str(work / "cnidrv"), "."],
                       cwd=Path(__file__).resolve().parent / "cnidrv",
                       env=env, check=True, timeout=300,
                       capture_output=True)
        add_program(stage, work / "cnidrv", "usr/local/bin/cnidrv")
    except subprocess.CalledProcessError as e:
        raise LabError(f"building cnidrv: {e.stderr.decode(errors='replace')}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for name in CNI_REFERENCE:
        src = Path("/usr/lib/cni") / name
        if not src.exists():
            raise LabError(f"{src}: missing (package containernetworking-plugins)")
        add_program(stage, src, f"opt/cni/bin/{name}")


# Libraries sriovctl opens at run time (dlopen), which ldd does not list:
# libkmod, to load a driver's module (lib/io/module.c), libpci for the
# names of pci.ids (lib/pci/ids.c).
DLOPENED = ["libkmod.so.2", "libpci.so.3"]


def add_dlopened(stage, soname):
    """soname where the guest's dynamic loader looks for it, with what it
    links."""
    for line in run([tool("ldconfig"), "-p"], 60).stdout.splitlines():
        m = re.match(rf"\s*{re.escape(soname)} \(libc6,x86-64\) => (/\S+)",
                     line)
        if m:
            break
    else:
        raise LabError(f"{soname}: not in the dynamic loader's cache")
    add_program(stage, m.group(1))
    _copy_file(m.group(1), stage, _guest_path(m.group(1)).lstrip("/"))


def built_helper(var, name, sriovctl):
    """A helper program of the lab: $var (meson sets it), else the one the
    same build made beside sriovctl (BUILD/cli/sriovctl ->
    BUILD/tests/lab/NAME), so that a run by hand has it too."""
    p = os.environ.get(var) or str(Path(sriovctl).resolve().parent.parent
                                   / "tests" / "lab" / name)
    return p if os.access(p, os.X_OK) else None


def built_exporter(sriovctl):
    """sriovctl-exporter: $SRIOV_LAB_EXPORTER (meson sets it), else the
    one the same build made (BUILD/cli/sriovctl -> BUILD/exporter/)."""
    p = os.environ.get("SRIOV_LAB_EXPORTER") or str(
        Path(sriovctl).resolve().parent.parent / "exporter" / "sriovctl-exporter")
    if not os.access(p, os.X_OK):
        raise LabError(f"{p}: no sriovctl-exporter (build it: ninja -C BUILD)")
    return p


def build_initramfs(prep, sriovctl, out, tools=(), bench=None):
    """The guest's initramfs: busybox, sriovctl, ip, devlink, pci.ids, the
    modules and the guest scripts, as a gzip'd newc cpio at out. tools:
    more host programs for the boots that need them (strace); bench: a
    benchmark guest script, as /lab/bench.sh."""
    stage = Path(tempfile.mkdtemp(prefix="sriovctl-lab-initramfs."))
    try:
        for d in ("dev", "proc", "sys", "tmp", "run", "root", "etc", "lab",
                  "usr/bin", "usr/sbin", "usr/lib", "usr/lib64",
                  "usr/local/bin", "usr/share/misc"):
            (stage / d).mkdir(parents=True, exist_ok=True)
        for d in ("bin", "sbin", "lib", "lib64"):  # Debian's merged /usr
            os.symlink(f"usr/{d}", stage / d)
        os.mknod(stage / "dev/console", stat.S_IFCHR | 0o600,
                 os.makedev(5, 1))

        busybox = tool("busybox")
        add_program(stage, busybox)
        bb_real = os.path.realpath(busybox)
        for app in run([busybox, "--list-full"], 60).stdout.split():
            p = stage / app
            if not os.path.lexists(p):
                p.parent.mkdir(parents=True, exist_ok=True)
                os.symlink(bb_real, p)
        # The real programs go first in the guest's PATH (busybox's ip has
        # no "vf" support).
        add_program(stage, sriovctl, "usr/local/bin/sriovctl")
        for soname in DLOPENED:
            add_dlopened(stage, soname)
        # Helper programs built with the project: numvfs.sh's vfio holder,
        # reapply.sh's uevent listener, rootfs.sh's seccomp filter.
        for var, name in (("SRIOV_LAB_VFIO_HOLD", "vfio-hold"),
                          ("SRIOV_LAB_UEVENT_LOG", "uevent-log"),
                          ("SRIOV_LAB_NO_OPENAT2", "no-openat2")):
            helper = built_helper(var, name, sriovctl)
            if helper:
                add_program(stage, helper, f"usr/local/bin/{name}")
        add_program(stage, tool("ip"), "usr/local/bin/ip")
        add_program(stage, tool("devlink"), "usr/local/bin/devlink")
        for t in tools:
            if t == "udev":
                add_udev(stage)
            elif t == "dpdk":
                add_dpdk(stage)
            elif t == "exporter":
                add_program(stage, built_exporter(sriovctl),
                            "usr/local/bin/sriovctl-exporter")
            elif t == "cni":
                add_cni(stage, sriovctl)
            else:
                add_program(stage, tool(t), f"usr/local/bin/{t}")
        ids = Path("/usr/share/misc/pci.ids")
        if not ids.exists():
            raise LabError(f"{ids}: missing (package pci.ids)")
        _copy_file(ids, stage, "usr/share/misc/pci.ids")

        abi = prep.abi
        moddir = Path("lib/modules") / abi
        for rel in module_closure(prep.modroot, prep.abi, ALL_MODULES):
            _copy_file(prep.modroot / rel, stage, rel)
        for f in ("modules.order", "modules.builtin", "modules.builtin.modinfo"):
            if (prep.modroot / moddir / f).exists():
                _copy_file(prep.modroot / moddir / f, stage, moddir / f)
        run([tool("depmod"), "-b", stage, abi], 120)
        (stage / "lab/modules.boot").write_text("\n".join(BOOT_MODULES) + "\n")

        for f in sorted(GUEST.glob("*.sh")):
            _copy_file(f, stage, f"lab/{f.name}")
        if bench:
            _copy_file(bench, stage, "lab/bench.sh")
        _copy_file(GUEST / "init", stage, "init").chmod(0o755)
        env = "".join(f"export {k}='{os.environ[k]}'\n"
                      for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS")
                      if k in os.environ and "'" not in os.environ[k])
        (stage / "lab/env").write_text(env)

        names = []
        for dirpath, dirnames, filenames in os.walk(stage):
            rel = os.path.relpath(dirpath, stage)
            for n in dirnames + filenames:
                names.append(os.path.normpath(os.path.join(rel, n)))
        listing = "".join(n + "\n" for n in sorted(names))
        r = run(["cpio", "-o", "-H", "newc", "-R", "0:0", "--quiet",
                 "--reproducible"], 300, cwd=stage, input=listing.encode(),
                text=False)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_bytes(r.stdout)
        run(["gzip", "-6", "-n", "-f", tmp], 300)
        os.replace(str(tmp) + ".gz", out)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return out


# ---------------------------------------------------------------- boot ----

class BootSpec:
    def __init__(self, name, title, *, iommu, acs_off, igb, scripts,
                 tools=()):
        self.name, self.title = name, title
        self.iommu, self.acs_off, self.igb = iommu, acs_off, igb
        self.scripts = scripts
        self.tools = tuple(tools)  # extra programs in its initramfs


# Scenarios judged by this file; any other guest/*.sh is a self-checking
# scenario (its `check` lines are the TAP checks) and runs in boot A.
BUILTIN_SCRIPTS = ["nvme", "igb", "netdevsim"]
# Self-checking scenarios that run in a boot of their own, not in A.
OTHER_BOOT_SCRIPTS = {"B": ["bind-noiommu", "check-noiommu"], "C": ["bind-acs"], "D": ["scale"],
                      "E": ["reapply"], "F": ["udev"], "G": ["journal"],
                      "H": ["dpdk"], "I": ["exporter"], "K": ["cni"],
                      "U": ["audit"]}
EXTRA_SCRIPTS = sorted(p.stem for p in GUEST.glob("*.sh")
                       if p.stem not in BUILTIN_SCRIPTS + ["lib"]
                       + sum(OTHER_BOOT_SCRIPTS.values(), []))

BOOTS = {
    "A": BootSpec("A", "IOMMU on: NVMe, igb, netdevsim", iommu=True,
                  acs_off=False, igb=True,
                  scripts=BUILTIN_SCRIPTS + EXTRA_SCRIPTS),
    "B": BootSpec("B", "IOMMU off: intel_iommu=off", iommu=False,
                  acs_off=False,
                  igb=False, scripts=["nvme"] + OTHER_BOOT_SCRIPTS["B"]),
    "C": BootSpec("C", "ACS off on the NVMe's root port", iommu=True,
                  acs_off=True, igb=False,
                  scripts=["nvme"] + OTHER_BOOT_SCRIPTS["C"]),
    "D": BootSpec("D", "netdevsim at scale: truncated VF lists, one request",
                  iommu=True, acs_off=False, igb=False,
                  scripts=OTHER_BOOT_SCRIPTS["D"], tools=["strace"]),
    # its own boot: it reloads the igb PF's driver
    "E": BootSpec("E", "a PF's driver reloaded: the uevents of the udev re-apply",
                  iommu=True, acs_off=False, igb=True,
                  scripts=OTHER_BOOT_SCRIPTS["E"]),
    # its own boot: udevd renames igb's netdev and reloads its driver
    "F": BootSpec("F", "systemd-udevd runs the rules that keep VF counts",
                  iommu=True, acs_off=False, igb=True,
                  scripts=OTHER_BOOT_SCRIPTS["F"], tools=["udev"]),
    # its own boot, beside A (A with every scenario neared the boot limit
    # under ASan): netdevsim.sh only sets up netdevsim1, judged in A
    "G": BootSpec("G", "SIGKILL at each step of an apply, recovery from "
                  "the journal", iommu=True, acs_off=False, igb=True,
                  scripts=["netdevsim"] + OTHER_BOOT_SCRIPTS["G"]),
    # its own boot: huge pages, and testpmd's 19 MB in the initramfs
    "H": BootSpec("H", "DPDK's testpmd on an igb VF, with sriovctl export dpdk's "
                  "arguments", iommu=True, acs_off=False, igb=True,
                  scripts=OTHER_BOOT_SCRIPTS["H"], tools=["dpdk"]),
    # its own boot: VFs move into network namespaces and back
    "K": BootSpec("K", "the CNI plugin on igb VFs: ADD/CHECK/DEL/GC with "
                  "host-local and tuning", iommu=True, acs_off=False, igb=True,
                  scripts=OTHER_BOOT_SCRIPTS["K"], tools=["cni"]),
    # its own boot: it hands igb VFs out, one into another namespace
    "U": BootSpec("U", "sriovctl audit on igb VFs handed to a guest and a pod",
                  iommu=True, acs_off=False, igb=True,
                  scripts=OTHER_BOOT_SCRIPTS["U"]),
    # its own boot: the exporter's libraries (libmicrohttpd, GnuTLS)
    "I": BootSpec("I", "sriovctl-exporter against ip -s -d -j link show: "
                  "netdevsim and igb", iommu=True, acs_off=False, igb=True,
                  scripts=["netdevsim"] + OTHER_BOOT_SCRIPTS["I"],
                  tools=["exporter"]),
}


def choose_accel(prep, results):
    """Probe (or take the forced) accelerator once for this run; print it."""
    if not prep.qemu:
        return prep.accel
    Path(results).mkdir(parents=True, exist_ok=True)
    try:
        prep.accel = accel.choose(prep.qemu, prep.vmlinuz, tool("busybox"),
                                  CACHE_ROOT, results, live=_LIVE, log=log)
    except (ValueError, subprocess.SubprocessError) as e:
        raise LabError(str(e))
    log(prep.accel.describe())
    return prep.accel


def qemu_command(prep, spec, initrd, serial_log, with_igb, acc=None):
    v = NVME_VFS
    acc = acc or prep.accel
    # Not just leaving intel_iommu=on out: Debian's kernel is built with
    # INTEL_IOMMU_DEFAULT_ON_INTGPU_OFF and turns the IOMMU on without it.
    # no_timer_check: under TCG on a busy host the kernel's early check of
    # the IO-APIC timer can miss its ticks and panic ("timer doesn't work
    # through Interrupt-remapped IO-APIC"), seen in boot E.
    append = ["console=ttyS0",
              f"intel_iommu={'on' if spec.iommu else 'off'}",
              "panic=-1", "quiet", "no_timer_check",
              f"lab.scripts={','.join(spec.scripts)}"]
    rp0 = "pcie-root-port,id=rp0,chassis=1,port=16,addr=2.0"
    cmd = [prep.qemu, "-machine", acc.machine, "-cpu", acc.cpu, "-smp", "2",
           "-m", "1024", "-nodefaults", "-display", "none", "-no-reboot",
           "-serial", f"file:{serial_log}", "-kernel", prep.vmlinuz,
           "-initrd", initrd, "-append", " ".join(append),
           "-device", "intel-iommu,intremap=on",
           "-device", rp0 + (",disable-acs=on" if spec.acs_off else ""),
           "-device", "nvme-subsys,id=subsys0,nqn=lab0",
           "-device", "nvme,bus=rp0,serial=lab0,subsys=subsys0,"
           f"sriov_max_vfs={v},sriov_vq_flexible={2 * v},"
           f"sriov_vi_flexible={v},max_ioqpairs={2 * v + 2},"
           f"msix_qsize={max(v + 1, 65)}"]
    if with_igb:
        cmd += ["-device", "pcie-root-port,id=rp1,chassis=2,port=17,addr=3.0",
                "-device", "igb,bus=rp1,romfile="]
    return [str(c) for c in cmd]


class Silent(Exception):
    """The guest printed nothing for BOOT_SILENCE s."""


def serial_size(serial):
    try:
        return serial.stat().st_size
    except OSError:
        return 0


def wait_guest(p, serial, timeout, silence=None):
    """QEMU's exit status, or "stalled" when /init never started."""
    silence = silence or BOOT_SILENCE
    t0 = time.monotonic()
    size, grew = 0, t0
    while True:
        try:
            return p.wait(timeout=1)
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        waited = now - t0
        if waited > timeout:
            raise subprocess.TimeoutExpired(p.args, timeout)
        if serial_size(serial) != size:
            size, grew = serial_size(serial), now
        elif now - grew > silence:
            raise Silent()
        if waited > BOOT_STALL:
            try:
                started = b"@@LAB start" in serial.read_bytes()
            except OSError:
                started = False
            if not started:
                return "stalled"


def boot(prep, spec, initrd, results, timeout=BOOT_TIMEOUT, acc=None):
    """Boot once; the serial log lands in results. Returns a Boot."""
    acc = acc or prep.accel
    serial = results / f"boot-{spec.name}.serial.log"
    stderr_path = results / f"boot-{spec.name}.qemu.log"
    serial.unlink(missing_ok=True)
    if not prep.qemu:
        return Boot(spec, serial, error=prep.igb_reason or "no QEMU")
    with_igb = spec.igb and prep.igb_reason is None
    cmd = qemu_command(prep, spec, initrd, serial, with_igb, acc)
    log(f"boot {spec.name} ({spec.title}) under {acc.name}")
    t0 = time.monotonic()
    error = None
    header = " ".join(cmd) + "\n\n"
    with open(stderr_path, "w") as qlog:
        qlog.write(header)
        qlog.flush()
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=qlog,
                             stderr=subprocess.STDOUT, start_new_session=True)
        _LIVE.add(p.pid)
        try:
            rc = wait_guest(p, serial, timeout)
            if rc == "stalled":
                error = (f"stalled: no @@LAB start after {BOOT_STALL} s "
                         f"(kernel stuck before /init)")
            elif rc != 0:
                error = f"QEMU exited {rc} (see {stderr_path})"
                try:
                    started = b"@@LAB start" in serial.read_bytes()
                except OSError:  # QEMU ended before it made the file
                    started = False
                if not started:
                    # QEMU's own words, not "400 checks failed"
                    try:
                        out = stderr_path.read_text(
                            errors="replace")[len(header):]
                    except OSError as e:
                        out = f"({stderr_path}: {e.strerror})"
                    error = accel.qemu_failure(rc, time.monotonic() - t0,
                                               out)
        except subprocess.TimeoutExpired:
            error = f"guest still running after {timeout} s: killed"
        except Silent:
            error = (f"guest printed nothing for {BOOT_SILENCE} s "
                     f"(hung after {time.monotonic() - t0:.0f} s): killed")
        finally:
            if p.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(p.pid, signal.SIGKILL)
                p.wait()
            _LIVE.discard(p.pid)
    elapsed = time.monotonic() - t0
    log(f"boot {spec.name}: {elapsed:.1f} s"
        + (f" ({error})" if error else ""))
    b = Boot(spec, serial, error=error, elapsed=elapsed, with_igb=with_igb,
             igb_reason=prep.igb_reason, command=" ".join(cmd), acc=acc)
    return b


# Longest first (measured 2026-12-02 under TCG: A 180 s, F 64, G 60, E 35,
# D 29, B 22, C 16).
BOOT_ORDER = "AHKIFGUEDBC"


def boot_all(prep, names, initrd, results, jobs):
    """Boot each of names, jobs at a time, the longest first (BOOT_ORDER).
    TCG guests share the cores: on 2 cores one after another took 36 s,
    two at a time 24 s, three at a time 27-31 s."""
    def one(name):
        try:
            rd = initrd[name] if isinstance(initrd, dict) else initrd
            b = boot(prep, BOOTS[name], rd, results)
            if (not b.started and prep.accel.name == "kvm"
                    and not prep.accel.forced):
                # The probe passed but this guest did not start under
                # KVM: TCG, which needs nothing from the host, decides.
                log(f"boot {name}: {b.error}; booting it under TCG")
                b = boot(prep, BOOTS[name], rd, results,
                         acc=accel.tcg(f"boot {name} did not start under "
                                       f"KVM: {b.error}"))
            elif b.error and b.error.startswith("stalled"):
                log(f"boot {name}: {b.error}; booting it once more")
                b = boot(prep, BOOTS[name], rd, results)
            return b
        except (OSError, LabError) as e:
            return Boot(BOOTS[name], results / f"boot-{name}.serial.log",
                        error=f"QEMU did not start: {e}")
    with concurrent.futures.ThreadPoolExecutor(max(1, jobs)) as pool:
        # the longest first, so that the short ones fill the other slot
        names = sorted(names, key=lambda n: (n not in BOOT_ORDER,
                                             BOOT_ORDER.find(n)))
        futures = [pool.submit(one, name) for name in names]
        # Poll with sleep: a signal (SIGTERM) interrupts it and its handler
        # kills the guests; a blocking wait for the futures would not.
        while not all(f.done() for f in futures):
            time.sleep(0.2)
        return {name: f.result() for name, f in zip(names, futures)}


# ------------------------------------------------------------- parsing ----

class CheckFail(Exception):
    """A check cannot be decided or failed, with the reason."""


class Section:
    def __init__(self, name, cmd, text, rc):
        self.name, self.cmd, self.text, self.rc = name, cmd, text, rc


class Boot:
    """One boot's serial log, parsed into sections."""

    def __init__(self, spec, serial, error=None, elapsed=None,
                 with_igb=None, igb_reason=None, command=None, acc=None):
        self.spec, self.serial, self.elapsed = spec, serial, elapsed
        self.error, self.igb_reason = error, igb_reason
        self.command, self.accel = command, acc
        self.with_igb = with_igb if with_igb is not None else spec.igb
        self.sections, self.done, self.lines = {}, False, []
        self.guest_checks = []  # (ok, description, expected, actual)
        try:
            raw = serial.read_bytes().decode("utf-8", errors="replace")
        except OSError:
            raw = ""
        self.started = "@@LAB start" in raw  # the guest's /init ran
        self.parse(raw.replace("\r\n", "\n").replace("\r", ""))
        if self.error is None and not self.done:
            self.error = ("the guest did not reach @@DONE" if self.started
                          else "the guest's /init never ran")

    @property
    def skip_reason(self):
        """Why this boot's checks are not judged at all: its guest never
        reached /init, so nothing in it ran (one failure says so: the boot
        check; the rest are skips with this reason)."""
        if self.started:
            return None
        return f"boot {self.spec.name} never reached /init: {self.error}"

    def parse(self, text):
        cur = None
        for line in text.split("\n"):
            if cur is None:
                m = re.match(r"@@BEGIN (\S+)(?: :: (.*))?$", line)
                if m:
                    cur = (m.group(1), m.group(2) or "", [])
                elif line.startswith("@@DONE"):
                    self.done = True
                elif line.startswith("@@CHECK "):
                    f = (line[len("@@CHECK "):].split(" :: ") + [""] * 4)[:4]
                    self.guest_checks.append((f[0] == "ok", f[1], f[2], f[3]))
                elif line.startswith("@@"):
                    self.lines.append(line)
                continue
            m = re.match(r"@@END (\S+) rc=(-?\d+)$", line)
            if m and m.group(1) == cur[0]:
                body = cur[2]
                if body and body[-1] == "":
                    body = body[:-1]
                self.sections[cur[0]] = Section(cur[0], cur[1],
                                                "\n".join(body),
                                                int(m.group(2)))
                cur = None
            else:
                cur[2].append(line)

    def why_missing(self):
        if self.error:
            return f"boot {self.spec.name}: {self.error}"
        return f"boot {self.spec.name} completed"

    def sec(self, name):
        s = self.sections.get(name)
        if s is None:
            raise CheckFail(f"no section {name} in the serial log "
                            f"({self.why_missing()})")
        return s

    def text(self, name, rc0=True):
        s = self.sec(name)
        if rc0 and s.rc != 0:
            err = self.sections.get(name + ".stderr")
            raise CheckFail(f"`{s.cmd}` exited {s.rc}"
                            + (f": {err.text.strip()[:600]}" if err else ""))
        return s.text

    def json(self, name):
        t = self.text(name)
        try:
            return json.loads(t)
        except ValueError as e:
            raise CheckFail(f"{name}: not JSON ({e}): {t[:300]!r}")

    def kv(self, name):
        d = {"net": []}
        for line in self.text(name).splitlines():
            k, sep, v = line.partition("=")
            if not sep:
                continue
            if k == "net":
                d["net"].append(v)
            else:
                d[k] = v
        return d

    def rc(self, name):
        return self.sec(name).rc


def decode_config(text):
    """Independent decode of a config space hex dump: extended capability
    offsets, PCIe type, SR-IOV and ACS fields."""
    cfg = bytes(int(x, 16) for x in text.split())

    def w(o):
        return int.from_bytes(cfg[o:o + 2], "little")

    def d(o):
        return int.from_bytes(cfg[o:o + 4], "little")

    out = {"len": len(cfg), "ext": {}, "pcie_type": None}
    if len(cfg) >= 64 and w(0x06) & 0x10:
        off, seen = cfg[0x34] & 0xfc, set()
        while off and off not in seen and off + 4 <= min(len(cfg), 256):
            seen.add(off)
            if cfg[off] == 0x10:
                out["pcie_type"] = (w(off + 2) >> 4) & 0xf
            off = cfg[off + 1] & 0xfc
    off, seen = 0x100, set()
    while 0x100 <= off and off + 4 <= len(cfg) and off not in seen:
        seen.add(off)
        h = d(off)
        if h in (0, 0xffffffff):
            break
        out["ext"].setdefault(h & 0xffff, off)
        off = (h >> 20) & 0xffc
    s = out["ext"].get(0x10)
    if s is not None:
        ctrl = w(s + 8)
        out["sriov"] = {
            "offset": s, "initial_vfs": w(s + 0x0c), "total_vfs": w(s + 0x0e),
            "num_vfs": w(s + 0x10), "function_dependency_link": cfg[s + 0x12],
            "first_vf_offset": w(s + 0x14), "vf_stride": w(s + 0x16),
            "vf_device_id": format(w(s + 0x1a), "04x"),
            "vf_enable": bool(ctrl & 1),
            "vf_memory_space_enable": bool(ctrl & 8),
            "ari_capable_hierarchy": bool(ctrl & 0x10),
            "supported_page_sizes": format(d(s + 0x1c), "x"),
            "system_page_size": format(d(s + 0x20), "x"),
            "vf_bars": [format(d(s + 0x24 + 4 * i), "08x") for i in range(6)],
        }
    a = out["ext"].get(0x0d)
    if a is not None:
        names = ["SrcValid", "TransBlk", "ReqRedir", "CmpltRedir",
                 "UpstreamFwd", "EgressCtrl", "DirectTrans"]
        cap, ctl = w(a + 4), w(a + 6)
        out["acs"] = {
            "offset": a,
            "capabilities": [n for i, n in enumerate(names) if cap >> i & 1],
            "enabled": [n for i, n in enumerate(names) if ctl >> i & 1],
            "isolated": (ctl & 0x1d) == 0x1d,
        }
    else:
        out["acs"] = None
    return out


PCIE_TYPES = {0: "endpoint", 1: "legacy-endpoint", 4: "root-port",
              5: "upstream-port", 6: "downstream-port", 7: "pcie-pci-bridge",
              8: "pci-pcie-bridge", 9: "rc-integrated-endpoint",
              10: "rc-event-collector"}


# ---------------------------------------------------------------- TAP -----

class Tap:
    def __init__(self):
        self.results = []
        self.guard = None  # raises CheckFail when a group of checks can't run

    @contextlib.contextmanager
    def guarded(self, guard):
        self.guard = guard
        try:
            yield
        finally:
            self.guard = None

    def check(self, desc, fn, boot=None, skippable=True):
        if boot is not None and skippable and boot.skip_reason:
            self.results.append(("skip", desc, boot.skip_reason, None))
            return
        try:
            if self.guard:
                self.guard()
            r = fn()
            ok, diag = (r, "") if isinstance(r, bool) else r
        except CheckFail as e:
            ok, diag = False, str(e)
        except (KeyError, IndexError, TypeError, ValueError,
                AttributeError) as e:
            ok, diag = False, f"{type(e).__name__}: {e}"
        if not ok and boot is not None:
            diag = (diag + f" [serial log: {boot.serial}]").strip()
        self.results.append((bool(ok), desc, diag if not ok else "",
                             boot if not ok else None))

    def print(self, out=sys.stdout, tail=25):
        tailed = set()
        print(f"1..{len(self.results)}", file=out)
        for i, (ok, desc, diag, boot) in enumerate(self.results, 1):
            if ok == "skip":
                print(f"ok {i} - {desc} # SKIP {diag}", file=out)
                continue
            print(f"{'ok' if ok else 'not ok'} {i} - {desc}", file=out)
            for line in diag.splitlines() if diag else []:
                print(f"# {line}", file=out)
            # the guest's last words, once per failing boot
            if boot is not None and boot.serial not in tailed:
                tailed.add(boot.serial)
                print(f"# --- last {tail} lines of {boot.serial} ---",
                      file=out)
                try:
                    lines = boot.serial.read_text(
                        errors="replace").splitlines()[-tail:]
                except OSError as e:
                    lines = [f"(unreadable: {e})"]
                for line in lines or ["(empty: the guest printed nothing)"]:
                    print(f"#   {line}", file=out)
        out.flush()


def cmp(pairs):
    """pairs of (what, got, want): ok when all equal; diag lists the rest."""
    bad = [f"{w}: sriovctl {g!r}, kernel {e!r}" for w, g, e in pairs if g != e]
    return (not bad, "; ".join(bad))


def hexid(v, width=4):
    return format(int(v, 16), f"0{width}x")


def override(v):
    return None if v in (None, "", "(null)") else v


def group(kv):
    return int(kv["iommu_group"]) if "iommu_group" in kv else None


def find_pf(inv, addr):
    for p in inv.get("pfs", []):
        if p.get("address") == addr:
            return p
    raise CheckFail(f"{addr} not among the listed PFs "
                    f"{[p.get('address') for p in inv.get('pfs', [])]}")


def vf_at(pf, index):
    for v in pf.get("vfs", []):
        if v.get("index") == index:
            return v
    raise CheckFail(f"no VF with index {index} in {pf.get('address')}")


def pf_fields(p, s):
    """Every PF field that sysfs is the source of, against sysfs."""
    links = {l["netdev"]: l for l in p.get("links", [])}
    pairs = [
        ("sysfs_path", p["sysfs_path"], s["realpath"]),
        ("vendor_id", p["vendor_id"], hexid(s["vendor"])),
        ("device_id", p["device_id"], hexid(s["device"])),
        ("subsystem_vendor_id", p["subsystem_vendor_id"],
         hexid(s["subsystem_vendor"])),
        ("subsystem_device_id", p["subsystem_device_id"],
         hexid(s["subsystem_device"])),
        ("class", p["class"], hexid(s["class"], 6)),
        ("revision", p["revision"], hexid(s["revision"], 2)),
        ("driver", p["driver"], s.get("driver")),
        ("driver_override", p["driver_override"],
         override(s.get("driver_override"))),
        ("numa_node", p["numa_node"], int(s["numa_node"])),
        ("local_cpulist", p["local_cpulist"], s.get("local_cpulist")),
        ("iommu_group", p["iommu_group"], group(s)),
        ("total_vfs", p["total_vfs"], int(s["sriov_totalvfs"])),
        ("num_vfs", p["num_vfs"], int(s["sriov_numvfs"])),
        ("vf_offset", p["vf_offset"], int(s["sriov_offset"])),
        ("vf_stride", p["vf_stride"], int(s["sriov_stride"])),
        ("vf_device_id", p["vf_device_id"], hexid(s["sriov_vf_device"])),
        ("drivers_autoprobe", p["drivers_autoprobe"],
         s["sriov_drivers_autoprobe"] == "1"),
        ("netdevs", sorted(p["netdevs"]), sorted(s["net"])),
    ]
    for n in s["net"]:
        l = links.get(n, {})
        speed = s.get(f"net.{n}.speed", "")
        pairs += [
            (f"links[{n}].mac", l.get("mac"), s[f"net.{n}.address"]),
            (f"links[{n}].mtu", l.get("mtu"), int(s[f"net.{n}.mtu"])),
            (f"links[{n}].ifindex", l.get("ifindex"),
             int(s[f"net.{n}.ifindex"])),
            (f"links[{n}].operstate", l.get("operstate"),
             s[f"net.{n}.operstate"]),
            (f"links[{n}].speed_mbps", l.get("speed_mbps"),
             int(speed) if speed.lstrip("-").isdigit() and int(speed) >= 0
             else None),
        ]
    return pairs


def vf_fields(v, s):
    """Every VF field that sysfs is the source of, against sysfs."""
    nets = sorted(s["net"])
    return [
        ("address", v["address"], s["address"]),
        ("driver", v["driver"], s.get("driver")),
        ("driver_override", v["driver_override"],
         override(s.get("driver_override"))),
        ("iommu_group", v["iommu_group"], group(s)),
        ("netdevs", sorted(v["netdevs"]), nets),
        ("netdev", v["netdev"], nets[0] if nets else None),
        ("mac", v["mac"], s[f"net.{nets[0]}.address"] if nets else None),
    ]


NAMES = ("vendor_name", "device_name", "vf_device_name")


def sriov_cap(p):
    c = p["sriov_capability"]
    if c is None:
        raise CheckFail("sriov_capability is null")
    return c


def warnings_of(pf):
    w = list(pf.get("warnings", []))
    for v in pf.get("vfs", []):
        w += [f"vf{v.get('index')}: {x}" for x in v.get("warnings", [])]
    return w


def strip_show(pf):
    """A PF of `show --json` without what only show has."""
    pf = json.loads(json.dumps(pf))
    for v in pf.get("vfs", []):
        v.pop("iommu_group_devices", None)
    return pf


# ----------------------------------------------------------- the checks ---

def config_checks(tap, b, who, show_sec, cfg_sec, rp_sec, sys_sec,
                  want_ari=None, want_aer=None, upstream_addr=None):
    """Config space decode vs the kernel and vs an independent decode."""
    def pf():
        return b.json(show_sec)["pfs"][0]

    def dec():
        return decode_config(b.text(cfg_sec))

    def sysf():
        return b.kv(sys_sec)

    tap.check(f"{who}: config_space readable_bytes 4096, pcie_type endpoint "
              "(as the config space says)",
              lambda: cmp([("readable_bytes",
                            pf()["config_space"]["readable_bytes"],
                            dec()["len"]),
                           ("pcie_type", pf()["config_space"]["pcie_type"],
                            PCIE_TYPES.get(dec()["pcie_type"]))]), b)
    for field, sysattr, conv in (
            ("total_vfs", "sriov_totalvfs", int),
            ("num_vfs", "sriov_numvfs", int),
            ("first_vf_offset", "sriov_offset", int),
            ("vf_stride", "sriov_stride", int),
            ("vf_device_id", "sriov_vf_device", hexid)):
        if field == "total_vfs" and "igb" in who:
            continue  # igb limits sriov_totalvfs below TotalVFs: own check
        tap.check(f"{who}: sriov_capability.{field} equals sysfs {sysattr}",
                  lambda field=field, sysattr=sysattr, conv=conv: cmp([(
                      f"sriov_capability.{field}",
                      sriov_cap(pf())[field],
                      conv(sysf()[sysattr]))]), b)
    tap.check(f"{who}: sriov_capability equals an independent decode of "
              "sysfs config (every field)",
              lambda: cmp([(k, pf()["sriov_capability"].get(k), v)
                           for k, v in dec()["sriov"].items()]), b)
    if want_ari is not None:
        tap.check(f"{who}: config_space.ari {str(want_ari).lower()} "
                  "(ARI 0x000e in config space)",
                  lambda: cmp([("ari", pf()["config_space"]["ari"], want_ari),
                               ("decode", 0x0e in dec()["ext"], want_ari)]), b)
    if want_aer is not None:
        tap.check(f"{who}: config_space.aer {str(want_aer).lower()} "
                  "(AER 0x0001 in config space)",
                  lambda: cmp([("aer", pf()["config_space"]["aer"], want_aer),
                               ("decode", 0x01 in dec()["ext"], want_aer)]), b)
    tap.check(f"{who}: config_space.acs equals the decode (endpoint)",
              lambda: cmp([("acs", pf()["config_space"]["acs"],
                            dec()["acs"])]), b)
    if upstream_addr:
        def up():
            ups = pf()["upstream"]
            if [u["address"] for u in ups] != [upstream_addr]:
                raise CheckFail(f"upstream {[u['address'] for u in ups]}, "
                                f"kernel: [{upstream_addr}]")
            return ups[0]["config_space"]

        def rpdec():
            return decode_config(b.text(rp_sec))

        tap.check(f"{who}: upstream is the root port {upstream_addr}, "
                  "pcie_type root-port",
                  lambda: cmp([("pcie_type", up()["pcie_type"],
                                PCIE_TYPES.get(rpdec()["pcie_type"]))]), b)
        tap.check(f"{who}: root port {upstream_addr} config_space.acs "
                  "present and equal to the decode",
                  lambda: (cmp([("acs", up()["acs"], rpdec()["acs"])])
                           if up()["acs"] is not None
                           else (False, "upstream acs is null; decode: "
                                 f"{rpdec()['acs']}")), b)


def nvme_checks(tap, b, title):
    """Boot A: NVMe PF with 0 VFs, 2 VFs, VF0 on vfio-pci."""
    V = NVME_VFS

    def addr():
        return b.text("nvme.pf").strip()

    def inv0():
        return b.json("nvme0.list")

    def pf0():
        return find_pf(inv0(), addr())

    def s0():
        return b.kv("nvme0.sysfs")

    t = f"{title} nvme0"
    tap.check(f"{t}: sriovctl list --json exits 0, schema "
              "sriovctl.inventory/v1",
              lambda: cmp([("schema", inv0()["schema"],
                            "sriovctl.inventory/v1")]), b)
    tap.check(f"{t}: lists the NVMe PF 1b36:0010 at the address sysfs has "
              "(0000:01:00.0 expected)",
              lambda: cmp([("address", pf0()["address"], "0000:01:00.0")]), b)
    tap.check(f"{t}: vendor_id 1b36, device_id 0010 (sysfs)",
              lambda: cmp([("vendor_id", pf0()["vendor_id"],
                            hexid(s0()["vendor"])),
                           ("device_id", pf0()["device_id"],
                            hexid(s0()["device"])),
                           ("ids", (pf0()["vendor_id"], pf0()["device_id"]),
                            ("1b36", "0010"))]), b)
    tap.check(f"{t}: driver nvme (sysfs driver link)",
              lambda: cmp([("driver", pf0()["driver"], s0().get("driver")),
                           ("driver", pf0()["driver"], "nvme")]), b)
    tap.check(f"{t}: total_vfs {V} (sysfs sriov_totalvfs)",
              lambda: cmp([("total_vfs", pf0()["total_vfs"],
                            int(s0()["sriov_totalvfs"])),
                           ("total_vfs", pf0()["total_vfs"], V)]), b)
    tap.check(f"{t}: num_vfs 0 (sysfs), no VFs",
              lambda: cmp([("num_vfs", pf0()["num_vfs"],
                            int(s0()["sriov_numvfs"])),
                           ("num_vfs", pf0()["num_vfs"], 0),
                           ("vfs", pf0()["vfs"], [])]), b)
    tap.check(f"{t}: vf_offset 1, vf_stride 1 (sysfs)",
              lambda: cmp([("vf_offset", pf0()["vf_offset"],
                            int(s0()["sriov_offset"])),
                           ("vf_stride", pf0()["vf_stride"],
                            int(s0()["sriov_stride"])),
                           ("offset/stride",
                            (pf0()["vf_offset"], pf0()["vf_stride"]),
                            (1, 1))]), b)
    tap.check(f"{t}: vf_device_id \"0010\" (sysfs sriov_vf_device \"10\")",
              lambda: cmp([("vf_device_id", pf0()["vf_device_id"],
                            hexid(s0()["sriov_vf_device"])),
                           ("vf_device_id", pf0()["vf_device_id"], "0010")]),
              b)
    tap.check(f"{t}: drivers_autoprobe true (sysfs)",
              lambda: cmp([("drivers_autoprobe", pf0()["drivers_autoprobe"],
                            s0()["sriov_drivers_autoprobe"] == "1"),
                           ("drivers_autoprobe", pf0()["drivers_autoprobe"],
                            True)]), b)
    tap.check(f"{t}: iommu_group equals the sysfs iommu_group link",
              lambda: cmp([("iommu_group", pf0()["iommu_group"],
                            group(s0()))]), b)
    tap.check(f"{t}: every sysfs-sourced PF field equals sysfs",
              lambda: cmp(pf_fields(pf0(), s0())), b)
    tap.check(f"{t}: vendor_name, device_name, vf_device_name from pci.ids",
              lambda: (all(pf0()[k] for k in NAMES),
                       f"{[pf0()[k] for k in NAMES]}"), b)
    tap.check(f"{t}: no warnings",
              lambda: (warnings_of(pf0()) == [], f"{warnings_of(pf0())}"), b)
    tap.check(f"{t}: iommu.enabled true, iommu.groups = the kernel's groups",
              lambda: cmp([("iommu.enabled", inv0()["iommu"]["enabled"], True),
                           ("iommu.groups", inv0()["iommu"]["groups"],
                            len(b.text("nvme0.groups").splitlines()))]), b)
    tap.check(f"{t}: cmdline equals /proc/cmdline",
              lambda: cmp([("cmdline", inv0()["cmdline"],
                            b.text("cmdline").strip())]), b)
    tap.check(f"{t}: show PF --json: pfs[0] equals its list entry",
              lambda: cmp([("pf", strip_show(b.json("nvme0.show")["pfs"][0]),
                            pf0())]), b)
    tap.check(f"{t}: sriovctl list and show PF (text) exit 0",
              lambda: (b.text("nvme0.list.text") is not None
                       and b.text("nvme0.show.text") is not None), b)

    config_checks(tap, b, f"{title} nvme0", "nvme0.show", "nvme0.config",
                  "nvme0.rp.config", "nvme0.sysfs", want_ari=True,
                  upstream_addr="0000:00:02.0")

    # ---- 2 VFs, autoprobe off
    t = f"{title} nvme2"

    def pf2():
        return find_pf(b.json("nvme2.list"), addr())

    def s2():
        return b.kv("nvme2.sysfs")

    def vfs2(name="nvme2"):
        return [b.kv(f"{name}.vf{i}.sysfs") for i in range(2)]

    tap.check(f"{t}: kernel accepted echo 0 > sriov_drivers_autoprobe; "
              "echo 2 > sriov_numvfs",
              lambda: (b.text("nvme.autoprobe0") is not None
                       and b.text("nvme.numvfs2") is not None), b)
    tap.check(f"{t}: num_vfs 2 and VFs with index 0, 1 (sysfs)",
              lambda: cmp([("num_vfs", pf2()["num_vfs"],
                            int(s2()["sriov_numvfs"])),
                           ("indices", [v["index"] for v in pf2()["vfs"]],
                            sorted(int(k[6:]) for k in s2()
                                   if k.startswith("virtfn")))]), b)
    tap.check(f"{t}: VF addresses are the virtfnN link targets "
              "(0000:01:00.1, 0000:01:00.2 expected)",
              lambda: cmp([("addresses", [v["address"] for v in pf2()["vfs"]],
                            [s2()[f"virtfn{i}"] for i in range(2)]),
                           ("addresses", [v["address"] for v in pf2()["vfs"]],
                            ["0000:01:00.1", "0000:01:00.2"])]), b)
    tap.check(f"{t}: each VF's physfn link points to the PF (sysfs)",
              lambda: cmp([(f"vf{i}.physfn", s.get("physfn"), addr())
                           for i, s in enumerate(vfs2())]), b)
    for i in range(2):
        tap.check(f"{t}: VF{i} driver null, driver_override null (unbound, "
                  "as sysfs says)",
                  lambda i=i: cmp([
                      ("driver", vf_at(pf2(), i)["driver"],
                       vfs2()[i].get("driver")),
                      ("driver", vf_at(pf2(), i)["driver"], None),
                      ("driver_override", vf_at(pf2(), i)["driver_override"],
                       override(vfs2()[i].get("driver_override")))]), b)
        tap.check(f"{t}: VF{i} iommu_group equals its sysfs iommu_group link",
                  lambda i=i: cmp([("iommu_group",
                                    vf_at(pf2(), i)["iommu_group"],
                                    group(vfs2()[i]))]), b)
        tap.check(f"{t}: VF{i}: every sysfs-sourced field equals sysfs",
                  lambda i=i: cmp(vf_fields(vf_at(pf2(), i), vfs2()[i])), b)
    tap.check(f"{t}: each VF in its own IOMMU group (apart from the PF and "
              "each other)",
              lambda: (len({pf2()["iommu_group"]}
                           | {v["iommu_group"] for v in pf2()["vfs"]}) == 3
                       and None not in [v["iommu_group"] for v in pf2()["vfs"]],
                       f"PF {pf2()['iommu_group']}, VFs "
                       f"{[v['iommu_group'] for v in pf2()['vfs']]}"), b)
    tap.check(f"{t}: vf_drivers {{\"none\": 2}}, drivers_autoprobe false",
              lambda: cmp([("vf_drivers", pf2()["vf_drivers"], {"none": 2}),
                           ("drivers_autoprobe", pf2()["drivers_autoprobe"],
                            s2()["sriov_drivers_autoprobe"] == "1"),
                           ("drivers_autoprobe", pf2()["drivers_autoprobe"],
                            False)]), b)
    tap.check(f"{t}: every sysfs-sourced PF field equals sysfs",
              lambda: cmp(pf_fields(pf2(), s2())), b)
    tap.check(f"{t}: sriov_capability num_vfs 2, vf_enable, "
              "vf_memory_space_enable",
              lambda: cmp([("num_vfs", pf2()["sriov_capability"]["num_vfs"],
                            int(s2()["sriov_numvfs"])),
                           ("vf_enable",
                            pf2()["sriov_capability"]["vf_enable"], True),
                           ("vf_memory_space_enable",
                            pf2()["sriov_capability"]
                            ["vf_memory_space_enable"], True)]), b)
    tap.check(f"{t}: sriov_capability equals the decode of sysfs config",
              lambda: cmp([(k, pf2()["sriov_capability"].get(k), v)
                           for k, v in decode_config(
                               b.text("nvme2.config"))["sriov"].items()]), b)
    tap.check(f"{t}: no warnings (PF and VFs)",
              lambda: (warnings_of(pf2()) == [], f"{warnings_of(pf2())}"), b)
    tap.check(f"{t}: show PF --json: VF iommu_group_devices equal the "
              "sysfs group's devices",
              lambda: cmp([(f"vf{i}.iommu_group_devices",
                            sorted(vf_at(b.json("nvme2.show")["pfs"][0], i)
                                   ["iommu_group_devices"]),
                            sorted(vfs2()[i]["iommu_group_devices"].split()))
                           for i in range(2)]), b)

    # ---- VF0 bound to vfio-pci
    t = f"{title} vfio"

    def pfb():
        return b.json("nvmeb.show")["pfs"][0]

    def vb(i):
        return b.kv(f"nvmeb.vf{i}.sysfs")

    tap.check(f"{t}: the kernel bound VF0 to vfio-pci (driver_override + "
              "drivers_probe; sysfs driver link)",
              lambda: cmp([("sysfs driver", vb(0).get("driver"), "vfio-pci"),
                           ("write rc", (b.rc("nvmeb.override"),
                                         b.rc("nvmeb.probe")), (0, 0))]), b)
    tap.check(f"{t}: VF0 driver \"vfio-pci\", driver_override \"vfio-pci\" "
              "(sysfs)",
              lambda: cmp([("driver", vf_at(pfb(), 0)["driver"],
                            vb(0).get("driver")),
                           ("driver_override",
                            vf_at(pfb(), 0)["driver_override"],
                            override(vb(0).get("driver_override"))),
                           ("both", (vf_at(pfb(), 0)["driver"],
                                     vf_at(pfb(), 0)["driver_override"]),
                            ("vfio-pci", "vfio-pci"))]), b)
    tap.check(f"{t}: VF1 still unbound; vf_drivers "
              "{\"vfio-pci\": 1, \"none\": 1}",
              lambda: cmp([("vf1.driver", vf_at(pfb(), 1)["driver"],
                            vb(1).get("driver")),
                           ("vf_drivers", pfb()["vf_drivers"],
                            {"vfio-pci": 1, "none": 1})]), b)
    tap.check(f"{t}: the kernel created /dev/vfio/<VF0's group>",
              lambda: (str(group(vb(0))) in b.text("nvmeb.devvfio").split(),
                       f"/dev/vfio: {b.text('nvmeb.devvfio').split()}, "
                       f"group {group(vb(0))}"), b)

    def showvf():
        return b.json("nvmeb.showvf")

    tap.check(f"{t}: show PF/vf0 --json: sriovctl.vf/v1 for VF0 of the PF",
              lambda: cmp([("schema", showvf()["schema"], "sriovctl.vf/v1"),
                           ("pf", showvf()["pf"], addr()),
                           ("vf.index", showvf()["vf"]["index"], 0),
                           ("vf.address", showvf()["vf"]["address"],
                            vb(0)["address"]),
                           ("vf_device_id", showvf()["vf_device_id"],
                            "0010")]), b)
    tap.check(f"{t}: show PF/vf0 --json: fields and iommu_group_devices "
              "equal sysfs",
              lambda: cmp(vf_fields(showvf()["vf"], vb(0)) + [
                  ("iommu_group_devices",
                   sorted(showvf()["vf"]["iommu_group_devices"]),
                   sorted(vb(0)["iommu_group_devices"].split()))]), b)
    tap.check(f"{t}: no warnings; show PF/vf0 and list (text) exit 0",
              lambda: (warnings_of(pfb()) == []
                       and b.text("nvmeb.showvf.text") is not None
                       and b.text("nvmeb.list.text") is not None,
                       f"{warnings_of(pfb())}"), b)


def igb_checks(tap, b, title):
    """Boot A: the igb PF (82576) with 0 and 2 VFs; every check not ok with
    the reason when this QEMU has no igb."""
    def guard():
        if b.igb_reason:
            raise CheckFail(f"no igb in this QEMU: {b.igb_reason}")

    with tap.guarded(guard):
        _igb_checks(tap, b, title)


def _igb_checks(tap, b, title):
    t = f"{title} igb0"

    def addr():
        return b.text("igb.pf").strip()

    def pf0():
        return find_pf(b.json("igb0.list"), addr())

    def s0():
        return b.kv("igb0.sysfs")

    def dec0():
        return decode_config(b.text("igb0.config"))

    tap.check(f"{t}: the igb PF 8086:10c9 is listed, driver igb "
              "(sysfs driver link)",
              lambda: cmp([("ids", (pf0()["vendor_id"], pf0()["device_id"]),
                            ("8086", "10c9")),
                           ("driver", pf0()["driver"], s0().get("driver")),
                           ("driver", pf0()["driver"], "igb")]), b)
    tap.check(f"{t}: total_vfs 7 (sysfs sriov_totalvfs; the driver's limit)",
              lambda: cmp([("total_vfs", pf0()["total_vfs"],
                            int(s0()["sriov_totalvfs"])),
                           ("total_vfs", pf0()["total_vfs"], 7)]), b)
    tap.check(f"{t}: show --json sriov_capability.total_vfs 8 (TotalVFs in "
              "config space)",
              lambda: cmp([("sriov_capability.total_vfs",
                            b.json("igb0.show")["pfs"][0]
                            ["sriov_capability"]["total_vfs"],
                            dec0()["sriov"]["total_vfs"]),
                           ("sriov_capability.total_vfs",
                            b.json("igb0.show")["pfs"][0]
                            ["sriov_capability"]["total_vfs"], 8)]), b)
    tap.check(f"{t}: vf_offset 128, vf_stride 2 (sysfs and capability)",
              lambda: cmp([("vf_offset", pf0()["vf_offset"],
                            int(s0()["sriov_offset"])),
                           ("vf_stride", pf0()["vf_stride"],
                            int(s0()["sriov_stride"])),
                           ("offset/stride",
                            (pf0()["vf_offset"], pf0()["vf_stride"]),
                            (128, 2)),
                           ("capability",
                            (pf0()["sriov_capability"]["first_vf_offset"],
                             pf0()["sriov_capability"]["vf_stride"]),
                            (128, 2))]), b)
    tap.check(f"{t}: vf_device_id 10ca (sysfs sriov_vf_device)",
              lambda: cmp([("vf_device_id", pf0()["vf_device_id"],
                            hexid(s0()["sriov_vf_device"])),
                           ("vf_device_id", pf0()["vf_device_id"], "10ca")]),
              b)
    tap.check(f"{t}: netdev and link (mac, mtu, ifindex, operstate, speed) "
              "equal sysfs",
              lambda: cmp([("netdevs", pf0()["netdevs"],
                            [b.text("igb.netdev").strip()])]
                          + [x for x in pf_fields(pf0(), s0())
                             if x[0].startswith(("links", "netdevs"))]), b)
    tap.check(f"{t}: every sysfs-sourced PF field equals sysfs",
              lambda: cmp(pf_fields(pf0(), s0())), b)
    tap.check(f"{t}: show NETDEV --json resolves the netdev to the PF",
              lambda: cmp([("pfs", [p["address"]
                                    for p in b.json("igb0.shownet")["pfs"]],
                            [addr()])]), b)
    tap.check(f"{t}: names from pci.ids (device, VF device)",
              lambda: (bool(pf0()["device_name"] and pf0()["vf_device_name"]),
                       f"{pf0()['device_name']!r}, "
                       f"{pf0()['vf_device_name']!r}"), b)
    tap.check(f"{t}: no warnings",
              lambda: (warnings_of(pf0()) == [], f"{warnings_of(pf0())}"), b)
    config_checks(tap, b, f"{title} igb0", "igb0.show", "igb0.config",
                  "igb0.rp.config", "igb0.sysfs", want_ari=True,
                  want_aer=True, upstream_addr="0000:00:03.0")

    # ---- 2 VFs
    t = f"{title} igb2"

    def pf2():
        return find_pf(b.json("igb2.list"), addr())

    def s2():
        return b.kv("igb2.sysfs")

    def vs(i):
        return b.kv(f"igb2.vf{i}.sysfs")

    tap.check(f"{t}: kernel accepted echo 2 > sriov_numvfs; both igbvf "
              "netdevs appeared (bounded wait)",
              lambda: (b.text("igb.numvfs2") is not None
                       and b.rc("igb.wait.vfnet") == 0,
                       f"wait rc {b.rc('igb.wait.vfnet')}"), b)
    tap.check(f"{t}: VFs at 0000:02:10.0 and 0000:02:10.2 (the virtfnN "
              "links; offset 128, stride 2: not contiguous)",
              lambda: cmp([("addresses", [v["address"] for v in pf2()["vfs"]],
                            [s2()[f"virtfn{i}"] for i in range(2)]),
                           ("addresses", [v["address"] for v in pf2()["vfs"]],
                            ["0000:02:10.0", "0000:02:10.2"])]), b)
    for i in range(2):
        tap.check(f"{t}: VF{i} driver igbvf (sysfs driver link)",
                  lambda i=i: cmp([("driver", vf_at(pf2(), i)["driver"],
                                    vs(i).get("driver")),
                                   ("driver", vf_at(pf2(), i)["driver"],
                                    "igbvf")]), b)
        def vfnet(i):
            if not vs(i)["net"]:
                raise CheckFail(f"VF{i} has no netdev in sysfs")
            return cmp([x for x in vf_fields(vf_at(pf2(), i), vs(i))
                        if x[0] in ("netdev", "mac", "netdevs")])
        tap.check(f"{t}: VF{i} netdev and MAC equal sysfs "
                  "(net/*/address)", lambda i=i: vfnet(i), b)
        tap.check(f"{t}: VF{i}: every sysfs-sourced field equals sysfs",
                  lambda i=i: cmp(vf_fields(vf_at(pf2(), i), vs(i))), b)
    tap.check(f"{t}: each VF in its own IOMMU group",
              lambda: (len({pf2()["iommu_group"]}
                           | {v["iommu_group"] for v in pf2()["vfs"]}) == 3
                       and None not in [v["iommu_group"] for v in pf2()["vfs"]],
                       f"PF {pf2()['iommu_group']}, VFs "
                       f"{[v['iommu_group'] for v in pf2()['vfs']]}"), b)
    tap.check(f"{t}: vf_drivers {{\"igbvf\": 2}}, num_vfs 2, "
              "sriov_capability.num_vfs 2",
              lambda: cmp([("vf_drivers", pf2()["vf_drivers"], {"igbvf": 2}),
                           ("num_vfs", pf2()["num_vfs"],
                            int(s2()["sriov_numvfs"])),
                           ("sriov_capability.num_vfs",
                            pf2()["sriov_capability"]["num_vfs"], 2)]), b)
    tap.check(f"{t}: every sysfs-sourced PF field equals sysfs",
              lambda: cmp(pf_fields(pf2(), s2())), b)
    tap.check(f"{t}: sriov_capability equals the decode of sysfs config",
              lambda: cmp([(k, pf2()["sriov_capability"].get(k), v)
                           for k, v in decode_config(
                               b.text("igb2.config"))["sriov"].items()]), b)
    tap.check(f"{t}: show VF-NETDEV --json resolves the igbvf netdev to VF1",
              lambda: cmp([("schema", b.json("igb2.showvfnet")["schema"],
                            "sriovctl.vf/v1"),
                           ("pf", b.json("igb2.showvfnet")["pf"], addr()),
                           ("vf.address",
                            b.json("igb2.showvfnet")["vf"]["address"],
                            vs(1)["address"])]), b)
    tap.check(f"{t}: no warnings (PF and VFs)",
              lambda: (warnings_of(pf2()) == [], f"{warnings_of(pf2())}"), b)


def ip_vfinfo(b, sec):
    """The vfinfo_list of `ip -j -d link show dev X`, by VF index."""
    return {v["vf"]: v for v in b.json(sec)[0].get("vfinfo_list", [])}


def link_vs_ip(vf, ipv):
    """sriovctl's rtnetlink view of one VF against iproute2's print_vfinfo.

    ip prints vlan/qos only when non-zero, the protocol only when it is not
    802.1Q, and spoofchk/trust/query_rss only when the driver reports them.
    """
    i = vf["index"]
    link = vf.get("link")
    if link is None:
        raise CheckFail(f"vf{i}: sriovctl has no netlink view (link null)")
    vlan = (ipv.get("vlan_list") or [{}])[0]
    rate = ipv.get("rate", {})
    proto = vlan.get("protocol")
    return cmp([
        (f"vf{i} mac", link["mac"], ipv.get("address")),
        (f"vf{i} vlan", link["vlan"], vlan.get("vlan", 0)),
        (f"vf{i} qos", link["qos"], vlan.get("qos", 0)),
        # ip names the protocol only when it is neither 0 nor 802.1Q
        (f"vf{i} vlan protocol",
         None if link["vlan_protocol"] in (None, "802.1Q")
         else link["vlan_protocol"], proto),
        (f"vf{i} max_tx_rate", link["max_tx_rate"], rate.get("max_tx", 0)),
        (f"vf{i} min_tx_rate", link["min_tx_rate"], rate.get("min_tx", 0)),
        (f"vf{i} spoofchk", link["spoofchk"], ipv.get("spoofchk")),
        (f"vf{i} trust", link["trust"], ipv.get("trust")),
        (f"vf{i} query_rss", link["query_rss"], ipv.get("query_rss_en")),
        (f"vf{i} link_state", link["link_state"], ipv.get("link_state")),
    ])


def vf_link_checks(tap, b, t, show_sec, ip_sec, expect):
    """The VF netlink view of one PF: against ip, and against what was set."""
    def pf():
        return b.json(show_sec)["pfs"][0]

    tap.check(f"{t}: vf_links \"ok\": the PF's netdev listed every VF "
              "(IFLA_NUM_VF entries received)",
              lambda: cmp([("vf_links", pf()["vf_links"], "ok")]), b)
    tap.check(f"{t}: sriovctl's rtnetlink VF view equals ip -j -d link show "
              "for every VF (mac, vlan, qos, protocol, rates, spoofchk, "
              "trust, query_rss, link_state)",
              lambda: _all(link_vs_ip(v, ip_vfinfo(b, ip_sec)[v["index"]])
                           for v in pf()["vfs"]), b)
    for index, fields in expect:
        tap.check(f"{t}: vf{index} shows what ip link set wrote: " +
                  ", ".join(f"{k} {v}" for k, v in fields.items()),
                  lambda index=index, fields=fields: cmp(
                      [(k, vf_at(pf(), index)["link"][k], v)
                       for k, v in fields.items()]), b)


def _all(results):
    bad = [d for ok, d in results if not ok]
    return (not bad, "; ".join(bad))


def netdevsim_checks(tap, b, title):
    t = f"{title} netdevsim"
    tap.check(f"{t}: netdevsim1 exists with sriov_numvfs 4 "
              "in sysfs (the module built, loaded and made 4 VFs)",
              lambda: cmp([("sriov_numvfs",
                            b.text("nsim.sriov_numvfs").strip(), "4")]), b)

    def pf():
        return find_pf(b.json("nsim.list"), "netdevsim1")

    tap.check(f"{t}: listed as a PF of bus netdevsim with its netdev, "
              "4 VFs, total_vfs = debugfs max_vfs",
              lambda: cmp([
                  ("bus", pf()["bus"], "netdevsim"),
                  ("netdevs", pf()["netdevs"], [b.text("nsim.netdev").strip()]),
                  ("num_vfs", pf()["num_vfs"], 4),
                  ("total_vfs", pf()["total_vfs"],
                   int(b.text("nsim.max_vfs").strip())),
                  ("vf indexes", [v["index"] for v in pf()["vfs"]],
                   [0, 1, 2, 3]),
                  ("vf addresses", [v["address"] for v in pf()["vfs"]],
                   [None] * 4),
                  ("warnings", pf()["warnings"], [])]), b)
    vf_link_checks(tap, b, t, "nsim.shownet", "nsim.vf.iplink", [
        (0, {"mac": "02:00:00:00:00:01", "vlan": 10, "qos": 2}),
        (1, {"spoofchk": False, "trust": True}),
        (2, {"min_tx_rate": 10, "max_tx_rate": 100}),
        (3, {"link_state": "disable", "vlan": 30, "qos": 1,
             "vlan_protocol": "802.1ad"}),
    ])


def igb_link_checks(tap, b, title):
    vf_link_checks(tap, b, f"{title} igb netlink", "igb.vf.show",
                   "igb.vf.iplink", [
                       (0, {"mac": "02:11:22:33:44:55", "vlan": 5,
                            "vlan_protocol": "802.1Q"}),
                       (1, {"spoofchk": False}),
                   ])


def noiommu_checks(tap, b, title):
    t = title

    def addr():
        return b.text("nvme.pf").strip()

    def inv():
        return b.json("nvme2.list")

    def pf():
        return find_pf(inv(), addr())

    tap.check(f"{t}: kernel command line has intel_iommu=off, no IOMMU "
              "groups in sysfs",
              lambda: cmp([("intel_iommu=off in cmdline",
                            "intel_iommu=off" in b.text("cmdline").split(),
                            True),
                           ("/sys/kernel/iommu_groups",
                            b.text("nvme2.groups").split(), [])]), b)
    tap.check(f"{t}: iommu.enabled false, iommu.groups 0",
              lambda: cmp([("iommu", inv()["iommu"],
                            {"enabled": False, "groups": 0})]), b)
    tap.check(f"{t}: PF iommu_group null",
              lambda: cmp([("iommu_group", pf()["iommu_group"], None)]), b)
    tap.check(f"{t}: both VFs listed (virtfn links), iommu_group null",
              lambda: cmp([("addresses", [v["address"] for v in pf()["vfs"]],
                            [b.kv("nvme2.sysfs")[f"virtfn{i}"]
                             for i in range(2)]),
                           ("iommu_group",
                            [v["iommu_group"] for v in pf()["vfs"]],
                            [None, None])]), b)
    tap.check(f"{t}: show --json VF iommu_group_devices null",
              lambda: cmp([(f"vf{v['index']}.iommu_group_devices",
                            v.get("iommu_group_devices", "(absent)"), None)
                           for v in b.json("nvme2.show")["pfs"][0]["vfs"]]),
              b)
    tap.check(f"{t}: every sysfs-sourced PF and VF field equals sysfs",
              lambda: cmp(pf_fields(pf(), b.kv("nvme2.sysfs"))
                          + vf_fields(vf_at(pf(), 0), b.kv("nvme2.vf0.sysfs"))
                          + vf_fields(vf_at(pf(), 1),
                                      b.kv("nvme2.vf1.sysfs"))), b)
    tap.check(f"{t}: no warnings",
              lambda: (warnings_of(pf()) == [], f"{warnings_of(pf())}"), b)


def acs_checks(tap, b, title):
    t = title

    def addr():
        return b.text("nvme.pf").strip()

    def pf():
        return b.json("nvme2.show")["pfs"][0]

    def sysgroups():
        return [group(b.kv("nvme2.sysfs"))] + [
            group(b.kv(f"nvme2.vf{i}.sysfs")) for i in range(2)]

    tap.check(f"{t}: the kernel put the PF and its VFs in one IOMMU group "
              "(sysfs)",
              lambda: (len(set(sysgroups())) == 1 and None not in sysgroups(),
                       f"groups {sysgroups()}"), b)
    tap.check(f"{t}: PF and all VFs have the same iommu_group, equal to "
              "sysfs",
              lambda: cmp([("groups", [pf()["iommu_group"]]
                            + [v["iommu_group"] for v in pf()["vfs"]],
                            sysgroups())]), b)
    tap.check(f"{t}: VF iommu_group_devices contain the PF and equal the "
              "sysfs group",
              lambda: cmp([(f"vf{i}.iommu_group_devices",
                            sorted(vf_at(pf(), i)["iommu_group_devices"]),
                            sorted(b.kv(f"nvme2.vf{i}.sysfs")
                                   ["iommu_group_devices"].split()))
                           for i in range(2)]
                          + [("PF in vf0's group", addr() in
                              vf_at(pf(), 0)["iommu_group_devices"], True)]),
              b)
    tap.check(f"{t}: root port 0000:00:02.0 acs equals the decode "
              "(disable-acs=on: no ACS capability)",
              lambda: cmp([("upstream", [u["address"] for u in pf()["upstream"]],
                            ["0000:00:02.0"]),
                           ("acs", pf()["upstream"][0]["config_space"]["acs"],
                            decode_config(b.text("nvme0.rp.config"))["acs"]),
                           ("acs", pf()["upstream"][0]["config_space"]["acs"],
                            None)]), b)
    tap.check(f"{t}: VF0 bound to vfio-pci in the shared group: driver "
              "equals sysfs",
              lambda: cmp([("driver",
                            vf_at(b.json("nvmeb.show")["pfs"][0], 0)["driver"],
                            b.kv("nvmeb.vf0.sysfs").get("driver"))]), b)


def boot_check(tap, b):
    def judge():
        if b.error is None:
            return True
        diag = b.error
        if b.accel is not None:
            diag += f"\naccel: {b.accel.describe()}"
        if b.command and not b.started:
            diag += f"\ncommand: {b.command}"
        return False, diag
    tap.check(f"boot {b.spec.name} ({b.spec.title}) ran to the end "
              f"(@@DONE, QEMU exit 0, < {BOOT_TIMEOUT} s)", judge, b,
              skippable=False)


def guest_checks(tap, b, title, scripts=None):
    """The checks self-checking scenarios made in the guest (lib.sh check)."""
    for script in EXTRA_SCRIPTS if scripts is None else scripts:
        tap.check(f"{title} {script}: the scenario ran and made checks",
                  lambda script=script: (
                      any(d.startswith(script + ":")
                          for _, d, _, _ in b.guest_checks),
                      f"no check lines from {script}.sh"), b)
    for ok, desc, want, got in b.guest_checks:
        tap.check(f"{title} {desc}",
                  lambda ok=ok, want=want, got=got: (
                      ok, f"expected {want!r}, got {got!r}"), b)


def evaluate(boots, tap):
    A, B, C = boots.get("A"), boots.get("B"), boots.get("C")
    D = boots.get("D")
    if A:
        boot_check(tap, A)
        nvme_checks(tap, A, "A")
        igb_checks(tap, A, "A")
        igb_link_checks(tap, A, "A")
        netdevsim_checks(tap, A, "A")
        guest_checks(tap, A, "A")
    if B:
        boot_check(tap, B)
        noiommu_checks(tap, B, "B no-iommu")
        guest_checks(tap, B, "B no-iommu", OTHER_BOOT_SCRIPTS["B"])
    if C:
        boot_check(tap, C)
        acs_checks(tap, C, "C acs-off")
        guest_checks(tap, C, "C acs-off", OTHER_BOOT_SCRIPTS["C"])
    if D:
        boot_check(tap, D)
        guest_checks(tap, D, "D scale", OTHER_BOOT_SCRIPTS["D"])
    E = boots.get("E")
    if E:
        boot_check(tap, E)
        guest_checks(tap, E, "E reapply", OTHER_BOOT_SCRIPTS["E"])
    F = boots.get("F")
    if F:
        boot_check(tap, F)
        guest_checks(tap, F, "F udev", OTHER_BOOT_SCRIPTS["F"])
    G = boots.get("G")
    if G:
        boot_check(tap, G)
        guest_checks(tap, G, "G journal", OTHER_BOOT_SCRIPTS["G"])
    H = boots.get("H")
    if H:
        boot_check(tap, H)
        guest_checks(tap, H, "H dpdk", OTHER_BOOT_SCRIPTS["H"])
    K = boots.get("K")
    if K:
        boot_check(tap, K)
        guest_checks(tap, K, "K cni", OTHER_BOOT_SCRIPTS["K"])
    U = boots.get("U")
    if U:
        boot_check(tap, U)
        guest_checks(tap, U, "U audit", OTHER_BOOT_SCRIPTS["U"])
    I = boots.get("I")
    if I:
        boot_check(tap, I)
        guest_checks(tap, I, "I exporter", OTHER_BOOT_SCRIPTS["I"])


def artifacts(boots, results):
    """Every section of every boot, and the netlink VF view, as JSON."""
    for name, b in boots.items():
        out = {k: {"cmd": s.cmd, "rc": s.rc, "text": s.text}
               for k, s in b.sections.items()}
        (results / f"boot-{name}.sections.json").write_text(
            json.dumps(out, indent=1))
    A = boots.get("A")
    if not A:
        return None
    view = {"about": "raw VF netlink view (ip -j -d link show after ip link "
            "set DEV vf N ...) from the lab's boot A, as the netlink checks "
            "compared it"}
    for prefix, key in (("nsim.", "netdevsim"), ("igb.vf.", "igb")):
        part = {}
        for name, s in A.sections.items():
            if not name.startswith(prefix) or name.endswith(".stderr"):
                continue
            err = A.sections.get(name + ".stderr")
            entry = {"cmd": s.cmd, "rc": s.rc,
                     "stderr": err.text if err else ""}
            try:
                entry["json"] = json.loads(s.text)
            except ValueError:
                entry["stdout"] = s.text
            part[name[len(prefix):]] = entry
        view[key] = part
    path = results / "vf-netlink.json"
    path.write_text(json.dumps(view, indent=1))
    return path


# ------------------------------------------------------------- commands ---

def sriovctl_path(arg):
    p = arg or os.environ.get("SRIOVCTL")
    if not p:
        raise LabError("no sriovctl binary: give --sriovctl or set SRIOVCTL")
    if not os.access(p, os.X_OK):
        raise LabError(f"{p}: not an executable")
    return os.path.abspath(p)


def fail_all(tap, msg):
    tap.results.append((False, "lab prepared (QEMU, kernel, netdevsim, "
                        "initramfs)", msg, None))


def cmd_run(args):
    if os.geteuid() != 0:
        print("1..0 # SKIP lab needs root (apt, /var/cache)")
        return 0
    t0 = time.monotonic()
    results = Path(args.results)
    results.mkdir(parents=True, exist_ok=True)
    tap = Tap()
    boots = {}
    timings = {}
    prep_accel = None
    try:
        binary = sriovctl_path(args.sriovctl)
        prep = prepare()
        timings["prepare"] = round(time.monotonic() - t0, 1)
        t1 = time.monotonic()
        prep_accel = choose_accel(prep, results)
        timings["accel probe"] = round(time.monotonic() - t1, 1)
        t1 = time.monotonic()
        # One initramfs per set of extra tools (strace only where needed).
        initrd, made = {}, {}
        for name in args.boots:
            t = BOOTS[name].tools
            if t not in made:
                out = results / ("initramfs" + "".join(f"-{x}" for x in t)
                                 + ".cpio.gz")
                made[t] = build_initramfs(prep, binary, out, tools=t)
                log(f"initramfs {out} ({out.stat().st_size} bytes)")
            initrd[name] = made[t]
        timings["initramfs"] = round(time.monotonic() - t1, 1)
        t1 = time.monotonic()
        boots.update(boot_all(prep, args.boots, initrd, results, args.jobs))
        for name in args.boots:
            timings[f"boot {name}"] = round(boots[name].elapsed or 0, 1)
        timings["boots"] = round(time.monotonic() - t1, 1)
    except LabError as e:
        log(f"error: {e}")
        fail_all(tap, str(e))
        for name in args.boots:
            if name not in boots:
                boots[name] = Boot(BOOTS[name], results / "none",
                                   error=f"not booted: {e}")
    evaluate(boots, tap)
    vf = artifacts(boots, results)
    timings["total"] = round(time.monotonic() - t0, 1)
    failed = [r for r in tap.results if r[0] is False]
    skipped = [r for r in tap.results if r[0] == "skip"]
    passed = len(tap.results) - len(failed) - len(skipped)
    summary = {"checks": len(tap.results), "failed": len(failed),
               "skipped": len(skipped), "accel": prep_accel.to_json()
               if prep_accel else None, "timings_s": timings,
               "results": [{"result": "skip" if ok == "skip" else
                            "ok" if ok else "not ok", "check": d, "diag": g}
                           for ok, d, g, _ in tap.results]}
    (results / "results.json").write_text(json.dumps(summary, indent=1))
    tap.print()
    print(f"# lab: {passed} of {len(tap.results)} checks ok"
          + (f", {len(skipped)} skipped (their boot never ran /init)"
             if skipped else "") + f"; timings {timings}")
    if prep_accel:
        print(f"# lab: {prep_accel.describe()}")
    print(f"# lab: serial logs, sections and results in {results}"
          + (f"; netlink VF view in {vf}" if vf else ""))
    return 0 if not failed else 1


def cmd_evaluate(args):
    results = Path(args.results)
    boots = {}
    for name, spec in BOOTS.items():
        serial = results / f"boot-{name}.serial.log"
        if serial.exists():
            boots[name] = Boot(spec, serial)
    tap = Tap()
    evaluate(boots, tap)
    artifacts(boots, results)
    tap.print()
    return 0 if all(r[0] is True for r in tap.results) else 1


def cmd_prepare(args):
    prep = prepare()
    choose_accel(prep, Path(args.results))
    print(json.dumps({"qemu": prep.qemu, "igb": prep.igb_reason or "yes",
                      "abi": prep.abi, "cache": str(prep.entry),
                      "accel": prep.accel.to_json()}, indent=1))
    return 0


def cmd_initramfs(args):
    prep = prepare()
    out = build_initramfs(prep, sriovctl_path(args.sriovctl), Path(args.out))
    print(out)
    return 0


def cmd_boot(args):
    prep = prepare()
    results = Path(args.results)
    results.mkdir(parents=True, exist_ok=True)
    choose_accel(prep, results)
    initrd = build_initramfs(prep, sriovctl_path(args.sriovctl),
                             results / "initramfs.cpio.gz",
                             tools=BOOTS[args.name].tools)
    b = boot(prep, BOOTS[args.name], initrd, results)
    print(f"boot {args.name}: {b.error or 'ok'}; {len(b.sections)} sections; "
          f"serial log {b.serial}")
    return 0 if b.error is None else 1


def cmd_bench(args):
    """Boot once with strace and SCRIPT as the only scenario (/lab/bench.sh)
    and print the guest's serial log: benchmarks (bench/) parse it."""
    prep = prepare()
    results = Path(args.results)
    results.mkdir(parents=True, exist_ok=True)
    choose_accel(prep, results)
    tools = (tuple(t for t in args.tools.split(",") if t) +
             (("cni",) if args.cni else ()))
    initrd = build_initramfs(prep, sriovctl_path(args.sriovctl),
                             results / "initramfs-bench.cpio.gz",
                             tools=tools, bench=Path(args.script))
    spec = BootSpec("bench", f"benchmark {Path(args.script).name}",
                    iommu=True, acs_off=False, igb=args.igb,
                    scripts=["bench"], tools=tools)
    b = boot(prep, spec, initrd, results)
    sys.stdout.write(b.serial.read_text(errors="replace")
                     if b.serial.exists() else "")
    if b.error:
        print(f"lab.py: bench boot: {b.error}", file=sys.stderr)
    return 0 if b.error is None else 1


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--results", default=str(RESULTS),
                    help="where serial logs and results go "
                    "($SRIOV_LAB_RESULTS)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("prepare")
    p = sub.add_parser("initramfs")
    p.add_argument("out")
    p.add_argument("--sriovctl")
    p = sub.add_parser("boot")
    p.add_argument("name", choices=sorted(BOOTS))
    p.add_argument("--sriovctl")
    p = sub.add_parser("run")
    p.add_argument("--sriovctl")
    p.add_argument("--boots", default="ABCDEFGHIKU",
                   help="which boots (default ABCDEFGHIKU)")
    p.add_argument("--jobs", type=int,
                   default=int(os.environ.get("SRIOV_LAB_JOBS", "0")) or
                   default_jobs(),
                   help="boots at once ($SRIOV_LAB_JOBS; default 2 when "
                   "this process may run on 2+ CPUs and the memory holds "
                   "two guests, else 1)")
    p = sub.add_parser("evaluate")
    p.add_argument("results")
    p = sub.add_parser("bench", help="boot once with a benchmark guest "
                       "script and strace; print the serial log")
    p.add_argument("script")
    p.add_argument("--sriovctl")
    p.add_argument("--tools", default="strace",
                   help="extra programs in the initramfs, comma-separated "
                   "(default strace; exporter: sriovctl-exporter)")
    p.add_argument("--igb", action="store_true",
                   help="with the igb NIC (igb VFs)")
    p.add_argument("--cni", action="store_true",
                   help="with the CNI plugins of boot K in /opt/cni/bin")
    args = ap.parse_args(argv)
    signal.signal(signal.SIGTERM, _on_sigterm)
    if args.cmd == "run":
        args.boots = [c for c in args.boots.upper() if c in BOOTS]
        try:
            return cmd_run(args)
        finally:
            kill_live()
    if args.cmd == "evaluate":
        return cmd_evaluate(args)
    if os.geteuid() != 0:
        print("lab.py: needs root (apt, /var/cache)", file=sys.stderr)
        return 1
    try:
        return {"prepare": cmd_prepare, "initramfs": cmd_initramfs,
                "boot": cmd_boot, "bench": cmd_bench}[args.cmd](args)
    except LabError as e:
        print(f"lab.py: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
