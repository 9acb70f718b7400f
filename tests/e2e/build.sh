# SPDX-License-Identifier: MIT
# wslctl build on the fake kernel tree (tests/fixtures/fake-kernel): real GNU patch, real
# make and gcc, real mke2fs and qemu-img; the store on a fake Windows drive under --root.
. "$TESTS_DIR/lib.sh"
. "$TESTS_DIR/build-lib.sh"
mkdir -p "$T/data/kernel-config" "$T/root/mnt/c"
cp -R "$FIX/patches-good" "$T/data/patches"
cat >"$T/data/kernel-config/test.config" <<'CFG'
# why: the modules test needs one module
# need: y|m
CONFIG_VIRTIO_FS=m
# need: build
CONFIG_IKCONFIG=y
# need: build
CONFIG_IKCONFIG_PROC=y
CFG
HOME_W="$T/root/mnt/c/wslctl"
G="--root $T/root --home $HOME_W --wslconfig $T/wslconfig"

cp -R "$FIX/fake-kernel" "$T/tree"
sums "$T/tree" >"$T/tree.before"

# --- dry run: reports, writes nothing
run --json -n build --source "$T/tree" $G --modules
expect_rc 0 "dry run exits 0"
expect_contains "$out" '"dry_run":true' "dry run says so"
expect_contains "$out" '"status":"applied"' "dry run shows the patches that would apply"
sums "$T/tree" >"$T/tree.after"
same_file "$T/tree.before" "$T/tree.after" "dry run leaves the tree untouched"
[ ! -e "$HOME_W" ] && [ ! -e "$T/cache/wslctl/build" ] && ok "dry run creates no store or build folder" ||
	not_ok "dry run created folders"

# --- first build: patches applied, modules, installed, activated; with an ordinary
# user's PATH, which lacks /usr/sbin where mke2fs lives.
printf '[wsl2]\r\nvirtiofs=true\r\n' >"$T/wslconfig"
saved_path=$PATH
PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v 'sbin' | paste -sd: -)
run --json build --source "$T/tree" $G --modules -j 2
PATH=$saved_path
expect_rc 0 "build exits 0"
rel=$(echo "$out" | jget 'd["release"]')
[ "$rel" = "6.18.35.2-microsoft-standard-WSL2-wslctl" ] && ok "release is the tree's version + CONFIG_LOCALVERSION + -wslctl" ||
	not_ok "release is '$rel'"
[ "$(echo "$out" | jget '[p["status"] for p in d["patches"]]')" = "['applied', 'applied', 'applied', 'applied']" ] &&
	ok "all four patches applied" || not_ok "patch statuses: $out"
[ "$(echo "$out" | jget 'd["dropped_options"]')" = "[]" ] && ok "no option dropped" || not_ok "dropped: $out"
img=$(echo "$out" | jget 'd["image"]')
log=$(echo "$out" | jget 'd["log"]')
[ "$img" = "$HOME_W/versions/$rel/kernel" ] && ok "image is in the store" || not_ok "image is $img"
# The fake kernel is a program: running it proves the patched code was compiled in.
cp "$img" "$T/k" && chmod +x "$T/k"
kout=$("$T/k")
expect_contains "$kout" "Linux version $rel" "the kernel knows its release"
expect_contains "$kout" "hv_pci: reserved swiotlb pool of 64 MB" "the patched code is in the kernel"
expect_contains "$(cat "$log")" "CC      init/main.o" "the log holds make's output"
expect_contains "$(cat "$T/wslconfig")" "kernel=C:\\\\wslctl\\\\versions\\\\$rel\\\\kernel" "kernel= activated"
expect_contains "$(cat "$T/wslconfig")" "kernelModules=C:\\\\wslctl\\\\versions\\\\$rel\\\\modules.vhd" "kernelModules= activated"
expect_contains "$(qemu-img info "$HOME_W/versions/$rel/modules.vhd")" "file format: vhdx" "modules.vhd is a VHDX"
qemu-img convert -O raw "$HOME_W/versions/$rel/modules.vhd" "$T/mod.raw"
# debugfs lives in /usr/sbin, which an ordinary user's PATH lacks.
debugfs=$(PATH="$PATH:/usr/sbin:/sbin" command -v debugfs) || debugfs=debugfs
expect_contains "$("$debugfs" -R 'ls -p /kernel/fs/fuse' "$T/mod.raw" 2>/dev/null)" "virtio_fs.ko" \
	"modules.vhd holds lib/modules/<release> at its root"
expect_contains "$("$debugfs" -R 'cat /modules.dep' "$T/mod.raw" 2>/dev/null)" "kernel/fs/fuse/virtio_fs.ko:" \
	"modules.vhd holds modules.dep"
left=$(cd "$T/tree" && find . -name '*.o' -o -name '*.ko' -o -name .config -o -name generated)
[ -z "$left" ] && ok "the source tree holds no build output" || not_ok "build output in the tree: $left"

# --- second build: everything present, make is a no-op, nothing new installed
cp "$T/wslconfig" "$T/wslconfig.1"
manifest1=$(cat "$HOME_W/versions/$rel/manifest.json")
run --json build --source "$T/tree" $G --modules -j 2
expect_rc 0 "second build exits 0"
expect_contains "$out" '"changed":false' "second build changes nothing"
[ "$(echo "$out" | jget '[p["status"] for p in d["patches"]]')" = "['present', 'present', 'present', 'present']" ] &&
	ok "second build finds every patch present" || not_ok "statuses: $out"
log2=$(echo "$out" | jget 'd["log"]')
case "$(cat "$log2")" in *"  CC "*|*"  LD "*) not_ok "second make compiled again" ;; *) ok "second make is a no-op" ;; esac
[ "$manifest1" = "$(cat "$HOME_W/versions/$rel/manifest.json")" ] && ok "the store version is not reinstalled" ||
	not_ok "manifest changed"
same_file "$T/wslconfig.1" "$T/wslconfig" ".wslconfig untouched the second time"
case "$(cat "$log2")" in *modules_install*) not_ok "unchanged modules were installed again" ;;
	*) ok "unchanged modules are not installed again" ;; esac
case "$(cat "$log2")" in *olddefconfig*) not_ok "the configuration was redone" ;;
	*) ok "nothing the configuration reads changed: merge and olddefconfig are skipped" ;; esac

# A Kconfig file that changed (a patch, an edit) makes the configuration run again.
touch "$T/tree/Kconfig"
run --json build --source "$T/tree" $G --modules -j 2
expect_rc 0 "build after a Kconfig change exits 0"
log3=$(echo "$out" | jget 'd["log"]')
expect_contains "$(cat "$log3")" "olddefconfig" "a newer Kconfig reruns olddefconfig"
case "$(cat "$log3")" in *"  CC "*) not_ok "an identical configuration recompiled" ;;
	*) ok "an identical configuration keeps .config and make a no-op" ;; esac
# A fragment that changed: reconfigured, rebuilt, reinstalled.
printf '# need: n\n# CONFIG_PCI_HYPERV is not set\n' >>"$T/data/kernel-config/test.config"
run --json build --source "$T/tree" $G --modules -j 2
expect_rc 0 "build after a fragment change exits 0"
expect_contains "$out" '"changed":true' "a changed configuration installs a new kernel"
expect_contains "$(cat "$(echo "$out" | jget 'd["log"]')")" "  CC " "a changed configuration recompiles"
# A changed module: installed again, and a new modules.vhd.
vhd1=$(sha256sum "$HOME_W/versions/$rel/modules.vhd")
printf 'int virtio_fs_changed(void);\nint virtio_fs_changed(void) { return 1; }\n' >>"$T/tree/fs/fuse/virtio_fs.c"
run --json build --source "$T/tree" $G --modules -j 2
expect_rc 0 "build after a module change exits 0"
expect_contains "$(cat "$(echo "$out" | jget 'd["log"]')")" "modules_install" "a changed module is installed"
[ "$vhd1" != "$(sha256sum "$HOME_W/versions/$rel/modules.vhd")" ] && ok "a changed module makes a new modules.vhd" ||
	not_ok "modules.vhd unchanged after a module change"
cp "$T/wslconfig" "$T/wslconfig.1"

# --- options: tinyconfig base, only our fragment, no activation, another localversion
printf 'CONFIG_VIRTIO=y\nCONFIG_FUSE_FS=y\nCONFIG_VIRTIO_FS=y\n' >"$T/frag.config"
run --json build --source "$T/tree" $G --no-activate --base-config tinyconfig \
	--no-default-fragments --config-fragment "$T/frag.config" --localversion -tiny -j 1
expect_rc 0 "tinyconfig build exits 0"
expect_contains "$out" '"release":"6.18.35.2-tiny"' "--localversion sets the release (tinyconfig has no CONFIG_LOCALVERSION)"
bdir=$(echo "$out" | jget 'd["build_dir"]')
expect_contains "$(cat "$bdir/.config")" "# CONFIG_MODULES is not set" "tinyconfig is the base"
expect_contains "$(cat "$bdir/.config")" "CONFIG_VIRTIO_FS=y" "--config-fragment is merged"
case "$(cat "$bdir/.config")" in *IKCONFIG_PROC=y*) not_ok "--no-default-fragments ignored" ;;
	*) ok "--no-default-fragments drops kernel-config/" ;; esac
same_file "$T/wslconfig.1" "$T/wslconfig" "--no-activate leaves .wslconfig alone"
expect_contains "$(cat "$(echo "$out" | jget 'd["log"]')")" "-j1" "-j is passed to make"

run build --source "$T/tree" $G --no-activate --base-config tinyconfig --no-default-fragments --modules
expect_rc 2 "--modules without CONFIG_MODULES exits 2"
expect_contains "$err" "no CONFIG_MODULES=y" "--modules without CONFIG_MODULES says why"

# --- --base-config FILE: the user's own starting point
printf 'CONFIG_64BIT=y\nCONFIG_LOCALVERSION="-mine"\nCONFIG_PCI=y\n' >"$T/mine.config"
run --json build --source "$T/tree" $G --no-activate --base-config "$T/mine.config" \
	--no-default-fragments --build-dir "$T/obj-mine"
expect_rc 0 "a --base-config FILE build exits 0"
expect_contains "$out" '"release":"6.18.35.2-mine-wslctl"' "the base file's CONFIG_LOCALVERSION is used"
expect_contains "$out" "\"build_dir\":\"$T/obj-mine\"" "--build-dir is make's O="
[ -f "$T/obj-mine/vmlinux" ] && ok "the output is in --build-dir" || not_ok "no vmlinux in --build-dir"
run build --source "$T/tree" $G --no-activate --base-config "$T/nothing.config"
expect_rc 3 "a missing --base-config file exits 3 (a file named on the command line)"
expect_contains "$err" "nothing.config" "a missing --base-config file is named"

# --- a tree that carries its own version of 0001: the probe skips ours
cp -R "$FIX/fake-kernel" "$T/vendor"
sed -i 's|^void swiotlb_init(int addressing_limit, unsigned int flags);|&\nstruct io_tlb_pool *swiotlb_create_pool(void *dev, size_t size); /* vendor */|' \
	"$T/vendor/include/linux/swiotlb.h"
sums "$T/vendor" >"$T/vendor.before"
run --json build --source "$T/vendor" $G --no-activate --patches "$FIX/patches-present"
expect_rc 0 "build of a vendor tree exits 0"
[ "$(echo "$out" | jget '[p["status"] for p in d["patches"]]')" = "['present', 'applied']" ] &&
	ok "present-if marks the vendor's change present, the rest applies" || not_ok "statuses: $out"
# Without the probe the same patch is a conflict, and the tree is left as it was.
cp -R "$FIX/fake-kernel" "$T/vendor2"
sed -i 's|^void swiotlb_init(int addressing_limit, unsigned int flags);|&\nstruct io_tlb_pool *swiotlb_create_pool(void *dev, size_t size); /* vendor */|' \
	"$T/vendor2/include/linux/swiotlb.h"
mkdir "$T/noprobe" && cp "$FIX"/patches-present/*.patch "$T/noprobe/"
printf '0001-swiotlb-dedicated-pool.patch\n0002-virtiofs-clamp-to-dma-size.patch\n' >"$T/noprobe/series"
sums "$T/vendor2" >"$T/vendor2.before"
run build --source "$T/vendor2" $G --no-activate --patches "$T/noprobe"
expect_rc 1 "without the probe the vendor tree conflicts"
sums "$T/vendor2" >"$T/vendor2.after"
same_file "$T/vendor2.before" "$T/vendor2.after" "conflicting vendor tree is untouched"

# --- bad input
run build --source "$T/nope" $G --no-activate
expect_rc 3 "a missing source exits 3 (bad input refused)"
expect_contains "$err" "no such folder or file" "a missing source is named"
mkdir "$T/badseries" && printf '0001-a.patch\n0002-b.patch -q\n' >"$T/badseries/series"
: >"$T/badseries/0001-a.patch"
run --json build --source "$T/tree" $G --no-activate --patches "$T/badseries"
expect_rc 3 "a malformed series exits 3"
expect_contains "$out" "badseries/series:2: unknown option '-q'" "the series error names file and line"
printf 'CONFIG_VIRTIO=y\nthis is not kconfig\n' >"$T/bad.config"
run build --source "$T/tree" $G --no-activate --config-fragment "$T/bad.config"
expect_rc 3 "a malformed fragment exits 3"
expect_contains "$err" "bad.config:2" "the fragment error names file and line"
mkdir "$T/notakernel"
run build --source "$T/notakernel" $G --no-activate
expect_rc 3 "a folder that is not a kernel tree exits 3"
expect_contains "$err" "is not a kernel source tree" "a folder that is not a kernel tree is named"
[ -z "$(ls -A "$T/notakernel")" ] && ok "nothing is written to a folder that is not a kernel tree" ||
	not_ok "files appeared in $T/notakernel"
cp -R "$FIX/fake-kernel" "$T/inplace" && : >"$T/inplace/.config"
sums "$T/inplace" >"$T/inplace.before"
run build --source "$T/inplace" $G --no-activate
expect_rc 2 "a tree configured in place exits 2"
expect_contains "$err" "make mrproper" "a tree configured in place gets the fix"
sums "$T/inplace" >"$T/inplace.after"
same_file "$T/inplace.before" "$T/inplace.after" "a tree configured in place is not patched"
run build --source "$T/tree" $G --no-activate --frobnicate
expect_rc 2 "an unknown option exits 2"
run build --source "$T/tree" --root "$T/root" --home "$T/home-linux" --wslconfig "$T/wslconfig"
expect_rc 2 "activating a store Windows cannot read is refused before building"
expect_contains "$err" "--no-activate" "the refusal says how to go on"

# --- two builds of one build folder at once: the second is refused, not interleaved
bdir=$(cd "$T/cache/wslctl/build" && ls -d tree-* | head -1)
flock "$T/cache/wslctl/build/$bdir/.wslctl/lock" sleep 3 &
fpid=$!
sleep 0.3
run --json build --source "$T/tree" $G --no-activate
expect_rc 1 "a build folder in use exits 1"
expect_contains "$out" '"code":"locked"' "a build folder in use is locked"
wait "$fpid"

# --- on a terminal: a one-line progress display (redrawn with \r), not a scroll
if command -v script >/dev/null 2>&1; then
	touch "$T/tree/init/main.c"
	script -qec "'$WSLCTL' build --source '$T/tree' $G --no-activate" "$T/tty.txt" >/dev/null 2>&1
	expect_contains "$(cat "$T/tty.txt")" "$(printf '\r\033[K[')" "a terminal gets the progress line"
fi
