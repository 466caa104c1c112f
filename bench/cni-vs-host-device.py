#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Benchmark: the CNI plugin's ADD+DEL against the reference host-device's.

Boots the lab guest once (tests/lab/lab.py bench --igb --cni) with one igb
VF and runs ADD+DEL of sriovctl's `sriov` plugin (vlan 0, spoofchk on: it
sets attributes through the PF, records and restores them, writes the
change log) and of Debian's `host-device` (pciBusID: it only moves the
netdev) on the same VF into the same namespace, alternating, ROUNDS
rounds of LOOPS pairs. Prints the median ADD, DEL and ADD+DEL per
plugin, the ratio sriov / host-device, and where the time goes: each
plugin's syscalls per verb (strace -f -c). Times are under QEMU's TCG:
compare ratios, not absolutes. Needs root (the lab). Under the lab lock:
  flock /tmp/sriovctl-lab.lock bench/cni-vs-host-device.py [--build DIR]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLUGINS = ["sriov", "host-device"]


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


def strace_table(text):
    """(total calls, [(calls, syscall)]) from strace -c's table."""
    per, total = [], None
    for line in text.splitlines():
        f = line.split()
        if len(f) >= 5 and f[-1] == "total":
            total = int(f[3])
        elif len(f) >= 5 and re.match(r"^[\d.]+$", f[0]):
            per.append((int(f[3]), f[-1]))
    return total, sorted(per, reverse=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(TOP, "build"))
    ap.add_argument("--log", help="parse this serial log instead of booting")
    args = ap.parse_args()
    if args.log:
        text = open(args.log, errors="replace").read()
    else:
        if os.geteuid() != 0:
            sys.exit("cni-vs-host-device: the lab needs root")
        r = subprocess.run(
            [sys.executable, os.path.join(TOP, "tests/lab/lab.py"),
             "--results", os.path.join(args.build, "bench-results"), "bench",
             os.path.join(TOP, "bench/cni-vs-host-device.guest.sh"),
             "--sriovctl", os.path.join(args.build, "cli/sriovctl"),
             "--igb", "--cni"],
            stdout=subprocess.PIPE, text=True, errors="replace")
        text = r.stdout
        if r.returncode != 0:
            sys.exit("cni-vs-host-device: the bench boot failed")
    s = sections(text)
    if "bench.times" not in s:
        sys.exit("cni-vs-host-device: no timings in the guest's output")
    print(f"guest: {s.get('bench.setup', '?')}")
    for p in PLUGINS:
        moved = "net1" in s.get(f"bench.check.{p}.add", "")
        home = bool(s.get(f"bench.check.{p}.home", "").strip())
        print(f"  {p}: ADD moved the netdev: {moved}; DEL brought it home: {home}")
        if not (moved and home):
            sys.exit(f"cni-vs-host-device: {p} did not move the VF and back")
    add = {p: [] for p in PLUGINS}
    dele = {p: [] for p in PLUGINS}
    for line in s["bench.times"].splitlines():
        p, _, a, b, c = line.split()
        add[p].append(float(b) - float(a))
        dele[p].append(float(c) - float(b))
    med = {}
    n = len(add["sriov"])
    print(f"median per call ({n} pairs each):")
    for p in PLUGINS:
        med[p] = (statistics.median(add[p]), statistics.median(dele[p]),
                  statistics.median([x + y for x, y in zip(add[p], dele[p])]))
        print(f"  {p:12s} ADD {med[p][0] * 1000:7.1f} ms  DEL "
              f"{med[p][1] * 1000:7.1f} ms  ADD+DEL {med[p][2] * 1000:7.1f} ms")
    print("ratio sriov / host-device: ADD {:.2f}, DEL {:.2f}, ADD+DEL {:.2f}"
          .format(*(med["sriov"][i] / med["host-device"][i] for i in range(3))))
    print("where the time goes (strace -f -c, one call):")
    for p in PLUGINS:
        for verb in ("add", "del"):
            total, per = strace_table(s.get(f"bench.strace.{p}.{verb}", ""))
            top = ", ".join(f"{name} {calls}" for calls, name in per[:6])
            print(f"  {p:12s} {verb.upper()}: {total} syscalls ({top})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
