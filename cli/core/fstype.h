/* SPDX-License-Identifier: MIT */
/*
 * The transport under a path, from the mount table: 9p (WSL 2's /mnt/c), virtiofs,
 * drvfs (WSL 1), ext4, tmpfs, overlay, fuse.*, ... statfs cannot tell virtiofs from
 * other FUSE file systems (both report FUSE_SUPER_MAGIC), so mountinfo's type it is.
 */
#ifndef WSLCTL_FSTYPE_H
#define WSLCTL_FSTYPE_H

#include <stddef.h>

struct fstype {
	char type[64];     /* mountinfo's file system type, "unknown" when none matched */
	char source[256];  /* the mount source ("C:\\", "drvfs", "/dev/sdc") */
	char point[1024];  /* the mount point the path is under */
};

/*
 * The mount of PATH (absolute, links already resolved) in mountinfo TEXT: the longest
 * mount point that is PATH or a folder above it; among equal ones the last (it is
 * mounted over the others). Octal escapes (\040) in points are decoded. 0 found, -1 not.
 */
int fstype_from_mountinfo(const char *text, const char *path, struct fstype *out);

/* The same for PATH on this machine: realpath, then ROOT/proc/self/mountinfo. -1 (errno
 * set) when PATH cannot be resolved or the table cannot be read; OUT says "unknown". */
int fstype_of_path(const char *root, const char *path, struct fstype *out);

#endif
