"""PCI device directories, pci_bus devices, driver directories, slots and
/sys/bus/pci itself, with the formats of drivers/pci/pci-sysfs.c,
drivers/pci/iov.c, drivers/pci/slot.c and drivers/base/."""

from .config_space import config_for
from .cpus import cpulist, cpumask
from .profiles import LINK_SPEED
from .resources import resource_text
from .tree import RO, RW, WO

BUS_PCI = "sys/bus/pci"
KERNEL_MODULE = {           # driver name -> module name (None: built in)
    "pcieport": None,
    "vfio-pci": "vfio_pci",
}


def speed_string(gen):
    """pci_speed_string() of a LnkCap/LnkSta speed code."""
    return LINK_SPEED.get(gen, "Unknown")


def power_dir(tree, base, runtime_pm=False):
    p = base + "/power"
    tree.file(p + "/control", "auto\n" if runtime_pm else "on\n", RW)
    tree.file(p + "/async", "enabled\n", RW)
    tree.file(p + "/runtime_status", "active\n", RO)
    tree.file(p + "/runtime_enabled", "enabled\n" if runtime_pm else "forbidden\n", RO)
    tree.file(p + "/runtime_usage", "0\n" if runtime_pm else "1\n", RO)
    tree.file(p + "/runtime_active_kids", "0\n", RO)
    tree.file(p + "/runtime_active_time", "0\n", RO)
    tree.file(p + "/runtime_suspended_time", "0\n", RO)


def modalias(dev):
    c = dev.class_code
    return "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X" % (
        dev.vendor, dev.device, dev.subsys_vendor, dev.subsys_device,
        (c >> 16) & 0xFF, (c >> 8) & 0xFF, c & 0xFF)


def uevent(dev):
    lines = []
    if dev.driver:
        lines.append("DRIVER=%s" % dev.driver)
    lines += [
        "PCI_CLASS=%04X" % dev.class_code,
        "PCI_ID=%04X:%04X" % (dev.vendor, dev.device),
        "PCI_SUBSYS_ID=%04X:%04X" % (dev.subsys_vendor, dev.subsys_device),
        "PCI_SLOT_NAME=%s" % dev.addr,
        "MODALIAS=%s" % modalias(dev),
    ]
    return "".join(l + "\n" for l in lines)


def write_device(tree, host, dev):
    d = dev.dir
    f = tree.file
    f(d + "/vendor", "0x%04x\n" % dev.vendor, RO)
    f(d + "/device", "0x%04x\n" % dev.device, RO)
    f(d + "/subsystem_vendor", "0x%04x\n" % dev.subsys_vendor, RO)
    f(d + "/subsystem_device", "0x%04x\n" % dev.subsys_device, RO)
    f(d + "/class", "0x%06x\n" % dev.class_code, RO)
    f(d + "/revision", "0x%02x\n" % dev.revision, RO)
    f(d + "/config", config_for(dev), RW)
    f(d + "/resource", resource_text(dev), RO)
    f(d + "/irq", "%u\n" % dev.irq, RO)
    f(d + "/numa_node", "%d\n" % dev.numa_attr, RW)
    cpus = host.device_cpus(dev)
    f(d + "/local_cpulist", cpulist(cpus) + "\n", RO)
    f(d + "/local_cpus", cpumask(cpus, host.nr_cpus) + "\n", RO)
    if dev.kind == "rootport":
        enable = 1
    elif dev.kind in ("hostbridge", "iommu"):
        enable = 0
    else:
        enable = 1 if dev.kernel_bound else 0
    f(d + "/enable", "%u\n" % enable, RW)
    f(d + "/modalias", modalias(dev) + "\n", RO)
    f(d + "/driver_override", "%s\n" % (dev.driver_override or "(null)"), RW)
    f(d + "/msi_bus", "1\n", RW)
    f(d + "/d3cold_allowed", "%u\n" % (1 if dev.pm else 0), RW)
    f(d + "/broken_parity_status", "0\n", RW)
    f(d + "/ari_enabled", "%u\n" % dev.ari_enabled_attr, RO)
    f(d + "/power_state", "D0\n", RO)
    if dev.link is not None:
        max_gen, max_w, cur_gen, cur_w = dev.link
        f(d + "/current_link_speed", speed_string(cur_gen) + "\n", RO)
        f(d + "/current_link_width", "%u\n" % cur_w, RO)
        f(d + "/max_link_speed", speed_string(max_gen) + "\n", RO)
        f(d + "/max_link_width", "%u\n" % max_w, RO)
    if dev.kind == "rootport":
        f(d + "/secondary_bus_number", "%u\n" % dev.secondary, RO)
        f(d + "/subordinate_bus_number", "%u\n" % dev.subordinate, RO)
    dma = 64 if (dev.kernel_bound and dev.kind != "rootport") else 32
    f(d + "/dma_mask_bits", "%d\n" % dma, RO)
    f(d + "/consistent_dma_mask_bits", "%d\n" % dma, RO)
    if dev.reset_method:
        f(d + "/reset_method", dev.reset_method + "\n", RW)
    f(d + "/uevent", uevent(dev), RW)
    f(d + "/remove", "", WO)
    f(d + "/rescan", "", WO)
    power_dir(tree, d, runtime_pm=dev.kind == "rootport")
    tree.link(d + "/subsystem", BUS_PCI)
    if dev.driver:
        tree.link(d + "/driver", "%s/drivers/%s" % (BUS_PCI, dev.driver))
    if dev.kind == "pf" and dev.total_cfg > 0:
        pf_bound_to_profile_driver = dev.driver == dev.profile.pf_driver
        f(d + "/sriov_totalvfs", "%u\n" % dev.total_sysfs, RO)
        f(d + "/sriov_numvfs", "%u\n" % dev.num_vfs, RW)
        f(d + "/sriov_offset", "%u\n" % dev.vf_offset, RO)
        f(d + "/sriov_stride", "%u\n" % dev.vf_stride, RO)
        f(d + "/sriov_vf_device", "%x\n" % dev.profile.vf_device, RO)
        f(d + "/sriov_drivers_autoprobe", "%u\n" % (1 if dev.autoprobe else 0), RW)
        f(d + "/sriov_vf_total_msix", "%u\n" % (
            dev.profile.vf_total_msix if pf_bound_to_profile_driver else 0), RO)
        for vf in dev.vfs:
            tree.link(d + "/virtfn%d" % vf.vf_index, vf.dir)
    if dev.kind == "vf":
        tree.link(d + "/physfn", dev.pf.dir)
        f(d + "/sriov_vf_msix_count", "", WO)


def write_pci_buses(tree, host):
    for bus, holder in host.pci_buses():
        name = "0000:%02x" % bus
        b = "%s/pci_bus/%s" % (holder, name)
        rb = [r for r in host.roots if r.bus <= bus <= r.bus_limit][0]
        node = -1 if host.nodes == 1 else rb.node
        cpus = range(host.nr_cpus) if node < 0 else host.node_cpus(node)
        tree.file(b + "/cpuaffinity", cpumask(cpus, host.nr_cpus) + "\n", RO)
        tree.file(b + "/cpulistaffinity", cpulist(cpus) + "\n", RO)
        tree.file(b + "/rescan", "", WO)
        tree.file(b + "/uevent", "", RW)
        power_dir(tree, b)
        tree.link(b + "/subsystem", "sys/class/pci_bus")
        tree.link(b + "/device", holder)
        tree.link("sys/class/pci_bus/" + name, b)
    for rb in host.roots:
        tree.file(rb.dir + "/uevent", "", RW)
        power_dir(tree, rb.dir)


def module_name(driver):
    if driver in KERNEL_MODULE:
        return KERNEL_MODULE[driver]
    return driver.replace("-", "_")


def write_drivers(tree, host):
    bound = {}
    for dev in host.scan_order:
        if dev.driver:
            bound.setdefault(dev.driver, []).append(dev)
    for name in host.drivers():
        dd = "%s/drivers/%s" % (BUS_PCI, name)
        for attr in ("bind", "unbind", "new_id", "remove_id", "uevent"):
            tree.file(dd + "/" + attr, "", WO)
        for dev in bound.get(name, []):
            tree.link("%s/%s" % (dd, dev.addr), dev.dir)
        mod = module_name(name)
        if mod:
            md = "sys/module/" + mod
            tree.link(dd + "/module", md)
            tree.file(md + "/initstate", "live\n", RO)
            tree.file(md + "/refcnt", "0\n", RO)
            tree.file(md + "/uevent", "", WO)
            tree.link("%s/drivers/pci:%s" % (md, name), dd)


def write_bus(tree, host):
    for dev in host.scan_order:
        tree.link("%s/devices/%s" % (BUS_PCI, dev.addr), dev.dir)
    tree.file(BUS_PCI + "/drivers_probe", "", WO)
    tree.file(BUS_PCI + "/drivers_autoprobe", "1\n", RW)
    tree.file(BUS_PCI + "/rescan", "", WO)
    tree.file(BUS_PCI + "/resource_alignment", "", RW)
    tree.file(BUS_PCI + "/uevent", "", WO)
    for rb in host.roots:
        for rp in rb.rootports:
            if not rp.slot:
                continue
            s = "%s/slots/%d" % (BUS_PCI, rp.slot)
            tree.file(s + "/address", "%04x:%02x:00\n" % (rp.addr.domain, rp.secondary), RO)
            cur = max((c.link[2] for c in rp.children), default=0)
            tree.file(s + "/cur_bus_speed", speed_string(cur) + "\n", RO)
            tree.file(s + "/max_bus_speed", speed_string(host.platform.rootport_gen) + "\n", RO)


def write_pci(tree, host):
    for dev in host.scan_order:
        write_device(tree, host, dev)
    write_pci_buses(tree, host)
    write_drivers(tree, host)
    write_bus(tree, host)
