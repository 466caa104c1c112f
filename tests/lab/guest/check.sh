# A self-checking scenario: `sriovctl check` on the real kernel of boot A
# (intel_iommu=on), its findings against what the kernel shows. Reads only,
# except two netdevsim VF attributes, which it puts back as it found them.

# finding ID SUBJECT: "severity" of the first text line of check ID for SUBJECT
finding() {
	awk -v id="$1" -v s="$2" '$2 == id && (s == "" || index($3, s ":") == 1) { print $1; exit }' \
		/tmp/check.out
}

onoff() {
	[ "$1" = true ] && echo on || echo off
}

sec check.host sriovctl check
RC=$?
cp /tmp/sec.out /tmp/check.out
FAILS=$(grep -c '^  fail ' /tmp/check.out)
check "exit status 1 exactly when a check fails" "$([ "$FAILS" -gt 0 ] && echo 1 || echo 0)" "$RC"
check "the IOMMU is active, as /sys/class/iommu shows" \
	"ok $(ls /sys/class/iommu | head -n 1)" \
	"$(finding iommu.active) $(grep -o 'iommu has [a-z0-9]*' /tmp/check.out | cut -d' ' -f3)"
check "the group count is the kernel's" "$(ls /sys/kernel/iommu_groups | wc -l)" \
	"$(grep -o 'iommu_groups has [0-9]* groups' /tmp/check.out | cut -d' ' -f3)"
check "intel_iommu=on on /proc/cmdline" "ok $(grep -c 'intel_iommu=on' /proc/cmdline)" \
	"$(finding iommu.cmdline) $(grep -c 'has intel_iommu=on' /tmp/check.out)"
check "QEMU's intel-iommu gives a DMAR table" "ok" "$(finding iommu.firmware)"
check "no iommu=pt on the lab's command line: advice" "warn" "$(finding iommu.passthrough)"
check "vmx/svm as /proc/cpuinfo has them" \
	"$(grep -qwE 'vmx|svm' /proc/cpuinfo && echo ok || echo warn)" "$(finding cpu.virt)"
check "vfio-pci is available (loaded or in modules.dep)" ok "$(finding driver.vfio)"

# the igb PF: igbvf drives its VFs, the link is up, its spoofchk is on
PF=$(find_pf 0x8086 0x10c9)
INET=$(ls "/sys/bus/pci/devices/$PF/net" | head -n 1)
sec check.igb sriovctl check "$INET"
cp /tmp/sec.out /tmp/check.out
check "igb: the PF's driver creates VFs" ok "$(finding driver.pf "$INET")"
check "igb: the VFs are bound to igbvf" yes \
	"$(grep -q "driver.vf  *$INET: VF $(vf "$PF" 0) is bound to igbvf" /tmp/check.out && echo yes)"
check "igb: PF link as operstate says" \
	"$([ "$(cat /sys/class/net/$INET/operstate)" = down ] && echo warn || echo ok)" \
	"$(finding pf.link "$INET")"
check "igb: the root port has ACS" ok "$(finding acs.path "$PF")"
check "igb: VFs not persisted: a udev rule as the fix" yes \
	"$(grep -qF "fix: add to /etc/udev/rules.d/70-sriov.rules: ACTION==\"add|bind\", SUBSYSTEM==\"pci\", KERNEL==\"$PF\", DRIVER==\"?*\", ATTR{sriov_numvfs}=\"$(cat /sys/class/net/$INET/device/sriov_numvfs)\"" /tmp/check.out && echo yes)"
for N in 0 1; do
	W=$(finding vf.spoofchk "$INET/vf$N")
	check "igb: vf$N spoofchk as the kernel reports it" \
		"$([ "$(field "$(vfentry "$INET" "$N")" spoofchk)" = true ] && echo none || echo warn)" \
		"${W:-none}"
done

# netdevsim: its VF attributes over netlink; trust one VF, then put it back
NET=$(ls /sys/bus/netdevsim/devices/netdevsim1/net | head -n 1)
E=$(vfentry "$NET" 1)
OLD_SPOOF=$(field "$E" spoofchk)
OLD_TRUST=$(field "$E" trust)
ip link set "$NET" vf 1 spoofchk off trust on
sec check.nsim sriovctl check "$NET"
cp /tmp/sec.out /tmp/check.out
check "netdevsim: a trusted VF is a warning with the command to undo it" "warn yes" \
	"$(finding vf.trust "$NET/vf1") $(grep -qF "fix: sriovctl vf $NET/vf1 set trust off" /tmp/check.out && echo yes)"
check "netdevsim: spoofchk off is a warning with the command to fix it" "warn yes" \
	"$(finding vf.spoofchk "$NET/vf1") $(grep -qF "fix: sriovctl vf $NET/vf1 set spoofchk on" /tmp/check.out && echo yes)"
ip link set "$NET" vf 1 spoofchk on trust off
sec check.nsim2 sriovctl check "$NET/vf1"
cp /tmp/sec.out /tmp/check.out
check "netdevsim: spoofchk on and trust off are ok" "ok ok" \
	"$(finding vf.spoofchk "$NET") $(finding vf.trust "$NET")"
ip link set "$NET" vf 1 spoofchk "$(onoff "$OLD_SPOOF")" trust "$(onoff "$OLD_TRUST")"
E=$(vfentry "$NET" 1)
check "netdevsim: VF 1 back as it was" "$OLD_SPOOF $OLD_TRUST" \
	"$(field "$E" spoofchk) $(field "$E" trust)"

sec check.json sriovctl check --json
RCJ=$?
check "--json has the schema and the same verdict" "yes $RC" \
	"$(grep -q '"schema":"sriovctl.check/v1"' /tmp/sec.out && echo yes) $RCJ"
