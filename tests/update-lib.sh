# SPDX-License-Identifier: MIT
# Common set-up of the update/kernel e2e scripts: the loopback server, the feed
# generator, fast retries, and JSON field checks. Sourced after tests/lib.sh.
. "$TESTS_DIR/server/server.sh"

MKFEED="$TESTS_DIR/fixtures/update/mkfeed.py"
# Fast retries; wslpath is never the real one (the fixture machine maps ROOT/mnt/c to C:\).
export WSLCTL_RETRY_BASE_MS=10 WSLCTL_WSLPATH=/nonexistent/wslpath WSLCTL_WSL_EXE=/nonexistent/wsl.exe

# jget PATH: a field of the JSON in $out ("a.0.b"); null/true/false as JSON spells them.
jget() {
	printf '%s' "$out" | python3 -c '
import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1].split("."):
    v = v[int(k)] if isinstance(v, list) else v.get(k) if isinstance(v, dict) else None
print(json.dumps(v) if not isinstance(v, str) else v)' "$1" 2>/dev/null
}
expect_json() { # PATH VALUE NAME
	got=$(jget "$1")
	if [ "$got" = "$2" ]; then ok "$3"; else not_ok "$3 ($1 = '$got', wanted '$2'; stderr: $err)"; fi
}

# A fixture WSL machine under $T/root with a store in the Windows profile: sets ROOT,
# CFG, STORE and G (the global options), and install_pkg VERSION does an offline install
# of the package mkfeed.py made in $T/feed (verified by its SHA-256).
kernel_machine() {
	ROOT="$T/root"
	mkdir -p "$ROOT/mnt/c/Users/me" "$ROOT/proc/sys/kernel"
	echo "6.8.0-generic" >"$ROOT/proc/sys/kernel/osrelease"
	CFG="$ROOT/mnt/c/Users/me/.wslconfig"
	STORE="$ROOT/mnt/c/Users/me/wslctl"
	G="--root $ROOT --home $STORE --wslconfig $CFG"
}
install_pkg() {
	pkg="$T/feed/flat/microsoft.wsl.kernel/$1/microsoft.wsl.kernel.$1.nupkg"
	run $G --json update --feed "$pkg" --sha256 "$(sha256sum "$pkg" | cut -d' ' -f1)"
}

# offer_release ROUTES VERSION ROUTE: in the routes file ROUTES, WSL 2.9.9 is the latest
# release and brings kernel VERSION, whose package is served with ROUTE (JSON faults such
# as {"drop_after": 200, "times": 1}; "file" is filled in).
offer_release() {
	python3 - "$1" "$2" "$3" <<'EOS'
import base64, json, sys
p, v, route = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
r = json.load(open(p))
rel = "flat/microsoft.wsl.kernel/%s/microsoft.wsl.kernel.%s.nupkg" % (v, v)
route["file"] = rel
r["/" + rel] = route
r["/repos/microsoft/WSL/releases/latest"] = {"json": {"tag_name": "2.9.9", "name": "WSL 2.9.9"}}
cfg = "<packages><package id='Microsoft.WSL.Kernel' version='%s'/></packages>" % v
r["/repos/microsoft/WSL/contents/packages.config?ref=2.9.9"] = {
    "json": {"content": base64.b64encode(cfg.encode()).decode()}}
json.dump(r, open(p, "w"))
EOS
}
