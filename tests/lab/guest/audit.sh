# A self-checking scenario (boot U, its own: it hands igb VFs out and moves
# one into another network namespace): `sriovctl audit` with the PF's real
# netlink view. vf0 stays on the host (igbvf, netdev here: not audited),
# vf1 goes to a guest (bound to vfio-pci, spoofchk turned off by `ip link
# set`), vf2 to a pod (its netdev moved into an `unshare -n` namespace,
# trust turned on). The audit fails on them, names each fix; after the fixes
# it passes; an exception with its reason excuses trust again.

IG=$(find_pf 0x8086 0x10c9)
NET=$(ls "/sys/bus/pci/devices/$IG/net" | head -n 1)

drv() {
	_l=$(readlink "/sys/bus/pci/devices/$1/driver") && echo "${_l##*/}" || echo none
}

# status RULE DEVICE: the finding's status in /tmp/audit.json
status() {
	sed -n "s|.*\"rule\":\"$1\",\"status\":\"\([a-z]*\)\",\"device\":\"$2\".*|\1|p" /tmp/audit.json
}

has() {
	grep -qF -- "$1" /tmp/audit.json && echo yes || echo no
}

audit() {
	sriovctl audit --json "$@" >/tmp/audit.json
}

# the PF up: igb answers its VFs' mailbox only while it runs
sec audit.up ip link set "$NET" up
timed audit.wait.carrier 20 carrier_up "$NET"
sec audit.numvfs sriovctl pf "$NET" set-vfs 3
check "set-vfs 3 exits 0" 0 $?
VF0=$(vf "$IG" 0)
VF1=$(vf "$IG" 1)
VF2=$(vf "$IG" 2)
vfs_have_netdevs() {
	has_netdev "$VF0" && has_netdev "$VF1" && has_netdev "$VF2"
}
timed audit.wait.vfnet 30 vfs_have_netdevs
VNET2=$(ls "/sys/bus/pci/devices/$VF2/net" | head -n 1)

# nothing handed out yet: only the host rule
sec audit.none audit
check "no VF handed out: exit 0" 0 $?
check "no VF handed out: none audited" yes "$(has '"vfs_handed":0')"

sec audit.bind sriovctl vf "$NET/vf1" bind vfio-pci
check "vf1 on vfio-pci" vfio-pci "$(drv "$VF1")"
unshare -n sleep 600 &
POD=$!
wait_until 5 test "$(readlink /proc/$POD/ns/net)" != "$(readlink /proc/self/ns/net)"
sec audit.netns ip link set "$VNET2" netns "$POD"
check "vf2's netdev moved to the pod's namespace" no \
	"$(has_netdev "$VF2" && echo yes || echo no)"
sec audit.spoof ip link set "$NET" vf 1 spoofchk off
sec audit.trust ip link set "$NET" vf 2 trust on
sec audit.iplink ip -j -d link show dev "$NET"

sec audit.fail audit --junit /tmp/audit.xml
check "violations: exit 1" 1 $?
cp /tmp/audit.json /tmp/audit-fail.json
check "two VFs handed out" yes "$(has '"vfs_handed":2')"
check "the host's own VF is not audited" no "$(has "\"device\":\"$NET/vf0\"")"
check "vf.spoofchk: the guest's VF fails, spoofchk off as ip set it" yes \
	"$(has "\"rule\":\"vf.spoofchk\",\"status\":\"fail\",\"device\":\"$NET/vf1\",\"address\":\"$VF1\",\"consumer\":\"guest\",\"expected\":\"spoofchk on\",\"actual\":\"spoofchk off\"")"
check "vf.spoofchk: its fix" yes "$(has "\"fix\":\"sriovctl vf $NET/vf1 set spoofchk on\"")"
check "vf.spoofchk: the pod's VF passes" pass "$(status vf.spoofchk "$NET/vf2")"
check "the pod's VF: the holder is its namespace" yes \
	"$(has "\"device\":\"$NET/vf2\",\"address\":\"$VF2\",\"consumer\":\"pod\",\"expected\":\"spoofchk on\",\"actual\":\"spoofchk on\",\"holder\":{\"description\":\"its netdev is in another network namespace (driver igbvf)\"")"
check "vf.trust: the pod's VF fails (trust on)" fail "$(status vf.trust "$NET/vf2")"
check "vf.trust: its fix" yes "$(has "\"fix\":\"sriovctl vf $NET/vf2 set trust off\"")"
check "vf.trust: the guest's VF passes" pass "$(status vf.trust "$NET/vf1")"
check "vf.vlan: both fail (no VLAN)" "fail fail" \
	"$(status vf.vlan "$NET/vf1") $(status vf.vlan "$NET/vf2")"
E=$(vfentry "$NET" 1)
if [ "$(field "$E" address)" = 00:00:00:00:00:00 ]; then WANT=fail; else WANT=pass; fi
check "vf.mac: the guest's VF as ip shows its MAC ($(field "$E" address))" "$WANT" \
	"$(status vf.mac "$NET/vf1")"
check "vf.mac: not for the pod's VF" no "$(has "\"rule\":\"vf.mac\",\"status\":\"[a-z]*\",\"device\":\"$NET/vf2\"")"
G=$(basename "$(readlink "/sys/bus/pci/devices/$VF1/iommu_group")")
WANT=pass
for m in /sys/kernel/iommu_groups/"$G"/devices/*; do
	a=${m##*/}
	d=$(drv "$a")
	[ "$a" = "$VF1" ] || case $d in none|vfio-pci|pcieport|pci-stub) ;; *) WANT=fail ;; esac
done
check "vf.iommu-group: as the group's members' drivers say" "$WANT" \
	"$(status vf.iommu-group "$NET/vf1")"
check "host.iommu passes" pass "$(status host.iommu host)"
check "the JUnit file: XML with the failures counted" yes \
	"$(head -c 5 /tmp/audit.xml | grep -q '<?xml' && grep -q "<testsuites name=\"sriovctl audit\" tests=\"[0-9]*\" failures=\"$(grep -o '"fail":[0-9]*' /tmp/audit.json | cut -d: -f2)\"" /tmp/audit.xml && echo yes)"
sec audit.text sriovctl audit
check "the text: a fail row for the guest's spoofchk with the fix" yes \
	"$(grep -E "^fail +vf.spoofchk +$NET/vf1 +guest .*sriovctl vf $NET/vf1 set spoofchk on$" /tmp/sec.out >/dev/null && echo yes)"

# the fixes the audit gave (placeholders filled in)
sec audit.fix1 sriovctl vf "$NET/vf1" set spoofchk on vlan 10 mac 02:00:00:00:a0:01
check "fix of vf1 exits 0" 0 $?
sec audit.fix2 sriovctl vf "$NET/vf2" set trust off vlan 20
check "fix of vf2 exits 0" 0 $?
sec audit.fixed audit
check "after the fixes: exit 0" 0 $?
check "after the fixes: no failure" yes "$(has '"fail":0}')"
check "after the fixes: vf1 spoofchk, vlan, mac pass" "pass pass pass" \
	"$(status vf.spoofchk "$NET/vf1") $(status vf.vlan "$NET/vf1") $(status vf.mac "$NET/vf1")"
check "after the fixes: vf2 trust, vlan pass" "pass pass" \
	"$(status vf.trust "$NET/vf2") $(status vf.vlan "$NET/vf2")"

# trust on again, excused by an exception with its reason
sec audit.trust2 ip link set "$NET" vf 2 trust on
cat >/tmp/baseline.yaml <<EOB
exceptions:
  - vfs: $NET/vf2
    rules: [vf.trust]
    reason: NFV router VF (VRRP)
EOB
sec audit.excepted audit --baseline /tmp/baseline.yaml
check "an exception: exit 0" 0 $?
check "an exception: trust of vf2 excepted, with the reason and place" yes \
	"$(has "\"exception\":{\"reason\":\"NFV router VF (VRRP)\",\"at\":\"/tmp/baseline.yaml:2:5\"}")"
check "an exception: status excepted" excepted "$(status vf.trust "$NET/vf2")"
sec audit.noexc audit
check "without it: exit 1 again" 1 $?

kill "$POD"
wait "$POD" 2>/dev/null
