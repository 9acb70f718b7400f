#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs every tests/e2e/*.sh against the built binary ($WSLCTL). Each script runs the
# binary the way a user or a provisioning script would, in its own temporary folder,
# and prints "ok - NAME", "ok - # SKIP WHY" or "not ok - NAME" per case (TAP-like).
# Skips are counted apart from passes. Under CI=true a skip in one of the scripts that
# must run there (E2E_MUST_RUN: they need tools CI installs) fails the run, so a test
# that could not run is never taken for one that passed. Arguments: script names to run
# (default: all); E2E_DIR another folder of scripts (tests/e2e/runner.sh uses it).
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${WSLCTL:?set WSLCTL to the wslctl binary}"
export WSLCTL TESTS_DIR="$here"
dir=${E2E_DIR:-$here/e2e}
# valgrind runs (VG_BIN) skip the timing-bound scripts on purpose, and the ASan run
# (E2E_SANITIZED) skips crash.sh, which the plain run of make check has just run.
if [ "${CI:-}" = true ] && [ -z "${VG_BIN:-}" ] && [ -z "${E2E_SANITIZED:-}" ]; then
	must_run=${E2E_MUST_RUN-crash concurrency}
else
	must_run=
fi
pass=0 fail=0 skip=0

# The scripts to run: the arguments (names or paths), or every one.
scripts() {
	if [ $# -eq 0 ]; then
		for t in "$dir"/*.sh; do [ -e "$t" ] && echo "$t"; done
		return
	fi
	for n in "$@"; do
		n=$(basename "$n" .sh)
		echo "$dir/$n.sh"
	done
}

for t in $(scripts "$@"); do
	name=$(basename "$t" .sh)
	out=$(mktemp)
	if [ -e "$t" ]; then sh "$t" >"$out" 2>&1; rc=$?; else echo "no such script" >"$out"; rc=1; fi
	s=$(grep -c '^ok .*# SKIP' "$out")
	p=$(($(grep -c '^ok ' "$out") - s))
	f=$(grep -c '^not ok ' "$out")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "not ok - $name exited $rc" >>"$out"; fi
	case " $must_run " in
	*" $name "*)
		if [ "$s" -gt 0 ]; then
			f=$((f + s))
			echo "not ok - $name skipped $s case(s) under CI=true: CI must run it" >>"$out"
		fi ;;
	esac
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	if [ "$f" -gt 0 ]; then
		echo "== $name: $p passed, $f failed, $s skipped"
		cat "$out"
	elif [ "$s" -gt 0 ]; then
		echo "== $name: $p passed, $s skipped"
		grep '^ok .*# SKIP' "$out"
	else
		echo "== $name: $p passed"
	fi
	rm -f "$out"
done
echo "e2e: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
