# SPDX-License-Identifier: MIT
# Crash consistency: SIGKILL wslctl at every write, fsync, rename, truncate and unlink
# of `config set`, `enable`, `update` and `kernel use` (strace fault injection, each
# syscall counted first, then killed at its 1st, 2nd, ... call). After each kill:
# .wslconfig is byte-identical to the old or the new file; the store lists only
# complete versions equal to their package and the active kernel is one of them; the
# same command then runs at once (a lock held by the dead process would make it wait
# 10 s: it gets 5) and reaches the new state. Prints the number of crash points.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/server/server.sh"

if ! command -v strace >/dev/null 2>&1 || ! strace -qq -o /dev/null true 2>/dev/null; then
	ok "# SKIP strace cannot trace here"
	exit 0
fi
# Under valgrind (make valgrind) strace would count valgrind's own calls: nothing to learn.
# Under ASan (make sanitize, after the plain run) the same kills would only run slower.
if [ -n "${VG_BIN:-}" ] || [ -n "${E2E_SANITIZED:-}" ]; then
	ok "# SKIP crash points are counted on the plain binary"
	exit 0
fi
MKFEED="$TESTS_DIR/fixtures/update/mkfeed.py"
VERIFY="$TESTS_DIR/stress/verify_store.py"
FIX="$TESTS_DIR/fixtures/wslconfig"
export WSLCTL_RETRY_BASE_MS=10 WSLCTL_WSLPATH=/nonexistent/wslpath WSLCTL_WSL_EXE=/nonexistent/wsl.exe
SYSCALLS="write pwrite64 writev fsync fdatasync rename renameat renameat2 ftruncate unlink unlinkat"
points=0 killed=0

# crash_loop NAME SETUP VERIFY CMD...: for every counted syscall call N, SETUP, run CMD
# killed at call N, VERIFY; then CMD again must finish within 5 s, and VERIFY_DONE.
crash_loop() {
	name=$1 setup=$2 verify=$3
	shift 3
	$setup
	strace -f -qq -o "$T/count" -e trace="$(echo $SYSCALLS | tr ' ' ,)" "$@" >/dev/null 2>&1
	bad=0 n_here=0
	for sc in $SYSCALLS; do
		count=$(grep -v 'resumed>' "$T/count" | grep -cE "^[0-9]+ +$sc\(")
		n=1
		while [ "$n" -le "$count" ]; do
			$setup
			strace -f -qq -o "$T/inj" -e trace="$sc" -e inject="$sc:signal=KILL:when=$n" \
				"$@" >/dev/null 2>&1
			grep -q 'killed by SIGKILL' "$T/inj" && killed=$((killed + 1))
			n_here=$((n_here + 1))
			if ! $verify >"$T/why" 2>&1; then
				bad=$((bad + 1))
				[ "$bad" -le 3 ] && not_ok "$name: killed at $sc #$n: $(cat "$T/why")"
			fi
			if ! timeout 5 "$@" >/dev/null 2>"$T/again"; then
				bad=$((bad + 1))
				[ "$bad" -le 3 ] && not_ok "$name: after a kill at $sc #$n the next run failed or waited: $(cat "$T/again")"
			elif ! ${verify}_done >"$T/why" 2>&1; then
				bad=$((bad + 1))
				[ "$bad" -le 3 ] && not_ok "$name: after a kill at $sc #$n the next run did not finish the job: $(cat "$T/why")"
			fi
			n=$((n + 1))
		done
	done
	points=$((points + n_here))
	if [ "$bad" -eq 0 ] && [ "$n_here" -gt 0 ]; then
		ok "$name: consistent after each of $n_here kills"
	elif [ "$n_here" -eq 0 ]; then
		not_ok "$name: no write/fsync/rename counted (strace saw nothing)"
	fi
}

# old_or_new FILE OLD NEW: FILE is byte-identical to OLD or NEW ("-" = absent).
old_or_new() {
	if [ "$2" = - ] && [ ! -e "$1" ]; then return 0; fi
	if [ "$2" != - ] && cmp -s "$1" "$2"; then return 0; fi
	if cmp -s "$1" "$3"; then return 0; fi
	echo "$1 is neither the old nor the new file:"
	od -c "$1" | head -5
	return 1
}
# Temp files of the atomic replace left beside the file by a kill: counted (and removed,
# so each kill is judged alone) and reported once at the end, as they are junk in the
# user's folder but not a damaged file.
leftovers=0 left_example=""
no_leftovers() {
	left=$(find "$(dirname "$1")" -maxdepth 1 -name ".$(basename "$1").*" ! -name '*.wslctl-lock')
	if [ -n "$left" ]; then
		leftovers=$((leftovers + 1))
		left_example=$(echo "$left" | head -1)
		echo "$left" | while read -r f; do rm -f "$f"; done
	fi
	return 0
}

# The harness catches a writer that is not atomic: dd rewriting the file in place in
# 16-byte blocks, killed at its second write, leaves a mix that must be reported.
mkdir -p "$T/self"
printf 'old old old old old old old old old old\r\n' >"$T/self/old"
printf 'new new new new new new new new new new\r\n' >"$T/self/new"
cp "$T/self/old" "$T/self/f"
strace -f -qq -o /dev/null -e trace=write -e inject=write:signal=KILL:when=2 \
	dd if="$T/self/new" of="$T/self/f" bs=16 conv=notrunc >/dev/null 2>&1
if old_or_new "$T/self/f" "$T/self/old" "$T/self/new" >/dev/null; then
	not_ok "harness: a torn in-place write went unnoticed"
else
	ok "harness: a torn in-place write is caught"
fi

# --- config set / enable on the documentation sample, and on a missing file ---
W="$T/w"
mkdir -p "$W"
cp "$FIX/docs-sample-crlf.wslconfig" "$T/old"
cp "$T/old" "$W/.wslconfig"
"$WSLCTL" --wslconfig "$W/.wslconfig" config set wsl2.memory 6GB >/dev/null 2>&1 || not_ok "config set works"
cp "$W/.wslconfig" "$T/new-set"
cp "$T/old" "$W/.wslconfig"
"$WSLCTL" --wslconfig "$W/.wslconfig" enable virtiofs >/dev/null 2>&1 || not_ok "enable works"
cp "$W/.wslconfig" "$T/new-enable"
rm -f "$W/.wslconfig"
"$WSLCTL" --wslconfig "$W/.wslconfig" config set wsl2.swap 0 >/dev/null 2>&1 || not_ok "config set creates"
cp "$W/.wslconfig" "$T/new-create"

setup_file() { cp "$T/old" "$W/.wslconfig"; }
setup_none() { rm -f "$W/.wslconfig"; }
v_set() { old_or_new "$W/.wslconfig" "$T/old" "$T/new-set"; }
v_set_done() { cmp "$W/.wslconfig" "$T/new-set" && no_leftovers "$W/.wslconfig"; }
v_enable() { old_or_new "$W/.wslconfig" "$T/old" "$T/new-enable"; }
v_enable_done() { cmp "$W/.wslconfig" "$T/new-enable" && no_leftovers "$W/.wslconfig"; }
v_create() { old_or_new "$W/.wslconfig" - "$T/new-create"; }
v_create_done() { cmp "$W/.wslconfig" "$T/new-create" && no_leftovers "$W/.wslconfig"; }
crash_loop "config set" setup_file v_set "$WSLCTL" --wslconfig "$W/.wslconfig" config set wsl2.memory 6GB
crash_loop "enable virtiofs" setup_file v_enable "$WSLCTL" --wslconfig "$W/.wslconfig" enable virtiofs
crash_loop "config set (new file)" setup_none v_create "$WSLCTL" --wslconfig "$W/.wslconfig" config set wsl2.swap 0

# --- update and kernel use: a store with A active; update installs B, use switches ---
A=6.18.33.2-2 B=6.18.35.2-1
python3 "$MKFEED" "$T/feed" --kernel "$A" --kernel "$B" >/dev/null || exit 1
FLAT="$T/feed/flat"
pkg() { echo "$FLAT/microsoft.wsl.kernel/$1/microsoft.wsl.kernel.$1.nupkg"; }
PA=$(pkg "$A") PB=$(pkg "$B")
SA=$(sha256sum "$PA" | cut -d' ' -f1) SB=$(sha256sum "$PB" | cut -d' ' -f1)
TPL="$T/tpl" R="$T/root"
HOMEW="mnt/c/Users/me"
mkdir -p "$TPL/$HOMEW" "$TPL/proc/sys/kernel"
echo "6.8.0-generic" >"$TPL/proc/sys/kernel/osrelease"
printf '# mine\r\n[wsl2]\r\nmemory=8GB\r\n' >"$TPL/$HOMEW/.wslconfig"
# The same absolute paths in every run, so the new file is the same bytes each time.
build_state() { # DIR VERSIONS...: a root with those versions installed, the last active
	d=$1
	shift
	rm -rf "$R" && cp -a "$TPL" "$R"
	for v in "$@"; do
		p=$(pkg "$v")
		"$WSLCTL" --root "$R" --home "$R/$HOMEW/wslctl" --wslconfig "$R/$HOMEW/.wslconfig" \
			update --feed "$p" --sha256 "$(sha256sum "$p" | cut -d' ' -f1)" >/dev/null 2>&1 ||
			not_ok "install $v for the crash test"
	done
	rm -rf "$d" && mv "$R" "$d"
}
build_state "$T/with-a" "$A"
build_state "$T/with-ab" "$B" "$A"
build_state "$T/after-update" "$A" "$B"
cp "$T/with-a/$HOMEW/.wslconfig" "$T/cfg-a"
cp "$T/after-update/$HOMEW/.wslconfig" "$T/cfg-b"
G="--root $R --home $R/$HOMEW/wslctl --wslconfig $R/$HOMEW/.wslconfig"

setup_a() { rm -rf "$R" && cp -a "$T/with-a" "$R"; }
setup_ab() { rm -rf "$R" && cp -a "$T/with-ab" "$R"; }
v_store() { # ALLOWED...
	old_or_new "$R/$HOMEW/.wslconfig" "$T/cfg-a" "$T/cfg-b" &&
		python3 "$VERIFY" "$R/$HOMEW/wslctl" "$FLAT" "$R/$HOMEW/.wslconfig" "$@" &&
		"$WSLCTL" $G kernel list >/dev/null
}
v_update() { v_store "$A" "$B"; }
v_update_done() {
	cmp "$R/$HOMEW/.wslconfig" "$T/cfg-b" &&
		python3 "$VERIFY" "$R/$HOMEW/wslctl" "$FLAT" "$R/$HOMEW/.wslconfig" "$B" &&
		[ -d "$R/$HOMEW/wslctl/versions/$B" ] && no_leftovers "$R/$HOMEW/.wslconfig"
}
v_use() { v_store "$A" "$B"; }
v_use_done() { v_update_done; }
# shellcheck disable=SC2086
crash_loop "update (local package)" setup_a v_update "$WSLCTL" $G update --feed "$PB" --sha256 "$SB"
# The same update from the loopback NuGet feed: kills land in the download and its
# cache (.part, ETag metadata) too.
server_start --root "$T/feed" --routes "$T/feed/routes.json" || exit 1
# shellcheck disable=SC2086
crash_loop "update (loopback NuGet feed)" setup_a v_update "$WSLCTL" $G update \
	--feed "nuget:Microsoft.WSL.Kernel@$SERVER_URL/nuget/index.json" --kernel-version "$B"
# shellcheck disable=SC2086
crash_loop "kernel use" setup_ab v_use "$WSLCTL" $G kernel use "$B"

if [ "$leftovers" -eq 0 ]; then
	ok "no temp file of an interrupted write is left behind once the next run is done"
else
	not_ok "$leftovers of $points kills left a temp file that no later run removes (e.g. $left_example): safefile_replace should remove stale .NAME.wslctl-XXXXXX files of the target"
fi
if [ "$killed" -gt 0 ]; then
	ok "crash points: $points injected, $killed of them killed wslctl"
else
	not_ok "crash points: $points injected but no kill happened"
fi
