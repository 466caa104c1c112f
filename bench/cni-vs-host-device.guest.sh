# Guest side of bench/cni-vs-host-device.py (run by `lab.py bench --igb
# --cni`, lib.sh loaded): one igb VF with its igbvf netdev, a network
# namespace, and ROUNDS rounds of LOOPS ADD+DEL pairs of each plugin on
# the same VF, alternating: sriovctl's `sriov` (vlan 0 and spoofchk on,
# so it sets attributes through the PF and records them) and the reference
# `host-device` (pciBusID: it only moves the netdev). ADD and DEL are
# timed apart; one pair of each runs under strace -c. Prints sections only.
ROUNDS=${ROUNDS:-5}
LOOPS=${LOOPS:-10}

IG=$(find_pf 0x8086 0x10c9)
NET=$(ls "/sys/bus/pci/devices/$IG/net" | head -n 1)
/usr/local/bin/ip link set "$NET" up
wait_until 20 carrier_up "$NET"
/usr/local/bin/sriovctl pf "$NET" set-vfs 1 >/dev/null
VF=$(vf "$IG" 0)
wait_until 20 has_netdev "$VF"
wait_until 20 carrier_up "$NET"
mkdir -p /run/netns /var/lib/cni
/usr/local/bin/ip netns add bench
export CNI_PATH=/opt/cni/bin CNI_NETNS=/run/netns/bench CNI_IFNAME=net1 CNI_CONTAINERID=b1
SRIOV="{\"cniVersion\":\"1.0.0\",\"name\":\"b\",\"type\":\"sriov\",\"deviceID\":\"$VF\",\"vlan\":0,\"spoofchk\":\"on\"}"
HDEV="{\"cniVersion\":\"1.0.0\",\"name\":\"b\",\"type\":\"host-device\",\"pciBusID\":\"$VF\"}"
sec bench.setup sh -c "echo vf=$VF netdev=\$(ls /sys/bus/pci/devices/$VF/net)"

if date +%s%N | grep -q '^[0-9]*$'; then
	now() { date +%s.%N; }
else
	now() { cut -d' ' -f1 /proc/uptime; }
fi

plugin() {
	case $2 in
	sriov) printf %s "$SRIOV" | CNI_COMMAND=$1 /opt/cni/bin/sriov ;;
	host-device) printf %s "$HDEV" | CNI_COMMAND=$1 /opt/cni/bin/host-device ;;
	esac
}

# one pair of each, checked: the netdev went in and came back
for p in sriov host-device; do
	plugin ADD $p >/tmp/add.out 2>&1
	sec "bench.check.$p.add" sh -c "cat /tmp/add.out; /usr/local/bin/ip -n bench -o link show net1"
	plugin DEL $p >/dev/null 2>&1
	sec "bench.check.$p.home" ls "/sys/bus/pci/devices/$VF/net"
done

timings() {
	r=1
	while [ $r -le "$ROUNDS" ]; do
		for p in sriov host-device; do
			add=0
			del=0
			n=0
			while [ $n -lt "$LOOPS" ]; do
				a=$(now)
				plugin ADD $p >/dev/null 2>&1
				b=$(now)
				plugin DEL $p >/dev/null 2>&1
				c=$(now)
				echo "$p $r $a $b $c"
				n=$((n + 1))
			done
		done
		r=$((r + 1))
	done
}
sec bench.times timings

for p in sriov host-device; do
	case $p in
	sriov) conf=$SRIOV ;;
	host-device) conf=$HDEV ;;
	esac
	printf %s "$conf" >/tmp/conf.json
	CNI_COMMAND=ADD strace -f -c -o /tmp/strace.add "/opt/cni/bin/$p" </tmp/conf.json >/dev/null 2>&1
	sec "bench.strace.$p.add" cat /tmp/strace.add
	CNI_COMMAND=DEL strace -f -c -o /tmp/strace.del "/opt/cni/bin/$p" </tmp/conf.json >/dev/null 2>&1
	sec "bench.strace.$p.del" cat /tmp/strace.del
done
