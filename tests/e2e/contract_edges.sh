# SPDX-License-Identifier: MIT
# Edges of the command-line contract (docs/cli.md "Exit codes"): a FIFO or device where a
# file is expected is refused at once (exit 3), dry runs write nothing, closed standard
# streams, whole lines on stderr, empty paths.
. "$TESTS_DIR/lib.sh"
export XDG_CACHE_HOME="$T/cache" WSLCTL_CMD_EXE="$T/no-cmd.exe"
cfg="$T/.wslconfig"
printf '[wsl2]\nmemory=4GB\n' >"$cfg"
mkfifo "$T/fifo"

# trun CMD...: run with a time limit, so a hang fails the case instead of the suite.
trun() {
	timeout 10 "$WSLCTL" "$@" >"$T/.out" 2>"$T/.err"
	rc=$?
	out=$(cat "$T/.out")
	err=$(cat "$T/.err")
}

# ---- settings files that are not regular files ----
mkdir -p "$T/xdg/wslctl"
mkfifo "$T/xdg/wslctl/config"
trun --wslconfig "$cfg" config get wsl2.memory
expect_rc 3 "a FIFO as the user settings file is refused (exit 3), no hang"
expect_contains "$err" "not a regular file" "the FIFO refusal says what it is"
rm "$T/xdg/wslctl/config"
ln -s /dev/zero "$T/xdg/wslctl/config"
trun --wslconfig "$cfg" config get wsl2.memory
expect_rc 3 "a link to /dev/zero as the user settings file is refused (exit 3)"
rm "$T/xdg/wslctl/config"
mkdir "$T/xdg/wslctl/config"
trun --wslconfig "$cfg" config get wsl2.memory
expect_rc 3 "a folder as the user settings file is refused, not ignored (exit 3)"
rmdir "$T/xdg/wslctl/config"
WSLCTL_SYSTEM_CONFIG="$T/fifo" trun --wslconfig "$cfg" config get wsl2.memory
expect_rc 3 "a FIFO as the system settings file is refused (exit 3)"
trun --wslconfig "$cfg" config get wsl2.memory
expect_rc 0 "no settings file is fine"

# ---- --cacert that is not a regular file, or missing ----
trun kernel list --available --feed https://127.0.0.1:1/x.nupkg --cacert "$T/fifo"
expect_rc 3 "kernel list --cacert FIFO is refused (exit 3), no hang"
trun --home "$T/store" --wslconfig "$cfg" update --check --feed https://127.0.0.1:1/x.nupkg --cacert "$T/fifo"
expect_rc 3 "update --check --cacert FIFO is refused (exit 3), no hang"
trun --home "$T/store" --wslconfig "$cfg" update --check --feed https://127.0.0.1:1/x.nupkg --cacert "$T/missing.pem"
expect_rc 3 "update --check --cacert missing.pem is exit 3"
