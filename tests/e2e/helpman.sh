# SPDX-License-Identifier: MIT
# Help, man page and completion say the same thing (issue 14). For every command that
# `wslctl --help` lists (a new command joins by being listed), its options as the code's
# option tables define them (the truth: the option_spec table of the file that defines
# cmd_NAME, and main.c's global options) must be the ones that
#   - `wslctl help NAME` names (usage, option and example lines),
#   - the man page's section of NAME names (*--option*),
#   - bash and zsh completion offer after "wslctl NAME --", and that take a value there
#     when the table says ARG_REQUIRED;
# each usage line of the help (its global options left out) must be in the man page;
# and the exit codes of the help's "Exit:" paragraph must be those of the man section's
# "Exit status:" paragraph. Other options (global ones) may be named too, never others.
. "$TESTS_DIR/lib.sh"

src="$TESTS_DIR/../cli"
man="$TESTS_DIR/../packaging/wslctl.1.scd"
comp="$TESTS_DIR/../packaging/completion"
PATH="$(dirname "$WSLCTL"):$PATH"
ZCOMPDUMP="$T/zcompdump"
export PATH ZCOMPDUMP

# table FILE: "--long" and "-s" of each option_spec row of FILE, one a line; with
# VALUES=1 only those that take a value.
table() {
	sed -n 's/.*{ *"\([a-z0-9-]*\)", *\([^,]*\), *ARG_\(NONE\|REQUIRED\).*/\1 \2 \3/p' "$1" |
		while read -r long short arg; do
			[ "${VALUES:-}" = 1 ] && [ "$arg" != REQUIRED ] && continue
			echo "--$long"
			case $short in "'"?"'") printf -- '-%s\n' "$(printf '%s' "$short" | tr -d "'")" ;; esac
		done | sort -u
}
# the file that defines cmd_NAME
source_of() { grep -l "^int cmd_$1(\|^int cmd_$1 *(" "$src"/*.c "$src"/net/*.c 2>/dev/null | head -1; }
# options named in help text on stdin: usage and example lines, and each option line's own
help_options() {
	sed -n -e 's/[[:space:]]*&&.*//' \
		-e '/^[[:space:]]*\(usage:\|wslctl \)/p' \
		-e 's/^[[:space:]]*\(-[a-zA-Z0-9], \)\{0,1\}\(--[a-z][a-z0-9-]*\).*/\2/p' |
		grep -o -- '--[a-z][a-z0-9-]*' | sort -u
}
# man_section NAME: the man page's "## ..." section whose title names NAME
man_section() {
	awk -v n="$1" '/^## /{ on = 0; for (i = 2; i <= NF; i++) if ($i == n) on = 1; next }
		/^# /{ on = 0 } on' "$man"
}
# exit codes of the paragraph starting with PREFIX on stdin (help: "0 ...", man: "*0* ...")
exit_codes() {
	awk -v p="$1" 'index($0, p) == 1 { on = 1 } on && /^$/ { on = 0 } on' |
		tr '\n' ' ' | sed "s/^$1 *//" | grep -o '\(^\|, \)[*]\{0,1\}[0-9][0-9]*[*]\{0,1\} ' |
		tr -dc '0-9 \n' | tr -s ' ' '\n' | grep . | sort -un | tr '\n' ' '
}
# only_in A B: the words of A that are not in B (both one word a line, sorted)
only_in() { printf '%s\n' "$1" | grep . | LC_ALL=C sort -u >"$T/.a"; printf '%s\n' "$2" | grep . | LC_ALL=C sort -u >"$T/.b"
	LC_ALL=C comm -23 "$T/.a" "$T/.b" | tr '\n' ' '; }
# same_set WHAT GOT WANT_AT_LEAST ALLOWED: GOT holds every word of WANT_AT_LEAST and
# nothing outside ALLOWED
same_set() {
	missing=$(only_in "$3" "$2")
	extra=$(only_in "$2" "$4")
	if [ -z "$missing$extra" ]; then ok "$1"
	else not_ok "$1: missing '$missing', unknown '$extra'"; fi
}

globals=$(table "$src/main.c")
[ -n "$globals" ] && ok "main.c's global options found" || not_ok "no global options in main.c"
gvalues=$(VALUES=1 table "$src/main.c")
commands=$("$WSLCTL" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z0-9-]*\) .*/\1/p')
[ -n "$commands" ] && ok "wslctl --help lists commands" || not_ok "wslctl --help lists no commands"

for cmd in $commands; do
	file=$(source_of "$cmd")
	if [ -z "$file" ]; then not_ok "$cmd: no file defines cmd_$cmd"; continue; fi
	own=$(table "$file" | grep -- '^--')
	values=$(VALUES=1 table "$file")
	allowed=$(printf '%s\n%s\n' "$own" "$globals")

	# help
	"$WSLCTL" help "$cmd" >"$T/help" 2>&1
	same_set "$cmd: help names its options, and no others" \
		"$(help_options <"$T/help")" "$own" "$allowed"
	# each usage line of the help, its global options left out, is in the man page
	sed -n 's/^\(usage:\|      \) *wslctl //p' "$T/help" >"$T/usage"
	for g in $globals; do
		sed "s/ \[$g[] ][^]]*\]//g; s/ \[$g\]//g" "$T/usage" >"$T/usage.1" && mv "$T/usage.1" "$T/usage"
	done
	while IFS= read -r u; do
		if tr -d '*_\\' <"$man" | grep -qF -- "$u"; then ok "$cmd: the man page has '$u'"
		else not_ok "$cmd: the man page lacks help's usage '$u'"; fi
	done <"$T/usage"
	# man
	man_section "$cmd" >"$T/man"
	[ -s "$T/man" ] && ok "$cmd: the man page has a section" || not_ok "$cmd: no man section"
	same_set "$cmd: the man page names its options, and no others" \
		"$(grep -o '\*--[a-z][a-z0-9-]*\*' "$T/man" | tr -d '*' | sort -u)" "$own" "$allowed"
	# exit codes
	hcodes=$(exit_codes "Exit:" <"$T/help")
	mcodes=$(exit_codes "Exit status:" <"$T/man")
	if [ -n "$hcodes" ] && [ "$hcodes" = "$mcodes" ]; then ok "$cmd: help and man give exit codes $hcodes"
	else not_ok "$cmd: exit codes: help '$hcodes', man '$mcodes'"; fi
	# completion: what it offers after "--", and which options take a value
	for sh in bash zsh; do
		if [ $sh = bash ]; then
			got=$(bash "$TESTS_DIR/completion/complete.bash" "$comp/wslctl.bash" "wslctl $cmd --" 2>/dev/null)
		else
			got=$(zsh "$TESTS_DIR/completion/complete.zsh" "$comp" "wslctl $cmd --" 2>/dev/null)
		fi
		got=$(printf '%s\n' "$got" | grep -- '^--' | sed 's/=$//' | sort -u)
		same_set "$sh: 'wslctl $cmd --' offers its options, and no others" \
			"$got" "$own" "$allowed"
	done
	for v in $values $gvalues; do
		case $v in --*) ;; *) continue ;; esac
		argopts=$(bash -c ". '$comp/wslctl.bash'; echo \"\$_wslctl_argopts\"")
		case " $(echo $argopts) " in *" $v "*) ok "$cmd: bash knows $v takes a value" ;;
		*) not_ok "$cmd: bash completion does not know that $v takes a value" ;; esac
		if sed -n '/^_wslctl_specs()/,/^}/p' "$comp/_wslctl" | grep -q -- "\(^\||\|[[:space:]]\)$v\(|\|)\)"; then
			ok "$cmd: zsh knows $v takes a value"
		else not_ok "$cmd: zsh completion does not know that $v takes a value"; fi
	done
done
