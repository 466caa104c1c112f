# The NVMe scenario: QEMU's SR-IOV NVMe controller (1b36:0010).
#   nvme0.*  the PF with 0 VFs
#   nvme2.*  after: echo 0 > sriov_drivers_autoprobe; echo 2 > sriov_numvfs
#   nvmeb.*  after binding VF0 to vfio-pci (driver_override + drivers_probe)
# Sourced by /init (lib.sh loaded) in a subshell.

sec nvme.pf find_pf 0x1b36 0x0010 || exit 1
PF=$(find_pf 0x1b36 0x0010)
D=/sys/bus/pci/devices/$PF
RP=$(upstream "$PF")
sec nvme.rp echo "$RP"

sec nvme0.list sriovctl --json list
sec nvme0.show sriovctl show --json "$PF"
sec nvme0.list.text sriovctl list
sec nvme0.show.text sriovctl show "$PF"
sec nvme0.sysfs pcifacts "$PF"
sec nvme0.ls ls -l "$D/"
sec nvme0.config cfgdump "$PF"
sec nvme0.rp.config cfgdump "$RP"
sec nvme0.groups groups

sec nvme.autoprobe0 write 0 "$D/sriov_drivers_autoprobe"
sec nvme.numvfs2 write 2 "$D/sriov_numvfs"
VF0=$(vf "$PF" 0)
VF1=$(vf "$PF" 1)

sec nvme2.list sriovctl --json list
sec nvme2.show sriovctl show --json "$PF"
sec nvme2.show.text sriovctl show "$PF"
sec nvme2.sysfs pcifacts "$PF"
sec nvme2.vf0.sysfs pcifacts "$VF0"
sec nvme2.vf1.sysfs pcifacts "$VF1"
sec nvme2.vf0.ls ls -l "/sys/bus/pci/devices/$VF0/"
sec nvme2.config cfgdump "$PF"
sec nvme2.groups groups

sec nvmeb.override write vfio-pci "/sys/bus/pci/devices/$VF0/driver_override"
sec nvmeb.probe write "$VF0" /sys/bus/pci/drivers_probe
sec nvmeb.show sriovctl show --json "$PF"
sec nvmeb.showvf sriovctl show --json "$PF/vf0"
sec nvmeb.showvf.text sriovctl show "$PF/vf0"
sec nvmeb.list.text sriovctl list
sec nvmeb.vf0.sysfs pcifacts "$VF0"
sec nvmeb.vf1.sysfs pcifacts "$VF1"
sec nvmeb.devvfio ls /dev/vfio
sec nvmeb.groups groups
