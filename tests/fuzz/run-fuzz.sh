#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Fuzz the config-space decoder, the sysfs parsers, the rtnetlink VF-list
# decoder, the saved-state reader, the policy, the operator import, explain, match's specs, the audit baseline and the CNI plugin's readers with libFuzzer, then merge whatever found new coverage into the
# committed corpus.
#
#   tests/fuzz/run-fuzz.sh [SECONDS] [config|parse|vflink|state|policy|explain|import|match|baseline|cni|quirk]...
#
# SECONDS is per target (default 60); all targets by default. Needs clang
# with libFuzzer (Debian: clang-14 libclang-rt-14-dev); CC overrides.
# Binaries and new inputs go to a temporary directory, removed at the end
# unless a target found a crash: then it is kept and its path printed.
# This is a developer tool; the test suite only replays the corpus
# (fuzz-replay-* in tests/fuzz/meson.build).
set -eu

secs=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-config parse vflink state policy explain import match baseline cni quirk}

top=$(cd "$(dirname "$0")/../.." && pwd)
cc=${CC:-}
if [ -z "$cc" ]; then
	for c in clang-14 clang; do
		if command -v "$c" >/dev/null 2>&1; then
			cc=$c
			break
		fi
	done
fi
[ -n "$cc" ] || { echo "run-fuzz: no clang found (set CC)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sriov-fuzz.XXXXXX")
keep=0
cleanup() {
	if [ "$keep" = 0 ]; then
		rm -rf "$tmp"
	else
		echo "run-fuzz: crash inputs and binaries kept in $tmp" >&2
	fi
}
trap cleanup EXIT

# the quirk table compiled into the library (lib/meson.build makes it too)
python3 "$top/tools/embed-text.py" "$top/data/quirks.yaml" "$tmp/quirks_data.c" sriov_quirks_data

status=0
for t in $targets; do
	case $t in
	config) src=$top/lib/pci/config.c ;;
	parse)  src=$top/lib/io/parse.c ;;
	vflink) src=$top/lib/net/vflink.c; libs=-lmnl ;;
	state)  src="$top/lib/ops/state.c $top/lib/io/parse.c $top/lib/pci/addr.c $top/lib/util/jsonout.c $top/lib/vf/attr.c $top/lib/vf/json.c $top/lib/util/errbuf.c"
		libs="-ljson-c -I/usr/include/json-c" ;;
	# phase 2 and planning reach most of the library: build all of it
	policy|explain|import|match|baseline|cni|quirk) src="$top/lib/ctx.c $top/lib/*/*.c $tmp/quirks_data.c $top/tests/lib/testlib.c"
		libs="-lyaml -lmnl -ljson-c -I/usr/include/json-c -lpci -lkmod -lmxml" ;;
	*) echo "run-fuzz: unknown target '$t'" >&2; exit 2 ;;
	esac
	libs=${libs:-}
	corpus=$top/tests/fuzz/corpus/$t
	bin=$tmp/fuzz-$t

	"$cc" -std=c17 -D_GNU_SOURCE -g -O1 \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-I"$top/include" -I"$top/lib" -I"$top/tests/lib" \
		"$top/tests/fuzz/fuzz_$t.c" $src $libs -o "$bin"
	libs=

	# New inputs land in the first directory; the corpus is only read.
	mkdir -p "$tmp/new-$t" "$tmp/crash-$t"
	echo "run-fuzz: $t for ${secs}s" >&2
	if ! "$bin" -max_total_time="$secs" -max_len=4200 \
		-use_value_profile=1 -print_final_stats=1 \
		-artifact_prefix="$tmp/crash-$t/" \
		"$tmp/new-$t" "$corpus"; then
		status=1
		keep=1
		# A crasher belongs in the corpus, as a regression test,
		# once it is fixed.
		echo "run-fuzz: $t crashed; see $tmp/crash-$t/" >&2
	fi

	# Keep only inputs that add coverage to what is committed. Value
	# profile features would keep thousands of near-duplicates: not here.
	"$bin" -merge=1 -max_len=4200 \
		"$corpus" "$tmp/new-$t" 2>&1 | grep -E 'MERGE-OUTER: [0-9]+ new files' >&2 || true
	echo "run-fuzz: $t corpus: $(ls "$corpus" | wc -l) files," \
		"$(cat "$corpus"/* | wc -c) bytes" >&2
done
exit $status
