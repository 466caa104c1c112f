"""The host model: root buses, root ports, functions, VFs, drivers, IOMMU
groups and network interfaces.  Nothing here touches the disk.

Layout rules follow Linux 6.x:

* node n has its own host bridge / root bus (pci0000:00, pci0000:80, ...);
  each adapter sits alone behind a root port 0000:BB:DD.0 of its node's root
  bus, the boot NVMe drive behind root port 1 of node 0;
* a VF's sysfs directory is a sibling of its PF's (pci_iov_scan_device()
  sets virtfn->dev.parent = dev->dev.parent), even when the VF is on another
  bus number; those extra buses are "virtual" buses whose pci_bus directory
  hangs below the root port (pci_alloc_child_bus() with no bridge);
* groups follow pci_device_group(): with ACS at the root port each function
  and VF gets its own group; without it the root port and everything below
  it share the root port's group.  Groups are numbered in probe order: the
  boot-time devices root bus by root bus (bus first, then below each
  bridge), then VFs PF by PF in address order (sriov_numvfs written after
  boot).
"""

import hashlib

from .errors import HostgenError
from .pciaddr import PciAddr, vf_addr
from .profiles import BOOT_NVME, PLATFORMS

MAX_NODES = 8


class Netdev:
    def __init__(self, name, mac, dev, speed, up, port, phys_port_name, random_mac):
        self.name = name
        self.mac = mac
        self.dev = dev
        self.speed = speed
        self.up = up
        self.port = port
        self.phys_port_name = phys_port_name
        self.random_mac = random_mac
        self.ifindex = None
        self.mtu = 1500


class Device:
    """One PCI function."""

    def __init__(self, host, addr, kind, parent_dir, ids, class_code, node):
        self.host = host
        self.addr = addr
        self.kind = kind            # hostbridge | iommu | rootport | endpoint | pf | vf
        self.dir = "%s/%s" % (parent_dir, addr)
        self.vendor, self.device, self.subsys_vendor, self.subsys_device, self.revision = ids
        self.class_code = class_code
        self.node = node
        self.multifunction = False
        self.driver = None
        self.driver_override = None
        self.profile = None
        self.bars = []              # [(Bar, address)]
        self.iov_bars = []          # PF: [(Bar, address of VF 0)]
        self.msix = None
        self.link = None            # (max gen, max width, cur gen, cur width) or None
        self.rootport = None
        self.root = None            # RootBus
        self.irq = 0
        self.iommu_group = None
        self.netdev = None
        self.pm = False
        self.reset_method = None
        self.ari_cap = False
        self.acs_cap = False
        # PF
        self.card = None
        self.pf_index = None
        self.total_cfg = 0
        self.total_sysfs = 0
        self.num_vfs = 0
        self.vf_offset = 0
        self.vf_stride = 0
        self.autoprobe = True
        self.vfs = []
        # VF
        self.pf = None
        self.vf_index = None
        # root port
        self.secondary = None
        self.subordinate = None
        self.acs = False
        self.slot = None
        self.ari_fwd = False
        self.ari_fwd_cap = True     # root port: DevCap2 ARI Forwarding Supported
        self.children = []
        self.win_mem = None         # (base, limit) or None
        self.win_pref = None

    def __repr__(self):
        return "<%s %s>" % (self.kind, self.addr)

    @property
    def is_bridge(self):
        return self.kind == "rootport"

    @property
    def bound(self):
        return self.driver is not None

    @property
    def kernel_bound(self):
        """Bound to a real device driver (not vfio-pci, not unbound)."""
        return self.driver is not None and self.driver != "vfio-pci"

    @property
    def numa_attr(self):
        """numa_node file: -1 on a single-node host (what real single-socket
        machines without _PXM show), else the node of the root bus."""
        return -1 if self.host.nodes == 1 else self.node

    @property
    def ari_enabled_attr(self):
        """ari_enabled shows pci_ari_enabled(pdev->bus): the ARI Forwarding
        state of the bridge *above* the device (0 on root and virtual buses)."""
        if self.kind in ("hostbridge", "iommu", "rootport"):
            return 0
        if self.kind == "vf" and self.addr.bus != self.rootport.secondary:
            return 0
        return 1 if self.rootport.ari_fwd else 0


class RootBus:
    def __init__(self, node, bus, bus_limit):
        self.node = node
        self.bus = bus
        self.bus_limit = bus_limit
        self.dir = "sys/devices/pci0000:%02x" % bus
        self.hostbridge = None
        self.iommu_fn = None
        self.rootports = []
        self.iommu_unit = None      # "dmar0" / "ivhd0" when the IOMMU is on
        self.next_bus = bus + 1


class Card:
    def __init__(self, index, spec, node):
        self.index = index
        self.spec = spec
        self.profile = spec.profile
        self.node = node
        self.rootport = None
        self.pfs = []


class Host:
    def __init__(self, cards, cpu="intel", iommu=True, nodes=1, cpus_per_node=16, seed=0):
        if nodes < 1 or nodes > MAX_NODES:
            raise HostgenError("--numa-nodes must be 1..%d" % MAX_NODES)
        if cpus_per_node < 1 or cpus_per_node > 512:
            raise HostgenError("--cpus-per-node must be 1..512")
        self.platform = PLATFORMS[cpu]
        self.iommu = iommu
        self.nodes = nodes
        self.cpus_per_node = cpus_per_node
        self.seed = seed
        self.roots = []
        self.cards = []
        self.scan_order = []
        self.groups = []            # list of lists of Device
        self.netdevs = []
        self.virtual_buses = []     # (root port, bus number) of buses holding only VFs
        self._vbus_seen = set()
        self._irq_next = 24
        for i, spec in enumerate(cards):
            node = spec.numa if spec.numa is not None else i % nodes
            if node >= nodes:
                raise HostgenError("--card %s: numa=%d but the host has %d NUMA node(s)"
                                   % (spec.text, node, nodes))
            self.cards.append(Card(i, spec, node))
        self._build_roots()
        self._build_cards()
        self._scan()
        from .resources import assign_resources
        assign_resources(self)
        self._assign_groups()
        self._assign_netdevs()

    # ------------------------------------------------------------------ helpers
    @property
    def nr_cpus(self):
        return self.nodes * self.cpus_per_node

    def node_cpus(self, node):
        return range(node * self.cpus_per_node, (node + 1) * self.cpus_per_node)

    def device_cpus(self, dev):
        if dev.numa_attr < 0:
            return range(self.nr_cpus)
        return self.node_cpus(dev.numa_attr)

    def hash_bytes(self, *what):
        text = ":".join(str(w) for w in ("sriov-hostgen", self.seed) + what)
        return hashlib.sha256(text.encode()).digest()

    # ------------------------------------------------------------------ build
    def _build_roots(self):
        step = (0x100 // self.nodes) & ~0xF
        plat = self.platform
        for n in range(self.nodes):
            base = n * step
            limit = (n + 1) * step - 1 if n + 1 < self.nodes else 0xFF
            rb = RootBus(n, base, limit)
            hb = Device(self, PciAddr.make(0, base, 0, 0), "hostbridge", rb.dir,
                        plat.hostbridge, 0x060000, n)
            hb.root = rb
            rb.hostbridge = hb
            if plat.iommu_dev:
                io = Device(self, PciAddr.make(0, base, 0, 2), "iommu", rb.dir,
                            plat.iommu_dev, 0x080600, n)
                io.root = rb
                rb.iommu_fn = io
                hb.multifunction = True
            if self.iommu:
                rb.iommu_unit = ("ivhd%d" if plat.name == "amd" else "dmar%d") % n
            self.roots.append(rb)

    def _new_rootport(self, rb, acs, card=None):
        devno = len(rb.rootports) + 1
        if devno > 0x1F:
            raise HostgenError("too many adapters on NUMA node %d (at most 30)" % rb.node)
        secondary = rb.next_bus
        if card is not None and card.spec.bus is not None:
            # firmware numbers buses depth first: a card's buses follow the cards before it
            secondary = card.spec.bus
            if secondary < rb.next_bus or secondary > rb.bus_limit:
                raise HostgenError(
                    "--card %s: bus=%02x is outside the free bus numbers %02x..%02x of NUMA "
                    "node %d (buses are numbered in the order of the --card options)"
                    % (card.spec.text, secondary, rb.next_bus, rb.bus_limit, rb.node))
        rp = Device(self, PciAddr.make(0, rb.bus, devno, 0), "rootport", rb.dir,
                    self.platform.rootport, 0x060400, rb.node)
        rp.root = rb
        rp.acs = acs
        rp.pm = True
        rp.reset_method = "pm"
        rp.driver = "pcieport"
        rp.irq = self._irq_next
        self._irq_next += 1
        rp.secondary = secondary
        rb.rootports.append(rp)
        return rp

    def _close_rootport(self, rb, rp, subordinate):
        if subordinate > rb.bus_limit:
            raise HostgenError(
                "bus numbers exhausted on NUMA node %d: root port %s would need buses "
                "%02x..%02x but the node's range ends at %02x (fewer VFs or cards)"
                % (rb.node, rp.addr, rp.secondary, subordinate, rb.bus_limit))
        rp.subordinate = subordinate
        rb.next_bus = subordinate + 1
        rp.link = (self.platform.rootport_gen, 16,
                   max((c.link[2] for c in rp.children), default=0),
                   max((c.link[3] for c in rp.children), default=0))

    def _endpoint_common(self, dev, rp, prof):
        dev.rootport = rp
        dev.root = rp.root
        dev.profile = prof
        dev.pm = True
        dev.ari_cap = prof.ari
        dev.msix = prof.msix
        rp_gen = self.platform.rootport_gen
        dev.link = (prof.link_gen, prof.link_width,
                    min(prof.link_gen, rp_gen), min(prof.link_width, 16))
        dev.irq = 16 + 24 * rp.root.node + (rp.addr.slot + dev.addr.func) % 8
        rp.children.append(dev)

    def _build_cards(self):
        # node 0 first gets the boot NVMe drive behind root port 1
        rb0 = self.roots[0]
        rp = self._new_rootport(rb0, acs=True)
        nvme = Device(self, PciAddr.make(0, rp.secondary, 0, 0), "endpoint", rp.dir,
                      (BOOT_NVME.vendor, BOOT_NVME.device, BOOT_NVME.subsys_vendor,
                       BOOT_NVME.subsys_device, BOOT_NVME.revision),
                      BOOT_NVME.class_code, 0)
        self._endpoint_common(nvme, rp, BOOT_NVME)
        nvme.driver = BOOT_NVME.pf_driver
        nvme.reset_method = BOOT_NVME.reset_single
        self._close_rootport(rb0, rp, rp.secondary)
        self.boot_nvme = nvme

        slot = 0
        for rb in self.roots:
            for card in [c for c in self.cards if c.node == rb.node]:
                slot += 1
                self._build_card(rb, card, slot)

    def _build_card(self, rb, card, slot):
        spec, prof = card.spec, card.profile
        rp = self._new_rootport(rb, acs=spec.acs, card=card)
        rp.slot = slot
        card.rootport = rp
        # pci_configure_ari(): forwarding on when the port supports it and function 0
        # has ARI; ari=off is a port without the support
        rp.ari_fwd_cap = spec.ari
        rp.ari_fwd = prof.ari and spec.ari
        bus = rp.secondary
        max_bus = bus
        for k in range(spec.pfs):
            addr = PciAddr.make(0, bus, 0, k)
            pf = Device(self, addr, "pf" if prof.sriov else "endpoint", rp.dir,
                        (prof.vendor, prof.device, prof.subsys_vendor,
                         prof.subsys_device, prof.revision), prof.class_code, rb.node)
            self._endpoint_common(pf, rp, prof)
            pf.card = card
            pf.pf_index = k
            pf.multifunction = spec.pfs > 1
            pf.acs_cap = prof.pf_acs and spec.pfs > 1
            pf.driver = spec.pf_driver
            pf.reset_method = prof.reset_multi if spec.pfs > 1 else prof.reset_single
            card.pfs.append(pf)
            if not prof.sriov:
                continue
            pf.total_cfg = spec.total
            pf.total_sysfs = spec.total_sysfs
            pf.num_vfs = spec.vfs[k]
            pf.vf_offset = prof.first_vf_offset(k, spec.pfs, spec.total, rp.ari_fwd)
            pf.vf_stride = prof.vf_stride
            pf.autoprobe = spec.autoprobe
            if spec.total == 0:
                continue            # sriov_init() stops at TotalVFs 0: no VFs, no attributes
            # bus range reserved for VFs: pci_iov_bus_range() uses TotalVFs
            last = vf_addr(addr, pf.vf_offset, pf.vf_stride, spec.total - 1)
            if last.bus > min(0xFF, rb.bus_limit):
                raise HostgenError(
                    "--card %s: the VFs of PF %s would need bus numbers up to %x, beyond "
                    "the %02x..%02x range of NUMA node %d (fewer VFs or cards)"
                    % (spec.text, addr, last.bus, rb.bus, min(0xFF, rb.bus_limit), rb.node))
            max_bus = max(max_bus, last.bus)
        self._close_rootport(rb, rp, max_bus)
        self._build_vfs(card)

    def _build_vfs(self, card):
        spec, prof = card.spec, card.profile
        if not prof.sriov:
            return
        rp = card.rootport
        for k, pf in enumerate(card.pfs):
            n, n_vfio, n_unbound = spec.vfs[k], spec.vfio[k], spec.unbound[k]
            for i in range(n):
                addr = vf_addr(pf.addr, pf.vf_offset, pf.vf_stride, i)
                vf = Device(self, addr, "vf", rp.dir,
                            (prof.vendor, prof.vf_device, prof.subsys_vendor,
                             prof.subsys_device, prof.vf_revision),
                            prof.class_code, pf.node)
                vf.rootport = rp
                vf.root = rp.root
                vf.profile = prof
                vf.pf = pf
                vf.vf_index = i
                vf.card = card
                vf.ari_cap = prof.ari
                vf.msix = prof.vf_msix
                vf.link = (0, 0, 0, 0)      # VF link registers are reserved: "Unknown"
                vf.reset_method = "flr"
                if i >= n - n_vfio:
                    vf.driver = "vfio-pci"
                    vf.driver_override = "vfio-pci"
                elif i >= n - n_vfio - n_unbound or not spec.autoprobe:
                    vf.driver = None
                else:
                    vf.driver = prof.vf_driver
                pf.vfs.append(vf)
                if addr.bus != rp.secondary and addr.bus not in self._vbus_seen:
                    self._vbus_seen.add(addr.bus)
                    self.virtual_buses.append((rp, addr.bus))

    def _scan(self):
        """Probe order: each root bus, its functions, then below each bridge."""
        order = []
        for rb in self.roots:
            order.append(rb.hostbridge)
            if rb.iommu_fn:
                order.append(rb.iommu_fn)
            order.extend(rb.rootports)
            for rp in rb.rootports:
                order.extend(sorted(rp.children, key=lambda d: d.addr))
        self.boot_devices = list(order)
        for pf in sorted((d for d in order if d.kind == "pf"), key=lambda d: d.addr):
            order.extend(pf.vfs)
        self.scan_order = order
        self.devices_by_addr = {}
        for d in order:
            if d.addr in self.devices_by_addr:
                raise HostgenError("internal error: address %s used twice" % d.addr)
            self.devices_by_addr[d.addr] = d

    def _assign_groups(self):
        if not self.iommu:
            return
        amd = self.platform.name == "amd"

        def new_group(dev):
            dev.iommu_group = len(self.groups)
            self.groups.append([dev])

        def join(dev, owner):
            dev.iommu_group = owner.iommu_group
            self.groups[owner.iommu_group].append(dev)

        for dev in self.scan_order:
            if dev.kind in ("hostbridge", "iommu") and amd:
                continue            # AMD's root complex and IOMMU functions are not grouped
            if dev.kind in ("hostbridge", "iommu", "rootport"):
                new_group(dev)
            elif dev.rootport.acs:
                new_group(dev)
            else:
                join(dev, dev.rootport)

    def _assign_netdevs(self):
        names = {"lo"}
        ifindex = 2
        pf_list = []
        for card in sorted(self.cards, key=lambda c: c.rootport.addr):
            spec, prof = card.spec, card.profile
            for pf in card.pfs:
                pf_list.append(pf)
                if not (prof.netdev and pf.driver == prof.pf_driver):
                    continue
                k = pf.pf_index
                if spec.ifname:
                    name = "%s%d" % (spec.ifname, k)
                else:
                    name = "ens%df%d" % (card.rootport.slot, k)
                    if prof.phys_port_name:
                        name += "np%d" % k
                base = self.hash_bytes("pfmac", card.index)
                nic = ((base[0] << 16) | (base[1] << 8) | (base[2] & 0xF0)) + k
                mac = bytes(prof.oui) + nic.to_bytes(3, "big")
                pf.netdev = Netdev(name, mac, pf, prof.speed if spec.link_up else -1,
                                   spec.link_up, 0, "p%d" % k if prof.phys_port_name else None,
                                   False)
        for pf in sorted(pf_list, key=lambda d: d.addr):
            if pf.netdev:
                self._add_netdev(pf.netdev, names)
        for pf in sorted(pf_list, key=lambda d: d.addr):
            prof, spec = pf.profile, pf.card.spec
            for vf in pf.vfs:
                if not (prof.vf_netdev and vf.kernel_bound):
                    continue
                if spec.ifname:
                    name = "%s%dv%d" % (spec.ifname, pf.pf_index, vf.vf_index)
                else:
                    name = "ens%df%dv%d" % (pf.card.rootport.slot, pf.pf_index, vf.vf_index)
                h = bytearray(self.hash_bytes("vfmac", pf.addr if spec.vfmac_same else vf.addr)[:6])
                h[0] = (h[0] & 0xFC) | 0x02        # locally administered, unicast
                vf.netdev = Netdev(name, bytes(h), vf, prof.speed if spec.link_up else -1,
                                   spec.link_up, 0, None, True)
                vf.netdev.mtu = spec.vfmtu
                self._add_netdev(vf.netdev, names)
        for i, nd in enumerate(self.netdevs):
            nd.ifindex = ifindex + i

    def _add_netdev(self, nd, names):
        if len(nd.name) > 15:
            raise HostgenError("interface name %s is longer than 15 characters" % nd.name)
        if nd.name in names:
            raise HostgenError("interface name %s used twice (check ifname=)" % nd.name)
        names.add(nd.name)
        self.netdevs.append(nd)

    # ------------------------------------------------------------------ queries
    def pci_buses(self):
        """Every pci_bus device: (bus number, directory holding pci_bus/)."""
        out = []
        for rb in self.roots:
            out.append((rb.bus, rb.dir))
            for rp in rb.rootports:
                out.append((rp.secondary, rp.dir))
        for rp, bus in self.virtual_buses:
            out.append((bus, rp.dir))
        return sorted(out)

    def drivers(self):
        """Driver directories to create: every driver in use or loaded."""
        names = {"pcieport", "nvme"}
        if getattr(self, "vfio_loaded", True):
            names.add("vfio-pci")
        for card in self.cards:
            names.add(card.profile.pf_driver)
            if card.profile.vf_driver:
                names.add(card.profile.vf_driver)
        for d in self.scan_order:
            if d.driver:
                names.add(d.driver)
        return sorted(names)
