/* SPDX-License-Identifier: MIT */
/*
 * Reading and replacing a file so that readers see the old or the new one,
 * never half, and writers wait for each other through a lock the kernel drops
 * when its holder dies.
 */
#ifndef WSLCTL_SAFEFILE_H
#define WSLCTL_SAFEFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* Reads PATH whole into a malloc'd buffer (NUL-terminated). *EXISTS false (and 0
 * returned, empty buffer) when the file is missing. */
int safefile_read(const char *path, char **buf, size_t *len, bool *exists, struct error *err);

/* The file a write to PATH must replace: PATH itself, or a symlink's final target.
 * Writes into OUT (malloc'd). */
int safefile_target(const char *path, char **out, struct error *err);

/* flock(LOCK_EX) on LOCKPATH (created when missing), waiting up to TIMEOUT_MS;
 * ERR_LOCKED after that. Returns the descriptor that holds the lock. The kernel drops
 * the lock when the process dies. */
int safefile_lock(const char *lockpath, int timeout_ms, struct error *err);
/* Releases the lock, removing LOCKPATH (NULL: keep it). */
void safefile_unlock(int fd, const char *lockpath);

/*
 * Replaces PATH with DATA: a temporary file in the same folder, written and
 * fsynced, given the old file's mode, owner and group (or MODE for a new file),
 * renamed over PATH, then the folder fsynced.
 */
int safefile_replace(const char *path, const void *data, size_t len, unsigned mode,
		     struct error *err);

/* Removes the temporary files (.NAME.XXXXXX beside PATH) that a writer killed between
 * creating and renaming them left behind. Only under the lock: then none is in use. */
void safefile_clean_stale(const char *path);

#endif
