#!/bin/sh
# SPDX-License-Identifier: MIT
# make run: wslctl's main job, end to end, on this machine, with no network.
#
# Each step is a function demo_<name>; the `steps` line at the bottom runs them in
# order. To add one: write the function, add its name to `steps`. Inside a step:
#   title "Heading"           a numbered heading
#   say "text"                a line of explanation
#   show RC 'wslctl ...'      prints the command, runs it (stdout and stderr, in order)
#                             and records a failure unless it exits RC
#   diff_files OLD NEW LABEL  a unified diff (CRLF shown as plain line ends)
# Everything happens in a scratch folder ($D); $TOP is the source tree.
set -u
: "${WSLCTL:?set WSLCTL to the wslctl binary (make run does)}"
TOP=$(cd "$(dirname "$0")/.." && pwd)
D=$(mktemp -d "${TMPDIR:-/tmp}/wslctl-demo.XXXXXX")
srv=''
trap '[ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$D"' EXIT INT TERM
cd "$D" || exit 1
# Only what the demo sets: no settings or variables from this machine's user.
export XDG_CONFIG_HOME="$D/xdg" XDG_DATA_HOME="$D/data" WSLCTL_SYSTEM_CONFIG="$D/none.conf"
unset WSLCTL_WSLCONFIG WSLCTL_ROOT WSLCTL_HOME WSLCTL_DATA_DIR GITHUB_TOKEN 2>/dev/null || true

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
	B=$(printf '\033[1m') DIM=$(printf '\033[2m') CY=$(printf '\033[36m') R=$(printf '\033[31m')
	N=$(printf '\033[0m')
else
	B='' DIM='' CY='' R='' N=''
fi
n=0 failed=''

# Line-buffered, so that its stdout and stderr reach the screen in the order written.
wslctl() { stdbuf -oL -eL "$WSLCTL" "$@"; }
title() {
	n=$((n + 1))
	printf '\n%s%d. %s%s\n' "$B" "$n" "$1" "$N"
}
say() { printf '%s\n' "$*" | fold -s -w 88; }
show() {
	want=$1
	printf '\n%s$ %s%s\n' "$CY" "$2" "$N"
	{ eval "$2" 2>&1; echo $? >"$D/.rc"; } | sed 's/\r$//; s/^/  /'
	got=$(cat "$D/.rc")
	if [ "$got" -ne 0 ] || [ "$want" -ne 0 ]; then
		printf '  %s(exit %d)%s\n' "$DIM" "$got" "$N"
	fi
	if [ "$got" -ne "$want" ]; then
		printf '  %sunexpected: wanted exit %d%s\n' "$R" "$want" "$N"
		failed="$failed
  step $n: $2 (exit $got, wanted $want)"
	fi
	return 0
}
diff_files() {
	printf '\n%s$ diff -u %s%s\n' "$CY" "$3" "$N"
	diff -u --label "$3 (before)" --label "$3 (after)" "$1" "$2" | sed 's/\r$//; s/^/  /'
}

demo_validate() {
	title "A .wslconfig edited by hand, read the way WSL reads it"
	cp "$TOP/tests/demo/sample.wslconfig" .wslconfig
	cp .wslconfig before.wslconfig
	export WSLCTL_WSLCONFIG=.wslconfig
	say "A typical file (CRLF, as Windows writes it). Three of its lines do not do what"
	say "their author meant, and WSL says so only in a notification at its next start:"
	printf '\n'
	sed 's/\r$//' .wslconfig | awk '{ printf "  %2d  %s\n", NR, $0 }'
	show 1 'wslctl config validate'
}

demo_enable() {
	title "Turn virtiofs on"
	show 0 'wslctl enable virtiofs'
	diff_files before.wslconfig .wslconfig .wslconfig
	say ""
	say "One line added where WSL looks for it; every other byte, comment, CRLF and the"
	say "lines WSL rejects are as they were. Running it again changes nothing:"
	cp .wslconfig enabled.wslconfig
	show 0 'wslctl enable virtiofs'
	show 0 'wslctl --json enable virtiofs'
	if cmp -s enabled.wslconfig .wslconfig; then say "(file unchanged: $(wc -c <.wslconfig) bytes)"
	else failed="$failed
  step $n: the second enable changed the file"; fi
}

demo_repair() {
	title "Repair the values WSL would throw away"
	say "Values are checked against WSL's own rules and escaped the way it needs them:"
	cp .wslconfig enabled.wslconfig
	show 0 "wslctl config set wsl2.memory 8GB wsl2.kernel 'C:\\Users\\me\\kernels\\bzImage'"
	diff_files enabled.wslconfig .wslconfig .wslconfig
	show 0 'wslctl config get wsl2.kernel'
	say ""
	say "A value WSL would refuse is refused here too, and nothing is written:"
	show 3 'wslctl config set wsl2.memory "8 GB"'
	say ""
	say "What is left is the ';' line: a comment only to people. wslctl does not touch"
	say "lines nobody asked it to edit, so it stays a warning for its owner to fix."
	show 1 'wslctl config validate'
}

demo_check_fixture() {
	title "Check a WSL machine with the dedicated pool (a recorded /proc and /sys)"
	say "tests/fixtures/check/wsl-2.9-pool: Microsoft's 6.18 kernel, virtiofs mounted,"
	say "the hv_pci SWIOTLB pool published, WSL 2.9.4 on the Windows side:"
	# wsl.exe answers from a recording of WSL 2.9.4's output.
	export WSLCTL_WSL_EXE="$TOP/tests/fixtures/check/wsl-exe/wsl.exe" WSL_FAKE_OUTPUT=en-2.9.4-bom.out
	show 0 'wslctl check --root "$TOP/tests/fixtures/check/wsl-2.9-pool"'
	unset WSLCTL_WSL_EXE WSL_FAKE_OUTPUT
	say ""
	say "The same kernel before the pool (6.6, virtiofs off): each failure names its fix."
	show 1 'wslctl check --root "$TOP/tests/fixtures/check/wsl-6.6-9p" --wslconfig "$TOP/tests/fixtures/check/wslconfig/off.wslconfig"'
}

demo_check_real() {
	title "Check this machine"
	if grep -qi 'microsoft\|wsl' /proc/sys/kernel/osrelease 2>/dev/null; then
		say "This is WSL: the real verdict."
		show "$(wslctl check >/dev/null 2>&1; echo $?)" 'wslctl check'
	else
		say "This is not WSL ($(uname -r)), so wsl.kernel fails, and says why:"
		show 1 'wslctl check'
	fi
}

demo_update() {
	title "Update to the pre-release channel's kernel, offline, from a loopback feed"
	say "A generated copy of GitHub's microsoft/WSL releases and of the NuGet feed, served on"
	say "127.0.0.1 and named in wslctl's settings file. The folder r/mnt/c plays drive C:"
	say "(the kernel must live where Windows can read it); the store is C:\\Users\\me\\wslctl."
	python3 "$TOP/tests/fixtures/update/mkfeed.py" feed \
		--release '2.7.11:WSL 2.7.11:l:6.18.33.2-2' --release '2.8.9:WSL 2.8.9:p:6.18.26.3-1' \
		--release '2.10.0:WSL 2.10.0:dp:6.18.40.1-1' --release '2.9.4:WSL 2.9.4:p:6.18.35.2-1' \
		--kernel 6.18.26.3-1 --kernel 6.18.33.2-2 --kernel 6.18.35.2-1 >/dev/null
	python3 "$TOP/tests/server/server.py" --root feed --routes feed/routes.json \
		--port-file port >/dev/null 2>&1 &
	srv=$!
	i=0
	while [ ! -s port ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	url="http://127.0.0.1:$(cat port)"
	mkdir -p r/mnt/c/Users/me "$XDG_CONFIG_HOME/wslctl"
	printf '[update]\nreleases = %s\nfeed = nuget:Microsoft.WSL.Kernel@%s/nuget/index.json\n' \
		"$url" "$url" >"$XDG_CONFIG_HOME/wslctl/config"
	printf '[wsl2]\r\nvirtiofs=true\r\n' >r/mnt/c/Users/me/.wslconfig
	cp r/mnt/c/Users/me/.wslconfig update-before.wslconfig
	saved_wslconfig=$WSLCTL_WSLCONFIG
	export WSLCTL_ROOT=r WSLCTL_HOME=r/mnt/c/Users/me/wslctl WSLCTL_WSLCONFIG=r/mnt/c/Users/me/.wslconfig
	printf '\n%s$ cat ~/.config/wslctl/config%s\n' "$CY" "$N"
	sed 's/^/  /' "$XDG_CONFIG_HOME/wslctl/config"
	printf '%s$ export WSLCTL_ROOT=%s WSLCTL_HOME=%s WSLCTL_WSLCONFIG=%s%s\n' "$CY" \
		"$WSLCTL_ROOT" "$WSLCTL_HOME" "$WSLCTL_WSLCONFIG" "$N"
	say ""
	say "2.10.0 is a draft, so the pre-release channel is 2.9.4, the highest of the others"
	say "compared as numbers (2.9.4 > 2.8.9, where as text it would not be):"
	show 0 'wslctl update --pre-release'
	diff_files update-before.wslconfig r/mnt/c/Users/me/.wslconfig .wslconfig
	say ""
	say "Verified against the feed's SHA-512, installed beside the others. Again: nothing to do."
	show 0 'wslctl --json update --pre-release'
	say ""
	say "The stable channel pins an older kernel: update never goes back unless told to."
	show 0 'wslctl update --check'
	show 0 'wslctl update --allow-downgrade'
	show 0 'wslctl kernel list'
	show 0 'wslctl kernel rollback'
	kill "$srv" 2>/dev/null
	wait "$srv" 2>/dev/null
	srv=''
	unset WSLCTL_ROOT WSLCTL_HOME
	WSLCTL_WSLCONFIG=$saved_wslconfig
}

steps="validate enable repair update check_fixture check_real"
for s in $steps; do
	"demo_$s"
done

printf '\n'
if [ -n "$failed" ]; then
	printf '%sdemo: something did not behave as shown:%s%s\n' "$R" "$N" "$failed"
	exit 1
fi
printf '%sdemo: all %d steps behaved as expected.%s\n' "$B" "$n" "$N"
