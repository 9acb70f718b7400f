/* SPDX-License-Identifier: MIT */
/*
 * modules.vhd without root: an ext4 image of lib/modules/<release> made by
 * `mke2fs -d` (which copies a folder into the new file system itself), converted to
 * VHDX with `qemu-img convert`. WSL mounts it for a custom kernel (kernelModules=).
 */
#ifndef WSLCTL_MODVHD_H
#define WSLCTL_MODVHD_H

#include "error.h"

/* MODDIR's contents become the root of the image OUT; WORK holds the raw image while
 * it is made. LOG_FD (or -1) gets the tools' output. */
int modvhd_make(const char *moddir, const char *work, const char *out, int log_fd,
		struct error *err);

/* SHA-256 over DIR's sorted relative paths and file bytes (symlinks by target): tells
 * whether a fresh modules_install differs from the one already in the store. */
int modvhd_tree_digest(const char *dir, char hex[65], struct error *err);

#endif
