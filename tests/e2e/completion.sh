# SPDX-License-Identifier: MIT
# Shell completion: bash (with bash-completion's library) and zsh (on a pseudo-terminal)
# complete the real wslctl's commands, options, keys, features, check ids and kernels.
. "$TESTS_DIR/lib.sh"

comp="$TESTS_DIR/../packaging/completion"
PATH="$(dirname "$WSLCTL"):$PATH"
ZCOMPDUMP="$T/zcompdump"
export PATH ZCOMPDUMP

# offers SHELL LINE: the matches, space-separated, in $got
offers() {
	if [ "$1" = bash ]; then
		got=$(bash "$TESTS_DIR/completion/complete.bash" "$comp/wslctl.bash" "$2" 2>"$T/.cerr")
	else
		got=$(zsh "$TESTS_DIR/completion/complete.zsh" "$comp" "$2" 2>"$T/.cerr")
	fi
	got=$(printf '%s\n' "$got" | sort -u | tr '\n' ' ' | sed 's/ $//')
}
# expect_offers SHELL LINE EXPECTED: exactly these matches (sorted)
expect_offers() {
	offers "$1" "$2"
	want=$(printf '%s\n' $3 | sort -u | tr '\n' ' ' | sed 's/ $//')
	if [ "$got" = "$want" ]; then ok "$1: '$2' offers $want"
	else not_ok "$1: '$2' offers '$got', wanted '$want' ($(cat "$T/.cerr"))"; fi
}
# expect_includes SHELL LINE WORD... / expect_excludes SHELL LINE WORD...
expect_includes() {
	sh_=$1 line_=$2
	shift 2
	offers "$sh_" "$line_"
	for w in "$@"; do
		case " $got " in *" $w "*) ok "$sh_: '$line_' offers $w" ;;
		*) not_ok "$sh_: '$line_' does not offer $w (got '$got')" ;; esac
	done
}
expect_excludes() {
	sh_=$1 line_=$2
	shift 2
	offers "$sh_" "$line_"
	for w in "$@"; do
		case " $got " in *" $w "*) not_ok "$sh_: '$line_' offers $w (got '$got')" ;;
		*) ok "$sh_: '$line_' does not offer $w" ;; esac
	done
}

# A store with two installed kernels, laid out as cli/store.h describes.
store="$T/store"
for v in 6.18.26.3-1 6.18.30.1-1; do
	mkdir -p "$store/versions/$v"
	printf 'kernel' >"$store/versions/$v/kernel"
	printf '{"version":"%s","source":"test","sha256":"","verified":"unverified","installed":0,"has_modules":false}\n' \
		"$v" >"$store/versions/$v/manifest.json"
done

for s in bash zsh; do
	expect_includes $s "wslctl " enable disable config check update kernel build help
	expect_offers $s "wslctl ch" "check"
	expect_offers $s "wslctl --js" "--json"
	expect_includes $s "wslctl --" --wslconfig --root --home --json --dry-run --version
	expect_offers $s "wslctl enable " "virtiofs"
	expect_offers $s "wslctl disable virt" "virtiofs"
	expect_offers $s "wslctl config " "get set unset merge list validate path"
	expect_offers $s "wslctl config get wsl2.virtiof" "wsl2.virtiofs"
	expect_offers $s "wslctl config unset experimental.spa" "experimental.sparseVhd"
	expect_offers $s "wslctl config unset wsl2.swap wsl2.swapF" "wsl2.swapFile"
	expect_offers $s "wslctl config get wsl2.swap wsl2.swapF" ""
	expect_offers $s "wslctl --json config set wsl2.memory 8GB wsl2.proc" "wsl2.processors"
	expect_offers $s "wslctl config set wsl2.memory " ""
	expect_offers $s "wslctl config set wsl2.virtiofs " "true false"
	expect_offers $s "wslctl config set WSL2.VirtioFS t" "true"
	expect_offers $s "wslctl config set wsl2.memory 8GB wsl2.networkingMode M" "Mirrored"
	expect_offers $s "wslctl config set experimental.autoMemoryReclaim " "Disabled Gradual DropCache"
	expect_offers $s "wslctl config --file /etc/wsl.conf set automount.cgroups " "v1 v2"
	expect_offers $s "wslctl config --file /etc/wsl.conf get boot.sys" "boot.systemd"
	expect_includes $s "wslctl config --" --file --raw --force --all --json
	expect_offers $s "wslctl check --re" "--require"
	expect_includes $s "wslctl bench --" --target --reference --quick --history --compare
	expect_includes $s "wslctl update --" --pre-release --json
	# "wsl.exe --update" in update's help prose is not one of wslctl's options.
	expect_excludes $s "wslctl update --" --update --shutdown
	expect_excludes $s "wslctl config --" --version
	expect_offers $s "wslctl kernel " "list use rollback remove"
	expect_offers $s "wslctl help u" "update"
	expect_offers $s "wslctl --home $store kernel use " "6.18.26.3-1 6.18.30.1-1"
	expect_offers $s "wslctl kernel --home $store remove 6.18.3" "6.18.30.1-1"
done
# bash keeps what was typed before the last comma; zsh's _values shows the id alone.
expect_offers bash "wslctl check --require swiotlb.pool,virtiofs.m" "swiotlb.pool,virtiofs.mounted"
expect_offers zsh "wslctl check --require swiotlb.pool,virtiofs.m" "virtiofs.mounted"
# bench's folders complete as folders (bash shows the path, zsh the last part).
expect_offers bash "wslctl bench --target $store/ver" "$store/versions"
expect_offers zsh "wslctl bench --reference $store/ver" "versions"

# The features completion offers are the ones enable accepts.
for f in $(bash -c ". '$comp/wslctl.bash'; echo \$_wslctl_features"); do
	run -n --wslconfig "$T/features.wslconfig" enable "$f"
	expect_rc 0 "completion's feature '$f' is one enable accepts"
done

# The check ids completion offers are exactly the ones check reports.
WSLCTL_WSL_EXE="$T/no-wsl.exe" WSLCTL_CMD_EXE="$T/no-cmd.exe" \
	"$WSLCTL" --json --root "$TESTS_DIR/fixtures/check/wsl-2.9-pool" check >"$T/.out" 2>/dev/null
out=$(cat "$T/.out")
ids=$(printf '%s' "$out" | grep -o '"id": *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/' | sort | tr '\n' ' ')
listed=$(bash -c ". '$comp/wslctl.bash'; printf '%s\n' \$_wslctl_checks" | sort | tr '\n' ' ')
if [ -n "$ids" ] && [ "$ids" = "$listed" ]; then ok "completion's check ids are check's"
else not_ok "completion's check ids '$listed' differ from check's '$ids'"; fi
zlisted=$(sed -n '/^checks=(/,/)/p' "$comp/_wslctl" | sed 's/checks=(//; s/)//' | tr -s ' \t' '\n' | grep . | sort | tr '\n' ' ')
if [ "$zlisted" = "$listed" ]; then ok "zsh and bash complete the same check ids"
else not_ok "zsh check ids '$zlisted' differ from bash's '$listed'"; fi

# zsh shows what each command and option does, taken from wslctl's own help.
shown=$(ZDESCRIBE=1 zsh "$TESTS_DIR/completion/complete.zsh" "$comp" "wslctl " 2>&1)
expect_contains "$shown" "check    -- Validate the running kernel" "zsh describes commands with --help's summaries"
shown=$(ZDESCRIBE=1 zsh "$TESTS_DIR/completion/complete.zsh" "$comp" "wslctl config --fi" 2>&1)
expect_contains "$shown" "-- work on another WSL config file" "zsh describes options with their help line"
