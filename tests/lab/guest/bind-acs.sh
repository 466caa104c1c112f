# A self-checking scenario of boot C (ACS off on the NVMe's root port: the
# root port, the PF and its VFs share one IOMMU group). After nvme.sh: the PF
# on nvme, VF0 on vfio-pci, VF1 without a driver.

NV=$(find_pf 0x1b36 0x0010)
NV0=$(vf "$NV" 0)
NV1=$(vf "$NV" 1)
RP=$(upstream "$NV")

drv() {
	_l=$(readlink "/sys/bus/pci/devices/$1/driver") && echo "${_l##*/}" || echo none
}
state() {
	for _a in "$NV" "$NV0" "$NV1"; do
		echo "$_a $(drv "$_a") $(cat "/sys/bus/pci/devices/$_a/driver_override")"
	done
}
errline() {
	grep -qF "$1" /tmp/sec.err && echo yes || echo "no: $(tr '\n' '|' </tmp/sec.err 2>/dev/null)"
}

G=$(readlink "/sys/bus/pci/devices/$NV1/iommu_group")
check "one group holds the root port, the PF and both VFs" "$RP $NV $NV0 $NV1" \
	"$(ls "/sys/bus/pci/devices/$NV1/iommu_group/devices" | tr '\n' ' ' | sed 's/ $//')"
BEFORE=$(state)
sec bindacs.refuse sriovctl vf "$NV/vf1" bind vfio-pci
check "vf1 bind vfio-pci in the shared group exits 1" 1 $?
check "the refusal names the PF and its driver" yes \
	"$(errline "$NV is bound to nvme (the VF's own PF)")"
check "the refusal says what to do (ACS)" yes "$(errline "enable ACS on the path to the PF")"
check "the root port (pcieport) and VF0 (vfio-pci) are not in the way" no \
	"$(grep -qe "$RP is bound" -e "$NV0 is bound" /tmp/sec.err && echo yes || echo no)"
check "nothing changed" "$BEFORE" "$(state)"
sec bindacs.group sriovctl vf "$NV/vf1" bind vfio-pci --group
check "--group with the VF's own PF in the group exits 1" 1 $?
check "--group refusal explains the PF" yes \
	"$(errline "holds $NV (nvme), the VF's own PF; unbinding a PF's driver disables its VFs")"
check "--group: nothing changed" "$BEFORE" "$(state)"
sec bindacs.vf0 sriovctl vf "$NV/vf0" bind vfio-pci
check "vf0, already on vfio-pci, is left alone" yes \
	"$(grep -qxF "$NV0: already bound to vfio-pci, nothing to do" /tmp/sec.out && echo yes || echo no)"
check "a driver other than vfio-pci needs no viable group: vf1 unbind exits 0" 0 \
	"$(sriovctl vf "$NV/vf1" unbind >/dev/null 2>&1; echo $?)"
sec bindacs.back sriovctl vf "$NV/vf1" bind --kernel
check "and back: nothing changed in the end" "$BEFORE" "$(state)"
