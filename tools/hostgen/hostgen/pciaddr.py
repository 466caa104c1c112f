"""PCI addresses and the SR-IOV routing-ID arithmetic of drivers/pci/iov.c."""

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class PciAddr:
    domain: int
    bus: int
    devfn: int

    @property
    def slot(self):
        return self.devfn >> 3

    @property
    def func(self):
        return self.devfn & 7

    @property
    def rid(self):
        return (self.bus << 8) | self.devfn

    def __str__(self):
        return "%04x:%02x:%02x.%x" % (self.domain, self.bus, self.slot, self.func)

    @classmethod
    def make(cls, domain, bus, slot, func):
        return cls(domain, bus, (slot << 3) | func)


def vf_addr(pf, offset, stride, index):
    """Address of VF `index` of a PF, as pci_iov_virtfn_bus()/_devfn() compute it.

    rid = (bus << 8 | devfn) + First VF Offset + VF Stride * index
    """
    rid = pf.rid + offset + stride * index
    return PciAddr(pf.domain, rid >> 8, rid & 0xFF)
