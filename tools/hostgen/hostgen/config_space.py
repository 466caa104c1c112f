"""The 4096-byte PCI configuration space of each generated function.

Endpoints (type 0 header):
  standard capabilities  PM 0x40 -> MSI-X 0x50 -> PCIe 0x70 (VFs: no PM,
                          the list starts at MSI-X)
  extended capabilities  AER 0x100 -> ARI 0x150 -> SR-IOV 0x160 (PFs)
                          -> ACS 0x1a0 (multi-function PFs that have it)
  A VF reads vendor/device 0xffff (SR-IOV spec 3.4.1.1/3.4.1.2); its BARs
  read 0 (they live in the PF's SR-IOV capability) and its link registers
  are reserved (0).
Root ports (type 1 header):
  PCIe (Root Port, slot) 0x40 -> MSI 0x80 -> SSVID 0x90 -> PM 0xa0;
  ACS 0x100 -> AER 0x110 when ACS is on, else AER 0x100.
Host bridge: bare type 0 header, no capabilities (like the real capture).
"""

import struct

# capability ids
CAP_PM, CAP_MSI, CAP_EXP, CAP_MSIX, CAP_SSVID = 0x01, 0x05, 0x10, 0x11, 0x0D
ECAP_AER, ECAP_ACS, ECAP_ARI, ECAP_SRIOV = 0x0001, 0x000D, 0x000E, 0x0010

# ACS bits (PCI_ACS_*)
ACS_SV, ACS_TB, ACS_RR, ACS_CR, ACS_UF, ACS_EC, ACS_DT = 1, 2, 4, 8, 0x10, 0x20, 0x40
ROOTPORT_ACS_CAP = ACS_SV | ACS_TB | ACS_RR | ACS_CR | ACS_UF | ACS_DT
ROOTPORT_ACS_CTRL = ACS_SV | ACS_RR | ACS_CR | ACS_UF
MF_ACS_CAP = ACS_RR | ACS_CR
MF_ACS_CTRL = ACS_RR | ACS_CR

# SR-IOV control bits
IOV_CTRL_VFE, IOV_CTRL_MSE, IOV_CTRL_ARI = 0x01, 0x08, 0x10

PCIE_TYPE_ENDPOINT, PCIE_TYPE_ROOT_PORT = 0x0, 0x4


class Config:
    def __init__(self):
        self.b = bytearray(4096)

    def u8(self, off, v):
        self.b[off] = v & 0xFF

    def u16(self, off, v):
        struct.pack_into("<H", self.b, off, v & 0xFFFF)

    def u32(self, off, v):
        struct.pack_into("<I", self.b, off, v & 0xFFFFFFFF)

    def caps(self, chain):
        """chain: [(offset, cap id, writer(offset))] linked from 0x34."""
        if not chain:
            return
        self.u16(0x06, self.b[0x06] | 0x10 | (self.b[0x07] << 8))   # Capabilities List
        self.u8(0x34, chain[0][0])
        for i, (off, cap_id, writer) in enumerate(chain):
            nxt = chain[i + 1][0] if i + 1 < len(chain) else 0
            self.u8(off, cap_id)
            self.u8(off + 1, nxt)
            writer(off)

    def ext_caps(self, chain):
        """chain: [(offset, id, version, writer(offset))] from 0x100."""
        for i, (off, cap_id, ver, writer) in enumerate(chain):
            nxt = chain[i + 1][0] if i + 1 < len(chain) else 0
            self.u32(off, cap_id | (ver << 16) | (nxt << 20))
            writer(off)


def _bar_low(bar, addr):
    if bar.kind == "mem64p":
        return (addr & 0xFFFFFFF0) | 0x0C
    if bar.kind == "mem64":
        return (addr & 0xFFFFFFF0) | 0x04
    return addr & 0xFFFFFFF0


def _write_bars(c, base, bars):
    for bar, addr in bars:
        off = base + 4 * bar.index
        c.u32(off, _bar_low(bar, addr))
        if bar.is64:
            c.u32(off + 4, addr >> 32)


def _class(c, dev, header_type):
    c.u8(0x08, dev.revision)
    c.u8(0x09, dev.class_code & 0xFF)
    c.u8(0x0A, (dev.class_code >> 8) & 0xFF)
    c.u8(0x0B, dev.class_code >> 16)
    c.u8(0x0E, header_type | (0x80 if dev.multifunction else 0))


def _speed_vector(gen):
    return ((1 << gen) - 1) << 1 if gen else 0


def _aer(c, off, root_port=False):
    c.u32(off + 0x0C, 0x00462030)      # uncorrectable severity (default)
    c.u32(off + 0x14, 0x00002000)      # correctable mask: Advisory Non-Fatal
    c.u32(off + 0x18, 0x000000A0)      # ECRC generation/check capable
    if root_port:
        c.u32(off + 0x2C, 0x00000007)  # Root Error Command: reporting enabled


def _pm(c, off, no_soft_reset):
    c.u16(off + 2, 0xC803)             # PM 1.2, PME from D0, D3hot, D3cold
    c.u16(off + 4, 0x0008 if no_soft_reset else 0x0000)


def endpoint_config(dev):
    """Config space of a PF, VF or plain endpoint."""
    c = Config()
    vf = dev.kind == "vf"
    host = dev.host
    if vf:
        c.u16(0x00, 0xFFFF)
        c.u16(0x02, 0xFFFF)
        command = 0x0004 if dev.kernel_bound else 0x0000     # only Bus Master is writable
    else:
        c.u16(0x00, dev.vendor)
        c.u16(0x02, dev.device)
        command = 0x0406 if dev.kernel_bound else 0x0002     # firmware left Mem+ on
    c.u16(0x04, command)
    _class(c, dev, 0x00)
    if not vf:
        c.u8(0x0C, 0x10)                                      # cache line 64 bytes
        _write_bars(c, 0x10, dev.bars)
    c.u16(0x2C, dev.subsys_vendor)
    c.u16(0x2E, dev.subsys_device)
    if not vf:
        c.u8(0x3C, dev.irq & 0xFF)
        c.u8(0x3D, 0x01)                                      # INTA#

    msix = dev.msix
    enabled = dev.kernel_bound

    def w_msix(off):
        c.u16(off + 2, (msix.count - 1) | (0x8000 if enabled else 0))
        c.u32(off + 4, msix.table | msix.bar)
        c.u32(off + 8, msix.pba | msix.bar)

    def w_exp(off):
        max_gen, max_w, cur_gen, cur_w = dev.link
        c.u16(off + 0x02, 0x0002 | (PCIE_TYPE_ENDPOINT << 4))
        c.u32(off + 0x04, 0x10008D22)        # MPS 512, ExtTag, L0s<512ns, L1<64us, RBE, FLR
        if not vf:
            c.u16(off + 0x08, 0x2930)        # MPS 256, MRRS 512, ExtTag, RlxdOrd, NoSnoop
            c.u32(off + 0x0C, max_gen | (max_w << 4) | 0x00000C00 | (0x4 << 12) | (0x4 << 15))
            c.u16(off + 0x10, 0x0040)        # Common Clock
            c.u16(off + 0x12, cur_gen | (cur_w << 4) | 0x1000)
            c.u32(off + 0x2C, _speed_vector(max_gen))
            c.u16(off + 0x30, max_gen)
        c.u32(off + 0x24, 0x0001081F)        # CTO ranges ABCD, CTO disable, LTR, 10BitTagComp

    chain = []
    if dev.pm:
        chain.append((0x40, CAP_PM, lambda off: _pm(c, off, True)))
    if msix:
        chain.append((0x50, CAP_MSIX, w_msix))
    chain.append((0x70, CAP_EXP, w_exp))
    c.caps(chain)

    ext = [(0x100, ECAP_AER, 2, lambda off: _aer(c, off))]
    if dev.ari_cap:
        def w_ari(off):
            nxt = 0
            if dev.kind == "pf" and dev.pf_index + 1 < dev.card.spec.pfs:
                nxt = dev.pf_index + 1
            c.u16(off + 4, nxt << 8)
        ext.append((0x150, ECAP_ARI, 1, w_ari))
    if dev.kind == "pf":
        def w_sriov(off):
            ctrl = 0
            if dev.num_vfs:
                ctrl |= IOV_CTRL_VFE | IOV_CTRL_MSE
            if dev.pf_index == 0 and dev.rootport.ari_fwd:
                ctrl |= IOV_CTRL_ARI         # sriov_init() sets it on the first PF only
            c.u16(off + 0x08, ctrl)
            c.u16(off + 0x0C, dev.total_cfg)     # InitialVFs
            c.u16(off + 0x0E, dev.total_cfg)     # TotalVFs
            c.u16(off + 0x10, dev.num_vfs)       # NumVFs
            c.u8(off + 0x12, dev.addr.func)      # Function Dependency Link
            c.u16(off + 0x14, dev.vf_offset)
            c.u16(off + 0x16, dev.vf_stride)
            c.u16(off + 0x1A, dev.profile.vf_device)
            c.u32(off + 0x1C, 0x00000553)        # supported page sizes
            c.u32(off + 0x20, 0x00000001)        # system page size 4K
            _write_bars(c, off + 0x24, dev.iov_bars)
        ext.append((0x160, ECAP_SRIOV, 1, w_sriov))
    if dev.acs_cap:
        def w_acs(off):
            c.u16(off + 4, MF_ACS_CAP)
            c.u16(off + 6, MF_ACS_CTRL if host.iommu else 0)
        ext.append((0x1A0, ECAP_ACS, 1, w_acs))
    c.ext_caps(ext)
    return bytes(c.b)


def rootport_config(rp):
    c = Config()
    host = rp.host
    c.u16(0x00, rp.vendor)
    c.u16(0x02, rp.device)
    c.u16(0x04, 0x0406)
    _class(c, rp, 0x01)
    c.u8(0x0C, 0x10)
    c.u8(0x18, rp.root.bus)
    c.u8(0x19, rp.secondary)
    c.u8(0x1A, rp.subordinate)
    c.u8(0x1C, 0xF0)                                  # I/O window disabled
    c.u8(0x1D, 0x00)
    if rp.win_mem:
        c.u16(0x20, (rp.win_mem[0] >> 16) & 0xFFF0)
        c.u16(0x22, (rp.win_mem[1] >> 16) & 0xFFF0)
    else:
        c.u16(0x20, 0xFFF0)
        c.u16(0x22, 0x0000)
    if rp.win_pref:
        c.u16(0x24, ((rp.win_pref[0] >> 16) & 0xFFF0) | 0x1)
        c.u16(0x26, ((rp.win_pref[1] >> 16) & 0xFFF0) | 0x1)
        c.u32(0x28, rp.win_pref[0] >> 32)
        c.u32(0x2C, rp.win_pref[1] >> 32)
    else:
        c.u16(0x24, 0xFFF1)
        c.u16(0x26, 0x0001)
    c.u8(0x3C, 0xFF)
    c.u8(0x3D, 0x01)
    c.u16(0x3E, 0x0002)                               # BridgeCtl: SERR+

    children = rp.children
    gen, _, cur_gen, cur_w = rp.link

    def w_exp(off):
        c.u16(off + 0x02, 0x0002 | (PCIE_TYPE_ROOT_PORT << 4) | (0x0100 if rp.slot else 0))
        c.u32(off + 0x04, 0x00008001)                 # MPS 256, RBE
        c.u16(off + 0x08, 0x2027)                     # error reporting, MPS 256, MRRS 512
        c.u32(off + 0x0C, gen | (16 << 4) | 0x00000800 | (0x2 << 15) | 0x00100000
              | (rp.addr.slot << 24))                 # L1, DLL Link Active reporting, port #
        c.u16(off + 0x10, 0x0040)
        c.u16(off + 0x12, cur_gen | (cur_w << 4) | 0x1000 | (0x2000 if children else 0))
        if rp.slot:
            c.u32(off + 0x14, (rp.slot << 19) | 0x00040000 | (75 << 7))   # slot #, NoCmdCompl, 75W
            c.u16(off + 0x1A, 0x0040 if children else 0)                  # presence detect
        c.u16(off + 0x1E, 0x0001)                     # RootCap: CRSVisible
        c.u32(off + 0x24, 0x0001081F | (0x20 if rp.ari_fwd_cap else 0))   # ARI Fwd Supp.
        c.u16(off + 0x28, 0x0020 if rp.ari_fwd else 0x0000)
        c.u32(off + 0x2C, _speed_vector(gen))
        c.u16(off + 0x30, gen)

    def w_msi(off):
        c.u16(off + 2, 0x0081)                        # 64-bit, enabled
        c.u32(off + 4, 0xFEE00000 | ((rp.irq & 0xFF) << 12))
        c.u32(off + 8, 0)
        c.u16(off + 12, 0x4020 + (rp.irq & 0xFF))

    def w_ssvid(off):
        c.u16(off + 4, rp.subsys_vendor)
        c.u16(off + 6, rp.subsys_device)

    c.caps([(0x40, CAP_EXP, w_exp), (0x80, CAP_MSI, w_msi), (0x90, CAP_SSVID, w_ssvid),
            (0xA0, CAP_PM, lambda off: _pm(c, off, False))])

    ext = []
    if rp.acs:
        def w_acs(off):
            c.u16(off + 4, ROOTPORT_ACS_CAP)
            c.u16(off + 6, ROOTPORT_ACS_CTRL if host.iommu else 0)
        ext.append((0x100, ECAP_ACS, 1, w_acs))
        ext.append((0x110, ECAP_AER, 2, lambda off: _aer(c, off, True)))
    else:
        ext.append((0x100, ECAP_AER, 2, lambda off: _aer(c, off, True)))
    c.ext_caps(ext)
    return bytes(c.b)


def hostbridge_config(dev):
    c = Config()
    c.u16(0x00, dev.vendor)
    c.u16(0x02, dev.device)
    _class(c, dev, 0x00)
    c.u16(0x2C, dev.subsys_vendor)
    c.u16(0x2E, dev.subsys_device)
    return bytes(c.b)


def iommu_fn_config(dev):
    """AMD IOMMU PCI function (class 0806): header and an MSI capability."""
    c = Config()
    c.u16(0x00, dev.vendor)
    c.u16(0x02, dev.device)
    c.u16(0x04, 0x0004)
    _class(c, dev, 0x00)
    c.u16(0x2C, dev.subsys_vendor)
    c.u16(0x2E, dev.subsys_device)

    def w_msi(off):
        c.u16(off + 2, 0x0080)

    c.caps([(0x64, CAP_MSI, w_msi)])
    return bytes(c.b)


def config_for(dev):
    if dev.kind == "rootport":
        return rootport_config(dev)
    if dev.kind == "hostbridge":
        return hostbridge_config(dev)
    if dev.kind == "iommu":
        return iommu_fn_config(dev)
    return endpoint_config(dev)
