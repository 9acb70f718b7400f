#!/bin/sh
# `config get` and `config set` against `git config -f` and `crudini` on the same
# .wslconfig (the sample from Microsoft's documentation), median of many runs measured
# by hyperfine without a shell; and `set` on a 10,000- vs a 100,000-line file.
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

# median_ms [--prepare CMD] CMD...: the median wall time of CMD in milliseconds.
median_ms() {
	if [ "$1" = --prepare ]; then
		prep=$2
		shift 2
		hyperfine -N -w 10 -r "$runs" --prepare "$prep" --export-json "$tmp/h.json" -- "$*" >/dev/null 2>&1
	else
		hyperfine -N -w 20 -r "$runs" --export-json "$tmp/h.json" -- "$*" >/dev/null 2>&1
	fi
	python3 -c 'import json,sys; print("%.3f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$tmp/h.json"
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
ours=$(median_ms "$WSLCTL" --wslconfig "$tmp/w" config get wsl2.memory)
git_ms=$(median_ms git config -f "$tmp/w" --get wsl2.memory)
cru_ms=$(median_ms crudini --get "$tmp/w" wsl2 memory)
rss_ours=$(rss_mib "$WSLCTL" --wslconfig "$tmp/w" config get wsl2.memory)
row "config get vs git config" "git" "$git_ms" "$ours" 1 le \
	"$(rss_mib git config -f "$tmp/w" --get wsl2.memory) / $rss_ours" || status=1
row "config get vs crudini" "crudini" "$cru_ms" "$ours" 20 ge \
	"$(rss_mib crudini --get "$tmp/w" wsl2 memory) / $rss_ours" || status=1

# set: the file is put back before every run, so each run really writes.
ours=$(median_ms --prepare "cp $tmp/orig $tmp/w" "$WSLCTL" --wslconfig "$tmp/w" config set wsl2.memory 8GB)
git_ms=$(median_ms --prepare "cp $tmp/orig $tmp/w" git config -f "$tmp/w" wsl2.memory 8GB)
cru_ms=$(median_ms --prepare "cp $tmp/orig $tmp/w" crudini --set "$tmp/w" wsl2 memory 8GB)
cp "$tmp/orig" "$tmp/w"
rss_ours=$(rss_mib "$WSLCTL" --wslconfig "$tmp/w" config set wsl2.memory 8GB)
cp "$tmp/orig" "$tmp/w"
rss_git=$(rss_mib git config -f "$tmp/w" wsl2.memory 8GB)
cp "$tmp/orig" "$tmp/w"
rss_cru=$(rss_mib crudini --set "$tmp/w" wsl2 memory 8GB)
row "config set vs git config (we fsync, git does not)" "git" "$git_ms" "$ours" 0 info \
	"$rss_git / $rss_ours"
row "config set vs crudini" "crudini" "$cru_ms" "$ours" 20 ge "$rss_cru / $rss_ours" || status=1

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
small=$(median_ms --prepare "cp $tmp/big10000 $tmp/s" "$WSLCTL" --wslconfig "$tmp/s" config set wsl2.memory 8GB)
large=$(median_ms --prepare "cp $tmp/big100000 $tmp/l" "$WSLCTL" --wslconfig "$tmp/l" config set wsl2.memory 8GB)
cp "$tmp/big10000" "$tmp/s"
cp "$tmp/big100000" "$tmp/l"
row "config set, 100,000 vs 10,000 lines" "10k lines" "$small" "$large" 12 le \
	"$(rss_mib "$WSLCTL" --wslconfig "$tmp/s" config set wsl2.memory 8GB) / $(rss_mib "$WSLCTL" --wslconfig "$tmp/l" config set wsl2.memory 8GB)" || status=1
exit $status
