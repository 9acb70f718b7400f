# SPDX-License-Identifier: MIT
# Option pairs that cannot go together (issue 13 item 5): every row of the man page's
# table, in both orders, is a usage error (exit 2) that names both options and writes
# nothing. tests/unit/test_argconflict.c keeps that table equal to the code's.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/update-lib.sh"
scd="$TESTS_DIR/../packaging/wslctl.1.scd"

kernel_machine
printf '[wsl2]\r\nkernel=C:\\\\k\\\\bzImage\r\nkernelModules=C:\\\\k\\\\modules.vhd\r\n' >"$CFG"
cp "$CFG" "$T/cfg.0"
# The 13.5 case itself: --check --inbox removed kernel= and said changed:true.
run $G --json update --check --inbox
expect_rc 2 "update --check --inbox exits 2"
expect_json error.code usage "update --check --inbox: usage"
expect_contains "$err" "--check" "update --check --inbox: names --check"
expect_contains "$err" "--inbox" "update --check --inbox: names --inbox"
same_file "$CFG" "$T/cfg.0" "update --check --inbox: .wslconfig untouched"

# An option's value when it takes one (the table names options, not values).
value() {
	case "$1" in
	kernel-version) echo 6.18.33.2-1 ;;
	feed) echo "$T/none.nupkg" ;;
	sha256) echo 0000000000000000000000000000000000000000000000000000000000000000 ;;
	arch) echo x64 ;;
	releases) echo http://127.0.0.1:1 ;;
	cacert) echo "$T/ca.pem" ;;
	esac
}
# args NAME: the option and its value, as words.
args() { printf -- '--%s %s' "$1" "$(value "$1")"; }

# The rows: "|  command" then ":  --a", ":  --b", ":  why".
rows=$(awk '/^#+ /{ on = /cannot go together/ } on && /^\|  /{ if (r) print r; r = substr($0, 4); n = 0 }
	on && /^:  / && n < 2 { r = r " " substr($0, 6); n++ } END { if (r) print r }' "$scd")
[ -n "$rows" ] && ok "the man page has the table" || not_ok "no table of options that cannot go together in $scd"
count=0
while read -r cmd a b; do
	for order in "$a $b" "$b $a"; do
		set -- $order
		# shellcheck disable=SC2046 # words on purpose: option and value
		run $G --json "$cmd" $(args "$1") $(args "$2")
		expect_rc 2 "$cmd --$1 --$2: exit 2"
		expect_json error.code usage "$cmd --$1 --$2: usage"
		expect_contains "$err" "--$1" "$cmd --$1 --$2: names --$1"
		expect_contains "$err" "--$2" "$cmd --$1 --$2: names --$2"
		same_file "$CFG" "$T/cfg.0" "$cmd --$1 --$2: .wslconfig untouched"
		[ -e "$STORE" ] && not_ok "$cmd --$1 --$2: the store was created" ||
			ok "$cmd --$1 --$2: nothing created"
		run $G "$cmd" $(args "$1") $(args "$2")
		expect_rc 2 "$cmd --$1 --$2: exit 2 in text mode too"
	done
	count=$((count + 1))
done <<EOF2
$rows
EOF2
[ "$count" -gt 0 ] && ok "walked $count rows" || not_ok "walked no rows"
