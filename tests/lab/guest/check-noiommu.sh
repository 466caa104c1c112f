# A self-checking scenario of boot B (intel_iommu=off): `sriovctl check`
# finds the IOMMU off and says how to turn it on.

finding() {
	awk -v id="$1" '$2 == id { print $1; exit }' /tmp/check.out
}

sec checknoio.host sriovctl check
RC=$?
cp /tmp/sec.out /tmp/check.out
check "IOMMU off: check exits 1" 1 "$RC"
check "no /sys/class/iommu units, as the kernel shows" "0 fail" \
	"$(ls /sys/class/iommu 2>/dev/null | wc -l) $(finding iommu.active)"
check "intel_iommu=off on /proc/cmdline is named" "fail yes" \
	"$(finding iommu.cmdline) $(grep -qF 'iommu.cmdline     /proc/cmdline has intel_iommu=off (remove it)' /tmp/check.out && echo yes)"
check "the fix is the GRUB line with intel_iommu=on iommu=pt" yes \
	"$(grep -qF 'GRUB_CMDLINE_LINUX="... intel_iommu=on iommu=pt"' /tmp/check.out && echo yes)"
check "the firmware still has its DMAR table" ok "$(finding iommu.firmware)"
check "passthrough advice is skipped without an IOMMU" skip "$(finding iommu.passthrough)"
