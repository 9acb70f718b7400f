# SPDX-License-Identifier: MIT
# config get/set/unset/list/merge/path on real files, with docs/cli.md's JSON shapes and exit codes.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/json-lib.sh"
FX="$TESTS_DIR/fixtures/wslconfig"
cfg="$T/.wslconfig"
export WSLCTL_WSLCONFIG="$cfg"

cp "$FX/docs-sample-crlf.wslconfig" "$cfg"
run config get wsl2.memory
expect_rc 0 "get of a present key exits 0"
expect_out "4GB" "get prints the value as WSL reads it (trailing blank trimmed)"
run --json config get wsl2.memory
expect_json 'j=={"ok":True,"key":"wsl2.memory","value":"4GB","valid":True,"effective":4294967296,"line":5,"source":"file"}' \
	"get --json: value, typed effective value, line, source"
run config get wsl2.kernel
expect_out 'C:\temp\myCustomKernel' "get decodes escapes"
run --json config get WSL2.VirtioFS
expect_json 'j["key"]=="wsl2.virtiofs" and j["value"]=="false" and j["effective"] is False and j["line"] is None and j["source"]=="default"' \
	"get of an absent key gives the default, case-insensitively"
run --json config get wsl2.swap
run config get wsl2.processors
expect_out "2" "get of an int"

printf '[wsl2]\nmemory=8gb\n' >"$T/bad.wslconfig"
run --json --wslconfig "$T/bad.wslconfig" config get wsl2.memory
expect_rc 1 "get of an invalid value exits 1"
expect_json 'j["valid"] is False and j["effective"] is None and j["value"]=="8gb" and j["ok"] is False' \
	"get --json marks the value invalid"
expect_contains "$err" "bad.wslconfig:2" "get says where the invalid value is"
run config get wsl2.memroy
expect_rc 2 "get of an unknown key is a usage error"
expect_contains "$err" "wsl2.memory" "an unknown key gets a suggestion"

# set then unset of an absent key gives the original bytes back.
cp "$cfg" "$T/orig"
run --json config set wsl2.virtiofs true
expect_rc 0 "set exits 0"
expect_json 'set(j)=={"ok","changed","file","changes","restart_required"} and j["changes"]==[{"key":"wsl2.virtiofs","old":None,"new":"true"}] and j["changed"] is True' \
	"set --json has docs/cli.md's shape"
run config unset wsl2.virtiofs
same_file "$cfg" "$T/orig" "set then unset of an absent key restores the original bytes"
run --json config unset wsl2.virtiofs
expect_json 'j["changed"] is False and j["changes"]==[]' "unset of an absent key changes nothing"

# Values are escaped as WSL needs; --raw writes them verbatim.
run config set wsl2.kernel 'C:\Users\me\bzImage'
expect_contains "$(cat "$cfg")" 'kernel=C:\\Users\\me\\bzImage' "backslashes are doubled"
run config get wsl2.kernel
expect_out 'C:\Users\me\bzImage' "and read back as given"
run config set wsl2.kernelCommandLine ' quiet # loud '
expect_contains "$(cat "$cfg")" 'kernelCommandLine = " quiet # loud "' "a value with # or edge spaces is quoted in place"
run config set --raw wsl2.swapFile 'C:/swap.vhdx'
expect_contains "$(cat "$cfg")" 'swapfile=C:/swap.vhdx' "--raw writes verbatim, keeping the key's spelling"
run config set wsl2.kernel /mnt/c/kernels/bzImage
expect_contains "$(cat "$cfg")" 'kernel=C:\\kernels\\bzImage' "a Linux path becomes a Windows path"

# Several keys in one write; one bad value and nothing is written.
cp "$cfg" "$T/before"
run --json config set wsl2.memory 8GB wsl2.processors lots
expect_rc 3 "an invalid value in a multi-key set exits 3"
expect_contains "$out" '"invalid-value"' "the error code is invalid-value"
same_file "$cfg" "$T/before" "nothing is written when one value is refused"
run --json config set wsl2.memory 8GB wsl2.processors 4 experimental.sparseVhd false
expect_json 'len(j["changes"])==3 and j["changes"][1]=={"key":"wsl2.processors","old":"2","new":"4"}' "a multi-key set reports every change"
run config set wsl2.memory 8GB wsl2.processors
expect_rc 2 "a key without a value is a usage error"
run config set wsl2.nosuch 1
expect_rc 2 "set of an unknown key is refused"
run --json config set --force wsl2.nosuch 1
expect_rc 0 "--force writes an unknown key"
run config set wsl2.kernelCommandLine 'café'
expect_rc 3 "a non-ASCII value is refused"
run config set --force wsl2.kernelCommandLine 'café'
expect_rc 0 "--force writes a non-ASCII value"

# unset removes every occurrence, old spellings included.
printf '[experimental]\r\nnetworkingMode=mirrored\r\n[wsl2]\r\nnetworkingMode=nat\r\nswap=0\r\n' >"$cfg"
run config get wsl2.networkingMode
expect_out "mirrored" "the old spelling that comes first is what WSL reads"
run config set wsl2.networkingMode Nat
expect_contains "$(cat "$cfg")" "networkingMode=Nat" "set edits the occurrence WSL reads"
run config unset wsl2.networkingMode
printf '[experimental]\r\n[wsl2]\r\nswap=0\r\n' >"$T/want"
same_file "$cfg" "$T/want" "unset removes every spelling"

# merge applies a fragment in one write.
printf '[wsl2]\nmemory=6GB\nvirtiofs=true\n[experimental]\nautoMemoryReclaim=gradual\n' >"$T/frag"
run --json config merge "$T/frag"
expect_rc 0 "merge exits 0"
expect_json 'len(j["changes"])==3' "merge reports each key it set"
run config get experimental.autoMemoryReclaim
expect_out "gradual" "merge wrote the fragment's keys"
printf '[wsl2]\nswap=1GB\nmemory=lots\n' >"$T/frag2"
cp "$cfg" "$T/before"
run config merge "$T/frag2"
expect_rc 3 "a fragment with a bad value is refused"
expect_contains "$err" "frag2:3" "the refusal names the fragment's file and line"
same_file "$cfg" "$T/before" "a refused merge writes nothing"

# list
run --json config list
expect_json 'any(k["key"]=="wsl2.memory" and k["value"]=="6GB" and k["source"]=="file" for k in j["keys"])' "list shows the file's keys"
run --json config list --all
expect_json 'any(k["key"]=="wsl2.vmIdleTimeout" and k["source"]=="default" and k["effective"]==60000 for k in j["keys"])' "list --all adds the defaults"

# path, and the command line itself.
run --json config path
expect_json 'j["file"].endswith(".wslconfig") and j["source"]=="env" and j["exists"] is True' "config path says which file and how it was found"
run config path --file /etc/wsl.conf
expect_out "/etc/wsl.conf" "--file picks another file"
run config --version
expect_rc 2 "config rejects options it does not have"
run config frobnicate
expect_rc 2 "an unknown verb is a usage error"
unset WSLCTL_WSLCONFIG
run --root "$T" config get wsl2.memory
expect_rc 2 "outside WSL the .wslconfig must be given"
expect_contains "$err" "--wslconfig" "and the message says how"

# Encodings and line endings survive a round trip byte for byte; --dry-run writes nothing.
export WSLCTL_WSLCONFIG="$cfg"
for f in utf8-bom utf16le-bom no-final-newline docs-sample-crlf; do
	cp "$FX/$f.wslconfig" "$cfg"
	run config set wsl2.telemetry false wsl2.virtiofs true
	run config unset wsl2.telemetry wsl2.virtiofs
	same_file "$cfg" "$FX/$f.wslconfig" "$f: set then unset of absent keys gives the same bytes"
done
cp "$FX/utf16le-bom.wslconfig" "$cfg"
run config set wsl2.memory 2GB
run config get wsl2.memory
expect_out "2GB" "a UTF-16 LE file is read and written"
if [ "$(head -c 2 "$cfg" | od -An -tx1 | tr -d ' ')" = fffe ]; then ok "and keeps its BOM"; else not_ok "and keeps its BOM"; fi
cp "$FX/utf8-bom.wslconfig" "$cfg"
run -n --json config set wsl2.memory 1GB
expect_json 'j["changed"] is True and j["dry_run"] is True and j["changes"][0]["new"]=="1GB"' "--dry-run reports what set would change"
same_file "$cfg" "$FX/utf8-bom.wslconfig" "--dry-run writes nothing"
