"""sriov-hostgen: generate realistic Linux sysfs trees of SR-IOV hosts.

One concept per module:

  errors.py        the error type for bad user input (exit code 2)
  profiles.py      the adapter profiles (ids, drivers, VF placement, BARs)
  spec.py          parsing of --card PROFILE[:key=value,...]
  cpus.py          CPU lists and masks in the kernel's print formats
  pciaddr.py       PCI addresses and routing-ID arithmetic
  topology.py      the host model: buses, devices, VFs, drivers, groups
  config_space.py  the 4096-byte configuration space of each device
  resources.py     BAR sizes, address allocation, the `resource` file
  tree.py          an in-memory file tree written to disk at the end
  kernfs.py        the kernel's relative symlink arithmetic
  sysfs_pci.py     PCI device, bus, driver and slot directories
  sysfs_iommu.py   IOMMU groups, IOMMU devices, ACPI DMAR/IVRS tables
  sysfs_net.py     network interfaces
  sysfs_system.py  NUMA nodes, CPUs, /proc/cmdline, /proc/cpuinfo
  manifest.py      the JSON ground truth
  cli.py           the command line
"""

__version__ = "1.0"
