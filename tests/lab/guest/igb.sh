# The igb scenario: QEMU's Intel 82576 (8086:10c9), a NIC PF driven by igb
# whose VFs are driven by igbvf.
#   igb0.*   the PF with 0 VFs
#   igb2.*   after echo 2 > sriov_numvfs (igb resets the PF: wait, bounded,
#            for the igbvf netdevs and the PF's carrier)
#   igb.vf.* the netlink VF view after `ip link set PF vf N ...` (artifacts)
# Sourced by /init (lib.sh loaded) in a subshell.

sec igb.pf find_pf 0x8086 0x10c9 || exit 1
PF=$(find_pf 0x8086 0x10c9)
D=/sys/bus/pci/devices/$PF
RP=$(upstream "$PF")
sec igb.rp echo "$RP"
timed igb.wait.netdev 20 has_netdev "$PF"
NET=$(ls "$D/net" | head -n 1)
sec igb.netdev echo "$NET"
sec igb.up ip link set "$NET" up
timed igb.wait.carrier0 20 carrier_up "$NET"

sec igb0.list sriovctl --json list
sec igb0.show sriovctl show --json "$PF"
sec igb0.shownet sriovctl show --json "$NET"
sec igb0.show.text sriovctl show "$PF"
sec igb0.sysfs pcifacts "$PF"
sec igb0.config cfgdump "$PF"
sec igb0.rp.config cfgdump "$RP"

sec igb.numvfs2 write 2 "$D/sriov_numvfs"
sec igb.carrier.after cat "/sys/class/net/$NET/carrier"
VF0=$(vf "$PF" 0)
VF1=$(vf "$PF" 1)
vfs_have_netdevs() {
	has_netdev "$VF0" && has_netdev "$VF1"
}
timed igb.wait.vfnet 30 vfs_have_netdevs
timed igb.wait.carrier2 20 carrier_up "$NET"
VNET0=$(ls "/sys/bus/pci/devices/$VF0/net" | head -n 1)
VNET1=$(ls "/sys/bus/pci/devices/$VF1/net" | head -n 1)

sec igb2.list sriovctl --json list
sec igb2.show sriovctl show --json "$PF"
sec igb2.show.text sriovctl show "$PF"
sec igb2.showvfnet sriovctl show --json "$VNET1"
sec igb2.sysfs pcifacts "$PF"
sec igb2.vf0.sysfs pcifacts "$VF0"
sec igb2.vf1.sysfs pcifacts "$VF1"
sec igb2.vf0.ls ls -l "/sys/bus/pci/devices/$VF0/"
sec igb2.config cfgdump "$PF"
sec igb2.groups groups

# The netlink view of the VFs (raw artifacts for the project's next step).
sec igb.vf.set0 ip link set "$NET" vf 0 mac 02:11:22:33:44:55 vlan 5
sec igb.vf.set1 ip link set "$NET" vf 1 spoofchk off
sec igb.vf.iplink ip -j -d link show dev "$NET"
sec igb.vf.iplink.vf0 ip -j -d link show dev "$VNET0"
sec igb.vf.devlink devlink -j dev show
sec igb.vf.show sriovctl show --json "$PF"
