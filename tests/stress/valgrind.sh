#!/bin/sh
# make valgrind: the whole e2e suite with every wslctl (and wslctl-net) run under
# valgrind memcheck. usage: valgrind.sh BUILD-DIR
# Fails when an e2e case fails or any run logged a memcheck error or leak.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:?build dir}" && pwd)
logs="$build/valgrind"
rm -rf "$logs" && mkdir -p "$logs"
export VG_BIN="$build/wslctl" VG_LOG_DIR="$logs"
# Valgrind is 20-50x slower: give retries and lock waits their normal room.
WSLCTL="$top/tests/stress/valgrind-wslctl" sh "$top/tests/run-e2e.sh"
status=$?
bad=0
for f in "$logs"/vg.*.log; do
	[ -s "$f" ] || continue
	bad=$((bad + 1))
	echo "== $f"
	head -40 "$f"
done
runs=$(ls "$logs" | wc -l)
echo "valgrind: $runs processes checked, $bad with memcheck errors or leaks"
[ "$status" -eq 0 ] && [ "$bad" -eq 0 ]
