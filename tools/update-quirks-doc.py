#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The generated table of docs/quirks.md, from data/quirks.yaml.

Between the lines
    <!-- BEGIN GENERATED QUIRKS -->
    <!-- END GENERATED QUIRKS -->
docs/quirks.md holds one row per entry of the table: id, match, effects,
summary, source. Run with Debian's python3 (python3-yaml).

    update-quirks-doc.py QUIRKS.yaml DOC.md           rewrite the table
    update-quirks-doc.py --check QUIRKS.yaml DOC.md   exit 1 when it differs
"""
import re
import sys

import yaml

PART = re.compile(r'(<!-- BEGIN GENERATED QUIRKS -->\n)(.*?)(<!-- END GENERATED QUIRKS -->\n)',
                  re.S)


def cell(s):
    return str(s).replace('|', '\\|').replace('\n', ' ')


def effects(e):
    out = []
    for k, v in e.items():
        if k == 'refuses':
            out.append('refuses ' + ', '.join('`%s` (%s)' % (r['attr'], r['errno']) for r in v))
        elif k == 'trust_for':
            out.append('trust for ' + ', '.join(v))
        elif v is True:
            out.append('`%s`' % k)
        else:
            out.append('`%s`: %s' % (k, v))
    return '; '.join(out)


def match(m):
    out = []
    if 'vendor' in m:
        dev = m.get('device')
        if isinstance(dev, list):
            dev = ','.join(str(d) for d in dev)
        out.append('%s:%s' % (m['vendor'], dev) if dev else '%s:*' % m['vendor'])
    if 'driver' in m:
        out.append('driver `%s`' % m['driver'])
    return ', '.join(out)


def table(path):
    with open(path, encoding='utf-8') as f:
        data = yaml.safe_load(f)
    rows = ['| id | applies to | effects | summary | source |',
            '| --- | --- | --- | --- | --- |']
    for q in data['quirks']:
        rows.append('| `%s` | %s | %s | %s | %s |' % (
            q['id'], cell(match(q['match'])), cell(effects(q['effects'])),
            cell(q['summary']), cell(q['source'])))
    return '\n'.join(rows) + '\n'


def main(argv):
    check = argv[:1] == ['--check']
    if check:
        argv = argv[1:]
    if len(argv) != 2:
        sys.exit(__doc__)
    src, doc = argv
    with open(doc, encoding='utf-8') as f:
        text = f.read()
    m = PART.search(text)
    if not m:
        sys.exit('%s: no generated quirks table' % doc)
    new = text[:m.start(2)] + table(src) + text[m.end(2):]
    if check:
        if new != text:
            print('%s: the quirks table differs from %s; run tools/update-quirks-doc.py %s %s'
                  % (doc, src, src, doc))
            return 1
        return 0
    if new != text:
        with open(doc, 'w', encoding='utf-8') as f:
            f.write(new)
    return 0


sys.exit(main(sys.argv[1:]))
