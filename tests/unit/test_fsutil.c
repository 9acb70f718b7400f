// SPDX-License-Identifier: MIT
/* Files and folders (cli/core/fsutil.c), on a real file system in /tmp. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <signal.h>

#include "fsutil.h"
#include "interrupt.h"
#include "testutil.h"

static void path_of(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", scratch_dir, name);
}

static void put_path(const char *path)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fclose(f), 0);
}

static void put(const char *name, const char *text)
{
	char p[512];
	FILE *f;

	path_of(p, sizeof(p), name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static bool is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void test_mkdir_p(void **state)
{
	struct error err = { 0 };
	struct stat st;
	char p[512];

	(void)state;
	path_of(p, sizeof(p), "a/b/c");
	assert_int_equal(mkdir_p(p, 0700, &err), 0);
	assert_true(is_dir(p));
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* Again, and with a trailing slash or doubled ones: nothing to do, no error. */
	assert_int_equal(mkdir_p(p, 0755, &err), 0);
	path_of(p, sizeof(p), "a//b/c/d/");
	assert_int_equal(mkdir_p(p, 0755, &err), 0);
	path_of(p, sizeof(p), "a/b/c/d");
	assert_true(is_dir(p));
	/* A file in the way: the message names it, and says it is not a folder. */
	put("file", "x");
	path_of(p, sizeof(p), "file/sub/dir");
	assert_int_equal(mkdir_p(p, 0755, &err), -1);
	assert_int_equal(err.code, ERR_IO);
	assert_non_null(strstr(err.message, "file: cannot create folder: Not a directory"));
	/* The folder itself is a file: not "already there". */
	path_of(p, sizeof(p), "file");
	assert_int_equal(mkdir_p(p, 0755, &err), -1);
	path_of(p, sizeof(p), "file/sub/dir");
	assert_int_equal(mkdir_p("", 0755, &err), -1);
	assert_int_equal(mkdir_p(p, 0755, NULL), -1);
}

static void test_rm_rf(void **state)
{
	char p[512], outside[512], link[512];

	(void)state;
	path_of(p, sizeof(p), "tree/x/y");
	assert_int_equal(mkdir_p(p, 0755, NULL), 0);
	put("tree/x/y/f", "1");
	put("tree/g", "2");
	put("keep", "3");
	path_of(outside, sizeof(outside), "keep");
	path_of(link, sizeof(link), "tree/x/link");
	assert_int_equal(symlink(outside, link), 0);
	path_of(p, sizeof(p), "tree");
	assert_int_equal(rm_rf(p), 0);
	assert_int_equal(access(p, F_OK), -1);
	/* The link went, not what it pointed to. */
	assert_int_equal(access(outside, F_OK), 0);
	assert_int_equal(rm_rf(p), 0);
	path_of(p, sizeof(p), "keep");
	assert_int_equal(rm_rf(p), 0);
	assert_int_equal(access(p, F_OK), -1);
}

static void test_copy_file(void **state)
{
	struct error err = { 0 };
	char from[512], to[512], p2[512], *got;
	size_t n = 200000, len;
	struct stat st;
	char *big = malloc(n + 1);
	FILE *f;

	(void)state;
	assert_non_null(big);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)('0' + i % 10);
	big[n] = '\0';
	path_of(from, sizeof(from), "big");
	f = fopen(from, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(big, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	/* A longer file at TO is replaced whole, not overwritten in part. */
	path_of(to, sizeof(to), "copy");
	f = fopen(to, "w");
	assert_non_null(f);
	for (size_t i = 0; i < 3 * n; i++)
		fputc('z', f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(copy_file(from, to, &err), 0);
	got = read_file(to, SIZE_MAX - 1, &len);
	assert_non_null(got);
	assert_int_equal(len, n);
	assert_memory_equal(got, big, n);
	free(got);
	free(big);
	path_of(to, sizeof(to), "copy-new");
	assert_int_equal(copy_file(from, to, &err), 0);
	assert_int_equal(stat(to, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);

	path_of(from, sizeof(from), "absent");
	assert_int_equal(copy_file(from, to, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	assert_non_null(strstr(err.message, "absent"));
	path_of(from, sizeof(from), "big");
	path_of(to, sizeof(to), "no/such/dir/copy");
	assert_int_equal(copy_file(from, to, &err), -1);
	assert_int_equal(err.code, ERR_IO);
	assert_non_null(strstr(err.message, "no/such/dir/copy"));

	/* Onto itself: refused, and the file keeps every byte (it was emptied before). */
	assert_int_equal(copy_file(from, from, &err), -1);
	assert_non_null(strstr(err.message, "same file"));
	assert_int_equal(stat(from, &st), 0);
	assert_int_equal(st.st_size, n);
	/* A link at TO is not followed: its target keeps its bytes. */
	path_of(to, sizeof(to), "victim");
	put("victim", "keep");
	path_of(p2, sizeof(p2), "link");
	assert_int_equal(symlink(to, p2), 0);
	assert_int_equal(copy_file(from, p2, &err), -1);
	got = read_file(to, 100, &len);
	assert_non_null(got);
	assert_string_equal(got, "keep");
	free(got);
}

/* How many of the N files f0..f<N-1> are still in DIR. */
static int count_files(const char *dir, int n)
{
	char p[600];
	int left = 0;

	for (int i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/f%d", dir, i);
		left += access(p, F_OK) == 0;
	}
	return left;
}

/*
 * While rm_rf empties tree/sub, another process swaps sub for a link to a victim
 * folder. Whatever rm_rf removes after the swap, it must not be the victim's files
 * (a walk by path names, like nftw's, deleted nearly all of them).
 */
static void test_rm_rf_swap_race(void **state)
{
	enum { N = 4000 };
	char tree[512], sub[600], moved[600], victim[512], first[700];
	pid_t pid;

	(void)state;
	path_of(tree, sizeof(tree), "race");
	path_of(victim, sizeof(victim), "victim-dir");
	snprintf(sub, sizeof(sub), "%s/sub", tree);
	snprintf(moved, sizeof(moved), "%s/moved", tree);
	snprintf(first, sizeof(first), "%s/f0", sub);
	assert_int_equal(mkdir_p(sub, 0755, NULL), 0);
	assert_int_equal(mkdir_p(victim, 0755, NULL), 0);
	for (int i = 0; i < N; i++) {
		char a[700], b[700];

		snprintf(a, sizeof(a), "%s/f%d", sub, i);
		snprintf(b, sizeof(b), "%s/f%d", victim, i);
		put_path(a);
		put_path(b);
	}
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* Once the walk is inside sub (a file of it is gone), swap it for the link. */
		for (long spin = 0; access(first, F_OK) == 0 && spin < 50000000; spin++)
			;
		if (rename(sub, moved) == 0 && symlink(victim, sub) == 0)
			_exit(0);
		_exit(1);
	}
	rm_rf(tree);
	waitpid(pid, NULL, 0);
	assert_int_equal(count_files(victim, N), N);
	rm_rf(tree);
	assert_int_equal(rm_rf(victim), 0);
}

static void test_read_file(void **state)
{
	char p[512], *got;
	size_t len = 0;

	(void)state;
	put("text", "hello\n");
	path_of(p, sizeof(p), "text");
	got = read_file(p, 6, &len);
	assert_non_null(got);
	assert_string_equal(got, "hello\n");
	assert_int_equal(len, 6);
	free(got);
	assert_null(read_file(p, 5, &len));
	assert_int_equal(errno, EFBIG);
	path_of(p, sizeof(p), "missing");
	assert_null(read_file(p, 100, &len));
	assert_int_equal(errno, ENOENT);
	assert_null(read_file(scratch_dir, 100, &len));
	assert_int_equal(errno, EISDIR);
	/* A FIFO is refused at once, never waited on for a writer. */
	path_of(p, sizeof(p), "fifo");
	assert_int_equal(mkfifo(p, 0644), 0);
	assert_null(read_file(p, 100, &len));
	assert_int_equal(errno, EINVAL);
}

static void test_fsync_path(void **state)
{
	struct error err = { 0 };
	char p[512];

	(void)state;
	put("synced", "x");
	path_of(p, sizeof(p), "synced");
	assert_int_equal(fsync_path(p, &err), 0);
	assert_int_equal(fsync_path(scratch_dir, &err), 0);
	path_of(p, sizeof(p), "missing");
	assert_int_equal(fsync_path(p, &err), -1);
	assert_int_equal(err.code, ERR_IO);
	assert_non_null(strstr(err.message, "missing"));
}

/* A signal while copy_file waits (here: opening a FIFO no one writes) is an interrupt,
 * not an io error (the exit is 128+N, the code interrupted). */
static void test_copy_file_interrupted(void **state)
{
	char from[4200], to[4200];
	struct error err = { 0 };
	pid_t parent = getpid(), kid;
	int status;

	(void)state;
	path_of(from, sizeof(from), "fifo-int");
	path_of(to, sizeof(to), "fifo-int-copy");
	assert_int_equal(mkfifo(from, 0600), 0);
	interrupt_reset();
	interrupt_catch();
	kid = fork();
	assert_true(kid >= 0);
	if (kid == 0) {
		usleep(300000);
		kill(parent, SIGTERM);
		_exit(0);
	}
	assert_int_equal(copy_file(from, to, &err), -1);
	assert_int_equal(err.code, ERR_INTERRUPTED);
	assert_int_equal(waitpid(kid, &status, 0), kid);
	interrupt_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mkdir_p),
		cmocka_unit_test(test_rm_rf),
		cmocka_unit_test(test_copy_file),
		cmocka_unit_test(test_copy_file_interrupted),
		cmocka_unit_test(test_rm_rf_swap_race),
		cmocka_unit_test(test_read_file),
		cmocka_unit_test(test_fsync_path),
	};

	umask(022);
	return cmocka_run_group_tests_name("fsutil", tests, scratch_setup, scratch_teardown);
}
