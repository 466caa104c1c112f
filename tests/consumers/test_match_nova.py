# SPDX-License-Identifier: MIT
"""nova judges `sriovctl match nova`: for a corpus of device_spec values
(globs, dict-form regexes, PF addresses and netdevs, vendor/product ids,
tags, lists, and specs nova refuses), nova's own Whitelist/PciDeviceSpec
(Debian's python3-nova, run by /usr/bin/python3) and sriovctl must agree,
on every PF and VF of the same generated host, on which spec takes each
device first, and both must refuse the same specs (sriovctl: exit 2).

nova decides PF or VF from /sys, so its side (nova_match.py) runs in a
private mount namespace (unshare -m) with the generated tree's sys
bind-mounted over /sys; the real /sys is not touched. This needs root and
util-linux's unshare; without them the test fails, it does not skip.

A wrong answer must be caught: the comparison is also run on sriovctl's
answer with the PF-takes-its-VFs rule removed, and must find the
difference."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest

from common import hostgen, sriovctl

PYTHON = "/usr/bin/python3"
HERE = os.path.dirname(os.path.abspath(__file__))
CARDS = ["e810:pfs=2,vfs=3/2,vfio=1", "x520:pfs=1,vfs=2", "i350:pfs=2,vfs=0",
         "nvme:vfs=2", "cx6:pfs=1,vfs=2,pfdriver=none"]


def corpus(man):
    """device_spec texts, from the generated host's own names."""
    e810 = man["pfs"][0]
    pf = e810["address"]
    pf_netdev = e810["netdevs"][0]
    vf_netdev = e810["vfs"][0]["netdev"]
    bus = pf.split(":")[1]
    d, b, rest = pf.split(":")
    s, f = rest.split(".")
    specs = [
        {"vendor_id": "8086"},
        {"vendor_id": "8086", "product_id": "1889"},
        {"vendor_id": " 8086 ", "product_id": "0x1889"},
        {"product_id": "10ED"},
        {"vendor_id": "1b36", "product_id": "*"},
        {"address": f"*:{bus}:*.*"},
        {"address": pf, "physical_network": "physnet1", "trusted": "true"},
        {"address": pf.upper()},
        {"address": f"{b}:{s}.{f}"},
        {"address": "*:*:*.1"},
        {"address": ":00."},
        {"address": ""},
        {"address": "-1:*:*.*"},
        {"address": "3*:00.0"},                       # nova refuses: partial glob
        {"address": f"{pf}.1"},                       # refused: function "0.1"
        {"address": "1:2:3:4.0"},                     # refused: too many fields
        {"address": 5},                               # refused: not str/dict
        {"address": {"bus": "0"}},                    # re.match: "0" takes 02, 04...
        {"address": {"domain": d, "bus": b, "slot": s, "function": f}},  # a PF: its VFs
        {"address": {"slot": "0[0-1]", "function": "[1-3]"}},
        {"address": {"bus": "(02|05)"}},
        {"address": {"function": "\\d"}},
        {"address": {"bus": "0{1,2}4", "function": "0+?"}},
        {"address": {"slot": "1.", "function": "[^0]"}},
        {"address": {"bus": "["}},                    # refused: re.error
        {"address": {"bus": "*"}},                    # refused: nothing to repeat
        {"address": {"bus": 2}},                      # refused: not a string
        {"devname": pf_netdev},                       # a PF's netdev: its VFs too
        {"devname": vf_netdev},
        {"devname": "nosuch0"},
        {"devname": pf_netdev, "address": pf},        # refused: both
        {"vendor_id": "80861"},                       # refused: > 0xFFFF
        {"vendor_id": 8086},                          # refused: not a string
        {"product_id": "zz"},                         # refused: not hex
        {"vendor_id": "8086", "product_id": "1889", "remote_managed": "true"},
        {"address": pf, "remote_managed": "yes"},     # refused: a PF
        {"devname": pf_netdev, "remote_managed": True},  # refused: a PF
        {"devname": "nosuch0", "remote_managed": 1},  # refused: not present
        {"address": f" {d} : {b} : {s} . {f} "},      # spaces: still one PF
        {"address": {"bus": "0", "slot": "(?:0|1)0"}},
        {"address": {"function": "0|1", "bus": f"{b}$"}},
        {"address": {"slot": "[[:digit:]]"}},         # Python: a set of [ : d i g t, then ]
        [{"product_id": "10ed"}, {"vendor_id": "8086"}, {"address": "*:*:*.*"}],
        [{"vendor_id": "15b3"}, {"devname": pf_netdev}],
        [],
        [{"vendor_id": "8086"}, "x"],                 # refused: not a dict
        "8086",                                       # refused: not list/dict
    ]
    texts = [json.dumps(s) for s in specs]
    texts.append('{"vendor_id": "8086",}')            # both refuse: not JSON
    return texts


def run_nova(root, texts, tmp):
    path = os.path.join(tmp, "specs.json")
    with open(path, "w") as f:
        json.dump({"specs": texts}, f)
    script = os.path.join(HERE, "nova_match.py")
    # private propagation: the bind mount stays in this namespace
    cmd = ["unshare", "-m", "--propagation", "private", "sh", "-c",
           'mount --bind "$1/sys" /sys && exec "$2" "$3" "$4"', "sh",
           root, PYTHON, script, path]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        raise AssertionError(f"nova's side failed ({p.returncode}): {p.stderr}")
    return json.loads(p.stdout)["results"]


def sriovctl_side(root, text):
    r = sriovctl("match", "nova", text, "--json", root=root)
    if r.rc == 2:
        return {"refused": r.err.strip()}
    if r.rc not in (0, 1):
        raise AssertionError(f"sriovctl match nova {text}: exit {r.rc}: {r.err}")
    out = r.json()
    taken = {d["address"]: d["taken_by"] for d in out["devices"]}
    if (r.rc == 0) != any(v is not None for v in taken.values()):
        raise AssertionError(f"exit {r.rc} but taken {taken}")
    return {"taken": taken}


def disagreements(texts, nova, ours):
    bad = []
    for text, n, o in zip(texts, nova, ours):
        if ("refused" in n) != ("refused" in o):
            bad.append(f"{text}: nova {n.get('refused', 'accepts')}; "
                       f"sriovctl {o.get('refused', 'accepts')}")
        elif "taken" in n and n["taken"] != o["taken"]:
            diff = {a: (n["taken"][a], o["taken"].get(a))
                    for a in n["taken"] if n["taken"][a] != o["taken"].get(a)}
            bad.append(f"{text}: (nova, sriovctl) differ on {diff}")
    return bad


class MatchNova(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if os.geteuid() != 0:
            raise AssertionError("this test runs nova in a mount namespace: run it as root; it does not skip")
        for tool in ("unshare", "mount"):
            if not shutil.which(tool):
                raise AssertionError(f"{tool} is missing (util-linux, mount); this test does not skip")
        p = subprocess.run([PYTHON, "-c", "import nova.pci.whitelist"],
                           capture_output=True, text=True, timeout=300)
        if p.returncode != 0:
            raise AssertionError("nova is missing: apt-get install python3-nova "
                                 f"(./dev.sh deps installs it); this test does not skip\n{p.stderr}")
        cls.dir = tempfile.mkdtemp(prefix="sriovctl-match-nova-")
        cls.root = os.path.join(cls.dir, "host")
        cls.man = hostgen(cls.root, *CARDS)
        cls.texts = corpus(cls.man)
        cls.nova = run_nova(cls.root, cls.texts, cls.dir)
        cls.ours = [sriovctl_side(cls.root, t) for t in cls.texts]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_corpus_is_broad(self):
        refused = sum("refused" in n for n in self.nova)
        taking = sum("taken" in n and any(v is not None for v in n["taken"].values())
                     for n in self.nova)
        self.assertGreaterEqual(len(self.texts), 15)
        self.assertGreaterEqual(refused, 5, "nova refuses too few of the corpus")
        self.assertGreaterEqual(taking, 10, "nova takes devices with too few of the corpus")

    def test_same_devices(self):
        # nova enumerates from /sys itself: the same PFs and VFs as sriovctl
        devs = {a for n in self.nova if "taken" in n for a in n["taken"]}
        ours = {a for o in self.ours if "taken" in o for a in o["taken"]}
        self.assertEqual(devs, ours)
        self.assertEqual(len(devs), 18)

    def test_agreement(self):
        bad = disagreements(self.texts, self.nova, self.ours)
        self.assertEqual(bad, [], "\n".join(bad))

    def test_pf_address_takes_vfs_in_both(self):
        pf = self.man["pfs"][0]
        text = json.dumps({"address": pf["address"], "physical_network": "physnet1", "trusted": "true"})
        i = self.texts.index(text)
        for v in pf["vfs"]:
            self.assertEqual(self.nova[i]["taken"][v["address"]], 0)
            self.assertEqual(self.ours[i]["taken"][v["address"]], 0)

    def test_refused_by_both_with_reason(self):
        i = self.texts.index(json.dumps({"address": "3*:00.0"}))
        self.assertIn("PciConfigInvalidSpec", self.nova[i]["refused"])
        self.assertIn("does not parse as a hex number", self.ours[i]["refused"])
        i = self.texts.index('{"vendor_id": "8086",}')
        self.assertIn("at byte 22 ('}')", self.ours[i]["refused"])

    def test_wrong_variant_is_caught(self):
        # sriovctl's answers with the PF rule dropped: a VF taken only
        # through its PF's address is no longer taken. The comparison
        # must see it.
        pf = self.man["pfs"][0]["address"]
        wrong = json.loads(json.dumps(self.ours))
        for o in wrong:
            for a, v in list(o.get("taken", {}).items()):
                if a != pf and v is not None and a.startswith(pf[:8]) and \
                        any(a == vf["address"] for vf in self.man["pfs"][0]["vfs"]):
                    o["taken"][a] = None
        self.assertNotEqual(disagreements(self.texts, self.nova, wrong), [])
        # and a refusal turned into acceptance
        wrong = json.loads(json.dumps(self.ours))
        i = self.texts.index(json.dumps({"address": "3*:00.0"}))
        wrong[i] = {"taken": {}}
        self.assertEqual(len(disagreements(self.texts, self.nova, wrong)), 1)


if __name__ == "__main__":
    unittest.main()
