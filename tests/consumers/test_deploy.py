# SPDX-License-Identifier: MIT
"""deploy/kubernetes/ judged by what can judge it offline: the
NetworkAttachmentDefinition by the NAD CRD's openAPIV3Schema (strict, as
`kubectl apply --validate=strict`) and its CNI config by the plugin
itself; the DaemonSet and ConfigMap by python3-kubernetes' models (their
required fields, and a round trip that drops no field: a misspelled one
would vanish); the ConfigMap's policy by `sriovctl policy check`. Each
check is shown to reject a wrong variant. A missing module is a failure."""
import copy
import json
import os
import subprocess
import unittest

from common import SOURCE, TreeTest, hostgen, sriovctl

try:
    import jsonschema
    import yaml
    from kubernetes import client
except ImportError as e:   # no skip: the test cannot judge without them
    raise AssertionError(
        f"{e}: install python3-jsonschema python3-yaml python3-kubernetes "
        "and run with /usr/bin/python3; this test does not skip")

DEPLOY = os.path.join(SOURCE, "deploy", "kubernetes")
NAD_CRD = os.path.join(SOURCE, "tests", "data", "k8s",
                       "sriov-operator-chart-nad-crd.yaml")
PLUGIN = os.environ["SRIOV_CNI"]


def load(name):
    with open(os.path.join(DEPLOY, name)) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def strict(schema):
    s = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            if ("properties" in node and "additionalProperties" not in node
                    and not node.get("x-kubernetes-preserve-unknown-fields")):
                node["additionalProperties"] = False
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(s)
    return s


class _Resp:
    def __init__(self, obj):
        self.data = json.dumps(obj)


def model(obj):
    """The object through the Kubernetes client's model of its kind, and
    back: raises on a missing required field or a wrong type; returns
    what survived the round trip."""
    api = client.ApiClient()
    kind = "V1" + obj["kind"]
    m = api.deserialize(_Resp(obj), kind)
    return api.sanitize_for_serialization(m)


class Deploy(TreeTest):
    def test_nad_schema(self):
        with open(NAD_CRD) as f:
            crd = next(d for d in yaml.safe_load_all(f) if d)
        v = next(v for v in crd["spec"]["versions"] if v["name"] == "v1")
        schema = strict(v["schema"]["openAPIV3Schema"])
        nad, = load("sriov-net-nad.yaml")
        self.assertEqual(nad["apiVersion"],
                         f"{crd['spec']['group']}/v1")
        self.assertEqual(nad["kind"], crd["spec"]["names"]["kind"])
        jsonschema.validate(nad, schema)
        bad = copy.deepcopy(nad)
        bad["spec"]["configs"] = bad["spec"].pop("config")
        with self.assertRaises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)

    def plugin_add(self, conf, root):
        env = {"CNI_COMMAND": "ADD", "CNI_CONTAINERID": "c1",
               "CNI_IFNAME": "net1", "CNI_NETNS": "/run/netns/x",
               "SRIOV_CNI_ROOT": root, "SRIOV_CNI_STATE_DIR": self.path("s"),
               "SRIOV_CNI_CHANGELOG": self.path("log")}
        p = subprocess.run([PLUGIN], input=json.dumps(conf), env=env,
                           capture_output=True, text=True, timeout=60)
        return json.loads(p.stdout)

    def test_nad_config_parsed_by_the_plugin(self):
        m = hostgen(self.path("host"), "i350:pfs=1,vfs=2")
        nad, = load("sriov-net-nad.yaml")
        conf = json.loads(nad["spec"]["config"])
        self.assertEqual(conf["type"], "sriov")
        # Multus adds the device plugin's VF; a PF here: every key is
        # accepted and ADD then refuses the device (code 100, not 7)
        conf["deviceID"] = m["pfs"][0]["address"]
        out = self.plugin_add(conf, self.path("host"))
        self.assertEqual(out["code"], 100, out)
        conf["vlan"] = 4095
        out = self.plugin_add(conf, self.path("host"))
        self.assertEqual(out["code"], 7, out)

    def test_daemonset_and_configmap_models(self):
        docs = load("sriovctl-daemonset.yaml")
        kinds = [d["kind"] for d in docs]
        self.assertEqual(kinds, ["ConfigMap", "DaemonSet"])
        for d in docs:
            back = model(d)
            self.assertEqual(back, d, f"{d['kind']}: a field the model "
                             "does not know was dropped")
        ds = docs[1]
        spec = ds["spec"]["template"]["spec"]
        self.assertTrue(spec["hostNetwork"])
        main = spec["containers"][0]
        self.assertTrue(main["securityContext"]["privileged"])
        mounts = {v["mountPath"] for v in main["volumeMounts"]}
        self.assertTrue({"/sys", "/var/lib/cni", "/run"} <= mounts)
        paths = {v["name"]: v.get("hostPath", {}).get("path")
                 for v in spec["volumes"]}
        init = spec["initContainers"][0]
        self.assertEqual(paths[init["volumeMounts"][0]["name"]], "/opt/cni/bin")
        self.assertIn("/host/opt/cni/bin/sriov", init["args"][0])
        self.assertEqual(ds["spec"]["selector"]["matchLabels"],
                         ds["spec"]["template"]["metadata"]["labels"])
        # wrong variants: a misspelled field vanishes, a nameless container
        # is refused
        bad = copy.deepcopy(ds)
        bad["spec"]["template"]["spec"]["hostNetwrok"] = True
        self.assertNotEqual(model(bad), bad)
        bad = copy.deepcopy(ds)
        del bad["spec"]["template"]["spec"]["containers"][0]["name"]
        with self.assertRaises(ValueError):
            model(bad)

    def test_policy_checks(self):
        cm = load("sriovctl-daemonset.yaml")[0]
        hostgen(self.path("host"), "e810:pfs=1", manifest=False)
        with open(self.path("policy.yaml"), "w") as f:
            f.write(cm["data"]["sriovctl.yaml"])
        r = sriovctl("policy", "check", "-f", self.path("policy.yaml"),
                     root=self.path("host"))
        self.assertEqual(r.rc, 0, r.out + r.err)
        with open(self.path("bad.yaml"), "w") as f:
            f.write(cm["data"]["sriovctl.yaml"].replace("num_vfs: 4", "num_vfs: four"))
        r = sriovctl("policy", "check", "-f", self.path("bad.yaml"),
                     root=self.path("host"))
        self.assertNotEqual(r.rc, 0)


if __name__ == "__main__":
    unittest.main()
