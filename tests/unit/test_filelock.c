// SPDX-License-Identifier: MIT
/* The lock between processes (cli/core/filelock.c), on a real file system in /tmp. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filelock.h"
#include "interrupt.h"
#include "testutil.h"

static long ms_between(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000;
}

static void test_waits_then_fails(void **state)
{
	char lp[256];
	struct error err = { 0 };
	struct timespec a, b;
	int fd1, fd2;

	(void)state;
	snprintf(lp, sizeof(lp), "%s/x.lock", scratch_dir);
	fd1 = filelock_take(lp, 1000, &err);
	assert_true(fd1 >= 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	/* flock belongs to the open file: a second open in this process conflicts too. */
	assert_int_equal(filelock_take(lp, 300, &err), -1);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_int_equal(err.code, ERR_LOCKED);
	assert_true(ms_between(&a, &b) >= 300);
	assert_non_null(strstr(err.message, "x.lock"));
	/* No wait at all: refused at once. */
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(filelock_take(lp, 0, &err), -1);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_int_equal(err.code, ERR_LOCKED);
	assert_true(ms_between(&a, &b) < 200);
	filelock_release(fd1, lp);
	assert_int_equal(access(lp, F_OK), -1);
	fd2 = filelock_take(lp, 300, &err);
	assert_true(fd2 >= 0);
	filelock_release(fd2, lp);
}

/* A lock file kept between holders (release without a path) is taken again. */
static void test_kept_file(void **state)
{
	char lp[256];
	struct error err = { 0 };
	int fd;

	(void)state;
	snprintf(lp, sizeof(lp), "%s/kept.lock", scratch_dir);
	fd = filelock_take(lp, 0, &err);
	assert_true(fd >= 0);
	filelock_release(fd, NULL);
	assert_int_equal(access(lp, F_OK), 0);
	fd = filelock_take(lp, 0, &err);
	assert_true(fd >= 0);
	filelock_release(fd, lp);
}

/* The waiter gets the lock once another process lets go, and it is a lock on the file
 * that is at the path then, not on the one the holder removed. */
static void test_waiter_gets_it(void **state)
{
	char lp[256];
	struct error err = { 0 };
	pid_t pid;
	int fd, st;

	(void)state;
	snprintf(lp, sizeof(lp), "%s/handover.lock", scratch_dir);
	fd = filelock_take(lp, 0, &err);
	assert_true(fd >= 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct error e = { 0 };
		int cfd;

		close(fd); /* the lock stays with the parent's descriptor alone */
		cfd = filelock_take(lp, 5000, &e);

		_exit(cfd >= 0 && access(lp, F_OK) == 0 ? 0 : 1);
	}
	usleep(100 * 1000);
	filelock_release(fd, lp);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	unlink(lp);
}

static void test_cannot_create(void **state)
{
	struct error err = { 0 };

	(void)state;
	assert_int_equal(filelock_take("/nonexistent/dir/x.lock", 1000, &err), -1);
	assert_int_equal(err.code, ERR_IO);
	assert_non_null(strstr(err.message, "/nonexistent/dir/x.lock"));
	filelock_release(-1, NULL);
}

/* A link at the lock's name is not followed (a dangling one would make us create its
 * target), and a FIFO there neither hangs nor is taken. */
static void test_not_a_regular_file(void **state)
{
	struct error err = { 0 };
	char lp[600], target[600];

	(void)state;
	snprintf(lp, sizeof(lp), "%s/link.lock", scratch_dir);
	snprintf(target, sizeof(target), "%s/created-through-link", scratch_dir);
	assert_int_equal(symlink(target, lp), 0);
	assert_int_equal(filelock_take(lp, 0, &err), -1);
	assert_int_equal(err.code, ERR_INVALID_FILE);
	assert_non_null(strstr(err.message, "symbolic link"));
	assert_int_not_equal(access(target, F_OK), 0);
	/* A link to a file that exists is refused as well, and the file left alone. */
	unlink(lp);
	assert_int_equal(close(creat(target, 0644)), 0);
	assert_int_equal(symlink(target, lp), 0);
	assert_int_equal(filelock_take(lp, 0, &err), -1);
	assert_int_equal(err.code, ERR_INVALID_FILE);
	assert_int_equal(access(lp, F_OK), 0);
	unlink(target);
	unlink(lp);
	snprintf(lp, sizeof(lp), "%s/fifo.lock", scratch_dir);
	assert_int_equal(mkfifo(lp, 0644), 0);
	assert_int_equal(filelock_take(lp, 0, &err), -1);
	assert_non_null(strstr(err.message, "not a regular file"));
	assert_non_null(strstr(err.message, "FIFO"));
	unlink(lp);
}

/* A signal while waiting for the lock ends the wait at once with ERR_INTERRUPTED (not a
 * death: filelock_take notes signals from its start), leaving the holder's file. */
static void test_signal_ends_wait(void **state)
{
	char lp[256];
	struct error err = { 0 };
	struct timespec a, b;
	pid_t pid;
	int fd, st;

	(void)state;
	snprintf(lp, sizeof(lp), "%s/intr.lock", scratch_dir);
	fd = filelock_take(lp, 0, &err);
	assert_true(fd >= 0);
	interrupt_reset(); /* as a fresh process: SIGINT would kill it */
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		usleep(300 * 1000);
		kill(getppid(), SIGINT);
		_exit(0);
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(filelock_take(lp, 10000, &err), -1);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_int_equal(err.code, ERR_INTERRUPTED);
	assert_int_equal(interrupt_signal(), SIGINT);
	assert_non_null(strstr(err.message, "intr.lock"));
	assert_true(ms_between(&a, &b) < 3000);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	interrupt_reset();
	assert_int_equal(access(lp, F_OK), 0);
	filelock_release(fd, lp);
}

/* A folder at the lock's name is bad input (exit 3) saying so, like a FIFO; the wait
 * notice is given once, after about 1 s. */
static int notices;

static void count_notice(const char *path, void *arg)
{
	(void)path;
	(void)arg;
	notices++;
}

static void test_folder_and_notice(void **state)
{
	struct error err = { 0 };
	char lp[600];
	int fd;

	(void)state;
	snprintf(lp, sizeof(lp), "%s/dir.lock", scratch_dir);
	assert_int_equal(mkdir(lp, 0755), 0);
	assert_int_equal(filelock_take(lp, 0, &err), -1);
	assert_int_equal(err.code, ERR_INVALID_FILE);
	assert_non_null(strstr(err.message, "folder"));
	rmdir(lp);
	fd = filelock_take(lp, 0, &err);
	assert_true(fd >= 0);
	filelock_on_wait(count_notice, NULL);
	memset(&err, 0, sizeof(err));
	assert_int_equal(filelock_take(lp, 500, &err), -1);
	assert_int_equal(notices, 0);
	assert_int_equal(filelock_take(lp, 1500, &err), -1);
	assert_int_equal(err.code, ERR_LOCKED);
	assert_int_equal(notices, 1);
	filelock_on_wait(NULL, NULL);
	filelock_release(fd, lp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_waits_then_fails),
		cmocka_unit_test(test_kept_file),
		cmocka_unit_test(test_waiter_gets_it),
		cmocka_unit_test(test_cannot_create),
		cmocka_unit_test(test_not_a_regular_file),
		cmocka_unit_test(test_signal_ends_wait),
		cmocka_unit_test(test_folder_and_notice),
	};

	return cmocka_run_group_tests_name("filelock", tests, scratch_setup, scratch_teardown);
}
