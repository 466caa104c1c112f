# SPDX-License-Identifier: MIT
"""Kubernetes judges sriovctl export's JSON, as far as it can without a
cluster: the CRDs' own openAPIV3Schema (tests/data/k8s/, made strict as
`kubectl apply --validate=strict` treats them) through python3-jsonschema
for the SriovNetworkNodePolicy and NetworkAttachmentDefinition objects;
the sriov CNI's config parsed as the CNI does (its NetConf json tags and
checks); the device plugin's config.json against its Go structs' field
names and types, and its selectors evaluated with the device plugin's
semantics on the generated host: they must select exactly the VFs
exported. Every check is shown to reject a wrong variant too. A missing
module is a failure, not a skip."""
import copy
import json
import os
import re
import shutil
import tempfile
import unittest

from common import SOURCE, hostgen, sriovctl

try:
    import jsonschema
    import yaml
except ImportError as e:   # no skip: the test cannot judge without them
    raise AssertionError(
        f"{e}: install python3-jsonschema python3-yaml and run with "
        "/usr/bin/python3 (./dev.sh deps installs them); this test does not skip")

DATA = os.path.join(SOURCE, "tests", "data", "k8s")
PREFIX = "intel.com"   # what sriovctl writes as resourcePrefix and in the NAD


def strict(schema):
    """A CRD's openAPIV3Schema with additionalProperties false wherever
    properties are listed (except x-kubernetes-preserve-unknown-fields)."""
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


def crd_schema(name, version="v1"):
    with open(os.path.join(DATA, name)) as f:
        crd = next(d for d in yaml.safe_load_all(f) if d)
    v = next(v for v in crd["spec"]["versions"] if v["name"] == version)
    return crd["spec"]["group"], crd["spec"]["names"]["kind"], strict(v["schema"]["openAPIV3Schema"])


# What the API server checks of every object's metadata (ObjectMeta: the
# CRDs leave it as "type: object"): DNS-1123 names, string annotations.
DNS_LABEL = r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"
DNS_SUBDOMAIN = r"^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
METADATA = {
    "type": "object", "required": ["name"], "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "pattern": DNS_SUBDOMAIN},
        "namespace": {"type": "string", "pattern": DNS_LABEL},
        "annotations": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}

# The device plugin's config.json, from its Go structs
# (k8snetworkplumbingwg/sriov-network-device-plugin pkg/types/types.go:
# ResourceConfList, ResourceConfig, NetDeviceSelectors with the embedded
# DeviceSelectors, GenericPciDeviceSelectors, GenericNetDeviceSelectors).
# IsRdma and NeedVhostNet have no json tag: Go's field names, matched as
# encoding/json does (case-insensitively), written isRdma / needVhostNet.
DP_RESOURCE = {"resourcePrefix": str, "resourceName": str, "deviceType": str,
               "excludeTopology": bool, "selectors": (dict, list),
               "additionalInfo": dict}
DP_SELECTORS = {"vendors": list, "devices": list, "drivers": list,
                "pciAddresses": list, "pfNames": list, "rootDevices": list,
                "linkTypes": list, "acpiIndexes": list, "ddpProfiles": list,
                "pKeys": list, "isRdma": bool, "needVhostNet": bool,
                "vdpaType": str}

# The sriov CNI's NetConf (k8snetworkplumbingwg/sriov-cni pkg/types/types.go,
# with the CNI's types.NetConf it embeds): key -> type.
CNI_KEYS = {"cniVersion": str, "name": str, "type": str, "capabilities": dict,
            "ipam": dict, "dns": dict, "args": dict, "runtimeConfig": dict,
            "vlan": int, "vlanQoS": int, "vlanProto": str, "deviceID": str,
            "min_tx_rate": int, "max_tx_rate": int, "spoofchk": str,
            "trust": str, "link_state": str, "vlan_trunk": str, "mac": str,
            "logLevel": str, "logFile": str}


class Rejected(Exception):
    pass


def device_plugin_parse(text):
    """config.json as the device plugin's structs take it: exact field
    names (an unknown one is a selector silently lost), Go types."""
    def fields(obj, known, where):
        if not isinstance(obj, dict):
            raise Rejected(f"{where}: not an object")
        for k, v in obj.items():
            if k not in known:
                raise Rejected(f"{where}: unknown field {k!r}")
            if not isinstance(v, known[k]) or (known[k] is int and isinstance(v, bool)):
                raise Rejected(f"{where}.{k}: {type(v).__name__}, wanted {known[k]}")
            if known[k] is list and not all(isinstance(x, str) for x in v):
                raise Rejected(f"{where}.{k}: []string holds a non-string")
    conf = json.loads(text)
    if set(conf) != {"resourceList"} or not isinstance(conf["resourceList"], list):
        raise Rejected("the top level is {\"resourceList\": [...]}")
    names = set()
    for i, r in enumerate(conf["resourceList"]):
        fields(r, DP_RESOURCE, f"resourceList[{i}]")
        if not re.fullmatch(r"[a-zA-Z0-9_]+", r.get("resourceName", "")):
            raise Rejected(f"resourceList[{i}]: resourceName {r.get('resourceName')!r}")
        if r["resourceName"] in names:
            raise Rejected(f"resourceName {r['resourceName']} twice")
        names.add(r["resourceName"])
        for s in (r["selectors"] if isinstance(r["selectors"], list) else [r["selectors"]]):
            fields(s, DP_SELECTORS, f"resourceList[{i}].selectors")
    return conf


def indices(spec):
    """The device plugin's "#" part: "0-3,5" -> {0,1,2,3,5}."""
    out = set()
    for part in spec.split(","):
        a, _, b = part.partition("-")
        out.update(range(int(a), int(b or a) + 1))
    return out


def named(entries, name, vf):
    """pfNames / rootDevices: the first entry naming the PF, then its range."""
    for e in entries:
        base, hash_, rng = e.partition("#")
        if base == name:
            return not hash_ or vf["index"] in indices(rng)
    return False


def selects(sel, vf):
    """The device plugin's selectors on one VF: every list given must hold
    the VF's value (the lists are ANDed, membership exact)."""
    checks = [("vendors", vf["vendor"]), ("devices", vf["device"]),
              ("drivers", vf["driver"]), ("pciAddresses", vf["address"])]
    for key, val in checks:
        if key in sel and val not in sel[key]:
            return False
    if "pfNames" in sel and not named(sel["pfNames"], vf["pf_name"], vf):
        return False
    if "rootDevices" in sel and not named(sel["rootDevices"], vf["pf_address"], vf):
        return False
    return True


def cni_parse(text):
    """spec.config as the sriov CNI loads it: JSON, its keys and types,
    its values' checks."""
    c = json.loads(text)
    if not isinstance(c, dict):
        raise Rejected("not an object")
    for k, v in c.items():
        if k not in CNI_KEYS:
            raise Rejected(f"unknown key {k!r}")
        if not isinstance(v, CNI_KEYS[k]) or (CNI_KEYS[k] is int and isinstance(v, bool)):
            raise Rejected(f"{k}: {type(v).__name__}, wanted {CNI_KEYS[k].__name__}")
    for k in ("cniVersion", "name", "type"):
        if k not in c:
            raise Rejected(f"{k} missing")
    if c["cniVersion"] not in ("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"):
        raise Rejected(f"cniVersion {c['cniVersion']}")
    if c["type"] != "sriov":
        raise Rejected("type is not sriov")
    if not 0 <= c.get("vlan", 0) <= 4094:
        raise Rejected("vlan out of 0..4094")
    if not 0 <= c.get("vlanQoS", 0) <= 7 or (c.get("vlanQoS") and not c.get("vlan")):
        raise Rejected("vlanQoS out of 0..7 or without a vlan")
    if c.get("vlanProto", "802.1q").lower() not in ("802.1q", "802.1ad"):
        raise Rejected("vlanProto")
    for k in ("spoofchk", "trust"):
        if k in c and c[k] not in ("on", "off"):
            raise Rejected(f"{k} {c[k]!r}: on or off")
    if "link_state" in c and c["link_state"] not in ("auto", "enable", "disable"):
        raise Rejected("link_state")
    for k in ("min_tx_rate", "max_tx_rate"):
        if c.get(k, 0) < 0:
            raise Rejected(f"{k} negative")
    if c.get("max_tx_rate", 0) and c.get("min_tx_rate", 0) > c["max_tx_rate"]:
        raise Rejected("min_tx_rate above max_tx_rate")
    return c


POLICY = """\
pfs:
  - match: {netdev: ens1f0np0}
    num_vfs: 8
    vfs:
      "0-3": {driver: iavf, vlan: 100, qos: 3, spoofchk: on, trust: off, max_tx_rate: 1000, pool: physnet1}
      "4-7": {driver: vfio-pci, pool: dpdk, mtu: 9000}
  - match: {netdev: ens1f1np1}
    vfs:
      "0-1": {vlan: 100, qos: 3, spoofchk: on, trust: off, max_tx_rate: 1000, pool: physnet1}
      "2": {driver: vfio-pci, pool: dpdk}
      "5-6": {driver: iavf, vlan: 7, vlan_proto: 802.1ad, link_state: disable, min_tx_rate: 10, max_tx_rate: 500, pool: other}
  - match: {netdev: ens2f0}
    vfs:
      "0-2": {driver: vfio-pci, pool: dpdk}
"""
# Every VF the policy gives a pool (a PF's VFs without one are an error)
POOLED = ["ens1f0np0", "ens1f1np1/vf0-2,5-6", "ens2f0/vf0-2"]


class K8s(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="sriovctl-k8s-")
        cls.root = os.path.join(cls.dir, "host")
        cls.man = hostgen(cls.root, "e810:pfs=2,vfs=8,vfio=1", "x520:pfs=1,vfs=4")
        os.makedirs(os.path.join(cls.root, "etc"), exist_ok=True)
        with open(os.path.join(cls.root, "etc", "hostname"), "w") as f:
            f.write("Worker-1\n")
        cls.policy = os.path.join(cls.dir, "policy.yaml")
        with open(cls.policy, "w") as f:
            f.write(POLICY)
        cls.pol = yaml.safe_load(POLICY)
        cls.vfs = cls.host_vfs()
        cls.nad_group, cls.nad_kind, cls.nad_schema = crd_schema("sriov-operator-chart-nad-crd.yaml")
        cls.snnp_group, cls.snnp_kind, cls.snnp_schema = crd_schema(
            "sriov-operator-crd-sriovnetworknodepolicies.yaml")
        for s in (cls.nad_schema, cls.snnp_schema):
            s["properties"]["metadata"] = METADATA
            s.setdefault("required", [])
            s["required"] += ["apiVersion", "kind", "metadata", "spec"]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    @classmethod
    def host_vfs(cls):
        """Every VF of the host as the device plugin sees it once the
        policy is applied (its driver: the policy's, else the host's),
        with the policy's pool."""
        out = []
        for pf in cls.man["pfs"]:
            name = pf["netdevs"][0] if pf["netdevs"] else None
            entry = next((e for e in cls.pol["pfs"] if e["match"]["netdev"] == name), None)
            for vf in pf["vfs"]:
                pool, driver = None, vf["driver"]
                for rng, st in (entry["vfs"].items() if entry else []):
                    a, _, b = str(rng).partition("-")
                    if int(a) <= vf["index"] <= int(b or a):
                        pool, driver = st.get("pool"), st.get("driver", driver)
                out.append({"address": vf["address"], "index": vf["index"],
                            "vendor": pf["vendor_id"], "device": pf["vf_device_id"],
                            "driver": driver, "pf_name": name,
                            "pf_address": pf["address"], "pool": pool})
        return out

    def export(self, *args, check=0):
        return sriovctl("export", *args, "-f", self.policy, root=self.root, check=check)

    def validate(self, schema, obj):
        jsonschema.Draft7Validator(schema).validate(obj)

    def rejects(self, schema, obj, what):
        with self.assertRaises(jsonschema.ValidationError, msg=what):
            self.validate(schema, obj)

    # ---- the device plugin ------------------------------------------

    def test_device_plugin_config(self):
        out = self.export("k8s-device-plugin", *POOLED).out
        conf = device_plugin_parse(out)
        res = conf["resourceList"]
        self.assertEqual([r["resourceName"] for r in res], ["physnet1", "dpdk", "other"])
        for r in res:
            with self.subTest(r["resourceName"]):
                self.assertEqual(r["resourcePrefix"], PREFIX)
                sel = r["selectors"]
                got = {v["address"] for v in self.vfs if selects(sel, v)}
                want = {v["address"] for v in self.vfs if v["pool"] == r["resourceName"]}
                self.assertTrue(want)
                self.assertEqual(got, want)
                # the drivers tell vfio-pci pools from netdevice ones
                self.assertEqual(sel["drivers"] == ["vfio-pci"], r["resourceName"] == "dpdk")
                # exact: without the ranges the PF's other VFs would be in
                loose = dict(sel, pfNames=[p.partition("#")[0] for p in sel["pfNames"]])
                self.assertGreater({v["address"] for v in self.vfs if selects(loose, v)}, got)
        # a single pool, and VFs named one by one: exactly those
        two = [v for v in self.vfs if v["pool"] == "physnet1"][1:3]
        conf = device_plugin_parse(self.export("k8s-device-plugin",
                                               *(v["address"] for v in two)).out)
        sel = conf["resourceList"][0]["selectors"]
        self.assertEqual({v["address"] for v in self.vfs if selects(sel, v)},
                         {v["address"] for v in two})
        self.assertEqual(sel["pfNames"], ["ens1f0np0#1-2"])

    def test_device_plugin_pf_without_netdev(self):
        """A PF with no netdev (an NVMe's) has no pfNames: the pool's VFs
        go by pciAddresses, still exactly those."""
        root = os.path.join(self.dir, "nvme")
        man = hostgen(root, "nvme:vfs=4", "e810:pfs=1,vfs=2")
        nvme = next(p for p in man["pfs"] if not p["netdevs"])
        e810 = next(p for p in man["pfs"] if p["netdevs"])
        pol = os.path.join(self.dir, "nvme.yaml")
        with open(pol, "w") as f:
            f.write(f'pfs:\n  - match: {{pci: "{nvme["address"]}"}}\n'
                    f'    vfs:\n      "1-2": {{pool: store}}\n'
                    f'  - match: {{netdev: {e810["netdevs"][0]}}}\n'
                    f'    vfs:\n      "0": {{pool: store}}\n')
        conf = device_plugin_parse(sriovctl("export", "k8s-device-plugin", "--pool", "store",
                                            "-f", pol, root=root, check=0).out)
        sel = conf["resourceList"][0]["selectors"]
        self.assertNotIn("pfNames", sel)
        vfs = [{"address": v["address"], "index": v["index"], "vendor": p["vendor_id"],
                "device": p["vf_device_id"], "driver": v["driver"],
                "pf_name": (p["netdevs"] or [None])[0], "pf_address": p["address"]}
               for p in man["pfs"] for v in p["vfs"]]
        want = {nvme["vfs"][1]["address"], nvme["vfs"][2]["address"],
                e810["vfs"][0]["address"]}
        self.assertEqual({v["address"] for v in vfs if selects(sel, v)}, want)

    def test_device_plugin_wrong_variants_rejected(self):
        out = self.export("k8s-device-plugin", "--pool", "dpdk").out
        device_plugin_parse(out)
        cases = [("unknown field pfName", '"pfNames"', '"pfName"'),
                 ("unknown field resourcename", '"resourceName"', '"resource_name"'),
                 ("a string for []string", '"vendors": [\n          "8086"\n        ]',
                  '"vendors": "8086"'),
                 ("a string for bool", '"vendors"', '"isRdma": "yes", "vendors"'),
                 ("a resource name with -", '"dpdk"', '"dp-dk"')]
        for what, old, new in cases:
            with self.subTest(what):
                self.assertIn(old, out)
                bad = out.replace(old, new, 1)
                with self.assertRaises(Rejected):
                    device_plugin_parse(bad)
        # and the semantics can fail: a wrong range selects other VFs
        sel = json.loads(out)["resourceList"][0]["selectors"]
        bad = dict(sel, pfNames=[p.replace("#4-7", "#5-7") for p in sel["pfNames"]])
        self.assertNotEqual({v["address"] for v in self.vfs if selects(bad, v)},
                            {v["address"] for v in self.vfs if selects(sel, v)})

    # ---- NetworkAttachmentDefinition --------------------------------

    def test_nad(self):
        nad = json.loads(self.export("k8s-nad", "--pool", "physnet1", "--name",
                                     "physnet1", "--namespace", "tenant-a").out)
        self.validate(self.nad_schema, nad)
        self.assertEqual(nad["apiVersion"], f"{self.nad_group}/v1")
        self.assertEqual(nad["kind"], self.nad_kind)
        self.assertEqual(nad["metadata"]["namespace"], "tenant-a")
        ann = nad["metadata"]["annotations"]["k8s.v1.cni.cncf.io/resourceName"]
        self.assertEqual(ann, f"{PREFIX}/physnet1")
        # the resource is the device plugin's of the same pool
        dp = device_plugin_parse(self.export("k8s-device-plugin", "--pool", "physnet1").out)
        r = dp["resourceList"][0]
        self.assertEqual(f"{r['resourcePrefix']}/{r['resourceName']}", ann)
        c = cni_parse(nad["spec"]["config"])
        self.assertEqual(c, {"cniVersion": "1.0.0", "name": "physnet1", "type": "sriov",
                             "vlan": 100, "vlanQoS": 3, "spoofchk": "on", "trust": "off",
                             "max_tx_rate": 1000, "ipam": {}})
        # a pool without settings: vlan 0 (a VF keeps no pod's VLAN), nothing else
        nad = json.loads(self.export("k8s-nad", "--pool", "dpdk", "--name", "dpdk").out)
        self.validate(self.nad_schema, nad)
        self.assertNotIn("namespace", nad["metadata"])
        self.assertEqual(cni_parse(nad["spec"]["config"]),
                         {"cniVersion": "1.0.0", "name": "dpdk", "type": "sriov",
                          "vlan": 0, "ipam": {}})
        # the other keys the CNI takes, as the operator's template spells them
        nad = json.loads(self.export("k8s-nad", "--pool", "other", "--name", "qinq").out)
        self.validate(self.nad_schema, nad)
        self.assertEqual(cni_parse(nad["spec"]["config"]),
                         {"cniVersion": "1.0.0", "name": "qinq", "type": "sriov",
                          "vlan": 7, "vlanProto": "802.1ad", "link_state": "disable",
                          "min_tx_rate": 10, "max_tx_rate": 500, "ipam": {}})

    def test_nad_wrong_variants_rejected(self):
        nad = json.loads(self.export("k8s-nad", "--pool", "physnet1", "--name", "n1").out)
        self.validate(self.nad_schema, nad)
        cni_parse(nad["spec"]["config"])
        for what, edit in [
                ("unknown field in spec", lambda o: o["spec"].update(cnfig="x")),
                ("config as an object", lambda o: o["spec"].update(config={"type": "sriov"})),
                ("a name with _", lambda o: o["metadata"].update(name="n_1")),
                ("an annotation that is a number",
                 lambda o: o["metadata"]["annotations"].update(x=1)),
                ("unknown top-level field", lambda o: o.update(status={}))]:
            with self.subTest(what):
                bad = copy.deepcopy(nad)
                edit(bad)
                self.rejects(self.nad_schema, bad, what)
        conf = nad["spec"]["config"]
        for what, old, new in [("vlan as a string", '"vlan":100', '"vlan":"100"'),
                               ("spoofchk yes", '"spoofchk":"on"', '"spoofchk":"yes"'),
                               ("unknown key", '"trust"', '"trusted"'),
                               ("vlan 4095", '"vlan":100', '"vlan":4095'),
                               ("not JSON", '}', '', )]:
            with self.subTest(what):
                self.assertIn(old, conf)
                with self.assertRaises((Rejected, json.JSONDecodeError)):
                    cni_parse(conf.replace(old, new, 1))

    # ---- SriovNetworkNodePolicy -------------------------------------

    def test_operator_policies(self):
        lst = json.loads(self.export("k8s-sriov-operator", *POOLED).out)
        self.assertEqual((lst["apiVersion"], lst["kind"]), ("v1", "List"))
        items = lst["items"]
        want = []
        for e in self.pol["pfs"]:
            pf = next(p for p in self.man["pfs"] if p["netdevs"][0] == e["match"]["netdev"])
            for rng, st in e["vfs"].items():
                a, _, b = str(rng).partition("-")
                want.append((st["pool"], f"{e['match']['netdev']}#{a}-{b or a}",
                             e.get("num_vfs", pf["num_vfs"]),
                             "vfio-pci" if st.get("driver") == "vfio-pci" else "netdevice",
                             pf["address"], pf["vendor_id"], pf["device_id"], st.get("mtu")))
        got = []
        names = set()
        for o in items:
            with self.subTest(o["metadata"]["name"]):
                self.validate(self.snnp_schema, o)
                self.assertEqual(o["apiVersion"], f"{self.snnp_group}/v1")
                self.assertEqual(o["kind"], self.snnp_kind)
                self.assertEqual(o["metadata"]["namespace"], "openshift-sriov-network-operator")
                s = o["spec"]
                self.assertEqual(s["nodeSelector"], {"kubernetes.io/hostname": "worker-1"})
                n = s["nicSelector"]
                got.append((s["resourceName"], *n["pfNames"], s["numVfs"], s["deviceType"],
                            *n["rootDevices"], n["vendor"], n["deviceID"], s.get("mtu")))
                names.add(o["metadata"]["name"])
        self.assertEqual(got, want)
        self.assertEqual(len(names), len(items))
        # --name is the node, --namespace the operator's
        lst = json.loads(self.export("k8s-sriov-operator", "--pool", "other", "--name",
                                     "node7.example.com", "--namespace", "sriov").out)
        self.assertEqual(len(lst["items"]), 1)
        o = lst["items"][0]
        self.validate(self.snnp_schema, o)
        self.assertEqual(o["spec"]["nodeSelector"]["kubernetes.io/hostname"], "node7.example.com")
        self.assertEqual(o["metadata"]["namespace"], "sriov")

    def test_operator_wrong_variants_rejected(self):
        o = json.loads(self.export("k8s-sriov-operator", "--pool", "dpdk").out)["items"][0]
        self.validate(self.snnp_schema, o)
        for what, edit in [
                ("deviceType vfio", lambda s: s.update(deviceType="vfio")),
                ("numVfs as a string", lambda s: s.update(numVfs="8")),
                ("priority 100", lambda s: s.update(priority=100)),
                ("unknown field numVF", lambda s: s.update(numVF=8)),
                ("unknown nicSelector field", lambda s: s["nicSelector"].update(pfName=["x"])),
                ("pfNames as a string", lambda s: s["nicSelector"].update(pfNames="ens1f0np0")),
                ("no resourceName", lambda s: s.pop("resourceName")),
                ("mtu 0", lambda s: s.update(mtu=0))]:
            with self.subTest(what):
                bad = copy.deepcopy(o)
                edit(bad["spec"])
                self.rejects(self.snnp_schema, bad, what)
        bad = copy.deepcopy(o)
        bad["metadata"]["name"] = "Dpdk"
        self.rejects(self.snnp_schema, bad, "an upper-case name")


if __name__ == "__main__":
    unittest.main()
