/* SPDX-License-Identifier: MIT */
/*
 * Reading and replacing a file so that readers see the old or the new one, never
 * half. Writers wait for each other through filelock.h.
 */
#ifndef WSLCTL_SAFEFILE_H
#define WSLCTL_SAFEFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* The largest file safefile_read accepts: a .wslconfig is a few hundred bytes; a device
 * or an endless file (a copy of /dev/zero) must not fill the memory. */
#define SAFEFILE_MAX (1024 * 1024)

/* Reads PATH whole into a malloc'd buffer (NUL-terminated). *EXISTS false (and 0
 * returned, empty buffer) when the file is missing. ERR_INVALID_FILE (exit 3) when it
 * cannot be read, is not a regular file (FIFOs are not waited on) or is larger than
 * SAFEFILE_MAX. */
int safefile_read(const char *path, char **buf, size_t *len, bool *exists, struct error *err);

/* PATH (its final target, as safefile_target finds it) can be read as safefile_read
 * would: 0, or -1 with ERR_INVALID_FILE saying why not. A missing file is fine unless
 * MUST_EXIST ("cannot read PATH: No such file or directory"). Reads nothing. */
int safefile_probe(const char *path, bool must_exist, struct error *err);

/* The file a write to PATH must replace: PATH itself, or a symlink's final target.
 * Writes into OUT (malloc'd). ERR_INVALID_FILE when that target exists and is not a
 * regular file, or is missing and so is its folder: nothing could be written there. */
int safefile_target(const char *path, char **out, struct error *err);

/*
 * Replaces PATH with DATA: a temporary file in the same folder (.NAME.wslctl-XXXXXX),
 * written and fsynced, given the old file's mode, owner and group (or MODE for a new
 * file), renamed over PATH, then the folder fsynced. A signal noted (interrupt.h) before
 * the rename removes the temporary file and fails with ERR_INTERRUPTED, PATH unchanged.
 */
int safefile_replace(const char *path, const void *data, size_t len, unsigned mode,
		     struct error *err);

/* For a dry run: a write to PATH (its target) could create its replacement in PATH's
 * folder. 0, or -1 with ERR_IO saying why the real write would fail. Writes nothing. */
int safefile_writable(const char *path, struct error *err);

/* Removes the temporary files (.NAME.wslctl-XXXXXX beside PATH, regular files, never
 * through a link) that a writer killed between creating and renaming them left behind;
 * no other name is ever touched. Only under the lock: then none is in use. */
void safefile_clean_stale(const char *path);

/* The lock file of PATH's writers (.NAME.wslctl-lock beside it), malloc'd; NULL when out
 * of memory. */
char *safefile_lock_path(const char *path);

#endif
