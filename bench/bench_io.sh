#!/bin/sh
# SPDX-License-Identifier: MIT
# `wslctl bench` against the tools a user would time by hand, on the same folder and the
# same tree: seq next to fio (same size, 1 MiB blocks, a flush every 8 MiB and at the
# end, the cache dropped before the read: --fdatasync=8 --end_fsync=1 --invalidate=1),
# unpack next to `tar x`, status next to `ls -lR` and `find -exec stat {} +`, read next
# to `cat` of every file.
# The tree is the bench's own: one run under strace with unlinkat refused leaves its
# first unpack in place (as many files as its time budget let through; the run then
# fails at its first removal, and its numbers are not used).
# Rows are reported, not timed tests: ratio = our time / the tool's time for the same
# work (rates inverted), and the seq rows' verdict says whether the bench agrees with
# fio within 10%. BENCH_IO_DIR: where (default /var/tmp, a disk file system);
# BENCH_RUNS: hyperfine runs (default 5); BENCH_SEQ_RUNS: seq/fio rounds (default 9).
set -eu
: "${WSLCTL:?}" "${BENCH_DIR:?}"
tmp=$(mktemp -d "${BENCH_IO_DIR:-/var/tmp}/wslctl-bench-io.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
runs=${BENCH_RUNS:-5}
[ "$runs" -ge 3 ] 2>/dev/null || runs=3
seq_runs=${BENCH_SEQ_RUNS:-9}
[ "$seq_runs" -ge 3 ] 2>/dev/null || seq_runs=3
# Records and the store go to the scratch folder, not the user's.
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/home/.local/share" NO_COLOR=1
mkdir -p "$HOME" "$tmp/target" "$tmp/reference" "$tmp/base" "$tmp/cap"

# bench_once OUT: a default run of the bench (3 repeats, medians), target and reference
# side by side, its JSON into OUT.
bench_once() {
	"$WSLCTL" bench --json --target "$tmp/target" --reference "$tmp/reference" \
		>"$1" 2>"$tmp/bench.err" ||
		{ echo "bench_io: wslctl bench failed: $(cat "$tmp/bench.err")" >&2; exit 1; }
}
bench_once "$tmp/bench.json"

# The same tree on disk: the bench cannot unlink, so its first unpack stays.
strace -f --seccomp-bpf -qq -o /dev/null -e trace=unlinkat,unlink,rmdir \
	-e inject=unlinkat,unlink,rmdir:error=EPERM \
	"$WSLCTL" bench --json --target "$tmp/cap" --reference "$tmp/cap" \
	>/dev/null 2>&1 || true
tree=$(find "$tmp/cap" -mindepth 2 -maxdepth 2 -type d -name tree | head -1)
[ -n "$tree" ] || { echo "bench_io: no tree captured" >&2; exit 1; }
tar -cf "$tmp/tree.tar" -C "$(dirname "$tree")" tree
rm -rf "$tmp/cap"
files=$(tar -tf "$tmp/tree.tar" | grep -vc '/$')
entries=$(($(tar -tf "$tmp/tree.tar" | wc -l) - 1))
tar -xf "$tmp/tree.tar" -C "$tmp/base"

# median_s [--prepare CMD] CMD...: the median wall time of CMD in seconds (hyperfine,
# no shell, output discarded).
median_s() {
	prep=""
	if [ "$1" = --prepare ]; then prep=$2; shift 2; fi
	hyperfine -N -w 1 -r "$runs" ${prep:+--prepare "$prep"} \
		--export-json "$tmp/h.json" -- "$*" >/dev/null 2>&1
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' \
		"$tmp/h.json"
}

t_tar=$(median_s --prepare "rm -rf $tmp/base/tree" tar -xf "$tmp/tree.tar" -C "$tmp/base")
t_ls=$(median_s ls -lR "$tmp/base/tree")
t_stat=$(median_s find "$tmp/base/tree" -exec stat {} +)
t_cat=$(median_s find "$tmp/base/tree" -type f -exec cat {} +)

# fio: the bench's seq, job for job. The bench flushes every 8 MiB (FLUSH_EVERY in
# cli/core/bench_work.c) and fsyncs at the end, so fio's job does too (--fdatasync=8 of
# 1 MiB blocks). This disk's rate moves 2x from one run to the next, so the two take
# turns: SEQ_RUNS rounds of one bench run and one fio write+read, medians of each side.
seq_bytes=$(python3 -c '
import json, sys
w = {x["id"]: x for x in json.load(open(sys.argv[1]))["workloads"]}["seq"]["target"]
# bytes counts the writes and read-backs of every repeat: what one repeat wrote (its
# budget may have cut it short of 256 MiB), in whole MiB.
print(max(1, w["bytes"] // (2 * w["repeats"]) >> 20) << 20)' "$tmp/bench.json")
mkdir -p "$tmp/target/fio"
# One fio run: the write job, then (stonewall) the read job, as the bench reads back at once.
fio_rates() {
	fio --directory="$tmp/target/fio" --filename=seq.bin --bs=1M --size="$seq_bytes" \
		--ioengine=psync --fdatasync=8 --end_fsync=1 --invalidate=1 --output-format=json \
		--name=w --rw=write --name=r --stonewall --rw=read 2>/dev/null |
		python3 -c '
import json, sys
t = sys.stdin.read()
j = json.loads(t[t.index("{"):])["jobs"]
print(j[0]["write"]["bw_bytes"] / 1048576, j[1]["read"]["bw_bytes"] / 1048576)'
}
seq_rates() {
	python3 -c '
import json, sys
w = {x["id"]: x for x in json.load(open(sys.argv[1]))["workloads"]}["seq"]["target"]
print(w["write_rate"], w["read_rate"])' "$1"
}
: >"$tmp/fio"
seq_rates "$tmp/bench.json" >"$tmp/ours"
i=0
while [ $i -lt "$seq_runs" ]; do
	if [ $i -gt 0 ]; then
		bench_once "$tmp/round.json"
		seq_rates "$tmp/round.json" >>"$tmp/ours"
	fi
	fio_rates >>"$tmp/fio"
	rm -f "$tmp/target/fio/seq.bin"
	i=$((i + 1))
done

python3 - "$tmp/bench.json" "$files" "$entries" "$t_tar" "$t_ls" "$t_stat" "$t_cat" \
	"$tmp/fio" "$seq_bytes" "$tmp/ours" <<'EOF'
import json, statistics, sys
doc = json.load(open(sys.argv[1]))
files, entries = int(sys.argv[2]), int(sys.argv[3])
t_tar, t_ls, t_stat, t_cat = (float(x) for x in sys.argv[4:8])
fio = [tuple(float(v) for v in x.split()) for x in open(sys.argv[8])]
mib = int(sys.argv[9]) >> 20
ours = [tuple(float(v) for v in x.split()) for x in open(sys.argv[10])]
wl = {w["id"]: w["target"] for w in doc["workloads"]}
fs = doc["target"]["transport"]

def row(name, tool, base_rate, ours_rate, unit):
    # Rates: the ratio is our time over the tool's for the same work.
    print("%s | %s %.0f %s | %.0f %s | %.2fx | report | ok" % (
        name, tool, base_rate, unit, ours_rate, unit, base_rate / ours_rate))

row("bench unpack vs tar x (%d files, %s)" % (files, fs), "tar x", files / t_tar,
    wl["unpack"]["rate"], "files/s")
row("bench status vs ls -lR (%d entries)" % entries, "ls -lR", entries / t_ls,
    wl["status"]["rate"], "entries/s")
row("bench status vs find -exec stat {} +", "find+stat", entries / t_stat,
    wl["status"]["rate"], "entries/s")
row("bench read vs cat (find -exec cat {} +)", "cat", files / t_cat,
    wl["read"]["rate"], "files/s")
for k, what in enumerate(("write", "read")):
    base, mine = [f[k] for f in fio], [o[k] for o in ours]
    b, m = statistics.median(base), statistics.median(mine)
    dev = m / b - 1
    print("bench seq %s vs fio (%d MiB, 1 MiB blocks, fdatasync every 8, end fsync, "
          "invalidate; medians of %d alternating runs, ranges %.0f-%.0f / %.0f-%.0f) "
          "| fio %.1f MiB/s | %.1f MiB/s | %.2fx | within 10%% (%+.1f%%) | %s" % (
              what, mib, len(mine), min(base), max(base), min(mine), max(mine), b, m,
              b / m, dev * 100, "agrees" if abs(dev) <= 0.10 else "DIFFERS"))
EOF
