// SPDX-License-Identifier: MIT
/*
 * wsl.exe through interop (cli/core/wslexe.c): the program named by WSLCTL_WSL_EXE, the
 * version it reports, --update and its failures, with fake wsl.exe scripts. Parsing the
 * recorded outputs is tested in test_check.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "wslexe.h"

static char fake[600], log_path[600];

/* A wsl.exe that logs its arguments, answers --version with VERSION and --update with
 * UPDATE_EXIT. */
static void make_fake(const char *version, int update_exit)
{
	FILE *f = fopen(fake, "w");

	assert_non_null(f);
	fprintf(f, "#!/bin/sh\necho \"$*\" >>'%s'\n"
		"case $1 in\n--version) printf 'WSL version: %s\\r\\n' ;;\n"
		"--update) exit %d ;;\nesac\n", log_path, version, update_exit);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(fake, 0755), 0);
}

static int setup(void **state)
{
	if (scratch_setup(state) < 0)
		return -1;
	snprintf(fake, sizeof(fake), "%s/wsl.exe", scratch_dir);
	snprintf(log_path, sizeof(log_path), "%s/wsl.log", scratch_dir);
	return 0;
}

static void test_program(void **state)
{
	(void)state;
	unsetenv("WSLCTL_WSL_EXE");
	assert_string_equal(wslexe_program(), "wsl.exe");
	setenv("WSLCTL_WSL_EXE", "", 1);
	assert_string_equal(wslexe_program(), "wsl.exe");
	setenv("WSLCTL_WSL_EXE", fake, 1);
	assert_string_equal(wslexe_program(), fake);
}

static void test_version(void **state)
{
	char ver[32];

	(void)state;
	make_fake("2.9.4.0", 0);
	setenv("WSLCTL_WSL_EXE", fake, 1);
	assert_int_equal(wslexe_version(ver, sizeof(ver)), 0);
	assert_string_equal(ver, "2.9.4.0");
	setenv("WSLCTL_WSL_EXE", "/nonexistent/wsl.exe", 1);
	assert_int_equal(wslexe_version(ver, sizeof(ver)), -1);
}

/* A version line and then a flood: what came first is parsed once the buffer is full,
 * the program stopped, not waited for until the deadline. */
static void test_version_then_flood(void **state)
{
	struct error err = { 0 };
	struct timespec a, b;
	char ver[32];
	int code = -1;
	FILE *f = fopen(fake, "w");

	(void)state;
	assert_non_null(f);
	fputs("#!/bin/sh\nprintf 'WSL version: 2.9.4.0\\r\\n'\nexec yes flood\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(fake, 0755), 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(wslexe_ask_version(fake, 3000, ver, sizeof(ver), &code, &err), 1);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_string_equal(ver, "2.9.4.0");
	assert_true(b.tv_sec - a.tv_sec < 2);
}

static void test_update(void **state)
{
	struct error err = { 0 };

	(void)state;
	unlink(log_path);
	make_fake("2.9.4.0", 0);
	setenv("WSLCTL_WSL_EXE", fake, 1);
	assert_int_equal(wslexe_update(true, &err), 0);
	assert_int_equal(wslexe_update(false, &err), 0);
	assert_string_equal(read_text(log_path), "--update --pre-release\n--update\n");
	make_fake("2.9.4.0", 5);
	assert_int_equal(wslexe_update(true, &err), -1);
	assert_int_equal(err.code, ERR_INTEROP);
	assert_non_null(strstr(err.message, "--update --pre-release failed (exit 5)"));
	setenv("WSLCTL_WSL_EXE", "/nonexistent/wsl.exe", 1);
	assert_int_equal(wslexe_update(false, &err), -1);
	assert_int_equal(err.code, ERR_INTEROP);
	assert_non_null(strstr(err.message, "cannot run /nonexistent/wsl.exe"));
}

/* Inside WSL only; a named wsl.exe vouches for interop, else binfmt_misc must have it. */
static void test_available(void **state)
{
	char root[700], p[800];
	FILE *f;

	(void)state;
	snprintf(root, sizeof(root), "%s/root", scratch_dir);
	snprintf(p, sizeof(p), "mkdir -p '%s/proc/sys/kernel' '%s/proc/sys/fs/binfmt_misc'",
		 root, root);
	assert_int_equal(system(p), 0);
	snprintf(p, sizeof(p), "%s/proc/sys/kernel/osrelease", root);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("6.6.87.2-microsoft-standard-WSL2\n", f);
	fclose(f);
	setenv("WSLCTL_WSL_EXE", fake, 1);
	assert_true(wslexe_available(root));
	unsetenv("WSLCTL_WSL_EXE");
	assert_false(wslexe_available(root));
	snprintf(p, sizeof(p), "%s/proc/sys/fs/binfmt_misc/WSLInterop", root);
	f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
	/* A recorded machine's interop is not this machine's: under a root other than "/",
	 * only a wsl.exe named by WSLCTL_WSL_EXE is run. */
	assert_false(wslexe_available(root));
	/* Outside WSL, even a named wsl.exe is not run. */
	setenv("WSLCTL_WSL_EXE", fake, 1);
	assert_false(wslexe_available(scratch_dir));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_program),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_version_then_flood),
		cmocka_unit_test(test_update),
		cmocka_unit_test(test_available),
	};

	return cmocka_run_group_tests_name("wslexe", tests, setup, scratch_teardown);
}
