# SPDX-License-Identifier: MIT
# A corrupt state.json (the store's record of the kernel before the last switch) is
# never taken for "nothing recorded" in silence (issue 14): rollback, which needs it,
# refuses with exit 3 naming the file and what is wrong, changing nothing; list warns;
# use and update warn that a new record replaces it.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/update-lib.sh"

python3 "$MKFEED" "$T/feed" --kernel 6.18.33.2-2 --kernel 6.18.35.2-1 >/dev/null || exit 1
kernel_machine
printf '[wsl2]\r\nmemory=8GB\r\n' >"$CFG"
install_pkg 6.18.33.2-2
expect_rc 0 "install 6.18.33.2-2"
install_pkg 6.18.35.2-1
expect_rc 0 "install 6.18.35.2-1"
STATE="$STORE/state.json"

# corrupt NAME CONTENT WHAT: rollback refuses it (exit 3, invalid-file, the file and
# WHAT named), and leaves .wslconfig and the file as they were.
corrupt() {
	printf '%s' "$2" >"$STATE"
	cp "$CFG" "$T/cfg.before"
	cp "$STATE" "$T/state.before"
	run $G kernel rollback
	expect_rc 3 "rollback with $1 exits 3"
	expect_contains "$err" "$STATE is corrupt ($3" "rollback with $1 names the file and what is wrong"
	expect_contains "$err" "nothing was changed" "rollback with $1 says nothing was changed"
	same_file "$CFG" "$T/cfg.before" "rollback with $1 leaves .wslconfig alone"
	same_file "$STATE" "$T/state.before" "rollback with $1 leaves state.json alone"
	run $G --json kernel rollback
	expect_json error.code invalid-file "rollback --json with $1: invalid-file"
}
corrupt "a cut-off state.json" '{"previous":"6.18.3' "not JSON: line 1"
corrupt "a state.json that is a list" '["6.18.33.2-2"]' "not a JSON object"
corrupt "a previous that is not a version" '{"previous":42}' '"previous" is not a kernel version'
corrupt "an empty state.json" '' "not JSON"

# list can go on: it warns, and does not know where rollback goes.
printf '%s' '{"previous":"6.18.3' >"$STATE"
run $G --json kernel list
expect_rc 0 "list with a corrupt state.json exits 0"
expect_contains "$err" "$STATE is corrupt (not JSON" "list warns that state.json is corrupt"
expect_contains "$err" "where 'kernel rollback' goes is unknown" "list says what it made of it"
expect_json rollback null "list with a corrupt state.json: rollback null"

# use can go on: a dry run says the record would be replaced, the real one replaces it.
cp "$STATE" "$T/state.before"
run $G -n kernel use 6.18.33.2-2
expect_rc 0 "-n use with a corrupt state.json exits 0"
expect_contains "$err" "is corrupt (not JSON" "-n use warns that state.json is corrupt"
expect_contains "$err" "it would be replaced by a new record" "-n use says it would be replaced"
same_file "$STATE" "$T/state.before" "-n use leaves the corrupt state.json alone"
run $G kernel use 6.18.33.2-2
expect_rc 0 "use with a corrupt state.json exits 0"
expect_contains "$err" "replaced by a new record" "use says the corrupt record was replaced"
run $G --json kernel rollback
expect_rc 0 "after use replaced the record, rollback works"
expect_json version 6.18.35.2-1 "rollback returns to the kernel active before use"

# update (installing what is already there) warns the same way.
printf '%s' 'garbage' >"$STATE"
pkg="$T/feed/flat/microsoft.wsl.kernel/6.18.33.2-2/microsoft.wsl.kernel.6.18.33.2-2.nupkg"
run $G update --no-platform --kernel-version 6.18.33.2-2 --feed "$pkg" --sha256 "$(sha256sum "$pkg" | cut -d' ' -f1)"
expect_rc 0 "update with a corrupt state.json exits 0"
expect_contains "$err" "$STATE is corrupt" "update warns that state.json is corrupt"
