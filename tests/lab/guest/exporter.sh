# A self-checking scenario (boot I): sriovctl-exporter on the real kernel.
# Its VF attributes and counters equal `ip -s -d -j link show` for the
# netdevsim PF (netdevsim.sh left 4 VFs with MAC, VLAN/QoS, 802.1ad, spoof
# check, trust, rates, link state set) and the igb PF (2 VFs made here); a
# VF count change appears on the very next scrape, a VF's driver unbound
# (a uevent) within seconds, both without a restart; it runs as an
# unprivileged user and says the same.

EXP=/usr/local/bin/sriovctl-exporter
PORT=9808

# ipvfs: from `ip -s -d -j link show` on stdin, one canonical line per VF
# (iproute2 6.1 names the TX counters tx_bytes and tx_packets).
ipvfs() {
	awk '
	function num(s, key,    r) {
		if (match(s, "\"" key "\":[0-9]+")) {
			r = substr(s, RSTART, RLENGTH); sub(/.*:/, "", r); return r
		}
		return ""
	}
	function str(s, key,    r) {
		if (match(s, "\"" key "\":\"[^\"]*\"")) {
			r = substr(s, RSTART, RLENGTH); sub(/^[^:]*:"/, "", r); sub(/"$/, "", r)
			return r
		}
		return ""
	}
	function onoff(s, key) {
		if (index(s, "\"" key "\":true")) return "on"
		if (index(s, "\"" key "\":false")) return "off"
		return ""
	}
	function obj(s, key) {
		if (match(s, "\"" key "\":\\{[^}]*\\}")) return substr(s, RSTART, RLENGTH)
		return ""
	}
	{ all = all $0 }
	END {
		k = split(all, a, "\"vf\":")
		for (i = 2; i <= k; i++) {
			p = a[i]; vf = p; sub(/[^0-9].*/, "", vf)
			vlan = num(p, "vlan"); if (vlan == "") vlan = 0
			qos = num(p, "qos"); if (qos == "") qos = 0
			# ip prints only 802.1ad: 802.1Q and "none reported" look alike
			proto = str(p, "protocol"); if (proto != "802.1ad") proto = "-"
			rx = obj(p, "rx"); tx = obj(p, "tx")
			printf "vf=%s mac=%s vlan=%s qos=%s proto=%s spoofchk=%s trust=%s state=%s min=%s max=%s rx=%s/%s/%s/%s/%s tx=%s/%s/%s\n",
				vf, str(p, "address"), vlan, qos, proto, onoff(p, "spoofchk"),
				onoff(p, "trust"), str(p, "link_state"), num(p, "min_tx"),
				num(p, "max_tx"), num(rx, "bytes"), num(rx, "packets"),
				num(rx, "multicast"), num(rx, "broadcast"), num(rx, "dropped"),
				num(tx, "tx_bytes"), num(tx, "tx_packets"), num(tx, "dropped")
		}
	}' | sort -n -t= -k2
}

# expvfs PF: from the exposition on stdin, the same line per VF of PF.
expvfs() {
	awk -v pf="$1" '
	function lab(s, key,    r) {
		if (match(s, key "=\"[^\"]*\"")) {
			r = substr(s, RSTART, RLENGTH); sub(/^[^"]*"/, "", r); sub(/"$/, "", r)
			return r
		}
		return ""
	}
	/^#/ { next }
	index($0, "pf=\"" pf "\"") {
		name = $1; sub(/\{.*/, "", name)
		vf = lab($0, "vf")
		if (name == "sriov_vf_info") {
			vfs[vf] = 1
			info[vf] = sprintf("mac=%s vlan=%s qos=%s proto=%s spoofchk=%s trust=%s state=%s",
				lab($0, "mac"), lab($0, "vlan"), lab($0, "qos"),
				lab($0, "vlan_proto") == "802.1ad" ? "802.1ad" : "-",
				lab($0, "spoof_check"), lab($0, "trust"), lab($0, "link_state"))
		} else {
			v[name, vf] = $NF
		}
	}
	END {
		for (vf in vfs)
			printf "vf=%s %s min=%d max=%d rx=%s/%s/%s/%s/%s tx=%s/%s/%s\n", vf, info[vf],
				v["sriov_vf_min_tx_rate_bytes_per_second", vf] / 125000,
				v["sriov_vf_max_tx_rate_bytes_per_second", vf] / 125000,
				v["sriov_vf_receive_bytes_total", vf], v["sriov_vf_receive_packets_total", vf],
				v["sriov_vf_receive_multicast_packets_total", vf],
				v["sriov_vf_receive_broadcast_packets_total", vf],
				v["sriov_vf_receive_dropped_total", vf],
				v["sriov_vf_transmit_bytes_total", vf], v["sriov_vf_transmit_packets_total", vf],
				v["sriov_vf_transmit_dropped_total", vf]
	}' | sort -n -t= -k2
}

# busybox's wget -T segfaults (1.35): bound it with timeout instead
scrape() { # FILE [PORT]
	timeout 30 wget -q -O "$1" "http://127.0.0.1:${2:-$PORT}/metrics"
}

up() { # PORT
	timeout 5 wget -q -O /dev/null "http://127.0.0.1:$1/"
}

# pf_of NETDEV: the pf label of the PF whose netdev is NETDEV.
pf_of() {
	grep "^sriov_pf_info{" "$2" | grep "netdev=\"$1\"" | sed 's/.*pf="\([^"]*\)".*/\1/'
}

# the guest's /init leaves the loopback down
sec exp.lo ip link set lo up
NSIM=/sys/bus/netdevsim/devices/netdevsim1
NSIMNET=$(ls "$NSIM/net" | head -n 1)
IGB=$(find_pf 0x8086 0x10c9)
IGBNET=$(ls "/sys/bus/pci/devices/$IGB/net" | head -n 1)
# up, for VF rates (igb refuses them without a link)
sec exp.igb.up ip link set "$IGBNET" up
sec exp.igb.numvfs write 2 "/sys/bus/pci/devices/$IGB/sriov_numvfs"
check "igb: 2 VFs" 2 "$(cat "/sys/bus/pci/devices/$IGB/sriov_numvfs")"
# igb refuses VF rates while its link is down, and resets it for the VFs
timed exp.igb.carrier 10 carrier_up "$IGBNET"
sec exp.igb.vf0 ip link set "$IGBNET" vf 0 vlan 42 qos 5 spoofchk off
sec exp.igb.vf1 ip link set "$IGBNET" vf 1 max_tx_rate 200 trust on

# --inventory.interval 3600: only uevents and the scrapes' own VF counts
# can make it read the inventory again
"$EXP" --web.listen-address "127.0.0.1:$PORT" --inventory.interval 3600 \
	>/tmp/exporter.log 2>&1 &
EXPPID=$!
timed exp.up 20 up "$PORT"
check "the exporter answers" 0 $?

sec exp.scrape1 scrape /tmp/m1
check "a scrape exits 0" 0 $?
sec exp.metrics1 cat /tmp/m1
NSIMPF=$(pf_of "$NSIMNET" /tmp/m1)
check "netdevsim's PF is in sriov_pf_info" yes "$([ -n "$NSIMPF" ] && echo yes)"

cmp_vfs() { # NAME NETDEV PF FILE VFS
	sec "exp.$1.ip" ip -s -d -j link show dev "$2"
	ipvfs </tmp/sec.out >/tmp/ip.$1
	expvfs "$3" <"$4" >/tmp/exp.$1
	sec "exp.$1.ipvfs" cat "/tmp/ip.$1"
	sec "exp.$1.expvfs" cat "/tmp/exp.$1"
	check "$1: a line per VF from ip" "$5" "$(grep -c . "/tmp/ip.$1")"
	check "$1: the exporter's VF attributes and counters equal ip -s -d -j's" \
		"$(cat "/tmp/ip.$1")" "$(cat "/tmp/exp.$1")"
}
cmp_vfs netdevsim "$NSIMNET" "$NSIMPF" /tmp/m1 "$(cat "$NSIM/sriov_numvfs")"
cmp_vfs igb "$IGBNET" "$IGB" /tmp/m1 2
check "igb vf0: VLAN 42 QoS 5, spoof checking off" 1 \
	"$(grep -c "^vf=0 .*vlan=42 qos=5 .*spoofchk=off" /tmp/exp.igb)"
check "igb vf1: max rate 200 Mb/s, trust on" 1 \
	"$(grep -c "^vf=1 .*trust=on .*max=200 " /tmp/exp.igb)"
check "igb vf0: the 802.1Q the PF reports is vlan_proto (ip does not print it)" 1 \
	"$(grep "^sriov_vf_info{pf=\"$IGB\",vf=\"0\"" /tmp/m1 | grep -c 'vlan="42",qos="5",vlan_proto="802.1Q"')"
check "the VF list of netdevsim is not truncated" 1 \
	"$(grep -c "^sriov_pf_vf_list_truncated{pf=\"$NSIMPF\"} 0" /tmp/m1)"

# a VF count change shows on the very next scrape (its rtnetlink dump sees
# the PF's new count and the scrape reads the inventory again)
sec exp.nsim.zero write 0 "$NSIM/sriov_numvfs"
sec exp.nsim.two write 2 "$NSIM/sriov_numvfs"
sec exp.scrape2 scrape /tmp/m2
check "after 4 -> 2 VFs: sriov_pf_num_vfs is 2 on the next scrape" 1 \
	"$(grep -c "^sriov_pf_num_vfs{pf=\"$NSIMPF\"} 2$" /tmp/m2)"
check "after 4 -> 2 VFs: 2 sriov_vf_info series for the PF" 2 \
	"$(grep "^sriov_vf_info{" /tmp/m2 | grep -c "pf=\"$NSIMPF\"")"
cmp_vfs netdevsim2 "$NSIMNET" "$NSIMPF" /tmp/m2 2

# a driver unbound: a uevent, the inventory read again within a second
VF0=$(vf "$IGB" 0)
sec exp.unbind write "$VF0" /sys/bus/pci/drivers/igbvf/unbind
sleep 2
sec exp.scrape3 scrape /tmp/m3
check "igb vf0 unbound: its driver label is empty after the uevent" 1 \
	"$(grep "^sriov_vf_info{pf=\"$IGB\",vf=\"0\"" /tmp/m3 | grep -c 'driver=""')"
sec exp.rebind write "$VF0" /sys/bus/pci/drivers/igbvf/bind
sec exp.reloads grep "^sriov_exporter_inventory_reloads_total" /tmp/m3
check "the inventory was read again twice (count change, uevent) or more" yes \
	"$([ "$(cut -d' ' -f2 /tmp/sec.out)" -ge 3 ] && echo yes)"
check "no scrape error" 1 "$(grep -c '^sriov_exporter_scrape_errors_total 0$' /tmp/m3)"

# the checks' findings are there: one series per finding
check "check findings exported" yes \
	"$(grep -q '^sriov_check_findings{id="iommu.cmdline",severity="ok",device=""} 1$' /tmp/m1 && echo yes)"

# unprivileged: the same exposition of the VFs as an ordinary user
grep -q '^nobody:' /etc/passwd 2>/dev/null ||
	echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
su -s /bin/sh nobody -c "$EXP --web.listen-address 127.0.0.1:9809 --inventory.interval 3600 >/tmp/exporter-nobody.log 2>&1 &"
timed exp.nobody.up 20 up 9809
check "as nobody: the exporter answers" 0 $?
# uid_of PORT: the real and effective uid of the exporter listening there
uid_of() {
	for _p in /proc/[0-9]*; do
		tr '\0' ' ' <"$_p/cmdline" 2>/dev/null | grep -q "^$EXP .*127.0.0.1:$1 " || continue
		awk '/^Uid:/ { print $2, $3 }' "$_p/status"
		echo "${_p#/proc/}" >/tmp/pid.$1
	done
}
sec exp.nobody.uid uid_of 9809
check "as nobody: it runs with uid 65534" "65534 65534" "$(cat /tmp/sec.out)"
sec exp.scrape4 scrape /tmp/m4
sec exp.scrape5 scrape /tmp/m5 9809
check "as nobody: the netdevsim VFs as root's" "$(expvfs "$NSIMPF" </tmp/m4)" \
	"$(expvfs "$NSIMPF" </tmp/m5)"
check "as nobody: the igb VFs as root's" "$(expvfs "$IGB" </tmp/m4)" \
	"$(expvfs "$IGB" </tmp/m5)"
check "as nobody: VF counters present" 2 \
	"$(grep "^sriov_vf_receive_bytes_total{pf=\"$NSIMPF\"" /tmp/m5 | grep -c .)"

kill "$(cat /tmp/pid.9809)"
kill "$EXPPID"
wait "$EXPPID"
check "SIGTERM: the exporter exits 0" 0 $?
sec exp.log cat /tmp/exporter.log /tmp/exporter-nobody.log
sec exp.nsim.back0 write 0 "$NSIM/sriov_numvfs"
sec exp.nsim.back4 write 4 "$NSIM/sriov_numvfs"
