# SPDX-License-Identifier: MIT
"""The quirk table (docs/quirks.md) on generated hosts: check names what
applies, show lists it, vf set / pf set-vfs refuse what it is certain the
driver refuses (--force tries), plan fails on a refused setting unless it is
optional, and /etc/sriovctl/quirks.d overrides replace and add entries."""
import json
import os
import unittest

from common import TreeTest, hostgen, sriovctl

MIN_RATE = ("quirk igb.no-min-rate: igb has a max TX rate only; a min rate is refused "
            "(EINVAL; source: drivers/net/ethernet/intel/igb/igb_main.c igb_ndo_set_vf_bw "
            "(min_tx_rate -> -EINVAL); lab: EINVAL)")


class Quirks(TreeTest):
    def setUp(self):
        super().setUp()
        self.root = self.path("host")
        hostgen(self.root, "i350:vfs=2", "x520:pfs=1", "nvme", "e810:pfs=1,vfs=1",
                "cx6:pfs=1", manifest=False)

    def run_(self, *args, rc=0):
        return sriovctl(*args, root=self.root, check=rc)

    def override(self, name, text):
        d = os.path.join(self.root, "etc/sriovctl/quirks.d")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, name), "w") as f:
            f.write(text)

    def findings(self):
        r = self.run_("check", "--json", rc=None)
        self.assertIn(r.rc, (0, 1), r.err)
        return [f for f in r.json()["findings"] if f["id"] == "driver.quirks"]

    def pf_json(self, name):
        return self.run_("show", name, "--json").json()["pfs"][0]

    def test_check(self):
        f = {x["subject"]: x for x in self.findings()}
        igb = f["ens1f0"]
        self.assertEqual(igb["severity"], "ok")
        self.assertIsNone(igb["remedy"])
        self.assertIn("4 quirks of driver igb apply: igb.max-vfs: at most 7 VFs (", igb["evidence"])
        for qid in ("igb.no-min-rate: refuses min-rate (EINVAL)",
                    "igb.no-link-state: refuses link-state (EOPNOTSUPP)",
                    "igb.mac-reload: a VF MAC change needs the VF driver reloaded"):
            self.assertIn(qid, igb["evidence"])
        nvme = [x for s, x in f.items() if "1b36:0010" in x["evidence"]]
        self.assertEqual(len(nvme), 1, f)
        self.assertIn("no entry of the quirk table applies to 1b36:0010 (driver nvme)",
                      nvme[0]["evidence"])
        cx6 = [x for x in f.values() if "mlx5_core" in x["evidence"]][0]
        self.assertIn("mlx5.firmware-vfs: VF count set in firmware: mlxconfig -d PF set "
                      "SRIOV_EN=1 NUM_OF_VFS=N", cx6["evidence"])
        self.assertIn("mlx5.switchdev-unbind", cx6["evidence"])
        ice = [x for x in f.values() if "driver ice" in x["evidence"]][0]
        self.assertIn("ice.max-vfs: at most 256 VFs", ice["evidence"])
        self.assertNotIn("min-rate", ice["evidence"])
        # the man page lists the id (docs/sriovctl.8 is generated)
        with open(os.path.join(os.environ["SOURCE_ROOT"], "docs/sriovctl.8")) as man:
            self.assertIn("driver.quirks", man.read())

    def test_show(self):
        out = self.run_("show", "ens1f0").out
        lines = out.splitlines()
        i = next(n for n, l in enumerate(lines) if l.startswith("  quirks"))
        self.assertEqual(lines[i], "  quirks        igb.max-vfs: at most 7 VFs")
        self.assertIn("igb.no-min-rate: refuses min-rate (EINVAL)", out)
        self.assertTrue(lines[i + 1].startswith("                  igb enables at most 7 VFs"))
        q = self.pf_json("ens1f0")["quirks"]
        self.assertEqual([x["id"] for x in q],
                         ["igb.max-vfs", "igb.no-min-rate", "igb.no-link-state", "igb.mac-reload"])
        self.assertEqual(q[0]["max_vfs"], 7)
        self.assertEqual(q[1]["effects"], ["refuses"])
        self.assertIn("igb_ndo_set_vf_bw", q[1]["source"])
        # a PF no entry applies to: no section, no key
        nvme = [p for p in self.run_("--json", "list").json()["pfs"] if p["driver"] == "nvme"][0]
        self.assertNotIn("quirks", self.run_("show", nvme["address"]).out)
        self.assertNotIn("quirks", self.pf_json(nvme["address"]))
        # a VF's view is unchanged
        self.assertNotIn("quirks", self.run_("show", "ens1f0/vf0").out)

    def test_vf_set(self):
        r = self.run_("vf", "ens1f0/vf0", "set", "min-rate", "10", "max-rate", "100",
                      "link-state", "enable", "-n", rc=1)
        self.assertIn("ens1f0/vf0 min-rate: ? -> 10 (the driver would refuse it: %s)" % MIN_RATE,
                      r.out.splitlines())
        self.assertIn("ens1f0/vf0 link-state: ? -> enable (the driver would refuse it: quirk "
                      "igb.no-link-state", r.out)
        self.assertIn("ens1f0/vf0 max-rate: ? -> 100", r.out.splitlines())
        # --force: the kernel answers, the dry run marks nothing
        r = self.run_("vf", "ens1f0/vf0", "set", "min-rate", "10", "max-rate", "100",
                      "-n", "--force")
        self.assertNotIn("refuse", r.out)
        # zero asks for no guarantee; ice has a min rate
        self.run_("vf", "ens1f0/vf0", "set", "min-rate", "0", "max-rate", "100", "-n")
        e810 = [p for p in self.run_("--json", "list").json()["pfs"] if p["driver"] == "ice"][0]
        self.run_("vf", e810["address"] + "/vf0", "set", "min-rate", "10", "max-rate", "100", "-n")
        # --group and --kernel are still refused for set
        r = self.run_("vf", "ens1f0/vf0", "set", "trust", "on", "--group", "-n", rc=2)
        self.assertIn("--group and --kernel are for bind/unbind", r.err)

    def test_set_vfs(self):
        r = self.run_("pf", "ens1f0", "set-vfs", "8", "-n", rc=1)
        self.assertIn("sriovctl: ens1f0: 8 VFs is more than igb enables (quirk igb.max-vfs: igb "
                      "enables at most 7 VFs", r.err)
        self.assertIn("ask for at most 7, or --force to try anyway", r.err)
        # --force: the kernel's own limit (sriov_totalvfs) answers
        r = self.run_("pf", "ens1f0", "set-vfs", "8", "-n", "--force", rc=1)
        self.assertNotIn("quirk", r.err)
        self.assertIn("sriov_totalvfs", r.err)
        self.assertIn("already 2 VFs", self.run_("pf", "ens1f0", "set-vfs", "2", "-n").out)

    def test_override(self):
        x520 = [p for p in self.run_("--json", "list").json()["pfs"] if p["driver"] == "ixgbe"][0]
        self.override("10-site.yaml", """quirks:
  - id: igb.max-vfs
    summary: our firmware enables 4
    source: site test
    match: {driver: igb}
    effects: {max_vfs: 4}
  - id: site.x520-param
    summary: this x520 takes max_vfs=
    source: site
    match: {vendor: "8086", device: "10fb"}
    effects: {vfs_by_module_param: max_vfs}
""")
        r = self.run_("pf", "ens1f0", "set-vfs", "5", "-n", rc=1)
        self.assertIn("5 VFs is more than igb enables (quirk igb.max-vfs: our firmware enables 4; "
                      "source: site test)", r.err)
        self.assertEqual(self.pf_json("ens1f0")["quirks"][0]["source"], "site test")
        r = self.run_("pf", x520["address"], "set-vfs", "2", "-n", rc=1)
        self.assertIn("ixgbe takes its VF count from the module parameter max_vfs=, not "
                      "sriov_numvfs (quirk site.x520-param", r.err)
        self.run_("pf", x520["address"], "set-vfs", "0", "-n")
        # a broken file: its entry is left out with a warning, the rest used
        self.override("20-bad.yaml", "quirks:\n  - id: bad\n    summary: s\n    source: s\n"
                      "    match: {driver: igb}\n    effects: {max_vfs: many}\n")
        r = self.run_("pf", "ens1f0", "set-vfs", "5", "-n", rc=1)
        self.assertIn("sriovctl: warning: /etc/sriovctl/quirks.d/20-bad.yaml:6:24: max_vfs: "
                      "expected", r.err)
        self.assertIn("quirk igb.max-vfs: our firmware enables 4", r.err)
        bad = [f for f in self.findings() if f["severity"] == "warn"]
        self.assertEqual(len(bad), 1)
        self.assertIn("/etc/sriovctl/quirks.d/20-bad.yaml:6:24: max_vfs", bad[0]["evidence"])
        # dot files and other names are not read
        self.override(".hidden.yaml", "not: [valid")
        self.override("notes.txt", "not: [valid")
        self.run_("show", "ens1f0")

    def test_plan(self):
        pol = os.path.join(self.root, "etc/sriovctl")
        os.makedirs(pol, exist_ok=True)

        def plan(text, rc):
            with open(os.path.join(pol, "sriovctl.yaml"), "w") as f:
                f.write(text)
            return self.run_("plan", rc=rc)

        r = plan("""pfs:
  - match: {netdev: ens1f0}
    num_vfs: 4
    vfs:
      "0-1": {max_tx_rate: 100, min_tx_rate: 10, link_state: enable}
      "2-3": {max_tx_rate: 100, min_tx_rate: 10, link_state: enable,
              optional: [min_tx_rate, link_state]}
""", 1)
        errs = [l for l in r.err.splitlines() if l.startswith("/etc/")]
        self.assertEqual(errs, [
            "/etc/sriovctl/sriovctl.yaml:5:46: min_tx_rate: PF 0000:02:00.0 (ens1f0)'s driver igb "
            "refuses it (EINVAL): quirk igb.no-min-rate, igb has a max TX rate only; a min rate is "
            "refused (source: drivers/net/ethernet/intel/igb/igb_main.c igb_ndo_set_vf_bw "
            "(min_tx_rate -> -EINVAL); lab: EINVAL); leave it out, or list it in this range's "
            "optional: to let the apply go on without it",
            "/etc/sriovctl/sriovctl.yaml:5:62: link_state: PF 0000:02:00.0 (ens1f0)'s driver igb "
            "refuses it (EOPNOTSUPP): quirk igb.no-link-state, igb has no VF link-state operation "
            "(source: drivers/net/ethernet/intel/igb/igb_main.c igb_netdev_ops (no "
            "ndo_set_vf_link_state); lab: EOPNOTSUPP); leave it out, or list it in this range's "
            "optional: to let the apply go on without it"], r.err)
        # optional, or a zero minimum: planned
        plan("""pfs:
  - match: {netdev: ens1f0}
    num_vfs: 4
    vfs:
      "0-1": {max_tx_rate: 100, min_tx_rate: 0}
      "2-3": {max_tx_rate: 100, min_tx_rate: 10, optional: [min_tx_rate]}
""", 0)
        # num_vfs above the limit an override sets (below sriov_totalvfs)
        self.override("site.yaml", "quirks:\n  - id: igb.max-vfs\n    summary: four\n"
                      "    source: site\n    match: {driver: igb}\n    effects: {max_vfs: 4}\n")
        r = plan("pfs:\n  - match: {netdev: ens1f0}\n    num_vfs: 6\n", 1)
        self.assertIn("/etc/sriovctl/sriovctl.yaml:3:14: num_vfs 6 is above the 4 VFs driver igb "
                      "of PF 0000:02:00.0 (ens1f0) enables: quirk igb.max-vfs, four (source: site)",
                      r.err)


if __name__ == "__main__":
    unittest.main()
