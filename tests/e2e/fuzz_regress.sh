# SPDX-License-Identifier: MIT
# Regressions found by the fuzzers (tests/fuzz/corpus/*/regress-*), through the CLI.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/server/server.sh"

MKFEED="$TESTS_DIR/fixtures/update/mkfeed.py"
export WSLCTL_RETRY_BASE_MS=10 WSLCTL_WSLPATH=/nonexistent/wslpath WSLCTL_WSL_EXE=/nonexistent/wsl.exe

# fuzz_feed: a GitHub release asset with a malformed "digest" freed the release list
# before the error message named the asset (use after free in feed_github.c).
python3 "$MKFEED" "$T/gh" --kernel 6.18.35.2-1 || exit 1
python3 - "$T/gh/routes.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for rel in r["/repos/owner/kernels/releases"]["json"]:
    for a in rel["assets"]:
        if a.get("digest"):
            a["digest"] = "sha256:not-hex"
json.dump(r, open(sys.argv[1], "w"))
PY
server_start --root "$T/gh" --routes "$T/gh/routes.json" || exit 1
mkdir -p "$T/root/mnt/c/gh"
run --root "$T/root" --home "$T/root/mnt/c/gh" --wslconfig "$T/gh.wslconfig" --json \
	update --feed "github:owner/kernels@$SERVER_URL"
expect_rc 3 "malformed asset digest: exit 3"
expect_contains "$out" "owner/kernels: asset wsl-kernel" "malformed asset digest: the error names the asset"
if [ ! -d "$T/root/mnt/c/gh/versions" ] || [ -z "$(ls "$T/root/mnt/c/gh/versions")" ]; then
	ok "malformed asset digest: nothing installed"
else
	not_ok "malformed asset digest: installed $(ls "$T/root/mnt/c/gh/versions")"
fi

# fuzz_feed: releases without a version gave qsort a NULL array (undefined behaviour
# that UBSan stops on); an empty store list did the same.
mkdir -p "$T/none"
cat >"$T/none/routes.json" <<'JSON'
{"/repos/owner/none/releases": {"json": [{"tag_name": "nightly", "name": "nightly", "assets": []}]}}
JSON
server_start --root "$T/none" --routes "$T/none/routes.json" || exit 1
run --root "$T/root" --home "$T/root/mnt/c/none" --wslconfig "$T/none.wslconfig" --json \
	kernel list --available --feed "github:owner/none@$SERVER_URL"
expect_rc 0 "no versioned release: kernel list --available exits 0"
expect_contains "$out" '"installed":[]' "no versioned release: empty store listed"
expect_contains "$out" '"available":[]' "no versioned release: nothing available"
