"""Parsing and validation of `--card PROFILE[:key=value,...]`."""

import re
from dataclasses import dataclass
from typing import Optional

from .errors import HostgenError
from .profiles import PROFILES

KEYS = ("pfs", "vfs", "total", "vfio", "unbound", "autoprobe", "numa", "acs",
        "pfdriver", "ifname", "link", "vfmtu", "vfmac", "ari", "bus")

IFNAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass
class CardSpec:
    text: str
    profile: object
    pfs: int
    vfs: list               # VFs enabled, per PF
    total: int              # TotalVFs in config space
    total_sysfs: int        # sriov_totalvfs
    vfio: list              # per PF: the last N VFs are bound to vfio-pci
    unbound: list           # per PF: N VFs before those have no driver
    autoprobe: bool
    numa: Optional[int]
    acs: bool
    pf_bound: bool
    pf_driver: Optional[str]
    ifname: Optional[str]
    link_up: bool
    vfmtu: int = 1500       # MTU of the VF netdevs
    vfmac_same: bool = False  # every VF netdev of the card has one MAC
    ari: bool = True        # the root port forwards ARI (ARI Capable Hierarchy set)
    bus: Optional[int] = None  # secondary bus of the card's root port (None: the next free)


def _int(card, key, value, lo=0, hi=1 << 16):
    if not re.fullmatch(r"[0-9]+", value):
        raise HostgenError("--card %s: %s=%s is not a non-negative integer" % (card, key, value))
    n = int(value)
    if n < lo or n > hi:
        raise HostgenError("--card %s: %s=%d out of range %d..%d" % (card, key, n, lo, hi))
    return n


def _per_pf(card, key, value, pfs):
    """N (the same on every PF) or N0/N1/... (one value per PF)."""
    if value is None:
        return [0] * pfs
    parts = value.split("/")
    if len(parts) == 1:
        return [_int(card, key, parts[0])] * pfs
    if len(parts) != pfs:
        raise HostgenError("--card %s: %s=%s lists %d values but the card has %d PF(s)"
                           % (card, key, value, len(parts), pfs))
    return [_int(card, key, p) for p in parts]


def _choice(card, key, value, choices):
    if value not in choices:
        raise HostgenError("--card %s: %s=%s must be one of %s"
                           % (card, key, value, "|".join(choices)))
    return value


def parse_card(text):
    """Parse one --card argument into a validated CardSpec."""
    name, _, rest = text.partition(":")
    if name not in PROFILES:
        raise HostgenError("--card %s: unknown profile '%s' (known: %s)"
                           % (text, name, ", ".join(sorted(PROFILES))))
    prof = PROFILES[name]
    kv = {}
    if rest:
        for item in rest.split(","):
            if not item:
                raise HostgenError("--card %s: empty key=value item" % text)
            key, eq, value = item.partition("=")
            if not eq:
                raise HostgenError("--card %s: '%s' is not key=value" % (text, item))
            if key not in KEYS:
                raise HostgenError("--card %s: unknown key '%s' (known: %s)"
                                   % (text, key, ", ".join(KEYS)))
            if key in kv:
                raise HostgenError("--card %s: key '%s' given twice" % (text, key))
            kv[key] = value

    pfs = _int(text, "pfs", kv["pfs"], 1, prof.ports) if "pfs" in kv else prof.ports
    total = _int(text, "total", kv["total"], 0, 0xFFFF) if "total" in kv else prof.total_vfs
    pf_driver = prof.pf_driver
    if "pfdriver" in kv:
        pf_driver = None if _choice(text, "pfdriver", kv["pfdriver"],
                                    ("none", "vfio-pci", prof.pf_driver)) == "none" \
            else kv["pfdriver"]
    pf_bound = pf_driver is not None
    total_sysfs = prof.sysfs_total(total, pf_driver == prof.pf_driver)
    vfs = _per_pf(text, "vfs", kv.get("vfs"), pfs)
    vfio = _per_pf(text, "vfio", kv.get("vfio"), pfs)
    unbound = _per_pf(text, "unbound", kv.get("unbound"), pfs)
    for k in range(pfs):
        if vfs[k] > total_sysfs:
            raise HostgenError("--card %s: vfs=%d exceeds the total of %d VFs (sriov_totalvfs)"
                               % (text, vfs[k], total_sysfs))
        if vfio[k] + unbound[k] > vfs[k]:
            raise HostgenError("--card %s: vfio=%d + unbound=%d exceeds vfs=%d on PF %d"
                               % (text, vfio[k], unbound[k], vfs[k], k))
    autoprobe = _choice(text, "autoprobe", kv.get("autoprobe", "1"), ("0", "1")) == "1"
    numa = _int(text, "numa", kv["numa"], 0, 63) if "numa" in kv else None
    acs = _choice(text, "acs", kv.get("acs", "on"), ("on", "off")) == "on"
    link_up = _choice(text, "link", kv.get("link", "up"), ("up", "down")) == "up"
    ifname = kv.get("ifname")
    if ifname is not None and not IFNAME_RE.match(ifname):
        raise HostgenError("--card %s: ifname=%s is not a valid interface name prefix"
                           % (text, ifname))
    if not prof.sriov and (any(vfs) or "total" in kv):
        raise HostgenError("--card %s: profile %s has no SR-IOV" % (text, name))
    vfmtu = _int(text, "vfmtu", kv["vfmtu"], 68, 65535) if "vfmtu" in kv else 1500
    vfmac_same = _choice(text, "vfmac", kv.get("vfmac", "unique"), ("unique", "same")) == "same"
    ari = _choice(text, "ari", kv.get("ari", "on"), ("on", "off")) == "on"
    if not ari and prof.vf_offset_noari is None:
        raise HostgenError("--card %s: ari=off: no First VF Offset without ARI is on record for "
                           "profile %s (only for %s)" % (text, name, ", ".join(
                               sorted(n for n, p in PROFILES.items()
                                      if p.vf_offset_noari is not None))))
    bus = None
    if "bus" in kv:
        if not re.fullmatch(r"(0x)?[0-9a-fA-F]{1,2}", kv["bus"]):
            raise HostgenError("--card %s: bus=%s is not a bus number (hex, 01..ff)"
                               % (text, kv["bus"]))
        bus = int(kv["bus"], 16)
        if bus == 0:
            raise HostgenError("--card %s: bus=%s: bus 00 is the root bus" % (text, kv["bus"]))
    return CardSpec(text=text, profile=prof, pfs=pfs, vfs=vfs, total=total,
                    total_sysfs=total_sysfs, vfio=vfio, unbound=unbound,
                    autoprobe=autoprobe, numa=numa, acs=acs, pf_bound=pf_bound,
                    pf_driver=pf_driver, ifname=ifname, link_up=link_up,
                    vfmtu=vfmtu, vfmac_same=vfmac_same, ari=ari, bus=bus)
