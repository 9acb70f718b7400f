#!/bin/sh
# SPDX-License-Identifier: MIT
# `config get` and `config set` against `git config -f` and `crudini` on the same
# .wslconfig (the sample from Microsoft's documentation), median of many runs measured
# with the commands taking turns; and `set` on a 10,000- vs a 100,000-line file.
# Targets: get no slower than git config; at least 20x faster than crudini; set grows
# linearly (10x the lines, at most 12x the time).
set -eu
: "${WSLCTL:?}" "${BENCH_DIR:?}"
top=$(cd "$BENCH_DIR/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$BENCH_DIR/rss.sh"
runs=${BENCH_RUNS:-200}
export NO_COLOR=1 XDG_CONFIG_HOME="$tmp/xdg" WSLCTL_SYSTEM_CONFIG="$tmp/none"
cp "$top/tests/fixtures/wslconfig/docs-sample-crlf.wslconfig" "$tmp/orig"
cp "$tmp/orig" "$tmp/w"

# medians_ms SPEC...: each SPEC is "SRC DST|CMD ARGS" (DST is refreshed from SRC
# before every run, "-" for none). The commands run in turns, round after round, so
# a busy machine slows them alike; prints each one's median wall time in ms.
medians_ms() {
	python3 - "$runs" "$@" <<'PY'
import os, shutil, statistics, subprocess, sys, time
runs = int(sys.argv[1])
specs = []
for a in sys.argv[2:]:
    prep, cmd = a.split("|", 1)
    src, dst = prep.split(" ") if prep != "-" else (None, None)
    specs.append((src, dst, cmd.split(" ")))
times = [[] for _ in specs]
null = open(os.devnull, "wb")
for r in range(runs + 10):
    for i, (src, dst, argv) in enumerate(specs):
        if src:
            shutil.copyfile(src, dst)
        t = time.perf_counter_ns()
        rc = subprocess.call(argv, stdout=null, stderr=null)
        t = time.perf_counter_ns() - t
        if rc != 0:
            sys.exit("benchmark command failed: %s" % " ".join(argv))
        if r >= 10:
            times[i].append(t / 1e6)
print(" ".join("%.3f" % statistics.median(t) for t in times))
PY
}

# row NAME BASE_NAME BASE_MS OURS_MS TARGET MODE RSS: MODE "le" wants ours/base <= TARGET,
# "ge" wants base/ours >= TARGET, "info" only reports. RSS: "BASE / OURS" peak MiB.
row() {
	python3 -c '
import sys
name, bname, base, ours, target, mode, rss = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), sys.argv[6], sys.argv[7]
if mode == "ge":
    ratio, good, t = base / ours, base / ours >= target, ">= %gx faster" % target
    r = "%.1fx faster" % ratio
elif mode == "le":
    ratio, good, t = ours / base, ours / base <= target, "<= %gx" % target
    r = "%.2fx" % ratio
else:
    ratio, good, t = ours / base, True, "report"
    r = "%.2fx" % ratio
print("%s | %s %.2f ms | %.2f ms | %s | %s | %s | %s MiB" % (name, bname, base, ours, r, t, "ok" if good else "SLOW", rss))
sys.exit(0 if good else 1)' "$@"
}

# Every tool reads the same value first, so a broken setup cannot pass as fast.
[ "$("$WSLCTL" --wslconfig "$tmp/w" config get wsl2.memory)" = 4GB ]
[ "$(git config -f "$tmp/w" --get wsl2.memory)" = 4GB ]
[ "$(crudini --get "$tmp/w" wsl2 memory)" = 4GB ]

status=0
set -- $(medians_ms "-|$WSLCTL --wslconfig $tmp/w config get wsl2.memory" \
	"-|git config -f $tmp/w --get wsl2.memory" "-|crudini --get $tmp/w wsl2 memory")
ours=$1 git_ms=$2 cru_ms=$3
rss_ours=$(rss_mib "$WSLCTL" --wslconfig "$tmp/w" config get wsl2.memory)
row "config get vs git config" "git" "$git_ms" "$ours" 1 le \
	"$(rss_mib git config -f "$tmp/w" --get wsl2.memory) / $rss_ours" || status=1
row "config get vs crudini" "crudini" "$cru_ms" "$ours" 20 ge \
	"$(rss_mib crudini --get "$tmp/w" wsl2 memory) / $rss_ours" || status=1

# set: the file is put back before every run, so each run really writes.
set -- $(medians_ms "$tmp/orig $tmp/w|$WSLCTL --wslconfig $tmp/w config set wsl2.memory 8GB" \
	"$tmp/orig $tmp/w|git config -f $tmp/w wsl2.memory 8GB" \
	"$tmp/orig $tmp/w|crudini --set $tmp/w wsl2 memory 8GB")
ours=$1 git_ms=$2 cru_ms=$3
cp "$tmp/orig" "$tmp/w"
rss_ours=$(rss_mib "$WSLCTL" --wslconfig "$tmp/w" config set wsl2.memory 8GB)
cp "$tmp/orig" "$tmp/w"
rss_git=$(rss_mib git config -f "$tmp/w" wsl2.memory 8GB)
cp "$tmp/orig" "$tmp/w"
rss_cru=$(rss_mib crudini --set "$tmp/w" wsl2 memory 8GB)
row "config set vs git config (we fsync, git does not)" "git" "$git_ms" "$ours" 0 info \
	"$rss_git / $rss_ours"
row "config set vs crudini (we fsync, crudini does not)" "crudini" "$cru_ms" "$ours" 0 info \
	"$rss_cru / $rss_ours"

# Linear growth: 10x the lines may cost at most 12x the time.
python3 - "$tmp" <<'PY'
import sys
for n in (10000, 100000):
    out = ["# generated", "[wsl2]", "memory=4GB"]
    i = 0
    while len(out) < n:
        out += ["# note %d" % i, "custom%d = value %d" % (i, i)]
        i += 1
        if i % 1000 == 0:
            out += ["", "[section%d]" % i]
    open("%s/big%d" % (sys.argv[1], n), "w", newline="").write("\r\n".join(out[:n]) + "\r\n")
PY
set -- $(medians_ms "$tmp/big10000 $tmp/s|$WSLCTL --wslconfig $tmp/s config set wsl2.memory 8GB" \
	"$tmp/big100000 $tmp/l|$WSLCTL --wslconfig $tmp/l config set wsl2.memory 8GB")
small=$1 large=$2
cp "$tmp/big10000" "$tmp/s"
cp "$tmp/big100000" "$tmp/l"
row "config set, 100,000 vs 10,000 lines" "10k lines" "$small" "$large" 12 le \
	"$(rss_mib "$WSLCTL" --wslconfig "$tmp/s" config set wsl2.memory 8GB) / $(rss_mib "$WSLCTL" --wslconfig "$tmp/l" config set wsl2.memory 8GB)" || status=1
exit $status
