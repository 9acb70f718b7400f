// SPDX-License-Identifier: MIT
#include "runproc.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdio.h"
#include "interrupt.h"
#include "spawner.h"
#include "strbuf.h"

bool run_have(const char *prog)
{
	char path[4096];

	return spawn_which(prog, path, sizeof(path)) == 0;
}

int run_log(int fd, const char *text)
{
	return fd < 0 ? 0 : write_all(fd, text, strlen(text));
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

/* After SIGTERM, how long an interrupted tool's group has before SIGKILL. */
#define RUN_TERM_GRACE_MS 5000

/* The signals of interrupt.h are blocked while a tool runs and let in only while we wait
 * (spawn_poll with the mask from before), so one that comes at any moment is seen. */
struct watch {
	const struct spawn *sp;
	sigset_t mask;            /* the one to restore, and to wait with */
	struct spawn_stop stop;
	int grace_ms;
};

/* Waits for WANT (as spawn_poll). Once interrupted, the tool's group is stopped and its
 * end is waited for as well. */
static int watch_wait(struct watch *w, int want)
{
	int timeout = -1;

	if (interrupt_pending()) {
		timeout = spawn_stop_step(w->sp->pid, &w->stop, w->grace_ms);
		want |= SPAWN_EXITED;
	}
	return spawn_poll(w->sp, want, timeout, &w->mask);
}

/* Copies the child's output to the log, the capture and the lines until it ends (or,
 * interrupted, until the tool ends). False when the capture ran out of memory. */
static bool pump(struct watch *w, const struct run_opts *o, struct run_result *r,
		 struct liner *l)
{
	struct strbuf out = { 0 };

	for (;;) {
		int ev = watch_wait(w, SPAWN_OUTPUT);
		char buf[8192];
		ssize_t n;

		if (!(ev & SPAWN_OUTPUT)) {
			if (ev & SPAWN_EXITED)
				break;
			continue;
		}
		n = read(w->sp->out, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		/* A full disk must not stop the build from being reported: note it, go on. */
		if (o->log_fd >= 0 && write_all(o->log_fd, buf, (size_t)n) < 0)
			r->log_incomplete = true;
		if (o->capture)
			strbuf_add(&out, buf, (size_t)n);
		if (l)
			feed_lines(l, buf, (size_t)n, o);
	}
	if (l && l->n) {
		l->buf[l->n] = '\0';
		o->on_line(o->ud, l->buf);
	}
	r->output = out.s;
	r->len = out.len;
	return !out.oom;
}

/* Waits for the tool's end (stopping it when interrupted); its status. */
static int finish(struct watch *w)
{
	while (!(watch_wait(w, SPAWN_EXITED) & SPAWN_EXITED))
		;
	return spawn_wait(w->sp->pid);
}

/* Starts ARGV with the output piped, the signals of interrupt.h blocked from here on (W->mask is
 * the mask before); -1 without starting it when an interrupt came first. */
static int start(const char *const argv[], const struct run_opts *o, struct spawn *sp,
		 struct watch *w, struct error *err)
{
	struct spawn_opts so = { .cwd = o->cwd, .env = o->env, .out = SPAWN_PIPE,
				 .err = SPAWN_PIPE, .own_group = true };
	sigset_t block;

	interrupt_set(&block);
	sigprocmask(SIG_BLOCK, &block, &w->mask);
	w->sp = sp;
	w->grace_ms = o->term_grace_ms > 0 ? o->term_grace_ms : RUN_TERM_GRACE_MS;
	if (interrupt_pending())
		error_set(err, ERR_INTERRUPTED, "interrupted before running %s", argv[0]);
	else if (spawn_start(argv, &so, sp, err) == 0)
		return 0;
	sigprocmask(SIG_SETMASK, &w->mask, NULL);
	return -1;
}

int run_cmd(const char *const argv[], const struct run_opts *o, struct run_result *r,
	    struct error *err)
{
	struct watch w = { 0 };
	struct liner *l = NULL;
	struct spawn sp;
	bool ok;

	memset(r, 0, sizeof(*r));
	if (!run_have(argv[0]))
		return error_set(err, ERR_NOT_FOUND, "%s is not installed (not found in PATH)",
				 argv[0]);
	if (o->on_line && !(l = calloc(1, sizeof(*l))))
		return error_set(err, ERR_IO, "out of memory");
	if (start(argv, o, &sp, &w, err) < 0) {
		free(l);
		return -1;
	}
	ok = pump(&w, o, r, l);
	close(sp.out);
	sp.out = -1;
	free(l);
	r->status = finish(&w);
	sigprocmask(SIG_SETMASK, &w.mask, NULL);
	if (interrupt_pending() || !ok) {
		free(r->output);
		r->output = NULL;
		r->len = 0;
	}
	if (interrupt_pending())
		return error_set(err, ERR_INTERRUPTED, "interrupted while running %s",
				 argv[0]);
	if (!ok)
		return error_set(err, ERR_IO, "out of memory reading the output of %s", argv[0]);
	return 0;
}
