#!/bin/sh
# SPDX-License-Identifier: MIT
# make bench: runs every bench/bench_*.sh (or the scripts named) and prints one report.
# Each script prints table rows: "name | baseline | ours | ratio | target | verdict |
# peak RSS baseline / ours" (bench/rss.sh); a row without the last column gets "-".
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${WSLCTL:?set WSLCTL}"
export WSLCTL BENCH_DIR="$here"
echo "benchmark | baseline | ours | ratio | target | verdict | peak RSS (baseline / ours)"
echo "--- | --- | --- | --- | --- | --- | ---"
status=0
[ $# -gt 0 ] || set -- "$here"/bench_*.sh
for b in "$@"; do
	[ -e "$b" ] || continue
	{ sh "$b" || echo "status 1"; } | awk -F' [|] ' '
		/^status 1$/ { failed = 1; next }
		NF == 6 { print $0 " | -"; next }
		{ print }
		END { exit failed }' || status=1
done
exit $status
