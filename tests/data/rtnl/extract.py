#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Re-make the recorded RTM_NEWLINK replies from a lab boot D serial log.

The lab's guest/scale.sh runs `ip -d link show dev NETDEV` under
`strace -e read=all` for netdevsim8 with 4 VFs (attributes set as it says)
and prints it as section scale.record. This keeps the two replies ip got:
the name lookup (RTEXT_FILTER_SKIP_STATS, what sriovctl asks by default)
and the listing with the VF counters.
Usage: extract.py build/tests/lab/results/boot-D.serial.log
"""
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main():
    text = Path(sys.argv[1]).read_text(errors="replace").replace("\r", "")
    sec = text.split("@@BEGIN scale.record", 1)[1].split("@@END scale.record", 1)[0]
    bufs, cur = [], None
    for line in sec.splitlines():
        if re.match(r" \* \d+ bytes in buffer", line):
            cur = []
            bufs.append(cur)
        elif line.startswith(" | ") and cur is not None:
            cur += line[10:58].split()
    replies = [b for b in bufs if len(b) > 16 and b[4:6] == ["10", "00"]]
    names = ["netdevsim-4vf", "netdevsim-4vf-stats"]
    for name, b in zip(names, replies):
        with open(HERE / f"{name}.hex", "w") as f:
            f.write(f"# {name}: an RTM_NEWLINK the 6.1 kernel sent for netdevsim8 with 4 VFs\n"
                    "# (lab boot D, guest/scale.sh; tests/data/rtnl/extract.py)\n")
            for i in range(0, len(b), 16):
                f.write(" ".join(b[i:i + 16]) + "\n")
        print(f"{name}.hex: {len(b)} bytes")
    return 0 if len(replies) == 2 else 1


if __name__ == "__main__":
    sys.exit(main())
