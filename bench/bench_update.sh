#!/bin/sh
# SPDX-License-Identifier: MIT
# `wslctl update` of a 256 MiB kernel package over loopback (resolve, download, verify,
# extract, install, activate) against what a careful user would run on the same package:
# `curl -o` + `sha512sum` + `bsdtar -x`. Median of several runs (hyperfine), each from an
# empty store. Target: ours/baseline <= 0.8, since we read the bytes once.
# Two rows: a stored zip of 256 MiB (the best case: nothing to inflate), and a package
# shaped like Microsoft's: deflate-compressed, a 14 MiB kernel and a 240 MiB modules.vhd
# two thirds of which compress well (mkfeed.py --realistic). The archive's CRC checks
# are on in both.
# Peak RSS (GNU time %M) for a 64 MiB and a 512 MiB package. Target: <= 16 MiB for both,
# and the same for both (memory must not grow with the package).
set -eu
: "${WSLCTL:?}" "${BENCH_DIR:?}"
top=$(cd "$BENCH_DIR/.." && pwd)
tmp=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
runs=${BENCH_RUNS:-5}
export NO_COLOR=1 XDG_CONFIG_HOME="$tmp/xdg" WSLCTL_SYSTEM_CONFIG="$tmp/none"
export WSLCTL_WSLPATH=/nonexistent/wslpath
MiB=1048576

# Packages: modules.vhd of SIZE random bytes (incompressible, stored: real VHDs barely
# compress, and the baseline's bsdtar then does no more work than we do).
python3 "$top/tests/fixtures/update/mkfeed.py" "$tmp/feed" --stored --size $((256 * MiB)) \
	--kernel 6.18.256.1-1:noarm >/dev/null
python3 "$top/tests/fixtures/update/mkfeed.py" "$tmp/feed64" --stored --size $((64 * MiB)) \
	--kernel 6.18.64.1-1:noarm >/dev/null
python3 "$top/tests/fixtures/update/mkfeed.py" "$tmp/feed512" --stored --size $((512 * MiB)) \
	--kernel 6.18.512.1-1:noarm >/dev/null
python3 "$top/tests/fixtures/update/mkfeed.py" "$tmp/feed254" --realistic \
	--kernel 6.18.254.1-1:noarm >/dev/null
for v in 64 512 254; do
	mkdir -p "$tmp/feed/flat/microsoft.wsl.kernel/6.18.$v.1-1" "$tmp/feed/reg/microsoft.wsl.kernel"
	mv "$tmp/feed$v/flat/microsoft.wsl.kernel/6.18.$v.1-1/"* "$tmp/feed/flat/microsoft.wsl.kernel/6.18.$v.1-1/"
	mv "$tmp/feed$v/reg/microsoft.wsl.kernel/"* "$tmp/feed/reg/microsoft.wsl.kernel/"
	mv "$tmp/feed$v/catalog/"* "$tmp/feed/catalog/"
	rm -rf "$tmp/feed$v"
done
printf '{"versions":["6.18.64.1-1","6.18.254.1-1","6.18.256.1-1","6.18.512.1-1"]}' \
	>"$tmp/feed/flat/microsoft.wsl.kernel/index.json"

# The server streams packages without hashing them for an ETag (the same for both sides;
# it would only add the server's own cost to each).
python3 - "$tmp/feed/routes.json" <<'EOS'
import json, sys
r = json.load(open(sys.argv[1]))
for v in ("64", "254", "256", "512"):
    rel = "flat/microsoft.wsl.kernel/6.18.%s.1-1/microsoft.wsl.kernel.6.18.%s.1-1.nupkg" % (v, v)
    r["/" + rel] = {"file": rel, "etag": False}
json.dump(r, open(sys.argv[1], "w"))
EOS
python3 "$top/tests/server/server.py" --root "$tmp/feed" --routes "$tmp/feed/routes.json" \
	--port-file "$tmp/port" >/dev/null &
pid=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
url="http://127.0.0.1:$(cat "$tmp/port")"
mkdir -p "$tmp/mnt/c"
ours() { # VERSION: the whole update into an empty store
	echo "$WSLCTL --root $tmp --home $tmp/mnt/c/store --wslconfig $tmp/mnt/c/.wslconfig -q update --releases $url --feed nuget:Microsoft.WSL.Kernel@$url/nuget/index.json --kernel-version $1"
}
clean="rm -rf $tmp/mnt/c/store $tmp/mnt/c/.wslconfig $tmp/base"
median() {
	python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$1"
}

# row NAME VERSION: both sides on one package, each checked to work before it is timed.
row() {
	pkg="$url/flat/microsoft.wsl.kernel/$2/microsoft.wsl.kernel.$2.nupkg"
	sh -c "$clean"
	$(ours "$2")
	[ -s "$tmp/mnt/c/store/versions/$2/modules.vhd" ]
	cat >"$tmp/baseline.sh" <<EOF
set -e
mkdir -p $tmp/base/x
curl -sSf -o $tmp/base/p.nupkg $pkg
sha512sum $tmp/base/p.nupkg >/dev/null
bsdtar -xf $tmp/base/p.nupkg -C $tmp/base/x
EOF
	sh -c "$clean"
	sh "$tmp/baseline.sh"
	[ -s "$tmp/base/x/build/native/bin/x64/modules.vhd" ]
	hyperfine -N -w 1 -r "$runs" --prepare "sh -c '$clean'" --export-json "$tmp/b.json" \
		"sh $tmp/baseline.sh" >/dev/null 2>&1
	hyperfine -N -w 1 -r "$runs" --prepare "sh -c '$clean'" --export-json "$tmp/o.json" \
		"$(ours "$2")" >/dev/null 2>&1
	base=$(median "$tmp/b.json")
	mine=$(median "$tmp/o.json")
	sh -c "$clean"
	rss_base=$(/usr/bin/time -f %M sh "$tmp/baseline.sh" 2>&1 >/dev/null | tail -1)
	sh -c "$clean"
	/usr/bin/time -f %M -o "$tmp/rss" $(ours "$2") >/dev/null 2>&1
	rss_ours=$(cat "$tmp/rss")
	python3 -c '
import sys
b, o = float(sys.argv[2]), float(sys.argv[3])
r = o / b
print("%s | curl+sha512sum+bsdtar %.0f ms | %.0f ms | %.2fx | <= 0.8x | %s | %.1f / %.1f MiB"
      % (sys.argv[1], b, o, r, "ok" if r <= 0.8 else "SLOW", int(sys.argv[4]) / 1024, int(sys.argv[5]) / 1024))
sys.exit(0 if r <= 0.8 else 1)' "$1" "$base" "$mine" "$rss_base" "$rss_ours"
}

status=0
row "update 256 MiB stored zip (loopback)" 6.18.256.1-1 || status=1
row "update 254 MiB deflate package, NuGet layout (loopback)" 6.18.254.1-1 || status=1

rss() { # VERSION: peak RSS in KiB of one update into an empty store
	sh -c "$clean"
	/usr/bin/time -f %M -o "$tmp/rss" $(ours "$1") >/dev/null 2>&1
	cat "$tmp/rss"
}
r64=$(rss 6.18.64.1-1)
r512=$(rss 6.18.512.1-1)
python3 -c '
import sys
a, b = int(sys.argv[1]) / 1024, int(sys.argv[2]) / 1024
good = a <= 16 and b <= 16 and b <= a * 1.1 + 0.5
print("update peak RSS, 64 vs 512 MiB package | 64 MiB: %.1f MiB | 512 MiB: %.1f MiB | %.2fx | <= 16 MiB, flat | %s | %.1f / %.1f MiB"
      % (a, b, b / a, "ok" if good else "FAIL", a, b))
sys.exit(0 if good else 1)' "$r64" "$r512" || status=1
exit $status
