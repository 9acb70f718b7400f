/* SPDX-License-Identifier: MIT */
/*
 * Running the tools `build` drives (patch, make, mke2fs, qemu-img), started by spawner.h
 * with a working folder and extra environment, the child's stdout+stderr merged into one
 * pipe that is copied to a log, collected in memory and/or handed over line by line.
 * Interrupts (interrupt.h) are blocked while a tool runs and let in only while we wait
 * for it, so one that comes at any moment stops it and the caller can undo its work.
 */
#ifndef WSLCTL_RUNPROC_H
#define WSLCTL_RUNPROC_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

struct run_opts {
	const char *cwd;            /* NULL: ours */
	const char *const *env;     /* "NAME=VALUE" set, "NAME" unset in the child (NULL-ended) */
	int log_fd;                 /* >= 0: every byte of output is copied here */
	bool capture;               /* keep the output in run_result.output */
	void (*on_line)(void *ud, const char *line); /* each output line, no newline */
	void *ud;
	int term_grace_ms;          /* interrupted: SIGKILL the tool's group when it has not
				       ended this long after SIGTERM (0: 5 s) */
};

struct run_result {
	int status;      /* exit code, or 128 + signal */
	char *output;    /* with capture: NUL-terminated output (free()), else NULL */
	size_t len;
	bool log_incomplete; /* a write to log_fd failed (disk full): the log is cut */
};

/*
 * Runs argv[0] (looked up in PATH) to completion. 0 when it ran (whatever its exit
 * status), -1 when it could not be started (ERR_NOT_FOUND for a missing program) or
 * when we were interrupted (ERR_INTERRUPTED): before it started (it is not started), or
 * while it ran (SIGTERM to its process group, SIGKILL after term_grace_ms, its end
 * waited for).
 */
int run_cmd(const char *const argv[], const struct run_opts *o, struct run_result *r,
	    struct error *err);

/* Appends TEXT to a build log through write_all (short writes, EINTR); FD < 0 writes
 * nothing. -1 with errno set when it could not be written whole. */
int run_log(int fd, const char *text);

/* True when PROG is an executable in PATH. */
bool run_have(const char *prog);

#endif
