// SPDX-License-Identifier: MIT
/*
 * LD_PRELOAD shim for tests/e2e/bench.sh: slow storage, and signals at chosen moments.
 * Every knob is an environment variable, unset meaning "as the real call":
 *   SLOW_OPEN_US      each create of a tree file (f00001.c ...)
 *   SLOW_UNLINK_US    each unlinkat
 *   SLOW_SYNC_US_MIB  fsync / fdatasync: this many microseconds per MiB written since the
 *                     last one (what a slow disk or 9p costs for dirty data)
 *   SIG_AT_RMTOP=N    raise signal N when the wslctl-bench.* folder itself is removed
 *   SIG_AT_CREATE=N   raise signal N at the 20th tree file created, whose openat then
 *                     fails with EINTR (as 9p/FUSE calls do when a signal is pending)
 *   SIG_AT_RECORD=N   raise signal N once the run's record is renamed into place
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

static long env(const char *name)
{
	const char *v = getenv(name);

	return v ? atol(v) : 0;
}

static void nap(long us)
{
	struct timespec t = { us / 1000000, (us % 1000000) * 1000 };

	while (us > 0 && nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

#define MAXFD 4096
static unsigned long long dirty[MAXFD];

ssize_t write(int fd, const void *buf, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);
	ssize_t r;

	if (!real)
		real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	r = real(fd, buf, n);
	if (r > 0 && fd >= 0 && fd < MAXFD)
		dirty[fd] += (unsigned long long)r;
	return r;
}

static void sync_cost(int fd)
{
	if (fd >= 0 && fd < MAXFD) {
		nap((long)(dirty[fd] * (unsigned long long)env("SLOW_SYNC_US_MIB") >> 20));
		dirty[fd] = 0;
	}
}

int fsync(int fd)
{
	static int (*real)(int);

	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	sync_cost(fd);
	return real(fd);
}

int fdatasync(int fd)
{
	static int (*real)(int);

	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
	sync_cost(fd);
	return real(fd);
}

int openat(int dfd, const char *path, int flags, ...)
{
	static int (*real)(int, const char *, int, ...);
	static int created;
	mode_t mode = 0;
	int fd;

	if (!real)
		real = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, "openat");
	if (flags & O_CREAT) {
		va_list ap;

		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if ((flags & O_CREAT) && path[0] == 'f' && path[1] >= '0' && path[1] <= '9') {
		nap(env("SLOW_OPEN_US"));
		if (env("SIG_AT_CREATE") && ++created == 20) {
			kill(getpid(), (int)env("SIG_AT_CREATE"));
			errno = EINTR;
			return -1;
		}
	}
	fd = real(dfd, path, flags, mode);
	if (fd >= 0 && fd < MAXFD)
		dirty[fd] = 0;
	return fd;
}

int unlinkat(int dfd, const char *path, int flags)
{
	static int (*real)(int, const char *, int);

	if (!real)
		real = (int (*)(int, const char *, int))dlsym(RTLD_NEXT, "unlinkat");
	nap(env("SLOW_UNLINK_US"));
	if (!strncmp(path, "wslctl-bench.", 13) && env("SIG_AT_RMTOP"))
		kill(getpid(), (int)env("SIG_AT_RMTOP"));
	return real(dfd, path, flags);
}

int rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);
	size_t len = strlen(to);
	int r;

	if (!real)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	r = real(from, to);
	if (r == 0 && len > 5 && !strcmp(to + len - 5, ".json") && env("SIG_AT_RECORD"))
		kill(getpid(), (int)env("SIG_AT_RECORD"));
	return r;
}
