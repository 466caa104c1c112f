# SPDX-License-Identifier: MIT
"""What the benchmark scripts share: quiet runs and callgrind counts."""
import os
import re
import subprocess


def run_quiet(cmd, check=True):
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=check)


def callgrind(cmd, tmp):
    """Instructions @cmd runs (valgrind --tool=callgrind), or None."""
    out = os.path.join(tmp, "cg.out")
    subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out]
                   + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)
    with open(out) as f:
        for line in f:
            m = re.match(r"summary:\s+(\d+)", line) or re.match(r"totals:\s+(\d+)", line)
            if m:
                return int(m.group(1))
    return None
