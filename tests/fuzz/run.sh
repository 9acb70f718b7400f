#!/bin/sh
# SPDX-License-Identifier: MIT
# make fuzz / the quick pass of make check: builds every tests/fuzz/fuzz_<name>.c with
# clang-14 and libFuzzer (ASan+UBSan) against the library sources, then runs each target
# on a copy of its seed corpus tests/fuzz/corpus/<name>/.
# usage: run.sh BUILD SECONDS [JOBS] [NAME...]
#   SECONDS > 0: fuzz each target that long (-max_total_time), JOBS targets at a time.
#   SECONDS = 0: quick pass: every seed once, then 2000 new inputs per target.
# Crashes are saved in BUILD/fuzz/artifacts/<name>/ and fail the run. The last lines of
# each run (libFuzzer's "Done N runs", cov: and ft:) go to BUILD/fuzz/<name>.log.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:?build dir}
seconds=${2:-600}
jobs=${3:-2}
shift 3 2>/dev/null || shift $#
cd "$top"
sh packaging/deps.sh fuzz
out="$build/fuzz"
mkdir -p "$out/obj"
CC=clang-14
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
WARN="-std=c11 -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wvla -Wstrict-prototypes
	-Wmissing-prototypes -Wno-unused-parameter -Wno-format-nonliteral"
PKGS="inih jansson zlib libcurl libarchive libcrypto"
mkdir -p "$out/gen"
printf '#define WSLCTL_VERSION "fuzz"\n#define WSLCTL_DATADIR "%s"\n#define WSLCTL_LIBEXEC "%s"\n#define WSLCTL_DATADIR_REL "."\n#define WSLCTL_LIBEXEC_REL "."\n' \
	"$top" "$top" >"$out/gen/buildinfo.h"
CFLAGS="-g -O1 -fno-omit-frame-pointer $WARN -D_GNU_SOURCE -I$out/gen -Icli -Icli/core -Icli/net
	$(pkg-config --cflags $PKGS)"
LIBS=$(pkg-config --libs $PKGS)

# The library, instrumented for coverage: rebuilt only where a source is newer.
objs=""
for src in cli/*.c cli/core/*.c cli/net/*.c; do
	[ "$src" = cli/main.c ] && continue
	o="$out/obj/$(basename "$src" .c).o"
	objs="$objs $o"
	if [ ! -e "$o" ] || [ -n "$(find cli -name '*.[ch]' -newer "$o" | head -1)" ]; then
		# shellcheck disable=SC2086
		$CC $CFLAGS $SAN -fsanitize=fuzzer-no-link -c "$src" -o "$o"
	fi
done
rm -f "$out/libwslctl-fuzz.a"
# shellcheck disable=SC2086
ar rcs "$out/libwslctl-fuzz.a" $objs

names="$*"
[ -n "$names" ] || names=$(cd tests/fuzz && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')
for n in $names; do
	# shellcheck disable=SC2086
	$CC $CFLAGS $SAN -fsanitize=fuzzer -o "$out/fuzz_$n" "tests/fuzz/fuzz_$n.c" \
		"$out/libwslctl-fuzz.a" $LIBS
done

# One target: a working corpus seeded from the committed one (new finds stay in BUILD).
run_one() {
	n=$1
	corpus="$out/corpus/$n"
	art="$out/artifacts/$n"
	mkdir -p "$corpus" "$art"
	cp tests/fuzz/corpus/"$n"/* "$corpus"/ 2>/dev/null || true
	dict=""
	[ -e "tests/fuzz/$n.dict" ] && dict="-dict=tests/fuzz/$n.dict"
	if [ "$seconds" -gt 0 ]; then
		limit="-max_total_time=$seconds"
	else
		limit="-runs=2000"
	fi
	# shellcheck disable=SC2086
	if nice -n 10 "$out/fuzz_$n" $limit $dict -max_len=65536 -rss_limit_mb=2048 \
		-timeout=20 -print_final_stats=1 -artifact_prefix="$art/" "$corpus" \
		>"$out/$n.log" 2>&1; then
		printf '%-10s %s\n' "$n" "$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE|INITED)' "$out/$n.log" | tail -1)"
	else
		echo "fuzz $n: FAILED, see $out/$n.log and $art/"
		grep -E 'ERROR|property failed|SUMMARY' "$out/$n.log" | head -5
		return 1
	fi
}

# JOBS lanes, each running its share of the targets one after the other.
lane() {
	i=0 rc=0
	for n in $names; do
		[ $((i % jobs)) -eq "$1" ] && { run_one "$n" || rc=1; }
		i=$((i + 1))
	done
	return $rc
}
status=0
pids=""
l=0
while [ "$l" -lt "$jobs" ]; do
	lane "$l" &
	pids="$pids $!"
	l=$((l + 1))
done
for p in $pids; do wait "$p" || status=1; done
exit $status
