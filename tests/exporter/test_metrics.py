# SPDX-License-Identifier: MIT
"""sriovctl metrics and sriovctl-exporter's HTTP side, judged by promtool
(Debian's prometheus 2.42): every hostgen profile lint-clean, deliberately
broken variants rejected, no duplicate series (which promtool misses),
label values from sysfs escaped; the textfile mode; 404/405, the landing
page, the options; inventory changes seen without a restart; slow
clients bounded; RSS flat over scrapes."""
import os
import socket
import time
import unittest

from common import TreeTest, hostgen, sriovctl
from exporter_common import Exporter, parse_labels, promtool, samples

PROFILES = {
    # profile: a card spec with VFs and every driver state the profile has
    "e810": "e810:vfs=4,vfio=1,unbound=1",
    "cx6": "cx6:vfs=3/0,vfio=1/0",
    "x520": "x520:vfs=2,link=down",
    "i350": "i350:vfs=2/1/0/0",
    "igb": "igb:vfs=3",
    "nvme": "nvme:vfs=2,total=8",
}


def assert_unique(test, text):
    seen = set()
    for name, labels, _ in samples(text):
        key = (name, labels)
        test.assertNotIn(key, seen, "duplicate series %s%s" % key)
        seen.add(key)


class Promtool(TreeTest):
    def metrics(self, root, *args):
        r = sriovctl("metrics", *args, root=root, check=0)
        self.assertEqual(r.err, "")
        return r.out

    def test_every_profile(self):
        for prof, card in PROFILES.items():
            with self.subTest(profile=prof):
                root = self.path(prof)
                man = hostgen(root, card)
                text = self.metrics(root)
                rc, out = promtool(text)
                self.assertEqual((rc, out), (0, ""), text)
                assert_unique(self, text)
                info = [parse_labels(lab) for n, lab, _ in samples(text)
                        if n == "sriov_vf_info"]
                want = sorted(vf["address"] for pf in man["pfs"] for vf in pf["vfs"])
                self.assertEqual(sorted(i["pci_address"] for i in info), want)
                nvfs = {parse_labels(lab)["pf"]: int(v) for n, lab, v in samples(text)
                        if n == "sriov_pf_num_vfs"}
                self.assertEqual(nvfs, {pf["address"]: len(pf["vfs"]) for pf in man["pfs"]})

    def test_broken_variants_rejected(self):
        root = self.path("h")
        hostgen(root, PROFILES["e810"])
        text = self.metrics(root)
        self.assertEqual(promtool(text)[0], 0)
        # a counter without _total: the lint (exit 3)
        bad = text.replace("sriov_exporter", "x").replace(
            "# TYPE sriov_pf_num_vfs gauge", "# TYPE sriov_pf_num_vfs counter")
        rc, out = promtool(bad)
        self.assertEqual(rc, 3, out)
        self.assertIn("counter metrics should have \"_total\" suffix", out)
        # an unescaped quote in a label value: a parse error (exit 1)
        bad = text.replace('driver="iavf"', 'driver="ia"vf"', 1)
        self.assertNotEqual(bad, text)
        rc, out = promtool(bad)
        self.assertEqual(rc, 1, out)
        # a raw newline in a label value: a parse error too
        bad = text.replace('driver="iavf"', 'driver="ia\nvf"', 1)
        rc, out = promtool(bad)
        self.assertEqual(rc, 1, out)

    def test_hostile_names_escaped(self):
        root = self.path("h")
        hostgen(root, "igb:vfs=1")
        net = os.path.join(root, "sys/class/net")
        old = [n for n in os.listdir(net) if n.endswith("v0")][0]
        target = os.readlink(os.path.join(net, old))
        evil = 'ev"il\\x\nvf\xff'.encode("utf-8", "surrogateescape") \
            if False else b'ev"il\\x\nvf\xff'
        devnet = os.path.join(net, os.path.dirname(target))
        os.rename(os.path.join(devnet.encode(), old.encode()),
                  os.path.join(devnet.encode(), evil))
        os.unlink(os.path.join(net, old))
        os.symlink(os.path.join(os.path.dirname(target).encode(), evil),
                   os.path.join(net.encode(), evil))
        text = self.metrics(root)
        self.assertEqual(promtool(text), (0, ""))
        line = [lab for n, lab, _ in samples(text) if n == "sriov_vf_info"][0]
        self.assertIn('netdev="ev\\"il\\\\x\\nvf\ufffd"', line)
        self.assertEqual(parse_labels(line)["netdev"], 'ev"il\\x\nvf\ufffd')

    def test_health_and_policy(self):
        root = self.path("h")
        # spoof checking off cannot be read on a tree: a VF alone in a
        # group that is viable, a PF whose VFs are lost at boot
        hostgen(root, "e810:vfs=2,vfio=1")
        text = self.metrics(root)
        found = {tuple(parse_labels(lab)[k] for k in ("id", "severity", "device")): int(v)
                 for n, lab, v in samples(text) if n == "sriov_check_findings"}
        r = sriovctl("check", "--json", root=root)
        want = {}
        for f in r.json()["findings"]:
            k = (f["id"], f["severity"], f["subject"] or "")
            want[k] = want.get(k, 0) + 1
        self.assertEqual(found, want)
        self.assertNotIn("sriov_policy_", text)  # no policy on this host
        # a policy that wants 4 VFs on the PF that has 2: 1 change
        pol = self.path("pol.yaml")
        with open(pol, "w") as f:
            f.write("pfs:\n  - match: {pci: \"0000:02:00.0\"}\n    num_vfs: 4\n")
        text = self.metrics(root, "-f", pol, "--no-checks")
        self.assertNotIn("sriov_check_", text)
        self.assertIn("\nsriov_policy_errors 0\n", text)
        plan = sriovctl("plan", "-f", pol, root=root)
        n = len([ln for ln in plan.out.splitlines() if "->" in ln])
        self.assertGreater(n, 0)
        self.assertIn("\nsriov_policy_drift_changes %d\n" % n, text)
        with open(pol, "w") as f:
            f.write("pfs:\n  - match: {pci: \"0000:02:00.0\"}\n    num_vfs: 999\n")
        text = self.metrics(root, "-f", pol, "--no-checks")
        self.assertIn("\nsriov_policy_errors 1\n", text)
        self.assertNotIn("sriov_policy_drift_changes", text)


class Textfile(TreeTest):
    def test_atomic_file(self):
        root = self.path("h")
        hostgen(root, PROFILES["i350"])
        out = self.path("textfile")
        os.mkdir(out)
        r = sriovctl("metrics", "--textfile", out, "--no-checks", root=root, check=0)
        self.assertEqual(r.out, "")
        self.assertEqual(os.listdir(out), ["sriovctl.prom"])
        with open(os.path.join(out, "sriovctl.prom")) as f:
            text = f.read()
        self.assertEqual(promtool(text), (0, ""))
        self.assertEqual(text, sriovctl("metrics", "--no-checks", root=root, check=0).out)
        # a symbolic link there is not followed: refused, its target intact
        os.unlink(os.path.join(out, "sriovctl.prom"))
        victim = self.path("victim")
        with open(victim, "w") as f:
            f.write("keep\n")
        os.symlink(victim, os.path.join(out, "sriovctl.prom"))
        r = sriovctl("metrics", "--textfile", out, root=root, check=1)
        self.assertIn("sriovctl.prom: cannot write", r.err)
        with open(victim) as f:
            self.assertEqual(f.read(), "keep\n")
        r = sriovctl("metrics", "--textfile", self.path("nodir"), root=root, check=1)
        self.assertIn("cannot write", r.err)

    def test_usage(self):
        root = self.path("h")
        hostgen(root, "igb:vfs=1")
        sriovctl("metrics", "--json", root=root, check=2)
        sriovctl("metrics", "extra", root=root, check=2)
        sriovctl("metrics", "--textfile", root=root, check=2)
        sriovctl("metrics", "-f", "x", "--no-policy", root=root, check=2)
        r = sriovctl("help", "metrics", check=0)
        self.assertIn("--textfile DIR", r.out)


class Http(TreeTest):
    def setUp(self):
        super().setUp()
        self.root = self.path("h")
        self.man = hostgen(self.root, PROFILES["e810"], PROFILES["igb"])
        self.ex = None

    def tearDown(self):
        if self.ex:
            rc, err = self.ex.stop()
            self.assertEqual(rc, 0, err)
        super().tearDown()

    def test_routes(self):
        self.ex = Exporter(root=self.root)
        st, h, body = self.ex.get("/")
        self.assertEqual(st, 200)
        self.assertIn('<a href="/metrics">', body)
        st, h, body = self.ex.get("/metrics")
        self.assertEqual(st, 200)
        self.assertEqual(h["content-type"], "text/plain; version=0.0.4; charset=utf-8")
        self.assertEqual(promtool(body), (0, ""))
        assert_unique(self, body)
        self.assertIn('sriov_exporter_build_info{version="', body)
        st, h, body = self.ex.get("/metrics", method="HEAD")
        self.assertEqual((st, body), (200, ""))
        for path in ("/nope", "/metrics/", "/metricsx", "/favicon.ico"):
            self.assertEqual(self.ex.get(path)[0], 404, path)
        for m in ("POST", "PUT", "DELETE", "OPTIONS"):
            st, h, _ = self.ex.get("/metrics", method=m, body="x=1")
            self.assertEqual(st, 405, m)
            self.assertEqual(h["allow"], "GET, HEAD")
            self.assertEqual(self.ex.get("/", method=m)[0], 405, m)
            self.assertEqual(self.ex.get("/nope", method=m)[0], 404, m)

    def test_same_as_cli(self):
        self.ex = Exporter("--no-checks", "--no-policy", root=self.root)
        body = self.ex.get()[2]
        cli = sriovctl("metrics", "--no-checks", "--no-policy", root=self.root, check=0).out
        # the exporter adds its own families, nothing else differs
        strip = [ln for ln in body.splitlines() if "sriov_exporter_" not in ln]
        self.assertEqual(strip, cli.splitlines())

    def test_telemetry_path_and_options(self):
        self.ex = Exporter("--web.telemetry-path", "/m", root=self.root)
        self.assertEqual(self.ex.get("/m")[0], 200)
        self.assertEqual(self.ex.get("/metrics")[0], 404)
        self.assertIn('<a href="/m">', self.ex.get("/")[2])
        import subprocess
        from exporter_common import EXPORTER
        for bad in (["--web.telemetry-path", "m"], ["--web.telemetry-path", "/<b>"], ["--web.listen-address", "nope"],
                    ["--web.listen-address", ":99999"], ["--checks.interval", "0"],
                    ["--web.max-connections", "x"], ["--bogus"], ["extra"],
                    ["--policy", "x", "--no-policy"]):
            p = subprocess.run([EXPORTER, "--root", self.root, *bad],
                               capture_output=True, text=True, timeout=30)
            self.assertEqual(p.returncode, 2, (bad, p.stderr))
            self.assertTrue(p.stderr.startswith("sriovctl-exporter: "), p.stderr)
        p = subprocess.run([EXPORTER, "--root", self.path("none")],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 1, p.stderr)
        # the port in use: one clear line, exit 1
        p = subprocess.run([EXPORTER, "--root", self.root, "--web.listen-address",
                            "127.0.0.1:%d" % self.ex.port],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("cannot listen on", p.stderr)

    def test_inventory_change_without_restart(self):
        self.ex = Exporter("--inventory.interval", "1", "--no-checks", root=self.root)
        body = self.ex.get()[2]
        pf = self.man["pfs"][0]["address"]
        self.assertIn('sriov_pf_num_vfs{pf="%s"} 4\n' % pf, body)
        # the same host with 2 VFs swapped in under the root
        other = self.path("h2")
        hostgen(other, "e810:vfs=2", PROFILES["igb"])
        os.rename(os.path.join(self.root, "sys"), self.path("old-sys"))
        os.rename(os.path.join(other, "sys"), os.path.join(self.root, "sys"))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            body = self.ex.get()[2]
            if 'sriov_pf_num_vfs{pf="%s"} 2\n' % pf in body:
                break
            time.sleep(0.2)
        self.assertIn('sriov_pf_num_vfs{pf="%s"} 2\n' % pf, body)
        vfs = [parse_labels(lab) for n, lab, _ in samples(body)
               if n == "sriov_vf_info" and parse_labels(lab)["pf"] == pf]
        self.assertEqual(len(vfs), 2)

    def test_slow_clients_bounded(self):
        self.ex = Exporter("--web.timeout", "1", "--web.max-connections", "8",
                           root=self.root)
        # clients that send half a request and wait
        slow = []
        for _ in range(8):
            s = socket.create_connection(("127.0.0.1", self.ex.port), 5)
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
            slow.append(s)
        # the exporter closes them after its timeout
        t0 = time.monotonic()
        for s in slow:
            s.settimeout(10)
            self.assertEqual(s.recv(4096), b"")
            s.close()
        self.assertLess(time.monotonic() - t0, 8)
        # and answers again
        self.assertEqual(self.ex.get()[0], 200)

    def test_concurrent_scrapes(self):
        import concurrent.futures
        self.ex = Exporter("--web.max-connections", "8", root=self.root)
        want = self.ex.get()[2].count("\nsriov_vf_info{")

        def client(_):
            got = []
            for _ in range(15):
                st, _, body = self.ex.get()
                got.append((st, body.count("\nsriov_vf_info{")))
            return got
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = sum(pool.map(client, range(8)), [])
        self.assertEqual(results, [(200, want)] * 120)

    def test_rss_flat(self):
        self.ex = Exporter(root=self.root)
        for _ in range(50):
            self.assertEqual(self.ex.get()[0], 200)
        before = self.ex.rss_kb()
        for _ in range(300):
            self.ex.get()
        after = self.ex.rss_kb()
        self.assertLess(after - before, 1024, (before, after))


if __name__ == "__main__":
    unittest.main()
