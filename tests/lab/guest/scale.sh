# A self-checking scenario in its own boot (D; lab.py's OWN_BOOT): netdevsim
# PFs with more VFs than rtnetlink can list. The kernel puts a PF's VFs in
# one IFLA_VFINFO_LIST whose 16-bit length wraps when the VFs' entries pass
# 64 KiB; ip counts what it got and prints "Truncated VF list". sriovctl
# must report exactly the VFs ip decoded, warn, and fill the others from
# sysfs — with and without counters (-s: bigger entries, earlier cut).
# Then one 128-VF PF: `sriovctl show` makes one RTM_GETLINK request, for
# the PF's netdev alone as ip asks, not a dump of every link (strace).
# Uses netdevsim ids 8 and 9 and removes both.

modprobe netdevsim
DBG=/sys/kernel/debug/netdevsim

# nsim_pf ID MAXVFS NUMVFS: a netdevsim PF with NUMVFS VFs; prints its netdev.
nsim_pf() {
	echo "$1 1" >/sys/bus/netdevsim/new_device || return 1
	wait_until 10 sh -c "ls /sys/bus/netdevsim/devices/netdevsim$1/net/* >/dev/null 2>&1" || return 1
	echo "$2" >"$DBG/netdevsim$1/max_vfs" || return 1
	echo "$3" >"/sys/bus/netdevsim/devices/netdevsim$1/sriov_numvfs" || return 1
	ls "/sys/bus/netdevsim/devices/netdevsim$1/net" | head -n 1
}

# count_vfs: the VF entries in JSON on stdin (each has "vf":N).
count_vfs() {
	grep -o '"vf":[0-9]*' | wc -l
}

# rtnl_vfs: VFs whose link came from rtnetlink in sriovctl's JSON on stdin.
rtnl_vfs() {
	grep -o '"source":"rtnetlink"' | wc -l
}

# vf_links: the PF's "vf_links" value in sriovctl's JSON on stdin.
vf_links() {
	sed -n 's/.*"vf_links":"\([a-z-]*\)".*/\1/p'
}

# ipref NET: what `ip -d link show` decodes (it always asks for the VF
# counters, like sriovctl -s): "VFS TRUNCATED(0/1)" in /tmp/ip.out.
ipref() {
	ip -j -d link show dev "$1" >/tmp/ip.json 2>/tmp/ip.err
	check "$2 VFs: ip -d link show exits 0" 0 $?
	sec "scale.$2.ip.stderr" cat /tmp/ip.err
	echo "$(count_vfs </tmp/ip.json) $(grep -c "Truncated VF list" /tmp/ip.err)" >/tmp/ip.out
}

# ours NET NUMVFS MODE(-s or "") WANT: sriovctl's listing, which must have
# WANT VFs from rtnetlink; when WANT < NUMVFS, say truncated and where.
ours() {
	_net=$1 _n=$2 _s=$3 _want=$4 _m=${3:-plain}
	sriovctl $_s --json show "$_net" >/tmp/s.json 2>/tmp/s.err
	check "$_n VFs $_m: sriovctl show --json exits 0" 0 $?
	check "$_n VFs $_m: VFs from rtnetlink" "$_want" "$(rtnl_vfs </tmp/s.json)"
	check "$_n VFs $_m: sriovctl lists every VF" "$_n" \
		"$(grep -o '"index":[0-9]*' /tmp/s.json | wc -l)"
	if [ "$_want" -lt "$_n" ]; then
		check "$_n VFs $_m: vf_links truncated" truncated "$(vf_links </tmp/s.json)"
		check "$_n VFs $_m: the PF warning names the cut" yes \
			"$(grep -q "truncated the VF list of $_net at $_want of $_n VFs; VF link attributes beyond vf$((_want - 1)) come from sysfs" /tmp/s.json && echo yes)"
		check "$_n VFs $_m: the VFs beyond the cut are marked sysfs" \
			"$((_n - _want))" "$(grep -o '"source":"sysfs"' /tmp/s.json | wc -l)"
		sriovctl $_s show "$_net" >/tmp/s.txt 2>&1
		check "$_n VFs $_m: sriovctl show (text) exits 0" 0 $?
		check "$_n VFs $_m: the text names the cut" yes \
			"$(grep -q "warning .*truncated the VF list of $_net at $_want of $_n VFs" /tmp/s.txt && echo yes)"
	else
		check "$_n VFs $_m: vf_links ok" ok "$(vf_links </tmp/s.json)"
	fi
}

NET9=$(nsim_pf 9 512 250)
check "netdevsim9: 250 VFs with max_vfs raised" 250 \
	"$(cat /sys/bus/netdevsim/devices/netdevsim9/sriov_numvfs)"
ip link set "$NET9" vf 0 mac 02:00:00:00:f9:00
ip link set "$NET9" vf 249 mac 02:00:00:00:f9:f9
ipref "$NET9" 250
IP250=$(cat /tmp/ip.out)
sec scale.250.ip echo "$IP250"
check "250 VFs: ip -d link show says the list is truncated" 1 "${IP250#* }"
# With counters, sriovctl decodes exactly what ip decodes.
ours "$NET9" 250 -s "${IP250% *}"
check "250 VFs -s: vf0's MAC before the cut" yes \
	"$(grep -q '"index":0,[^}]*"link":{"source":"rtnetlink","mac":"02:00:00:00:f9:00"' /tmp/s.json && echo yes)"
# Without counters (RTEXT_FILTER_SKIP_STATS) the 250 entries fit.
ours "$NET9" 250 "" 250
check "250 VFs plain: vf249's MAC, the last entry" yes \
	"$(grep -q '"index":249,[^}]*"link":{"source":"rtnetlink","mac":"02:00:00:00:f9:f9"' /tmp/s.json && echo yes)"
echo 0 >/sys/bus/netdevsim/devices/netdevsim9/sriov_numvfs
echo 400 >/sys/bus/netdevsim/devices/netdevsim9/sriov_numvfs
ipref "$NET9" 400
IP400=$(cat /tmp/ip.out)
sec scale.400.ip echo "$IP400"
check "400 VFs: ip -d link show says the list is truncated" 1 "${IP400#* }"
ours "$NET9" 400 -s "${IP400% *}"
# Without counters: cut too, at sriovctl's own count (ip cannot skip them).
N400=$(sriovctl --json show "$NET9" | grep -o '"source":"rtnetlink"' | wc -l)
sec scale.400.plain echo "$N400"
ours "$NET9" 400 "" "$N400"
check "400 VFs plain: cut short, not empty" yes \
	"$([ "$N400" -gt 0 ] && [ "$N400" -lt 400 ] && echo yes)"
echo 0 >/sys/bus/netdevsim/devices/netdevsim9/sriov_numvfs
echo 9 >/sys/bus/netdevsim/del_device
check "netdevsim9 removed" no \
	"$([ -e /sys/bus/netdevsim/devices/netdevsim9 ] && echo yes || echo no)"

# A real reply for the decoder's unit test (tests/data/rtnl): what
# `ip -d link show` receives for netdevsim8 with 4 VFs, hex-dumped by strace.
NET8=$(nsim_pf 8 128 4)
ip link set "$NET8" vf 0 mac 02:00:00:00:08:00 vlan 10 qos 2
ip link set "$NET8" vf 1 spoofchk off trust on
ip link set "$NET8" vf 2 min_tx_rate 10 max_tx_rate 100
ip link set "$NET8" vf 3 vlan 30 qos 1 proto 802.1ad state disable
strace -e trace=recvmsg -e read=all -xx -s 0 -o /tmp/rx \
	/usr/local/bin/ip -d link show dev "$NET8" >/dev/null
check "4 VFs: the reply was recorded" 0 $?
sec scale.record cat /tmp/rx
echo 0 >/sys/bus/netdevsim/devices/netdevsim8/sriov_numvfs
echo 128 >/sys/bus/netdevsim/devices/netdevsim8/sriov_numvfs

# 128 VFs: one request, whatever the VF count; the PF's own link only.
# LeakSanitizer refuses to run under ptrace (the ASan build's lab run).
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -s 256 -e trace=sendto,sendmsg -o /tmp/st sriovctl show "$NET8" \
	>/tmp/s.txt 2>/tmp/s.err
check "128 VFs: sriovctl show exits 0 under strace" 0 $?
sec scale.128.strace cat /tmp/st
sec scale.128.stderr cat /tmp/s.err
# strace names RTM_GETLINK (0x12) only when it can tell the socket's family
check "128 VFs: one RTM_GETLINK request" 1 \
	"$(grep -cE 'nlmsg_type=(RTM_GETLINK|0x12)[,/ ]' /tmp/st)"
check "128 VFs: not a dump (no NLM_F_DUMP = 0x300)" 0 \
	"$(grep -E 'nlmsg_type=(RTM_GETLINK|0x12)[,/ ]' /tmp/st | grep -cE 'NLM_F_DUMP|0x300')"
# the name as strace prints it: decoded ("eth0"), or raw bytes when it
# cannot tell the socket's family (\x65\x74\x68\x30\x00)
HEX8="$(printf '%s' "$NET8" | od -An -tx1 | tr -d ' \n' | sed 's/\(..\)/\\x\1/g')\\x00"
check "128 VFs: it names the PF's netdev" 1 \
	"$(grep -E 'nlmsg_type=(RTM_GETLINK|0x12)[,/ ]' /tmp/st | grep -cF -e "\"$NET8\"" -e "$HEX8")"
check "128 VFs: no other send on any socket" 1 "$(grep -cE 'send(to|msg)\(' /tmp/st)"
check "128 VFs: the table has 128 VF rows" 128 \
	"$(grep -c '^[0-9][0-9]* ' /tmp/s.txt)"
echo 0 >/sys/bus/netdevsim/devices/netdevsim8/sriov_numvfs
echo 8 >/sys/bus/netdevsim/del_device
check "netdevsim8 removed" no \
	"$([ -e /sys/bus/netdevsim/devices/netdevsim8 ] && echo yes || echo no)"
