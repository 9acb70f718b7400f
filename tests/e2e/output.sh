# SPDX-License-Identifier: MIT
# The output rules (docs/cli.md "Output"): -q keeps the answer and drops the chatter, -q/-v
# the last one wins, colour decided per stream, messages in the order made, and waits and
# retries said instead of silent.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/update-lib.sh"
export WSLCTL_DATA_DIR="$TESTS_DIR/.." WSLCTL_CMD_EXE="$T/no-cmd.exe" XDG_CACHE_HOME="$T/cache"
CHECK="$TESTS_DIR/fixtures/check/wsl-6.6-9p"
cfg="$T/.wslconfig"
printf '[wsl2]\nmemory=4GB\n' >"$cfg"

# ---- -q removes chatter, never the answer ----
run -q --wslconfig "$cfg" config get wsl2.memory
expect_out "4GB" "-q config get prints the value"
run --wslconfig "$cfg" config list -q
expect_contains "$out" "wsl2.memory=4GB" "-q config list prints the list"
run -q --wslconfig "$cfg" config path
expect_out "$cfg" "-q config path prints the path"
printf '[wsl2]\nmemory=8 GB\n' >"$T/bad.wslconfig"
run -q config validate --wslconfig "$T/bad.wslconfig"
expect_contains "$out" "is not a size for wsl2.memory" "-q config validate prints what it found"
run -q --wslconfig "$cfg" config set wsl2.memory 8GB
expect_rc 0 "-q config set exits 0"
[ -z "$out$err" ] && ok "-q config set says nothing (diff and 'written' are chatter)" ||
	not_ok "-q config set said something: '$out' '$err'"
run -q --wslconfig "$cfg" enable virtiofs
[ -z "$out$err" ] && ok "-q enable says nothing" || not_ok "-q enable said: '$out' '$err'"
run -q check --root "$CHECK"
expect_contains "$out" "FAIL  kernel.version" "-q check prints the table"

# The last of -q and -v wins: check -v lists the kernel options it read.
run -q -v check --root "$CHECK"
expect_contains "$out" "CONFIG_VIRTIO_FS=y" "-q -v: -v wins (check lists the options)"
run -v -q check --root "$CHECK"
case "$out" in
*CONFIG_VIRTIO_FS*) not_ok "-v -q: -q wins (the options were listed)" ;;
*"kernel.version"*) ok "-v -q: -q wins (the table, not the options)" ;;
*) not_ok "-v -q: check printed no table: $out" ;;
esac

# kernel list: its answer with -q; kernel use's report is chatter.
python3 "$MKFEED" "$T/feed" --kernel 6.18.35.2-1 --kernel 6.18.40.1-1 >/dev/null || exit 1
kernel_machine
install_pkg 6.18.35.2-1
run -q $G kernel list
expect_contains "$out" "* 6.18.35.2-1" "-q kernel list prints the installed kernels"
run -q $G kernel use 6.18.35.2-1
[ -z "$out$err" ] && ok "-q kernel use says nothing" || not_ok "-q kernel use said: '$out' '$err'"

# ---- colour, decided per stream (script(1) gives a terminal) ----
if command -v script >/dev/null 2>&1; then
	esc=$(printf '\033')
	bad="$T/bad.wslconfig"
	# on_tty ENV... -- CMD: runs the shell command CMD with stdout and stderr on a terminal.
	on_tty() {
		script -qec "env $1 sh -c '$2'" /dev/null 2>&1 </dev/null
	}
	W="\"$WSLCTL\""
	on_tty "-u NO_COLOR TERM=xterm" "$W config validate --wslconfig $bad >$T/v.out" >/dev/null
	if grep -q "$esc" "$T/v.out"; then not_ok "validate > FILE from a terminal: no escapes in FILE"
	else ok "validate > FILE from a terminal: no escapes in FILE"; fi
	grep -q "warning:" "$T/v.out" && ok "validate > FILE: the verdict is in FILE" ||
		not_ok "validate > FILE: no verdict in FILE"
	o=$(on_tty "-u NO_COLOR TERM=xterm" "$W config validate --wslconfig $bad 2>$T/v.err")
	expect_contains "$o" "${esc}[33mwarning:" "stdout on a terminal, stderr not: stdout in colour"
	on_tty "-u NO_COLOR TERM=xterm" "$W config get no.such 2>$T/e.err" >/dev/null
	if grep -q "$esc" "$T/e.err"; then not_ok "stderr to a file: the error has no escapes"
	else ok "stderr to a file: the error has no escapes"; fi
	o=$(on_tty "-u NO_COLOR TERM=xterm" "$W config get no.such >$T/e.out")
	expect_contains "$o" "${esc}[31mwslctl: error:" "stderr on a terminal: the error in red"
	o=$(on_tty "NO_COLOR= TERM=xterm" "$W config validate --wslconfig $bad")
	expect_contains "$o" "${esc}[33mwarning:" "NO_COLOR empty counts as unset (colour)"
	o=$(on_tty "NO_COLOR=1 TERM=xterm" "$W config validate --wslconfig $bad")
	case "$o" in *"$esc["*) not_ok "NO_COLOR=1: no colour" ;; *) ok "NO_COLOR=1: no colour" ;; esac
	o=$(on_tty "-u NO_COLOR TERM=dumb" "$W config validate --wslconfig $bad")
	case "$o" in *"$esc["*) not_ok "TERM=dumb: no colour" ;; *) ok "TERM=dumb: no colour" ;; esac
	o=$(on_tty "-u NO_COLOR TERM=xterm" "$W --no-color check --root $CHECK")
	case "$o" in *"$esc["*) not_ok "--no-color: no colour" ;; *) ok "--no-color: no colour" ;; esac
	o=$(on_tty "-u NO_COLOR TERM=xterm" "$W check --root $CHECK 2>/dev/null")
	expect_contains "$o" "${esc}[31mFAIL${esc}[0m" "check on a terminal with stderr elsewhere: colour"
	on_tty "-u NO_COLOR TERM=xterm" "$W check --root $CHECK >$T/c.out" >/dev/null
	if grep -q "$esc" "$T/c.out"; then not_ok "check > FILE from a terminal: no escapes"
	else ok "check > FILE from a terminal: no escapes"; fi
else
	echo "ok - # SKIP no script(1) for a terminal"
fi

# ---- order: the diff comes before "written", merged into one pipe or file ----
printf '[wsl2]\nmemory=4GB\n' >"$cfg"
o=$("$WSLCTL" --wslconfig "$cfg" config set wsl2.memory 6GB 2>&1 | cat)
first=$(printf '%s\n' "$o" | head -n 1)
expect_contains "$first" "wsl2.memory: 4GB -> 6GB" "2>&1 | cat: the diff comes first"
expect_contains "$(printf '%s\n' "$o" | sed -n 2p)" "written; restart WSL" "2>&1 | cat: then 'written'"
"$WSLCTL" --wslconfig "$cfg" config set wsl2.memory 7GB >"$T/merged" 2>&1
expect_contains "$(head -n 1 "$T/merged")" "wsl2.memory: 6GB -> 7GB" ">FILE 2>&1: the diff comes first"

# ---- waits and retries are said ----
# hold_lock FILE: one process holds FILE's flock until killed ($holder); flock(1) would
# leave its child holding the lock after flock itself is killed.
hold_lock() {
	python3 -c 'import fcntl, sys, time
f = open(sys.argv[1], "a")
fcntl.flock(f, fcntl.LOCK_EX)
time.sleep(60)' "$1" &
	holder=$!
	while ! python3 -c 'import fcntl, sys
f = open(sys.argv[1], "a")
try:
    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    sys.exit(1)
except OSError:
    pass' "$1"; do sleep 0.05; done
}
# until_said FILE TEXT: waits (up to 15 s) until TEXT is in FILE.
until_said() {
	i=0
	until grep -q "$2" "$1" 2>/dev/null || [ $i -gt 300 ]; do sleep 0.05; i=$((i + 1)); done
}
pkg="$T/feed/flat/microsoft.wsl.kernel/6.18.35.2-1/microsoft.wsl.kernel.6.18.35.2-1.nupkg"
sum=$(sha256sum "$pkg" | cut -d' ' -f1)

# The store's lock, held by another writer: after 1 s it says so, naming the file.
hold_lock "$STORE/lock"
"$WSLCTL" $G update --feed "$pkg" --sha256 "$sum" >"$T/u.out" 2>"$T/u.err" &
writer=$!
until_said "$T/u.err" "waiting for"
kill "$holder"
wait "$holder" 2>/dev/null
wait "$writer"
rc=$? err=$(cat "$T/u.err")
expect_rc 0 "update waits for the store's lock"
expect_contains "$err" "waiting for another process that holds $STORE/lock" \
	"a wait for the store's lock is said after 1 s, naming the file"
hold_lock "$STORE/lock"
"$WSLCTL" -q $G update --feed "$pkg" --sha256 "$sum" >"$T/u.out" 2>"$T/u.err" &
writer=$!
sleep 2
kill "$holder"
wait "$holder" 2>/dev/null
wait "$writer"
rc=$? err=$(cat "$T/u.err")
expect_rc 0 "-q update waits for the store's lock"
case "$err" in *waiting*) not_ok "-q: the wait is not said" ;; *) ok "-q: the wait is not said" ;; esac

# Network retries: each said with -v (what failed, attempt n of m, the wait), not without.
cat >"$T/routes.json" <<EOF
{"/repos/microsoft/WSL/releases/latest": {"fail": [503, 503, 503, 503, 503, 503]}}
EOF
server_start --routes "$T/routes.json" || exit 1
WSLCTL_RETRIES=2 run -v $G update --check --releases "$SERVER_URL"
expect_rc 1 "a release API that keeps failing fails the run"
expect_contains "$err" "HTTP 503" "-v: a retry says what failed"
expect_contains "$err" "(attempt 2 of 3)" "-v: a retry says attempt 2 of 3"
expect_contains "$err" "(attempt 3 of 3)" "-v: a retry says attempt 3 of 3"
expect_contains "$err" "trying again in 0.0" "-v: a retry says the wait"
WSLCTL_RETRIES=2 run $G update --check --releases "$SERVER_URL"
case "$err" in *"trying again"*) not_ok "without -v retries are not said" ;;
*) ok "without -v retries are not said" ;; esac
server_stop

# A retry in the middle of a download, on a terminal: said on its own line, not glued to
# the progress bar's.
if command -v script >/dev/null 2>&1; then
	offer_release "$T/feed/routes.json" 6.18.40.1-1 '{"drop_after": 200, "times": 1}'
	server_start --root "$T/feed" --routes "$T/feed/routes.json" || exit 1
	FEED="--releases $SERVER_URL --feed nuget:Microsoft.WSL.Kernel@$SERVER_URL/nuget/index.json"
	script -qec "\"$WSLCTL\" -v $G update $FEED --no-platform" /dev/null >"$T/tty.out" 2>&1 </dev/null
	line=$(grep -a "trying again" "$T/tty.out")
	case "$line" in
	"") not_ok "a retry mid-download is said (-v): $(cat -v "$T/tty.out")" ;;
	*"$(printf '\033')"*) not_ok "a retry mid-download is said on its own line: $(printf '%s' "$line" | cat -v)" ;;
	*) ok "a retry mid-download is said on its own line" ;;
	esac
	grep -aq "6.18.40.1-1 is active" "$T/tty.out" && ok "the download resumed and installed" ||
		not_ok "the download did not finish: $(cat -v "$T/tty.out")"
	server_stop
fi

# DNS failures (right after WSL boots) are retried with the same backoff.
start=$(date +%s)
WSLCTL_RETRIES=2 run -v $G update --check --releases "https://nosuch.invalid"
expect_rc 1 "an unresolvable host fails the run"
expect_contains "$err" "(attempt 3 of 3)" "a name that does not resolve is retried"
[ $(($(date +%s) - start)) -lt 10 ] && ok "the DNS retries are quick under WSLCTL_RETRY_BASE_MS" ||
	not_ok "the DNS retries took $(($(date +%s) - start)) s"

# build's wait for the store's lock is said too (the fake kernel tree builds in seconds).
B="$T/b"
mkdir -p "$B/data/kernel-config" "$B/root/mnt/c/wslctl" "$B/cache"
cp -R "$TESTS_DIR/fixtures/patches-good" "$B/data/patches"
printf '# need: build\nCONFIG_IKCONFIG=y\n' >"$B/data/kernel-config/test.config"
cp -R "$TESTS_DIR/fixtures/fake-kernel" "$B/tree"
printf '[wsl2]\r\n' >"$B/wslconfig"
hold_lock "$B/root/mnt/c/wslctl/lock"
XDG_CACHE_HOME="$B/cache" WSLCTL_DATA_DIR="$B/data" "$WSLCTL" build --source "$B/tree" \
	--root "$B/root" --home "$B/root/mnt/c/wslctl" --wslconfig "$B/wslconfig" -j 2 \
	>"$B/out" 2>"$B/err" &
builder=$!
until_said "$B/err" "waiting for"
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
wait "$builder"
rc=$?
err=$(cat "$B/err")
expect_rc 0 "build waits for the store's lock, then installs"
expect_contains "$err" "waiting for another process that holds $B/root/mnt/c/wslctl/lock" \
	"a build's wait for the store's lock is said, naming the file"
