// SPDX-License-Identifier: MIT
#include "runproc.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdio.h"
#include "spawner.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

void run_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocked read() returns so we can stop the child. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void run_finish_quietly(void)
{
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	interrupted = 0;
}

bool run_interrupted(void)
{
	return interrupted != 0;
}

bool run_have(const char *prog)
{
	char path[4096];

	return spawn_which(prog, path, sizeof(path)) == 0;
}

/* Line splitting for on_line: long lines are cut, never lost entirely. */
struct liner {
	char buf[4096];
	size_t n;
};

static void feed_lines(struct liner *l, const char *p, size_t n, const struct run_opts *o)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n' || l->n == sizeof(l->buf) - 1) {
			l->buf[l->n] = '\0';
			o->on_line(o->ud, l->buf);
			l->n = 0;
			if (p[i] == '\n')
				continue;
		}
		l->buf[l->n++] = p[i];
	}
}

static int append(struct run_result *r, size_t *cap, const char *p, size_t n)
{
	if (r->len + n + 1 > *cap) {
		size_t nc = (*cap ? *cap * 2 : 4096);
		char *np;

		while (nc < r->len + n + 1)
			nc *= 2;
		np = realloc(r->output, nc);
		if (!np)
			return -1;
		r->output = np;
		*cap = nc;
	}
	memcpy(r->output + r->len, p, n);
	r->len += n;
	r->output[r->len] = '\0';
	return 0;
}

/* Copies the child's output to the log, the capture and the lines until it ends; stops
 * the child (its whole group) on SIGINT/SIGTERM. False when the capture ran out of memory. */
static bool pump(int fd, pid_t pid, const struct run_opts *o, struct run_result *r,
		 struct liner *l)
{
	bool killed = false, oom = false;
	size_t cap = 0;

	for (;;) {
		char buf[8192];
		ssize_t n = read(fd, buf, sizeof(buf));

		if (interrupted && !killed) {
			kill(-pid, SIGTERM);
			killed = true;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		/* A full disk must not stop the build from being reported: note it, go on. */
		if (o->log_fd >= 0 && write_all(o->log_fd, buf, (size_t)n) < 0)
			r->log_incomplete = true;
		if (o->capture && !oom && append(r, &cap, buf, (size_t)n) != 0)
			oom = true;
		if (l)
			feed_lines(l, buf, (size_t)n, o);
	}
	if (l && l->n) {
		l->buf[l->n] = '\0';
		o->on_line(o->ud, l->buf);
	}
	return !oom;
}

int run_cmd(const char *const argv[], const struct run_opts *o, struct run_result *r,
	    struct error *err)
{
	struct spawn_opts so = { .cwd = o->cwd, .env = o->env, .out = SPAWN_PIPE,
				 .err = SPAWN_PIPE, .own_group = true };
	struct liner *l = NULL;
	struct spawn sp;
	bool ok;

	memset(r, 0, sizeof(*r));
	if (!run_have(argv[0]))
		return error_set(err, ERR_NOT_FOUND, "%s is not installed (not found in PATH)",
				 argv[0]);
	if (o->on_line && !(l = calloc(1, sizeof(*l))))
		return error_set(err, ERR_IO, "out of memory");
	if (spawn_start(argv, &so, &sp, err) < 0) {
		free(l);
		return -1;
	}
	ok = pump(sp.out, sp.pid, o, r, l);
	close(sp.out);
	free(l);
	r->status = spawn_wait(sp.pid);
	if (interrupted || !ok) {
		free(r->output);
		r->output = NULL;
		r->len = 0;
	}
	if (interrupted)
		return error_set(err, ERR_BUILD_FAILED, "interrupted while running %s",
				 argv[0]);
	if (!ok)
		return error_set(err, ERR_IO, "out of memory reading the output of %s", argv[0]);
	return 0;
}
