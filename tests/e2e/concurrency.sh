# SPDX-License-Identifier: MIT
# Concurrency: 32 processes set 32 different keys of one .wslconfig at the same moment,
# while readers copy the file and run `config get` in a loop. Afterwards all 32 keys
# are there and `config validate` is clean; every copy a reader took is a complete
# state: the original lines in order plus some of the 32 new lines, nothing torn.
. "$TESTS_DIR/lib.sh"

# Under valgrind (make valgrind) 32 writers queue for minutes, beyond the 10 s a writer
# waits for the lock: that would test valgrind's speed, not wslctl.
if [ -n "${VG_BIN:-}" ]; then
	ok "# SKIP 32 writers are timed on the plain binary"
	exit 0
fi

CFG="$T/.wslconfig"
printf '# mine\r\n[wsl2]\r\nmemory=4GB\r\n\r\n[experimental]\r\nsparseVhd=true\r\n' >"$CFG"
cp "$CFG" "$T/orig"
# 32 real keys with a value WSL accepts (their defaults), none of them already set.
"$WSLCTL" --wslconfig "$T/empty.wslconfig" config list --all 2>/dev/null |
	sed -n 's/^\([a-z0-9]*\.[A-Za-z0-9]*\)=\([^ ]\{1,\}\)  (default)$/\1 \2/p' |
	grep -v -e '^wsl2\.memory ' -e '^experimental\.sparseVhd ' | head -32 >"$T/keys"
nkeys=$(wc -l <"$T/keys")
if [ "$nkeys" -eq 32 ]; then ok "32 keys to write"; else not_ok "only $nkeys keys with defaults"; fi

# Readers: until the writers are done, copy the file and read a key.
: >"$T/done"
rm -f "$T/done"
reader() {
	i=0
	while [ ! -e "$T/done" ]; do
		i=$((i + 1))
		cp "$CFG" "$T/snap.$1.$i" 2>/dev/null
		"$WSLCTL" --wslconfig "$CFG" config get wsl2.memory >"$T/get.$1.$i" 2>&1 ||
			echo "exit $?" >>"$T/get.$1.$i"
	done
}
reader 1 &
r1=$!
reader 2 &
r2=$!

# The writers start together: each waits for the go file.
n=0
pids=""
while read -r key value; do
	n=$((n + 1))
	(
		while [ ! -e "$T/go" ]; do :; done
		"$WSLCTL" --wslconfig "$CFG" config set "$key" "$value" >"$T/w.$n" 2>&1 ||
			echo "exit $?" >>"$T/w.$n"
	) &
	pids="$pids $!"
done <"$T/keys"
sleep 0.2
: >"$T/go"
for p in $pids; do wait "$p"; done
: >"$T/done"
wait "$r1" "$r2"

failed=$(grep -l '^exit ' "$T"/w.* 2>/dev/null | wc -l)
if [ "$failed" -eq 0 ]; then ok "all 32 writers exit 0"; else not_ok "$failed writers failed: $(cat $(grep -l '^exit ' "$T"/w.* | head -1))"; fi
missing=0
while read -r key value; do
	got=$("$WSLCTL" --wslconfig "$CFG" config get "$key" 2>&1)
	if [ "$got" != "$value" ]; then
		missing=$((missing + 1))
		echo "# $key: '$got', wanted '$value'"
	fi
done <"$T/keys"
if [ "$missing" -eq 0 ]; then ok "all 32 keys present afterwards"; else not_ok "$missing of 32 keys lost"; fi
run --wslconfig "$CFG" config validate
expect_rc 0 "config validate is clean afterwards"
lines=$(tr -d '\r' <"$CFG" | grep -c '=')
if [ "$lines" -eq 34 ]; then ok "each key written once (34 key lines)"; else not_ok "$lines key lines, wanted 34"; fi

# Every snapshot: the original lines in their order, plus only lines of new keys.
python3 - "$T" <<'PY'
import glob, os, sys
t = sys.argv[1]
orig = open(os.path.join(t, "orig"), "rb").read().split(b"\r\n")
keys = {}
for line in open(os.path.join(t, "keys")):
    k, v = line.split()
    keys[k.split(".")[1].encode()] = v.encode()
bad = 0
snaps = glob.glob(os.path.join(t, "snap.*"))
for s in snaps:
    data = open(s, "rb").read()
    if not data.endswith(b"\r\n"):
        bad += 1
        print("# %s: torn (no final line end)" % s)
        continue
    rest = list(orig)
    for line in data.split(b"\r\n"):
        if rest and line == rest[0]:
            rest.pop(0)
        elif b"=" in line and keys.get(line.split(b"=")[0]) == line.split(b"=", 1)[1]:
            pass
        else:
            bad += 1
            print("# %s: unexpected line %r" % (s, line))
            break
    else:
        if rest:
            bad += 1
            print("# %s: original lines missing: %r" % (s, rest))
print("snapshots %d bad %d" % (len(snaps), bad))
sys.exit(1 if bad or not snaps else 0)
PY
if [ $? -eq 0 ]; then ok "every copy taken during the writes is a complete file"; else not_ok "a reader saw a torn or foreign file"; fi
badget=$(grep -L '^4GB$' "$T"/get.* 2>/dev/null | wc -l)
total=$(ls "$T"/get.* 2>/dev/null | wc -l)
if [ "$badget" -eq 0 ] && [ "$total" -gt 0 ]; then
	ok "all $total reads during the writes saw wsl2.memory=4GB"
else
	not_ok "$badget of $total reads during the writes failed: $(cat "$(grep -L '^4GB$' "$T"/get.* | head -1)")"
fi
