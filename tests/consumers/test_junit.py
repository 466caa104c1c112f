# SPDX-License-Identifier: MIT
"""`sriovctl audit --junit FILE` read by junitparser (Debian's
python3-junitparser, in junit_check.py under /usr/bin/python3), as CI
systems read JUnit XML: the suites, cases and counts it sees are the
audit's findings; deliberately broken variants of the same file are
rejected by it."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from common import hostgen, sriovctl

PY = "/usr/bin/python3"
CHECK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "junit_check.py")


def junitparser(*paths):
    p = subprocess.run([PY, CHECK, *paths], capture_output=True, text=True, timeout=60)
    if p.returncode != 0:   # no skip: the test cannot judge without it
        raise AssertionError(f"{PY} {CHECK} failed ({p.stderr.strip()}): install "
                             "python3-junitparser (./dev.sh deps); this test does not skip")
    return [json.loads(l) for l in p.stdout.splitlines()]


class JUnit(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="sriovctl-junit-")
        cls.root = os.path.join(cls.dir, "host")
        hostgen(cls.root, "e810:pfs=1,vfs=4,vfio=2,acs=off")
        cls.baseline = os.path.join(cls.dir, "b.yaml")
        with open(cls.baseline, "w") as f:
            f.write("exceptions:\n  - vfs: ens1f0np0/vf2\n    rules: [vf.iommu-group]\n"
                    "    reason: 'R&D <lab> box \"7\"'\n")
        cls.xml = os.path.join(cls.dir, "audit.xml")
        cls.rep = sriovctl("audit", "--json", "--baseline", cls.baseline, "--junit", cls.xml,
                           root=cls.root, check=1).json()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_read_as_ci_does(self):
        (x,) = junitparser(self.xml)
        self.assertNotIn("error", x)
        s = self.rep["summary"]
        self.assertEqual(x["tests"], len(self.rep["findings"]))
        self.assertEqual(x["failures"], s["fail"])
        self.assertEqual(x["skipped"], s["skip"] + s["excepted"])
        self.assertEqual(x["errors"], 0)
        cases = {}
        for suite in x["suites"]:
            self.assertEqual(suite["tests"], len(suite["cases"]))
            for case in suite["cases"]:
                self.assertEqual(case["classname"], f"sriovctl.audit.{suite['name']}")
                cases[(suite["name"], case["name"])] = case
        self.assertEqual(len(cases), len(self.rep["findings"]))
        for f in self.rep["findings"]:
            case = cases[(f["rule"], f["device"])]
            if f["status"] == "pass":
                self.assertTrue(case["passed"])
            elif f["status"] == "fail":
                (res,) = case["results"]
                self.assertEqual(res["kind"], "Failure")
                self.assertEqual(res["type"], f["rule"])
                self.assertEqual(res["message"], f"expected {f['expected']}, found {f['actual']}")
                self.assertIn(f"fix: {f['fix']}", res["text"])
            else:
                self.assertTrue(case["skipped"])
        self.assertTrue(s["fail"] and s["excepted"] and s["pass"])
        ex = cases[("vf.iommu-group", "ens1f0np0/vf2")]["results"][0]
        self.assertEqual(ex["message"], f"excepted at {self.baseline}:2:5: R&D <lab> box \"7\"")

    def test_broken_variants_rejected(self):
        with open(self.xml) as f:
            text = f.read()
        paths = []
        for i, broken in enumerate((text.replace("testsuites", "testsuitez"),
                                    text.replace("R&amp;D", "R&D", 1),
                                    text[:len(text) // 2])):
            self.assertNotEqual(broken, text)
            paths.append(os.path.join(self.dir, f"bad{i}.xml"))
            with open(paths[-1], "w") as f:
                f.write(broken)
        for r in junitparser(*paths):
            self.assertIn("error", r)


if __name__ == "__main__":
    unittest.main()
