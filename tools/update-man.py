#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The generated parts of docs/sriovctl.8, from sriovctl itself.

Between the lines
    .\\" BEGIN GENERATED PART
    .\\" END GENERATED PART
the man page holds what `sriovctl --dump-man PART` prints: the SYNOPSIS
from the CLI's help table (cli/help.c), the check ids from the library's
registry (lib/checks/registry.c). Every option the CLI knows
(`--dump-man options`) must be in the page.

    update-man.py SRIOVCTL MANPAGE           rewrite the parts
    update-man.py --check SRIOVCTL MANPAGE   exit 1 and say what differs
"""
import re
import subprocess
import sys

PART = re.compile(r'^\.\\" BEGIN GENERATED (\S+)\n(.*?)^\.\\" END GENERATED \1\n',
                  re.M | re.S)


def dump(sriovctl, part):
    return subprocess.run([sriovctl, "--dump-man", part], check=True,
                          capture_output=True, text=True).stdout


def main(argv):
    check = argv[:1] == ["--check"]
    if check:
        argv = argv[1:]
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    sriovctl, page = argv
    with open(page) as f:
        text = f.read()
    problems = []
    parts = 0

    def fill(m):
        nonlocal parts
        parts += 1
        want = dump(sriovctl, m.group(1))
        if m.group(2) != want:
            problems.append(f"{page}: the {m.group(1)} part differs from "
                            f"'sriovctl --dump-man {m.group(1)}'")
        return m.group(0)[:m.start(2) - m.start(0)] + want + \
            f'.\\" END GENERATED {m.group(1)}\n'

    new = PART.sub(fill, text)
    if parts == 0:
        problems.append(f"{page}: no generated part")
    for line in dump(sriovctl, "options").splitlines():
        verb, _, flags = line.split(None, 2)
        for o in re.findall(r"--[a-z-]+", flags):
            if o.replace("-", "\\-") not in text:
                problems.append(f"{page}: option {o} (of {verb}) is not "
                                "documented")
    if check:
        for p in problems:
            print(p, file=sys.stderr)
        return 1 if problems else 0
    with open(page, "w") as f:
        f.write(new)
    for p in problems:
        if "differs" not in p:
            print(p, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
