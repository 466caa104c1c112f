"""Files outside the device model that `sriovctl check` reads, written only
when asked for: /etc/os-release, what re-creates VFs at boot (/etc), the
running kernel's module lists (/lib/modules/<release>, /proc/sys/kernel/
osrelease), huge pages (/sys/kernel/mm/hugepages and per NUMA node) and
/etc/hostname."""

from .tree import RO, RW

RELEASE = "6.1.0-27-amd64"     # the kernel of sysfs_system.KERNEL_IMAGE

OS_RELEASE = {
    "debian": 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\n'
              'VERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\n'
              'HOME_URL="https://www.debian.org/"\nSUPPORT_URL="https://www.debian.org/support"\n'
              'BUG_REPORT_URL="https://bugs.debian.org/"\n',
    "rhel": 'NAME="Red Hat Enterprise Linux"\nVERSION="9.4 (Plow)"\nID="rhel"\n'
            'ID_LIKE="fedora"\nVERSION_ID="9.4"\nPLATFORM_ID="platform:el9"\n'
            'PRETTY_NAME="Red Hat Enterprise Linux 9.4 (Plow)"\nANSI_COLOR="0;31"\n',
}

# (module, path under kernel/, modules.alias patterns), as file2alias writes them
MODULES = [
    ("ice", "drivers/net/ethernet/intel/ice", ["pci:v00008086d00001592sv*sd*bc*sc*i*",
                                               "pci:v00008086d00001593sv*sd*bc*sc*i*"]),
    ("iavf", "drivers/net/ethernet/intel/iavf", ["pci:v00008086d00001889sv*sd*bc*sc*i*",
                                                 "pci:v00008086d0000154Csv*sd*bc*sc*i*",
                                                 "pci:v00008086d000037CDsv*sd*bc*sc*i*"]),
    ("mlx5_core", "drivers/net/ethernet/mellanox/mlx5/core",
     ["pci:v000015B3d0000101Dsv*sd*bc*sc*i*", "pci:v000015B3d0000101Esv*sd*bc*sc*i*"]),
    ("ixgbe", "drivers/net/ethernet/intel/ixgbe", ["pci:v00008086d000010FBsv*sd*bc*sc*i*"]),
    ("ixgbevf", "drivers/net/ethernet/intel/ixgbevf", ["pci:v00008086d000010EDsv*sd*bc*sc*i*"]),
    ("igb", "drivers/net/ethernet/intel/igb", ["pci:v00008086d00001521sv*sd*bc*sc*i*",
                                               "pci:v00008086d000010C9sv*sd*bc*sc*i*"]),
    ("igbvf", "drivers/net/ethernet/intel/igbvf", ["pci:v00008086d00001520sv*sd*bc*sc*i*",
                                                   "pci:v00008086d000010CAsv*sd*bc*sc*i*"]),
    ("nvme", "drivers/nvme/host", ["pci:v*d*sv*sd*bc01sc08i02*"]),
    ("vfio", "drivers/vfio", ["char-major-10-196", "devname:vfio/vfio"]),
    ("vfio-pci", "drivers/vfio/pci", ["vfio_pci:v*d*sv*sd*bc*sc*i*"]),
]
VF_DRIVERS = ("iavf", "ixgbevf", "igbvf")
BUILTIN = ["kernel/drivers/pci/controller/vmd.ko", "kernel/drivers/iommu/intel/iommu.ko"]


def write_os(tree, name):
    tree.file("etc/os-release", OS_RELEASE[name], RO)


def write_modules(tree, mode):
    """mode: full, no-vf (no VF drivers) or no-vfio (no vfio, vfio-pci)."""
    tree.file("proc/sys/kernel/osrelease", RELEASE + "\n", RO)
    skip = VF_DRIVERS if mode == "no-vf" else ("vfio", "vfio-pci") if mode == "no-vfio" else ()
    mods = [m for m in MODULES if m[0] not in skip]
    base = "lib/modules/%s/" % RELEASE
    alias, dep = ["# Aliases extracted from modules themselves."], []
    for name, path, pats in sorted(mods, key=lambda m: m[0]):
        mod = name.replace("-", "_")
        alias.extend("alias %s %s" % (p, mod) for p in pats)
        ko = "kernel/%s/%s.ko" % (path, name)
        deps = " kernel/drivers/vfio/vfio.ko" if name == "vfio-pci" else ""
        dep.append("%s:%s" % (ko, deps))
    tree.file(base + "modules.alias", "\n".join(alias) + "\n", RO)
    tree.file(base + "modules.dep", "\n".join(dep) + "\n", RO)
    tree.file(base + "modules.builtin", "\n".join(BUILTIN) + "\n", RO)


def write_persist(tree, host, how):
    """VF counts re-created at boot by `how` (udev, sriovctl, rc.local, systemd)."""
    pfs = [pf for card in host.cards for pf in card.pfs if pf.num_vfs]
    lines = []
    for pf in pfs:
        nd = pf.netdev.name if getattr(pf, "netdev", None) else None
        if how == "udev":
            # the rule `sriovctl check` suggests (lab-proven: udev.sh)
            lines.append('ACTION=="add|bind", SUBSYSTEM=="pci", KERNEL=="%s", '
                         'DRIVER=="?*", ATTR{sriov_numvfs}="%d"' % (pf.addr, pf.num_vfs))
        elif how == "sriovctl":
            match = "{netdev: %s}" % nd if nd else '{pci: "%s"}' % pf.addr
            lines.append("  - match: %s\n    num_vfs: %d" % (match, pf.num_vfs))
        else:
            lines.append("echo %d > /sys/bus/pci/devices/%s/sriov_numvfs" % (pf.num_vfs, pf.addr))
    if how == "udev":
        tree.file("etc/udev/rules.d/70-sriov.rules", "\n".join(lines) + "\n", RW)
    elif how == "sriovctl":
        tree.file("etc/sriovctl/sriovctl.yaml", "pfs:\n" + "\n".join(lines) + "\n", RW)
        # `systemctl enable sriovctl-apply.service`
        tree.link("etc/systemd/system/multi-user.target.wants/sriovctl-apply.service",
                  "lib/systemd/system/sriovctl-apply.service")
    elif how == "rc.local":
        tree.file("etc/rc.local", "#!/bin/sh -e\n" + "\n".join(lines) + "\nexit 0\n", 0o755)
    else:
        tree.file("etc/systemd/system/sriov-vfs.service",
                  "[Unit]\nDescription=Create SR-IOV VFs\nAfter=network-pre.target\n\n"
                  "[Service]\nType=oneshot\n"
                  + "".join("ExecStart=/bin/sh -c '%s'\n" % l for l in lines)
                  + "\n[Install]\nWantedBy=multi-user.target\n", RW)


def node_hugepages(total, nodes):
    """The kernel's split of @total 2 MB pages over @nodes (interleaved:
    the first nodes get the remainder)."""
    return [total // nodes + (1 if n < total % nodes else 0) for n in range(nodes)]


def write_hugepages(tree, n2m, per_node):
    """@n2m 2 MB pages in all, @per_node[n] of them on node n (and no 1 GB
    pages), free as on a host where nothing uses them yet."""
    for n, k in enumerate(per_node):
        for size, pages in (("2048kB", k), ("1048576kB", 0)):
            d = "sys/devices/system/node/node%d/hugepages/hugepages-%s/" % (n, size)
            tree.file(d + "nr_hugepages", "%d\n" % pages, RW)
            tree.file(d + "free_hugepages", "%d\n" % pages, RO)
            tree.file(d + "surplus_hugepages", "0\n", RO)
    for size, n in (("2048kB", n2m), ("1048576kB", 0)):
        d = "sys/kernel/mm/hugepages/hugepages-%s/" % size
        for attr, val in (("nr_hugepages", n), ("nr_hugepages_mempolicy", n),
                          ("nr_overcommit_hugepages", 0)):
            tree.file(d + attr, "%d\n" % val, RW)
        for attr, val in (("free_hugepages", n), ("resv_hugepages", 0),
                          ("surplus_hugepages", 0)):
            tree.file(d + attr, "%d\n" % val, RO)


def write_hostname(tree, name):
    tree.file("etc/hostname", name + "\n", RW)
