"""Memory resources: BAR addresses, bridge windows and the sysfs `resource` file.

Addresses are allocated deterministically per root port from per-node pools,
each BAR naturally aligned, as firmware would.  The SR-IOV "IOV resources"
(resource lines 7..12) span VF BAR size * TotalVFs (config value), as
sriov_init() sizes them; VF i's BAR is at IOV start + i * VF BAR size.

`resource` has PCI_BRIDGE_RESOURCES (13) lines for endpoints and
DEVICE_COUNT_RESOURCE (17) for bridges, each "0x%016llx 0x%016llx 0x%016llx".
"""

from .errors import HostgenError

M = 1024 * 1024
MEM32_BASE = 0x90000000
MEM32_SPAN = 0x08000000          # per node
PREF_BASE = 0x380000000000
PREF_SPAN = 0x040000000000       # per node

# struct resource flags as the kernel reports them (include/linux/ioport.h)
IORESOURCE_MEM = 0x00000200
IORESOURCE_PREFETCH = 0x00002000
IORESOURCE_SIZEALIGN = 0x00040000
IORESOURCE_MEM_64 = 0x00100000

FLAGS = {
    # decode_bar() low bits | MEM | (PREFETCH) | MEM_64 | SIZEALIGN
    "mem64p": 0x0C | IORESOURCE_MEM | IORESOURCE_PREFETCH | IORESOURCE_MEM_64 | IORESOURCE_SIZEALIGN,
    "mem64": 0x04 | IORESOURCE_MEM | IORESOURCE_MEM_64 | IORESOURCE_SIZEALIGN,
    "mem32": IORESOURCE_MEM | IORESOURCE_SIZEALIGN,
}
# bridge windows: pci_read_bridge_mmio() / pci_read_bridge_mmio_pref()
WINDOW_MEM_FLAGS = IORESOURCE_MEM
WINDOW_PREF_FLAGS = 0x01 | IORESOURCE_MEM | IORESOURCE_PREFETCH | IORESOURCE_MEM_64


def _align(x, a):
    return (x + a - 1) // a * a


def _allocate(items, cursor):
    """items: [(align, size, callback)]; returns (window or None, new cursor)."""
    if not items:
        return None, cursor
    items = sorted(items, key=lambda it: (-it[0], -it[1]))
    start = _align(cursor, max(M, items[0][0]))
    pos = start
    for align, size, assign in items:
        pos = _align(pos, align)
        assign(pos)
        pos += size
    end = _align(pos, M)
    return (start, end - 1), end


def assign_resources(host):
    for rb in host.roots:
        mem = MEM32_BASE + rb.node * MEM32_SPAN
        mem_end = mem + MEM32_SPAN
        pref = PREF_BASE + rb.node * PREF_SPAN
        for rp in rb.rootports:
            items32, items64 = [], []
            for dev in sorted(rp.children, key=lambda d: d.addr):
                for bar in dev.profile.bars:
                    (items64 if bar.prefetch else items32).append(
                        (bar.size, bar.size, _bar_setter(dev, bar)))
                if dev.kind == "pf" and dev.total_cfg:
                    for vbar in dev.profile.vf_bars:
                        (items64 if vbar.prefetch else items32).append(
                            (vbar.size, vbar.size * dev.total_cfg, _iov_setter(dev, vbar)))
            rp.win_mem, mem = _allocate(items32, mem)
            rp.win_pref, pref = _allocate(items64, pref)
            if mem > mem_end:
                raise HostgenError("32-bit MMIO space of NUMA node %d exhausted" % rb.node)
    for dev in host.scan_order:
        if dev.kind == "vf":
            pf = dev.pf
            dev.bars = [(vbar, addr + dev.vf_index * vbar.size) for vbar, addr in pf.iov_bars]


def _bar_setter(dev, bar):
    def assign(addr):
        dev.bars.append((bar, addr))
        dev.bars.sort(key=lambda b: b[0].index)
    return assign


def _iov_setter(dev, vbar):
    def assign(addr):
        dev.iov_bars.append((vbar, addr))
        dev.iov_bars.sort(key=lambda b: b[0].index)
    return assign


def resource_text(dev):
    rows = [(0, 0, 0)] * (17 if dev.is_bridge else 13)
    for bar, addr in dev.bars:
        rows[bar.index] = (addr, addr + bar.size - 1, FLAGS[bar.kind])
    for vbar, addr in dev.iov_bars:
        rows[7 + vbar.index] = (addr, addr + vbar.size * dev.total_cfg - 1, FLAGS[vbar.kind])
    if dev.is_bridge:
        if dev.win_mem:
            rows[14] = (dev.win_mem[0], dev.win_mem[1], WINDOW_MEM_FLAGS)
        if dev.win_pref:
            rows[15] = (dev.win_pref[0], dev.win_pref[1], WINDOW_PREF_FLAGS)
    return "".join("0x%016x 0x%016x 0x%016x\n" % r for r in rows)
