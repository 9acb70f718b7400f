/* SPDX-License-Identifier: MIT */
/* Reading /proc, /sys and /run under a root folder (--root; "/" on a real machine). */
#ifndef WSLCTL_SYSPROBE_H
#define WSLCTL_SYSPROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Reads ROOT/REL into buf (NUL-terminated, trailing newline kept). Returns bytes or -1. */
long sysprobe_read(const char *root, const char *rel, char *buf, size_t n);
/* True when ROOT/REL exists. */
bool sysprobe_exists(const char *root, const char *rel);
/* Inside a WSL 2 (or WSL 1) machine: osrelease names Microsoft/WSL, or the machine shows
 * WSL's interop (binfmt_misc/WSLInterop*, /run/WSL). */
bool sysprobe_is_wsl(const char *root);

/* ROOT/REL as one path. */
void sysprobe_path(const char *root, const char *rel, char *out, size_t n);
/* Only the interop half of sysprobe_is_wsl: what a custom kernel inside WSL still shows. */
bool sysprobe_wsl_markers(const char *root);
/* Reads a sysfs number: "0x..." as hex, otherwise decimal. 0 ok, -1 unreadable (errno
 * set), -2 not a number. */
int sysprobe_read_u64(const char *root, const char *rel, uint64_t *out);
/* 1 when /proc/filesystems lists FSTYPE, 0 when not, -1 when unreadable. */
int sysprobe_has_filesystem(const char *root, const char *fstype);
/* One mount, from /proc/self/mountinfo (or /proc/mounts, which lacks DEVNO and FSROOT). */
struct mount_entry {
	char point[256];  /* where it is mounted, octal escapes decoded */
	char source[128]; /* the mount source: for virtiofs, the device's tag */
	char devno[24];   /* "MAJ:MIN" of the file system; "" from /proc/mounts */
	char fsroot[256]; /* the folder of the file system mounted there; "" from /proc/mounts */
};
/* Mounts of FSTYPE: the count (the first MAX in OUT), or -1 when neither file is readable;
 * *FROM names the file read. */
int sysprobe_mount_list(const char *root, const char *fstype, struct mount_entry *out, int max,
			const char **from);
/* The same count; POINTS gets the first mount points, ", "-separated. */
int sysprobe_mounts(const char *root, const char *fstype, char *points, size_t n,
		    const char **from);

/* One device under /sys/bus/virtio/devices. */
struct virtio_dev {
	char name[64];          /* virtioN */
	long device, vendor;    /* -1 when unreadable */
	char driver[64];        /* bound driver, "" when none */
	int access_platform;    /* feature bit 33 (DMA through the DMA API): 1, 0, -1 unknown */
	char tag[128];          /* a virtio-fs device's tag from /sys/fs/virtiofs/<n>/tag
				 * (Linux 6.9+), "" when not exported */
};
#define VIRTIO_ID_FS 26
/* Where the kernel exports virtio-fs tags (Linux 6.9+), relative to the root. */
#define SYSPROBE_VIRTIOFS_TAGS "/sys/fs/virtiofs"
/* Fills up to MAX devices in name order. Returns the count, -1 when there is no virtio bus. */
int sysprobe_virtio_devices(const char *root, struct virtio_dev *out, int max);

/* debugfs under ROOT/sys/kernel/debug. */
enum debugfs_state {
	DEBUGFS_READABLE,
	DEBUGFS_MISSING,   /* no such folder (no debugfs in this kernel, or a fixture) */
	DEBUGFS_DENIED,    /* mode 0700: root only */
	DEBUGFS_UNMOUNTED, /* an empty folder: debugfs is not mounted there */
};
enum debugfs_state sysprobe_debugfs(const char *root);

/* A SWIOTLB pool's counters, in 2 KiB slots. */
struct swiotlb_usage {
	uint64_t nslabs, used, hiwater;
	bool has_hiwater;
	char dir[128]; /* the folder under debugfs the numbers came from */
};
/* POOL is a per-pool folder name ("hv-pci-swiotlb", looked for at the debugfs root and
 * under swiotlb/) or NULL for the default pool (swiotlb/io_tlb_*). Returns 1 read,
 * 0 no such pool folder, -1 its files are unreadable or not numbers. */
int sysprobe_swiotlb_usage(const char *root, const char *pool, struct swiotlb_usage *u);

#endif
