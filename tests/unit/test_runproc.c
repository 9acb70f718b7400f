// SPDX-License-Identifier: MIT
/* Running build tools (cli/core/runproc.c): log, capture, lines, interruption. */
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
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "interrupt.h"
#include "runproc.h"
#include "testutil.h"

struct lines {
	char text[4][5000];
	int n;
};

static void on_line(void *ud, const char *line)
{
	struct lines *l = ud;

	if (l->n < 4)
		snprintf(l->text[l->n], sizeof(l->text[0]), "%s", line);
	l->n++;
}

/* Every byte reaches the log, the capture and the lines, stdout and stderr merged. */
static void test_output(void **state)
{
	const char *argv[] = { "sh", "-c", "echo one; echo two >&2; printf \"$BIG\"", NULL };
	char path[600], big[6000], env_big[6100];
	const char *env[] = { env_big, NULL };
	struct lines l = { 0 };
	struct run_opts o = { .env = env, .capture = true, .on_line = on_line, .ud = &l };
	struct run_result r;
	struct error err = { 0 };
	char *log;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(env_big, sizeof(env_big), "BIG=%s", big);
	snprintf(path, sizeof(path), "%s/log", scratch_dir);
	o.log_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(o.log_fd >= 0);
	assert_int_equal(run_cmd(argv, &o, &r, &err), 0);
	close(o.log_fd);
	assert_int_equal(r.status, 0);
	assert_false(r.log_incomplete);
	assert_int_equal(r.len, 8 + sizeof(big) - 1);
	assert_memory_equal(r.output, "one\ntwo\n", 8);
	assert_string_equal(r.output + 8, big);
	log = read_text(path);
	assert_non_null(log);
	assert_string_equal(log, r.output);
	free(r.output);
	/* A line longer than the line buffer is cut in pieces, none lost; the last one
	 * without a newline still comes. */
	assert_int_equal(l.n, 4);
	assert_string_equal(l.text[0], "one");
	assert_string_equal(l.text[1], "two");
	assert_int_equal(strlen(l.text[2]) + strlen(l.text[3]), sizeof(big) - 1);
}

static void test_status_cwd_missing(void **state)
{
	const char *fails[] = { "sh", "-c", "pwd -P; exit 7", NULL };
	const char *absent[] = { "wslctl-no-such-tool", NULL };
	struct run_opts o = { .cwd = "/", .log_fd = -1, .capture = true };
	struct run_result r;
	struct error err = { 0 };

	(void)state;
	assert_int_equal(run_cmd(fails, &o, &r, &err), 0);
	assert_int_equal(r.status, 7);
	assert_string_equal(r.output, "/\n");
	free(r.output);
	assert_int_equal(run_cmd(absent, &o, &r, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	assert_non_null(strstr(err.message, "wslctl-no-such-tool"));
	o.cwd = "/nonexistent/tree";
	assert_int_equal(run_cmd(fails, &o, &r, &err), -1);
	assert_non_null(strstr(err.message, "/nonexistent/tree"));
	assert_null(r.output);
}

/* A full disk cuts the log, not the run. */
static void test_log_full(void **state)
{
	const char *argv[] = { "echo", "hello", NULL };
	struct run_opts o = { .capture = true };
	struct run_result r;
	struct error err = { 0 };

	(void)state;
	o.log_fd = open("/dev/full", O_WRONLY);
	if (o.log_fd < 0)
		skip();
	assert_int_equal(run_cmd(argv, &o, &r, &err), 0);
	close(o.log_fd);
	assert_true(r.log_incomplete);
	assert_string_equal(r.output, "hello\n");
	free(r.output);
}

/* The build log gets the whole text, and says so when it could not (a full disk). */
static void test_run_log(void **state)
{
	char path[600], big[200000];
	struct stat st;
	int fd;

	(void)state;
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(path, sizeof(path), "%s/run.log", scratch_dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(run_log(fd, "$ make\n"), 0);
	assert_int_equal(run_log(fd, big), 0);
	assert_int_equal(run_log(-1, "nowhere"), 0);
	close(fd);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 7 + sizeof(big) - 1);
	fd = open("/dev/full", O_WRONLY);
	if (fd >= 0) {
		assert_int_equal(run_log(fd, "x"), -1);
		close(fd);
	}
}

static double seconds_since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) + (double)(b.tv_nsec - a->tv_nsec) / 1e9;
}

/* True once the process whose pid is in the file PATH has ended (gone, or a zombie
 * nobody reaped), within 2 s. */
static bool ended(const char *path)
{
	char *text = read_text(path), stat[64];
	long pid = text ? atol(text) : 0;

	assert_true(pid > 0);
	snprintf(stat, sizeof(stat), "/proc/%ld/stat", pid);
	for (int i = 0; i < 200; i++) {
		text = read_text(stat);
		if (!text || (strrchr(text, ')') && strrchr(text, ')')[2] == 'Z'))
			return true;
		usleep(10000);
	}
	return false;
}

/* Runs sh -c SCRIPT ($D in it: the scratch folder) with SIGINT/SIGTERM caught and
 * expects it interrupted within 3 s; the handlers and the flag are reset after. R is
 * its result. */
static void interrupted(const char *script, int grace_ms, bool raise_first,
			struct run_result *r)
{
	char dir[600];
	const char *argv[] = { "sh", "-c", script, NULL };
	const char *env[] = { dir, NULL };
	struct run_opts o = { .env = env, .log_fd = -1, .capture = true,
			      .term_grace_ms = grace_ms };
	struct error err = { 0 };
	struct timespec a;
	sigset_t mask;

	snprintf(dir, sizeof(dir), "D=%s", scratch_dir);
	interrupt_catch();
	if (raise_first)
		raise(SIGINT);
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(run_cmd(argv, &o, r, &err), -1);
	assert_true(seconds_since(&a) < 3);
	assert_int_equal(interrupt_signal(), SIGINT);
	assert_int_equal(err.code, ERR_INTERRUPTED);
	assert_non_null(strstr(err.message, "interrupted"));
	assert_null(r->output);
	/* The signals are not left blocked. */
	assert_int_equal(sigprocmask(SIG_BLOCK, NULL, &mask), 0);
	assert_false(sigismember(&mask, SIGINT));
	assert_false(sigismember(&mask, SIGTERM));
	interrupt_reset();
	assert_int_equal(interrupt_signal(), 0);
}

/* An interrupt that came before the tool: it is not started. */
static void test_interrupted_before(void **state)
{
	struct run_result r;
	char marker[600];

	(void)state;
	interrupted("touch $D/ran; sleep 3", 0, true, &r);
	snprintf(marker, sizeof(marker), "%s/ran", scratch_dir);
	assert_int_equal(access(marker, F_OK), -1);
}

/* SIGINT while a silent tool runs (sent before or after we wait: either way): the
 * tool's whole group is stopped and the run reports it. */
static void test_interrupted_silent(void **state)
{
	struct run_result r;
	char bg[600];

	(void)state;
	interrupted("sleep 30 & echo $! >$D/bg; kill -INT $PPID; wait", 0, false, &r);
	snprintf(bg, sizeof(bg), "%s/bg", scratch_dir);
	assert_true(ended(bg));
	assert_int_equal(r.status, 128 + SIGTERM);
}

/* The tool closed its output: the interrupt still reaches us while we wait for its end. */
static void test_interrupted_waiting(void **state)
{
	struct run_result r;

	(void)state;
	interrupted("exec >/dev/null 2>&1; kill -INT $PPID; exec sleep 30", 0, false, &r);
	assert_int_equal(r.status, 128 + SIGTERM);
}

/* A tool group that ignores SIGTERM gets SIGKILL after the grace. */
static void test_interrupted_killed(void **state)
{
	struct run_result r;
	char bg[600];

	(void)state;
	interrupted("trap '' TERM; sleep 30 & echo $! >$D/bg; kill -INT $PPID; wait", 300, false,
		    &r);
	snprintf(bg, sizeof(bg), "%s/bg", scratch_dir);
	assert_true(ended(bg));
	assert_int_equal(r.status, 128 + SIGKILL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_output),
		cmocka_unit_test(test_status_cwd_missing),
		cmocka_unit_test(test_log_full),
		cmocka_unit_test(test_run_log),
		cmocka_unit_test(test_interrupted_before),
		cmocka_unit_test(test_interrupted_silent),
		cmocka_unit_test(test_interrupted_waiting),
		cmocka_unit_test(test_interrupted_killed),
	};

	return cmocka_run_group_tests_name("runproc", tests, scratch_setup, scratch_teardown);
}
