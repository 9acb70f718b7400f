/* SPDX-License-Identifier: MIT */
/*
 * An exclusive lock between processes: flock on a lock file, which the kernel drops
 * when its holder dies, so a crash never leaves the lock taken.
 */
#ifndef WSLCTL_FILELOCK_H
#define WSLCTL_FILELOCK_H

#include "error.h"

/* filelock_take's answer when the lock file cannot be created because its folder (or the
 * file) is not writable (EACCES, EPERM, EROFS): err is set (ERR_IO), and a caller that
 * may find it has nothing to write can go on reading without the lock. */
#define FILELOCK_UNWRITABLE (-2)

/*
 * flock(LOCK_EX) on PATH (created mode 0644 when missing), waiting up to TIMEOUT_MS
 * (0: not at all). Returns the descriptor that holds the lock; ERR_LOCKED naming PATH
 * when another process still holds it, ERR_INVALID_FILE when something not a regular file
 * is at PATH, ERR_IO when it cannot be opened or locked (FILELOCK_UNWRITABLE, or -1).
 */
int filelock_take(const char *path, int timeout_ms, struct error *err);
/* FN(PATH, ARG) is called once by a filelock_take that has waited 1 s, so that the
 * command level can say it is waiting and for what; NULL: nothing is said. main installs
 * one for every command, so every lock that is waited for (the .wslconfig's, the
 * store's) is said. */
void filelock_on_wait(void (*fn)(const char *path, void *arg), void *arg);
/* Releases the lock, removing PATH first when not NULL (while still held, so no other
 * process is locking a file nobody else can see). */
void filelock_release(int fd, const char *path);

#endif
