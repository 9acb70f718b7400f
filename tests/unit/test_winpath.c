// SPDX-License-Identifier: MIT
/*
 * Windows <-> Linux paths and finding .wslconfig (cli/core/winpath.c). The interop
 * part runs real child processes: fake cmd.exe and wslpath scripts that log
 * their arguments, under a fixture root that looks like WSL (the profile lookup); the
 * finder itself never asks Windows under --root, which the fakes' logs prove.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "sysprobe.h"
#include "winpath.h"

static char T[256];

static void must(int ok)
{
	assert_true(ok);
}

static void write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

static void mkdir_p(const char *path)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path);
	assert_int_equal(system(cmd), 0);
}

static int count_lines(const char *path)
{
	FILE *f = fopen(path, "r");
	int n = 0, c;

	if (!f)
		return 0;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static void read_text(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	size_t len;

	assert_non_null(f);
	len = fread(buf, 1, n - 1, f);
	buf[len] = '\0';
	fclose(f);
}

/* ---- pure functions ---- */

static void mnt2win(const char *in, const char *mnt, const char *want)
{
	char buf[256];

	if (!want) {
		assert_int_equal(winpath_mnt_to_windows(in, mnt, buf, sizeof(buf)), -1);
		return;
	}
	assert_int_equal(winpath_mnt_to_windows(in, mnt, buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
}

static void test_mnt_to_windows(void **state)
{
	char small[6];

	(void)state;
	mnt2win("/mnt/c/Users/me/bzImage", NULL, "C:\\Users\\me\\bzImage");
	mnt2win("/mnt/c", NULL, "C:\\");
	mnt2win("/mnt/c/", NULL, "C:\\");
	mnt2win("/mnt/d//x///y/", NULL, "D:\\x\\y");
	mnt2win("/mnt/c/a/./b/../k", NULL, "C:\\a\\k");
	mnt2win("/mnt/C/x", NULL, "C:\\x");
	mnt2win("/mnt//c/x", NULL, "C:\\x");
	mnt2win("/mnt/c/Program Files/k", NULL, "C:\\Program Files\\k");
	mnt2win("/mnt/c/..", NULL, NULL);
	mnt2win("/mnt/c/a/../..", NULL, NULL);
	mnt2win("/mnt/cd/x", NULL, NULL);
	mnt2win("/mnt/1/x", NULL, NULL);
	mnt2win("/mnt/wsl/x", NULL, NULL);
	mnt2win("/home/me/k", NULL, NULL);
	mnt2win("/mnt", NULL, NULL);
	mnt2win("/mnt/", NULL, NULL);
	mnt2win("mnt/c/x", NULL, NULL);
	mnt2win("/mntx/c/x", NULL, NULL);
	mnt2win("/mnt/c/a\\b", NULL, NULL);
	/* Another automount root ([automount] root in wsl.conf), or a fixture tree. */
	mnt2win("/c/x", "/", "C:\\x");
	mnt2win("/t/root/mnt/e/k", "/t/root/mnt/", "E:\\k");
	mnt2win("/mnt/e/k", "/t/root/mnt", NULL);
	assert_int_equal(winpath_mnt_to_windows("/mnt/c/abcdef", NULL, small, sizeof(small)), -1);
	assert_int_equal(winpath_mnt_to_windows(NULL, NULL, small, sizeof(small)), -1);
}

static void win2mnt(const char *in, const char *mnt, const char *distro, const char *want)
{
	char buf[256];

	if (!want) {
		assert_int_equal(winpath_windows_to_mnt(in, mnt, distro, buf, sizeof(buf)), -1);
		return;
	}
	assert_int_equal(winpath_windows_to_mnt(in, mnt, distro, buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
}

static void test_windows_to_mnt(void **state)
{
	char small[8];

	(void)state;
	win2mnt("C:\\Users\\me\\bzImage", NULL, NULL, "/mnt/c/Users/me/bzImage");
	win2mnt("c:/x/y", NULL, NULL, "/mnt/c/x/y");
	win2mnt("C:/a\\b", NULL, NULL, "/mnt/c/a/b");
	win2mnt("C:\\", NULL, NULL, "/mnt/c/");
	win2mnt("C:\\x\\", NULL, NULL, "/mnt/c/x/");
	win2mnt("C:\\a\\..\\b\\.\\k", NULL, NULL, "/mnt/c/b/k");
	win2mnt("C:\\\\x\\\\k", NULL, NULL, "/mnt/c/x/k");
	win2mnt("\\\\?\\D:\\k", NULL, NULL, "/mnt/d/k");
	win2mnt("C:\\..", NULL, NULL, NULL);
	win2mnt("C:", NULL, NULL, NULL);
	win2mnt("C:x", NULL, NULL, NULL);
	win2mnt("x\\y", NULL, NULL, NULL);
	win2mnt("/mnt/c/x", NULL, NULL, NULL);
	win2mnt("", NULL, NULL, NULL);
	win2mnt("\\\\server\\share\\x", NULL, "Debian", NULL);
	win2mnt("\\\\wsl.localhost\\Debian\\home\\me", NULL, "debian", "/home/me");
	win2mnt("\\\\WSL$\\Debian\\", NULL, "Debian", "/");
	win2mnt("\\\\wsl$\\Debian", NULL, "Debian", "/");
	win2mnt("//wsl.localhost/Debian/etc", NULL, "Debian", "/etc");
	win2mnt("\\\\wsl.localhost\\Ubuntu\\home", NULL, "Debian", NULL);
	win2mnt("\\\\wsl.localhost\\Debian\\home", NULL, NULL, NULL);
	win2mnt("C:\\k", "/t/root/mnt/", NULL, "/t/root/mnt/c/k");
	win2mnt("C:\\k", "/", NULL, "/c/k");
	assert_int_equal(winpath_windows_to_mnt("C:\\abcdefgh", NULL, NULL, small,
						sizeof(small)), -1);
}

static void test_is_windows_abs(void **state)
{
	(void)state;
	assert_true(winpath_is_windows_abs("C:\\x"));
	assert_true(winpath_is_windows_abs("c:/x"));
	assert_true(winpath_is_windows_abs("\\\\srv\\share"));
	assert_false(winpath_is_windows_abs("C:"));
	assert_false(winpath_is_windows_abs("C:x"));
	assert_false(winpath_is_windows_abs("/mnt/c"));
	assert_false(winpath_is_windows_abs("\\\\\\x"));
	assert_false(winpath_is_windows_abs("1:\\x"));
	assert_false(winpath_is_windows_abs(NULL));
}

/* Encodes ASCII/BMP code points as UTF-16LE bytes. */
static size_t utf16(const uint16_t *cps, size_t count, char *out)
{
	for (size_t i = 0; i < count; i++) {
		out[2 * i] = (char)(cps[i] & 0xFF);
		out[2 * i + 1] = (char)(cps[i] >> 8);
	}
	return 2 * count;
}

static void test_decode_output(void **state)
{
	const uint16_t jose[] = { 'C', ':', '\\', 'J', 'o', 's', 0xE9, '\r', '\n' };
	const uint16_t bom[] = { 0xFEFF, 'C', ':', '\\', 'x', '\r', '\n' };
	const uint16_t emoji[] = { 'a', 0xD83D, 0xDE00, 'b' };
	const uint16_t lone[] = { 'a', 0xDE00 };
	const uint16_t lone_hi[] = { 'a', 0xD83D, 'b' };
	char raw[64], buf[64];
	size_t len;

	(void)state;
	assert_int_equal(winpath_decode_output("C:\\Users\\me\r\n", 13, buf, sizeof(buf)), 11);
	assert_string_equal(buf, "C:\\Users\\me");
	assert_int_equal(winpath_decode_output("\r\n  C:\\x  \r\nnext\r\n", 18, buf,
					       sizeof(buf)), 4);
	assert_string_equal(buf, "C:\\x");
	len = utf16(jose, 9, raw);
	assert_int_equal(winpath_decode_output(raw, len, buf, sizeof(buf)), 8);
	assert_string_equal(buf, "C:\\Jos\xc3\xa9");
	len = utf16(bom, 7, raw);
	assert_int_equal(winpath_decode_output(raw, len, buf, sizeof(buf)), 4);
	assert_string_equal(buf, "C:\\x");
	len = utf16(emoji, 4, raw);
	assert_int_equal(winpath_decode_output(raw, len, buf, sizeof(buf)), 6);
	assert_string_equal(buf, "a\xf0\x9f\x98\x80" "b");
	len = utf16(lone, 2, raw);
	assert_int_equal(winpath_decode_output(raw, len, buf, sizeof(buf)), -1);
	len = utf16(lone_hi, 3, raw);
	assert_int_equal(winpath_decode_output(raw, len, buf, sizeof(buf)), -1);
	assert_int_equal(winpath_decode_output("", 0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(winpath_decode_output("C:\\long\r\n", 9, buf, 4), -1);
	len = utf16(jose, 9, raw);
	assert_int_equal(winpath_decode_output(raw, len, buf, 5), -1);
}

/* ---- running programs ---- */

static void test_run_collects_output(void **state)
{
	char *argv[] = { "sh", "-c", "printf 'one\\ntwo'; echo err >&2", NULL };
	struct error err = { 0 };
	char buf[64];
	bool missing = true;

	(void)state;
	assert_int_equal(winpath_run(argv, NULL, 5000, buf, sizeof(buf), &missing, &err), 7);
	assert_string_equal(buf, "one\ntwo");
	assert_false(missing);
}

static void test_run_failures(void **state)
{
	char *absent[] = { "/nonexistent/wslctl-no-such-program", NULL };
	char *fails[] = { "sh", "-c", "exit 3", NULL };
	char *reads[] = { "sh", "-c", "cat; echo done", NULL };
	struct error err = { 0 };
	char buf[64];
	bool missing = false;

	(void)state;
	assert_int_equal(winpath_run(absent, NULL, 5000, buf, sizeof(buf), &missing, &err), -1);
	assert_true(missing);
	assert_int_equal(err.code, ERR_INTEROP);
	assert_non_null(strstr(err.message, "wslctl-no-such-program"));

	assert_int_equal(winpath_run(fails, NULL, 5000, buf, sizeof(buf), &missing, &err), -1);
	assert_false(missing);
	assert_non_null(strstr(err.message, "exit 3"));

	/* stdin is /dev/null: a program that reads it does not hang. */
	assert_int_equal(winpath_run(reads, NULL, 5000, buf, sizeof(buf), &missing, &err), 5);
	assert_string_equal(buf, "done\n");
}

static void test_run_fallback(void **state)
{
	char *argv[] = { "wslctl-no-such-program", "hello", NULL };
	struct error err = { 0 };
	char buf[64];
	bool missing = true;

	(void)state;
	assert_int_equal(winpath_run(argv, "/bin/echo", 5000, buf, sizeof(buf), &missing, &err),
			 6);
	assert_string_equal(buf, "hello\n");
	assert_false(missing);
}

static void test_run_timeout(void **state)
{
	char *argv[] = { "sleep", "30", NULL };
	struct error err = { 0 };
	struct timespec a, b;
	char buf[64];

	(void)state;
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(winpath_run(argv, NULL, 300, buf, sizeof(buf), NULL, &err), -1);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_true(b.tv_sec - a.tv_sec < 5);
	assert_int_equal(err.code, ERR_INTEROP);
	assert_non_null(strstr(err.message, "did not answer"));
}

static void test_run_drains_big_output(void **state)
{
	char *argv[] = { "sh", "-c", "head -c 200000 /dev/zero | tr '\\0' x; echo", NULL };
	struct error err = { 0 };
	char buf[16];

	(void)state;
	/* More than the buffer and the pipe: the program still finishes. */
	assert_int_equal(winpath_run(argv, NULL, 5000, buf, sizeof(buf), NULL, &err), 15);
	assert_string_equal(buf, "xxxxxxxxxxxxxxx");
}

/* ---- interop with fake programs ---- */

struct fixture {
	char root[512], offroot[512], cmd[512], wslpath[512], profile[512];
	char cmd_log[512], wslpath_log[512], cmd_out[512], wslpath_out[512], cache[512];
};

static struct fixture fx;

static void set_cmd_answer(const uint16_t *cps, size_t count)
{
	char raw[256];

	write_file(fx.cmd_out, raw, utf16(cps, count, raw), 0644);
}

static void set_wslpath_answer(const char *text)
{
	write_file(fx.wslpath_out, text, strlen(text), 0644);
}

static int setup(void **state)
{
	static const char script[] =
		"#!/bin/sh\n"
		"printf '%s\\n' \"$*\" >> \"$0.log\"\n"
		"cat \"$0.out\"\n";
	char path[600];

	(void)state;
	snprintf(T, sizeof(T), "/tmp/wslctl-test-winpath.XXXXXX");
	assert_non_null(mkdtemp(T));
	snprintf(fx.root, sizeof(fx.root), "%s/root", T);
	snprintf(fx.offroot, sizeof(fx.offroot), "%s/offroot", T);
	snprintf(path, sizeof(path), "%s/proc/sys/kernel", fx.root);
	mkdir_p(path);
	snprintf(path, sizeof(path), "%s/proc/sys/kernel/osrelease", fx.root);
	write_file(path, "6.6.87.2-microsoft-standard-WSL2\n", 33, 0644);
	snprintf(path, sizeof(path), "%s/proc/sys/kernel", fx.offroot);
	mkdir_p(path);
	snprintf(path, sizeof(path), "%s/proc/sys/kernel/osrelease", fx.offroot);
	write_file(path, "6.1.0-27-amd64\n", 15, 0644);

	snprintf(fx.cmd, sizeof(fx.cmd), "%s/cmd.exe", T);
	snprintf(fx.wslpath, sizeof(fx.wslpath), "%s/wslpath", T);
	write_file(fx.cmd, script, sizeof(script) - 1, 0755);
	write_file(fx.wslpath, script, sizeof(script) - 1, 0755);
	snprintf(fx.cmd_log, sizeof(fx.cmd_log), "%s.log", fx.cmd);
	snprintf(fx.wslpath_log, sizeof(fx.wslpath_log), "%s.log", fx.wslpath);
	snprintf(fx.cmd_out, sizeof(fx.cmd_out), "%s.out", fx.cmd);
	snprintf(fx.wslpath_out, sizeof(fx.wslpath_out), "%s.out", fx.wslpath);
	snprintf(fx.profile, sizeof(fx.profile), "%s/mnt/c/Users/Jos\xc3\xa9", T);
	mkdir_p(fx.profile);
	snprintf(path, sizeof(path), "%s/cache", T);
	snprintf(fx.cache, sizeof(fx.cache), "%s/cache/wslctl/userprofile", T);
	must(setenv("XDG_CACHE_HOME", path, 1) == 0);
	must(setenv("WSLCTL_CMD_EXE", fx.cmd, 1) == 0);
	must(setenv("WSLCTL_WSLPATH", fx.wslpath, 1) == 0);
	must(unsetenv("WSLCTL_WSLCONFIG") == 0);
	must(unsetenv("WSL_DISTRO_NAME") == 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", T);
	return system(cmd);
}

static const uint16_t jose_profile[] = {
	'C', ':', '\\', 'U', 's', 'e', 'r', 's', '\\', 'J', 'o', 's', 0xE9, '\r', '\n',
};

static void test_find_wslconfig_through_interop(void **state)
{
	struct winpath_found f;
	struct error err = { 0 };
	char want[600], log[600], answer[600];

	(void)state;
	set_cmd_answer(jose_profile, sizeof(jose_profile) / sizeof(jose_profile[0]));
	snprintf(answer, sizeof(answer), "%s\n", fx.profile);
	set_wslpath_answer(answer);

	assert_int_equal(winpath_profile_wslconfig(fx.root, &f, &err), 1);
	snprintf(want, sizeof(want), "%s/.wslconfig", fx.profile);
	assert_string_equal(f.path, want);
	assert_string_equal(f.source, "interop");
	assert_string_equal(f.profile, "C:\\Users\\Jos\xc3\xa9");
	assert_non_null(strstr(f.how, "C:\\Users\\Jos\xc3\xa9"));
	assert_non_null(strstr(f.how, "cmd.exe"));
	/* cmd.exe asked once, in UTF-16 (/u), without AutoRun (/d); wslpath converted. */
	read_text(fx.cmd_log, log, sizeof(log));
	assert_string_equal(log, "/d /u /c echo %USERPROFILE%\n");
	read_text(fx.wslpath_log, log, sizeof(log));
	assert_string_equal(log, "-u C:\\Users\\Jos\xc3\xa9\n");
	read_text(fx.cache, log, sizeof(log));
	snprintf(want, sizeof(want), "C:\\Users\\Jos\xc3\xa9\n%s\n", fx.profile);
	assert_string_equal(log, want);

	/* The second time comes from the cache: no interop call. */
	assert_int_equal(winpath_profile_wslconfig(fx.root, &f, &err), 1);
	assert_string_equal(f.source, "cache");
	assert_non_null(strstr(f.how, fx.cache));
	assert_int_equal(count_lines(fx.cmd_log), 1);
	assert_int_equal(count_lines(fx.wslpath_log), 1);
}

static void test_stale_cache_asks_again(void **state)
{
	struct winpath_found f;
	struct error err = { 0 };
	char answer[600], moved[600], want[600];

	(void)state;
	set_cmd_answer(jose_profile, sizeof(jose_profile) / sizeof(jose_profile[0]));
	snprintf(answer, sizeof(answer), "%s\n", fx.profile);
	set_wslpath_answer(answer);
	assert_int_equal(winpath_profile_wslconfig(fx.root, &f, &err), 1);
	unlink(fx.cmd_log);

	/* The cached folder is gone: Windows is asked again and the cache follows. */
	snprintf(moved, sizeof(moved), "%s.moved", fx.profile);
	assert_int_equal(rename(fx.profile, moved), 0);
	snprintf(answer, sizeof(answer), "%s\n", moved);
	set_wslpath_answer(answer);
	assert_int_equal(winpath_profile_wslconfig(fx.root, &f, &err), 1);
	assert_string_equal(f.source, "interop");
	snprintf(want, sizeof(want), "%s/.wslconfig", moved);
	assert_string_equal(f.path, want);
	assert_int_equal(count_lines(fx.cmd_log), 1);
	assert_int_equal(winpath_profile_wslconfig(fx.root, &f, &err), 1);
	assert_string_equal(f.source, "cache");
	assert_string_equal(f.path, want);

	/* An answer that is no folder here is refused, not used. */
	assert_int_equal(rename(moved, fx.profile), 0);
	assert_int_equal(winpath_profile_wslconfig(fx.root, &f, &err), -1);
	assert_int_equal(err.code, ERR_INTEROP);
	assert_non_null(strstr(err.message, "not a folder"));
	assert_non_null(strstr(err.message, "--wslconfig"));
	assert_int_equal(count_lines(fx.cmd_log), 2);
	snprintf(answer, sizeof(answer), "%s\n", fx.profile);
	set_wslpath_answer(answer);
}

static void test_interop_answers_refused(void **state)
{
	static const uint16_t unset[] = { '%', 'U', 'S', 'E', 'R', 'P', 'R', 'O', 'F', 'I', 'L',
					  'E', '%', '\r', '\n' };
	struct winpath_found f;
	struct error err = { 0 };

	(void)state;
	unlink(fx.cache);
	set_cmd_answer(unset, sizeof(unset) / sizeof(unset[0]));
	assert_int_equal(winpath_profile_wslconfig(fx.root, &f, &err), -1);
	assert_int_equal(err.code, ERR_INTEROP);
	assert_non_null(strstr(err.message, "--wslconfig"));

	set_cmd_answer(NULL, 0);
	assert_int_equal(winpath_profile_wslconfig(fx.root, &f, &err), -1);
	assert_int_equal(err.code, ERR_INTEROP);

	/* cmd.exe that cannot run at all */
	must(setenv("WSLCTL_CMD_EXE", "/nonexistent/cmd.exe", 1) == 0);
	assert_int_equal(winpath_profile_wslconfig(fx.root, &f, &err), -1);
	assert_int_equal(err.code, ERR_INTEROP);
	assert_non_null(strstr(err.message, "USERPROFILE"));
	must(setenv("WSLCTL_CMD_EXE", fx.cmd, 1) == 0);
}

static void test_wslpath_missing_uses_drive_mapping(void **state)
{
	static const uint16_t me[] = { 'C', ':', '\\', 'U', 's', 'e', 'r', 's', '\\', 'm', 'e' };
	struct winpath_found f;
	struct error err = { 0 };
	char want[600];

	(void)state;
	unlink(fx.cache);
	set_cmd_answer(me, sizeof(me) / sizeof(me[0]));
	snprintf(want, sizeof(want), "%s/mnt/c/Users/me", fx.root);
	mkdir_p(want);
	must(setenv("WSLCTL_WSLPATH", "/nonexistent/wslpath", 1) == 0);
	assert_int_equal(winpath_profile_wslconfig(fx.root, &f, &err), 1);
	must(setenv("WSLCTL_WSLPATH", fx.wslpath, 1) == 0);
	strcat(want, "/.wslconfig");
	assert_string_equal(f.path, want);
}

/* Given (--wslconfig or WSLCTL_WSLCONFIG): taken whatever the need, nothing is asked. */
static void test_find_wslconfig_given(void **state)
{
	static const enum winpath_need needs[] = { WINPATH_REQUIRED, WINPATH_OPTIONAL,
						   WINPATH_SKIP };
	const char *roots[] = { fx.root, fx.offroot, "/" };
	struct winpath_found f;
	struct error err = { 0 };
	int before = count_lines(fx.cmd_log);

	(void)state;
	for (size_t r = 0; r < 3; r++) {
		for (size_t i = 0; i < 3; i++) {
			assert_int_equal(winpath_find_wslconfig(roots[r], "/x/.wslconfig", needs[i],
								&f, &err), 1);
			assert_string_equal(f.path, "/x/.wslconfig");
			assert_string_equal(f.source, "flag");
			assert_non_null(strstr(f.how, "--wslconfig"));
		}
	}
	must(setenv("WSLCTL_WSLCONFIG", "/y/.wslconfig", 1) == 0);
	assert_int_equal(winpath_find_wslconfig(fx.root, "/y/.wslconfig", WINPATH_REQUIRED, &f,
						&err), 1);
	must(unsetenv("WSLCTL_WSLCONFIG") == 0);
	assert_string_equal(f.source, "env");
	assert_non_null(strstr(f.how, "WSLCTL_WSLCONFIG"));
	assert_int_equal(count_lines(fx.cmd_log), before);
}

/* No .wslconfig can be known at ROOT (GIVEN empty or NULL): each need says so its way,
 * the message naming --wslconfig and WHY. */
static void expect_none(const char *root, const char *given, const char *why)
{
	struct winpath_found f;
	struct error err = { 0 };
	char want[400];

	snprintf(want, sizeof(want), "no .wslconfig given: use --wslconfig PATH or "
		 "WSLCTL_WSLCONFIG (%s)", why);
	assert_int_equal(winpath_find_wslconfig(root, given, WINPATH_REQUIRED, &f, &err), -1);
	assert_int_equal(err.code, ERR_USAGE);
	assert_string_equal(err.message, want);
	err.code = ERR_NONE;
	assert_int_equal(winpath_find_wslconfig(root, given, WINPATH_OPTIONAL, &f, &err), 0);
	assert_int_equal(err.code, ERR_NONE);
	assert_string_equal(f.source, "none");
	assert_string_equal(f.path, "");
	assert_string_equal(f.how, want);
	assert_int_equal(winpath_find_wslconfig(root, given, WINPATH_SKIP, &f, &err), 0);
	assert_int_equal(err.code, ERR_NONE);
	assert_string_equal(f.source, "none");
}

/* Under --root the live machine is never consulted: not even for a WSL-looking fixture,
 * and not through the cache of an earlier answer. */
static void test_find_wslconfig_under_root(void **state)
{
	static const char why[] = "under --root the live machine's Windows profile is not asked";
	struct winpath_found f;
	struct error err = { 0 };
	char answer[600];
	int cmd_before, wslpath_before;

	(void)state;
	set_cmd_answer(jose_profile, sizeof(jose_profile) / sizeof(jose_profile[0]));
	snprintf(answer, sizeof(answer), "%s\n", fx.profile);
	set_wslpath_answer(answer);
	assert_int_equal(winpath_profile_wslconfig(fx.root, &f, &err), 1); /* cached now */
	cmd_before = count_lines(fx.cmd_log);
	wslpath_before = count_lines(fx.wslpath_log);
	expect_none(fx.root, NULL, why);
	expect_none(fx.offroot, "", why);
	assert_int_equal(count_lines(fx.cmd_log), cmd_before);
	assert_int_equal(count_lines(fx.wslpath_log), wslpath_before);
}

/* Without --root on a machine that is not WSL (this one, unless the tests run inside WSL):
 * nowhere to find one, so it must be given when required. */
static void test_find_wslconfig_live_off_wsl(void **state)
{
	static const char why[] = "outside WSL there is no Windows profile to find it in";
	int before = count_lines(fx.cmd_log);

	(void)state;
	if (sysprobe_is_wsl("/"))
		skip();
	expect_none(NULL, NULL, why);
	expect_none("/", "", why);
	assert_int_equal(count_lines(fx.cmd_log), before);
}

static void test_to_windows(void **state)
{
	struct error err = { 0 };
	char buf[600], in[600];

	(void)state;
	/* Off WSL: the drive mapping, or a clear refusal. */
	assert_int_equal(winpath_to_windows(fx.offroot, "/mnt/d/k/bzImage", 0, buf, sizeof(buf),
					    &err), 0);
	assert_string_equal(buf, "D:\\k\\bzImage");
	snprintf(in, sizeof(in), "%s/mnt/e/x", fx.offroot);
	assert_int_equal(winpath_to_windows(fx.offroot, in, 0, buf, sizeof(buf), &err), 0);
	assert_string_equal(buf, "E:\\x");
	assert_int_equal(winpath_to_windows(fx.offroot, "/home/me/k", 0, buf, sizeof(buf), &err),
			 -1);
	assert_int_equal(err.code, ERR_INVALID_VALUE);
	assert_non_null(strstr(err.message, "Windows side"));
	/* A Windows path stays as it is. */
	assert_int_equal(winpath_to_windows(fx.offroot, "C:/k", 0, buf, sizeof(buf), &err), 0);
	assert_string_equal(buf, "C:/k");
	assert_int_equal(winpath_to_windows(fx.offroot, "\\\\srv\\k", WINPATH_DRIVE_ONLY, buf,
					    sizeof(buf), &err), -1);

	/* Inside WSL: wslpath -w answers. */
	set_wslpath_answer("C:\\Users\\me\\k\r\n");
	assert_int_equal(winpath_to_windows(fx.root, "/mnt/c/Users/me/k", WINPATH_DRIVE_ONLY, buf,
					    sizeof(buf), &err), 0);
	assert_string_equal(buf, "C:\\Users\\me\\k");
	set_wslpath_answer("\\\\wsl.localhost\\Debian\\home\\me\\k\n");
	assert_int_equal(winpath_to_windows(fx.root, "/home/me/k", 0, buf, sizeof(buf), &err), 0);
	assert_string_equal(buf, "\\\\wsl.localhost\\Debian\\home\\me\\k");
	assert_int_equal(winpath_to_windows(fx.root, "/home/me/k", WINPATH_DRIVE_ONLY, buf,
					    sizeof(buf), &err), -1);
	assert_int_equal(err.code, ERR_INVALID_VALUE);
	assert_non_null(strstr(err.message, "Linux file system"));

	/* Without wslpath inside WSL: drive mapping, else the distribution's share. */
	must(setenv("WSLCTL_WSLPATH", "/nonexistent/wslpath", 1) == 0);
	must(setenv("WSL_DISTRO_NAME", "Debian", 1) == 0);
	assert_int_equal(winpath_to_windows(fx.root, "/mnt/c/k", 0, buf, sizeof(buf), &err), 0);
	assert_string_equal(buf, "C:\\k");
	assert_int_equal(winpath_to_windows(fx.root, "/home/me/k", 0, buf, sizeof(buf), &err), 0);
	assert_string_equal(buf, "\\\\wsl.localhost\\Debian\\home\\me\\k");
	assert_int_equal(winpath_to_windows(fx.root, "/home/me/k", WINPATH_DRIVE_ONLY, buf,
					    sizeof(buf), &err), -1);
	must(unsetenv("WSL_DISTRO_NAME") == 0);
	must(setenv("WSLCTL_WSLPATH", fx.wslpath, 1) == 0);
}

static void test_to_linux(void **state)
{
	struct error err = { 0 };
	char buf[600], want[600];

	(void)state;
	assert_int_equal(winpath_to_linux(fx.offroot, "C:\\k\\bzImage", buf, sizeof(buf), &err), 0);
	snprintf(want, sizeof(want), "%s/mnt/c/k/bzImage", fx.offroot);
	assert_string_equal(buf, want);
	assert_int_equal(winpath_to_linux("/", "D:/x", buf, sizeof(buf), &err), 0);
	assert_string_equal(buf, "/mnt/d/x");
	assert_int_equal(winpath_to_linux("/", "bzImage", buf, sizeof(buf), &err), -1);
	assert_int_equal(err.code, ERR_INVALID_VALUE);
	assert_int_equal(winpath_to_linux("/", "\\\\srv\\share\\k", buf, sizeof(buf), &err), -1);

	set_wslpath_answer("/mnt/c/k/bzImage\n");
	unlink(fx.wslpath_log);
	assert_int_equal(winpath_to_linux(fx.root, "C:\\k\\bzImage", buf, sizeof(buf), &err), 0);
	assert_string_equal(buf, "/mnt/c/k/bzImage");
	read_text(fx.wslpath_log, want, sizeof(want));
	assert_string_equal(want, "-u C:\\k\\bzImage\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mnt_to_windows),
		cmocka_unit_test(test_windows_to_mnt),
		cmocka_unit_test(test_is_windows_abs),
		cmocka_unit_test(test_decode_output),
		cmocka_unit_test(test_run_collects_output),
		cmocka_unit_test(test_run_failures),
		cmocka_unit_test(test_run_fallback),
		cmocka_unit_test(test_run_timeout),
		cmocka_unit_test(test_run_drains_big_output),
		cmocka_unit_test(test_find_wslconfig_through_interop),
		cmocka_unit_test(test_stale_cache_asks_again),
		cmocka_unit_test(test_interop_answers_refused),
		cmocka_unit_test(test_wslpath_missing_uses_drive_mapping),
		cmocka_unit_test(test_find_wslconfig_given),
		cmocka_unit_test(test_find_wslconfig_under_root),
		cmocka_unit_test(test_find_wslconfig_live_off_wsl),
		cmocka_unit_test(test_to_windows),
		cmocka_unit_test(test_to_linux),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
