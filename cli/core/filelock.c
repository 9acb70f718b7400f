// SPDX-License-Identifier: MIT
#include "filelock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "interrupt.h"

static void (*wait_fn)(const char *path, void *arg);
static void *wait_arg;

void filelock_on_wait(void (*fn)(const char *path, void *arg), void *arg)
{
	wait_fn = fn;
	wait_arg = arg;
}

static long ms_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* True when FD is still the file at PATH. */
static bool still_there(int fd, const char *path)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/* Something that is not a regular file at the lock's name: refused as bad input (exit 3),
 * saying what it is. */
static int not_regular(const char *path, const char *kind, struct error *err)
{
	return error_set(err, ERR_INVALID_FILE, "lock file %s is %s, not a regular file: "
			 "remove it (nothing was written)", path, kind);
}

/* The lock file, never through a link (a dangling one would make us create its target)
 * and never a FIFO or device (opened without blocking, then refused). A folder (EISDIR)
 * or socket (ENXIO) cannot even be opened: refused alike. */
static int open_lock(const char *path, int *fd, struct error *err)
{
	struct stat st;
	int e;

	*fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
	e = errno;
	if (*fd < 0 && e == ELOOP)
		return not_regular(path, "a symbolic link, which wslctl never follows", err);
	if (*fd < 0 && (e == EISDIR || e == ENXIO) && lstat(path, &st) == 0)
		return not_regular(path, file_kind(st.st_mode), err);
	if (*fd < 0) {
		error_set(err, ERR_IO, "cannot create lock file %s: %s", path, strerror(e));
		return e == EACCES || e == EPERM || e == EROFS ? FILELOCK_UNWRITABLE : -1;
	}
	if (fstat(*fd, &st) < 0) {
		e = errno;
		close(*fd);
		*fd = -1;
		return error_set(err, ERR_IO, "cannot lock %s: %s", path, strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(*fd);
		*fd = -1;
		return not_regular(path, file_kind(st.st_mode), err);
	}
	return 0;
}

int filelock_take(const char *path, int timeout_ms, struct error *err)
{
	struct timespec start, nap = { 0, 20 * 1000 * 1000 };
	int fd = -1, e, rc;
	bool told = false;

	/* Every writer takes a lock first: from here a signal is noted and the writer
	 * unwinds (interrupt.h) instead of dying with a temporary file or a lock left. */
	interrupt_catch();
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (fd < 0 && (rc = open_lock(path, &fd, err)) < 0)
			return rc;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			/* A holder that removes the file when done (filelock_release with a
			 * path) leaves us a lock on a file no longer at PATH, which locks
			 * nothing: start again with the new one. */
			if (still_there(fd, path))
				return fd;
			close(fd);
			fd = -1;
			continue;
		}
		if (errno != EWOULDBLOCK && errno != EINTR) {
			e = errno;
			close(fd);
			return error_set(err, ERR_IO, "cannot lock %s: %s", path, strerror(e));
		}
		if (ms_since(&start) >= timeout_ms) {
			close(fd);
			if (!timeout_ms)
				return error_set(err, ERR_LOCKED, "another process holds %s; try "
						 "again when it has finished", path);
			return error_set(err, ERR_LOCKED, "another process holds %s (waited %d s); "
					 "try again when it has finished", path, timeout_ms / 1000);
		}
		if (!told && wait_fn && ms_since(&start) >= 1000) {
			told = true;
			wait_fn(path, wait_arg);
		}
		nanosleep(&nap, NULL);
		if (interrupt_check(err) < 0) {
			close(fd);
			return error_wrap(err, "waiting for %s", path);
		}
	}
}

void filelock_release(int fd, const char *path)
{
	if (fd < 0)
		return;
	if (path)
		unlink(path);
	close(fd);
}
