#!/bin/sh
# SPDX-License-Identifier: MIT
# make kernel-test: proves patches/ on Debian's 6.12 kernel source.
#
#   source     install linux-source-6.12 (bookworm-security), unpack it once
#   lint       checkpatch --strict on every patch
#   build      patches + tinyconfig + kernel-config/ + tests/kernel/test.config,
#              bzImage (through `wslctl build`, or plain patch+make with KTEST_PLAIN=1)
#   probes     present-if probes and reverse-apply, through `wslctl build -n`
#   w1         every file the series touches compiles warning-free with W=1, also
#              with SWIOTLB_DYNAMIC on, CONTIG_ALLOC off and PCI_HYPERV=m
#   initramfs  busybox-static, tests/kernel/init, wslctl and its shared libraries
#   boot       qemu-system-x86_64 -accel tcg, swiotlb=force, one host folder shared over
#              virtiofsd and over virtio-9p, virtio-blk disks with iommu_platform=on
#              (one read-only, one ext4 made on the host); KUnit runs during boot
#   assert     KUnit TAP all ok, file round trip, bounced block reads, hv_pci log
#              line, `wslctl check --json` verdicts, `wslctl bench --quick --json` on
#              9p, virtiofs and ext4 (transports, workloads, the pool's peak)
#
# Environment: KTEST_WORK (default /var/tmp/wslctl-kernel-test), KTEST_JOBS (2),
# KTEST_PLAIN=1 (plain patch+make instead of wslctl build), KTEST_SKIP_W1=1,
# KTEST_IMAGE=bzImage (boot that kernel: skips source, lint, build and W=1).
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
WORK=${KTEST_WORK:-/var/tmp/wslctl-kernel-test}
JOBS=${KTEST_JOBS:-2}
BUILD=${BUILD:-build}
case "$BUILD" in /*) ;; *) BUILD="$repo/$BUILD" ;; esac
PRISTINE="$WORK/pristine"
TREE="$WORK/linux"
OBJ="$WORK/obj"
LOG="$WORK/logs"

fails=0
passes=0
total_start=$(date +%s)
mkdir -p "$WORK" "$LOG"

ok() { passes=$((passes + 1)); echo "ok - $*"; }
not_ok() { fails=$((fails + 1)); echo "not ok - $*"; }
die() { echo "kernel-test: $*" >&2; exit 1; }
phase_start() { phase=$1; phase_t=$(date +%s); echo "== $phase"; }
phase_end() { echo "== $phase: $(($(date +%s) - phase_t)) s"; timings="$timings $phase=$(($(date +%s) - phase_t))s"; }
timings=""

# --- source -------------------------------------------------------------------------
. "$here/source.sh"

IMAGE=${KTEST_IMAGE:-}
if [ -z "$IMAGE" ]; then
phase_start source
sh "$repo/packaging/deps.sh" build test kernel || die "packaging/deps.sh failed"
ensure_source_pkg
unpack_source
phase_end

# --- lint ---------------------------------------------------------------------------
phase_start lint
series_patches=$(sed -e 's/#.*//' "$repo/patches/series" | awk 'NF { print $1 }')
for p in $series_patches; do
	# checkpatch's SPDX check wants Debian's python3 (ply, git), not a pyenv one.
	if PATH=/usr/bin:$PATH "$TREE/scripts/checkpatch.pl" --strict --no-tree \
		"$repo/patches/$p" >"$LOG/checkpatch-$p.log" 2>&1; then
		ok "checkpatch --strict clean: $p"
	else
		not_ok "checkpatch --strict: $p ($(grep -c '^\(ERROR\|WARNING\|CHECK\)' "$LOG/checkpatch-$p.log") findings, $LOG/checkpatch-$p.log)"
	fi
done
phase_end

# --- build --------------------------------------------------------------------------
fragments() {
	for f in "$repo"/kernel-config/*.config; do
		[ -e "$f" ] && echo "$f"
	done
	echo "$here/test.config"
}

# Every option of test.config must survive olddefconfig: the test needs them all.
check_fragment_survived() {
	grep -h '^CONFIG_' "$here/test.config" | while IFS= read -r line; do
		grep -qx "$line" "$OBJ/.config" || echo "${line%%=*}"
	done
}

build_plain() {
	for p in $series_patches; do
		patch -d "$TREE" -p1 --batch --forward --fuzz=0 --no-backup-if-mismatch \
			-i "$repo/patches/$p" >"$LOG/patch-$p.log" 2>&1 ||
			{ not_ok "patch applies without fuzz: $p"; cat "$LOG/patch-$p.log"; return 1; }
		ok "patch applies without fuzz: $p"
	done
	mkdir -p "$OBJ"
	make -C "$TREE" O="$OBJ" tinyconfig >"$LOG/config.log" 2>&1 || return 1
	# shellcheck disable=SC2046
	(cd "$TREE" && scripts/kconfig/merge_config.sh -m -O "$OBJ" "$OBJ/.config" \
		$(fragments)) >>"$LOG/config.log" 2>&1 || return 1
	make -C "$TREE" O="$OBJ" olddefconfig >>"$LOG/config.log" 2>&1 || return 1
	make -C "$TREE" O="$OBJ" -j"$JOBS" bzImage >"$LOG/build.log" 2>&1 ||
		{ tail -30 "$LOG/build.log"; return 1; }
	IMAGE="$OBJ/arch/x86/boot/bzImage"
}

build_wslctl() {
	make -C "$repo" BUILD="$BUILD" >"$LOG/wslctl-make.log" 2>&1 ||
		{ tail -20 "$LOG/wslctl-make.log"; return 1; }
	set --
	for f in $(fragments); do
		case "$f" in "$repo"/kernel-config/*) ;; *) set -- "$@" --config-fragment "$f" ;; esac
	done
	WSLCTL_DATA_DIR="$repo" "$BUILD/wslctl" --json build --source "$TREE" --no-activate \
		--base-config tinyconfig "$@" --home "$WORK/home" --build-dir "$OBJ" \
		-j "$JOBS" >"$WORK/build.json" 2>"$LOG/wslctl-build.log"
	rc=$?
	python3 - "$WORK/build.json" "$series_patches" <<-'EOF' || return 1
	import json, sys
	doc = json.load(open(sys.argv[1]))
	want = sys.argv[2].split()
	got = {p.get("name"): p.get("status") for p in doc.get("patches", [])}
	bad = 0
	for name in want:
	    if got.get(name) == "applied":
	        print("ok - wslctl build applied %s" % name)
	    else:
	        print("not ok - wslctl build: %s is %s" % (name, got.get(name)))
	        bad += 1
	if doc.get("dropped_options"):
	    print("not ok - options dropped: %s" % " ".join(doc["dropped_options"]))
	    bad += 1
	if not doc.get("ok"):
	    print("not ok - wslctl build failed: %s" % json.dumps(doc.get("error")))
	    bad += 1
	print("image=%s" % doc.get("image", ""))
	sys.exit(1 if bad else 0)
	EOF
	[ "$rc" -eq 0 ] || return 1
	IMAGE=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["image"])' \
		"$WORK/build.json")
}

phase_start build
if [ "${KTEST_PLAIN:-0}" = 1 ]; then
	build_plain || die "plain build failed (logs in $LOG)"
else
	build_wslctl >"$LOG/wslctl-build.tap"
	brc=$?
	cat "$LOG/wslctl-build.tap"
	passes=$((passes + $(grep -c '^ok ' "$LOG/wslctl-build.tap")))
	[ "$brc" -eq 0 ] || die "wslctl build failed: $(tail -5 "$LOG/wslctl-build.log")"
fi
[ -f "$IMAGE" ] || die "no kernel image at '$IMAGE'"
lost=$(check_fragment_survived)
if [ -z "$lost" ]; then
	ok "every test.config option survived olddefconfig"
else
	not_ok "test.config options lost: $lost"
fi
echo "kernel-test: $IMAGE ($(wc -c <"$IMAGE") bytes)"
phase_end

# --- probes -------------------------------------------------------------------------
phase_start probes
make -C "$repo" BUILD="$BUILD" "$BUILD/wslctl" >"$LOG/wslctl-make.log" 2>&1 ||
	die "cannot build wslctl: $(tail -5 "$LOG/wslctl-make.log")"
sh "$here/probes.sh" "$BUILD/wslctl" "$repo" "$PRISTINE" "$TREE" "$WORK/probes" \
	>"$LOG/probes.tap" 2>&1
cat "$LOG/probes.tap"
passes=$((passes + $(grep -c '^ok ' "$LOG/probes.tap")))
fails=$((fails + $(grep -c '^not ok ' "$LOG/probes.tap")))
phase_end

# --- W=1 ----------------------------------------------------------------------------
# The .c files the series touches, as objects.
touched_objs() {
	for p in $series_patches; do
		sed -n 's|^+++ b/\(.*\)\.c$|\1.o|p' "$repo/patches/$p"
	done | sort -u
}

# w1_variant NAME CONFIG_LINES...: configure a copy of the main .config with the given
# overrides and compile the touched objects with W=1.
w1_variant() {
	name=$1
	shift
	dir="$WORK/w1-$name"
	mkdir -p "$dir"
	cp "$OBJ/.config" "$dir/.config"
	for l in "$@"; do
		echo "$l" >>"$dir/.config"
	done
	# Its "override: reassigning" warnings are expected: they go to their own log.
	make -C "$TREE" O="$dir" olddefconfig >"$LOG/w1-$name-config.log" 2>&1
	: >"$LOG/w1-$name.log"
	for l in "$@"; do
		case "$l" in
		"# CONFIG_"*) opt=${l#\# }; opt=${opt%% *}; grep -q "^$opt=" "$dir/.config" &&
			{ not_ok "W=1 $name: $opt stayed on"; return; } ;;
		CONFIG_*) grep -qx "$l" "$dir/.config" ||
			{ not_ok "W=1 $name: $l did not survive"; return; } ;;
		esac
	done
	objs=$(touched_objs)
	# shellcheck disable=SC2086
	make -C "$TREE" O="$dir" -j"$JOBS" W=1 $objs >>"$LOG/w1-$name.log" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && ! grep -q 'warning:' "$LOG/w1-$name.log"; then
		ok "W=1 warning-free ($name): $(echo $objs)"
	else
		not_ok "W=1 ($name): $(grep -c 'warning:' "$LOG/w1-$name.log") warnings, exit $rc ($LOG/w1-$name.log)"
	fi
}

if [ "${KTEST_SKIP_W1:-0}" != 1 ]; then
	phase_start w1
	# The kernel just built, then three configurations it does not cover.
	w1_variant main
	w1_variant dynamic CONFIG_SWIOTLB_DYNAMIC=y "# CONFIG_CMA is not set" \
		"# CONFIG_COMPACTION is not set" "# CONFIG_MEMORY_HOTPLUG is not set" \
		"# CONFIG_CONTIG_ALLOC is not set"
	w1_variant modular CONFIG_MODULES=y CONFIG_PCI_HYPERV=m CONFIG_FUSE_FS=m \
		CONFIG_VIRTIO_FS=m CONFIG_SWIOTLB_POOL_KUNIT_TEST=m
	phase_end
fi

fi

# --- initramfs ----------------------------------------------------------------------
phase_start initramfs
make -C "$repo" BUILD="$BUILD" "$BUILD/wslctl" >"$LOG/wslctl-make.log" 2>&1 ||
	die "cannot build wslctl: $(tail -5 "$LOG/wslctl-make.log")"
root="$WORK/initramfs"
rm -rf "$root"
mkdir -p "$root/bin" "$root/usr/bin" "$root/usr/share/wslctl" "$root/proc" "$root/sys" \
	"$root/dev" "$root/mnt" "$root/tmp"
cp /bin/busybox "$root/bin/busybox"
cp "$here/init" "$root/init"
cp "$here/bench.sh" "$root/bench.sh"
chmod 755 "$root/init"
cp "$BUILD/wslctl" "$root/usr/bin/wslctl"
cp -R "$repo/kernel-config" "$repo/patches" "$root/usr/share/wslctl/"
# wslctl's shared libraries and loader, at the paths ldd names.
ldd "$BUILD/wslctl" | awk '/=> \// { print $3 } /^\t\// { print $1 }' | while read -r lib; do
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$WORK/initramfs.cpio.gz" ||
	die "cannot pack the initramfs"
ok "initramfs with busybox and wslctl ($(wc -c <"$WORK/initramfs.cpio.gz") bytes)"
phase_end

# --- boot ---------------------------------------------------------------------------
# boot_guest NAME APPEND QEMU-ARGS...: runs the initramfs until the guest reboots (QEMU
# has -no-reboot); the console ends up in $LOG/console-NAME.txt without CRs or stamps.
boot_guest() {
	bname=$1 bappend=$2
	shift 2
	timeout 600 qemu-system-x86_64 -m 512M -smp 2 -no-reboot -display none -monitor none \
		-serial "file:$LOG/console-$bname.log" -kernel "$IMAGE" \
		-initrd "$WORK/initramfs.cpio.gz" -append "console=ttyS0 panic=-1 $bappend" \
		"$@" >"$LOG/qemu-$bname.log" 2>&1
	brc=$?
	tr -d '\r' <"$LOG/console-$bname.log" | sed 's/^\[ *[0-9.]*\] //' >"$LOG/console-$bname.txt"
	if [ "$brc" -eq 0 ] && grep -q '^KTEST done' "$LOG/console-$bname.txt"; then
		ok "$bname boot: the guest ran its init to the end"
	else
		not_ok "$bname boot: QEMU exit $brc, console $LOG/console-$bname.txt: $(tail -5 "$LOG/console-$bname.txt") $(cat "$LOG/qemu-$bname.log")"
	fi
}

# kt CONSOLE KEY: the value of the guest's first "KTEST KEY: value" line.
kt() { sed -n "s/^KTEST $2: //p" "$1" | head -1; }

# check_verdicts CONSOLE ID...: `wslctl check --json` printed between the markers
# passes each ID.
check_verdicts() {
	ccon=$1
	shift
	sed -n '/^KTEST-CHECK-BEGIN$/,/^KTEST-CHECK-END/p' "$ccon" | sed '1d;$d' >"$ccon.json"
	python3 - "$ccon.json" "$@" >"$ccon.tap" <<'EOF'
import json, sys
try:
    doc = json.load(open(sys.argv[1]))
except ValueError as e:
    print("not ok - wslctl check --json printed no JSON object: %s" % e)
    sys.exit(0)
status = {c.get("id"): c for c in doc.get("checks", [])}
for cid in sys.argv[2:]:
    c = status.get(cid)
    if c and c.get("status") == "pass":
        print("ok - wslctl check %s: pass (%s)" % (cid, c.get("detail")))
    else:
        print("not ok - wslctl check %s: %s" % (cid, json.dumps(c)))
EOF
	cat "$ccon.tap"
	passes=$((passes + $(grep -c '^ok ' "$ccon.tap")))
	fails=$((fails + $(grep -c '^not ok ' "$ccon.tap")))
}

# bench_asserts CONSOLE: the guest's `wslctl bench --quick --json` runs (tests/kernel/
# bench.sh): each transport named right, every workload ran on both sides, the default
# pool's peak seen on the bouncing ext4 disk; the ratios go to $LOG/bench-ratios.txt.
bench_asserts() {
	bcon=$1
	for m in 9p ext4; do
		case "$(kt "$bcon" $m-mount)" in
		ok*) ok "guest mounted the $m file system ($(kt "$bcon" $m-mount))" ;;
		*) not_ok "$m mount: '$(kt "$bcon" $m-mount)'" ;;
		esac
		if [ "$(kt "$bcon" $m-host-file)" = "$host_text" ]; then
			ok "guest read the host's file over $m"
		else
			not_ok "over $m the guest read '$(kt "$bcon" $m-host-file)'"
		fi
	done
	for b in 9p virtiofs sampler; do
		sed -n "/^KTEST-BENCH-BEGIN $b\$/,/^KTEST-BENCH-END $b /p" "$bcon" | sed '1d;$d' \
			>"$LOG/bench-$b.json"
		sed -n "s/^KTEST-BENCH-END $b rc=//p" "$bcon" >"$LOG/bench-$b.rc"
	done
	python3 "$here/bench_assert.py" "$LOG" "$(kt "$bcon" pool-during)" >"$LOG/bench.tap"
	cat "$LOG/bench.tap"
	passes=$((passes + $(grep -c '^ok ' "$LOG/bench.tap")))
	fails=$((fails + $(grep -c '^not ok ' "$LOG/bench.tap")))
	[ -s "$LOG/bench.tap" ] || not_ok "bench_assert.py printed nothing"
	echo "kernel-test: bench ratios, target/reference rate (within this one TCG boot):"
	cat "$LOG/bench-ratios.txt" 2>/dev/null
}

phase_start boot
share="$WORK/share"
rm -rf "$share"
mkdir -p "$share"
host_text="hello from the host $(date +%s)"
echo "$host_text" >"$share/from-host.txt"
head -c 4194304 /dev/urandom >"$WORK/disk.img"
disk_md5=$(md5sum <"$WORK/disk.img" | cut -d' ' -f1)
# The guest's own file system: ext4 made here with one file in it (sparse, 256 MiB:
# room for --quick's 64 MiB seq file on both sides of a run).
rm -rf "$WORK/ext4-src" "$WORK/ext4.img"
mkdir -p "$WORK/ext4-src"
echo "$host_text" >"$WORK/ext4-src/from-host.txt"
mke2fs -q -F -t ext4 -L ktest -d "$WORK/ext4-src" "$WORK/ext4.img" 256M >"$LOG/mke2fs.log" 2>&1 ||
	die "mke2fs failed: $(cat "$LOG/mke2fs.log")"
sock="$WORK/virtiofsd.sock"
rm -f "$sock"
/usr/lib/qemu/virtiofsd --socket-path="$sock" -o source="$share" -o cache=none \
	-o sandbox=chroot >"$LOG/virtiofsd.log" 2>&1 &
vfs_pid=$!
i=0
while [ ! -S "$sock" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ -S "$sock" ] || die "virtiofsd did not start: $(cat "$LOG/virtiofsd.log")"
# TCG as the brief of this test demands (no KVM needed); virtio-blk accepts
# iommu_platform=on, Debian's C virtiofsd does not.
boot_guest tcg "swiotlb=force hv_pci_swiotlb=8M hv_pci_swiotlb_per_bus kunit.filter_glob=swiotlb_pool" \
	-accel tcg -object memory-backend-memfd,id=mem,size=512M,share=on \
	-numa node,memdev=mem \
	-chardev socket,id=vfs,path="$sock" -device vhost-user-fs-pci,chardev=vfs,tag=share \
	-fsdev local,id=fs9p,path="$share",security_model=none \
	-device virtio-9p-pci,fsdev=fs9p,mount_tag=h9p \
	-drive file="$WORK/disk.img",if=none,id=vd0,format=raw,readonly=on \
	-device virtio-blk-pci,drive=vd0,iommu_platform=on,disable-legacy=on \
	-drive file="$WORK/ext4.img",if=none,id=vd1,format=raw \
	-device virtio-blk-pci,drive=vd1,iommu_platform=on,disable-legacy=on
kill "$vfs_pid" 2>/dev/null
wait "$vfs_pid" 2>/dev/null
phase_end

# --- assert -------------------------------------------------------------------------
phase_start assert
con="$LOG/console-tcg.txt"

# KUnit TAP: the suite's plan, every case ok, the suite ok.
suite=$(sed -n '/# Subtest: swiotlb_pool/,/^ok [0-9]* swiotlb_pool/p' "$con")
plan=$(echo "$suite" | sed -n 's/^ *1\.\.\([0-9]*\)$/\1/p' | head -1)
cases_ok=$(echo "$suite" | grep -c '^ \{4\}ok [0-9]')
cases_bad=$(echo "$suite" | grep '^ \{4\}not ok [0-9]')
if [ -n "$plan" ] && [ "$plan" -gt 0 ] && [ "$cases_ok" -eq "$plan" ] && [ -z "$cases_bad" ] &&
	echo "$suite" | grep -q '^ok [0-9]* swiotlb_pool$'; then
	ok "KUnit swiotlb_pool: $cases_ok/$plan cases ok"
else
	not_ok "KUnit swiotlb_pool: plan '${plan:-none}', $cases_ok ok; failed: ${cases_bad:-none}"
fi

if grep -q '^hv_pci: not a Hyper-V guest, no swiotlb pool reserved$' "$con"; then
	ok "hv_pci_swiotlb= parsed, and refused off Hyper-V with its log line"
else
	not_ok "no 'not a Hyper-V guest' line from hv_pci_swiotlb="
fi
# An early_param the kernel does not know would be handed to init as "unknown".
if grep 'Unknown kernel command line parameters' "$con" | grep -q 'hv_pci'; then
	not_ok "the kernel does not know its hv_pci parameters: $(grep 'Unknown kernel command' "$con")"
else
	ok "hv_pci_swiotlb= and hv_pci_swiotlb_per_bus are kernel parameters"
fi
case "$(kt "$con" hv-pci-attrs)" in
absent*) ok "no swiotlb_base/swiotlb_size without a pool" ;;
*) not_ok "hv_pci attributes without a pool: '$(kt "$con" hv-pci-attrs)'" ;;
esac

if [ "$(kt "$con" mount)" = ok ]; then ok "guest mounted the virtio-fs share"; else not_ok "virtio-fs mount: '$(kt "$con" mount)'"; fi
if [ "$(kt "$con" host-file)" = "$host_text" ]; then
	ok "guest read the host's file"
else
	not_ok "guest read '$(kt "$con" host-file)', wanted '$host_text'"
fi
want_guest="written by the guest on $(kt "$con" release)"
if [ "$(cat "$share/from-guest.txt" 2>/dev/null)" = "$want_guest" ] &&
	[ "$(kt "$con" guest-file)" = "$want_guest" ]; then
	ok "guest wrote a file the host reads back"
else
	not_ok "guest file on the host: '$(cat "$share/from-guest.txt" 2>/dev/null)'"
fi

if [ "$(kt "$con" vda-md5)" = "$disk_md5" ]; then
	ok "virtio-blk reads through SWIOTLB are intact"
else
	not_ok "virtio-blk md5 '$(kt "$con" vda-md5)', wanted $disk_md5"
fi
# features is a 0/1 string by bit: bit 33 is VIRTIO_F_ACCESS_PLATFORM (the DMA API path).
blk=$(grep '^KTEST virtio: .* device=0x0002 ' "$con" | head -1)
case "$(echo "$blk" | sed 's/.*features=//' | cut -c34)" in
1) ok "virtio-blk negotiated ACCESS_PLATFORM (iommu_platform=on)" ;;
*) not_ok "virtio-blk without ACCESS_PLATFORM: '$blk'" ;;
esac
hiwater=$(kt "$con" swiotlb-hiwater)
if [ "${hiwater:-0}" -gt 0 ] 2>/dev/null; then
	ok "swiotlb used_hiwater $hiwater slots: DMA bounced"
else
	not_ok "swiotlb used_hiwater '$hiwater'"
fi
check_verdicts "$con" virtiofs.registered virtiofs.mounted virtio.devices kernel.config
# virtio.devices passes on the share's own tag (Linux 6.9+ exports /sys/fs/virtiofs/N/tag),
# not merely on a bound device, which WSLg's would be.
if grep -q '"id":"virtio.devices","status":"pass","detail":"virtio[0-9]* (tag share) serves a share' "$con.json"; then
	ok "wslctl check virtio.devices: the device is tied to its tag 'share'"
else
	not_ok "wslctl check virtio.devices does not name tag 'share': $(grep -o '"id":"virtio.devices"[^}]*' "$con.json")"
fi
bench_asserts "$con"
phase_end

echo "kernel-test: $passes passed, $fails failed in $(($(date +%s) - total_start)) s ($timings )"
echo "kernel-test: logs in $LOG"
[ "$fails" -eq 0 ]
