// SPDX-License-Identifier: MIT
/* Atomic replacement, symlink targets: on a real file system in /tmp. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "safefile.h"

static char dir[] = "/tmp/wslctl-safefile-XXXXXX";

static void path_of(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
}

static void test_replace_keeps_mode(void **state)
{
	char p[256], *buf;
	struct error err = { 0 };
	struct stat st;
	size_t len;
	bool exists;
	FILE *f;

	(void)state;
	path_of(p, sizeof(p), "cfg");
	f = fopen(p, "w");
	fputs("old", f);
	fclose(f);
	chmod(p, 0640);
	assert_int_equal(safefile_replace(p, "new\n", 4, 0644, &err), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(safefile_read(p, &buf, &len, &exists, &err), 0);
	assert_true(exists);
	assert_int_equal(len, 4);
	assert_memory_equal(buf, "new\n", 4);
	free(buf);
	/* A new file gets the mode asked for; a missing one reads as empty. */
	path_of(p, sizeof(p), "fresh");
	assert_int_equal(safefile_read(p, &buf, &len, &exists, &err), 0);
	assert_false(exists);
	assert_int_equal(len, 0);
	free(buf);
	assert_int_equal(safefile_replace(p, "x", 1, 0600, &err), 0);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
}

static void test_replace_fails_cleanly(void **state)
{
	char p[256];
	struct error err = { 0 };

	(void)state;
	path_of(p, sizeof(p), "no/such/dir/cfg");
	assert_int_equal(safefile_replace(p, "x", 1, 0644, &err), -1);
	assert_int_equal(err.code, ERR_IO);
	assert_non_null(strstr(err.message, "no/such/dir/cfg"));
}

static void test_symlink_target(void **state)
{
	char p[256], link[256], *t;
	struct error err = { 0 };

	(void)state;
	path_of(p, sizeof(p), "real");
	path_of(link, sizeof(link), "link");
	assert_int_equal(symlink("real", link), 0);
	assert_int_equal(safefile_target(link, &t, &err), 0);
	assert_string_equal(t, p);
	free(t);
	/* Dangling: the target is where the file will be created. */
	path_of(link, sizeof(link), "dangling");
	assert_int_equal(symlink("sub/../absent", link), 0);
	assert_int_equal(safefile_target(link, &t, &err), 0);
	assert_non_null(strstr(t, "/sub/../absent"));
	free(t);
	path_of(link, sizeof(link), "loop");
	assert_int_equal(symlink("loop", link), 0);
	assert_int_equal(safefile_target(link, &t, &err), -1);
}

static void test_clean_stale(void **state)
{
	char p[256], keep[256], stale[256], other[256];
	FILE *f;

	(void)state;
	path_of(p, sizeof(p), "conf");
	path_of(stale, sizeof(stale), ".conf.aB3xYz");
	path_of(keep, sizeof(keep), ".conf.toolong1");
	path_of(other, sizeof(other), ".other.aB3xYz");
	f = fopen(stale, "w");
	fclose(f);
	f = fopen(keep, "w");
	fclose(f);
	f = fopen(other, "w");
	fclose(f);
	safefile_clean_stale(p);
	assert_int_equal(access(stale, F_OK), -1);
	assert_int_equal(access(keep, F_OK), 0);
	assert_int_equal(access(other, F_OK), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replace_keeps_mode),
		cmocka_unit_test(test_replace_fails_cleanly),
		cmocka_unit_test(test_symlink_target),
		cmocka_unit_test(test_clean_stale),
	};
	char cmd[300];
	int rc;

	if (!mkdtemp(dir))
		return 1;
	rc = cmocka_run_group_tests_name("safefile", tests, NULL, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
