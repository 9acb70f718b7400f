# SPDX-License-Identifier: MIT
# The command line itself: help, version, unknown commands, global options anywhere.
. "$TESTS_DIR/lib.sh"

run --version
expect_rc 0 "--version exits 0"
expect_contains "$out" "wslctl " "--version prints the version"

run --json --version
expect_contains "$out" '"version"' "--json --version is a JSON object"

run
expect_rc 2 "no command is a usage error"
expect_contains "$err" "usage: wslctl" "no command prints usage on stderr"

run --help
expect_rc 0 "--help exits 0"
expect_contains "$out" "Commands:" "--help lists commands"

for c in enable disable config check update kernel build; do
	run help "$c"
	expect_rc 0 "help $c exits 0"
	expect_contains "$out" "usage: wslctl $c" "help $c shows usage"
	run "$c" --help
	expect_contains "$out" "usage: wslctl $c" "$c --help shows usage"
done

run help help
expect_rc 0 "help help exits 0"
expect_contains "$out" "Commands:" "help help shows the commands"

run chekc
expect_rc 2 "unknown command exits 2"
expect_contains "$err" "did you mean 'check'" "unknown command suggests the nearest"

run --json chekc
expect_rc 2 "unknown command with --json exits 2"
expect_out '{"ok":false,"error":{"code":"usage","message":"unknown command '"'"'chekc'"'"'; did you mean '"'"'check'"'"'?"}}' \
	"usage error is docs/cli.md's JSON error object"

run --bogus check
expect_rc 2 "unknown global option exits 2"

run config --version
expect_rc 2 "--version after a command is the command's option, not the tool's"

run --wslconfig
expect_rc 2 "a global option without its value is a usage error"
