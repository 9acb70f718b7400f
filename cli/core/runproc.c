// SPDX-License-Identifier: MIT
#include "runproc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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
	const char *path = getenv("PATH");
	char buf[4096];

	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0;
	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		struct stat st;

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, n ? path : ".", prog);
		if (stat(buf, &st) == 0 && S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
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

static void child(const char *const argv[], const struct run_opts *o, int out_fd)
{
	int devnull = open("/dev/null", O_RDONLY);

	if (devnull >= 0)
		dup2(devnull, STDIN_FILENO);
	dup2(out_fd, STDOUT_FILENO);
	dup2(out_fd, STDERR_FILENO);
	if (o->cwd && chdir(o->cwd) != 0) {
		fprintf(stderr, "cannot enter %s: %s\n", o->cwd, strerror(errno));
		_exit(126);
	}
	for (const char *const *e = o->env; e && *e; e++) {
		const char *eq = strchr(*e, '=');
		char name[256];

		if (!eq) {
			unsetenv(*e);
			continue;
		}
		if ((size_t)(eq - *e) >= sizeof(name))
			continue;
		memcpy(name, *e, (size_t)(eq - *e));
		name[eq - *e] = '\0';
		setenv(name, eq + 1, 1);
	}
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	/* Its own process group, so an interruption reaches every compiler it started. */
	setpgid(0, 0);
	execvp(argv[0], (char *const *)argv);
	fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int run_cmd(const char *const argv[], const struct run_opts *o, struct run_result *r,
	    struct error *err)
{
	struct liner *l = NULL;
	size_t cap = 0;
	int fds[2], wstatus = 0;
	bool killed = false, oom = false;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (!run_have(argv[0]))
		return error_set(err, ERR_NOT_FOUND, "%s is not installed (not found in PATH)",
				 argv[0]);
	if (o->on_line && !(l = calloc(1, sizeof(*l))))
		return error_set(err, ERR_IO, "out of memory");
	if (pipe2(fds, O_CLOEXEC) != 0) {
		free(l);
		return error_set(err, ERR_IO, "pipe: %s", strerror(errno));
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		free(l);
		return error_set(err, ERR_IO, "fork: %s", strerror(errno));
	}
	if (pid == 0)
		child(argv, o, fds[1]);
	setpgid(pid, pid);
	close(fds[1]);

	for (;;) {
		char buf[8192];
		ssize_t n = read(fds[0], buf, sizeof(buf));

		if (interrupted && !killed) {
			kill(-pid, SIGTERM);
			killed = true;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		/* A full disk must not stop the build from being reported: note it, go on. */
		if (o->log_fd >= 0 && write(o->log_fd, buf, (size_t)n) != n)
			r->log_incomplete = true;
		if (o->capture && !oom && append(r, &cap, buf, (size_t)n) != 0)
			oom = true;
		if (l)
			feed_lines(l, buf, (size_t)n, o);
	}
	close(fds[0]);
	if (l && l->n) {
		l->buf[l->n] = '\0';
		o->on_line(o->ud, l->buf);
	}
	free(l);
	while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
		;
	r->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
	if (interrupted) {
		free(r->output);
		r->output = NULL;
		return error_set(err, ERR_BUILD_FAILED, "interrupted while running %s",
				 argv[0]);
	}
	if (oom) {
		free(r->output);
		r->output = NULL;
		return error_set(err, ERR_IO, "out of memory reading the output of %s", argv[0]);
	}
	return 0;
}
