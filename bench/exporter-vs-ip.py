#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Benchmark: sriovctl-exporter scrapes of a 4096-VF host against the
cheapest way to get the same data with today's tools, side by side.

1. Generated tree (no netlink; any machine): 16 PFs x 256 VFs. The
   exporter's CPU per scrape (its own utime+stime over SCRAPES scrapes;
   the inventory is cached, so this is the exposition), and the sysfs part
   (one full read: `sriovctl metrics --no-checks --no-policy`) against a
   shell reading the same sysfs facts with grep and ls per PF (numvfs,
   totalvfs, each VF's driver, netdev, MAC, NUMA node).
2. Lab (--lab, root, under the lab lock): PFS netdevsim PFs of VFS VFs in
   the guest; exporter scrapes against `ip -s -d -j link show dev PF` of
   every PF, alternating, in the same boot (bench/exporter-vs-ip.guest.sh);
   the exporter's CPU per scrape and per VF, and the ratio. Times are under
   QEMU's TCG: compare ratios, not absolutes.

  bench/exporter-vs-ip.py [--build DIR] [--scrapes N]
  flock /tmp/sriovctl-lab.lock bench/exporter-vs-ip.py --lab [--build DIR]
"""
import argparse
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TICK = os.sysconf("SC_CLK_TCK")


def children_cpu():
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def proc_cpu(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_part(args):
    tmp = tempfile.mkdtemp(prefix="sriovctl-bench-")
    try:
        root = os.path.join(tmp, "h")
        cmd = [os.path.join(TOP, "tools/hostgen/sriov-hostgen"), root, "--numa-nodes", "2"]
        for _ in range(8):
            cmd += ["--card", "e810:pfs=2,vfs=256,total=256"]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        nvf = 16 * 256
        exe = os.path.join(args.build, "exporter/sriovctl-exporter")
        port = free_port()
        p = subprocess.Popen([exe, "--root", root, "--web.listen-address",
                              "127.0.0.1:%d" % port, "--checks.interval", "3600",
                              "--inventory.interval", "3600"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = "http://127.0.0.1:%d/metrics" % port
            for _ in range(600):
                try:
                    body = urllib.request.urlopen(url, timeout=60).read()
                    break
                except OSError:
                    time.sleep(0.1)
            c0, t0 = proc_cpu(p.pid), time.monotonic()
            for _ in range(args.scrapes):
                body = urllib.request.urlopen(url, timeout=60).read()
            cpu, wall = proc_cpu(p.pid) - c0, time.monotonic() - t0
        finally:
            p.terminate()
            p.wait()
        samples = sum(1 for ln in body.decode().splitlines() if ln and ln[0] != "#")
        print("generated tree, %d PFs x 256 VFs (%d VFs), %d scrapes:" % (16, nvf, args.scrapes))
        print("  exposition: %d samples, %d bytes" % (samples, len(body)))
        print("  exporter CPU per scrape (cached inventory): %.2f ms, %.2f us per VF; wall %.2f ms"
              % (cpu / args.scrapes * 1e3, cpu / args.scrapes / nvf * 1e6,
                 wall / args.scrapes * 1e3))
        # the sysfs part: one full read, against a shell reading the same
        sriovctl = os.path.join(args.build, "cli/sriovctl")
        pfs = [os.path.join(root, "sys/bus/pci/devices", d)
               for d in sorted(os.listdir(os.path.join(root, "sys/bus/pci/devices")))
               if os.path.exists(os.path.join(root, "sys/bus/pci/devices", d, "sriov_numvfs"))]
        script = "".join(
            "grep -H . %s/sriov_numvfs %s/sriov_totalvfs %s/virtfn*/numa_node "
            "%s/virtfn*/net/*/address >/dev/null; ls -l %s/virtfn*/driver >/dev/null\n"
            % ((pf,) * 5) for pf in pfs)
        ours, peer = [], []
        for _ in range(args.rounds):
            c = children_cpu()
            subprocess.run([sriovctl, "--root", root, "metrics", "--no-checks", "--no-policy"],
                           check=True, stdout=subprocess.DEVNULL)
            ours.append(children_cpu() - c)
            c = children_cpu()
            subprocess.run(["sh", "-c", script], check=True)
            peer.append(children_cpu() - c)
        o, s = statistics.median(ours), statistics.median(peer)
        print("  sysfs part, one full read (median of %d):" % args.rounds)
        print("    sriovctl metrics --no-checks --no-policy: %.1f ms CPU (%.1f us per VF)"
              % (o * 1e3, o / nvf * 1e6))
        print("    grep -H + ls -l of the same files, per PF:  %.1f ms CPU" % (s * 1e3))
        print("    ratio sriovctl / shell: %.2f" % (o / s))
        print("  a scrape against one such read: %.3f" % (cpu / args.scrapes / o))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def sections(text):
    out, cur = {}, None
    for line in text.replace("\r", "").split("\n"):
        m = re.match(r"@@BEGIN (\S+)", line)
        if cur is None and m:
            cur, body = m.group(1), []
        elif cur is not None and line.startswith(f"@@END {cur} "):
            out[cur] = "\n".join(body).strip("\n")
            cur = None
        elif cur is not None:
            body.append(line)
    return out


def lab_part(args):
    if args.log:
        text = open(args.log, errors="replace").read()
    else:
        if os.geteuid() != 0:
            sys.exit("exporter-vs-ip: the lab needs root")
        env = dict(os.environ, SRIOV_LAB_EXPORTER=os.path.join(
            args.build, "exporter/sriovctl-exporter"))
        r = subprocess.run(
            [sys.executable, os.path.join(TOP, "tests/lab/lab.py"),
             "--results", os.path.join(args.build, "bench-results"), "bench",
             os.path.join(TOP, "bench/exporter-vs-ip.guest.sh"),
             "--tools", "strace,exporter",
             "--sriovctl", os.path.join(args.build, "cli/sriovctl")],
            stdout=subprocess.PIPE, text=True, errors="replace", env=env)
        text = r.stdout
        if r.returncode != 0:
            sys.exit("exporter-vs-ip: the bench boot failed")
    s = sections(text)
    if "bench.times" not in s:
        sys.exit("exporter-vs-ip: no timings in the guest's output")
    tck = int(s.get("bench.clk", "100") or 100)
    print("lab (real kernel, TCG): %s" % s.get("bench.setup", "?"))
    smp = s.get("bench.samples", "").split()
    ipv = s.get("bench.ipvfs", "").split()
    nvf = int(smp[0]) if smp else 0
    print("  exposition: %s VF series, %s samples, %s bytes; ip: %s VF entries, %s bytes; "
          "truncated VF lists: %s" % (smp[0] if smp else "?", smp[1] if len(smp) > 1 else "?",
                                     smp[2] if len(smp) > 2 else "?",
                                     ipv[0] if ipv else "?", ipv[1] if len(ipv) > 1 else "?",
                                     s.get("bench.truncated", "?")))
    per = {"exporter": [], "ip": []}
    for line in s["bench.times"].splitlines():
        t, loops, a, b, c, d = line.split()
        loops = int(loops)
        per[t].append(((float(b) - float(a)) / loops, (int(d) - int(c)) / tck / loops))
    wall = {t: statistics.median(w for w, _ in v) for t, v in per.items()}
    cpu = {t: statistics.median(c for _, c in v) for t, v in per.items()}
    print("  per scrape (median of %d rounds): exporter %.1f ms CPU (%.2f us per VF), wall %.1f ms"
          % (len(per["ip"]), cpu["exporter"] * 1e3,
             cpu["exporter"] / nvf * 1e6 if nvf else 0, wall["exporter"] * 1e3))
    print("  ip -s -d -j link show of every PF: %.1f ms CPU, wall %.1f ms"
          % (cpu["ip"] * 1e3, wall["ip"] * 1e3))
    if cpu["ip"]:
        print("  ratio exporter / ip: CPU %.2f, wall %.2f"
              % (cpu["exporter"] / cpu["ip"], wall["exporter"] / wall["ip"]))
    st = s.get("bench.strace", "")
    print("  one scrape's syscalls (strace): %d netlink sends, %d opens"
          % (len(re.findall(r"send(?:to|msg)\(", st)), len(re.findall(r"open(?:at)?\(", st))))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(TOP, "build"))
    ap.add_argument("--scrapes", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--lab", action="store_true", help="the lab part (root)")
    ap.add_argument("--log", help="the lab part from this serial log, no boot")
    args = ap.parse_args()
    if args.lab or args.log:
        lab_part(args)
    else:
        tree_part(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
