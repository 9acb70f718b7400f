# SPDX-License-Identifier: MIT
# The store folder as an attacker (any Windows program: junctions show up as links) or a
# mistaken --home prepares it: nothing outside the store is deleted, written or read through
# a link, nothing blocks on a FIFO, Windows-impossible names are refused (docs/store.md).
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/update-lib.sh"

python3 "$MKFEED" "$T/feed" --kernel 6.18.33.2-2 --kernel 6.18.35.2-1 || exit 1
kernel_machine
install_pkg 6.18.33.2-2
install_pkg 6.18.35.2-1
[ -f "$STORE/.wslctl-store" ] && ok "the first writer marks the folder as a store" ||
	not_ok "no .wslctl-store in a new store"
cp "$CFG" "$T/cfg.before"

# victim DIR: a folder outside the store with a file that must survive.
victim() {
	rm -rf "$1"
	mkdir -p "$1"
	echo precious >"$1/keep"
}
# installed: the versions `kernel list --json` in $out shows, space-separated.
installed() {
	printf '%s' "$out" | python3 -c 'import json, sys
print(" ".join(v["version"] for v in json.load(sys.stdin)["installed"]))' 2>/dev/null
}
survives() { # DIR NAME
	if [ "$(cat "$1/keep" 2>/dev/null)" = precious ]; then ok "$2"; else not_ok "$2 ($1: $(ls -A "$1" 2>&1))"; fi
}

# --- 17.1: staging/ as a link, a --home that is not a store ---
victim "$T/victim"
rm -rf "$STORE/staging"
ln -s "$T/victim" "$STORE/staging"
run $G --json kernel use 6.18.35.2-1
expect_rc 3 "staging/ as a link: refused (exit 3)"
expect_json error.code invalid-value "staging/ as a link: invalid-value"
expect_contains "$err" "staging" "staging/ as a link: the message names staging"
survives "$T/victim" "staging/ as a link: what it points at is not emptied"
run $G --json update --feed "$T/feed/flat/microsoft.wsl.kernel/6.18.33.2-2/microsoft.wsl.kernel.6.18.33.2-2.nupkg" --allow-unverified --allow-downgrade
survives "$T/victim" "staging/ as a link: update does not empty it either"
rm "$STORE/staging"
mkdir "$STORE/staging"

# Only what the tool made in staging/ is cleaned up.
echo mine >"$STORE/staging/mine"
mkdir "$STORE/staging/wslctl-stage.6.1.1.99.0"
run $G --json kernel use 6.18.33.2-2
expect_rc 0 "a writer runs with a user file in staging/"
[ -f "$STORE/staging/mine" ] && ok "a file in staging/ the tool did not make survives" ||
	not_ok "the user's file in staging/ was deleted"
[ -e "$STORE/staging/wslctl-stage.6.1.1.99.0" ] && not_ok "a leftover of ours stays" ||
	ok "a leftover staging folder of ours is removed"
rm -f "$STORE/staging/mine"
cp "$CFG" "$T/cfg.before"

# --home naming a folder of the user's: refused, nothing in it touched.
OTHER="$ROOT/mnt/c/Users/me/Documents"
victim "$OTHER/staging"
echo notes >"$OTHER/notes.txt"
pkg="$T/feed/flat/microsoft.wsl.kernel/6.18.33.2-2/microsoft.wsl.kernel.6.18.33.2-2.nupkg"
run --root "$ROOT" --home "$OTHER" --wslconfig "$CFG" --json update --feed "$pkg" --allow-unverified
expect_rc 3 "--home at a folder that is not a store: refused (exit 3)"
expect_contains "$err" ".wslctl-store" "the refusal says what makes a store"
survives "$OTHER/staging" "--home at a user's folder: its staging/ is not emptied"
[ -e "$OTHER/versions" ] && not_ok "the user's folder got a versions/" || ok "the user's folder is left as it was"
same_file "$CFG" "$T/cfg.before" "--home at a user's folder: .wslconfig untouched"

# A store made before the marker existed holds only store names: it is still a store.
rm "$STORE/.wslctl-store"
run $G --json kernel use 6.18.35.2-1
expect_rc 0 "a store without the marker (older wslctl) is still used"
[ -f "$STORE/.wslctl-store" ] && ok "and gets the marker" || not_ok "no marker added to an older store"
cp "$CFG" "$T/cfg.before"

# --- 17.2: other links and non-regular files inside the store ---
cp "$STORE/state.json" "$T/state.saved"
echo victim >"$T/victim.json"
rm "$STORE/state.json"
ln -s "$T/victim.json" "$STORE/state.json"
run $G --json kernel use 6.18.33.2-2
expect_rc 3 "state.json as a link: refused (exit 3)"
[ "$(cat "$T/victim.json")" = victim ] && ok "state.json as a link: its target is not written" ||
	not_ok "state.json's target was overwritten"
[ -L "$STORE/state.json" ] && ok "state.json as a link: left for the user to see" || not_ok "state.json replaced"
same_file "$CFG" "$T/cfg.before" "state.json as a link: .wslconfig untouched"
rm "$STORE/state.json"
cp "$T/state.saved" "$STORE/state.json"

for name in cache versions logs; do
	mv "$STORE/$name" "$T/saved.$name" 2>/dev/null || true
	victim "$T/out.$name"
	ln -s "$T/out.$name" "$STORE/$name"
	run $G --json update --feed "$pkg" --allow-unverified --allow-downgrade
	expect_rc 3 "$name/ as a link: update refused (exit 3)"
	expect_contains "$err" "$name" "$name/ as a link: the message names it"
	if [ "$(ls -A "$T/out.$name")" = keep ]; then ok "$name/ as a link: nothing put outside the store"; else
		not_ok "$name/ as a link: written outside: $(ls -A "$T/out.$name")"; fi
	same_file "$CFG" "$T/cfg.before" "$name/ as a link: .wslconfig untouched"
	rm "$STORE/$name"
	mv "$T/saved.$name" "$STORE/$name" 2>/dev/null || true
done

rm -f "$STORE/lock"
ln -s "$T/lock.target" "$STORE/lock"
run $G --json kernel use 6.18.33.2-2
expect_rc 3 "lock as a link: refused (exit 3)"
[ -e "$T/lock.target" ] && not_ok "lock as a link: its target was created" || ok "lock as a link: nothing created outside"
rm "$STORE/lock"

# A version folder that is a link to a folder outside the store is not installed.
mkdir -p "$T/outver"
cp -r "$STORE/versions/6.18.33.2-2/." "$T/outver/"
sed 's/6.18.33.2-2/6.18.99.1-1/' "$STORE/versions/6.18.33.2-2/manifest.json" >"$T/outver/manifest.json"
ln -s "$T/outver" "$STORE/versions/6.18.99.1-1"
run $G --json kernel list
expect_rc 0 "a version folder that is a link: list still works"
[ "$(installed)" = "6.18.35.2-1 6.18.33.2-2" ] && ok "a linked version folder is not listed" ||
	not_ok "a linked version folder: listed '$(installed)'"
run $G --json kernel use 6.18.99.1-1
expect_rc 3 "a linked version folder cannot become active"
same_file "$CFG" "$T/cfg.before" "a linked version folder: .wslconfig untouched"
rm "$STORE/versions/6.18.99.1-1"

# FIFOs where the store keeps JSON: nothing waits on them.
M="$STORE/versions/6.18.33.2-2/manifest.json"
mv "$M" "$T/manifest.saved"
mkfifo "$M"
out=$(timeout 10 "$WSLCTL" $G --json kernel list 2>"$T/.err")
rc=$?
err=$(cat "$T/.err")
expect_rc 0 "a FIFO as manifest.json: list does not hang"
[ "$(installed)" = 6.18.35.2-1 ] && ok "a version whose manifest is a FIFO is not listed" ||
	not_ok "a FIFO as manifest.json: listed '$(installed)'"
timeout 10 "$WSLCTL" $G --json kernel use 6.18.33.2-2 >"$T/.out" 2>"$T/.err"
rc=$?
err=$(cat "$T/.err")
expect_rc 3 "a FIFO as manifest.json: use refuses at once (exit 3)"
rm "$M"
mv "$T/manifest.saved" "$M"
mv "$STORE/state.json" "$T/state.saved"
mkfifo "$STORE/state.json"
timeout 10 "$WSLCTL" $G --json kernel use 6.18.33.2-2 >"$T/.out" 2>"$T/.err"
rc=$?
err=$(cat "$T/.err")
expect_rc 3 "a FIFO as state.json: use refuses at once (exit 3)"
timeout 10 "$WSLCTL" $G --json kernel list >"$T/.out" 2>"$T/.err"
rc=$?
err=$(cat "$T/.err")
expect_rc 3 "a FIFO as state.json: list refuses at once (exit 3)"
rm "$STORE/state.json"
mv "$T/state.saved" "$STORE/state.json"
same_file "$CFG" "$T/cfg.before" "after the FIFOs: .wslconfig untouched"

# --- 17.12: store paths Windows cannot open ---
for name in 'a"b' 'a:b' 'a|b' 'a*b' 'a?b' 'a<b' 'a>b' 'st.' 'st ' CON nul.txt com1 'LPT9.x' 'Aux .log'; do
	H="$ROOT/mnt/c/Users/me/$name/store"
	run --root "$ROOT" --home "$H" --wslconfig "$CFG" --json update --feed "$pkg" --allow-unverified --allow-downgrade
	expect_rc 3 "--home with a component '$name' Windows cannot open: refused (exit 3)"
	expect_contains "$err" "'$name'" "the refusal names the component '$name'"
	same_file "$CFG" "$T/cfg.before" "--home with '$name': .wslconfig untouched"
done
# A --home link from the Windows drive to the Linux side: its files are not on Windows.
mkdir -p "$T/linux-store"
ln -s "$T/linux-store" "$ROOT/mnt/c/Users/me/lnk"
run --root "$ROOT" --home "$ROOT/mnt/c/Users/me/lnk" --wslconfig "$CFG" --json update --feed "$pkg" --allow-unverified --allow-downgrade
expect_rc 3 "--home linked to the Linux side: refused (exit 3)"
expect_contains "$err" "not on a Windows drive" "the refusal says it is not on a Windows drive"
same_file "$CFG" "$T/cfg.before" "--home linked to the Linux side: .wslconfig untouched"
# ...while a link to a store on the drive is that store, with its own Windows path.
ln -s "$STORE" "$ROOT/mnt/c/Users/me/lnk2"
run --root "$ROOT" --home "$ROOT/mnt/c/Users/me/lnk2" --wslconfig "$CFG" --json kernel use 6.18.33.2-2
expect_rc 0 "--home linked to a store on the drive: works"
expect_json kernel 'C:\Users\me\wslctl\versions\6.18.33.2-2\kernel' "kernel= is the store's real Windows path"
