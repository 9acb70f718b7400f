# SPDX-License-Identifier: MIT
# One digest pass per installed package (BENCH.md, "What correctness costs (update)"):
# update checks a downloaded package's digest while extracting it, not also while
# downloading it. What stays: a package that does not match its digest installs nothing
# and is not kept; a cached or resumed download is checked before anything from it is
# kept. tests/shim/hashcount.c counts the bytes each run hands to SHA-256 and SHA-512.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/update-lib.sh"
kernel_machine
A=6.18.60.1-1 B=6.18.61.1-1 C=6.18.62.1-1 D=6.18.63.1-1

SHIM="$T/hashcount.so"
cc -shared -fPIC -o "$SHIM" "$TESTS_DIR/shim/hashcount.c" -ldl -lcrypto || not_ok "cannot build the shim"
# Under ASan (make sanitize) its runtime must be the first library loaded: it goes first.
ASAN_RT=$(ldd "$WSLCTL" 2>/dev/null | awk '/libasan/ { print $3 }')
PRELOAD="${ASAN_RT:+$ASAN_RT }$SHIM"
# counted ARGS...: run, with $h256 and $h512 the bytes the run hashed with each.
counted() {
	rm -f "$T/hc"
	LD_PRELOAD="$PRELOAD" HASHCOUNT_OUT="$T/hc" run "$@"
	h256=$(awk '{ s += $2 } END { print s + 0 }' "$T/hc" 2>/dev/null || echo 0)
	h512=$(awk '{ s += $4 } END { print s + 0 }' "$T/hc" 2>/dev/null || echo 0)
}
pkg() { echo "$T/feed/flat/microsoft.wsl.kernel/$1/microsoft.wsl.kernel.$1.nupkg"; }
size() { wc -c <"$1" | tr -d ' '; }
# once NAME GOT SIZE: GOT bytes hashed is one pass over a SIZE-byte package.
once() {
	if [ "$2" = "$3" ]; then ok "$1: one pass ($2 bytes)"
	else not_ok "$1: $2 bytes hashed for a $3-byte package"; fi
}
# twice NAME GOT SIZE: two passes (bytes of an earlier run: checked before use, then by
# the extraction).
twice() {
	if [ "$2" = $(($3 * 2)) ]; then ok "$1: two passes ($2 bytes)"
	else not_ok "$1: $2 bytes hashed for a $3-byte package, not two passes"; fi
}
kernel_is() { # VERSION NAME
	if [ "$(cat "$STORE/versions/$1/kernel" 2>/dev/null)" = "kernel $1
x64" ]; then ok "$2"; else not_ok "$2 (kernel: $(cat "$STORE/versions/$1/kernel" 2>&1))"; fi
}

python3 "$MKFEED" "$T/feed" --size 1048576 --stored \
	--kernel "$A" --kernel "$B" --kernel "$C:badhash" --kernel "$D" \
	--drop "$B:300" --drop "$D:70000" || exit 1
server_start --root "$T/feed" --routes "$T/feed/routes.json" || exit 1
FEED="--releases $SERVER_URL --feed nuget:Microsoft.WSL.Kernel@$SERVER_URL/nuget/index.json"

# --- a download with a published SHA-512: hashed once, while extracting ---
counted $G --json update --no-platform $FEED --kernel-version "$A"
expect_rc 0 "download: exit 0"
expect_json verified sha512 "download: verified against the packageHash"
kernel_is "$A" "download: the kernel is installed"
once "download (SHA-512)" "$h512" "$(size "$(pkg "$A")")"
CACHED="$STORE/cache/$(basename "$(pkg "$A")")"
[ -f "$CACHED" ] && ok "download: kept in the cache" || not_ok "download: no $CACHED"
grep -q "$(python3 -c 'import base64, hashlib, sys
print(hashlib.sha512(open(sys.argv[1], "rb").read()).hexdigest())' "$(pkg "$A")")" \
	"$STORE/versions/$A/manifest.json" && ok "download: the manifest records the SHA-512" ||
	not_ok "download: manifest lacks the SHA-512: $(cat "$STORE/versions/$A/manifest.json")"

# --- a download cut after 300 bytes and resumed in the same run: still one pass ---
counted $G --json update --no-platform $FEED --kernel-version "$B"
expect_rc 0 "resumed download: exit 0"
grep "/$B/" "$SERVER_LOG" | grep -q '"range": "bytes=300-"' && ok "resumed download: Range asked" ||
	not_ok "resumed download: no Range request"
kernel_is "$B" "resumed download: the kernel is installed"
once "resumed download (SHA-512), cut and resumed in this run" "$h512" "$(size "$(pkg "$B")")"

# --- the cached package is used again: checked once, while extracting ---
run $G --json kernel remove "$A"
expect_rc 0 "kernel remove $A: exit 0"
before=$(grep -c "\"GET\", \"path\": \"[^\"]*$A.nupkg" "$SERVER_LOG")
counted -v $G --json update --no-platform $FEED --kernel-version "$A"
expect_rc 0 "cached package: exit 0"
expect_contains "$err" "using the cached" "cached package: said"
[ "$(grep -c "\"GET\", \"path\": \"[^\"]*$A.nupkg" "$SERVER_LOG")" = "$before" ] &&
	ok "cached package: not downloaded again" || not_ok "cached package: downloaded again"
kernel_is "$A" "cached package: the kernel is installed"
twice "cached package (SHA-512): checked before it is read, then extracted" "$h512" \
	"$(size "$(pkg "$A")")"

# --- a cached package changed on disk (same size): not installed, fetched again ---
run $G --json kernel use "$B"
run $G --json kernel remove "$A"
expect_rc 0 "kernel remove $A again: exit 0"
python3 -c 'import sys
p = sys.argv[1]; d = bytearray(open(p, "rb").read())
i = d.find(b"kernel 6.18"); d[i:i + 6] = b"KERNEL"; open(p, "wb").write(bytes(d))' "$CACHED"
run -v $G --json update --no-platform $FEED --kernel-version "$A"
expect_rc 0 "changed cached package: exit 0"
[ "$(grep -c "\"GET\", \"path\": \"[^\"]*$A.nupkg" "$SERVER_LOG")" -gt "$before" ] &&
	ok "changed cached package: downloaded again" || not_ok "changed cached package: not downloaded"
kernel_is "$A" "changed cached package: the published kernel is installed"
same_file "$CACHED" "$(pkg "$A")" "changed cached package: the cache holds the published bytes"

# --- a .part changed between runs (same size): resumed, refused, fetched whole ---
WSLCTL_RETRIES=-1 run $G --json update --no-platform $FEED --kernel-version "$D"
expect_rc 1 "cut download, no retry: exit 1"
PART="$STORE/cache/$(basename "$(pkg "$D")").part"
[ -f "$PART" ] && ok "cut download: .part kept to resume" || not_ok "cut download: no $PART"
python3 -c 'import sys
p = sys.argv[1]; d = bytearray(open(p, "rb").read())
i = d.find(b"kernel 6.18"); d[i:i + 6] = b"KERNEL"; open(p, "wb").write(bytes(d))' "$PART"
run -v $G --json update --no-platform $FEED --kernel-version "$D"
expect_rc 0 "changed .part: exit 0"
grep "/$D/" "$SERVER_LOG" | grep -q '"range": "bytes=70000-"' && ok "changed .part: resumed first" ||
	not_ok "changed .part: never resumed"
kernel_is "$D" "changed .part: the published kernel is installed"

# --- a package that does not match its digest: exit 1, nothing installed or kept ---
cp "$CFG" "$T/cfg.before"
counted $G --json update --no-platform $FEED --kernel-version "$C"
expect_rc 1 "wrong digest: exit 1"
expect_json error.code digest-mismatch "wrong digest: digest-mismatch"
expect_contains "$err" "does not match the digest" "wrong digest: said"
expect_contains "$err" "deleted" "wrong digest: says the download went"
[ -z "$(ls "$STORE/cache/" | grep "$C")" ] && ok "wrong digest: nothing of it in the cache" ||
	not_ok "wrong digest: cache holds $(ls "$STORE/cache/" | grep "$C")"
[ ! -e "$STORE/versions/$C" ] && ok "wrong digest: not installed" || not_ok "wrong digest: installed"
same_file "$CFG" "$T/cfg.before" "wrong digest: .wslconfig untouched"
once "wrong digest (SHA-512)" "$h512" "$(size "$(pkg "$C")")"
server_stop

# --- a local package: --sha256, and no digest at all: one SHA-256 pass each ---
LOCAL="$T/Microsoft.WSL.Kernel.6.18.64.1-1.nupkg"
cp "$(pkg "$A")" "$LOCAL"
SUM=$(sha256sum "$LOCAL" | cut -d' ' -f1)
counted $G --json update --feed "$LOCAL" --sha256 "$SUM"
expect_rc 0 "local --sha256: exit 0"
expect_json sha256 "$SUM" "local --sha256: the SHA-256 is reported"
once "local --sha256 (SHA-256)" "$h256" "$(size "$LOCAL")"
LOCAL2="$T/Microsoft.WSL.Kernel.6.18.65.1-1.nupkg"
cp "$(pkg "$A")" "$LOCAL2"
counted $G --json update --feed "$LOCAL2" --allow-unverified
expect_rc 0 "local unverified: exit 0"
expect_json sha256 "$SUM" "local unverified: the SHA-256 is reported"
grep -q "\"sha256\": \"$SUM\"" "$STORE/versions/6.18.65.1-1/manifest.json" &&
	ok "local unverified: the manifest records the SHA-256" ||
	not_ok "local unverified: manifest: $(cat "$STORE/versions/6.18.65.1-1/manifest.json")"
once "local unverified (SHA-256)" "$h256" "$(size "$LOCAL2")"

# --- a damaged local package with a wrong --sha256: the digest is what is reported ---
BAD="$T/Microsoft.WSL.Kernel.6.18.66.1-1.nupkg"
python3 -c 'import sys
d = open(sys.argv[1], "rb").read().replace(b"kernel 6.18", b"KERNEL 6.18", 1)
open(sys.argv[2], "wb").write(d)' "$(pkg "$A")" "$BAD"
run $G --json update --feed "$BAD" --sha256 "$SUM"
expect_rc 1 "damaged local package, wrong --sha256: exit 1 (not the CRC's 3)"
expect_json error.code digest-mismatch "damaged local package: digest-mismatch"
[ -f "$BAD" ] && ok "damaged local package: the user's file is kept" ||
	not_ok "damaged local package: the user's file was deleted"
[ ! -e "$STORE/versions/6.18.66.1-1" ] && ok "damaged local package: not installed" ||
	not_ok "damaged local package: installed"

# --- bytes nobody has verified never reach an external decompressor ---
# libarchive's filter_all runs lrzip (and others) found on PATH for their magic bytes; a
# package is extracted before its digest is known, so only built-in filters may run.
mkdir -p "$T/www/x" "$T/bin"
LRZ="$T/www/x/Microsoft.WSL.Kernel.6.18.70.1-1.nupkg"
printf 'LRZI\000\006AAAAAAAAAAAAAAAAAAAAAAAAAAAA' >"$LRZ"
printf '#!/bin/sh\necho "$0 $*" >>"%s/ran"\ncat >/dev/null\n' "$T" >"$T/bin/lrzip"
chmod +x "$T/bin/lrzip"
PATH="$T/bin:$PATH" run $G --json update --no-platform --feed "$LRZ" --allow-unverified
[ "$rc" -ne 0 ] && ok "lrzip-looking local package, unverified: refused (exit $rc)" ||
	not_ok "lrzip-looking local package, unverified: exit 0"
[ ! -e "$T/ran" ] && ok "lrzip-looking local package: no external program ran" ||
	not_ok "lrzip-looking local package: ran $(cat "$T/ran")"
server_start --root "$T/www" || exit 1
rm -f "$T/ran"
PATH="$T/bin:$PATH" run $G --json update --no-platform \
	--feed "$SERVER_URL/x/$(basename "$LRZ")" --sha256 "$SUM"
expect_rc 1 "lrzip-looking download, --sha256 of another file: exit 1"
expect_json error.code digest-mismatch "lrzip-looking download: digest-mismatch"
[ ! -e "$T/ran" ] && ok "lrzip-looking download: no external program ran" ||
	not_ok "lrzip-looking download: ran $(cat "$T/ran")"
server_stop

# --- a cached package that cannot be read is a miss, not a failure for good ---
if [ "$(id -u)" = 0 ]; then
	echo "ok - # SKIP root reads a mode-000 file: the unreadable cache case needs a user"
else
	server_start --root "$T/feed" --routes "$T/feed/routes.json" || exit 1
	FEED="--releases $SERVER_URL --feed nuget:Microsoft.WSL.Kernel@$SERVER_URL/nuget/index.json"
	run $G --json kernel remove "$A"
	run $G --json kernel use "$B"
	run $G --json kernel remove "$A"
	chmod 000 "$CACHED"
	run $G --json update --no-platform $FEED --kernel-version "$A"
	expect_rc 0 "unreadable cached package: exit 0 (downloaded anew)"
	kernel_is "$A" "unreadable cached package: the published kernel is installed"
	server_stop
fi
