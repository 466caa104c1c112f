# A self-checking scenario of boot B (intel_iommu=off). After nvme.sh, VF0
# has driver_override vfio-pci: the kernel's vfio-pci refused it.

NV=$(find_pf 0x1b36 0x0010)
NV0=$(vf "$NV" 0)
NV1=$(vf "$NV" 1)

drv() {
	_l=$(readlink "/sys/bus/pci/devices/$1/driver") && echo "${_l##*/}" || echo none
}
state() {
	for _a in "$NV0" "$NV1"; do
		echo "$_a $(drv "$_a") $(cat "/sys/bus/pci/devices/$_a/driver_override")"
	done
}

check "without an IOMMU the kernel's vfio-pci does not take a VF (nvme.sh's bind)" \
	"none vfio-pci" "$(drv "$NV0") $(cat "/sys/bus/pci/devices/$NV0/driver_override")"
check "vfio-pci refused it with EINVAL" yes \
	"$(dmesg | grep -q "vfio-pci: probe of $NV0 failed with error -22" && echo yes || echo no)"
BEFORE=$(state)
sec bindnoio.refuse sriovctl vf "$NV/vf1" bind vfio-pci
check "bind vfio-pci without an IOMMU exits 1" 1 $?
check "the refusal says why and what to do" yes \
	"$(grep -qF "vfio-pci needs an IOMMU and this host has none enabled" /tmp/sec.err &&
	   grep -qF "intel_iommu=on" /tmp/sec.err && echo yes || echo no)"
check "nothing changed" "$BEFORE" "$(state)"
