#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Benchmark: `sriovctl explain -` against `grep -E -i` on the same inputs.

Three texts: one line of 100 000 'A's (a long token: quadratic before, 51 s),
65 536 log lines (super-linear before, 4.9 s), and 10 MB of log lines that
name devices, groups and VFs. `explain` runs on a generated host (so that
what the text names is looked up); the peer is `grep -E -i -c` with a few of
explain's own patterns over the same file, measured in the same run. Prints
the median wall time of each, the ratio explain/grep, and, with --baseline
BIN (an older sriovctl), that one's time too (capped by --limit seconds).
Usage: bench/explain-vs-grep.py [--build DIR] [--runs N] [--baseline BIN]
"""
import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import run_quiet  # noqa: E402

# Some of lib/explain/table.c's patterns, as grep -E takes them.
PEER = ("group [0-9]+ is not viable|no iommu_group found|"
        "not enough MMIO resources for SR-IOV|"
        "[0-9]+ VFs already enabled\\. Disable before enabling [0-9]+ VFs|"
        "Truncated VF list: |PCI device request .* failed|"
        "vlan.*(peer|switch|other side).*(not expect|n't expect|unexpected|drops?)")


def texts(tmp):
    rnd = random.Random(1)
    out = {}
    path = os.path.join(tmp, "long-token.txt")
    with open(path, "w") as f:
        f.write("A" * 100000 + "\n")
    out["100k 'A's"] = path

    def log_line(i):
        return (f"[{i // 1000:5d}.{i % 1000:06d}] kernel: ice 0000:{rnd.randint(0, 255):02x}:"
                f"{rnd.randint(0, 31):02x}.{rnd.randint(0, 7)}: link set dev ens{i % 50}f0 "
                f"vf {i % 64} vlan {i % 4094} group {i % 300} /sys/class/net/eth{i % 9}/ "
                f"enp{i % 7}s0/vf{i % 16}")
    path = os.path.join(tmp, "64k-lines.txt")
    with open(path, "w") as f:
        f.write("\n".join(log_line(i) for i in range(65536)) + "\n")
    out["64k lines"] = path
    path = os.path.join(tmp, "10mb.txt")
    with open(path, "w") as f:
        n, i = 0, 0
        while n < 10 * 1000 * 1000:
            line = log_line(i) + "\n"
            f.write(line)
            n += len(line)
            i += 1
        f.write("vfio 0000:3b:00.0: group 7 is not viable\n")
    out["10 MB"] = path
    return out


def timed(cmd, path, limit=None):
    with open(path, "rb") as f:
        t = time.monotonic()
        try:
            subprocess.run(cmd, stdin=f, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=limit)
        except subprocess.TimeoutExpired:
            return None
        return time.monotonic() - t


def median(cmd, path, runs):
    return statistics.median(timed(cmd, path) for _ in range(runs))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(TOP, "build"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--baseline", help="an older sriovctl to time once as well")
    ap.add_argument("--limit", type=float, default=60.0,
                    help="seconds the baseline may take per text")
    args = ap.parse_args()

    sriovctl = os.path.join(args.build, "cli", "sriovctl")
    if not os.access(sriovctl, os.X_OK):
        sys.exit(f"no {sriovctl}: build first (./dev.sh build)")
    tmp = tempfile.mkdtemp(prefix="sriovctl-bench-")
    try:
        root = os.path.join(tmp, "host")
        run_quiet([os.path.join(TOP, "tools/hostgen/sriov-hostgen"), root,
                   "--card", "e810:pfs=2,vfs=16", "--card", "igb:vfs=4,acs=off"])
        print(f"{'text':<12} {'bytes':>10} {'explain':>10} {'grep -E':>10} {'ratio':>7}"
              + (f" {'baseline':>10}" if args.baseline else ""))
        for name, path in texts(tmp).items():
            ex = median([sriovctl, "--root", root, "explain", "-"], path, args.runs)
            gr = median(["grep", "-E", "-i", "-c", PEER], path, args.runs)
            line = (f"{name:<12} {os.path.getsize(path):>10} {ex * 1000:>8.1f}ms "
                    f"{gr * 1000:>8.1f}ms {ex / gr:>7.1f}")
            if args.baseline:
                b = timed([args.baseline, "--root", root, "explain", "-"], path, args.limit)
                line += f" {b:>9.2f}s" if b is not None else f" >{args.limit:.0f}s"
            print(line, flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
