#!/usr/bin/env python3
"""sriov.h includes every header of sriov/ exactly once, and each header
includes only headers that come before it there: dependency order, no
circle. Usage: check_order.py INCLUDE_DIR"""
import os
import re
import sys

INC = re.compile(r'^#include ["<](sriov/\w+\.h)[">]', re.M)


def includes(path):
    with open(path, encoding='utf-8') as f:
        return INC.findall(f.read())


def main():
    top = sys.argv[1]
    order = includes(os.path.join(top, 'sriov.h'))
    present = sorted('sriov/' + n for n in os.listdir(os.path.join(top, 'sriov'))
                     if n.endswith('.h'))
    errors = []
    if sorted(order) != present or len(set(order)) != len(order):
        errors.append('sriov.h includes %s, sriov/ has %s' % (order, present))
    for i, h in enumerate(order):
        for dep in includes(os.path.join(top, h)):
            if dep not in order[:i]:
                errors.append('%s includes %s, which sriov.h does not include before it'
                              % (h, dep))
    for e in errors:
        print(e, file=sys.stderr)
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
