# SPDX-License-Identifier: MIT
# wslctl update against loopback GitHub-API and NuGet-v3 feeds that this script generates.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/update-lib.sh"
# Requests the server saw for PATH-SUBSTRING (method GET).
hits() { grep -c "\"GET\", \"path\": \"[^\"]*$1" "$SERVER_LOG"; }

python3 "$MKFEED" "$T/feed" \
	--release '2.7.9:WSL 2.7.9::6.18.33.2-1' \
	--release '2.10.0:WSL 2.10.0:dp:9.0.0.0-1' \
	--release '2.9.4:WSL 2.9.4 Pre-release:p:6.18.35.2-1' \
	--release '2.7.11:WSL 2.7.11:l:6.18.33.2-2' \
	--kernel 6.18.33.2-1 --kernel 6.18.33.2-2 --kernel 6.18.35.2-1 \
	--kernel 6.18.36.1-1:badhash --kernel 6.18.37.1-1:hostile --kernel 6.18.38.1-1:nohash \
	--drop 6.18.33.2-2:300 || exit 1
server_start --root "$T/feed" --routes "$T/feed/routes.json" || exit 1
URL=$SERVER_URL
LOG1=$SERVER_LOG
ROOT="$T/root"
HOME_W="$ROOT/mnt/c/Users/me"
mkdir -p "$HOME_W" "$ROOT/proc/sys/kernel"
echo "6.8.0-generic" >"$ROOT/proc/sys/kernel/osrelease"
CFG="$HOME_W/.wslconfig"
STORE="$HOME_W/wslctl"
printf '# mine\r\n[wsl2]\r\nmemory=8GB\r\n' >"$CFG"
G="--root $ROOT --home $STORE --wslconfig $CFG"
FEED="--releases $URL --feed nuget:Microsoft.WSL.Kernel@$URL/nuget/index.json"

# --- a --home that is the user's folder: refused before any cache is written there ---
USERDIR="$ROOT/mnt/c/Users/other"
mkdir -p "$USERDIR" && echo mine >"$USERDIR/doc.txt"
cp "$CFG" "$T/cfg.before"
run --root "$ROOT" --home "$USERDIR" --wslconfig "$CFG" update --no-platform $FEED \
	--kernel-version 6.18.33.2-1
expect_rc 3 "user folder as --home: refused"
expect_contains "$err" "is not a wslctl store" "user folder as --home: says why"
if [ "$(ls -A "$USERDIR")" = "doc.txt" ]; then ok "user folder as --home: nothing made there"
else not_ok "user folder as --home: made $(ls -A "$USERDIR")"; fi
cmp -s "$CFG" "$T/cfg.before" && ok "user folder as --home: .wslconfig unchanged" ||
	not_ok "user folder as --home: .wslconfig changed"

# --- stable channel: /releases/latest -> 2.7.11 -> packages.config -> 6.18.33.2-2 ---
GITHUB_TOKEN=secret-token run $G --json update $FEED
expect_rc 0 "stable update exits 0"
expect_json ok true "stable: ok"
expect_json channel stable "stable: channel"
expect_json wsl_release 2.7.11 "stable: WSL release from /releases/latest"
expect_json version 6.18.33.2-2 "stable: kernel pinned by that tag's packages.config"
expect_json changed true "stable: changed"
expect_json kernel 'C:\Users\me\wslctl\versions\6.18.33.2-2\kernel' "stable: kernel as a Windows path"
expect_json modules 'C:\Users\me\wslctl\versions\6.18.33.2-2\modules.vhd' "stable: modules.vhd"
expect_json previous null "stable: no previous kernel"
expect_json platform_updated false "stable: no platform step off WSL"
expect_json restart_required true "stable: restart required"
expect_json verified sha512 "stable: verified against the catalog packageHash"
expect_contains "$(cat "$CFG")" 'kernel=C:\\Users\\me\\wslctl\\versions\\6.18.33.2-2\\kernel' \
	"stable: kernel= written with escaped backslashes"
expect_contains "$(cat "$CFG")" 'kernelModules=C:\\Users\\me\\wslctl\\versions\\6.18.33.2-2\\modules.vhd' \
	"stable: kernelModules= written"
expect_contains "$(head -c 16 "$CFG")" "# mine" "stable: the user's lines are kept"
if [ "$(cat "$STORE/versions/6.18.33.2-2/kernel")" = "kernel 6.18.33.2-2
x64" ]; then ok "stable: the x64 kernel is in the store"; else not_ok "stable: x64 kernel in the store"; fi
# The first download was cut after 300 bytes; the retry asked for the rest.
if grep '"path": "/flat/microsoft.wsl.kernel/6.18.33.2-2/' "$SERVER_LOG" | grep -q '"range": "bytes=300-"'; then
	ok "dropped connection: resumed with Range: bytes=300-"
else
	not_ok "dropped connection: no Range request in $(cat "$SERVER_LOG")"
fi
if grep '/repos/microsoft/WSL/releases/latest' "$SERVER_LOG" | grep -q '"authorization": true'; then
	ok "GITHUB_TOKEN is sent to the releases API"
else
	not_ok "GITHUB_TOKEN is sent to the releases API"
fi
if grep '/flat/' "$SERVER_LOG" | grep -q '"authorization": true'; then
	not_ok "GITHUB_TOKEN leaked to the NuGet feed"
else
	ok "GITHUB_TOKEN is not sent to the NuGet feed"
fi

# --- a second run changes nothing and downloads nothing ---
cp "$CFG" "$T/cfg.1"
before=$(hits 6.18.33.2-2.nupkg)
run $G --json update $FEED
expect_rc 0 "second run exits 0"
expect_json changed false "second run: changed false"
expect_json restart_required false "second run: no restart"
expect_json kernel 'C:\Users\me\wslctl\versions\6.18.33.2-2\kernel' "second run: still reports the kernel"
same_file "$CFG" "$T/cfg.1" "second run: .wslconfig untouched"
if [ "$(hits 6.18.33.2-2.nupkg)" = "$before" ]; then ok "second run: no download"; else not_ok "second run: downloaded again"; fi

# --- pre-release: highest non-draft by version (2.10.0 is a draft) ---
run $G --json update $FEED --pre-release
expect_rc 0 "pre-release exits 0"
expect_json channel pre-release "pre-release: channel"
expect_json wsl_release 2.9.4 "pre-release: 2.9.4 (the 2.10.0 draft is ignored)"
expect_json version 6.18.35.2-1 "pre-release: its kernel"
expect_json previous 6.18.33.2-2 "pre-release: previous is the stable kernel"

# --- --check reports and changes nothing ---
cp "$CFG" "$T/cfg.2"
run $G --json update $FEED --check
expect_rc 0 "--check exits 0"
expect_json current 6.18.35.2-1 "--check: current is the active store kernel"
expect_json available 6.18.33.2-2 "--check: available on stable"
expect_json update_available false "--check: an older kernel is no update"
run $G --json update $FEED --check --pre-release
expect_json update_available false "--check --pre-release: up to date"
same_file "$CFG" "$T/cfg.2" "--check: .wslconfig untouched"

# --- no downgrade without --allow-downgrade ---
run $G --json update $FEED
expect_rc 0 "stable with a newer kernel active exits 0"
expect_json changed false "no downgrade below the active kernel"
same_file "$CFG" "$T/cfg.2" "no downgrade: .wslconfig untouched"
run $G --json update $FEED --allow-downgrade
expect_json version 6.18.33.2-2 "--allow-downgrade goes back to stable"
expect_json changed true "--allow-downgrade changes"

# --- pinned --kernel-version ---
run $G --json update $FEED --kernel-version 6.18.33.2-1
expect_rc 0 "--kernel-version exits 0"
expect_json version 6.18.33.2-1 "--kernel-version installs the pinned (older) kernel"
expect_json wsl_release null "--kernel-version: no WSL release asked"

# --- wrong digest: exit 1, nothing changed, download deleted ---
cp "$CFG" "$T/cfg.3"
run $G --json update $FEED --kernel-version 6.18.36.1-1
expect_rc 1 "wrong digest exits 1"
expect_json error.code digest-mismatch "wrong digest: digest-mismatch"
same_file "$CFG" "$T/cfg.3" "wrong digest: .wslconfig untouched"
if ls "$STORE/cache/" | grep -q 6.18.36.1-1; then not_ok "wrong digest: download kept"; else ok "wrong digest: download deleted"; fi
[ -d "$STORE/versions/6.18.36.1-1" ] && not_ok "wrong digest: installed" || ok "wrong digest: not installed"

# --- hostile archive: exit 3, nothing written ---
run $G --json update $FEED --kernel-version 6.18.37.1-1
expect_rc 3 "hostile archive exits 3"
expect_json error.code unsafe-archive "hostile archive: unsafe-archive"
same_file "$CFG" "$T/cfg.3" "hostile archive: .wslconfig untouched"
[ -d "$STORE/versions/6.18.37.1-1" ] && not_ok "hostile: installed" || ok "hostile: not installed"
if find "$T" -name evil | grep -q .; then not_ok "hostile: ../evil was written"; else ok "hostile: ../evil not written"; fi
if [ -z "$(ls -A "$STORE/staging")" ]; then ok "hostile: no staging left"; else not_ok "hostile: staging left: $(ls "$STORE/staging")"; fi

# --- no published digest: not over plain http; --require-digest refuses ---
run $G --json update $FEED --kernel-version 6.18.38.1-1
expect_rc 1 "no digest over http exits 1"
expect_json error.code no-digest "no digest over http: no-digest"
run $G --json update $FEED --kernel-version 6.18.38.1-1 --require-digest
expect_json error.code no-digest "--require-digest: no-digest"
same_file "$CFG" "$T/cfg.3" "no digest: .wslconfig untouched"

# --- over verified TLS a feed without digests is accepted and the SHA-256 recorded ---
if server_tls "$T/tls"; then
	server_start --root "$T/feed" --routes "$T/feed/routes.json" --tls "$T/tls/server.pem" "$T/tls/server.key"
	TURL=$SERVER_URL
	run $G --json update --releases "$TURL" --feed "nuget:Microsoft.WSL.Kernel@$TURL/nuget/index.json" \
		--kernel-version 6.18.38.1-1
	expect_rc 1 "TLS with an unknown CA exits 1"
	expect_json error.code tls "unknown CA: tls"
	run $G --json update --releases "$TURL" --feed "nuget:Microsoft.WSL.Kernel@$TURL/nuget/index.json" \
		--kernel-version 6.18.38.1-1 --cacert "$T/tls/ca.pem"
	expect_rc 0 "TLS-only package with --cacert exits 0"
	expect_json verified tls-only "TLS-only: recorded as tls-only"
	sha=$(sha256sum "$T/feed/flat/microsoft.wsl.kernel/6.18.38.1-1/microsoft.wsl.kernel.6.18.38.1-1.nupkg" | cut -d' ' -f1)
	expect_json sha256 "$sha" "TLS-only: the package SHA-256 is reported"
	expect_contains "$err" "$sha" "TLS-only: the SHA-256 is printed"
	if grep -q "\"sha256\": \"$sha\"" "$STORE/versions/6.18.38.1-1/manifest.json"; then
		ok "TLS-only: the SHA-256 is in the manifest"; else not_ok "TLS-only: manifest lacks the SHA-256"; fi
else
	not_ok "could not make a test CA"
fi

# --- offline install from a local file ---
PKG="$T/Microsoft.WSL.Kernel.6.18.35.2-1.nupkg"
cp "$T/feed/flat/microsoft.wsl.kernel/6.18.35.2-1/microsoft.wsl.kernel.6.18.35.2-1.nupkg" "$PKG"
sha=$(sha256sum "$PKG" | cut -d' ' -f1)
OFF="$ROOT/mnt/d/offline"
OCFG="$T/offline.wslconfig"
run --root "$ROOT" --home "$OFF" --wslconfig "$OCFG" --json update --feed "$PKG"
expect_rc 1 "local file without --sha256 exits 1"
expect_json error.code no-digest "local file without --sha256: no-digest"
run --root "$ROOT" --home "$OFF" --wslconfig "$OCFG" --json update --feed "$PKG" --sha256 "$(echo "$sha" | tr 0-9a-f a-f0-9)"
expect_rc 1 "local file with a wrong --sha256 exits 1"
[ -e "$OCFG" ] && not_ok "wrong --sha256: .wslconfig created" || ok "wrong --sha256: nothing written"
[ -e "$PKG" ] && ok "wrong --sha256: the user's file is kept" || not_ok "wrong --sha256: the user's file was deleted"
run --root "$ROOT" --home "$OFF" --wslconfig "$OCFG" --json update --feed "$PKG" --sha256 "$sha"
expect_rc 0 "offline install exits 0"
expect_json version 6.18.35.2-1 "offline: version from the file name"
expect_json kernel 'D:\offline\versions\6.18.35.2-1\kernel' "offline: kernel on drive D"
expect_json verified sha256 "offline: verified against --sha256"
printf 'bare kernel image' >"$T/bzImage"
run --root "$ROOT" --home "$OFF" --wslconfig "$OCFG" --json update --feed "$T/bzImage" --allow-unverified
expect_rc 2 "a bare image without a version in its name needs --kernel-version"
run --root "$ROOT" --home "$OFF" --wslconfig "$OCFG" --json update --feed "$T/bzImage" --allow-unverified --kernel-version 6.99.1-custom
expect_rc 0 "a bare kernel image installs with --kernel-version"
expect_json modules null "bare image: no modules, kernelModules= removed"
case "$(cat "$OCFG")" in *kernelModules*) not_ok "bare image: stale kernelModules= kept" ;; *) ok "bare image: no stale kernelModules=" ;; esac

# A package in another layout: the kernel image is found by name, arm64 ones skipped.
python3 -c '
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("out/arm64/Image", "arm")
    z.writestr("out/x64/bzImage", "x64 image")
    z.writestr("README.md", "hi")
with zipfile.ZipFile(sys.argv[2], "w") as z:
    z.writestr("README.md", "no kernel here")' "$T/wsl-kernel-6.100.1.zip" "$T/empty-6.100.2.zip"
run --root "$ROOT" --home "$OFF" --wslconfig "$OCFG" --json update --feed "$T/wsl-kernel-6.100.1.zip" --allow-unverified
expect_rc 0 "a zip with bzImage in its own layout installs"
expect_json version 6.100.1 "other layout: version from the name"
if [ "$(cat "$OFF/versions/6.100.1/kernel")" = "x64 image" ]; then ok "other layout: the x64 image"; else not_ok "other layout: wrong image"; fi
run --root "$ROOT" --home "$OFF" --wslconfig "$OCFG" --json update --feed "$T/empty-6.100.2.zip" --allow-unverified
expect_rc 1 "a package without a kernel exits 1"
expect_json error.code not-found "a package without a kernel: not-found"

# --- --arch picks the package's arm64 kernel ---
run --root "$ROOT" --home "$ROOT/mnt/c/arm" --wslconfig "$T/arm.wslconfig" --json update $FEED --arch arm64
expect_rc 0 "--arch arm64 exits 0"
if [ "$(tail -n 1 "$ROOT/mnt/c/arm/versions/6.18.33.2-2/kernel")" = "arm64" ]; then ok "--arch arm64: the arm64 kernel"; else not_ok "--arch arm64: wrong kernel"; fi
run --root "$ROOT" --home "$ROOT/mnt/c/arm" --wslconfig "$T/arm.wslconfig" update $FEED --arch riscv
expect_rc 2 "--arch riscv is a usage error"

# --- GitHub releases as the kernel feed: asset by architecture, its digest verified ---
python3 "$MKFEED" "$T/gh" --kernel 6.18.35.2-1 --kernel 6.18.40.1-1 || exit 1
server_start --root "$T/gh" --routes "$T/gh/routes.json" || exit 1
GURL=$SERVER_URL
GCFG="$T/gh.wslconfig"
GH="--root $ROOT --home $ROOT/mnt/c/gh --wslconfig $GCFG"
run $GH --json update --feed "github:owner/kernels@$GURL"
expect_rc 0 "github feed exits 0"
expect_json version 6.18.35.2-1 "github feed: newest release not marked prerelease"
expect_json verified sha256 "github feed: asset digest verified"
run $GH --json update --feed "github:owner/kernels@$GURL" --pre-release
expect_json version 6.18.40.1-1 "github feed --pre-release: the prerelease"
run $GH --json kernel list --available --feed "github:owner/kernels@$GURL"
expect_json available.0 6.18.40.1-1 "kernel list --available asks the feed"

# --- --inbox removes kernel= and kernelModules= ---
run $G --json update --inbox
expect_rc 0 "--inbox exits 0"
expect_json changed true "--inbox: changed"
case "$(cat "$CFG")" in *kernel*) not_ok "--inbox: kernel keys left: $(cat "$CFG")" ;; *) ok "--inbox: kernel keys removed" ;; esac
expect_contains "$(cat "$CFG")" "memory=8GB" "--inbox: other keys kept"
run $G --json update --inbox
expect_json changed false "--inbox twice: nothing to do"
run $G --json update --inbox --feed x
expect_rc 2 "--inbox with --feed is a usage error"

# --- --dry-run changes nothing ---
DCFG="$T/dry.wslconfig"
run --root "$ROOT" --home "$ROOT/mnt/c/dry" --wslconfig "$DCFG" --json -n update $FEED
expect_rc 0 "--dry-run exits 0"
expect_json dry_run true "--dry-run: dry_run true"
expect_json changed true "--dry-run: reports what would change"
expect_json kernel 'C:\dry\versions\6.18.33.2-2\kernel' "--dry-run: reports the kernel= it would write"
[ -e "$DCFG" ] && not_ok "--dry-run: .wslconfig written" || ok "--dry-run: no .wslconfig written"
[ -e "$ROOT/mnt/c/dry" ] && not_ok "--dry-run: store created" || ok "--dry-run: no store created"
if [ -z "$(ls -A "$ROOT/mnt/c/dry/versions" 2>/dev/null)" ]; then ok "--dry-run: nothing installed"; else not_ok "--dry-run: installed"; fi

# --- inside WSL: the platform step runs wsl.exe --update last ---
WROOT="$T/wsl"
mkdir -p "$WROOT/proc/sys/kernel" "$WROOT/proc/sys/fs/binfmt_misc" "$WROOT/run/WSL" "$WROOT/mnt/c/Users/me"
echo "6.6.87.2-microsoft-standard-WSL2" >"$WROOT/proc/sys/kernel/osrelease"
: >"$WROOT/proc/sys/fs/binfmt_misc/WSLInterop"
cat >"$T/wsl.exe" <<EOS
#!/bin/sh
# A fake wsl.exe: logs its arguments, prints its version as UTF-16LE like the real one.
echo "\$*" >>"$T/wsl.log"
case "\$1" in
--version) v=\$(cat "$T/wsl.ver" 2>/dev/null || echo 2.7.11.0)
	printf 'WSL-Version: %s\r\nKernelversion: 6.6.87.2-1\r\n' "\$v" | iconv -f UTF-8 -t UTF-16LE ;;
--update) [ -e "$T/wsl.fail" ] && { echo "update failed" >&2; exit 5; }
	echo 2.9.4.0 >"$T/wsl.ver"; echo "Installing update" ;;
esac
EOS
chmod +x "$T/wsl.exe"
WCFG="$WROOT/mnt/c/Users/me/.wslconfig"
printf '[wsl2]\r\nvirtiofs=true\r\n' >"$WCFG"
cp "$WCFG" "$T/wcfg.0"
W="--root $WROOT --home $WROOT/mnt/c/Users/me/.wslctl --wslconfig $WCFG"
WSLCTL_WSL_EXE="$T/wsl.exe" run $W --json update $FEED --pre-release
expect_rc 0 "in WSL, inbox kernel: exits 0"
expect_json platform_updated true "in WSL: platform updated"
expect_json wsl_version_before 2.7.11.0 "in WSL: WSL version before (UTF-16 output)"
expect_json wsl_version_after 2.9.4.0 "in WSL: WSL version after"
expect_json kernel null "in WSL with the inbox kernel: no custom kernel installed"
expect_json version 6.18.35.2-1 "in WSL: reports the channel's kernel"
same_file "$WCFG" "$T/wcfg.0" "in WSL with the inbox kernel: .wslconfig untouched"
expect_contains "$(cat "$T/wsl.log")" "--update --pre-release" "in WSL: ran wsl.exe --update --pre-release"
rm -f "$T/wsl.ver" "$T/wsl.log"
WSLCTL_WSL_EXE="$T/wsl.exe" run $W --json update $FEED --custom-kernel
expect_rc 0 "in WSL --custom-kernel exits 0"
expect_json version 6.18.33.2-2 "in WSL --custom-kernel: installs the stable kernel"
expect_json kernel 'C:\Users\me\.wslctl\versions\6.18.33.2-2\kernel' "in WSL --custom-kernel: activates it"
expect_json platform_updated true "in WSL --custom-kernel: platform step too"
if [ "$(sed -n 2p "$T/wsl.log")" = "--update" ]; then ok "in WSL: wsl.exe --update after the kernel step"; else not_ok "in WSL: wsl.exe calls were $(cat "$T/wsl.log")"; fi
rm -f "$T/wsl.log"
WSLCTL_WSL_EXE="$T/wsl.exe" run $W --json update $FEED --no-platform
expect_json platform_updated false "--no-platform: no platform step"
[ -e "$T/wsl.log" ] && not_ok "--no-platform: wsl.exe ran" || ok "--no-platform: wsl.exe not run"
touch "$T/wsl.fail"
cp "$WCFG" "$T/wcfg.1"
WSLCTL_WSL_EXE="$T/wsl.exe" run $W --json update $FEED --kernel-version 6.18.35.2-1
expect_rc 1 "a failed wsl.exe --update fails the run"
expect_json ok false "failed platform step: ok false"
expect_json version 6.18.35.2-1 "failed platform step: the kernel step is still reported"
expect_json changed true "failed platform step: the kernel change stands"
expect_contains "$(jget error.message)" "exit 5" "failed platform step: says how wsl.exe failed"
expect_json error.code interop "failed platform step: a failure with error.code interop"
rm -f "$T/wsl.fail"

# --- a store Windows cannot read is refused before anything is downloaded ---
n=$(grep -c nupkg "$LOG1")
run --root "$ROOT" --home "$T/linux-store" --wslconfig "$T/x.wslconfig" --json update $FEED --kernel-version 6.18.35.2-1
expect_rc 3 "a store off the Windows drives exits 3"
expect_json error.code invalid-value "a store off the Windows drives: invalid-value"
if [ "$(grep -c nupkg "$LOG1")" = "$n" ]; then ok "a store off the Windows drives: nothing downloaded"; else not_ok "downloaded anyway"; fi

# --- inside WSL, GitHub unreachable: the platform step still runs ---
rm -f "$T/wsl.log"
WSLCTL_WSL_EXE="$T/wsl.exe" run --root "$WROOT" --home "$WROOT/mnt/c/Users/me/.wslctl" --wslconfig "$T/plain.wslconfig" \
	--json update --releases http://127.0.0.1:1 --feed "nuget:Microsoft.WSL.Kernel@$URL/nuget/index.json"
expect_rc 0 "in WSL without GitHub: exits 0"
expect_json version null "in WSL without GitHub: no version to report"
expect_contains "$(cat "$T/wsl.log" 2>/dev/null)" "--update" "in WSL without GitHub: wsl.exe --update still runs"
expect_contains "$err" "warning" "in WSL without GitHub: a warning says why"
