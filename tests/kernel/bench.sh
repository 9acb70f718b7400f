# SPDX-License-Identifier: MIT
# Sourced by tests/kernel/init (busybox sh, as root, debugfs mounted): `wslctl bench
# --quick --json` on the real transports. The host's share is mounted twice, over
# virtio-9p and over virtio-fs (/mnt/share, mounted by init); the writable ext4 disk
# (formatted on the host, virtio-blk with iommu_platform=on, so with swiotlb=force its
# DMA bounces through the default pool) is the reference, and the sampler's own target.
# Prints each JSON object between KTEST-BENCH-BEGIN NAME and KTEST-BENCH-END NAME rc=N.

# The ext4 disk is the writable virtio disk (the other one is read-only).
for b in /sys/block/vd*; do
	[ "$(cat "$b/ro" 2>/dev/null)" = 0 ] && ext4dev=/dev/$(basename "$b")
done
mkdir -p /mnt/9p /mnt/ext4 /mnt/ram
if mount -t 9p -o trans=virtio,version=9p2000.L h9p /mnt/9p; then
	echo "KTEST 9p-mount: ok"
	echo "KTEST 9p-host-file: $(cat /mnt/9p/from-host.txt)"
else
	echo "KTEST 9p-mount: failed"
fi
if [ -n "${ext4dev:-}" ] && mount -t ext4 "$ext4dev" /mnt/ext4; then
	echo "KTEST ext4-mount: ok $ext4dev"
	echo "KTEST ext4-host-file: $(cat /mnt/ext4/from-host.txt)"
else
	echo "KTEST ext4-mount: failed (${ext4dev:-no writable disk})"
fi
mount -t tmpfs -o size=128m tmpfs /mnt/ram

# bench_run NAME TARGET REFERENCE: one `wslctl bench --quick --json`, its records in the
# guest's own (tmpfs) data folder.
bench_run() {
	WSLCTL_DATA_DIR=/usr/share/wslctl HOME=/tmp XDG_DATA_HOME=/tmp/data \
		/usr/bin/wslctl bench --quick --json --target "$2" --reference "$3" \
		>"/tmp/bench-$1.json" 2>"/tmp/bench-$1.txt"
	brc=$?
	cat "/tmp/bench-$1.txt"
	echo "KTEST-BENCH-BEGIN $1"
	cat "/tmp/bench-$1.json"
	echo
	echo "KTEST-BENCH-END $1 rc=$brc"
}

bench_run 9p /mnt/9p /mnt/ext4
bench_run virtiofs /mnt/share /mnt/ext4

# The sampler, seen from outside too: the default pool's io_tlb_used polled by the shell
# while the bench runs on the bouncing disk, and its high-water mark (reset here first,
# by the test; wslctl only reads it).
tlb=/sys/kernel/debug/swiotlb
echo 0 >"$tlb/io_tlb_used_hiwater" 2>/dev/null
echo "KTEST pool-before: used=$(cat "$tlb/io_tlb_used") hiwater=$(cat "$tlb/io_tlb_used_hiwater")"
(
	max=0
	while [ ! -e /tmp/sampler.stop ]; do
		u=$(cat "$tlb/io_tlb_used")
		[ "$u" -gt "$max" ] && max=$u
		echo "$max" >/tmp/sampler.max
		usleep 5000
	done
) &
spid=$!
bench_run sampler /mnt/ext4 /mnt/ram
touch /tmp/sampler.stop
wait "$spid"
echo "KTEST pool-during: shell-max=$(cat /tmp/sampler.max) hiwater=$(cat "$tlb/io_tlb_used_hiwater")"

# The runs kept in the guest's data folder, side by side (text and chart).
WSLCTL_DATA_DIR=/usr/share/wslctl HOME=/tmp XDG_DATA_HOME=/tmp/data TERM=dumb NO_COLOR=1 \
	/usr/bin/wslctl bench --compare 2>&1
umount /mnt/9p /mnt/ext4 /mnt/ram 2>/dev/null
