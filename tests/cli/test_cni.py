# SPDX-License-Identifier: MIT
"""The CNI plugin binary as a runtime runs it (CNI_* variables, the
configuration on stdin, the result or error JSON on stdout, exit 0/1),
on generated hosts; and `sriovctl show VF` naming the attachment that
holds a VF. What needs a kernel (the VF moves, the PF's attributes) is
the lab's boot K (tests/lab/guest/cni.sh)."""
import json
import os
import subprocess
import unittest

from common import TreeTest, hostgen, sriovctl

PLUGIN = os.environ["SRIOV_CNI"]
TEMPLATE = os.path.join(os.environ["SOURCE_ROOT"], "tests", "data", "cni",
                        "sriov-operator-sriov-cni-config-template.yaml")


class Plugin(TreeTest):
    def setUp(self):
        super().setUp()
        self.m = hostgen(self.path("host"), "i350:pfs=1,vfs=2")
        self.pf = self.m["pfs"][0]["address"]
        self.vf = self.m["pfs"][0]["vfs"][1]["address"]

    def run_plugin(self, command, conf, cid="c1", ifname="net1",
                   netns="/run/netns/x", **env):
        e = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
             "CNI_COMMAND": command, "CNI_CONTAINERID": cid,
             "CNI_IFNAME": ifname, "CNI_NETNS": netns,
             "SRIOV_CNI_ROOT": self.path("host"),
             "SRIOV_CNI_STATE_DIR": self.path("state"),
             "SRIOV_CNI_CHANGELOG": self.path("changes.log")}
        e.update(env)
        text = conf if isinstance(conf, str) else json.dumps(conf)
        p = subprocess.run([PLUGIN], input=text, capture_output=True,
                           text=True, env=e, timeout=60)
        out = json.loads(p.stdout) if p.stdout.strip() else None
        return p.returncode, out, p.stderr

    def test_quirk_refused_up_front(self):
        """A setting the quirk table says igb refuses: code 102 naming the
        quirk, before anything is read over rtnetlink or written."""
        for key, val, quirk in (("min_tx_rate", 10, "igb.no-min-rate"),
                                ("link_state", "enable", "igb.no-link-state")):
            with self.subTest(key=key):
                rc, out, _ = self.run_plugin("ADD", {
                    "cniVersion": "1.0.0", "name": "n", "type": "sriov",
                    "deviceID": self.vf, key: val})
                self.assertEqual((rc, out["code"]), (1, 102), out)
                self.assertIn("the driver igb refuses it: quirk " + quirk, out["msg"])
                self.assertFalse(os.path.exists(self.path("state", self.vf + ".owner")))
        # a zero minimum asks for nothing: not refused (the next error is the tree's)
        rc, out, _ = self.run_plugin("ADD", {
            "cniVersion": "1.0.0", "name": "n", "type": "sriov",
            "deviceID": self.vf, "min_tx_rate": 0})
        self.assertNotEqual(out["code"], 102, out)

    def test_version(self):
        rc, out, _ = self.run_plugin("VERSION", "")
        self.assertEqual(rc, 0)
        self.assertEqual(out["supportedVersions"],
                         ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"])

    def test_errors_are_the_spec_json(self):
        cases = [
            ("ADD", "{not json", 6, "not JSON"),
            ("ADD", {"cniVersion": "0.2.0"}, 1, "is not supported"),
            ("ADD", {"cniVersion": "1.0.0", "vlan": 4095}, 7,
             '"vlan": 4095 is out of range 0..4094'),
            ("ADD", {"cniVersion": "1.0.0", "deviceID": self.pf}, 100,
             "is a PF"),
            ("ADD", {"cniVersion": "1.0.0", "deviceID": "0000:77:00.1"}, 100,
             "is not a VF"),
            ("BOGUS", {"cniVersion": "1.0.0"}, 4, "is not one of ADD"),
        ]
        for cmd, conf, code, msg in cases:
            with self.subTest(conf=conf):
                rc, out, err = self.run_plugin(cmd, conf)
                self.assertEqual(rc, 1)
                self.assertEqual(out["code"], code, out)
                self.assertIn(msg, out["msg"])
                self.assertIn("cniVersion", out)
                # logged on stderr too, at the default level
                self.assertIn("sriov: %s error" % cmd, err)

    def test_bad_container_id_names_no_file(self):
        rc, out, _ = self.run_plugin("DEL", {"cniVersion": "1.0.0"},
                                     cid="../../etc")
        self.assertEqual((rc, out["code"]), (1, 4))
        self.assertFalse(os.path.exists(self.path("state")))

    def test_del_without_record_is_quiet(self):
        for _ in range(2):
            rc, out, _ = self.run_plugin(
                "DEL", {"cniVersion": "1.0.0", "deviceID": self.vf})
            self.assertEqual((rc, out), (0, None))

    def test_status(self):
        rc, out, _ = self.run_plugin("STATUS", {"cniVersion": "1.1.0"})
        self.assertEqual((rc, out), (0, None))
        open(self.path("f"), "w").close()
        rc, out, _ = self.run_plugin("STATUS", {"cniVersion": "1.1.0"},
                                     SRIOV_CNI_STATE_DIR=self.path("f", "s"))
        self.assertEqual((rc, out["code"]), (1, 50))

    def test_log_file(self):
        conf = {"cniVersion": "1.0.0", "deviceID": self.pf,
                "logFile": self.path("cni.log"), "logLevel": "error"}
        rc, _, err = self.run_plugin("ADD", conf)
        self.assertEqual(rc, 1)
        self.assertEqual(err, "")
        with open(self.path("cni.log")) as f:
            self.assertIn("is a PF", f.read())
        # never through a link planted where the log goes
        os.symlink(self.path("victim"), self.path("link.log"))
        conf["logFile"] = self.path("link.log")
        self.run_plugin("ADD", conf)
        self.assertFalse(os.path.exists(self.path("victim")))

    def test_operator_template(self):
        """The sriov-network-operator's template, rendered as the operator
        renders it for a VLAN network with IPAM, is taken whole."""
        if not os.path.exists(TEMPLATE):
            self.fail(f"{TEMPLATE}: missing")
        conf = {"cniVersion": "1.0.0", "name": "net-a", "type": "sriov",
                "vlan": 100, "spoofchk": "on", "trust": "off",
                "vlanQoS": 2, "vlanProto": "802.1Q", "min_tx_rate": 0,
                "max_tx_rate": 100, "capabilities": {"mac": True},
                "link_state": "auto", "logLevel": "info",
                "logFile": "/var/log/sriov.log",
                "ipam": {"type": "host-local", "subnet": "10.56.0.0/24"},
                "deviceID": self.pf}
        with open(TEMPLATE) as f:
            text = f.read()
        for key in ("vlan", "spoofchk", "trust", "vlanQoS", "vlanProto",
                    "min_tx_rate", "max_tx_rate", "capabilities",
                    "link_state", "logLevel", "logFile"):
            self.assertIn(f'"{key}"', text)
        # a PF: every key parsed, then ADD refuses the device itself
        rc, out, _ = self.run_plugin("ADD", conf)
        self.assertEqual((rc, out["code"]), (1, 100), out)
        conf["vlanQoS"] = 9
        rc, out, _ = self.run_plugin("ADD", conf)
        self.assertEqual((rc, out["code"]), (1, 7), out)


class ShowHolder(TreeTest):
    def test_show_names_the_attachment(self):
        m = hostgen(self.path("host"), "i350:pfs=1,vfs=2")
        vf = m["pfs"][0]["vfs"][0]
        r = sriovctl("show", vf["address"], root=self.path("host"), check=0)
        self.assertNotIn("attached to", r.out)
        d = self.path("host", "var", "lib", "cni", "sriovctl")
        os.makedirs(d)
        with open(os.path.join(d, vf["address"] + ".owner"), "w") as f:
            f.write("c1-net1\n")
        r = sriovctl("show", vf["address"], root=self.path("host"), check=0)
        self.assertIn("cni             attached to c1-net1 "
                      "(/var/lib/cni/sriovctl)", r.out)


if __name__ == "__main__":
    unittest.main()
