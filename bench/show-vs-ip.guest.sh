# Guest side of bench/show-vs-ip.py (run by `lab.py bench`, lib.sh loaded):
# a netdevsim PF with 128 VFs, then `sriovctl show PF`, `sriovctl -s show
# PF` and `ip -d link show dev PF` timed (ROUNDS rounds of LOOPS runs each,
# the tools alternating) and counted under strace -c. Prints sections only;
# the host computes medians and ratios.
ROUNDS=${ROUNDS:-7}
LOOPS=${LOOPS:-20}
VFS=128

modprobe netdevsim
echo "7 1" >/sys/bus/netdevsim/new_device
wait_until 10 sh -c 'ls /sys/bus/netdevsim/devices/netdevsim7/net/* >/dev/null 2>&1'
echo $VFS >/sys/kernel/debug/netdevsim/netdevsim7/max_vfs
echo $VFS >/sys/bus/netdevsim/devices/netdevsim7/sriov_numvfs
NET=$(ls /sys/bus/netdevsim/devices/netdevsim7/net | head -n 1)
/usr/local/bin/ip link set "$NET" up
# Some attributes set, so both tools print more than defaults.
for i in 0 1 2 3 4 5 6 7; do
	/usr/local/bin/ip link set "$NET" vf $i mac 02:00:00:00:07:0$i vlan $((i + 10)) trust on
done
sec bench.setup sh -c "echo net=$NET vfs=\$(cat /sys/bus/netdevsim/devices/netdevsim7/sriov_numvfs)"

# now: seconds since boot, with nanoseconds when busybox's date has %N.
if date +%s%N | grep -q '^[0-9]*$'; then
	now() { date +%s.%N; }
	sec bench.clock echo "date +%s.%N"
else
	now() { cut -d' ' -f1 /proc/uptime; }
	sec bench.clock echo "/proc/uptime"
fi

# loop N CMD...: run CMD N times, output discarded.
loop() {
	_n=$1
	shift
	while [ "$_n" -gt 0 ]; do
		"$@" >/dev/null 2>&1
		_n=$((_n - 1))
	done
}

S="/usr/local/bin/sriovctl show $NET"
SS="/usr/local/bin/sriovctl -s show $NET"
IP="/usr/local/bin/ip -d link show dev $NET"
# warm-up: caches, page cache of the binaries
loop 2 $S; loop 2 $SS; loop 2 $IP
sec bench.check.sriovctl $S
sec bench.check.ip $IP

timings() {
	r=1
	while [ $r -le "$ROUNDS" ]; do
		for t in sriovctl sriovctl-s ip; do
			case $t in
			sriovctl) c=$S ;;
			sriovctl-s) c=$SS ;;
			ip) c=$IP ;;
			esac
			a=$(now)
			loop "$LOOPS" $c
			b=$(now)
			echo "$t $r $LOOPS $a $b"
		done
		r=$((r + 1))
	done
}
sec bench.times timings

# LeakSanitizer refuses to run under ptrace (an ASan build of sriovctl).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
for t in sriovctl sriovctl-s ip; do
	case $t in
	sriovctl) c=$S ;;
	sriovctl-s) c=$SS ;;
	ip) c=$IP ;;
	esac
	strace -f -c -o /tmp/strace.c $c >/dev/null 2>&1
	sec "bench.strace.$t" cat /tmp/strace.c
	strace -f -e trace=sendto,sendmsg -o /tmp/strace.s $c >/dev/null 2>&1
	sec "bench.sends.$t" cat /tmp/strace.s
done

echo 0 >/sys/bus/netdevsim/devices/netdevsim7/sriov_numvfs
echo 7 >/sys/bus/netdevsim/del_device
