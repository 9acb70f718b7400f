# SPDX-License-Identifier: MIT
# Long names: a key named on the command line has a length limit (usage error, exit 2,
# nothing touched, no lock left); a name read from a file round-trips byte for byte
# whatever its length (docs/wslconfig.md, Long names).
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/json-lib.sh"

# rep CHAR N: CHAR repeated N times.
rep() { head -c "$2" /dev/zero | tr '\0' "$1"; }
# only_file DIR NAME WHAT: DIR holds NAME and nothing else (no lock, no temp file).
only_file() {
	left=$(ls -A "$1")
	if [ "$left" = "$2" ]; then ok "$3"; else not_ok "$3 (left: $(echo "$left" | cut -c1-60 | tr '\n' ' '))"; fi
}

d="$T/a" && mkdir "$d"
printf '[wsl2]\r\nmemory=4GB\r\n' >"$d/.wslconfig"
cp "$d/.wslconfig" "$T/orig"
run --wslconfig "$d/.wslconfig" config set --force "$(rep s 300).x" 1
expect_rc 2 "set of a 300-character section is a usage error (it crashed)"
expect_contains "$err" "255" "the message says the limit"
same_file "$d/.wslconfig" "$T/orig" "the file is untouched"
only_file "$d" .wslconfig "no lock or temp file is left"

run --wslconfig "$d/.wslconfig" config set --force "wsl2.$(rep k 131000)" 1
expect_rc 2 "set of a 131000-character key is a usage error (it wrote a truncated key)"
same_file "$d/.wslconfig" "$T/orig" "nothing is written"
only_file "$d" .wslconfig "and no lock is left"

run --wslconfig "$d/.wslconfig" config get --force "wsl2.$(rep k 300)"
expect_rc 2 "get of a 300-character key is a usage error"
run --wslconfig "$d/.wslconfig" config set wsl2.memory 8GB --force "wsl2.$(rep k 251)" 1
expect_rc 2 "one long key among several refuses the whole set"
same_file "$d/.wslconfig" "$T/orig" "and writes none of them"

k250="wsl2.$(rep k 250)"
run --wslconfig "$d/.wslconfig" config set --force "$k250" 1
expect_rc 0 "a key of exactly 255 characters is accepted"
run --wslconfig "$d/.wslconfig" config get --force "$k250"
expect_out 1 "and reads back"

# unset of a 300-character key removed the 250-character one that shares its start.
printf '[wsl2]\r\n%s=1\r\n%s=2\r\nmemory=4GB\r\n' "$(rep k 250)" "$(rep k 300)" >"$d/.wslconfig"
cp "$d/.wslconfig" "$T/orig"
run --wslconfig "$d/.wslconfig" config unset "wsl2.$(rep k 300)"
expect_rc 2 "unset of a 300-character key is a usage error (it removed another key)"
same_file "$d/.wslconfig" "$T/orig" "the 250-character key is untouched"
only_file "$d" .wslconfig "no lock is left after a refused unset"
run --wslconfig "$d/.wslconfig" config unset "$k250"
expect_rc 0 "unset of the 250-character key"
printf '[wsl2]\r\n%s=2\r\nmemory=4GB\r\n' "$(rep k 300)" >"$T/want"
same_file "$d/.wslconfig" "$T/want" "removes exactly its line, the 300-character one stays"

# Names read from a file: no limit, byte for byte.
long=$(rep k 10000)
printf '# a comment\r\n[wsl2]\r\n%s = some value  # trailing\r\nmemory=4GB\r\n[%s]\r\nx=1\r\n' \
	"$long" "$(rep s 10000)" >"$d/.wslconfig"
cp "$d/.wslconfig" "$T/orig"
run --wslconfig "$d/.wslconfig" config list
expect_rc 0 "list of a file with a 10000-character key"
expect_contains "$err" "unknown key 'wsl2.$long'" "list names the whole key"
same_file "$d/.wslconfig" "$T/orig" "list leaves the file byte-identical"
run --json --wslconfig "$d/.wslconfig" config validate
expect_json "any(x['code']=='unknown-key' and x['key']=='wsl2.'+'k'*10000 and 'k'*10000 in x['message'] for x in j['diagnostics'])" \
	"validate reports the whole 10000-character key"
expect_json "any(x['code']=='unknown-key' and x['key']=='s'*10000+'.x' for x in j['diagnostics'])" \
	"and the whole 10000-character section"
same_file "$d/.wslconfig" "$T/orig" "validate leaves the file byte-identical"
run --wslconfig "$d/.wslconfig" config set wsl2.memory 8GB
expect_rc 0 "set of another key beside a 10000-character key"
sed 's/memory=4GB/memory=8GB/' "$T/orig" >"$T/want"
same_file "$d/.wslconfig" "$T/want" "only that value changed; the long lines are byte-identical"
only_file "$d" .wslconfig "no lock is left after the write"

# merge reads names from a file: they round-trip too, never cut.
printf '[wsl2]\r\nmemory=4GB\r\n' >"$d/.wslconfig"
printf '[wsl2]\n%s=1\n[%s]\ny=2\n' "$(rep k 300)" "$(rep s 300)" >"$T/frag"
run --wslconfig "$d/.wslconfig" config merge --force "$T/frag"
expect_rc 0 "merge of a fragment with 300-character names"
printf '[wsl2]\r\nmemory=4GB\r\n%s=1\r\n\r\n[%s]\r\ny=2\r\n' "$(rep k 300)" "$(rep s 300)" >"$T/want"
if cmp -s "$d/.wslconfig" "$T/want" ||
	printf '[wsl2]\r\nmemory=4GB\r\n%s=1\r\n[%s]\r\ny=2\r\n' "$(rep k 300)" "$(rep s 300)" | cmp -s - "$d/.wslconfig"; then
	ok "merge writes the long names whole"
else
	not_ok "merge writes the long names whole ($(awk '{print length($0)}' "$d/.wslconfig" | tr '\n' ' '))"
fi
run --wslconfig "$d/.wslconfig" config merge --force "$T/frag"
expect_rc 0 "merging it again"
expect_contains "$err$out" "nothing" "finds the long names already set"
