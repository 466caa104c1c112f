# SPDX-License-Identifier: MIT
"""Shared by the exporter's tests: start sriovctl-exporter, fetch, parse."""
import http.client
import os
import re
import socket
import ssl
import subprocess
import time

EXPORTER = os.environ["SRIOVCTL_EXPORTER"]
PROMTOOL = os.environ.get("PROMTOOL", "promtool")
PROMETHEUS = os.environ.get("PROMETHEUS", "prometheus")

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$')


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def promtool(text):
    """promtool check metrics on @text: (exit status, its output)."""
    p = subprocess.run([PROMTOOL, "check", "metrics"], input=text,
                       capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout + p.stderr


def samples(text):
    """The sample lines of an exposition as (name, labels text, value)."""
    out = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if not m:
            raise AssertionError("not a sample line: %r" % line)
        out.append((m.group(1), m.group(2) or "", m.group(3)))
    return out


def parse_labels(s):
    """'{a="x",b="y\\"z"}' -> dict, undoing the format's escapes."""
    labels = {}
    i = 1
    while i < len(s) - 1:
        eq = s.index("=", i)
        name = s[i:eq]
        assert s[eq + 1] == '"', s
        j = eq + 2
        val = []
        while s[j] != '"':
            if s[j] == "\\":
                val.append({"n": "\n", "\\": "\\", '"': '"'}[s[j + 1]])
                j += 2
            else:
                val.append(s[j])
                j += 1
        labels[name] = "".join(val)
        i = j + 1
        if s[i] == ",":
            i += 1
    return labels


class Exporter:
    """sriovctl-exporter on 127.0.0.1 on a free port, stopped by stop()."""

    def __init__(self, *args, root=None, scheme="http"):
        self.port = free_port()
        cmd = [EXPORTER, "--web.listen-address", "127.0.0.1:%d" % self.port]
        if root is not None:
            cmd += ["--root", str(root)]
        cmd += list(args)
        self.cmd = cmd
        self.scheme = scheme
        # under ASan, freed memory waits in a quarantine: RSS would grow
        env = dict(os.environ)
        env["ASAN_OPTIONS"] = ":".join(filter(None, [
            env.get("ASAN_OPTIONS"), "quarantine_size_mb=0"]))
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, env=env)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("%s exited %d: %s" % (
                    " ".join(cmd), self.proc.returncode, self.proc.stderr.read()))
            try:
                with socket.create_connection(("127.0.0.1", self.port), 0.5):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise AssertionError("the exporter did not listen within 20 s")

    def conn(self, timeout=30):
        if self.scheme == "https":
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            return http.client.HTTPSConnection("127.0.0.1", self.port,
                                               timeout=timeout, context=ctx)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def get(self, path="/metrics", method="GET", headers=None, body=None):
        """(status, headers dict, body text)."""
        c = self.conn()
        try:
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, \
                r.read().decode("utf-8")
        finally:
            c.close()

    def rss_kb(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise AssertionError("no VmRSS")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        err = self.proc.stderr.read()
        self.proc.stdout.close()
        self.proc.stderr.close()
        return self.proc.returncode, err
