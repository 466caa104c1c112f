# SPDX-License-Identifier: MIT
"""Run by test_junit.py with Debian's /usr/bin/python3 (python3-junitparser):
junitparser reads each JUnit file named on the command line, as CI tools
do, and says what it made of it, or the exception it raised: one JSON
object per file on stdout, in order."""
import json
import sys

import junitparser


def read(path):
    try:
        x = junitparser.JUnitXml.fromfile(path)
    except Exception as e:   # what junitparser refuses is the answer
        return {"error": f"{type(e).__name__}: {e}"}
    suites = []
    for s in x:
        cases = []
        for c in s:
            cases.append({"classname": c.classname, "name": c.name,
                          "passed": c.is_passed, "skipped": c.is_skipped,
                          "results": [{"kind": type(r).__name__, "message": r.message,
                                       "type": r.type, "text": r.text} for r in c.result]})
        suites.append({"name": s.name, "tests": s.tests, "failures": s.failures,
                       "skipped": s.skipped, "errors": s.errors, "cases": cases})
    return {"tests": x.tests, "failures": x.failures, "skipped": x.skipped,
            "errors": x.errors, "suites": suites}


for p in sys.argv[1:]:
    print(json.dumps(read(p)))
