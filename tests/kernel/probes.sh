#!/bin/sh
# SPDX-License-Identifier: MIT
# The series' present-if probes and reverse-apply detection, through `wslctl build -n`
# (which decides each patch's status and changes nothing).
# usage: probes.sh WSLCTL REPO PRISTINE_TREE PATCHED_TREE WORK
# Prints "ok - ..." / "not ok - ..." lines; exits 1 when one failed.
set -u
wslctl=$1 repo=$2 pristine=$3 patched=$4 work=$5
fails=0

p1=0001-swiotlb-add-an-API-for-dedicated-bounce-buffer-pools.patch
p2=0002-PCI-hv-Add-a-dedicated-SWIOTLB-pool-for-Hyper-V-PCI-.patch
p3=0003-virtio_fs-clamp-the-request-size-to-the-transport-s-.patch
p4=0004-dma-swiotlb-add-KUnit-tests-for-dedicated-pools.patch
p5=0005-PCI-hv-Optionally-give-each-Hyper-V-PCI-bus-its-own-.patch

# statuses TREE: "name=status ..." as `wslctl build -n` decides them.
statuses() {
	WSLCTL_DATA_DIR="$repo" "$wslctl" --json build -n --source "$1" --no-activate \
		--base-config tinyconfig --home "$work/home" --build-dir "$work/obj" \
		2>"$work/probe.err" | python3 -c '
import json, sys
doc = json.load(sys.stdin)
print(" ".join("%s=%s" % (p["name"], p["status"]) for p in doc.get("patches", [])))'
}

# expect NAME TREE WANTED
expect() {
	got=$(statuses "$2")
	if [ "$got" = "$3" ]; then
		echo "ok - probes: $1"
	else
		echo "not ok - probes: $1: got '$got', wanted '$3' ($(cat "$work/probe.err"))"
		fails=$((fails + 1))
	fi
}

rm -rf "$work"
mkdir -p "$work"

# variant NAME FILE LINE: a hard-linked copy of the pristine tree whose FILE gains LINE
# before its MODULE_DESCRIPTION (sed replaces the file, so the pristine one is kept).
variant() {
	cp -al "$pristine" "$work/$1"
	f="$work/$1/$2"
	sed "s/^MODULE_DESCRIPTION(.*);\$/$3\\n&/" "$f" >"$f.new" && mv "$f.new" "$f"
}

# A tree with Microsoft's feature: their pci-hyperv.c has the parameter and the
# attribute names (their code differs from ours, so reverse-apply cannot tell).
variant msft drivers/pci/controller/pci-hyperv.c \
	'static const char *hv_pci_swiotlb_attr = "swiotlb_base";'
expect "Microsoft-style tree: the pool patches are skipped" "$work/msft" \
	"$p1=present $p2=present $p3=applied $p4=present $p5=present"

# A dry run cannot judge 0005 before 0002, whose lines it changes, is applied: pending.
# A tree whose virtio_fs already clamps to the DMA size.
variant clamped fs/fuse/virtio_fs.c \
	'static size_t (*clamp)(const struct virtio_device *) = virtio_max_dma_size;'
expect "virtio_fs that already clamps: 0003 is skipped" "$work/clamped" \
	"$p1=applied $p2=applied $p3=present $p4=applied $p5=pending"

expect "pristine 6.12: every patch applies (0005 pending in a dry run)" "$pristine" \
	"$p1=applied $p2=applied $p3=applied $p4=applied $p5=pending"
# Our own series already applied: recognised by reverse-apply (the probe matches too
# for 0001/0002/0004/0005; 0003 only reverse-applies).
expect "a tree that already has the series: all present" "$patched" \
	"$p1=present $p2=present $p3=present $p4=present $p5=present"

rm -rf "$work/msft" "$work/clamped"
[ "$fails" -eq 0 ]
