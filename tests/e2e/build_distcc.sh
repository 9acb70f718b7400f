# SPDX-License-Identifier: MIT
# wslctl build --distcc: the fake kernel compiles on a distccd the test starts on
# 127.0.0.1, and distccd's own log shows the jobs it ran.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/build-lib.sh"
# Never compile locally behind our back: a job distccd did not take fails the build.
export DISTCC_DIR="$T/distcc" DISTCC_FALLBACK=0 DISTCC_SKIP_LOCAL_RETRY=1
mkdir -p "$T/data/kernel-config" "$DISTCC_DIR"
cp -R "$FIX/fake-kernel" "$T/tree"

# A host's limit is bounded as -j is (issue 17.16): 99999 made make -j100001, which hangs
# GNU make, and 2147483647 overflowed to a negative -j. Refused before any work.
for spec in "h/99999" "h/2147483647" "a/3000 b/3000" "h/0"; do
	run --json build --source "$T/tree" --home "$T/store" --no-activate --distcc "$spec"
	expect_rc 2 "--distcc '$spec' is a usage error"
	expect_contains "$out" '"code":"usage"' "--distcc '$spec': the error code is usage"
	expect_contains "$err" "4096" "--distcc '$spec': the message names the bound"
done
[ ! -e "$T/store" ] && ok "a refused --distcc touched nothing" || not_ok "the store was made"

if ! command -v distccd >/dev/null 2>&1; then
	not_ok "distccd is not installed (packaging/deps.sh test)"
	exit 0
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# As root distccd drops to "nobody": --log-stderr keeps the log in a file we opened.
user=""
[ "$(id -u)" -eq 0 ] && user="--user nobody"
distccd --daemon --no-detach --allow 127.0.0.1 --listen 127.0.0.1 --port "$port" \
	--log-stderr --log-level info $user 2>"$T/distccd.log" &
dpid=$!
trap 'kill "$dpid" 2>/dev/null; wait "$dpid" 2>/dev/null; rm -rf "$T"' EXIT INT TERM
i=0
until grep -q "listening on" "$T/distccd.log" 2>/dev/null || [ $i -gt 100 ]; do sleep 0.05; i=$((i + 1)); done

run --json build --source "$T/tree" --home "$T/store" --no-activate --no-ccache \
	--distcc "127.0.0.1:$port/3"
expect_rc 0 "a build through distcc exits 0"
log=$(echo "$out" | jget 'd["log"]')
expect_contains "$(cat "$log")" "-j$(($(nproc) + 3))" "-j is this machine's CPUs plus the host's limit"
expect_contains "$(cat "$log")" "CC=distcc gcc" "make runs the compiler through distcc"
jobs=$(grep -c "COMPILE_OK" "$T/distccd.log")
[ "$jobs" -ge 4 ] && ok "distccd compiled the kernel's objects ($jobs jobs)" ||
	not_ok "distccd ran $jobs jobs: $(cat "$T/distccd.log")"
expect_contains "$(cat "$T/distccd.log")" "init/main.c" "distccd's log names the kernel's sources"

run --json build --source "$T/tree" --home "$T/store" --no-activate --distcc "127.0.0.1:$port" -j 3
expect_rc 0 "a second distcc build exits 0"
expect_contains "$(cat "$(echo "$out" | jget 'd["log"]')")" " -j3 " "an explicit -j wins over the distcc estimate"
