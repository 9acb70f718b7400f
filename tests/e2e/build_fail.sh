# SPDX-License-Identifier: MIT
# wslctl build failures: a conflict, a fuzz-only patch, a dropped option, a broken build
# and an interrupted one all leave the source tree exactly as it was (checksums).
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/build-lib.sh"
mkdir -p "$T/data/kernel-config"
cp -R "$FIX/patches-good" "$T/data/patches"
G="--home $T/store --no-activate"

fresh() { rm -rf "$T/tree"; cp -R "$FIX/fake-kernel" "$T/tree"; sums "$T/tree" >"$T/before"; }
unchanged() { sums "$T/tree" >"$T/after"; same_file "$T/before" "$T/after" "$1"; }

# --- a patch made against another tree: stop, show the rejected hunk, undo 0001
fresh
run --json build --source "$T/tree" $G --patches "$FIX/patches-conflict"
expect_rc 1 "a conflict exits 1"
expect_contains "$out" '"code":"patch-conflict"' "the error code is patch-conflict"
expect_contains "$out" "patches-conflict/series:3: patch 0002-virtiofs-clamp-other-base.patch" \
	"the error names the series line"
expect_contains "$err" "Rejected hunks:" "the rejected hunks are shown"
expect_contains "$err" " #define VIRTIO_FS_MAX_PAGES 512" "the hunk's own text is shown"
expect_contains "$out" '"status":"reversed"' "JSON says 0001 was reversed"
unchanged "after a conflict the tree is exactly as before"

# --- applies only with fuzz: a conflict, as git apply would say
fresh
run build --source "$T/tree" $G --patches "$FIX/patches-fuzz"
expect_rc 1 "a fuzz-only patch exits 1"
expect_contains "$err" "neither applies" "a fuzz-only patch is a conflict"
unchanged "after a fuzz-only patch the tree is exactly as before"

# --- an option whose dependency is missing: named, patches undone
fresh
cat >"$T/data/kernel-config/pool.config" <<'CFG'
# why: the pool lives in hv_pci
# need: y
CONFIG_PCI_HYPERV=y
# need: y|m
CONFIG_FUSE_FS=y
CFG
run --json build --source "$T/tree" $G --base-config defconfig
expect_rc 1 "a dropped option exits 1"
expect_contains "$out" '"code":"config-dropped"' "the error code is config-dropped"
[ "$(echo "$out" | jget 'len(d["dropped_options"])')" = 1 ] && ok "exactly one option dropped" ||
	not_ok "dropped: $out"
expect_contains "$(echo "$out" | jget 'd["dropped_options"][0]')" "CONFIG_PCI_HYPERV=y (" \
	"the dropped option is named"
expect_contains "$(echo "$out" | jget 'd["dropped_options"][0]')" "absent after olddefconfig" \
	"what became of it is said"
[ "$(echo "$out" | jget '[p["status"] for p in d["patches"]]')" = "['reversed', 'reversed', 'reversed', 'reversed']" ] &&
	ok "JSON says every patch was reversed" || not_ok "statuses: $out"
expect_contains "$(echo "$out" | jget 'd["dropped_options"][0]')" "pool.config:3" \
	"the dropped option's fragment line is named"
unchanged "after a dropped option the tree is exactly as before"
bdir=$(echo "$out" | jget 'd["build_dir"]')
[ ! -e "$bdir/.config" ] && ok "a configuration that failed is not installed as .config" ||
	not_ok ".config written despite the failure"
# The same fragment over the tree's WSL config (which has HYPERV and PCI_MSI) passes.
run build --source "$T/tree" $G
expect_rc 0 "the same fragment over config-wsl builds"
rm "$T/data/kernel-config/pool.config"

# --- a patch that breaks the build: the last lines are shown, the patches undone
fresh
mkdir "$T/broken"
cp "$FIX"/patches-good/0001-swiotlb-dedicated-pool.patch "$T/broken/"
cat >"$T/broken/0002-break.patch" <<'P'
--- a/kernel/dma/swiotlb.c
+++ b/kernel/dma/swiotlb.c
@@ -1,4 +1,5 @@
 // SPDX-License-Identifier: GPL-2.0
 /* Fake kernel: the default bounce-buffer pool. */
+#error this patch breaks the build
 #include <stdio.h>
 #include <linux/swiotlb.h>
P
printf '0001-swiotlb-dedicated-pool.patch\n0002-break.patch\n' >"$T/broken/series"
run --json build --source "$T/tree" $G --patches "$T/broken"
expect_rc 1 "a broken build exits 1"
expect_contains "$out" '"code":"build-failed"' "the error code is build-failed"
expect_contains "$err" "the last" "the tail of the log is shown"
expect_contains "$err" "#error this patch breaks the build" "the compiler's error is in the tail"
log=$(echo "$out" | jget 'd["log"]')
[ -s "$log" ] && ok "the full log is kept ($log)" || not_ok "no log at '$log'"
unchanged "after a broken build the tree is exactly as before"

# --- interrupted (SIGTERM) while make runs: the patches are undone too
fresh
mkdir "$T/slow"
cp "$FIX"/patches-good/0001-swiotlb-dedicated-pool.patch "$T/slow/"
printf '0001-swiotlb-dedicated-pool.patch\n' >"$T/slow/series"
printf '#!/bin/sh\ncase " $* " in *" bzImage "*) sleep 30 ;; esac\nexec /usr/bin/make "$@"\n' >"$T/make"
chmod +x "$T/make"
PATH="$T:$PATH" "$WSLCTL" build --source "$T/tree" $G --patches "$T/slow" >"$T/int.out" 2>&1 &
pid=$!
i=0
until grep -q "^make -j" "$T/int.out" 2>/dev/null || [ $i -gt 100 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.3
kill -TERM "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 143 ] && ok "an interrupted build exits 128+SIGTERM (143)" || not_ok "interrupted build exited $rc, not 143"
expect_contains "$(cat "$T/int.out")" "interrupted" "the interruption is reported"
unchanged "after an interruption the tree is exactly as before"
