# Helpers for the lab's guest scripts (busybox ash), sourced by /init.
#
# The guest decides nothing: it prints raw facts on the serial console
# between markers, and tests/lab/lab.py on the host parses and judges them:
#
#   @@BEGIN <name> :: <command>
#   <the command's standard output>
#   @@END <name> rc=<exit status>
#
# A command's standard error, when it printed any, follows in its own
# section <name>.stderr.

# sec NAME CMD [ARGS...]: run CMD (a program or a shell function) and print
# its output as section NAME. Returns CMD's status.
sec() {
	_sec_name=$1
	shift
	"$@" >/tmp/sec.out 2>/tmp/sec.err
	_sec_rc=$?
	echo "@@BEGIN $_sec_name :: $*"
	cat /tmp/sec.out
	echo
	echo "@@END $_sec_name rc=$_sec_rc"
	if [ -s /tmp/sec.err ]; then
		echo "@@BEGIN $_sec_name.stderr"
		cat /tmp/sec.err
		echo
		echo "@@END $_sec_name.stderr rc=0"
	fi
	return $_sec_rc
}

# Debian's busybox ash is a "standalone shell": it runs its own applets
# before it searches PATH, and busybox's ip has no "vf" support. Call the
# real iproute2 ip (copied to /usr/local/bin) by its path.
ip() {
	/usr/local/bin/ip "$@"
}

# check DESCRIPTION EXPECTED ACTUAL: a check judged in the guest, for
# self-checking scenarios (any guest/*.sh that lab.py does not judge
# itself): lab.py turns each into a TAP line and shows both values when
# they differ.
check() {
	_c_want=$(printf %s "$2" | tr '\n' ' ')
	_c_got=$(printf %s "$3" | tr '\n' ' ')
	if [ "$_c_want" = "$_c_got" ]; then _c=ok; else _c=fail; fi
	echo "@@CHECK $_c :: $LAB_SCRIPT: $1 :: $_c_want :: $_c_got"
}

# write VALUE FILE: what `echo VALUE > FILE` does, as a command for sec.
write() {
	echo "$1" >"$2"
}

# wait_until SECONDS CMD [ARGS...]: poll CMD every 0.1 s, at most SECONDS.
wait_until() {
	_wu_left=$(($1 * 10))
	shift
	while [ "$_wu_left" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		_wu_left=$((_wu_left - 1))
	done
	"$@"
}

# timed NAME SECONDS CMD...: wait_until as a section that says how long the
# wait took (in 0.1 s ticks of the guest's clock).
timed() {
	_t_name=$1
	_t_start=$(cut -d' ' -f1 /proc/uptime)
	shift
	wait_until "$@"
	_t_rc=$?
	echo "@@BEGIN $_t_name :: wait_until $*"
	echo "start=$_t_start"
	echo "end=$(cut -d' ' -f1 /proc/uptime)"
	echo
	echo "@@END $_t_name rc=$_t_rc"
	return $_t_rc
}

# find_pf VENDOR DEVICE: the first PCI function with these ids that is not a
# VF (an NVMe VF has the PF's device id 0x0010 too).
find_pf() {
	for _d in /sys/bus/pci/devices/*; do
		[ "$(cat "$_d/vendor")" = "$1" ] || continue
		[ "$(cat "$_d/device")" = "$2" ] || continue
		[ -L "$_d/physfn" ] && continue
		echo "${_d##*/}"
		return 0
	done
	return 1
}

# upstream ADDR: the PCI bridge directly above ADDR (its parent in sysfs).
upstream() {
	_p=$(readlink -f "/sys/bus/pci/devices/$1")
	_p=${_p%/*}
	echo "${_p##*/}"
}

# vf ADDR N: the address of virtfnN of PF ADDR.
vf() {
	_l=$(readlink "/sys/bus/pci/devices/$1/virtfn$2") || return 1
	echo "${_l##*/}"
}

# pcifacts ADDR: what sysfs says about one PCI function, as key=value lines.
pcifacts() {
	_d=/sys/bus/pci/devices/$1
	[ -d "$_d" ] || return 1
	echo "address=$1"
	echo "realpath=$(readlink -f "$_d")"
	for _a in vendor device subsystem_vendor subsystem_device class revision \
		numa_node local_cpulist driver_override sriov_totalvfs sriov_numvfs \
		sriov_offset sriov_stride sriov_vf_device sriov_drivers_autoprobe; do
		[ -f "$_d/$_a" ] && echo "$_a=$(cat "$_d/$_a" 2>&1)"
	done
	for _l in driver iommu_group physfn; do
		[ -L "$_d/$_l" ] && echo "$_l=$(basename "$(readlink "$_d/$_l")")"
	done
	for _l in "$_d"/virtfn*; do
		[ -L "$_l" ] && echo "${_l##*/}=$(basename "$(readlink "$_l")")"
	done
	if [ -d "$_d/iommu_group/devices" ]; then
		echo "iommu_group_devices=$(ls "$_d/iommu_group/devices" | tr '\n' ' ')"
	fi
	for _n in "$_d"/net/*; do
		[ -d "$_n" ] || continue
		_i=${_n##*/}
		echo "net=$_i"
		for _a in address mtu ifindex operstate carrier speed; do
			echo "net.$_i.$_a=$(cat "$_n/$_a" 2>/dev/null)"
		done
	done
	return 0
}

# cfgdump ADDR: the function's config space as the kernel serves it, hex.
cfgdump() {
	hexdump -v -e '16/1 "%02x " "\n"' "/sys/bus/pci/devices/$1/config"
}

# groups: every IOMMU group and its devices, one group a line.
groups() {
	for _g in /sys/kernel/iommu_groups/*; do
		[ -d "$_g" ] || continue
		echo "${_g##*/}: $(ls "$_g/devices" | tr '\n' ' ')"
	done
	return 0
}

# has_netdev ADDR: the function has an interface under net/.
has_netdev() {
	for _n in "/sys/bus/pci/devices/$1"/net/*; do
		[ -d "$_n" ] && return 0
	done
	return 1
}

# carrier_up NETDEV
carrier_up() {
	[ "$(cat "/sys/class/net/$1/carrier" 2>/dev/null)" = 1 ]
}

# vfentry NETDEV N: the JSON of VF N in the PF's vfinfo_list.
vfentry() {
	ip -j -d link show dev "$1" | awk -v n="$2" '{
		k = split($0, a, "\"vf\":")
		for (i = 2; i <= k; i++)
			if (index(a[i], n ",") == 1)
				print a[i]
	}'
}

# field JSON KEY: the scalar value of "KEY" (quotes removed).
field() {
	printf %s "$1" | sed -n "s/.*\"$2\":\([^,}]*\).*/\1/p" | tr -d '"'
}
