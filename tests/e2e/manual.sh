# SPDX-License-Identifier: MIT
# The man page keeps up with the tool: every command, every option its help names,
# every global option and error code is in wslctl(1), and the page renders cleanly.
. "$TESTS_DIR/lib.sh"

scd="$TESTS_DIR/../packaging/wslctl.1.scd"
man="$(dirname "$WSLCTL")/wslctl.1"

if [ -s "$man" ]; then ok "make built the man page beside the binary"; else not_ok "no $man"; fi
if groff -man -Tutf8 -ww -z "$man" >"$T/groff" 2>&1 && [ ! -s "$T/groff" ]; then
	ok "groff renders wslctl.1 without a warning"
else
	not_ok "groff: $(head -5 "$T/groff")"
fi

# Long options named on a help text's usage, option and example lines (as completion reads them).
options() {
	"$WSLCTL" "$@" 2>/dev/null |
		sed -n -e 's/[[:space:]]*&&.*//' \
			-e '/^[[:space:]]*\(usage:\|wslctl \)/p' \
			-e 's/^[[:space:]]*\(-[a-zA-Z0-9], \)\{0,1\}\(--[a-z][a-z0-9-]*\).*/\2/p' |
		grep -o -- '--[a-z][a-z0-9-]*' | sort -u
}
# documented NAME WHAT: NAME appears in bold in the page source
documented() {
	if grep -qF -- "*$1*" "$scd"; then ok "wslctl(1) documents $2"
	else not_ok "wslctl(1) does not document $2 (add *$1* to packaging/wslctl.1.scd)"; fi
}

commands=$("$WSLCTL" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p')
[ -n "$commands" ] && ok "wslctl --help lists commands" || not_ok "no commands in wslctl --help"
for c in $commands; do
	if grep -q "^## .*\b$c\b" "$scd"; then ok "wslctl(1) has a section for $c"
	else not_ok "wslctl(1) has no '## $c' section"; fi
	for o in $(options help "$c"); do
		documented "$o" "$c $o"
	done
done
for o in $(options --help); do
	documented "$o" "global option $o"
done
# The codes come from error.c's table: none found means the table moved, not that all
# are documented.
codes=$(sed -n 's/.*\[ERR_[A-Z_]*\] = { "\([a-z-]*\)".*/\1/p' "$TESTS_DIR/../cli/core/error.c")
if [ "$(echo "$codes" | grep -c .)" -ge 15 ]; then ok "error codes read from error.c"
else not_ok "error codes read from error.c (found: $codes)"; fi
for code in $codes; do
	[ "$code" = none ] && continue
	documented "$code" "error code $code"
done
for v in WSLCTL_WSLCONFIG WSLCTL_ROOT WSLCTL_HOME WSLCTL_DATA_DIR WSLCTL_WSL_EXE GITHUB_TOKEN NO_COLOR; do
	documented "$v" "environment variable $v"
done
