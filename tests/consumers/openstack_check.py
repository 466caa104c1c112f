# SPDX-License-Identifier: MIT
"""Run by test_openstack.py with Debian's /usr/bin/python3 (python3-nova,
python3-neutron): OpenStack's own code reads each case's INI text and
says what it made of it, or the exception it raised. Cases come as JSON
on stdin, results go as JSON to stdout, one per case, in order.

  nova:  nova's options (nova.conf) loaded by oslo.config, then
         nova.pci.whitelist.Whitelist over [pci]device_spec and
         nova.pci.request._get_alias_from_config for [pci]alias. nova
         decides from /sys whether an address is a PF's, so the caller
         runs this with the generated host's sys mounted over /sys (a
         private mount namespace); the devices are read from there as
         nova's libvirt driver reports them.
  agent: neutron-sriov-agent's own SriovNicAgentConfigParser.
  ml2:   neutron's ml2 options, and neutron_lib's parse_network_vlan_ranges.

oslo.config's CONF is one global: each case calls it again (which clears
the previous parse), so one process serves every case of a kind."""
import json
import os
import sys
import tempfile

PCI = "/sys/bus/pci/devices"


def devices():
    """Every PCI device of /sys as nova's dev dicts."""
    out = []
    for a in sorted(os.listdir(PCI)):
        d = os.path.join(PCI, a)

        def rd(name):
            with open(os.path.join(d, name)) as f:
                return f.read().strip()

        dev = {"address": a, "vendor_id": rd("vendor")[2:],
               "product_id": rd("device")[2:]}
        if os.path.islink(os.path.join(d, "physfn")):
            dev["parent_addr"] = os.path.basename(os.readlink(os.path.join(d, "physfn")))
            dev["dev_type"] = "type-VF"
        elif os.path.exists(os.path.join(d, "sriov_totalvfs")) and int(rd("sriov_totalvfs")) > 0:
            dev["dev_type"] = "type-PF"
        else:
            dev["dev_type"] = "type-PCI"
        out.append(dev)
    return out


def load(cfg, text, project):
    with tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False) as f:
        f.write(text)
    try:
        cfg.CONF(["--config-file", f.name], project=project,
                 default_config_files=[], default_config_dirs=[])
    finally:
        os.unlink(f.name)


def nova(case, devs):
    import nova.conf
    from nova.pci import request, whitelist

    load(nova.conf, case["text"], "nova")
    specs = list(nova.conf.CONF.pci.device_spec)
    wl = whitelist.Whitelist(specs)
    matched = {}
    for dev in devs:
        if wl.device_assignable(dev):
            spec = next(s for s in wl.specs if s.match(dev))
            matched[dev["address"]] = dict(spec.get_tags())
    aliases = request._get_alias_from_config()
    return {"n_specs": len(specs), "matched": matched,
            "aliases": {k: [v[0], v[1]] for k, v in aliases.items()},
            "devices": devs}


def agent(case):
    from oslo_config import cfg
    from neutron.plugins.ml2.drivers.mech_sriov.agent import sriov_nic_agent

    class C:
        CONF = cfg.CONF

    load(C, case["text"], "neutron")
    p = sriov_nic_agent.SriovNicAgentConfigParser()
    p.parse()
    return {"device_mappings": p.device_mappings,
            "exclude_devices": {k: sorted(v) for k, v in p.exclude_devices.items()}}


def ml2(case):
    from oslo_config import cfg
    from neutron.conf.plugins.ml2 import config as ml2_config
    from neutron.conf.plugins.ml2.drivers import driver_type
    from neutron_lib.plugins import utils as plugin_utils

    ml2_config.register_ml2_plugin_opts()
    driver_type.register_ml2_drivers_vlan_opts()

    class C:
        CONF = cfg.CONF

    load(C, case["text"], "neutron")
    ranges = plugin_utils.parse_network_vlan_ranges(
        cfg.CONF.ml2_type_vlan.network_vlan_ranges)
    return {"mechanism_drivers": list(cfg.CONF.ml2.mechanism_drivers),
            "ranges": {k: [list(r) for r in v] for k, v in ranges.items()}}


def main():
    cases = json.load(sys.stdin)
    devs = devices() if any(c["kind"] == "nova" for c in cases) else []
    results = []
    for case in cases:
        try:
            if case["kind"] == "nova":
                r = nova(case, devs)
            elif case["kind"] == "agent":
                r = agent(case)
            else:
                r = ml2(case)
            results.append({"ok": True, **r})
        except Exception as e:  # the consumer's refusal is the answer
            results.append({"ok": False, "error": f"{type(e).__name__}: {e}"})
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
