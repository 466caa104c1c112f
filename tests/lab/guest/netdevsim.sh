# The netdevsim scenario: the kernel's simulated netdev (built out of tree
# by lab.py) with 4 VFs, which implements the VF netlink operations igb
# lacks (min rate, link state). Its VFs are not PCI devices; sriovctl lists
# it as a PF of bus netdevsim and reads the VFs over rtnetlink.
# Sourced by /init (lib.sh loaded) in a subshell.

N=/sys/bus/netdevsim/devices/netdevsim1
sec nsim.modprobe modprobe netdevsim || exit 1
sec nsim.new write "1 1" /sys/bus/netdevsim/new_device
timed nsim.wait.netdev 10 sh -c "ls $N/net/* >/dev/null 2>&1"
sec nsim.numvfs4 write 4 "$N/sriov_numvfs"
sec nsim.sriov_numvfs cat "$N/sriov_numvfs"
NET=$(ls "$N/net" | head -n 1)
sec nsim.netdev echo "$NET"
sec nsim.ls ls -l "$N/" "$N/net/"
sec nsim.find find "$N/" -maxdepth 2
sec nsim.debugfs find /sys/kernel/debug/netdevsim/ -maxdepth 2
sec nsim.max_vfs cat /sys/kernel/debug/netdevsim/netdevsim1/max_vfs
sec nsim.up ip link set "$NET" up

sec nsim.vf.set0 ip link set "$NET" vf 0 mac 02:00:00:00:00:01 vlan 10 qos 2
sec nsim.vf.set1 ip link set "$NET" vf 1 spoofchk off trust on
sec nsim.vf.set2 ip link set "$NET" vf 2 min_tx_rate 10 max_tx_rate 100
sec nsim.vf.set3 ip link set "$NET" vf 3 state disable
sec nsim.vf.set3ad ip link set "$NET" vf 3 vlan 30 qos 1 proto 802.1ad
sec nsim.vf.iplink ip -j -d link show dev "$NET"
sec nsim.vf.devlink devlink -j dev show
sec nsim.vf.eswitch devlink -j dev eswitch show netdevsim/netdevsim1
sec nsim.list sriovctl --json list
sec nsim.shownet sriovctl show --json "$NET"
sec nsim.list.text sriovctl list
sec nsim.show.text sriovctl show "$NET"
