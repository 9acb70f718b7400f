# SPDX-License-Identifier: MIT
# Common set-up of the build e2e scripts: fixtures, a private cache and data folder,
# and helpers over trees and JSON. Sourced after tests/lib.sh.
FIX="$TESTS_DIR/fixtures"
export XDG_CACHE_HOME="$T/cache" WSLCTL_DATA_DIR="$T/data"

# Every file and folder of a tree with its checksum: "exactly as before" is this equal.
sums() { (cd "$1" && find . | LC_ALL=C sort | while IFS= read -r f; do
	if [ -L "$f" ]; then echo "link $f -> $(readlink "$f")"
	elif [ -f "$f" ]; then sha256sum "$f"; else echo "other $f"; fi; done); }
# jget EXPR: a Python expression over the JSON on stdin as d, printed.
jget() { python3 -c 'import json,sys; d=json.load(sys.stdin); exec("print(" + sys.argv[1] + ")")' "$1"; }
