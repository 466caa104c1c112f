#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Write a C file defining `const char NAME[]` with the bytes of a text file:
the quirk table compiled into libsriov (lib/quirk/), so --root trees and the
tests read the same table as the installed program."""
import sys


def main():
    src, out, name = sys.argv[1:4]
    data = open(src, 'rb').read()
    if b'\0' in data:
        sys.exit(f'{src}: a NUL byte in a text file')
    lines = [f'/* Generated from {src.rsplit("/", 1)[-1]} by tools/embed-text.py: do not edit. */',
             f'extern const char {name}[];', f'const char {name}[] =']
    for line in data.decode('utf-8').splitlines(keepends=True):
        esc = ''.join(c if (' ' <= c <= '~' and c not in '"\\?') else
                      ('\\n' if c == '\n' else
                       '\\%03o' % ord(c) if ord(c) < 128 else c)
                      for c in line)
        lines.append(f'\t"{esc}"')
    if not data:
        lines.append('\t""')
    lines[-1] += ';'
    open(out, 'w', encoding='utf-8').write('\n'.join(lines) + '\n')


main()
