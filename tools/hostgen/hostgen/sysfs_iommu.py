"""IOMMU groups (drivers/iommu/iommu.c), IOMMU devices (intel-iommu /
amd-iommu sysfs) and the firmware's ACPI DMAR / IVRS tables."""

import struct

from .tree import RO, RW, ROOT_RO

GROUPS = "sys/kernel/iommu_groups"

INTEL_REG_BASE = 0xFBFFC000
INTEL_CAP = 0xD2008C40660462
INTEL_ECAP = 0xF050DA
AMD_REG_BASE = 0xF2200000


def unit_dir(host, rb):
    """Directory of the IOMMU device that translates for root bus `rb`.

    Intel registers its IOMMUs with no parent (devices/virtual/iommu/dmarN);
    AMD's parent is the IOMMU's own PCI function, and the class device lands
    in the "iommu" glue directory below it.
    """
    if host.platform.name == "amd":
        return "%s/iommu/%s" % (rb.iommu_fn.dir, rb.iommu_unit)
    return "sys/devices/virtual/iommu/%s" % rb.iommu_unit


def reserved_regions(host):
    text = "0x00000000fee00000 0x00000000feefffff msi\n"
    if host.platform.name == "amd":
        text += "0x000000fd00000000 0x000000ffffffffff reserved\n"
    return text


def write_groups(tree, host):
    tree.dir(GROUPS)
    if not host.iommu:
        tree.dir("sys/class/iommu")
        return
    resv = reserved_regions(host)
    for n, members in enumerate(host.groups):
        g = "%s/%d" % (GROUPS, n)
        # iommu=pt on the command line: default domains are identity mapped
        tree.file(g + "/type", "identity\n", RW)
        tree.file(g + "/reserved_regions", resv, RO)
        tree.dir(g + "/devices")
        for dev in members:
            tree.link("%s/devices/%s" % (g, dev.addr), dev.dir)
            tree.link(dev.dir + "/iommu_group", g)
    for rb in host.roots:
        u = unit_dir(host, rb)
        tree.file(u + "/uevent", "", RW)
        tree.link(u + "/subsystem", "sys/class/iommu")
        tree.link("sys/class/iommu/" + rb.iommu_unit, u)
        power = u + "/power"
        tree.file(power + "/control", "auto\n", RW)
        tree.file(power + "/runtime_status", "unsupported\n", RO)
        if host.platform.name == "amd":
            tree.file(u + "/amd-iommu/cap", "%x\n" % 0x190B3, RO)
            tree.file(u + "/amd-iommu/features", "%x:%x\n" % (0x58F77EF22294A5A, 0x0D), RO)
        else:
            base = INTEL_REG_BASE - rb.node * 0x08000000
            members = [d for d in host.scan_order if d.root is rb and d.iommu_group is not None]
            tree.file(u + "/intel-iommu/address", "%x\n" % base, RO)
            tree.file(u + "/intel-iommu/cap", "%x\n" % INTEL_CAP, RO)
            tree.file(u + "/intel-iommu/ecap", "%x\n" % INTEL_ECAP, RO)
            tree.file(u + "/intel-iommu/version", "1:0\n", RO)
            tree.file(u + "/intel-iommu/domains_supported", "65536\n", RO)
            tree.file(u + "/intel-iommu/domains_used", "%d\n" % (1 + len(members)), RO)
        tree.dir(u + "/devices")
    for dev in host.scan_order:
        if dev.iommu_group is None:
            continue
        u = unit_dir(host, dev.root)
        tree.link("%s/devices/%s" % (u, dev.addr), dev.dir)
        tree.link(dev.dir + "/iommu", u)


def _acpi_table(signature, revision, body):
    length = 36 + len(body)
    hdr = struct.pack("<4sIBB6s8sI4sI", signature, length, revision, 0,
                      b"HOSTGN", b"SRIOVGEN", 1, b"SHG ", 1)
    data = bytearray(hdr + body)
    data[9] = (-sum(data)) & 0xFF
    return bytes(data)


def dmar_table(host):
    body = struct.pack("<BB10x", 45, 0x01)            # host address width 46, INTR_REMAP
    for i, rb in enumerate(host.roots):
        last = i == len(host.roots) - 1
        scopes = b""
        if not last:
            scopes += struct.pack("<BBHBBBB", 1, 8, 0, 0, rb.bus, 0, 0)
            for rp in rb.rootports:
                scopes += struct.pack("<BBHBBBB", 2, 8, 0, 0, rb.bus, rp.addr.slot, 0)
        drhd = struct.pack("<HHBBHQ", 0, 16 + len(scopes), 1 if last else 0, 0, 0,
                           INTEL_REG_BASE - rb.node * 0x08000000)
        body += drhd + scopes
    return _acpi_table(b"DMAR", 1, body)


def ivrs_table(host):
    body = struct.pack("<IQ", 0x00203041, 0)
    for rb in host.roots:
        entries = struct.pack("<BHB", 3, rb.bus << 8, 0) + \
            struct.pack("<BHB", 4, (rb.bus_limit << 8) | 0xFF, 0)
        ivhd = struct.pack("<BBHHHQHHI", 0x10, 0xB0, 24 + len(entries),
                           rb.iommu_fn.addr.rid, 0x40, AMD_REG_BASE + rb.node * 0x100000,
                           0, 0, 0x80048F6E)
        body += ivhd + entries
    return _acpi_table(b"IVRS", 2, body)


def write_acpi(tree, host):
    """The firmware tables exist whether or not the kernel enabled the IOMMU."""
    t = "sys/firmware/acpi/tables/"
    if not getattr(host, "acpi_iommu", True):
        return
    if host.platform.name == "amd":
        tree.file(t + "IVRS", ivrs_table(host), ROOT_RO)
    else:
        tree.file(t + "DMAR", dmar_table(host), ROOT_RO)


def write_iommu(tree, host):
    write_groups(tree, host)
    write_acpi(tree, host)
