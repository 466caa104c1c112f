#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Benchmark: `sriovctl show PF` against `ip -d link show dev PF`, 128 VFs.

Boots the lab guest once (tests/lab/lab.py bench, strace in its initramfs)
with a netdevsim PF of 128 VFs (max_vfs raised in debugfs) and runs
`sriovctl show PF`, `sriovctl -s show PF` (with VF counters, which ip
always asks for) and `ip -d link show dev PF` alternately, ROUNDS rounds of
LOOPS runs each; prints the median time per run, the syscall counts
(strace -c -f) and the netlink requests (sendto/sendmsg), and the ratios
against ip. Times are under QEMU's TCG: compare ratios, not absolutes.
Needs root (the lab). Run it under the lab lock:
  flock /tmp/sriovctl-lab.lock bench/show-vs-ip.py [--build DIR]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOLS = ["sriovctl", "sriovctl-s", "ip"]
LABEL = {"sriovctl": "sriovctl show PF", "sriovctl-s": "sriovctl -s show PF",
         "ip": "ip -d link show dev PF"}


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


def strace_total(text):
    """(calls, {syscall: calls}) from strace -c's table."""
    per, total = {}, None
    for line in text.splitlines():
        f = line.split()
        if len(f) >= 5 and f[-1] == "total":
            total = int(f[3])
        elif len(f) >= 5 and re.match(r"^[\d.]+$", f[0]):
            per[f[-1]] = int(f[3])
    return total, per


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(TOP, "build"))
    ap.add_argument("--log", help="parse this serial log instead of booting")
    args = ap.parse_args()

    if args.log:
        text = open(args.log, errors="replace").read()
    else:
        if os.geteuid() != 0:
            sys.exit("show-vs-ip: the lab needs root")
        r = subprocess.run(
            [sys.executable, os.path.join(TOP, "tests/lab/lab.py"),
             "--results", os.path.join(args.build, "bench-results"), "bench",
             os.path.join(TOP, "bench/show-vs-ip.guest.sh"),
             "--sriovctl", os.path.join(args.build, "cli/sriovctl")],
            stdout=subprocess.PIPE, text=True, errors="replace")
        text = r.stdout
        if r.returncode != 0:
            sys.exit("show-vs-ip: the bench boot failed (see above)")
    s = sections(text)
    if "bench.times" not in s:
        sys.exit("show-vs-ip: no timings in the guest's output")
    print(f"guest: {s.get('bench.setup', '?')}, clock {s.get('bench.clock', '?')}")
    per = {t: [] for t in TOOLS}
    for line in s["bench.times"].splitlines():
        t, _, loops, a, b = line.split()
        per[t].append((float(b) - float(a)) / int(loops))
    med = {t: statistics.median(v) for t, v in per.items()}
    rounds = len(per["ip"])
    print(f"median time per run ({rounds} rounds):")
    for t in TOOLS:
        print(f"  {LABEL[t]:26s} {med[t] * 1000:8.1f} ms")
    calls = {}
    print("syscalls (strace -f -c) and netlink requests (sendto/sendmsg):")
    for t in TOOLS:
        total, byname = strace_total(s.get(f"bench.strace.{t}", ""))
        sends = s.get(f"bench.sends.{t}", "")
        nsend = len(re.findall(r"send(?:to|msg)\(", sends))
        dumps = len(re.findall(r"NLM_F_DUMP|0x300", sends))
        calls[t] = total
        top = ", ".join(f"{k} {v}" for k, v in sorted(
            byname.items(), key=lambda kv: -kv[1])[:4])
        print(f"  {LABEL[t]:26s} {total} calls ({top}); "
              f"{nsend} netlink request(s), {dumps} dump(s)")
    for t in ("sriovctl", "sriovctl-s"):
        print(f"ratio {LABEL[t]} / ip: time {med[t] / med['ip']:.2f}, "
              f"syscalls {calls[t] / calls['ip']:.2f}"
              if calls[t] and calls["ip"] else
              f"ratio {LABEL[t]} / ip: time {med[t] / med['ip']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
