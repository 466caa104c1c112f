# A self-checking scenario: real errors provoked on the real kernel (writes
# and VF settings the kernel refuses, so nothing changes), their exact
# text fed to `sriovctl explain`, which must recognise them and name the
# device on this host. Leaves every device as it found it.

PF=$(find_pf 0x8086 0x10c9)
D=/sys/bus/pci/devices/$PF
NET=$(ls "$D/net" | head -n 1)
N=$(cat "$D/sriov_numvfs")
T=$(cat "$D/sriov_totalvfs")

# jfield KEY: the first scalar "KEY" of sriovctl's JSON on stdin
jfield() {
	grep -o "\"$1\":[^,}]*" | head -n 1 | sed "s/^\"$1\"://" | tr -d '" '
}

# ERANGE: one more than sriov_totalvfs, as an operator types it
(echo $((T + 1)) >"$D/sriov_numvfs") 2>/tmp/err
check "igb: a count above sriov_totalvfs is refused" yes \
	"$(grep -q "Numerical result out of range" /tmp/err && echo yes || cat /tmp/err)"
printf '# echo %s > %s/sriov_numvfs\n%s\n' $((T + 1)) "$D" "$(cat /tmp/err)" >/tmp/text
sec explain.range sriovctl explain - </tmp/text
check "explain: ERANGE on sriov_numvfs exits 0" 0 $?
check "explain: ERANGE is numvfs.range" numvfs.range "$(head -n 1 /tmp/sec.out | cut -d: -f1)"
check "explain: ERANGE names the PF and its limit" yes \
	"$(grep -q "$NET takes at most $T VFs (sriov_totalvfs)" /tmp/sec.out && echo yes)"

# EBUSY: a different non-zero count while VFs exist; the kernel's dmesg line
if [ "$N" -gt 0 ] && [ "$N" -lt "$T" ]; then
	(echo $((N + 1)) >"$D/sriov_numvfs") 2>/tmp/err
	check "igb: another count while VFs exist is refused" yes \
		"$(grep -q "Device or resource busy" /tmp/err && echo yes || cat /tmp/err)"
	# busybox ash says "sh: write error: ...", bash "bash: echo: write error: ..."
	sec explain.busy sriovctl explain "$(cat /tmp/err)"
	check "explain: the shell's EBUSY line alone is numvfs.busy" numvfs.busy \
		"$(head -n 1 /tmp/sec.out | cut -d: -f1)"
	LINE=$(dmesg | grep "VFs already enabled" | tail -n 1)
	check "kernel: dmesg says why" "$N VFs already enabled. Disable before enabling $((N + 1)) VFs" \
		"${LINE#*: }"
	sec explain.busy.json sriovctl explain --json "$LINE"
	check "explain: the dmesg line is numvfs.busy" numvfs.busy \
		"$(jfield id </tmp/sec.out)"
	check "explain: the dmesg line names the PF" "$PF pf $N $T" \
		"$(jfield address </tmp/sec.out) $(jfield kind </tmp/sec.out) $(jfield num_vfs </tmp/sec.out) $(jfield total_vfs </tmp/sec.out)"
fi
check "igb: the refused writes changed nothing" "$N" "$(cat "$D/sriov_numvfs")"

# EOPNOTSUPP: igb has no VF link-state operation
if [ "$N" -gt 0 ]; then
	OLD=$(ip -d link show dev "$NET" | grep -c "link-state")
	ip link set "$NET" vf 0 state disable 2>/tmp/err
	check "igb: vf state is not supported" yes \
		"$(grep -q "Operation not supported" /tmp/err && echo yes || cat /tmp/err)"
	printf '$ ip link set %s vf 0 state disable\n%s\n' "$NET" "$(cat /tmp/err)" >/tmp/text
	sec explain.state sriovctl explain - </tmp/text
	check "explain: EOPNOTSUPP on ip link vf is vf.not-supported" vf.not-supported \
		"$(head -n 1 /tmp/sec.out | cut -d: -f1)"
	check "explain: names the VF and the igb PF" "yes yes" \
		"$(grep -q "^  $NET vf 0: VF 0 of $NET ($PF)" /tmp/sec.out && echo yes) $(grep -q "igb has no VF link-state operation" /tmp/sec.out && echo yes)"
	check "igb: the refused setting changed nothing" "$OLD" \
		"$(ip -d link show dev "$NET" | grep -c "link-state")"
fi

# The IOMMU group of an igb VF as the kernel has it, named from QEMU's words
if [ "$N" -gt 0 ]; then
	V0=$(vf "$PF" 0)
	G=$(basename "$(readlink "/sys/bus/pci/devices/$V0/iommu_group")")
	sec explain.group sriovctl explain "qemu-system-x86_64: -device vfio-pci,host=$V0: vfio $V0: group $G is not viable"
	check "explain: group not viable exits 0" 0 $?
	check "explain: the group's members as sysfs lists them" \
		"IOMMU group $G holds $(for m in $(ls "/sys/kernel/iommu_groups/$G/devices"); do printf '%s (%s), ' "$m" "$(basename "$(readlink "/sys/bus/pci/devices/$m/driver")")"; done | sed 's/, $//')" \
		"$(sed -n 's/^  - \(IOMMU group .*\)/\1/p' /tmp/sec.out)"
fi

sriovctl explain "all good here" >/dev/null 2>&1
check "explain: an unknown text exits 1" 1 $?
