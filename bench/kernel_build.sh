#!/bin/sh
# SPDX-License-Identifier: MIT
# make bench-kernel: `wslctl build` against plain make on Debian's real 6.12 tree
# (linux-source-6.12, tinyconfig base, kernel-config/ + tests/kernel/test.config, the
# configuration `make kernel-test` builds). Not part of `make bench`: four full kernel
# builds take 29 minutes on 2 cores.
#
# Plain make is what a user types by hand: make tinyconfig, merge_config.sh -m with the
# same fragments, make olddefconfig, make -jN bzImage, same LOCALVERSION. The series is
# applied to the tree once beforehand, so both sides compile the same code; wslctl still
# checks every patch (finds it present) and its configuration on each run, as a user's
# second build does. Full builds run in ABBA order over BENCH_KERNEL_RUNS pairs (default
# 2), so neither side always gets the warm or the loaded half; then BENCH_KERNEL_NOOP
# no-op rebuild pairs (default 5), alternating who goes first (bench/timing.sh). The
# two .config files must be identical, or the comparison is void.
# Targets: full build <= 1.05x, no-op rebuild <= 1.1x of make's own no-op.
set -eu
: "${WSLCTL:?}" "${BENCH_DIR:?}"
repo=$(cd "$BENCH_DIR/.." && pwd)
work=${BENCH_KERNEL_WORK:-/var/tmp/wslctl-bench-kernel}
runs=${BENCH_KERNEL_RUNS:-2}
noops=${BENCH_KERNEL_NOOP:-5}
jobs=$(nproc)
lv=-wslctl # wslctl build's default --localversion

die() { echo "kernel_build: $*" >&2; exit 1; }
# Shares the unpacked source with `make kernel-test`.
PRISTINE=${KTEST_WORK:-/var/tmp/wslctl-kernel-test}/pristine
TREE=$work/linux
. "$repo/tests/kernel/source.sh"

sh "$repo/packaging/deps.sh" build kernel >&2 || die "packaging/deps.sh failed"
mkdir -p "$work" "$(dirname "$PRISTINE")"
ensure_source_pkg >&2
unpack_source >&2
for p in $(sed -e 's/#.*//' "$repo/patches/series" | awk 'NF { print $1 }'); do
	patch -d "$TREE" -p1 --batch --forward --fuzz=0 --no-backup-if-mismatch \
		-i "$repo/patches/$p" >/dev/null || die "patches/$p does not apply to $TREE"
done

export NO_COLOR=1 XDG_CONFIG_HOME="$work/xdg" XDG_CACHE_HOME="$work/cache"
export WSLCTL_SYSTEM_CONFIG="$work/none" WSLCTL_DATA_DIR="$repo"
fragments="$(ls "$repo"/kernel-config/*.config) $repo/tests/kernel/test.config"

plain_full() {
	o=$1
	mkdir -p "$o"
	make -s -C "$TREE" O="$o" tinyconfig >/dev/null
	# shellcheck disable=SC2086
	(cd "$o" && sh "$TREE/scripts/kconfig/merge_config.sh" -m -O "$o" .config \
		$fragments) >/dev/null
	make -s -C "$TREE" O="$o" olddefconfig >/dev/null
	plain_make "$o"
}
plain_make() { make -s -C "$TREE" O="$1" -j"$jobs" LOCALVERSION=$lv bzImage >/dev/null; }
ours() {
	"$WSLCTL" build --source "$TREE" --build-dir "$1" --home "$work/store" --no-activate \
		--no-ccache --base-config tinyconfig \
		--config-fragment "$repo/tests/kernel/test.config" -j "$jobs" -q >/dev/null
}
. "$BENCH_DIR/timing.sh"
same_config() { cmp -s "$1" "$2" || die "the two .config files differ: diff $1 $2"; }

full_plain="" full_ours=""
r=0
while [ $r -lt "$runs" ]; do
	rm -rf "$work/o1" "$work/o2" "$work/store"
	t=$(pair $r 'plain_full "$work/o1"' 'ours "$work/o2"')
	set -- $t
	full_plain="$full_plain $1" full_ours="$full_ours $2"
	echo "kernel_build: full pair $((r + 1))/$runs: plain$full_plain, wslctl$full_ours" >&2
	same_config "$work/o1/.config" "$work/o2/.config"
	r=$((r + 1))
done
noop_plain="" noop_ours=""
r=0
while [ $r -lt "$noops" ]; do
	t=$(pair $r 'plain_make "$work/o1"' 'ours "$work/o2"')
	set -- $t
	noop_plain="$noop_plain $1" noop_ours="$noop_ours $2"
	r=$((r + 1))
done
echo "kernel_build: no-op: plain$noop_plain, wslctl$noop_ours" >&2
. "$BENCH_DIR/rss.sh"
rss="$(rss_mib make -s -C "$TREE" O="$work/o1" -j"$jobs" LOCALVERSION=$lv bzImage) / $(rss_mib \
	"$WSLCTL" build --source "$TREE" --build-dir "$work/o2" --home "$work/store" --no-activate \
	--no-ccache --base-config tinyconfig --config-fragment "$repo/tests/kernel/test.config" \
	-j "$jobs" -q)"
fp=$(echo $full_plain | sum) fo=$(echo $full_ours | sum)
np=$(echo $noop_plain | median) no=$(echo $noop_ours | median)
python3 - "$fp" "$fo" "$np" "$no" "$runs" "$rss" <<'PY'
import sys
fp, fo, np_, no = map(float, sys.argv[1:5])
runs = int(sys.argv[5])
ok1 = fo / fp <= 1.05
ok2 = no / np_ <= 1.1
print("build, full (6.12 tinyconfig + fragments, mean of %d) | make %.1f s | %.1f s | %.3fx "
      "| <= 1.05x | %s" % (runs, fp / runs, fo / runs, fo / fp, "ok" if ok1 else "SLOW"))
print("build, no-op rebuild (6.12) | make %.2f s | %.2f s | %.3fx | <= 1.1x | %s | %s MiB"
      % (np_, no, no / np_, "ok" if ok2 else "SLOW", sys.argv[6]))
sys.exit(0 if ok1 and ok2 else 1)
PY
