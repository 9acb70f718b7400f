# SPDX-License-Identifier: MIT
# Hostile entries in the store's cache/ (a FIFO, a link to an endless device) are cache
# misses, never waited on or read forever; GITHUB_TOKEN never leaves /repos/ through a
# dot segment or an encoded one.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/update-lib.sh"

kernel_machine
V=6.6.40.1-1
python3 "$MKFEED" "$T/feed" --kernel $V >/dev/null || exit 1
python3 - "$T/feed" <<'PY' || exit 1
import json, sys
out = sys.argv[1]
routes = json.load(open(out + "/routes.json"))
for case, url in [("dot", "{base}/repos/../leak1"), ("enc", "{base}/repos/%2e%2e/leak2"),
                  ("slash", "{base}/repos%2f..%2fleak3"), ("dot2", "{base}/repos/x/./../../leak4")]:
    routes["/repos/o/%s/releases" % case] = {"json": [
        {"tag_name": "v6.6.40.1-1", "name": "Kernel", "draft": False, "prerelease": False,
         "assets": [{"name": "wsl-kernel-6.6.40.1-1-x64.nupkg", "size": 10,
                     "digest": "sha256:" + "0" * 64, "browser_download_url": url}]}]}
json.dump(routes, open(out + "/routes.json", "w"), indent=1)
PY
server_start --root "$T/feed" --routes "$T/feed/routes.json" || exit 1
URL=$SERVER_URL
FEED="--releases $URL --feed nuget:Microsoft.WSL.Kernel@$URL/nuget/index.json"
PKG="$STORE/cache/microsoft.wsl.kernel.$V.nupkg"

# run_t: run, but a hang is killed after 20 s (rc 137) instead of stalling the suite.
run_t() {
	timeout -s KILL 10 "$WSLCTL" "$@" >"$T/.out" 2>"$T/.err"
	rc=$?
	out=$(cat "$T/.out")
	err=$(cat "$T/.err")
}
fresh() { rm -rf "$STORE"; mkdir -p "$STORE/cache"; }
is_regular() { if [ -f "$1" ] && [ ! -L "$1" ]; then ok "$2"; else not_ok "$2: $(ls -l "$1" 2>&1)"; fi; }

# --- a FIFO, or a link to /dev/zero, where the cached package goes ---
fresh
mkfifo "$PKG"
run_t $G --json update $FEED --kernel-version $V
expect_rc 0 "FIFO at the cached package: a cache miss, installed"
is_regular "$PKG" "FIFO at the cached package: replaced by the download"
fresh
ln -s /dev/zero "$PKG"
run_t $G --json update $FEED --kernel-version $V
expect_rc 0 "link to /dev/zero at the cached package: a cache miss, installed"
is_regular "$PKG" "link to /dev/zero: replaced by the download"

# --- a FIFO at the partial download and its validator ---
fresh
mkfifo "$PKG.part" "$PKG.part.etag"
run_t $G --json update $FEED --kernel-version $V
expect_rc 0 "FIFO at .part and .part.etag: a cache miss, installed"
is_regular "$PKG" "FIFO at .part: the package downloaded"

# --- FIFOs among the cached answers (cache/meta) ---
fresh
run_t $G --json update $FEED --kernel-version $V
expect_rc 0 "update fills the cache"
n=0
for f in "$STORE"/cache/meta/*; do
	[ -f "$f" ] || continue
	rm -f "$f" && mkfifo "$f" && n=$((n + 1))
done
if [ "$n" -gt 0 ]; then ok "cache/meta: $n entries made FIFOs"; else not_ok "cache/meta: no entry to replace"; fi
run_t $G --json kernel list --available --feed "nuget:Microsoft.WSL.Kernel@$URL/nuget/index.json"
expect_rc 0 "kernel list --available with FIFOs in cache/meta: exits 0"
run_t $G --json update $FEED --kernel-version $V
expect_rc 0 "update with FIFOs in cache/meta: exits 0"

# --- GITHUB_TOKEN and dot segments ---
for c in dot enc slash dot2; do
	: >"$SERVER_LOG"
	fresh
	GITHUB_TOKEN=secret-token run_t $G --json update --releases "$URL" --feed "github:o/$c@$URL"
	if grep '/repos/o/'$c'/releases' "$SERVER_LOG" | grep -q '"authorization": true'; then
		ok "$c: GITHUB_TOKEN sent to /repos/"
	else
		not_ok "$c: GITHUB_TOKEN not sent to /repos/ at all: $(cat "$SERVER_LOG")"
	fi
	if grep -v '/repos/o/'$c'/releases' "$SERVER_LOG" | grep -q '"authorization": true'; then
		not_ok "$c: GITHUB_TOKEN left /repos/: $(grep '"authorization": true' "$SERVER_LOG")"
	else
		ok "$c: GITHUB_TOKEN kept within /repos/"
	fi
done
