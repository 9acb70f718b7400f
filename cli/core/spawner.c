// SPDX-License-Identifier: MIT
#include "spawner.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* The length of the name in "NAME=VALUE" or "NAME". */
static size_t name_len(const char *e)
{
	return strcspn(e, "=");
}

static bool same_name(const char *a, const char *b)
{
	size_t n = name_len(a);

	return n == name_len(b) && !strncmp(a, b, n);
}

/* True when a change after CHANGES[I] (or, with I = -1, any change) names E's variable. */
static bool changed_later(const char *const *changes, long i, const char *e)
{
	for (long j = i + 1; changes[j]; j++)
		if (same_name(changes[j], e))
			return true;
	return false;
}

/* Our environment with CHANGES made (the last change of a name wins), built before the
 * child exists; the strings are borrowed. */
static char **build_env(const char *const *changes)
{
	size_t n = 0, k = 0, m = 0;
	char **env;

	while (environ[n])
		n++;
	while (changes[k])
		k++;
	env = malloc((n + k + 1) * sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!changed_later(changes, -1, environ[i]))
			env[m++] = environ[i];
	for (size_t i = 0; i < k; i++)
		if (strchr(changes[i], '=') && !changed_later(changes, (long)i, changes[i]))
			env[m++] = (char *)changes[i];
	env[m] = NULL;
	return env;
}

/* Points the child's FD (1 or 2) where TO says. */
static int route(posix_spawn_file_actions_t *fa, int fd, enum spawn_to to, int pipe_w)
{
	switch (to) {
	case SPAWN_NULL:
		return posix_spawn_file_actions_addopen(fa, fd, "/dev/null", O_WRONLY, 0);
	case SPAWN_PIPE:
		return posix_spawn_file_actions_adddup2(fa, pipe_w, fd);
	case SPAWN_STDERR:
		return fd == STDOUT_FILENO ? posix_spawn_file_actions_adddup2(fa, STDERR_FILENO, fd)
					   : 0;
	case SPAWN_INHERIT:
		break;
	}
	return 0;
}

static int file_actions(posix_spawn_file_actions_t *fa, const struct spawn_opts *o, int pipe_w)
{
	int rc = posix_spawn_file_actions_init(fa);

	if (rc)
		return rc;
	/* stdout before stderr: SPAWN_STDERR copies our stderr before it is redirected. */
	if ((rc = posix_spawn_file_actions_addopen(fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0)) ||
	    (rc = route(fa, STDOUT_FILENO, o->out, pipe_w)) ||
	    (rc = route(fa, STDERR_FILENO, o->err, pipe_w)) ||
	    (o->cwd && (rc = posix_spawn_file_actions_addchdir_np(fa, o->cwd))))
		posix_spawn_file_actions_destroy(fa);
	return rc;
}

/* Default SIGINT/SIGTERM (a caller may ignore them while it cleans up) and no blocked
 * signal in the child; its own process group when asked. */
static int attributes(posix_spawnattr_t *at, bool own_group)
{
	sigset_t def, none;
	short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
	int rc = posix_spawnattr_init(at);

	if (rc)
		return rc;
	sigemptyset(&def);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGTERM);
	sigemptyset(&none);
	if (own_group)
		flags |= POSIX_SPAWN_SETPGROUP;
	if ((rc = posix_spawnattr_setsigdefault(at, &def)) ||
	    (rc = posix_spawnattr_setsigmask(at, &none)) ||
	    (own_group && (rc = posix_spawnattr_setpgroup(at, 0))) ||
	    (rc = posix_spawnattr_setflags(at, flags)))
		posix_spawnattr_destroy(at);
	return rc;
}

int spawn_which(const char *prog, char *buf, size_t n)
{
	const char *path = getenv("PATH");

	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0 && snprintf(buf, n, "%s", prog) < (int)n ? 0 : -1;
	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t len = strcspn(path, ":");
		struct stat st;
		int w = snprintf(buf, n, "%.*s/%s", (int)len, len ? path : ".", prog);

		if (w >= 0 && (size_t)w < n && stat(buf, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(buf, X_OK) == 0)
			return 0;
		path += len + (path[len] == ':');
	}
	return -1;
}

/* A file sh could read as a script: no NUL in its first block, not a Windows program
 * ("MZ", a .exe where interop is off). sh would only fail on it, saying something else. */
static bool text_file(const char *path)
{
	unsigned char head[512];
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ssize_t got = fd < 0 ? -1 : read(fd, head, sizeof(head));

	if (fd >= 0)
		close(fd);
	if (got < 0)
		return true;
	if (got >= 2 && head[0] == 'M' && head[1] == 'Z')
		return false;
	return !memchr(head, 0, (size_t)got);
}

/* FILE run as a script by /bin/sh, as execvp does when the kernel cannot run it: the
 * shell gets the path (found in PATH when SEARCH) and ARGV's arguments. A binary stays
 * ENOEXEC. */
static int spawn_script(pid_t *pid, const char *file, bool search, const char *const argv[],
			const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *at,
			char **env)
{
	char path[4096];
	const char **sh_argv;
	size_t n = 0;
	int rc;

	if (search && spawn_which(file, path, sizeof(path)) < 0)
		return ENOEXEC;
	if (!text_file(search ? path : file))
		return ENOEXEC;
	while (argv[n])
		n++;
	sh_argv = malloc((n + 2) * sizeof(*sh_argv));
	if (!sh_argv)
		return ENOMEM;
	sh_argv[0] = "/bin/sh";
	sh_argv[1] = search ? path : file;
	for (size_t i = 1; i <= n; i++)
		sh_argv[i + 1] = argv[i];
	rc = posix_spawn(pid, "/bin/sh", fa, at, (char *const *)sh_argv, env);
	free(sh_argv);
	return rc;
}

/* FILE (looked up in PATH when SEARCH) with ARGV; a script without "#!" through sh. */
static int spawn_file(pid_t *pid, const char *file, bool search, const char *const argv[],
		      const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *at,
		      char **env)
{
	int rc = search ? posix_spawnp(pid, file, fa, at, (char *const *)argv, env)
			: posix_spawn(pid, file, fa, at, (char *const *)argv, env);

	return rc == ENOEXEC ? spawn_script(pid, file, search, argv, fa, at, env) : rc;
}

/* argv[0], then the fallback when argv[0] cannot be run; the error that matters. */
static int start(pid_t *pid, const char *const argv[], const struct spawn_opts *o,
		 const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *at, char **env)
{
	int rc = spawn_file(pid, argv[0], true, argv, fa, at, env);

	if ((rc == ENOENT || rc == EACCES) && o->fallback) {
		int rc2 = spawn_file(pid, o->fallback, false, argv, fa, at, env);

		if (rc2 != ENOENT)
			rc = rc2;
	}
	return rc;
}

/* Why the child could not enter CWD (0 when it can): told apart from a missing program,
 * which posix_spawn reports with the same errno. */
static int cwd_problem(const char *cwd)
{
	struct stat st;

	if (!cwd)
		return 0;
	if (stat(cwd, &st) < 0)
		return errno;
	if (!S_ISDIR(st.st_mode))
		return ENOTDIR;
	return access(cwd, X_OK) < 0 ? errno : 0;
}

static int spawn_with(const char *const argv[], const struct spawn_opts *o, int pipe_w,
		      pid_t *pid, char **env)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	int rc = file_actions(&fa, o, pipe_w);

	if (rc)
		return rc;
	rc = attributes(&at, o->own_group);
	if (!rc) {
		rc = start(pid, argv, o, &fa, &at, env);
		posix_spawnattr_destroy(&at);
	}
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

int spawn_start(const char *const argv[], const struct spawn_opts *o, struct spawn *sp,
		struct error *err)
{
	bool piped = o->out == SPAWN_PIPE || o->err == SPAWN_PIPE;
	char **env = environ;
	int fds[2] = { -1, -1 }, rc = cwd_problem(o->cwd);

	sp->pid = -1;
	sp->out = -1;
	if (rc)
		return error_set(err, ERR_IO, "cannot run %s in %s: %s", argv[0], o->cwd,
				 strerror(rc));
	if (o->env && !(env = build_env(o->env)))
		return error_set(err, ERR_IO, "cannot run %s: out of memory", argv[0]);
	if (piped && pipe2(fds, O_CLOEXEC) < 0)
		rc = errno;
	/* What we buffered comes before what the child writes to the same place. */
	fflush(NULL);
	if (!rc)
		rc = spawn_with(argv, o, fds[1], &sp->pid, env);
	if (env != environ)
		free(env);
	if (fds[1] >= 0)
		close(fds[1]);
	if (rc) {
		if (fds[0] >= 0)
			close(fds[0]);
		sp->pid = -1;
		error_set(err, rc == ENOENT ? ERR_NOT_FOUND : ERR_IO, "cannot run %s: %s",
			  argv[0], strerror(rc));
		errno = rc;
		return -1;
	}
	sp->out = fds[0];
	return 0;
}

int spawn_wait(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Linux 5.3+: a descriptor that polls readable once PID has ended; -1 without one. */
static int pidfd_for(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	return -1;
#endif
}

/* Whether PID has ended, left unreaped (WNOWAIT): the zombie keeps its pid and group id
 * taken, so a kill(-pid) cannot reach a stranger. */
static bool has_ended(pid_t pid)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
		if (errno != EINTR)
			return true; /* not our child (any more): nothing to wait for */
	return si.si_pid == pid;
}

/* Without a pidfd, how often the program is looked at. */
#define SPAWN_LOOK_MS 20

int spawn_poll(const struct spawn *sp, int want, int timeout_ms, const sigset_t *mask)
{
	struct pollfd p[2];
	struct timespec ts;
	nfds_t n = 0;
	int pidfd = -1, got = 0;

	if (want & SPAWN_EXITED) {
		if (has_ended(sp->pid))
			got = SPAWN_EXITED;
		else if ((pidfd = pidfd_for(sp->pid)) < 0 &&
			 (timeout_ms < 0 || timeout_ms > SPAWN_LOOK_MS))
			timeout_ms = SPAWN_LOOK_MS;
	}
	if (got)
		timeout_ms = 0;
	if ((want & SPAWN_OUTPUT) && sp->out >= 0)
		p[n++] = (struct pollfd){ .fd = sp->out, .events = POLLIN };
	if (pidfd >= 0)
		p[n++] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
	if (!n && timeout_ms < 0)
		return got;
	ts.tv_sec = timeout_ms / 1000;
	ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000;
	if (ppoll(p, n, timeout_ms < 0 ? NULL : &ts, mask) > 0) {
		if ((want & SPAWN_OUTPUT) && sp->out >= 0 && p[0].revents)
			got |= SPAWN_OUTPUT;
		if (pidfd >= 0 && p[n - 1].revents)
			got |= SPAWN_EXITED;
	}
	if (pidfd >= 0)
		close(pidfd);
	else if ((want & SPAWN_EXITED) && !(got & SPAWN_EXITED) && has_ended(sp->pid))
		got |= SPAWN_EXITED;
	return got;
}

int spawn_stop_step(pid_t pid, struct spawn_stop *s, int grace_ms)
{
	long long left;

	if (!s->termed) {
		kill(-pid, SIGTERM);
		s->termed = true;
		s->kill_at = now_ms() + grace_ms;
	}
	if (s->killed)
		return -1;
	left = s->kill_at - now_ms();
	if (left > 0)
		return left > INT_MAX ? INT_MAX : (int)left;
	kill(-pid, SIGKILL);
	s->killed = true;
	return -1;
}

/* After the program ended, how long the children it left may keep the pipe open. */
#define SPAWN_EXIT_GRACE_MS 100

/* What spawn_capture keeps of the output. */
struct capture {
	char *buf;
	size_t n, len;
	size_t seen;              /* bytes read, kept or not */
	bool head;                /* stop once BUF is full */
	bool stopped;             /* it did */
};

/* Reads what FD has, keeping what fits in BUF. False at its end, and with HEAD once BUF
 * is full (nothing more is read). */
static bool take(int fd, struct capture *c)
{
	bool room = c->len + 1 < c->n;
	char scratch[4096];
	ssize_t r;

	if (!room && c->head) {
		c->stopped = true;
		return false;
	}
	if (room)
		r = read(fd, c->buf + c->len, c->n - 1 - c->len);
	else
		r = read(fd, scratch, sizeof(scratch));
	if (r < 0)
		return errno == EINTR || errno == EAGAIN;
	if (r == 0)
		return false;
	c->seen += (size_t)r;
	if (room)
		c->len += (size_t)r;
	if (c->head && c->len + 1 >= c->n)
		c->stopped = true;
	return !c->stopped;
}

/* The program has ended, so all it wrote is in the pipe: at most the pipe's capacity.
 * That much is read, without waiting for what the children it left may write. */
static void take_rest(const struct spawn *sp, struct capture *c)
{
	int cap = fcntl(sp->out, F_GETPIPE_SZ);
	size_t until = c->seen + (size_t)(cap > 0 ? cap : 65536);

	while (c->seen < until && spawn_poll(sp, SPAWN_OUTPUT, 0, NULL) && take(sp->out, c))
		;
}

/* Reads SP's output and waits for its end, all within one deadline. True when the
 * program ended in time (its pipe may still be held by children it left). */
static bool follow(struct spawn *sp, int timeout_ms, struct capture *c)
{
	long long deadline = now_ms() + timeout_ms, left;
	bool ended = false;

	while (!c->stopped && (sp->out >= 0 || !ended) && (left = deadline - now_ms()) > 0) {
		int want = (sp->out >= 0 ? SPAWN_OUTPUT : 0) | (ended ? 0 : SPAWN_EXITED);
		int ev = spawn_poll(sp, want, (int)left, NULL);

		/* Cut off, the pipe stays open until the group is killed: not a SIGPIPE. */
		if ((ev & SPAWN_OUTPUT) && !take(sp->out, c) && !c->stopped) {
			close(sp->out);
			sp->out = -1;
		}
		if ((ev & SPAWN_EXITED) && !ended) {
			ended = true;
			if (deadline > now_ms() + SPAWN_EXIT_GRACE_MS)
				deadline = now_ms() + SPAWN_EXIT_GRACE_MS;
		}
	}
	if (ended && sp->out >= 0 && !c->stopped)
		take_rest(sp, c);
	return ended;
}

static int capture(const char *const argv[], const char *fallback, int timeout_ms,
		   struct capture *c, struct spawn_result *r, struct error *err)
{
	struct spawn_opts o = { .fallback = fallback, .out = SPAWN_PIPE, .err = SPAWN_NULL,
				.own_group = true };
	struct spawn sp;
	bool ended;

	memset(r, 0, sizeof(*r));
	if (c->n)
		c->buf[0] = '\0';
	if (spawn_start(argv, &o, &sp, err) < 0)
		return -1;
	ended = follow(&sp, timeout_ms, c);
	/* The program at the deadline or cut off, or children it left holding the pipe. */
	if (!ended || sp.out >= 0)
		kill(-sp.pid, SIGKILL);
	if (sp.out >= 0)
		close(sp.out);
	r->timed_out = !ended && !c->stopped;
	r->status = spawn_wait(sp.pid);
	if (r->timed_out)
		r->status = -1;
	r->len = c->len;
	r->full = c->n && c->len + 1 >= c->n;
	if (c->n)
		c->buf[c->len] = '\0';
	return 0;
}

int spawn_capture(const char *const argv[], const char *fallback, int timeout_ms, char *buf,
		  size_t n, struct spawn_result *r, struct error *err)
{
	struct capture c = { .buf = buf, .n = n };

	return capture(argv, fallback, timeout_ms, &c, r, err);
}

int spawn_capture_head(const char *const argv[], const char *fallback, int timeout_ms,
		       char *buf, size_t n, struct spawn_result *r, struct error *err)
{
	struct capture c = { .buf = buf, .n = n, .head = true };

	return capture(argv, fallback, timeout_ms, &c, r, err);
}
