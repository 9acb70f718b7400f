# SPDX-License-Identifier: MIT
# wslctl build --source TARBALL|URL|TAG: unpacked safely once per content, downloaded from
# a loopback server the test starts (a tag maps to <archive base>/<tag>.tar.gz).
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/build-lib.sh"
. "$TESTS_DIR/server/server.sh"
mkdir -p "$T/data/kernel-config" "$T/srv/tags"
cp -R "$FIX/patches-good" "$T/data/patches"
G="--home $T/store --no-activate"

# A --source named on the command line that does not exist, cannot be read or is no kernel
# tree is bad input: exit 3 with invalid-file, with -n as well (issue 13 item 3).
mkdir "$T/not-a-tree"
for src in "$T/missing-dir" "$T/missing.tar.gz" /etc/passwd/x /dev/null "$T/not-a-tree"; do
	for n in "" -n; do
		run --json build $n --source "$src" $G
		expect_rc 3 "build $n --source $src exits 3"
		expect_contains "$out" '"code":"invalid-file"' "build $n --source $src: invalid-file"
		expect_contains "$err" "$src" "build $n --source $src: the message names it"
	done
done
if [ "$(id -u)" -ne 0 ]; then
	mkdir "$T/unreadable" && chmod 0 "$T/unreadable"
	run build --source "$T/unreadable" $G
	expect_rc 3 "an unreadable --source folder exits 3"
	chmod 700 "$T/unreadable"
fi

# Tarballs wrap the tree in one folder, as kernel.org and GitHub archives do.
mkdir "$T/pack" && cp -R "$FIX/fake-kernel" "$T/pack/linux-fake"
ln -s ../include/linux/swiotlb.h "$T/pack/linux-fake/scripts/swiotlb-link.h"
tar -C "$T/pack" -czf "$T/linux-fake.tar.gz" linux-fake
cp "$T/linux-fake.tar.gz" "$T/srv/linux-fake.tar.gz"
cp "$T/linux-fake.tar.gz" "$T/srv/tags/linux-msft-wsl-6.18.35.2.tar.gz"
sha=$(sha256sum "$T/linux-fake.tar.gz" | cut -d' ' -f1)

run --json build --source "$T/linux-fake.tar.gz" $G
expect_rc 0 "build from a tarball exits 0"
src=$(echo "$out" | jget 'd["source"]')
[ "$src" = "$T/cache/wslctl/src/$(echo "$sha" | cut -c1-16)/linux-fake" ] &&
	ok "the tarball is unpacked under the work folder, named by its digest" || not_ok "source is $src"
[ -L "$src/scripts/swiotlb-link.h" ] && ok "a link inside the tree is kept" || not_ok "internal link lost"
expect_contains "$out" '"status":"applied"' "the unpacked tree is patched"
run --json build --source "$T/linux-fake.tar.gz" $G
expect_rc 0 "second build from the tarball exits 0"
case "$err" in *unpacking*) not_ok "the tarball was unpacked again" ;; *) ok "the tarball is unpacked once" ;; esac
expect_contains "$out" '"changed":false' "second build from the tarball changes nothing"

server_start --root "$T/srv" || exit 1
run --json build --source "$SERVER_URL/linux-fake.tar.gz" $G
expect_rc 0 "build from a URL exits 0"
# Named by a digest of the URL, then the URL's file name (tests/e2e/feed_bytes.sh).
cached=$(ls "$T/store/cache/"*-linux-fake.tar.gz 2>/dev/null)
[ -f "$cached" ] && ok "the download is kept in the store's cache" ||
	not_ok "no download in $T/store/cache"

run --json build --source linux-msft-wsl-6.18.35.2 --archive-base "$SERVER_URL/tags" $G
expect_rc 0 "build from a tag exits 0"
expect_contains "$(cat "$SERVER_LOG")" "/tags/linux-msft-wsl-6.18.35.2.tar.gz" \
	"a tag is fetched as <base>/<tag>.tar.gz"

rm -f "$cached"
run --json build --source "$SERVER_URL/linux-fake.tar.gz" $G \
	--sha256 0000000000000000000000000000000000000000000000000000000000000000
expect_rc 1 "a wrong --sha256 exits 1"
expect_contains "$out" '"code":"digest-mismatch"' "a wrong --sha256 is digest-mismatch"
[ ! -e "$cached" ] && ok "a mismatching download is not kept" ||
	not_ok "mismatching download kept"
run --json build --source "$SERVER_URL/linux-fake.tar.gz" $G --sha256 "$sha"
expect_rc 0 "the right --sha256 builds"

run build --source "$SERVER_URL/missing.tar.gz" $G
expect_rc 1 "a missing URL exits 1"
expect_contains "$err" "missing.tar.gz" "the missing URL is named"

# An archive that writes outside its folder is refused before a byte is written.
python3 - "$T/evil.tar.gz" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w:gz") as t:
    data = b"all: ; @true\n"
    for name in ("linux-evil/Makefile", "linux-evil/../../escaped"):
        info = tarfile.TarInfo(name)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
PY
run --json build --source "$T/evil.tar.gz" $G
expect_rc 3 "an unsafe tarball exits 3"
expect_contains "$out" '"code":"unsafe-archive"' "an unsafe tarball is unsafe-archive"
[ ! -e "$T/cache/wslctl/escaped" ] && [ ! -e "$T/cache/escaped" ] && ok "nothing escaped the work folder" ||
	not_ok "a file escaped"

# -q hides the progress notes ("unpacking ..."), as it hides every other note (finding 8).
echo "# another" >>"$T/pack/linux-fake/Makefile"
tar -C "$T/pack" -czf "$T/quiet.tar.gz" linux-fake
run -q build --source "$T/quiet.tar.gz" $G
expect_rc 0 "build -q from a tarball exits 0"
case "$err" in *unpacking*) not_ok "-q still says unpacking: $err" ;; *) ok "-q says nothing of unpacking" ;; esac

# A signal while the tarball is unpacked (each mkdir held up 1 s by strace): caught from
# the start of build, exit 143 with the JSON error, no staging folder left (finding 2).
if command -v strace >/dev/null 2>&1 && strace -qq -o /dev/null true 2>/dev/null; then
	echo "# and another" >>"$T/pack/linux-fake/Makefile"
	tar -C "$T/pack" -czf "$T/slow.tar.gz" linux-fake
	rm -f "$T/pid"
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	strace -f -qq -o /dev/null -e trace=mkdir,mkdirat -e inject=mkdir,mkdirat:delay_exit=1000000 \
		python3 -c 'import os, sys
open(sys.argv[1], "w").write(str(os.getpid()))
os.execv(sys.argv[2], sys.argv[2:])' "$T/pid" "$WSLCTL" --json build --source "$T/slow.tar.gz" $G \
		>"$T/.out" 2>"$T/.err" &
	spid=$!
	i=0
	while [ ! -s "$T/pid" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	sleep 2.5
	kill -TERM "$(cat "$T/pid")"
	wait $spid
	rc=$?
	out=$(cat "$T/.out")
	expect_rc 143 "build interrupted while unpacking exits 143"
	expect_contains "$out" '"code":"interrupted"' "build interrupted while unpacking: JSON error interrupted"
	left=$(ls -A "$T/cache/wslctl/src" | grep '^\.' || true)
	[ -z "$left" ] && ok "build interrupted while unpacking leaves no staging folder" ||
		not_ok "staging left: $left"
else
	ok "# SKIP strace cannot trace here"
fi
