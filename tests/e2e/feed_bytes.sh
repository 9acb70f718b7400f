# SPDX-License-Identifier: MIT
# Only verified bytes are installed, and sizes are bounded: a package whose own CRC is
# wrong although its digest matches, a .part edited between runs of a feed without
# digests, sparse and expanding packages, a published size, and `build --source` (a
# cache keyed by URL, the reserved marker name).
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/update-lib.sh"
kernel_machine
KV=6.18.50.1-1
PKGK="build/native/bin/x64/kernel"

# A NuGet-shaped package: python3 mkpkg.py OUT [bad-crc|bomb]
cat >"$T/mkpkg.py" <<'PY'
import sys, zipfile
out, how = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""
comp = zipfile.ZIP_DEFLATED if how == "bomb" else zipfile.ZIP_STORED
with zipfile.ZipFile(out, "w", comp) as z:
    z.writestr("[Content_Types].xml", "<Types/>")
    z.writestr("build/native/bin/x64/kernel", "kernel GOOD x64\n")
    if how == "bomb":
        # 100 MiB of zeros: about 100 KiB once compressed.
        info = zipfile.ZipInfo("build/native/bin/x64/modules.vhd")
        info.compress_type = comp
        with z.open(info, "w") as f:
            for _ in range(100):
                f.write(bytes(1 << 20))
if how == "bad-crc":
    data = open(out, "rb").read().replace(b"kernel GOOD", b"kernel EVIL", 1)
    open(out, "wb").write(data)
PY
sha() { sha256sum "$1" | cut -d' ' -f1; }

# --- 13.11: the digest matches, the zip's own CRC-32 does not: refused ---
python3 "$T/mkpkg.py" "$T/crc.nupkg" bad-crc
run $G --json update --feed "$T/crc.nupkg" --sha256 "$(sha "$T/crc.nupkg")" --kernel-version 6.18.51.1-1
expect_rc 3 "bad CRC, matching digest: exit 3"
expect_json error.code invalid-file "bad CRC: the archive is refused"
[ ! -e "$STORE/versions/6.18.51.1-1" ] && ok "bad CRC: nothing installed" ||
	not_ok "bad CRC: installed $(cat "$STORE/versions/6.18.51.1-1/kernel")"

# --- 17.5: a sparse kernel just under 4 GiB, in a tiny .tar.gz: refused ---
mkdir -p "$T/sparse/build/native/bin/x64"
truncate -s 4294967295 "$T/sparse/$PKGK"
tar -C "$T/sparse" --sparse -czf "$T/sparse.tar.gz" build
run $G --json update --feed "$T/sparse.tar.gz" --sha256 "$(sha "$T/sparse.tar.gz")" --kernel-version 6.18.52.1-1
expect_rc 3 "sparse 4 GiB kernel ($(wc -c <"$T/sparse.tar.gz") bytes packed): exit 3"
expect_json error.code unsafe-archive "sparse kernel: unsafe-archive"
[ ! -e "$STORE/versions/6.18.52.1-1" ] && ok "sparse kernel: nothing installed" ||
	not_ok "sparse kernel: installed"

# --- 17.5: a package that expands more than 100 times: refused ---
python3 "$T/mkpkg.py" "$T/bomb.nupkg" bomb
run $G --json update --feed "$T/bomb.nupkg" --sha256 "$(sha "$T/bomb.nupkg")" --kernel-version 6.18.53.1-1
expect_rc 3 "zip bomb ($(wc -c <"$T/bomb.nupkg") bytes, 100 MiB inside): exit 3"
expect_contains "$err" "expands more than 100 times" "zip bomb: the ratio is named"
[ ! -e "$STORE/versions/6.18.53.1-1" ] && ok "zip bomb: nothing installed" || not_ok "zip bomb: installed"

# --- a NuGet feed: a published size, and a feed without digests over TLS ---
python3 "$MKFEED" "$T/feed" --kernel "$KV:nohash,noarm" --kernel 6.18.54.1-1:smallsize,noarm \
	--drop "$KV:600" || exit 1
if server_tls "$T/tls"; then
	server_start --root "$T/feed" --routes "$T/feed/routes.json" --tls "$T/tls/server.pem" "$T/tls/server.key"
	TF="--releases $SERVER_URL --feed nuget:Microsoft.WSL.Kernel@$SERVER_URL/nuget/index.json --cacert $T/tls/ca.pem"

	# 17.5: the catalog's packageSize is the most that is downloaded.
	run $G --json update $TF --kernel-version 6.18.54.1-1
	expect_rc 1 "longer than the published packageSize: exit 1"
	expect_contains "$err" "more than the" "published size: the excess is named"
	[ ! -e "$STORE/versions/6.18.54.1-1" ] && ok "published size: nothing installed" ||
		not_ok "published size: installed"

	# 17.3: cut after 600 bytes, no retry: without a digest nothing is kept to resume...
	WSLCTL_RETRIES=-1 run $G --json update $TF --kernel-version "$KV"
	expect_rc 1 "no digest, download cut: exit 1"
	left=$(ls "$STORE/cache/" 2>/dev/null | grep '\.part' || true)
	[ -z "$left" ] && ok "no digest: no .part left to resume" || not_ok "no digest: left $left"
	# ...and bytes planted where a .part was are never used.
	for p in "$STORE"/cache/*.part; do
		[ -f "$p" ] && python3 -c 'import sys; open(sys.argv[1], "r+b").write(b"X" * 600)' "$p"
	done
	run $G --json update $TF --kernel-version "$KV"
	expect_rc 0 "no digest, next run: exit 0"
	expect_json verified tls-only "no digest: tls-only"
	[ "$(cat "$STORE/versions/$KV/kernel")" = "kernel $KV
x64" ] && ok "no digest: the server's kernel is installed" || not_ok "no digest: other bytes installed"
	n=$(grep "/$KV/" "$SERVER_LOG" | grep -c '"range": "bytes=' || true)
	[ "$n" = 0 ] && ok "no digest: never resumed with Range" || not_ok "no digest: $n range requests"
	server_stop
else
	not_ok "could not make a test CA"
fi

# --- build --source: two URLs with the same file name are two downloads (17.13) ---
. "$TESTS_DIR/build-lib.sh"
mkdir -p "$T/data/kernel-config" "$T/srv/a" "$T/srv/b" "$T/pack"
cp -R "$FIX/patches-good" "$T/data/patches"
cp -R "$FIX/fake-kernel" "$T/pack/linux-fake"
tar -C "$T/pack" -czf "$T/srv/a/linux.tar.gz" linux-fake
echo "# b" >>"$T/pack/linux-fake/Makefile"
tar -C "$T/pack" -czf "$T/srv/b/linux.tar.gz" linux-fake
B="--home $T/bstore --no-activate"
server_start --root "$T/srv" || exit 1
run --json build --source "$SERVER_URL/a/linux.tar.gz" $B
expect_rc 0 "build from URL a exits 0"
src_a=$(echo "$out" | jget 'd["source"]')
run --json build --source "$SERVER_URL/b/linux.tar.gz" $B
expect_rc 0 "build from URL b exits 0"
src_b=$(echo "$out" | jget 'd["source"]')
[ -n "$src_b" ] && [ "$src_a" != "$src_b" ] && tail -n 1 "$src_b/Makefile" | grep -q '# b' &&
	ok "same file name, other URL: its own tarball is built" ||
	not_ok "URL b built from $src_b (a: $src_a)"
[ "$(grep -c '/b/linux.tar.gz' "$SERVER_LOG")" -ge 1 ] && ok "URL b was downloaded" ||
	not_ok "URL b never requested"

# --- build --source: the marker name is reserved (17.14) ---
mkdir -p "$T/pack2/linux-m"
cp -R "$FIX/fake-kernel/." "$T/pack2/linux-m/"
ln -s linux-m/Kconfig "$T/pack2/.wslctl-source"
tar -C "$T/pack2" -czf "$T/marker.tar.gz" .wslctl-source linux-m
run --json build --source "$T/marker.tar.gz" $B
expect_rc 3 "a tarball holding .wslctl-source: exit 3"
expect_contains "$out" '"code":"unsafe-archive"' "marker in the tarball: unsafe-archive"
if [ -f "$T/pack2/linux-m/Kconfig" ]; then
	bad=$(grep -rl "marker.tar.gz" "$T/cache/wslctl/src" 2>/dev/null || true)
	[ -z "$bad" ] && ok "marker: nothing of the tree was overwritten" || not_ok "marker written into $bad"
else
	not_ok "fixture has no Kconfig"
fi
