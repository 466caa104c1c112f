# SPDX-License-Identifier: MIT
"""sriovctl policy import sriov-operator: the operator's merge rules, notes, errors, read-back."""
import os
import unittest

from common import TreeTest, hostgen, sriovctl

POLICIES = """\
apiVersion: v1
kind: List
items:
- apiVersion: sriovnetwork.openshift.io/v1
  kind: SriovNetworkNodePolicy
  metadata:
    name: policy-netdev
    namespace: openshift-sriov-network-operator
  spec:
    resourceName: intelnics
    nodeSelector:
      feature.node.kubernetes.io/network-sriov.capable: "true"
    priority: 50
    mtu: 9000
    numVfs: 8
    nicSelector:
      pfNames: ["ens1f0#0-3"]
    deviceType: netdevice
- apiVersion: sriovnetwork.openshift.io/v1
  kind: SriovNetworkNodePolicy
  metadata:
    name: policy-dpdk
  spec:
    resourceName: intel_dpdk
    nodeSelector: {kubernetes.io/hostname: worker-0}
    priority: 10
    numVfs: 8
    nicSelector:
      pfNames: ["ens1f0#4-7"]
    deviceType: vfio-pci
---
apiVersion: sriovnetwork.openshift.io/v1
kind: SriovNetworkNodePolicy
metadata:
  name: by-id
spec:
  resourceName: cx6
  nodeSelector: {}
  numVfs: 4
  nicSelector: {vendor: "15b3", deviceID: "101d"}
  needVhostNet: true
"""

WANT = """\
pfs:
- match: {vendor: "15b3", device: "101d"}
  num_vfs: 4
  vfs:
    "0-3": {pool: cx6}
- match: {netdev: ens1f0}
  num_vfs: 8
  mtu: 9000
  vfs:
    "0-3": {mtu: 9000, pool: intelnics}
    "4-7": {driver: vfio-pci, pool: intel_dpdk}
"""


def body(text):
    return "".join(l + "\n" for l in text.splitlines() if not l.startswith("#"))


def policy(name, prio, num, sel, extra=""):
    return (f"---\napiVersion: sriovnetwork.openshift.io/v1\nkind: SriovNetworkNodePolicy\n"
            f"metadata: {{name: {name}}}\nspec:\n  resourceName: {name.replace('-', '_')}\n"
            f"  nodeSelector: {{}}\n  priority: {prio}\n  numVfs: {num}\n"
            f"  nicSelector: {sel}\n{extra}")


class Import(TreeTest):
    def write(self, name, text):
        p = self.path(name)
        with open(p, "w") as f:
            f.write(text)
        return p

    def imp(self, text, *args, check=0):
        return sriovctl("policy", "import", "sriov-operator", self.write("op.yaml", text),
                        *args, check=check)

    def test_merge_and_notes(self):
        r = self.imp(POLICIES, "--node", "worker-0")
        self.assertEqual(body(r.out), WANT)
        self.assertIn("# SriovNetworkNodePolicy objects of " + self.path("op.yaml") +
                      " for node worker-0", r.out)
        self.assertIn("note: by-id: needVhostNet is the device plugin's", r.err)
        self.assertIn("note: policy-netdev: its nodeSelector label "
                      "feature.node.kubernetes.io/network-sriov.capable=true is not checked",
                      r.err)
        # another node: the hostname-pinned policy is left out
        r = self.imp(POLICIES, "--node", "worker-1")
        self.assertNotIn("intel_dpdk", r.out)
        self.assertIn("note: policy-dpdk: left out: its nodeSelector names node worker-0, "
                      "this host is worker-1", r.err)

    def test_node_from_the_roots_hostname(self):
        os.makedirs(self.path("etc"), exist_ok=True)
        self.write("etc/hostname", "Worker-0\n")
        r = sriovctl("--root", self.tmp, "policy", "import", "sriov-operator",
                     self.write("op.yaml", POLICIES), check=0)
        self.assertIn("intel_dpdk", r.out)

    def test_output_reads_back_and_plans(self):
        root = self.path("host")
        nd = hostgen(root, "e810:pfs=1,vfs=0", "cx6:pfs=1,vfs=0")["pfs"][0]["netdevs"][0]
        out = self.path("policy.yaml")
        self.imp(POLICIES.replace("ens1f0", nd), "--node", "worker-0", "-o", out)
        with open(out) as f:
            self.assertEqual(body(f.read()), WANT.replace("ens1f0", nd))
        r = sriovctl("--root", root, "policy", "check", "-f", out, check=0)
        self.assertIn("VFs 4-7: driver vfio-pci pool intel_dpdk", r.out)
        r = sriovctl("--root", root, "plan", "-f", out, "--json", check=None)
        self.assertIn(r.rc, (0, 3), r.err)

    def test_export_then_import_plans_the_same(self):
        """export k8s-sriov-operator and import sriov-operator are inverses:
        the imported policy plans exactly what the exported one did. The
        export's nicSelector has pfNames with ranges and rootDevices; the
        operator ANDs them, so rootDevices narrows the named PF and does
        not add all its VFs."""
        root = self.path("host")
        nd = hostgen(root, "e810:pfs=1,vfs=8")["pfs"][0]["netdevs"][0]
        orig = self.write("orig.yaml", f"""\
pfs:
  - match: {{netdev: {nd}}}
    num_vfs: 8
    mtu: 9000
    vfs:
      "0-3": {{mtu: 9000, pool: net_a}}
      "4-7": {{driver: vfio-pci, pool: dpdk}}
""")
        op = self.path("op.json")
        sriovctl("--root", root, "export", "k8s-sriov-operator", "-f", orig, "--name", "n1",
                 nd, "-o", op, check=0)
        back = self.path("back.yaml")
        r = sriovctl("--root", root, "policy", "import", "sriov-operator", op, "--node", "n1",
                     "-o", back, check=0)
        self.assertIn("nicSelector's rootDevices and vendor/deviceID also must match: "
                      "sriovctl selects the PF by name alone", r.err)
        plans = [sriovctl("--root", root, "plan", "-f", f, "--json", check=0).out
                 for f in (orig, back)]
        self.assertIn('"vfio-pci"', plans[0])
        self.assertEqual(plans[0], plans[1])

    def test_priority(self):
        # the operator applies 99 first, 0 last: the higher priority's numVfs
        # and VFs win; a lower one keeps what the higher does not take
        text = (policy("low", 50, 8, '{pfNames: ["ens1f0"]}') +
                policy("high", 10, 6, '{pfNames: ["ens1f0#2-3"]}'))
        r = self.imp(text)
        self.assertEqual(body(r.out),
                         "pfs:\n- match: {netdev: ens1f0}\n  num_vfs: 6\n  vfs:\n"
                         "    \"0-1\": {pool: low}\n    \"2-3\": {pool: high}\n"
                         "    \"4-5\": {pool: low}\n")
        self.assertIn("note: low: VFs 2-3 of ens1f0 go to high (priority 10 over 50)", r.err)
        self.assertIn("note: low: VFs 6-7 of ens1f0 left out: numVfs is 6 (from high)", r.err)
        # equal priorities: the larger count
        r = self.imp(policy("a", 20, 4, '{pfNames: ["ens1f0#0-1"]}') +
                     policy("b", 20, 8, '{pfNames: ["ens1f0#2-7"]}'))
        self.assertIn("  num_vfs: 8\n", r.out)

    def test_equal_priority_overlap_is_an_error(self):
        text = (policy("a", 20, 8, '{pfNames: ["ens1f0#0-3"]}') +
                policy("b", 20, 8, '{pfNames: ["ens1f0#3-5"]}'))
        out = self.path("never.yaml")
        r = self.imp(text, "-o", out, check=1)
        self.assertIn("op.yaml:20:27: b: VFs 3-3 of ens1f0 are also given by policy a of "
                      "the same priority 20 (at " + self.path("op.yaml") + ":10); the operator "
                      "refuses that too", r.err)
        self.assertIn("1 error; nothing was written", r.err)
        self.assertFalse(os.path.exists(out))

    def test_errors(self):
        head = ("apiVersion: sriovnetwork.openshift.io/v1\nkind: SriovNetworkNodePolicy\n"
                "metadata: {name: p}\nspec:\n  resourceName: r\n  nodeSelector: {}\n"
                "  numVfs: 4\n")
        cases = [
            (head + "  nicSelector: {pfNames: [ens1f0]}\n  eSwitchMode: switchdev\n",
             ":9:16: eSwitchMode: switchdev is not supported by sriovctl yet"),
            (head + "  nicSelector: {pfNames: [ens1f0]}\n  linkType: IB\n",
             ":9:13: linkType: ib: sriovctl configures Ethernet VFs"),
            (head + "  nicSelector: {pfNames: [ens1f0]}\n  numvfs: 3\n",
             ":9:3: spec: unknown field \"numvfs\" of a SriovNetworkNodePolicy"),
            (head + "  nicSelector: {pfNames: [\"ens1f0#3\"]}\n",
             ":8:27: pfNames: \"ens1f0#3\": the operator takes NAME#FIRST-LAST"),
            (head + "  nicSelector: {pfNames: [\"ens1f0#5-2\"]}\n",
             "the operator takes NAME#FIRST-LAST"),
            (head + "  nicSelector: {vendor: 8086x}\n",
             ":8:25: vendor: expected 4 hex digits (\"8086\"), got \"8086x\""),
            (head + "  nicSelector: {vendor: \"8086\"}\n",
             "p: nicSelector selects no PF sriovctl can name"),
            (head + "  nicSelector: {pfNames: [ens1f0], pciAddr: x}\n",
             "nicSelector: unknown field \"pciAddr\""),
            (head + "  nicSelector: {rootDevices: [\"0000:3b:00\"]}\n",
             "rootDevices: \"0000:3b:00\" is not a PCI address"),
            (head.replace("numVfs: 4", "numVfs: -1") + "  nicSelector: {pfNames: [e]}\n",
             "numVfs: expected a number, got \"-1\""),
            (head.replace("  resourceName: r\n", "") + "  nicSelector: {pfNames: [e]}\n",
             "p: spec.resourceName: missing"),
            (head.replace("resourceName: r", "resourceName: a-b") + "  nicSelector: {pfNames: [e]}\n",
             "resourceName: \"a-b\" is not a resource name"),
            (head.replace("kind: SriovNetworkNodePolicy", "kind: SriovNetwork"),
             ":1:1: kind: \"SriovNetwork\" is not a SriovNetworkNodePolicy"),
            (head.replace("openshift.io/v1", "openshift.io/v2"),
             "apiVersion: \"sriovnetwork.openshift.io/v2\": sriovctl reads sriovnetwork.openshift.io/v1"),
            ("apiVersion: [\n", ":2:1: YAML: did not find expected node content"),
            ("# nothing\n", ":1:1: no SriovNetworkNodePolicy in the file"),
        ]
        for text, want in cases:
            with self.subTest(want=want):
                r = self.imp(text, check=1)
                self.assertIn(want, r.err)
                self.assertEqual(r.out, "")

    def test_usage(self):
        p = self.write("op.yaml", POLICIES)
        r = sriovctl("policy", "import", "nova", p, check=2)
        self.assertIn("unknown format 'nova' (formats: sriov-operator)", r.err)
        sriovctl("policy", "import", "sriov-operator", check=2)
        r = sriovctl("policy", "import", "sriov-operator", p, "--json", check=2)
        self.assertIn("it prints the policy itself, in YAML", r.err)
        r = sriovctl("policy", "import", "sriov-operator", self.path("missing.yaml"), check=1)
        self.assertIn("cannot open " + self.path("missing.yaml"), r.err)
        r = sriovctl("help", "policy", "import", check=0)
        self.assertIn("policy import sriov-operator FILE", r.out)


if __name__ == "__main__":
    unittest.main()
