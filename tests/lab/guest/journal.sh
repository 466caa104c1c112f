# A self-checking scenario: what apply claims, read back on the real
# kernel, and what survives a crash. (1) driver: none on a PF whose
# autoprobe is off really unbinds the VF; (2) sriovctl killed with SIGKILL
# at each step of a multi-step apply (igb VF count and VF attributes, an
# NVMe VF's driver, netdevsim VF attributes): `apply --recover`, or the
# next apply, rolls back from the journal to a byte-identical `save`;
# (3) the change log: a symbolic link (the file or its directory) is
# refused, RLIMIT_FSIZE fails the apply cleanly with a rollback and no half
# line, a torn last line is ended. Leaves every device as it found it.

NSIM=/sys/bus/netdevsim/devices/netdevsim1
NET=$(ls "$NSIM/net" | head -n 1)
IG=$(find_pf 0x8086 0x10c9)
IGD=/sys/bus/pci/devices/$IG
INET=$(ls "$IGD/net" | head -n 1)
NVME=$(find_pf 0x1b36 0x0010)
LOG=/var/log/sriovctl/changes.log
J=/var/lib/sriovctl/journal

# Up igb VF netdevs are in use (a count change refuses them).
UPVFS=""
for v in "$IGD"/virtfn*; do
	for n in "$v"/net/*; do
		[ -e "$n" ] || continue
		if [ $(( $(cat "$n/flags") & 1 )) -eq 1 ]; then
			UPVFS="$UPVFS ${n##*/}"
			ip link set "${n##*/}" down
		fi
	done
done
sriovctl save -p >/tmp/journal.s0.json
same_as() {
	sriovctl save -p >/tmp/journal.now 2>/dev/null &&
		cmp -s "$1" /tmp/journal.now && echo yes
}
show_diff() {
	[ "$(same_as "$1")" = yes ] || diff "$1" /tmp/journal.now | head -20
}
drv() {
	_d=$(readlink "/sys/bus/pci/devices/$(vf "$1" "$2")/driver") &&
		basename "$_d" || echo none
}
lines() {
	if [ -f "$1" ]; then grep -c . "$1"; else echo 0; fi
}

# ------------------------------------------------ 1. driver: none, autoprobe off
[ "$(cat "$IGD/sriov_numvfs")" -ge 1 ] || sriovctl pf "$INET" set-vfs 2 >/dev/null
wait_until 10 test "$(drv "$IG" 0)" = igbvf
check "igb vf0 starts on igbvf" igbvf "$(drv "$IG" 0)"
sriovctl save -p >/tmp/journal.s1.json
write 0 "$IGD/sriov_drivers_autoprobe"
cat >/tmp/j-none.yaml <<EOF
pfs:
  - match: {pci: "$IG"}
    drivers_autoprobe: false
    vfs:
      "0": {driver: none}
EOF
sec journal.none sriovctl apply -f /tmp/j-none.yaml
check "driver none, autoprobe off: apply exits 0" 0 $?
check "driver none, autoprobe off: the change printed" "$INET/vf0 driver: igbvf -> none" \
	"$(cat /tmp/sec.out)"
check "driver none, autoprobe off: vf0 has no driver, its override cleared" "none (null)" \
	"$(drv "$IG" 0) $(cat "/sys/bus/pci/devices/$(vf "$IG" 0)/driver_override")"
sec journal.none.plan sriovctl plan -f /tmp/j-none.yaml --detailed-exitcode
check "driver none, autoprobe off: plan --detailed-exitcode after it: 0" 0 $?
sec journal.none.back sriovctl restore /tmp/journal.s1.json
check "driver none: restore exits 0" 0 $?
check "driver none: vf0 back on igbvf, autoprobe back on" "igbvf 1" \
	"$(drv "$IG" 0) $(cat "$IGD/sriov_drivers_autoprobe")"

# ------------------------------------------------ 2. killed at each step
IN0=$(cat "$IGD/sriov_numvfs")
IN1=$((IN0 == 3 ? 2 : 3))
NN0=$(cat "/sys/bus/pci/devices/$NVME/sriov_numvfs")
if [ "$NN0" -ge 1 ] && [ "$(drv "$NVME" 0)" = vfio-pci ]; then NVD=none; else NVD=vfio-pci; fi
NVLINE=""
[ "$NN0" -ge 1 ] || NVLINE="    num_vfs: 1
    drivers_autoprobe: false"
# netdevsim VF 0 has a VLAN already: netdevsim reports a VLAN protocol
# only once one is set, and nothing clears it again (apply.sh).
NSV=$(field "$(vfentry "$NET" 0)" vlan)
NSV=$((NSV == 23 ? 24 : 23))
cat >/tmp/j-multi.yaml <<EOF
pfs:
  - match: {pci: "$IG"}
    num_vfs: $IN1
    vfs:
      "0": {vlan: 31, spoofchk: false}
  - match: {pci: "$NVME"}
$NVLINE
    vfs:
      "0": {driver: $NVD}
  - match: {netdev: $NET}
    vfs:
      "0": {vlan: $NSV, qos: 2}
EOF
sed -i '/^$/d' /tmp/j-multi.yaml
sriovctl save -p >/tmp/journal.s2.json
sec journal.multi.plan sriovctl plan -f /tmp/j-multi.yaml

# Before step 1 is made: nothing to undo, but the journal says what began.
SRIOVCTL_TEST_RAISE=KILL:0 sriovctl apply -f /tmp/j-multi.yaml >/dev/null 2>&1
check "killed before step 1: SIGKILL (137)" 137 $?
N=$(sed -n '1s/.*"steps":\([0-9]*\).*/\1/p' "$J")
check "the journal: a header with the plan's steps, one intent" "yes 1" \
	"$([ "${N:-0}" -ge 4 ] && echo yes) $(grep -c '"intent":' "$J")"
check "killed before step 1: nothing changed yet" yes "$(same_as /tmp/journal.s2.json)"
# The commands without a journal of their own wait for the recovery, which
# would undo them.
for cmd in "pf $INET set-vfs $IN1" "vf $INET/vf0 set vlan 7" "vf $INET/vf0 bind vfio-pci"; do
	sec journal.unjournaled sriovctl $cmd
	check "an unfinished journal: '$cmd' refused, exit 1" \
		"1 yes" "$? $(grep -q "an apply that did not finish left its journal $J: run 'sriovctl apply --recover' first; nothing was changed" /tmp/sec.err && echo yes)"
done
check "an unfinished journal: the refused commands changed nothing" yes "$(same_as /tmp/journal.s2.json)"
sec journal.recover0 sriovctl apply --recover
check "apply --recover: exit 0" 0 $?
check "apply --recover: says what it finds" yes \
	"$(grep -q "did not finish: it stopped during step 1 of $N" /tmp/sec.err && echo yes)"
check "apply --recover: the journal is empty" 0 "$(wc -c <"$J")"
sec journal.recover0b sriovctl apply --recover
check "apply --recover again: nothing to recover" \
	"0 nothing to recover: no apply left a transaction unfinished" "$? $(cat /tmp/sec.out)"

# After step k is made, before it is recorded: every k in turn.
k=0
while [ "$k" -lt "$((N - 1))" ]; do
	I0=$(grep -c '"result":"interrupted"' "$LOG")
	SRIOVCTL_TEST_RAISE="KILL:$k+" sriovctl apply -f /tmp/j-multi.yaml \
		>/tmp/killed.out 2>/tmp/killed.err
	check "killed after step $((k + 1)) of $N: SIGKILL" 137 $?
	check "killed after step $((k + 1)): $((k + 1)) intents, $k results" "$((k + 1)) $k" \
		"$(grep -c '"intent":' "$J") $(grep -c '"result":' "$J")"
	sec "journal.recover$((k + 1))" sriovctl apply --recover
	check "killed after step $((k + 1)): apply --recover exits 0" 0 $?
	check "killed after step $((k + 1)): it names the step and rolls back" "yes yes" \
		"$(grep -q "stopped during step $((k + 1)) of $N" /tmp/sec.err && echo yes) $(grep -q '^sriovctl: rolled back' /tmp/sec.err && echo yes)"
	check "killed after step $((k + 1)): the change is in the change log as interrupted" yes \
		"$([ "$(grep -c '"result":"interrupted"' "$LOG")" -gt "$I0" ] && echo yes)"
	check "killed after step $((k + 1)): save is byte-identical to before the apply" yes \
		"$(same_as /tmp/journal.s2.json)"
	show_diff /tmp/journal.s2.json
	k=$((k + 1))
done

# The last step, and no --recover: the next apply rolls back first.
SRIOVCTL_TEST_RAISE="KILL:$((N - 1))+" sriovctl apply -f /tmp/j-multi.yaml >/dev/null 2>&1
check "killed after the last step: SIGKILL" 137 $?
sec journal.next sriovctl apply -f /tmp/j-multi.yaml
check "the next apply: exit 0" 0 $?
check "the next apply: rolls the dead one back first, then applies" "yes yes" \
	"$(grep -q "stopped during step $N of $N" /tmp/sec.err && grep -q '^sriovctl: rolled back: every PF it touched' /tmp/sec.err && echo yes) $(grep -q "^$NET/vf0 vlan: .* -> $NSV qos 2$" /tmp/sec.out && echo yes)"
sec journal.next.plan sriovctl plan -f /tmp/j-multi.yaml --detailed-exitcode
check "the next apply: the host matches the policy" 0 $?
check "the next apply: the journal is empty" 0 "$(wc -c <"$J")"
sec journal.back sriovctl restore /tmp/journal.s2.json
check "back to before the policy: restore exits 0" 0 $?

# ------------------------------------------------ 3. the change log
cat >/tmp/j-one.yaml <<EOF
pfs:
  - match: {netdev: $NET}
    vfs:
      "0": {vlan: 29}
EOF
sriovctl save -p >/tmp/journal.s3.json
# a link as the log, or as its directory: refused, nothing written
echo keep >/tmp/j-target
mv "$LOG" "$LOG.keep"
ln -s /tmp/j-target "$LOG"
sec journal.loglink sriovctl apply -f /tmp/j-one.yaml
check "a symlinked change log: exit 1, named, nothing changed" "1 yes yes keep" \
	"$? $(grep -q "cannot use the change log $LOG: it (or its directory sriovctl/) is a symbolic link" /tmp/sec.err && echo yes) $(same_as /tmp/journal.s3.json) $(cat /tmp/j-target)"
rm "$LOG"
mv "$LOG.keep" "$LOG"
mkdir -p /tmp/j-dir
mv /var/log/sriovctl /var/log/sriovctl.keep
ln -s /tmp/j-dir /var/log/sriovctl
sec journal.dirlink sriovctl apply -f /tmp/j-one.yaml
check "a symlinked change-log directory: exit 1, nothing made there" "1 0 yes" \
	"$? $(ls /tmp/j-dir | wc -l) $(same_as /tmp/journal.s3.json)"
rm /var/log/sriovctl
mv /var/log/sriovctl.keep /var/log/sriovctl
mkfifo /tmp/j-fifo
sec journal.fifo sriovctl apply -f /tmp/j-one.yaml --change-log /tmp/j-fifo
check "a FIFO as the change log: refused at once" "1 yes" \
	"$? $(grep -q 'it is not a regular file' /tmp/sec.err && echo yes)"

# RLIMIT_FSIZE (ulimit -f counts 512-byte blocks): at the limit, and 30
# bytes below it (a short write).
limited() { # SIZE: the log SIZE bytes long, apply under a 64 KiB limit
	head -c $(($1 - 1)) /dev/zero | tr '\0' x >/tmp/j-full.log
	echo >>/tmp/j-full.log
	sh -c 'ulimit -f 128; exec sriovctl apply -f /tmp/j-one.yaml --change-log /tmp/j-full.log' \
		>/tmp/sec.out 2>/tmp/sec.err
}
for room in 0 30; do
	limited $((65536 - room))
	check "RLIMIT_FSIZE, $room bytes left: exit 1, not killed by SIGXFSZ" 1 $?
	check "RLIMIT_FSIZE, $room bytes left: the failure named, rolled back" "yes yes" \
		"$(grep -q 'cannot write the change log /tmp/j-full.log: File too large' /tmp/sec.err && echo yes) $(grep -q '^sriovctl: rolled back' /tmp/sec.err && echo yes)"
	check "RLIMIT_FSIZE, $room bytes left: no partial line" "$((65536 - room)) yes" \
		"$(wc -c </tmp/j-full.log) $(tail -c 1 /tmp/j-full.log | od -An -c | grep -q '\\n' && echo yes)"
	check "RLIMIT_FSIZE, $room bytes left: the host unchanged" yes "$(same_as /tmp/journal.s3.json)"
	show_diff /tmp/journal.s3.json
done
# A last line cut short: the new record starts on a line of its own.
printf '{"time":"2026-01-01T00:00:00' >/tmp/j-torn.log
sec journal.torn sriovctl apply -f /tmp/j-one.yaml --change-log /tmp/j-torn.log
check "a torn change log: apply exits 0" 0 $?
check "a torn change log: the torn line ended, then one record" "2 yes" \
	"$(wc -l </tmp/j-torn.log) $(sed -n 2p /tmp/j-torn.log | grep -q '^{"time":"20[0-9-]*T.*"attribute":"vlan".*"result":"ok"' && echo yes)"

# ------------------------------------------------ back as found
sec journal.restore sriovctl restore /tmp/journal.s0.json
check "restore of the state before the scenario exits 0" 0 $?
check "every device as the scenario found it" yes "$(same_as /tmp/journal.s0.json)"
show_diff /tmp/journal.s0.json
for n in $UPVFS; do
	ip link set "$n" up
done
true
