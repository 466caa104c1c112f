#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Benchmark: `sriovctl list --json` and `sriovctl list` against `lspci -D`.

Generates a host of 16 PFs x 256 VFs (4096 VFs; sriov-hostgen), then runs
the tools alternately on it, each several times after a warm-up, and prints
median wall times and their ratios; with valgrind installed, also the
instruction counts (callgrind), which do not depend on machine load.
`list --json` reads every VF in full; `list`'s table shows each VF's driver
only, and reads no more.
Usage: bench/list-vs-lspci.py [--build DIR] [--runs N] [--keep DIR [--reuse]]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import callgrind, run_quiet  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(TOP, "build"))
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--keep", help="generate into (and keep) this directory")
    ap.add_argument("--reuse", action="store_true",
                    help="with --keep: use the tree already there")
    args = ap.parse_args()

    sriovctl = os.path.join(args.build, "cli", "sriovctl")
    lspci = shutil.which("lspci")
    if not os.access(sriovctl, os.X_OK):
        sys.exit(f"no {sriovctl}: build first (./dev.sh build)")
    if not lspci:
        sys.exit("lspci not found: apt-get install pciutils")

    tmp = tempfile.mkdtemp(prefix="sriovctl-bench-")
    root = args.keep or os.path.join(tmp, "host")
    try:
        t0 = time.perf_counter()
        cards = []
        for _ in range(8):
            cards += ["--card", "e810:pfs=2,vfs=256,total=256"]
        if args.keep and os.path.exists(root):
            cards += ["--force"]
        if not (args.reuse and args.keep and os.path.exists(root)):
            subprocess.run([os.path.join(TOP, "tools/hostgen/sriov-hostgen"),
                            root] + cards + ["--numa-nodes", "2"], check=True)
        gen = time.perf_counter() - t0
        ours = [sriovctl, "--root", root, "list", "--json"]
        table = [sriovctl, "--root", root, "list"]
        peer = [lspci, "-D", "-A", "linux-sysfs", "-O",
                "sysfs.path=" + os.path.join(root, "sys/bus/pci")]

        out = subprocess.run(ours, capture_output=True, text=True, check=True).stdout
        nvfs = out.count('"index"')
        ndev = len(subprocess.run(peer, capture_output=True, text=True,
                                  check=True).stdout.splitlines())
        print(f"host: 16 PFs, {nvfs} VFs, {ndev} PCI devices "
              f"(generated in {gen:.1f} s)")

        for _ in range(3):  # warm the dentry and page caches for both
            run_quiet(ours)
            run_quiet(table)
            run_quiet(peer)
        times = {"sriovctl": [], "table": [], "lspci": []}
        for _ in range(args.runs):  # alternate, so load hits all alike
            for name, cmd in (("sriovctl", ours), ("table", table),
                              ("lspci", peer)):
                t = time.perf_counter()
                run_quiet(cmd)
                times[name].append(time.perf_counter() - t)
        med = {k: statistics.median(v) for k, v in times.items()}
        print(f"median of {args.runs} runs: sriovctl list --json "
              f"{med['sriovctl'] * 1000:.1f} ms, lspci -D "
              f"{med['lspci'] * 1000:.1f} ms")
        print(f"ratio lspci/sriovctl (wall): {med['lspci'] / med['sriovctl']:.2f} "
              f"(above 1: sriovctl is faster)")
        print(f"sriovctl list (table): {med['table'] * 1000:.1f} ms, ratio "
              f"lspci/sriovctl (wall): {med['lspci'] / med['table']:.2f}")

        if shutil.which("valgrind"):
            ir_ours = callgrind(ours, tmp)
            ir_table = callgrind(table, tmp)
            ir_peer = callgrind(peer, tmp)
            print(f"instructions (callgrind): sriovctl {ir_ours:,}, "
                  f"lspci {ir_peer:,}, ratio lspci/sriovctl "
                  f"{ir_peer / ir_ours:.2f}; list (table) {ir_table:,}, "
                  f"ratio {ir_peer / ir_table:.2f}")
        else:
            print("valgrind not installed: no instruction counts")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
