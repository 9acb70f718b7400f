// SPDX-License-Identifier: MIT
/* Starting programs (cli/core/spawner.c): streams, environment, folder, group, signals. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "spawner.h"
#include "testutil.h"

/* Runs sh -c SCRIPT through spawn_start with O (its output piped); the output in BUF. */
static int sh(const char *script, struct spawn_opts *o, char *buf, size_t n)
{
	const char *argv[] = { "sh", "-c", script, NULL };
	struct error err = { 0 };
	struct spawn sp;
	size_t len = 0;
	ssize_t r;

	o->out = SPAWN_PIPE;
	assert_int_equal(spawn_start(argv, o, &sp, &err), 0);
	while ((r = read(sp.out, buf + len, n - 1 - len)) > 0)
		len += (size_t)r;
	buf[len] = '\0';
	close(sp.out);
	return spawn_wait(sp.pid);
}

static void test_capture(void **state)
{
	const char *argv[] = { "sh", "-c", "printf 'one\\ntwo'; echo err >&2; exit 3", NULL };
	const char *reads[] = { "sh", "-c", "cat; echo done", NULL };
	struct spawn_result r;
	struct error err = { 0 };
	char buf[64];

	(void)state;
	/* stderr is discarded, the exit status kept. */
	assert_int_equal(spawn_capture(argv, NULL, 5000, buf, sizeof(buf), &r, &err), 0);
	assert_string_equal(buf, "one\ntwo");
	assert_int_equal(r.len, 7);
	assert_int_equal(r.status, 3);
	assert_false(r.timed_out);
	assert_false(r.full);
	/* stdin is /dev/null: a program that reads it does not hang. */
	assert_int_equal(spawn_capture(reads, NULL, 5000, buf, sizeof(buf), &r, &err), 0);
	assert_string_equal(buf, "done\n");
}

static void test_missing(void **state)
{
	const char *abs[] = { "/nonexistent/wslctl-no-such-program", NULL };
	const char *inpath[] = { "wslctl-no-such-program", "hello", NULL };
	struct spawn_result r;
	struct error err = { 0 };
	char buf[64];

	(void)state;
	assert_int_equal(spawn_capture(abs, NULL, 5000, buf, sizeof(buf), &r, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	assert_non_null(strstr(err.message, "wslctl-no-such-program"));
	assert_int_equal(spawn_capture(inpath, NULL, 5000, buf, sizeof(buf), &r, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	/* The fallback runs with the same arguments. */
	assert_int_equal(spawn_capture(inpath, "/bin/echo", 5000, buf, sizeof(buf), &r, &err), 0);
	assert_string_equal(buf, "hello\n");
	/* A missing fallback leaves the first error. */
	assert_int_equal(spawn_capture(inpath, "/nonexistent/echo", 5000, buf, sizeof(buf), &r,
				       &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
}

static void test_timeout_and_drain(void **state)
{
	const char *slow[] = { "sleep", "30", NULL };
	const char *big[] = { "sh", "-c", "head -c 200000 /dev/zero | tr '\\0' x; echo", NULL };
	struct spawn_result r;
	struct error err = { 0 };
	struct timespec a, b;
	char buf[16];

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(spawn_capture(slow, NULL, 300, buf, sizeof(buf), &r, &err), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_true(r.timed_out);
	assert_int_equal(r.status, -1);
	assert_true(b.tv_sec - a.tv_sec < 5);
	/* More than the buffer and the pipe: the program still finishes. */
	assert_int_equal(spawn_capture(big, NULL, 5000, buf, sizeof(buf), &r, &err), 0);
	assert_false(r.timed_out);
	assert_true(r.full);
	assert_int_equal(r.status, 0);
	assert_int_equal(r.len, 15);
	assert_string_equal(buf, "xxxxxxxxxxxxxxx");
}

static double seconds_since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) + (double)(b.tv_nsec - a->tv_nsec) / 1e9;
}

/* True once PID has ended (gone, or a zombie nobody reaped), within 2 s. */
static bool ended(long pid)
{
	for (int i = 0; i < 200; i++) {
		char path[64], *text;

		snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
		text = read_text(path);
		if (!text || (strrchr(text, ')') && strrchr(text, ')')[2] == 'Z'))
			return true;
		usleep(10000);
	}
	return false;
}

/* Runs sh -c SCRIPT through spawn_capture (HEAD: spawn_capture_head) within
 * TIMEOUT_MS, expecting it to start; the seconds it took. */
static double timed(const char *script, bool head, int timeout_ms, char *buf, size_t n,
		    struct spawn_result *r)
{
	const char *argv[] = { "sh", "-c", script, NULL };
	struct error err = { 0 };
	struct timespec a;

	clock_gettime(CLOCK_MONOTONIC, &a);
	if (head)
		assert_int_equal(spawn_capture_head(argv, NULL, timeout_ms, buf, n, r, &err), 0);
	else
		assert_int_equal(spawn_capture(argv, NULL, timeout_ms, buf, n, r, &err), 0);
	return seconds_since(&a);
}

/* One deadline for the output and the exit: a program that closes its stdout and runs
 * on is killed at the deadline and timed out. */
static void test_deadline_after_eof(void **state)
{
	struct spawn_result r;
	char buf[64];

	(void)state;
	assert_true(timed("echo hi; exec >&-; sleep 5", false, 500, buf, sizeof(buf), &r) < 2);
	assert_true(r.timed_out);
	assert_int_equal(r.status, -1);
	assert_string_equal(buf, "hi\n");
}

/* A program that ends in time is not timed out, though a child it left in the background
 * holds the pipe; that child (its process group) is killed. */
static void test_background_left(void **state)
{
	struct spawn_result r;
	char buf[64];

	(void)state;
	assert_true(timed("sleep 5 & echo $!; exit 4", false, 3000, buf, sizeof(buf), &r) < 2);
	assert_false(r.timed_out);
	assert_int_equal(r.status, 4);
	assert_true(atol(buf) > 0);
	assert_true(ended(atol(buf)));
}

/* spawn_capture_head stops at a full buffer: the flood and its group are killed, what
 * came first kept, and that is not a time-out. */
static void test_head(void **state)
{
	struct spawn_result r;
	char buf[16];

	(void)state;
	assert_true(timed("sleep 5 & echo $!; exec yes", true, 3000, buf, sizeof(buf), &r) < 2);
	assert_false(r.timed_out);
	assert_true(r.full);
	assert_int_equal(r.len, 15);
	assert_int_equal(r.status, 128 + SIGKILL);
	assert_non_null(strstr(buf, "\ny\ny\n"));
	assert_true(ended(atol(buf)));
}

/* A script without "#!" is run by /bin/sh, as execvp does: by its path and through PATH
 * (ours), with its arguments. */
static void test_script_without_shebang(void **state)
{
	char path[600], dir_path[1200], *old = getenv("PATH");
	const char *by_path[] = { path, "one", "two", NULL };
	const char *by_name[] = { "wslctl-t-script", "three", NULL };
	struct spawn_result r;
	struct error err = { 0 };
	char buf[64];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/wslctl-t-script", scratch_dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("echo \"ran $*\"\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, 0755), 0);
	assert_int_equal(spawn_capture(by_path, NULL, 5000, buf, sizeof(buf), &r, &err), 0);
	assert_string_equal(buf, "ran one two\n");
	assert_int_equal(r.status, 0);
	old = strdup(old ? old : "/usr/bin:/bin");
	snprintf(dir_path, sizeof(dir_path), "%s:%s", scratch_dir, old);
	setenv("PATH", dir_path, 1);
	assert_int_equal(spawn_capture(by_name, NULL, 5000, buf, sizeof(buf), &r, &err), 0);
	setenv("PATH", old, 1);
	free(old);
	assert_string_equal(buf, "ran three\n");
}

/* Set, unset, set twice (the last wins), and the rest of ours kept. */
static void test_environment(void **state)
{
	const char *env[] = { "WSLCTL_T_A=1", "WSLCTL_T_GONE", "WSLCTL_T_B=x", "WSLCTL_T_B=y=z",
			      NULL };
	struct spawn_opts o = { .env = env };
	char buf[256];

	(void)state;
	setenv("WSLCTL_T_GONE", "still here", 1);
	setenv("WSLCTL_T_KEPT", "kept", 1);
	setenv("WSLCTL_T_A", "old", 1);
	assert_int_equal(sh("echo \"$WSLCTL_T_A|${WSLCTL_T_GONE-unset}|$WSLCTL_T_B|"
			    "$WSLCTL_T_KEPT\"; env | grep -c '^WSLCTL_T_B='", &o, buf,
			    sizeof(buf)), 0);
	assert_string_equal(buf, "1|unset|y=z|kept\n1\n");
	/* Our own environment is untouched. */
	assert_string_equal(getenv("WSLCTL_T_A"), "old");
	assert_string_equal(getenv("WSLCTL_T_GONE"), "still here");
	unsetenv("WSLCTL_T_GONE");
	unsetenv("WSLCTL_T_KEPT");
	unsetenv("WSLCTL_T_A");
}

static void test_cwd(void **state)
{
	const char *argv[] = { "pwd", NULL };
	struct spawn_opts o = { .cwd = scratch_dir };
	struct error err = { 0 };
	struct spawn sp;
	char buf[512], want[512];

	(void)state;
	assert_int_equal(sh("pwd -P", &o, buf, sizeof(buf)), 0);
	assert_non_null(realpath(scratch_dir, want));
	strcat(want, "\n");
	assert_string_equal(buf, want);
	/* A folder that is not there is told apart from a missing program. */
	o.cwd = "/nonexistent/folder";
	assert_int_equal(spawn_start(argv, &o, &sp, &err), -1);
	assert_int_equal(err.code, ERR_IO);
	assert_non_null(strstr(err.message, "/nonexistent/folder"));
	assert_int_equal(sp.pid, -1);
	assert_int_equal(sp.out, -1);
}

/* Its own process group when asked: field 5 of /proc/PID/stat is the group. */
static void test_group(void **state)
{
	struct spawn_opts o = { .own_group = true };
	char buf[64];

	(void)state;
	assert_int_equal(sh("set -- $(cat /proc/$$/stat); [ \"$5\" = $$ ] && echo own", &o,
			    buf, sizeof(buf)), 0);
	assert_string_equal(buf, "own\n");
	o.own_group = false;
	assert_int_equal(sh("set -- $(cat /proc/$$/stat); [ \"$5\" = $$ ] || echo ours", &o,
			    buf, sizeof(buf)), 0);
	assert_string_equal(buf, "ours\n");
}

/* We may ignore SIGTERM while cleaning up; the child must not inherit that. */
static void test_signals_default(void **state)
{
	struct spawn_opts o = { 0 };
	char buf[64];

	(void)state;
	signal(SIGTERM, SIG_IGN);
	assert_int_equal(sh("kill -TERM $$; echo survived", &o, buf, sizeof(buf)),
			 128 + SIGTERM);
	signal(SIGTERM, SIG_DFL);
	assert_string_equal(buf, "");
}

/* SPAWN_STDERR: the child's stdout goes where our stderr goes; stderr both in the pipe. */
static void test_routes(void **state)
{
	const char *argv[] = { "sh", "-c", "echo out; echo err >&2", NULL };
	struct spawn_opts o = { .out = SPAWN_STDERR };
	struct error err = { 0 };
	char path[600], buf[64], *text;
	struct spawn sp;
	int saved = dup(STDERR_FILENO), fd;
	ssize_t n;

	(void)state;
	snprintf(path, sizeof(path), "%s/stderr", scratch_dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0 && saved >= 0);
	dup2(fd, STDERR_FILENO);
	close(fd);
	assert_int_equal(spawn_start(argv, &o, &sp, &err), 0);
	assert_int_equal(sp.out, -1);
	assert_int_equal(spawn_wait(sp.pid), 0);
	dup2(saved, STDERR_FILENO);
	close(saved);
	text = read_text(path);
	assert_non_null(text);
	assert_string_equal(text, "out\nerr\n");

	o.out = SPAWN_PIPE;
	o.err = SPAWN_PIPE;
	assert_int_equal(spawn_start(argv, &o, &sp, &err), 0);
	n = read(sp.out, buf, sizeof(buf) - 1);
	while (n > 0 && n < 8) {
		ssize_t m = read(sp.out, buf + n, sizeof(buf) - 1 - (size_t)n);

		if (m <= 0)
			break;
		n += m;
	}
	close(sp.out);
	assert_int_equal(n, 8);
	buf[n] = '\0';
	assert_string_equal(buf, "out\nerr\n");
	assert_int_equal(spawn_wait(sp.pid), 0);
	assert_int_equal(spawn_wait(sp.pid), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capture),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_timeout_and_drain),
		cmocka_unit_test(test_deadline_after_eof),
		cmocka_unit_test(test_background_left),
		cmocka_unit_test(test_head),
		cmocka_unit_test(test_script_without_shebang),
		cmocka_unit_test(test_environment),
		cmocka_unit_test(test_cwd),
		cmocka_unit_test(test_group),
		cmocka_unit_test(test_signals_default),
		cmocka_unit_test(test_routes),
	};

	return cmocka_run_group_tests_name("spawner", tests, scratch_setup, scratch_teardown);
}
