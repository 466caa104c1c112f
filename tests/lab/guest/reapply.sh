# A self-checking scenario in a boot of its own (E): what the kernel does
# when a PF's driver is reloaded, as 90-sriovctl.rules sees it. The rule
# (ACTION=="bind", SUBSYSTEM=="pci", ATTR{sriov_totalvfs}=="?*") starts
# sriovctl-apply@$kernel.service; this boot has no udev, so uevent-log
# prints the events udev would receive. Then what the units run: `apply
# --boot` while igb is not bound yet, `apply --pf` after a reload.

PF=$(find_pf 0x8086 0x10c9)
D=/sys/bus/pci/devices/$PF
wait_until 20 has_netdev "$PF"
present() {
	[ -e "$1" ] && echo yes || echo no
}
driver() {
	_l=$(readlink "/sys/bus/pci/devices/$1/driver") && echo "${_l##*/}"
}

# VFs, as a policy would have made them
write 2 "$D/sriov_numvfs"
VF0=$(vf "$PF" 0)
wait_until 30 has_netdev "$VF0"
check "2 VFs before the reload" 2 "$(cat "$D/sriov_numvfs")"

uevent-log >/tmp/uevents 2>/tmp/uevents.err &
LOGGER=$!
wait_until 5 grep -q '^ready$' /tmp/uevents
check "uevent-log listens" ready "$(head -n 1 /tmp/uevents)"

# the reload: unbind, then bind again (modprobe -r igb; modprobe igb does both)
write "$PF" /sys/bus/pci/drivers/igb/unbind
check "unbind: the PF has no driver" "" "$(driver "$PF")"
check "unbind: the VFs are gone" 0 "$(cat "$D/sriov_numvfs")"
check "unbind: the PF keeps sriov_totalvfs (still a PF)" yes "$(present "$D/sriov_totalvfs")"
check "unbind: sriov_totalvfs is the config space's TotalVFs again, not igb's 7" 8 "$(cat "$D/sriov_totalvfs")"
sec reapply.unbound pcifacts "$PF"
write "$PF" /sys/bus/pci/drivers/igb/bind
wait_until 20 has_netdev "$PF"
NET=$(ls "$D/net" | head -n 1)
check "bind: the PF has igb again" igb "$(driver "$PF")"
check "bind: no VFs until something re-applies the policy" 0 "$(cat "$D/sriov_numvfs")"
check "bind: sriov_totalvfs is there for the rule's ATTR match" 7 "$(cat "$D/sriov_totalvfs")"

# and a VF's bind, which the rule must not match
write 1 "$D/sriov_numvfs"
VF0=$(vf "$PF" 0)
wait_until 30 has_netdev "$VF0"
check "a VF has no sriov_totalvfs: the rule does not match its bind" no \
	"$(present "/sys/bus/pci/devices/$VF0/sriov_totalvfs")"
write 0 "$D/sriov_numvfs"
sleep 0.5
kill "$LOGGER"
wait "$LOGGER" 2>/dev/null
sec reapply.uevents cat /tmp/uevents

line_of() { # PATTERN: the first line of the log matching it, 0 when none
	_n=$(grep -n -m 1 "$1" /tmp/uevents | cut -d: -f1)
	echo "${_n:-0}"
}
UNBIND=$(line_of "^unbind pci /devices/.*/$PF -\$")
BIND=$(line_of "^bind pci /devices/.*/$PF igb\$")
NETADD=$(line_of "^add net /devices/.*/$PF/net/$NET -\$")
check "the kernel sends unbind for the PF (no DRIVER= in it)" yes "$([ "$UNBIND" -gt 0 ] && echo yes)"
check "the kernel sends bind pci for the PF, with DRIVER=igb" yes "$([ "$BIND" -gt "$UNBIND" ] && echo yes)"
check "one bind event for the PF" 1 "$(grep -c "^bind pci /devices/.*/$PF igb\$" /tmp/uevents)"
check "its netdev's add comes before the PF's bind (udev renames it first)" yes \
	"$([ "$NETADD" -gt "$UNBIND" ] && [ "$NETADD" -lt "$BIND" ] && echo yes)"
check "the VF's bind event (igbvf)" 1 "$(grep -c "^bind pci /devices/.*/$VF0 igbvf\$" /tmp/uevents)"

# What the units run, on the real kernel. The policy names the igb PF by
# its netdev, as an operator would.
NVME=$(find_pf 0x1b36 0x0010)
LOG=/var/log/sriovctl/changes.log
cat >/tmp/boot.yaml <<EOP
pfs:
  - match: {netdev: $NET}
    num_vfs: 2
    vfs:
      "0": {vlan: 7}
EOP
vlan_of_vf0() {
	field "$(vfentry "$NET" 0)" vlan
}

# sriovctl-apply.service at a boot where igb binds 1.5 s after it started
write "$PF" /sys/bus/pci/drivers/igb/unbind
T0=$(cut -d' ' -f1 /proc/uptime)
sriovctl apply --boot --boot-timeout 20 -f /tmp/boot.yaml >/tmp/boot.out 2>&1 &
BOOTPID=$!
sleep 1.5
write "$PF" /sys/bus/pci/drivers/igb/bind
wait "$BOOTPID"
RC=$?
T1=$(cut -d' ' -f1 /proc/uptime)
sec reapply.boot cat /tmp/boot.out
check "apply --boot: exits 0" 0 "$RC"
check "apply --boot: waited for igb to bind (>= 1.5 s)" yes \
	"$(awk -v a="$T0" -v b="$T1" 'BEGIN { if (b - a >= 1.5) print "yes"; else print b - a }')"
check "apply --boot: no timeout" "" "$(grep 'after 20 s' /tmp/boot.out)"
check "apply --boot: the VFs" 2 "$(cat "$D/sriov_numvfs")"
check "apply --boot: vf0's vlan" 7 "$(vlan_of_vf0)"
check "apply --boot: the change log names the command" yes \
	"$(grep -q '"command": *"sriovctl apply --boot --boot-timeout 20 -f /tmp/boot.yaml"' "$LOG" && echo yes)"

# sriovctl-apply@PF.service after the driver is reloaded
write "$PF" /sys/bus/pci/drivers/igb/unbind
write "$PF" /sys/bus/pci/drivers/igb/bind
wait_until 20 has_netdev "$PF"
check "reload: the VFs are gone" 0 "$(cat "$D/sriov_numvfs")"
sec reapply.pf sriovctl apply --pf "$PF" -f /tmp/boot.yaml
check "apply --pf: exits 0" 0 $?
check "apply --pf: the VFs again" 2 "$(cat "$D/sriov_numvfs")"
check "apply --pf: vf0's vlan again" 7 "$(vlan_of_vf0)"
sec reapply.pf2 sriovctl apply --pf "$PF" -f /tmp/boot.yaml
check "apply --pf again: nothing to do" "0 nothing to do: the host matches the policy" \
	"$? $(cat /tmp/sec.out)"
# the rule fires for every SR-IOV PF: one the policy does not name
sec reapply.other sriovctl apply --pf "$NVME" -f /tmp/boot.yaml
check "apply --pf of a PF the policy does not name: nothing to do" \
	"0 nothing to do: the host matches the policy" "$? $(cat /tmp/sec.out)"

# a PF that never comes: bounded, and the plan names it
printf 'pfs:\n  - match: {netdev: nosuch0}\n    num_vfs: 1\n' >/tmp/never.yaml
T0=$(cut -d' ' -f1 /proc/uptime)
sec reapply.never sriovctl apply --boot --boot-timeout 1 -f /tmp/never.yaml
RC=$?
T1=$(cut -d' ' -f1 /proc/uptime)
check "apply --boot, PF never there: exits 1" 1 "$RC"
check "apply --boot, PF never there: gave up after about 1 s" yes \
	"$(awk -v a="$T0" -v b="$T1" 'BEGIN { if (b - a >= 1 && b - a < 5) print "yes"; else print b - a }')"
check "apply --boot, PF never there: says so" yes \
	"$(grep -q 'after 1 s, not every PF' /tmp/sec.err && grep -q 'matches netdev nosuch0' /tmp/sec.err && echo yes)"

write 0 "$D/sriov_numvfs"
