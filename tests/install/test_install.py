# SPDX-License-Identifier: MIT
"""meson install: the binary, the man page, the systemd units and the udev
rule land where systemd and udev read them, with the paths filled in."""
import os
import re
import shutil
import subprocess
import unittest

from common import Installed

# systemd.unit(5): the system unit search path; udev(7): the rules dirs.
UNIT_PATH = ["/etc/systemd/system", "/run/systemd/system",
             "/usr/local/lib/systemd/system", "/usr/lib/systemd/system",
             "/lib/systemd/system"]
RULES_PATH = ["/etc/udev/rules.d", "/run/udev/rules.d",
              "/usr/local/lib/udev/rules.d", "/usr/lib/udev/rules.d",
              "/lib/udev/rules.d"]


def pkg_config_var(pkg, var):
    if not shutil.which("pkg-config"):
        return None
    p = subprocess.run(["pkg-config", "--variable=" + var, pkg],
                       capture_output=True, text=True)
    return p.stdout.strip() or None if p.returncode == 0 else None


def directive(text, key):
    """The values of `key=` lines of a unit file, in order."""
    return [m.group(1) for m in re.finditer(r"^%s=(.*)$" % re.escape(key), text, re.M)]


class Layout(Installed):
    def one(self, name):
        hits = self.find(name)
        self.assertEqual(len(hits), 1, "%s installed at %s" % (name, hits))
        return hits[0]

    def test_binary_and_man_page(self):
        exe = self.dest(os.path.join(self.bindir, "sriovctl"))
        self.assertTrue(os.access(exe, os.X_OK), exe)
        p = subprocess.run([exe, "--version"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        man = os.path.join(self.prefix, self.opts["mandir"], "man8/sriovctl.8")
        self.assertTrue(os.path.isfile(self.dest(man)), man)
        exe = self.dest(os.path.join(self.bindir, "sriovctl-exporter"))
        p = subprocess.run([exe, "--version"], capture_output=True, text=True)
        self.assertEqual((p.returncode, p.stdout.split()[0]), (0, "sriovctl-exporter"), p.stderr)
        man = os.path.join(self.prefix, self.opts["mandir"], "man8/sriovctl-exporter.8")
        self.assertTrue(os.path.isfile(self.dest(man)), man)

    def test_cni_plugin(self):
        """The CNI plugin under LIBEXECDIR/cni, named as sriov-cni's binary
        (docs/cni.md: copied into the CNI bin dir from there)."""
        exe = self.dest(os.path.join(self.prefix, self.opts["libexecdir"],
                                     "cni", "sriov"))
        self.assertTrue(os.access(exe, os.X_OK), exe)
        p = subprocess.run([exe], input='{"cniVersion":"1.1.0"}',
                           env={"CNI_COMMAND": "VERSION"},
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn('"1.1.0"', p.stdout)

    def test_units_in_systemd_search_path(self):
        for name in ("sriovctl-apply.service", "sriovctl-apply@.service",
                     "sriovctl-exporter.service"):
            path = self.one(name)
            unitdir = os.path.dirname(path)
            self.assertIn(unitdir, UNIT_PATH)
            want = (self.opts["systemdsystemunitdir"]
                    or pkg_config_var("systemd", "systemdsystemunitdir")
                    or os.path.join(self.prefix, "lib/systemd/system"))
            self.assertEqual(unitdir, want)

    def test_udev_rule_in_udev_rules_dirs(self):
        path = self.one("90-sriovctl.rules")
        rulesdir = os.path.dirname(path)
        self.assertIn(rulesdir, RULES_PATH)
        udevdir = pkg_config_var("udev", "udevdir")
        want = (self.opts["udevrulesdir"]
                or (udevdir and udevdir + "/rules.d")
                or os.path.join(self.prefix, "lib/udev/rules.d"))
        self.assertEqual(rulesdir, want)

    def test_paths_substituted(self):
        sriovctl = os.path.join(self.bindir, "sriovctl")
        main = self.read(self.one("sriovctl-apply.service"))
        tmpl = self.read(self.one("sriovctl-apply@.service"))
        exporter = self.read(self.one("sriovctl-exporter.service"))
        self.assertEqual(directive(exporter, "ExecStart"),
                         [sriovctl + "-exporter $ARGS"])
        rule = self.read(self.one("90-sriovctl.rules"))
        for text in (main, tmpl, rule):
            self.assertIsNone(re.search(r"@\w+@", text), "unsubstituted:\n" + text)
        self.assertEqual(directive(main, "ExecStart"), [sriovctl + " apply --boot"])
        self.assertEqual(directive(tmpl, "ExecStart"), [sriovctl + " apply --pf %I"])
        # systemctl as the target runs it: an absolute path to a real program
        cond = directive(tmpl, "ExecCondition")
        self.assertEqual(len(cond), 1)
        systemctl = cond[0].split()[0]
        self.assertTrue(os.path.isabs(systemctl))
        runs = re.findall(r'RUN\+="([^"]*)"', rule)
        self.assertEqual(runs, [systemctl + " --no-block start sriovctl-apply@$kernel.service"])
        if shutil.which("systemctl"):
            self.assertTrue(os.access(systemctl, os.X_OK), systemctl)

    def test_unit_ordering(self):
        main = self.read(self.one("sriovctl-apply.service"))
        after = " ".join(directive(main, "After")).split()
        before = " ".join(directive(main, "Before")).split()
        self.assertEqual(directive(main, "DefaultDependencies"), ["no"])
        self.assertIn("network-pre.target", before)
        self.assertIn("network-pre.target", directive(main, "Wants"))
        for u in ("systemd-modules-load.service", "systemd-udev-trigger.service",
                  "local-fs.target"):
            self.assertIn(u, after)
        self.assertNotIn("systemd-udev-settle.service", after + directive(main, "Wants"))
        self.assertEqual(directive(main, "Type"), ["oneshot"])
        self.assertEqual(directive(main, "RemainAfterExit"), ["yes"])
        self.assertEqual(directive(main, "WantedBy"), ["multi-user.target"])
        for text in (main, self.read(self.one("sriovctl-apply@.service"))):
            self.assertEqual(directive(text, "ConditionPathExists"),
                             ["|/etc/sriovctl/sriovctl.yaml"])
            self.assertEqual(directive(text, "ConditionPathExistsGlob"),
                             ["|/etc/sriovctl/conf.d/*.yaml"])
        tmpl = self.read(self.one("sriovctl-apply@.service"))
        self.assertIn("sriovctl-apply.service", " ".join(directive(tmpl, "After")).split())
        # re-startable on every bind: no RemainAfterExit
        self.assertEqual(directive(tmpl, "RemainAfterExit"), [])

    def test_udev_rule_matches_pf_binds_only(self):
        rule = self.read(self.one("90-sriovctl.rules"))
        lines = [l for l in rule.splitlines() if l.strip() and not l.startswith("#")]
        self.assertEqual(len(lines), 1)
        keys = [k.strip() for k in lines[0].split(", ")]
        self.assertEqual(keys[:3], ['ACTION=="bind"', 'SUBSYSTEM=="pci"',
                                    'ATTR{sriov_totalvfs}=="?*"'])


if __name__ == "__main__":
    unittest.main()
