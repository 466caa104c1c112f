# SPDX-License-Identifier: MIT
"""DPDK judges sriovctl export dpdk, on generated hosts seen as /sys.

Each generated tree is bind-mounted over /sys in a private mount namespace
(unshare -m, with a user namespace when not root; the real /sys is never
touched), where DPDK's own tools run:
  - dpdk-devbind.py --status-dev net (Debian's dpdk, under /usr/bin/python3,
    with lspci) names each VF's driver: it must agree with sriovctl, and
    every VF the export takes must be on a DPDK-compatible driver there;
  - dpdk-testpmd's EAL parses the exported arguments (with --help last: the
    EAL parses every option before it, then prints its usage and exits
    before it touches huge pages or devices). It detects the tree's CPUs
    and NUMA nodes, so a -l with a CPU the host lacks or a malformed
    --socket-mem is refused by it: wrong variants show that.
What the EAL only stores at parse time (-a's PCI address, read at the bus
scan) and the values' meaning (the lcores are the VFs' nodes' CPUs, memory
asked only there and no more than is free) are checked by a strict parser
written from DPDK's documented formats: corelist `N[-M][,...]` below
RTE_MAX_LCORE, `-a DDDD:BB:DD.F`, `--socket-mem MB[,MB...]` for at most
RTE_MAX_NUMA_NODES nodes (both limits read from Debian's rte_build_config.h).
No test here starts DPDK's datapath: that needs huge pages and a device
(the lab does it). A missing tool is a failure, not a skip."""
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import unittest

from common import hostgen, sriovctl

DEVBIND = "/usr/bin/dpdk-devbind.py"
TESTPMD = "/usr/bin/dpdk-testpmd"
PYTHON = "/usr/bin/python3"
BUILD_CONFIG = "/usr/include/x86_64-linux-gnu/dpdk/rte_build_config.h"
TOOLS = {DEVBIND: "dpdk", TESTPMD: "dpdk", "/usr/bin/lspci": "pciutils",
         PYTHON: "python3", "/usr/bin/unshare": "util-linux",
         BUILD_CONFIG: "dpdk-dev"}


class Invalid(Exception):
    pass


def build_limits():
    with open(BUILD_CONFIG) as f:
        text = f.read()
    get = lambda n: int(re.search(r"#define %s (\d+)" % n, text).group(1))
    return get("RTE_MAX_LCORE"), get("RTE_MAX_NUMA_NODES")


MAX_LCORE, MAX_NUMA = build_limits() if os.path.exists(BUILD_CONFIG) else (0, 0)
PCI = re.compile(r"([0-9a-f]{4,8}):([0-9a-f]{2}):([01][0-9a-f])\.([0-7])\Z")


def corelist(text):
    cpus = set()
    for part in text.split(","):
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not m:
            raise Invalid("invalid core list syntax: %r" % text)
        a, b = int(m.group(1)), int(m.group(2) or m.group(1))
        if b < a or b >= MAX_LCORE:
            raise Invalid("core range %r outside 0..%d or descending" % (part, MAX_LCORE - 1))
        cpus.update(range(a, b + 1))
    return cpus


def parse_eal(words):
    """The EAL arguments sriovctl writes: -l, -a (repeated), --socket-mem."""
    out = {"lcores": None, "allow": [], "socket_mem": None}
    i = 0
    while i < len(words):
        opt = words[i]
        if i + 1 >= len(words):
            raise Invalid("%s without its value" % opt)
        val = words[i + 1]
        i += 2
        if opt == "-l" and out["lcores"] is None:
            out["lcores"] = corelist(val)
        elif opt == "-a":
            if not PCI.match(val):
                raise Invalid("not a PCI address DDDD:BB:DD.F: %r" % val)
            if val in out["allow"]:
                raise Invalid("%s allowed twice" % val)
            out["allow"].append(val)
        elif opt == "--socket-mem" and out["socket_mem"] is None:
            mem = val.split(",")
            if len(mem) > MAX_NUMA or not all(re.fullmatch(r"\d+", m) for m in mem):
                raise Invalid("invalid parameters for --socket-mem: %r" % val)
            out["socket_mem"] = [int(m) for m in mem]
        else:
            raise Invalid("unexpected or repeated option %r" % opt)
    if out["lcores"] is None or not out["allow"] or out["socket_mem"] is None:
        raise Invalid("-l, -a and --socket-mem are all needed: %r" % words)
    return out


def parse_output(text):
    """First line: the arguments (shell words); then comment lines only."""
    lines = text.split("\n")
    if lines[-1] != "" or not lines[0] or lines[0].startswith("#"):
        raise Invalid("the first line must be the arguments: %r" % text)
    for line in lines[1:-1]:
        if not line.startswith("# "):
            raise Invalid("a line after the arguments that is not a comment: %r" % line)
    words = shlex.split(lines[0])
    if any(not re.fullmatch(r"[-0-9a-z:.,]+", w) for w in words):
        raise Invalid("a word that would need quoting: %r" % lines[0])
    return words, parse_eal(words)


def in_tree(root, *cmd):
    """@cmd with @root/sys as /sys, in a mount namespace of its own."""
    ns = ["unshare", "-m", "--propagation", "private"]
    if os.geteuid() != 0:
        ns.insert(1, "-r")
    script = 'mount --bind "$0/sys" /sys && exec "$@"'
    return subprocess.run(ns + ["sh", "-c", script, root, *cmd], capture_output=True,
                          text=True, timeout=120, cwd=tempfile.gettempdir())


def devbind_status(root):
    """{address: driver or None} for the network devices dpdk-devbind sees,
    and the set it lists as using a DPDK-compatible driver."""
    p = in_tree(root, PYTHON, DEVBIND, "--status-dev", "net")
    if p.returncode != 0:
        raise AssertionError("dpdk-devbind failed: %s%s" % (p.stdout, p.stderr))
    drivers, dpdk, section = {}, set(), None
    for line in p.stdout.splitlines():
        if line.startswith("Network devices using DPDK-compatible driver"):
            section = "dpdk"
        elif line.startswith("Network devices using kernel driver"):
            section = "kernel"
        elif line.startswith("Other Network devices"):
            section = "other"
        m = re.match(r"([0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]) '.*?'(.*)", line)
        if m:
            drv = re.search(r"\bdrv=(\S+)", m.group(2))
            drivers[m.group(1)] = drv.group(1) if drv else None
            if section == "dpdk":
                dpdk.add(m.group(1))
    return drivers, dpdk


def eal(root, words):
    p = in_tree(root, TESTPMD, *words, "--help")
    return p.returncode, p.stdout + p.stderr


def node_cpus(root, n):
    with open(os.path.join(root, "sys/devices/system/node/node%d/cpulist" % n)) as f:
        return corelist(f.read().strip())


class Dpdk(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        missing = sorted({pkg for tool, pkg in TOOLS.items() if not os.path.exists(tool)})
        if missing or not shutil.which("lspci"):
            raise AssertionError("DPDK's tools are missing: install " + " ".join(missing) +
                                 " (./dev.sh deps installs them); this test does not skip")
        cls.dir = tempfile.mkdtemp(prefix="sriovctl-dpdk-")
        cls.root = os.path.join(cls.dir, "two-nodes")
        cls.man = hostgen(cls.root, "e810:pfs=1,vfs=4,vfio=2,numa=0",
                          "x520:pfs=1,vfs=4,vfio=2,unbound=1,numa=1", "cx6:pfs=1,vfs=2,numa=1",
                          numa_nodes=2, cpus_per_node=2, node_hugepages="256,1024")
        cls.vfs = {v["address"]: (pf, v) for pf in cls.man["pfs"] for v in pf["vfs"]}

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def export(self, *args, check=0, root=None):
        return sriovctl("export", "dpdk", *args, root=root or self.root, check=check)

    def name(self, addr):
        pf, v = self.vfs[addr]
        return "%s/vf%d" % (pf["netdevs"][0], v["index"])

    def by_driver(self, drv):
        return [a for a, (_, v) in sorted(self.vfs.items()) if v["driver"] == drv]

    def test_devbind_agrees_on_every_vf(self):
        drivers, _ = devbind_status(self.root)
        listed = sriovctl("list", "--json", root=self.root, check=0).json()
        n = 0
        for pf in listed["pfs"]:
            for v in pf["vfs"]:
                with self.subTest(v["address"]):
                    self.assertIn(v["address"], drivers)
                    self.assertEqual(drivers[v["address"]], v["driver"])
                    n += 1
        self.assertEqual(n, 10)
        self.assertIsNone(drivers[self.by_driver(None)[0]])

    def test_exports_accepted_by_the_eal(self):
        _, dpdk = devbind_status(self.root)
        vfio = self.by_driver("vfio-pci")
        mlx = self.by_driver("mlx5_core")
        node0 = [a for a in vfio if self.vfs[a][0]["numa_node"] == 0]
        node1 = [a for a in vfio if self.vfs[a][0]["numa_node"] == 1]
        cases = {"node 0": (node0, {0}), "node 1": (node1, {1}),
                 "both nodes": (node0[:1] + node1, {0, 1}),
                 "mlx5 bifurcated": (mlx, {1})}
        for what, (addrs, nodes) in cases.items():
            with self.subTest(what):
                out = self.export(*[self.name(a) for a in addrs]).out
                words, args = parse_output(out)
                rc, msg = eal(self.root, words)
                self.assertEqual(rc, 0, "the EAL refuses %s: %s" % (words, msg))
                self.assertNotIn("EAL: invalid", msg)
                self.assertIn("EAL: Detected NUMA nodes: 2", msg)
                self.assertEqual(args["allow"], addrs)
                for a in args["allow"]:
                    if self.vfs[a][1]["driver"] == "vfio-pci":
                        self.assertIn(a, dpdk, "dpdk-devbind does not list %s as DPDK's" % a)
                self.assertEqual(args["lcores"], set().union(*(node_cpus(self.root, n)
                                                                for n in nodes)))
                free = {0: 512, 1: 2048}
                for n, mb in enumerate(args["socket_mem"]):
                    self.assertEqual(mb > 0, n in nodes, "memory on node %d" % n)
                    self.assertLessEqual(mb, min(free[n], 1024))
                self.assertEqual(len(args["socket_mem"]), max(nodes) + 1)
                self.assertIn("# e.g. dpdk-testpmd " + out.split("\n")[0] + " -- -i\n", out)

    def test_wrong_variants_rejected(self):
        out = self.export(self.name(self.by_driver("vfio-pci")[0])).out
        words, _ = parse_output(out)
        line = " ".join(words)
        eal_refuses = {
            "a CPU the host lacks": (line.replace("-l 0-1", "-l 0-4"), "lcore 4 unavailable"),
            "a corelist with a letter": (line.replace("-l 0-1", "-l 0-1x"),
                                         "invalid core list syntax"),
            "a socket-mem with a word": (line.replace("--socket-mem 512", "--socket-mem 512,abc"),
                                         "invalid parameters for --socket-mem"),
        }
        self.assertIn("-l 0-1", line)
        for what, (wrong, msg) in eal_refuses.items():
            with self.subTest(what):
                rc, text = eal(self.root, wrong.split())
                self.assertNotEqual(rc, 0, "the EAL accepts %s" % wrong)
                self.assertIn(msg, text)
                # the host's CPUs are the EAL's to know; syntax is ours too
                if what != "a CPU the host lacks":
                    self.assertRaises(Invalid, parse_eal, wrong.split())
        for wrong in (line.replace("-a 0000:", "-a 0000:x"), line.replace("-a ", "-w "),
                      line + " -a " + words[words.index("-a") + 1],
                      line.replace(" --socket-mem 512", ""), line.replace("-l 0-1", "-l 1-0"),
                      line.replace("-l 0-1", "-l 0-%d" % MAX_LCORE)):
            with self.subTest(wrong):
                self.assertRaises(Invalid, parse_eal, wrong.split())
        self.assertRaises(Invalid, parse_output, "# comment first\n" + out)
        self.assertRaises(Invalid, parse_output, out + "dpdk-testpmd\n")

    def test_vf_not_on_vfio_refused(self):
        iavf = self.by_driver("iavf")[0]
        r = self.export(self.name(iavf), check=1)
        self.assertIn("sriovctl: driver.vfio %s: %s (%s) is on iavf: DPDK's EAL takes a VF "
                      "from vfio-pci and binds none itself" % (self.name(iavf), self.name(iavf),
                                                               iavf), r.err)
        self.assertIn("  fix: sriovctl vf %s bind vfio-pci" % self.name(iavf), r.err)
        self.assertNotIn("group.viable", r.err)
        self.assertEqual(r.out, "")
        unbound = self.by_driver(None)[0]
        r = self.export(unbound, check=1)
        self.assertIn("is unbound: DPDK's EAL takes a VF from vfio-pci", r.err)
        r = self.export(self.name(iavf), "--force", check=0)
        self.assertIn("warning (--force): driver.vfio", r.err)
        self.assertEqual(parse_output(r.out)[1]["allow"], [iavf])
        _, dpdk = devbind_status(self.root)
        self.assertNotIn(iavf, dpdk)

    def test_no_free_hugepages_refused(self):
        root = os.path.join(self.dir, "no-pages-on-0")
        hostgen(root, "e810:pfs=1,vfs=2,vfio=2,numa=0", "x520:pfs=1,vfs=1,vfio=1,numa=1",
                numa_nodes=2, cpus_per_node=2, node_hugepages="0,64")
        r = self.export("ens1f0np0/vf0", root=root, check=1)
        self.assertIn("NUMA node 0, where the VFs are, has no free huge pages", r.err)
        self.assertIn("echo 512 > /sys/devices/system/node/node0/hugepages/hugepages-2048kB/"
                      "nr_hugepages", r.err)
        self.assertEqual(r.out, "")
        # --force does not help: the EAL would fail at its start
        self.export("ens1f0np0/vf0", "--force", root=root, check=1)
        # node 1 has 128 MB free: that is what is asked
        words, args = parse_output(self.export("ens2f0/vf0", root=root).out)
        self.assertEqual(args["socket_mem"], [0, 128])
        rc, msg = eal(root, words)
        self.assertEqual(rc, 0, msg)
        # no huge pages at all (no directories)
        bare = os.path.join(self.dir, "no-pages")
        hostgen(bare, "e810:pfs=1,vfs=1,vfio=1")
        r = self.export("ens1f0np0/vf0", root=bare, check=1)
        self.assertIn("NUMA node 0, where the VFs are, has no free huge pages", r.err)

    def test_one_node_host(self):
        """numa_node -1 on a host of one node: that node, no problem."""
        root = os.path.join(self.dir, "one-node")
        man = hostgen(root, "e810:pfs=1,vfs=2,vfio=2", hugepages=1024, cpus_per_node=2)
        self.assertEqual(man["pfs"][0]["numa_node"], -1)
        words, args = parse_output(self.export("ens1f0np0", root=root).out)
        self.assertEqual(args["socket_mem"], [1024])
        self.assertEqual(args["lcores"], {0, 1})
        rc, msg = eal(root, words)
        self.assertEqual(rc, 0, msg)

    def test_unknown_node_on_two_nodes(self):
        """A VF without a node on a host of two: numa.node refuses; --force
        takes both nodes."""
        root = os.path.join(self.dir, "unknown-node")
        man = hostgen(root, "e810:pfs=1,vfs=1,vfio=1,numa=1", numa_nodes=2,
                      cpus_per_node=2, hugepages=512)
        vf = man["pfs"][0]["vfs"][0]["address"]
        attr = os.path.join(root, "sys/bus/pci/devices", vf, "numa_node")
        os.chmod(attr, 0o644)
        with open(attr, "w") as f:
            f.write("-1\n")
        r = self.export(vf, root=root, check=1)
        self.assertIn("numa.node ens1f0np0/vf0", r.err)
        self.assertIn("has no NUMA node (numa_node -1)", r.err)
        words, args = parse_output(self.export(vf, "--force", root=root).out)
        self.assertEqual(args["socket_mem"], [512, 512])
        self.assertEqual(args["lcores"], {0, 1, 2, 3})
        self.assertEqual(eal(root, words)[0], 0)

    def test_cpulist_read_strictly(self):
        """The node's cpulist as the kernel prints it, in any order of
        ranges; anything else is an error naming the file."""
        root = os.path.join(self.dir, "cpulist")
        hostgen(root, "e810:pfs=1,vfs=1,vfio=1", hugepages=8)
        attr = os.path.join(root, "sys/devices/system/node/node0/cpulist")
        os.chmod(attr, 0o644)
        for text, want in (("4-7,0-1\n", {0, 1, 4, 5, 6, 7}), ("3\n", {3}),
                           ("0-1,x\n", None), ("3-1\n", None), ("0,\n", None),
                           ("0-8192\n", None), ("\n", None), ("0 1\n", None)):
            with self.subTest(text):
                with open(attr, "w") as f:
                    f.write(text)
                r = self.export("ens1f0np0/vf0", root=root, check=0 if want else 1)
                if want:
                    self.assertEqual(parse_output(r.out)[1]["lcores"], want)
                elif text == "\n":
                    self.assertIn("NUMA node 0 has no CPUs", r.err)
                else:
                    self.assertIn("%s is not a CPU list" % attr, r.err)

    def test_cli_errors(self):
        vf = self.name(self.by_driver("vfio-pci")[0])
        r = self.export(vf, "--mac", "02:00:00:00:00:01", check=2)
        self.assertIn("--mac is not an option of dpdk", r.err)
        r = self.export(vf, "--name", "x", check=2)
        self.assertIn("--name is not an option of dpdk", r.err)
        r = self.export(check=2)
        self.assertIn("export takes FORMAT and the VFs", r.err)
        r = self.export("nosuch0/vf0", check=1)
        self.assertIn("no SR-IOV PF or VF named 'nosuch0/vf0'", r.err)
        root = os.path.join(self.dir, "no-node-dir")
        hostgen(root, "e810:pfs=1,vfs=1,vfio=1", hugepages=8)
        shutil.rmtree(os.path.join(root, "sys/devices/system/node"))
        r = self.export("ens1f0np0/vf0", root=root, check=1)
        self.assertIn("cannot read %s/sys/devices/system/node/online" % root, r.err)


if __name__ == "__main__":
    unittest.main()
