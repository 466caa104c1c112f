# A self-checking scenario (boot H, its own: huge pages and testpmd's
# libraries): DPDK on an igb VF. sriovctl creates the VF, gives it a MAC
# and binds it to vfio-pci; huge pages are reserved; `sriovctl export
# dpdk` writes the EAL arguments, and dpdk-testpmd started with exactly
# them must find one port, driven by net_e1000_igb_vf (8086:10ca), with
# the VF's MAC. Before the huge pages, export refuses (exit 1).

IG=$(find_pf 0x8086 0x10c9)
NET=$(ls "/sys/bus/pci/devices/$IG/net" | head -n 1)
MAC=02:00:00:00:dd:01
MACUP=02:00:00:00:DD:01

drv() {
	_l=$(readlink "/sys/bus/pci/devices/$1/driver") && echo "${_l##*/}" || echo none
}

# the PF up: igb answers its VFs' mailbox only while it runs
sec dpdk.up ip link set "$NET" up
timed dpdk.wait.carrier 20 carrier_up "$NET"
sec dpdk.numvfs sriovctl pf "$NET" set-vfs 1
check "set-vfs 1 exits 0" 0 $?
VF=$(vf "$IG" 0)
check "the VF is the 82576's VF (8086:10ca)" "0x8086 0x10ca" \
	"$(cat /sys/bus/pci/devices/$VF/vendor) $(cat /sys/bus/pci/devices/$VF/device)"
sec dpdk.mac sriovctl vf "$NET/vf0" set mac "$MAC"
check "vf set mac exits 0" 0 $?
sec dpdk.bind sriovctl vf "$NET/vf0" bind vfio-pci
check "vf bind vfio-pci exits 0" 0 $?
check "the VF is on vfio-pci" vfio-pci "$(drv "$VF")"

# no huge pages yet: refused, naming the node
sec dpdk.export.nopages sriovctl export dpdk "$NET/vf0"
check "export dpdk without huge pages exits 1" 1 $?
check "and says the node has none" yes \
	"$(grep -q 'NUMA node 0, where the VFs are, has no free huge pages' /tmp/sec.err && echo yes)"

sec dpdk.hugepages write 128 /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
check "128 huge pages of 2 MB free on node 0" 128 \
	"$(cat /sys/devices/system/node/node0/hugepages/hugepages-2048kB/free_hugepages)"
mkdir -p /dev/hugepages /var/run
# the EAL loads no plugin from a directory with a world-writable parent,
# and the initramfs's / is 0777
chmod 755 /
sec dpdk.hugetlbfs mount -t hugetlbfs nodev /dev/hugepages

sec dpdk.export sriovctl export dpdk "$NET/vf0"
check "export dpdk exits 0" 0 $?
ARGS=$(head -n 1 /tmp/sec.out)
check "the EAL arguments: node 0's CPUs, the VF, node 0's 256 MB" \
	"-l 0-1 -a $VF --socket-mem 256" "$ARGS"

# shellcheck disable=SC2086 # the export's words, as a shell takes them
sec dpdk.testpmd sh -c "printf 'show port info 0\nquit\n' |
	timeout 600 dpdk-testpmd $ARGS -- -i --total-num-mbufs=2048"
check "testpmd exits 0" 0 $?
check "testpmd's port 0 has the VF's MAC" yes \
	"$(grep -q "Port 0: $MACUP" /tmp/sec.out && echo yes)"
check "driven by net_e1000_igb_vf" yes \
	"$(grep -q 'Driver name: net_e1000_igb_vf' /tmp/sec.out && echo yes)"
check "one port, no other" 1 "$(grep -c '^Port [0-9]*: ..:' /tmp/sec.out)"
check "the VF is on vfio-pci after testpmd" vfio-pci "$(drv "$VF")"
