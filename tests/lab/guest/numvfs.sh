# A self-checking scenario: `sriovctl pf PF set-vfs N` on the real kernel
# (NVMe, igb, netdevsim), judged against sysfs and ip. Every device is left
# as it was found: VF counts, autoprobe, VF drivers and overrides, igb's VF
# attributes, netdev states (the scripts after this one expect them).

# nv_now: the guest's uptime in hundredths of a second.
nv_now() {
	awk '{ printf "%d\n", $1 * 100 }' /proc/uptime
}

# nv_virtfns DIR: the virtfn links of a PF, "virtfn0=ADDR ..." in index order.
nv_virtfns() {
	_i=0
	_out=
	while [ -L "$1/virtfn$_i" ]; do
		_out="$_out virtfn$_i=$(basename "$(readlink "$1/virtfn$_i")")"
		_i=$((_i + 1))
	done
	echo "${_out# }"
}

# nv_report_vfs OUT PFNAME: sriovctl's VF lines as "virtfnN=ADDR ...".
nv_report_vfs() {
	sed -n "s|^$2/vf\([0-9]*\): \([^,]*\),.*|virtfn\1=\2|p" "$1" | tr '\n' ' ' |
		sed 's/ $//'
}

# nv_drv ADDR: the driver bound to a PCI function, "none" without one.
nv_drv() {
	if [ -L "/sys/bus/pci/devices/$1/driver" ]; then
		basename "$(readlink "/sys/bus/pci/devices/$1/driver")"
	else
		echo none
	fi
}

nv_no_virtfn0() {
	[ ! -e "$1/virtfn0" ]
}

# ------------------------------------------------------------------ NVMe
NV=$(find_pf 0x1b36 0x0010)
ND=/sys/bus/pci/devices/$NV
NV_AP0=$(cat "$ND/sriov_drivers_autoprobe")
NV_N0=$(cat "$ND/sriov_numvfs")
NV_TOTAL=$(cat "$ND/sriov_totalvfs")
NV_OVR0=
NV_DRV0=
i=0
while [ "$i" -lt "$NV_N0" ]; do
	NV_OVR0="$NV_OVR0 $(cat "/sys/bus/pci/devices/$(vf "$NV" "$i")/driver_override")"
	NV_DRV0="$NV_DRV0 $(nv_drv "$(vf "$NV" "$i")")"
	i=$((i + 1))
done

# A VF bound to vfio-pci, its group held open by a process as a VM would.
[ "$NV_N0" -ge 1 ] || write 2 "$ND/sriov_numvfs"
HV=$(vf "$NV" 0)
if [ "$(nv_drv "$HV")" != vfio-pci ]; then
	write vfio-pci "/sys/bus/pci/devices/$HV/driver_override"
	write "$HV" /sys/bus/pci/drivers_probe
fi
HG=$(basename "$(readlink "/sys/bus/pci/devices/$HV/iommu_group")")
N_BEFORE=$(cat "$ND/sriov_numvfs")
/usr/local/bin/vfio-hold "/dev/vfio/$HG" "$HV" >/tmp/hold.out 2>/tmp/hold.err &
HOLD=$!
wait_until 10 grep -q held /tmp/hold.out
check "vfio-hold holds the VF's vfio device" "held $HV" \
	"$(cut -d' ' -f1,2 /tmp/hold.out)$(cat /tmp/hold.err)"

sec numvfs.hold.refuse sriovctl pf "$NV" set-vfs 0
check "holder: set-vfs 0 is refused, exit 1" 1 $?
check "holder: the refusal names the VF, its group, the pid and the command" yes \
	"$(grep -q "$HV (vf0): /dev/vfio/$HG open by pid $HOLD (vfio-hold)" /tmp/sec.err && echo yes)"
check "holder: nothing changed" "$N_BEFORE" "$(cat "$ND/sriov_numvfs")"
sec numvfs.hold.dry sriovctl pf "$NV" set-vfs 1 --dry-run
check "holder: a lower count (through 0) is refused too, also in a dry run" 1 $?
# Unbinding a held VF from vfio-pci would block in the kernel as well.
sec numvfs.hold.unbind sriovctl vf "$HV" unbind
check "holder: unbind of the held VF is refused, exit 1" 1 $?
check "holder: the unbind refusal names the pid and the command" yes \
	"$(grep -q "/dev/vfio/$HG open by pid $HOLD (vfio-hold): unbinding it from vfio-pci would block" /tmp/sec.err && echo yes)"
sec numvfs.hold.kernel sriovctl vf "$HV" bind --kernel
check "holder: bind --kernel of the held VF is refused, exit 1" 1 $?
check "holder: the held VF is still on vfio-pci" vfio-pci "$(nv_drv "$HV")"

T0=$(nv_now)
sec numvfs.hold.force sriovctl pf "$NV" set-vfs 0 --force --timeout 3
RC=$?
T1=$(nv_now)
check "holder: --force --timeout 3 returns, exit 1" 1 $RC
check "holder: sriovctl returned within the timeout, +2 s (not hung; took $((T1 - T0))0 ms)" yes \
	"$([ $((T1 - T0)) -lt 500 ] && echo yes)"
check "holder: the timeout is explained" yes \
	"$(grep -q 'did not return within 3 s: the kernel removes the VFs only when their holders close' /tmp/sec.err && echo yes)"
check "holder: the timeout names the holder" yes \
	"$(grep -q "open by pid $HOLD (vfio-hold)" /tmp/sec.err && echo yes)"
check "holder: the holder is still alive (the kernel waits for it)" yes \
	"$(kill -0 "$HOLD" 2>/dev/null && echo yes)"
# The kernel removes VFs from the last down, each virtfn link before its
# device: the held VF's link is gone, its device stays until released.
check "holder: the held VF's device still exists, its virtfn link is gone" "yes no" \
	"$([ -e "/sys/bus/pci/devices/$HV" ] && echo yes || echo no) $([ -e "$ND/virtfn0" ] && echo yes || echo no)"
kill "$HOLD"
wait "$HOLD" 2>/dev/null
nv_gone() {
	[ ! -e "/sys/bus/pci/devices/$1" ]
}
timed numvfs.hold.released 20 nv_gone "$HV"
check "holder: once the holder is gone, the kernel finishes: VFs removed" 0 \
	"$(cat "$ND/sriov_numvfs")"

# Autoprobe alone, then counts: 0 -> 2 (autoprobe off) -> 4 via 0 -> 0.
sec numvfs.nv.ap sriovctl pf "$NV" set-vfs 0 --autoprobe on
check "nvme autoprobe only: exit 0" 0 $?
check "nvme autoprobe only: sysfs" "1 0" \
	"$(cat "$ND/sriov_drivers_autoprobe") $(cat "$ND/sriov_numvfs")"
check "nvme autoprobe only: change log" "$NV drivers_autoprobe: off -> on" "$(cat /tmp/sec.out)"

sec numvfs.nv.2 sriovctl pf "$NV" set-vfs 2 --autoprobe off
check "nvme 0 -> 2: exit 0" 0 $?
check "nvme 0 -> 2: sysfs count" 2 "$(cat "$ND/sriov_numvfs")"
check "nvme 0 -> 2: autoprobe written" 0 "$(cat "$ND/sriov_drivers_autoprobe")"
check "nvme 0 -> 2: the reported VFs are the virtfn links" "$(nv_virtfns "$ND")" \
	"$(nv_report_vfs /tmp/sec.out "$NV")"
check "nvme 0 -> 2: change log" "$NV num_vfs: 0 -> 2|$NV drivers_autoprobe: on -> off" \
	"$(grep -E 'num_vfs|drivers_autoprobe' /tmp/sec.out | tr '\n' '|' | sed 's/|$//')"
check "nvme --autoprobe off: the new VFs have no driver (sysfs)" "none none" \
	"$(nv_drv "$(vf "$NV" 0)") $(nv_drv "$(vf "$NV" 1)")"
check "nvme --autoprobe off: sriovctl reports no driver for each" 2 \
	"$(grep -c ', no driver$' /tmp/sec.out)"

sec numvfs.nv.4 sriovctl pf "$NV" set-vfs 4
check "nvme 2 -> 4 (through 0): exit 0" 0 $?
check "nvme 2 -> 4: sysfs count" 4 "$(cat "$ND/sriov_numvfs")"
check "nvme 2 -> 4: the reported VFs are the virtfn links" "$(nv_virtfns "$ND")" \
	"$(nv_report_vfs /tmp/sec.out "$NV")"
check "nvme 2 -> 4: change log" "$NV num_vfs: 2 -> 4" \
	"$(grep -E 'num_vfs|drivers_autoprobe' /tmp/sec.out)"
DRV=
i=0
while [ "$i" -lt 4 ]; do
	DRV="$DRV $(nv_drv "$(vf "$NV" "$i")")"
	i=$((i + 1))
done
check "nvme 2 -> 4: no driver on any VF (autoprobe off)" " none none none none" "$DRV"

# The same count writes nothing: an override set by hand survives it.
V0=$(vf "$NV" 0)
write pci-stub "/sys/bus/pci/devices/$V0/driver_override"
sec numvfs.nv.same sriovctl pf "$NV" set-vfs 4
check "nvme same count: exit 0" 0 $?
check "nvme same count: says nothing written" "$NV: already 4 VFs (autoprobe off); nothing written" \
	"$(cat /tmp/sec.out)"
check "nvme same count: the VFs were not re-created" pci-stub \
	"$(cat "/sys/bus/pci/devices/$V0/driver_override")"
write "" "/sys/bus/pci/devices/$V0/driver_override"

sec numvfs.nv.above sriovctl pf "$NV" set-vfs $((NV_TOTAL + 1))
check "nvme above total: exit 1" 1 $?
check "nvme above total: explained" yes \
	"$(grep -q "$((NV_TOTAL + 1)) VFs asked, but the PF offers at most $NV_TOTAL (sriov_totalvfs)" /tmp/sec.err && echo yes)"
check "nvme above total: nothing changed" 4 "$(cat "$ND/sriov_numvfs")"
sec numvfs.nv.kernel.erange write $((NV_TOTAL + 1)) "$ND/sriov_numvfs"
check "nvme above total: the kernel itself answers ERANGE" yes \
	"$(grep -q 'out of range' /tmp/sec.err && echo yes)"

sec numvfs.nv.0 sriovctl pf "$NV" set-vfs 0
check "nvme 4 -> 0: exit 0" 0 $?
check "nvme 4 -> 0: no virtfn left" "" "$(nv_virtfns "$ND")"
check "nvme 4 -> 0: change log" "$NV num_vfs: 4 -> 0" "$(grep num_vfs /tmp/sec.out)"

# Without the PF's driver the kernel answers ENOENT; sriovctl says so first.
NVDRV=$(nv_drv "$NV")
write "$NV" "/sys/bus/pci/drivers/$NVDRV/unbind"
sec numvfs.nv.nodrv sriovctl pf "$NV" set-vfs 2
check "nvme without driver: exit 1" 1 $?
check "nvme without driver: explained (bind it)" yes \
	"$(grep -q "$NV has no driver.*ENOENT.*bind it first" /tmp/sec.err && echo yes)"
check "nvme without driver: nothing changed" 0 "$(cat "$ND/sriov_numvfs")"
sec numvfs.nv.kernel.enoent write 2 "$ND/sriov_numvfs"
check "nvme without driver: the kernel itself answers ENOENT" yes \
	"$(grep -q 'No such file or directory' /tmp/sec.err && echo yes)"
write "$NV" "/sys/bus/pci/drivers/$NVDRV/bind"
check "nvme: the PF's driver is bound again" "$NVDRV" "$(nv_drv "$NV")"

# Restore: autoprobe, count, the overrides and drivers nvme.sh left.
write "$NV_AP0" "$ND/sriov_drivers_autoprobe"
[ "$NV_N0" -gt 0 ] && write "$NV_N0" "$ND/sriov_numvfs"
i=0
for o in $NV_OVR0; do
	a=$(vf "$NV" "$i")
	if [ "$o" != "(null)" ]; then
		write "$o" "/sys/bus/pci/devices/$a/driver_override"
		write "$a" /sys/bus/pci/drivers_probe
	fi
	i=$((i + 1))
done

# ------------------------------------------------------------------ igb
IG=$(find_pf 0x8086 0x10c9)
ID=/sys/bus/pci/devices/$IG
INET=$(ls "$ID/net" | head -n 1)
IG_N0=$(cat "$ID/sriov_numvfs")
IG_TOTAL=$(cat "$ID/sriov_totalvfs")
# VF attributes and netdev states, to put back afterwards.
IG_ATTRS=
IG_UP=
i=0
while [ "$i" -lt "$IG_N0" ]; do
	E=$(vfentry "$INET" "$i")
	IG_ATTRS="$IG_ATTRS $i,$(field "$E" address),$(field "$E" vlan),$(field "$E" qos),$(field "$E" spoofchk),$(field "$E" trust),$(field "$E" max_tx)"
	n=$(ls "/sys/bus/pci/devices/$(vf "$IG" "$i")/net" 2>/dev/null | head -n 1)
	[ -n "$n" ] && [ $(($(cat "/sys/class/net/$n/flags") & 1)) = 1 ] && IG_UP="$IG_UP $i"
	i=$((i + 1))
done

if [ "$IG_N0" -ge 1 ]; then
	VN=$(ls "/sys/bus/pci/devices/$(vf "$IG" 0)/net" | head -n 1)
	ip link set "$VN" up
	sec numvfs.igb.up sriovctl pf "$INET" set-vfs 0
	check "igb: a VF netdev that is up refuses set-vfs 0, exit 1" 1 $?
	check "igb: the refusal names the up netdev" yes \
		"$(grep -q "(vf0): netdev $VN is up" /tmp/sec.err && echo yes)"
	check "igb: nothing changed" "$IG_N0" "$(cat "$ID/sriov_numvfs")"
	ip link set "$VN" down
	sec numvfs.igb.0a sriovctl pf "$INET" set-vfs 0
	check "igb $IG_N0 -> 0: exit 0" 0 $?
	check "igb $IG_N0 -> 0: no virtfn left" "" "$(nv_virtfns "$ID")"
fi

sec numvfs.igb.2 sriovctl pf "$INET" set-vfs 2
check "igb 0 -> 2: exit 0" 0 $?
check "igb 0 -> 2: the PF's carrier is back when sriovctl returns" 1 \
	"$(cat "/sys/class/net/$INET/carrier")"
cp /tmp/sec.out /tmp/igb2.out
sec numvfs.igb.rate sriovctl vf "$INET/vf0" set max-rate 100
check "igb 0 -> 2: vf set max-rate right after succeeds" 0 $?
check "igb 0 -> 2: the reported VFs are the virtfn links" "$(nv_virtfns "$ID")" \
	"$(nv_report_vfs /tmp/igb2.out "$INET")"
check "igb 0 -> 2: change log" "$INET num_vfs: 0 -> 2" "$(grep num_vfs /tmp/igb2.out)"
check "igb 0 -> 2: the carrier line" yes \
	"$(grep -q "^$INET carrier: up again after" /tmp/igb2.out && echo yes)"

# igb_report OUT N: each VF's driver and netdev as sysfs and sriovctl say.
igb_facts() {
	_i=0
	while [ "$_i" -lt "$1" ]; do
		_a=$(vf "$IG" "$_i")
		printf '%s, %s, netdev %s|' "$_a" "$(nv_drv "$_a")" \
			"$(ls "/sys/bus/pci/devices/$_a/net" | head -n 1)"
		_i=$((_i + 1))
	done
}
igb_said() {
	sed -n "s|^$INET/vf[0-9]*: ||p" "$1" | tr '\n' '|'
}
check "igb 0 -> 2: each VF on igbvf with its netdev, as sysfs says" \
	"$(igb_facts 2)" "$(igb_said /tmp/igb2.out)"
check "igb 0 -> 2: both VFs on igbvf" 2 "$(grep -c ', igbvf, netdev ' /tmp/igb2.out)"

sec numvfs.igb.4 sriovctl pf "$INET" set-vfs 4
check "igb 2 -> 4 (through 0): exit 0" 0 $?
check "igb 2 -> 4: sysfs count" 4 "$(cat "$ID/sriov_numvfs")"
check "igb 2 -> 4: each VF on igbvf with its netdev, as sysfs says" \
	"$(igb_facts 4)" "$(igb_said /tmp/sec.out)"
check "igb 2 -> 4: change log" "$INET num_vfs: 2 -> 4" "$(grep num_vfs /tmp/sec.out)"
check "igb 2 -> 4: carrier back" 1 "$(cat "/sys/class/net/$INET/carrier")"

# the quirk table knows igb's 7 (docs/quirks.md); --force: sysfs' total answers
sec numvfs.igb.quirk sriovctl pf "$INET" set-vfs $((IG_TOTAL + 1))
check "igb above its quirk limit: exit 1" 1 $?
check "igb above its quirk limit: quirk igb.max-vfs named" yes \
	"$(grep -q "VFs is more than igb enables (quirk igb.max-vfs: .*; ask for at most 7, or --force" /tmp/sec.err && echo yes)"
sec numvfs.igb.above sriovctl pf "$INET" set-vfs $((IG_TOTAL + 1)) --force
check "igb above total ($IG_TOTAL): exit 1" 1 $?
check "igb above total: explained" yes \
	"$(grep -q "offers at most $IG_TOTAL (sriov_totalvfs)" /tmp/sec.err && echo yes)"
check "igb above total: nothing changed" 4 "$(cat "$ID/sriov_numvfs")"

sec numvfs.igb.0 sriovctl pf "$INET" set-vfs 0
check "igb 4 -> 0: exit 0" 0 $?
check "igb 4 -> 0: no virtfn left" "" "$(nv_virtfns "$ID")"
check "igb 4 -> 0: change log" "$INET num_vfs: 4 -> 0" "$(grep num_vfs /tmp/sec.out)"

# Restore igb: the count, each VF's attributes, the netdevs that were up.
if [ "$IG_N0" -gt 0 ]; then
	write "$IG_N0" "$ID/sriov_numvfs"
	igb_restored() {
		_i=0
		while [ "$_i" -lt "$IG_N0" ]; do
			has_netdev "$(vf "$IG" "$_i")" || return 1
			_i=$((_i + 1))
		done
		carrier_up "$INET"
	}
	wait_until 30 igb_restored
	for e in $IG_ATTRS; do
		IFS=, read -r i mac vlan qos sp tr mx <<EOF2
$e
EOF2
		[ "$mac" != 00:00:00:00:00:00 ] && ip link set "$INET" vf "$i" mac "$mac"
		[ -n "$vlan" ] && [ "$vlan" != 0 ] && ip link set "$INET" vf "$i" vlan "$vlan" qos "${qos:-0}"
		[ "$sp" = false ] && ip link set "$INET" vf "$i" spoofchk off
		[ "$tr" = true ] && ip link set "$INET" vf "$i" trust on
		[ -n "$mx" ] && [ "$mx" != 0 ] && ip link set "$INET" vf "$i" max_tx_rate "$mx"
	done
	for i in $IG_UP; do
		ip link set "$(ls "/sys/bus/pci/devices/$(vf "$IG" "$i")/net" | head -n 1)" up
	done
fi
AFTER=
i=0
while [ "$i" -lt "$IG_N0" ]; do
	E=$(vfentry "$INET" "$i")
	AFTER="$AFTER $i,$(field "$E" address),$(field "$E" vlan),$(field "$E" qos),$(field "$E" spoofchk),$(field "$E" trust),$(field "$E" max_tx)"
	i=$((i + 1))
done
check "igb restored: VF attributes as found" "$IG_ATTRS" "$AFTER"

# --------------------------------------------------------------- netdevsim
# A netdevsim device of its own (netdevsim1 is the other scripts'). Its
# VF limit is debugfs' max_vfs: sriovctl refuses above it; without debugfs
# (a mount namespace without it) it cannot know, and the kernel answers
# ENOMEM, which is explained, and rolled back when 0 had been written.
NS=netdevsim7
NSD=/sys/bus/netdevsim/devices/$NS
write "7 1" /sys/bus/netdevsim/new_device
wait_until 10 sh -c "ls $NSD/net/* >/dev/null 2>&1"
NSNET=$(ls "$NSD/net" | head -n 1)
NSMAX=$(cat /sys/kernel/debug/netdevsim/$NS/max_vfs)
sec numvfs.nsim.2 sriovctl pf "$NS" set-vfs 2
check "netdevsim 0 -> 2: exit 0" 0 $?
check "netdevsim 0 -> 2: sysfs count" 2 "$(cat "$NSD/sriov_numvfs")"
check "netdevsim 0 -> 2: change log (the PF named by its netdev)" "$NSNET num_vfs: 0 -> 2" "$(grep num_vfs /tmp/sec.out)"
sec numvfs.nsim.3 sriovctl pf "$NS" set-vfs 3
check "netdevsim 2 -> 3 (through 0): exit 0" 0 $?
check "netdevsim 2 -> 3: sysfs count" 3 "$(cat "$NSD/sriov_numvfs")"
sec numvfs.nsim.above sriovctl pf "$NS" set-vfs $((NSMAX + 1))
check "netdevsim above max_vfs: refused by sriovctl, exit 1" 1 $?
check "netdevsim above max_vfs: nothing changed" 3 "$(cat "$NSD/sriov_numvfs")"
sec numvfs.nsim.enomem unshare -m sh -c \
	"umount -l /sys/kernel/debug && sriovctl pf $NS set-vfs $((NSMAX + 1))"
check "netdevsim ENOMEM (no debugfs): exit 1" 1 $?
check "netdevsim ENOMEM: explained" yes \
	"$(grep -q "the kernel refused $((NSMAX + 1)) VFs (ENOMEM): above netdevsim's max_vfs" /tmp/sec.err && echo yes)"
check "netdevsim ENOMEM after 0 was written: rolled back" yes \
	"$(grep -q 'rolled back: 3 VFs' /tmp/sec.err && echo yes)"
check "netdevsim ENOMEM: the count is back to 3" 3 "$(cat "$NSD/sriov_numvfs")"
sec numvfs.nsim.0 sriovctl pf "$NS" set-vfs 0
check "netdevsim 3 -> 0: exit 0" 0 $?
sec numvfs.nsim.enomem0 unshare -m sh -c \
	"umount -l /sys/kernel/debug && sriovctl pf $NS set-vfs $((NSMAX + 1))"
check "netdevsim ENOMEM from 0: exit 1, nothing to roll back" yes \
	"$(grep -q 'ENOMEM.*nothing was changed' /tmp/sec.err && echo yes)"
check "netdevsim ENOMEM from 0: count still 0" 0 "$(cat "$NSD/sriov_numvfs")"
write 7 /sys/bus/netdevsim/del_device

# ------------------------------------------------------------ as found
check "nvme left as found: count and autoprobe" "$NV_N0 $NV_AP0" \
	"$(cat "$ND/sriov_numvfs") $(cat "$ND/sriov_drivers_autoprobe")"
OVR=
i=0
while [ "$i" -lt "$NV_N0" ]; do
	OVR="$OVR $(cat "/sys/bus/pci/devices/$(vf "$NV" "$i")/driver_override")"
	i=$((i + 1))
done
check "nvme left as found: driver overrides" "$NV_OVR0" "$OVR"
DRV=
i=0
while [ "$i" -lt "$NV_N0" ]; do
	DRV="$DRV $(nv_drv "$(vf "$NV" "$i")")"
	i=$((i + 1))
done
check "nvme left as found: VF drivers" "$NV_DRV0" "$DRV"
check "igb left as found: count" "$IG_N0" "$(cat "$ID/sriov_numvfs")"
check "netdevsim7 removed" no "$([ -e "$NSD" ] && echo yes || echo no)"
