# SPDX-License-Identifier: MIT
# Every -n path speaks in the conditional (issue 14): "would remove kernel=", never
# "kernel= removed"; and it changes nothing. Walks enable, disable, config set, unset
# and merge, update (install and --inbox), kernel use, rollback (to a store kernel and to
# WSL's own) and remove, and build.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/update-lib.sh"

python3 "$MKFEED" "$T/feed" --kernel 6.18.33.2-2 --kernel 6.18.35.2-1 >/dev/null || exit 1
kernel_machine
pkg="$T/feed/flat/microsoft.wsl.kernel/6.18.33.2-2/microsoft.wsl.kernel.6.18.33.2-2.nupkg"
sha=$(sha256sum "$pkg" | cut -d' ' -f1)

# dry NAME ARGS...: wslctl -n ARGS exits 0, leaves .wslconfig and the store as they
# were, and no line of its text says something was done (a past participle without
# "would").
dry() {
	name=$1
	shift
	cp "$CFG" "$T/cfg.before"
	ls -R "$STORE" >"$T/store.before" 2>&1
	run $G -n "$@"
	expect_rc 0 "-n $name exits 0"
	same_file "$CFG" "$T/cfg.before" "-n $name leaves .wslconfig as it was"
	ls -R "$STORE" >"$T/store.after" 2>&1
	same_file "$T/store.after" "$T/store.before" "-n $name leaves the store as it was"
	past=$(printf '%s\n%s\n' "$out" "$err" | grep -v would |
		grep -E '(removed|restored|activated|installed|written|enabled|disabled|applied|built|replaced|deleted)\b|must restart')
	if [ -z "$past" ] && [ -n "$out$err" ]; then ok "-n $name speaks in the conditional"
	else not_ok "-n $name says it was done: '$past' (all: $out $err)"; fi
}

printf '[wsl2]\r\nmemory=8GB\r\n' >"$CFG"
dry "enable" enable virtiofs
"$WSLCTL" $G enable virtiofs >/dev/null 2>&1
dry "disable" disable virtiofs
dry "config set" config set wsl2.memory 4GB wsl2.swap 0
dry "config unset" config unset wsl2.memory
printf '[wsl2]\r\nswap=0\r\n' >"$T/frag"
dry "config merge" config merge "$T/frag"
dry "update (install)" update --no-platform --feed "$pkg" --sha256 "$sha"

# WSL's own kernel, then a store kernel: rollback would go back to WSL's own.
install_pkg 6.18.33.2-2
expect_rc 0 "install 6.18.33.2-2"
dry "kernel rollback (to WSL's own)" kernel rollback
expect_contains "$out" "would remove kernel=" "-n kernel rollback says it would remove kernel="
dry "update --inbox" update --inbox --no-platform
expect_contains "$out" "would remove kernel= and kernelModules=" "-n update --inbox says it would remove them"
install_pkg 6.18.35.2-1
expect_rc 0 "install 6.18.35.2-1"
dry "kernel use" kernel use 6.18.33.2-2
dry "kernel rollback (to a store kernel)" kernel rollback
dry "kernel remove" kernel remove 6.18.33.2-2

# build -n on the fake kernel tree: patches "would apply".
mkdir -p "$T/data/kernel-config"
cp -R "$TESTS_DIR/fixtures/patches-good" "$T/data/patches"
cp -R "$TESTS_DIR/fixtures/fake-kernel" "$T/tree"
WSLCTL_DATA_DIR="$T/data" XDG_CACHE_HOME="$T/cache"
export WSLCTL_DATA_DIR XDG_CACHE_HOME
dry "build" build --source "$T/tree"
expect_contains "$err" "would apply" "-n build: the patches would apply"
