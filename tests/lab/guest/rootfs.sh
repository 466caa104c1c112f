# A self-checking scenario: the rooted file layer on the real kernel and
# the real /run. Whatever is planted at /run/sriovctl.lock (a symlink to a
# file, a hard link, a FIFO) is refused by every writing command and left
# byte for byte as it was, and the host is not changed; without one, the
# lock is made and taken. Then sriovctl under a seccomp filter that answers
# openat2 with ENOSYS or EPERM (as kernels before 5.6 and container
# runtimes do: the component walk) reads the real sysfs as the kernel's
# resolver does, is refused the same planted lock, and writes the same.

PF=$(find_pf 0x8086 0x10c9)
D=/sys/bus/pci/devices/$PF
LOCK=/run/sriovctl.lock
N0=$(cat "$D/sriov_numvfs")
T=$((N0 == 1 ? 2 : 1)) # what the refused commands would have made
wait_until 20 has_netdev "$PF"

echo precious >/tmp/victim
echo precious >/run/victim
cat >/tmp/rootfs.yaml <<EOF
pfs:
  - match: {pci: "$PF"}
    num_vfs: $N0
EOF
refusal() { # WHAT: the message of a refused lock
	echo "sriovctl: cannot take the host lock $LOCK: it is $1, not a file of sriovctl's own; nothing was changed (remove it and try again)"
}
# refused NAME WHAT [WRAP...]: the writing commands refused by what is at
# the lock, the victims and the host unchanged
refused() {
	_r_name=$1
	_r_what=$2
	shift 2
	sec "rootfs.$_r_name.setvfs" timeout 20 "$@" sriovctl pf "$PF" set-vfs "$T"
	_r_rc=$?
	check "$_r_name: pf set-vfs is refused" "1 $(refusal "$_r_what")" \
		"$_r_rc $(cat /tmp/sec.err)"
	sec "rootfs.$_r_name.apply" timeout 20 "$@" sriovctl apply -f /tmp/rootfs.yaml
	_r_rc=$?
	check "$_r_name: apply with nothing to do is refused" "1 $(refusal "$_r_what")" \
		"$_r_rc $(cat /tmp/sec.err)"
	check "$_r_name: the file outside is unchanged" precious "$(cat /tmp/victim)"
	check "$_r_name: the file beside the lock is unchanged" precious "$(cat /run/victim)"
	check "$_r_name: no VFs were made" "$N0" "$(cat "$D/sriov_numvfs")"
}

NO2=/usr/local/bin/no-openat2
check "no-openat2 is in the initramfs" yes "$([ -x $NO2 ] && echo yes)"

rm -rf "$LOCK"
ln -s /tmp/victim "$LOCK"
refused symlink "a symbolic link"
check "symlink: still the planted link" /tmp/victim "$(readlink "$LOCK")"
refused symlink.enosys "a symbolic link" "$NO2" ENOSYS
refused symlink.eperm "a symbolic link" "$NO2" EPERM
rm -f "$LOCK"
ln -s victim "$LOCK"
refused symlink.relative "a symbolic link"
rm -f "$LOCK"
ln -s /run/nowhere "$LOCK"
refused symlink.dangling "a symbolic link"
check "symlink.dangling: nothing made at its target" no \
	"$([ -e /run/nowhere ] && echo yes || echo no)"
rm -f "$LOCK"
ln /run/victim "$LOCK"
refused hardlink "a file with two names (a hard link)"
rm -f "$LOCK"
mkfifo "$LOCK"
refused fifo "a FIFO, socket or device"
rm -f "$LOCK"

# the walk on the real sysfs and procfs: the same answers, the same writes
NET=$(ls "$D/net" | head -n 1)
wait_until 20 carrier_up "$NET"
for c in "ENOSYS list" "ENOSYS show $PF" "ENOSYS save" "ENOSYS check $PF" \
	"EPERM show $PF"; do
	e=${c%% *}
	cmd=${c#* }
	# shellcheck disable=SC2086
	sriovctl $cmd >/tmp/k.out 2>/tmp/k.err
	_k=$?
	# shellcheck disable=SC2086
	"$NO2" "$e" sriovctl $cmd >/tmp/w.out 2>/tmp/w.err
	_w=$?
	check "walk $e: '$cmd' as with openat2" \
		"$_k $(cat /tmp/k.out /tmp/k.err | md5sum)" \
		"$_w $(cat /tmp/w.out /tmp/w.err | md5sum)"
	cmp -s /tmp/k.out /tmp/w.out ||
		sec "rootfs.walk.$e.diff" diff /tmp/k.out /tmp/w.out
done

# with nothing planted the lock is made, taken, the pid written; the VF
# count changes through the walk
sec rootfs.walk.setvfs "$NO2" EPERM sriovctl pf "$PF" set-vfs "$T"
_rc=$?
check "walk EPERM: pf set-vfs $T works" "0 $T" "$_rc $(cat "$D/sriov_numvfs")"
check "own lock: a regular file with a pid" yes \
	"$([ -f "$LOCK" ] && [ ! -L "$LOCK" ] && grep -qx '[0-9]*' "$LOCK" && echo yes)"
sec rootfs.walk.restore "$NO2" ENOSYS sriovctl pf "$PF" set-vfs "$N0"
_rc=$?
check "walk ENOSYS: pf set-vfs $N0: the VF count is as found" "0 $N0" \
	"$_rc $(cat "$D/sriov_numvfs")"
