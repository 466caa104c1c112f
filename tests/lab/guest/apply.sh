# A self-checking scenario: `sriovctl plan` and `apply` from a policy on the
# real kernel (the NVMe PF's VF count and a VF's driver, a netdevsim VF's
# VLAN: VF 0, which has one already — netdevsim reports no VLAN protocol
# until a VLAN is set, and none cannot be set back): the plan's lines, the change log and syslog records, a second
# apply that writes nothing, an apply interrupted by SIGTERM that rolls
# back, and the host lock between two sriovctl. The state saved first is
# restored at the end: every device is left as it was found.

NSIM=/sys/bus/netdevsim/devices/netdevsim1
NET=$(ls "$NSIM/net" | head -n 1)
NVME=$(find_pf 0x1b36 0x0010)
ND=/sys/bus/pci/devices/$NVME
N0=$(cat "$ND/sriov_numvfs")
N1=$((N0 + 1))
LOG=/var/log/sriovctl/changes.log
E=$(vfentry "$NET" 0)
OLDV="$(field "$E" vlan)"
[ "$(field "$E" qos)" ] && [ "$(field "$E" qos)" != 0 ] && OLDV="$OLDV qos $(field "$E" qos)"

sec apply.save sriovctl save -p
check "save exits 0" 0 $?
cp /tmp/sec.out /tmp/apply0.json

# busybox's syslogd, for the records apply sends to syslog
syslogd -n -O /tmp/syslog.txt &
SYSLOGD=$!
wait_until 5 test -S /dev/log

cat >/tmp/p1.yaml <<EOF
pfs:
  - match: {pci: "$NVME"}
    num_vfs: $N1
    drivers_autoprobe: false
    vfs:
      "0": {driver: vfio-pci}
  - match: {netdev: $NET}
    vfs:
      "0": {vlan: 7, qos: 1}
EOF
cat >/tmp/p2.yaml <<EOF
pfs:
  - match: {pci: "$NVME"}
    num_vfs: $N0
    drivers_autoprobe: false
  - match: {netdev: $NET}
    vfs:
      "0": {vlan: 8}
EOF

AP=$(cat "$ND/sriov_drivers_autoprobe")
WANT="$NVME num_vfs: $N0 -> $N1$([ "$N0" -gt 0 ] && echo " (through 0)")"
[ "$AP" = 1 ] && WANT="$WANT $NVME drivers_autoprobe: on -> off"
WANT="$WANT $NVME/vf0 driver: (re-created) -> vfio-pci $NET/vf0 vlan: $OLDV -> 7 qos 1"

# 1. The plan, then apply: the changes and their records.
sec apply.plan sriovctl plan -f /tmp/p1.yaml --detailed-exitcode
check "plan --detailed-exitcode: 3, changes to make" 3 $?
check "plan: one line per change, in apply's order" "$WANT" \
	"$(grep ' -> ' /tmp/sec.out)"
sec apply.apply sriovctl apply -f /tmp/p1.yaml
check "apply exits 0" 0 $?
check "apply prints each change" yes \
	"$(grep -q "^$NVME/vf0 driver: (re-created) -> vfio-pci$" /tmp/sec.out &&
	   grep -q "^$NET/vf0 vlan: $OLDV -> 7 qos 1$" /tmp/sec.out && echo yes)"
check "apply: the NVMe PF has $N1 VFs" "$N1" "$(cat "$ND/sriov_numvfs")"
check "apply: its VF 0 is on vfio-pci" vfio-pci \
	"$(basename "$(readlink "/sys/bus/pci/devices/$(vf "$NVME" 0)/driver")")"
E=$(vfentry "$NET" 0)
check "apply: ip shows the netdevsim VF's VLAN" "7 1" \
	"$(field "$E" vlan) $(field "$E" qos)"
check "the change log is created 0640" 640 "$(stat -c %a "$LOG")"
C="\"command\":\"sriovctl apply -f /tmp/p1.yaml\""
check "change log: the VF count, old and new" 1 \
	"$(grep -c "$C,\"device\":\"$NVME\",\"pf\":\"$NVME\",\"attribute\":\"num_vfs\",\"old\":\"$N0\",\"new\":\"$N1\",\"result\":\"ok\",\"error\":null,\"message\":null}$" "$LOG")"
check "change log: the driver, old as the host had it just before" 1 \
	"$(grep -c "\"device\":\"$NVME/vf0\",\"pf\":\"$NVME\",\"attribute\":\"driver\",\"old\":\"none\",\"new\":\"vfio-pci\",\"result\":\"ok\"" "$LOG")"
check "change log: the VLAN through the netdevsim PF" 1 \
	"$(grep -c "\"device\":\"$NET/vf0\",\"pf\":\"netdevsim1\",\"attribute\":\"vlan\",\"old\":\"$OLDV\",\"new\":\"7 qos 1\",\"result\":\"ok\"" "$LOG")"
check "change log: one JSON line per change, each with time and uid" \
	"$(echo "$WANT" | grep -o ' -> ' | wc -l)" \
	"$(grep -c '^{"time":"20[0-9-]*T[0-9:]*\.[0-9]\{6\}Z","uid":0,' "$LOG")"
wait_until 3 grep -q "$NET/vf0 vlan: $OLDV -> 7 qos 1" /tmp/syslog.txt
check "syslog: the change, as notice, with sriovctl's pid" yes \
	"$(grep -q "daemon.notice sriovctl\[[0-9]*\]: $NET/vf0 vlan: $OLDV -> 7 qos 1$" /tmp/syslog.txt && echo yes)"
[ -s /tmp/syslog.txt ] || echo "syslog empty"

# 2. Again: nothing to do, nothing written, nothing logged.
LINES=$(wc -l <"$LOG")
sec apply.plan2 sriovctl plan -f /tmp/p1.yaml --detailed-exitcode
check "plan after apply: exit 0" 0 $?
check "plan after apply: nothing to do" \
	"nothing to do: the host matches the policy" "$(cat /tmp/sec.out)"
sec apply.again sriovctl apply -f /tmp/p1.yaml
check "apply again: exit 0, nothing to do" \
	"0 nothing to do: the host matches the policy" "$? $(cat /tmp/sec.out)"
check "apply again: no change record" "$LINES" "$(wc -l <"$LOG")"

# 3. Interrupted: apply stops itself (SIGSTOP, the CLI's test hook) once
# its second step is journaled, right after its first, holding the lock.
# SIGTERM then, and the second step must not be made; the first is undone.
rm -f /tmp/a2.log
SRIOVCTL_TEST_RAISE=STOP:1 sriovctl apply -f /tmp/p2.yaml --change-log /tmp/a2.log >/tmp/a2.out 2>/tmp/a2.err &
A2=$!
wait_until 30 grep -q '^State:.*T' "/proc/$A2/status"
check "interrupted apply: its first step is made" "$N0" "$(cat "$ND/sriov_numvfs")"
sec apply.locked sriovctl apply -f /tmp/p1.yaml --lock-timeout 0
check "a second apply meanwhile: exit 1" 1 $?
check "a second apply meanwhile: who holds the lock" \
	"sriovctl: another sriovctl (pid $A2, sriovctl) is changing the host; try again when it is done" \
	"$(cat /tmp/sec.err)"
rm -f /tmp/vs.done
(sriovctl vf "$NET/vf1" set trust on >/tmp/vs.out 2>&1
 echo "$? $(cut -d' ' -f1 /proc/uptime)" >/tmp/vs.done) &
sleep 1
check "vf set meanwhile waits for the lock" no \
	"$(test -e /tmp/vs.done && echo yes || echo no)"
kill -TERM "$A2"
kill -CONT "$A2"
RELEASE=$(cut -d' ' -f1 /proc/uptime)
wait "$A2"
check "interrupted apply: exit 1" 1 $?
check "interrupted apply: says so, and rolled back" yes \
	"$(grep -q '^sriovctl: interrupted by SIGTERM before the next change$' /tmp/a2.err &&
	   grep -q '^sriovctl: rolled back' /tmp/a2.err && echo yes)"
check "interrupted apply: records" \
	"driver rolled-back num_vfs ok num_vfs rolled-back vlan failed" \
	"$(sed 's/.*"attribute":"\([^"]*\)".*"result":"\([^"]*\)".*/\1 \2/; s/rolled back/rolled-back/' /tmp/a2.log | grep -v 'drivers_autoprobe' | sort | tr '\n' ' ' | sed 's/ $//')"
check "interrupted apply: the change not made is marked" 1 \
	"$(grep -c "\"device\":\"$NET/vf0\",.*\"new\":\"8\",\"result\":\"failed\",\"error\":\"Operation canceled\",\"message\":\"interrupted\"}" /tmp/a2.log)"
check "interrupted apply: the VLAN was never changed" 7 \
	"$(field "$(vfentry "$NET" 0)" vlan)"
sec apply.plan3 sriovctl plan -f /tmp/p1.yaml --detailed-exitcode
check "after the rollback the host matches the first policy again" 0 $?
wait_until 15 test -e /tmp/vs.done
check "vf set went on once the lock was free: exit 0" 0 "$(cut -d' ' -f1 /tmp/vs.done)"
check "vf set ended after the interrupted apply let go" yes \
	"$(awk -v r="$RELEASE" '{ print ($2 >= r) ? "yes" : "no" }' /tmp/vs.done)"

# 4. Back to the state found: restore, itself under the lock and logged.
sec apply.restore sriovctl restore /tmp/apply0.json
check "restore exits 0" 0 $?
check "restore's changes are in the change log" yes \
	"$(grep -q '"command":"sriovctl restore /tmp/apply0.json"' "$LOG" && echo yes)"
sriovctl save -p >/tmp/apply1.json
check "every device as it was found" yes \
	"$(cmp -s /tmp/apply0.json /tmp/apply1.json && echo yes)"
[ -e /tmp/apply1.json ] && ! cmp -s /tmp/apply0.json /tmp/apply1.json &&
	diff /tmp/apply0.json /tmp/apply1.json | head -20
kill "$SYSLOGD"
wait "$SYSLOGD" 2>/dev/null
true
