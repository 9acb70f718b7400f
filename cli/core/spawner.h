/* SPDX-License-Identifier: MIT */
/*
 * Starting the programs wslctl runs, all through here: posix_spawn (no code of ours
 * runs in the child), stdin from /dev/null, stdout and stderr where the caller says, a
 * working folder, and an environment built before the child exists.
 */
#ifndef WSLCTL_SPAWNER_H
#define WSLCTL_SPAWNER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "error.h"

/* Where the child's stdout or stderr goes. */
enum spawn_to {
	SPAWN_INHERIT = 0, /* where ours goes */
	SPAWN_NULL,        /* /dev/null */
	SPAWN_PIPE,        /* a pipe read through spawn.out (both, when both say so) */
	SPAWN_STDERR,      /* stdout only: our stderr, as our stdout carries our result */
};

struct spawn_opts {
	const char *cwd;          /* NULL: ours */
	const char *const *env;   /* "NAME=VALUE" set, "NAME" unset (NULL-ended) */
	const char *fallback;     /* run with the same argv when argv[0] cannot be run
				     (not found, not executable) */
	enum spawn_to out, err;
	bool own_group;           /* a process group of its own: kill(-pid) reaches all it
				     starts */
};

struct spawn {
	pid_t pid;
	int out;                  /* the pipe's read end (the caller closes it), or -1 */
};

/*
 * Starts ARGV. argv[0] without a '/' is looked up in our PATH (not in the PATH of
 * spawn_opts.env: that is only the child's). A file the kernel cannot run (ENOEXEC: a
 * script without "#!") is run by /bin/sh, as execvp does. 0 with SP filled; -1 when it
 * could not be started: ERR_NOT_FOUND when the program (and the fallback) does not exist,
 * ERR_IO otherwise, the message naming argv[0] and why.
 */
int spawn_start(const char *const argv[], const struct spawn_opts *o, struct spawn *sp,
		struct error *err);

/* The file PROG names: itself when it has a '/', else the first executable regular file
 * of that name in PATH (an empty entry is ".", no PATH is "/usr/bin:/bin"). 0 with BUF
 * filled, -1 when there is none. */
int spawn_which(const char *prog, char *buf, size_t n);

/* Waits for PID to end, through EINTR: its exit status, 128 + the signal that ended
 * it, or -1 when there is no such child. */
int spawn_wait(pid_t pid);

struct spawn_result {
	size_t len;               /* bytes of stdout kept */
	int status;               /* as spawn_wait; -1 when timed out */
	bool timed_out;           /* killed at the deadline */
};

/*
 * Runs ARGV (and FALLBACK as spawn_opts says) with stderr discarded, keeping up to
 * N - 1 bytes of its stdout in BUF (NUL added; the rest is read and dropped, so the
 * program is never blocked on a full pipe). Killed after TIMEOUT_MS. 0 with R filled
 * when it ran, -1 as spawn_start when it could not start.
 */
int spawn_capture(const char *const argv[], const char *fallback, int timeout_ms, char *buf,
		  size_t n, struct spawn_result *r, struct error *err);

#endif
