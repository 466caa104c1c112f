"""NUMA nodes and CPUs (drivers/base/node.c, drivers/base/cpu.c: each CPU
linked from its node and back, its topology ids) and the /proc files:
cmdline and a minimal cpuinfo."""

from .cpus import cpulist, cpumask
from .tree import RO

KERNEL_IMAGE = "/boot/vmlinuz-6.1.0-27-amd64"
ROOT_UUID = "6b0f9c52-0d6e-4d3a-9a8e-7f1c2b3a4d5e"


def write_system(tree, host):
    nodes = "sys/devices/system/node"
    all_nodes = cpulist(range(host.nodes)) + "\n"
    for attr in ("online", "possible", "has_cpu", "has_memory", "has_normal_memory"):
        tree.file("%s/%s" % (nodes, attr), all_nodes, RO)
    for n in range(host.nodes):
        cpus = host.node_cpus(n)
        tree.file("%s/node%d/cpulist" % (nodes, n), cpulist(cpus) + "\n", RO)
        tree.file("%s/node%d/cpumap" % (nodes, n), cpumask(cpus, host.nr_cpus) + "\n", RO)
        for i, cpu in enumerate(cpus):
            # what DPDK's EAL detects lcores and their sockets by
            c = "sys/devices/system/cpu/cpu%d" % cpu
            tree.link("%s/node%d/cpu%d" % (nodes, n, cpu), c)
            tree.link("%s/node%d" % (c, n), "%s/node%d" % (nodes, n))
            tree.file(c + "/topology/core_id", "%d\n" % i, RO)
            tree.file(c + "/topology/physical_package_id", "%d\n" % n, RO)
    all_cpus = cpulist(range(host.nr_cpus)) + "\n"
    for attr in ("online", "possible", "present"):
        tree.file("sys/devices/system/cpu/" + attr, all_cpus, RO)


def cmdline(host):
    if getattr(host, "cmdline_text", None) is not None:
        return host.cmdline_text + "\n"
    parts = ["BOOT_IMAGE=" + KERNEL_IMAGE, "root=UUID=" + ROOT_UUID, "ro", "quiet"]
    if host.iommu:
        parts.append(host.platform.iommu_cmdline)
    return " ".join(parts) + "\n"


def cpuinfo(host):
    plat = host.platform
    flags = ("fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 "
             "clflush mmx fxsr sse sse2 ht syscall nx pdpe1gb rdtscp lm constant_tsc "
             "rep_good nopl xtopology nonstop_tsc cpuid pni pclmulqdq %s ssse3 fma cx16 "
             "pcid sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand lahf_lm "
             "abm 3dnowprefetch fsgsbase bmi1 avx2 smep bmi2 erms invpcid rdseed adx smap "
             "clflushopt clwb sha_ni xsaveopt xsavec xgetbv1 xsaves arat npt" % plat.virt_flag)
    if not getattr(host, "cpu_virt", True):
        flags = flags.replace(" %s " % plat.virt_flag, " ").replace(" npt", "")
    if plat.name == "intel":
        flags = flags.replace(" npt", " ept vpid flexpriority")
    out = []
    for cpu in range(host.nr_cpus):
        node = cpu // host.cpus_per_node
        core = cpu % host.cpus_per_node
        out.append(
            "processor\t: %d\n"
            "vendor_id\t: %s\n"
            "cpu family\t: %d\n"
            "model\t\t: %d\n"
            "model name\t: %s\n"
            "physical id\t: %d\n"
            "siblings\t: %d\n"
            "core id\t\t: %d\n"
            "cpu cores\t: %d\n"
            "flags\t\t: %s\n\n"
            % (cpu, plat.cpu_vendor_id, plat.cpu_family, plat.cpu_model, plat.model_name,
               node, host.cpus_per_node, core, host.cpus_per_node, flags))
    return "".join(out)


def write_proc(tree, host):
    tree.file("proc/cmdline", cmdline(host), RO)
    tree.file("proc/cpuinfo", cpuinfo(host), RO)
