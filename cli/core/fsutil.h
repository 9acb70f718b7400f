/* SPDX-License-Identifier: MIT */
/* Files and folders: create, remove, copy, read whole, sync. */
#ifndef WSLCTL_FSUTIL_H
#define WSLCTL_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

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

/* PATH whole, NUL-terminated (see read_all); NULL with errno set, ENOENT when missing,
 * EINVAL when it is not a regular file (a FIFO is never waited on, a device never read). */
char *read_file(const char *path, size_t max, size_t *len);

/* What MODE's file is when it is not a regular file ("a folder", "a FIFO (named
 * pipe)", ...), for messages; NULL for a regular file. */
const char *file_kind(mode_t mode);

/*
 * Opens PATH (following links) for reading, refusing with ERR_INVALID_FILE anything but a
 * regular file of at most MAX bytes, saying what it is. Opened without blocking, so a FIFO
 * is refused, never waited on. -1 with errno ENOENT and ERR left alone when PATH is
 * missing (the caller decides what that means); other failures set ERR_INVALID_FILE
 * ("cannot read PATH: ...") or ERR_IO.
 */
int open_regular(const char *path, size_t max, struct error *err);

/* fsync of a file or folder, so what was written or renamed survives a crash. A file
 * system that cannot sync (EINVAL), or cannot sync a folder (drvfs, 9p: anything but
 * EIO), is no error. -1 with errno set otherwise. */
int fsync_fd(int fd);
int fsync_path(const char *path, struct error *err);

#endif
