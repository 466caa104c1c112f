# Guest side of bench/exporter-vs-ip.py (run by `lab.py bench --tools
# strace,exporter`, lib.sh loaded): PFS netdevsim PFs of VFS VFs each (4096
# VFs), sriovctl-exporter scraped LOOPS times a round and `ip -s -d -j link
# show dev PF` of every PF LOOPS times a round, alternating, ROUNDS rounds.
# Prints wall times and CPU ticks (the exporter's own; ip's as the shell's
# children's); the host computes per scrape, per VF and the ratios.
ROUNDS=${ROUNDS:-5}
LOOPS=${LOOPS:-5}
PFS=${PFS:-16}
VFS=${VFS:-256}

/usr/local/bin/ip link set lo up
modprobe netdevsim
NETS=""
i=1
while [ $i -le "$PFS" ]; do
	id=$((i + 20))
	echo "$id 1" >/sys/bus/netdevsim/new_device
	wait_until 10 sh -c "ls /sys/bus/netdevsim/devices/netdevsim$id/net/* >/dev/null 2>&1"
	echo "$VFS" >"/sys/kernel/debug/netdevsim/netdevsim$id/max_vfs"
	echo "$VFS" >"/sys/bus/netdevsim/devices/netdevsim$id/sriov_numvfs"
	net=$(ls "/sys/bus/netdevsim/devices/netdevsim$id/net" | head -n 1)
	/usr/local/bin/ip link set "$net" up
	/usr/local/bin/ip link set "$net" vf 0 mac 02:00:00:00:$(printf %02x $i):00 vlan $i trust on
	NETS="$NETS $net"
	i=$((i + 1))
done
sec bench.setup sh -c "echo pfs=$PFS vfs_per_pf=$VFS nets=\"$NETS\""

now() { cut -d' ' -f1 /proc/uptime; }
# CPU ticks (utime + stime) of PID
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
sec bench.clk getconf CLK_TCK

/usr/local/bin/sriovctl-exporter --web.listen-address 127.0.0.1:9808 \
	--inventory.interval 3600 --checks.interval 3600 >/tmp/exp.log 2>&1 &
EXP=$!
# busybox's wget -T segfaults (1.35): timeout bounds it
wait_until 60 timeout 5 wget -q -O /dev/null http://127.0.0.1:9808/
scrape() { timeout 120 wget -q -O /tmp/m http://127.0.0.1:9808/metrics; }
ipall() {
	for n in $NETS; do
		/usr/local/bin/ip -s -d -j link show dev "$n" >/tmp/ip.$n
	done
}
# warm-up, and what each side produced
scrape; ipall
sec bench.samples sh -c "grep -c '^sriov_vf_info{' /tmp/m; grep -vc '^#' /tmp/m; wc -c </tmp/m"
sec bench.truncated grep -c '^sriov_pf_vf_list_truncated{.*} 1$' /tmp/m
sec bench.ipvfs sh -c "cat /tmp/ip.* | grep -o '\"vf\":[0-9]*' | wc -l; cat /tmp/ip.* | wc -c"

# ip's CPU: a shell of its own runs the loop and reads its children's
# ticks (cutime + cstime) from its /proc/PID/stat at the end
ipcpu() {
	sh -c 'k=0; while [ $k -lt '"$LOOPS"' ]; do for n in '"$NETS"'; do
		/usr/local/bin/ip -s -d -j link show dev $n >/dev/null; done; k=$((k + 1)); done
		awk "{ print \$16 + \$17 }" /proc/$$/stat'
}
r=1
while [ $r -le "$ROUNDS" ]; do
	a=$(now); c=$(ticks $EXP)
	k=0; while [ $k -lt "$LOOPS" ]; do scrape; k=$((k + 1)); done
	b=$(now); d=$(ticks $EXP)
	echo "exporter $LOOPS $a $b $c $d"
	a=$(now); t=$(ipcpu); b=$(now)
	echo "ip $LOOPS $a $b 0 $t"
	r=$((r + 1))
done >/tmp/times
sec bench.times cat /tmp/times
# the exporter's syscalls for one scrape: one dump, no sysfs
strace -f -p $EXP -o /tmp/st -e trace=sendto,sendmsg,openat,open 2>/dev/null &
ST=$!
sleep 1
scrape
sleep 1
kill $ST 2>/dev/null
sec bench.strace cat /tmp/st
kill $EXP
