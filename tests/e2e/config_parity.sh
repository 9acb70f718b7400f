# SPDX-License-Identifier: MIT
# Parity with WSL's own .wslconfig parser: every tests/fixtures/wslconfig/parity/NAME.wslconfig
# is read by `config validate --json` and `config list --json`, and what WSL says and uses
# (warnings/errors with their lines, each key's value, validity and effective value) must
# equal NAME.expect, written from WSL's parser and key table, not from wslctl's output.
# PARITY_REGEN=1 rewrites the .expect files (review every diff against WSL's source).
. "$TESTS_DIR/lib.sh"

PX="$TESTS_DIR/fixtures/wslconfig/parity"

# summarize VALIDATE_JSON LIST_JSON: one line per WSL diagnostic, then one per key.
summarize() {
	python3 - "$1" "$2" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
l = json.load(open(sys.argv[2]))
for d in v["diagnostics"]:
    if d["severity"] != "notice":
        print("D", d["line"], d["severity"], d["code"], d["key"] or "-")
for k in l["keys"]:
    print("K", k["key"], "valid" if k["valid"] else "invalid", json.dumps(k["value"]),
          json.dumps(k["effective"]), k["line"])
PY
}

n=0
for f in "$PX"/*.wslconfig; do
	name=$(basename "$f" .wslconfig)
	cp "$f" "$T/$name.wslconfig"
	"$WSLCTL" --json --wslconfig "$T/$name.wslconfig" config validate >"$T/v.json" 2>/dev/null
	vrc=$?
	"$WSLCTL" --json --wslconfig "$T/$name.wslconfig" config list >"$T/l.json" 2>/dev/null
	{ echo "exit $vrc"; summarize "$T/v.json" "$T/l.json"; } >"$T/got" 2>&1
	if [ "${PARITY_REGEN:-}" = 1 ]; then
		cp "$T/got" "$PX/$name.expect"
	fi
	if cmp -s "$T/got" "$PX/$name.expect"; then
		ok "parity: $name reads as WSL reads it"
	else
		not_ok "parity: $name: $(diff "$PX/$name.expect" "$T/got" | tr '\n' ' ')"
	fi
	same_file "$f" "$T/$name.wslconfig" "parity: $name is left byte-identical by reading"
	n=$((n + 1))
done
[ "$n" -ge 30 ] && ok "parity: $n cases ran" || not_ok "parity: only $n cases found"
