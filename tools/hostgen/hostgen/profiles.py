"""Adapter profiles and platform (CPU vendor) descriptions.

A profile is everything that differs between adapter models: ids, drivers,
port count, TotalVFs, where the VFs land (First VF Offset / VF Stride),
BARs, MSI-X table sizes, link capabilities and netdev behaviour.

Each SR-IOV number says where it comes from: real `lspci -vvv` output, the
seeds (../shared/seeds), or the driver's / QEMU's source.  A VF's routing ID
is the PF's plus First VF Offset + VF Stride * i (drivers/pci/iov.c,
pci_iov_virtfn_bus/devfn); the offset is read after sriov_init() has set
ARI Capable Hierarchy, so devices whose offset depends on it carry both.
"""

from dataclasses import dataclass
from typing import Optional, Tuple

K = 1024
M = 1024 * 1024

# PCIe link generations: LnkCap speed code -> kernel speed string
LINK_SPEED = {
    1: "2.5 GT/s PCIe",
    2: "5.0 GT/s PCIe",
    3: "8.0 GT/s PCIe",
    4: "16.0 GT/s PCIe",
    5: "32.0 GT/s PCIe",
}


@dataclass(frozen=True)
class Bar:
    index: int          # BAR register number (a 64-bit BAR uses index and index+1)
    kind: str           # "mem64p" (64-bit prefetchable), "mem64", "mem32"
    size: int

    @property
    def is64(self):
        return self.kind in ("mem64p", "mem64")

    @property
    def prefetch(self):
        return self.kind == "mem64p"


@dataclass(frozen=True)
class MsixLayout:
    count: int          # table size (lspci "Count=")
    bar: int            # BAR index holding table and PBA
    table: int          # offset of the table in that BAR
    pba: int            # offset of the PBA in that BAR


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    vendor: int
    device: int
    subsys_vendor: int
    subsys_device: int
    class_code: int
    revision: int
    pf_driver: str
    ports: int
    link_gen: int
    link_width: int
    bars: Tuple[Bar, ...]
    msix: MsixLayout
    # SR-IOV (vf_device None: not an SR-IOV device)
    vf_device: Optional[int] = None
    vf_revision: int = 0
    vf_driver: Optional[str] = None
    total_vfs: int = 0
    driver_max_vfs: Optional[int] = None   # pci_sriov_set_totalvfs() by the PF driver
    placement: str = "fixed"               # "fixed" or "ari"
    vf_offset: int = 0                     # placement "fixed": the same for every PF
    vf_offset_noari: Optional[int] = None  # ... with ARI Capable Hierarchy clear (None:
    #                                        no value on record: ari=off is refused)
    vf_stride: int = 1
    ari_first: Optional[int] = None        # placement "ari": VFs start at this function
    #                                        (None: right after the PFs)
    vf_bars: Tuple[Bar, ...] = ()
    vf_msix: Optional[MsixLayout] = None
    vf_total_msix: int = 0                 # sriov_vf_total_msix when the PF driver is bound
    ari: bool = True                       # ARI extended capability
    pf_acs: bool = False                   # ACS capability on the (multi-function) PF
    # network
    netdev: bool = False
    vf_netdev: bool = False
    phys_port_name: bool = False           # devlink port: phys_port_name "p<N>"
    speed: int = 0                         # Mb/s when the link is up
    oui: Tuple[int, int, int] = (0x02, 0x00, 0x00)
    reset_single: str = "flr bus"          # reset_method of a lone function
    reset_multi: str = "flr"               # reset_method of one of several functions

    @property
    def sriov(self):
        return self.vf_device is not None

    def sysfs_total(self, config_total, pf_bound):
        """sriov_totalvfs: the driver's limit while bound, else the config value."""
        if pf_bound and self.driver_max_vfs is not None:
            return min(config_total, self.driver_max_vfs)
        return config_total

    def first_vf_offset(self, pf_index, n_pfs, total, ari=True):
        """First VF Offset of PF `pf_index` (function number == pf_index).

        `ari`: ARI Capable Hierarchy, which sriov_init() sets when the port
        above forwards ARI; the offset depends on it (the kernel re-reads it)."""
        if self.placement == "fixed":
            return self.vf_offset if ari else self.vf_offset_noari
        first = self.ari_first if self.ari_first is not None else n_pfs
        # VFs of all PFs follow each other: PF k's VFs start at first + k*total;
        # the offset is relative to the PF's own routing ID (base + k).
        return first + pf_index * total - pf_index


PROFILES = {
    "e810": Profile(
        name="e810", title="Intel E810-C for QSFP (2x100G)",
        vendor=0x8086, device=0x1592, subsys_vendor=0x8086, subsys_device=0x0002,
        class_code=0x020000, revision=0x02, pf_driver="ice", ports=2,
        link_gen=4, link_width=16,
        bars=(Bar(0, "mem64p", 32 * M), Bar(3, "mem64p", 64 * K)),
        msix=MsixLayout(1024, 3, 0x0, 0x8000),
        # TotalVFs 128 = the device's 256 (ice: ICE_MAX_SRIOV_VFS) over 2 PFs; not
        # confirmed for the 2-port 1592 (a real 4-port E810-XXV shows 64 per PF).
        # ice sets no driver limit (no pci_sriov_set_totalvfs()).
        vf_device=0x1889, vf_revision=0x02, vf_driver="iavf", total_vfs=128,
        # offset 8, stride 1 for PF0: real lspci -vvv of an E810-XXV (ARIHierarchy+);
        # PF k > 0 (VFs following PF0's) is not confirmed by a real capture
        placement="ari", ari_first=8, vf_stride=1,
        vf_bars=(Bar(0, "mem64p", 128 * K), Bar(3, "mem64p", 16 * K)),
        vf_msix=MsixLayout(17, 3, 0x0, 0x2000),
        pf_acs=True, netdev=True, vf_netdev=True, phys_port_name=True,
        speed=100000, oui=(0xb4, 0x96, 0x91)),
    "cx6": Profile(
        name="cx6", title="NVIDIA/Mellanox ConnectX-6 Dx (2x100G)",
        vendor=0x15b3, device=0x101d, subsys_vendor=0x15b3, subsys_device=0x0016,
        class_code=0x020000, revision=0x00, pf_driver="mlx5_core", ports=2,
        link_gen=4, link_width=16,
        bars=(Bar(0, "mem64p", 32 * M),),
        msix=MsixLayout(64, 0, 0x2000, 0x3000),
        # TotalVFs is the firmware's NUM_OF_VFS (mlxconfig); 8 and 16 both occur in
        # real lspci -vvv; mlx5 sets no driver limit (sriov.c reads
        # pci_sriov_get_totalvfs())
        vf_device=0x101e, vf_revision=0x00, vf_driver="mlx5_core", total_vfs=8,
        # offsets 2 (PF0) and 9 (PF1, TotalVFs 8), stride 1: real lspci -vvv of a
        # 2-port ConnectX-7 (same mlx5 layout; VFs 00.2 .. 01.1 after PF0)
        placement="ari", ari_first=None, vf_stride=1,
        vf_bars=(Bar(0, "mem64p", 1 * M),),
        vf_msix=MsixLayout(12, 0, 0x2000, 0x3000),
        vf_total_msix=2048,
        pf_acs=True, netdev=True, vf_netdev=True, phys_port_name=True,
        speed=100000, oui=(0x0c, 0x42, 0xa1)),
    "x520": Profile(
        name="x520", title="Intel 82599ES 10-Gigabit SFI/SFP+ (X520-2)",
        vendor=0x8086, device=0x10fb, subsys_vendor=0x8086, subsys_device=0x0003,
        class_code=0x020000, revision=0x01, pf_driver="ixgbe", ports=2,
        link_gen=2, link_width=8,
        bars=(Bar(0, "mem64p", 512 * K), Bar(4, "mem64p", 16 * K)),
        msix=MsixLayout(64, 4, 0x0, 0x2000),
        vf_device=0x10ed, vf_revision=0x01, vf_driver="ixgbevf", total_vfs=64,
        # TotalVFs 64: real lspci -vvv of 82599ES; sysfs 63: ixgbe_probe() calls
        # pci_sriov_set_totalvfs(pdev, IXGBE_MAX_VFS_DRV_LIMIT) (ixgbe_sriov.h: 64 - 1)
        driver_max_vfs=63,
        # offset 128 with ARIHierarchy+, 384 with ARIHierarchy-, stride 2: real
        # lspci -vvv of 82599ES PFs, both cases
        placement="fixed", vf_offset=128, vf_offset_noari=384, vf_stride=2,
        vf_bars=(Bar(0, "mem64p", 16 * K), Bar(3, "mem64p", 16 * K)),
        vf_msix=MsixLayout(3, 3, 0x0, 0x2000),
        pf_acs=False, netdev=True, vf_netdev=True, phys_port_name=False,
        speed=10000, oui=(0x90, 0xe2, 0xba)),
    "i350": Profile(
        name="i350", title="Intel I350 Gigabit (I350-T4)",
        vendor=0x8086, device=0x1521, subsys_vendor=0x8086, subsys_device=0x0001,
        class_code=0x020000, revision=0x01, pf_driver="igb", ports=4,
        link_gen=2, link_width=4,
        bars=(Bar(0, "mem32", 1 * M), Bar(3, "mem32", 16 * K)),
        msix=MsixLayout(10, 3, 0x0, 0x2000),
        vf_device=0x1520, vf_revision=0x01, vf_driver="igbvf", total_vfs=8,
        # TotalVFs 8: real lspci -vvv of an I350; sysfs 7: igb_main.c igb_probe_vfs()
        # calls pci_sriov_set_totalvfs(pdev, 7); seed 004 reads sriov_totalvfs 7
        driver_max_vfs=7,
        # offset 128, stride 4: seed 004's lspci -D, PF 31:00.1 -> VFs 31:10.1,
        # 31:10.5, 31:11.1 .. 31:13.1 (0x3101 + 0x80 + 4i); 384 with ARIHierarchy-:
        # real lspci -vvv of an I350 PF
        placement="fixed", vf_offset=128, vf_offset_noari=384, vf_stride=4,
        vf_bars=(Bar(0, "mem64p", 16 * K), Bar(3, "mem64p", 16 * K)),
        vf_msix=MsixLayout(3, 3, 0x0, 0x2000),
        pf_acs=False, netdev=True, vf_netdev=True, phys_port_name=False,
        speed=1000, oui=(0xa0, 0x36, 0x9f)),
    "igb": Profile(
        name="igb", title="QEMU igb (Intel 82576 model)",
        vendor=0x8086, device=0x10c9, subsys_vendor=0x1af4, subsys_device=0x1100,
        class_code=0x020000, revision=0x01, pf_driver="igb", ports=1,
        link_gen=1, link_width=1,
        bars=(Bar(0, "mem32", 128 * K), Bar(3, "mem32", 16 * K)),
        msix=MsixLayout(10, 3, 0x0, 0x2000),
        # TotalVFs 8: QEMU hw/net/igb.c IGB_MAX_VF_FUNCTIONS (pcie_sriov_pf_init());
        # sysfs 7: igb's igb_probe_vfs(), as on the I350 (lab: sriov_totalvfs 7)
        vf_device=0x10ca, vf_revision=0x01, vf_driver="igbvf", total_vfs=8,
        driver_max_vfs=7,
        # offset 128, stride 2: QEMU IGB_VF_OFFSET 0x80, IGB_VF_STRIDE 2, constants
        # whatever ARI (lab: VFs 02:10.0, 02:10.2 of PF 02:00.0)
        placement="fixed", vf_offset=128, vf_offset_noari=128, vf_stride=2,
        vf_bars=(Bar(0, "mem64p", 16 * K), Bar(3, "mem64p", 16 * K)),
        vf_msix=MsixLayout(3, 3, 0x0, 0x2000),
        pf_acs=False, netdev=True, vf_netdev=True, phys_port_name=False,
        speed=1000, oui=(0x52, 0x54, 0x00)),
    "nvme": Profile(
        name="nvme", title="QEMU NVM Express controller with SR-IOV",
        vendor=0x1b36, device=0x0010, subsys_vendor=0x1af4, subsys_device=0x1100,
        class_code=0x010802, revision=0x02, pf_driver="nvme", ports=1,
        link_gen=1, link_width=1,
        bars=(Bar(0, "mem64", 16 * K),),
        msix=MsixLayout(65, 0, 0x2000, 0x3000),
        # TotalVFs: QEMU's sriov_max_vfs= (at most NVME_MAX_VFS 127); 8 is the
        # generator's default (total=); the nvme driver sets no limit
        vf_device=0x0010, vf_revision=0x02, vf_driver="nvme", total_vfs=8,
        # offset 1, stride 1: QEMU hw/nvme/ctrl.c NVME_VF_OFFSET, NVME_VF_STRIDE,
        # constants whatever ARI (lab: sriov_offset 1, sriov_stride 1)
        placement="fixed", vf_offset=1, vf_offset_noari=1, vf_stride=1,
        vf_bars=(Bar(0, "mem64", 16 * K),),
        vf_msix=MsixLayout(17, 0, 0x2000, 0x3000),
        pf_acs=False, netdev=False, vf_netdev=False),
}

# The non-SR-IOV boot drive every generated host has behind its first root port.
BOOT_NVME = Profile(
    name="boot-nvme", title="Samsung PM9A3 NVMe SSD",
    vendor=0x144d, device=0xa80a, subsys_vendor=0x144d, subsys_device=0xa801,
    class_code=0x010802, revision=0x00, pf_driver="nvme", ports=1,
    link_gen=4, link_width=4,
    bars=(Bar(0, "mem64", 32 * K),),
    msix=MsixLayout(130, 0, 0x3000, 0x2000),
    ari=False)


@dataclass(frozen=True)
class Platform:
    name: str
    cpu_vendor_id: str          # /proc/cpuinfo vendor_id
    virt_flag: str              # vmx / svm
    model_name: str
    hostbridge: Tuple[int, int, int, int, int]   # vendor, device, subsys v, subsys d, rev
    rootport: Tuple[int, int, int, int, int]
    rootport_gen: int
    iommu_dev: Optional[Tuple[int, int, int, int, int]] = None  # AMD IOMMU PCI function 00.2
    iommu_cmdline: str = ""
    cpu_family: int = 6
    cpu_model: int = 85


PLATFORMS = {
    "intel": Platform(
        name="intel", cpu_vendor_id="GenuineIntel", virt_flag="vmx",
        model_name="Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz",
        hostbridge=(0x8086, 0x2020, 0x8086, 0x0000, 0x07),
        rootport=(0x8086, 0x2030, 0x8086, 0x0000, 0x07),
        rootport_gen=3, iommu_cmdline="intel_iommu=on iommu=pt",
        cpu_family=6, cpu_model=85),
    "amd": Platform(
        name="amd", cpu_vendor_id="AuthenticAMD", virt_flag="svm",
        model_name="AMD EPYC 7302 16-Core Processor",
        hostbridge=(0x1022, 0x1480, 0x1022, 0x1480, 0x00),
        rootport=(0x1022, 0x1483, 0x1022, 0x1453, 0x00),
        rootport_gen=4,
        iommu_dev=(0x1022, 0x1481, 0x1022, 0x1481, 0x00),
        iommu_cmdline="amd_iommu=on iommu=pt",
        cpu_family=23, cpu_model=49),
}
