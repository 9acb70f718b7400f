# SPDX-License-Identifier: MIT
# enable/disable virtiofs on real files: creation, idempotence, JSON, locks, links, modes.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/json-lib.sh"

cfg="$T/.wslconfig"
run --json --wslconfig "$cfg" enable virtiofs
expect_rc 0 "enable on a missing .wslconfig succeeds"
printf '[wsl2]\r\nvirtiofs=true\r\n' >"$T/want"
same_file "$cfg" "$T/want" "a missing .wslconfig is created as UTF-8 without BOM, CRLF"
expect_json 'set(j)=={"ok","changed","key","value","file","restart_required"} and j["changed"] is True and j["restart_required"] is True and j["key"]=="wsl2.virtiofs" and j["value"]=="true"' \
	"enable --json has docs/cli.md's shape"
cp "$cfg" "$T/before"
run --json --wslconfig "$cfg" enable virtiofs
expect_rc 0 "enable twice exits 0"
same_file "$cfg" "$T/before" "the second enable leaves the file byte-identical"
expect_json 'j["changed"] is False and j["restart_required"] is False' "the second enable reports changed:false"

run --wslconfig "$cfg" disable virtiofs
expect_rc 0 "disable where it is true"
printf '[wsl2]\r\nvirtiofs=false\r\n' >"$T/want"
same_file "$cfg" "$T/want" "disable writes false in place"

rm -f "$cfg"
run --json --wslconfig "$cfg" disable virtiofs
expect_rc 0 "disable with no .wslconfig exits 0"
expect_json 'j["changed"] is False' "disable with no key reports no change"
if [ -e "$cfg" ]; then not_ok "disable on a missing file creates nothing"; else ok "disable on a missing file creates nothing"; fi
printf '[wsl2]\nmemory=4GB\n' >"$cfg"
cp "$cfg" "$T/before"
run --wslconfig "$cfg" disable virtiofs
same_file "$cfg" "$T/before" "disable where the key is absent writes nothing"

# An existing file keeps every other byte, its line endings, a missing final newline.
printf '# mine\r\n[wsl2]\r\nmemory=4GB # half\r\n\r\n[experimental]\r\nsparseVhd=true' >"$cfg"
run --wslconfig "$cfg" enable virtiofs
printf '# mine\r\n[wsl2]\r\nmemory=4GB # half\r\nvirtiofs=true\r\n\r\n[experimental]\r\nsparseVhd=true' >"$T/want"
same_file "$cfg" "$T/want" "enable inserts in [wsl2] after its last key, CRLF kept"
printf '[wsl2]\nVirtioFS = True   # on\n' >"$cfg"
cp "$cfg" "$T/before"
run --json --wslconfig "$cfg" enable virtiofs
same_file "$cfg" "$T/before" "a key that already reads true (any case) is left alone"

run -n --json --wslconfig "$cfg" disable virtiofs
expect_json 'j["changed"] is True and j["dry_run"] is True' "--dry-run reports the change it would make"
same_file "$cfg" "$T/before" "--dry-run writes nothing"

# UTF-16 LE with BOM stays UTF-16 LE with BOM.
printf '\377\376[\000w\000s\000l\000\062\000]\000\r\000\n\000' >"$cfg"
run --wslconfig "$cfg" enable virtiofs
printf '\377\376[\000w\000s\000l\000\062\000]\000\r\000\n\000v\000i\000r\000t\000i\000o\000f\000s\000=\000t\000r\000u\000e\000\r\000\n\000' >"$T/want"
same_file "$cfg" "$T/want" "a UTF-16 LE file is edited in UTF-16 LE"
printf '\376\377\000[' >"$cfg"
cp "$cfg" "$T/before"
run --json --wslconfig "$cfg" enable virtiofs
expect_rc 3 "a UTF-16 BE file is refused with exit 3"
expect_contains "$out" '"invalid-file"' "the refusal is an invalid-file error"
same_file "$cfg" "$T/before" "a refused file is untouched"

# Mode, symlinks.
printf '[wsl2]\n' >"$T/real"
chmod 600 "$T/real"
ln -s real "$cfg.link"
run --wslconfig "$cfg.link" enable virtiofs
if [ -L "$cfg.link" ]; then ok "a symlinked .wslconfig stays a link"; else not_ok "a symlinked .wslconfig stays a link"; fi
printf '[wsl2]\nvirtiofs=true\n' >"$T/want"
same_file "$T/real" "$T/want" "the link's target is edited"
if [ "$(stat -c %a "$T/real")" = 600 ]; then ok "the file mode is kept"; else not_ok "the file mode is kept ($(stat -c %a "$T/real"))"; fi

if [ "$(id -u)" -eq 0 ]; then
	printf '[wsl2]\n' >"$T/owned"
	chown 65534:65534 "$T/owned"
	run --wslconfig "$T/owned" enable virtiofs
	if [ "$(stat -c %u:%g "$T/owned")" = 65534:65534 ]; then ok "owner and group are kept"; else not_ok "owner and group are kept ($(stat -c %u:%g "$T/owned"))"; fi
fi

run --wslconfig "$cfg" enable 9p
expect_rc 2 "an unknown feature is a usage error"
run enable virtiofs --bogus --wslconfig "$cfg"
expect_rc 2 "an unknown option is a usage error"

# Writers wait for each other; after 10 s the lock holder wins and we say so.
printf '[wsl2]\n' >"$cfg"
cp "$cfg" "$T/before"
lock="$(dirname "$cfg")/.$(basename "$cfg").wslctl-lock"
flock "$lock" sleep 1 &
sleep 0.2
run --wslconfig "$cfg" enable virtiofs
expect_rc 0 "enable waits for a lock released within 10 s"
wait
# The subshell takes the lock on fd 9 and becomes the sleep that holds it.
( flock 9 && exec sleep 14 ) 9>"$lock" &
holder=$!
sleep 0.2
cp "$cfg" "$T/before"
run --json --wslconfig "$cfg" disable virtiofs
expect_rc 1 "a lock held past 10 s makes enable give up with exit 1"
expect_contains "$out" '"locked"' "the error code is locked"
same_file "$cfg" "$T/before" "nothing is written without the lock"
kill "$holder" 2>/dev/null
wait 2>/dev/null
run --wslconfig "$cfg" disable virtiofs
expect_rc 0 "the lock is free again once its holder is gone"
