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

/* Reads PATH whole into a malloc'd buffer (NUL-terminated). *EXISTS false (and 0
 * returned, empty buffer) when the file is missing. */
int safefile_read(const char *path, char **buf, size_t *len, bool *exists, struct error *err);

/* The file a write to PATH must replace: PATH itself, or a symlink's final target.
 * Writes into OUT (malloc'd). */
int safefile_target(const char *path, char **out, struct error *err);

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
