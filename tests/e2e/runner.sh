# SPDX-License-Identifier: MIT
# The e2e runner itself: a skip is counted apart from a pass, and under CI=true a skip
# in a script CI must run (crash, concurrency) fails the run.
. "$TESTS_DIR/lib.sh"

D="$T/scripts"
mkdir "$D"
printf 'echo "ok - one"\necho "ok - two"\n' >"$D/plain.sh"
printf 'echo "ok - # SKIP no strace here"\n' >"$D/crash.sh"
printf 'echo "ok - # SKIP not on this machine"\n' >"$D/other.sh"

runner() {
	env -u VG_BIN -u E2E_SANITIZED E2E_DIR="$D" E2E_MUST_RUN="crash concurrency" "$@" sh "$TESTS_DIR/run-e2e.sh" >"$T/r.out" 2>&1
	rc=$?
	last=$(tail -n 1 "$T/r.out")
}

runner CI=
[ "$rc" -eq 0 ] && ok "skips alone do not fail a run outside CI" || not_ok "runner exited $rc outside CI"
expect_contains "$last" "e2e: 2 passed, 0 failed, 2 skipped" "skips are counted apart from passes"
expect_contains "$(cat "$T/r.out")" "== crash: 0 passed, 1 skipped" "a script that only skipped is not shown as passing"

runner CI=true
[ "$rc" -ne 0 ] && ok "under CI=true a skipped crash test fails the run" || not_ok "CI=true run with a skipped crash test exited 0"
expect_contains "$last" "e2e: 2 passed, 1 failed, 2 skipped" "only the script CI must run turns its skip into a failure"

runner CI=true E2E_MUST_RUN=
[ "$rc" -eq 0 ] && ok "a skip in a script CI need not run is only counted" || not_ok "runner exited $rc"
