#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Benchmark: `sriovctl plan` against `sriovctl list --json` on the same tree.

Generates a host of 16 PFs x 256 VFs (sriov-hostgen; the last 8 VFs of each
PF on vfio-pci) and a policy that it already matches: every PF by netdev
with num_vfs, drivers_autoprobe and mtu, every VF's driver and VF netdev
MTU. `plan --detailed-exitcode` must exit 0 (nothing to do) and, under
strace, open nothing for writing. Then both commands run alternately after
a warm-up; prints median wall times, the ratio plan/list (the issue asks
for at most 2), and with valgrind the instruction counts (callgrind).
Usage: bench/plan-vs-list.py [--build DIR] [--runs N] [--keep DIR [--reuse]]
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchlib import callgrind, run_quiet  # noqa: E402
VFS, VFIO = 256, 8


def write_policy(root, path):
    """A policy the generated host already matches, one entry per PF."""
    net = os.path.join(root, "sys/class/net")
    pfs = sorted(n for n in os.listdir(net) if n.endswith(tuple("np%d" % i for i in range(2))))
    lines = ["pfs:"]
    for nd in pfs:
        lines += ["  - match: {netdev: %s}" % nd,
                  "    num_vfs: %d" % VFS,
                  "    drivers_autoprobe: true",
                  "    mtu: 1500",
                  "    vfs:",
                  '      "0-%d": {driver: iavf, mtu: 1500}' % (VFS - VFIO - 1),
                  '      "%d-%d": {driver: vfio-pci}' % (VFS - VFIO, VFS - 1)]
    with open(path, "w") as fh:
        fh.write("\n".join(lines) + "\n")
    return len(pfs)


def writes_under_strace(cmd, tmp):
    """The files the command opened for writing (strace -f), or None."""
    if not shutil.which("strace"):
        return None
    log = os.path.join(tmp, "strace.out")
    subprocess.run(["strace", "-f", "-qq", "-o", log, "-e",
                    "trace=open,openat,openat2,creat,truncate,rename,unlink,mkdir"] + cmd,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    bad = []
    with open(log) as fh:
        for line in fh:
            if re.search(r"O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|creat\(|truncate\(|"
                         r"rename\(|unlink\(|mkdir\(", line):
                bad.append(line.strip())
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(TOP, "build"))
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--keep", help="generate into (and keep) this directory")
    ap.add_argument("--reuse", action="store_true",
                    help="with --keep: use the tree already there")
    args = ap.parse_args()

    sriovctl = os.path.join(args.build, "cli", "sriovctl")
    if not os.access(sriovctl, os.X_OK):
        sys.exit(f"no {sriovctl}: build first (./dev.sh build)")

    tmp = tempfile.mkdtemp(prefix="sriovctl-bench-")
    root = args.keep or os.path.join(tmp, "host")
    try:
        cards = []
        for _ in range(8):
            cards += ["--card", f"e810:pfs=2,vfs={VFS},total={VFS},vfio={VFIO}"]
        if args.keep and os.path.exists(root):
            cards += ["--force"]
        if not (args.reuse and args.keep and os.path.exists(root)):
            subprocess.run([os.path.join(TOP, "tools/hostgen/sriov-hostgen"),
                            root] + cards + ["--numa-nodes", "2"], check=True,
                           stdout=subprocess.DEVNULL)
        policy = os.path.join(tmp, "policy.yaml")
        npf = write_policy(root, policy)
        plan = [sriovctl, "--root", root, "plan", "-f", policy, "--detailed-exitcode"]
        lst = [sriovctl, "--root", root, "list", "--json"]

        r = subprocess.run(plan, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"plan on a matching host exited {r.returncode}, not 0:\n"
                     f"{r.stdout[:2000]}{r.stderr[:2000]}")
        print(f"host: {npf} PFs x {VFS} VFs, policy of {npf} entries; "
              f"plan says: {r.stdout.strip().splitlines()[-1]}")
        bad = writes_under_strace(plan, tmp)
        if bad is None:
            print("strace not installed: writes not checked")
        elif bad:
            sys.exit("plan opened files for writing:\n" + "\n".join(bad[:20]))
        else:
            print("strace: plan opened nothing for writing")

        for _ in range(3):
            run_quiet(lst)
            run_quiet(plan, check=False)
        times = {"plan": [], "list": []}
        for _ in range(args.runs):  # alternate, so load hits both alike
            for name, cmd in (("plan", plan), ("list", lst)):
                t = time.perf_counter()
                run_quiet(cmd, check=False)
                times[name].append(time.perf_counter() - t)
        med = {k: statistics.median(v) for k, v in times.items()}
        print(f"median of {args.runs} runs: sriovctl plan {med['plan'] * 1000:.1f} ms, "
              f"sriovctl list --json {med['list'] * 1000:.1f} ms")
        print(f"ratio plan/list (wall): {med['plan'] / med['list']:.2f} "
              f"(the issue asks for at most 2)")
        if shutil.which("valgrind"):
            ir_plan = callgrind(plan[:-1], tmp)
            ir_list = callgrind(lst, tmp)
            print(f"instructions (callgrind): plan {ir_plan:,}, list {ir_list:,}, "
                  f"ratio plan/list {ir_plan / ir_list:.2f}")
        else:
            print("valgrind not installed: no instruction counts")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
