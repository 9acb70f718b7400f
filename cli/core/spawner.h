/* SPDX-License-Identifier: MIT */
/*
 * Starting the programs wslctl runs, all through here: posix_spawn (no code of ours
 * runs in the child), stdin from /dev/null, stdout and stderr where the caller says, a
 * working folder, and an environment built before the child exists.
 */
#ifndef WSLCTL_SPAWNER_H
#define WSLCTL_SPAWNER_H

#include <stdbool.h>
#include <signal.h>
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
 * ERR_IO otherwise, the message naming argv[0] and why, and errno the reason (ENOEXEC: a
 * binary this kernel cannot run, such as a Windows program without interop).
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

/* What spawn_poll waits for. */
enum {
	SPAWN_OUTPUT = 1,         /* spawn.out readable, or at its end */
	SPAWN_EXITED = 2,         /* the program ended (not reaped: spawn_wait reaps it) */
};

/*
 * Waits until what WANT names comes, at most TIMEOUT_MS (-1: no limit). The end is seen
 * through a pidfd (Linux 5.3+), else looked at every few ms. An ended program stays a
 * zombie until spawn_wait, so its group id cannot be reused meanwhile. MASK, when not
 * NULL, is the signal mask while waiting (as ppoll): a signal blocked outside can only
 * come in here, so a flag its handler sets is never missed. Returns the events that
 * came; 0 when none did yet (time up, a signal, or a look without a pidfd): callers
 * loop on their own deadline.
 */
int spawn_poll(const struct spawn *sp, int want, int timeout_ms, const sigset_t *mask);

/* Stopping a program started with own_group: SIGTERM to its group, SIGKILL GRACE_MS
 * later. Zeroed before the first step. */
struct spawn_stop {
	bool termed, killed;
	long long kill_at;
};

/* Takes the step that is due; returns the ms until the next one, -1 when none is left. */
int spawn_stop_step(pid_t pid, struct spawn_stop *s, int grace_ms);

struct spawn_result {
	size_t len;               /* bytes of stdout kept */
	int status;               /* as spawn_wait; -1 when timed out */
	bool timed_out;           /* still running at the deadline: killed */
	bool full;                /* BUF filled up (more may have been written) */
};

/*
 * Runs ARGV (and FALLBACK as spawn_opts says) in a process group of its own with stderr
 * discarded, keeping up to N - 1 bytes of its stdout in BUF (NUL added; the rest is read
 * and dropped, so the program is never blocked on a full pipe). TIMEOUT_MS covers both
 * the output and the exit: at the deadline the group is killed. A program that ended in
 * time is not timed out, though children it left hold the pipe: they are killed once
 * what it wrote is read. 0 with R filled when it ran, -1 as spawn_start when it could
 * not start.
 */
int spawn_capture(const char *const argv[], const char *fallback, int timeout_ms, char *buf,
		  size_t n, struct spawn_result *r, struct error *err);

/* As spawn_capture, but reading stops once BUF is full (R->full): the group is killed
 * (the status then is 128 + SIGKILL unless it had ended) and the first N - 1 bytes kept,
 * for an answer that comes first in what may be a flood. */
int spawn_capture_head(const char *const argv[], const char *fallback, int timeout_ms,
		       char *buf, size_t n, struct spawn_result *r, struct error *err);

#endif
