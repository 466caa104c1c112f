# A self-checking scenario: `sriovctl vf VFS bind/unbind` on the real
# kernel, judged by the VFs' driver links, driver_override and /dev/vfio.
# Runs after nvme.sh (NVMe: 2 VFs, autoprobe 0, VF0 on vfio-pci with its
# override, VF1 without a driver) and igb.sh (2 VFs on igbvf), and leaves
# every device, override and module as it found them.

IGB=$(find_pf 0x8086 0x10c9)
NV=$(find_pf 0x1b36 0x0010)
NET=$(ls "/sys/bus/pci/devices/$IGB/net" | head -n 1)
IV0=$(vf "$IGB" 0)
IV1=$(vf "$IGB" 1)
NV0=$(vf "$NV" 0)
NV1=$(vf "$NV" 1)

drv() {
	_l=$(readlink "/sys/bus/pci/devices/$1/driver") && echo "${_l##*/}" || echo none
}
ovr() {
	cat "/sys/bus/pci/devices/$1/driver_override"
}
grp() {
	_l=$(readlink "/sys/bus/pci/devices/$1/iommu_group")
	echo "${_l##*/}"
}
netdev_of() {
	ls "/sys/bus/pci/devices/$1/net" 2>/dev/null | head -n 1
}
state() {
	for _a in "$IV0" "$IV1" "$NV0" "$NV1"; do
		echo "$_a $(drv "$_a") $(ovr "$_a") $(netdev_of "$_a")"
	done
	echo "autoprobe $(cat "/sys/bus/pci/devices/$NV/sriov_drivers_autoprobe")"
}
# line TEXT: whether sriovctl's last output (sec) has exactly this line
line() {
	grep -qxF "$1" /tmp/sec.out && echo yes || echo "no: $(tr '\n' '|' </tmp/sec.out)"
}
errline() {
	grep -qF "$1" /tmp/sec.err && echo yes || echo "no: $(tr '\n' '|' </tmp/sec.err 2>/dev/null)"
}
vfio_loaded() {
	[ -d /sys/bus/pci/drivers/vfio-pci ] && echo yes || echo no
}

BEFORE=$(state)
sec bind.before echo "$BEFORE"
check "starting point: igb VFs on igbvf, NVMe VF0 on vfio-pci, VF1 unbound" \
	"igbvf igbvf vfio-pci none vfio-pci (null)" \
	"$(drv "$IV0") $(drv "$IV1") $(drv "$NV0") $(drv "$NV1") $(ovr "$NV0") $(ovr "$NV1")"
VNET0=$(netdev_of "$IV0")

# vfio-pci missing: sriovctl loads it through libkmod.
sec bind.rmmod modprobe -r vfio_pci
check "modprobe -r vfio_pci: no vfio-pci driver left" no "$(vfio_loaded)"
check "removing vfio-pci left NVMe VF0 without a driver, override kept" \
	"none vfio-pci" "$(drv "$NV0") $(ovr "$NV0")"
sec bind.igb0 sriovctl vf "$NET/vf0" bind vfio-pci
check "igb vf0 bind vfio-pci exits 0" 0 $?
check "vfio-pci loaded by sriovctl" yes "$(vfio_loaded)"
check "the module load is reported" yes "$(line "module vfio-pci: loaded")"
check "igb vf0: driver link vfio-pci, driver_override vfio-pci" \
	"vfio-pci vfio-pci" "$(drv "$IV0") $(ovr "$IV0")"
check "igb vf0: /dev/vfio/<group> appeared" yes \
	"$([ -c "/dev/vfio/$(grp "$IV0")" ] && echo yes || echo no)"
check "igb vf0: its igbvf netdev is gone" "" "$(netdev_of "$IV0")"
check "igb vf0: driver logged old -> new" yes "$(line "$IV0 driver: igbvf -> vfio-pci")"
check "igb vf0: driver_override logged old -> new" yes \
	"$(line "$IV0 driver_override: (null) -> vfio-pci")"
check "igb vf1 untouched" "igbvf (null)" "$(drv "$IV1") $(ovr "$IV1")"
# The kernel binds a device whose driver_override names a driver that
# registers: NVMe VF0 went back to vfio-pci with the module.
check "loading vfio-pci bound NVMe VF0 again (its driver_override)" vfio-pci "$(drv "$NV0")"

sec bind.igb0.again sriovctl vf "$NET/vf0" bind vfio-pci
check "repeat bind exits 0" 0 $?
check "repeat bind writes nothing" yes "$(line "$IV0: already bound to vfio-pci, nothing to do")"
check "repeat bind: no old -> new line" 0 "$(grep -c ' -> ' /tmp/sec.out)"

sec bind.igb0.dry sriovctl vf "$NET/vf0" bind --kernel --dry-run
check "dry run exits 0" 0 $?
check "dry run says what it would do" yes "$(line "$IV0 driver: vfio-pci -> (the kernel's default)")"
check "dry run changed nothing" "vfio-pci vfio-pci" "$(drv "$IV0") $(ovr "$IV0")"

sec bind.igb0.kernel sriovctl vf "$NET/vf0" bind --kernel
check "bind --kernel exits 0" 0 $?
check "igb vf0 back on igbvf, driver_override (null)" "igbvf (null)" \
	"$(drv "$IV0") $(ovr "$IV0")"
check "igb vf0: bind --kernel logged" yes "$(line "$IV0 driver: vfio-pci -> igbvf")"
check "igb vf0: override cleared, logged" yes \
	"$(line "$IV0 driver_override: vfio-pci -> (null)")"
wait_until 5 has_netdev "$IV0"
check "igb vf0: its netdev is back" "$VNET0" "$(netdev_of "$IV0")"
sec bind.igb0.kernel.again sriovctl vf "$NET/vf0" bind --kernel
check "repeat bind --kernel writes nothing" yes \
	"$(line "$IV0: no driver_override, bound to igbvf by the kernel, nothing to do")"

# A range, then the whole PF.
sec bind.igb.range sriovctl vf "$NET/vf0-1" bind vfio-pci
check "range vf0-1 bind vfio-pci exits 0" 0 $?
check "range: both VFs on vfio-pci" "vfio-pci vfio-pci" "$(drv "$IV0") $(drv "$IV1")"
check "range: two driver lines" 2 "$(grep -c ' driver: igbvf -> vfio-pci$' /tmp/sec.out)"
check "range: /dev/vfio for both groups" yes \
	"$([ -c "/dev/vfio/$(grp "$IV0")" ] && [ -c "/dev/vfio/$(grp "$IV1")" ] && echo yes || echo no)"
sec bind.igb.pf.kernel sriovctl vf "$NET" bind --kernel
check "whole PF bind --kernel exits 0" 0 $?
check "whole PF: both VFs back on igbvf, overrides cleared" "igbvf igbvf (null) (null)" \
	"$(drv "$IV0") $(drv "$IV1") $(ovr "$IV0") $(ovr "$IV1")"

# unbind: no driver, and driver_override "none" keeps it so.
sec bind.igb.unbind sriovctl vf "$NET/vf1,0" unbind
check "list vf1,0 unbind exits 0" 0 $?
check "unbind: no driver, driver_override none" "none none none none" \
	"$(drv "$IV0") $(drv "$IV1") $(ovr "$IV0") $(ovr "$IV1")"
check "unbind logged" yes "$(line "$IV1 driver: igbvf -> none")"
sec bind.igb.reprobe write "$IV0" /sys/bus/pci/drivers_probe
check "a reprobe does not bind an unbound VF again" none "$(drv "$IV0")"
sec bind.igb.unbind.again sriovctl vf "$IGB" unbind
check "repeat unbind (whole PF) writes nothing" yes \
	"$(line "$IV0: already unbound (driver_override none), nothing to do")"
sec bind.igb.back sriovctl vf "$NET/vf0,1" bind --kernel
check "list vf0,1 bind --kernel exits 0" 0 $?
check "igb VFs back on igbvf" "igbvf igbvf (null) (null)" \
	"$(drv "$IV0") $(drv "$IV1") $(ovr "$IV0") $(ovr "$IV1")"
wait_until 5 has_netdev "$IV1"

# A driver that does not exist: nothing changes.
sec bind.nosuch sriovctl vf "$NET/vf0" bind nosuchdrv
check "unknown driver exits 1" 1 $?
check "unknown driver: says no module of that name" yes "$(errline "has no module of that name")"
check "unknown driver: igb vf0 unchanged" "igbvf (null)" "$(drv "$IV0") $(ovr "$IV0")"

# A typo'd driver: the dry run refuses it as the real run does (the
# kernel's module lists), with the close match; nothing changes.
sec bind.typo.dry sriovctl vf "$NET/vf0" bind vifo-pci --dry-run
check "typo'd driver, dry run: exits 1" 1 $?
check "typo'd driver, dry run: did you mean vfio-pci?" yes "$(errline "did you mean vfio-pci?")"
check "typo'd driver, dry run: nothing would be loaded" 0 "$(grep -c 'would be loaded' /tmp/sec.out)"
sec bind.typo sriovctl vf "$NET/vf0" bind vifo-pci
check "typo'd driver: exits 1" 1 $?
check "typo'd driver: did you mean vfio-pci?" yes "$(errline "did you mean vfio-pci?")"
sec bind.vfio.dry sriovctl vf "$NET/vf0" bind vfio --dry-run
check "vfio (no PCI driver), dry run: exits 1" 1 $?
check "vfio, dry run: did you mean vfio-pci?" yes "$(errline "did you mean vfio-pci?")"
# nvme is loaded, but its id table does not claim an igb VF
sec bind.wrong.dry sriovctl vf "$NET/vf0" bind nvme --dry-run
check "nvme for an igb VF, dry run: exits 1" 1 $?
check "nvme for an igb VF: does not drive this VF" yes "$(errline "nvme does not drive this VF")"
sec bind.wrong sriovctl vf "$NET/vf0" bind nvme
check "nvme for an igb VF: exits 1" 1 $?
check "typo'd and wrong drivers: igb VFs unchanged" "igbvf igbvf (null) (null)" \
	"$(drv "$IV0") $(drv "$IV1") $(ovr "$IV0") $(ovr "$IV1")"

# In use: a VF whose netdev is up is refused by bind as set-vfs refuses
# it; --force overrides.
VNET1=$(netdev_of "$IV1")
ip link set "$VNET1" up
sec bind.inuse sriovctl vf "$NET" bind vfio-pci
check "whole PF bind, vf1's netdev up: exits 1" 1 $?
check "whole PF bind: names the VF in use" yes "$(errline "(vf1): netdev $VNET1 is up")"
check "whole PF bind: nothing changed" "igbvf igbvf (null) (null)" \
	"$(drv "$IV0") $(drv "$IV1") $(ovr "$IV0") $(ovr "$IV1")"
sec bind.inuse.dry sriovctl vf "$NET/vf1" unbind --dry-run
check "unbind --dry-run of the VF in use: exits 1" 1 $?
sec bind.inuse.setvfs sriovctl pf "$NET" set-vfs 0 --dry-run
check "set-vfs calls the same VF in use" yes "$(errline "in use")"
sec bind.inuse.force sriovctl vf "$NET/vf1" bind vfio-pci --force
check "bind --force of the VF in use: exits 0" 0 $?
check "bind --force: vf1 on vfio-pci" vfio-pci "$(drv "$IV1")"
sec bind.inuse.back sriovctl vf "$NET/vf1" bind --kernel
check "vf1 back on igbvf" "igbvf (null)" "$(drv "$IV1") $(ovr "$IV1")"
wait_until 5 has_netdev "$IV1"

# NVMe VFs: VF1 to vfio-pci, then both back to the kernel's default.
sec bind.nv1 sriovctl vf "$NV/vf1" bind vfio-pci
check "NVMe vf1 bind vfio-pci exits 0" 0 $?
check "NVMe vf1 on vfio-pci, /dev/vfio/<group>" "vfio-pci vfio-pci yes" \
	"$(drv "$NV1") $(ovr "$NV1") $([ -c "/dev/vfio/$(grp "$NV1")" ] && echo yes || echo no)"
sec bind.nv.kernel sriovctl vf "$NV" bind --kernel
check "NVMe bind --kernel exits 0" 0 $?
check "NVMe VFs: no driver, overrides cleared (autoprobe 0)" "none none (null) (null)" \
	"$(drv "$NV0") $(drv "$NV1") $(ovr "$NV0") $(ovr "$NV1")"
check "NVMe bind --kernel logged" yes "$(line "$NV0 driver: vfio-pci -> none")"
check "NVMe: the autoprobe 0 is explained" yes "$(errline "sriov_drivers_autoprobe 0")"
# With autoprobe on, nvme probes the emulated VF and fails.
sec bind.nv.autoprobe1 write 1 "/sys/bus/pci/devices/$NV/sriov_drivers_autoprobe"
sec bind.nv0.kernel sriovctl vf "$NV/vf0" bind --kernel
check "NVMe vf0 bind --kernel with autoprobe 1 exits 0" 0 $?
check "NVMe vf0: nvme did not keep it, no driver" none "$(drv "$NV0")"
check "NVMe vf0: logged as ending without a driver" yes "$(line "$NV0 driver: none -> none")"
check "NVMe vf0: nvme letting it go is explained" yes \
	"$(errline "nvme took it and let it go again (its probe failed; see dmesg)")"
sec bind.nv0.nvme sriovctl vf "$NV/vf0" bind nvme
check "NVMe vf0 bind nvme (taken, then let go) exits 1" 1 $?
check "NVMe vf0 bind nvme: explained" yes "$(errline "$NV0: nvme took the device and let it go again")"
check "NVMe vf0 bind nvme: override back to (null)" "none (null)" "$(drv "$NV0") $(ovr "$NV0")"
sec bind.nv.autoprobe0 write 0 "/sys/bus/pci/devices/$NV/sriov_drivers_autoprobe"

# A driver that rejects the device (pcieport takes only ports): the VF is
# put back as it was.
sec bind.nv0.vfio sriovctl vf "$NV/vf0" bind vfio-pci
check "NVMe vf0 back on vfio-pci" "vfio-pci vfio-pci" "$(drv "$NV0") $(ovr "$NV0")"
sec bind.nv0.pcieport sriovctl vf "$NV/vf0" bind pcieport
check "binding NVMe vf0 to pcieport (probe fails) exits 1" 1 $?
check "the refusal names the driver and dmesg" yes \
	"$(errline "$NV0: pcieport did not take the device")"
check "rolled back: NVMe vf0 on vfio-pci with its override" "vfio-pci vfio-pci" \
	"$(drv "$NV0") $(ovr "$NV0")"
check "the rollback is reported" yes "$(errline "1 device put back as before")"
sec bind.igb.pcieport sriovctl vf "$NET" bind pcieport
check "a whole PF to pcieport exits 1" 1 $?
check "all or nothing: igb VFs still on igbvf, overrides unset" "igbvf igbvf (null) (null)" \
	"$(drv "$IV0") $(drv "$IV1") $(ovr "$IV0") $(ovr "$IV1")"
wait_until 5 has_netdev "$IV0"

AFTER=$(state)
sec bind.after echo "$AFTER"
check "every device, override and netdev as found" "$BEFORE" "$AFTER"
check "vfio-pci loaded as found" yes "$(vfio_loaded)"
