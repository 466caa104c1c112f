# SPDX-License-Identifier: MIT
"""sriovctl audit on generated hosts: which VFs are handed out (vfio-pci, a
process holding the VF's vfio group, a netdev gone to another namespace),
each rule a tree can show passing and failing, exceptions, the baseline's
errors with their positions, the JSON and JUnit outputs and the exit
codes. (The rules read from the PF's netlink view pass and fail in
tests/unit/test_audit.c and the lab: a tree has no netlink view.)"""
import json
import os
import re
import xml.etree.ElementTree as ET

from common import SOURCE, TreeTest, hostgen, sriovctl

NO_LINK = "no netlink view of the PF's VFs (not the live host)"
LINK_RULES = ["vf.spoofchk", "vf.trust", "vf.vlan", "vf.mac"]


class Audit(TreeTest):
    def host(self, *cards, **opts):
        self.root = self.path("host")
        self.man = hostgen(self.root, *cards, **opts)
        return self.man

    def write(self, name, text):
        path = self.path(name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def audit(self, *args, check=0):
        return sriovctl("audit", *args, root=self.root, check=check)

    def report(self, *args, check=0):
        return self.audit("--json", *args, check=check).json()

    def find(self, rep, rule, device):
        got = [f for f in rep["findings"] if f["rule"] == rule and f["device"] == device]
        self.assertEqual(len(got), 1, (rule, device, rep["findings"]))
        return got[0]

    def pf_vf(self, pf, i):
        return self.man["pfs"][pf]["vfs"][i]

    def test_clean_host(self):
        """Two guest VFs in groups of their own, IOMMU on: exit 0; the
        netlink rules are skips that say why, never passes."""
        self.host("e810:pfs=1,vfs=4,vfio=2")
        rep = self.report()
        self.assertEqual(rep["schema"], "sriovctl.audit/v1")
        self.assertEqual(rep["vfs_handed"], 2)
        self.assertEqual(rep["summary"], {"pass": 3, "skip": 9, "excepted": 0, "fail": 0})
        for i in (2, 3):
            dev = f"ens1f0np0/vf{i}"
            for rule in LINK_RULES:
                f = self.find(rep, rule, dev)
                self.assertEqual((f["status"], f["actual"], f["fix"]), ("skip", NO_LINK, None))
                self.assertEqual(f["consumer"], "guest")
                self.assertEqual(f["address"], self.pf_vf(0, i)["address"])
            g = self.find(rep, "vf.iommu-group", dev)
            self.assertEqual(g["status"], "pass")
            self.assertEqual(g["actual"],
                             f"IOMMU group {self.pf_vf(0, i)['iommu_group']}: 1 device, "
                             "none host-driven")
        # the host's own VFs (iavf, netdev here) are not handed out
        self.assertFalse([f for f in rep["findings"]
                          if f["device"] in ("ens1f0np0/vf0", "ens1f0np0/vf1")])
        self.assertEqual(self.find(rep, "vf.policy-pf", "host")["actual"],
                         "no host policy (/etc/sriovctl/sriovctl.yaml, conf.d/*.yaml)")
        f = self.find(rep, "host.iommu", "host")
        self.assertEqual((f["status"], f["consumer"], f["fix"]), ("pass", "host", None))
        # rule order as the table has it
        order = [r["id"] for r in sriovctl("audit", "--list-rules", "--json").json()["rules"]]
        seen = [order.index(f["rule"]) for f in rep["findings"]]
        self.assertEqual(seen, sorted(seen))
        out = self.audit().out.splitlines()
        self.assertEqual(out, [
            f"skipped: 8 findings: {NO_LINK}",
            "skipped: 1 finding: no host policy (/etc/sriovctl/sriovctl.yaml, conf.d/*.yaml)",
            "2 VFs handed to a guest or pod: 0 fail, 0 excepted, 9 skip, 3 pass"])
        every = self.audit("--all").out.splitlines()
        self.assertEqual(every[0].split(), ["STATUS", "RULE", "DEVICE", "HOLDER",
                                            "EXPECTED", "ACTUAL", "FIX"])
        self.assertEqual(len(every), 1 + 12 + 1)

    def test_no_vf_handed_out(self):
        self.host("e810:pfs=1,vfs=2")
        rep = self.report()
        self.assertEqual(rep["vfs_handed"], 0)
        self.assertEqual([f["rule"] for f in rep["findings"]], ["host.iommu"])

    def test_no_sriov(self):
        """A host without SR-IOV PFs: nothing to audit, not even the IOMMU."""
        self.host(iommu="off")
        rep = self.report()
        self.assertEqual((rep["vfs_handed"], rep["findings"]), (0, []))

    def test_group_shared_with_host_devices(self):
        """acs=off: the guest's VF shares a group with the ice PF and the
        host's iavf VFs: a violation, exit 1, the fix binds the group."""
        self.host("e810:pfs=1,vfs=3,vfio=1,acs=off")
        rep = self.report(check=1)
        f = self.find(rep, "vf.iommu-group", "ens1f0np0/vf2")
        pf = self.man["pfs"][0]
        self.assertEqual(f["status"], "fail")
        self.assertEqual(f["expected"], "no host-driven device in its IOMMU group")
        self.assertEqual(f["actual"],
                         f"IOMMU group {pf['vfs'][2]['iommu_group']} shared with "
                         f"{pf['address']} (ice), {pf['vfs'][0]['address']} (iavf), "
                         f"{pf['vfs'][1]['address']} (iavf)")
        self.assertEqual(f["fix"], "sriovctl vf ens1f0np0/vf2 bind vfio-pci --group")
        self.assertEqual(rep["summary"]["fail"], 1)
        r = self.audit(check=1)
        row = [l for l in r.out.splitlines() if l.startswith("fail")]
        self.assertEqual(len(row), 1)
        self.assertEqual(row[0].split()[:4], ["fail", "vf.iommu-group", "ens1f0np0/vf2", "guest"])
        self.assertTrue(row[0].endswith("sriovctl vf ens1f0np0/vf2 bind vfio-pci --group"))
        # an exception with its reason turns it into "excepted": exit 0
        b = self.write("b.yaml", "exceptions:\n"
                       "  - vfs: ens1f0np0/vf2\n"
                       "    rules: [vf.iommu-group]\n"
                       "    reason: lab box, no ACS on this slot (ticket 42)\n")
        rep = self.report("--baseline", b)
        f = self.find(rep, "vf.iommu-group", "ens1f0np0/vf2")
        self.assertEqual(f["status"], "excepted")
        self.assertEqual(f["exception"], {"reason": "lab box, no ACS on this slot (ticket 42)",
                                          "at": f"{b}:2:5"})
        self.assertIsNone(f["fix"])
        r = self.audit("--baseline", b)
        self.assertIn(f"excepted at {b}:2:5: lab box, no ACS on this slot (ticket 42)", r.out)
        # an exception for another rule, or another VF, does not excuse it
        for vfs, rules in (("ens1f0np0/vf2", "[vf.trust]"), ("ens1f0np0/vf0-1", "[vf.iommu-group]")):
            b2 = self.write("b2.yaml", f"exceptions:\n  - vfs: {vfs}\n    rules: {rules}\n"
                            "    reason: x\n")
            self.assertEqual(self.find(self.report("--baseline", b2, check=1), "vf.iommu-group",
                                       "ens1f0np0/vf2")["status"], "fail")
        # the PF names all its VFs
        b3 = self.write("b3.yaml", "exceptions:\n  - vfs: ens1f0np0\n"
                        "    rules: [vf.iommu-group]\n    reason: x\n")
        self.report("--baseline", b3, check=0)
        # the rule turned off: no finding at all
        b4 = self.write("b4.yaml", "rules:\n  vf.iommu-group: false\n")
        rep = self.report("--baseline", b4)
        self.assertFalse([f for f in rep["findings"] if f["rule"] == "vf.iommu-group"])

    def test_iommu_off(self):
        self.host("e810:pfs=1,vfs=2,vfio=1", iommu="off", os="debian")
        rep = self.report(check=1)
        f = self.find(rep, "host.iommu", "host")
        self.assertEqual((f["status"], f["actual"]), ("fail", "no IOMMU groups"))
        self.assertEqual(f["fix"], 'in /etc/default/grub set GRUB_CMDLINE_LINUX="... '
                         'intel_iommu=on iommu=pt" (keep the parameters already there), '
                         "then run update-grub and reboot")
        g = self.find(rep, "vf.iommu-group", "ens1f0np0/vf1")
        self.assertEqual((g["status"], g["actual"]), ("skip", "the VF has no IOMMU group"))
        b = self.write("b.yaml", "rules: {host.iommu: false}\n")
        rep = self.report("--baseline", b, check=0)
        self.assertFalse([f for f in rep["findings"] if f["rule"] == "host.iommu"])

    def test_policy_pf(self):
        """With a policy, VFs are handed out only from the PFs it names."""
        self.host("e810:pfs=2,vfs=2,vfio=1")
        pol = os.path.join(self.root, "etc/sriovctl/sriovctl.yaml")
        os.makedirs(os.path.dirname(pol))
        with open(pol, "w") as f:
            f.write("pfs:\n  - match: {netdev: ens1f0np0}\n    num_vfs: 2\n")
        rep = self.report(check=1)
        ok = self.find(rep, "vf.policy-pf", "ens1f0np0/vf1")
        self.assertEqual((ok["status"], ok["actual"]), ("pass", "ens1f0np0 is in the policy"))
        bad = self.find(rep, "vf.policy-pf", "ens1f1np1/vf1")
        self.assertEqual((bad["status"], bad["actual"]),
                         ("fail", "ens1f1np1 is in no entry of the policy"))
        self.assertEqual(bad["fix"], "sriovctl vf ens1f1np1/vf1 bind --kernel")
        self.assertEqual(rep["summary"]["fail"], 1)
        # named by its PCI address, the PF is in the policy too
        with open(pol, "w") as f:
            f.write("pfs:\n  - match: {netdev: ens1f0np0}\n"
                    f"  - match: {{pci: \"{self.man['pfs'][1]['address']}\"}}\n")
        self.report(check=0)
        # a policy with errors cannot tell: one skip that says so
        with open(pol, "w") as f:
            f.write("pfs: 3\n")
        rep = self.report(check=0)
        f = self.find(rep, "vf.policy-pf", "host")
        self.assertEqual((f["status"], f["actual"]),
                         ("skip", "the host policy has 1 error: sriovctl policy check"))

    def fake_process(self, pid, comm, target):
        fd = os.path.join(self.root, "proc", str(pid), "fd")
        os.makedirs(fd)
        with open(os.path.join(self.root, "proc", str(pid), "comm"), "w") as f:
            f.write(comm + "\n")
        os.symlink("/dev/null", os.path.join(fd, "0"))
        os.symlink(target, os.path.join(fd, "9"))

    def test_holders(self):
        """The finding names who holds the VF: a process with its vfio
        group open (a guest even while on the VF driver, as libvirt's
        managed mode has it between binds), a netdev in a pod's namespace."""
        self.host("e810:pfs=1,vfs=3,vfio=1")
        vf2 = self.pf_vf(0, 2)
        self.fake_process(4242, "qemu-system-x86", f"/dev/vfio/{vf2['iommu_group']}")
        # vf1 (iavf): its netdev moved to another network namespace
        vf1 = self.pf_vf(0, 1)
        dev = os.path.join(self.root, "sys/bus/pci/devices", vf1["address"])
        os.rename(os.path.join(dev, "net", vf1["netdev"]), self.path("moved"))
        os.remove(os.path.join(self.root, "sys/class/net", vf1["netdev"]))
        rep = self.report()
        self.assertEqual(rep["vfs_handed"], 2)
        g = self.find(rep, "vf.spoofchk", "ens1f0np0/vf2")
        self.assertEqual(g["consumer"], "guest")
        self.assertEqual(g["holder"], {
            "description": f"pid 4242 (qemu-system-x86) has /dev/vfio/{vf2['iommu_group']} open",
            "pid": 4242})
        p = self.find(rep, "vf.spoofchk", "ens1f0np0/vf1")
        self.assertEqual(p["consumer"], "pod")
        self.assertEqual(p["holder"], {
            "description": "its netdev is in another network namespace (driver iavf)",
            "pid": None})
        # a pod's VF: no MAC rule (for guests) nor group rule (for vfio)
        self.assertFalse([f for f in rep["findings"] if f["device"] == "ens1f0np0/vf1"
                          and f["rule"] in ("vf.mac", "vf.iommu-group")])
        self.assertFalse([f for f in rep["findings"] if f["device"] == "ens1f0np0/vf0"])
        row = [l for l in self.audit("--all").out.splitlines()
               if "vf.trust" in l and "ens1f0np0/vf2" in l]
        self.assertIn("pid 4242 (qemu-system-x86) has /dev/vfio/", row[0])
        # a comm with control characters is escaped in the table
        with open(os.path.join(self.root, "proc/4242/comm"), "w") as f:
            f.write("qemu\x1b[31m\n")
        out = self.audit("--all").out
        self.assertNotIn("\x1b", out)
        self.assertIn("qemu\\x1b[31m", out)

    def test_rate_caps(self):
        """vf.rate is off without caps; with them, every handed-out VF is
        audited (a skip on a tree)."""
        self.host("e810:pfs=1,vfs=2,vfio=1")
        self.assertFalse([f for f in self.report()["findings"] if f["rule"] == "vf.rate"])
        b = self.write("b.yaml", "rules:\n  vf.rate: {max_tx_rate: 10000}\n")
        f = self.find(self.report("--baseline", b), "vf.rate", "ens1f0np0/vf1")
        self.assertEqual((f["status"], f["expected"], f["actual"]),
                         ("skip", "max_tx_rate 1..10000 Mb/s", NO_LINK))

    def test_devices(self):
        self.host("e810:pfs=2,vfs=3,vfio=2")
        rep = self.report("ens1f1np1/vf2")
        self.assertEqual(rep["vfs_handed"], 1)
        self.assertEqual({f["device"] for f in rep["findings"]}, {"ens1f1np1/vf2", "host"})
        rep = self.report("ens1f0np0", self.pf_vf(1, 1)["address"])
        self.assertEqual(rep["vfs_handed"], 3)
        # a host VF named: audited only when handed out
        self.assertEqual(self.report("ens1f0np0/vf0")["vfs_handed"], 0)
        # a name this host lacks: 1 (as every command); one no host has: 2
        for name, want, rc in (("nope0", "nope0: no such SR-IOV device", 1),
                               ("ens1f0np0/vf9", "ens1f0np0/vf9: no such VF", 1),
                               ("ens1f0np0/vf2-1", "not a device name", 2)):
            r = self.audit(name, check=rc)
            self.assertEqual(r.out, "")
            self.assertIn(want, r.err)
            self.assertEqual(r.err.count("\n"), 1, r.err)

    def bad(self, text, *want):
        b = self.write("bad.yaml", text)
        r = self.audit("--baseline", b, check=2)
        self.assertEqual(r.out, "")
        lines = r.err.splitlines()
        self.assertEqual(lines[:-1], [f"{b}:{w}" for w in want])
        n = len(want)
        self.assertEqual(lines[-1], f"sriovctl: audit: the baseline has {n} error"
                         f"{'' if n == 1 else 's'}; fix {'it' if n == 1 else 'them'} "
                         "and run 'sriovctl audit' again")

    def test_baseline_errors(self):
        self.host("e810:pfs=1,vfs=2,vfio=1")
        self.bad("rule:\n  vf.trust: true\n",
                 '1:1: unknown top-level key "rule" (known: rules, exceptions)')
        self.bad("rules:\n  vf.trust: yes\n  vf.spoof: true\n",
                 '2:13: vf.trust: expected true or false, got "yes"',
                 '3:3: rules: unknown rule "vf.spoof" (sriovctl audit --list-rules lists them)')
        self.bad("rules:\n  vf.trust: [true]\n",
                 "2:13: vf.trust: expected true or false, got a list")
        self.bad("rules:\n  vf.rate: true\n",
                 "2:12: vf.rate: true needs caps: write {max_tx_rate: N, min_tx_rate: N}")
        self.bad("rules:\n  vf.rate: {max_tx_rate: 0, burst: 3}\n",
                 "2:26: vf.rate: max_tx_rate: 0 is out of range 1..1000000",
                 '2:29: vf.rate: unknown key "burst" (known: max_tx_rate, min_tx_rate)')
        self.bad("rules:\n  vf.rate: {}\n",
                 "2:12: vf.rate: give max_tx_rate, min_tx_rate or both (Mb/s)")
        self.bad("rules:\n  vf.trust: true\n  vf.trust: false\n",
                 '3:3: rules: duplicate key "vf.trust" (first at line 2, column 3)')
        self.bad("exceptions:\n  - vfs: ens1f0np0/vf1\n    rules: [vf.trust]\n",
                 "2:5: exception: reason is required (why these VFs are excused)")
        self.bad("exceptions:\n  - vfs: ens1f0np0/vf1\n    rules: [vf.trust]\n    reason: \"\"\n",
                 "4:13: reason: must not be empty")
        self.bad("exceptions:\n  - rules: []\n    reason: r\n    why: x\n",
                 "2:12: rules: an exception excuses at least one rule",
                 '4:5: exception: unknown key "why" (known: vfs, rules, reason)',
                 "2:5: exception: vfs is required (the VFs excused)")
        self.bad("exceptions:\n  - vfs: ens1f0np0/vf1\n    rules: [vf.trust, vf.trust, "
                 "host.iommu, vf.x]\n    reason: r\n",
                 '3:23: rules: "vf.trust" is listed twice',
                 "3:33: rules: host.iommu is about the host, not a VF: turn it off "
                 "under rules: instead",
                 '3:45: rules: unknown rule "vf.x" (sriovctl audit --list-rules lists them)')
        self.bad("exceptions:\n  - vfs: 'ens1f0 vf1'\n    rules: [vf.trust]\n    reason: r\n",
                 '2:10: vfs: expected a VF, a VF range or a PF ("ens1f0/vf2-3", at most '
                 '64 characters), got "ens1f0 vf1"')
        self.bad("exceptions: {vfs: x}\n", "1:13: exceptions: expected a list, got a mapping")
        self.bad("- rules\n", "1:1: a baseline is a mapping with rules: and exceptions:, "
                 "not a list")
        self.bad("rules: {vf.trust: true}\n---\nrules: {}\n",
                 "3:1: a baseline file holds one YAML document")
        # an alias would repeat an entry silently: refused (the policy's walker)
        self.bad("exceptions:\n  - vfs: a\n    rules: &r [vf.trust]\n    reason: r\n"
                 "  - vfs: b\n    rules: *r\n    reason: r\n",
                 "3:12: rules: aliases (*name) are not supported in a policy")
        self.bad("rules: [\n", "2:1: YAML: did not find expected node content while "
                 "parsing a flow node")
        self.bad("rules:" + " [" * 40 + "\n",
                 "1:" + str(8 + 2 * 31) + ": YAML: nested deeper than 32 levels; "
                 "a policy needs 6")
        # comments only: the built-in baseline
        b = self.write("empty.yaml", "# nothing\n")
        self.assertEqual(self.report("--baseline", b)["summary"],
                         self.report()["summary"])

    def test_baseline_files(self):
        self.host("e810:pfs=1,vfs=2,vfio=1")
        r = self.audit("--baseline", self.path("nope.yaml"), check=2)
        self.assertEqual(r.err, f"sriovctl: audit: cannot open {self.path('nope.yaml')}: "
                         "No such file or directory\n")
        r = self.audit("--baseline", self.tmp, check=2)
        self.assertIn(f"cannot open {self.tmp}: ", r.err)
        big = self.write("big.yaml", "#" * (1 << 20) + "\n")
        r = self.audit("--baseline", big, check=2)
        self.assertIn("larger than 1 MiB", r.err)
        # an exception that names nothing here is said, not an error
        b = self.write("b.yaml", "exceptions:\n  - vfs: ens9f0/vf1\n    rules: [vf.trust]\n"
                       "    reason: old box\n")
        rep = self.report("--baseline", b)
        self.assertEqual(rep["warnings"],
                         [f"{b}:2:5: the exception for ens9f0/vf1 names no VF on this host"])
        self.assertIn(f"warning: {b}:2:5: the exception for ens9f0/vf1 names no VF on this "
                      "host", self.audit("--baseline", b).out)

    def test_list_rules_match_docs(self):
        """One table: --list-rules, the help and docs/audit.md name the same rules."""
        rules = sriovctl("audit", "--list-rules", "--json").json()
        self.assertEqual(rules["schema"], "sriovctl.audit-rules/v1")
        ids = [r["id"] for r in rules["rules"]]
        self.assertEqual(ids, ["vf.spoofchk", "vf.trust", "vf.vlan", "vf.mac", "vf.rate",
                               "vf.iommu-group", "vf.policy-pf", "host.iommu"])
        text = sriovctl("audit", "--list-rules").out.splitlines()
        self.assertEqual([l.split()[0] for l in text], ids)
        with open(os.path.join(SOURCE, "docs", "audit.md")) as f:
            doc = f.read()
        self.assertEqual(re.findall(r"^### `([a-z.-]+)`", doc, re.M), ids)
        for r in rules["rules"]:
            section = doc.split(f"### `{r['id']}`", 1)[1].split("\n### ", 1)[0]
            self.assertIn(f"Default: {r['default']}.", section, r["id"])
        helptext = sriovctl("help", "audit").out
        for r in rules["rules"]:
            self.assertIn(f"{r['id']}", helptext)
        # the JSON's fields are those docs/audit-schema.md lists
        with open(os.path.join(SOURCE, "docs", "audit-schema.md")) as f:
            schema = f.read()
        self.host("e810:pfs=1,vfs=2,vfio=1,acs=off")
        rep = self.report(check=1)
        for k in rep:
            self.assertIn(f"| `{k}` |", schema)
        for k in rep["findings"][0]:
            self.assertIn(f"| `findings[].{k}` |", schema)

    def test_junit(self):
        """The JUnit file (replaced atomically) carries what the JSON does;
        tests/consumers/test_junit.py reads it with junitparser."""
        self.host("e810:pfs=1,vfs=4,vfio=2,acs=off")
        out = self.path("audit.xml")
        b = self.write("b.yaml", "exceptions:\n  - vfs: ens1f0np0/vf2\n"
                       "    rules: [vf.iommu-group]\n    reason: 'R&D <lab> \"box\"'\n")
        rep = self.report("--baseline", b, "--junit", out, check=1)
        root = ET.parse(out).getroot()
        self.assertEqual(root.tag, "testsuites")
        s = rep["summary"]
        self.assertEqual(int(root.get("tests")), sum(s.values()))
        self.assertEqual(int(root.get("failures")), s["fail"])
        self.assertEqual(int(root.get("skipped")), s["skip"] + s["excepted"])
        suites = {x.get("name"): x for x in root.findall("testsuite")}
        self.assertEqual(list(suites), [r["id"] for r in sriovctl(
            "audit", "--list-rules", "--json").json()["rules"]])
        g = suites["vf.iommu-group"]
        cases = {c.get("name"): c for c in g.findall("testcase")}
        self.assertEqual(set(cases), {"ens1f0np0/vf2", "ens1f0np0/vf3"})
        self.assertEqual(cases["ens1f0np0/vf2"].find("skipped").get("message"),
                         f"excepted at {b}:2:5: R&D <lab> \"box\"")
        fail = cases["ens1f0np0/vf3"].find("failure")
        self.assertEqual(fail.get("type"), "vf.iommu-group")
        self.assertTrue(fail.get("message").startswith(
            "expected no host-driven device in its IOMMU group, found IOMMU group "))
        self.assertIn("fix: sriovctl vf ens1f0np0/vf3 bind vfio-pci --group", fail.text)
        self.assertEqual(cases["ens1f0np0/vf3"].get("classname"), "sriovctl.audit.vf.iommu-group")
        for x in root.iter("testsuite"):
            self.assertEqual(int(x.get("tests")), len(x.findall("testcase")))
            self.assertEqual(int(x.get("failures")), len(x.findall("testcase/failure")))
        # replaced, with its mode kept; a link there is refused and kept
        os.chmod(out, 0o640)
        self.audit("--junit", out, check=1)
        self.assertEqual(os.stat(out).st_mode & 0o777, 0o640)
        ET.parse(out)
        link = self.path("link.xml")
        os.symlink(out, link)
        with open(out) as f:
            before = f.read()
        r = self.audit("--junit", link, check=1)
        self.assertEqual(r.out, "")
        self.assertIn(f"audit: cannot write {link}: it is a symbolic link", r.err)
        self.assertTrue(os.path.islink(link))
        with open(out) as f:
            self.assertEqual(f.read(), before)
        r = self.audit("--junit", self.path("nodir", "a.xml"), check=1)
        self.assertIn("No such file or directory", r.err)

    def test_usage(self):
        self.host("e810:pfs=1,vfs=1")
        for args, want in ((["--baseline"], "--baseline and --junit take a file name"),
                           (["--junit="], "--baseline and --junit take a file name"),
                           (["--list-rules", "--all"], "--list-rules takes no other"),
                           (["--list-rules", "ens1f0np0"], "audit: takes 0 arguments"),
                           (["--bogus"], "unknown option '--bogus'")):
            r = self.audit(*args, check=2)
            self.assertEqual(r.out, "")
            self.assertIn(want, r.err)
        self.assertIn("Usage: sriovctl audit", sriovctl("audit", "--help", check=0).out)
        self.assertIn("audit [DEVICE...]", sriovctl("--help", check=0).out)


if __name__ == "__main__":
    import unittest
    unittest.main()
