#!/bin/sh
# SPDX-License-Identifier: MIT
# Finding .wslconfig, one rule for every command: a given one (--wslconfig,
# WSLCTL_WSLCONFIG) wins; under --root the live machine is never asked (no interop, no
# cached answer); without it, inside WSL it is %USERPROFILE%\.wslconfig through interop
# (fake cmd.exe and wslpath that log their calls), cached after the first time; elsewhere
# a clear usage error. Path conversions themselves are unit-tested (tests/unit/test_winpath.c).
. "$TESTS_DIR/lib.sh"

R="$T/root"
mkdir -p "$R/proc/sys/kernel" "$T/off/proc/sys/kernel" "$T/bin" "$T/mnt/c/Users/José"
echo 6.6.87.2-microsoft-standard-WSL2 >"$R/proc/sys/kernel/osrelease"
echo 6.1.0-27-amd64 >"$T/off/proc/sys/kernel/osrelease"

# cmd.exe /u writes UTF-16LE into a pipe; wslpath -u maps C:\ to this test's mnt/c.
cat >"$T/bin/cmd.exe" <<'EOS'
#!/bin/sh
printf '%s\n' "$*" >>"$0.log"
printf '%s\r\n' "$PROFILE_ANSWER" | iconv -f UTF-8 -t UTF-16LE
EOS
cat >"$T/bin/wslpath" <<'EOS'
#!/bin/sh
printf '%s\n' "$*" >>"$0.log"
[ "$1" = -u ] || exit 1
printf '%s\n' "$2" | sed -e "s|^C:|$MNT/c|" -e 's|\\|/|g'
EOS
chmod +x "$T/bin/cmd.exe" "$T/bin/wslpath"
export WSLCTL_CMD_EXE="$T/bin/cmd.exe" WSLCTL_WSLPATH="$T/bin/wslpath" \
	XDG_CACHE_HOME="$T/cache" MNT="$T/mnt" PROFILE_ANSWER='C:\Users\José'
calls() { if [ -f "$1" ]; then wc -l <"$1" | tr -d ' '; else echo 0; fi; }
expect_out_file() { [ "$(cat "$1")" = "$2" ] && ok "$3" || not_ok "$3 ($(cat "$1"))"; }

# The live machine made WSL for one command: a private mount namespace in which
# /proc/sys/kernel/osrelease says WSL. Needs user and mount namespaces (unshare).
as_wsl() {
	unshare -rm sh -c 'mount --bind "$0" /proc/sys/kernel/osrelease && exec "$@"' \
		"$R/proc/sys/kernel/osrelease" "$@"
}
run_wsl() {
	as_wsl "$WSLCTL" "$@" >"$T/.out" 2>"$T/.err"
	rc=$?
	out=$(cat "$T/.out")
	err=$(cat "$T/.err")
}

# Without --root, inside WSL: %USERPROFILE% through interop, then from the cache.
live_wsl() {
	run_wsl config path
	expect_rc 0 "inside WSL: config path finds the profile through interop"
	expect_out "$T/mnt/c/Users/José/.wslconfig" "inside WSL: %USERPROFILE%\\.wslconfig, non-ASCII kept"
	expect_contains "$err" 'C:\Users\José' "inside WSL: says what Windows answered"
	expect_contains "$err" "cmd.exe" "inside WSL: says it asked through cmd.exe"
	expect_out_file "$T/bin/cmd.exe.log" "/d /u /c echo %USERPROFILE%" \
		"cmd.exe asked once, UTF-16 output, no AutoRun"
	expect_out_file "$T/bin/wslpath.log" '-u C:\Users\José' "wslpath -u converted the answer"

	run_wsl --json config path
	expect_rc 0 "second run succeeds"
	expect_contains "$out" '"source":"cache"' "second run comes from the cache"
	expect_contains "$out" "cached in $T/cache/wslctl/userprofile" "second run says where the cache is"
	[ "$(calls "$T/bin/cmd.exe.log")" = 1 ] && ok "second run: no interop call" ||
		not_ok "second run: cmd.exe called $(calls "$T/bin/cmd.exe.log") times"

	# The whole command uses it: enable writes the found file.
	run_wsl enable virtiofs
	expect_rc 0 "enable virtiofs on the found .wslconfig"
	expect_contains "$(cat "$T/mnt/c/Users/José/.wslconfig" 2>/dev/null)" "virtiofs=true" \
		"the found .wslconfig got virtiofs=true"

	# Given explicitly: no interop at all.
	rm -f "$T/bin/cmd.exe.log"
	run_wsl --wslconfig "$T/given.wslconfig" --json config path
	expect_contains "$out" '"source":"flag"' "inside WSL: --wslconfig wins over interop"
	[ "$(calls "$T/bin/cmd.exe.log")" = 0 ] && ok "inside WSL, given file: no interop call" ||
		not_ok "inside WSL, given file: cmd.exe was called"

	# Windows cannot tell: a clear interop error, nothing cached.
	rm -rf "$T/cache"
	PROFILE_ANSWER='%USERPROFILE%' run_wsl config path
	expect_rc 1 "USERPROFILE unset in Windows: exit 1"
	expect_contains "$err" "--wslconfig" "USERPROFILE unset: the message names the way out"
	[ ! -e "$T/cache/wslctl/userprofile" ] && ok "a failed answer is not cached" ||
		not_ok "a failed answer was cached"
	WSLCTL_CMD_EXE=/nonexistent/cmd.exe run_wsl --json config path
	expect_rc 1 "cmd.exe missing: exit 1"
	expect_contains "$out" '"code":"interop"' "cmd.exe missing: error code interop"
	PROFILE_ANSWER='C:\Users\José'
	WSLCTL_CMD_EXE="$T/bin/cmd.exe"
}

if [ "$(as_wsl cat /proc/sys/kernel/osrelease 2>/dev/null)" = "$(cat "$R/proc/sys/kernel/osrelease")" ]
then
	live_wsl
else
	ok "# SKIP no user and mount namespaces here (unshare): the live machine cannot be made WSL"
fi

# Under --root the live machine is never asked: not through interop, not from the cache
# of an earlier answer, even when the recorded machine is WSL.
rm -f "$T/bin/cmd.exe.log" "$T/bin/wslpath.log"
mkdir -p "$T/cache/wslctl"
printf '%s\n%s\n' 'C:\Users\José' "$T/mnt/c/Users/José" >"$T/cache/wslctl/userprofile"
run --root "$R" --json config path
expect_rc 2 "under --root without --wslconfig: exit 2"
expect_contains "$out" '"code":"usage"' "under --root: error code usage"
expect_contains "$out" "use --wslconfig PATH or WSLCTL_WSLCONFIG" "under --root: says what to do"
expect_contains "$out" "under --root" "under --root: says why"
run --root "$R" enable virtiofs
expect_rc 2 "under --root: enable without --wslconfig is a usage error"
[ "$(calls "$T/bin/cmd.exe.log")$(calls "$T/bin/wslpath.log")" = 00 ] &&
	ok "under --root: no interop call" || not_ok "under --root: cmd.exe or wslpath was called"

# Given explicitly: taken as it is.
run --root "$R" --wslconfig "$T/given.wslconfig" --json config path
expect_contains "$out" '"source":"flag"' "--wslconfig names the file"
WSLCTL_WSLCONFIG="$T/env.wslconfig" run --root "$R" --json config path
expect_contains "$out" '"source":"env"' "WSLCTL_WSLCONFIG names the file"
expect_contains "$out" "$T/env.wslconfig" "WSLCTL_WSLCONFIG: the path is its"
[ "$(calls "$T/bin/cmd.exe.log")" = 0 ] && ok "given file: no interop call" ||
	not_ok "given file: cmd.exe was called"

# Outside WSL there is no profile: usage error, exit 2, no interop call.
run --root "$T/off" --json config path
expect_rc 2 "a recorded machine outside WSL without --wslconfig: exit 2"
expect_contains "$out" "use --wslconfig PATH or WSLCTL_WSLCONFIG" "outside WSL: says what to do"
if grep -qiE 'microsoft|wsl' /proc/sys/kernel/osrelease || [ -e /run/WSL ]; then
	ok "# SKIP this machine is WSL: no live not-WSL case"
else
	run --json config path
	expect_rc 2 "this machine (not WSL) without --wslconfig: exit 2"
	expect_contains "$out" "outside WSL there is no Windows profile" "not WSL: says why"
fi
[ "$(calls "$T/bin/cmd.exe.log")" = 0 ] && ok "outside WSL: no interop call" ||
	not_ok "outside WSL: cmd.exe was called"
