"""Command line of sriov-hostgen."""

import argparse
import os
import shutil
import sys

from . import manifest
from .errors import HostgenError
from .profiles import PROFILES
from .spec import parse_card
from .host_files import (node_hugepages, write_hostname, write_hugepages, write_modules,
                         write_os, write_persist)
from .sysfs_iommu import write_iommu
from .sysfs_net import write_net
from .sysfs_pci import write_pci
from .sysfs_system import write_proc, write_system
from .topology import Host
from .tree import Tree

PROG = "sriov-hostgen"

EPILOG = """profiles:
%s

card keys (vfs, vfio and unbound take N for every PF or N0/N1/... per PF):
  pfs=N          PF functions used (default: the profile's port count)
  vfs=N          VFs enabled on each PF (default 0)
  total=N        TotalVFs in config space and sriov_totalvfs
  vfio=N         the last N VFs of each PF bound to vfio-pci (driver_override set)
  unbound=N      N VFs before those without a driver
  autoprobe=0|1  sriov_drivers_autoprobe (0: every non-vfio VF unbound)
  numa=N         NUMA node of the card (default: round-robin)
  acs=on|off     ACS at the card's root port (off: one shared IOMMU group)
  pfdriver=none|vfio-pci   PF driver other than the profile's
  ifname=PREFIX  PF netdev k is PREFIX<k>, its VF i PREFIX<k>v<i>
  link=up|down   carrier of the card's netdevs
  vfmtu=N        MTU of the card's VF netdevs (default 1500)
  vfmac=same     every VF netdev of a PF gets the same MAC (default unique)
  ari=on|off     ARI forwarding at the card's root port (off: the First VF
                 Offset without ARI, x520/i350 VFs on the next bus; default on)
  bus=BB         secondary bus (hex) of the card's root port (default: the next
                 free; in --card order)

exit status: 0 ok, 2 bad arguments or refused OUT_DIR, 1 I/O error
see docs/hostgen.md""" % "\n".join("  %-5s %s" % (n, p.title) for n, p in sorted(PROFILES.items()))


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise HostgenError(message)


def _int_arg(name, lo, hi):
    def conv(text):
        try:
            n = int(text, 10)
        except ValueError:
            raise argparse.ArgumentTypeError("%s must be an integer, got '%s'" % (name, text))
        if n < lo or n > hi:
            raise argparse.ArgumentTypeError("%s must be %d..%d, got %d" % (name, lo, hi, n))
        return n
    return conv


def _node_pages(text):
    conv = _int_arg("--node-hugepages", 0, 1 << 20)
    return [conv(t) for t in text.split(",")]


def _hostname(text):
    if not 0 < len(text) <= 253 or not all(c.isascii() and (c.isalnum() or c in "-.")
                                           for c in text):
        raise argparse.ArgumentTypeError("--hostname must be 1..253 of A-Z a-z 0-9 - ., "
                                         "got '%s'" % text)
    return text


def parser():
    p = _Parser(prog=PROG, description="Generate a realistic Linux sysfs tree of a host "
                "with SR-IOV adapters under OUT_DIR (OUT_DIR/sys, OUT_DIR/proc).",
                epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out_dir", metavar="OUT_DIR")
    p.add_argument("--card", action="append", default=[], metavar="PROFILE[:key=value,...]",
                   help="add one adapter behind its own root port (repeatable)")
    p.add_argument("--iommu", choices=("on", "off"), default="on",
                   help="IOMMU enabled by the kernel (default on, with iommu=pt)")
    p.add_argument("--cpu", choices=("intel", "amd"), default="intel",
                   help="platform: root ports, IOMMU flavour, cpuinfo (default intel)")
    p.add_argument("--numa-nodes", type=_int_arg("--numa-nodes", 1, 8), default=1,
                   metavar="N", help="NUMA nodes, each with its own root bus (default 1)")
    p.add_argument("--cpus-per-node", type=_int_arg("--cpus-per-node", 1, 512), default=16,
                   metavar="N", help="CPUs per NUMA node (default 16)")
    p.add_argument("--iommu-firmware", choices=("on", "off"), default="on",
                   help="ACPI DMAR/IVRS table present (default on; off needs --iommu off)")
    p.add_argument("--cpu-virt", choices=("on", "off"), default="on",
                   help="vmx/svm in /proc/cpuinfo flags (default on)")
    p.add_argument("--cmdline", metavar="TEXT",
                   help="/proc/cmdline instead of the generated one")
    p.add_argument("--os", choices=("debian", "rhel"),
                   help="write /etc/os-release of Debian 12 or RHEL 9 (default: none)")
    p.add_argument("--modules", choices=("full", "no-vf", "no-vfio"),
                   help="write /lib/modules/RELEASE module lists and /proc/sys/kernel/"
                   "osrelease: all drivers, without VF drivers, or without vfio-pci")
    p.add_argument("--persist", choices=("udev", "sriovctl", "rc.local", "systemd"),
                   help="write what re-creates the VFs at boot (default: nothing)")
    p.add_argument("--hugepages", type=_int_arg("--hugepages", 0, 1 << 20), metavar="N",
                   help="write /sys/kernel/mm/hugepages with N 2 MB pages, spread over the "
                   "NUMA nodes (default: none)")
    p.add_argument("--node-hugepages", type=_node_pages, metavar="N0,N1,...",
                   help="2 MB pages per NUMA node instead (one count per node); "
                   "/sys/kernel/mm/hugepages has their sum")
    p.add_argument("--hostname", type=_hostname, metavar="NAME",
                   help="write /etc/hostname (default: none)")
    p.add_argument("--manifest", metavar="FILE", help="write the JSON ground truth here")
    p.add_argument("--seed", type=_int_arg("--seed", 0, 2 ** 63), default=0, metavar="N",
                   help="seed of MAC addresses (default 0)")
    p.add_argument("--force", action="store_true",
                   help="delete a non-empty OUT_DIR first")
    return p


def build_tree(host, args=None):
    tree = Tree()
    write_pci(tree, host)
    write_iommu(tree, host)
    write_net(tree, host)
    write_system(tree, host)
    write_proc(tree, host)
    if args is not None:
        if args.os:
            write_os(tree, args.os)
        if args.modules:
            write_modules(tree, args.modules)
        if args.persist:
            write_persist(tree, host, args.persist)
        if args.node_hugepages is not None:
            write_hugepages(tree, sum(args.node_hugepages), args.node_hugepages)
        elif args.hugepages is not None:
            write_hugepages(tree, args.hugepages, node_hugepages(args.hugepages, host.nodes))
        if args.hostname:
            write_hostname(tree, args.hostname)
    return tree


def generate(argv):
    """Parse `argv`, generate; returns the Host.  Raises HostgenError."""
    args = parser().parse_args(argv)
    cards = [parse_card(c) for c in args.card]
    host = Host(cards, cpu=args.cpu, iommu=args.iommu == "on", nodes=args.numa_nodes,
                cpus_per_node=args.cpus_per_node, seed=args.seed)
    if args.iommu_firmware == "off" and args.iommu == "on":
        raise HostgenError("--iommu-firmware off needs --iommu off (no ACPI table, no IOMMU)")
    if args.node_hugepages is not None:
        if args.hugepages is not None:
            raise HostgenError("--hugepages and --node-hugepages exclude each other")
        if len(args.node_hugepages) != args.numa_nodes:
            raise HostgenError("--node-hugepages needs one count per NUMA node (%d), got %d"
                               % (args.numa_nodes, len(args.node_hugepages)))
    host.acpi_iommu = args.iommu_firmware == "on"
    host.cpu_virt = args.cpu_virt == "on"
    host.cmdline_text = args.cmdline
    host.vfio_loaded = args.modules != "no-vfio"    # not installed: not loaded either
    out = args.out_dir
    if os.path.lexists(out):
        if not os.path.isdir(out) or os.path.islink(out):
            raise HostgenError("OUT_DIR %s exists and is not a directory" % out)
        if os.listdir(out):
            if not args.force:
                raise HostgenError("OUT_DIR %s is not empty (use --force to replace it)" % out)
            shutil.rmtree(out)
    tree = build_tree(host, args)
    os.makedirs(out, exist_ok=True)
    tree.write(out)
    if args.manifest:
        with open(args.manifest, "w") as fh:
            fh.write(manifest.dumps(manifest.build(host, out)))
    return host


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if any(a in ("-h", "--help") for a in argv):
        parser().print_help()
        return 0
    try:
        generate(argv)
    except HostgenError as e:
        print("%s: error: %s" % (PROG, e), file=sys.stderr)
        return 2
    except OSError as e:
        print("%s: error: %s" % (PROG, e), file=sys.stderr)
        return 1
    return 0
