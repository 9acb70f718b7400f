#!/bin/sh
# make bench: runs every bench/bench_*.sh and prints one report.
# Each script prints table rows: "name | baseline | ours | ratio | target | verdict".
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${WSLCTL:?set WSLCTL}"
export WSLCTL BENCH_DIR="$here"
echo "benchmark | baseline | ours | ratio | target | verdict"
echo "--- | --- | --- | --- | --- | ---"
status=0
for b in "$here"/bench_*.sh; do
	[ -e "$b" ] || continue
	sh "$b" || status=1
done
exit $status
