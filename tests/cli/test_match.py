# SPDX-License-Identifier: MIT
"""sriovctl match FORMAT SPEC: which PFs and VFs a consumer's selector
takes on generated hosts, the field that fails for the others, exit codes,
JSON, bad specs and limits. (nova's own code judges the nova format in
tests/consumers/test_match_nova.py.)"""
import json
import os
import re
import warnings
import shutil
import subprocess
import tempfile
import unittest

from common import hostgen, sriovctl

CARDS = ["e810:pfs=2,vfs=4/0,vfio=1/0", "x520:pfs=1,vfs=2", "i350:pfs=2,vfs=0",
         "nvme:vfs=2", "cx6:pfs=1,vfs=2,pfdriver=none,unbound=1"]


class Match(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="sriovctl-match-")
        cls.root = os.path.join(cls.dir, "host")
        cls.man = hostgen(cls.root, *CARDS)
        cls.pfs = {p["address"]: p for p in cls.man["pfs"]}
        cls.e810 = cls.man["pfs"][0]
        cls.e810b = cls.man["pfs"][1]
        cls.x520 = next(p for p in cls.man["pfs"] if p["device_id"] == "10fb")
        cls.i350 = [p for p in cls.man["pfs"] if p["device_id"] == "1521"]
        cls.nvme = next(p for p in cls.man["pfs"] if p["vendor_id"] == "1b36")
        cls.cx6 = next(p for p in cls.man["pfs"] if p["vendor_id"] == "15b3")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def match(self, fmt, spec, *args, check=None, root=None):
        if not isinstance(spec, str):
            spec = json.dumps(spec)
        return sriovctl("match", fmt, spec, *args, root=root or self.root, check=check)

    def js(self, fmt, spec, check=None, root=None):
        r = self.match(fmt, spec, "--json", check=check, root=root)
        return {d["address"]: d for d in r.json()["devices"]}, r

    def all_devices(self):
        out = []
        for p in self.man["pfs"]:
            out.append(p["address"])
            out += [v["address"] for v in p["vfs"]]
        return out

    # --- nova -----------------------------------------------------------

    def test_nova_table(self):
        r = self.match("nova", {"vendor_id": "8086", "product_id": "1889"}, check=0)
        lines = r.out.splitlines()
        self.assertEqual(lines[0].split(), ["DEVICE", "NAME", "ID", "DRIVER", "TAKEN-BY", "WHY"])
        rows = {l.split()[0]: l for l in lines[1:-1]}
        self.assertEqual(set(rows), set(self.all_devices()))
        vf = self.e810["vfs"][0]
        self.assertIn(" #0 ", rows[vf["address"]])
        self.assertIn("product_id: product_id 1889, the device's is 1592", rows[self.e810["address"]])
        self.assertIn("vendor_id: vendor_id 8086, the device's is 15b3", rows[self.cx6["address"]])
        self.assertEqual(lines[-1], f"4 of {len(rows)} devices taken (nova)")

    def test_nova_nothing_taken_exit_1(self):
        r = self.match("nova", {"vendor_id": "abcd"}, check=1)
        self.assertIn(f"0 of {len(self.all_devices())} devices taken", r.out)
        self.match("nova", [], check=1)

    def test_nova_json(self):
        devs, r = self.js("nova", [{"product_id": "10ed", "physical_network": "p1"},
                                   {"vendor_id": "8086"}], check=0)
        out = r.json()
        self.assertEqual(out["schema"], "sriovctl.match/v1")
        self.assertEqual(out["format"], "nova")
        self.assertEqual([s["name"] for s in out["specs"]], ["#0 (p1)", "#1"])
        vf = self.x520["vfs"][0]["address"]
        # the first spec that takes it wins, as Whitelist.get_devspec
        self.assertEqual(devs[vf]["taken_by"], 0)
        self.assertEqual(devs[vf]["taken_by_name"], "#0 (p1)")
        self.assertEqual([c["taken"] for c in devs[vf]["checks"]], [True, True])
        pf = devs[self.x520["address"]]
        self.assertEqual(pf["taken_by"], 1)
        self.assertEqual(pf["checks"][0]["field"], "product_id")
        nv = devs[self.nvme["address"]]
        self.assertIsNone(nv["taken_by"])
        self.assertEqual([c["field"] for c in nv["checks"]], ["product_id", "vendor_id"])
        self.assertEqual(set(pf), {"address", "kind", "pf", "vf_index", "netdev", "vendor_id",
                                   "device_id", "driver", "taken_by", "taken_by_name",
                                   "excluded", "checks"})
        self.assertEqual(devs[vf]["kind"], "vf")
        self.assertEqual(devs[vf]["vf_index"], 0)
        self.assertEqual(devs[vf]["pf"], self.x520["address"])
        self.assertEqual(out["taken"], sum(d["taken_by"] is not None for d in devs.values()))
        self.assertEqual(out["specs"][0]["taken"] + out["specs"][1]["taken"], out["taken"])

    def test_nova_pf_address_takes_its_vfs(self):
        pf = self.e810["address"]
        devs, _ = self.js("nova", {"address": pf}, check=0)
        taken = {a for a, d in devs.items() if d["taken_by"] == 0}
        self.assertEqual(taken, {pf} | {v["address"] for v in self.e810["vfs"]})
        self.assertIn(f"its PF {pf} is the spec's address",
                      devs[self.e810["vfs"][1]["address"]]["checks"][0]["reason"])
        # a short address is no single address: the VFs are not taken
        short = pf[5:]
        devs, _ = self.js("nova", {"address": short}, check=0)
        self.assertEqual({a for a, d in devs.items() if d["taken_by"] == 0}, {pf})

    def test_nova_regex_from_start(self):
        bus = self.e810["address"][5:7]
        devs, _ = self.js("nova", {"address": {"bus": bus[0]}}, check=0)
        # re.match: "0" takes every bus that starts with 0
        self.assertTrue(all(d["taken_by"] == 0 for d in devs.values()))
        devs, _ = self.js("nova", {"address": {"bus": bus[1] + "$"}}, check=1)
        c = devs[self.e810["address"]]["checks"][0]
        self.assertEqual(c["field"], "address")
        self.assertIn(f"re.match('{bus[1]}$', '{bus}') fails", c["reason"])

    def test_nova_devname(self):
        vf = self.e810["vfs"][0]
        devs, _ = self.js("nova", {"devname": vf["netdev"]}, check=0)
        self.assertEqual([a for a, d in devs.items() if d["taken_by"] == 0], [vf["address"]])
        devs, _ = self.js("nova", {"devname": "nosuch0"}, check=1)
        self.assertIn("no PF or VF of this host has the netdev nosuch0",
                      devs[vf["address"]]["checks"][0]["reason"])

    def test_nova_refused(self):
        for spec, want in [
            ({"address": "3*:00.0"}, "property bus ('3*') does not parse as a hex number; nova refuses"),
            ({"address": "0:0:0:0.0"}, "more than three"),
            ({"address": "*:*:20.*"}, "property slot (20) is greater than the maximum allowable value (1F)"),
            ({"vendor_id": 8086}, "vendor_id is a number"),
            ({"devname": "x", "address": "0:0.0"}, "both address and devname"),
            ({"address": {"bus": "(0"}}, "missing ), unterminated subpattern"),
            ({"address": {"bus": "a{3,1}"}}, "min repeat greater than max repeat"),
            ({"address": {"bus": "\\q"}}, "bad escape"),
            ("[1]", "device_spec #0 is a number"),
            ("null", "the device_spec is null"),
        ]:
            r = self.match("nova", spec, check=2)
            self.assertEqual(len(r.err.splitlines()), 1, r.err)
            self.assertTrue(r.err.startswith("sriovctl: match nova: "), r.err)
            self.assertIn(want, r.err)
            self.assertEqual(r.out, "")

    def test_nova_untranslatable_regex(self):
        for pat, what in [("(?=0)2", "(?...) extension"), ("0\\b", "\\b"), ("(0)\\1", "back-reference"),
                          ("0*+", "possessive")]:
            r = self.match("nova", {"address": {"bus": pat}}, check=2)
            self.assertIn(what, r.err)
            self.assertIn("does not translate to a POSIX regex", r.err)

    def test_nova_remote_managed(self):
        devs, r = self.js("nova", {"vendor_id": "8086", "remote_managed": "true"}, check=1)
        c = devs[self.e810["vfs"][0]["address"]]["checks"][0]
        self.assertEqual(c["field"], "remote_managed")
        self.assertIn("VPD", c["reason"])
        r = self.match("nova", {"address": self.e810["address"], "remote_managed": True}, check=2)
        self.assertIn("remote_managed names a PF", r.err)

    def test_nova_regex_agrees_with_python_re(self):
        """Each pattern as nova's address regex: the devices Python's
        re.match takes (on nova's field texts) are those sriovctl takes;
        a pattern Python refuses is refused (exit 2)."""
        pats = ["0", "02", "0[0-9]", "[0-3]+", "0?2", "(0|1)(2|4)", "0{2}", "0{1,}",
                "0{,1}2", "0*?2", "..", ".$", "^0", "\\d\\d", "\\w+$", "[^0]", "[]0]",
                "[-0]", "[0-]", "[a-f0-9]{2}", "0|", "|", "", "(?:0)2", "(?P<b>0)",
                "a{", "0{x}", "0{}", "\\A02\\Z", "[\\d]", "\\.", "0\\x30",
                "[[:digit:]]", "\\s*0", "((0))", "0+2?", "[0-0]",
                "*", "+0", "0**", "(0", "0)", "[0-", "[z-a]", "0{3,1}", "\\q", "0\\",
                "?", "^*"]
        fields = ("domain", "bus", "slot", "function")
        for key in fields:
            for pat in pats:
                with self.subTest(field=key, pattern=pat):
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        try:
                            rx = re.compile(pat)
                        except re.error:
                            rx = None
                    r = self.match("nova", {"address": {key: pat}}, "--json")
                    if rx is None:
                        self.assertEqual(r.rc, 2, r.out)
                        self.assertIn("Python's re refuses", r.err)
                        continue
                    self.assertIn(r.rc, (0, 1), r.err)
                    for d in r.json()["devices"]:
                        dom, bus, rest = d["address"].split(":")
                        slot, fn = rest.split(".")
                        text = {"domain": "%04x" % int(dom, 16), "bus": "%02x" % int(bus, 16),
                                "slot": "%02x" % int(slot, 16), "function": "%1x" % int(fn, 16)}[key]
                        want = bool(rx.match(text))
                        # a PF named by its full address takes its VFs: not here
                        self.assertEqual(d["taken_by"] == 0, want, (d["address"], text))

    # --- input ----------------------------------------------------------

    def test_json_errors_say_where(self):
        r = self.match("nova", '{"vendor_id": "8086" "x": 1}', check=2)
        self.assertIn("not valid JSON at byte 22 ('\"')", r.err)
        r = self.match("nova", '{"vendor_id": "8086"', check=2)
        self.assertIn("it ends at byte 20 before the value is complete", r.err)
        r = self.match("nova", '{"a": 1} {}', check=2)
        self.assertIn("at byte 10 ('{')", r.err)
        r = self.match("nova", "  ", check=2)
        self.assertIn("the spec is empty", r.err)
        # strict JSON, as Python's json and Go's encoding/json read it
        self.match("nova", "{'vendor_id': '8086'}", check=2)
        self.match("nova", '{"vendor_id": "8086",}', check=2)

    def test_limits(self):
        big = json.dumps([{"vendor_id": "8086"}] * 257)
        r = self.match("nova", big, check=2)
        self.assertIn("257 entries; match takes at most 256", r.err)
        deep = "[" * 40 + "]" * 40
        r = self.match("nova", deep, check=2)
        self.assertIn("not valid JSON", r.err)
        huge = json.dumps({"vendor_id": "8086", "x": "a" * (256 * 1024)})
        p = subprocess.run(
            [os.environ["SRIOVCTL"], "--root", self.root, "match", "nova", "-"],
            input=huge, capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("match takes at most 262144", p.stderr)

    def test_stdin(self):
        p = subprocess.run([os.environ["SRIOVCTL"], "--root", self.root, "match",
                            "nova", "-", "--json"], input='{"product_id": "10ed"}',
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        taken = [d["address"] for d in json.loads(p.stdout)["devices"] if d["taken_by"] == 0]
        self.assertEqual(taken, [v["address"] for v in self.x520["vfs"]])

    def test_usage(self):
        r = sriovctl("match", "openstack", "{}", root=self.root, check=2)
        self.assertIn("unknown format 'openstack' (formats: nova, k8s-device-plugin", r.err)
        r = sriovctl("match", "nova", root=self.root, check=2)
        self.assertIn("match: takes 2 arguments", r.err)
        self.assertIn("Usage: sriovctl match FORMAT SPEC|-", r.err)
        r = sriovctl("help", "match", check=0)
        self.assertIn("k8s-device-plugin", r.out)
        r = sriovctl("match", "nova", "{}", root=self.dir + "/nohost", check=1)

    def test_escaped(self):
        r = self.match("nova", [{"vendor_id": "abcd", "physical_network": "a\x1b[2Jb"},
                                {"vendor_id": "abce"}], check=1)
        self.assertNotIn("\x1b", r.out)
        self.assertIn("#0 (a\\x1b[2Jb): vendor_id", r.out)

    # --- the device plugin ------------------------------------------------

    def test_k8s_devices_it_considers(self):
        devs, r = self.js("k8s-device-plugin", {}, check=0)
        # a PF with VFs is not a device; its VFs are
        self.assertIn("a PF with 4 VFs", devs[self.e810["address"]]["excluded"])
        self.assertEqual(devs[self.e810["address"]]["checks"], [])
        self.assertEqual(devs[self.e810b["address"]]["taken_by"], 0)  # no VFs: a device
        self.assertIn("class 010802 is not a network controller", devs[self.nvme["address"]]["excluded"])
        self.assertIn("class 010802", devs[self.nvme["vfs"][0]["address"]]["excluded"])
        self.assertIn("no driver is bound", devs[self.cx6["vfs"][1]["address"]]["excluded"])
        self.assertEqual(devs[self.cx6["vfs"][0]["address"]]["taken_by"], 0)
        self.assertEqual(devs[self.i350[0]["address"]]["taken_by"], 0)

    def test_k8s_default_route_nic_left_out(self):
        root = os.path.join(self.dir, "route")
        man = hostgen(root, "i350:pfs=2,vfs=0", "x520:pfs=1,vfs=1")
        nd = man["pfs"][0]["netdevs"][0]
        os.makedirs(os.path.join(root, "proc/net"), exist_ok=True)
        with open(os.path.join(root, "proc/net/route"), "w") as f:
            f.write("Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
                    f"{nd}\t00000000\t0102A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n"
                    f"{nd}\t0002A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0\n")
        devs, _ = self.js("k8s-device-plugin", {"vendors": ["8086"]}, check=0, root=root)
        self.assertIn(f"its netdev {nd} has the default route", devs[man["pfs"][0]["address"]]["excluded"])
        self.assertEqual(devs[man["pfs"][1]["address"]]["taken_by"], 0)
        # IPv6 too
        nd2 = man["pfs"][1]["netdevs"][0]
        with open(os.path.join(root, "proc/net/ipv6_route"), "w") as f:
            f.write("00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
                    f"fe800000000000000000000000000001 00000400 00000001 00000000 00450003 {nd2}\n")
        devs, _ = self.js("k8s-device-plugin", {"vendors": ["8086"]}, check=0, root=root)
        self.assertIn("default route", devs[man["pfs"][1]["address"]]["excluded"])

    def test_k8s_fields_and(self):
        vf = self.e810["vfs"]
        devs, _ = self.js("k8s-device-plugin", {"vendors": ["8086"], "drivers": ["vfio-pci"]}, check=0)
        taken = {a for a, d in devs.items() if d["taken_by"] == 0}
        self.assertEqual(taken, {vf[3]["address"]})
        c = devs[vf[0]["address"]]["checks"][0]
        self.assertEqual(c["field"], "drivers")
        self.assertIn('iavf is not in drivers ["vfio-pci"]', c["reason"])
        # exact membership: "8086 " is not 8086
        self.match("k8s-device-plugin", {"vendors": ["8086 "]}, check=1)
        # Go's encoding/json takes keys in any case
        devs, _ = self.js("k8s-device-plugin", {"Devices": ["10ed"]}, check=0)
        self.assertEqual({a for a, d in devs.items() if d["taken_by"] == 0},
                         {v["address"] for v in self.x520["vfs"]})

    def test_k8s_pfnames_ranges(self):
        nd = self.e810["netdevs"][0]
        vf = self.e810["vfs"]
        devs, _ = self.js("k8s-device-plugin", {"pfNames": [f"{nd}#0-1,3"]}, check=0)
        self.assertEqual({a for a, d in devs.items() if d["taken_by"] == 0},
                         {vf[0]["address"], vf[1]["address"], vf[3]["address"]})
        self.assertIn(f"'{nd}#0-1,3' does not list VF 2", devs[vf[2]["address"]]["checks"][0]["reason"])
        # the name part is also a regex found in the name: "f0" takes every PF*f0*
        devs, _ = self.js("k8s-device-plugin", {"pfNames": ["f0"]}, check=0)
        self.assertIn("pfNames item 'f0' is a regex found in", devs[vf[0]["address"]]["checks"][0]["reason"])
        self.assertEqual(devs[self.x520["vfs"][0]["address"]]["taken_by"], 0)
        # a range that does not parse takes nothing
        devs, _ = self.js("k8s-device-plugin", {"pfNames": [f"{nd}#a-2"]}, check=1)
        self.assertIn("does not parse", devs[vf[0]["address"]]["checks"][0]["reason"])
        # a PF without VFs is its own pfName, but not in a VF range
        pf = self.e810b
        devs, _ = self.js("k8s-device-plugin", {"pfNames": [pf["netdevs"][0] + "#0"]}, check=1)
        self.assertIn("this is the PF itself", devs[pf["address"]]["checks"][0]["reason"])

    def test_k8s_root_devices(self):
        devs, _ = self.js("k8s-device-plugin", {"rootDevices": [self.x520["address"] + "#1"]}, check=0)
        self.assertEqual([a for a, d in devs.items() if d["taken_by"] == 0],
                         [self.x520["vfs"][1]["address"]])

    def test_k8s_config_first_pool_wins(self):
        cfg = {"resourceList": [
            {"resourceName": "vfio", "selectors": {"drivers": ["vfio-pci"]}},
            {"resourceName": "intel", "resourcePrefix": "intel.com",
             "selectors": [{"vendors": ["8086"]}, {"devices": ["101e"]}]},
            {"resourceName": "never", "selectors": {"vendors": ["8086"]}},
        ]}
        devs, r = self.js("k8s-device-plugin", cfg, check=0)
        out = r.json()
        self.assertEqual([s["name"] for s in out["specs"]], ["vfio", "intel", "never"])
        self.assertEqual(out["specs"][2]["taken"], 0)
        vf = self.e810["vfs"]
        self.assertEqual(devs[vf[3]["address"]]["taken_by_name"], "vfio")
        self.assertEqual(devs[vf[0]["address"]]["taken_by_name"], "intel")
        self.assertIn("selectors[1]", devs[self.cx6["vfs"][0]["address"]]["checks"][1]["reason"])
        t = self.match("k8s-device-plugin", cfg, check=0).out
        self.assertIn("vfio", t)

    def test_k8s_refused(self):
        for spec, want, rc in [
            ({"vendors": "8086"}, "selectors.vendors is a string; the device plugin refuses", 2),
            ({"vendors": [8086]}, "selectors.vendors[0] is a number", 2),
            ({"resourceList": [{"resourceName": "a-b"}]}, "resourceName 'a-b'", 2),
            ({"resourceList": [{"resourceName": "a"}, {"resourceName": "a"}]}, "also resourceList[0]'s", 2),
            ({"resourceList": [{"selectors": {}}]}, "resourceName is missing", 2),
            ({"resourceList": {}}, "resourceList is an object", 2),
            ({"resourceList": [{"resourceName": "a", "deviceType": "accelerator"}]}, "netDevice pools only", 2),
            ({"linkTypes": ["ether"]}, "does not evaluate it", 2),
            ({"isRdma": True}, "RDMA", 2),
            ([], "the spec is a list", 2),
        ]:
            r = self.match("k8s-device-plugin", spec, check=rc)
            self.assertIn(want, r.err)
            self.assertEqual(len(r.err.splitlines()), 1)

    # --- the operator -----------------------------------------------------

    def test_operator_nic_selector(self):
        nd = self.e810["netdevs"][0]
        vf = self.e810["vfs"]
        devs, r = self.js("k8s-sriov-operator", {"vendor": "8086", "pfNames": [f"{nd}#1-2"]}, check=0)
        taken = {a for a, d in devs.items() if d["taken_by"] == 0}
        self.assertEqual(taken, {self.e810["address"], vf[1]["address"], vf[2]["address"]})
        self.assertEqual(devs[vf[3]["address"]]["checks"][0]["field"], "pfNames")
        self.assertIn("takes VFs 1-2; this is VF 3", devs[vf[3]["address"]]["checks"][0]["reason"])
        self.assertIn("vendor 8086, the PF's is 15b3", devs[self.cx6["address"]]["checks"][0]["reason"])
        self.assertIn("not a network controller", devs[self.nvme["address"]]["excluded"])
        # deviceID is the PF's: the VF device id selects nothing
        devs, _ = self.js("k8s-sriov-operator", {"deviceID": "1889"}, check=1)
        self.assertIn("deviceID is the PF's", devs[vf[0]["address"]]["checks"][0]["reason"])
        # a whole policy: its name, its nicSelector
        pol = {"apiVersion": "sriovnetwork.openshift.io/v1", "kind": "SriovNetworkNodePolicy",
               "metadata": {"name": "policy-x520"},
               "spec": {"resourceName": "x520", "numVfs": 2,
                        "nicSelector": {"rootDevices": [self.x520["address"]]}}}
        devs, r = self.js("k8s-sriov-operator", pol, check=0)
        self.assertEqual(r.json()["specs"][0]["name"], "policy-x520")
        self.assertEqual({a for a, d in devs.items() if d["taken_by"] == 0},
                         {self.x520["address"]} | {v["address"] for v in self.x520["vfs"]})

    def test_operator_refused(self):
        for spec, want in [({}, "the operator's webhook refuses it"),
                           ({"pfNames": ["ens1f0#3"]}, "NAME#FIRST-LAST"),
                           ({"pfNames": "ens1f0"}, "takes a list of strings"),
                           ({"vendor": 8086}, "takes a string")]:
            r = self.match("k8s-sriov-operator", spec, check=2)
            self.assertIn(want, r.err)


if __name__ == "__main__":
    unittest.main()
