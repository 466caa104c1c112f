# A self-checking scenario: per-VF counters (IFLA_VF_STATS) on the real
# kernel, sriovctl --stats against `ip -s -j -d link show`, for netdevsim1
# (4 VFs) and the igb PF (2 VFs) as the built-in scenarios left them. Reads
# only: every device stays as it was.

# vfstats: the numbers of each VF "stats" object in JSON on stdin, one VF a
# line (rx bytes packets multicast broadcast dropped, tx bytes packets
# dropped: ip's order and sriovctl's).
vfstats() {
	grep -o '"stats":{"rx":{[^}]*},"tx":{[^}]*}}' |
		sed 's/[^0-9][^0-9]*/ /g; s/^ //; s/ $//'
}

# stats_vs_ip NAME NETDEV VFS
stats_vs_ip() {
	sec "stats.$1.ip" ip -s -j -d link show dev "$2"
	_ip=$(vfstats </tmp/sec.out)
	sec "stats.$1.sriovctl" sriovctl --json --stats show "$2"
	check "$1: show --json --stats exits 0" 0 $?
	_ours=$(vfstats </tmp/sec.out)
	check "$1: a stats object per VF" "$3" "$(printf '%s\n' "$_ours" | grep -c .)"
	check "$1: counters equal ip -s's" "$_ip" "$_ours"
	sriovctl --json show "$2" >/tmp/nostats.json
	check "$1: without --stats every VF's stats is null" "$3" \
		"$(grep -o '"stats":null' /tmp/nostats.json | wc -l)"
	sec "stats.$1.text" sriovctl -s show "$2"
	check "$1: show -s prints the counter table" yes \
		"$(grep -q '^VF  *RX-BYTES  *RX-PACKETS  *MCAST  *BCAST  *RX-DROPPED  *TX-BYTES  *TX-PACKETS  *TX-DROPPED' /tmp/sec.out && echo yes)"
	check "$1: one counter row per VF" "$3" \
		"$(sed -n '/RX-BYTES/,$p' /tmp/sec.out | grep -c '^[0-9]')"
}

NSIM=/sys/bus/netdevsim/devices/netdevsim1
stats_vs_ip netdevsim "$(ls "$NSIM/net" | head -n 1)" \
	"$(cat "$NSIM/sriov_numvfs")"

IGB=$(find_pf 0x8086 0x10c9)
if [ -n "$IGB" ]; then
	IGBNET=$(ls "/sys/bus/pci/devices/$IGB/net" | head -n 1)
	stats_vs_ip igb "$IGBNET" "$(cat "/sys/bus/pci/devices/$IGB/sriov_numvfs")"
	sec stats.igb.vf0 sriovctl -s show "$IGBNET/vf0"
	check "igb: show -s VF prints RX and TX counters" 2 \
		"$(grep -cE '^  (stats  +RX|  +TX) [0-9]+ bytes' /tmp/sec.out)"
fi
