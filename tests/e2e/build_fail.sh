# SPDX-License-Identifier: MIT
# wslctl build failures: a conflict, a fuzz-only patch, a patch that fails half-way, a
# dropped option, a broken build and interrupted ones (during patch and during make) all
# leave the source tree exactly as it was (checksums).
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

# A build folder holds no lock, no saved copies of a patch's files, no temporary file
# after a run that ended, however it ended (the store's own lock file stays: store.h).
leftovers() { find "$T/cache/wslctl/build" "$T/store" \( -name 'lock' -o -name '*lock' -o \
	-name 'wslctl-undo.*' -o -name '*.tmp' -o -name '*.part' -o -name '.*.wslctl-*' \) \
	! -path "$T/store/lock" 2>/dev/null; }
no_leftovers() { l=$(leftovers); [ -z "$l" ] && ok "$1" || not_ok "$1: $l"; }

# A patch of several files that passes its dry run and fails half-way through the real
# run: modifies a file, creates one in a new folder and a symbolic link, deletes a file
# (its folder then empty). The wrapper runs GNU patch, then fails the real run of the
# half patch (known by its text: patch is given the bytes as /dev/fd/N, the last
# argument, not the file's name) as $T/half-mode says: fail, or stop there (slow).
REAL_PATCH=$(command -v patch)
mkdir -p "$T/bin" "$T/half"
cat >"$T/bin/patch" <<W
#!/bin/sh
"$REAL_PATCH" "\$@"; rc=\$?
case " \$* " in *" --dry-run "*|*" --reverse "*) exit \$rc ;; esac
for f in "\$@"; do :; done
grep -q 'drivers/half' "\$f" 2>/dev/null || exit \$rc
[ "\$(cat "$T/half-mode")" = fail ] && exit 1
touch "$T/patched"; exec sleep 30
W
echo fail >"$T/half-mode"
chmod +x "$T/bin/patch"
{
	printf 'diff --git a/kernel/dma/swiotlb.c b/kernel/dma/swiotlb.c\n'
	printf -- '--- a/kernel/dma/swiotlb.c\n+++ b/kernel/dma/swiotlb.c\n'
	printf '@@ -1,4 +1,5 @@\n // SPDX-License-Identifier: GPL-2.0\n'
	printf ' /* Fake kernel: the default bounce-buffer pool. */\n+/* half applied */\n'
	printf ' #include <stdio.h>\n #include <linux/swiotlb.h>\n'
	printf 'diff --git a/drivers/half/new/made.c b/drivers/half/new/made.c\nnew file mode 100644\n'
	printf -- '--- /dev/null\n+++ b/drivers/half/new/made.c\n@@ -0,0 +1 @@\n+int made;\n'
	printf 'diff --git a/include/linux/half.h b/include/linux/half.h\nnew file mode 120000\n'
	printf -- '--- /dev/null\n+++ b/include/linux/half.h\n@@ -0,0 +1 @@\n+swiotlb.h\n'
	printf '\\ No newline at end of file\n'
	printf 'diff --git a/drivers/virtio/virtio.c b/drivers/virtio/virtio.c\ndeleted file mode 100644\n'
	printf -- '--- a/drivers/virtio/virtio.c\n+++ /dev/null\n@@ -1,%d +0,0 @@\n' \
		"$(wc -l <"$FIX/fake-kernel/drivers/virtio/virtio.c")"
	sed 's/^/-/' "$FIX/fake-kernel/drivers/virtio/virtio.c"
} >"$T/half/0002-half-fail.patch"
cp "$FIX"/patches-good/0001-swiotlb-dedicated-pool.patch "$T/half/"
printf '0001-swiotlb-dedicated-pool.patch\n0002-half-fail.patch\n' >"$T/half/series"
fresh
PATH="$T/bin:$PATH" run --json build --source "$T/tree" $G --patches "$T/half"
expect_rc 1 "a patch that fails after its dry run passed exits 1"
expect_contains "$out" '"code":"patch-conflict"' "its error code is patch-conflict"
expect_contains "$err" "passed its dry run but failed" "the message says what happened"
expect_contains "$out" '"status":"reversed"' "the patch before it was reversed"
unchanged "after a patch failed half-way the tree is exactly as before (issue 17.15)"
[ ! -e "$T/tree/include/linux/half.h" ] && [ ! -L "$T/tree/include/linux/half.h" ] &&
	ok "the symbolic link it made is gone" || not_ok "the link it made is still there"
no_leftovers "a patch that failed half-way leaves no lock or saved copies"

# Interrupted while patch runs (it has written, not yet ended): SIGINT, exit 130, the
# JSON error is interrupted, the tree exactly as before (issue 13 item 12).
mv "$T/half/0002-half-fail.patch" "$T/half/0002-half-slow.patch"
echo slow >"$T/half-mode"
printf '0001-swiotlb-dedicated-pool.patch\n0002-half-slow.patch\n' >"$T/half/series"
# interrupt_build SIGNAL FILE: starts the build in the background, sends SIGNAL once FILE
# exists; $rc is its exit status, $int_out its stdout, $took how long it took to stop.
interrupt_build() {
	rm -f "$T/patched"
	PATH="$T/bin:$T:$PATH" "$WSLCTL" --json build --source "$T/tree" $G --patches "$3" \
		>"$T/int.out" 2>"$T/int.err" &
	pid=$!
	i=0
	until [ -e "$2" ] || [ $i -gt 200 ]; do sleep 0.05; i=$((i + 1)); done
	sleep 0.2
	start=$(date +%s)
	kill "-$1" "$pid"
	wait "$pid"
	rc=$?
	took=$(($(date +%s) - start))
	int_out=$(cat "$T/int.out")
}
fresh
interrupt_build INT "$T/patched" "$T/half"
[ "$rc" -eq 130 ] && ok "SIGINT during patch exits 130" ||
	not_ok "SIGINT during patch exited $rc: $(cat "$T/int.err")"
[ "$took" -le 3 ] && ok "SIGINT during patch stops it promptly (${took}s)" || not_ok "took ${took}s"
expect_contains "$int_out" '"code":"interrupted"' "the JSON error code is interrupted"
unchanged "after SIGINT during patch the tree is exactly as before"
no_leftovers "SIGINT during patch leaves no lock or saved copies"

# SIGINT while make is silent (the wrapper make above sleeps before building): stopped
# at once, not at make's next line of output.
fresh
printf '#!/bin/sh\ncase " $* " in *" bzImage "*) touch "%s/making"; sleep 30 ;; esac\nexec /usr/bin/make "$@"\n' \
	"$T" >"$T/make"
rm -f "$T/making"
interrupt_build INT "$T/making" "$T/slow"
[ "$rc" -eq 130 ] && ok "SIGINT during a silent make exits 130" ||
	not_ok "SIGINT during make exited $rc: $(cat "$T/int.err")"
[ "$took" -le 3 ] && ok "SIGINT during a silent make stops it promptly (${took}s)" ||
	not_ok "took ${took}s"
expect_contains "$int_out" '"code":"interrupted"' "make interrupted: the JSON error code is interrupted"
expect_contains "$int_out" '"status":"reversed"' "make interrupted: the patches were reversed"
unchanged "after SIGINT during make the tree is exactly as before"
no_leftovers "SIGINT during make leaves no lock or temporary file"

# A reader that goes away (`| head -3`): SIGPIPE is noted like SIGINT, the run unwinds and
# the tree is restored (exit 141 = 128+13).
fresh
rm -f "$T/making"
( "$WSLCTL" build --source "$T/tree" $G 2>&1; echo $? >"$T/pipe.rc" ) | head -3 >/dev/null
prc=$(cat "$T/pipe.rc")
[ "$prc" -eq 141 ] && ok "a closed output pipe exits 141" || not_ok "a closed output pipe exited $prc"
unchanged "after a closed output pipe the tree is exactly as before"
no_leftovers "a closed output pipe leaves no lock or temporary file"

# A build whose output holds terminal escapes: the tail and the report show them as \xNN,
# never as raw bytes (finding 6).
fresh
mkdir -p "$T/esc"
printf '#!/bin/sh\ncase " $* " in *" bzImage "*) printf "\\033]0;PWNED\\007\\033[2J boom\\n"; exit 2 ;; esac\nexec /usr/bin/make "$@"\n' \
	>"$T/esc/make"
chmod +x "$T/esc/make"
PATH="$T/esc:$PATH" run build --source "$T/tree" $G
expect_rc 1 "a build printing escapes and failing exits 1"
expect_contains "$err" 'PWNED' "the failing build's output is shown"
if printf '%s' "$err" | LC_ALL=C grep -q "$(printf '\033')"; then not_ok "a raw ESC reached stderr"
else ok "no raw ESC reaches stderr"; fi
if printf '%s' "$err" | LC_ALL=C grep -q "$(printf '\007')"; then not_ok "a raw BEL reached stderr"
else ok "no raw BEL reaches stderr"; fi
unchanged "after a build printing escapes the tree is exactly as before"
