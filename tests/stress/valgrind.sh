#!/bin/sh
# SPDX-License-Identifier: MIT
# make valgrind: the whole e2e suite with every wslctl (and wslctl-net) run under
# valgrind memcheck. usage: valgrind.sh BUILD-DIR
# Fails when an e2e case fails or any run logged a memcheck error or leak.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:?build dir}" && pwd)
logs="$build/valgrind"
rm -rf "$logs" && mkdir -p "$logs"
export VG_BIN="$build/wslctl" VG_LOG_DIR="$logs"
# Tests look beside $WSLCTL for wslctl (shell completion runs it from PATH), wslctl-net
# and wslctl.1: the wrapper gets the real name in a folder of its own.
bin="$build/valgrind-bin"
rm -rf "$bin" && mkdir -p "$bin"
cp "$top/tests/stress/valgrind-wslctl" "$bin/wslctl"
ln -s "$build/wslctl-net" "$bin/wslctl-net"
ln -s "$build/wslctl.1" "$bin/wslctl.1"
WSLCTL="$bin/wslctl" sh "$top/tests/run-e2e.sh"
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
