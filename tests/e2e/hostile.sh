# SPDX-License-Identifier: MIT
# Hostile packages through the CLI: `update --feed FILE --sha256 DIGEST` (the digest is
# right: only the content is hostile) on zips and tarballs with traversal, absolute
# paths, symlink and hardlink escapes, device nodes, a sparse multi-GiB entry, thousands
# of entries and deeply nested paths. Each: exit 3 (unsafe-archive), .wslconfig and
# the store unchanged, and no file anywhere in the scratch folder that was not there.
. "$TESTS_DIR/lib.sh"
export WSLCTL_WSLPATH=/nonexistent/wslpath WSLCTL_WSL_EXE=/nonexistent/wsl.exe

ROOT="$T/root"
HOMEW="$ROOT/mnt/c/Users/me"
STORE="$HOMEW/wslctl"
CFG="$HOMEW/.wslconfig"
mkdir -p "$HOMEW" "$ROOT/proc/sys/kernel" "$T/pkgs"
echo "6.8.0-generic" >"$ROOT/proc/sys/kernel/osrelease"
printf '# mine\r\n[wsl2]\r\nmemory=8GB\r\n' >"$CFG"
cp "$CFG" "$T/cfg.orig"

# Every package has a real kernel member too, so only the hostile entry can refuse it.
python3 - "$T/pkgs" <<'PY'
import io, os, sys, tarfile, zipfile
out = sys.argv[1]
K = "build/native/bin/x64/kernel"

def zpkg(name, extra):
    with zipfile.ZipFile(os.path.join(out, name), "w") as z:
        z.writestr(K, "kernel\n")
        for e in extra:
            if isinstance(e, zipfile.ZipInfo):
                z.writestr(e, "../../../../evil-zip-link")
            else:
                z.writestr(e, "evil\n")

def tpkg(name, extra, mode="w:gz"):
    with tarfile.open(os.path.join(out, name), mode, format=tarfile.GNU_FORMAT) as t:
        ti = tarfile.TarInfo(K)
        ti.size = 7
        t.addfile(ti, io.BytesIO(b"kernel\n"))
        for ti in extra:
            t.addfile(ti, io.BytesIO(b"x" * ti.size) if ti.isreg() else None)

def ti(name, **kw):
    t = tarfile.TarInfo(name)
    for k, v in kw.items():
        setattr(t, k, v)
    return t

zpkg("traversal-1.0.0.nupkg", ["../../../../../evil-traversal"])
zpkg("absolute-1.0.0.nupkg", [os.path.join(out, "..", "evil-absolute")])
zpkg("backslash-1.0.0.nupkg", ["..\\..\\..\\..\\..\\evil-backslash"])
link = zipfile.ZipInfo("build/native/bin/x64/link")
link.external_attr = (0o120777 << 16)
link.create_system = 3
zpkg("zipsymlink-1.0.0.nupkg", [link])
dev = zipfile.ZipInfo("build/native/bin/x64/null")
dev.external_attr = (0o020666 << 16)
dev.create_system = 3
zpkg("zipdevice-1.0.0.nupkg", [dev])
# The central directory read from the last two 1 MiB blocks, in either order.
for mib in (1.5, 2.5):
    big = zipfile.ZipInfo("build/native/bin/x64/pad")
    with zipfile.ZipFile(os.path.join(out, "zipsymlink-big%s-1.0.0.nupkg" % int(mib)), "w") as z:
        z.writestr(K, "kernel\n")
        z.writestr(big, os.urandom(int(mib * 1048576)))
        z.writestr(link, "../../../../evil-zip-link")
tpkg("symlink-1.0.0.tar.gz", [ti("build/esc", type=tarfile.SYMTYPE, linkname="../../../../.."),
                              ti("build/esc/evil-symlink", size=5)])
tpkg("hardlink-1.0.0.tar.gz", [ti("build/hard", type=tarfile.LNKTYPE, linkname="../../../../../etc/passwd")])
tpkg("device-1.0.0.tar.gz", [ti("build/null", type=tarfile.CHRTYPE, devmajor=1, devminor=3)])
tpkg("fifo-1.0.0.tar.gz", [ti("build/pipe", type=tarfile.FIFOTYPE)])
tpkg("many-1.0.0.tar.gz", [ti("m/%05d" % i, size=0) for i in range(12000)])
tpkg("nested-1.0.0.tar.gz", [ti("/".join(["d"] * 2000) + "/evil-nested", size=1)])
tpkg("nested-dotdot-1.0.0.tar.gz", [ti("/".join(["d"] * 300 + [".."] * 305) + "/evil-nested-up", size=1)])
PY
# A sparse entry that claims 5 GiB: the tar header is written by hand (GNU sparse, 'S').
python3 - "$T/pkgs/sparse-1.0.0.tar" <<'PY'
import io, sys, tarfile
with tarfile.open(sys.argv[1], "w", format=tarfile.GNU_FORMAT) as t:
    k = tarfile.TarInfo("build/native/bin/x64/kernel")
    k.size = 7
    t.addfile(k, io.BytesIO(b"kernel\n"))
    s = tarfile.TarInfo("build/sparse.img")
    s.type = tarfile.GNUTYPE_SPARSE
    s.size = 512
    buf = s.tobuf(format=tarfile.GNU_FORMAT)
    h = bytearray(buf[:512])
    # realsize (offset 483, 12 bytes octal) 5 GiB; one sparse map entry at 386: off 5G-512, 512
    h[483:495] = b"%011o\0" % (5 << 30)
    h[386:398] = b"%011o\0" % ((5 << 30) - 512)
    h[398:410] = b"%011o\0" % 512
    h[148:156] = b"        "
    h[148:156] = b"%06o\0 " % sum(h)
    t.fileobj.write(bytes(h) + b"y" * 512)
    t.offset += 1024
PY

snapshot() { (cd "$T" && find . -path ./pkgs -prune -o -print | grep -v -e '^\./\.out$' -e '^\./\.err$' -e '^\./before$' -e '^\./after$' | sort); }
for p in "$T"/pkgs/*; do
	name=$(basename "$p")
	snapshot >"$T/before"
	run --root "$ROOT" --home "$STORE" --wslconfig "$CFG" --json update --feed "$p" \
		--sha256 "$(sha256sum "$p" | cut -d' ' -f1)"
	expect_rc 3 "$name: exit 3"
	expect_contains "$out" '"code":"unsafe-archive"' "$name: unsafe-archive"
	echo "# $(printf '%s' "$out" | sed -n 's/.*"message":"\([^"]*\)".*/\1/p' | cut -c1-160)"
	same_file "$CFG" "$T/cfg.orig" "$name: .wslconfig untouched"
	snapshot >"$T/after"
	# The store's own folders and lock may appear; nothing else may.
	new=$(comm -13 "$T/before" "$T/after" | grep -v -e "^\./root/mnt/c/Users/me/wslctl$" \
		-e "^\./root/mnt/c/Users/me/wslctl/\(lock\|\.wslctl-store\|staging\|versions\|cache\|cache/meta\)$")
	if [ -z "$new" ]; then ok "$name: nothing written outside staging"; else not_ok "$name: new files: $new"; fi
	if [ -z "$(ls -A "$STORE/versions" 2>/dev/null)" ] && [ -z "$(ls -A "$STORE/staging" 2>/dev/null)" ]; then
		ok "$name: no version and no staging left"
	else
		not_ok "$name: left $(ls "$STORE/versions" "$STORE/staging")"
	fi
done
