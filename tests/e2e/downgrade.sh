# SPDX-License-Identifier: MIT
# Never a silent downgrade (issue 17 items 6-10): update keeps a newer active kernel
# however it is named, spelt or damaged, and decides again under the store lock.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/update-lib.sh"

python3 "$MKFEED" "$T/feed" --release '2.7.11:WSL 2.7.11:l:6.18.33.2-2' \
	--kernel 6.18.33.2-1 --kernel 6.18.33.2-2 --kernel 6.18.35.2-1 || exit 1
# The first /releases/latest answer stalls 3 s: a window in which to run kernel use.
python3 - "$T/feed/routes.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
r["/repos/microsoft/WSL/releases/latest"].update(stall_after=0, stall=3, times=1)
json.dump(r, open(sys.argv[1], "w"))
PY
server_start --root "$T/feed" --routes "$T/feed/routes.json" || exit 1
FEED="--releases $SERVER_URL --feed nuget:Microsoft.WSL.Kernel@$SERVER_URL/nuget/index.json"
kernel_machine
K='C:\Users\me\wslctl\versions\6.18.35.2-1'

# wcfg KERNEL [MODULES]: .wslconfig with these values as WSL reads them (\ escaped).
wcfg() {
	python3 -c '
import sys
esc = lambda v: v.replace("\\", "\\\\")
s = "[wsl2]\r\nkernel=%s\r\n" % esc(sys.argv[2])
if len(sys.argv) > 3 and sys.argv[3]:
    s += "kernelModules=%s\r\n" % esc(sys.argv[3])
open(sys.argv[1], "w", newline="").write(s)' "$CFG" "$@"
}
# kept NAME: the last update kept the active kernel and wrote nothing. A failure is
# undone, so that each case starts from the state it set up.
kept() {
	expect_rc 0 "$1: exits 0"
	expect_json changed false "$1: nothing changed"
	same_file "$CFG" "$T/cfg.before" "$1: .wslconfig untouched"
	[ -d "$STORE/versions/6.18.33.2-2" ] && not_ok "$1: the older kernel was installed" ||
		ok "$1: the older kernel was not installed"
	cp "$T/cfg.before" "$CFG"
	rm -rf "$STORE/versions/6.18.33.2-2"
}

install_pkg 6.18.33.2-1
install_pkg 6.18.35.2-1

# --- 17.6: a kernel use while update resolves is seen under the lock ---
run $G kernel use 6.18.33.2-1
"$WSLCTL" $G --json update $FEED >"$T/race.out" 2>"$T/race.err" &
upid=$!
i=0
until grep -q releases/latest "$SERVER_LOG" || [ $i -gt 100 ]; do sleep 0.05; i=$((i + 1)); done
run $G kernel use 6.18.35.2-1
expect_rc 0 "race: kernel use of the newer kernel during update's look-up"
cp "$CFG" "$T/cfg.before"
wait $upid
rc=$? out=$(cat "$T/race.out") err=$(cat "$T/race.err")
kept "race"
expect_json previous null "race: the newer kernel is not reported as replaced"

# --- 17.7: --custom-kernel does not skip the comparison with a store kernel ---
run $G --json update $FEED --custom-kernel
kept "--custom-kernel with a newer store kernel"
# ... it only sets aside the inbox kernel's: inside WSL with a newer inbox kernel.
WROOT="$T/wsl"
mkdir -p "$WROOT/proc/sys/kernel" "$WROOT/proc/sys/fs/binfmt_misc" "$WROOT/run/WSL" "$WROOT/mnt/c/Users/me"
echo "6.18.40.1-microsoft-standard-WSL2" >"$WROOT/proc/sys/kernel/osrelease"
: >"$WROOT/proc/sys/fs/binfmt_misc/WSLInterop"
W="--root $WROOT --home $WROOT/mnt/c/Users/me/wslctl --wslconfig $WROOT/mnt/c/Users/me/.wslconfig"
run $W --json update $FEED --no-platform --custom-kernel
expect_rc 0 "--custom-kernel over a newer inbox kernel exits 0"
expect_json kernel 'C:\Users\me\wslctl\versions\6.18.33.2-2\kernel' "--custom-kernel over a newer inbox kernel installs it"

# --- 17.10: every spelling of the active kernel's path is the active kernel ---
# in_use LABEL KERNEL MODULES FILE: with these keys ("": none), 6.18.35.2-1 is in use
# (labelled: the values hold backslashes that echo would read as escapes).
in_use() {
	wcfg "$2" "$3"
	cp "$CFG" "$T/cfg.before"
	run $G --json kernel list
	expect_json active 6.18.35.2-1 "$1: kernel list marks it in use"
	run $G --json kernel remove 6.18.35.2-1
	expect_rc 3 "$1: remove refuses it"
	[ -f "$STORE/versions/6.18.35.2-1/$4" ] && ok "$1: its $4 is still there" ||
		{ not_ok "$1: the $4 WSL uses was deleted"; install_pkg 6.18.35.2-1; wcfg "$2" "$3"; }
	run $G --json update $FEED
	kept "$1: update"
}
while IFS='|' read -r label spelling; do
	in_use "kernel= $label" "$spelling" "" kernel
done <<EOS
as written|$K\\kernel
with .\\|C:\\Users\\me\\wslctl\\.\\versions\\6.18.35.2-1\\kernel
doubled separators|C:\\Users\\me\\\\wslctl\\versions\\\\6.18.35.2-1\\kernel
x\\..\\|C:\\Users\\me\\x\\..\\wslctl\\versions\\6.18.35.2-1\\kernel
\\\\?\\ prefix|\\\\?\\$K\\kernel
/ separators|C:/Users/me/wslctl/versions/6.18.35.2-1/kernel
other case|c:\\USERS\\me\\WSLCTL\\versions\\6.18.35.2-1\\KERNEL
trailing dot|$K\\kernel.
trailing dot on the folder|$K.\\kernel
the default stream|$K\\kernel::\$DATA
the drive's administrative share|\\\\localhost\\C\$\\Users\\me\\wslctl\\versions\\6.18.35.2-1\\kernel
another name for this machine|\\\\MYPC\\C\$\\Users\\me\\wslctl\\versions\\6.18.35.2-1\\kernel
EOS
# kernelModules= alone names a version too (kernel= is a hand-built kernel).
while IFS='|' read -r label spelling; do
	in_use "kernelModules= $label" 'C:\kernels\bzImage' "$spelling" modules.vhd
done <<EOS
as written|$K\\modules.vhd
\\\\?\\ prefix and a trailing dot|\\\\?\\$K\\modules.vhd.
other case and /|c:/users/ME/wslctl/versions/6.18.35.2-1/MODULES.VHD
EOS

# --- 17.9: a damaged manifest of the active version is still that version ---
run $G kernel use 6.18.35.2-1
cp "$STORE/versions/6.18.35.2-1/manifest.json" "$T/manifest.good"
for damage in '{broken' '{"version":"6.99.0-1"}' ''; do
	printf '%s' "$damage" >"$STORE/versions/6.18.35.2-1/manifest.json"
	cp "$CFG" "$T/cfg.before"
	run $G --json update $FEED
	kept "manifest '$damage'"
done
cp "$T/manifest.good" "$STORE/versions/6.18.35.2-1/manifest.json"

# --- 17.8: a name version_cmp could not parse is placed by its numbers ---
printf 'my own kernel' >"$T/bzImage"
run $G --json update --feed "$T/bzImage" --allow-unverified --kernel-version 6.20.0_mine
expect_rc 0 "a 6.20.0_mine build installs"
cp "$CFG" "$T/cfg.before"
run $G --json update $FEED
kept "6.20.0_mine active"
run $G --json update $FEED --check
expect_json update_available false "6.20.0_mine active: --check says no update"
# ... and a name with no number cannot be placed: refused with a way out.
run $G --json update --feed "$T/bzImage" --allow-unverified --kernel-version mine
expect_rc 0 "a 'mine' build installs"
cp "$CFG" "$T/cfg.before"
run $G --json update $FEED
expect_rc 1 "'mine' active: update exits 1"
expect_json error.code check-failed "'mine' active: check-failed"
expect_contains "$err" "--allow-downgrade" "'mine' active: the message names --allow-downgrade"
expect_contains "$err" "--kernel-version" "'mine' active: the message names --kernel-version"
same_file "$CFG" "$T/cfg.before" "'mine' active: .wslconfig untouched"
run $G --json update $FEED --allow-downgrade
expect_rc 0 "'mine' active: --allow-downgrade replaces it"
expect_json version 6.18.33.2-2 "'mine' active: --allow-downgrade installs the channel's kernel"
