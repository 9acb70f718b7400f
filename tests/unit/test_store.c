// SPDX-License-Identifier: MIT
/* The kernel store (staging, atomic publish, manifests, listing) and activation on it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "activation.h"
#include "store.h"
#include "testutil.h"
#include "winpath.h"

struct fixture {
	char tmp[256];
	char root[320];   /* a fixture machine: ROOT/mnt/c is drive C: */
	char home[400];
	char cfg[400];
	struct store s;
	struct error err;
};

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	char cmd[600];

	snprintf(fx->tmp, sizeof(fx->tmp), "/tmp/test_store.XXXXXX");
	assert_non_null(mkdtemp(fx->tmp));
	snprintf(fx->root, sizeof(fx->root), "%s/root", fx->tmp);
	snprintf(fx->home, sizeof(fx->home), "%s/mnt/c/store", fx->root);
	snprintf(fx->cfg, sizeof(fx->cfg), "%s/mnt/c/.wslconfig", fx->root);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/proc/sys/kernel %s/mnt/c", fx->root, fx->root);
	assert_int_equal(system(cmd), 0);
	setenv("WSLCTL_WSLPATH", "/nonexistent/wslpath", 1);
	assert_int_equal(store_open(&fx->s, fx->home, fx->root, &fx->err), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	char cmd[300];

	store_close(&fx->s);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", fx->tmp);
	assert_int_equal(system(cmd), 0);
	free(fx);
	return 0;
}

/* Installs VERSION with a kernel whose content is TEXT (and modules when asked). */
static void install(struct fixture *fx, const char *version, const char *text, bool modules)
{
	struct store_stage st;
	struct store_manifest m = { 0 };
	char path[STORE_PATH_MAX + 32];

	assert_int_equal(store_stage_begin(&fx->s, version, &st), 0);
	snprintf(path, sizeof(path), "%s/kernel", st.dir);
	write_file(path, text);
	if (modules) {
		snprintf(path, sizeof(path), "%s/modules.vhd", st.dir);
		write_file(path, "vhd");
	}
	snprintf(m.source, sizeof(m.source), "test");
	snprintf(m.verified, sizeof(m.verified), "sha256");
	m.has_modules = modules;
	assert_int_equal(store_stage_commit(&fx->s, &st, &m), 0);
}

static void test_version_names(void **state)
{
	(void)state;
	assert_true(store_version_valid("6.18.26.3-1"));
	assert_true(store_version_valid("6.12.117+wslctl_1"));
	assert_false(store_version_valid(""));
	assert_false(store_version_valid(".."));
	assert_false(store_version_valid(".hidden"));
	assert_false(store_version_valid("a/b"));
	assert_false(store_version_valid("-rf"));
	assert_false(store_version_valid("6.1 x"));
	assert_false(store_version_valid(NULL));
}

static void test_install_and_list(void **state)
{
	struct fixture *fx = *state;
	struct store_manifest *list, m;
	size_t n;
	char path[STORE_PATH_MAX + 64];

	install(fx, "6.18.26.3-1", "old", true);
	install(fx, "6.18.35.2-1", "new", false);
	install(fx, "6.6.87.2-1", "older", false);
	assert_int_equal(store_list(&fx->s, &list, &n), 0);
	assert_int_equal(n, 3);
	/* Newest first by NuGet order, not by string. */
	assert_string_equal(list[0].version, "6.18.35.2-1");
	assert_string_equal(list[1].version, "6.18.26.3-1");
	assert_string_equal(list[2].version, "6.6.87.2-1");
	assert_true(list[1].has_modules);
	assert_false(list[0].has_modules);
	assert_true(list[0].installed > 0);
	store_list_free(list);
	assert_int_equal(store_get(&fx->s, "6.18.26.3-1", &m), 1);
	assert_string_equal(m.source, "test");
	assert_string_equal(m.verified, "sha256");
	assert_int_equal(store_get(&fx->s, "1.2.3", &m), 0);
	assert_true(store_has(&fx->s, "6.6.87.2-1", &m));
	assert_false(store_has(&fx->s, "1.2.3", &m));
	/* Nothing is left in staging after a commit. */
	snprintf(path, sizeof(path), "%s/staging", fx->s.dir);
	assert_int_equal(rmdir(path), 0);
	assert_int_equal(mkdir(path, 0755), 0);
}

static void test_commit_needs_kernel(void **state)
{
	struct fixture *fx = *state;
	struct store_stage st;
	struct store_manifest m = { 0 };
	struct stat sb;
	char path[STORE_PATH_MAX + 64];

	assert_int_equal(store_stage_begin(&fx->s, "1.0", &st), 0);
	snprintf(path, sizeof(path), "%s", st.dir);
	assert_int_equal(store_stage_commit(&fx->s, &st, &m), -1);
	assert_int_equal(fx->err.code, ERR_NOT_FOUND);
	/* The staging folder is gone and no version appeared. */
	assert_int_equal(stat(path, &sb), -1);
	snprintf(path, sizeof(path), "%s/versions/1.0", fx->s.dir);
	assert_int_equal(stat(path, &sb), -1);
	assert_int_equal(store_stage_begin(&fx->s, "../x", &st), -1);
	assert_int_equal(fx->err.code, ERR_INVALID_VALUE);
}

static void test_reinstall_replaces(void **state)
{
	struct fixture *fx = *state;
	char path[STORE_PATH_MAX + 64];

	install(fx, "6.18.26.3-1", "first", true);
	install(fx, "6.18.26.3-1", "second", false);
	store_kernel_path(&fx->s, "6.18.26.3-1", path, sizeof(path));
	assert_string_equal(read_text(path), "second");
	snprintf(path, sizeof(path), "%s/versions/6.18.26.3-1/modules.vhd", fx->s.dir);
	assert_null(read_text(path));
}

/* The Windows forms come from the store folder's: one conversion, then appended. */
static void test_winpath(void **state)
{
	struct fixture *fx = *state;
	struct store s2;
	char buf[STORE_PATH_MAX], home[STORE_PATH_MAX];

	assert_int_equal(store_winpath(&fx->s, NULL, NULL, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "C:\\store");
	assert_int_equal(store_winpath(&fx->s, "6.1", "kernel", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "C:\\store\\versions\\6.1\\kernel");
	/* A store at a drive's top: one separator. */
	snprintf(home, sizeof(home), "%s/mnt/d", fx->root);
	assert_int_equal(store_open(&s2, home, fx->root, &fx->err), 0);
	assert_int_equal(store_winpath(&s2, "6.1", "modules.vhd", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "D:\\versions\\6.1\\modules.vhd");
	store_close(&s2);
	/* Off the Windows drives there is none, and that is said every time. */
	snprintf(home, sizeof(home), "%s/linux-only", fx->tmp);
	assert_int_equal(store_open(&s2, home, fx->root, &fx->err), 0);
	assert_int_equal(store_winpath(&s2, "6.1", "kernel", buf, sizeof(buf)), -1);
	assert_int_equal(fx->err.code, ERR_INVALID_VALUE);
	fx->err.code = ERR_NONE;
	assert_int_equal(store_winpath(&s2, NULL, NULL, buf, sizeof(buf)), -1);
	assert_int_equal(fx->err.code, ERR_INVALID_VALUE);
	store_close(&s2);
}

static void test_activate_rollback_remove(void **state)
{
	struct fixture *fx = *state;
	struct activation a;
	struct activation_state st;
	char *cfg;

	install(fx, "6.18.26.3-1", "a", true);
	install(fx, "6.18.35.2-1", "b", false);
	assert_int_equal(activation_use(&fx->s, fx->cfg, "6.18.26.3-1", false, &a), 0);
	assert_true(a.changed);
	assert_string_equal(a.kernel_win, "C:\\store\\versions\\6.18.26.3-1\\kernel");
	assert_string_equal(a.modules_win, "C:\\store\\versions\\6.18.26.3-1\\modules.vhd");
	assert_string_equal(a.previous, "");
	cfg = read_text(fx->cfg);
	assert_non_null(strstr(cfg, "kernel=C:\\\\store\\\\versions\\\\6.18.26.3-1\\\\kernel"));
	assert_non_null(strstr(cfg, "kernelModules="));

	/* Switching records the previous one and drops kernelModules= it cannot use. */
	assert_int_equal(activation_use(&fx->s, fx->cfg, "6.18.35.2-1", false, &a), 0);
	assert_string_equal(a.previous, "6.18.26.3-1");
	assert_null(strstr(read_text(fx->cfg), "kernelModules"));
	assert_int_equal(activation_read(&fx->s, fx->cfg, NULL, 0, &st), 0);
	assert_string_equal(st.active, "6.18.35.2-1");
	assert_string_equal(st.previous, "6.18.26.3-1");
	assert_string_equal(st.kernel, "C:\\store\\versions\\6.18.35.2-1\\kernel");
	assert_true(st.can_rollback);
	assert_string_equal(st.rollback_version, "6.18.26.3-1");

	/* Activating it again changes nothing and keeps previous. */
	assert_int_equal(activation_use(&fx->s, fx->cfg, "6.18.35.2-1", false, &a), 0);
	assert_false(a.changed);
	assert_string_equal(a.previous, "6.18.26.3-1");

	/* A dry run reports without writing. */
	assert_int_equal(activation_use(&fx->s, fx->cfg, "6.18.26.3-1", true, &a), 0);
	assert_true(a.changed);
	assert_non_null(strstr(read_text(fx->cfg), "6.18.35.2-1"));

	/* The active kernel cannot be removed; the other one can. */
	assert_int_equal(activation_remove(&fx->s, fx->cfg, "6.18.35.2-1", false), -1);
	assert_int_equal(fx->err.code, ERR_INVALID_VALUE);
	assert_int_equal(activation_remove(&fx->s, fx->cfg, "6.18.26.3-1", false), 0);
	assert_int_equal(store_get(&fx->s, "6.18.26.3-1", &(struct store_manifest){ 0 }), 0);
	/* Rollback's target is gone: kernel list says there is none. */
	assert_int_equal(activation_read(&fx->s, fx->cfg, NULL, 0, &st), 0);
	assert_false(st.can_rollback);

	/* Deactivation removes the keys; nothing is active afterwards. */
	assert_int_equal(activation_inbox(&fx->s, fx->cfg, false, &a), 0);
	assert_true(a.changed);
	assert_null(strstr(read_text(fx->cfg), "kernel"));
	assert_int_equal(activation_read(&fx->s, fx->cfg, NULL, 0, &st), 0);
	assert_string_equal(st.active, "");
}

/* Rollback returns to a kernel= set by hand (and its kernelModules=) as it was, and back. */
static void test_rollback_hand_set(void **state)
{
	struct fixture *fx = *state;
	const char *hand = "[wsl2]\nkernel=D:\\\\k\\\\bzImage\nkernelModules=D:\\\\k\\\\m.vhd\n";
	struct activation a;
	char version[STORE_VERSION_MAX], path[STORE_PATH_MAX + 16];

	install(fx, "6.18.26.3-1", "a", false);
	write_file(fx->cfg, hand);
	assert_int_equal(activation_rollback(&fx->s, fx->cfg, false, version, &a), -1);
	assert_int_equal(fx->err.code, ERR_NOT_FOUND);
	assert_int_equal(activation_use(&fx->s, fx->cfg, "6.18.26.3-1", false, &a), 0);
	assert_string_equal(a.previous, "");

	assert_int_equal(activation_rollback(&fx->s, fx->cfg, false, version, &a), 0);
	assert_string_equal(version, "");
	assert_true(a.changed);
	assert_string_equal(a.kernel_win, "D:\\k\\bzImage");
	assert_string_equal(a.modules_win, "D:\\k\\m.vhd");
	assert_string_equal(a.previous, "6.18.26.3-1");
	assert_string_equal(read_text(fx->cfg), hand);

	assert_int_equal(activation_rollback(&fx->s, fx->cfg, false, version, &a), 0);
	assert_string_equal(version, "6.18.26.3-1");
	assert_string_equal(a.previous, "");
	assert_int_equal(activation_rollback(&fx->s, fx->cfg, false, version, &a), 0);
	assert_string_equal(read_text(fx->cfg), hand);

	/* A corrupt state.json is refused, said as such (issue 14), never a crash, and
	 * never "nothing to roll back to". */
	snprintf(path, sizeof(path), "%s/state.json", fx->s.dir);
	write_file(path, "{\"previous\": ");
	assert_int_equal(activation_rollback(&fx->s, fx->cfg, false, version, &a), -1);
	assert_int_equal(fx->err.code, ERR_INVALID_FILE);
	assert_non_null(strstr(fx->err.message, "state.json is corrupt (not JSON"));
	assert_string_equal(read_text(fx->cfg), hand);
}

/* A kernel= too long to keep whole is not recorded: rollback must never write a cut path. */
static void test_rollback_long_value(void **state)
{
	struct fixture *fx = *state;
	struct activation a;
	char version[STORE_VERSION_MAX];
	char *text = malloc(STORE_PATH_MAX + 64);

	assert_non_null(text);
	install(fx, "6.18.26.3-1", "a", false);
	strcpy(text, "[wsl2]\nkernel=C:\\\\");
	memset(text + strlen(text), 'k', STORE_PATH_MAX);
	strcpy(text + strlen("[wsl2]\nkernel=C:\\\\") + STORE_PATH_MAX, "\n");
	write_file(fx->cfg, text);
	free(text);
	assert_int_equal(activation_use(&fx->s, fx->cfg, "6.18.26.3-1", false, &a), 0);
	assert_int_equal(activation_rollback(&fx->s, fx->cfg, false, version, &a), -1);
	assert_int_equal(fx->err.code, ERR_NOT_FOUND);
	assert_non_null(strstr(read_text(fx->cfg), "6.18.26.3-1"));
}

/* state.json holds only what rollback reads; a file that still says "active" reads as
 * before (the field is ignored: .wslconfig says what is active). */
static void test_state_file(void **state)
{
	struct fixture *fx = *state;
	struct activation_state st;
	struct activation a;
	char path[STORE_PATH_MAX + 16];
	const char *text;

	install(fx, "6.18.26.3-1", "a", false);
	install(fx, "6.18.35.2-1", "b", false);
	assert_int_equal(activation_use(&fx->s, fx->cfg, "6.18.26.3-1", false, &a), 0);
	assert_int_equal(activation_use(&fx->s, fx->cfg, "6.18.35.2-1", false, &a), 0);
	snprintf(path, sizeof(path), "%s/state.json", fx->s.dir);
	text = read_text(path);
	assert_non_null(strstr(text, "\"previous\": \"6.18.26.3-1\""));
	assert_null(strstr(text, "\"active\""));

	write_file(path, "{\"active\": \"6.18.26.3-1\", \"previous\": \"6.18.26.3-1\"}");
	assert_int_equal(activation_read(&fx->s, fx->cfg, NULL, 0, &st), 0);
	assert_string_equal(st.active, "6.18.35.2-1");
	assert_string_equal(st.previous, "6.18.26.3-1");
	assert_true(st.can_rollback);
}

static void test_no_windows_path(void **state)
{
	struct fixture *fx = *state;
	struct store s2;
	struct activation a;
	char home[STORE_PATH_MAX];

	/* A store Windows cannot read is never activated. */
	snprintf(home, sizeof(home), "%s/linux-only", fx->tmp);
	assert_int_equal(store_open(&s2, home, fx->root, &fx->err), 0);
	{
		struct store_stage st;
		struct store_manifest m = { 0 };
		char path[STORE_PATH_MAX + 32];

		assert_int_equal(store_stage_begin(&s2, "1.0", &st), 0);
		snprintf(path, sizeof(path), "%s/kernel", st.dir);
		write_file(path, "k");
		assert_int_equal(store_stage_commit(&s2, &st, &m), 0);
	}
	assert_int_equal(activation_use(&s2, fx->cfg, "1.0", false, &a), -1);
	assert_int_equal(fx->err.code, ERR_INVALID_VALUE);
	assert_null(read_text(fx->cfg));
	store_close(&s2);
}

/*
 * Inside WSL (a fixture root that says so), which version kernel= names is worked out
 * with one wslpath call for the store folder, however many versions there are, and a
 * hand edit with other case and slashes is still ours.
 */
static void test_active_one_conversion(void **state)
{
	static const char fake[] = "#!/bin/sh\necho \"$*\" >>\"$0.log\"\n"
				   "[ \"$1\" = -w ] && echo 'C:\\store'\n";
	struct fixture *fx = *state;
	struct store_manifest *list;
	struct activation_state st;
	char path[700], log[600], dir[600];
	size_t n;

	install(fx, "6.18.26.3-1", "a", false);
	install(fx, "6.18.35.2-1", "b", false);
	install(fx, "6.6.87.2-1", "c", false);
	snprintf(path, sizeof(path), "%s/proc/sys/kernel/osrelease", fx->root);
	write_file(path, "6.6.87.2-microsoft-standard-WSL2\n");
	snprintf(path, sizeof(path), "%s/wslpath", fx->tmp);
	write_file(path, fake);
	assert_int_equal(chmod(path, 0755), 0);
	snprintf(log, sizeof(log), "%s.log", path);
	setenv("WSLCTL_WSLPATH", path, 1);
	write_file(fx->cfg, "[wsl2]\nkernel=c:/STORE/versions/6.6.87.2-1/KERNEL\n");

	assert_int_equal(store_list(&fx->s, &list, &n), 0);
	assert_int_equal(activation_read(&fx->s, fx->cfg, list, n, &st), 0);
	store_list_free(list);
	setenv("WSLCTL_WSLPATH", "/nonexistent/wslpath", 1);
	assert_string_equal(st.active, "6.6.87.2-1");
	snprintf(dir, sizeof(dir), "%s/mnt/c/store", fx->root);
	snprintf(path, sizeof(path), "-w %s\n", dir);
	assert_string_equal(read_text(log), path);
}

/* NAME in the store (relative) made into a link to TARGET. */
static void link_in_store(struct fixture *fx, const char *name, const char *target)
{
	char path[STORE_PATH_MAX + 64], cmd[STORE_PATH_MAX * 2];

	snprintf(path, sizeof(path), "%s/%s", fx->s.dir, name);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(symlink(target, path), 0);
}

/* A linked staging/ is refused when the store is opened; what it points at survives. */
static void test_linked_staging(void **state)
{
	struct fixture *fx = *state;
	char victim[STORE_PATH_MAX], keep[STORE_PATH_MAX + 16];
	struct store s2;

	install(fx, "6.18.26.3-1", "a", false);
	snprintf(victim, sizeof(victim), "%s/victim", fx->tmp);
	assert_int_equal(mkdir(victim, 0755), 0);
	snprintf(keep, sizeof(keep), "%s/keep", victim);
	write_file(keep, "precious");
	link_in_store(fx, "staging", victim);
	assert_int_equal(store_open(&s2, fx->home, fx->root, &fx->err), -1);
	assert_int_equal(fx->err.code, ERR_INVALID_VALUE);
	assert_non_null(strstr(fx->err.message, "staging"));
	assert_int_equal(access(keep, F_OK), 0);
	store_close(&s2);
}

/* Clean-up under the lock removes the tool's own leftovers in staging/ and nothing else. */
static void test_staging_own_names_only(void **state)
{
	struct fixture *fx = *state;
	char mine[STORE_PATH_MAX + 32], ours[STORE_PATH_MAX + 64];
	struct store s2;

	install(fx, "6.18.26.3-1", "a", false);
	snprintf(mine, sizeof(mine), "%s/staging/mine", fx->s.dir);
	write_file(mine, "user");
	snprintf(ours, sizeof(ours), "%s/staging/wslctl-stage.1.0.1.0", fx->s.dir);
	assert_int_equal(mkdir(ours, 0755), 0);
	store_close(&fx->s); /* its lock, held since the install */
	assert_int_equal(store_open(&s2, fx->home, fx->root, &fx->err), 0);
	assert_int_equal(store_lock(&s2), 0);
	assert_int_equal(access(mine, F_OK), 0);
	assert_int_equal(access(ours, F_OK), -1);
	store_close(&s2);
}

/* A folder of the user's (files, no marker) is not made into a store. */
static void test_not_a_store(void **state)
{
	struct fixture *fx = *state;
	char dir[STORE_PATH_MAX], path[STORE_PATH_MAX + 32];
	struct store s2;

	snprintf(dir, sizeof(dir), "%s/mnt/c/Documents", fx->root);
	snprintf(path, sizeof(path), "mkdir -p '%s'", dir);
	assert_int_equal(system(path), 0);
	snprintf(path, sizeof(path), "%s/notes.txt", dir);
	write_file(path, "notes");
	assert_int_equal(store_open(&s2, dir, fx->root, &fx->err), 0);
	assert_int_equal(store_lock(&s2), -1);
	assert_int_equal(fx->err.code, ERR_INVALID_VALUE);
	snprintf(path, sizeof(path), "%s/versions", dir);
	assert_int_equal(access(path, F_OK), -1);
	store_close(&s2);
}

/* A FIFO as a manifest never blocks: the version is not installed, and says why. */
static void test_manifest_fifo(void **state)
{
	struct fixture *fx = *state;
	struct store_manifest m;
	char path[STORE_PATH_MAX + 64];

	install(fx, "6.18.26.3-1", "a", false);
	snprintf(path, sizeof(path), "%s/versions/6.18.26.3-1/manifest.json", fx->s.dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkfifo(path, 0644), 0);
	assert_false(store_has(&fx->s, "6.18.26.3-1", &m));
	assert_int_equal(store_get(&fx->s, "6.18.26.3-1", &m), -1);
	assert_int_equal(fx->err.code, ERR_INVALID_FILE);
	assert_non_null(strstr(fx->err.message, "not a regular file"));
}

/* A linked state.json is refused, and its target never written. */
static void test_linked_state(void **state)
{
	struct fixture *fx = *state;
	char victim[STORE_PATH_MAX];
	struct store s2;

	install(fx, "6.18.26.3-1", "a", false);
	snprintf(victim, sizeof(victim), "%s/victim.json", fx->tmp);
	write_file(victim, "victim");
	link_in_store(fx, "state.json", victim);
	assert_int_equal(store_write_json(&fx->s, "state.json", json_object()), -1);
	assert_string_equal(read_text(victim), "victim");
	assert_int_equal(store_open(&s2, fx->home, fx->root, &fx->err), -1);
	assert_int_equal(fx->err.code, ERR_INVALID_VALUE);
	store_close(&s2);
}

static void test_windows_names(void **state)
{
	static const char *const bad[] = { "a:b", "a\"b", "a|b", "a*b", "a?b", "a<b", "a>b",
					   "a\\b", "x.", "x ", "CON", "con.txt", "Nul",
					   "COM1", "lpt9.log", "aux .x", "a\tb" };
	static const char *const good[] = { "store", ".wslctl", "CONSOLE", "COM0", "LPT",
					    "com10", "a.b", ".." };

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_non_null(winpath_bad_name(bad[i]));
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_null(winpath_bad_name(good[i]));
}

/* Only the components below the drive are Windows names; the one refused is named. */
static void test_windows_store_path(void **state)
{
	struct fixture *fx = *state;
	char home[STORE_PATH_MAX], win[STORE_PATH_MAX];
	struct store s2;

	assert_int_equal(winpath_check_names("/x:y/mnt/c/Users/me", "C:\\Users\\me", &fx->err), 0);
	assert_int_equal(winpath_check_names("/mnt/c/a:b/me", "C:\\a:b\\me", &fx->err), -1);
	assert_non_null(strstr(fx->err.message, "'a:b'"));
	snprintf(home, sizeof(home), "%s/mnt/c/NUL/store", fx->root);
	assert_int_equal(store_open(&s2, home, fx->root, &fx->err), 0);
	assert_int_equal(store_winpath(&s2, NULL, NULL, win, sizeof(win)), -1);
	assert_int_equal(fx->err.code, ERR_INVALID_VALUE);
	assert_non_null(strstr(fx->err.message, "'NUL'"));
	store_close(&s2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_names),
		cmocka_unit_test_setup_teardown(test_install_and_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_needs_kernel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reinstall_replaces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_winpath, setup, teardown),
		cmocka_unit_test_setup_teardown(test_activate_rollback_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_hand_set, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_long_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_windows_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_active_one_conversion, setup, teardown),
		cmocka_unit_test_setup_teardown(test_linked_staging, setup, teardown),
		cmocka_unit_test_setup_teardown(test_staging_own_names_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_store, setup, teardown),
		cmocka_unit_test_setup_teardown(test_manifest_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_linked_state, setup, teardown),
		cmocka_unit_test(test_windows_names),
		cmocka_unit_test_setup_teardown(test_windows_store_path, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
