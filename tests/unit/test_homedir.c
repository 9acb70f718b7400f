// SPDX-License-Identifier: MIT
/* Where --home is (cli/core/homedir.c): given, the Windows profile, XDG, HOME. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "homedir.h"

/* A WSL 2 machine, recorded; and one that is not WSL. */
#define WSL_ROOT "tests/fixtures/check/wsl-2.9-pool"
#define LINUX_ROOT "tests/fixtures/check/not-wsl"

static char buf[PATH_MAX];
static struct error err;

static void test_given(void **state)
{
	char cwd[PATH_MAX], want[PATH_MAX + 16];

	(void)state;
	assert_int_equal(homedir_resolve("/srv/store", WSL_ROOT, buf, sizeof(buf), &err), 0);
	assert_string_equal(buf, "/srv/store");
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(want, sizeof(want), "%s/rel/store", cwd);
	assert_int_equal(homedir_resolve("rel/store", "/", buf, sizeof(buf), &err), 0);
	assert_string_equal(buf, want);
}

/* A recorded WSL machine's store is not found through this machine's interop: cmd.exe is
 * a program that would leave a mark if it ran. */
static void test_recorded_wsl_needs_home(void **state)
{
	char mark[] = "/tmp/wslctl-homedir.XXXXXX", prog[PATH_MAX], ran[PATH_MAX];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(mark));
	snprintf(prog, sizeof(prog), "%s/cmd.exe", mark);
	snprintf(ran, sizeof(ran), "%s/ran", mark);
	f = fopen(prog, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\ntouch '%s'\necho 'C:\\Users\\me'\n", ran);
	fclose(f);
	assert_int_equal(chmod(prog, 0755), 0);
	setenv("WSLCTL_CMD_EXE", prog, 1);
	setenv("XDG_CACHE_HOME", mark, 1);

	memset(&err, 0, sizeof(err));
	assert_int_equal(homedir_resolve(NULL, WSL_ROOT, buf, sizeof(buf), &err), -1);
	assert_int_equal(err.code, ERR_USAGE);
	assert_non_null(strstr(err.message, "--home"));
	assert_int_not_equal(access(ran, F_OK), 0);

	unsetenv("WSLCTL_CMD_EXE");
	unlink(prog);
	rmdir(mark);
}

static void test_not_wsl(void **state)
{
	(void)state;
	setenv("XDG_DATA_HOME", "/data", 1);
	assert_int_equal(homedir_resolve(NULL, LINUX_ROOT, buf, sizeof(buf), &err), 0);
	assert_string_equal(buf, "/data/wslctl");
	/* A relative XDG_DATA_HOME is ignored, as the XDG spec says. */
	setenv("XDG_DATA_HOME", "data", 1);
	setenv("HOME", "/home/me", 1);
	assert_int_equal(homedir_resolve(NULL, LINUX_ROOT, buf, sizeof(buf), &err), 0);
	assert_string_equal(buf, "/home/me/.local/share/wslctl");
	unsetenv("XDG_DATA_HOME");
	unsetenv("HOME");
	memset(&err, 0, sizeof(err));
	assert_int_equal(homedir_resolve(NULL, LINUX_ROOT, buf, sizeof(buf), &err), -1);
	assert_int_equal(err.code, ERR_USAGE);
	assert_non_null(strstr(err.message, "--home"));
}

/* Links in the store's path are resolved; what does not exist yet is folded as text. */
static void test_canonical(void **state)
{
	char dir[] = "/tmp/wslctl-canon.XXXXXX", path[PATH_MAX], want[PATH_MAX];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/real", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/lnk", dir);
	assert_int_equal(symlink("real", path), 0);
	snprintf(buf, sizeof(buf), "%s/lnk/new/./a/../b", dir);
	assert_int_equal(homedir_canonical(buf, sizeof(buf), &err), 0);
	snprintf(want, sizeof(want), "%s/real/new/b", dir);
	assert_string_equal(buf, want);
	snprintf(path, sizeof(path), "%s/lnk", dir);
	assert_int_equal(homedir_resolve(path, "/", buf, sizeof(buf), &err), 0);
	snprintf(want, sizeof(want), "%s/real", dir);
	assert_string_equal(buf, want);
	snprintf(path, sizeof(path), "%s/file", dir);
	fclose(fopen(path, "w"));
	snprintf(buf, sizeof(buf), "%s/file/store", dir);
	assert_int_equal(homedir_canonical(buf, sizeof(buf), &err), -1);
	assert_int_equal(err.code, ERR_INVALID_VALUE);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	assert_int_equal(system(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_given),
		cmocka_unit_test(test_recorded_wsl_needs_home),
		cmocka_unit_test(test_not_wsl),
		cmocka_unit_test(test_canonical),
	};

	return cmocka_run_group_tests_name("homedir", tests, NULL, NULL);
}
