# SPDX-License-Identifier: MIT
"""data/prometheus/sriovctl-alerts.yml judged by promtool (Debian's
prometheus 2.42): `check rules` accepts it and rejects a broken copy;
`test rules` (tests/exporter/alerts-test.yml) shows each alert firing on
the series it is for, after its `for`, and a rule changed to the wrong
label value failing that test."""
import os
import subprocess
import tempfile
import unittest

from exporter_common import PROMTOOL

SRC = os.environ["SOURCE_ROOT"]
RULES = os.path.join(SRC, "data/prometheus/sriovctl-alerts.yml")
TESTS = os.path.join(SRC, "tests/exporter/alerts-test.yml")


def promtool(*args):
    p = subprocess.run([PROMTOOL, *args], capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout + p.stderr


class Rules(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="sriovctl-alerts-")
        with open(RULES) as f:
            self.text = f.read()

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        p = os.path.join(self.tmp.name, name)
        with open(p, "w") as f:
            f.write(text)
        return p

    def unit_test(self, rules):
        with open(TESTS) as f:
            t = f.read().replace("@RULES@", rules)
        return promtool("test", "rules", self.write("test.yml", t))

    def test_check_rules(self):
        rc, out = promtool("check", "rules", RULES)
        self.assertEqual(rc, 0, out)
        self.assertIn("SUCCESS: 10 rules found", out)
        bad = self.write("bad.yml", self.text.replace(
            'expr: sriov_pf_netdev_up == 0', 'expr: sriov_pf_netdev_up == (0'))
        rc, out = promtool("check", "rules", bad)
        self.assertEqual(rc, 1, out)
        self.assertIn("parse error", out)

    def test_alerts_fire(self):
        rc, out = self.unit_test(RULES)
        self.assertEqual(rc, 0, out)
        self.assertIn("SUCCESS", out)
        # the test has teeth: spoof checking "on" instead of "off" fails it
        wrong = self.write("wrong.yml", self.text.replace(
            'sriov_vf_info{spoof_check="off"}', 'sriov_vf_info{spoof_check="on"}'))
        rc, out = self.unit_test(wrong)
        self.assertEqual(rc, 1, out)
        self.assertIn("SriovVfSpoofCheckOff", out)


if __name__ == "__main__":
    unittest.main()
