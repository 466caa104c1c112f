# A self-checking scenario: `sriovctl save` and `restore` on the real
# kernel. The state is changed behind sriovctl's back (ip, sysfs, set-vfs),
# restore must bring back exactly what save recorded, and a restore that
# fails half-way must roll back. Leaves every device as it found it.

NSIM=/sys/bus/netdevsim/devices/netdevsim1
NET=$(ls "$NSIM/net" | head -n 1)
PF=$(find_pf 0x8086 0x10c9)
INET=$(ls "/sys/bus/pci/devices/$PF/net" | head -n 1)
NVME=$(find_pf 0x1b36 0x0010)

# The VF netdevs of igb go down for the count changes (an up VF netdev is
# in use: set-vfs and restore refuse to remove it); their states come back
# at the end.
UPVFS=""
for v in /sys/bus/pci/devices/$PF/virtfn*; do
	for n in "$v"/net/*; do
		[ -e "$n" ] || continue
		if [ $(( $(cat "$n/flags") & 1 )) -eq 1 ]; then
			UPVFS="$UPVFS ${n##*/}"
			ip link set "${n##*/}" down
		fi
	done
done

sec restore.save sriovctl save -p
check "save exits 0" 0 $?
cp /tmp/sec.out /tmp/state0.json
check "save records the three PFs" 3 "$(grep -c '"num_vfs"' /tmp/state0.json)"
check "save records the igb VFs' links" yes \
	"$(grep -q '"mac": "02:11:22:33:44:55"' /tmp/state0.json && echo yes)"
check "save records the NVMe VF's vfio-pci override" yes \
	"$(grep -q '"driver_override": "vfio-pci"' /tmp/state0.json && echo yes)"

same_as_saved() {
	sriovctl save -p >/tmp/state.now 2>/tmp/state.err &&
		cmp -s /tmp/state0.json /tmp/state.now && echo yes
}

# 1. Attributes and a driver changed behind sriovctl's back.
ip link set "$INET" vf 0 vlan 42
ip link set "$NET" vf 2 max_tx_rate 77
ip link set "$NET" vf 1 trust off
VF1=$(vf "$NVME" 1)
write vfio-pci "/sys/bus/pci/devices/$VF1/driver_override"
write "$VF1" /sys/bus/pci/drivers_probe
sec restore.plan sriovctl restore --dry-run /tmp/state0.json
check "dry run exits 0" 0 $?
check "dry run: the igb VLAN" "$INET/vf0 vlan: 42 -> 5" \
	"$(grep "^$INET/vf0 vlan" /tmp/sec.out)"
check "dry run: the netdevsim rates as a pair" \
	"$NET/vf2 min-rate: 10 -> 10 $NET/vf2 max-rate: 77 -> 100" \
	"$(grep "^$NET/vf2 " /tmp/sec.out)"
check "dry run: the netdevsim trust" "$NET/vf1 trust: off -> on" \
	"$(grep "^$NET/vf1 " /tmp/sec.out)"
check "dry run: the NVMe VF's driver" "$NVME/vf1 driver: vfio-pci -> none" \
	"$(grep "^$NVME/vf1 " /tmp/sec.out)"
check "dry run: five changes and the footer, nothing else" \
	"6 5 changes (dry run: nothing was written)" \
	"$(grep -c . /tmp/sec.out) $(tail -n 1 /tmp/sec.out)"
check "dry run wrote nothing" 42 \
	"$(ip -d link show dev "$INET" | sed -n 's/.*vf 0 .*vlan \([0-9]*\).*/\1/p')"
sec restore.apply sriovctl restore /tmp/state0.json
check "restore exits 0" 0 $?
check "restore logs old -> new" yes \
	"$(grep -q "^$INET/vf0 vlan: 42 -> 5$" /tmp/sec.out && echo yes)"
check "restore: the host matches the saved state" yes "$(same_as_saved)"
check "restore: ip agrees on the igb VLAN" 5 \
	"$(ip -d link show dev "$INET" | sed -n 's/.*vf 0 .*vlan \([0-9]*\).*/\1/p')"
check "restore: the NVMe VF has no driver again" none \
	"$(d=$(readlink "/sys/bus/pci/devices/$VF1/driver") && basename "$d" || echo none)"
sec restore.again sriovctl restore /tmp/state0.json
check "restore again: nothing to do" "nothing to do: the host matches /tmp/state0.json" \
	"$(cat /tmp/sec.out)"

# 2. VF counts changed: the VFs are re-created with their attributes and
# drivers (igb: MAC, VLAN, spoofchk; NVMe: vf0 on vfio-pci, autoprobe off).
sec restore.igb3 sriovctl pf "$INET" set-vfs 3
check "igb: set-vfs 3 exits 0" 0 $?
sec restore.nvme1 sriovctl pf "$NVME" set-vfs 1 --autoprobe on
check "NVMe: set-vfs 1 --autoprobe on exits 0" 0 $?
sec restore.counts sriovctl restore /tmp/state0.json
check "restore after count changes exits 0" 0 $?
check "restore: igb back through 0" yes \
	"$(grep -q "^$INET num_vfs: 3 -> 2 (through 0)$" /tmp/sec.out && echo yes)"
check "restore: NVMe autoprobe back" yes \
	"$(grep -q "^$NVME drivers_autoprobe: on -> off$" /tmp/sec.out && echo yes)"
check "restore after count changes: the host matches the saved state" yes \
	"$(same_as_saved)"
[ "$(same_as_saved)" = yes ] || diff /tmp/state0.json /tmp/state.now | head -20

# 3. A restore that fails half-way rolls back: igb refuses link-state
# (EOPNOTSUPP) after the VLAN of the same VF was set.
sed 's/"link_state": "auto"/"link_state": "disable"/' /tmp/state0.json >/tmp/bad.json
sed -i 's/"vlan": 5,/"vlan": 99,/' /tmp/bad.json
sec restore.fail sriovctl restore /tmp/bad.json
check "a refused attribute: restore exits 1" 1 $?
check "a refused attribute: the VLAN before it was applied" yes \
	"$(grep -q "^$INET/vf0 vlan: 5 -> 99$" /tmp/sec.out && echo yes)"
check "a refused attribute: named with the kernel's answer" yes \
	"$(grep -q "link-state: auto -> disable: refused by the driver (Operation not supported)" /tmp/sec.out && echo yes)"
check "a refused attribute: the rollback undoes the VLAN" \
	"rolling back: $INET/vf0 vlan: 99 -> 5" \
	"$(sed -n '/^rolling back:$/,$p' /tmp/sec.out)"
check "a refused attribute: rolled back" yes \
	"$(grep -q 'rolled back' /tmp/sec.err && echo yes)"
check "after the rollback: the host matches the saved state" yes "$(same_as_saved)"

# 4. A malformed state file changes nothing.
sed 's/"vlan": 5,/"vlan": 5000,/' /tmp/state0.json >/tmp/bad2.json
sec restore.bad sriovctl restore /tmp/bad2.json
check "a bad state file: exit 1" 1 $?
check "a bad state file: the JSON path is named" yes \
	"$(grep -q 'link.vlan: 5000 is out of range 0..4094' /tmp/sec.err && echo yes)"
check "a bad state file: nothing changed" yes "$(same_as_saved)"

for n in $UPVFS; do
	ip link set "$n" up
done
