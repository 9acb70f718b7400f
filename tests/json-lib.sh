# SPDX-License-Identifier: MIT
# JSON checks over the stdout of the last `run` (saved in $T/.out), for the
# config/enable e2e scripts. Sourced after tests/lib.sh.

# json FILE EXPR: evaluates a Python expression over the JSON object in FILE as j.
json() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2"
}
expect_json() { # EXPR NAME
	if json "$T/.out" "$1"; then ok "$2"; else not_ok "$2 (stdout: $out)"; fi
}
