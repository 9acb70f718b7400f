# SPDX-License-Identifier: MIT
# Store writers interrupted between steps (SIGINT/SIGTERM while a system call is held up
# by strace): exit 128+N with error code interrupted, nothing half-installed, nothing
# activated, no staging leftovers, and the lock free at once (docs/store.md).
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/update-lib.sh"

if ! command -v strace >/dev/null 2>&1 || ! strace -qq -o /dev/null true 2>/dev/null; then
	ok "# SKIP strace cannot trace here"
	exit 0
fi

python3 "$MKFEED" "$T/feed" --kernel 6.18.33.2-2 --kernel 6.18.35.2-1 --kernel 6.18.40.1-1 || exit 1
kernel_machine
install_pkg 6.18.33.2-2
install_pkg 6.18.35.2-1
pkg() { echo "$T/feed/flat/microsoft.wsl.kernel/$1/microsoft.wsl.kernel.$1.nupkg"; }

# Writes its pid to argv[1] and becomes argv[2...] with SIGINT at its default (a shell's
# background job starts with SIGINT ignored).
EXEC='import os, signal, sys
open(sys.argv[1], "w").write(str(os.getpid()))
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[2], sys.argv[2:])'
# interrupted SIG SYSCALL ARGS...: runs wslctl ARGS with SYSCALL's first call held up 3 s,
# sends SIG while it waits, and leaves $rc, $out and $err.
interrupted() {
	sig=$1 sc=$2
	shift 2
	rm -f "$T/pid"
	# LeakSanitizer cannot run under ptrace (an ASan build: make sanitize); every other
	# run of the suite checks for leaks.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -qq -o /dev/null -e trace="$sc" -e inject="$sc:delay_enter=3000000:when=1" \
		python3 -c "$EXEC" "$T/pid" "$WSLCTL" "$@" >"$T/.out" 2>"$T/.err" &
	spid=$!
	i=0
	while [ ! -s "$T/pid" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	sleep 1.2 # well inside the 3 s the call is held
	kill -"$sig" "$(cat "$T/pid")"
	wait $spid
	rc=$?
	out=$(cat "$T/.out")
	err=$(cat "$T/.err")
}
staging_empty() {
	if [ -z "$(ls -A "$STORE/staging")" ]; then ok "$1"; else not_ok "$1: $(ls -A "$STORE/staging")"; fi
}
lock_free() { # the next writer gets the lock at once
	start=$(date +%s)
	run $G --json kernel use 6.18.35.2-1
	expect_rc 0 "$1: the next writer succeeds"
	[ $(($(date +%s) - start)) -lt 5 ] && ok "$1: the lock was free" || not_ok "$1: the next writer waited"
}

# kernel use, stopped while it takes the store lock: nothing written.
cp "$CFG" "$T/cfg.before"
cp "$STORE/state.json" "$T/state.before"
interrupted INT flock $G --json kernel use 6.18.33.2-2
expect_rc 130 "kernel use interrupted by SIGINT: exit 130"
expect_json error.code interrupted "kernel use interrupted: error code interrupted"
same_file "$CFG" "$T/cfg.before" "kernel use interrupted: .wslconfig unchanged"
same_file "$STORE/state.json" "$T/state.before" "kernel use interrupted: state.json unchanged"
ls -A "$STORE" | grep -q '^\.state\.json\.' && not_ok "kernel use interrupted: a temporary state file is left" ||
	ok "kernel use interrupted: no temporary state file"
lock_free "kernel use interrupted"

# update's install, stopped while the staged kernel is synced: not installed, not active.
cp "$CFG" "$T/cfg.before"
p=$(pkg 6.18.40.1-1)
interrupted TERM fsync $G --json update --feed "$p" --sha256 "$(sha256sum "$p" | cut -d' ' -f1)"
expect_rc 143 "update interrupted by SIGTERM during its install: exit 143"
expect_json error.code interrupted "update interrupted: error code interrupted"
[ -d "$STORE/versions/6.18.40.1-1" ] && not_ok "update interrupted: the version was installed" ||
	ok "update interrupted: the version is not installed"
same_file "$CFG" "$T/cfg.before" "update interrupted: .wslconfig unchanged"
staging_empty "update interrupted: no staging leftovers"
lock_free "update interrupted"

# kernel remove, stopped while it takes the lock: the version is still there.
interrupted HUP flock $G --json kernel remove 6.18.33.2-2
expect_rc 129 "kernel remove interrupted by SIGHUP: exit 129"
[ -f "$STORE/versions/6.18.33.2-2/kernel" ] && ok "kernel remove interrupted: the version is intact" ||
	not_ok "kernel remove interrupted: the version is gone"
staging_empty "kernel remove interrupted: no staging leftovers"

# update --inbox, stopped while it takes the lock: kernel= stays.
cp "$CFG" "$T/cfg.before"
interrupted INT flock $G --json update --inbox --no-platform
expect_rc 130 "update --inbox interrupted by SIGINT: exit 130"
expect_json error.code interrupted "update --inbox interrupted: error code interrupted"
same_file "$CFG" "$T/cfg.before" "update --inbox interrupted: .wslconfig unchanged"
