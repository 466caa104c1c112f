# SPDX-License-Identifier: MIT
"""A real Prometheus 2.42 server (Debian's prometheus) scrapes
sriovctl-exporter on 127.0.0.1 and answers a query for a VF series
through its HTTP API; over TLS with basic auth from a web config in
exporter-toolkit's format too. It drops duplicate series silently, so the
samples it scraped are compared with the series it stored."""
import json
import os
import shutil
import subprocess
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

from common import TreeTest, hostgen
from exporter_common import PROMETHEUS, Exporter, free_port, samples

# Target discovery waits about 5 s before the first scrape.
READY_S = 30


def bcrypt(password):
    """A bcrypt hash ($2b$, cost 4: fast) from Debian's python3 (libxcrypt)."""
    p = subprocess.run(
        ["/usr/bin/python3", "-W", "ignore", "-c",
         "import crypt, sys; print(crypt.crypt(sys.argv[1], "
         "crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)))", password],
        capture_output=True, text=True, check=True, timeout=30)
    h = p.stdout.strip()
    assert h.startswith("$2b$04$") and len(h) == 60, h
    return h


class Prometheus:
    def __init__(self, tmp, target, scheme="http", extra=""):
        self.port = free_port()
        self.dir = os.path.join(tmp, "prom")
        os.makedirs(self.dir)
        conf = os.path.join(self.dir, "prometheus.yml")
        with open(conf, "w") as f:
            f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                    "scrape_configs:\n  - job_name: sriov\n"
                    "    scheme: %s\n%s"
                    "    static_configs:\n      - targets: ['%s']\n"
                    % (scheme, extra, target))
        self.log = open(os.path.join(self.dir, "log"), "w")
        self.proc = subprocess.Popen(
            [PROMETHEUS, "--config.file", conf,
             "--storage.tsdb.path", os.path.join(self.dir, "data"),
             "--web.listen-address", "127.0.0.1:%d" % self.port],
            stdout=self.log, stderr=subprocess.STDOUT)

    def api(self, path, **params):
        url = "http://127.0.0.1:%d/api/v1/%s" % (self.port, path)
        if params:
            url += "?" + urllib.parse.urlencode(params)
        with urllib.request.urlopen(url, timeout=10) as r:
            return json.load(r)

    def query(self, q):
        d = self.api("query", query=q)
        assert d["status"] == "success", d
        return d["data"]["result"]

    def wait_up(self):
        """The target once it is up (a scrape went through), or fail."""
        deadline = time.monotonic() + READY_S
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("prometheus exited: %s" % self.logtext())
            try:
                t = self.api("targets")["data"]["activeTargets"]
                last = t
                if t and t[0]["health"] == "up":
                    return t[0]
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError("no successful scrape in %d s: %s\n%s"
                             % (READY_S, last, self.logtext()))

    def logtext(self):
        self.log.flush()
        with open(os.path.join(self.dir, "log")) as f:
            return f.read()[-3000:]

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


class Scrape(TreeTest):
    def setUp(self):
        super().setUp()
        self.assertIsNotNone(shutil.which(PROMETHEUS), "Debian's prometheus is missing: ./dev.sh deps")
        self.root = self.path("h")
        self.man = hostgen(self.root, "e810:vfs=3,vfio=1", "igb:vfs=2")
        self.ex = self.prom = None

    def tearDown(self):
        if self.prom:
            self.prom.stop()
        if self.ex:
            rc, err = self.ex.stop()
            self.assertEqual(rc, 0, err)
        super().tearDown()

    def check_vf_series(self, headers=None):
        vf = self.man["pfs"][0]["vfs"][1]
        pf = self.man["pfs"][0]["address"]
        res = self.prom.query('sriov_vf_info{pf="%s",vf="1"}' % pf)
        self.assertEqual(len(res), 1, res)
        m = res[0]["metric"]
        self.assertEqual(m["pci_address"], vf["address"])
        self.assertEqual(m["job"], "sriov")
        self.assertEqual(res[0]["value"][1], "1")
        self.assertEqual(len(self.prom.query("sriov_vf_info")),
                         sum(len(p["vfs"]) for p in self.man["pfs"]))
        # every sample scraped was stored: no duplicate series dropped
        scraped = int(self.prom.query("scrape_samples_scraped")[0]["value"][1])
        body = self.ex.get(headers=headers)[2]
        self.assertEqual(scraped, len(samples(body)))
        stored = int(self.prom.query('count({job="sriov",__name__=~"sriov_.*"})')[0]["value"][1])
        self.assertEqual(stored, scraped)

    def test_scrape_and_query(self):
        self.ex = Exporter(root=self.root)
        t0 = time.monotonic()
        self.prom = Prometheus(self.tmp, "127.0.0.1:%d" % self.ex.port)
        target = self.prom.wait_up()
        self.assertEqual(target["scrapeUrl"], "http://127.0.0.1:%d/metrics" % self.ex.port)
        self.assertLess(time.monotonic() - t0, 20)
        self.check_vf_series()
        self.dashboard_queries()

    def dashboard_queries(self):
        """Every query of data/grafana/sriovctl-dashboard.json runs on this
        Prometheus, with Grafana's variables given values."""
        with open(os.path.join(os.environ["SOURCE_ROOT"],
                               "data/grafana/sriovctl-dashboard.json")) as f:
            dash = json.load(f)
        exprs = {p["title"]: t["expr"] for p in dash["panels"] for t in p["targets"]}
        self.assertEqual(len(exprs), 10)
        for title, e in exprs.items():
            q = e.replace("$__rate_interval", "1m").replace("$instance", ".*")
            with self.subTest(panel=title):
                d = self.prom.api("query", query=q)
                self.assertEqual(d["status"], "success", (q, d))
        nvf = sum(len(p["vfs"]) for p in self.man["pfs"])
        q = exprs["VF state"].replace("$instance", ".*")
        self.assertEqual(len(self.prom.query(q)), nvf)
        q = exprs["VFs"].replace("$instance", ".*")
        self.assertEqual(self.prom.query(q)[0]["value"][1], str(nvf))
        # a query with a typo is refused: the check above can fail
        d = None
        try:
            self.prom.api("query", query="sum by (pf (sriov_vf_info)")
        except urllib.error.HTTPError as e:
            d = json.load(e)
        self.assertEqual(d["status"], "error")

    def test_tls_and_basic_auth(self):
        cert, key = self.path("c.pem"), self.path("k.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                        "-keyout", key, "-out", cert, "-days", "2",
                        "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, capture_output=True, timeout=60)
        conf = self.path("web.yml")
        with open(conf, "w") as f:
            # relative paths: from the file's directory, as exporter-toolkit
            f.write("tls_server_config:\n  cert_file: c.pem\n  key_file: k.pem\n"
                    "basic_auth_users:\n  prom: %s\n" % bcrypt("s3cret"))
        self.ex = Exporter("--web.config.file", conf, root=self.root, scheme="https")
        import base64
        good = {"Authorization": "Basic " + base64.b64encode(b"prom:s3cret").decode()}
        bad = {"Authorization": "Basic " + base64.b64encode(b"prom:wrong").decode()}
        nobody = {"Authorization": "Basic " + base64.b64encode(b"eve:s3cret").decode()}
        st, h, _ = self.ex.get()
        self.assertEqual(st, 401)
        self.assertIn("Basic", h["www-authenticate"])
        self.assertEqual(self.ex.get(headers=bad)[0], 401)
        self.assertEqual(self.ex.get(headers=nobody)[0], 401)
        self.assertEqual(self.ex.get("/", headers=bad)[0], 401)
        st, _, body = self.ex.get(headers=good)
        self.assertEqual(st, 200)
        self.assertIn("sriov_vf_info{", body)
        # plain HTTP on the TLS port is no answer
        import http.client
        c = http.client.HTTPConnection("127.0.0.1", self.ex.port, timeout=10)
        with self.assertRaises((http.client.HTTPException, OSError)):
            c.request("GET", "/metrics")
            c.getresponse().read()
        c.close()
        # Prometheus with the CA and the password scrapes it
        self.prom = Prometheus(self.tmp, "127.0.0.1:%d" % self.ex.port, scheme="https",
                               extra="    tls_config:\n      ca_file: %s\n"
                                     "    basic_auth:\n      username: prom\n"
                                     "      password: s3cret\n" % cert)
        self.prom.wait_up()
        self.check_vf_series(good)

    def test_bad_web_configs(self):
        from exporter_common import EXPORTER
        cases = {
            "tls_server_config:\n  cert_file: a\n": "needs both cert_file and key_file",
            "tls_server_config:\n  cert_file: a\n  key_file: b\n  client_auth_type: x\n":
                "'client_auth_type' is not supported",
            "http_server_config:\n  http2: false\n": "'http_server_config' is not supported",
            "basic_auth_users:\n  u: plaintext\n": "is not a bcrypt hash",
            "basic_auth_users: [a]\n": "is a mapping",
            "tls_server_config:\n  cert_file: nope\n  key_file: nope\n": "cannot read cert_file",
            "a: [\n": "line ",
        }
        for text, msg in cases.items():
            with self.subTest(text=text):
                conf = self.path("web.yml")
                with open(conf, "w") as f:
                    f.write(text)
                p = subprocess.run([EXPORTER, "--root", self.root, "--web.config.file", conf,
                                    "--web.listen-address", "127.0.0.1:%d" % free_port()],
                                   capture_output=True, text=True, timeout=30)
                self.assertEqual(p.returncode, 1, p.stderr)
                self.assertIn(msg, p.stderr)
                self.assertEqual(len(p.stderr.splitlines()), 1, p.stderr)


if __name__ == "__main__":
    unittest.main()
