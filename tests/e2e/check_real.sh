# SPDX-License-Identifier: MIT
# wslctl check on the corpus of real machines (tests/fixtures/real/<machine>/, see its
# README): for every check id a machine's `expect` names, `check --json --root` must give
# that status; `detail ID TEXT` must appear in that check's detail and `nodetail ID TEXT`
# must not; a machine with
# an expected fail must exit 1. Ids the public data does not decide are not asserted.
. "$TESTS_DIR/lib.sh"

R="$TESTS_DIR/fixtures/real"
# kernel-config/ of this tree; no interop (cmd.exe), no cache, no distribution name.
export WSLCTL_DATA_DIR="$TESTS_DIR/.." WSLCTL_CMD_EXE="$T/no-cmd.exe" XDG_CACHE_HOME="$T/cache"
unset WSL_FAKE_OUTPUT WSL_FAKE_EXIT WSL_DISTRO_NAME

# results: "id status detail" lines from a check --json object on stdin.
results() {
	python3 -c '
import json, sys
for c in json.load(sys.stdin)["checks"]:
    print(c["id"], c["status"], c["detail"].replace("\n", " "))
'
}

n=0
for expect in "$R"/*/expect; do
	m=$(basename "$(dirname "$expect")")
	n=$((n + 1))
	host=$(sed -n 's/^host //p' "$expect")
	hostexe=$(sed -n 's/^hostexe //p' "$expect")
	if [ -n "$hostexe" ]; then
		# "hostexe FILE": the machine's own stand-in for wsl.exe (a Windows executable
		# the kernel cannot run, or interop's error), run as it is.
		export WSLCTL_WSL_EXE="$R/$m/$hostexe"
		unset WSL_FAKE_OUTPUT WSL_FAKE_EXIT
	elif [ -n "$host" ]; then
		# "host FILE [EXIT]": wsl.exe prints the machine's recorded FILE, exits EXIT.
		export WSLCTL_WSL_EXE="$R/wsl.exe" WSL_FAKE_OUTPUT="$R/$m/${host%% *}"
		case "$host" in *" "*) export WSL_FAKE_EXIT="${host#* }" ;; *) unset WSL_FAKE_EXIT ;; esac
	else
		export WSLCTL_WSL_EXE="$T/no-wsl.exe"
		unset WSL_FAKE_OUTPUT WSL_FAKE_EXIT
	fi
	wslconfig=$(sed -n 's/^wslconfig //p' "$expect")
	if [ -n "$wslconfig" ]; then
		run check --json --root "$R/$m" --wslconfig "$R/$m/$wslconfig"
	else
		run check --json --root "$R/$m"
	fi
	if ! printf '%s' "$out" | results >"$T/got" 2>"$T/py.err"; then
		not_ok "$m: check --json gave no verdict object (exit $rc): $(cat "$T/py.err") $err"
		continue
	fi
	grep -E '^[a-z0-9]+\.[a-z0-9.]+ (pass|fail|warn|skip)$' "$expect" | while read -r id want; do
		got=$(sed -n "s/^$id \([a-z]*\) .*/\1/p" "$T/got")
		if [ "$got" = "$want" ]; then
			ok "$m: $id $want"
		else
			not_ok "$m: $id is ${got:-missing}, the contract says $want ($(grep "^$id " "$T/got"))"
		fi
	done
	sed -n 's/^detail //p' "$expect" | while read -r id text; do
		line=$(grep "^$id " "$T/got")
		expect_contains "$line" "$text" "$m: $id detail says '$text'"
	done
	sed -n 's/^nodetail //p' "$expect" | while read -r id text; do
		line=$(grep "^$id " "$T/got")
		case "$line" in
		*"$text"*) not_ok "$m: $id detail must not say '$text' ($line)" ;;
		*) ok "$m: $id detail does not say '$text'" ;;
		esac
	done
	if grep -qE '^[a-z0-9.]+ fail$' "$expect"; then
		expect_rc 1 "$m: a machine with a failing check exits 1"
	fi
done
[ "$n" -ge 25 ] && ok "corpus: $n machines" || not_ok "corpus: only $n machines (want at least 25)"
