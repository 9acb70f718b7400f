# SPDX-License-Identifier: MIT
# wslctl kernel list|use|rollback|remove, and the store surviving a crash mid-update.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/update-lib.sh"

python3 "$MKFEED" "$T/feed" --kernel 6.18.33.2-2 --kernel 6.18.35.2-1 --kernel 6.18.40.1-1 --kernel 6.18.45.1-1 || exit 1
kernel_machine

run $G --json kernel list
expect_rc 0 "list on an empty store exits 0"
expect_json installed '[]' "empty store lists nothing"
expect_json active null "empty store: nothing active"
[ -e "$STORE" ] && not_ok "list created the store" || ok "list on a missing store creates nothing"

install_pkg 6.18.33.2-2
install_pkg 6.18.35.2-1
expect_json previous 6.18.33.2-2 "second install records the previous kernel"
run $G --json kernel list
expect_json installed.0.version 6.18.35.2-1 "list: newest first"
expect_json installed.0.active true "list: the active one is marked"
expect_json installed.1.active false "list: the other is not"
expect_json active 6.18.35.2-1 "list: active"
expect_json previous 6.18.33.2-2 "list: previous"
run $G kernel list
expect_contains "$out" "* 6.18.35.2-1" "list text: a star marks the active kernel"

# use / rollback
run $G --json kernel use 6.18.33.2-2
expect_rc 0 "use exits 0"
expect_json changed true "use: changed"
expect_json previous 6.18.35.2-1 "use: previous"
expect_contains "$(cat "$CFG")" 'versions\\6.18.33.2-2\\kernel' "use: kernel= points at it"
run $G --json kernel use 6.18.33.2-2
expect_json changed false "use twice: nothing changes"
run $G --json kernel rollback
expect_rc 0 "rollback exits 0"
expect_json version 6.18.35.2-1 "rollback returns to the previous kernel"
run $G --json kernel rollback
expect_json version 6.18.33.2-2 "rollback again toggles back"
run $G --json kernel use 9.9.9-1
expect_rc 1 "use of a version not installed exits 1"
expect_json error.code not-found "use of a version not installed: not-found"
run $G --json kernel use ../../etc
expect_rc 1 "use of a path-like version is refused"

# remove
run $G --json kernel remove 6.18.33.2-2
expect_rc 3 "remove refuses the active kernel"
[ -d "$STORE/versions/6.18.33.2-2" ] && ok "the active kernel is still there" || not_ok "the active kernel was removed"
run $G --json kernel remove 6.18.35.2-1
expect_rc 0 "remove of an inactive kernel exits 0"
expect_json changed true "remove: changed"
[ -d "$STORE/versions/6.18.35.2-1" ] && not_ok "remove: folder left" || ok "remove: folder gone"
run $G --json kernel remove 6.18.35.2-1
expect_rc 0 "remove again exits 0"
expect_json changed false "remove again: nothing to do"

# "active" follows .wslconfig: a hand edit with other case and slashes is still ours.
printf '[wsl2]\r\nkernel=c:/users/ME/wslctl/versions/6.18.33.2-2/kernel\r\n' >"$CFG"
run $G --json kernel list
expect_json active 6.18.33.2-2 "a hand-edited kernel= into the store is recognised"
printf '[wsl2]\r\nkernel=C:\\\\kernels\\\\mine\r\n' >"$CFG"
run $G --json kernel list
expect_json active null "kernel= outside the store: nothing active"
expect_json kernel 'C:\kernels\mine' "list reports kernel= as WSL reads it"
run $G --json kernel remove 6.18.33.2-2
expect_rc 0 "remove works when kernel= points elsewhere"

# Crash leftovers: a staging folder and a version without manifest are never shown.
mkdir -p "$STORE/staging/wslctl-stage.6.18.99.1-1.4242.0" "$STORE/versions/6.18.98.1-1"
echo half >"$STORE/staging/wslctl-stage.6.18.99.1-1.4242.0/kernel"
echo half >"$STORE/versions/6.18.98.1-1/kernel"
run $G --json kernel list
expect_json installed '[]' "half-installed versions are not listed"
run $G --json kernel use 6.18.98.1-1
expect_rc 1 "a version without manifest cannot become active"
install_pkg 6.18.40.1-1
if [ -z "$(ls -A "$STORE/staging")" ]; then ok "the next install cleans stale staging folders"; else not_ok "staging left: $(ls "$STORE/staging")"; fi

# Killed mid-download: the old kernel stays active, the next run resumes and finishes.
offer_release "$T/feed/routes.json" 6.18.45.1-1 '{"stall_after": 200, "times": 1}'
server_start --root "$T/feed" --routes "$T/feed/routes.json" || exit 1
cp "$CFG" "$T/cfg.before"
FEED="--releases $SERVER_URL --feed nuget:Microsoft.WSL.Kernel@$SERVER_URL/nuget/index.json"
"$WSLCTL" $G update $FEED >"$T/bg.out" 2>&1 &
pid=$!
i=0
while [ ! -s "$STORE/cache/microsoft.wsl.kernel.6.18.45.1-1.nupkg.part" ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
same_file "$CFG" "$T/cfg.before" "killed mid-download: .wslconfig untouched"
[ -d "$STORE/versions/6.18.45.1-1" ] && not_ok "killed mid-download: version appeared" || ok "killed mid-download: version not installed"
run $G --json kernel list
expect_json active 6.18.40.1-1 "killed mid-download: the old kernel is still active"
run $G --json update $FEED
expect_rc 0 "the run after the crash exits 0"
expect_json version 6.18.45.1-1 "the run after the crash installs the kernel"
if grep '6.18.45.1-1.nupkg' "$SERVER_LOG" | grep -q '"range": "bytes=200-"'; then
	ok "the run after the crash resumed the partial download"
else
	not_ok "no resume after the crash: $(cat "$SERVER_LOG" "$T/bg.out")"
fi

run $G kernel
expect_rc 2 "kernel without a verb is a usage error"
run $G kernel frobnicate
expect_rc 2 "an unknown verb is a usage error"
run $G kernel use
expect_rc 2 "use without a version is a usage error"

# The same store reached through a link (its Windows path cannot be worked out from the
# link's): the kernel kernel= names is still the active one, and is not removed.
mkdir -p "$ROOT/home/me"
ln -s "$STORE" "$ROOT/home/me/st"
active=$(sed -n 's/.*versions\\\\\([^\\]*\)\\\\kernel.*/\1/p' "$CFG")
run --root "$ROOT" --home "$ROOT/home/me/st" --wslconfig "$CFG" --json kernel remove "$active"
expect_rc 3 "remove through a link to the store refuses the active kernel"
[ -n "$active" ] && [ -f "$STORE/versions/$active/kernel" ] && ok "the active kernel is still there (link)" ||
	not_ok "the active kernel was removed through a link to the store"
