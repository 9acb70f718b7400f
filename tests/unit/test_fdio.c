// SPDX-License-Identifier: MIT
/* Whole reads and writes (cli/core/fdio.c): short counts, EINTR, limits. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fdio.h"

#define BIG (1u << 20) /* far more than a pipe holds: write() comes back short */

static void on_alarm(int sig)
{
	(void)sig;
}

/* A child writes BIG bytes through a pipe while the parent reads them whole. */
static void test_through_a_pipe(void **state)
{
	char *data = malloc(BIG), *got;
	struct sigaction sa = { .sa_handler = on_alarm };
	size_t len = 0;
	int fds[2], st;
	pid_t pid;

	(void)state;
	assert_non_null(data);
	for (size_t i = 0; i < BIG; i++)
		data[i] = (char)('a' + i % 26);
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* Signals without SA_RESTART interrupt the writes: write_all goes on. */
		sigaction(SIGALRM, &sa, NULL);
		ualarm(1000, 1000);
		close(fds[0]);
		_exit(write_all(fds[1], data, BIG) == 0 ? 0 : 1);
	}
	close(fds[1]);
	got = read_all(fds[0], BIG, &len);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_non_null(got);
	assert_int_equal(len, BIG);
	assert_memory_equal(got, data, BIG);
	assert_int_equal(got[BIG], '\0');
	free(got);
	free(data);
}

/* MAX bytes are fine, one more is EFBIG; nothing is NUL-terminated empty. */
static void test_limit(void **state)
{
	char path[] = "/tmp/wslctl-fdio-XXXXXX", *got;
	size_t len = 99;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	got = read_all(fd, 10, &len);
	assert_non_null(got);
	assert_int_equal(len, 0);
	assert_string_equal(got, "");
	free(got);
	assert_int_equal(write_all(fd, "0123456789", 10), 0);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	got = read_all(fd, 10, NULL);
	assert_non_null(got);
	assert_string_equal(got, "0123456789");
	free(got);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	errno = 0;
	assert_null(read_all(fd, 9, &len));
	assert_int_equal(errno, EFBIG);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	assert_null(read_all(fd, 0, &len));
	assert_int_equal(errno, EFBIG);
	close(fd);
}

static void test_errors(void **state)
{
	int fd = open("/", O_RDONLY | O_DIRECTORY);

	(void)state;
	assert_true(fd >= 0);
	assert_null(read_all(fd, 100, NULL));
	assert_int_equal(errno, EISDIR);
	close(fd);
	assert_int_equal(write_all(-1, "x", 1), -1);
	assert_int_equal(errno, EBADF);
	assert_int_equal(write_all(-1, "", 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_through_a_pipe),
		cmocka_unit_test(test_limit),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests_name("fdio", tests, NULL, NULL);
}
