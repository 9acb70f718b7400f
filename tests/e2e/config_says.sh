# SPDX-License-Identifier: MIT
# What `config` says (issue 14): relative paths, messages said once, set's words checked
# before the lock (a key twice, KEY=VALUE, a value taken for an option), control
# characters quoted for display, the owner's advice for a group it is not in, "-" as the
# file, a dry run that fails where the real run would, get --json alone on stdout.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/json-lib.sh"

cfg="$T/.wslconfig"
# not_in HAYSTACK NEEDLE NAME
not_in() {
	case "$1" in *"$2"*) not_ok "$3 ('$2' in '$1')" ;; *) ok "$3" ;; esac
}

# --- a relative path for a path key: its Windows form, or refused ---------------------
mkdir -p "$T/root/mnt/c/k" "$T/elsewhere"
printf '[wsl2]\n' >"$cfg"
(cd "$T/root/mnt/c/k" && "$WSLCTL" --root "$T/root" --wslconfig "$cfg" config set \
	wsl2.kernel ./bzImage >"$T/.out" 2>"$T/.err")
rc=$? err=$(cat "$T/.err")
expect_rc 0 "set wsl2.kernel ./bzImage on a Windows drive"
run --wslconfig "$cfg" config get wsl2.kernel
expect_out 'C:\k\bzImage' "a relative path becomes the Windows form of its absolute path"
cp "$cfg" "$T/before"
(cd "$T/elsewhere" && "$WSLCTL" --wslconfig "$cfg" config set wsl2.swapFile swap.vhdx \
	>"$T/.out" 2>"$T/.err")
rc=$? err=$(cat "$T/.err")
expect_rc 3 "a relative path with no Windows form is refused (exit 3)"
expect_contains "$err" "relative path 'swap.vhdx' has no Windows form" "saying why"
not_in "$err" "the kernel must" "swapFile's refusal does not speak of the kernel"
same_file "$cfg" "$T/before" "nothing was written"

# --- a rejected value is described once -----------------------------------------------
run --wslconfig "$cfg" config set wsl2.memory '8 GB'
expect_rc 3 "an invalid size is refused"
n=$(printf '%s' "$err" | grep -o 'wsl2.memory' | wc -l)
[ "$n" -eq 1 ] && ok "the refusal names the key once" || not_ok "the key is named $n times: $err"
printf '[wsl2]\nmemory=8 GB\n' >"$T/bad"
run --wslconfig "$T/bad" config get wsl2.memory
expect_rc 1 "get of a rejected value exits 1"
n=$(printf '%s' "$err" | grep -o 'wsl2.memory' | wc -l)
[ "$n" -eq 1 ] && ok "get's warning names the key once" || not_ok "the key is named $n times: $err"

# --- config set: the words, checked before anything is read or written -----------------
printf '[wsl2]\n' >"$cfg"
cp "$cfg" "$T/before"
run --wslconfig "$cfg" config set wsl2.memory 4GB wsl2.memory 8GB
expect_rc 2 "a key given twice is a usage error"
expect_contains "$err" "given twice" "saying the key is given twice"
run --json --wslconfig "$cfg" config set wsl2.memory 4GB WSL2.Memory 8GB
expect_rc 2 "the same key in another case is given twice too"
expect_json 'j["error"]["code"]=="usage"' "with error.code usage"
run --wslconfig "$cfg" config set experimental.networkingMode nat wsl2.networkingMode mirrored
expect_rc 2 "an old spelling and the new one are the same key"
same_file "$cfg" "$T/before" "nothing was written for a key given twice"
run --wslconfig "$cfg" config set wsl2.memory=8GB
expect_rc 2 "KEY=VALUE is a usage error"
expect_contains "$err" "did you mean 'wslctl config set wsl2.memory 8GB'" "with the pair it meant"
run --wslconfig "$cfg" config set wsl2.kernelCommandLine -v
expect_rc 2 "a value taken for an option (-v, a global one) is a usage error"
expect_contains "$err" "put '--' before it" "with the hint to use --"
run --wslconfig "$cfg" config set wsl2.kernelCommandLine -x
expect_rc 2 "an unknown option where the value goes is a usage error"
expect_contains "$err" "put '--' before it" "with the hint to use -- too"
run --wslconfig "$cfg" config set wsl2.kernelCommandLine -- -v
expect_rc 0 "after -- the value -v is written"

# --- control characters in values are quoted for display ------------------------------
printf '[wsl2]\nkernelCommandLine=a\\nwsl2.memory=1GB\\t\033[31m\a\n' >"$cfg"
run --wslconfig "$cfg" config list
expect_out 'wsl2.kernelCommandLine="a\nwsl2.memory=1GB\t\e[31m\a"' \
	"list quotes a value with a newline, TAB, ESC and BEL, escaped"
run --json --wslconfig "$cfg" config list
expect_json 'j["keys"][0]["value"]=="a\nwsl2.memory=1GB\t\x1b[31m\x07"' "the JSON has the raw value"
run --wslconfig "$cfg" config get wsl2.kernelCommandLine
if [ "$out" = "$(printf 'a\nwsl2.memory=1GB\t\033[31m\a')" ]; then
	ok "get prints the value exactly, for scripts"
else
	not_ok "get changed the value: $out"
fi
run --wslconfig "$cfg" config set wsl2.kernelCommandLine "$(printf 'x\ny')"
expect_out 'wsl2.kernelCommandLine: "a\nwsl2.memory=1GB\t\e[31m\a" -> "x\ny"' \
	"the diff quotes old and new values"
printf '[wsl2]\nkernelCommandLine="quiet"\n' >"$cfg"
run --wslconfig "$cfg" config list
expect_out 'wsl2.kernelCommandLine=quiet' "a plain value is shown as it is"

# --- config get --json: the value once, on stdout in the object ----------------------
printf '[wsl2]\nmemory=8GB\n' >"$cfg"
run --json --wslconfig "$cfg" config get wsl2.memory
expect_json 'j["value"]=="8GB"' "get --json has the value"
expect_out "$(cat "$T/.out")" "stdout is the object"
[ -z "$err" ] && ok "get --json writes nothing on stderr" || not_ok "get --json stderr: $err"
run --json --wslconfig "$cfg" config get wsl2.virtiofs
[ -z "$err" ] && ok "get --json of a default writes nothing on stderr" ||
	not_ok "get --json stderr: $err"

# --- "-" as the file, a missing folder --------------------------------------------------
(cd "$T" && "$WSLCTL" --wslconfig - config set wsl2.memory 2GB >"$T/.out" 2>"$T/.err")
rc=$? err=$(cat "$T/.err")
expect_rc 2 "--wslconfig - is a usage error"
[ -e "$T/-" ] && not_ok "a file named - was created" || ok "no file named - is created"
(cd "$T" && "$WSLCTL" config set --file - wsl2.memory 2GB >"$T/.out" 2>"$T/.err")
rc=$?
expect_rc 2 "--file - is a usage error"
(cd "$T" && WSLCTL_WSLCONFIG=- "$WSLCTL" enable virtiofs >"$T/.out" 2>"$T/.err")
rc=$?
expect_rc 2 "WSLCTL_WSLCONFIG=- is a usage error"
[ -e "$T/-" ] && not_ok "a file named - was created" || ok "still no file named -"
run --wslconfig "$T/nodir/.wslconfig" config set wsl2.memory 2GB
expect_rc 3 "a missing folder is exit 3"
expect_contains "$err" "its folder $T/nodir" "naming the folder"
not_in "$err" "lock" "not a lock-file problem"

# --- a dry run in a folder the real run cannot write in --------------------------------
RO="$T/ro"
mkdir -p "$RO"
printf '[wsl2]\n' >"$RO/.wslconfig"
printf '[wsl2]\nvirtiofs=true\n' >"$RO/set.wslconfig"
if readonly_dir "$RO"; then
	run --wslconfig "$RO/.wslconfig" config set wsl2.memory 2GB
	real=$rc
	run -n --wslconfig "$RO/.wslconfig" config set wsl2.memory 2GB
	expect_rc "$real" "-n in a read-only folder exits as the real run does ($real)"
	not_in "$err" "would be written" "-n does not say it would be written"
	expect_contains "$err" "not writable" "-n says the write would fail"
	run -n --json --wslconfig "$RO/.wslconfig" config set wsl2.memory 2GB
	expect_json 'j["error"]["code"]=="io"' "-n --json: error.code io, as the real run"
	run -n --wslconfig "$RO/set.wslconfig" config set wsl2.virtiofs true
	expect_rc 0 "-n with nothing to change still succeeds in a read-only folder"
fi
undo_readonly "$RO"

# --- a file of the user's in group root: the real reason and chgrp --------------------
# Needs root to make the case: a scratch folder of nobody's, its file in group root.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	G="$T/grp"
	mkdir -p "$G"
	chmod 0711 "$T"
	printf '[wsl2]\n' >"$G/.wslconfig"
	chown -R 65534:65534 "$G"
	chown 65534:0 "$G/.wslconfig"
	chmod 0644 "$G/.wslconfig"
	setpriv --reuid=65534 --regid=65534 --clear-groups "$WSLCTL" --wslconfig "$G/.wslconfig" \
		config set wsl2.memory 2GB >"$T/.out" 2>"$T/.err"
	rc=$? err=$(cat "$T/.err")
	expect_rc 1 "the owner cannot keep group root on the replacement: exit 1"
	expect_contains "$err" "chgrp" "the advice is chgrp"
	not_in "$err" "run as its owner" "not the wrong advice to run as its owner"
	chmod 0700 "$T"
else
	echo "# skip: needs root and setpriv to make a file in a group its owner is not in"
fi

# --- hard links: the other names keep the old contents, said in text mode too ----------
printf '[wsl2]\n' >"$cfg"
ln "$cfg" "$T/other"
run --wslconfig "$cfg" config set wsl2.memory 3GB
expect_rc 0 "text mode: a file with two hard links is written"
expect_contains "$err" "other names keep the old contents" "text mode: with the hard-link warning"
rm -f "$T/other"
