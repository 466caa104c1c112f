#!/usr/bin/env bash
# sriovctl developer entry point: install what is missing, build, demo, test.
#
#   ./dev.sh demo    install missing Debian packages, build, run sriovctl list
#                    on the bundled sample host (and on / when it has SR-IOV)
#   ./dev.sh test    the whole test suite: unit, CLI, generator, fuzz corpus
#                    replay, in a normal build and under ASan+UBSan; ends with
#                    the line "N passed, N failed[, N skipped]"
#   ./dev.sh unit    the quick tests of the normal build (no lab, no ASan)
#   ./dev.sh build   install dependencies and build into ./build
#   ./dev.sh deps    only install the missing Debian packages
set -euo pipefail

cd "$(dirname "$0")"
TOP=$(pwd)

# Debian 12 packages: build tools, the libraries libsriov uses, test tools.
PACKAGES=(
	gcc meson ninja-build pkg-config python3
	libjson-c-dev libpci-dev pci.ids pciutils libmnl-dev
	libcmocka-dev libkmod-dev libyaml-dev strace
	systemd # systemd-analyze verify of the units; systemd.pc for their dir
	# udev.pc for the rules dir: installed before meson setup, or a build
	# configured without it disagrees with the install test once the lab
	# installs udev (the lab runs systemd-udevd in boot F)
	udev
	# export: Mini-XML writes the XML; libvirt's schema and parser judge it
	# (bookworm's libvirt-clients 9.0.0 does not pull in xmllint)
	libmxml-dev libvirt-clients libxml2-utils
	# the other consumers' own code judges the other formats: nova's and
	# neutron's parsers and matchers, the operator's CRD schemas, DPDK's
	# dpdk-devbind and EAL (unshare -m for their private view of /sys)
	python3-nova python3-neutron python3-jsonschema python3-yaml dpdk util-linux
	# audit --junit: junitparser reads the JUnit XML as CI tools do
	python3-junitparser
	# the exporter: HTTP and TLS through libmicrohttpd (GnuTLS), basic auth
	# checked with libxcrypt's crypt() ($2b$ bcrypt); Prometheus' promtool
	# and server judge its output
	libmicrohttpd-dev libgnutls28-dev libcrypt-dev prometheus
	# the CNI plugin's lab scenario: the reference host-local and tuning
	containernetworking-plugins
	# and a real CNI client for it: a driver on Debian's libcni, built offline
	golang-go golang-github-appc-cni-dev
	# deploy/kubernetes/ judged by the Kubernetes client's models
	python3-kubernetes
)

need_root() {
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null 2>&1; then
			echo sudo
			return
		fi
		echo "dev.sh: missing packages and not root: run as root or install: $*" >&2
		exit 1
	fi
}

deps() {
	local missing=()
	for p in "${PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "dev.sh: installing ${missing[*]}"
	local sudo
	sudo=$(need_root "${missing[@]}")
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

setup_build() { # DIR [meson options...]
	local dir=$1
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" -Dwerror=true "$@" >/dev/null
	fi
	ninja -C "$dir" >/dev/null
}

build() {
	deps
	setup_build build
}

demo() {
	build
	local sample=samples/hosts/dual-e810-cx6
	echo "== sriovctl list --root $sample"
	./build/cli/sriovctl --root "$sample" list
	echo
	echo "== sriovctl show --root $sample ens1f0np0"
	./build/cli/sriovctl --root "$sample" show ens1f0np0
	echo
	echo "== sriovctl plan --root $sample -f samples/policies/dual-e810-cx6.yaml"
	./build/cli/sriovctl --root "$sample" plan -f samples/policies/dual-e810-cx6.yaml
	if compgen -G "/sys/bus/pci/devices/*/sriov_totalvfs" >/dev/null; then
		echo
		echo "== sriovctl list (this host)"
		./build/cli/sriovctl list
	else
		echo
		echo "(this host has no SR-IOV devices: 'sriovctl list' on / shows none)"
	fi
}

# Sum Meson's testlog.json results of the given build dirs into one line.
summary() {
	python3 - "$@" <<'EOF'
import json, sys
passed = failed = skipped = 0
for d in sys.argv[1:]:
    try:
        lines = open(f"{d}/meson-logs/testlog.json").read().splitlines()
    except OSError:
        failed += 1  # a build whose tests never ran is a failure
        continue
    for line in lines:
        r = json.loads(line)["result"]
        if r in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif r == "SKIP":
            skipped += 1
        else:
            failed += 1
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
sys.exit(1 if failed else 0)
EOF
}

run_tests() { # DIR [meson test options...]
	local dir=$1
	shift
	rm -f "$dir/meson-logs/testlog.json"
	meson test -C "$dir" --print-errorlogs "$@" || true
}

unit() {
	build
	run_tests build --no-suite lab
	summary build
}

test_all() {
	deps
	setup_build build
	# -Db_lundef=false: sanitizer runtimes are linked into executables only.
	setup_build build-asan -Db_sanitize=address,undefined -Db_lundef=false \
		-Dbuildtype=debug
	run_tests build
	# The generator's and the lab harness's own tests run no C code: once
	# is enough.
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		ASAN_OPTIONS=detect_leaks=1 run_tests build-asan --no-suite hostgen --no-suite lab-harness
	summary build build-asan
}

case "${1:-}" in
deps) deps ;;
build) build ;;
demo) demo ;;
unit) unit ;;
test) test_all ;;
*)
	sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
	;;
esac
