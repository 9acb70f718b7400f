# SPDX-License-Identifier: MIT
# What a feed's text may do, against loopback feeds (TLS, so that a feed without a usable
# digest would be accepted as tls-only): names a server supplies never become paths,
# a digest field that is present but malformed is a refusal, NuGet ids and GitHub
# OWNER/REPO are checked, GITHUB_TOKEN goes only to the API's /repos/, and control
# characters from a server never reach the terminal.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/update-lib.sh"
server_tls "$T/tls" || { not_ok "feed_names: cannot make a test certificate"; exit 1; }

kernel_machine
printf '# mine\r\n[wsl2]\r\nmemory=8GB\r\n' >"$CFG"
cp "$CFG" "$T/cfg.orig"
python3 "$MKFEED" "$T/feed" --kernel 6.1.0-1 || exit 1
PKG=flat/microsoft.wsl.kernel/6.1.0-1/microsoft.wsl.kernel.6.1.0-1.nupkg
ESC=$(printf '\033')
C1=$(printf '\302\233')

# Each case is its own repository o/NAME (GitHub) or package id (NuGet) on one server.
python3 - "$T/feed" "$PKG" <<'PY' || exit 1
import base64, hashlib, json, os, sys
out, pkg = sys.argv[1], sys.argv[2]
data = open(os.path.join(out, pkg), "rb").read()
sha256 = "sha256:" + hashlib.sha256(data).hexdigest()
b64 = base64.b64encode(hashlib.sha512(data).digest()).decode()
routes = json.load(open(out + "/routes.json"))

def gh(case, asset_name, digest=sha256, tag="v6.1.0-1", url="{base}/" + pkg, no_digest=False):
    asset = {"name": asset_name, "size": len(data), "browser_download_url": url}
    if not no_digest:
        asset["digest"] = digest
    routes["/repos/o/%s/releases" % case] = {"json": [
        {"tag_name": tag, "name": "Kernel", "draft": False, "prerelease": False,
         "assets": [asset]}]}

# 13.10: names a server supplied.
gh("traversal", "../../../escaped-kernel-x64")
gh("backslash", "..\\..\\..\\escaped-bs-x64.zip")
gh("ctrl", "kernel\x01-x64.zip")
gh("dotdot", "..")
routes["/cd/k.nupkg"] = {"file": pkg, "headers": {
    "Content-Disposition": 'attachment; filename="../../../cd-escaped.nupkg"'}}
gh("disposition", "wsl-kernel-6.1.0-1-x64.nupkg", url="{base}/cd/k.nupkg")
# 17.4: a digest that is present but not a well-formed string.
for case, d in [("dnum", 12345), ("dempty", ""), ("dshort", "sha256:abcd"),
                ("dmd5", "md5:" + "0" * 32), ("dobj", {"sha256": "x"}), ("dtrue", True),
                ("dlist", [sha256])]:
    gh(case, "wsl-kernel-6.1.0-1-x64.nupkg", digest=d)
gh("dnull", "wsl-kernel-6.1.0-1-x64.nupkg", digest=None)
# 17.18: control characters in a tag, an asset name, a digest.
gh("esctag", "wsl-kernel-arm64.zip", tag="v6.1.0-1\x1b]0;pwned\x07\x1b[2J")
gh("escasset", "k\x1b[2J-x64.zip")
gh("escdigest", "wsl-kernel-6.1.0-1-x64.nupkg", digest="sha256:\x1b]0;pwned\x07")
routes["/repos/o/escbody/releases"] = {"status": 403, "etag": False,
                                      "body": "denied \x1b]0;pwned\x07 \u009b2J"}

# A NuGet feed per case (id = the case), on the same server.
def nuget(case, catalog, versions=("6.1.0-1",)):
    routes["/n/%s/index.json" % case] = {"json": {"version": "3.0.0", "resources": [
        {"@id": "{base}/n/%s/flat/" % case, "@type": "PackageBaseAddress/3.0.0"},
        {"@id": "{base}/n/%s/reg/" % case, "@type": "RegistrationsBaseUrl/3.6.0"}]}}
    routes["/n/%s/flat/%s/index.json" % (case, case)] = {"json": {"versions": list(versions)}}
    for v in versions:
        routes["/n/%s/flat/%s/%s/%s.%s.nupkg" % (case, case, v, case, v)] = {"file": pkg}
        routes["/n/%s/reg/%s/%s.json" % (case, case, v)] = {"json": {"catalogEntry": catalog}}

nuget("hnum", {"packageHash": 12345, "packageHashAlgorithm": "SHA512"})
nuget("hempty", {"packageHash": "", "packageHashAlgorithm": "SHA512"})
nuget("hshort", {"packageHash": b64[:20], "packageHashAlgorithm": "SHA512"})
nuget("halgnum", {"packageHash": b64, "packageHashAlgorithm": 5})
nuget("halgnull", {"packageHash": b64, "packageHashAlgorithm": None})
nuget("hgood", {"packageHash": b64, "packageHashAlgorithm": "SHA512"})
nuget("hnull", {"packageHash": None})
# 17.11: an id with "../" resolves (after dot-segment removal) to these.
routes["/nx/index.json"] = {"json": {"version": "3.0.0", "resources": [
    {"@id": "{base}/nx/flat/", "@type": "PackageBaseAddress/3.0.0"}]}}
routes["/x/index.json"] = {"json": {"versions": ["6.1.0-1"]}}
routes["/x.6.1.0-1.nupkg"] = {"file": pkg}
json.dump(routes, open(out + "/routes.json", "w"), indent=1)
PY
server_start --root "$T/feed" --routes "$T/feed/routes.json" --tls "$T/tls/server.pem" "$T/tls/server.key" || exit 1
URL=$SERVER_URL
CA="--cacert $T/tls/ca.pem"

snapshot() { (cd "$T" && find . -print | grep -v -e '^\./\.out$' -e '^\./\.err$' -e '^\./before$' \
	-e '^\./after$' -e '^\./server-' | sort); }
# only_store NAME: nothing appeared in the scratch folder outside the store, and no file
# anywhere carries a name the server chose.
only_store() {
	snapshot >"$T/after"
	new=$(comm -13 "$T/before" "$T/after" | grep -v "^\./root/mnt/c/Users/me/wslctl\(/.*\)\{0,1\}$")
	if [ -z "$new" ]; then ok "$1: nothing written outside the store"; else not_ok "$1: new files: $new"; fi
	named=$(find "$T" -name '*escaped*' -o -name 'x.6.1.0-1.nupkg*')
	if [ -n "$named" ]; then
		not_ok "$1: a file named by the server: $named"
		rm -f $named # the next case starts clean
	fi
}
not_installed() {
	if [ -z "$(ls -A "$STORE/versions" 2>/dev/null)" ]; then ok "$1: nothing installed"; else
		not_ok "$1: installed $(ls "$STORE/versions")"; rm -rf "$STORE/versions"/*; fi
	same_file "$CFG" "$T/cfg.orig" "$1: .wslconfig untouched"
}
# no_ctrl NAME: stderr holds no ESC and no C1 control (U+0080..U+009F).
no_ctrl() {
	if LC_ALL=C grep -q -e "$ESC" -e "$C1" "$T/.err"; then
		not_ok "$1: control characters reached stderr: $(od -c "$T/.err" | head -5)"
	else
		ok "$1: no control character on stderr"
	fi
}
# The message, for the log.
say() { printf "# %s\n" "$(printf "%s" "$err" | tail -n 1 | cut -c1-240)"; }
gh_update() { # CASE [options]
	c=$1
	shift
	snapshot >"$T/before"
	run $G --json update $CA --feed "github:o/$c@$URL" "$@"
}

# --- 13.10: a server's names never become paths ---
for c in traversal backslash ctrl dotdot; do
	gh_update $c
	expect_rc 3 "asset name ($c): refused with exit 3"
	expect_json error.code invalid-file "asset name ($c): invalid-file"
	say
	only_store "asset name ($c)"
	not_installed "asset name ($c)"
done
gh_update disposition
expect_rc 0 "Content-Disposition naming ../: installs"
only_store "Content-Disposition naming ../"
rm -rf "$STORE"
cp "$T/cfg.orig" "$CFG"
# The cache is named by the tool (feed, version, architecture, a fixed suffix).
gh_update traversal --kernel-version 6.1.0-1
expect_rc 3 "asset name (traversal, pinned): refused"
# A plain URL's last segment: its decoded form may not name a folder or hold controls.
for seg in 'a%2F..%2F..%2Fescaped-6.1.0.zip' '..%5Cescaped-6.1.0.zip' 'k%1b-6.1.0.zip'; do
	snapshot >"$T/before"
	run $G --json update $CA --feed "$URL/dl/$seg" --sha256 "$(sha256sum "$T/feed/$PKG" | cut -d' ' -f1)"
	expect_rc 3 "URL segment $seg: refused with exit 3"
	say
	only_store "URL segment $seg"
	not_installed "URL segment $seg"
done

# --- 17.4: a digest of the wrong type or shape is a refusal ---
for c in dnum dempty dshort dmd5 dobj dtrue dlist; do
	gh_update $c
	expect_rc 3 "github digest ($c): refused with exit 3"
	expect_json error.code invalid-file "github digest ($c): invalid-file"
	say
	not_installed "github digest ($c)"
done
gh_update dnull
expect_rc 0 "github digest null: none published (GitHub's own spelling), tls-only"
expect_json verified tls-only "github digest null: recorded as tls-only"
rm -rf "$STORE"
cp "$T/cfg.orig" "$CFG"
for c in hnum hempty hshort halgnum; do
	run $G --json update $CA --feed "nuget:$c@$URL/n/$c/index.json" --kernel-version 6.1.0-1
	expect_rc 3 "nuget packageHash ($c): refused with exit 3"
	expect_json error.code invalid-file "nuget packageHash ($c): invalid-file"
	say
	not_installed "nuget packageHash ($c)"
done
for c in halgnull hgood; do
	run $G --json update $CA --feed "nuget:$c@$URL/n/$c/index.json" --kernel-version 6.1.0-1
	expect_rc 0 "nuget packageHash ($c): installs"
	expect_json verified sha512 "nuget packageHash ($c): verified"
	rm -rf "$STORE"
	cp "$T/cfg.orig" "$CFG"
done
run $G --json update $CA --feed "nuget:hnull@$URL/n/hnull/index.json" --kernel-version 6.1.0-1
expect_json verified tls-only "nuget packageHash null: none published, tls-only"
rm -rf "$STORE"
cp "$T/cfg.orig" "$CFG"

# --- 17.11: NuGet ids and GitHub OWNER/REPO ---
for spec in "nuget:../../x@$URL/nx/index.json" "nuget:..@$URL/i.json" "nuget:.@$URL/i.json" \
	"nuget:a/b@$URL/i.json" "nuget:a%2Fb@$URL/i.json" "github:o/..@$URL" "github:../r@$URL" \
	"github:o/r%2e@$URL" "github:o/.@$URL" 'github:o\x/r@'"$URL"; do
	snapshot >"$T/before"
	run $G --json update $CA --feed "$spec" --kernel-version 6.1.0-1
	expect_rc 2 "--feed $spec: usage error"
	say
	only_store "--feed $spec"
	run $G --json kernel list --available $CA --feed "$spec"
	expect_rc 2 "kernel list --available --feed $spec: usage error"
done
rm -rf "$STORE"
cp "$T/cfg.orig" "$CFG"
mkdir -p "$T/xdg/wslctl"
printf '[update]\nfeed = nuget:../../x@%s/nx/index.json\n' "$URL" >"$T/xdg/wslctl/config"
snapshot >"$T/before"
run $G --json update $CA --kernel-version 6.1.0-1
expect_rc 3 "settings feed with ../: refused with exit 3"
say
expect_contains "$err" "$T/xdg/wslctl/config:2" "settings feed with ../: names the file and line"
only_store "settings feed with ../"
not_installed "settings feed with ../"
printf '[update]\nfeed = github:o/..\n' >"$T/xdg/wslctl/config"
run $G --json kernel list
expect_rc 3 "settings feed github:o/..: refused with exit 3"
rm -f "$T/xdg/wslctl/config"

# --- 17.17: GITHUB_TOKEN only to the API base's /repos/ ---
printf '[update]\nreleases = %s\n' "$URL" >"$T/xdg/wslctl/config"
: >"$SERVER_LOG"
GITHUB_TOKEN=secret-token run $G --json kernel list --available $CA --feed "nuget:hgood@$URL/n/hgood/index.json"
expect_rc 0 "kernel list --available (NuGet on the API's host) exits 0"
if grep -q '"authorization": true' "$SERVER_LOG"; then
	not_ok "kernel list --available: GITHUB_TOKEN sent to the NuGet feed: $(grep '"authorization": true' "$SERVER_LOG")"
else
	ok "kernel list --available: GITHUB_TOKEN not sent to the NuGet feed"
fi
: >"$SERVER_LOG"
GITHUB_TOKEN=secret-token run $G --json kernel list --available $CA --feed "github:o/dnull@$URL"
if grep '/repos/o/dnull/releases' "$SERVER_LOG" | grep -q '"authorization": true'; then
	ok "kernel list --available: GITHUB_TOKEN sent to the API's /repos/"
else
	not_ok "kernel list --available: GITHUB_TOKEN not sent to /repos/: $(cat "$SERVER_LOG")"
fi
: >"$SERVER_LOG"
GITHUB_TOKEN=secret-token run $G --json update $CA --feed "nuget:hgood@$URL/n/hgood/index.json" --kernel-version 6.1.0-1
if grep -q '"authorization": true' "$SERVER_LOG"; then
	not_ok "update: GITHUB_TOKEN sent to the NuGet feed"
else
	ok "update: GITHUB_TOKEN not sent to the NuGet feed"
fi
rm -rf "$STORE" "$T/xdg/wslctl/config"
cp "$T/cfg.orig" "$CFG"

# --- 17.18: control characters from a server never reach the terminal ---
for mode in --json ""; do
	for c in esctag escasset escdigest escbody; do
		run $G $mode update $CA --feed "github:o/$c@$URL"
		if [ "$rc" -ne 0 ]; then ok "$c$mode: refused"; else not_ok "$c$mode: installed"; fi
		no_ctrl "$c$mode"
		say
	done
	run $G $mode update $CA --feed "nuget:hgood@$URL/n/hgood/index.json" \
		--kernel-version "$(printf '6.1.0-1\033]0;pwned\007')"
	no_ctrl "pinned version$mode"
	run $G $mode update $CA --feed "nuget:hgood@$URL/n/hgood/index.json" \
		--kernel-version "$(printf '9.9.9-\302\2332J')"
	no_ctrl "pinned version with C1$mode"
done
run $G update $CA --feed "github:o/esctag@$URL"
expect_contains "$err" '\x1b]0;pwned\x07' "the escaped tag is shown as \\xNN"
not_installed "control characters"
