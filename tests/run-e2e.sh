#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs every tests/e2e/*.sh against the built binary ($WSLCTL). Each script runs the
# binary the way a user or a provisioning script would, in its own temporary folder,
# and prints "ok - NAME" or "not ok - NAME" per case (TAP-like).
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${WSLCTL:?set WSLCTL to the wslctl binary}"
export WSLCTL TESTS_DIR="$here"
pass=0 fail=0
for t in "$here"/e2e/*.sh; do
	[ -e "$t" ] || continue
	name=$(basename "$t" .sh)
	out=$(mktemp)
	sh "$t" >"$out" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "not ok - $name exited $rc" >>"$out"; fi
	pass=$((pass + p)) fail=$((fail + f))
	if [ "$f" -gt 0 ]; then
		echo "== $name: $p passed, $f failed"
		cat "$out"
	else
		echo "== $name: $p passed"
	fi
	rm -f "$out"
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
