# SPDX-License-Identifier: MIT
# Edges of the command-line contract (docs/cli.md "Exit codes"): a FIFO or device where a
# file is expected is refused at once (exit 3), dry runs write nothing, closed standard
# streams, whole lines on stderr, empty paths.
. "$TESTS_DIR/lib.sh"
export XDG_CACHE_HOME="$T/cache" WSLCTL_CMD_EXE="$T/no-cmd.exe"
cfg="$T/.wslconfig"
printf '[wsl2]\nmemory=4GB\n' >"$cfg"
mkfifo "$T/fifo"

# trun CMD...: run with a time limit, so a hang fails the case instead of the suite.
trun() {
	timeout 10 "$WSLCTL" "$@" >"$T/.out" 2>"$T/.err"
	rc=$?
	out=$(cat "$T/.out")
	err=$(cat "$T/.err")
}

# ---- settings files that are not regular files ----
mkdir -p "$T/xdg/wslctl"
mkfifo "$T/xdg/wslctl/config"
trun --wslconfig "$cfg" config get wsl2.memory
expect_rc 3 "a FIFO as the user settings file is refused (exit 3), no hang"
expect_contains "$err" "not a regular file" "the FIFO refusal says what it is"
rm "$T/xdg/wslctl/config"
ln -s /dev/zero "$T/xdg/wslctl/config"
trun --wslconfig "$cfg" config get wsl2.memory
expect_rc 3 "a link to /dev/zero as the user settings file is refused (exit 3)"
rm "$T/xdg/wslctl/config"
mkdir "$T/xdg/wslctl/config"
trun --wslconfig "$cfg" config get wsl2.memory
expect_rc 3 "a folder as the user settings file is refused, not ignored (exit 3)"
rmdir "$T/xdg/wslctl/config"
WSLCTL_SYSTEM_CONFIG="$T/fifo" trun --wslconfig "$cfg" config get wsl2.memory
expect_rc 3 "a FIFO as the system settings file is refused (exit 3)"
trun --wslconfig "$cfg" config get wsl2.memory
expect_rc 0 "no settings file is fine"

# ---- --cacert that is not a regular file, or missing ----
trun kernel list --available --feed https://127.0.0.1:1/x.nupkg --cacert "$T/fifo"
expect_rc 3 "kernel list --cacert FIFO is refused (exit 3), no hang"
trun --home "$T/store" --wslconfig "$cfg" update --check --feed https://127.0.0.1:1/x.nupkg --cacert "$T/fifo"
expect_rc 3 "update --check --cacert FIFO is refused (exit 3), no hang"
trun --home "$T/store" --wslconfig "$cfg" update --check --feed https://127.0.0.1:1/x.nupkg --cacert "$T/missing.pem"
expect_rc 3 "update --check --cacert missing.pem is exit 3"

# ---- closed standard streams: no file takes their place ----
printf '[wsl2]\nmemory=4GB\n' >"$cfg"
lock="$T/..wslconfig.wslctl-lock"
# A second name for the lock file keeps what was written into it after wslctl unlinks it.
: >"$lock" && ln "$lock" "$T/lock.seen"
"$WSLCTL" --wslconfig "$cfg" config set wsl2.memory 7GB >&- 2>"$T/.err"
rc=$?
expect_rc 1 "config set with stdout closed fails (the diff could not be written)"
expect_contains "$(cat "$T/.err")" "cannot write to standard output" \
	"config set with stdout closed says stdout could not be written"
[ ! -s "$T/lock.seen" ] && ok "config set with stdout closed writes nothing into the lock file" ||
	not_ok "config set with stdout closed wrote into the lock file: $(cat "$T/lock.seen")"
rm -f "$lock" "$T/lock.seen"
: >"$lock" && ln "$lock" "$T/lock.seen"
expect_contains "$(cat "$cfg")" "memory=7GB" "config set with stdout closed still edits"
"$WSLCTL" --wslconfig "$cfg" config set wsl2.memory 6GB <&- >"$T/.out" 2>&-
rc=$?
expect_rc 0 "config set with stdin and stderr closed exits 0"
[ ! -s "$T/lock.seen" ] && ok "config set with stderr closed writes nothing into the lock file" ||
	not_ok "config set with stderr closed wrote into the lock file: $(cat "$T/lock.seen")"

# ---- a line on stderr goes out in one write ----
# LeakSanitizer cannot run under ptrace and says so on stderr: off for the traced runs.
if command -v strace >/dev/null 2>&1; then
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -s 4096 -e trace=write -o "$T/strace" "$WSLCTL" --wslconfig "$cfg" \
		config get wsl2.nope 2>/dev/null
	n=$(grep -c 'write(2,' "$T/strace")
	[ "$n" = 1 ] && ok "an error line is one write(2)" ||
		not_ok "an error line took $n writes to stderr"
	printf '[wsl2]\nmemory=8 GB\n' >"$T/warn.wslconfig"
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -s 4096 -e trace=write -o "$T/strace" "$WSLCTL" --wslconfig "$T/warn.wslconfig" \
		config set wsl2.swap 0 >/dev/null 2>&1
	n=$(grep 'write(2,' "$T/strace" | grep -vc '\\n"')
	[ "$n" = 0 ] && ok "every write to stderr ends a line (warnings, info)" ||
		not_ok "$n writes to stderr do not end a line: $(grep 'write(2,' "$T/strace")"
else
	echo "# skip: no strace, one write per line not checked (not counted as passed)"
fi

# ---- --home "" is a usage error, as --wslconfig "" is ----
trun --home "" --wslconfig "$cfg" kernel list
expect_rc 2 "--home '' is a usage error"
expect_contains "$err" "--home" "--home '': the error names the option"

# ---- dry runs and --check write nothing: no cache entry, no lock file ----
. "$TESTS_DIR/update-lib.sh"
python3 "$MKFEED" "$T/feed" --release '2.7.9:WSL 2.7.9:l:6.18.33.2-2' \
	--kernel 6.18.33.2-1 --kernel 6.18.33.2-2 >/dev/null || exit 1
server_start --root "$T/feed" --routes "$T/feed/routes.json" || exit 1
FEED="--releases $SERVER_URL --feed nuget:Microsoft.WSL.Kernel@$SERVER_URL/nuget/index.json"
kernel_machine
printf '[wsl2]\r\nmemory=8GB\r\n' >"$CFG"
install_pkg 6.18.33.2-1
expect_rc 0 "install 6.18.33.2-1 (a store to hold the cache)"
mkdir -p "$STORE/cache/meta"
trun $G -n update --no-platform $FEED
expect_rc 0 "-n update from a feed exits 0"
[ -z "$(ls -A "$STORE/cache/meta")" ] && ok "-n update writes nothing into cache/meta" ||
	not_ok "-n update wrote into cache/meta: $(ls -A "$STORE/cache/meta")"
trun $G update --check --no-platform $FEED
expect_rc 0 "update --check exits 0"
[ -z "$(ls -A "$STORE/cache/meta")" ] && ok "update --check writes nothing into cache/meta" ||
	not_ok "update --check wrote into cache/meta: $(ls -A "$STORE/cache/meta")"
install_pkg 6.18.33.2-2
expect_rc 0 "install 6.18.33.2-2"
# Another writer holds .wslconfig's lock: a dry run neither waits for it nor touches it.
lock="$(dirname "$CFG")/.$(basename "$CFG").wslctl-lock"
for dr in "kernel use 6.18.33.2-1" "kernel rollback" "update --no-platform --inbox"; do
	flock "$lock" sleep 3 &
	holder=$!
	sleep 0.3
	start=$(date +%s%N)
	trun $G -n $dr
	took=$((($(date +%s%N) - start) / 1000000))
	kill "$holder" 2>/dev/null
	wait "$holder" 2>/dev/null
	rm -f "$lock"
	expect_rc 0 "-n $dr exits 0 while another writer holds the lock"
	[ "$took" -lt 900 ] && ok "-n $dr does not wait for .wslconfig's lock (${took} ms)" ||
		not_ok "-n $dr waited for .wslconfig's lock (${took} ms; $err)"
done

# ---- -n update of an installed, older package says what it would activate ----
pkg="$T/feed/flat/microsoft.wsl.kernel/6.18.33.2-1/microsoft.wsl.kernel.6.18.33.2-1.nupkg"
trun $G -n update --no-platform --feed "$pkg" --sha256 "$(sha256sum "$pkg" | cut -d' ' -f1)" \
	--allow-downgrade
expect_rc 0 "-n update --allow-downgrade to an installed kernel exits 0"
expect_contains "$out$err" "would activate kernel 6.18.33.2-1" \
	"-n update to an installed kernel says it would activate it"

# ---- kernel list's advice names options kernel list takes ----
trun $G kernel list --available --feed https://127.0.0.1:1/x.nupkg
expect_rc 2 "kernel list --available of a package URL without a version in its name: exit 2"
case "$err" in
*"update --feed"*) ok "kernel list of an unnamed package points to update --feed ... --kernel-version" ;;
*) not_ok "kernel list of an unnamed package gives advice it cannot take: $err" ;;
esac

# ---- check refuses a .wslconfig it cannot decode, as config validate does (exit 3) ----
CHECK="$TESTS_DIR/fixtures/check/wsl-6.6-9p"
printf '\376\377\000[\000w\000s\000l\0002\000]\000\n' >"$T/be.wslconfig"
printf '[wsl2]\nmem\000ory=4GB\n' >"$T/nul.wslconfig"
for f in be nul; do
	trun config validate --wslconfig "$T/$f.wslconfig"
	want=$rc
	trun check --root "$CHECK" --wslconfig "$T/$f.wslconfig"
	expect_rc 3 "check --wslconfig $f.wslconfig (config validate: $want) is exit 3"
done
