#!/bin/sh
# SPDX-License-Identifier: MIT
# `wslctl check` on a fixture machine against the I/O floor: one `cat` process reading
# every file check reads (the tree's files and kernel-config/*.config). Median of many
# runs, measured by hyperfine without a shell. Target: within 4x of the floor.
# Rows: a stock WSL 2.9 machine (no config.gz), and the same machine with this host's
# real /proc/config.gz (a full-size kernel config to inflate and parse); both with
# wsl.exe absent. A third row asks an interop stand-in that answers `wsl.exe --version`
# after 30 ms (a typical interop call on WSL): its floor is cat plus the stand-in run
# alone, the work a user would do by hand.
set -eu
: "${WSLCTL:?}" "${BENCH_DIR:?}"
top=$(cd "$BENCH_DIR/.." && pwd)
fix="$top/tests/fixtures/check"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$BENCH_DIR/rss.sh"
# wsl.exe is absent: its interop call (tens of ms on WSL) is not I/O. The fork stays.
export WSLCTL_DATA_DIR="$top" WSLCTL_WSL_EXE="$tmp/no-wsl.exe"
export WSLCTL_CMD_EXE="$tmp/none" XDG_CACHE_HOME="$tmp/cache" NO_COLOR=1
runs=${BENCH_RUNS:-300}

# median_ms CMD...: the median wall time of CMD in milliseconds.
median_ms() {
	hyperfine -N -i -w 20 -r "$runs" --export-json "$tmp/h.json" -- "$*" >/dev/null 2>&1
	python3 -c 'import json,sys; print("%.3f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$tmp/h.json"
}

row() {
	name=$1 root=$2 extra=${3:-}
	# The files check reads: every regular file of the tree plus the fragments.
	files=$(find "$root" -type f ! -name expect ! -name config.txt | sort | tr '\n' ' ')
	files="$files $(ls "$top"/kernel-config/*.config | tr '\n' ' ')"
	"$WSLCTL" check --root "$root" --wslconfig "$fix/wslconfig/on.wslconfig" >/dev/null 2>&1 || true
	base=$(median_ms cat $files)
	floor=cat
	[ -n "$extra" ] && floor=cat+wsl.exe && base=$(python3 -c 'import sys; print(float(sys.argv[1]) + float(sys.argv[2]))' "$base" "$(median_ms $extra)")
	ours=$(median_ms "$WSLCTL" check --root "$root" --wslconfig "$fix/wslconfig/on.wslconfig")
	rss="$(rss_mib cat $files) / $(rss_mib "$WSLCTL" check --root "$root" --wslconfig "$fix/wslconfig/on.wslconfig")"
	python3 -c '
import sys
name, base, ours, rss, floor = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
ratio = ours / base
print("%s | %s %.2f ms | %.2f ms | %.2fx | <= 4x | %s | %s MiB" % (name, floor, base, ours, ratio, "ok" if ratio <= 4 else "SLOW", rss))
sys.exit(0 if ratio <= 4 else 1)' "$name" "$base" "$ours" "$rss" "$floor"
}

status=0
row "check (WSL 2.9 machine, no config.gz)" "$fix/wsl-2.9-pool" || status=1
if [ -r /proc/config.gz ]; then
	cp -R "$fix/wsl-2.9-pool" "$tmp/big"
	cp /proc/config.gz "$tmp/big/proc/config.gz"
	row "check (with a full-size /proc/config.gz)" "$tmp/big" || status=1
fi
# The stand-in: tests/fixtures/check/wsl-exe/wsl.exe printing a real WSL 2.9.4 answer.
WSLCTL_WSL_EXE="$fix/wsl-exe/wsl.exe" WSL_FAKE_OUTPUT=en-2.9.4-bom.out WSL_FAKE_SLEEP=0.03
export WSLCTL_WSL_EXE WSL_FAKE_OUTPUT WSL_FAKE_SLEEP
# The row measures the interop call only if check makes it: wsl.host must pass.
"$WSLCTL" --json check --root "$fix/wsl-2.9-pool" --wslconfig "$fix/wslconfig/on.wslconfig" 2>/dev/null |
	grep -q '"id": *"wsl.host", *"status": *"pass"' || { echo "check did not ask the stand-in" >&2; exit 1; }
row "check (interop stand-in answering in 30 ms)" "$fix/wsl-2.9-pool" \
	"$WSLCTL_WSL_EXE --version" || status=1
exit $status
