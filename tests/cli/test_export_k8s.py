# SPDX-License-Identifier: MIT
"""sriovctl export's Kubernetes formats: where the policy comes from, and
the errors (exit 1: what the host or policy cannot give the consumer;
exit 2: bad usage), each precise and with nothing printed or written.
(The consumers' own checks of the output: tests/consumers/test_k8s.py.)"""
import json
import os
import shutil
import tempfile
import unittest

from common import hostgen, sriovctl

GOOD = """\
pfs:
  - match: {netdev: ens1f0np0}
    vfs:
      "0-1": {driver: iavf, vlan: 100, pool: net_a}
      "2-3": {driver: vfio-pci, pool: dpdk}
"""


class ExportK8s(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="sriovctl-export-k8s-")
        cls.root = os.path.join(cls.dir, "host")
        cls.man = hostgen(cls.root, "e810:pfs=1,vfs=4,vfio=1")
        cls.n = 0

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def policy(self, text):
        ExportK8s.n += 1
        path = os.path.join(self.dir, f"policy{self.n}.yaml")
        with open(path, "w") as f:
            f.write(text)
        return path

    def export(self, *args, check=0):
        return sriovctl("export", *args, root=self.root, check=check)

    def refused(self, rc, want, *args):
        out = os.path.join(self.dir, "out.json")
        r = self.export(*args, "-o", out, check=rc)
        self.assertEqual(r.out, "")
        self.assertFalse(os.path.exists(out), "written despite the error")
        self.assertIn(want, r.err)
        self.assertTrue(r.err.startswith("sriovctl: "), r.err)
        self.assertEqual(r.err.count("\n"), 1, r.err)
        return r.err

    def test_policy_of_the_host_read_without_f(self):
        """The formats need the pools: the host's policy is read without
        -f or --pool; no policy at all is an error that says so."""
        self.refused(1, "or name it with -f FILE", "k8s-device-plugin", "ens1f0np0/vf0-1")
        path = os.path.join(self.root, "etc", "sriovctl", "sriovctl.yaml")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(GOOD)
        try:
            conf = json.loads(self.export("k8s-device-plugin", "ens1f0np0").out)
            self.assertEqual([r["resourceName"] for r in conf["resourceList"]],
                             ["net_a", "dpdk"])
            nad = json.loads(self.export("k8s-nad", "ens1f0np0/vf0-1", "--name", "a").out)
            self.assertEqual(nad["metadata"]["annotations"],
                             {"k8s.v1.cni.cncf.io/resourceName": "intel.com/net_a"})
        finally:
            os.unlink(path)

    def test_pools_required(self):
        pol = self.policy(GOOD.replace(', pool: dpdk', ''))
        for fmt, extra in (("k8s-device-plugin", ()), ("k8s-nad", ("--name", "n")),
                           ("k8s-sriov-operator", ("--name", "node1"))):
            with self.subTest(fmt):
                err = self.refused(1, "ens1f0np0/vf2 is in no pool", fmt, "ens1f0np0",
                                   "-f", pol, *extra)
                self.assertIn("give its VF range 'pool: NAME' in " + pol, err)
        pol = self.policy(GOOD.replace("pool: dpdk", "pool: dp-dk"))
        self.refused(1, "pool 'dp-dk' (of ens1f0np0/vf2): a Kubernetes SR-IOV resource name is A-Z a-z 0-9 _ only",
                     "k8s-device-plugin", "--pool", "dp-dk", "-f", pol)

    def test_device_plugin_errors(self):
        pol = self.policy(GOOD.replace("pool: net_a", "pool: dpdk"))
        self.refused(1, "pool dpdk has ens1f0np0/vf2 on vfio-pci and ens1f0np0/vf0 on iavf",
                     "k8s-device-plugin", "--pool", "dpdk", "-f", pol)
        pol = self.policy(GOOD.replace("driver: iavf", "driver: none"))
        self.refused(1, "ens1f0np0/vf0 (pool net_a) has no driver", "k8s-device-plugin",
                     "--pool", "net_a", "-f", pol)
        pol = self.policy(GOOD)
        for opt in (("--namespace", "x"), ("--name", "x"), ("--physnet", "p")):
            with self.subTest(opt[0]):
                self.refused(2, f"{opt[0]} is not an option of k8s-device-plugin",
                             "k8s-device-plugin", "--pool", "dpdk", "-f", pol, *opt)

    def test_nad_errors(self):
        pol = self.policy(GOOD)
        self.refused(2, "k8s-nad needs --name NAME", "k8s-nad", "--pool", "net_a", "-f", pol)
        for name in ("Net", "net_a", "a-", "a.", "a..b", "a" * 254):
            with self.subTest(name=name[:10]):
                self.refused(2, f"--name '{name}': a NetworkAttachmentDefinition's name is 1..253",
                             "k8s-nad", "--pool", "net_a", "-f", pol, "--name", name)
        for ns in ("Tenant", "a.b", "a" * 64):
            with self.subTest(ns=ns[:10]):
                self.refused(2, f"--namespace '{ns}': a Kubernetes namespace is 1..63",
                             "k8s-nad", "--pool", "net_a", "-f", pol, "--name", "n",
                             "--namespace", ns)
        self.refused(1, "ens1f0np0/vf0 is in pool net_a and ens1f0np0/vf2 in pool dpdk",
                     "k8s-nad", "ens1f0np0", "-f", pol, "--name", "n")
        pol = self.policy(GOOD.replace('"0-1": {driver: iavf, vlan: 100, pool: net_a}',
                                       '"0": {vlan: 100, pool: net_a}\n'
                                       '      "1": {vlan: 200, pool: net_a}'))
        self.refused(1, "ens1f0np0/vf0 has vlan 100 and ens1f0np0/vf1 vlan 200",
                     "k8s-nad", "--pool", "net_a", "-f", pol, "--name", "n")
        pol = self.policy(GOOD.replace('"0-1": {driver: iavf, vlan: 100, pool: net_a}',
                                       '"0": {vlan: 100, trust: on, pool: net_a}\n'
                                       '      "1": {vlan: 100, pool: net_a}'))
        self.refused(1, "ens1f0np0/vf0 has trust on and ens1f0np0/vf1 trust unset",
                     "k8s-nad", "--pool", "net_a", "-f", pol, "--name", "n")
        self.refused(2, "--mac is not an option of k8s-nad", "k8s-nad", "--pool", "net_a",
                     "-f", self.policy(GOOD), "--name", "n", "--mac", "02:00:00:00:00:01")

    def test_operator_errors(self):
        pol = self.policy(GOOD)
        hostname = os.path.join(self.root, "etc", "hostname")
        self.assertFalse(os.path.exists(hostname))
        self.refused(1, "cannot read /etc/hostname under", "k8s-sriov-operator",
                     "--pool", "dpdk", "-f", pol)
        self.refused(1, "give the node's name with --name NODE", "k8s-sriov-operator",
                     "--pool", "dpdk", "-f", pol)
        self.refused(2, "node name 'Node_1': a Kubernetes node name", "k8s-sriov-operator",
                     "--pool", "dpdk", "-f", pol, "--name", "Node_1")
        os.makedirs(os.path.dirname(hostname), exist_ok=True)
        with open(hostname, "w") as f:
            f.write("bad_host\n")
        try:
            self.refused(2, "node name 'bad_host' (from /etc/hostname)", "k8s-sriov-operator",
                         "--pool", "dpdk", "-f", pol)
            # --name wins over the file
            lst = json.loads(self.export("k8s-sriov-operator", "--pool", "dpdk", "-f", pol,
                                         "--name", "n1").out)
            self.assertEqual(lst["items"][0]["spec"]["nodeSelector"],
                             {"kubernetes.io/hostname": "n1"})
        finally:
            os.unlink(hostname)
        pol = self.policy(GOOD.replace("driver: vfio-pci", "driver: none"))
        self.refused(1, "the policy leaves VFs 2-3 unbound (driver: none)", "k8s-sriov-operator",
                     "--pool", "dpdk", "-f", pol, "--name", "n1")


if __name__ == "__main__":
    unittest.main()
