# SPDX-License-Identifier: MIT
"""nova's side of test_match_nova.py, run with Debian's /usr/bin/python3
(python3-nova) in a private mount namespace whose /sys is a generated
host's: nova's own Whitelist and PciDeviceSpec read that /sys as they read
a real one (is_physical_function, get_function_by_ifname).

argv[1]: a JSON file {"specs": [device_spec text, ...]}. Prints one JSON
object: for each spec either {"refused": "Exception: message"} or
{"taken": {address: index of the first spec that takes it, or null}},
over every PCI function with a physfn link or sriov_totalvfs, with the
dict nova's libvirt driver reports (vendor_id, product_id, address,
parent_addr) read from /sys here."""
import json
import os
import sys

from nova.pci import whitelist

SYS = "/sys/bus/pci/devices"


def read_id(addr, name):
    with open(os.path.join(SYS, addr, name)) as f:
        return f.read().strip().replace("0x", "")


def devices():
    out = []
    for addr in sorted(os.listdir(SYS)):
        path = os.path.join(SYS, addr)
        physfn = os.path.join(path, "physfn")
        parent = (os.path.basename(os.readlink(physfn))
                  if os.path.islink(physfn) else None)
        if parent is None and not os.path.exists(os.path.join(path, "sriov_totalvfs")):
            continue
        out.append({"vendor_id": read_id(addr, "vendor"),
                    "product_id": read_id(addr, "device"),
                    "address": addr, "parent_addr": parent})
    return out


def main():
    with open(sys.argv[1]) as f:
        specs = json.load(f)["specs"]
    devs = devices()
    results = []
    for text in specs:
        try:
            wl = whitelist.Whitelist([text])
        except Exception as e:  # nova refuses the config: any exception
            results.append({"refused": f"{type(e).__name__}: {e}"})
            continue
        taken = {}
        for d in devs:
            taken[d["address"]] = next(
                (i for i, s in enumerate(wl.specs) if s.match(d)), None)
        results.append({"taken": taken})
    json.dump({"results": results}, sys.stdout)


main()
