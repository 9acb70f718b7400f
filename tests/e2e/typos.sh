# SPDX-License-Identifier: MIT
# "Did you mean": one helper (cli/core/suggest.c) answers typos of commands, options
# (the command's own and the global ones, before or after the command), verbs and
# features; feature names are case-insensitive like keys (issue 14).
. "$TESTS_DIR/lib.sh"

CFG="$T/.wslconfig"
# typo EXPECTED_HINT ARGS...: exit 2, JSON or not, and the hint in the message
typo() {
	want=$1
	shift
	run --wslconfig "$CFG" "$@"
	expect_rc 2 "'$*' is a usage error"
	expect_contains "$err" "did you mean '$want'?" "'$*' suggests $want"
	run --json --wslconfig "$CFG" "$@"
	expect_contains "$out" "did you mean '$want'?" "'--json $*' suggests $want"
}
typo --json --jsn check
typo --json check --jsn
typo --dry-run config --dryrun list
typo --pre-release update --prerelease
typo --force config --forse set wsl2.memory 4GB
typo --available kernel list --availabel
typo --require check --requier wsl.host
typo list config lst
typo list config lsit
typo list kernel lsit
typo virtiofs enable virtiof
typo virtiofs disable VirtioF
typo check chekc
[ -e "$CFG" ] && not_ok "a typo wrote $CFG" || ok "no typo wrote anything"

# Nothing near: no guess.
run --wslconfig "$CFG" check --frobnicate
expect_rc 2 "an option near nothing is a usage error"
case $err in *"did you mean"*) not_ok "an option near nothing got a guess: $err" ;;
*) ok "an option near nothing gets no guess" ;; esac

# Feature names are case-insensitive.
run --wslconfig "$CFG" enable VIRTIOFS
expect_rc 0 "enable VIRTIOFS is enable virtiofs"
expect_contains "$(cat "$CFG")" "virtiofs=true" "enable VIRTIOFS set virtiofs=true"
run --wslconfig "$CFG" disable VirtioFS
expect_rc 0 "disable VirtioFS is disable virtiofs"
expect_contains "$(cat "$CFG")" "virtiofs=false" "disable VirtioFS set virtiofs=false"

# --version before the command, with a command after it: not "goes before the command".
run --json --version extra
expect_rc 2 "--version with a command is a usage error"
case $out in *"goes before"*) not_ok "--json --version extra says it goes before: $out" ;;
*) ok "--json --version extra does not say '--version goes before the command'" ;; esac
expect_contains "$out" "--version takes no command" "--version with a command says it takes none"
