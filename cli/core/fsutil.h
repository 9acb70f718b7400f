/* SPDX-License-Identifier: MIT */
/* Files and folders: create, remove, copy, read whole, sync. */
#ifndef WSLCTL_FSUTIL_H
#define WSLCTL_FSUTIL_H

#include <stddef.h>

#include "error.h"

/* mkdir -p with MODE for the folders it creates (one that exists must be a folder). ERR_IO naming the folder that could
 * not be made (ERR may be NULL). */
int mkdir_p(const char *path, unsigned mode, struct error *err);

/* rm -rf, never following a symbolic link; a missing PATH is no error. -1 with errno
 * set when something could not be removed. */
int rm_rf(const char *path);
/* rm_rf of NAME inside the folder DFD (AT_FDCWD: the current one), so a caller that holds
 * a folder's descriptor removes what is in that folder whatever its path now leads to. */
int rm_rf_at(int dfd, const char *name);

/* Copies FROM's bytes to TO (created with mode 0644, or truncated; never through a link,
 * never onto FROM itself). ERR_NOT_FOUND when FROM is missing, else ERR_IO. */
int copy_file(const char *from, const char *to, struct error *err);

/* PATH whole, NUL-terminated (see read_all); NULL with errno set, ENOENT when missing. */
char *read_file(const char *path, size_t max, size_t *len);

/* fsync of a file or folder, so what was written or renamed survives a crash. A file
 * system that cannot sync (EINVAL), or cannot sync a folder (drvfs, 9p: anything but
 * EIO), is no error. -1 with errno set otherwise. */
int fsync_fd(int fd);
int fsync_path(const char *path, struct error *err);

#endif
