# SPDX-License-Identifier: MIT
# Sourced by every e2e script: a scratch folder, and assertions that print TAP-like lines.
set -u
T=$(mktemp -d "${TMPDIR:-/tmp}/wslctl-e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT INT TERM
# A clean environment: no settings files or variables from the developer's machine.
export XDG_CONFIG_HOME="$T/xdg" WSLCTL_SYSTEM_CONFIG="$T/none.conf" NO_COLOR=1
unset WSLCTL_WSLCONFIG WSLCTL_ROOT WSLCTL_HOME WSLCTL_DATA_DIR GITHUB_TOKEN 2>/dev/null || true

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; }

# run CMD...: runs wslctl, leaving $rc, $out (stdout) and $err (stderr).
run() {
	"$WSLCTL" "$@" >"$T/.out" 2>"$T/.err"
	rc=$?
	out=$(cat "$T/.out")
	err=$(cat "$T/.err")
}

# expect_rc N NAME
expect_rc() {
	if [ "$rc" -eq "$1" ]; then ok "$2"; else not_ok "$2 (exit $rc, wanted $1; stderr: $err)"; fi
}
# expect_out TEXT NAME: stdout equals TEXT exactly
expect_out() {
	if [ "$out" = "$1" ]; then ok "$2"; else not_ok "$2 (stdout was '$out', wanted '$1')"; fi
}
# expect_contains HAYSTACK NEEDLE NAME
expect_contains() {
	case "$1" in *"$2"*) ok "$3" ;; *) not_ok "$3 ('$2' not in '$1')" ;; esac
}
# same_file A B NAME: byte-identical
same_file() {
	if cmp -s "$1" "$2"; then ok "$3"; else not_ok "$3 ($1 and $2 differ)"; fi
}

# readonly_dir DIR: makes DIR read-only (a read-only bind mount as root, else chmod);
# returns 1, with a skip line, when it stays writable. undo_readonly DIR undoes it.
readonly_dir() {
	ro_mounted=
	if [ "$(id -u)" = 0 ]; then
		mount --bind -o ro "$1" "$1" 2>/dev/null && ro_mounted=1
	else
		chmod a-w "$1"
	fi
	if touch "$1/probe" 2>/dev/null; then
		rm -f "$1/probe"
		echo "# skip: cannot make a read-only folder here (not counted as passed)"
		return 1
	fi
}
undo_readonly() {
	if [ -n "$ro_mounted" ]; then umount "$1"; fi
	chmod u+w "$1"
}
