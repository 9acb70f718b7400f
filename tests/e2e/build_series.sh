# SPDX-License-Identifier: MIT
# wslctl build -n and the patch series it reads: a series line naming a FIFO, a device or a
# folder is refused at once (exit 3), never waited on; a name outside the series' folder
# is refused; a dry run says its patches would apply. Only -n: nothing is compiled.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/build-lib.sh"
mkdir -p "$T/data/kernel-config"
cp -R "$FIX/patches-good" "$T/data/patches"
G="--home $T/store --no-activate"
cp -R "$FIX/fake-kernel" "$T/tree"
sums "$T/tree" >"$T/before"

# A hang is a failure too: each run gets 20 s (124 is timeout's exit).
run_t() {
	timeout 20 "$WSLCTL" "$@" >"$T/.out" 2>"$T/.err"
	rc=$?
	out=$(cat "$T/.out")
	err=$(cat "$T/.err")
}

# series NAME LINE...: a patch folder $T/NAME with the good patches and this series.
series() {
	d="$T/$1"
	shift
	rm -rf "$d" && mkdir "$d" && cp "$FIX"/patches-good/*.patch "$d/"
	printf '%s\n' "$@" >"$d/series"
}

# --- item 1: a patch that is not a regular file
series fifo 0001-swiotlb-dedicated-pool.patch 'pipe.patch -p1'
mkfifo "$T/fifo/pipe.patch"
series zero 0001-swiotlb-dedicated-pool.patch '# a device' 'zero.patch'
ln -s /dev/zero "$T/zero/zero.patch"
series dir 'folder.patch'
mkdir "$T/dir/folder.patch"
for case in fifo:2:pipe.patch zero:3:zero.patch dir:1:folder.patch; do
	name=${case%%:*} rest=${case#*:}
	line=${rest%%:*} file=${rest#*:}
	for n in -n ""; do
		run_t --json build $n --source "$T/tree" $G --patches "$T/$name"
		expect_rc 3 "build $n: a series line naming a $name exits 3"
		expect_contains "$out" '"code":"invalid-file"' "build $n: a $name patch is invalid-file"
		expect_contains "$err" "$name/series:$line: patch $file" "build $n: the $name's series line is named"
	done
done
expect_contains "$err" "a folder, not a regular file" "the refusal says what the file is"

# The series file itself and a present-if probe: the same, never waited on.
mkdir "$T/seriesfifo" && mkfifo "$T/seriesfifo/series"
run_t build -n --source "$T/tree" $G --patches "$T/seriesfifo"
expect_rc 3 "a FIFO as the series file exits 3"
expect_contains "$err" "seriesfifo/series is a FIFO" "the series FIFO is named"
series probe '0001-swiotlb-dedicated-pool.patch present-if=probe.fifo:x'
mkfifo "$T/tree/probe.fifo"
run_t build -n --source "$T/tree" $G --patches "$T/probe"
expect_rc 3 "a present-if probe that is a FIFO exits 3"
expect_contains "$err" "probe/series:1:" "the probe's series line is named"
rm "$T/tree/probe.fifo"

# A patch file swapped after the series was read is not read again: patch gets the bytes
# that were checked (a symbolic link to a regular file is fine).
series link 'link.patch'
ln -s "$T/link/0001-swiotlb-dedicated-pool.patch" "$T/link/link.patch"
run_t --json build -n --source "$T/tree" $G --patches "$T/link"
expect_rc 0 "a link to a regular patch file is followed"

# --- item 2: names outside the series' folder
mkdir -p "$T/outside/inner"
cp "$FIX/patches-good/0001-swiotlb-dedicated-pool.patch" "$T/outside/"
for bad in ../0001-swiotlb-dedicated-pool.patch "$T/outside/0001-swiotlb-dedicated-pool.patch" \
	sub/../../0001-swiotlb-dedicated-pool.patch; do
	printf '# escapes\n%s\n' "$bad" >"$T/outside/inner/series"
	run_t --json build -n --source "$T/tree" $G --patches "$T/outside/inner"
	expect_rc 3 "a series name '$bad' exits 3"
	expect_contains "$err" "inner/series:2: patch '$bad'" "the escaping name's file and line are named"
done
mkdir "$T/outside/inner/sub"
cp "$FIX/patches-good/0001-swiotlb-dedicated-pool.patch" "$T/outside/inner/sub/"
printf 'sub/0001-swiotlb-dedicated-pool.patch\n' >"$T/outside/inner/series"
run_t --json build -n --source "$T/tree" $G --patches "$T/outside/inner"
expect_rc 0 "a name in a subfolder of the series' folder is fine"
# The repository's own series loads as it is.
run_t --json build -n --source "$T/tree" $G --patches "$TESTS_DIR/../patches"
[ "$rc" -ne 3 ] && ok "the repository's patches/series is accepted" || not_ok "repository series refused: $err"

# --- item 3: a dry run says what would happen, not what did
run_t --json build -n --source "$T/tree" $G
expect_rc 0 "dry run exits 0"
expect_contains "$out" '"dry_run":true' "dry run JSON says dry_run"
expect_contains "$out" '"status":"applied"' "dry run JSON keeps the status it would have (SPEC)"
run_t build -n --source "$T/tree" $G
expect_rc 0 "dry run in text exits 0"
expect_contains "$err" "0001-swiotlb-dedicated-pool.patch" "dry run text names the patch"
case "$err" in
*" applied"*) not_ok "dry run text says 'applied': $err" ;;
*"would apply"*) ok "dry run text says 'would apply'" ;;
*) not_ok "dry run text says neither: $err" ;;
esac
sums "$T/tree" >"$T/after"
same_file "$T/before" "$T/after" "no dry run touched the tree"

# A dry run creates no folder: -n with a --build-dir that does not exist yet (finding 7).
run --json build -n --source "$T/tree" $G --build-dir "$T/x/bd"
expect_rc 0 "build -n with a new --build-dir exits 0"
[ ! -e "$T/x" ] && ok "build -n creates no --build-dir" || not_ok "build -n created $(ls -R "$T/x")"
expect_contains "$out" "\"build_dir\":\"$T/x/bd\"" "build -n reports the build folder it would use"
(cd "$T" && "$WSLCTL" --json build -n --source "$T/tree" $G --build-dir x/rel >"$T/.out" 2>"$T/.err")
expect_contains "$(cat "$T/.out")" "\"build_dir\":\"$T/x/rel\"" "build -n reports a relative --build-dir made absolute"
[ ! -e "$T/x" ] && ok "build -n creates no relative --build-dir" || not_ok "build -n created $T/x"
