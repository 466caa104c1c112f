# A self-checking scenario (boot K, its own: VFs move between network
# namespaces): the CNI plugin (/opt/cni/bin/sriov) on igb VFs with igbvf
# netdevs, run as a runtime runs it (CNI_* variables, the configuration
# on stdin), with Debian's reference host-local (IPAM) and tuning (next in
# the chain). ADD into a namespace made here; CHECK passes, then names
# each drift injected with ip; DEL gives the netdev back under its name
# with the VF's attributes as they were; DEL again; DEL after the
# namespace was deleted; GC of a leaked attachment; 2 ADDs in parallel;
# a PF, a busy VF and an attribute igb refuses are refused; a vfio-pci VF
# is configured without a move.

IG=$(find_pf 0x8086 0x10c9)
NET=$(ls "/sys/bus/pci/devices/$IG/net" | head -n 1)
export CNI_PATH=/opt/cni/bin
STATE=/var/lib/cni/sriovctl
mkdir -p /var/lib/cni /run/netns

netdev_of() {
	ls "/sys/bus/pci/devices/$1/net" 2>/dev/null | head -n 1
}

# cni VERB CID NETNS IFNAME CONF: the plugin as a runtime calls it; stdout
# in /tmp/cni.out, the exit status returned.
cni() {
	printf %s "$5" | CNI_COMMAND=$1 CNI_CONTAINERID=$2 CNI_NETNS=$3 \
		CNI_IFNAME=$4 /opt/cni/bin/sriov >/tmp/cni.out 2>/tmp/cni.err
}

# tuning VERB CID NETNS IFNAME CONF: the reference plugin after it.
tuning() {
	printf %s "$5" | CNI_COMMAND=$1 CNI_CONTAINERID=$2 CNI_NETNS=$3 \
		CNI_IFNAME=$4 /opt/cni/bin/tuning >/tmp/cni.out 2>/tmp/cni.err
}

# vlan ENTRY: the VF's VLAN in a vfentry, 0 for none (igb lists [{}])
vlan() {
	_v=$(field "$1" vlan)
	echo "${_v:-0}"
}

code() {
	sed -n 's/.*"code": *\([0-9]*\).*/\1/p' /tmp/cni.out | head -n 1
}

has() {
	grep -q -- "$1" "${2:-/tmp/cni.out}" && echo yes || echo no
}

# the PF up: igb answers its VFs' mailbox and takes rates only with a link
sec cni.up ip link set "$NET" up
timed cni.wait.carrier 20 carrier_up "$NET"
sec cni.numvfs sriovctl pf "$NET" set-vfs 4
check "set-vfs 4 exits 0" 0 $?
VF0=$(vf "$IG" 0)
VF1=$(vf "$IG" 1)
VF2=$(vf "$IG" 2)
VF3=$(vf "$IG" 3)
for a in "$VF0" "$VF1" "$VF2" "$VF3"; do
	wait_until 20 has_netdev "$a"
done
timed cni.wait.carrier2 20 carrier_up "$NET"
H0=$(netdev_of "$VF0")
H1=$(netdev_of "$VF1")
H3=$(netdev_of "$VF3")
MAC0=$(cat "/sys/class/net/$H0/address")
check "the 4 VFs have igbvf netdevs" "yes yes yes" \
	"$([ -n "$H0" ] && echo yes) $([ -n "$H1" ] && echo yes) $([ -n "$H3" ] && echo yes)"
sec cni.vf0.before vfentry "$NET" 0
V0=$(cat /tmp/sec.out)

sec cni.version sh -c 'echo "{\"cniVersion\":\"1.1.0\"}" | CNI_COMMAND=VERSION /opt/cni/bin/sriov'
check "VERSION exits 0 and lists 1.1.0 and 0.3.1" "0 yes yes" \
	"$? $(has '"1.1.0"' /tmp/sec.out) $(has '"0.3.1"' /tmp/sec.out)"
cni STATUS "" "" "" '{"cniVersion":"1.1.0","name":"sriov-net","type":"sriov"}'
check "STATUS exits 0 and prints nothing" "0 0" "$? $(wc -c </tmp/cni.out)"
printf %s '{"cniVersion":"1.1.0","name":"n","type":"sriov"}' | SRIOV_CNI_STATE_DIR=/proc/no/such \
	CNI_COMMAND=STATUS /opt/cni/bin/sriov >/tmp/cni.out 2>/dev/null
check "STATUS with an unusable state dir: exit 1, code 50" "1 50" "$? $(code)"

IPAM='"ipam":{"type":"host-local","subnet":"10.56.0.0/24","gateway":"10.56.0.1","routes":[{"dst":"10.57.0.0/16"}],"dataDir":"/tmp/ipam"}'
CONF0="{\"cniVersion\":\"1.0.0\",\"name\":\"sriov-net\",\"type\":\"sriov\",\"deviceID\":\"$VF0\",\"vlan\":100,\"vlanQoS\":2,\"spoofchk\":\"off\",\"trust\":\"on\",\"max_tx_rate\":100,\"mac\":\"02:00:00:00:aa:01\",$IPAM}"

# ---- ADD, with tuning after it
sec cni.netns ip netns add pod1
cni ADD c1 /run/netns/pod1 net1 "$CONF0"
check "ADD exits 0" 0 $?
cp /tmp/cni.out /tmp/cni.add1
sec cni.add1 cat /tmp/cni.add1
check "the result names net1 in the netns, with host-local's address" "yes yes yes" \
	"$(has '"name": "net1"' /tmp/cni.add1) $(has '"sandbox": "/run/netns/pod1"' /tmp/cni.add1) $(has '10.56.0.2/24' /tmp/cni.add1)"
check "the 1.0.0 result has no pciID (a 1.1 field)" no "$(has pciID /tmp/cni.add1)"
check "VF0's netdev left the host namespace" "" "$(netdev_of "$VF0")"
sec cni.pod1.link ip -n pod1 -o link show net1
check "net1 is in pod1, up, with the configured MAC" "yes yes" \
	"$(has '02:00:00:00:aa:01' /tmp/sec.out) $(has 'UP' /tmp/sec.out)"
sec cni.pod1.addr ip -n pod1 -o addr show net1
check "net1 has 10.56.0.2/24" yes "$(has '10.56.0.2/24' /tmp/sec.out)"
sec cni.pod1.route ip -n pod1 route show
check "and the route of the IPAM result" yes "$(has '10.57.0.0/16' /tmp/sec.out)"
sec cni.vf0.after vfentry "$NET" 0
E=$(cat /tmp/sec.out)
check "the PF reports vlan 100 qos 2, spoofchk off, trust on, max_tx 100" \
	"100 2 false true 100" \
	"$(vlan "$E") $(field "$E" qos) $(field "$E" spoofchk) $(field "$E" trust) $(field "$E" max_tx)"
check "the VF's attachment record and owner (with the boot id) are in $STATE" "yes yes" \
	"$([ -f $STATE/c1-net1.json ] && echo yes) $(grep -qx "c1-net1 $(cat /proc/sys/kernel/random/boot_id)" $STATE/$VF0.owner && echo yes)"
sec cni.show sriovctl show "$VF0"
check "sriovctl show names the attachment holding VF0" yes "$(has 'attached to c1-net1' /tmp/sec.out)"
check "the change log has ADD's records for c1" yes \
	"$(grep -q 'sriov-cni ADD c1/net1' /var/log/sriovctl/changes.log && echo yes)"

PREV=$(cat /tmp/cni.add1)
TUNE="{\"cniVersion\":\"1.0.0\",\"name\":\"sriov-net\",\"type\":\"tuning\",\"mtu\":1400,\"prevResult\":$PREV}"
tuning ADD c1 /run/netns/pod1 net1 "$TUNE"
check "tuning ADD after it exits 0" 0 $?
cp /tmp/cni.out /tmp/cni.tune1
sec cni.pod1.mtu ip -n pod1 -o link show net1
check "tuning set net1's MTU to 1400" yes "$(has 'mtu 1400' /tmp/sec.out)"
PREV=$(cat /tmp/cni.tune1)
CHK0="${CONF0%\}},\"prevResult\":$PREV}"

# ---- CHECK
cni CHECK c1 /run/netns/pod1 net1 "$CHK0"
check "CHECK exits 0 on the attachment as ADD left it" 0 $?
sec cni.drift.vlan ip link set "$NET" vf 0 vlan 200 qos 0
sec cni.drift.trust ip link set "$NET" vf 0 trust off
cni CHECK c1 /run/netns/pod1 net1 "$CHK0"
check "CHECK after vlan and trust changed with ip: exit 1, code 104" "1 104" "$? $(code)"
sec cni.check.drift cat /tmp/cni.out
check "it names both drifts" "yes yes yes" \
	"$(has '2 drifts' /tmp/cni.out) $(has 'vlan is 200, configured 100 qos 2' /tmp/cni.out) $(has 'trust is off, configured on' /tmp/cni.out)"
ip link set "$NET" vf 0 vlan 100 qos 2
ip link set "$NET" vf 0 trust on
ip -n pod1 link set net1 down
sec cni.drift.rename ip -n pod1 link set net1 name net9
cni CHECK c1 /run/netns/pod1 net1 "$CHK0"
check "CHECK after net1 was renamed: exit 1, names it" "1 yes" \
	"$? $(has 'net1 is not in the netns' /tmp/cni.out)"
ip -n pod1 link set net9 name net1
ip -n pod1 link set net1 up
cni CHECK c1 /run/netns/pod1 net1 "$CHK0"
check "CHECK passes again once put back" 0 $?

# ---- a busy VF, a PF, an attribute igb has not
sec cni.netns3 ip netns add pod3
cni ADD c3 /run/netns/pod3 net1 "$CONF0"
check "ADD of VF0 for another container: exit 1, code 101" "1 101" "$? $(code)"
check "which names the holder" yes "$(has 'attached to c1-net1' /tmp/cni.out)"
cni ADD c3 /run/netns/pod3 net1 "{\"cniVersion\":\"1.1.0\",\"name\":\"sriov-net\",\"type\":\"sriov\",\"deviceID\":\"$IG\"}"
check "ADD of the PF: exit 1, code 100, says it is a PF" "1 100 yes" "$? $(code) $(has 'is a PF' /tmp/cni.out)"
cni ADD c3 /run/netns/pod3 net1 "{\"cniVersion\":\"1.1.0\",\"name\":\"sriov-net\",\"type\":\"sriov\",\"deviceID\":\"$VF1\",\"vlan\":7,\"link_state\":\"enable\"}"
check "ADD with link_state on igb: exit 1, code 102, names link-state and the quirk" "1 102 yes yes" \
	"$? $(code) $(has 'link-state' /tmp/cni.out) $(has 'quirk igb.no-link-state' /tmp/cni.out)"
sec cni.vf1.refused vfentry "$NET" 1
check "nothing was changed on VF1 (vlan still 0), no record left" "0 no yes" \
	"$(vlan "$(cat /tmp/sec.out)") $([ -e $STATE/$VF1.owner ] && echo yes || echo no) $(netdev_of "$VF1" | grep -qx "$H1" && echo yes)"

# ---- DEL, and DEL again
tuning DEL c1 /run/netns/pod1 net1 "$TUNE"
check "tuning DEL exits 0" 0 $?
cni DEL c1 /run/netns/pod1 net1 "$CONF0"
check "DEL exits 0 and prints nothing" "0 0" "$? $(wc -c </tmp/cni.out)"
check "VF0's netdev is back in the host under its name" "$H0" "$(netdev_of "$VF0")"
check "with its MAC and MTU" "$MAC0 1500" \
	"$(cat /sys/class/net/$H0/address) $(cat /sys/class/net/$H0/mtu)"
sec cni.vf0.del vfentry "$NET" 0
E=$(cat /tmp/sec.out)
check "the PF reports VF0's MAC, vlan, qos, spoofchk, trust and rate as before ADD" \
	"$(field "$V0" address) $(vlan "$V0") $(field "$V0" qos) $(field "$V0" spoofchk) $(field "$V0" trust) $(field "$V0" max_tx)" \
	"$(field "$E" address) $(vlan "$E") $(field "$E" qos) $(field "$E" spoofchk) $(field "$E" trust) $(field "$E" max_tx)"
check "DEL's MAC records in the change log: the PF's given up, then set back to $(field "$V0" address)" 2 \
	"$(grep 'sriov-cni DEL c1/net1' /var/log/sriovctl/changes.log | grep '"attribute":"mac"' | grep -c "\"new\":\"$(field "$V0" address)\"")"
check "the records are gone" "no no" \
	"$([ -e $STATE/c1-net1.json ] && echo yes || echo no) $([ -e $STATE/$VF0.owner ] && echo yes || echo no)"
cni DEL c1 /run/netns/pod1 net1 "$CONF0"
check "DEL again exits 0" 0 $?
check "host-local released 10.56.0.2" no "$([ -e /tmp/ipam/sriov-net/10.56.0.2 ] && echo yes || echo no)"

# ---- DEL after the namespace was deleted
CONF1="{\"cniVersion\":\"1.1.0\",\"name\":\"sriov-net\",\"type\":\"sriov\",\"deviceID\":\"$VF1\",\"vlan\":101}"
sec cni.netns2 ip netns add pod2
cni ADD c2 /run/netns/pod2 net1 "$CONF1"
check "ADD of VF1 (1.1.0) exits 0" 0 $?
check "the 1.1.0 result has pciID and mtu" "yes yes" \
	"$(has "\"pciID\": \"$VF1\"") $(has '"mtu": 1500')"
sec cni.netns2.del ip netns del pod2
timed cni.wait.home 20 has_netdev "$VF1"
sec cni.vf1.home ls "/sys/bus/pci/devices/$VF1/net"
cni DEL c2 /run/netns/pod2 net1 "$CONF1"
check "DEL after the namespace went: exit 0" 0 $?
check "VF1's netdev has its host name again" "$H1" "$(netdev_of "$VF1")"
sec cni.vf1.del vfentry "$NET" 1
check "and VF1's vlan is 0 again" 0 "$(vlan "$(cat /tmp/sec.out)")"

# ---- a vfio-pci VF: attributes only
sec cni.bind2 sriovctl vf "$NET/vf2" bind vfio-pci
check "VF2 bound to vfio-pci" 0 $?
CONF2="{\"cniVersion\":\"1.1.0\",\"name\":\"sriov-net\",\"type\":\"sriov\",\"deviceID\":\"$VF2\",\"vlan\":300,\"mac\":\"02:00:00:00:aa:02\"}"
cni ADD c5 /run/netns/pod3 net1 "$CONF2"
check "ADD of the vfio-pci VF exits 0" 0 $?
sec cni.add5 cat /tmp/cni.out
check "its result has no sandbox (nothing moved) and its pciID" "no yes" \
	"$(has sandbox) $(has "\"pciID\": \"$VF2\"")"
sec cni.vf2.after vfentry "$NET" 2
E=$(cat /tmp/sec.out)
check "the PF reports VF2 with vlan 300 and the MAC" "300 02:00:00:00:aa:02" \
	"$(vlan "$E") $(field "$E" address)"
cni DEL c5 /run/netns/pod3 net1 "$CONF2"
check "DEL of it exits 0" 0 $?
sec cni.vf2.del vfentry "$NET" 2
check "VF2's vlan is 0 again" 0 "$(vlan "$(cat /tmp/sec.out)")"

# ---- 2 ADDs in parallel, then GC of one as leaked (host-local 1.1.1
# speaks up to 1.0.0: "incompatible CNI versions" for a 1.1.0 configuration)
sec cni.netns4 ip netns add pod4
CONF3="{\"cniVersion\":\"1.0.0\",\"name\":\"sriov-net\",\"type\":\"sriov\",\"deviceID\":\"$VF3\",\"vlan\":103,$IPAM}"
CONF0B="{\"cniVersion\":\"1.0.0\",\"name\":\"sriov-net\",\"type\":\"sriov\",\"deviceID\":\"$VF0\",\"vlan\":104,$IPAM}"
( printf %s "$CONF0B" | CNI_COMMAND=ADD CNI_CONTAINERID=c3 CNI_NETNS=/run/netns/pod3 \
	CNI_IFNAME=net1 /opt/cni/bin/sriov >/tmp/par.a 2>&1; echo $? >/tmp/par.a.rc ) &
( printf %s "$CONF3" | CNI_COMMAND=ADD CNI_CONTAINERID=c4 CNI_NETNS=/run/netns/pod4 \
	CNI_IFNAME=net1 /opt/cni/bin/sriov >/tmp/par.b 2>&1; echo $? >/tmp/par.b.rc ) &
wait
sec cni.par cat /tmp/par.a /tmp/par.b
check "2 ADDs at once on one PF both exit 0" "0 0" "$(cat /tmp/par.a.rc) $(cat /tmp/par.b.rc)"
check "each VF is in its own pod" "yes yes" \
	"$(ip -n pod3 link show net1 >/dev/null 2>&1 && echo yes) $(ip -n pod4 link show net1 >/dev/null 2>&1 && echo yes)"
cni GC "" "" "" '{"cniVersion":"1.1.0","name":"sriov-net","type":"sriov",'"$IPAM"',"cni.dev/valid-attachments":[{"containerID":"c3","ifname":"net1"}]}'
check "GC with only c3 valid exits 0" 0 $?
check "GC gave c4's VF3 back to the host under its name" "$H3" "$(netdev_of "$VF3")"
check "and dropped c4's records, kept c3's" "no yes" \
	"$([ -e $STATE/c4-net1.json ] && echo yes || echo no) $([ -e $STATE/c3-net1.json ] && echo yes || echo no)"
sec cni.vf3.gc vfentry "$NET" 3
check "VF3's vlan is 0 again" 0 "$(vlan "$(cat /tmp/sec.out)")"
cni DEL c3 /run/netns/pod3 net1 "$CONF0B"
check "DEL of c3 exits 0" 0 $?
check "VF0 back home" "$H0" "$(netdev_of "$VF0")"
sec cni.state.left ls -a $STATE
check "no attachment record is left" 0 "$(ls $STATE | grep -c '\.json$')"

# ---- driven by a real CNI client: libcni (Debian's 1.1.2, spec <= 1.0.0)
# runs the conflist sriov -> tuning, with the runtime's mac capability,
# its result cache giving CHECK and DEL their prevResult
mkdir -p /etc/cni/net.d
LIST=/etc/cni/net.d/10-sriov.conflist
cat >$LIST <<EOT
{"cniVersion":"1.0.0","name":"sriov-lib","plugins":[
 {"type":"sriov","deviceID":"$VF1","vlan":110,"spoofchk":"on","capabilities":{"mac":true},
  "ipam":{"type":"host-local","subnet":"10.58.0.0/24","dataDir":"/tmp/ipam"}},
 {"type":"tuning","mtu":1450}]}
EOT
MAC1=$(cat "/sys/class/net/$H1/address")
sec cni.lib.vf1.before vfentry "$NET" 1
V1=$(cat /tmp/sec.out)
sec cni.lib.netns ip netns add pod5
sec cni.lib.validate cnidrv validate $LIST /run/netns/pod5 c6 net1
check "libcni validates the conflist (VERSION of each plugin)" 0 $?
sec cni.lib.add cnidrv add $LIST /run/netns/pod5 c6 net1 02:00:00:00:bb:01
check "libcni ADD through sriov and tuning exits 0" 0 $?
check "libcni parsed the result: the capability's MAC and host-local's address" "yes yes" \
	"$(has '"mac":"02:00:00:00:bb:01"' /tmp/sec.out) $(has '10.58.0.2/24' /tmp/sec.out)"
sec cni.lib.link ip -n pod5 -o link show net1
check "net1 in pod5 has that MAC and tuning's MTU 1450" "yes yes" \
	"$(has '02:00:00:00:bb:01' /tmp/sec.out) $(has 'mtu 1450' /tmp/sec.out)"
sec cni.lib.check cnidrv check $LIST /run/netns/pod5 c6 net1 02:00:00:00:bb:01
check "libcni CHECK exits 0" 0 $?
sec cni.lib.drift ip link set "$NET" vf 1 vlan 5
sec cni.lib.check2 cnidrv check $LIST /run/netns/pod5 c6 net1 02:00:00:00:bb:01
check "libcni CHECK after the VLAN changed: exit 1, naming it" "1 yes" \
	"$? $(has 'vlan is 5, configured 110' /tmp/sec.err)"
ip link set "$NET" vf 1 vlan 110
sec cni.lib.del cnidrv del $LIST /run/netns/pod5 c6 net1 02:00:00:00:bb:01
check "libcni DEL exits 0" 0 $?
check "VF1's netdev is home under its name" "$H1" "$(netdev_of "$VF1")"
sec cni.lib.vf1 vfentry "$NET" 1
E=$(cat /tmp/sec.out)
check "with vlan 0" 0 "$(vlan "$E")"
check "the netdev has its MAC again, the PF its MAC for VF1 as before" "$MAC1 $(field "$V1" address)" \
	"$(cat /sys/class/net/$H1/address) $(field "$E" address)"
sec cni.lib.del2 cnidrv del $LIST /run/netns/pod5 c6 net1 02:00:00:00:bb:01
check "libcni DEL again exits 0" 0 $?
sed 's/"vlan":110/"vlan":5000/' $LIST >/tmp/bad.conflist
sec cni.lib.bad cnidrv add /tmp/bad.conflist /run/netns/pod5 c7 net1
check "libcni ADD with vlan 5000: exit 1 with the plugin's message" "1 yes" \
	"$? $(has '"vlan": 5000 is out of range 0..4094' /tmp/sec.err)"
check "and nothing left in pod5" "" "$(ip -n pod5 -o link show net1 2>/dev/null)"

# ---- all 7 VFs igb has, 7 ADDs at once and 7 DELs at once: per-VF locks,
# no global serialisation, every VF back home
sec cni.par7.zero sriovctl pf "$NET" set-vfs 0
sec cni.par7.numvfs sriovctl pf "$NET" set-vfs 7
check "set-vfs 7 exits 0" 0 $?
i=0
while [ $i -lt 7 ]; do
	wait_until 20 has_netdev "$(vf "$IG" $i)"
	i=$((i + 1))
done
timed cni.par7.carrier 20 carrier_up "$NET"
i=0
while [ $i -lt 7 ]; do
	eval "P7H$i=\$(netdev_of \"\$(vf \"\$IG\" $i)\")"
	ip netns add "p7-$i"
	i=$((i + 1))
done
par7() {
	i=0
	while [ $i -lt 7 ]; do
		c="{\"cniVersion\":\"1.1.0\",\"name\":\"p7\",\"type\":\"sriov\",\"deviceID\":\"$(vf "$IG" $i)\",\"vlan\":$((200 + i))}"
		( printf %s "$c" | CNI_COMMAND=$1 CNI_CONTAINERID="p7c$i" CNI_NETNS="/run/netns/p7-$i" \
			CNI_IFNAME=net1 /opt/cni/bin/sriov >"/tmp/p7.$i" 2>&1; echo $? >"/tmp/p7.$i.rc" ) &
		i=$((i + 1))
	done
	wait
	cat /tmp/p7.?.rc | tr '\n' ' '
}
sec cni.par7.add par7 ADD
check "7 ADDs at once: all exit 0" "0 0 0 0 0 0 0 " "$(cat /tmp/sec.out)"
sec cni.par7.out sh -c 'for f in /tmp/p7.?; do echo "== $f"; cat "$f"; done' 
n=0
i=0
while [ $i -lt 7 ]; do
	ip -n "p7-$i" link show net1 >/dev/null 2>&1 && n=$((n + 1))
	i=$((i + 1))
done
check "each of the 7 VFs is in its own pod" 7 "$n"
sec cni.par7.pf ip -d link show "$NET"
check "the PF reports vlans 200..206" 7 "$(grep -c 'vlan 20[0-6]' /tmp/sec.out)"
sec cni.par7.del par7 DEL
check "7 DELs at once: all exit 0" "0 0 0 0 0 0 0 " "$(cat /tmp/sec.out)"
n=0
i=0
while [ $i -lt 7 ]; do
	eval "h=\$P7H$i"
	[ "$(netdev_of "$(vf "$IG" $i)")" = "$h" ] && n=$((n + 1))
	i=$((i + 1))
done
check "all 7 netdevs home under their names" 7 "$n"
sec cni.par7.pf2 ip -d link show "$NET"
check "and no VF keeps a vlan" 0 "$(grep -c 'vlan 20[0-6]' /tmp/sec.out)"
