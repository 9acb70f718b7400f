// SPDX-License-Identifier: MIT
/* The kernel store: staging, atomic publish, manifests, listing, activation, removal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"
#include "testutil.h"

struct fixture {
	char tmp[256];
	char root[320];   /* a fixture machine: ROOT/mnt/c is drive C: */
	char home[400];
	char cfg[400];
	struct store s;
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
	struct error err;
	char cmd[600];

	snprintf(fx->tmp, sizeof(fx->tmp), "/tmp/test_store.XXXXXX");
	assert_non_null(mkdtemp(fx->tmp));
	snprintf(fx->root, sizeof(fx->root), "%s/root", fx->tmp);
	snprintf(fx->home, sizeof(fx->home), "%s/mnt/c/store", fx->root);
	snprintf(fx->cfg, sizeof(fx->cfg), "%s/mnt/c/.wslconfig", fx->root);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/proc/sys/kernel", fx->root);
	assert_int_equal(system(cmd), 0);
	setenv("WSLCTL_WSLPATH", "/nonexistent/wslpath", 1);
	assert_int_equal(store_open(&fx->s, fx->home, fx->root, &err), 0);
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
	struct error err;
	char path[STORE_PATH_MAX + 32];

	assert_int_equal(store_stage_begin(&fx->s, version, &st, &err), 0);
	snprintf(path, sizeof(path), "%s/kernel", st.dir);
	write_file(path, text);
	if (modules) {
		snprintf(path, sizeof(path), "%s/modules.vhd", st.dir);
		write_file(path, "vhd");
	}
	snprintf(m.source, sizeof(m.source), "test");
	snprintf(m.verified, sizeof(m.verified), "sha256");
	m.has_modules = modules;
	assert_int_equal(store_stage_commit(&fx->s, &st, &m, &err), 0);
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
	struct error err;
	size_t n;
	char path[STORE_PATH_MAX + 64];

	install(fx, "6.18.26.3-1", "old", true);
	install(fx, "6.18.35.2-1", "new", false);
	install(fx, "6.6.87.2-1", "older", false);
	assert_int_equal(store_list(&fx->s, &list, &n, &err), 0);
	assert_int_equal(n, 3);
	/* Newest first by NuGet order, not by string. */
	assert_string_equal(list[0].version, "6.18.35.2-1");
	assert_string_equal(list[1].version, "6.18.26.3-1");
	assert_string_equal(list[2].version, "6.6.87.2-1");
	assert_true(list[1].has_modules);
	assert_false(list[0].has_modules);
	assert_true(list[0].installed > 0);
	store_list_free(list);
	assert_int_equal(store_get(&fx->s, "6.18.26.3-1", &m, &err), 1);
	assert_string_equal(m.source, "test");
	assert_string_equal(m.verified, "sha256");
	assert_int_equal(store_get(&fx->s, "1.2.3", &m, &err), 0);
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
	struct error err;
	struct stat sb;
	char path[STORE_PATH_MAX + 64];

	assert_int_equal(store_stage_begin(&fx->s, "1.0", &st, &err), 0);
	snprintf(path, sizeof(path), "%s", st.dir);
	assert_int_equal(store_stage_commit(&fx->s, &st, &m, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	/* The staging folder is gone and no version appeared. */
	assert_int_equal(stat(path, &sb), -1);
	snprintf(path, sizeof(path), "%s/versions/1.0", fx->s.dir);
	assert_int_equal(stat(path, &sb), -1);
	assert_int_equal(store_stage_begin(&fx->s, "../x", &st, &err), -1);
	assert_int_equal(err.code, ERR_INVALID_VALUE);
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

static void test_activate_rollback_remove(void **state)
{
	struct fixture *fx = *state;
	struct store_activation a;
	char active[STORE_VERSION_MAX], prev[STORE_VERSION_MAX], kval[STORE_PATH_MAX];
	struct error err;
	char *cfg;

	install(fx, "6.18.26.3-1", "a", true);
	install(fx, "6.18.35.2-1", "b", false);
	assert_int_equal(store_activate(&fx->s, "6.18.26.3-1", fx->cfg, fx->root, false, &a, &err),
			 0);
	assert_true(a.changed);
	assert_string_equal(a.kernel_win, "C:\\store\\versions\\6.18.26.3-1\\kernel");
	assert_string_equal(a.modules_win, "C:\\store\\versions\\6.18.26.3-1\\modules.vhd");
	assert_string_equal(a.previous, "");
	cfg = read_text(fx->cfg);
	assert_non_null(strstr(cfg, "kernel=C:\\\\store\\\\versions\\\\6.18.26.3-1\\\\kernel"));
	assert_non_null(strstr(cfg, "kernelModules="));

	/* Switching records the previous one and drops kernelModules= it cannot use. */
	assert_int_equal(store_activate(&fx->s, "6.18.35.2-1", fx->cfg, fx->root, false, &a, &err),
			 0);
	assert_string_equal(a.previous, "6.18.26.3-1");
	assert_null(strstr(read_text(fx->cfg), "kernelModules"));
	assert_int_equal(store_active(&fx->s, fx->cfg, fx->root, active, kval, sizeof(kval), prev,
				      &err), 0);
	assert_string_equal(active, "6.18.35.2-1");
	assert_string_equal(prev, "6.18.26.3-1");
	assert_string_equal(kval, "C:\\store\\versions\\6.18.35.2-1\\kernel");

	/* Activating it again changes nothing and keeps previous. */
	assert_int_equal(store_activate(&fx->s, "6.18.35.2-1", fx->cfg, fx->root, false, &a, &err),
			 0);
	assert_false(a.changed);
	assert_string_equal(a.previous, "6.18.26.3-1");

	/* A dry run reports without writing. */
	assert_int_equal(store_activate(&fx->s, "6.18.26.3-1", fx->cfg, fx->root, true, &a, &err),
			 0);
	assert_true(a.changed);
	assert_non_null(strstr(read_text(fx->cfg), "6.18.35.2-1"));

	/* The active kernel cannot be removed; the other one can. */
	assert_int_equal(store_remove(&fx->s, "6.18.35.2-1", fx->cfg, fx->root, false, &err), -1);
	assert_int_equal(err.code, ERR_INVALID_VALUE);
	assert_int_equal(store_remove(&fx->s, "6.18.26.3-1", fx->cfg, fx->root, false, &err), 0);
	assert_int_equal(store_get(&fx->s, "6.18.26.3-1", &(struct store_manifest){ 0 }, &err), 0);

	/* Deactivation removes the keys; nothing is active afterwards. */
	assert_int_equal(store_deactivate(&fx->s, fx->cfg, fx->root, false, &a, &err), 0);
	assert_true(a.changed);
	assert_null(strstr(read_text(fx->cfg), "kernel"));
	assert_int_equal(store_active(&fx->s, fx->cfg, fx->root, active, NULL, 0, NULL, &err), 0);
	assert_string_equal(active, "");
}

/* Rollback returns to a kernel= set by hand (and its kernelModules=) as it was, and back. */
static void test_rollback_hand_set(void **state)
{
	struct fixture *fx = *state;
	const char *hand = "[wsl2]\nkernel=D:\\\\k\\\\bzImage\nkernelModules=D:\\\\k\\\\m.vhd\n";
	struct store_activation a;
	char version[STORE_VERSION_MAX], path[STORE_PATH_MAX + 16];
	struct error err;

	install(fx, "6.18.26.3-1", "a", false);
	write_file(fx->cfg, hand);
	assert_int_equal(store_rollback(&fx->s, fx->cfg, fx->root, false, version, &a, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	assert_int_equal(store_activate(&fx->s, "6.18.26.3-1", fx->cfg, fx->root, false, &a, &err),
			 0);
	assert_string_equal(a.previous, "");

	assert_int_equal(store_rollback(&fx->s, fx->cfg, fx->root, false, version, &a, &err), 0);
	assert_string_equal(version, "");
	assert_true(a.changed);
	assert_string_equal(a.kernel_win, "D:\\k\\bzImage");
	assert_string_equal(a.modules_win, "D:\\k\\m.vhd");
	assert_string_equal(a.previous, "6.18.26.3-1");
	assert_string_equal(read_text(fx->cfg), hand);

	assert_int_equal(store_rollback(&fx->s, fx->cfg, fx->root, false, version, &a, &err), 0);
	assert_string_equal(version, "6.18.26.3-1");
	assert_string_equal(a.previous, "");
	assert_int_equal(store_rollback(&fx->s, fx->cfg, fx->root, false, version, &a, &err), 0);
	assert_string_equal(read_text(fx->cfg), hand);

	/* An unreadable state.json means nothing to roll back to, never a crash. */
	snprintf(path, sizeof(path), "%s/state.json", fx->s.dir);
	write_file(path, "{\"previous\": ");
	assert_int_equal(store_rollback(&fx->s, fx->cfg, fx->root, false, version, &a, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	assert_string_equal(read_text(fx->cfg), hand);
}

/* A kernel= too long to keep whole is not recorded: rollback must never write a cut path. */
static void test_rollback_long_value(void **state)
{
	struct fixture *fx = *state;
	struct store_activation a;
	char version[STORE_VERSION_MAX];
	char *text = malloc(STORE_PATH_MAX + 64);
	struct error err;

	assert_non_null(text);
	install(fx, "6.18.26.3-1", "a", false);
	strcpy(text, "[wsl2]\nkernel=C:\\\\");
	memset(text + strlen(text), 'k', STORE_PATH_MAX);
	strcpy(text + strlen("[wsl2]\nkernel=C:\\\\") + STORE_PATH_MAX, "\n");
	write_file(fx->cfg, text);
	free(text);
	assert_int_equal(store_activate(&fx->s, "6.18.26.3-1", fx->cfg, fx->root, false, &a, &err),
			 0);
	assert_int_equal(store_rollback(&fx->s, fx->cfg, fx->root, false, version, &a, &err), -1);
	assert_int_equal(err.code, ERR_NOT_FOUND);
	assert_non_null(strstr(read_text(fx->cfg), "6.18.26.3-1"));
}

static void test_no_windows_path(void **state)
{
	struct fixture *fx = *state;
	struct store s2;
	struct store_activation a;
	struct error err;
	char home[STORE_PATH_MAX];

	/* A store Windows cannot read is never activated. */
	snprintf(home, sizeof(home), "%s/linux-only", fx->tmp);
	assert_int_equal(store_open(&s2, home, fx->root, &err), 0);
	{
		struct store_stage st;
		struct store_manifest m = { 0 };
		char path[STORE_PATH_MAX + 32];

		assert_int_equal(store_stage_begin(&s2, "1.0", &st, &err), 0);
		snprintf(path, sizeof(path), "%s/kernel", st.dir);
		write_file(path, "k");
		assert_int_equal(store_stage_commit(&s2, &st, &m, &err), 0);
	}
	assert_int_equal(store_activate(&s2, "1.0", fx->cfg, fx->root, false, &a, &err), -1);
	assert_int_equal(err.code, ERR_INVALID_VALUE);
	assert_null(read_text(fx->cfg));
	store_close(&s2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_names),
		cmocka_unit_test_setup_teardown(test_install_and_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit_needs_kernel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reinstall_replaces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_activate_rollback_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_hand_set, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_long_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_windows_path, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
