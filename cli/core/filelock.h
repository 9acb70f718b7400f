/* SPDX-License-Identifier: MIT */
/*
 * An exclusive lock between processes: flock on a lock file, which the kernel drops
 * when its holder dies, so a crash never leaves the lock taken.
 */
#ifndef WSLCTL_FILELOCK_H
#define WSLCTL_FILELOCK_H

#include "error.h"

/*
 * flock(LOCK_EX) on PATH (created mode 0644 when missing), waiting up to TIMEOUT_MS
 * (0: not at all). Returns the descriptor that holds the lock; ERR_LOCKED naming PATH
 * when another process still holds it, ERR_IO when it cannot be opened or locked.
 */
int filelock_take(const char *path, int timeout_ms, struct error *err);
/* Releases the lock, removing PATH first when not NULL (while still held, so no other
 * process is locking a file nobody else can see). */
void filelock_release(int fd, const char *path);

#endif
