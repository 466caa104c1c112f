# A self-checking scenario in a boot of its own (F): Debian's
# systemd-udevd runs the rules that keep a VF count, on the real kernel
# with igb. udevd names igb's netdev as on a host (80-net-setup-link.rules,
# 99-default.link); then only the rule under test is in /etc/udev/rules.d
# and the PF meets the events of a boot: its driver bound after udevd
# started (unbind and bind: the PF's bind, its netdev's first add with the
# kernel's name), a hot-add (remove, rescan: PCI add, netdev add, bind),
# and udev's replay of add events (`udevadm trigger`, as at a boot where
# the driver bound in the initramfs). Each time: are the VFs back?
# And `sriovctl check` on the same host says what udevd did.

PF=$(find_pf 0x8086 0x10c9)
D=/sys/bus/pci/devices/$PF
RULES=/etc/udev/rules.d
wait_until 20 has_netdev "$PF"
KNAME=$(ls "$D/net" | head -n 1)
check "before udevd: igb's netdev has the kernel's name (name_assign_type 1)" 1 \
	"$(cat "/sys/class/net/$KNAME/name_assign_type")"

mkdir -p "$RULES" /etc/sriovctl /etc/systemd/system/multi-user.target.wants
sec udev.version udevadm --version
sec udev.start /usr/lib/systemd/systemd-udevd --daemon --resolve-names=never
check "systemd-udevd started" 0 $?
sec udev.coldplug udevadm trigger --action=add --subsystem-match=pci --subsystem-match=net
udevadm settle -t 60
NET=$(ls "$D/net" | head -n 1)
sec udev.names echo "kernel=$KNAME udev=$NET"
check "udevd renamed igb's netdev (name_assign_type 4)" 4 \
	"$(cat "/sys/class/net/$NET/name_assign_type")"
check "its udev name is not the kernel's" yes "$([ "$NET" != "$KNAME" ] && echo yes)"

numvfs() {
	cat "$D/sriov_numvfs"
}
numvfs_is() {
	[ "$(numvfs)" = "$1" ]
}
# the rule file alone, udevd told
rule() {
	rm -f "$RULES"/*.rules
	[ -n "$2" ] && printf '%s\n' "$2" >"$RULES/$1"
	udevadm control --reload
}
# igb binds after udevd started: a module loaded by udev, a reload
rebind() {
	write 0 "$D/sriov_numvfs"
	udevadm settle -t 60
	write "$PF" /sys/bus/pci/drivers/igb/unbind
	write "$PF" /sys/bus/pci/drivers/igb/bind
	udevadm settle -t 60
	wait_until 20 has_netdev "$PF"
	wait_until 30 numvfs_is "$1"
	numvfs
}
# the PF hot-added: PCI add (no driver yet), its netdev's add, its bind
hotadd() {
	write 0 "$D/sriov_numvfs"
	udevadm settle -t 60
	write 1 "$D/remove"
	udevadm settle -t 60
	write 1 /sys/bus/pci/rescan
	udevadm settle -t 60
	wait_until 20 has_netdev "$PF"
	wait_until 10 numvfs_is "$1"
	numvfs
}
# igb bound before udevd started: udevd sees the add events `udevadm
# trigger` replays (systemd-udev-trigger.service at a boot)
replay() {
	write 0 "$D/sriov_numvfs"
	udevadm settle -t 60
	udevadm trigger --action=add "$D" "/sys/class/net/$(ls "$D/net" | head -n 1)"
	udevadm settle -t 60
	wait_until 10 numvfs_is "$1"
	numvfs
}
# the vf.persisted finding of `sriovctl check --json PF`, one field
persisted() {
	sriovctl check --json "$PF" | sed 's/},{"id":/}\n{"id":/g' | grep '^{"id":"vf.persisted"' |
		case $1 in
		severity) sed -n 's/.*"severity":"\([a-z]*\)".*/\1/p' ;;
		evidence) sed -n 's/.*"evidence":"\(.*\)","remedy".*/\1/p' | sed 's/\\"/"/g' ;;
		remedy) sed -n 's/.*"remedy":"\(.*\)"}.*/\1/p' | sed 's/\\"/"/g' ;;
		esac
}

# --- the rule sriovctl suggests, taken from its finding
rule none ""
write 2 "$D/sriov_numvfs"
wait_until 30 numvfs_is 2
REMEDY=$(persisted remedy)
sec udev.remedy echo "$REMEDY"
check "no rule: vf.persisted warns" warn "$(persisted severity)"
check "the remedy: the PF's PCI add (with a driver) and bind events" \
	"add to /etc/udev/rules.d/70-sriov.rules: ACTION==\"add|bind\", SUBSYSTEM==\"pci\", KERNEL==\"$PF\", DRIVER==\"?*\", ATTR{sriov_numvfs}=\"2\"" \
	"$REMEDY"
rule 70-sriov.rules "${REMEDY#add to /etc/udev/rules.d/70-sriov.rules: }"
sec udev.rule.suggested cat "$RULES/70-sriov.rules"
check "suggested rule, igb bound after udevd: 2 VFs" 2 "$(rebind 2)"
check "suggested rule, PF hot-added: 2 VFs" 2 "$(hotadd 2)"
NET=$(ls "$D/net" | head -n 1)
check "suggested rule, udev's replayed add events: 2 VFs" 2 "$(replay 2)"
check "suggested rule: vf.persisted ok" ok "$(persisted severity)"
check "suggested rule: the evidence names the rule" yes \
	"$(persisted evidence | grep -q '^/etc/udev/rules.d/70-sriov.rules:1 writes sriov_numvfs for' && echo yes)"

# --- the rule sriovctl suggested before: the netdev's udev name at a net add
rule 70-sriov.rules "ACTION==\"add\", SUBSYSTEM==\"net\", KERNEL==\"$NET\", ATTR{device/sriov_numvfs}=\"2\""
check "KERNEL==$NET, igb bound after udevd: no VFs (at its add event the netdev is the kernel's ethN)" \
	0 "$(rebind 0)"
check "KERNEL==$NET, udev's replayed add event (already $NET): 2 VFs" 2 "$(replay 2)"
sec udev.check.kernel sriovctl check "$PF"
check "KERNEL==$NET: vf.persisted warns" warn "$(persisted severity)"
check "KERNEL==$NET: it says the rule fires only at replayed events" yes \
	"$(persisted evidence | grep -q 'only at udev.s replayed add events' && echo yes)"

# --- Red Hat's form: ENV{ID_NET_DRIVER} is set by net_setup_link (80-...)
RH='ACTION=="add", SUBSYSTEM=="net", ENV{ID_NET_DRIVER}=="igb", ATTR{device/sriov_numvfs}="2"'
rule 70-sriov.rules "$RH"
check "ENV{ID_NET_DRIVER}==igb in 70-sriov.rules (before 80-net-setup-link): no VFs" 0 "$(rebind 0)"
check "ENV{ID_NET_DRIVER}==igb in 70-sriov.rules, replayed add event: no VFs" 0 "$(replay 0)"
write 2 "$D/sriov_numvfs"
check "ENV{ID_NET_DRIVER}==igb in 70-sriov.rules: vf.persisted warns" warn "$(persisted severity)"
rule 81-sriov.rules "$RH"
check "ENV{ID_NET_DRIVER}==igb in 81-sriov.rules, igb bound after udevd: 2 VFs" 2 "$(rebind 2)"
check "ENV{ID_NET_DRIVER}==igb in 81-sriov.rules, replayed add event: 2 VFs" 2 "$(replay 2)"
check "ENV{ID_NET_DRIVER}==igb in 81-sriov.rules: vf.persisted ok" ok "$(persisted severity)"

# --- a rule writing another count, a commented-out rule
rule 70-sriov.rules 'ACTION=="add|bind", SUBSYSTEM=="pci", DRIVER=="igb", ATTR{sriov_numvfs}="1"'
check "a rule writing 1: 1 VF after a rebind" 1 "$(rebind 1)"
write 0 "$D/sriov_numvfs"
write 2 "$D/sriov_numvfs"
check "a rule writing 1 while 2 are enabled: vf.persisted warns" warn "$(persisted severity)"
rule 70-sriov.rules "# ${REMEDY#add to /etc/udev/rules.d/70-sriov.rules: }"
check "the suggested rule commented out: no VFs" 0 "$(rebind 0)"
write 2 "$D/sriov_numvfs"
check "the suggested rule commented out: vf.persisted warns" warn "$(persisted severity)"

# --- 90-sriovctl.rules as installed, with a stand-in for systemctl: udevd
# runs its RUN at the PF's bind; the stand-in runs what the unit runs
# (ExecCondition, then ExecStart of sriovctl-apply@.service, with %I)
rule none ""
cat >/tmp/systemctl <<'EOS'
#!/bin/sh
echo "$*" >>/tmp/systemctl.calls
case "$1 $2 $3" in
"--quiet is-enabled sriovctl-apply.service")
	[ -L /etc/systemd/system/multi-user.target.wants/sriovctl-apply.service ]
	exit $? ;;
"--no-block start sriovctl-apply@"*)
	i=${3#sriovctl-apply@}
	i=${i%.service}
	unit=/lab/data/sriovctl-apply@.service.in
	cond=$(sed -n 's/^ExecCondition=//p' $unit | sed "s|@systemctl@|/tmp/systemctl|")
	start=$(sed -n 's/^ExecStart=//p' $unit | sed "s|@bindir@|/usr/local/bin|; s|%I|$i|")
	setsid sh -c "$cond && $start" >>/tmp/unit.out 2>&1 </dev/null &
	;;
esac
EOS
chmod +x /tmp/systemctl
sed 's|@systemctl@|/tmp/systemctl|' /lab/data/90-sriovctl.rules.in >"$RULES/90-sriovctl.rules"
udevadm control --reload
sec udev.rule.sriovctl cat "$RULES/90-sriovctl.rules"
printf 'pfs:\n  - match: {netdev: %s}\n    num_vfs: 2\n' "$NET" >/etc/sriovctl/sriovctl.yaml
ln -sf /lib/systemd/system/sriovctl-apply.service \
	/etc/systemd/system/multi-user.target.wants/sriovctl-apply.service
: >/tmp/systemctl.calls
check "90-sriovctl.rules and a policy, igb bound after udevd: 2 VFs" 2 "$(rebind 2)"
sec udev.unit cat /tmp/unit.out
sec udev.calls cat /tmp/systemctl.calls
check "90-sriovctl.rules: udevd ran RUN once, for the PF, not for its VFs' binds" \
	"--no-block start sriovctl-apply@$PF.service --quiet is-enabled sriovctl-apply.service" \
	"$(cat /tmp/systemctl.calls)"
check "90-sriovctl.rules with the policy: vf.persisted ok" ok "$(persisted severity)"
rm -f /etc/systemd/system/multi-user.target.wants/sriovctl-apply.service
: >/tmp/systemctl.calls
check "90-sriovctl.rules, sriovctl-apply.service not enabled: the unit does nothing" 0 "$(rebind 0)"
wait_until 5 grep -q is-enabled /tmp/systemctl.calls
check "… udevd still ran RUN for the PF" "--no-block start sriovctl-apply@$PF.service" \
	"$(head -n 1 /tmp/systemctl.calls)"

rule none ""
rm -f "$RULES/90-sriovctl.rules" /etc/sriovctl/sriovctl.yaml
udevadm control --reload
write 0 "$D/sriov_numvfs"
udevadm control --exit
