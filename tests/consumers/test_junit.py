# SPDX-License-Identifier: MIT
"""`sriovctl audit --junit FILE` read by junitparser (Debian's
python3-junitparser), as CI systems read JUnit XML: the suites, cases and
counts it sees are the audit's findings; deliberately broken variants of
the same file are rejected by it."""
import os
import shutil
import tempfile
import unittest

from common import hostgen, sriovctl

try:
    import junitparser
except ImportError as e:   # no skip: the test cannot judge without it
    raise AssertionError(
        f"{e}: install python3-junitparser and run with /usr/bin/python3 "
        "(./dev.sh deps installs it); this test does not skip")


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
        x = junitparser.JUnitXml.fromfile(self.xml)
        s = self.rep["summary"]
        self.assertEqual(x.tests, len(self.rep["findings"]))
        self.assertEqual(x.failures, s["fail"])
        self.assertEqual(x.skipped, s["skip"] + s["excepted"])
        self.assertEqual(x.errors, 0)
        cases = {}
        for suite in x:
            self.assertEqual(suite.tests, len(list(suite)))
            for case in suite:
                self.assertEqual(case.classname, f"sriovctl.audit.{suite.name}")
                cases[(suite.name, case.name)] = case
        self.assertEqual(len(cases), len(self.rep["findings"]))
        for f in self.rep["findings"]:
            case = cases[(f["rule"], f["device"])]
            if f["status"] == "pass":
                self.assertTrue(case.is_passed)
            elif f["status"] == "fail":
                (res,) = case.result
                self.assertIsInstance(res, junitparser.Failure)
                self.assertEqual(res.type, f["rule"])
                self.assertEqual(res.message, f"expected {f['expected']}, found {f['actual']}")
                self.assertIn(f"fix: {f['fix']}", res.text)
            else:
                self.assertTrue(case.is_skipped)
        ex = cases[("vf.iommu-group", "ens1f0np0/vf2")].result[0]
        self.assertEqual(ex.message, f"excepted at {self.baseline}:2:5: R&D <lab> box \"7\"")

    def test_broken_variants_rejected(self):
        with open(self.xml) as f:
            text = f.read()
        bad = os.path.join(self.dir, "bad.xml")
        for broken in (text.replace("testsuites", "testsuitez"),
                       text.replace("R&amp;D", "R&D", 1),
                       text[:len(text) // 2]):
            self.assertNotEqual(broken, text)
            with open(bad, "w") as f:
                f.write(broken)
            with self.assertRaises(Exception):
                junitparser.JUnitXml.fromfile(bad)


if __name__ == "__main__":
    unittest.main()
