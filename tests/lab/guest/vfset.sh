# A self-checking scenario: `sriovctl vf VF set` on the real kernel, judged
# by what `ip -j -d link show` reports afterwards. Runs after the netdevsim
# scenario (netdevsim1 with 4 VFs) and the igb one (2 VFs, PF link up).

NSIM=/sys/bus/netdevsim/devices/netdevsim1
NET=$(ls "$NSIM/net" | head -n 1)

E=$(vfentry "$NET" 0)
OLDVLAN="$(field "$E" vlan)"
[ "$(field "$E" qos)" ] && [ "$(field "$E" qos)" != 0 ] && OLDVLAN="$OLDVLAN qos $(field "$E" qos)"
OLDMAX=$(field "$E" max_tx)
sec vfset.nsim.all sriovctl vf "$NET/vf0" set mac 02:aa:00:00:00:01 \
	vlan 100 qos 3 proto 802.1ad spoofchk on trust off min-rate 5 \
	max-rate 50 link-state enable
check "netdevsim: setting every attribute exits 0" 0 $?
check "netdevsim: one old -> new line per attribute" 7 "$(grep -c ' -> ' /tmp/sec.out)"
check "netdevsim: spoofchk logged old -> new" yes \
	"$(grep -q "^$NET/vf0 spoofchk: off -> on$" /tmp/sec.out && echo yes)"
check "netdevsim: vlan logged old -> new" "$NET/vf0 vlan: $OLDVLAN -> 100 qos 3 proto 802.1ad" \
	"$(grep "^$NET/vf0 vlan: " /tmp/sec.out)"
check "netdevsim: max-rate logged old -> new" "$NET/vf0 max-rate: $OLDMAX -> 50" \
	"$(grep "^$NET/vf0 max-rate: " /tmp/sec.out)"
E=$(vfentry "$NET" 0)
check "netdevsim: mac" 02:aa:00:00:00:01 "$(field "$E" address)"
check "netdevsim: vlan" 100 "$(field "$E" vlan)"
check "netdevsim: qos" 3 "$(field "$E" qos)"
check "netdevsim: proto 802.1ad" 802.1ad "$(field "$E" protocol)"
check "netdevsim: spoofchk" true "$(field "$E" spoofchk)"
check "netdevsim: trust" false "$(field "$E" trust)"
check "netdevsim: min rate" 5 "$(field "$E" min_tx)"
check "netdevsim: max rate" 50 "$(field "$E" max_tx)"
check "netdevsim: link state" enable "$(field "$E" link_state)"

# A single rate keeps the other (IFLA_VF_RATE replaces both).
sec vfset.nsim.max sriovctl vf "$NET/vf0" set max-rate 80
check "netdevsim: max-rate alone exits 0" 0 $?
E=$(vfentry "$NET" 0)
check "netdevsim: max-rate alone keeps min rate" "5 80" \
	"$(field "$E" min_tx) $(field "$E" max_tx)"
sec vfset.nsim.q sriovctl vf "$NET/vf1" set query-rss on vlan 7 proto 802.1Q
check "netdevsim: query-rss and an 802.1Q vlan exit 0" 0 $?
E=$(vfentry "$NET" 1)
check "netdevsim: query-rss" true "$(field "$E" query_rss_en)"
# ip prints the protocol only for 802.1ad, qos only when not 0.
check "netdevsim: 802.1Q vlan, qos 0" "vlan=7 qos= proto=" \
	"vlan=$(field "$E" vlan) qos=$(field "$E" qos) proto=$(field "$E" protocol)"
check "netdevsim: the sriovctl view agrees" yes "$(sriovctl show --json "$NET" |
	grep -q '"query_rss":true' && echo yes)"

PF=$(find_pf 0x8086 0x10c9)
INET=$(ls "/sys/bus/pci/devices/$PF/net" | head -n 1)
VF1=$(vf "$PF" 1)
VNET0=$(ls "/sys/bus/pci/devices/$(vf "$PF" 0)/net" | head -n 1)

sec vfset.igb.max sriovctl vf "$INET/vf0" set max-rate 100
check "igb: max-rate 100 exits 0" 0 $?
check "igb: max rate" 100 "$(field "$(vfentry "$INET" 0)" max_tx)"
# ip's spelling is sriovctl's too, printed in the canonical one.
sec vfset.igb.alias sriovctl vf "$INET/vf0" set max_tx_rate 90
check "igb: max_tx_rate (ip's spelling) exits 0" 0 $?
check "igb: max_tx_rate 90 applied" 90 "$(field "$(vfentry "$INET" 0)" max_tx)"
check "igb: logged as max-rate 100 -> 90" yes \
	"$(grep -q "^$INET/vf0 max-rate: 100 -> 90$" /tmp/sec.out && echo yes)"
# A dry run on the real VF: the lines of the real run, nothing changed.
IBEFORE=$(ip -j -d link show dev "$INET")
sec vfset.igb.dry sriovctl vf "$INET/vf0" set max-rate 70 trust on spoofchk no -n
check "igb: vf set -n exits 0" 0 $?
check "igb: vf set -n prints max-rate 90 -> 70" yes \
	"$(grep -q "^$INET/vf0 max-rate: 90 -> 70$" /tmp/sec.out && echo yes)"
check "igb: vf set -n prints spoofchk on -> off" yes \
	"$(grep -q "^$INET/vf0 spoofchk: on -> off$" /tmp/sec.out && echo yes)"
sec vfset.igb.dryrefused sriovctl vf "$INET/vf0" set state disable -n
check "igb: vf set -n of a link state igb refuses exits 1" 1 $?
check "igb: vf set -n changed nothing" yes \
	"$([ "$IBEFORE" = "$(ip -j -d link show dev "$INET")" ] && echo yes)"
# The quirk table (docs/quirks.md) knows igb refuses a min rate: refused
# up front, naming the quirk, nothing sent; --force asks the kernel, whose
# answer is the errno the quirk predicted (EINVAL).
IBEFORE=$(ip -j -d link show dev "$INET")
sec vfset.igb.quirk sriovctl vf "$INET/vf0" set min-rate 10 spoofchk off
check "igb: min-rate refused up front exits 1" 1 $?
check "igb: the refusal names the quirk, its errno and nothing was changed" "yes yes" \
	"$(grep -q "min-rate 10: the driver igb refuses it: quirk igb.no-min-rate: .*(EINVAL; source: drivers/net/ethernet/intel/igb/igb_main.c igb_ndo_set_vf_bw" /tmp/sec.err && echo yes) $(grep -q 'nothing was changed; leave the setting out, or --force' /tmp/sec.err && echo yes)"
check "igb: the up-front refusal sent nothing (spoofchk unchanged)" yes \
	"$([ "$IBEFORE" = "$(ip -j -d link show dev "$INET")" ] && echo yes)"
sec vfset.igb.min sriovctl vf "$INET/vf0" set min-rate 10 --force
check "igb: min-rate --force exits 1" 1 $?
check "igb: --force: the kernel's refusal is the quirk's EINVAL (Invalid argument)" yes \
	"$(grep -q 'min-rate 10: refused by the driver (Invalid argument)' /tmp/sec.out && echo yes)"
sec vfset.igb.mixed sriovctl vf "$VNET0" set spoofchk off min-rate 10 --force
check "igb: spoofchk off with a refused min-rate exits 1" 1 $?
check "igb: spoofchk off applied despite the refused min-rate" false \
	"$(field "$(vfentry "$INET" 0)" spoofchk)"
check "igb: the spoofchk line says on -> off" yes \
	"$(grep -q "^$INET/vf0 spoofchk: on -> off$" /tmp/sec.out && echo yes)"
sec vfset.igb.trust sriovctl vf "$VF1" set trust on
check "igb: trust on through the VF's PCI address exits 0" 0 $?
check "igb: trust" true "$(field "$(vfentry "$INET" 1)" trust)"
sec vfset.igb.statequirk sriovctl vf "$VF1" set link-state disable
check "igb: link-state refused up front exits 1" 1 $?
check "igb: the refusal names igb.no-link-state (EOPNOTSUPP)" yes \
	"$(grep -q 'link-state disable: the driver igb refuses it: quirk igb.no-link-state: .*(EOPNOTSUPP;' /tmp/sec.err && echo yes)"
sec vfset.igb.state sriovctl vf "$VF1" set link-state disable --force
check "igb: link-state --force exits 1" 1 $?
check "igb: --force: the kernel's refusal is the quirk's EOPNOTSUPP (Operation not supported)" yes \
	"$(grep -q 'link-state disable: refused by the driver (Operation not supported)' /tmp/sec.out && echo yes)"

# Bad input: the right exit status and nothing sent.
BEFORE=$(ip -j -d link show dev "$INET")
NBEFORE=$(ip -j -d link show dev "$NET")
sec vfset.bad.mcast sriovctl vf "$INET/vf0" set trust on mac 01:00:5e:00:00:01
check "bad input: a multicast MAC exits 1" 1 $?
check "bad input: the multicast MAC is explained" yes \
	"$(grep -q 'multicast' /tmp/sec.err && echo yes)"
sec vfset.bad.vlan sriovctl vf "$NET/vf0" set spoofchk off vlan 4095
check "bad input: vlan 4095 exits 1" 1 $?
sec vfset.bad.rate sriovctl vf "$NET/vf0" set trust on min-rate 90
check "bad input: min-rate above the current max-rate exits 1" 1 $?
sec vfset.bad.attr sriovctl vf "$NET/vf0" set trust on colour blue
check "bad input: an unknown attribute exits 2" 2 $?
sec vfset.bad.vf sriovctl vf "$INET/vf7" set trust on
check "bad input: an unknown VF exits 1" 1 $?
sec vfset.bad.pf sriovctl vf "$INET" set trust on
check "bad input: a PF instead of a VF exits 1" 1 $?
check "bad input: igb unchanged" yes \
	"$([ "$BEFORE" = "$(ip -j -d link show dev "$INET")" ] && echo yes)"
check "bad input: netdevsim unchanged" yes \
	"$([ "$NBEFORE" = "$(ip -j -d link show dev "$NET")" ] && echo yes)"

# A PF without a netdev (the NVMe, 2 VFs by now) cannot configure its VFs.
NVME=$(find_pf 0x1b36 0x0010)
sec vfset.bad.nvme sriovctl vf "$NVME/vf0" set trust on
check "a PF without a netdev: exits 1" 1 $?
check "a PF without a netdev: says so" yes \
	"$(grep -q 'has no netdev' /tmp/sec.err && echo yes)"
