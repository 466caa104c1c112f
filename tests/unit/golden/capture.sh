#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Re-create the golden files: what iproute2's `ip link set DEV vf 0 ...`
# sends for each single VF attribute, captured with strace. The device is a
# throw-away interface of our own (dummy, or ifb where this kernel has no
# dummy); it has no SR-IOV, so the kernel refuses every request, but the
# bytes are what test_golden compares vfset_build() against.
#
#   tests/unit/golden/capture.sh      (root; needs strace and iproute2)
set -eu

dir=$(cd "$(dirname "$0")" && pwd)
dev=sriovgold0

ip link add "$dev" type dummy 2>/dev/null || ip link add "$dev" type ifb
trap 'ip link del "$dev"' EXIT
ifindex=$(cat "/sys/class/net/$dev/ifindex")

# capture NAME ARGS...: the RTM_NEWLINK (type 0x0010) `ip link set dev DEV
# vf 0 ARGS` sends, as hex, 16 bytes a line.
capture() {
	name=$1
	shift
	out=$dir/$name.golden
	strace -f -e trace=sendmsg -e write=all -xx -s 4096 \
		ip link set dev "$dev" vf 0 "$@" 2>"$out.strace" || true
	{
		echo "# command: ip link set dev $dev vf 0 $*"
		echo "# ifindex: $ifindex"
		echo "# iproute2: $(ip -V)"
		# strace's write= dump: " | 00000  50 00 00 00 10 00 ... |"
		awk '
			/^ \* [0-9]+ bytes in buffer/ { if (keep) exit; n = 0; buf = ""; next }
			/^ \| [0-9a-f]+  / {
				line = substr($0, 11, 49)
				gsub(/  +/, " ", line)
				sub(/^ /, "", line); sub(/ $/, "", line)
				buf = buf line "\n"
				if (n++ == 0 && substr(line, 13, 5) == "10 00") keep = 1
				next
			}
			{ if (keep) exit }
			END { if (keep) printf "%s", buf }
		' "$out.strace"
	} >"$out"
	rm -f "$out.strace"
	grep -q '^[0-9a-f][0-9a-f] ' "$out" || { echo "capture: no RTM_NEWLINK for $name" >&2; exit 1; }
}

capture mac mac 02:00:00:00:00:01
capture vlan vlan 100 qos 3
capture vlan-8021ad vlan 100 qos 3 proto 802.1ad
capture spoofchk-on spoofchk on
capture spoofchk-off spoofchk off
capture trust-on trust on
capture rate min_tx_rate 10 max_tx_rate 100
capture state-auto state auto
capture state-enable state enable
capture state-disable state disable
capture query-rss-on query_rss on
echo "capture: $(ls "$dir"/*.golden | wc -l) golden files in $dir (ifindex $ifindex)"
