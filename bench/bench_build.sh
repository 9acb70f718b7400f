#!/bin/sh
# SPDX-License-Identifier: MIT
# `wslctl build` against plain make on the same tree and configuration: what a user
# types by hand is merge_config.sh -m + make O= olddefconfig + make -jN O= bzImage.
# The fake kernel tree (tests/fixtures/fake-kernel) gets generated sources (lib/gen/)
# so that a full build lasts seconds. Median of BENCH_BUILD_RUNS runs (default 3).
# Targets: full build <= 1.05x plain make; a no-op rebuild adds at most 300 ms to make's
# own no-op (patch checks, config merge, olddefconfig, store check). The real 6.12 tree:
# `make bench-kernel` (bench/kernel_build.sh).
set -eu
: "${WSLCTL:?}" "${BENCH_DIR:?}"
top=$(cd "$BENCH_DIR/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
runs=${BENCH_BUILD_RUNS:-3}
jobs=$(nproc)
export NO_COLOR=1 XDG_CONFIG_HOME="$tmp/xdg" WSLCTL_SYSTEM_CONFIG="$tmp/none"
export XDG_CACHE_HOME="$tmp/cache" WSLCTL_DATA_DIR="$tmp/data"

cp -R "$top/tests/fixtures/fake-kernel" "$tmp/tree"
mkdir -p "$tmp/tree/lib/gen" "$tmp/data/kernel-config" "$tmp/data/patches"
: >"$tmp/data/patches/series"
printf 'CONFIG_VIRTIO_FS=y\nCONFIG_IKCONFIG=y\nCONFIG_IKCONFIG_PROC=y\n' >"$tmp/data/kernel-config/b.config"
i=0
while [ $i -lt 120 ]; do
	# Enough code per file that the compiler, not make, dominates (as in a kernel).
	python3 - "$tmp/tree/lib/gen/gen$i.c" $i <<'PY'
import sys
n = int(sys.argv[2])
body = "\n".join("static long f%d_%d(long x) { return x * %d + (x >> %d) - f%d_%d(x - 1) / 3; }"
                 % (n, k, k + 3, k % 7, n, k - 1) if k else
                 "static long f%d_0(long x) { return x + %d; }" % (n, n) for k in range(40))
open(sys.argv[1], "w").write(body + "\nlong gen%d(long x);\nlong gen%d(long x) { return f%d_39(x); }\n" % (n, n, n))
PY
	i=$((i + 1))
done

. "$BENCH_DIR/timing.sh"

plain() {
	o=$1
	mkdir -p "$o"
	cp "$tmp/tree/arch/x86/configs/config-wsl" "$o/base.config"
	(cd "$o" && sh "$tmp/tree/scripts/kconfig/merge_config.sh" -m -O "$o" base.config \
		"$tmp/data/kernel-config/b.config") >/dev/null 2>&1
	make -s -C "$tmp/tree" O="$o" olddefconfig >/dev/null
	make -s -C "$tmp/tree" O="$o" -j"$jobs" LOCALVERSION=-wslctl bzImage >/dev/null
}
ours() {
	"$WSLCTL" build --source "$tmp/tree" --build-dir "$1" --home "$tmp/store" \
		--no-activate --no-ccache -j "$jobs" -q >/dev/null
}

# Runs alternate which goes first (pair), so a machine whose load drifts favours neither.
noop_make='make -s -C "$tmp/tree" O="$tmp/o1" -j"$jobs" LOCALVERSION=-wslctl bzImage >/dev/null'
full_plain="" full_ours="" noop_plain="" noop_ours=""
r=0
while [ $r -lt "$runs" ]; do
	rm -rf "$tmp/o1" "$tmp/o2" "$tmp/store"
	t=$(pair $r 'plain "$tmp/o1"' 'ours "$tmp/o2"')
	set -- $t
	full_plain="$full_plain $1" full_ours="$full_ours $2"
	t=$(pair $r "$noop_make" 'ours "$tmp/o2"')
	set -- $t
	noop_plain="$noop_plain $1" noop_ours="$noop_ours $2"
	r=$((r + 1))
done
fp=$(echo $full_plain | median) fo=$(echo $full_ours | median)
np=$(echo $noop_plain | median) no=$(echo $noop_ours | median)
# Peak RSS of a no-op rebuild (where wslctl's own cost shows; a full build's is cc1's).
. "$BENCH_DIR/rss.sh"
rss="$(rss_mib make -s -C "$tmp/tree" O="$tmp/o1" -j"$jobs" LOCALVERSION=-wslctl bzImage) / $(rss_mib \
	"$WSLCTL" build --source "$tmp/tree" --build-dir "$tmp/o2" --home "$tmp/store" \
	--no-activate --no-ccache -j "$jobs" -q)"
python3 - "$fp" "$fo" "$np" "$no" "$rss" <<'PY'
import sys
fp, fo, np_, no = map(float, sys.argv[1:5])
ok1 = fo / fp <= 1.05
ok2 = (no - np_) <= 0.300
print("build, full (fake tree, 120 files) | make %.2f s | %.2f s | %.3fx | <= 1.05x | %s"
      % (fp, fo, fo / fp, "ok" if ok1 else "SLOW"))
print("build, no-op rebuild (fake tree) | make %.0f ms | %.0f ms | +%.0f ms | <= +300 ms | %s | %s MiB"
      % (np_ * 1000, no * 1000, (no - np_) * 1000, "ok" if ok2 else "SLOW", sys.argv[5]))
sys.exit(0 if ok1 and ok2 else 1)
PY
