# A self-checking scenario: sriovctl's answers to bad names and bad usage on
# the real kernel (the NVMe PF and the loopback interface). Each `check`
# becomes one TAP line; nothing in lab.py knows this file.

PF=$(find_pf 0x1b36 0x0010)
sriovctl show no-such-dev >/dev/null 2>/tmp/err
check "unknown name exits 1" 1 $?
check "unknown name is named in the message" yes \
	"$(grep -q "no-such-dev" /tmp/err && echo yes)"
sriovctl show lo >/dev/null 2>/tmp/err
check "lo is explained as an interface without a PCI device" yes \
	"$(grep -q "lo is a network interface without a PCI device" /tmp/err && echo yes)"
sriovctl show "$PF/vf99" >/dev/null 2>/tmp/err
check "a VF index beyond the PF's VFs exits 1" 1 $?
sriovctl frobnicate >/dev/null 2>&1
check "an unknown command exits 2" 2 $?
sriovctl show >/dev/null 2>&1
check "show without a device exits 2" 2 $?
check "list on the real kernel prints no warning for the NVMe PF" "[]" \
	"$(sriovctl --json show "$PF" | sed -n 's/.*"warnings":\(\[[^]]*\]\),"vfs".*/\1/p')"
