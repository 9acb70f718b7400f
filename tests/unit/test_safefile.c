// SPDX-License-Identifier: MIT
/* Atomic replacement, symlink targets, refusals, names: on a real file system in /tmp. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "interrupt.h"
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
	path_of(p, sizeof(p), "sub");
	assert_int_equal(mkdir(p, 0755), 0);
	assert_int_equal(symlink("sub/../absent", link), 0);
	assert_int_equal(safefile_target(link, &t, &err), 0);
	assert_non_null(strstr(t, "/sub/../absent"));
	free(t);
	/* ... unless its folder is missing too: nothing could be written there. */
	path_of(link, sizeof(link), "dangling-nowhere");
	assert_int_equal(symlink("nowhere/absent", link), 0);
	assert_int_equal(safefile_target(link, &t, &err), -1);
	assert_int_equal(err.code, ERR_INVALID_FILE);
	assert_non_null(strstr(err.message, "nowhere"));
	path_of(link, sizeof(link), "loop");
	assert_int_equal(symlink("loop", link), 0);
	assert_int_equal(safefile_target(link, &t, &err), -1);
}

static void touch(const char *name)
{
	char p[256];
	FILE *f;

	path_of(p, sizeof(p), name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("user data", f);
	fclose(f);
}

static bool there(const char *name)
{
	char p[256];
	struct stat st;

	path_of(p, sizeof(p), name);
	return lstat(p, &st) == 0;
}

/* Names a user may well keep beside a config: none is ever wslctl's to remove. */
static const char *const user_names[] = {
	".conf.backup", ".conf.old123", ".conf.aB3xYz", ".conf.XXXXXX", ".conf.123456",
	"conf.lock", ".conf.lock", "conf.bak", "conf~", ".conf.wslctl-lockX",
	".conf.wslctl-abc", ".conf.wslctl-abcdefg", ".conf.wslctl-ab.cde", ".conf.wslctl-",
	".conf.wslctlAb3xYz", ".conf-wslctl-Ab3xYz", ".confx.wslctl-Ab3xYz",
	"conf.wslctl-Ab3xYz", "..conf.wslctl-Ab3xYz", ".other.wslctl-Ab3xYz", NULL,
};

/* Only .NAME.wslctl-XXXXXX regular files go; every other shape stays, and a link or a
 * folder of our shape is neither removed nor followed. */
static void test_clean_stale_only_ours(void **state)
{
	char p[256], target[256];

	(void)state;
	for (int i = 0; user_names[i]; i++)
		touch(user_names[i]);
	touch(".conf.wslctl-Q9z0aB");
	touch(".conf.wslctl-lock"); /* the lock: its holder removes it, not the clean-up */
	touch("user-target");
	path_of(target, sizeof(target), "user-target");
	path_of(p, sizeof(p), ".conf.wslctl-Link01");
	assert_int_equal(symlink(target, p), 0);
	path_of(p, sizeof(p), ".conf.wslctl-Dir001");
	assert_int_equal(mkdir(p, 0755), 0);
	path_of(p, sizeof(p), "conf");
	safefile_clean_stale(p);
	for (int i = 0; user_names[i]; i++)
		if (!there(user_names[i]))
			fail_msg("%s was removed", user_names[i]);
	assert_false(there(".conf.wslctl-Q9z0aB"));
	assert_true(there(".conf.wslctl-lock"));
	assert_true(there(".conf.wslctl-Link01"));
	assert_true(there("user-target"));
	assert_true(there(".conf.wslctl-Dir001"));
}

/* A write leaves only the file and the user's files behind, whatever they are named. */
static void test_replace_leaves_user_files(void **state)
{
	char p[256];
	struct error err = { 0 };

	(void)state;
	path_of(p, sizeof(p), "conf");
	assert_int_equal(safefile_replace(p, "v2", 2, 0644, &err), 0);
	for (int i = 0; user_names[i]; i++)
		assert_true(there(user_names[i]));
}

static void test_lock_path(void **state)
{
	char *l;

	(void)state;
	l = safefile_lock_path("/home/me/.wslconfig");
	assert_string_equal(l, "/home/me/..wslconfig.wslctl-lock");
	free(l);
	l = safefile_lock_path("wsl.conf");
	assert_string_equal(l, ".wsl.conf.wslctl-lock");
	free(l);
	l = safefile_lock_path("/wsl.conf");
	assert_string_equal(l, "/.wsl.conf.wslctl-lock");
	free(l);
}

/* KIND must appear in the refusal of PATH, by safefile_target and safefile_read alike. */
static void refused(const char *path, const char *kind)
{
	struct error err = { 0 };
	char *t = NULL, *buf = NULL;
	size_t len;
	bool exists;

	assert_int_equal(safefile_target(path, &t, &err), -1);
	assert_int_equal(err.code, ERR_INVALID_FILE);
	if (!strstr(err.message, kind))
		fail_msg("'%s' not in '%s'", kind, err.message);
	memset(&err, 0, sizeof(err));
	assert_int_equal(safefile_read(path, &buf, &len, &exists, &err), -1);
	assert_null(buf);
	assert_int_equal(err.code, ERR_INVALID_FILE);
	if (!strstr(err.message, kind))
		fail_msg("'%s' not in '%s'", kind, err.message);
	memset(&err, 0, sizeof(err));
	assert_int_equal(safefile_probe(path, false, &err), -1);
	assert_int_equal(err.code, ERR_INVALID_FILE);
}

/* Devices, FIFOs (never waited on), folders, sockets, links to them, and files too big
 * for a .wslconfig are refused with exit 3, saying what they are. */
static void test_refuses_non_regular(void **state)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char p[256], big[256];
	int sock;
	FILE *f;

	(void)state;
	refused("/dev/null", "character device");
	path_of(p, sizeof(p), "fifo");
	assert_int_equal(mkfifo(p, 0644), 0);
	refused(p, "FIFO");
	path_of(p, sizeof(p), "folder");
	assert_int_equal(mkdir(p, 0755), 0);
	refused(p, "folder");
	path_of(p, sizeof(p), "to-zero");
	assert_int_equal(symlink("/dev/zero", p), 0);
	refused(p, "character device");
	path_of(sa.sun_path, sizeof(sa.sun_path), "sock");
	sock = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(sock >= 0);
	assert_int_equal(bind(sock, (struct sockaddr *)&sa, sizeof(sa)), 0);
	refused(sa.sun_path, "socket");
	close(sock);
	path_of(big, sizeof(big), "big");
	f = fopen(big, "w");
	assert_non_null(f);
	assert_int_equal(fseek(f, SAFEFILE_MAX + 1, SEEK_SET), 0);
	fputc('x', f);
	fclose(f);
	{
		struct error err = { 0 };
		char *buf = NULL;
		size_t len;
		bool exists;

		assert_int_equal(safefile_read(big, &buf, &len, &exists, &err), -1);
		assert_int_equal(err.code, ERR_INVALID_FILE);
		assert_non_null(strstr(err.message, "bytes"));
	}
}

/* A file named on the command line that is not there (config merge) is exit 3. */
static void test_probe_missing(void **state)
{
	struct error err = { 0 };
	char p[256];

	(void)state;
	path_of(p, sizeof(p), "absent-fragment");
	assert_int_equal(safefile_probe(p, false, &err), 0);
	assert_int_equal(safefile_probe(p, true, &err), -1);
	assert_int_equal(err.code, ERR_INVALID_FILE);
	assert_non_null(strstr(err.message, "cannot read"));
	path_of(p, sizeof(p), "cfg");
	assert_int_equal(safefile_probe(p, true, &err), 0);
}

/* A signal noted before the rename: the file is as it was, no temporary file is left,
 * and the error says interrupted. */
static void test_replace_interrupted(void **state)
{
	struct error err = { 0 };
	char p[256], *buf;
	size_t len;
	bool exists;

	(void)state;
	path_of(p, sizeof(p), "intr");
	assert_int_equal(safefile_replace(p, "old", 3, 0644, &err), 0);
	interrupt_catch();
	raise(SIGINT);
	assert_int_equal(safefile_replace(p, "new", 3, 0644, &err), -1);
	assert_int_equal(err.code, ERR_INTERRUPTED);
	interrupt_reset();
	assert_int_equal(safefile_read(p, &buf, &len, &exists, &err), 0);
	assert_memory_equal(buf, "old", 3);
	free(buf);
	{
		char cmd[400];

		snprintf(cmd, sizeof(cmd), "ls -a '%s' | grep -q '^\\.intr\\.'", dir);
		assert_int_not_equal(system(cmd), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replace_keeps_mode),
		cmocka_unit_test(test_replace_fails_cleanly),
		cmocka_unit_test(test_symlink_target),
		cmocka_unit_test(test_clean_stale_only_ours),
		cmocka_unit_test(test_replace_leaves_user_files),
		cmocka_unit_test(test_lock_path),
		cmocka_unit_test(test_refuses_non_regular),
		cmocka_unit_test(test_probe_missing),
		cmocka_unit_test(test_replace_interrupted),
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
