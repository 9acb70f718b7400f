# SPDX-License-Identifier: MIT
# wslctl kernel rollback to what was active before wslctl's first switch: WSL's own
# kernel (no kernel=) or a kernel= the user set by hand, kernelModules= included.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/update-lib.sh"

python3 "$MKFEED" "$T/feed" --kernel 6.18.33.2-2 --kernel 6.18.35.2-1 --kernel 6.18.40.1-1 || exit 1
kernel_machine

# --- WSL's own kernel before: rollback removes kernel= again ---
printf '[wsl2]\r\nmemory=8GB\r\n' >"$CFG"
cp "$CFG" "$T/inbox.before"
run $G --json kernel rollback
expect_rc 1 "rollback before any switch exits 1"
expect_json error.code not-found "rollback before any switch: not-found"
[ -e "$STORE" ] && not_ok "a rollback with nothing to go back to created the store" ||
	ok "a rollback with nothing to go back to creates nothing"
install_pkg 6.18.33.2-2
expect_rc 0 "install over WSL's own kernel exits 0"
run $G --json kernel list
expect_json rollback.version null "list: rollback would not go to a store version"
expect_json rollback.kernel null "list: rollback would go to WSL's own kernel"
run $G kernel list
expect_contains "$out" "rollback goes to WSL's own kernel (no kernel=)" "list text: where rollback goes"
run $G --json kernel rollback
expect_rc 0 "rollback to WSL's own kernel exits 0"
expect_json version null "rollback to WSL's own kernel: no store version"
expect_json kernel null "rollback to WSL's own kernel: no kernel="
expect_json previous 6.18.33.2-2 "rollback to WSL's own kernel: previous is the store kernel"
same_file "$CFG" "$T/inbox.before" "rollback to WSL's own kernel: .wslconfig byte for byte as before"
run $G kernel rollback
expect_rc 0 "rollback again exits 0"
expect_contains "$out" "activated kernel 6.18.33.2-2" "rollback again returns to the store kernel"
expect_contains "$(cat "$CFG")" 'versions\\6.18.33.2-2\\kernel' "rollback again: kernel= points into the store"

# --- a hand-set kernel before: rollback restores both keys as they were ---
rm -rf "$STORE"
printf '# mine\r\n[wsl2]\r\nkernel=C:\\\\kernels\\\\bzImage\r\nkernelModules=C:\\\\kernels\\\\modules.vhd\r\n' >"$CFG"
cp "$CFG" "$T/hand.before"
install_pkg 6.18.35.2-1
expect_rc 0 "install over a hand-set kernel exits 0"
expect_json previous null "install over a hand-set kernel: no previous store version"
run $G kernel list
expect_contains "$out" "* 6.18.35.2-1" "the store kernel is active"
expect_contains "$out" 'rollback restores kernel=C:\kernels\bzImage (outside the store)' \
	"list text: rollback restores the hand-set kernel"
run $G --json kernel list
expect_json rollback.kernel 'C:\kernels\bzImage' "list: rollback names the hand-set kernel"
run $G -n --json kernel rollback
expect_rc 0 "rollback --dry-run exits 0"
expect_json kernel 'C:\kernels\bzImage' "rollback --dry-run reports the hand-set kernel"
expect_json dry_run true "rollback --dry-run says so"
expect_contains "$(cat "$CFG")" 'versions\\6.18.35.2-1' "rollback --dry-run changes nothing"
run $G kernel rollback
expect_rc 0 "rollback to a hand-set kernel exits 0"
expect_contains "$out" 'restored kernel=C:\kernels\bzImage (outside the store)' "rollback names the restored kernel"
same_file "$CFG" "$T/hand.before" "rollback to a hand-set kernel: .wslconfig byte for byte as before"
run $G --json kernel list
expect_json active null "after rollback no store kernel is active"
expect_json previous 6.18.35.2-1 "after rollback the store kernel is the previous"
expect_json rollback.version 6.18.35.2-1 "list: rollback would return to the store kernel"

# --- update --inbox from a hand-set kernel, then rollback brings it back ---
run $G --json update --inbox
expect_rc 0 "--inbox over a hand-set kernel exits 0"
case "$(cat "$CFG")" in *kernel*) not_ok "--inbox left kernel keys" ;; *) ok "--inbox removed the hand-set keys" ;; esac
run $G --json kernel rollback
expect_rc 0 "rollback after --inbox exits 0"
expect_json modules 'C:\kernels\modules.vhd' "rollback after --inbox restores kernelModules="
same_file "$CFG" "$T/hand.before" "rollback after --inbox: .wslconfig byte for byte as before"

# --- what list promises, rollback does: a removed or re-activated previous is no target ---
rm -rf "$STORE"
printf '[wsl2]\r\n' >"$CFG"
install_pkg 6.18.33.2-2
install_pkg 6.18.35.2-1
run $G --json kernel list
expect_json rollback.version 6.18.33.2-2 "list: rollback would go to the older store kernel"
run $G --json kernel remove 6.18.33.2-2
expect_rc 0 "the previous kernel can be removed"
run $G --json kernel list
expect_json rollback null "list: a removed previous kernel is no rollback target"
run $G --json kernel rollback
expect_rc 1 "rollback to a removed kernel exits 1"
expect_contains "$err" "6.18.33.2-2, was removed from the store" "rollback says the previous kernel was removed"
expect_contains "$(cat "$CFG")" 'versions\\6.18.35.2-1\\kernel' "a refused rollback changes nothing"

# --- a state that cannot be written leaves .wslconfig as it was ---
install_pkg 6.18.40.1-1
cp "$CFG" "$T/cfg.before"
# A folder (not empty) where state.json goes: not the store's own file, so it is refused
# before anything is written. The state is written before .wslconfig, so .wslconfig must
# be as it was.
mv "$STORE/state.json" "$T/state.saved"
mkdir -p "$STORE/state.json/x"
run $G --json kernel use 6.18.35.2-1
rm -r "$STORE/state.json"
mv "$T/state.saved" "$STORE/state.json"
expect_rc 3 "use exits 3 when the store's state.json is not a regular file"
expect_contains "$out" 'state.json' "the failure names state.json"
same_file "$CFG" "$T/cfg.before" "use that cannot record the previous kernel leaves .wslconfig alone"
run $G --json kernel use 6.18.35.2-1
expect_rc 0 "use works again once the state can be written"
run $G --json kernel rollback
expect_json version 6.18.40.1-1 "after the failed attempt, rollback still returns to the kernel before"

# --- a previous_setting that is not a Windows path, or holds control bytes: refused ---
cp "$CFG" "$T/cfg.before"
cp "$STORE/state.json" "$T/state.saved"
printf '%s' '{"previous":null,"previous_setting":{"kernel":"C:\\k\n[boot]\ncommand=evil\u001b]0;pwn\u0007\u001b[31mRED","kernelModules":null}}' >"$STORE/state.json"
run $G kernel rollback
expect_rc 3 "rollback to a previous_setting with control bytes exits 3"
expect_contains "$err" "state.json" "the refusal names state.json"
same_file "$CFG" "$T/cfg.before" "a refused previous_setting leaves .wslconfig alone"
if cat "$T/.out" "$T/.err" | LC_ALL=C grep -q "$(printf '[\033\007]')"; then
	not_ok "a refused previous_setting: control bytes on stdout/stderr"
else ok "a refused previous_setting: no control bytes on stdout/stderr"; fi
run $G --json kernel rollback
expect_json error.code invalid-file "a refused previous_setting: invalid-file"
printf '%s' '{"previous":null,"previous_setting":{"kernel":"relative\\k","kernelModules":null}}' >"$STORE/state.json"
run $G kernel rollback
expect_rc 3 "rollback to a previous_setting that is not a Windows path exits 3"
printf '%s' '{"previous":null,"previous_setting":{"kernel":"C:\\k","kernelModules":7}}' >"$STORE/state.json"
run $G kernel rollback
expect_rc 3 "rollback to a previous_setting that is not a string exits 3"
same_file "$CFG" "$T/cfg.before" "refused previous_settings leave .wslconfig alone"
mv "$T/state.saved" "$STORE/state.json"
